"""The five real articles this tool was conceived from: places, non-places and events.

Skipped with a reason when ../shared/seeds is absent (a fresh clone has no ../shared).
"""

from __future__ import annotations

import csv
import functools
import json
import re

import pytest
from geopy.distance import geodesic

from tests.conftest import DATA, copy_db, run_cli, seed_file

SEED_PLACES = list(csv.DictReader((DATA / "seed_places.csv").open(encoding="utf-8")))
NOT_PLACES = [
    "Syrian Observatory for Human Rights",
    "Raqqa Is Being Slaughtered Silently",
    "Manbij Military Council",
    "Deir Ezzor 24",
    "Wrath of the Euphrates",
    "US-backed",
    "U.K.-based",
    "UK-based",
    "Bashar al-Assad",
    "Islamic State of Iraq and the Levant",
    "Islamic State of Iraq and Syria",
    "Asharq Al-Awsat",
    "Middle East Online",
    "Middle East Monitor",
    "Al Jazeera",
    "Baghdad-based",
    "Rami Abdel Rahman",
    "Jihan Sheikh Ahmed",
    "Al-Hamza",
    "Gold Eagle Forces in the Levant",
]


@pytest.mark.parametrize("row", SEED_PLACES, ids=[r["surface"] for r in SEED_PLACES])
def test_every_seed_spelling_resolves_in_context_within_tolerance(gaz, row):
    text = seed_file(row["seed"]).read_text(encoding="utf-8")
    mentions = gaz.find(text)
    found = [m for m in mentions if m.surface == row["surface"]] or [
        # "Tigris" only ever written "Tigris river"; "Ouagadougou convention center" as
        # "Ouagadougou": the same name with or without its feature words.
        m
        for m in mentions
        if m.surface.startswith(row["surface"] + " ") or row["surface"].startswith(m.surface + " ")
    ]
    assert found, f"{row['surface']!r} not found as a place in seed {row['seed']}"
    kinds = set(row["expected_kind"].split("|"))
    for m in found:
        if re.search(r"province of (?:the )?$", text[max(0, m.start - 20) : m.start]):
            assert m.place.kind.value == "province", f"{row['surface']!r}: {m.place.id}"
            continue  # "the northern province of Raqqa": the province, as written
        place = m.place
        km = geodesic((place.lat, place.lon), (float(row["lat"]), float(row["lon"]))).km
        assert km <= float(row["tolerance_km"]), (
            f"{row['surface']!r} -> {place.id}, {km:.1f} km off"
        )
        assert place.kind.value in kinds, f"{row['surface']!r} -> {place.id} ({place.kind.value})"


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_mentions_map_no_organisation_compound_or_person(prefix):
    path = seed_file(prefix)
    result = run_cli("places", "mentions", str(path), "-f", "json")
    assert result.code == 0, result.err
    text = path.read_text(encoding="utf-8")
    for name in NOT_PLACES:
        for found in re.finditer(re.escape(name), text):
            inside = [
                m
                for m in json.loads(result.out)
                if found.start() <= m["start"] < found.end() and m["role"] == "place"
            ]
            assert not inside, f"{name!r} mapped as {inside[0]['surface']!r} ({inside[0]['id']})"


def test_seed_capitals_standing_for_governments_are_metonyms():
    path = seed_file("003")
    rows = json.loads(run_cli("places", "mentions", str(path), "-f", "json").out)
    text = path.read_text(encoding="utf-8")
    ankara = [r for r in rows if r["surface"] == "Ankara"]
    assert ankara and all(r["role"] == "metonym" for r in ankara)
    envoy = text.index("the Damascus envoy") + len("the ")
    assert [r["role"] for r in rows if r["start"] == envoy] == ["metonym"]


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory, seed_db_built):
    """`geomap ingest` of each seed, with ``--published`` for the four that print no date
    (made once a session: ``seed_db_built``; this module's copy)."""
    return copy_db(seed_db_built, tmp_path_factory.mktemp("seeds") / "seeds.db")


@functools.cache
def _state_json(db, day):
    """``geomap state --date DAY -f json`` run once for each database and day (the output
    serves every test that reads that day)."""
    result = run_cli("state", "--date", day, "--db", str(db), "-f", "json")
    assert result.code == 0, result.err
    return result.out


def state(db, day):
    return {row["id"]: row for row in json.loads(_state_json(db, day))}


@pytest.mark.parametrize(
    ("day", "place", "controller", "status"),
    [
        ("2016-12-15", "sy-palmyra", "ISIS", "held"),
        ("2017-03-03", "sy-palmyra", "GOV_SY", "held"),
        ("2017-03-03", "sy-al-bab", "TFSA", "held"),
        # the rebels' claim and Turkey's word, answered by SOHR's "still present in parts of
        # the town ... rebels in control of less than half of it": disputed (the annotation)
        ("2017-02-23", "sy-al-bab", "TFSA", "disputed"),
        # the government held a third of the city under an IS siege (the annotation, note 8:
        # contested; the besieger is still recorded)
        ("2017-01-18", "sy-deir-ez-zor", "GOV_SY", "contested"),
        # the siege broke on 09-05 but IS held eastern districts (the annotation: contested)
        ("2017-09-06", "sy-deir-ez-zor", "GOV_SY", "contested"),
        ("2016-11-10", "iq-hamam-al-alil", "GOV_IQ", "held"),
        ("2014-07-27", "sy-17th-division-base", None, "disputed"),
        # IS's city, which the 4 June dispatch quotes as "besieged by government troops from
        # the west and Syrian factions from the north and from the east" (the annotation
        # reads the quote as of the province; the reader takes "Raqqa" as written)
        ("2016-06-23", "sy-raqqa", "ISIS", "besieged"),
    ],
)
def test_seed_states(seed_db, day, place, controller, status):
    row = state(seed_db, day)[place]
    assert (row["controller"], row["status"]) == (controller, status)


