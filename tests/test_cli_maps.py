"""`geomap map / maps / distances` as a user runs them, and the maps in a real browser."""

from __future__ import annotations

import json
import re

import pytest

from geomap.model import SITE_KINDS, PlaceKind
from tests import browser
from tests.conftest import assert_clean_error, copy_db, run_cli

SITES = {k.value for k in SITE_KINDS}


@pytest.fixture(scope="module")
def db(tmp_path_factory, sample_db_built):
    """`geomap ingest` of the dated samples (made once a session; this module's copy)."""
    return copy_db(sample_db_built, tmp_path_factory.mktemp("maps") / "m.db")


def sites_on(db, day):
    rows = json.loads(run_cli("state", "--date", day, "--db", str(db), "-f", "json").out)
    return {r["id"]: r for r in rows if r["kind"] in SITES}


def test_map_writes_one_offline_file_with_every_place(tmp_path, db, chromium):
    out = tmp_path / "m.html"
    result = run_cli("map", "--date", "2017-03-03", "--db", str(db), "-o", str(out))
    assert result.code == 0 and result.out.strip() == str(out)
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["']https?://""", html)
    page = browser.inspect_page(chromium, out, click_marker="sy-palmyra")
    assert page.console_errors == [] and page.blocked == []
    assert sorted(page.marker_ids) == sorted(sites_on(db, "2017-03-03"))
    assert page.has_title and "2017-03-03" in page.title_text and page.has_legend
    assert (
        page.popup_text and "Palmyra" in page.popup_text and "Syrian government" in page.popup_text
    )
    assert page.non_blank and page.pwned is None


def test_same_database_and_arguments_give_the_same_bytes(tmp_path, db):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    for path in (a, b):
        assert run_cli("map", "--date", "2017-03-03", "--db", str(db), "-o", str(path)).code == 0
    assert a.read_bytes() == b.read_bytes()


def test_png_and_fragment_for_reports(tmp_path, db):
    png, frag = tmp_path / "m.png", tmp_path / "frag.html"
    result = run_cli(
        "map",
        "--date",
        "2017-03-03",
        "--db",
        str(db),
        "-o",
        str(tmp_path / "m.html"),
        "--png",
        str(png),
        "--fragment",
        str(frag),
    )
    assert result.code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and browser.is_non_blank(png.read_bytes())
    assert frag.read_text(encoding="utf-8").startswith("<iframe")


def test_png_for_print_at_300_dpi_with_the_distance_asked_for(tmp_path, db):
    from PIL import Image

    png = tmp_path / "print.png"
    args = ["map", "--date", "2017-03-03", "--db", str(db), "-o", str(tmp_path / "m.html")]
    result = run_cli(*args, "--png", str(png), "--dpi", "300", "--distance", "Tabqa Dam:Raqqa")
    assert result.code == 0, result.err
    with Image.open(png) as image:
        assert image.width > 3000  # 11 inches at 300 dpi
        assert round(image.info["dpi"][0]) == 300


def test_tiles_are_an_option(tmp_path, db):
    out = tmp_path / "t.html"
    assert (
        run_cli(
            "map", "--date", "2017-03-03", "--db", str(db), "-o", str(out), "--tiles", "osm"
        ).code
        == 0
    )
    assert "tile.openstreetmap.org" in out.read_text(encoding="utf-8")


def test_user_distance_line(tmp_path, db):
    out = tmp_path / "d.html"
    result = run_cli(
        "map",
        "--date",
        "2017-03-03",
        "--db",
        str(db),
        "-o",
        str(out),
        "--distance",
        "Tabqa Dam:Raqqa",
    )
    assert result.code == 0
    assert re.search(r"4[01]\.\d km measured", out.read_text(encoding="utf-8"))


def test_series_with_a_date_slider(tmp_path, db, chromium):
    result = run_cli(
        "maps",
        "--start",
        "2016-12-01",
        "--end",
        "2017-03-01",
        "--every",
        "1m",
        "--db",
        str(db),
        "-o",
        str(tmp_path),
    )
    assert result.code == 0
    index = tmp_path / "index.html"
    assert result.out.strip() == str(index)
    assert sorted(p.name for p in tmp_path.glob("map-*.html")) == [
        "map-2016-12-01.html",
        "map-2017-01-01.html",
        "map-2017-02-01.html",
        "map-2017-03-01.html",
    ]
    page = browser.inspect_page(chromium, index, slide_to=3)
    assert page.console_errors == [] and page.blocked == []
    assert page.slider_label and "2017-03-01" in page.slider_label


