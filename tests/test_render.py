"""geomap.render: dated HTML maps, PNGs, fragments and series pages.

Structure is checked on the HTML (the places payload is JSON in an inert script
element); behaviour in a browser (offline rendering, popups, injection) by the tests
marked ``browser``, which open the files in headless Debian chromium.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import random
import re
from pathlib import Path

import pytest

from geomap.errors import RenderError
from geomap.model import (
    SITE_KINDS,
    ClaimStatus,
    ControlStatus,
    DistanceClaim,
    DistanceRelation,
    Event,
    EventKind,
    Place,
    PlaceKind,
    PlaceState,
    Precision,
)
from geomap.render import map_fragment, render_map, render_png, write_html, write_series_index
from tests import browser

DAY = dt.date(2017, 3, 3)
EXTERNAL_REF = re.compile(r'(src|href)="https?://')
INJECTIONS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "\"quotes' that break attributes",
    "{{ template }}",
    "{% raw %}",
]
EVIL = " ".join(["IS fighters seized the dam", *INJECTIONS])


def _place(pid: str, kind: PlaceKind, lat: float, lon: float, name: str = "") -> Place:
    return Place(pid, name or pid.replace("_", " ").title(), kind, lat, lon, "SY")


def _event(place: Place, actor: str, day: dt.date, evidence: str, source: str = "Reuters") -> Event:
    return Event(
        place=place,
        kind=EventKind.CAPTURED,
        actor=actor,
        controller_after=actor,
        date=day,
        precision=Precision.DAY,
        status=ClaimStatus.ASSERTED,
        evidence=evidence,
        article_id="art-1",
        confidence=0.9,
        rule="test",
        source=source,
    )


RAQQA = _place("raqqa", PlaceKind.CITY, 35.95, 39.01)
TABQA_DAM = _place("tabqa_dam", PlaceKind.DAM, 35.87, 38.57)
TABQA_AIRBASE = _place("tabqa_airbase", PlaceKind.AIRBASE, 35.75, 38.57)
AL_BAB = _place("al_bab", PlaceKind.TOWN, 36.37, 37.52)
BASE = _place("menagh", PlaceKind.MILITARY_BASE, 36.52, 37.28)
OMAR = _place("omar_oilfield", PlaceKind.OILFIELD, 35.07, 40.6)
CROSSING = _place("bab_al_salama", PlaceKind.BORDER_CROSSING, 36.62, 37.03)
VILLAGE = _place("ain_issa", PlaceKind.VILLAGE, 36.39, 38.86)
PROVINCE = Place("raqqa_province", "Raqqa province", PlaceKind.PROVINCE, 35.9, 39.0, "SY")
SITES = 8  # the states below hold 8 sites and 1 province


@pytest.fixture(scope="module")
def actors(gaz):
    return gaz.actors


@pytest.fixture(scope="module")
def states() -> dict[str, PlaceState]:
    old = _event(TABQA_DAM, "ISIS", dt.date(2014, 8, 1), "Older sentence.", source="AFP")
    new = _event(TABQA_DAM, "ISIS", dt.date(2017, 3, 1), EVIL, source="SOHR <b>")
    raqqa = _event(RAQQA, "ISIS", dt.date(2014, 1, 13), "IS took Raqqa.")
    built = [
        PlaceState(RAQQA, "ISIS", ControlStatus.HELD, dt.date(2014, 1, 13), (raqqa,)),
        PlaceState(
            TABQA_DAM, "ISIS", ControlStatus.BESIEGED, dt.date(2014, 8, 1), (new, old), "SDF"
        ),
        PlaceState(TABQA_AIRBASE, "ISIS", ControlStatus.CONTESTED, dt.date(2014, 8, 24)),
        PlaceState(AL_BAB, "TFSA", ControlStatus.HELD, dt.date(2017, 2, 23)),
        PlaceState(BASE, "GOV_SY", ControlStatus.DISPUTED, None),
        PlaceState(OMAR, "NOT_AN_ACTOR", ControlStatus.HELD, None),
        PlaceState(CROSSING, None, ControlStatus.UNKNOWN, None),
        PlaceState(VILLAGE, "SDF", ControlStatus.HELD, dt.date(2016, 10, 1)),
        PlaceState(PROVINCE, "ISIS", ControlStatus.HELD, dt.date(2014, 1, 13)),
    ]
    # Deliberately not in id order: the map must sort.
    return {s.place.id: s for s in reversed(built)}


@pytest.fixture(scope="module")
def claims() -> list[DistanceClaim]:
    return [
        DistanceClaim(
            DistanceRelation.PLACE_TO_PLACE, TABQA_DAM, 40.0, "40km", "", DAY,
            "the Tabqa dam, 40km upstream from <b>Raqqa</b>", "art-2", other=RAQQA,
        ),
        DistanceClaim(
            DistanceRelation.FORCE_TO_PLACE, TABQA_AIRBASE, 10.0, "6 miles (10 km)", "within", DAY,
            "troops to within 10km of the airbase", "art-3", actor="SDF",
        ),
        DistanceClaim(
            DistanceRelation.PLACE_TO_BORDER, AL_BAB, 30.0, "30 km", "", DAY,
            "30 km south of the Turkish border", "art-4", border="TR",
        ),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def full_map(states, actors, claims):
    spellings = {"tabqa_dam": ["Tabqa dam", "al-Thawra <dam>", "Tabqa dam"]}
    return render_map(
        states, DAY, actors, title="Raqqa <campaign>", distances=claims, spellings=spellings
    )


@pytest.fixture(scope="module")
def page(full_map) -> str:
    return map_html(full_map)


def map_html(m) -> str:
    from geomap.render.output import render_html

    return render_html(m)


def payload(document: str, data_id: str = "geomap-places") -> dict:
    match = re.search(
        rf'<script type="application/json" id="{data_id}"[^>]*>(.*?)</script>', document, re.S
    )
    assert match, f"no {data_id} payload"
    return json.loads(match.group(1))


def popup_of(document: str, place_id: str) -> str:
    return next(p["p"] for p in payload(document)["places"] if p["id"] == place_id)


# --- structure -------------------------------------------------------------------------


def test_every_site_gets_one_marker_in_id_order_and_areas_none(page):
    ids = [p["id"] for p in payload(page)["places"]]
    assert ids == sorted(
        s.id for s in (RAQQA, TABQA_DAM, TABQA_AIRBASE, AL_BAB, BASE, OMAR, CROSSING, VILLAGE)
    )
    assert len(ids) == SITES and "raqqa_province" not in ids


def test_areas_are_listed_in_the_legend_with_their_controller(page):
    legend = re.search(r'<details class="geomap-legend".*?</details>', page, re.S).group(0)
    assert "Areas (not drawn)" in legend
    assert "Raqqa province (province): Islamic State, held" in legend


def test_legend_lists_actors_present_symbols_and_statuses(page, actors):
    legend = re.search(r'<details class="geomap-legend".*?</details>', page, re.S).group(0)
    for code in ("ISIS", "SDF", "TFSA", "GOV_SY"):
        assert html.escape(actors[code].name) in legend
        assert f"background:{actors[code].colour.lower()}" in legend
    assert "Unknown" in legend and "Iraqi government" not in legend
    for label in ("dam", "airbase", "military base", "oil or gas field", "border crossing"):
        assert label in legend
    for status in ("contested", "besieged", "disputed"):
        assert status in legend


def test_title_box_and_page_title_carry_the_date_escaped(page):
    assert '<time datetime="2017-03-03">2017-03-03</time>' in page
    assert "Raqqa &lt;campaign&gt;" in page
    assert "<title>Raqqa &lt;campaign&gt; — 2017-03-03</title>" in page
    assert "<campaign>" not in page


def test_layer_control_has_one_layer_per_actor_plus_unknown_distances_borders(page):
    names = re.findall(r'"([^"]+)" : feature_group_\d+', page)
    assert names == [
        "Borders",
        "Islamic State",
        "Syrian Democratic Forces",
        "Syrian government",
        "Turkish-backed rebels",
        "Unknown",
        "Distances",
    ]


def test_places_of_unknown_actors_are_grey_and_in_the_unknown_layer(page):
    data = payload(page)
    omar = next(p for p in data["places"] if p["id"] == "omar_oilfield")
    crossing = next(p for p in data["places"] if p["id"] == "bab_al_salama")
    assert omar["g"] == crossing["g"] == 4  # "Unknown", last of the actor layers
    assert "NOT_AN_ACTOR" in omar["t"]
    assert "#9e9e9e" in _sprite_svg(data)


def _sprite_svg(data: dict) -> str:
    import base64

    return base64.b64decode(data["sprite"]["svg"].split(",", 1)[1]).decode()


@pytest.mark.parametrize(
    ("place_id", "css"),
    [
        ("raqqa", "geomap-symbol-settlement geomap-status-held"),
        ("tabqa_dam", "geomap-symbol-dam geomap-status-besieged"),
        ("tabqa_airbase", "geomap-symbol-airbase geomap-status-contested"),
        ("menagh", "geomap-symbol-military_base geomap-status-disputed"),
        ("omar_oilfield", "geomap-symbol-oilfield geomap-status-held"),
        ("bab_al_salama", "geomap-symbol-border_crossing geomap-status-unknown"),
    ],
)
def test_markers_are_classed_by_symbol_and_status(page, place_id, css):
    data = payload(page)
    place = next(p for p in data["places"] if p["id"] == place_id)
    assert css in data["icons"][place["i"]]["c"]


def test_marker_size_follows_kind_city_town_village(page):
    data = payload(page)
    width = {p["id"]: data["icons"][p["i"]]["w"] for p in data["places"]}
    assert width["raqqa"] > width["al_bab"] > width["ain_issa"]


def test_besieged_place_is_ringed_in_the_besiegers_colour(actors):
    from geomap.render.symbols import marker_style, marker_svg

    svg = marker_svg(
        marker_style(PlaceKind.DAM, ControlStatus.BESIEGED, "#1a1a1a", actors["SDF"].colour)
    )
    assert f'stroke="{actors["SDF"].colour.lower()}" stroke-width="3"' in svg


@pytest.mark.parametrize(
    ("status", "mark"),
    [
        (ControlStatus.CONTESTED, 'fill="url(#geomap-hatch-'),
        (ControlStatus.CONTESTED, 'stroke-dasharray="3 2"'),
        (ControlStatus.DISPUTED, ">?</text>"),
        (ControlStatus.DISPUTED, 'stroke-dasharray="0.5 2.5"'),
    ],
)
def test_status_is_visible_in_the_symbol(status, mark):
    from geomap.render.symbols import marker_style, marker_svg

    assert mark in marker_svg(marker_style(PlaceKind.TOWN, status, "#d62728"))
    assert mark not in marker_svg(marker_style(PlaceKind.TOWN, ControlStatus.HELD, "#d62728"))


def test_a_malformed_actor_colour_cannot_reach_the_markup():
    from geomap.render.symbols import marker_style, marker_svg

    svg = marker_svg(marker_style(PlaceKind.TOWN, ControlStatus.HELD, '"><script>x</script>'))
    assert "<script" not in svg and "#9e9e9e" in svg


# --- popups and untrusted text ----------------------------------------------------------


def test_popup_tells_controller_since_status_besieger_latest_evidence_and_spellings(page):
    popup = popup_of(page, "tabqa_dam")
    assert "<h3>Tabqa Dam</h3>" in popup
    assert "Held by <b>Islamic State</b> since 2014-08-01" in popup
    assert "besieged by Syrian Democratic Forces" in popup
    assert "IS fighters seized the dam" in popup and "Older sentence." not in popup
    assert "SOHR &lt;b&gt;, 2017-03-01" in popup
    assert "Spellings seen: Tabqa dam, al-Thawra &lt;dam&gt;</small>" in popup


@pytest.mark.parametrize("text", INJECTIONS)
def test_article_text_is_escaped_in_popups(page, text):
    popup = popup_of(page, "tabqa_dam")
    assert html.escape(text) in popup
    if any(ch in text for ch in "<>\"'"):
        assert text not in popup


def test_no_article_markup_reaches_the_page_unescaped(page):
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page
    # The payload element cannot be closed early by text in it.
    assert page.count("</script>") == page.count("<script")


def test_tooltip_is_name_and_controller_escaped(states, actors):
    evil = Place("x", "<b>Evil</b>", PlaceKind.TOWN, 36.0, 38.0, "SY")
    document = map_html(
        render_map({"x": PlaceState(evil, "ISIS", ControlStatus.HELD, None)}, DAY, actors)
    )
    assert payload(document)["places"][0]["t"] == "&lt;b&gt;Evil&lt;/b&gt; — Islamic State"


def test_note_and_title_are_escaped(actors):
    document = map_html(render_map({}, DAY, actors, title="{{ t }}", note="<i>{% raw %}</i>"))
    assert "&lt;i&gt;{% raw %}&lt;/i&gt;" in document
    assert '<span class="geomap-title-text">{{ t }}</span>' in document


# --- distances ----------------------------------------------------------------------------


def test_distances_draw_a_line_between_places_and_a_circle_around_a_place(page):
    shapes = payload(page, "geomap-distances")["shapes"]
    assert len(shapes) == 2  # the claim to a border has nothing to draw between
    circle = next(s for s in shapes if "r" in s)
    line = next(s for s in shapes if "path" in s)
    assert circle["r"] == 10000 and circle["t"] == "within 10 km claimed"
    assert line["path"] == [[35.87, 38.57], [35.95, 39.01]]
    assert re.fullmatch(r"40 km claimed · 4\d\.\d km measured", line["t"])
    assert "&lt;b&gt;Raqqa&lt;/b&gt;" in line["p"]


def test_no_distances_layer_without_claims(states, actors):
    document = map_html(render_map(states, DAY, actors))
    assert '"Distances"' not in document and "geomap-distances" not in document


# --- self-contained and deterministic -----------------------------------------------------


def test_same_input_gives_identical_bytes(states, actors, claims, tmp_path):
    first = write_html(render_map(states, DAY, actors, distances=claims), tmp_path / "a.html")
    second = write_html(
        render_map(dict(reversed(states.items())), DAY, actors, distances=claims),
        tmp_path / "b.html",
    )
    assert first.read_bytes() == second.read_bytes()
    assert not re.search(r"_[0-9a-f]{32}\b", first.read_text(encoding="utf-8"))


def test_writing_the_same_map_twice_gives_identical_bytes(full_map, tmp_path):
    assert (
        write_html(full_map, tmp_path / "a.html").read_bytes()
        == write_html(full_map, tmp_path / "b.html").read_bytes()
    )


def test_offline_map_refers_to_nothing_on_the_network(page):
    assert not EXTERNAL_REF.search(page)
    for host in ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "bootstrapcdn"):
        assert host not in page
    assert "L.map(" in page and "leaflet-container" in page  # Leaflet is inlined


def test_osm_tiles_are_added_only_when_asked(states, actors):
    document = map_html(render_map(states, DAY, actors, tiles="osm"))
    assert "tile.openstreetmap.org" in document


def test_a_tile_url_template_becomes_a_tile_layer(states, actors):
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    document = map_html(render_map(states, DAY, actors, tiles=url))
    assert json.dumps(url) in document and "Tiles: tiles.example.org" in document


@pytest.mark.parametrize("tiles", ["satellite", "https://x.org/{{ z }}/{x}/{y}.png"])
def test_a_bad_tiles_value_is_a_render_error(states, actors, tiles):
    with pytest.raises(RenderError, match="expected tiles"):
        render_map(states, DAY, actors, tiles=tiles)


def test_background_borders_come_from_the_repo_data_clipped_to_the_view(page):
    countries = payload(page, "geomap-countries")
    names = {f["properties"]["name"] for f in countries["features"]}
    assert {"Syria", "Iraq", "Turkey"} <= names and "Libya" not in names
    assert payload(page, "geomap-provinces")["features"]


def test_5000_places_stay_under_5_mb(actors):
    rng = random.Random(7)
    codes = ["ISIS", "SDF", "GOV_SY", "GOV_IQ", "KRG", "TFSA", None]
    kinds = sorted(SITE_KINDS)  # the kinds drawn as markers
    states = {}
    for i in range(5000):
        place = _place(
            f"p{i:04d}",
            rng.choice(kinds),
            rng.uniform(29.5, 37.2),
            rng.uniform(36, 48),
            f"Village {i}",
        )
        code = rng.choice(codes)
        sentence = (
            f"Fighters captured {place.name} after two days of clashes, a monitor said on Tuesday."
        )
        states[place.id] = PlaceState(
            place,
            code,
            rng.choice(list(ControlStatus)),
            DAY,
            (_event(place, code or "ISIS", DAY, sentence),),
        )
    document = map_html(render_map(states, DAY, actors))
    assert len(payload(document)["places"]) == 5000
    assert len(document.encode("utf-8")) < 5_000_000


# --- empty maps ----------------------------------------------------------------------------


def test_a_map_with_no_states_says_so(actors):
    document = map_html(render_map({}, DAY, actors))
    assert '<div class="geomap-note" role="note">No known control on this date</div>' in document
    assert payload(document)["places"] == [] and payload(document)["sprite"] is None


def test_a_map_of_areas_only_says_where_they_are_listed(actors):
    state = PlaceState(PROVINCE, "ISIS", ControlStatus.HELD, None)
    document = map_html(render_map({PROVINCE.id: state}, DAY, actors))
    assert "areas are listed in the legend" in document


def test_a_given_note_is_shown(states, actors):
    document = map_html(render_map(states, DAY, actors, note="Front lines as of noon"))
    assert "Front lines as of noon" in document


# --- files --------------------------------------------------------------------------------


def test_write_html_creates_folders_and_leaves_no_temp_file(full_map, tmp_path):
    target = tmp_path / "maps" / "2017" / "map.html"
    assert write_html(full_map, target) == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert os.listdir(target.parent) == ["map.html"]


def test_a_failed_render_leaves_the_old_file_untouched(full_map, tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("old", encoding="utf-8")

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(full_map.get_root(), "render", broken)
    with pytest.raises(RuntimeError, match="boom"):
        write_html(full_map, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["map.html"]


def test_a_failed_rename_is_a_render_error_and_cleans_up(full_map, tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("old", encoding="utf-8")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(RenderError, match=r"cannot write .*map\.html: Permission denied"):
        write_html(full_map, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["map.html"]


def test_map_fragment_is_one_sandboxed_iframe_holding_the_escaped_page(full_map):
    fragment = map_fragment(full_map)
    match = re.fullmatch(
        r'<iframe class="geomap-frame" title="([^"]*)" (.*) srcdoc="([^"]*)"></iframe>',
        fragment,
        re.S,
    )
    assert match, fragment[:300]
    assert match.group(1) == "Raqqa &lt;campaign&gt; — 2017-03-03"
    assert 'sandbox="allow-scripts"' in match.group(2)
    assert "<" not in match.group(3) and "'" not in match.group(3)
    assert html.unescape(match.group(3)) == map_html(full_map)


def test_render_png_writes_a_non_blank_image(states, actors, tmp_path):
    target = render_png(states, DAY, actors, tmp_path / "out" / "map.png", title="Raqqa")
    assert target.read_bytes().startswith(b"\x89PNG")
    assert browser.is_non_blank(target.read_bytes())
    assert os.listdir(target.parent) == ["map.png"]


def test_render_png_of_nothing_is_still_an_image(actors, tmp_path):
    target = render_png({}, DAY, actors, tmp_path / "empty.png")
    assert browser.is_non_blank(target.read_bytes())


def png_label_boxes(figure) -> list:
    """Window extents of the visible names and distance labels of a PNG's figure."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return [
        (text.get_text(), text.get_window_extent(renderer))
        for text in figure.findobj(lambda a: a.get_gid() == "geomap-label")
        if text.get_visible()
    ]


