"""What changed hands between two dates. Pure: a timeline in, changes and a summary out.

A place is listed when its controller, status or besieger differs between the two dates,
and also when it changed hands and came back inside the window (``round_trip``). Each
change carries the events between the dates that explain it.

Laws (property-tested): ``diff(D, D)`` is empty; applying ``diff(D1, D2)`` to the states
at D1 gives the states at D2; ``diff(D2, D1)`` is the inverse of ``diff(D1, D2)``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from geomap.errors import DateError
from geomap.model import Change, ControlSpan, PlaceKind, PlaceState
from geomap.timeline import event_order, state_at

#: How places are counted in the summary.
KIND_CLASSES = {
    PlaceKind.CITY: "cities",
    PlaceKind.TOWN: "towns",
    PlaceKind.VILLAGE: "villages",
    PlaceKind.NEIGHBOURHOOD: "neighbourhoods",
    PlaceKind.AIRBASE: "bases",
    PlaceKind.MILITARY_BASE: "bases",
    PlaceKind.DAM: "dams",
    PlaceKind.OILFIELD: "fields",
    PlaceKind.BORDER_CROSSING: "crossings",
    PlaceKind.PROVINCE: "provinces",
    PlaceKind.REGION: "regions",
    PlaceKind.MOUNTAIN: "hills",
    PlaceKind.FACILITY: "facilities",
    PlaceKind.VALLEY: "regions",
}


@dataclass(frozen=True)
class Diff:
    """The changes between two dates and a per-actor summary."""

    start: dt.date
    end: dt.date
    changes: tuple[Change, ...]

    def summary(self) -> dict[str, dict[str, dict[str, int]]]:
        """Per actor: places gained and lost by kind class, and the net."""
        return summarize(self.changes)


def _key(state: PlaceState | None) -> tuple[object, ...]:
    if state is None:
        return (None, None, None)
    return (state.controller, state.status, state.besieger)


def diff_timeline(
    timeline: Mapping[str, Sequence[ControlSpan]], start: dt.date, end: dt.date
) -> Diff:
    """Changes between the states on ``start`` and on ``end`` (either order).

    Raises
    ------
    DateError
        Never for the order here: callers that want D1 <= D2 check it (the CLI does).
    """
    lo, hi = min(start, end), max(start, end)
    before, after = state_at(timeline, start), state_at(timeline, end)
    changes = []
    for place_id in sorted(set(before) | set(after) | set(timeline)):
        a, b = before.get(place_id), after.get(place_id)
        spans = timeline.get(place_id, ())
        inside = [s for s in spans if s.start <= hi and (s.end is None or s.end > lo)]
        round_trip = _key(a) == _key(b) and len({(s.controller, s.status) for s in inside}) > 1
        if _key(a) == _key(b) and not round_trip:
            continue
        known = a or b
        place = known.place if known is not None else spans[0].place
        events = sorted(
            {e for s in spans for e in s.evidence if lo < e.date <= hi}, key=event_order
        )
        changes.append(Change(place, a, b, tuple(events), round_trip))
    return Diff(start, end, tuple(changes))


def check_order(start: dt.date, end: dt.date) -> None:
    """A diff runs forward in time.

    Raises
    ------
    DateError
        If ``start`` is after ``end``.
    """
    if start > end:
        raise DateError(f"expected D1 <= D2, got {start} after {end}; swap the dates")


def apply_diff(
    states: Mapping[str, PlaceState], changes: Iterable[Change]
) -> dict[str, PlaceState]:
    """The states after applying ``changes`` to ``states`` (for the laws and for callers)."""
    out = dict(states)
    for change in changes:
        if change.after is None:
            out.pop(change.place.id, None)
        else:
            out[change.place.id] = change.after
    return out


def summarize(changes: Iterable[Change]) -> dict[str, dict[str, dict[str, int]]]:
    """``{actor: {"gained": {kind: n}, "lost": {kind: n}, "net": {kind: n}}}``."""
    gained: dict[str, Counter[str]] = defaultdict(Counter)
    lost: dict[str, Counter[str]] = defaultdict(Counter)
    for change in changes:
        kind = KIND_CLASSES.get(change.place.kind)
        old = change.before.controller if change.before else None
        new = change.after.controller if change.after else None
        if kind is None or old == new:
            continue
        if new:
            gained[new][kind] += 1
        if old:
            lost[old][kind] += 1
    out: dict[str, dict[str, dict[str, int]]] = {}
    for actor in sorted(set(gained) | set(lost)):
        kinds = sorted(set(gained[actor]) | set(lost[actor]))
        out[actor] = {
            "gained": dict(sorted(gained[actor].items())),
            "lost": dict(sorted(lost[actor].items())),
            "net": {k: gained[actor][k] - lost[actor][k] for k in kinds},
        }
    return out
