"""The ingest's fast paths read exactly what the plain paths read (issue #13, speed).

An ingest parses the sentences of many articles in one run of spaCy
(:func:`geomap.events.parse.parsing_ahead`, :func:`geomap.pipeline.iter_results`) and warms
the reader up before forking its workers. Neither may change a single event: these tests hold
them to the article-by-article reading. (How fast they are is measured by
``benchmarks/reader_speed.py``, not here.)
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from geomap import pipeline
from geomap.corpus import read_articles
from geomap.events import extract_events, iter_templates
from geomap.events import parse as parse_module
from geomap.events.lexicon import load_control_lexicon
from geomap.events.reader import sentences_to_parse
from geomap.model import Article
from tests.conftest import SAMPLE

FILES = sorted(str(p) for p in SAMPLE.glob("*.txt"))


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return [a for a in read_articles([SAMPLE]) if a.published is not None]


def _pipe_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the docs of each run of the pipeline from now on."""
    nlp = parse_module.load_parser()
    calls: list[int] = []
    original = nlp.pipe

    def pipe(docs: Any, **kwargs: Any) -> Any:
        docs = list(docs)
        calls.append(len(docs))
        return original(docs, **kwargs)

    monkeypatch.setattr(nlp, "pipe", pipe)
    return calls


def _arrays(parsed: parse_module.ParsedSentence) -> tuple[Any, ...]:
    from spacy.attrs import DEP, HEAD, LEMMA, POS, TAG

    doc = parsed.doc
    return (
        [t.text for t in doc],
        doc.to_array([HEAD, DEP, TAG, POS, LEMMA]).tolist(),
        parsed.slot_of,
        parsed.origin,
        parsed.held,
    )


def test_parses_made_ahead_equal_parses_made_article_by_article(gaz, articles, monkeypatch):
    control = load_control_lexicon()
    jobs = []
    for article in articles:
        templates = list(iter_templates(article, gaz))
        jobs.append((sentences_to_parse(templates, control), article.text))
    alone = [[_arrays(p) for p in parse_module.parse_sentences(t, x, control)] for t, x in jobs]
    calls = _pipe_calls(monkeypatch)
    with parse_module.parsing_ahead(jobs, control):
        ahead = [[_arrays(p) for p in parse_module.parse_sentences(t, x, control)] for t, x in jobs]
    assert ahead == alone
    assert calls == [sum(len(t) for t, _ in jobs)]  # one run, and none by the reader


def test_a_parse_made_ahead_serves_only_its_own_template_text_and_lexicon(
    gaz, articles, monkeypatch
):
    control = load_control_lexicon()
    article = next(a for a in articles if sentences_to_parse(list(iter_templates(a, gaz)), control))
    templates = sentences_to_parse(list(iter_templates(article, gaz)), control)
    other_text = article.text + " "  # the same sentences, but another text: not trusted
    copy = dataclasses.replace(control)  # an equal lexicon that is another object
    calls = _pipe_calls(monkeypatch)
    with parse_module.parsing_ahead([(templates, article.text)], control):
        list(parse_module.parse_sentences(templates, other_text, control))
        list(parse_module.parse_sentences(templates, article.text, copy))
        list(parse_module.parse_sentences(templates, article.text, control))  # taken
        list(parse_module.parse_sentences(templates, article.text, control))  # taken once
    assert calls == [len(templates)] * 4


def test_outside_the_block_nothing_made_ahead_is_used(gaz, articles, monkeypatch):
    control = load_control_lexicon()
    article = articles[0]
    templates = sentences_to_parse(list(iter_templates(article, gaz)), control)
    with parse_module.parsing_ahead([(templates, article.text)], control):
        pass
    calls = _pipe_calls(monkeypatch)
    list(parse_module.parse_sentences(templates, article.text, control))
    assert calls == ([len(templates)] if templates else [])


def _mined(results: list[pipeline.FileResult]) -> list[Any]:
    return [(r.path, r.articles, r.skipped, r.warnings) for r in results]


@pytest.mark.parametrize("ahead", [1, 7, 10_000])
def test_files_mined_together_equal_files_mined_one_by_one(ahead, monkeypatch):
    """Parsing ahead in windows of 1, 7 or all sentences (a window ends inside a file, at a
    file's end, or never) mines every file as :func:`process_file` alone does, in order."""
    one_by_one = [pipeline.process_file(p) for p in FILES]
    monkeypatch.setattr(pipeline, "PARSE_AHEAD", ahead)
    assert _mined(pipeline.process_files(FILES)) == _mined(one_by_one)


def test_mined_files_stream_in_order_and_whole(monkeypatch, tmp_path: Path):
    """A file's result comes once all its articles are mined; bad and undated files keep
    their place in the order."""
    (tmp_path / "undated.txt").write_text("Rebels captured Palmyra.\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    paths = [FILES[0], str(tmp_path / "undated.txt"), FILES[1], str(tmp_path / "binary.txt")]
    monkeypatch.setattr(pipeline, "PARSE_AHEAD", 3)
    streamed = list(pipeline.iter_results(paths))
    assert [r.path for r in streamed] == paths
    assert streamed[1].skipped and streamed[3].skipped
    assert _mined(streamed) == _mined([pipeline.process_file(p) for p in paths])


def test_events_read_inside_a_block_equal_events_read_alone(gaz, articles):
    control = load_control_lexicon()
    alone = [extract_events(a, gaz) for a in articles]
    prepared = [(a, list(iter_templates(a, gaz))) for a in articles]
    jobs = [(sentences_to_parse(t, control), a.text) for a, t in prepared]
    with parse_module.parsing_ahead(jobs, control):
        ahead = [extract_events(a, gaz, templates=t) for a, t in prepared]
    assert ahead == alone


def test_the_warm_up_dispatch_is_read(gaz):
    """The dispatch read before forking exercises the parser and a frame (so that what they
    build on first use is built once): it must keep doing so. (Its distance is not held
    here: the distance rules may change what they read of it.)"""
    control = load_control_lexicon()
    article = Article("warm-up", pipeline._WARM_UP_TEXT, pipeline.dt.date(2017, 1, 1))
    result = pipeline.FileResult("", [])
    resolved = pipeline._resolve(gaz, control, article, result)
    assert resolved.to_parse
    pipeline._mine(gaz, control, [resolved])
    (_, mentions, events, _, _, _) = result.articles[0]
    assert mentions and events