def png_overlaps(boxes) -> list[tuple[str, str]]:
    return [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.x0 < box_b.x1 and box_b.x0 < box_a.x1 and box_a.y0 < box_b.y1
        and box_b.y0 < box_a.y1
    ]  # fmt: skip


def test_png_names_cities_towns_and_sites_without_overlap(states, actors, claims):
    from geomap.render.static import build_figure

    line = claims[0]  # Tabqa Dam to Raqqa
    figure = build_figure(states, DAY, actors, title="Raqqa", distances=[line])
    boxes = png_label_boxes(figure)
    names = {name for name, _ in boxes}
    assert {"Raqqa", "Al Bab"} <= names  # the city and the town
    assert any("km claimed" in name for name in names)  # the distance asked for, labelled
    assert png_overlaps(boxes) == []


def test_png_of_2000_places_has_no_overlapping_labels(actors):
    from geomap.render.static import build_figure
    from tests.test_map_view import generated_states

    boxes = png_label_boxes(build_figure(generated_states(2000), DAY, actors))
    assert len(boxes) > 20 and png_overlaps(boxes) == []


def test_png_has_a_title_a_source_line_and_a_locator_inset(states, actors):
    from geomap.render.static import build_figure

    figure = build_figure(states, DAY, actors, title="Raqqa")
    texts = [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]
    assert "Raqqa — 2017-03-03" in texts
    source = next(t for t in texts if t.startswith("Source: "))
    assert "as of 2017-03-03 · 8 places" in source and "AFP" in source and "Natural Earth" in source
    assert len(figure.axes[0].child_axes) == 1  # the locator


