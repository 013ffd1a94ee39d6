"""Event-reading accuracy: recall and precision on the development table and the seeds.

    python benchmarks/accuracy.py            # the development table (tests/data/dev_sentences)
    python benchmarks/accuracy.py --seeds    # also the annotated seeds (needs ../shared)
    python benchmarks/accuracy.py -v         # print every miss and every wrong event

The development table holds real sentences from public reporting, one a row, with the
control events each states (place as written, kind, actor, status): see
``tests/data/dev_sentences/README.md``. An emitted event is right when its place is the
annotated place (the same gazetteer entry, or its surface is the annotated name), its kind
matches (captured, recaptured and cleared count as one "taken" family) and its side is the
annotated side. Attacks and advances are not control events and are not scored.

The seeds are scored the way ``../shared/eval/score_seeds.py events`` does (its own
matching functions are imported), but in one process, so misses can be printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "dev_sentences"
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from geomap.corpus import read_articles  # noqa: E402
from geomap.events import extract_events  # noqa: E402
from geomap.gazetteer import Gazetteer, load_gazetteer  # noqa: E402
from geomap.model import Article, Event, EventKind  # noqa: E402

NOT_CONTROL = {EventKind.ATTACKED, EventKind.ADVANCED_TO}
TAKEN = {"captured", "recaptured", "cleared"}
DEFAULT_DAY = dt.date(2017, 1, 1)


@dataclass
class Score:
    expected: int = 0
    recalled: int = 0
    emitted: int = 0
    right: int = 0

    def line(self, name: str) -> str:
        r = self.recalled / max(self.expected, 1)
        p = self.right / max(self.emitted, 1)
        return (
            f"{name}: recall {self.recalled}/{self.expected} ({r:.1%}), "
            f"precision {self.right}/{self.emitted} ({p:.1%})"
        )


def load_table(folder: Path = DEV) -> list[dict]:
    """Every row of the development table (all YAML files of the folder)."""
    rows: list[dict] = []
    for path in sorted(folder.glob("*.yaml")):
        rows.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return rows


def kinds_match(gold: str, event: Event) -> bool:
    """The table's kind matching: captured/recaptured/cleared are one family; "contested"
    (partial control) is any event the reader marks partial."""
    kind = event.kind.value
    if gold == "contested" and event.partial:
        return True
    return kind == gold or (gold in TAKEN and kind in TAKEN)


def same_place(gaz: Gazetteer, gold_name: str, event: Event) -> bool:
    """The event's place is the annotated one: same surface, or the name resolves to it."""
    name = gold_name.lower().strip()
    if event.surface.lower().strip() == name or event.place.name.lower() == name:
        return True
    resolved = gaz.resolve(gold_name, limit=3)
    if any(c.place.id == event.place.id for c in resolved):
        return True
    near = event.place.near
    return bool(near) and any(c.place.id == near for c in resolved)


def control_events(gaz: Gazetteer, text: str, day: dt.date) -> list[Event]:
    article = Article("dev", text, day, source="dev")
    return [e for e in extract_events(article, gaz) if e.kind not in NOT_CONTROL]


def score_table(gaz: Gazetteer, rows: Iterable[dict], verbose: bool) -> tuple[Score, Counter[str]]:
    score = Score()
    missed_frames: Counter[str] = Counter()
    for row in rows:
        day = row.get("published") or DEFAULT_DAY
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        events = control_events(gaz, row["text"], day)
        gold = row.get("events") or []

        def hit(g: dict, e: Event) -> bool:
            return (
                kinds_match(g["kind"], e)
                and e.actor == g["actor"]
                and same_place(gaz, str(g["place"]), e)
            )

        score.expected += len(gold)
        score.emitted += len(events)
        for g in gold:
            if any(hit(g, e) for e in events):
                score.recalled += 1
            else:
                missed_frames[g.get("frame", "?")] += 1
                if verbose:
                    got = "; ".join(f"{e.kind.value} {e.place.name} {e.actor}" for e in events)
                    print(f"MISS {row['id']} {g['kind']} {g['place']} {g['actor']} | got: {got}")
                    print(f"     {row['text'][:300]}")
        for e in events:
            if any(hit(g, e) for g in gold):
                score.right += 1
            elif verbose:
                print(f"WRONG {row['id']} {e.kind.value} {e.place.name} {e.actor} [{e.rule}]")
                print(f"     {row['text'][:300]}")
    return score, missed_frames


