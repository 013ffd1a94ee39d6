"""Speed of the event reader: ms an article, parse share, sentences parsed, ingest rate.

    python benchmarks/reader_speed.py [--articles 200] [--repeat 3] [--profile]
                                      [--only event-dense|real]

Two sets of articles, each measured the same way:
- *event-dense*: real sentences of the development table (tests/data/dev_sentences), 25 to
  an article in a seeded order (about 4.7 KB, the length of a wire story). Nearly every
  sentence names a place, a side and a control word, so nearly every one is parsed: the
  worst case for the reader.
- *real articles*: the sample corpus shipped in the package (geomap/sample) and the seed
  articles of ../shared/seeds when present, as written (1 to 5 KB; most sentences hold no
  event and are not parsed).

Printed for each:
- in one process: ms an article (best of ``--repeat`` passes, no profiler; and the CPU
  time, which other load on the machine disturbs less), the share of
  it spent in spaCy's pipeline (timed around ``nlp.pipe``, no profiler), and sentences
  parsed an article, for ``extract_events`` article by article, and for the articles as
  files mined as ``geomap ingest`` mines them (mentions, events, distances, unknown places;
  the sentences of many articles parsed in one run of spaCy);
- end to end: ``geomap ingest --workers 1`` and ``--workers 2`` into a fresh database,
  ``--articles`` files of one article each (the real articles repeated to that number, each
  copy made distinct by a last line that names no place), articles/s with process start
  included, and the same rate with the fixed cost of a one-article ingest taken out
  ("steady"), and the CPU time of all its processes an article (less that of the
  one-article ingest, shown as "fixed"): CPU time is what other load on the machine
  disturbs least. Best of ``--repeat`` runs.

``--profile`` also prints the functions with the most own time (cProfile) for each set.
The machine's other load shows in these figures: compare runs made side by side.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy import load_table  # noqa: E402

from geomap.corpus import read_articles, sample_corpus_dir  # noqa: E402
from geomap.events import extract_events  # noqa: E402
from geomap.events import parse as parse_module  # noqa: E402
from geomap.gazetteer import load_gazetteer  # noqa: E402
from geomap.model import Article  # noqa: E402
from geomap.pipeline import process_files  # noqa: E402

PER_ARTICLE = 25
DAY = dt.date(2017, 1, 1)


def make_articles(count: int) -> list[Article]:
    """Event-dense articles of development-table sentences (a fixed seed)."""
    sentences = [r["text"].strip() for r in load_table()]
    rng = random.Random(7)
    out = []
    for i in range(count):
        picked = rng.sample(sentences, PER_ARTICLE)
        paragraphs = [" ".join(picked[i : i + 3]) for i in range(0, PER_ARTICLE, 3)]
        out.append(Article(f"a{i}", "\n\n".join(paragraphs) + "\n", DAY))
    return out


def real_articles() -> list[Article]:
    """The shipped sample corpus and the seed articles (when present), as read by geomap."""
    paths = [sample_corpus_dir()] + ([SEEDS] if SEEDS.is_dir() else [])
    return [a for a in read_articles(paths, published=DAY) if a.published is not None]


class _PipeClock:
    """Time spent in spaCy's pipeline and sentences parsed, without a profiler."""

    def __init__(self) -> None:
        self.nlp = parse_module.load_parser()
        self.original = self.nlp.pipe
        self.seconds = 0.0
        self.docs = 0

    def __enter__(self) -> _PipeClock:
        def pipe(*args: Any, **kwargs: Any) -> Iterator[Any]:
            docs = self.original(*args, **kwargs)
            while True:
                start = time.perf_counter()
                doc = next(docs, None)
                self.seconds += time.perf_counter() - start
                if doc is None:
                    return
                self.docs += 1
                yield doc

        self.nlp.pipe = pipe
        return self

    def __exit__(self, *exc: object) -> None:
        del self.nlp.pipe  # the instance attribute: the class's method shows again


