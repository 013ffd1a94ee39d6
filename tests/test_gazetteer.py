"""The gazetteer: resolving spelling variants, finding names in text, and what is not a place."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap import GazetteerError, PlaceKind, Role

# Spellings reporters use that are NOT in the seed articles: (variant, expected place id).
VARIANTS = [
    *[
        (v, "sy-raqqa")
        for v in (
            "ar-Raqqah",
            "Ar Raqqah",
            "Rakka",
            "al-Raqqa",
            "Raqqah",
            "Al-Raqqah",
            "RAQQA",
            "Er Raqqa",
        )
    ],
    *[
        (v, "sy-deir-ez-zor")
        for v in (
            "Dayr az Zawr",
            "Deir al-Zor",
            "Dair ez-Zor",
            "Der Ezzor",
            "Deir Ez-Zour",
            "Deir el Zor",
            "Dayr al-Zawr",
            "Deir Zour",
            "Deir-ez-Zor",
        )
    ],
    *[(v, "sy-palmyra") for v in ("Tadmor", "Tudmur", "PALMYRA", "Tedmor")],
    *[
        (v, "sy-kobani")
        for v in ("Kobanî", "Ayn al-Arab", "Ain al Arab", "Ain al-'Arab", "Kobanê", "Ain el-Arab")
    ],
    *[(v, "sy-manbij") for v in ("Menbij", "Manbej", "Minbij")],
    *[(v, "sy-al-bab") for v in ("Al Bab", "El Bab", "Al-Bāb", "al Bab")],
    *[
        (v, "sy-tabqa")
        for v in (
            "Al Tabqah",
            "Tabaqa",
            "al-Thawrah",
            "Ath Thawrah",
            "Madinat al-Thawra",
            "At-Tabqa",
        )
    ],
    *[(v, "sy-aleppo") for v in ("Halab", "Haleb")],
    *[(v, "sy-qamishli") for v in ("Qamishlo", "Kamishli", "Al-Qamishli", "Qameshli")],
    *[(v, "sy-hasakah") for v in ("al-Hasakah", "Hasaka", "Hassakeh", "Al Hasakah", "Hasakeh")],
    *[(v, "sy-idlib") for v in ("Edlib", "Idleb")],
    *[(v, "sy-homs") for v in ("Hims",)],
    *[(v, "sy-daraa") for v in ("Deraa", "Dara'a", "Dar'a")],
    *[(v, "sy-jarabulus") for v in ("Jarablus", "Jerablus", "Djerablus")],
    *[(v, "sy-tal-abyad") for v in ("Tell Abyad", "Tal Abiad", "Tel Abyad", "Tell Abiad")],
    *[(v, "sy-ras-al-ain") for v in ("Ras al-Ayn", "Ras al Ain", "Ra's al-'Ayn")],
    *[(v, "sy-tal-rifaat") for v in ("Tell Rifaat", "Tal Refaat")],
    *[(v, "sy-azaz") for v in ("A'zaz", "Aazaz")],
    *[(v, "sy-afrin") for v in ("Efrin",)],
    *[(v, "sy-ain-issa") for v in ("Ayn Issa", "Ain Eissa", "Ein Issa")],
    *[(v, "sy-mayadin") for v in ("al-Mayadeen", "Mayadeen", "Al Mayadin")],
    *[(v, "sy-abu-kamal") for v in ("Albu Kamal", "Bukamal", "al-Bukamal", "Abou Kamal")],
    *[(v, "sy-shaddadi") for v in ("al-Shaddadi", "Shadadi")],
    *[
        (v, "sy-maarat-al-numan")
        for v in ("Ma'arrat al-Nu'man", "Maaret al-Noman", "Maarat an-Numan")
    ],
    *[
        (v, "sy-jisr-al-shughur")
        for v in ("Jisr ash-Shughur", "Jisr al-Shoughour", "Jisr el-Shughour")
    ],
    *[(v, "sy-khan-shaykhun") for v in ("Khan Sheikhoun", "Khan Sheikhun")],
    *[(v, "sy-saraqib") for v in ("Saraqeb",)],
    *[(v, "sy-darayya") for v in ("Daraya", "Dariya")],
    *[(v, "sy-zabadani") for v in ("Al-Zabadani", "Az-Zabadani")],
    *[(v, "sy-qaryatayn") for v in ("al-Qaryatayn", "Qaryatain", "Qaryatein")],
    *[(v, "sy-sukhnah") for v in ("al-Sukhnah", "Sukhna", "As-Sukhnah")],
    *[(v, "sy-salamiyah") for v in ("Salamiyeh", "Salamieh")],
    *[(v, "sy-rastan") for v in ("al-Rastan", "Ar-Rastan")],
    *[(v, "sy-qusayr") for v in ("al-Qusayr", "Qusair", "Al-Qusair")],
    *[(v, "sy-dabiq") for v in ("Dabeq",)],
    *[(v, "sy-deir-hafer") for v in ("Dayr Hafir", "Deir Hafir")],
    *[(v, "sy-maskanah") for v in ("Maskana", "Meskene")],
    *[(v, "sy-khanasir") for v in ("Khanaser", "Khanasser")],
    *[(v, "sy-safira") for v in ("al-Safira", "As-Safirah", "Safirah")],
    *[(v, "sy-tabqa-dam") for v in ("al-Thawra dam", "Euphrates Dam", "Tabaqah Dam")],
    *[
        (v, "sy-tabqa-airbase")
        for v in ("Tabqa airbase", "Tabqa military airport", "Tabqa airfield")
    ],
    *[
        (v, "sy-deir-ez-zor-airbase")
        for v in ("Deir ez-Zor airport", "Deir Ezzor military airport", "Dayr az-Zawr airbase")
    ],
    *[(v, "sy-kuweires-airbase") for v in ("Kuweires airbase", "Kweiris air base")],
    *[(v, "sy-t4-airbase") for v in ("T4 airbase", "Tiyas airbase")],
    *[(v, "sy-shayrat-airbase") for v in ("Shayrat airbase", "Shairat air base")],
    *[(v, "sy-menagh-airbase") for v in ("Menagh air base", "Minakh airbase")],
    *[(v, "sy-brigade-137") for v in ("137th Brigade",)],
    *[(v, "sy-17th-division-base") for v in ("Division 17", "17th Division base")],
    *[(v, "sy-sheikh-maqsoud") for v in ("Sheikh Maksoud", "Shaykh Maqsud")],
    *[(v, "sy-mount-hilal") for v in ("Jabal Hilal", "Jebel Hilal")],
    *[(v, "sy-raqqa-province") for v in ("Raqqa governorate", "ar-Raqqah Governorate")],
    *[(v, "sy-deir-ez-zor-province") for v in ("Deir ez-Zor governorate", "Dayr az Zawr province")],
    *[(v, "sy-hasakah-province") for v in ("Hasakah governorate", "al-Hasakah province")],
    *[(v, "sy-idlib-province") for v in ("Idleb province", "Idlib governorate")],
    *[(v, "iq-mosul") for v in ("Mawsil", "al-Mosul", "Al Mawsil")],
    *[(v, "iq-hamam-al-alil") for v in ("Hammam al Alil", "Hammam al-Aleel", "Hamam Alil")],
    *[(v, "iq-fallujah") for v in ("Falluja", "Faluja", "al-Fallujah")],
    *[(v, "iq-tal-afar") for v in ("Tall Afar", "Tel Afar", "Tal Afar")],
    *[(v, "iq-qayyarah") for v in ("Qayyara", "al-Qayyarah")],
    *[(v, "iq-ramadi") for v in ("Ar Ramadi", "al-Ramadi")],
    *[(v, "iq-tikrit") for v in ("Tikreet", "Takrit")],
    *[(v, "ly-sirte") for v in ("Sirt", "Surt")],
    *[(v, "ly-misrata") for v in ("Misurata", "Misratah")],
]


def test_variant_table_is_large():
    assert len(VARIANTS) >= 100


@pytest.mark.parametrize(("variant", "expected"), VARIANTS)
def test_variant_resolves_to_place(gaz, variant, expected):
    place = gaz.match(variant)
    assert place is not None, f"{variant!r} did not resolve"
    assert place.id == expected, f"{variant!r} -> {place.id}"


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("Arak", "sy-al-hirak"),
        ("al-Hirak", "sy-arak"),
        ("Tabqa", "sy-tabqa-dam"),
        ("Tabqa dam", "sy-tabqa"),
        ("Tabqa air base", "sy-tabqa-dam"),
    ],
)
def test_similar_names_stay_apart(gaz, name, wrong):
    place = gaz.match(name)
    assert place is not None and place.id != wrong


def test_unknown_name_gets_fuzzy_suggestions_but_no_match(gaz):
    candidates = gaz.resolve("Raqqqa Springs Village")
    assert gaz.match("Raqqqa Springs Village") is None
    assert all(c.how == "fuzzy" and c.score < 0.8 for c in candidates)


def test_fuzzy_never_resolves_a_missing_village_to_a_lookalike(gaz):
    assert gaz.match("Arakat") is None


@pytest.mark.parametrize("bad", ["", "   ", "-- ''", "x" * 10_000])
def test_resolve_rejects_empty_and_huge_names(gaz, bad):
    with pytest.raises(GazetteerError):
        gaz.resolve(bad)


@given(st.sampled_from(VARIANTS))
def test_resolve_variant_equals_resolve_canonical(gaz, case):
    variant, expected = case
    canonical = gaz.get(expected).name
    assert gaz.match(variant) == gaz.match(canonical)


# ----------------------------------------------------------------------- finding in text
def mentions(gaz, text):
    return [(m.surface, m.place.id) for m in gaz.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Troops reached the Tabqa dam on Monday.", [("Tabqa dam", "sy-tabqa-dam")]),
        ("They shelled the Tabqa air base.", [("Tabqa air base", "sy-tabqa-airbase")]),
        (
            "Fighting near Deir ez-Zor airport went on.",
            [("Deir ez-Zor airport", "sy-deir-ez-zor-airbase")],
        ),
        ("ISIS held Raqqa province for years.", [("Raqqa province", "sy-raqqa-province")]),
        ("the northern province of Raqqa", [("Raqqa", "sy-raqqa-province")]),
        ("the city of Raqqa", [("Raqqa", "sy-raqqa")]),
        ("Raqa and Mosul are the last cities", [("Raqa", "sy-raqqa"), ("Mosul", "iq-mosul")]),
        (
            "fighting in ar-Raqqah and Deir el-Zour",
            [("ar-Raqqah", "sy-raqqa"), ("Deir el-Zour", "sy-deir-ez-zor")],
        ),
        ("Syria’s army advanced", [("Syria", "sy-syria")]),
    ],
)
def test_find_longest_match_and_feature_words(gaz, text, expected):
    assert mentions(gaz, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The Syrian Observatory for Human Rights said so.",
        "The activist group Raqqa Is Being Slaughtered Silently reported it.",
        "The Manbij Military Council said it would withdraw.",
        "The Deir Ezzor 24 news network reported clashes.",
        "The SDF launched operation Wrath of the Euphrates on Sunday.",
        "US-backed fighters and U.K.-based monitors agreed.",
        "a Raqqa-based activist said",
        "President Bashar al-Assad congratulated troops.",
        "Assad's forces advanced.",
        "the Islamic State of Iraq and the Levant (ISIL) said",
        "Hit by airstrikes, the convoy stopped.",
        "– ‘Tall task’ ahead –",
    ],
)
def test_names_that_are_not_places_map_nothing(gaz, text):
    assert mentions(gaz, text) == []


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("As Ankara said its allies had near complete control", "Ankara"),
        ("Moscow claimed that the operation worked", "Moscow"),
        ("the Damascus envoy to the talks", "Damascus"),
        ("an embarrassment to both Moscow and Damascus", "Damascus"),
    ],
)
def test_capital_standing_for_government_is_a_metonym(gaz, text, surface):
    found = {m.surface: m.role for m in gaz.find(text)}
    assert found[surface] is Role.METONYM


def test_capital_as_a_location_is_a_place(gaz):
    found = gaz.find("In Damascus, the government maintained its offensive.")
    assert [(m.surface, m.role) for m in found] == [("Damascus", Role.PLACE)]


def test_country_context_prefers_places_of_that_country(gaz):
    text = "In Libya, forces of the government in Tripoli fought near Sirte and Khoms."
    found = {m.surface: m.place for m in gaz.find(text)}
    assert found["Khoms"].country == "LY"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_find_spans_index_the_original_text(gaz, text):
    for m in gaz.find(text):
        assert text[m.start : m.end] == m.surface


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Raqqa",
                " al-",
                "Deir",
                " ez-Zor",
                "’s",
                " and ",
                "\u200f",
                "ʿ",
                "Tabqa",
                " dam",
                "\n",
                "U.S.-backed",
                " Is ",
                "é",
            ]
        ),
        max_size=30,
    )
)
def test_find_on_name_soup_keeps_spans_right(gaz, parts):
    text = "".join(parts)
    for m in gaz.find(text):
        assert text[m.start : m.end] == m.surface
        assert m.place.kind in PlaceKind


# ------------------------------------------------------------- the bulk villages (WOF)
def test_bulk_extract_holds_the_villages_of_syria_and_iraq_once(gaz):
    bulk = [p for p in gaz.places.values() if "wof:" in p.source]
    assert sum(p.country == "SY" for p in bulk) > 9_000
    assert sum(p.country == "IQ" for p in bulk) > 19_000
    bulk_gn = [p.source.split()[0] for p in gaz.places.values() if not p.curated and p.source]
    curated_gn = {
        g for p in gaz.places.values() if p.curated for g in p.source.split() if "geonames:" in g
    }
    assert len(bulk_gn) == len(set(bulk_gn)), "one bulk place per geonameid"
    assert not curated_gn & set(bulk_gn), "a curated place replaces its bulk record"


@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("Raqqa", "sy-raqqa"),
        ("Aleppo", "sy-aleppo"),
        ("Manbij", "sy-manbij"),
        ("Mosul", "iq-mosul"),
    ],
)
def test_bulk_villages_do_not_steal_well_known_names(gaz, name, place_id):
    found = gaz.find(f"Fighting raged in {name} on Tuesday.")
    assert [m.place.id for m in found] == [place_id]
    assert gaz.match(name).id == place_id


# Namesakes: the same village name in two provinces, chosen by the article both ways.
NAMESAKES = [
    ("ISIS attacked Khirbat Askar in Hasakah province.", "Khirbat Askar", "gn-168069"),
    ("ISIS attacked Khirbat Askar in Aleppo province.", "Khirbat Askar", "gn-168303"),
    ("Kurdish fighters took Tall Anbar near Qamishli.", "Tall Anbar", "gn-163677"),
    ("Rebels shelled Tall Anbar near Manbij.", "Tall Anbar", "gn-163678"),
    ("Shelling hit Tall Anbar in the Hasakah countryside on Monday.", "Tall Anbar", "gn-163677"),
    ("Shelling hit Tall Anbar in the Aleppo countryside on Monday.", "Tall Anbar", "gn-163678"),
]


@pytest.mark.parametrize(("text", "surface", "place_id"), NAMESAKES)
def test_namesakes_are_chosen_by_the_article(gaz, text, surface, place_id):
    found = {m.surface: m for m in gaz.find(text)}
    assert found[surface].place.id == place_id
    assert found[surface].score < 1.0  # a choice among namesakes, not a certainty


@pytest.mark.parametrize(
    ("query", "place_id"),
    [("Khirbat Askar, Hasakah", "gn-168069"), ("Khirbat Askar, Aleppo", "gn-168303")],
)
def test_resolve_takes_context_after_a_comma(gaz, query, place_id):
    candidates = gaz.resolve(query)
    assert candidates[0].place.id == place_id
    assert candidates[1].place.name == candidates[0].place.name  # the runner-up namesake


def test_namesakes_without_context_are_a_guess(gaz):
    candidates = gaz.resolve("Khirbat Askar")
    assert len(candidates) >= 2 and candidates[0].score <= 0.6


# Villages named like words or people map only with a cue (or a place near them).
@pytest.mark.parametrize(
    "text",
    [
        "Rami Abdul Rahman said the fighting continued.",
        "Khalid and Karim told reporters that Adam had left.",
        "IS jihadists first seized Palmyra in May 2015.",
        "Safa news agency reported a new attack.",
        "Jihad was on everyone's lips in Raqqa.",
        "Sheikh Abu Bakr spoke on Friday.",
    ],
)
def test_word_like_village_names_without_a_cue_are_not_places(gaz, text):
    found = gaz.find(text)
    assert all(m.place.curated or m.place.kind is not PlaceKind.VILLAGE for m in found), [
        (m.surface, m.place.id) for m in found
    ]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Troops entered the village of Rahman on Sunday.", "Rahman"),
        ("Jets struck Rahman village at dawn.", "Rahman"),
    ],
)
def test_word_like_village_names_with_a_cue_are_places(gaz, text, surface):
    found = [m.place for m in gaz.find(text) if m.surface.startswith(surface)]
    assert found and found[0].kind is PlaceKind.VILLAGE and found[0].name == surface


# ------------------------------------------------------------------ Arabic script
@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("الرقة", "sy-raqqa"),
        ("الرقه", "sy-raqqa"),  # ta marbuta written as ha
        ("الرَّقَّة", "sy-raqqa"),  # with harakat
        ("الرقـــة", "sy-raqqa"),  # tatweel
        ("دير الزور", "sy-deir-ez-zor"),
        ("أثريا", "sy-athriya"),
        ("اثريا", "sy-athriya"),  # bare alef
        ("منبج", "sy-manbij"),
        ("محافظة الرقة", "sy-raqqa-province"),
    ],
)
def test_arabic_script_names_resolve(gaz, name, place_id):
    assert gaz.match(name).id == place_id


def test_arabic_text_finds_places_with_joined_prefixes(gaz):
    text = "سيطرت قوات سوريا الديمقراطية على مدينة الرقة وبلدة عين عيسى وبالطبقة قرب تل أبيض"
    found = [(m.surface, m.place.id) for m in gaz.find(text)]
    assert ("الرقة", "sy-raqqa") in found
    assert ("عين عيسى", "sy-ain-issa") in found
    assert ("وبالطبقة", "sy-tabqa") in found
    assert all(text[m.start : m.end] == m.surface for m in gaz.find(text))
    assert "مدينة" not in [s for s, _ in found]  # "city" is a word, not a village


# ------------------------------------------------------ forms, codes, abbreviations
@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("Muhafazat ar-Raqqah", "sy-raqqa-province"),
        ("Deir ez-Zor Governorate", "sy-deir-ez-zor-province"),
        ("SY-RA", "sy-raqqa-province"),
        ("OSTQ", "sy-tabqa-airbase"),
        ("Sadd al-Furat", "sy-tabqa-dam"),
        ("Callinicum", "sy-raqqa"),
        ("137th Mechanized Brigade", "sy-brigade-137"),
        ("17th Reserve Division HQ", "sy-17th-division-base"),
        ("Al-Baghaliyah", "sy-baghaliyeh"),
    ],
)
def test_formal_names_codes_and_historic_names_resolve(gaz, name, place_id):
    assert gaz.match(name).id == place_id


def test_dotted_abbreviation_is_a_place_but_not_in_compounds_or_links(gaz):
    text = (
        "U.S. officials said U.S.-backed fighters and a joint US-Russian plan were ready. "
        "Link: http://example.com/US-backed_forces"
    )
    assert [(m.surface, m.place.id) for m in gaz.find(text)] == [("U.S.", "country-us")]


def test_unit_named_like_its_base_is_not_the_base(gaz):
    assert gaz.find("They executed soldiers of the 17th Division stationed there.") == []
    found = gaz.find("ISIS stormed the 17th Division base on Friday.")
    assert [m.place.id for m in found] == ["sy-17th-division-base"]


def test_site_named_after_a_town_when_the_text_says_which(gaz):
    found = gaz.find("Troops seized an ISIS-held oilfield in Thawra on Sunday.")
    assert [m.place.id for m in found] == ["sy-thawra-oilfield"]


def test_prebuilt_index_gives_the_same_answers(gaz):
    from geomap.gazetteer import _from_state, _to_state

    again = _from_state(_to_state(gaz))
    text = "Kurdish fighters took Tall Anbar near Qamishli and entered the village of Rahman."
    assert [(m.surface, m.place.id) for m in again.find(text)] == [
        (m.surface, m.place.id) for m in gaz.find(text)
    ]
    assert again.resolve("Khirbat Askar") == gaz.resolve("Khirbat Askar")
    # the spelling families read from the stored variant index, not rebuilt
    assert "_variant_index" in again.__dict__
    family = "Peshmerga forces have also retaken the towns of Sharafiya and Batnaya."
    assert [(m.surface, m.place.id) for m in again.find(family)] == [
        (m.surface, m.place.id) for m in gaz.find(family)
    ]
    assert "Batnaya" in [m.surface for m in again.find(family)]


# ------------------------------------------------------- places the data lacks
def test_unknown_village_with_an_anchor_is_placed_from_it(gaz):
    text = "IS fled the village of Qurt Wazzan, 10 km north of Manbij, on Sunday."
    [unknown] = gaz.unknown_places(text)
    assert (unknown.name, unknown.kind, unknown.anchor.id) == (
        "Qurt Wazzan",
        PlaceKind.VILLAGE,
        "sy-manbij",
    )
    assert unknown.distance_km == 10.0 and unknown.bearing == 0.0
    manbij = gaz.get("sy-manbij")
    assert (
        abs(unknown.lat - (manbij.lat + 10 / 111.2)) < 0.01 and abs(unknown.lon - manbij.lon) < 1e-6
    )
    assert unknown.tolerance_km and text[unknown.start : unknown.end] == "Qurt Wazzan"


def test_unknown_hill_near_a_place_and_without_anchor(gaz):
    [hill] = gaz.unknown_places("The army stormed Qarn Wazzun hill near Palmyra.")
    assert hill.kind is PlaceKind.MOUNTAIN and hill.anchor.id == "sy-palmyra"
    assert hill.distance_km is None and hill.lat == hill.anchor.lat  # approximate, ±10 km
    [alone] = gaz.unknown_places("Clashes erupted in the Bab Wazzun district.")
    assert alone.kind is PlaceKind.NEIGHBOURHOOD and alone.anchor is None and alone.lat is None


def test_known_places_are_not_unknown(gaz):
    assert gaz.unknown_places("Troops entered the town of Manbij and the village of Rahman.") == []


def test_index_file_round_trip_and_one_file_per_folder(tmp_path, monkeypatch):
    from geomap.gazetteer_cache import index_path, read_index, write_index

    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("x\n", encoding="utf-8")
    first = index_path(data)
    write_index(first, {"places": {"p": "row"}})
    assert read_index(first)["places"] == {"p": "row"}
    (data / "a.csv").write_text("changed\n", encoding="utf-8")
    second = index_path(data)
    assert second != first and read_index(second) is None  # a stale index is never read
    write_index(second, {"places": {}})
    assert sorted((tmp_path / "cache").iterdir()) == [second]
    second.write_bytes(b"not an index")
    assert read_index(second) is None


# ------------------------------------------------- spellings the development table showed
@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        # the French silent final -e: GeoNames' "Aanadâne" is ʿAnadan
        ("Anadan", "gn-173223"),
        ("‘Anadan", "gn-173223"),
        # an English-style "qu" before a for q
        ("Quaryatayn", "sy-qaryatayn"),
        # the diminutive written -uwa-/-wei-: Kuwayris = Kweiris
        ("Kweiris", "sy-kuweires"),
        ("Kweyris", "sy-kuweires"),
        # "ei" written for a long i, read so only when the word names nothing as it is
        ("Menbeij", "sy-manbij"),
        ("Khan Al-Sheih", "sy-khan-al-shih"),
        # Tal (mound), Tallat (hills) and Jabal name one hill
        ("Tal Al-‘Eiss", "wm-jabal-al-eis"),
        ("Telat al-Eis", "wm-jabal-al-eis"),
        # site words after a known name: the place itself, or its own site
        ("Handarat factories", "sy-handarat"),
        ("Zakiyah Crossroad", "sy-zakiyah"),
        ("‘Anadan Plains", "gn-173223"),
        ("Al-Fijah Springs", "sy-ain-al-fijeh"),
        ("Wadi al-Deif Camp", "sy-wadi-deif-base"),
        # an air base the gazetteer lacks: the airstrip at the town
        ("Sarrin Airbase", "sy-sarrin"),
        # the nisba ending -ia = -iya(h)
        ("Badiyah Cement Factory", "wm-badia-cement-factory"),
    ],
)
def test_spelling_rules_from_the_development_table(gaz, name, place_id):
    place = gaz.match(name)
    assert place is not None and place.id == place_id, f"{name!r} -> {place}"


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("Tal Abyad", "wm-abyad-mountains"),  # a hill form never takes a listed name
        ("Sheikh Maqsoud", "gn-173773"),  # "ei" of Sheikh, Deir, Beit is never re-read
        ("Deir ez-Zor", "gn-173773"),
        ("Tabqa air base", "sy-tabqa"),  # an air base the gazetteer has stays the base
        ("Russia", "gn-8266556"),  # -ia = -iya: the country, never the village Rusiyah
    ],
)
def test_spelling_rules_keep_names_apart(gaz, name, wrong):
    place = gaz.match(name)
    assert place is not None and place.id != wrong


def test_site_word_after_a_neutral_word_or_nothing_known_names_nothing(gaz):
    assert gaz.match("Arab Springs") is None
    assert gaz.match("Minyan Suburb") is None  # Minyan itself is not in the gazetteer


def test_french_silent_e_is_read_only_in_french_spellings(gaz):
    from geomap.names import name_key

    # "Kêlane" (Kurdish, Iraq) keys as written; "Aanadâne" (French, Syria) also as "Anadan"
    assert "gn-445684" not in {p.id for p in gaz._by_key.get(name_key("Kelan"), [])}
    assert "gn-173223" in {p.id for p in gaz._by_key.get(name_key("Anadan"), [])}
    # "Kobane" has no French letters: no "Koban"
    assert "sy-kobani" not in {p.id for p in gaz._by_key.get(name_key("Koban"), [])}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the town of ‘Anadan in", [("Anadan", "gn-173223")]),  # the ʿayn mark before a cue
        ("withdraw from Menbeij city.", [("Menbeij city", "sy-manbij")]),
        (
            "airstrikes over the towns of Deir Khabiyeh and Khan Al-Sheih.",
            [("Deir Khabiyeh", "gn-170778"), ("Khan Al-Sheih", "sy-khan-al-shih")],
        ),
        ("liberated the Handarat factories", [("Handarat factories", "sy-handarat")]),
        ("the FSA-held Wadi al-Deif Camp in", [("Wadi al-Deif Camp", "sy-wadi-deif-base")]),
        ("the jihadist-held Al-Fijah Springs in", [("Al-Fijah Springs", "sy-ain-al-fijeh")]),
        ("the army took Telat al-Eis on Monday", [("Telat al-Eis", "wm-jabal-al-eis")]),
        ("Their forces took Sheikh Maqsoud", [("Sheikh Maqsoud", "sy-sheikh-maqsoud")]),
    ],
)
def test_find_reads_the_new_spellings(gaz, text, expected):
    assert mentions(gaz, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the Arab Spring began in 2011",  # a site word after a neutral word
        "the SSNP was busy capturing the ‘Umar bin Khattab Camp, the",  # a person's name
        "Their leader said",  # a common word is never re-read ("Thir")
    ],
)
def test_new_spellings_map_no_false_places(gaz, text):
    assert mentions(gaz, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name that keys to nothing, read with every vowel one, with a cue and the
        # article's province or a place within 50 km
        (
            "the southern countryside of the Hama Governorate, targeting the village of "
            "Hirbnafseh, which",
            [("Hama Governorate", "sy-hama-province"), ("Hirbnafseh", "gn-169886")],
        ),
        (
            "a hospital in the rebel-held Meles town in the countryside of Idlib province.",
            [("Meles", "gn-166896"), ("Idlib province", "sy-idlib-province")],
        ),
    ],
)
def test_a_vowel_variant_is_a_place_with_a_cue_and_context(gaz, text, expected):
    assert mentions(gaz, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the loose key alone would say Sanliurfa (Turkey), Iraq's Nasrallah, Kobani
        "ISIS launched an offensive inside Deir Ezzor City, targeting the districts of "
        "Al-‘Arfi and Mouzafeen.",
        "an assault near the Kuweires Military Airport, targeting the village of Nasrallah.",
        "a new offensive in northeastern Latakia, targeting the strategic town of Kabani",
        # no cue: nothing, even with the province named
        "In the Hama Governorate, Hirbnafseh was quiet.",
    ],
)
def test_a_vowel_variant_without_cue_or_context_is_no_place(gaz, text):
    loose = [
        (m.surface, m.place.id)
        for m in gaz.find(text)
        if m.surface in {"Al-‘Arfi", "Nasrallah", "Hirbnafseh"}
        or (m.surface == "Kabani" and m.place.id == "sy-kobani")
    ]
    assert loose == []


# ------------------------------------------ spellings and places of real reporting
@pytest.mark.parametrize(
    "text, expected",
    [
        # the article glued to a vowel variant is part of it, as it is of any name
        (
            "Jabhat Al-Nusra attacked the villages of Al-Rumliyah and Al-Madajin in the "
            "Hama Governorate’s southeastern countryside.",
            [("Al-Rumliyah", "gn-165539"), ("Hama Governorate", "sy-hama-province")],
        ),
        # a site's feature word narrows a vowel variant of its name to a site of its kind
        (
            "The Desert Hawks began their assault at the Al-Sha’ar Gas Fields on Friday.",
            [("Al-Sha’ar Gas Fields", "sy-shaer-gasfield")],
        ),
        # two words that together name one place, with a cue ("captured")
        (
            "The Syrian forces stormed and captured Surjah Kabira and Surjah Saghira.",
            [("Surjah Kabira", "gn-164794"), ("Surjah Saghira", "gn-164793")],
        ),
    ],
)
def test_spelling_variants_of_real_reporting_are_found(gaz, text, expected):
    assert [x for x in mentions(gaz, text) if x[0] != "Syrian"] == expected


def placed(gaz, text):
    return [
        (u.name, u.kind.value, u.anchor.id if u.anchor else None, u.tolerance_km)
        for u in gaz.unknown_places(text)
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The army stormed the Minyan Suburb of west Aleppo after a night of shelling.",
            [("Minyan Suburb", "neighbourhood", "sy-aleppo", 9.2)],
        ),
        (
            "Rebels targeted the government-held Al-Zahra Association Quarter in west Aleppo.",
            [("Al-Zahra Association Quarter", "neighbourhood", "sy-aleppo", 9.2)],
        ),
        (
            "Warplanes struck Aleppo’s Wazzun District on Monday.",
            [("Wazzun District", "neighbourhood", "sy-aleppo", 9.2)],
        ),
        # the one town the sentence is in holds a district it names
        (
            "The Guard began an assault in the southern\xa0sector of Aleppo, striking the "
            "1070 Al-Hamdaniyah Housing Project held by the rebels.",
            [("1070 Al-Hamdaniyah Housing Project", "neighbourhood", "sy-aleppo", 9.2)],
        ),
        (
            "Among the targets in the Deir Ezzor, jets hit the ISIS-controlled Al-‘Arfi District.",
            [("Al-‘Arfi District", "neighbourhood", "sy-deir-ez-zor", 2.9)],
        ),
        # a hill of a village (Tall Jibbin, Aleppo): the village's land, a few km more
        (
            "Troops took Hill 30 of Tall Jibbin on Monday.",
            [("Hill 30", "mountain", "gn-12955", 6.0)],
        ),
    ],
)
def test_a_titled_place_is_placed_in_the_settlement_the_text_puts_it_in(gaz, text, expected):
    assert placed(gaz, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # no settlement: listed, not placed
        ("The SDF liberated the Shaher District and the 3000 Apartment Project.", None),
        # a city named, but "from" it, not "in" it
        ("The fighters, from the nearby city of Misrata, took the Wazzun District.", None),
        # two towns the sentence is in: which one holds it is not said
        ("In Aleppo and in Hama, the army shelled the Wazzun District.", None),
        # a district is part of a city or town, not of a village
        ("Rebels entered the Wazzun District of Tall Jibbin.", None),
        # a city stands for its province too: a base "in Hama" is not placed at the city
        ("Rebels overran Base 80 in Hama on Sunday.", None),
    ],
)
def test_a_titled_place_without_a_settlement_it_is_part_of_is_not_placed(gaz, text, expected):
    assert {anchor for _, _, anchor, _ in placed(gaz, text)} <= {expected}


@pytest.mark.parametrize(
    "text",
    [
        "US jets struck the Air Base and the Military Base on Monday.",
        "The Central District and the Syrian Army Base were quiet.",
        "Hezbollah Base was hit.",
        "The Tabqa Military Base fell.",  # a known place: found, not unknown
    ],
)
def test_a_kind_word_alone_or_after_common_words_names_no_unknown_place(gaz, text):
    assert placed(gaz, text) == []


def test_a_titled_place_is_a_found_place_saying_how_it_was_placed(gaz):
    [unknown] = gaz.unknown_places("The army stormed the Minyan Suburb of west Aleppo.")
    place = gaz.found_place(unknown)
    assert place.id == "found:minyan-suburb:neighbourhood:sy-aleppo"
    assert (place.near, place.source, place.tolerance_km) == (
        "sy-aleppo",
        "text: in Aleppo (±9.2 km)",
        9.2,
    )


@pytest.mark.timing
def test_titled_places_in_hostile_text_stay_linear(gaz):
    import time

    for unit in ("Foo Bar Baz Qux District ", "Al-Foo al-Bar Base 12 of ", "Hill Base Station "):
        text = unit * (200_000 // len(unit))
        began = time.perf_counter()
        gaz.unknown_places(text, mentions=[])
        assert time.perf_counter() - began < 5.0


@pytest.mark.parametrize(
    ("text", "surface", "place_id"),
    [
        # spelling families read with a cue (variants of dev-table sentences)
        (
            "On May 21, IS takes Al-Tanaf, the final border crossing with Iraq.",
            "Al-Tanaf",
            "sy-tanf-crossing",
        ),
        ("SDF shelled the rebel-held town of Mare' for several hours.", "Mare'", "sy-marea"),
        (
            "Peshmerga forces have also retaken the towns of Sharafiya and Batnaya.",
            "Batnaya",
            "gn-97829",
        ),
        ("Kurdish forces handed over Makhmour, Mosul Dam, and Rabeaa.", "Rabeaa", "iq-rabia"),
        ("Peshmerga had taken Sinune, the biggest town west of Mosul.", "Sinune", "gn-90514"),
        ("Civilians were killed in the neighbourhood of Kokajli.", "Kokajli", "iq-gogjali"),
        (
            "Troops regained ground in the northern town of Sulaiman Pek on Friday.",
            "Sulaiman Pek",
            "gn-90558",
        ),
        ("IS attacked Gharib and Hanaf villages in southwestern Kirkuk.", "Hanaf", "gn-6770226"),
    ],
)
def test_find_reads_spelling_families_with_a_cue(
    gaz, text: str, surface: str, place_id: str
) -> None:
    assert (surface, place_id) in [(m.surface, m.place.id) for m in gaz.find(text)]


def test_find_reads_no_acronym_in_a_spelling_family(gaz) -> None:
    text = "Rami Abdel Rahman, SOHR’s director, told AFP. SOHR’s monitors said the village fell."
    assert "SOHR" not in [m.surface for m in gaz.find(text)]


def test_oil_field_is_linked_to_the_village_it_is_named_after(gaz) -> None:
    assert gaz.get("wm-ain-zalah-oil-field").near == "gn-98287"
