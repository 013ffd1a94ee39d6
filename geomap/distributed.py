"""Ingest on a Dask cluster into partitioned Parquet, then load the Parquet into the store.

``geomap ingest --engine dask`` splits the single-machine ingest at its seam: the pure
stages (read, resolve, extract: :func:`geomap.pipeline.process_file`) run as Dask tasks,
``batch`` files per task, and their records are written as Parquet; ``geomap load`` puts
the Parquet into the SQLite store, where ``events``, ``state``, ``timeline``, ``map`` and
``diff`` work exactly as after ``geomap ingest``.

What runs where
    The client lists the inputs and reads each file's bytes just before its batch is
    submitted (a batch is cut early at ``_BATCH_BYTES``), with two batches per worker
    thread in flight. Workers need only geomap
    (with its gazetteer) installed: no shared database and no shared file system. They
    return Arrow tables; the client takes them in input order, buffers them by month (at
    most ``_BUFFER_ARTICLES`` articles) and writes the Parquet under ``out_dir``, so it
    never holds the corpus.

Layout
    Six tables, each partitioned by the month of the article's published date
    (Hive style)::

        out_dir/articles/month=2017-03/part-<hash>.parquet
        out_dir/{mentions,events,claims,unresolved,found_places}/month=2017-03/part-<hash>.parquet

    A *part* is up to ``_PART_ARTICLES`` articles (a few more when a batch ends past
    that) of one month, consecutive in the input order, with their rows in every table
    under the same name; ``<hash>`` is a hash of those articles (id, path, offset, date,
    position). The articles file is written last, so a part without it is ignored.

Columns
    Plain values only: strings, 64-bit ints and floats, dates as ISO strings, enums as
    their values, places as gazetteer ids (``place_id``, ``other_id``). Each table holds
    the fields of its record (:class:`~geomap.model.Article`, :class:`~geomap.model.Mention`,
    :class:`~geomap.model.Event`, :class:`~geomap.model.DistanceClaim`,
    :class:`~geomap.gazetteer.UnknownPlace` for ``found_places`` (its anchor as
    ``anchor_id``), and ``name``/``count`` for unresolved names) under the same names, plus ``file_seq`` (the file's position in
    the input order), ``article_seq`` (the article's position in its file) and, in the
    child tables, ``n`` (the record's position in its list). ``events`` also holds the
    event ``id``; ``mentions``, ``unresolved`` and ``found_places`` the ``article_id``. An
    event on a place found in text (``found:...``) reads back with the place its article's
    ``found_places`` rows give (:meth:`~geomap.gazetteer.Gazetteer.found_place`). Rows are sorted by
    ``(file_seq, article_seq, n)``. Mention offsets index the article text, as in
    :class:`~geomap.model.Mention` (the store adds the article's offset in its file).

Determinism
    The same inputs, ``published`` and ``batch`` give byte-identical files under the same
    names (for one pyarrow version), so re-running overwrites files with themselves: how
    the articles are cut into batches and parts depends on their order and sizes only,
    never on timing or on which worker ran what. Files from other runs are never
    deleted: loading is idempotent, and an article found twice is stored once, its first
    occurrence in the input order winning, as with ``ingest``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import json
import os
import tempfile
import typing
import warnings
from collections import ChainMap, Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from itertools import islice
from pathlib import Path
from typing import Any

from geomap.corpus import MAX_FILE_BYTES, ReadReport, iter_paths, read_text
from geomap.errors import CorpusError, GazetteerError, GeomapError
from geomap.gazetteer import Gazetteer, UnknownPlace, load_gazetteer
from geomap.model import Article, DistanceClaim, Event, Mention, Place
from geomap.overrides import read_overrides
from geomap.pipeline import FileResult, Mined, StoreCounts, process_file
from geomap.store import open_store

__all__ = ["TABLES", "DaskReport", "LoadReport", "ingest_dask", "load_parquet", "read_records"]

#: The Parquet tables, one folder each under the output folder.
TABLES = ("articles", "mentions", "events", "claims", "unresolved", "found_places")

#: A batch is cut before it carries more bytes than this to a worker (a big file goes alone).
_BATCH_BYTES = 8 * 2**20
#: A month's buffered articles are written as a part once they reach this many.
_PART_ARTICLES = 5_000
#: Every buffered month is written out once the buffer holds this many articles.
_BUFFER_ARTICLES = 20_000

#: One article with what was found in it (:data:`geomap.pipeline.Mined`).
Record = Mined


@dataclass
class DaskReport:
    """What ``geomap ingest --engine dask`` did."""

    out_dir: Path
    files: int = 0
    files_total: int = 0  # files found under the inputs (for progress)
    batches: int = 0
    parts: int = 0
    articles: int = 0
    mentions: int = 0
    events: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def articles_read(self) -> int:
        """Articles read so far (the name the progress bar reads)."""
        return self.articles

    @property
    def problems(self) -> bool:
        """Whether anything was skipped (the command then exits 1)."""
        return bool(self.skipped)


@dataclass
class LoadReport(StoreCounts):
    """What ``geomap load`` added to the store."""

    parts: int = 0


# ----------------------------------------------------------------------------- columns
@dataclass(frozen=True)
class _Unresolved:
    """An unresolved name of an article and how often it occurs (a row of ``unresolved``)."""

    name: str
    count: int


@dataclass(frozen=True)
class _Column:
    """A record field as a plain Parquet column; ``kind`` says how its values convert."""

    name: str
    field: str
    kind: str  # "str", "int", "float", "bool", "date", "enum" or "place"
    enum: type[Enum] | None = None

    def encode(self, value: Any) -> Any:
        if value is None or self.kind in ("str", "int", "float", "bool"):
            return value
        if self.kind == "place":
            return value.id
        return value.value if self.kind == "enum" else value.isoformat()

    def decode(self, value: Any, places: Mapping[str, Place], where: str) -> Any:
        if value is None:
            return None
        if self.kind == "place":
            if value not in places:
                raise GazetteerError(
                    f"{where}: place id {value!r} is not in the gazetteer; load with the "
                    "geomap version that wrote the Parquet, or re-run the ingest"
                )
            return places[value]
        if self.kind == "enum" and self.enum is not None:
            return self.enum(value)
        return dt.date.fromisoformat(value) if self.kind == "date" else value


def _columns(cls: type) -> tuple[_Column, ...]:
    """The columns of a record class, one per field, derived from its type hints.

    Derived rather than listed so that a field added to a record is written and read
    back without touching this module (a type with no plain column is an error).

    Examples
    --------
    >>> [(c.name, c.kind) for c in _columns(Mention)]  # doctest: +NORMALIZE_WHITESPACE
    [('start', 'int'), ('end', 'int'), ('surface', 'str'), ('place_id', 'place'),
     ('score', 'float'), ('role', 'enum')]
    """
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        tp = args[0] if len(args) == 1 else tp  # X | None -> X
        if tp is Place:
            out.append(_Column(f"{f.name}_id", f.name, "place"))
        elif isinstance(tp, type) and issubclass(tp, Enum):
            out.append(_Column(f.name, f.name, "enum", tp))
        elif tp is dt.date:
            out.append(_Column(f.name, f.name, "date"))
        elif tp in (str, int, float, bool):
            out.append(_Column(f.name, f.name, tp.__name__))
        else:
            raise TypeError(f"{cls.__name__}.{f.name}: no Parquet column for {tp!r}")
    return tuple(out)


@dataclass(frozen=True)
class _Table:
    """One Parquet table: key columns, extra columns, then the record's own columns."""

    name: str
    cls: type
    extra: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return ("file_seq", "article_seq") if self.name == "articles" else _CHILD_KEYS

    def columns(self) -> tuple[_Column, ...]:
        return _COLUMNS[self.cls]

    def schema(self) -> Any:
        import pyarrow as pa

        types = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
        fields = [pa.field(k, pa.int64(), nullable=False) for k in self.keys]
        fields += [pa.field(k, pa.string()) for k in self.extra]
        fields += [pa.field(c.name, types.get(c.kind, pa.string())) for c in self.columns()]
        return pa.schema(fields)

    def row(self, key: dict[str, int], record: object, **extra: object) -> dict[str, Any]:
        values = {c.name: c.encode(getattr(record, c.field)) for c in self.columns()}
        return {**key, **extra, **values}

    def record(self, row: dict[str, Any], places: Mapping[str, Place], where: str) -> Any:
        # Columns missing from an older file fall back to the field's default.
        kwargs = {
            c.field: c.decode(row[c.name], places, where) for c in self.columns() if c.name in row
        }
        return self.cls(**kwargs)


