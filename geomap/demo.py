"""``geomap demo``: the whole job on the shipped sample corpus, into one output folder."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from geomap.atlas import write_map, write_series
from geomap.corpus import sample_corpus_dir
from geomap.pipeline import ingest, load_timeline
from geomap.report import diff_report, ingest_summary, state_record, write_output
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
#: The series: start, end, step.
SERIES = (dt.date(2016, 6, 1), dt.date(2017, 10, 1), "1m")
#: The diff the demo explains.
DIFF = (dt.date(2016, 12, 15), dt.date(2017, 3, 5))


def run_demo(out: Path) -> str:
    """Ingest the sample corpus into ``out/demo.db`` and write maps, a series and a diff.

    Returns the summary printed by ``geomap demo`` (every path it wrote).
    """
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
        _write_json(
            out / f"state-{day.isoformat()}.json",
            [state_record(states[pid]) for pid in sorted(states)],
        )
        written = write_map(
            day, out / f"map-{day.isoformat()}.html", db, png=out / f"map-{day.isoformat()}.png"
        )
        lines.append(f"{day}: {len(states)} places -> " + ", ".join(str(p) for p in written))
    index = write_series(SERIES[0], SERIES[1], SERIES[2], out / "series", db)
    lines.append(f"series {SERIES[0]} to {SERIES[1]} every {SERIES[2]} -> {index}")
    start, end = DIFF
    table = diff_report(start, end, db, None, "table", None, None)
    (out / f"diff-{start}-{end}.txt").write_text(table + "\n", encoding="utf-8")
    html = write_output(
        diff_report(start, end, db, None, "html", None, None), out / f"diff-{start}-{end}.html"
    )
    lines += ["", table, "", f"diff map -> {html}"]
    return "\n".join(lines)


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