def test_png_opens_on_the_theatre_and_leaves_a_far_outlier_to_the_locator(states, actors):
    from geomap.render.static import build_figure

    sirte = Place("ly-sirte", "Sirte", PlaceKind.CITY, 31.2, 16.6, "LY")
    far = {**states, sirte.id: PlaceState(sirte, "GNA_LY", ControlStatus.HELD, DAY)}
    west, east = build_figure(far, DAY, actors).axes[0].get_xlim()
    assert west > 30 and east < 45


def test_png_dpi_scales_the_image(states, actors, tmp_path):
    from PIL import Image

    small = render_png(states, DAY, actors, tmp_path / "a.png", dpi=100)
    large = render_png(states, DAY, actors, tmp_path / "b.png", dpi=300)
    with Image.open(small) as a, Image.open(large) as b:
        assert b.width == pytest.approx(3 * a.width, rel=0.02)
    with pytest.raises(RenderError, match="--dpi: expected 50 to 600"):
        render_png(states, DAY, actors, tmp_path / "c.png", dpi=5000)


def test_series_index_has_a_slider_over_relative_links_in_date_order(tmp_path):
    entries = [
        (dt.date(2017, 3, 3), "map-2017-03-03.html"),
        (dt.date(2016, 8, 20), "maps/a b.html"),
    ]
    index = write_series_index(entries, tmp_path / "index.html", title="Raqqa <2017>")
    text = index.read_text(encoding="utf-8")
    assert '<input type="range" id="geomap-slider" min="0" max="1"' in text
    assert re.findall(r'<a href="([^"]+)"', text) == ["maps/a%20b.html", "map-2017-03-03.html"]
    assert "<title>Raqqa &lt;2017&gt;</title>" in text
    assert not EXTERNAL_REF.search(text) and "<link" not in text


