"""`geomap ingest / events / state / timeline` as a user runs them, on the sample corpus."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DATED, ROOT, SAMPLE, assert_clean_error, copy_db, run_cli


@pytest.fixture(scope="module")
def db(tmp_path_factory, sample_db_built):
    """`geomap ingest` of the dated samples (made once a session; this module's copy)."""
    return copy_db(sample_db_built, tmp_path_factory.mktemp("db") / "sample.db")


def counts(path):
    with sqlite3.connect(path) as conn:
        return {
            t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("articles", "mentions", "events")
        }


def test_ingest_summary_names_articles_mentions_and_events(tmp_path):
    result = run_cli("ingest", *DATED, "--db", str(tmp_path / "a.db"))
    assert result.code == 0
    first = result.out.splitlines()[0]
    assert first.startswith("ingested 20 articles from 12 files") and "(20 new, 0 already" in first
    assert "mentions: " in result.out and "captured" in result.out


def test_reingest_adds_nothing(db):
    before = counts(db)
    result = run_cli("ingest", *DATED, "--db", str(db), "-q")
    assert result.code == 0 and "(0 new, 20 already stored)" in result.out
    assert counts(db) == before


def test_undated_article_is_reported_and_skipped_with_exit_one(tmp_path):
    result = run_cli("ingest", str(SAMPLE / "undated"), "--db", str(tmp_path / "u.db"))
    assert result.code == 1
    assert "has no date; pass --published DATE" in result.out
    ok = run_cli(
        "ingest",
        str(SAMPLE / "undated"),
        "--db",
        str(tmp_path / "u.db"),
        "--published",
        "2015-01-27",
    )
    assert ok.code == 0 and "(1 new" in ok.out


def test_bad_file_in_a_batch_is_reported_and_the_rest_goes_on(tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02binary" * 100)
    result = run_cli("ingest", str(bad), DATED[0], "--db", str(tmp_path / "b.db"))
    assert result.code == 1
    assert f"{bad}: binary file; expected text" in result.out
    assert counts(tmp_path / "b.db")["articles"] == 1


def test_events_json_contract(db):
    result = run_cli("events", "--db", str(db), "-f", "json")
    assert result.code == 0
    events = json.loads(result.out)
    keys = {
        "id",
        "place",
        "kind",
        "actor",
        "controller_after",
        "date",
        "precision",
        "status",
        "attribution",
        "sentence",
        "article",
        "source",
        "confidence",
        "rule",
    }
    assert events and all(keys <= set(e) for e in events)
    assert all(set(e["place"]) >= {"id", "name", "kind", "lat", "lon"} for e in events)


def test_events_filters(db):
    result = run_cli(
        "events",
        "--db",
        str(db),
        "--place",
        "Tadmur",
        "--actor",
        "GOV_SY",
        "--since",
        "2017-01-01",
        "-f",
        "json",
    )
    events = json.loads(result.out)
    assert events and all(e["place"]["id"] == "sy-palmyra" for e in events)
    assert all(e["date"] >= "2017-01-01" for e in events)
    assert any(e["kind"] == "recaptured" and e["date"] == "2017-03-02" for e in events)


def test_events_csv_has_a_header(db):
    out = run_cli("events", "--db", str(db), "-f", "csv").out.splitlines()
    assert out[0].startswith("id,date,precision,place_id,place,kind,actor")


def test_state_json_contract_and_facts(db):
    result = run_cli("state", "--date", "2017-03-03", "--db", str(db), "-f", "json")
    rows = {r["id"]: r for r in json.loads(result.out)}
    keys = {
        "id",
        "name",
        "kind",
        "lat",
        "lon",
        "country",
        "controller",
        "status",
        "since",
        "evidence",
    }
    assert all(keys <= set(r) for r in rows.values())
    assert rows["sy-palmyra"]["controller"] == "GOV_SY"
    assert rows["sy-al-bab"]["controller"] == "TFSA"
    ev = rows["sy-palmyra"]["evidence"][0]
    assert set(ev) >= {"article", "date", "sentence", "source"}


def test_state_before_any_event_is_empty(db):
    result = run_cli("state", "--date", "1990-01-01", "--db", str(db), "-f", "json")
    assert result.code == 0 and json.loads(result.out) == []


def test_timeline_shows_palmyra_changing_hands(db):
    result = run_cli("timeline", "Palmyra", "--db", str(db), "-f", "json")
    spans = json.loads(result.out)["spans"]
    controllers = [s["controller"] for s in spans]
    assert controllers[-1] == "GOV_SY" and "ISIS" in controllers
    table = run_cli("timeline", "Palmyra", "--db", str(db))
    assert table.code == 0 and table.out.startswith("Palmyra (town, SY)")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["state", "--date", "2017-02-30"], "--date: expected a date like 2017-03-03"),
        (["state", "--date", "tomorrowish"], "--date: expected a date"),
        (["events", "--actor", "MARTIANS"], "unknown actor 'MARTIANS'"),
        (["events", "--since", "13/13/2017"], "--since: expected a date"),
        (["timeline", "Atlantis Springs"], "unknown place 'Atlantis Springs'"),
    ],
)
def test_bad_query_input(db, args, fragment):
    assert_clean_error(run_cli(*args, "--db", str(db)), 2, fragment)