_CHILD_KEYS = ("file_seq", "article_seq", "n")
_COLUMNS: dict[type, tuple[_Column, ...]] = {
    cls: _columns(cls)
    for cls in (Article, Mention, Event, DistanceClaim, _Unresolved, UnknownPlace)
}
_SPECS = {
    "articles": _Table("articles", Article),
    "mentions": _Table("mentions", Mention, ("article_id",)),
    "events": _Table("events", Event, ("id",)),
    "claims": _Table("claims", DistanceClaim),
    "unresolved": _Table("unresolved", _Unresolved, ("article_id",)),
    "found_places": _Table("found_places", UnknownPlace, ("article_id",)),
}


def _part_rows(file_seq: int, records: Sequence[Record]) -> dict[str, dict[str, list[Any]]]:
    """The rows of every table for one file's records, by month (``YYYY-MM``)."""
    out: dict[str, dict[str, list[Any]]] = {}
    spec = _SPECS
    for article_seq, (article, mentions, events, unresolved, claims, found) in enumerate(records):
        assert article.published is not None  # process_file skips undated articles
        rows = out.setdefault(f"{article.published:%Y-%m}", {t: [] for t in TABLES})
        key = {"file_seq": file_seq, "article_seq": article_seq}
        rows["articles"].append(spec["articles"].row(key, article))
        for n, m in enumerate(mentions):
            rows["mentions"].append(spec["mentions"].row({**key, "n": n}, m, article_id=article.id))
        for n, e in enumerate(events):
            rows["events"].append(spec["events"].row({**key, "n": n}, e, id=e.id))
        for n, c in enumerate(claims):
            rows["claims"].append(spec["claims"].row({**key, "n": n}, c))
        for n, (name, count) in enumerate(unresolved):
            u = _Unresolved(name, count)
            rows["unresolved"].append(
                spec["unresolved"].row({**key, "n": n}, u, article_id=article.id)
            )
        for n, f in enumerate(found):
            rows["found_places"].append(
                spec["found_places"].row({**key, "n": n}, f, article_id=article.id)
            )
    return out