def in_process(name: str, articles: list[Article], repeat: int, profile: bool) -> None:
    gaz = load_gazetteer()
    for article in articles[:3]:  # warm: parser, lexicons, caches of the first words
        extract_events(article, gaz)
    best: tuple[float, float, int] | None = None
    cpu = float("inf")
    for _ in range(repeat):
        with _PipeClock() as clock:
            start, start_cpu = time.perf_counter(), time.process_time()
            for article in articles:
                extract_events(article, gaz)
            elapsed = time.perf_counter() - start
            cpu = min(cpu, time.process_time() - start_cpu)
        if best is None or elapsed < best[0]:
            best = (elapsed, clock.seconds, clock.docs)
    assert best is not None
    elapsed, parsing, docs = best
    print(
        f"  one process: {elapsed / len(articles) * 1000:.1f} ms an article"
        f" (CPU {cpu / len(articles) * 1000:.1f} ms; {len(articles)} articles, best of"
        f" {repeat}); spaCy {parsing / elapsed:.0%} of it;"
        f" {docs / len(articles):.1f} sentences parsed an article"
    )
    mined_as_ingest(articles, repeat)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for article in articles:
            extract_events(article, gaz)
        profiler.disable()
        print(f"  profile ({name}), most own time:")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(25)


def mined_as_ingest(articles: list[Article], repeat: int) -> None:
    """The same articles as files, mined as ``geomap ingest`` mines them in a worker
    (:func:`geomap.pipeline.process_files`: mentions, events, distances and unknown places,
    the sentences of many articles parsed together), in one process."""
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        write_corpus(corpus, articles, len(articles))
        paths = sorted(str(p) for p in corpus.iterdir())
        process_files(paths[:3])  # warm
        best: tuple[float, float] | None = None
        cpu = float("inf")
        for _ in range(repeat):
            with _PipeClock() as clock:
                start, start_cpu = time.perf_counter(), time.process_time()
                process_files(paths)
                elapsed = time.perf_counter() - start
                cpu = min(cpu, time.process_time() - start_cpu)
            if best is None or elapsed < best[0]:
                best = (elapsed, clock.seconds)
    assert best is not None
    elapsed, parsing = best
    print(
        f"  mined as ingest does (one process): {elapsed / len(articles) * 1000:.1f} ms an"
        f" article (CPU {cpu / len(articles) * 1000:.1f} ms); spaCy {parsing / elapsed:.0%} of it"
    )


def write_corpus(folder: Path, articles: list[Article], count: int) -> None:
    """``count`` files of one article each, cycling through ``articles``; a copy's last
    line makes its text (and so its id) distinct."""
    folder.mkdir()
    for i in range(count):
        article = articles[i % len(articles)]
        assert article.published is not None
        copy = f"\n\n(copy {i // len(articles)})\n" if i >= len(articles) else "\n"
        text = f"date: {article.published.isoformat()}\n\n{article.text.strip()}{copy}"
        (folder / f"a{i:05d}.txt").write_text(text, encoding="utf-8")


def ingest_seconds(corpus: Path, workers: int) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all processes) of one ``geomap ingest``."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
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
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return wall, cpu


def end_to_end(articles: list[Article], count: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        corpus, one = Path(folder) / "corpus", Path(folder) / "one"
        write_corpus(corpus, articles, count)
        write_corpus(one, articles[:1], 1)
        for workers in (1, 2):
            ones = [ingest_seconds(one, workers) for _ in range(repeat)]
            runs = [ingest_seconds(corpus, workers) for _ in range(repeat)]
            fixed, fixed_cpu = min(w for w, _ in ones), min(c for _, c in ones)
            total, cpu = min(w for w, _ in runs), min(c for _, c in runs)
            print(
                f"  geomap ingest --workers {workers}: {count / total:.0f} articles/s"
                f" ({count} articles in {total:.1f} s, process start included);"
                f" steady {count / max(total - fixed, 1e-9):.0f} articles/s"
                f" (a one-article ingest takes {fixed:.2f} s);"
                f" CPU {(cpu - fixed_cpu) / count * 1000:.0f} ms an article"
                f" + {fixed_cpu:.2f} s fixed"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=200, help="files ingested per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each figure (best kept)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile table")
    parser.add_argument(
        "--only", choices=("event-dense", "real"), help="measure one set of articles only"
    )
    args = parser.parse_args()
    sets = [("event-dense", make_articles(args.articles)), ("real articles", real_articles())]
    for name, articles in sets:
        if args.only is not None and not name.startswith(args.only):
            continue
        kb = sum(len(a.text.encode()) for a in articles) / len(articles) / 1000
        what = (
            f"{PER_ARTICLE} development-table sentences each"
            if name == "event-dense"
            else "the sample corpus" + (" and the seeds" if SEEDS.is_dir() else "")
        )
        print(f"{name}: {len(articles)} articles ({what}), {kb:.1f} KB each on average")
        in_process(name, articles[:150], args.repeat, args.profile)
        end_to_end(articles, args.articles, args.repeat)


if __name__ == "__main__":
    main()