def test_missing_database_is_a_clean_error(tmp_path):
    result = run_cli("state", "--date", "2017-01-01", "--db", str(tmp_path / "none.db"))
    assert_clean_error(result, 2, "no database here; run `geomap ingest` first")


def test_database_that_is_a_folder_or_not_geomap(tmp_path):
    assert_clean_error(run_cli("ingest", DATED[0], "--db", str(tmp_path)), 2, "is a folder")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    assert_clean_error(
        run_cli("state", "--date", "2017-01-01", "--db", str(junk)),
        2,
        "not a usable geomap database",
    )
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert_clean_error(run_cli("ingest", DATED[0], "--db", str(other)), 2, "not a geomap database")


def test_database_from_another_schema_version_is_refused(tmp_path, db):
    old = tmp_path / "old.db"
    old.write_bytes(db.read_bytes())
    with sqlite3.connect(old) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    assert_clean_error(
        run_cli("state", "--date", "2017-01-01", "--db", str(old)), 2, "schema version 0"
    )


def test_analyst_events_file_wins_and_is_validated(tmp_path):
    dbp = tmp_path / "o.db"
    override = tmp_path / "mine.yaml"
    override.write_text(
        "- place: Palmyra\n  kind: captured\n  date: 2017-03-02\n"
        "  actor: ISIS\n  note: analyst says IS kept it\n"
    )
    result = run_cli("ingest", *DATED, "--db", str(dbp), "--events", str(override), "-q")
    assert result.code == 0 and "analyst events loaded: 1" in result.out
    rows = {
        r["id"]: r
        for r in json.loads(
            run_cli("state", "--date", "2017-03-03", "--db", str(dbp), "-f", "json").out
        )
    }
    assert rows["sy-palmyra"]["controller"] == "ISIS"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "place,kind,date,actor\nPalmyra,captured,2017-03-02,GOV_SY\n"
        "Atlantis,captured,2017-03-02,GOV_SY\n"
    )
    before = counts(dbp)
    assert_clean_error(
        run_cli("ingest", *DATED, "--db", str(dbp), "--events", str(bad)),
        2,
        f"{bad}:3: unknown place 'Atlantis'",
    )
    assert counts(dbp) == before


def test_events_file_beside_the_database_is_read(tmp_path, db):
    copy = tmp_path / "geomap.db"
    copy.write_bytes(db.read_bytes())
    (tmp_path / "geomap.events.csv").write_text(
        "place,kind,date,actor\nsy-al-bab,captured,2017-02-23,GOV_SY\n"
    )
    rows = {
        r["id"]: r
        for r in json.loads(
            run_cli("state", "--date", "2017-03-03", "--db", str(copy), "-f", "json").out
        )
    }
    assert rows["sy-al-bab"]["controller"] == "GOV_SY"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("place,kind,date\nPalmyra,captured,2017-13-01\n", ":2: bad date '2017-13-01'"),
        ("place,kind,date,actor\nPalmyra,captured,2017-03-01,MARTIANS\n", ":2: unknown actor"),
        ("place,kind,date\nPalmyra,exploded,2017-03-01\n", ":2: unknown kind 'exploded'"),
        ("place,date\nPalmyra,2017-03-01\n", ":1: missing columns: kind"),
    ],
)
def test_bad_events_file_rows_name_the_line(tmp_path, content, fragment):
    path = tmp_path / "e.csv"
    path.write_text(content)
    result = run_cli("ingest", DATED[0], "--db", str(tmp_path / "x.db"), "--events", str(path))
    assert_clean_error(result, 2, fragment)


def test_two_workers_give_the_same_events_as_one(tmp_path, db):
    two = tmp_path / "two.db"
    assert run_cli("ingest", *DATED, "--db", str(two), "--workers", "2", "-q").code == 0
    one = json.loads(run_cli("events", "--db", str(db), "-f", "json").out)
    other = json.loads(run_cli("events", "--db", str(two), "-f", "json").out)
    assert sorted(e["id"] for e in one) == sorted(e["id"] for e in other)


def test_concurrent_ingests_equal_one_ingest_of_the_union(tmp_path, db):
    shared = tmp_path / "shared.db"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    halves = [DATED[: len(DATED) // 2 + 2], DATED[len(DATED) // 2 - 2 :]]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "geomap", "ingest", *half, "--db", str(shared), "-q"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for half in halves
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert counts(shared) == counts(db)


def test_kill_minus_nine_mid_ingest_leaves_a_usable_database(tmp_path):
    target = tmp_path / "killed.db"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(40):  # enough files that the kill lands mid-ingest
        for path in DATED:
            text = Path(path).read_text(encoding="utf-8")
            (corpus / f"{i:03d}-{os.path.basename(path)}").write_text(f"{text}\n\nCopy {i}.\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "geomap", "ingest", str(corpus), "--db", str(target), "-q"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    partial = 0
    while partial < 40 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if target.exists():
            with contextlib.suppress(sqlite3.Error), sqlite3.connect(target) as conn:
                partial = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        partial = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        assert partial > 0
    result = run_cli("ingest", str(corpus), "--db", str(target), "-q")
    assert result.code == 0, result.err
    done = counts(target)["articles"]
    new = int(re.search(r"\((\d+) new", result.out).group(1))
    assert done > partial and new == done - partial
    again = run_cli("ingest", str(corpus), "--db", str(target), "-q")
    assert "(0 new" in again.out and counts(target)["articles"] == done
