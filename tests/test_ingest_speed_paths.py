"""The parser's cheaper start and first sight of words read exactly as before (issue #13).

:func:`geomap.events.parse.load_parser` leaves out the package's disabled sentence
recogniser, holds the rule lemmatizer's word index as sets, and the sentence gate remembers
which words are triggers. None may change a lemma, a gate answer or an event. (How fast they
are is measured by ``benchmarks/reader_speed.py``, not here.)
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
import yaml

from geomap.events import parse as parse_module
from geomap.events.lexicon import load_control_lexicon
from tests.conftest import ROOT

DEV = ROOT / "tests" / "data" / "dev_sentences"


def _sentences() -> list[str]:
    rows: list[dict[str, Any]] = []
    for path in sorted(DEV.glob("*.yaml")):
        rows.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return [str(r["text"]) for r in rows[::3]]


@pytest.fixture(scope="module")
def plain() -> Any:
    """The package's pipeline as spaCy loads it (its own lemmatizer, the index as lists)."""
    parse_module.load_parser()  # spaCy imported as geomap imports it
    return importlib.import_module(parse_module.MODEL).load(exclude=["ner"])


def test_lemmas_with_the_index_as_sets_are_the_lemmas_with_the_index_as_lists(plain) -> None:
    lemmatizer = plain.get_pipe("lemmatizer")
    table = lemmatizer.lookups.get_table("lemma_index")
    assert any(isinstance(words, list) for words in table.values())
    docs = list(plain.pipe(_sentences()))
    tokens = [t for doc in docs for t in doc]
    assert len(tokens) > 5000
    lemmatizer.cache.clear()
    with_lists = [lemmatizer.lemmatize(t) for t in tokens]
    parse_module._index_as_sets(lemmatizer)
    assert all(isinstance(words, frozenset) for words in table.values())
    lemmatizer.cache.clear()
    with_sets = [lemmatizer.lemmatize(t) for t in tokens]
    assert with_sets == with_lists
    assert any(a != [t.lower_] for a, t in zip(with_sets, tokens, strict=True))  # rules ran


def test_the_disabled_sentence_recogniser_is_left_out() -> None:
    from spacy.util import load_config

    nlp = parse_module.load_parser()
    assert "senter" not in nlp.component_names
    config = load_config(nlp.path / "config.cfg")
    assert "senter" in config["nlp"]["disabled"]  # off in the package: never ran


@pytest.mark.parametrize(
    "word", ["seized", "captures", "retaking", "fell", "retook", "said", "the", "besieged", "x"]
)
def test_the_gates_memo_answers_as_the_word_test(word: str) -> None:
    lexicon = load_control_lexicon()
    direct = any(
        c in lexicon.trigger_words
        for c in parse_module.lemma_candidates(word, lexicon.irregular_forms)
    )
    assert parse_module._stem_hit(word, lexicon) is direct
    assert parse_module._stem_hit(word, lexicon) is direct  # remembered
