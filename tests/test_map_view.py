"""What a reader sees on opening a map: the theatre in view, named towns, tidy labels.

Browser tests open the maps in headless chromium at 1400×900 (network blocked) and
measure from the DOM: the opening zoom and the share of places in view, every city
and town in view carrying a visible label, no two label boxes overlapping, the
legend's share of the view. They run on the demo's maps, on a map of the seed
articles (skipped when ``../shared`` is absent) and on a generated map of 2,000 places.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from geomap.model import ControlStatus, Place, PlaceKind, PlaceState
from geomap.render import render_map, write_html
from geomap.render.labels import label_order
from geomap.render.view import outside_note_html, theatre_view
from tests.conftest import copy_db, run_cli

VIEWPORT = (1400, 900)
DAY = dt.date(2017, 3, 3)

#: Reads, from the page: the map's zoom, every marker's centre and label tier, every
#: label's box, the legend's box.
MEASURE = """() => {
  const name = Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map);
  const map = window[name];
  const data = JSON.parse(document.getElementById('geomap-places').textContent);
  const tier = {}; data.places.forEach(p => { tier[p.id] = p.k; });
  const box = e => { const r = e.getBoundingClientRect();
                     return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
  const markers = [...document.querySelectorAll('.geomap-marker[data-place-id]')].map(e => {
    const b = box(e);
    return {id: e.dataset.placeId, x: (b.l + b.r) / 2, y: (b.t + b.b) / 2, k: tier[e.dataset.placeId]};
  });
  const labels = [...document.querySelectorAll('.geomap-label')]
    .filter(e => getComputedStyle(e).visibility !== 'hidden' && e.offsetParent !== null)
    .map(e => Object.assign(box(e), {id: e.dataset.placeId, text: e.textContent}));
  const legend = document.querySelector('.geomap-legend');
  return {zoom: map.getZoom(), total: data.places.length, markers, labels,
          legend: legend ? box(legend) : null, w: innerWidth, h: innerHeight};
}"""


def measure(chromium: Any, path: Path, size: tuple[int, int] = VIEWPORT) -> dict[str, Any]:
    """Open ``path`` offline at ``size`` and measure what the reader sees first."""
    page = chromium.new_page(viewport={"width": size[0], "height": size[1]})
    blocked: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:", "about:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    try:
        page.route("**/*", route)
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.wait_for_function(
            "document.documentElement.classList.contains('geomap-ready')", timeout=15000
        )
        # names shown (not in a pane hidden while the map zooms)
        page.wait_for_function(
            "[...document.querySelectorAll('.geomap-label')].some(e => e.offsetParent !== null)"
        )
        seen = page.evaluate(MEASURE)
    finally:
        page.close()
    seen["blocked"] = blocked
    w, h = seen["w"], seen["h"]
    seen["in_view"] = [m for m in seen["markers"] if 0 <= m["x"] <= w and 0 <= m["y"] <= h]
    seen["visible"] = [
        b for b in seen["labels"] if b["r"] > 0 and b["b"] > 0 and b["l"] < w and b["t"] < h
    ]
    return seen


def overlaps(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of label boxes that overlap (touching edges do not count)."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]:
                found.append((a["text"], b["text"]))
    return found


def unlabelled(seen: dict[str, Any], tiers: tuple[int, ...]) -> list[str]:
    named = {b["id"] for b in seen["visible"]}
    return [m["id"] for m in seen["in_view"] if m["k"] in tiers and m["id"] not in named]


def assert_readable(seen: dict[str, Any]) -> None:
    """The checks of issue 15 on one opened map."""
    assert seen["blocked"] == []
    assert seen["zoom"] >= 6, seen["zoom"]
    assert len(seen["in_view"]) >= 0.9 * seen["total"], (len(seen["in_view"]), seen["total"])
    assert unlabelled(seen, (0, 1)) == []
    assert overlaps(seen["visible"]) == []
    legend = seen["legend"]
    share = (legend["r"] - legend["l"]) * (legend["b"] - legend["t"]) / (seen["w"] * seen["h"])
    assert share < 0.15, share


# --- the maps a reader opens ---------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_maps(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("demo")
    result = run_cli("demo", "-o", str(out), timeout=600)
    assert result.code == 0, result.err
    maps = sorted(out.glob("map-*.html"))
    assert len(maps) >= 4
    return maps


@pytest.fixture(scope="module")
def seed_map(tmp_path_factory, seed_db_built) -> Path:
    folder = tmp_path_factory.mktemp("seeds")
    db = copy_db(seed_db_built, folder / "seeds.db")  # `geomap ingest` of each seed
    out = folder / "seeds.html"
    assert run_cli("map", "--date", "2017-12-31", "--db", str(db), "-o", str(out)).code == 0
    return out


def generated_states(count: int, seed: int = 15) -> dict[str, PlaceState]:
    """``count`` places over Syria and Iraq: 2% cities, 8% towns, the rest smaller."""
    rng = random.Random(seed)
    codes = ["ISIS", "SDF", "GOV_SY", "GOV_IQ", "KRG", "TFSA"]
    small = [PlaceKind.VILLAGE, PlaceKind.VILLAGE, PlaceKind.VILLAGE, PlaceKind.DAM,
             PlaceKind.AIRBASE, PlaceKind.MILITARY_BASE, PlaceKind.NEIGHBOURHOOD]  # fmt: skip
    states = {}
    for i in range(count):
        share = i / count
        kind = (
            PlaceKind.CITY if share < 0.02 else PlaceKind.TOWN if share < 0.1 else rng.choice(small)
        )
        lat, lon = rng.uniform(32.5, 37.0), rng.uniform(36.0, 45.5)
        place = Place(f"g{i:05d}", f"{kind.value.title()} {i}", kind, lat, lon, "SY",
                      population=rng.randrange(1000, 900000))  # fmt: skip
        states[place.id] = PlaceState(place, rng.choice(codes), ControlStatus.HELD, DAY)
    return states


@pytest.fixture(scope="module")
def generated_map(gaz, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("generated") / "g2000.html"
    return write_html(render_map(generated_states(2000), DAY, gaz.actors), target)


@pytest.mark.browser
def test_demo_maps_open_on_the_theatre_with_every_town_named_and_no_overlap(chromium, demo_maps):
    for path in demo_maps:
        seen = measure(chromium, path)
        try:
            assert_readable(seen)
        except AssertionError as exc:
            raise AssertionError(f"{path.name}: {exc}") from exc


@pytest.mark.browser
def test_seed_map_opens_on_the_theatre_with_every_town_named_and_no_overlap(chromium, seed_map):
    assert_readable(measure(chromium, seed_map))


@pytest.mark.browser
def test_2000_places_still_name_every_city_in_view_without_overlap(chromium, generated_map):
    seen = measure(chromium, generated_map)
    assert seen["blocked"] == [] and seen["zoom"] >= 6
    assert unlabelled(seen, (0,)) == []
    assert overlaps(seen["visible"]) == []
    assert len(seen["visible"]) > 20


@pytest.mark.browser
def test_zooming_in_names_more_places_and_still_without_overlap(chromium, generated_map):
    page = chromium.new_page(viewport={"width": VIEWPORT[0], "height": VIEWPORT[1]})
    try:
        page.goto(generated_map.resolve().as_uri(), wait_until="load")
        page.wait_for_function("document.documentElement.classList.contains('geomap-ready')")
        before = page.evaluate(MEASURE)
        page.evaluate(
            "() => { const k = Object.keys(window).find(n => n.startsWith('map_'));"
            " window[k].setZoom(window[k].getZoom() + 2, {animate: false}); }"
        )
        page.wait_for_timeout(300)
        after = page.evaluate(MEASURE)
    finally:
        page.close()
    w, h = after["w"], after["h"]
    visible = [
        b for b in after["labels"] if b["r"] > 0 and b["b"] > 0 and b["l"] < w and b["t"] < h
    ]
    assert after["zoom"] == before["zoom"] + 2
    assert {b["text"] for b in visible if b["text"].startswith("Village")}  # villages named now
    assert overlaps(visible) == []


@pytest.mark.browser
def test_legend_is_folded_on_a_narrow_screen(chromium, generated_map):
    page = chromium.new_page(viewport={"width": 420, "height": 760})
    try:
        page.goto(generated_map.resolve().as_uri(), wait_until="load")
        folded = page.evaluate("!document.querySelector('.geomap-legend').open")
        stats = page.inner_text(".geomap-legend summary")
    finally:
        page.close()
    assert folded and "as of 2017-03-03 · 2000 places" in stats


@pytest.mark.browser
def test_the_outside_note_moves_the_map_to_the_far_place(chromium, gaz, tmp_path):
    states = generated_states(40)
    sirte = Place("ly-sirte", "Sirte", PlaceKind.CITY, 31.2, 16.6, "LY")
    states[sirte.id] = PlaceState(sirte, "GNA_LY", ControlStatus.HELD, DAY)
    path = write_html(render_map(states, DAY, gaz.actors), tmp_path / "sirte.html")
    page = chromium.new_page(viewport={"width": VIEWPORT[0], "height": VIEWPORT[1]})
    try:
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.wait_for_function("document.documentElement.classList.contains('geomap-ready')")
        assert "1 place outside the view: Sirte, Libya" in page.inner_text(".geomap-outside")
        page.click(".geomap-goto")
        page.wait_for_timeout(300)
        centre = page.evaluate(
            "() => { const k = Object.keys(window).find(n => n.startsWith('map_'));"
            " return window[k].getCenter(); }"
        )
    finally:
        page.close()
    assert centre["lat"] == pytest.approx(31.2, abs=0.01)
    assert centre["lng"] == pytest.approx(16.6, abs=0.01)


# --- the rules behind them -----------------------------------------------------------------


def test_a_far_outlier_is_left_out_of_the_view_and_named():
    states = generated_states(24)
    sirte = Place("ly-sirte", "Sirte", PlaceKind.CITY, 31.2, 16.6, "LY")
    view = theatre_view([*(s.place for s in states.values()), sirte])
    assert [p.id for p in view.outside] == ["ly-sirte"]
    assert view.box.west > 30 and view.extent.west < 17
    assert "1 place outside the view:" in outside_note_html(view.outside)


def test_two_theatres_of_similar_size_are_both_in_view():
    syria = [Place(f"s{i}", "S", PlaceKind.TOWN, 35 + i / 10, 38 + i / 10, "SY") for i in range(10)]
    libya = [Place(f"l{i}", "L", PlaceKind.TOWN, 31 + i / 10, 16 + i / 10, "LY") for i in range(6)]
    assert theatre_view([*syria, *libya]).outside == ()


def test_outside_note_escapes_names_and_counts_the_rest():
    far = [Place(f"x{i}", f"<b>X{i}</b>", PlaceKind.TOWN, 10.0, float(i), "ZZ") for i in range(7)]
    note = outside_note_html(far)
    assert note.startswith('<div class="geomap-outside"') and "7 places outside the view" in note
    assert "<b>" not in note and "&lt;b&gt;X0&lt;/b&gt;" in note and "+2 more" in note


def test_names_are_ranked_by_kind_then_recent_change_then_population():
    def state(pid, kind, pop, since):
        return PlaceState(Place(pid, pid, kind, 35.0, 38.0, "SY", population=pop), "X",
                          ControlStatus.HELD, since)  # fmt: skip

    ranked = label_order(
        [
            state("village", PlaceKind.VILLAGE, 10**6, DAY),
            state("dam", PlaceKind.DAM, None, None),
            state("big-town", PlaceKind.TOWN, 90000, dt.date(2015, 1, 1)),
            state("taken-town", PlaceKind.TOWN, 5000, dt.date(2017, 2, 20)),
            state("city", PlaceKind.CITY, 100, None),
        ],
        DAY,
    )
    assert ranked == ["city", "taken-town", "big-town", "dam", "village"]
