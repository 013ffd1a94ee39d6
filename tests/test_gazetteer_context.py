"""Finding names where the words around them decide: a possessive city before a
capitalised name, and an English word opening the sentence."""

from __future__ import annotations

import pytest


def surfaces(gaz, text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.place.id) for m in gaz.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Iraqi forces captured Mosul's Al Faruq neighbourhood on Monday.", ("Mosul", "iq-mosul")),
        (
            "Government forces entered Sirte’s Al-Jiza al-Bahariya neighborhood.",
            ("Sirte", "ly-sirte"),
        ),
    ],
)
def test_possessive_city_before_a_capitalised_name_is_found(gaz, text, expected):
    assert expected in surfaces(gaz, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Recapturing Ramadi would be a victory for the government.", ("Ramadi", "iq-ramadi")),
        ("Retaking Mosul will take months, officers said.", ("Mosul", "iq-mosul")),
        ("Liberating Fallujah was the first goal.", ("Fallujah", "iq-fallujah")),
        ("Besieged Deir ez-Zor still holds out.", ("Deir ez-Zor", "sy-deir-ez-zor")),
    ],
)
def test_english_word_opening_a_sentence_does_not_swallow_the_name(gaz, text, expected):
    assert expected in surfaces(gaz, text)


def test_unknown_capitalised_word_before_a_name_still_glues_mid_sentence(gaz):
    # the rule is for the sentence's first word only: "Recapturing" after "the" is a name part
    assert ("Ramadi", "iq-ramadi") not in surfaces(gaz, "They read the Recapturing Ramadi report.")


@pytest.mark.parametrize(
    ("text", "stray", "anchor"),
    [
        (
            "Kurdish fighters now fully control the border town of Tal Abyad, after capturing "
            "the northeastern neighborhood of Mashhour.",
            "Mashhour",
            "sy-tal-abyad",
        ),
        (
            "The Popular Mobilization Forces said they recaptured Tal Shaeer, a village south "
            "of Hawija.",
            "Tal Shaeer",
            "iq-hawija",
        ),
    ],
)
def test_a_spelling_match_far_away_in_another_country_is_left_unresolved(gaz, text, stray, anchor):
    """A name read only by its spelling that lands in another country, far from every
    place its sentence names, is no mention (a village of that spelling in southern Iraq
    is not a neighbourhood of Tal Abyad); the sentence's own places are still found."""
    found = gaz.find(text)
    assert anchor in {m.place.id for m in found}
    assert not any(stray in m.surface for m in found), [(m.surface, m.place.id) for m in found]


def test_a_listed_spelling_is_kept_whatever_else_the_sentence_names(gaz):
    """Only a match by spelling alone strays: a name written as the gazetteer lists it
    stays, even beside places in another country."""
    found = {m.place.id for m in gaz.find("Turkish troops moved from Gaziantep to Jarablus.")}
    assert "sy-jarabulus" in found
