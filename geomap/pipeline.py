"""Ingest (files -> store) and the read side (store -> timeline), as library calls.

``ingest`` streams: files are read, resolved and mined one at a time (or by a pool of
worker processes with ``workers > 1``), and what they yield is written in batches of whole
files, one transaction a batch (at most :data:`BATCH_FILES` files or
:data:`BATCH_SECONDS` of work). Memory stays flat as the corpus grows; a crash loses at
most the batch in flight, never part of a file; Ctrl-C writes the batch in hand first.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from geomap.corpus import ReadReport, iter_paths, read_text, split_articles
from geomap.diff import Diff, check_order, diff_timeline
from geomap.distances import extract_distances
from geomap.errors import CorpusError, DateError
from geomap.events import SentenceTemplate, extract_events, iter_templates
from geomap.events.lexicon import ControlLexicon, load_control_lexicon
from geomap.events.parse import load_parser, parsing_ahead
from geomap.events.reader import sentences_to_parse
from geomap.gazetteer import Gazetteer, UnknownPlace, load_gazetteer
from geomap.model import Article, ControlSpan, DistanceClaim, Event, Mention, PlaceState, Role
from geomap.overrides import beside_db, read_overrides
from geomap.store import FoundPlace, Store, default_db_path, open_store
from geomap.timeline import build_timeline, state_at

__all__ = [
    "FileResult",
    "IngestReport",
    "Mined",
    "StoreCounts",
    "default_db_path",
    "found_places",
    "ingest",
    "iter_results",
    "load_events",
    "load_timeline",
    "process_file",
    "process_files",
    "states_on",
]

#: Most files written in one transaction.
BATCH_FILES = 256
#: Most seconds of work held back before a commit.
BATCH_SECONDS = 0.5


#: One mined article: the article, its mentions, events, unresolved names, claims and the
#: places it names by kind that the gazetteer lacks ("the village of X, 10 km north of Y").
Mined = tuple[
    Article,
    list[Mention],
    list[Event],
    list[tuple[str, int]],
    list[DistanceClaim],
    list[UnknownPlace],
]


@dataclass
class FileResult:
    """What one worker made of one file."""

    path: str
    articles: list[Mined]
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class StoreCounts:
    """What putting mined articles into the store did (``ingest`` and ``load`` both)."""

    articles_read: int = 0
    articles_new: int = 0
    #: Already in the store (or, for ``load``, found earlier in the same input).
    articles_known: int = 0
    mentions: int = 0
    events: Counter[str] = field(default_factory=Counter)
    unresolved: Counter[str] = field(default_factory=Counter)
    overrides: int = 0

    def store(self, store: Store, mined: Mined, *, first: bool = True) -> None:
        """Add one mined article to ``store`` (inside a transaction) and count it.

        ``first=False`` counts it as known without writing (a repeat in the input).
        """
        article, mentions, events, unresolved, claims, found = mined
        self.articles_read += 1
        if first and store.add_article(article, mentions, events, unresolved, claims, found):
            self.articles_new += 1
            self.mentions += len(mentions)
            self.events.update(e.kind.value for e in events)
            self.unresolved.update(dict(unresolved))
        else:
            self.articles_known += 1

    def add(self, other: StoreCounts) -> None:
        """Add the article counts of ``other`` to these."""
        self.articles_read += other.articles_read
        self.articles_new += other.articles_new
        self.articles_known += other.articles_known
        self.mentions += other.mentions
        self.events.update(other.events)
        self.unresolved.update(other.unresolved)


@dataclass
class IngestReport(StoreCounts):
    """The summary ``geomap ingest`` prints."""

    files: int = 0
    files_total: int = 0  # files found under the inputs (for progress)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    interrupted: bool = False  # Ctrl-C: what was read before it is stored

    @property
    def problems(self) -> bool:
        """Whether anything was skipped (the command then exits 1)."""
        return bool(self.skipped)

    def merge(self, other: IngestReport) -> None:
        """Add the counts of ``other`` (one stored batch) to this report."""
        self.add(other)
        self.files += other.files
        self.skipped.extend(other.skipped)
        self.warnings.extend(other.warnings)


def _stored(gaz: Gazetteer, mentions: list[Mention]) -> list[Mention]:
    """The mentions as a store keeps them: a border is its gazetteer line, not the point of
    it nearest the place named beside it in this article (stores keep place ids only)."""
    return [
        replace(m, place=gaz.places.get(m.place.id, m.place)) if m.role is Role.BORDER else m
        for m in mentions
    ]


def process_file(path: str, published: dt.date | None = None) -> FileResult:
    """Read, resolve and mine one file (runs in worker processes too)."""
    return process_files([path], published)[0]


#: Sentences to parse (or articles) gathered over the files in hand before the parser runs
#: on them all at once; what a worker holds for parsing stays within about this many.
PARSE_AHEAD = 128


@dataclass
class _Resolved:
    """An article read and resolved, its events not yet read."""

    article: Article
    mentions: list[Mention]
    names: Counter[str]
    templates: list[SentenceTemplate]
    to_parse: list[SentenceTemplate]
    result: FileResult


def process_files(paths: Sequence[str], published: dt.date | None = None) -> list[FileResult]:
    """Read, resolve and mine files, one :class:`FileResult` each, in order (see
    :func:`iter_results`)."""
    return list(iter_results(paths, published))


def iter_results(
    paths: Iterable[str], published: dt.date | None = None
) -> Generator[FileResult, None, None]:
    """Read, resolve and mine files; yield each file's :class:`FileResult`, in order, once
    all its articles are mined.

    The articles are read and resolved as they come; the sentences the reader will parse
    are gathered over articles (and files) and parsed together, about :data:`PARSE_AHEAD`
    at a time (:func:`~geomap.events.parse.parsing_ahead`): spaCy costs less a sentence in
    larger batches, and most articles have few sentences to parse. The events are those
    :func:`~geomap.events.extract_events` makes of each article alone.
    """
    gaz = load_gazetteer()
    control = load_control_lexicon()
    waiting: list[_Resolved] = []
    ready: list[FileResult] = []  # files read to the end; whole once ``waiting`` is mined
    sentences = 0
    for path in paths:
        result = FileResult(path, [])
        for article in _read_file(path, published, result):
            waiting.append(_resolve(gaz, control, article, result))
            sentences += len(waiting[-1].to_parse)
            if sentences >= PARSE_AHEAD or len(waiting) >= PARSE_AHEAD:
                _mine(gaz, control, waiting)
                sentences = 0
                yield from ready
                ready.clear()
        ready.append(result)
        if not waiting:
            yield from ready
            ready.clear()
    _mine(gaz, control, waiting)
    yield from ready


def _read_file(path: str, published: dt.date | None, result: FileResult) -> list[Article]:
    """The dated articles of one file; what cannot be read goes to ``result.skipped``."""
    report = ReadReport()
    try:
        text = read_text(Path(path), report)
        articles = split_articles(text, path, published)
    except (CorpusError, DateError) as exc:
        result.skipped.append(str(exc))
        return []
    result.warnings.extend(report.warnings)
    dated = []
    for article in articles:
        if article.published is None:
            result.skipped.append(
                f"{path}: article at offset {article.offset} has no date; pass --published DATE"
            )
            continue
        dated.append(article)
    return dated


def _resolve(
    gaz: Gazetteer, control: ControlLexicon, article: Article, result: FileResult
) -> _Resolved:
    """The article's mentions, unresolved names, templates and sentences to parse."""
    names: Counter[str] = Counter()
    mentions = gaz.find(article.text, names)  # and the unresolved names, in one pass
    templates = list(iter_templates(article, gaz, mentions))  # shared by both extractors
    to_parse = sentences_to_parse(templates, control)
    return _Resolved(article, mentions, names, templates, to_parse, result)