@pytest.mark.parametrize(
    "href", ["https://evil.example/x.html", "/etc/passwd", "javascript:alert(1)", "//host/x"]
)
def test_series_index_refuses_links_that_are_not_relative(tmp_path, href):
    with pytest.raises(RenderError, match="relative"):
        write_series_index([(DAY, href)], tmp_path / "index.html", title="t")
    assert not (tmp_path / "index.html").exists()


# --- in a browser ---------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    browser.skip_reason() is not None, reason=str(browser.skip_reason())
)


@pytest.fixture(scope="module")
def map_file(full_map, tmp_path_factory) -> Path:
    return write_html(full_map, tmp_path_factory.mktemp("maps") / "map.html")


@pytest.mark.browser
@needs_chromium
def test_map_renders_offline_in_chromium(chromium, map_file):
    report = browser.inspect_page(chromium, map_file)
    assert report.console_errors == [] and report.blocked == []
    assert report.markers == SITES and sorted(report.marker_ids) == report.marker_ids
    assert report.has_title and "2017-03-03" in report.title_text
    assert report.has_legend and report.ready and report.non_blank


@pytest.mark.browser
@needs_chromium
def test_clicking_a_marker_shows_the_evidence_as_text_and_runs_nothing(chromium, map_file):
    report = browser.inspect_page(chromium, map_file, click_marker="tabqa_dam")
    assert report.tooltip_text == "Tabqa Dam — Islamic State"
    assert report.popup_text is not None
    for text in INJECTIONS:
        assert text in report.popup_text
    assert report.pwned is None and report.console_errors == []