# ---------------------------------------------------------------------------- seeds


def _scorer():
    path = SHARED / "eval" / "score_seeds.py"
    spec = importlib.util.spec_from_file_location("score_seeds", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_seeds(gaz: Gazetteer, verbose: bool) -> Score:
    """The seeds' core control events, matched as score_seeds.py matches them."""
    s = _scorer()
    places = s.gold_places()
    gold = [
        e
        for e in s.yload(s.GOLD / "events.yaml")["events"]
        if e["type"] not in {"attacked", "advanced_to"}
    ]
    tool: list[dict] = []
    for path in sorted(s.SEEDS.glob("*.txt")):
        day = s.SEED_DATES.get(path.name)
        for article in read_articles([path], published=dt.date.fromisoformat(day) if day else None):
            for e in extract_events(article, gaz):
                if e.kind in NOT_CONTROL:
                    continue
                tool.append(
                    {
                        "kind": e.kind.value,
                        "actor": e.actor,
                        "date": e.date.isoformat(),
                        "place": {
                            "lat": e.place.lat,
                            "lon": e.place.lon,
                            "kind": e.place.kind.value,
                            "name": e.place.name,
                        },
                        "evidence": e.evidence,
                        "rule": e.rule,
                    }
                )

    def matches(g: dict, t: dict) -> bool:
        gps = g["place"] if isinstance(g["place"], list) else [g["place"]]
        tp = t["place"]
        actors = g["actor"] if isinstance(g["actor"], list) else [g["actor"]]
        for pid in gps:
            gp = places.get(pid)
            if (
                gp
                and gp.get("lat") is not None
                and s.kind_class(gp.get("kind")) == s.kind_class(tp["kind"])
                and s.km(gp["lat"], gp["lon"], tp["lat"], tp["lon"]) <= s.tolerance(gp)
            ):
                return (
                    s.types_match(g, t["kind"]) and t["actor"] in actors and s.date_ok(g, t["date"])
                )
        return False

    core = [g for g in gold if not g.get("optional")]
    score = Score(expected=len(core), emitted=len(tool))
    for g in core:
        if any(matches(g, t) for t in tool):
            score.recalled += 1
        elif verbose:
            print(
                f"SEED MISS {g['id']} {g['type']} {g['place']} {g['actor']} {g.get('event_date')}"
                f" | {g['evidence'][:220]}"
            )
    for t in tool:
        if any(matches(g, t) for g in gold):
            score.right += 1
        elif verbose:
            print(
                f"SEED WRONG {t['kind']} {t['place']['name']} {t['actor']} {t['date']} [{t['rule']}]"
                f" | {t['evidence'][:220]}"
            )
    return score


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--seeds", action="store_true", help="also score ../shared's seeds")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print misses and wrong events"
    )
    args = parser.parse_args()
    gaz = load_gazetteer()
    rows: list[dict] = []
    score, missed = Score(), Counter[str]()
    parts: list[str] = []
    start = time.perf_counter()
    for path in sorted(DEV.glob("*.yaml")):  # each file of the table, then the whole
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        part_score, part_missed = score_table(gaz, part, args.verbose)
        parts.append(part_score.line(f"  {path.name} ({len(part)} sentences)"))
        rows.extend(part)
        missed.update(part_missed)
        for field in ("expected", "recalled", "emitted", "right"):
            setattr(score, field, getattr(score, field) + getattr(part_score, field))
    elapsed = time.perf_counter() - start
    print(
        f"development table: {len(rows)} sentences from {len({r['source'] for r in rows})} sources "
        f"({elapsed:.1f} s)"
    )
    print("missed by frame:", ", ".join(f"{k} {v}" for k, v in missed.most_common()))
    print("\n".join(parts))
    print(score.line("development table"))
    if args.seeds:
        if not (SHARED / "seeds_gold").is_dir():
            print(f"seeds: skipped ({SHARED / 'seeds_gold'} not found)")
        else:
            print(score_seeds(gaz, args.verbose).line("seeds (core control events)"))


if __name__ == "__main__":
    main()
