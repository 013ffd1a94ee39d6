"""Turn events into control spans per place, and answer "who held what on this date".

Pure: events in, spans out. The rules, in the order events are applied (oldest first;
on one date, static statements before changes of hands; ties broken by a total order so
that the result never depends on the order events arrive):

- A capture or recapture opens a span held by the captor; it ends any siege.
- A static statement ("IS-held X", "the government enclave of X") confirms the holder,
  or opens the first span when nothing was known. One that contradicts a capture made
  less than :data:`STALE_DAYS` days before describes the old state and is ignored.
- "Entered" or a partial capture makes a place held by another side contested.
- A siege lies over the holder's span: status besieged, with the besieger; breaking the
  siege makes it held again. A place held in part by each side ("the government-held
  third of the city") stays contested under a siege, with the besieger named.
- A withdrawal or loss hands the place to the side the text names, else back to whoever
  held it before the loser took it, else unknown.
- A denied claim, or captures by different sides reported within two days of each other,
  make the place disputed for :data:`DISPUTE_DAYS` days unless a later event settles it.
- Attacks, repelled attacks and advances add evidence but change no control.
- When the first thing known of a place is "taken from X", X is taken to have held it for
  :data:`INFER_DAYS` days before (a bounded inference, with the capture as its evidence).
- Supporters (Russia, the US-led coalition) never become controllers.
- Analyst overrides (``rule == "override"``) win: an override removes extracted events
  of the same place within its date precision that it contradicts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from geomap.model import (
    ClaimStatus,
    ControlSpan,
    ControlStatus,
    Event,
    EventKind,
    Place,
    PlaceState,
    Precision,
)

DISPUTE_DAYS = 7
#: How far back "seized X from Y" lets us say Y held X, when nothing earlier is known.
INFER_DAYS = 365
#: How far back a dispatch's "IS-held X", as the first thing known of X, lets us say IS held
#: X: a holding stated in the present began before the day it was reported.
HELD_BACK_DAYS = 30
#: A static statement ("IS-held X") contradicting a capture this recent describes the old state.
STALE_DAYS = 60
CONFLICT_DAYS = 2
OVERRIDE_RULE = "override"

_STATIC = (EventKind.HELD_BY,)
_KIND_ORDER = {kind: i for i, kind in enumerate(EventKind)}
_PRECISION_DAYS = {Precision.DAY: 1, Precision.WEEK: 7, Precision.MONTH: 31, Precision.YEAR: 366}


def event_order(event: Event) -> tuple[object, ...]:
    """A total order on events: date, static before dynamic (a statement of partial
    control after one of full control: "IS-held Mosul" and "seven neighborhoods are under
    the army's control" on one day make it fought over), then stable tie-breakers."""
    return (
        event.date,
        (0 if event.kind in _STATIC else 2) + (1 if event.partial else 0),
        _KIND_ORDER[event.kind],
        event.actor or "",
        event.article_id,
        event.evidence_start,
        event.rule,
        event.place.id,
        # Every other field too, so that the order is total and arrival order never matters.
        event.controller_after or "",
        event.status.value,
        event.precision.value,
        event.besieger or "",
        event.evidence,
        event.confidence,
        event.attribution,
        event.source,
        event.evidence_end,
        event.distance_km or 0.0,
        event.surface,
    )


@dataclass
class _State:
    controller: str | None = None
    status: ControlStatus = ControlStatus.UNKNOWN
    besieger: str | None = None
    since: dt.date | None = None
    evidence: list[Event] = field(default_factory=list)
    previous_controller: str | None = None
    disputed_until: dt.date | None = None
    #: When the current controller took the place by force (capture, siege broken).
    taken_on: dt.date | None = None
    #: Held in part by each side ("the government-held third of the city"): a siege
    #: then lies over one part, and the place stays contested.
    divided: bool = False
    #: The side fighting the controller for the place (it entered, or holds part of it):
    #: who has it when the controller loses it to no side the text names.
    contender: str | None = None


def apply_overrides(events: Iterable[Event]) -> list[Event]:
    """Drop extracted events that an analyst override contradicts; keep overrides.

    An override contradicts an extracted event of the same place whose date falls within
    the override's precision window and whose kind family or controller differs. An
    override with status ``negated`` removes matching extracted events and itself.
    """
    events = list(events)
    overrides = [e for e in events if e.rule == OVERRIDE_RULE]
    if not overrides:
        return events
    by_place: dict[str, list[Event]] = defaultdict(list)
    for o in overrides:
        by_place[o.place.id].append(o)
    kept: list[Event] = []
    for e in events:
        if e.rule == OVERRIDE_RULE:
            if e.status is not ClaimStatus.NEGATED:
                kept.append(e)
            continue
        if not any(_overridden(e, o) for o in by_place.get(e.place.id, ())):
            kept.append(e)
    return kept


def _overridden(event: Event, override: Event) -> bool:
    window = dt.timedelta(days=_PRECISION_DAYS[override.precision])
    if not (override.date <= event.date < override.date + window or event.date == override.date):
        return False
    if override.status is ClaimStatus.NEGATED:
        return event.kind is override.kind and (override.actor in (None, event.actor))
    return event.kind is not EventKind.ADVANCED_TO


def build_timeline(events: Iterable[Event]) -> dict[str, list[ControlSpan]]:
    """Spans per place id, oldest first. Overrides are applied first.

    Examples
    --------
    >>> import datetime as dt
    >>> from geomap.model import Place, PlaceKind
    >>> town = Place("x", "X", PlaceKind.TOWN, 35.0, 38.0, "SY")
    >>> def ev(day, kind, actor):
    ...     return Event(town, kind, actor, actor, dt.date(2017, 3, day), Precision.DAY,
    ...                  ClaimStatus.ASSERTED, "...", "a1", 0.9, "test")
    >>> spans = build_timeline([ev(5, EventKind.CAPTURED, "GOV_SY"),
    ...                         ev(1, EventKind.HELD_BY, "ISIS")])["x"]
    >>> [(str(s.start), s.controller, s.status.value) for s in spans]
    [('2017-01-30', 'ISIS', 'held'), ('2017-03-05', 'GOV_SY', 'held')]

    (The dispatch's "IS-held X" on 1 March, the first thing known of X, holds
    :data:`HELD_BACK_DAYS` before it.)
    """
    grouped: dict[str, list[Event]] = defaultdict(list)
    for event in apply_overrides(events):
        grouped[event.place.id].append(event)
    return {
        pid: _place_spans(sorted(_finest(evs), key=event_order)) for pid, evs in grouped.items()
    }


_TAKEN = frozenset({EventKind.CAPTURED, EventKind.RECAPTURED})


def _finest(events: list[Event]) -> list[Event]:
    """Drop a coarsely dated change of hands that a finer one of the same place, side and
    kind falls within ("captured Manbij last year" and "captured Manbij in August 2016":
    August, not the first of January)."""
    out = []
    for event in events:
        period = _PRECISION_DAYS[event.precision]
        coarse = event.kind in _TAKEN and period > 1
        if coarse and any(
            other is not event
            and other.kind in _TAKEN
            and other.actor == event.actor
            and _PRECISION_DAYS[other.precision] < period
            and event.date <= other.date < event.date + dt.timedelta(days=period)
            for other in events
        ):
            continue
        out.append(event)
    return out


def _place_spans(events: Sequence[Event]) -> list[ControlSpan]:
    place = events[0].place
    spans: list[ControlSpan] = []
    state = _State()
    opened: dt.date | None = None

    def emit(until: dt.date, held: _State) -> None:
        """Close the current span at ``until`` (a span of no length is dropped)."""
        if (
            opened is not None
            and until > opened
            and (held.controller or held.status is not ControlStatus.UNKNOWN)
        ):
            spans.append(_span(place, opened, until, held))

    def settle_dispute(day: dt.date) -> None:
        nonlocal opened
        if state.disputed_until and day >= state.disputed_until:
            emit(state.disputed_until, state)
            opened = state.disputed_until
            state.status = ControlStatus.HELD if state.controller else ControlStatus.UNKNOWN
            state.disputed_until = None

    for i, event in enumerate(events):
        settle_dispute(event.date)
        before = replace(state, evidence=list(state.evidence))
        _apply(state, event, events[:i])
        if (state.controller, state.status, state.besieger) != (
            before.controller,
            before.status,
            before.besieger,
        ):
            emit(event.date, before)
            # A state that lasted no time (changed again the same day) hands its evidence on.
            carried = before.evidence if opened == event.date else []
            opened = event.date
            state.evidence = [*carried, event]
        else:
            state.evidence.append(event)
            if opened is None:
                opened = event.date
    if state.disputed_until:
        settle_dispute(state.disputed_until)
    if opened is not None and (state.controller or state.status is not ControlStatus.UNKNOWN):
        spans.append(_span(place, opened, None, state))
    return _merge(_inferred_before(events, spans) + spans)


def _inferred_before(events: Sequence[Event], spans: list[ControlSpan]) -> list[ControlSpan]:
    """ "Seized X from IS" as the first thing known of X: IS held it before (for a while).

    The span runs :data:`INFER_DAYS` back from the capture; its evidence is the capture. A
    dispatch's "IS-held X" as the first thing known runs :data:`HELD_BACK_DAYS` back.
    """
    if not spans:
        return []
    first = spans[0]
    # the capture that opens the story, or one days after a first partial one ("we captured
    # the city center" on Wednesday, "captured the town from IS" on Thursday)
    window = dt.timedelta(days=DISPUTE_DAYS)
    opening = next(
        (
            e
            for e in events
            if e.kind in (EventKind.CAPTURED, EventKind.RECAPTURED)
            and e.previous
            and first.start <= e.date <= first.start + window
            and (e.date != first.start or e.controller_after == first.controller)
        ),
        None,
    )
    told = [e for e in events if e.kind not in (EventKind.ATTACKED, EventKind.ADVANCED_TO)]
    if opening is None and first.controller and told and told[0].date == first.start:
        held = next(
            (
                e
                for e in first.evidence
                if e.kind is EventKind.HELD_BY
                and e.date == first.start
                and e.precision is Precision.DAY
                and e.status is ClaimStatus.ASSERTED
                and not e.partial
                and e.controller_after == first.controller
            ),
            None,
        )
        if held is not None and first.status is ControlStatus.HELD:
            start = first.start - dt.timedelta(days=HELD_BACK_DAYS)
            # (no evidence of its own: it joins the span the statement opens)
            return [
                ControlSpan(first.place, start, first.start, first.controller, first.status, ())
            ]
    if opening is None or opening.previous == first.controller or events[0].date < first.start:
        return []
    if opening.date != first.start and first.controller not in (None, opening.controller_after):
        return []  # someone else held it first: nothing to infer
    start = first.start - dt.timedelta(days=INFER_DAYS)
    return [
        ControlSpan(
            first.place, start, first.start, opening.previous, ControlStatus.HELD, (opening,)
        )
    ]


def _span(place: Place, start: dt.date, end: dt.date | None, state: _State) -> ControlSpan:
    return ControlSpan(
        place=place,
        start=start,
        end=end,
        controller=state.controller,
        status=state.status,
        evidence=tuple(state.evidence),
        besieger=state.besieger,
    )


def _merge(spans: list[ControlSpan]) -> list[ControlSpan]:
    """Join neighbouring spans with the same controller, status and besieger."""
    out: list[ControlSpan] = []
    for span in spans:
        last = out[-1] if out else None
        if (
            last
            and (last.controller, last.status, last.besieger)
            == (span.controller, span.status, span.besieger)
            and last.end == span.start
        ):
            out[-1] = ControlSpan(
                last.place,
                last.start,
                span.end,
                last.controller,
                last.status,
                last.evidence + span.evidence,
                last.besieger,
            )
        else:
            out.append(span)
    return out


def _apply(state: _State, event: Event, earlier: Sequence[Event]) -> None:
    """Update ``state`` with one event (the rules in the module docstring)."""
    kind, actor = event.kind, event.controller_after
    if event.status in (ClaimStatus.DISPUTED, ClaimStatus.NEGATED) or (
        kind is EventKind.CLAIMED_DISPUTED
    ):
        state.status = ControlStatus.DISPUTED
        state.disputed_until = event.date + dt.timedelta(days=DISPUTE_DAYS)
        return
    if event.partial:
        # Part of the place: taken, lost or held in part means fought over, unless the
        # stated holder already holds it all.
        holds = kind is EventKind.HELD_BY and state.controller == event.actor
        if kind is EventKind.HELD_BY and state.controller is None:
            state.controller = event.actor  # "government-held parts of X": theirs, fought over
        if not holds:
            state.status, state.divided = ControlStatus.CONTESTED, True
            if event.actor and event.actor != state.controller:
                state.contender = event.actor
        return
    if kind in (EventKind.CAPTURED, EventKind.RECAPTURED) and actor:
        rival = _rival_capture(event, earlier)
        if actor != state.controller:
            state.previous_controller = state.controller
            state.taken_on = event.date
        state.controller, state.besieger, state.divided = actor, None, False
        state.contender = None
        state.status = ControlStatus.HELD
        if rival:
            state.status = ControlStatus.DISPUTED
            state.disputed_until = event.date + dt.timedelta(days=DISPUTE_DAYS)
    elif kind is EventKind.HELD_BY and actor:
        if state.controller != actor and _recently_taken(state, event):
            return  # "the IS-held town of al-Bab" a week after its capture: the old state
        if state.status is ControlStatus.BESIEGED and actor != state.besieger:
            state.controller = actor  # the besieged side, named: the siege goes on
        elif state.controller != actor:
            state.previous_controller = state.controller
            state.controller, state.besieger, state.divided = actor, None, False
            state.contender = None
            state.status = ControlStatus.HELD
            state.taken_on = None
        elif state.status is ControlStatus.UNKNOWN:
            state.status = ControlStatus.HELD
    elif kind in (EventKind.ENTERED, EventKind.CONTESTED):
        if state.controller != event.actor and state.status is not ControlStatus.BESIEGED:
            state.status = ControlStatus.CONTESTED
            state.contender = event.actor or state.contender
    elif kind is EventKind.BESIEGED and event.besieger and event.besieger != state.controller:
        if actor and actor != event.besieger:
            state.controller = actor
        state.besieger = event.besieger
        # A divided place stays contested: the siege lies over the besieged side's part.
        state.status = ControlStatus.CONTESTED if state.divided else ControlStatus.BESIEGED
    elif kind is EventKind.SIEGE_BROKEN and actor:
        if state.controller != actor:
            state.taken_on = event.date
        state.controller, state.besieger = actor, None
        state.status = ControlStatus.CONTESTED if state.divided else ControlStatus.HELD
    elif kind in (EventKind.WITHDREW, EventKind.LOST):
        if event.actor and state.controller not in (None, event.actor) and not actor:
            return  # the loser did not hold it: nothing changes hands
        new = (
            actor
            or (state.contender if state.contender != event.actor else None)
            or (state.previous_controller if state.previous_controller != event.actor else None)
        )
        state.previous_controller = state.controller
        state.controller, state.besieger, state.divided = new, None, False
        state.contender = None
        state.status = ControlStatus.HELD if new else ControlStatus.UNKNOWN
    elif kind is EventKind.REPELLED and actor and state.controller is None:
        state.controller, state.status = actor, ControlStatus.HELD


def _recently_taken(state: _State, event: Event) -> bool:
    """Whether the current holder took the place by force within :data:`STALE_DAYS`."""
    return state.taken_on is not None and (
        event.date - state.taken_on <= dt.timedelta(days=STALE_DAYS)
    )


def _rival_capture(event: Event, earlier: Sequence[Event]) -> bool:
    """A capture by another side reported within a couple of days, in another article."""
    window = dt.timedelta(days=CONFLICT_DAYS)
    return any(
        e.kind in (EventKind.CAPTURED, EventKind.RECAPTURED)
        and e.controller_after not in (None, event.controller_after)
        and e.article_id != event.article_id
        and abs(e.date - event.date) <= window
        for e in earlier[-6:]
    )


def state_at(timeline: Mapping[str, Sequence[ControlSpan]], day: dt.date) -> dict[str, PlaceState]:
    """Every place's state on ``day`` (places with no span covering ``day`` are left out)."""
    out: dict[str, PlaceState] = {}
    for place_id, spans in timeline.items():
        for span in spans:
            if span.covers(day):
                since = _since(spans, span)
                out[place_id] = PlaceState(
                    span.place, span.controller, span.status, since, span.evidence, span.besieger
                )
                break
    return out


def _since(spans: Sequence[ControlSpan], span: ControlSpan) -> dt.date:
    """When the span's controller took over (earlier spans of the same controller count)."""
    start = span.start
    for earlier in reversed(spans[: spans.index(span)]):
        if earlier.controller != span.controller or earlier.end != start:
            break
        start = earlier.start
    return start