@pytest.mark.browser
@needs_chromium
def test_an_empty_map_renders_with_its_note(chromium, actors, tmp_path):
    target = write_html(render_map({}, DAY, actors), tmp_path / "empty.html")
    report = browser.inspect_page(chromium, target)
    assert report.markers == 0 and report.console_errors == [] and report.blocked == []
    assert report.note_text == "No known control on this date" and report.non_blank


@pytest.mark.browser
@needs_chromium
def test_a_map_fragment_renders_inside_a_report_page(chromium, full_map, tmp_path):
    target = tmp_path / "report.html"
    target.write_text(
        f"<!DOCTYPE html><html><body><h1>Report</h1>{map_fragment(full_map)}</body></html>",
        encoding="utf-8",
    )
    report = browser.inspect_page(chromium, target)
    assert report.frame_markers == SITES and report.console_errors == [] and report.pwned is None


@pytest.mark.browser
@needs_chromium
def test_the_series_slider_switches_the_map(chromium, actors, states, tmp_path):
    for day in (dt.date(2016, 1, 1), DAY):
        write_html(render_map(states, day, actors), tmp_path / f"map-{day}.html")
    index = write_series_index(
        [(d, f"map-{d}.html") for d in (dt.date(2016, 1, 1), DAY)],
        tmp_path / "index.html",
        title="Series",
    )
    report = browser.inspect_page(chromium, index, slide_to=1)
    assert report.console_errors == [] and report.blocked == []
    assert report.frame_src == f"map-{DAY}.html" and report.slider_label == DAY.isoformat()
