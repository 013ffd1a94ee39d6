"""Diff over 10,000 places and 100,000 events: prints the time (issue: under 0.5 s).

Run: ``python benchmarks/diff_bench.py``.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from geomap.diff import diff_timeline
from geomap.model import ClaimStatus, Event, EventKind, Place, PlaceKind, Precision
from geomap.timeline import build_timeline

ACTORS = ("GOV_SY", "ISIS", "SDF", "TFSA")
KINDS = (EventKind.CAPTURED, EventKind.HELD_BY, EventKind.BESIEGED, EventKind.ATTACKED)


def synthetic(places: int = 10_000, events: int = 100_000, seed: int = 3) -> list[Event]:
    """Events spread over ``places`` synthetic places and four years."""
    rnd = random.Random(seed)
    sites = [
        Place(f"p{i}", f"P{i}", PlaceKind.TOWN, 33 + rnd.random() * 4, 36 + rnd.random() * 6, "SY")
        for i in range(places)
    ]
    start = dt.date(2014, 1, 1)
    out = []
    for n in range(events):
        actor, kind = rnd.choice(ACTORS), rnd.choice(KINDS)
        holder = actor if kind in (EventKind.CAPTURED, EventKind.HELD_BY) else None
        out.append(
            Event(
                sites[n % places],
                kind,
                actor,
                holder,
                start + dt.timedelta(days=rnd.randrange(1460)),
                Precision.DAY,
                ClaimStatus.ASSERTED,
                "evidence",
                f"a{n}",
                0.9,
                "bench",
                besieger=actor if kind is EventKind.BESIEGED else None,
            )
        )
    return out


def main() -> None:
    events = synthetic()
    t = time.perf_counter()
    timeline = build_timeline(events)
    built = time.perf_counter() - t
    t = time.perf_counter()
    diff = diff_timeline(timeline, dt.date(2015, 6, 1), dt.date(2016, 6, 1))
    took = time.perf_counter() - t
    print(f"timeline of 10,000 places / 100,000 events built in {built:.2f} s")
    print(f"diff over them: {took:.3f} s ({len(diff.changes):,} places changed)")


if __name__ == "__main__":
    main()
