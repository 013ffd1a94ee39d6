"""Finding names as reporters write them: marks inside names, odd spaces, control cues,
lists that a plural names, areas written with a small direction word, and the speed-ups
of ``find`` giving the same mentions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap import PlaceKind, Role
from geomap.gazetteer import _CHUNK, _SPACE_BEFORE, _chunk_pattern, _word_start
from geomap.names import _LETTER_RULES, _WORD_FORMS, name_key, token_key
from geomap.namesakes import distance_km
from tests.conftest import ROOT


def surfaces(gaz, text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.place.id) for m in gaz.find(text)]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        # an ʿayn mark opening the word after the article
        ("Troops stormed the village of Rasm Al-‘Abed at dawn.", "Rasm Al-‘Abed"),
        ("Troops stormed the village of Rasm Al-ʿAbed at dawn.", "Rasm Al-ʿAbed"),
        # a no-break space between the name and its feature word
        ("Shelling hit Idlib\u00a0province again.", "Idlib\u00a0province"),
        # a hyphenated feature word
        (
            "ISIS failed to retake the Al-Walid border-crossing on Monday.",
            "Al-Walid border-crossing",
        ),
    ],
)
def test_names_with_marks_odd_spaces_and_hyphenated_features_are_found(gaz, text, surface):
    assert surface in [s for s, _ in surfaces(gaz, text)]


@pytest.mark.parametrize(
    "text",
    [
        "Fighters regained control of Dhuluiyah on Friday.",
        "The army moved to seize Dhuluiyah before dawn.",
        "The recapture of Dhuluiyah took a week.",
    ],
)
def test_words_of_taking_ground_are_cues_for_a_village_name(gaz, text):
    assert "Dhuluiyah" in [s for s, _ in surfaces(gaz, text)]


def test_a_bare_village_name_without_a_cue_stays_unmapped(gaz):
    assert "Dhuluiyah" not in [s for s, _ in surfaces(gaz, "Dhuluiyah said nothing.")]


def test_a_plural_feature_word_after_a_list_cues_every_name_in_it(gaz):
    found = [
        s
        for s, _ in surfaces(gaz, "Mortars hit the Kurdish-held Bazzaa and Mahatta neighborhoods.")
    ]
    assert "Mahatta" in found


def test_a_long_list_after_a_cue_carries_the_cue_along(gaz):
    names = ", ".join(["Ziyada", "Mirza", "Hurriya", "Bizuna", "Khirbet Tair", "Taya"] * 2)
    text = f"The YPG took control of the villages of {names}, and Dhuluiyah."
    assert "Dhuluiyah" in [s for s, _ in surfaces(gaz, text)]


@pytest.mark.parametrize("direction", ["eastern", "east"])
def test_an_area_named_with_a_small_direction_word_is_the_area(gaz, direction):
    found = surfaces(gaz, f"Rebels were driven from {direction} Aleppo last year.")
    assert found == [(f"{direction} Aleppo", "sy-eastern-aleppo")]
    assert gaz.get("sy-eastern-aleppo").near == "sy-aleppo"


def test_a_direction_word_before_a_place_without_such_an_area_changes_nothing(gaz):
    assert surfaces(gaz, "They advanced from eastern Raqqa.")[0][0] == "Raqqa"


def test_the_construct_ending_written_et_is_the_same_name():
    assert name_key("Dahiyet al-Assad") == name_key("Dahiyat al-Assad")
    assert name_key("yet") == "yet"


def _token_key_by_regex(token: str) -> str:
    """token_key as it was written first: every letter rule a re.sub, every time."""
    word = _WORD_FORMS.get(token, token)
    for _ in range(4):
        before = word
        for pattern, replacement in _LETTER_RULES:
            word = pattern.sub(replacement, word)
        word = _WORD_FORMS.get(word, word)
        if word == before:
            break
    return word


@given(st.text(alphabet="aeiouyhcktsdjzqgwprnm\n1", max_size=12))
@settings(max_examples=600, deadline=None)
def test_token_keys_by_gated_steps_are_the_keys_by_regex(token):
    assert token_key.__wrapped__(token) == _token_key_by_regex(token)


def test_find_gives_the_same_mentions_on_a_second_pass(gaz):
    text = "IS fled Manbij, near the Tabqa dam, and the village of Qabasin in Aleppo province."
    first = gaz.find(text)
    assert gaz.find(text) == first
    assert [m.surface for m in first] == ["Manbij", "Tabqa dam", "Qabasin", "Aleppo province"]


@given(st.text(alphabet=" \t\n\u00a0\u2028ab:/.w", max_size=40), st.integers(0, 45))
@settings(max_examples=400, deadline=None)
def test_the_word_before_a_link_starts_where_the_regex_said(text, at):
    at = min(at, len(text))
    head = _SPACE_BEFORE.search(text, max(0, at - 300), at)
    assert _word_start(text, at) == (head.end() if head else max(0, at - 300))


def test_the_word_before_a_link_is_found_far_back_and_before_a_newline():
    for text in ("x" * 400 + "://a", "ab cd\n://", "ab\n://", "\n://", "a b  ://"):
        at = text.index("://")
        head = _SPACE_BEFORE.search(text, max(0, at - 300), at)
        assert _word_start(text, at) == (head.end() if head else max(0, at - 300))


def test_a_name_seen_in_other_chunks_is_the_same_place_with_its_own_feature_word(gaz):
    """What a run of words names is memoised across chunks, keyed with the feature word
    after it: "Tabqa" then "Tabqa dam" then "Tabqa on Sunday" each get their own place."""
    text = "Raids hit Tabqa. Troops neared the Tabqa dam. Jets struck Tabqa on Sunday."
    found = [(m.surface, m.place.kind.value) for m in gaz.find(text)]
    assert found == [("Tabqa", "town"), ("Tabqa dam", "dam"), ("Tabqa", "town")]


def test_a_common_word_is_a_place_only_as_a_listed_spelling_mid_sentence(gaz):
    text = "The convoy left. Fighting reached Hit on Monday. Hit was shelled."
    assert [m.surface for m in gaz.find(text)] == ["Hit"]


# ----------------------------------------------------------------------------- borders
def borders(gaz, text: str):
    return [m for m in gaz.find(text) if m.role is Role.BORDER]


@pytest.mark.parametrize(
    ("text", "surface", "place_id"),
    [
        ("Al-Bab lies 25 km south of the Turkish border.", "Turkish border", "border-sy-tr"),
        ("Peshmerga near Zakho on the Turkish border.", "Turkish border", "border-iq-tr"),
        ("Gaziantep, on the Turkey-Syria border, said so.", "Turkey-Syria border", "border-sy-tr"),
        (
            "They crossed the Syrian-Turkish border at Bab al-Hawa.",
            "Syrian-Turkish border",
            "border-sy-tr",
        ),
        ("Fighters crossed the Iraqi border near Albukamal.", "Iraqi border", "border-sy-iq"),
        (
            "Troops reached the Latakia-Turkish border near Kassab.",
            "Turkish border",
            "border-sy-tr",
        ),
    ],
)
def test_a_border_named_as_a_place_is_the_border_nearest_the_places_around_it(
    gaz, text, surface, place_id
):
    (mention,) = borders(gaz, text)
    assert (mention.surface, mention.place.id) == (surface, place_id)
    assert text[mention.start : mention.end] == surface


def test_a_border_mention_sits_on_its_line_near_the_place_named_with_it(gaz):
    (mention,) = borders(gaz, "Al-Bab lies 25 km south of the Turkish border.")
    al_bab = gaz.get("sy-al-bab")
    assert distance_km(al_bab, mention.place) < 35  # the line's middle is ~100 km away
    assert distance_km(gaz.get("border-sy-tr"), mention.place) > 50


def test_country_names_inside_a_border_name_stay_mentions_of_their_own(gaz):
    found = [(m.surface, m.role) for m in gaz.find("on the Turkey-Syria border, he said")]
    assert ("Turkey", Role.PLACE) in found and ("Syria", Role.PLACE) in found
    assert ("Turkey-Syria border", Role.BORDER) in found


@pytest.mark.parametrize(
    "name",
    ["Turkish border", "Turkey-Syria border", "Syria–Turkey border", "Turkish-Syrian border"],
)
def test_border_names_resolve_to_border_places(gaz, name):
    assert gaz.match(name).id in {"border-sy-tr", "border-iq-tr"}
    assert gaz.border_countries(gaz.match(name)) in {("SY", "TR"), ("IQ", "TR")}


def test_the_border_with_a_country_and_a_border_crossing_name_are_not_border_places(gaz):
    assert borders(gaz, "IS reached the border with Turkey.") == []
    found = gaz.find("They took the Ar Ar border crossing.")
    assert all(m.surface != "border crossing" for m in found)


# ----------------------------------------------------------------------- feature words
@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("Al-Mahr Gas Fields", "wm-al-mahr-gas-field"),
        ("Tishreen oilfield", "wm-al-hawl-oil-field"),
        ("Jazal Mountains", "wm-jabal-al-jazal"),
    ],
)
def test_a_feature_word_of_the_same_kind_names_the_same_place(gaz, name, place_id):
    assert gaz.match(name).id == place_id


def test_an_area_word_with_no_such_area_resolves_to_the_place_it_is_named_by(gaz):
    assert gaz.match("Sinjar district").id == gaz.match("Sinjar").id


def test_a_facility_word_never_falls_back_to_the_town(gaz):
    place = gaz.match("Azaz dam")
    assert place is None or place.kind is PlaceKind.DAM


def test_russian_transliteration_dzh_is_j():
    assert name_key("Dzharablus") == name_key("Jarablus")


def test_a_place_added_after_finding_is_found(gaz):
    from geomap.gazetteer import Gazetteer
    from geomap.model import Place

    small = Gazetteer(places={})
    text = "Fighting went on in Qurt Wazzan today."
    assert small.find(text) == []
    small.add_place(Place("x-qurt", "Qurt Wazzan", PlaceKind.VILLAGE, 36.6, 37.9, "SY"))
    assert [m.surface for m in small.find(text)] == ["Qurt Wazzan"]


def test_a_place_named_like_a_separator_word_is_found_after_it_is_added():
    """Words that end no name ("Sunday") are dropped from a chunk's end before it is laid
    out; a place added with such a name makes the word part of names again."""
    from geomap.gazetteer import Gazetteer
    from geomap.model import Place

    small = Gazetteer(places={})
    small.add_place(Place("x-masyaf", "Masyaf", PlaceKind.TOWN, 35.06, 36.34, "SY"))
    text = "Jets struck Masyaf Sunday."
    assert [m.surface for m in small.find(text)] == ["Masyaf"]
    small.add_place(Place("x-sunday", "Masyaf Sunday", PlaceKind.VILLAGE, 35.1, 36.3, "SY"))
    assert [m.surface for m in small.find(text)] == ["Masyaf Sunday"]


_NAMES = (
    "Masyaf", "Tabqa dam", "al-Bab", "Deir ez-Zor", "Raqqa", "The", "May", "Hit", "Kobani",
    "Abd", "Imam", "Karyat Abd", "Abd al", "Bab", "Tal", "Ain", "Bir",
)  # fmt: skip
_JOINS = (" ", " on ", " of ", " and ", "  ", "\u00a0", " al ")
_TAILS = (
    "Sunday", "December", "Sunday Monday", "July", "At", "Syrian", "Wednesday  Friday", "on",
    "of", "in", "and", "the", "bin", "de", "on Sunday", "of the", "On", "Of", "For", "Arab",
)  # fmt: skip


@given(
    st.lists(st.sampled_from(_NAMES), min_size=1, max_size=3),
    st.sampled_from(_JOINS),
    st.sampled_from(_TAILS),
)
@settings(max_examples=300, deadline=None)
def test_separator_words_at_a_chunks_end_change_none_of_its_hits(gaz, names, join, tail):
    chunk = join.join(names) + join + tail
    assert gaz._lay_out(chunk) == gaz._lay_out_words(chunk)


def test_a_chunk_of_many_separator_words_is_laid_out_in_linear_time(gaz):
    chunk = "Raqqa " + "Sunday " * 30_000 + "Monday"
    assert gaz._lay_out(chunk) == gaz._lay_out_words("Raqqa")


_CHUNK_PIECES = (
    "Raqqa",
    "al-Bab",
    "Deir ez-Zor",
    "17th",
    "Division",
    "Tabqa",
    "dam",
    "oil field",
    "the",
    "of",
    "and",
    "on",
    "al",
    "Al-",
    "ar-",
    "‘Abed",
    "ʿAyn",
    "Ü",
    "3",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "-",
    "\u2011",
    ".",
    ",",
    "border crossing",
    "province",
    "met",
    "said",
    "Sunday",
    "el-",
)


@given(st.lists(st.sampled_from(_CHUNK_PIECES), max_size=25))
@settings(max_examples=500, deadline=None)
def test_the_guarded_chunk_pattern_matches_what_the_plain_one_does(pieces):
    text = "".join(pieces)
    plain = _chunk_pattern(guarded=False)
    assert [m.span() for m in _CHUNK.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_the_guarded_chunk_pattern_matches_what_the_plain_one_does_on_the_samples():
    plain = _chunk_pattern(guarded=False)
    for path in sorted((ROOT / "geomap" / "sample").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert [m.span() for m in _CHUNK.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], path.name


def test_a_mention_filled_in_directly_is_the_record_its_constructor_makes(gaz):
    import dataclasses
    import pickle

    from geomap.gazetteer import _mention
    from geomap.model import Mention

    place = gaz.get("sy-raqqa")
    made, built = _mention(3, 8, "Raqqa", place, 0.95), Mention(3, 8, "Raqqa", place, 0.95)
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert dataclasses.asdict(made) == dataclasses.asdict(built)
    assert pickle.loads(pickle.dumps(made)) == built
    assert dataclasses.replace(made, role=Role.METONYM) == Mention(
        3, 8, "Raqqa", place, 0.95, Role.METONYM
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.start = 4  # type: ignore[misc]
