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
