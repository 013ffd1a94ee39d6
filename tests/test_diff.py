"""`geomap diff`: the laws, the formats, and the seed facts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.diff import apply_diff, diff_timeline
from geomap.timeline import build_timeline, state_at
from tests.conftest import assert_clean_error, copy_db, run_cli
from tests.test_timeline import D, event_strategy


def key(states):
    return {pid: (s.controller, s.status, s.besieger) for pid, s in states.items()}


days = st.integers(-5, 70).map(lambda n: D + dt.timedelta(days=n))


@settings(max_examples=150, deadline=None)
@given(st.lists(event_strategy, max_size=12), days)
def test_diff_of_a_date_with_itself_is_empty(events, day):
    assert diff_timeline(build_timeline(events), day, day).changes == ()


@settings(max_examples=150, deadline=None)
@given(st.lists(event_strategy, max_size=12), days, days)
def test_applying_the_diff_to_the_first_state_gives_the_second(events, d1, d2):
    timeline = build_timeline(events)
    applied = apply_diff(state_at(timeline, d1), diff_timeline(timeline, d1, d2).changes)
    assert key(applied) == key(state_at(timeline, d2))


@settings(max_examples=150, deadline=None)
@given(st.lists(event_strategy, max_size=12), days, days)
def test_reverse_diff_is_the_inverse(events, d1, d2):
    timeline = build_timeline(events)
    forward = {
        c.place.id: (c.before, c.after, c.round_trip)
        for c in diff_timeline(timeline, d1, d2).changes
    }
    backward = {
        c.place.id: (c.after, c.before, c.round_trip)
        for c in diff_timeline(timeline, d2, d1).changes
    }
    assert forward == backward


def test_round_trip_inside_the_window_is_listed():
    from geomap.model import EventKind
    from tests.test_timeline import ev

    events = [
        ev(0, EventKind.HELD_BY, "ISIS", "ISIS"),
        ev(5, EventKind.CAPTURED, "GOV_SY", "GOV_SY"),
        ev(9, EventKind.CAPTURED, "ISIS", "ISIS", article="b"),
    ]
    diff = diff_timeline(
        build_timeline(events), D + dt.timedelta(days=1), D + dt.timedelta(days=20)
    )
    [change] = diff.changes
    assert change.round_trip and change.before.controller == change.after.controller == "ISIS"
    assert len(change.events) == 2


@pytest.fixture(scope="module")
def db(tmp_path_factory, sample_db_built):
    """`geomap ingest` of the dated samples (made once a session; this module's copy)."""
    return copy_db(sample_db_built, tmp_path_factory.mktemp("diff") / "d.db")


def test_diff_json_contract_and_palmyra(db):
    result = run_cli("diff", "2016-12-15", "2017-03-05", "--db", str(db), "-f", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["from"], data["to"]) == ("2016-12-15", "2017-03-05")
    changes = {c["id"]: c for c in data["changes"]}
    palmyra = changes["sy-palmyra"]
    assert set(palmyra) >= {"id", "name", "kind", "lat", "lon", "before", "after", "events"}
    assert (palmyra["before"]["controller"], palmyra["after"]["controller"]) == ("ISIS", "GOV_SY")
    assert set(palmyra["after"]) >= {"controller", "status", "since"}
    assert any(e["date"] == "2017-03-02" and e["kind"] == "recaptured" for e in palmyra["events"])
    assert all(
        set(e) >= {"date", "kind", "actor", "sentence", "source", "article"}
        for e in palmyra["events"]
    )
    assert data["summary"]["GOV_SY"]["gained"]["towns"] >= 1


def test_diff_table_fits_a_terminal(db):
    result = run_cli("diff", "2016-12-15", "2017-03-05", "--db", str(db))
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("Changes 2016-12-15 -> 2017-03-05:")
    assert all(len(line) <= 100 for line in lines[:-1])
    assert any(line.startswith("Palmyra") and "GOV_SY held" in line for line in lines)
    assert lines[-1].startswith("Summary: ")


def test_diff_csv_and_markdown(db):
    out = run_cli("diff", "2016-12-15", "2017-03-05", "--db", str(db), "-f", "csv").out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and set(rows[0]) >= {"id", "place", "kind", "before", "after", "evidence"}
    md = run_cli("diff", "2016-12-15", "2017-03-05", "--db", str(db), "-f", "md").out
    assert "| place | kind | before | after | last event |" in md and "**Palmyra**" in md


def test_diff_filters(db):
    out = run_cli(
        "diff",
        "2016-12-15",
        "2017-03-05",
        "--db",
        str(db),
        "-f",
        "json",
        "--place-kind",
        "town",
        "--actor",
        "GOV_SY",
    ).out
    kinds = {c["kind"] for c in json.loads(out)["changes"]}
    assert kinds == {"town"}


def test_dates_outside_the_data_are_fine(db):
    result = run_cli("diff", "1990-01-01", "1990-02-01", "--db", str(db), "-f", "json")
    assert result.code == 0 and json.loads(result.out)["changes"] == []


def test_d1_after_d2_is_a_clean_error(db):
    assert_clean_error(
        run_cli("diff", "2017-03-05", "2016-12-15", "--db", str(db)), 2, "expected D1 <= D2"
    )


def test_malformed_diff_date(db):
    assert_clean_error(
        run_cli("diff", "2017-3-5x", "2017-03-06", "--db", str(db)), 2, "D1: expected a date"
    )
