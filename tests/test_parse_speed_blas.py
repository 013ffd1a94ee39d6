"""The parser's start and matrix products made cheaper read exactly as before (issue #13).

:func:`geomap.events.parse.load_parser` imports spaCy without its command line and lets
numpy's OpenBLAS (one thread) do the pipeline's matrix products instead of thinc's BLIS.
Neither may change a parse. (How fast they are is measured by
``benchmarks/reader_speed.py``, not here.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import yaml

from geomap.events import parse as parse_module
from tests.conftest import ROOT

DEV = ROOT / "tests" / "data" / "dev_sentences"


def _sentences() -> list[str]:
    rows: list[dict[str, Any]] = []
    for path in sorted(DEV.glob("*.yaml")):
        rows.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return [str(r["text"]) for r in rows[::4]]


@contextmanager
def _ops(nlp: Any, ops: Any) -> Iterator[None]:
    """Every model node of the pipeline on ``ops`` inside the block."""
    saved = []
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                saved.append((node, node.ops))
                node.ops = ops
    try:
        yield
    finally:
        for node, old in saved:
            node.ops = old


def _parses(nlp: Any, texts: list[str]) -> list[list[list[int]]]:
    from spacy.attrs import DEP, HEAD, LEMMA, POS, TAG

    return [d.to_array([HEAD, DEP, TAG, POS, LEMMA]).tolist() for d in nlp.pipe(texts)]


def test_parses_with_openblas_are_the_parses_with_blis() -> None:
    from thinc.api import NumpyOps

    nlp = parse_module.load_parser()
    ops = nlp.get_pipe("tok2vec").model.ops
    if getattr(ops, "use_blis", True):
        pytest.skip("numpy's OpenBLAS was not found: the pipeline keeps thinc's BLIS")
    texts = _sentences()
    assert len(texts) > 100
    fast = _parses(nlp, texts)
    with _ops(nlp, NumpyOps(use_blis=True)):
        plain = _parses(nlp, texts)
    assert fast == plain


def test_spacy_command_line_still_loads_after_the_parser() -> None:
    parse_module.load_parser()
    import spacy
    import spacy.cli

    assert spacy.cli.__file__  # the package itself, not the stand-in used while importing
    assert callable(spacy.cli.info)
    assert "spacy_version" in spacy.info()


def test_tokenizer_is_the_one_the_package_ships() -> None:
    nlp = parse_module.load_parser()
    saved = nlp.path / "tokenizer"
    assert nlp.tokenizer.to_bytes(exclude=["vocab"]) == saved.read_bytes()


def test_a_tokenizer_unlike_the_shipped_one_is_replaced_by_it(tmp_path: Any) -> None:
    import spacy
    from spacy.attrs import ORTH

    shipped = spacy.blank("en")
    shipped.tokenizer.add_special_case("Deir-ez-Zor", [{ORTH: "Deir-ez-Zor"}])
    shipped.tokenizer.to_disk(tmp_path / "tokenizer", exclude=["vocab"])
    nlp = spacy.blank("en")
    nlp._path = tmp_path
    assert [t.text for t in nlp("Deir-ez-Zor")] != ["Deir-ez-Zor"]
    parse_module._keep_shipped_tokenizer(nlp)
    assert [t.text for t in nlp("Deir-ez-Zor")] == ["Deir-ez-Zor"]