def _arrow(table: _Table, rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    schema = table.schema()  # by columns: ten times faster than Table.from_pylist
    return pa.Table.from_pydict({n: [r[n] for r in rows] for n in schema.names}, schema=schema)


# ----------------------------------------------------------------------------- workers
@dataclass
class _BatchResult:
    """What a worker made of one batch: Arrow tables by month, and the lines to report."""

    #: table name -> pyarrow.Table of the batch's rows, by month, then in input order
    tables: dict[str, Any] = field(default_factory=dict)
    #: month -> table name -> (offset, length) of the month's rows in ``tables``
    months: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    files: int = 0
    articles: int = 0
    mentions: int = 0
    events: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _process_batch(
    items: Sequence[tuple[int, str, bytes | str]], published: dt.date | None
) -> _BatchResult:
    """Run :func:`process_file` on each (file_seq, path, bytes or skip line).

    The bytes come from the client (workers share no file system with it); each file is
    put in a private temporary folder for :func:`process_file`, and its local path is
    then replaced by the original one, so every record is what ``ingest`` would make.
    """
    out = _BatchResult()
    months: dict[str, dict[str, list[Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="geomap-") as tmp:
        for file_seq, path, data in items:
            out.files += 1
            if isinstance(data, str):
                out.skipped.append(data)
                continue
            local = os.path.join(tmp, str(file_seq))
            Path(local).write_bytes(data)
            result = _relocate(process_file(local, published), local, path)
            out.skipped.extend(result.skipped)
            out.warnings.extend(result.warnings)
            for month, rows in _part_rows(file_seq, result.articles).items():
                merged = months.setdefault(month, {t: [] for t in TABLES})
                for table in TABLES:
                    merged[table].extend(rows[table])
            for _, mentions, events, *_ in result.articles:
                out.articles += 1
                out.mentions += len(mentions)
                out.events.update(e.kind.value for e in events)
    # One Arrow table per table and batch, sliced by month on the client: building one per
    # month costs more than the rest of this function.
    offsets = dict.fromkeys(TABLES, 0)
    for month in sorted(months):
        out.months[month] = {t: (offsets[t], len(months[month][t])) for t in TABLES}
        offsets = {t: offsets[t] + len(months[month][t]) for t in TABLES}
    out.tables = {
        t: _arrow(_SPECS[t], [r for m in sorted(months) for r in months[m][t]]) for t in TABLES
    }
    return out


def _relocate(result: FileResult, local: str, path: str) -> FileResult:
    """``result`` as if ``process_file`` had read ``path`` rather than its copy at ``local``."""
    return FileResult(
        path,
        [(dataclasses.replace(r[0], path=path), *r[1:]) for r in result.articles],
        [line.replace(local, path) for line in result.skipped],
        [line.replace(local, path) for line in result.warnings],
    )


# ----------------------------------------------------------------------------- client
def _require(*modules: str) -> None:
    """Import ``modules`` now, or say how to install them (they are an optional extra)."""
    import importlib

    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            raise GeomapError(
                f"the Dask engine needs {module}, which is not installed; install it with "
                "pip install 'geomap[dask]'"
            ) from None


def ingest_dask(
    inputs: Sequence[str | Path],
    out_dir: Path,
    *,
    published: dt.date | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    batch: int = 64,
    progress: Callable[[DaskReport], None] | None = None,
) -> DaskReport:
    """Read, resolve and mine every article under ``inputs`` on a Dask cluster, into Parquet.

    Parameters
    ----------
    inputs
        Files, folders (recursively) and globs, as for :func:`geomap.pipeline.ingest`.
    out_dir
        The Parquet folder (created when missing); see the module docs for its layout.
    published
        The date of articles that carry none.
    scheduler
        The address of a running scheduler (``tcp://HOST:8786``); without one, a local
        cluster of ``workers`` processes (one thread each) is started on loopback.
    workers
        Worker processes of the local cluster (ignored with ``scheduler``).
    batch
        Files per task.
    progress
        Called with the report after each batch comes back.

    Returns
    -------
    DaskReport
        Counts, and the skipped inputs and warnings in input order.

    Raises
    ------
    GeomapError
        If dask or pyarrow is not installed, ``out_dir`` cannot be written, the scheduler
        cannot be reached, or no worker joins it within a minute.
    """
    if batch < 1 or workers < 1:
        raise GeomapError(f"expected batch >= 1 and workers >= 1, got {batch} and {workers}")
    _require("distributed", "pyarrow")
    out_dir = Path(out_dir)
    try:  # every table's folder, so that an empty ingest still loads (as nothing)
        for table in TABLES:
            (out_dir / table).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GeomapError(f"{out_dir}: cannot write Parquet here ({exc.strerror})") from None
    read = ReadReport()
    report = DaskReport(out_dir)
    parts = _PartWriter(out_dir)
    paths = [str(p) for p in iter_paths(inputs, read)]  # strings: small when many
    report.files_total = len(paths)
    batches = _iter_batches(paths, batch)
    with _client(scheduler, workers) as client:
        flying: deque[Any] = deque()

        def top_up() -> None:
            # Two batches per worker thread in flight (workers may join or leave meanwhile).
            window = 2 * max(1, sum(client.nthreads().values()))
            for items in islice(batches, max(1, window - len(flying))):
                flying.append(client.submit(_process_batch, items, published, pure=False))

        top_up()
        while flying:  # in input order, so the parts do not depend on timing
            future = flying.popleft()
            result = future.result()
            future.release()
            top_up()
            parts.add(result.tables, result.months)
            _add_batch(report, result)
            if progress is not None:
                progress(report)
    parts.flush()
    report.parts = parts.written
    report.skipped[:0] = read.skipped
    report.warnings[:0] = read.warnings
    return report


def _iter_batches(paths: Iterable[str], size: int) -> Iterator[list[tuple[int, str, bytes | str]]]:
    """Batches of (file_seq, path, bytes or the line saying why the file is skipped).

    A batch's files are read only when the batch is asked for (streaming). A batch holds
    ``size`` files, fewer when the next file would take it past ``_BATCH_BYTES``.
    """
    items: list[tuple[int, str, bytes | str]] = []
    carried = 0
    for file_seq, path in enumerate(paths):
        data = _read_input(Path(path))
        if items and carried + len(data) > _BATCH_BYTES:
            yield items
            items, carried = [], 0
        items.append((file_seq, path, data))
        carried += len(data)
        if len(items) == size:
            yield items
            items, carried = [], 0
    if items:
        yield items


def _read_input(path: Path) -> bytes | str:
    """The bytes of an input file, or the line that reports why it is skipped."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            read_text(path)  # raises its size error before reading anything
        return path.read_bytes()
    except CorpusError as exc:
        return str(exc)
    except OSError as exc:
        return f"{path}: cannot read ({exc.strerror})"


@contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A Dask client of the scheduler at ``scheduler``, or of a new local cluster."""
    from distributed import Client, LocalCluster

    if scheduler is None:
        with warnings.catch_warnings():
            # With the dashboard off the scheduler still serves health checks over HTTP and
            # moves off a busy port 8787 by itself; its warning means nothing to a user.
            warnings.filterwarnings("ignore", "Port 8787 is already in use", UserWarning)
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
        with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    try:
        client = Client(scheduler, timeout="20s")  # type: ignore[no-untyped-call]
    except (OSError, asyncio.TimeoutError) as exc:  # one class from Python 3.11 on
        raise GeomapError(
            f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
            "`dask scheduler` and pass the address it prints"
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=60)
        except TimeoutError:
            raise GeomapError(
                f"no Dask worker joined the scheduler at {scheduler} within 60 s; start "
                f"one with `dask worker {scheduler}` on a machine with geomap installed"
            ) from None
        yield client


@dataclass
class _PartWriter:
    """Buffers each month's tables in input order and writes them as parts.

    A month is written once it holds ``_PART_ARTICLES`` articles, every month once the
    buffer holds ``_BUFFER_ARTICLES``, and the rest at :meth:`flush`.
    """

    out_dir: Path
    written: int = 0
    buffered: int = 0
    months: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)  # buffered articles per month

    def add(self, tables: dict[str, Any], months: dict[str, dict[str, tuple[int, int]]]) -> None:
        """Buffer a batch's tables, given each month's (offset, length) in each table."""
        for month, ranges in sorted(months.items()):
            self.months.setdefault(month, []).append(
                {t: tables[t].slice(*ranges[t]) for t in TABLES}
            )
            self.counts[month] += ranges["articles"][1]
            self.buffered += ranges["articles"][1]
            if self.counts[month] >= _PART_ARTICLES:
                self._write(month)
        if self.buffered >= _BUFFER_ARTICLES:
            self.flush()

    def flush(self) -> None:
        for month in sorted(self.months):
            self._write(month)

    def _write(self, month: str) -> None:
        """Write one month's buffer as a part, atomically, the articles file last."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        pieces = self.months.pop(month)
        self.buffered -= self.counts.pop(month)
        tables = {t: pa.concat_tables([p[t] for p in pieces]) for t in TABLES}
        name = _part_name(tables["articles"])
        for table in (*TABLES[1:], TABLES[0]):  # the articles file marks a whole part
            target = self.out_dir / table / f"month={month}" / f"part-{name}.parquet"
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                pq.write_table(tables[table], temporary, compression="zstd")
                os.replace(temporary, target)
            except OSError as exc:
                raise GeomapError(f"{target}: cannot write ({exc})") from None
        self.written += 1


def _part_name(articles: Any) -> str:
    """The name of a part: a hash of its articles (id, path, offset, date, position)."""
    columns = ["file_seq", "article_seq", "id", "path", "offset", "published"]
    text = json.dumps(articles.select(columns).to_pylist(), separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _add_batch(report: DaskReport, result: _BatchResult) -> None:
    report.batches += 1
    report.files += result.files
    report.articles += result.articles
    report.mentions += result.mentions
    report.events.update(result.events)
    report.skipped.extend(result.skipped)
    report.warnings.extend(result.warnings)


# ----------------------------------------------------------------------------- loading
def read_records(parquet_dir: Path | str) -> Iterator[Record]:
    """Every article in the Parquet under ``parquet_dir`` with its records, part by part.

    Places are rebuilt from the gazetteer by id, so each record equals the one
    :func:`geomap.pipeline.process_file` made. Parts come in (month, name) order;
    within a part, in input order.

    Raises
    ------
    CorpusError
        If the folder holds no Parquet of geomap or a file cannot be read.
    GazetteerError
        If a place id is not in the gazetteer.
    GeomapError
        If pyarrow is not installed.
    """
    _require("pyarrow")
    for part in _parts(Path(parquet_dir)):
        for _, record in _read_part(part):
            yield record


def load_parquet(
    parquet_dir: Path | str, db: Path | str | None = None, *, events_file: Path | None = None
) -> LoadReport:
    """Put the Parquet written by :func:`ingest_dask` into the store at ``db``.

    One transaction per part. Loading is idempotent: an article already in the store adds
    nothing, and of an article found more than once in the Parquet only the first
    occurrence in the input order is stored, as :func:`geomap.pipeline.ingest` does. An
    events file is validated first and replaces the analyst events from that file.

    Raises
    ------
    CorpusError, GazetteerError, GeomapError
        As :func:`read_records`; nothing of the bad part is stored.
    EventsFileError
        If ``events_file`` has bad rows (before anything is written).
    StoreError
        If the database cannot be opened or written.
    """
    _require("pyarrow")
    parts = _parts(Path(parquet_dir))
    overrides = read_overrides(events_file, load_gazetteer()) if events_file else None
    first = _first_occurrences(parts)
    report = LoadReport()
    with open_store(db) as store:
        if overrides is not None and events_file is not None:
            report.overrides = store.replace_overrides(str(events_file.resolve()), overrides)
        for part in parts:
            records = _read_part(part)  # read whole before writing: a bad file stores nothing
            report.parts += 1
            with store.transaction():
                for key, mined in records:
                    report.store(store, mined, first=first[mined[0].id] == (*key, part.name))
    return report


def _parts(parquet_dir: Path) -> list[Path]:
    """The articles files of every part, by month then name."""
    if not (parquet_dir / "articles").is_dir():
        raise CorpusError(
            f"{parquet_dir}: no articles/ folder; expected the output of "
            "`geomap ingest --engine dask -o DIR`"
        )
    return sorted((parquet_dir / "articles").glob("month=*/part-*.parquet"))


def _read_rows(path: Path) -> list[dict[str, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    except (OSError, pa.ArrowException) as exc:
        raise CorpusError(f"{path}: cannot read Parquet ({exc})") from None
    return rows


def _first_occurrences(parts: Sequence[Path]) -> dict[str, tuple[int, int, str]]:
    """For each article id, the (file_seq, article_seq, part name) it is first found at."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    first: dict[str, tuple[int, int, str]] = {}
    for part in parts:
        try:
            table = pq.read_table(part, columns=["id", "file_seq", "article_seq"])
        except (OSError, pa.ArrowException) as exc:
            raise CorpusError(f"{part}: cannot read Parquet ({exc})") from None
        for row in table.to_pylist():
            where = (row["file_seq"], row["article_seq"], part.name)
            first[row["id"]] = min(first.get(row["id"], where), where)
    return first


def _read_part(part: Path) -> list[tuple[tuple[int, int], Record]]:
    """The records of one part, keyed by (file_seq, article_seq), in that order."""
    gaz = load_gazetteer()
    children: dict[str, dict[tuple[int, int], list[Any]]] = {}
    # Found places first: an event on one (``found:...``) decodes to the place its article's
    # rows give, as the reader made it.
    found: dict[tuple[int, int], dict[str, Place]] = {}
    for table in ("found_places", *TABLES[1:-1]):
        path = part.parent.parent.parent / table / part.parent.name / part.name
        grouped = children[table] = {}
        if table == "events":
            found = {key: _found_in(gaz, u) for key, u in children["found_places"].items()}
        for row in _read_rows(path) if path.exists() else []:
            key = (row["file_seq"], row["article_seq"])
            places = ChainMap(gaz.places, found[key]) if key in found else gaz.places
            value = _SPECS[table].record(row, places, str(path))
            if table == "events" and value.id != row["id"]:
                raise CorpusError(
                    f"{path}: event {row['id']} reads back as {value.id}; the Parquet was "
                    "written by another geomap version, re-run the ingest"
                )
            grouped.setdefault(key, []).append(value)
    out: list[tuple[tuple[int, int], Record]] = []
    for row in _read_rows(part):
        key = (row["file_seq"], row["article_seq"])
        article: Article = _SPECS["articles"].record(row, gaz.places, str(part))
        unresolved = [(u.name, u.count) for u in children["unresolved"].get(key, [])]
        mentions, events, claims, unknown = (
            children[t].get(key, []) for t in ("mentions", "events", "claims", "found_places")
        )
        out.append((key, (article, mentions, events, unresolved, claims, unknown)))
    return out


def _found_in(gaz: Gazetteer, unknowns: list[UnknownPlace]) -> dict[str, Place]:
    """The approximate places of one article's found places, by id."""
    places = (gaz.found_place(u) for u in unknowns)
    return {p.id: p for p in places if p is not None}
