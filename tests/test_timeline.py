"""The control timeline: rules, and laws that hold whatever order events arrive in."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.model import ClaimStatus, ControlStatus, Event, EventKind, Place, PlaceKind, Precision
from geomap.timeline import OVERRIDE_RULE, build_timeline, state_at

TOWN = Place("x", "X", PlaceKind.TOWN, 35.0, 38.0, "SY")
D = dt.date(2017, 3, 1)


def ev(
    day,
    kind,
    actor=None,
    controller=None,
    *,
    status=ClaimStatus.ASSERTED,
    besieger=None,
    article="a1",
    rule="test",
    precision=Precision.DAY,
    place=TOWN,
):
    return Event(
        place,
        kind,
        actor,
        controller,
        D + dt.timedelta(days=day),
        precision,
        status,
        f"{kind.value} by {actor}",
        article,
        0.9,
        rule,
        besieger=besieger,
        evidence_start=day,
    )


def on(events, day):
    return state_at(build_timeline(events), D + dt.timedelta(days=day)).get("x")


def test_state_before_first_event_is_unknown():
    assert on([ev(5, EventKind.CAPTURED, "ISIS", "ISIS")], 0) is None


def test_later_capture_ends_the_previous_span():
    events = [
        ev(0, EventKind.HELD_BY, "ISIS", "ISIS"),
        ev(10, EventKind.CAPTURED, "GOV_SY", "GOV_SY"),
    ]
    assert on(events, 5).controller == "ISIS"
    state = on(events, 12)
    assert (state.controller, state.status, state.since) == (
        "GOV_SY",
        ControlStatus.HELD,
        D + dt.timedelta(days=10),
    )


def test_siege_lies_over_the_holders_span_until_broken():
    events = [
        ev(0, EventKind.HELD_BY, "GOV_SY", "GOV_SY"),
        ev(3, EventKind.BESIEGED, "ISIS", None, besieger="ISIS"),
        ev(9, EventKind.SIEGE_BROKEN, "GOV_SY", "GOV_SY"),
    ]
    besieged = on(events, 5)
    assert (besieged.controller, besieged.status, besieged.besieger) == (
        "GOV_SY",
        ControlStatus.BESIEGED,
        "ISIS",
    )
    assert on(events, 10).status is ControlStatus.HELD


def test_entering_a_place_held_by_another_side_makes_it_contested():
    events = [ev(0, EventKind.HELD_BY, "ISIS", "ISIS"), ev(2, EventKind.ENTERED, "SDF")]
    state = on(events, 3)
    assert (state.controller, state.status) == ("ISIS", ControlStatus.CONTESTED)


def test_denied_claim_makes_the_place_disputed_for_a_week():
    events = [
        ev(0, EventKind.HELD_BY, "GOV_SY", "GOV_SY"),
        ev(2, EventKind.CLAIMED_DISPUTED, "ISIS", status=ClaimStatus.DISPUTED),
    ]
    assert on(events, 3).status is ControlStatus.DISPUTED
    assert on(events, 12).status is ControlStatus.HELD
    assert on(events, 12).controller == "GOV_SY"


def test_rival_captures_close_together_give_disputed():
    events = [
        ev(0, EventKind.CAPTURED, "TFSA", "TFSA", article="a"),
        ev(1, EventKind.CAPTURED, "GOV_SY", "GOV_SY", article="b"),
    ]
    assert on(events, 1).status is ControlStatus.DISPUTED


def test_briefly_seized_then_lost_returns_to_the_previous_holder():
    events = [
        ev(0, EventKind.HELD_BY, "ISIS", "ISIS"),
        ev(2, EventKind.CAPTURED, "GOV_SY", "GOV_SY"),
        ev(3, EventKind.LOST, "GOV_SY", None),
    ]
    assert on(events, 4).controller == "ISIS"


def test_static_statement_just_after_a_capture_describes_the_old_state():
    events = [ev(0, EventKind.CAPTURED, "TFSA", "TFSA"), ev(8, EventKind.HELD_BY, "ISIS", "ISIS")]
    assert on(events, 9).controller == "TFSA"


def test_attacks_and_advances_change_no_control():
    events = [
        ev(0, EventKind.HELD_BY, "ISIS", "ISIS"),
        ev(1, EventKind.ATTACKED, "GOV_SY"),
        ev(2, EventKind.ADVANCED_TO, "GOV_SY"),
    ]
    state = on(events, 3)
    assert (state.controller, state.status) == ("ISIS", ControlStatus.HELD)
    assert len(state.evidence) == 3


def test_override_wins_over_extracted_events():
    extracted = ev(5, EventKind.CAPTURED, "ISIS", "ISIS")
    override = ev(5, EventKind.CAPTURED, "GOV_SY", "GOV_SY", rule=OVERRIDE_RULE, article="o")
    assert on([extracted, override], 6).controller == "GOV_SY"


def test_negated_override_removes_an_extracted_event():
    extracted = ev(5, EventKind.CAPTURED, "ISIS", "ISIS")
    negation = ev(
        5,
        EventKind.CAPTURED,
        "ISIS",
        None,
        status=ClaimStatus.NEGATED,
        rule=OVERRIDE_RULE,
        article="o",
    )
    assert on([extracted, negation], 6) is None


KINDS = [
    EventKind.CAPTURED,
    EventKind.RECAPTURED,
    EventKind.HELD_BY,
    EventKind.BESIEGED,
    EventKind.SIEGE_BROKEN,
    EventKind.ENTERED,
    EventKind.WITHDREW,
    EventKind.LOST,
    EventKind.ATTACKED,
    EventKind.CLAIMED_DISPUTED,
    EventKind.CONTESTED,
]
ACTORS = ["GOV_SY", "ISIS", "SDF", "TFSA"]
event_strategy = st.builds(
    lambda day, kind, actor, holds, status, rule, n: ev(
        day,
        kind,
        actor,
        actor if holds else None,
        status=status,
        rule=rule,
        article=f"a{n}",
        besieger=actor if kind is EventKind.BESIEGED else None,
    ),
    st.integers(0, 60),
    st.sampled_from(KINDS),
    st.sampled_from(ACTORS),
    st.booleans(),
    st.sampled_from([ClaimStatus.ASSERTED, ClaimStatus.CLAIMED, ClaimStatus.DISPUTED]),
    st.sampled_from(["test", "test", "test", OVERRIDE_RULE]),
    st.integers(0, 5),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(event_strategy, max_size=12), st.randoms())
def test_timeline_does_not_depend_on_arrival_order(events, rnd):
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert build_timeline(events) == build_timeline(shuffled)


@settings(max_examples=200, deadline=None)
@given(st.lists(event_strategy, max_size=12), st.integers(0, 60), st.sampled_from(ACTORS))
def test_an_override_always_wins(events, day, actor):
    extracted = [e for e in events if e.rule != OVERRIDE_RULE]  # analyst vs extracted
    override = ev(day, EventKind.CAPTURED, actor, actor, rule=OVERRIDE_RULE, article="analyst")
    state = on([*extracted, override], day)
    assert state is not None and state.controller == actor


@settings(max_examples=200, deadline=None)
@given(st.lists(event_strategy, max_size=12))
def test_spans_are_ordered_and_do_not_overlap(events):
    for spans in build_timeline(events).values():
        for a, b in itertools.pairwise(spans):
            assert a.end is not None and a.start < a.end <= b.start
        assert all(s.controller in (None, *ACTORS) for s in spans)


@pytest.mark.parametrize("supporter", ["RUSSIA", "US_COALITION"])
def test_supporters_never_become_controllers_via_overrides_file(tmp_path, gaz, supporter):
    from geomap.errors import EventsFileError
    from geomap.overrides import read_overrides

    path = tmp_path / "events.csv"
    path.write_text(f"place,kind,date,actor\nPalmyra,captured,2017-03-02,{supporter}\n")
    with pytest.raises(EventsFileError, match="never holds ground"):
        read_overrides(path, gaz)


def test_partial_hold_on_the_day_of_a_full_one_makes_the_place_fought_over():
    """ "IS-held X" and "seven districts of X are under the army's control" in one dispatch:
    contested, whichever sentence comes first."""
    full = ev(0, EventKind.HELD_BY, "ISIS", "ISIS")
    part = ev(0, EventKind.HELD_BY, "GOV_IQ", None, rule="under-control:district-of-name+partial")
    for events in ([full, part], [part, full]):
        state = on(events, 0)
        assert state is not None and state.status is ControlStatus.CONTESTED


def test_a_divided_place_stays_contested_under_siege_and_after_the_siege_breaks():
    part = ev(0, EventKind.HELD_BY, "GOV_SY", None, rule="held-adjective:part-of-name+partial")
    siege = ev(1, EventKind.BESIEGED, "ISIS", None, besieger="ISIS")
    broken = ev(5, EventKind.SIEGE_BROKEN, "GOV_SY", "GOV_SY")
    state = on([part, siege], 2)
    assert (state.controller, state.status, state.besieger) == (
        "GOV_SY",
        ControlStatus.CONTESTED,
        "ISIS",
    )
    assert on([part, siege, broken], 6).status is ControlStatus.CONTESTED
    assert on([siege, broken], 6).status is ControlStatus.HELD  # whole, the siege lifted


def test_a_coarse_capture_gives_way_to_a_finer_one_of_the_same_side():
    """ "captured X last year" (2016, year precision) and "captured X in August 2016": the
    town changes hands in August, not on the first of January."""
    year = ev(0, EventKind.CAPTURED, "SDF", "SDF", precision=Precision.YEAR)
    august = ev(150, EventKind.CAPTURED, "SDF", "SDF", precision=Precision.MONTH)
    assert on([year, august], 10) is None
    assert on([year, august], 151).controller == "SDF"
    assert on([year], 10).controller == "SDF"  # alone, the coarse date stands


def test_a_loss_to_no_named_side_goes_to_the_side_fighting_for_the_place():
    """IS held Mosul; Iraqi forces held part of it; "IS has lost Mosul": Iraqi forces."""
    held = ev(0, EventKind.HELD_BY, "ISIS", "ISIS")
    part = ev(1, EventKind.HELD_BY, "GOV_IQ", None, rule="under-control:district-of-name+partial")
    lost = ev(5, EventKind.LOST, "ISIS", None)
    state = on([held, part, lost], 6)
    assert (state.controller, state.status) == ("GOV_IQ", ControlStatus.HELD)
    alone = on([held, lost], 6)  # no contender: nobody named
    assert alone is None or alone.controller is None


def test_a_capture_from_a_side_days_after_a_partial_one_says_who_held_it_before():
    """ "we captured the city center" on Wednesday, "captured the town from IS" on Thursday:
    IS held the town before, as when the capture from IS opens the story."""
    from dataclasses import replace

    part = ev(10, EventKind.CAPTURED, "TFSA", None, rule="capture:obj:center+partial")
    full = replace(ev(11, EventKind.CAPTURED, "TFSA", "TFSA"), previous="ISIS")
    assert on([part, full], 5).controller == "ISIS"
    assert on([full], 5).controller == "ISIS"
    assert on([part], 5) is None  # a partial capture alone says nothing of before