def test_seed_deir_ezzor_besieged_by_isis_until_the_siege_broke(seed_db):
    assert state(seed_db, "2017-01-18")["sy-deir-ez-zor"]["besieger"] == "ISIS"
    result = run_cli("timeline", "sy-deir-ez-zor", "--db", str(seed_db), "-f", "json")
    spans = json.loads(result.out)["spans"]
    broken = [s for s in spans if s["start"] == "2017-09-05"]
    assert broken and broken[0]["status"] == "contested" and broken[0]["controller"] == "GOV_SY"
    assert any("broke" in e["sentence"] and "siege" in e["sentence"] for e in broken[0]["evidence"])


def test_seed_palmyra_recaptured_on_thursday_2017_03_02(seed_db):
    result = run_cli(
        "events", "--place", "Palmyra", "--since", "2017-03-01", "--db", str(seed_db), "-f", "json"
    )
    events = json.loads(result.out)
    recaptures = [e for e in events if e["kind"] == "recaptured" and e["date"] == "2017-03-02"]
    assert recaptures and recaptures[0]["actor"] == "GOV_SY"
    assert "fully recaptured the historic town of Palmyra" in recaptures[0]["sentence"]


def test_seed_al_bab_capture_keeps_the_observatory_contrary_report(seed_db):
    result = run_cli("timeline", "al-Bab", "--db", str(seed_db), "-f", "json")
    spans = json.loads(result.out)["spans"]
    evidence = " ".join(e["sentence"] for s in spans for e in s["evidence"])
    assert "Turkish-backed Syrian rebels said Thursday they had fully captured" in evidence
    assert "IS fighters were still present in parts of the town" in evidence


def test_seed_17th_division_attacked_and_capture_claim_disputed(seed_db):
    result = run_cli("events", "--place", "17th Division", "--db", str(seed_db), "-f", "json")
    events = json.loads(result.out)
    kinds = {(e["kind"], e["status"]) for e in events}
    assert ("attacked", "asserted") in kinds
    # "ISIS claimed to have overrun the base ... but local sources said the government
    # remains in control" names the base only before it is named (gold: "soldiers of the
    # 17th Division" is a unit, not the base), so only the explicit denial is on the base
    assert ("claimed_disputed", "negated") in kinds
    assert not any(e["kind"] == "captured" for e in events)
    assert all(e["date"].startswith("2014-07") for e in events)


def test_seed_distances_are_extracted(seed_db):
    result = run_cli("events", "--place", "Tabqa", "--db", str(seed_db), "-f", "json")
    advances = [e for e in json.loads(result.out) if e["kind"] == "advanced_to"]
    assert [e["distance_km"] for e in advances] == [40.0]


def test_seed_diff_winter_2016_palmyra_and_al_bab_change_hands(seed_db):
    result = run_cli("diff", "2016-12-15", "2017-03-05", "--db", str(seed_db), "-f", "json")
    changes = {c["id"]: c for c in json.loads(result.out)["changes"]}
    palmyra, al_bab = changes["sy-palmyra"], changes["sy-al-bab"]
    assert (palmyra["before"]["controller"], palmyra["after"]["controller"]) == ("ISIS", "GOV_SY")
    assert any(
        e["date"] == "2017-03-02" and "fully recaptured" in e["sentence"] for e in palmyra["events"]
    )
    assert (al_bab["before"]["controller"], al_bab["after"]["controller"]) == ("ISIS", "TFSA")


def test_seed_diff_2016_palmyra_lost_to_isis(seed_db):
    result = run_cli("diff", "2016-06-01", "2016-12-15", "--db", str(seed_db), "-f", "json")
    palmyra = {c["id"]: c for c in json.loads(result.out)["changes"]}["sy-palmyra"]
    assert (palmyra["before"]["controller"], palmyra["after"]["controller"]) == ("GOV_SY", "ISIS")


def test_seed_palmyra_history_matches_the_record(seed_db):
    spans = json.loads(run_cli("timeline", "Palmyra", "--db", str(seed_db), "-f", "json").out)
    held = [(s["start"][:7], s["controller"]) for s in spans["spans"] if s["controller"]]
    assert held == [
        ("2015-05", "ISIS"),
        ("2016-03", "GOV_SY"),
        ("2016-12", "ISIS"),
        ("2017-03", "GOV_SY"),
    ]
    # The one span without a holder: 1 March 2017, when IS had left the citadel and the
    # army "had not yet taken" it (the annotation's contested claim); it ends the next day.
    unheld = [s for s in spans["spans"] if not s["controller"]]
    assert [(s["start"], s["end"]) for s in unheld] in ([], [("2017-03-01", "2017-03-02")])
