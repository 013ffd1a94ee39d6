"""Places the data lacks: found in text, stored, loaded with their events, listed, mapped."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import pytest

from geomap.gazetteer import FOUND_PREFIX, UnknownPlace
from geomap.model import (
    Article,
    ClaimStatus,
    ControlStatus,
    Event,
    EventKind,
    Place,
    PlaceKind,
    PlaceState,
    Precision,
)
from geomap.pipeline import found_places, ingest, load_events, states_on
from geomap.store import open_store
from tests.conftest import assert_clean_error, run_cli

ANCHORED = "IS fled the village of Qurt Wazzan, 10 km north of Manbij, on Sunday."
ARTICLES = {
    "a.txt": "date: 2017-03-02\n\n"
    + ANCHORED
    + " Clashes erupted in the Bab Wazzun district. The army stormed Qarn Wazzun hill near"
    " Palmyra.\n",
    "b.txt": "date: 2017-03-05\n\nKurdish fighters entered the village of Qurt Wazan, 12 km"
    " north of Manbij.\n",
}
QURT = "found:kurt-wazan:village:sy-manbij"


@pytest.fixture()
def corpus(tmp_path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture()
def db(tmp_path, corpus) -> Path:
    path = tmp_path / "g.db"
    ingest([corpus], path)
    return path


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def on_found(place: Place, article_id: str, day: dt.date = dt.date(2017, 3, 2)) -> Event:
    return Event(
        place=place,
        kind=EventKind.CAPTURED,
        actor="SDF",
        controller_after="SDF",
        date=day,
        precision=Precision.DAY,
        status=ClaimStatus.ASSERTED,
        evidence="SDF fighters seized the village of Qurt Wazzan, 10 km north of Manbij.",
        article_id=article_id,
        confidence=0.8,
        rule="test",
        surface=place.name,
    )


# ------------------------------------------------------------------------ found_place
def test_found_place_is_an_approximate_place_with_a_stable_id(gaz):
    [unknown] = gaz.unknown_places(ANCHORED)
    place = gaz.found_place(unknown)
    assert place is not None
    assert (place.id, place.name, place.kind) == (QURT, "Qurt Wazzan", PlaceKind.VILLAGE)
    assert place.id.startswith(FOUND_PREFIX) and place.id not in gaz.places
    assert (place.lat, place.lon) == (unknown.lat, unknown.lon)
    assert (place.country, place.admin1, place.near) == ("SY", "Aleppo", "sy-manbij")
    assert not place.curated and place.tolerance_km == 2.5
    assert place.source == "text: 10 km north of Manbij (±2.5 km)"
    # Another spelling, distance and article: the same place.
    [other] = gaz.unknown_places("They reached the village of Qurt Wazan, 12 km north of Manbij.")
    assert gaz.found_place(other).id == place.id


def test_found_place_of_an_unanchored_name_is_none(gaz):
    [alone] = gaz.unknown_places("Clashes erupted in the Bab Wazzun district.")
    assert gaz.found_place(alone) is None


# ------------------------------------------------------------------------ ingest, store
def test_ingest_stores_every_found_place_once_even_when_run_twice(db, corpus):
    sql = "SELECT id, surface, kind, anchor_id, lat IS NULL FROM found_places ORDER BY id, surface"
    first = rows(db, sql)
    assert first == [
        ("found:bab-wazun:neighbourhood", "Bab Wazzun", "neighbourhood", None, 1),
        ("found:karn-wazun:mountain:sy-palmyra", "Qarn Wazzun", "mountain", "sy-palmyra", 0),
        (QURT, "Qurt Wazan", "village", "sy-manbij", 0),
        (QURT, "Qurt Wazzan", "village", "sy-manbij", 0),
    ]
    again = ingest([corpus], db)
    assert again.articles_new == 0 and rows(db, sql) == first


def test_an_older_database_gets_the_table_and_keeps_its_rows(tmp_path, corpus):
    path = tmp_path / "old.db"
    ingest([corpus], path)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE found_places")
    with open_store(path, create=False) as store:
        assert store.found_places() == []  # created on opening, empty
        assert store.counts()["articles"] == 2
    assert rows(path, "SELECT COUNT(*) FROM found_places") == [(0,)]


def test_an_event_on_a_found_place_survives_the_store_round_trip(gaz, tmp_path):
    [unknown] = gaz.unknown_places(ANCHORED)
    place = gaz.found_place(unknown)
    article = Article("art-found", ANCHORED, dt.date(2017, 3, 2))
    event = on_found(place, article.id)
    db = tmp_path / "e.db"
    with open_store(db) as store, store.transaction():
        assert store.add_article(article, [], [event], found=[unknown])
    [back] = load_events(db, gaz=gaz)
    assert back == event and back.place == place
    state = states_on(dt.date(2017, 3, 10), db)[place.id]
    assert (state.controller, state.status) == ("SDF", ControlStatus.HELD)


def test_an_event_on_an_unanchored_name_is_left_out_on_loading(gaz, tmp_path):
    [alone] = gaz.unknown_places("Clashes erupted in the Bab Wazzun district.")
    ghost = Place("found:bab-wazun:neighbourhood", "Bab Wazzun", alone.kind, 0.0, 0.0, "")
    article = Article(
        "art-alone", "Clashes erupted in the Bab Wazzun district.", dt.date(2017, 1, 1)
    )
    with open_store(tmp_path / "u.db") as store, store.transaction():
        store.add_article(article, [], [on_found(ghost, article.id)], found=[alone])
    assert load_events(tmp_path / "u.db", gaz=gaz) == []


def test_found_places_gathers_mentions_and_keeps_the_most_precise_point(db):
    listed = {f.id: f for f in found_places(db)}
    qurt = listed[QURT]
    assert qurt.place is not None and qurt.place.tolerance_km == 2.5  # 10 km beats 12 km
    assert (qurt.name, qurt.spellings, qurt.mentions) == (
        "Qurt Wazzan",
        ("Qurt Wazzan", "Qurt Wazan"),
        2,
    )
    assert (qurt.first_seen, qurt.last_seen) == (dt.date(2017, 3, 2), dt.date(2017, 3, 5))
    assert listed["found:bab-wazun:neighbourhood"].place is None
    assert [f.id for f in found_places(db, "mountain")] == ["found:karn-wazun:mountain:sy-palmyra"]


def test_dask_parquet_carries_found_places_and_events_on_them(gaz, tmp_path):
    pytest.importorskip("pyarrow")
    from geomap import distributed

    [unknown] = gaz.unknown_places(ANCHORED)
    article = Article("art-found", ANCHORED, dt.date(2017, 3, 2), path="a.txt")
    record = (article, [], [on_found(gaz.found_place(unknown), article.id)], [], [], [unknown])
    month = distributed._part_rows(0, [record])["2017-03"]
    tables = {t: distributed._arrow(distributed._SPECS[t], month[t]) for t in distributed.TABLES}
    writer = distributed._PartWriter(tmp_path / "parquet")
    writer.add(tables, {"2017-03": {t: (0, len(month[t])) for t in distributed.TABLES}})
    writer.flush()
    assert list(distributed.read_records(tmp_path / "parquet")) == [record]
    distributed.load_parquet(tmp_path / "parquet", tmp_path / "p.db")
    assert load_events(tmp_path / "p.db", gaz=gaz) == record[2]
    assert [f.id for f in found_places(tmp_path / "p.db")] == [QURT]


# ------------------------------------------------------------------------ CLI
def test_places_unknown_lists_placed_and_unplaced_places(db):
    result = run_cli("places", "unknown", "--db", str(db))
    assert result.code == 0, result.err
    lines = {line.split()[0]: line for line in result.out.splitlines()[1:]}
    assert "not placed" in lines["Bab"]
    assert "Manbij" in lines["Qurt"] and "10 km north of Manbij (±2.5 km)" in lines["Qurt"]
    assert "near Palmyra (±10 km)" in lines["Qarn"]


def test_places_unknown_json_contract(db):
    result = run_cli("places", "unknown", "--db", str(db), "-f", "json")
    assert result.code == 0, result.err
    data = {r["id"]: r for r in json.loads(result.out)}
    keys = {
        "id", "name", "kind", "placed", "lat", "lon", "tolerance_km", "approximate", "anchor",
        "distance_km", "bearing", "country", "admin1", "spellings", "mentions", "articles",
        "first_seen", "last_seen",
    }  # fmt: skip
    assert all(keys <= set(r) for r in data.values())
    qurt = data[QURT]
    assert qurt["placed"] and qurt["anchor"] == {"id": "sy-manbij", "name": "Manbij"}
    assert (qurt["distance_km"], qurt["bearing"], qurt["tolerance_km"]) == (10.0, 0.0, 2.5)
    assert qurt["approximate"] == "10 km north of Manbij (±2.5 km)" and len(qurt["articles"]) == 2
    alone = data["found:bab-wazun:neighbourhood"]
    assert not alone["placed"] and alone["lat"] is None and alone["anchor"] is None


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--kind", "castle"), "expected --kind to be one of"),
        (("--db", "missing.db"), "no database here"),
    ],
)
def test_places_unknown_bad_input_is_one_line(tmp_path, args, fragment):
    result = run_cli("places", "unknown", *args, cwd=tmp_path)
    assert_clean_error(result, 2, fragment)


# ------------------------------------------------------------------------ maps
def payload(document: str, data_id: str) -> dict:
    match = re.search(
        rf'<script type="application/json" id="{data_id}"[^>]*>(.*?)</script>', document, re.S
    )
    assert match, f"no {data_id} payload"
    return json.loads(match.group(1))


def test_map_draws_anchored_found_places_approximate_and_leaves_the_others_out(db, tmp_path):
    out = tmp_path / "map.html"
    result = run_cli("map", "--date", "2017-03-10", "--db", str(db), "-o", str(out), "--no-areas")
    assert result.code == 0, result.err
    page = out.read_text(encoding="utf-8")
    shapes = {s["id"]: s for s in payload(page, "geomap-found")["places"]}
    assert set(shapes) == {QURT, "found:karn-wazun:mountain:sy-palmyra"}  # Bab Wazzun: not placed
    assert shapes[QURT]["r"] == 2500.0
    assert "approximate: 10 km north of Manbij" in shapes[QURT]["p"]
    assert "Approximate places" in page and "geomap-key-found" in page
    # Before the articles that name them, they are not on the map.
    early = tmp_path / "early.html"
    run_cli("map", "--date", "2017-01-01", "--db", str(db), "-o", str(early), "--no-areas")
    assert '"geomap-found"' not in early.read_text(encoding="utf-8")


def test_hostile_found_place_is_escaped_in_the_map(gaz):
    from geomap.render import render_map
    from geomap.render.output import render_html

    evil = Place(
        "found:evil:village:sy-manbij",
        '<script>window.__pwned=1</script><img src=x onerror="alert(1)">',
        PlaceKind.VILLAGE,
        36.6,
        37.95,
        "SY",
        source="text: 10 km north of <b>Manbij</b> {{ x }} (±2.5 km)",
        curated=False,
        tolerance_km=2.5,
    )
    held = PlaceState(evil, "SDF", ControlStatus.HELD, dt.date(2017, 3, 2))
    page = render_html(render_map({evil.id: held}, dt.date(2017, 3, 3), gaz.actors, found=[evil]))
    # Payloads are inert JSON (no "</script>" can close them); HTML in them is escaped.
    assert "</script><img" not in page and "<b>Manbij" not in page
    [shape] = payload(page, "geomap-found")["places"]
    for html in (shape["p"], shape["t"]):
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html and "<script" not in html
    assert "&lt;b&gt;Manbij&lt;/b&gt; {{ x }}" in shape["p"]
    [marker] = payload(page, "geomap-places")["places"]  # it changed hands: a marker too
    assert "approximate: 10 km north of &lt;b&gt;Manbij" in marker["p"]


def test_unknown_place_record_is_plain_data():
    # UnknownPlace rows go to Parquet: every field a plain column (the anchor by id).
    from geomap.distributed import _COLUMNS

    assert [c.name for c in _COLUMNS[UnknownPlace]][4] == "anchor_id"