def _mine(gaz: Gazetteer, control: ControlLexicon, waiting: list[_Resolved]) -> None:
    """Parse the sentences of the waiting articles at once, read their events, distances and
    unknown places into their files' results, and empty ``waiting``."""
    if not waiting:
        return
    with parsing_ahead([(w.to_parse, w.article.text) for w in waiting], control):
        for w in waiting:
            article, templates = w.article, w.templates
            events = extract_events(article, gaz, w.mentions, templates=templates)
            unresolved = sorted(w.names.items())
            claims = extract_distances(article, gaz, events, templates=templates)
            found = gaz.unknown_places(article.text, w.mentions)
            mentions = _stored(gaz, w.mentions)
            w.result.articles.append((article, mentions, events, unresolved, claims, found))
    waiting.clear()


def _worker_start(forked: bool) -> None:
    """Workers leave Ctrl-C to the parent, which stores what is done and stops them.

    A forked worker finds the gazetteer and the parser loaded (and warmed up) by the parent;
    it freezes them out of its garbage collector: a full collection would walk every one of
    those objects and write to it, copying the parent's pages into the worker (about 80 ms
    a worker). A spawned worker loads and warms up its own.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if forked:
        import gc

        gc.freeze()
    else:
        _warm_up()


#: A short dispatch read by :func:`_warm_up`: a place, sides, a control verb, a distance.
_WARM_UP_TEXT = (
    "Syrian government forces recaptured the town of Palmyra from Islamic State fighters on"
    " Sunday, the Observatory said. The jihadists withdrew to Arak, 25 km east of Palmyra.\n"
)


def _warm_up() -> None:
    """Load the gazetteer, the lexicons and the parser, and read one short dispatch (the
    result dropped).

    What is made on first use (the gazetteer's finder tables, compiled patterns, the
    parser's first batch: about 0.15 s) is then made once, in the process that forks the
    workers, and shared by all of them, rather than once in each.
    """
    gaz = load_gazetteer()
    control = load_control_lexicon()
    load_parser()
    article = Article("warm-up", _WARM_UP_TEXT, dt.date(2017, 1, 1))
    _mine(gaz, control, [_resolve(gaz, control, article, FileResult("", []))])


def _results(
    paths: Sequence[str], published: dt.date | None, workers: int
) -> Generator[FileResult, None, None]:
    if workers <= 1:
        yield from iter_results(paths, published)
        return
    import multiprocessing

    fork = os.name == "posix"
    if fork:
        # Loaded once here, the parser is shared by the forked workers (copy on write):
        # no worker spends a second loading its own copy.
        _warm_up()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    with context.Pool(workers, initializer=_worker_start, initargs=(fork,)) as pool:
        # imap keeps file order and streams. Reading an article costs 10-50 ms (parsing),
        # so a task's round trip is cheap beside it; what matters is that no worker is
        # left with a long last task while the others are idle: about 16 tasks a worker,
        # of at most 16 files (their sentences parsed together: see iter_results).
        size = max(1, min(16, len(paths) // (workers * 16)))
        groups = (paths[i : i + size] for i in range(0, len(paths), size))
        for results in pool.imap(partial(process_files, published=published), groups):
            yield from results


def ingest(
    inputs: Sequence[str | Path],
    db: Path | str | None = None,
    *,
    published: dt.date | None = None,
    events_file: Path | None = None,
    workers: int = 1,
    progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Read every article under ``inputs`` into the store at ``db``; return a summary.

    Bad files are reported in ``report.skipped`` and the rest go on. An events file is
    validated first (a bad one stops the ingest before anything is written). Ctrl-C
    (KeyboardInterrupt) stores the files already read, sets ``report.interrupted`` and
    returns; running the same ingest again completes the rest.
    """
    gaz = load_gazetteer()
    overrides = read_overrides(events_file, gaz) if events_file is not None else None
    report = IngestReport()
    read = ReadReport()
    with open_store(db) as store:
        if overrides is not None and events_file is not None:
            report.overrides = store.replace_overrides(str(events_file.resolve()), overrides)
        paths = [str(p) for p in iter_paths(inputs, read)]  # strings: small when many
        report.files_total = len(paths)
        if progress is not None:
            progress(report)
        batch: list[FileResult] = []
        held_since = time.monotonic()
        results = _results(paths, published, workers)
        try:
            for result in results:
                batch.append(result)
                if len(batch) >= BATCH_FILES or time.monotonic() - held_since >= BATCH_SECONDS:
                    _store_batch(store, batch, report, progress)
                    held_since = time.monotonic()
        except KeyboardInterrupt:
            report.interrupted = True
        finally:
            results.close()  # stops the worker pool now, not when collected
        _store_batch(store, batch, report, progress)
    report.skipped[:0] = read.skipped
    return report


def _store_batch(
    store: Store,
    batch: list[FileResult],
    report: IngestReport,
    progress: Callable[[IngestReport], None] | None,
) -> None:
    """Write the whole files of ``batch`` in one transaction, then empty it."""
    if not batch:
        return
    counts = IngestReport()
    with store.transaction():
        for result in batch:
            _store_file(store, result, counts)
    # Counted only once committed: a failed batch leaves the report as it was.
    report.merge(counts)
    batch.clear()
    if progress is not None:
        progress(report)


def _store_file(store: Store, result: FileResult, report: IngestReport) -> None:
    report.files += 1
    report.skipped.extend(result.skipped)
    report.warnings.extend(result.warnings)
    for mined in result.articles:
        report.store(store, mined)


# ----------------------------------------------------------------------------- reading
def load_events(
    db: Path | str | None = None, events_file: Path | None = None, gaz: Gazetteer | None = None
) -> list[Event]:
    """Stored events plus the events file beside the database (and ``events_file``)."""
    gaz = gaz or load_gazetteer()
    with open_store(db, create=False) as store:
        events = store.load_events(gaz)
        path = store.path
    for extra in (beside_db(path), events_file):
        if extra is not None:
            events.extend(read_overrides(extra, gaz))
    return events


def load_timeline(
    db: Path | str | None = None, events_file: Path | None = None
) -> dict[str, list[ControlSpan]]:
    """The control timeline of every place in the store."""
    return build_timeline(load_events(db, events_file))


def diff_states(
    start: dt.date, end: dt.date, db: Path | str | None = None, events_file: Path | None = None
) -> Diff:
    """What changed hands between ``start`` and ``end`` (see :mod:`geomap.diff`).

    Raises
    ------
    DateError
        If ``start`` is after ``end``.
    """
    check_order(start, end)
    return diff_timeline(load_timeline(db, events_file), start, end)


def load_claims(db: Path | str | None = None) -> list[DistanceClaim]:
    """Every stored distance claim."""
    with open_store(db, create=False) as store:
        return store.load_claims(load_gazetteer())


def found_places(db: Path | str | None = None, kind: str | None = None) -> list[FoundPlace]:
    """The places articles name by kind that the gazetteer lacks (``geomap places unknown``).

    Anchored ones carry their approximate place; the others are listed only.

    Raises
    ------
    GazetteerError
        If ``kind`` is not a place kind.
    StoreError
        If there is no database at ``db``.
    """
    from geomap.errors import GazetteerError
    from geomap.model import PlaceKind

    kinds = {k.value: k for k in PlaceKind}
    if kind is not None and kind not in kinds:
        raise GazetteerError(f"expected --kind to be one of {', '.join(kinds)}, got {kind!r}")
    with open_store(db, create=False) as store:
        return store.found_places(kinds[kind] if kind else None)


def states_on(
    day: dt.date, db: Path | str | None = None, events_file: Path | None = None
) -> dict[str, PlaceState]:
    """Every place's state on ``day`` (places with nothing known are left out)."""
    return state_at(load_timeline(db, events_file), day)
