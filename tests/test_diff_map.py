"""geomap.render.render_diff_map: the map of what changed between two dates.

Structure is checked on the HTML (markers are JSON in an inert script element);
behaviour (offline rendering, popups, injection) in headless Debian chromium.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
import re

import pytest

from geomap.diff import diff_timeline
from geomap.errors import RenderError
from geomap.model import (
    ClaimStatus,
    ControlStatus,
    Event,
    EventKind,
    Place,
    PlaceKind,
    PlaceState,
    Precision,
)
from geomap.render import render_diff_map
from geomap.render.diff_map import change_category
from geomap.render.output import write_atomic
from geomap.report import diff_record
from geomap.timeline import build_timeline
from tests import browser

D1, D2 = "2017-01-01", "2017-03-01"
EXTERNAL_REF = re.compile(r'(src|href)="https?://')
INJECTIONS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "\"quotes' that break attributes",
    "{{ 7*7 }}",
    "{% raw %}",
]
EVIL = " ".join(["Turkish-backed rebels seized al-Bab", *INJECTIONS])


def side(controller, status="held", since=None, besieger=None):
    return {"controller": controller, "status": status, "since": since, "besieger": besieger}


def change(pid, kind, lat, lon, before, after, *, round_trip=False, events=(), name=""):
    return {
        "id": pid,
        "name": name or pid.replace("_", " ").title(),
        "kind": kind,
        "lat": lat,
        "lon": lon,
        "before": before,
        "after": after,
        "round_trip": round_trip,
        "events": list(events),
    }


EVENT = {
    "date": "2017-02-23",
    "kind": "captured",
    "actor": "TFSA",
    "sentence": EVIL,
    "source": "SOHR <b>",
    "article": "art-<1>",
}

#: One change per category, and a province (listed in the legend, not drawn).
CHANGES = [
    change("al_bab", "town", 36.37, 37.52, side("ISIS", since="2014-01-13"),
           side("TFSA", since="2017-02-23"), events=[EVENT]),
    change("menagh", "military_base", 36.52, 37.28, side("GOV_SY"), None),
    change("tabqa_airbase", "airbase", 35.75, 38.57, side("ISIS"), side("ISIS", "contested")),
    change("tabqa_dam", "dam", 35.87, 38.57, side("ISIS"),
           side("ISIS", "besieged", besieger="SDF")),
    change("deir_ezzor", "city", 35.33, 40.14, side("GOV_SY", "besieged", besieger="ISIS"),
           side("GOV_SY", since="2014-07-01")),
    change("omar_oilfield", "oilfield", 35.07, 40.6, side("SDF"), side("SDF", "disputed")),
    change("raqqa", "city", 35.95, 39.01, side("ISIS"), side("ISIS"), round_trip=True),
    change("ain_issa", "village", 36.39, 38.86, side("SDF", "contested"), side("SDF")),
    change("raqqa_province", "province", 35.9, 39.0, side("ISIS"), side("SDF")),
]  # fmt: skip
CATEGORY_OF = {
    "al_bab": "taken",
    "menagh": "lost",
    "tabqa_airbase": "contested",
    "tabqa_dam": "besieged",
    "deir_ezzor": "siege_broken",
    "omar_oilfield": "disputed",
    "raqqa": "round_trip",
    "ain_issa": "held",
}
SUMMARY = {
    "ISIS": {"gained": {}, "lost": {"provinces": 1, "towns": 1}, "net": {"provinces": -1, "towns": -1}},
    "SDF": {"gained": {"provinces": 1}, "lost": {}, "net": {"provinces": 1}},
    "TFSA": {"gained": {"towns": 1}, "lost": {}, "net": {"towns": 1}},
    "GOV_SY": {"gained": {}, "lost": {"bases": 1}, "net": {"bases": -1}},
}  # fmt: skip
DATA = {"from": D1, "to": D2, "changes": CHANGES, "summary": SUMMARY}


def _place(pid, kind, lat, lon):
    return Place(pid, pid.replace("_", " ").title(), kind, lat, lon, "SY")


MANBIJ = _place("manbij", PlaceKind.TOWN, 36.53, 37.95)
PALMYRA = _place("palmyra", PlaceKind.CITY, 34.56, 38.27)
UNCHANGED = {
    "palmyra": PlaceState(PALMYRA, "GOV_SY", ControlStatus.HELD, dt.date(2017, 3, 2)),
    "manbij": PlaceState(MANBIJ, "SDF", ControlStatus.HELD, dt.date(2016, 8, 12)),
    # In the diff too: drawn once, as a change.
    "al_bab": PlaceState(_place("al_bab", PlaceKind.TOWN, 36.37, 37.52), "TFSA",
                         ControlStatus.HELD, None),
    # An area: not drawn.
    "aleppo_province": PlaceState(_place("aleppo_province", PlaceKind.PROVINCE, 36.2, 37.1),
                                  "GOV_SY", ControlStatus.HELD, None),
}  # fmt: skip
MARKERS = len(CATEGORY_OF) + 2  # changed sites + drawn unchanged places


@pytest.fixture(scope="module")
def actors(gaz):
    return gaz.actors


@pytest.fixture(scope="module")
def page(actors) -> str:
    return render_diff_map(DATA, actors, unchanged=UNCHANGED)


def payload(document: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="geomap-places"[^>]*>(.*?)</script>', document, re.S
    )
    assert match, "no geomap-places payload"
    return json.loads(match.group(1))


def place_of(document: str, place_id: str) -> dict:
    return next(p for p in payload(document)["places"] if p["id"] == place_id)


def classes_of(document: str, place_id: str) -> list[str]:
    data = payload(document)
    return data["icons"][place_of(document, place_id)["i"]]["c"].split()


def legend_of(document: str) -> str:
    return re.search(r'<details class="geomap-legend".*?</details>', document, re.S).group(0)


# --- categories ---------------------------------------------------------------------------


@pytest.mark.parametrize(("place_id", "category"), sorted(CATEGORY_OF.items()))
def test_each_changed_site_is_one_marker_classed_by_what_happened(page, place_id, category):
    classes = classes_of(page, place_id)
    assert "geomap-marker" in classes and f"geomap-change-{category}" in classes
    assert "geomap-unchanged" not in classes


@pytest.mark.parametrize(
    ("before", "after", "round_trip", "category"),
    [
        (side("ISIS"), side("SDF"), False, "taken"),
        (None, side("SDF"), False, "taken"),
        (side(None), side("SDF"), False, "taken"),
        (side("ISIS"), None, False, "lost"),
        (side("ISIS"), side(None, "unknown"), False, "lost"),
        (side("ISIS"), side("SDF", "contested"), False, "contested"),
        (side("ISIS"), side("ISIS", "besieged", besieger="SDF"), False, "besieged"),
        (side("ISIS", "besieged", besieger="SDF"), side("ISIS", "besieged", besieger="GOV_SY"),
         False, "besieged"),
        (side("GOV_SY", "besieged", besieger="ISIS"), side("GOV_SY"), False, "siege_broken"),
        (side("GOV_SY", "besieged", besieger="ISIS"), side("ISIS"), False, "taken"),
        (side("SDF"), side("SDF", "disputed"), False, "disputed"),
        (side("ISIS"), side("ISIS"), True, "round_trip"),
        (side("SDF", "contested"), side("SDF"), False, "held"),
    ],
)  # fmt: skip
def test_change_category_rules(before, after, round_trip, category):
    record = {"before": before, "after": after, "round_trip": round_trip}
    assert change_category(record) == category


def test_markers_keep_the_place_kind_symbols_and_the_end_status(page):
    assert "geomap-symbol-dam" in classes_of(page, "tabqa_dam")
    assert "geomap-status-besieged" in classes_of(page, "tabqa_dam")
    assert "geomap-symbol-airbase" in classes_of(page, "tabqa_airbase")
    assert "geomap-symbol-military_base" in classes_of(page, "menagh")
    assert "geomap-symbol-oilfield" in classes_of(page, "omar_oilfield")
    assert "geomap-status-contested" in classes_of(page, "tabqa_airbase")


def test_taken_is_in_the_new_holders_colour_and_besieged_ringed_in_the_besiegers(page, actors):
    import base64

    data = payload(page)
    sprite = base64.b64decode(data["sprite"]["svg"].split(",", 1)[1]).decode()
    assert f'fill="{actors["TFSA"].colour.lower()}"' in sprite
    assert f'stroke="{actors["SDF"].colour.lower()}" stroke-width="3"' in sprite
    assert 'fill="#9e9e9e"' in sprite  # the lost base is grey


def test_round_trip_and_siege_broken_get_their_own_marks(page):
    assert re.search(r'\.geomap-change-round_trip::after[^{]*\{content:"\\21BA"', page)
    assert ".geomap-change-siege_broken," in page and "outline:2px dashed" in page


# --- structure ------------------------------------------------------------------------------


def test_markers_are_the_changed_sites_then_the_unchanged_ones(page):
    ids = [p["id"] for p in payload(page)["places"]]
    assert ids == [*sorted(CATEGORY_OF), "manbij", "palmyra"]
    assert len(ids) == MARKERS and "raqqa_province" not in ids


def test_unchanged_places_are_faded_in_their_own_layer(page):
    for place_id in ("manbij", "palmyra"):
        classes = classes_of(page, place_id)
        assert "geomap-unchanged" in classes and "geomap-marker" in classes
        assert not any(c.startswith("geomap-change-") for c in classes)
        assert place_of(page, place_id)["g"] == len(CATEGORY_OF)  # the last layer
    assert ".geomap-unchanged,.geomap-key-unchanged{opacity:.35}" in page
    assert "(unchanged)" in place_of(page, "manbij")["t"]
    assert f"No change between {D1} and {D2}" in place_of(page, "manbij")["p"]


def test_layer_control_has_a_layer_per_category_present_and_unchanged(page):
    names = re.findall(r'"([^"]+)" : feature_group_\d+', page)
    assert names == [
        "Borders",
        "Taken",
        "Lost",
        "Contested",
        "Besieged",
        "Siege broken",
        "Disputed",
        "Changed and back",
        "Status settled",
        "Unchanged",
    ]


def test_no_unchanged_layer_without_unchanged_places(actors):
    document = render_diff_map(DATA, actors)
    assert '"Unchanged"' not in document and "geomap-key-unchanged" not in legend_of(document)
    assert len(payload(document)["places"]) == len(CATEGORY_OF)


def test_title_box_and_page_title_show_both_dates(page):
    assert (
        '<span class="geomap-title-text">Changes</span> <time datetime="2017-01-01">2017-01-01'
        '</time> → <time datetime="2017-03-01">2017-03-01</time>'
    ) in page
    assert "<title>Changes 2017-01-01 → 2017-03-01</title>" in page


def test_legend_lists_the_categories_present_with_their_style_and_count(page):
    legend = legend_of(page)
    for category in CATEGORY_OF.values():
        assert f'<span class="geomap-key geomap-key-{category}"><svg' in legend
    assert "taken: the new holder&#x27;s colour (1)" in legend
    assert "unchanged, faded (2)" in legend
    assert "Areas changed (not drawn)" in legend
    assert (
        "Raqqa Province (province): taken by Syrian Democratic Forces from Islamic State" in legend
    )
    assert "geomap-marker" not in legend  # legend samples are not counted as markers


def test_legend_lists_only_categories_present(actors):
    data = {**DATA, "changes": [CHANGES[0]], "summary": {}}
    legend = legend_of(render_diff_map(data, actors))
    assert "geomap-key-taken" in legend
    assert not re.search(
        r"geomap-key-(lost|contested|besieged|siege_broken|disputed|round_trip)", legend
    )


def test_legend_shows_the_summary_per_actor(page, actors):
    legend = legend_of(page)
    summary = re.search(r'<ul class="geomap-summary">.*?</ul>', legend, re.S).group(0)
    assert (
        f"<b>{actors['TFSA'].name}</b> net +1<small>gained: towns 1 · lost: none</small>" in summary
    )
    assert (
        f"<b>{actors['ISIS'].name}</b> net -2<small>gained: none · lost: provinces 1, towns 1"
        in summary
    )
    assert f"<b>{actors['GOV_SY'].name}</b> net -1" in summary
    names = re.findall(r"<b>([^<]+)</b> net", summary)
    assert names == sorted(names, key=str.casefold)


# --- tooltips and popups --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place_id", "tooltip"),
    [
        ("al_bab", "Al Bab — taken by Turkish-backed rebels from Islamic State"),
        ("menagh", "Menagh — lost by Syrian government; no known holder now"),
        ("tabqa_airbase", "Tabqa Airbase — now contested, held by Islamic State"),
        ("tabqa_dam", "Tabqa Dam — besieged by Syrian Democratic Forces, held by Islamic State"),
        ("deir_ezzor", "Deir Ezzor — siege by Islamic State broken; Syrian government still holds"),
        ("omar_oilfield", "Omar Oilfield — now disputed, held by Syrian Democratic Forces"),
        ("raqqa", "Raqqa — changed hands and came back to Islamic State"),
        ("ain_issa", "Ain Issa — Syrian Democratic Forces keeps it; was contested, now held"),
    ],
)
def test_tooltip_says_the_change_in_a_few_words(page, place_id, tooltip):
    assert place_of(page, place_id)["t"] == tooltip


def test_popup_shows_both_ends_and_the_events_between(page):
    popup = place_of(page, "al_bab")["p"]
    assert "<h3>Al Bab</h3><small>town</small>" in popup
    assert "<b>Taken by Turkish-backed rebels from Islamic State</b>" in popup
    assert re.search(
        r"2017-01-01: <i[^>]*></i><b>Islamic State</b> since 2014-01-13, held<br>", popup
    )
    assert re.search(
        r"2017-03-01: <i[^>]*></i><b>Turkish-backed rebels</b> since 2017-02-23", popup
    )
    assert "<small>2017-02-23 · captured · Turkish-backed rebels</small>" in popup
    assert "Turkish-backed rebels seized al-Bab" in popup
    assert "<small>SOHR &lt;b&gt;, article art-&lt;1&gt;</small>" in popup


def test_popup_of_a_change_without_events_says_so(page):
    assert "No events between the dates" in place_of(page, "raqqa")["p"]


def test_a_long_event_list_shows_the_latest(actors):
    events = [{**EVENT, "date": f"2017-02-{d:02d}", "sentence": f"day {d}"} for d in range(1, 21)]
    data = {**DATA, "changes": [{**CHANGES[0], "events": events}]}
    popup = place_of(render_diff_map(data, actors), "al_bab")["p"]
    assert "+8 earlier events" in popup and "day 20" in popup and "day 8<" not in popup


# --- untrusted text -------------------------------------------------------------------------


@pytest.mark.parametrize("text", INJECTIONS)
def test_evidence_is_escaped_in_popups(page, text):
    popup = place_of(page, "al_bab")["p"]
    assert html.escape(text) in popup
    if any(ch in text for ch in "<>\"'"):
        assert text not in popup


def test_no_article_markup_reaches_the_page_unescaped(page):
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert page.count("</script>") == page.count("<script")
    assert "{{ 7*7 }}" in page and ">49<" not in page  # never run as a template


@pytest.mark.parametrize("text", INJECTIONS)
def test_names_codes_kinds_and_sources_from_the_record_are_escaped(actors, text):
    evil_side = side(text, since=None, besieger=text)
    record = change(
        "x",
        "town",
        36.0,
        38.0,
        side("ISIS"),
        {**evil_side, "status": "besieged"},
        name=text,
        events=[{**EVENT, "actor": text, "source": text, "kind": text}],
    )
    summary = {text: {"gained": {text: 1}, "lost": {}, "net": {text: 1}}}
    document = render_diff_map({**DATA, "changes": [record], "summary": summary}, actors)
    place = place_of(document, "x")
    for part in (place["t"], place["p"], legend_of(document)):
        assert html.escape(text) in part
        if any(ch in text for ch in "<>\"'"):
            assert text not in part


# --- self-contained and deterministic -------------------------------------------------------


def test_same_input_gives_identical_bytes(actors):
    shuffled = list(CHANGES)
    random.Random(3).shuffle(shuffled)
    first = render_diff_map(DATA, actors, unchanged=UNCHANGED)
    second = render_diff_map(
        {**DATA, "changes": shuffled}, actors, unchanged=dict(reversed(UNCHANGED.items()))
    )
    assert first.encode("utf-8") == second.encode("utf-8")
    assert not re.search(r"_[0-9a-f]{32}\b", first)


def test_offline_map_refers_to_nothing_on_the_network(page):
    assert not EXTERNAL_REF.search(page)
    assert "L.map(" in page and "leaflet-container" in page  # Leaflet is inlined
    assert "L.control.scale().addTo(" in page  # the scale bar


def test_tiles_are_added_only_when_asked(actors):
    assert "tile.openstreetmap.org" in render_diff_map(DATA, actors, tiles="osm")
    with pytest.raises(RenderError, match="expected tiles"):
        render_diff_map(DATA, actors, tiles="satellite")


# --- empty and malformed records ------------------------------------------------------------


def test_no_changes_gives_an_honest_empty_map(actors):
    document = render_diff_map({"from": D1, "to": D2, "changes": [], "summary": {}}, actors)
    assert (
        '<div class="geomap-note" role="note">No place changed hands between 2017-01-01 and'
        " 2017-03-01</div>"
    ) in document
    assert payload(document)["places"] == [] and payload(document)["sprite"] is None
    assert "no place changed hands" in legend_of(document)


def test_no_changes_with_unchanged_places_still_draws_them_faded(actors):
    data = {"from": D1, "to": D2, "changes": [], "summary": {}}
    document = render_diff_map(data, actors, unchanged=UNCHANGED)
    assert "No place changed hands between" in document
    assert len(payload(document)["places"]) == 3  # al_bab, manbij, palmyra


def test_only_areas_changed_says_where_they_are_listed(actors):
    data = {**DATA, "changes": [CHANGES[-1]]}
    assert "changed areas are listed in the legend" in render_diff_map(data, actors)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"to": D2, "changes": []}, "ISO date in 'from'"),
        ({"from": "March", "to": D2, "changes": []}, "ISO date in 'from'"),
        ({"from": D1, "to": D2}, "'changes' to be a list"),
        ({"from": D1, "to": D2, "changes": [{"id": "x", "kind": "town"}]}, r"change 0 \('x'\)"),
        ({"from": D1, "to": D2, "changes": [{**CHANGES[0], "kind": "castle"}]}, "change 0"),
        ({"from": D1, "to": D2, "changes": [], "summary": {"ISIS": {"gained": {"towns": "x"}}}},
         "counts by kind"),
    ],
)  # fmt: skip
def test_a_malformed_record_is_a_render_error(actors, data, match):
    with pytest.raises(RenderError, match=match):
        render_diff_map(data, actors)


# --- from the diff pipeline -----------------------------------------------------------------


def _event(place, kind, actor, day, evidence):
    return Event(
        place=place, kind=kind, actor=actor, controller_after=actor, date=day,
        precision=Precision.DAY, status=ClaimStatus.ASSERTED, evidence=evidence,
        article_id="art-9", confidence=0.9, rule="test", source="Reuters",
    )  # fmt: skip


def test_a_record_from_diff_timeline_maps_its_captures(actors):
    events = [
        _event(MANBIJ, EventKind.HELD_BY, "ISIS", dt.date(2016, 1, 1), "IS holds Manbij."),
        _event(MANBIJ, EventKind.CAPTURED, "SDF", dt.date(2016, 8, 12), "SDF took <Manbij>."),
        _event(PALMYRA, EventKind.HELD_BY, "GOV_SY", dt.date(2016, 1, 1), "Army holds Palmyra."),
    ]
    diff = diff_timeline(build_timeline(events), dt.date(2016, 6, 1), dt.date(2016, 9, 1))
    document = render_diff_map(diff_record(diff), actors)
    [place] = payload(document)["places"]
    assert place["id"] == "manbij" and "geomap-change-taken" in classes_of(document, "manbij")
    assert place["t"] == "Manbij — taken by Syrian Democratic Forces from Islamic State"
    assert "SDF took &lt;Manbij&gt;." in place["p"] and "2016-08-12" in place["p"]
    assert "<b>Syrian Democratic Forces</b> net +1" in legend_of(document)


# --- in a browser ---------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    browser.skip_reason() is not None, reason=str(browser.skip_reason())
)


@pytest.mark.browser
@needs_chromium
def test_diff_map_renders_offline_and_shows_evidence_as_text(chromium, page, tmp_path):
    target = write_atomic(tmp_path / "diff.html", page.encode("utf-8"))
    report = browser.inspect_page(chromium, target, click_marker="al_bab")
    assert report.console_errors == [] and report.blocked == []
    assert report.ready and report.markers == MARKERS
    assert sorted(report.marker_ids) == sorted([*CATEGORY_OF, "manbij", "palmyra"])
    assert report.has_title and report.title_text == "Changes 2017-01-01 → 2017-03-01"
    assert report.has_legend and report.non_blank
    assert report.tooltip_text == "Al Bab — taken by Turkish-backed rebels from Islamic State"
    assert report.popup_text is not None
    for text in INJECTIONS:
        assert text in report.popup_text
    assert "SOHR <b>" in report.popup_text
    assert report.pwned is None


@pytest.mark.browser
@needs_chromium
def test_an_empty_diff_map_renders_with_its_note(chromium, actors, tmp_path):
    document = render_diff_map({"from": D1, "to": D2, "changes": [], "summary": {}}, actors)
    report = browser.inspect_page(chromium, write_atomic(tmp_path / "e.html", document.encode()))
    assert report.markers == 0 and report.console_errors == [] and report.blocked == []
    assert report.note_text == "No place changed hands between 2017-01-01 and 2017-03-01"
    assert report.non_blank