def test_date_before_any_event_is_an_honest_empty_map(tmp_path, db, chromium):
    out = tmp_path / "early.html"
    result = run_cli("map", "--date", "1999-01-01", "--db", str(db), "-o", str(out))
    assert result.code == 0
    page = browser.inspect_page(chromium, out)
    assert (
        page.markers == 0 and page.note_text and "No known control on 1999-01-01" in page.note_text
    )


def test_distances_command_judges_claims(db):
    rows = json.loads(run_cli("distances", "--db", str(db), "-f", "json").out)
    dam = [r for r in rows if r["place_id"] == "sy-tabqa-dam" and r["to_id"] == "sy-raqqa"]
    dam = [r for r in dam if r["claimed_km"] == 40.0]  # not the IS statement's "only 5 km"
    assert dam and 39 <= dam[0]["measured_km"] <= 43
    assert dam[0]["verdict"] == "consistent"
    false = [r for r in rows if r["claimed_km"] == 5.0 and r["to_id"] == "sy-raqqa"]
    assert false and false[0]["verdict"] == "inconsistent"
    border = [
        r for r in rows if r["relation"] == "place_to_border" and r["place_id"] == "sy-al-bab"
    ]
    assert border and abs(border[0]["measured_km"] - border[0]["claimed_km"]) < 8


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["map", "--date", "2017-13-01"], "--date: expected a date"),
        (["maps", "--start", "2017-03-01", "--end", "2017-01-01"], "expected --start <= --end"),
        (
            ["maps", "--start", "2017-01-01", "--end", "2017-03-01", "--every", "fortnightly"],
            "--every: expected a step like 7d",
        ),
        (
            ["map", "--date", "2017-03-03", "--distance", "Atlantis:Raqqa"],
            "unknown place 'Atlantis'",
        ),
        (["map", "--date", "2017-03-03", "--tiles", "javascript:alert(1)"], "tiles"),
        (["map", "--date", "2017-03-03", "--png", "x.png", "--dpi", "5"], "--dpi: expected"),
    ],
)
def test_bad_map_input(db, tmp_path, args, fragment):
    assert_clean_error(run_cli(*args, "--db", str(db), "-o", str(tmp_path / "x")), 2, fragment)


def test_unwritable_output_path_is_a_clean_error(db, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("map", "--date", "2017-03-03", "--db", str(db), "-o", str(blocker / "m.html"))
    assert_clean_error(result, 2, str(blocker))


def test_empty_database_map_has_a_note(tmp_path):
    empty = tmp_path / "empty.db"
    assert run_cli("ingest", str(tmp_path / "nothing*.txt"), "--db", str(empty)).code == 1
    out = tmp_path / "e.html"
    result = run_cli("map", "--date", "2017-03-03", "--db", str(empty), "-o", str(out))
    assert result.code == 0 and "No events in the database yet" in out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory, seed_db_built):
    """`geomap ingest` of each seed (made once a session; this module's copy)."""
    return copy_db(seed_db_built, tmp_path_factory.mktemp("seedmaps") / "s.db")


def payload_colours(html):
    """Place id -> fill colour, from the map's inert JSON payload."""
    found = {}
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S):
        try:
            data = json.loads(block)
        except json.JSONDecodeError:
            continue
        for item in data if isinstance(data, list) else data.get("places", []):
            if isinstance(item, dict) and "id" in item:
                found[item["id"]] = json.dumps(item)
    return found


@pytest.mark.parametrize(
    ("day", "place", "colour"),
    [
        ("2017-03-03", "sy-palmyra", "#d62728"),
        ("2017-03-03", "sy-al-bab", "#2e8b57"),
        ("2016-12-15", "sy-palmyra", "#1a1a1a"),
    ],
)
def test_seed_maps_colour_places_by_controller(seed_db, tmp_path, day, place, colour):
    out = tmp_path / f"{day}.html"
    assert run_cli("map", "--date", day, "--db", str(seed_db), "-o", str(out)).code == 0
    places = payload_colours(out.read_text(encoding="utf-8"))
    assert colour in places[place].lower()


def test_seed_tabqa_dam_line_reads_40_claimed_41_measured(seed_db, tmp_path):
    out = tmp_path / "dam.html"
    assert run_cli("map", "--date", "2016-06-05", "--db", str(seed_db), "-o", str(out)).code == 0
    html = out.read_text(encoding="utf-8")
    assert re.search(r"40 ?km claimed[^\"<]*4[01]\.\d km measured", html)


def test_place_kinds_without_markers_are_not_counted():
    assert PlaceKind.PROVINCE.value not in SITES and PlaceKind.DAM.value in SITES
