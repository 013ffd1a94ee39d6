"""Speed of the event reader on real-length articles: ingest rate, parse share, sentences parsed.

    python benchmarks/reader_speed.py [--articles 400]

Articles are made of real sentences: the development table's sentences (tests/data/
dev_sentences), 25 to an article in a seeded order (about 4 KB, the length of a wire story),
plus the seed articles of ../shared when present. Printed:
- in one process: ms per article, the share of it spent parsing (spaCy), and sentences
  parsed per article;
- end to end: `geomap ingest --workers 1` and `--workers 2` articles/s (fresh database).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy import load_table  # noqa: E402

from geomap.events import extract_events  # noqa: E402
from geomap.events import parse as parse_module  # noqa: E402
from geomap.gazetteer import load_gazetteer  # noqa: E402
from geomap.model import Article  # noqa: E402

PER_ARTICLE = 25


def make_articles(count: int) -> list[str]:
    sentences = [r["text"].strip() for r in load_table()]
    rng = random.Random(7)
    out = []
    for _ in range(count):
        picked = rng.sample(sentences, PER_ARTICLE)
        paragraphs = [" ".join(picked[i : i + 3]) for i in range(0, PER_ARTICLE, 3)]
        out.append("\n\n".join(paragraphs) + "\n")
    return out


def in_process(texts: list[str]) -> None:
    gaz = load_gazetteer()
    parse_module.load_parser()
    extract_events(Article("warm", texts[0], dt.date(2017, 1, 1)), gaz)
    parsed = 0
    original = parse_module._build

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal parsed
        parsed += 1
        return original(*args, **kwargs)  # type: ignore[arg-type]

    parse_module._build = counting  # type: ignore[assignment]
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    for i, text in enumerate(texts):
        extract_events(Article(f"a{i}", text, dt.date(2017, 1, 1)), gaz)
    profile.disable()
    elapsed = time.perf_counter() - start
    parse_module._build = original  # type: ignore[assignment]
    stats = pstats.Stats(profile)
    pipe = sum(
        v[3]
        for k, v in stats.stats.items()
        if k[2] in ("pipe",) and "language" in k[0]  # type: ignore[attr-defined]
    )
    print(
        f"reading (templates, parse, frames, dates), one process: {elapsed / len(texts) * 1000:.1f} ms"
        f" an article; parsing {pipe / max(elapsed, 1e-9):.0%} of it (profiled);"
        f" {parsed / len(texts):.1f} of {PER_ARTICLE} sentences parsed an article"
    )


def end_to_end(texts: list[str], workers: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        corpus.mkdir()
        for i, text in enumerate(texts):
            (corpus / f"a{i:05d}.txt").write_text(f"date: 2017-01-01\n\n{text}", encoding="utf-8")
        db = Path(folder) / "bench.db"
        start = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "geomap"),
                "ingest",
                str(corpus),
                "--db",
                str(db),
                "--workers",
                str(workers),
                "-q",
            ],
            check=True,
            capture_output=True,
        )
        return len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=400)
    args = parser.parse_args()
    texts = make_articles(args.articles)
    kb = sum(len(t.encode()) for t in texts) / len(texts) / 1000
    print(f"{len(texts)} articles of {PER_ARTICLE} real sentences, {kb:.1f} KB each")
    in_process(texts[: min(len(texts), 150)])
    for workers in (1, 2):
        rate = end_to_end(texts, workers)
        print(f"geomap ingest --workers {workers}: {rate:.0f} articles/s (process start included)")


if __name__ == "__main__":
    main()
