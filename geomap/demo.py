"""``geomap demo``: the whole job on the shipped sample corpus, into one output folder."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from geomap.corpus import sample_corpus_dir
from geomap.pipeline import ingest, load_timeline
from geomap.report import ingest_summary, state_record
from geomap.timeline import state_at

#: Dates the sample corpus says something about (before and after its turning points).
KEY_DATES = (
    dt.date(2015, 1, 30),
    dt.date(2016, 8, 20),
    dt.date(2016, 12, 15),
    dt.date(2017, 3, 3),
    dt.date(2017, 9, 6),
    dt.date(2017, 10, 20),
)
UNDATED_PUBLISHED = dt.date(2015, 1, 27)


def run_demo(out: Path) -> str:
    """Ingest the sample corpus into ``out/demo.db`` and write the outputs; a summary."""
    out.mkdir(parents=True, exist_ok=True)
    db = out / "demo.db"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    sample = sample_corpus_dir()
    dated = ingest(sorted(str(p) for p in sample.glob("*.txt")), db)
    undated = ingest([str(sample / "undated")], db, published=UNDATED_PUBLISHED)
    lines = [
        ingest_summary(dated, str(db)),
        f"undated dispatches, dated {UNDATED_PUBLISHED} by --published: "
        f"{undated.articles_new} articles",
    ]
    timeline = load_timeline(db)
    for day in KEY_DATES:
        states = state_at(timeline, day)
        path = out / f"state-{day.isoformat()}.json"
        records = [state_record(states[pid]) for pid in sorted(states)]
        _write_json(path, records)
        lines.append(f"{day}: {len(states)} places -> {path}")
    return "\n".join(lines)


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
