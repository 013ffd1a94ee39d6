"""The embedded SQLite store: articles, mentions, events and analyst overrides.

- One database file (default ``geomap.db`` in the working folder; ``--db`` or the
  ``GEOMAP_DB`` environment variable elsewhere), in WAL mode so readers never block and two
  ingests can run at once (``pipeline.ingest`` writes batches of whole files, each one
  ``BEGIN IMMEDIATE`` transaction; a busy database is waited for, not failed).
- Re-ingesting an article changes nothing: articles are keyed by the hash of their text.
- A crash mid-ingest loses at most the batch being written, never part of a file; SQLite's
  journal keeps the rest. A failed write (a full disk) rolls its batch back: one line.
- The schema has a version in ``meta``; a database from another version is refused with a
  clear message (there is one version so far), never misread. A table added since (so far
  ``found_places``) is created when a database without it is opened: additive, so older
  geomap versions read the file as before.
- ``found_places`` holds every place an article names by kind ("the village of X", "X
  hill") that the gazetteer lacks, one row per mention, with its approximate point when the
  text anchors it ("X, 10 km north of Manbij"; NULL ``lat``/``lon`` when it does not). An
  event on such a place (id ``found:...``) loads with the place rebuilt from these rows.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections import ChainMap, Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap.errors import StoreError
from geomap.gazetteer import Gazetteer, UnknownPlace, found_place_id, placement
from geomap.model import (
    Article,
    ClaimStatus,
    DistanceClaim,
    DistanceRelation,
    Event,
    EventKind,
    Mention,
    Place,
    PlaceKind,
    Precision,
)

SCHEMA_VERSION = 1
#: Page cache of a connection, KiB.
CACHE_KIB = 32 * 1024
#: WAL pages written before SQLite copies them into the database (4 KiB each: 64 MiB).
CHECKPOINT_PAGES = 16384
DEFAULT_DB = "geomap.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, path TEXT, source TEXT, url TEXT, title TEXT,
    published TEXT NOT NULL, text_offset INTEGER, text TEXT NOT NULL, ingested_at TEXT
);
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL REFERENCES articles(id), start INTEGER NOT NULL,
    end_ INTEGER NOT NULL, surface TEXT NOT NULL, place_id TEXT NOT NULL, score REAL,
    role TEXT NOT NULL, PRIMARY KEY (article_id, start)
);
CREATE TABLE IF NOT EXISTS unresolved (
    article_id TEXT NOT NULL REFERENCES articles(id), name TEXT NOT NULL,
    count INTEGER NOT NULL, PRIMARY KEY (article_id, name)
);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL, place_id TEXT NOT NULL, kind TEXT NOT NULL,
    actor TEXT, controller_after TEXT, date TEXT NOT NULL, precision TEXT NOT NULL,
    status TEXT NOT NULL, attribution TEXT, evidence TEXT, evidence_start INTEGER,
    evidence_end INTEGER, source TEXT, confidence REAL, rule TEXT NOT NULL, besieger TEXT,
    distance_km REAL, surface TEXT, origin TEXT NOT NULL, previous TEXT
);
CREATE TABLE IF NOT EXISTS claims (
    article_id TEXT NOT NULL, relation TEXT NOT NULL, place_id TEXT NOT NULL, other_id TEXT,
    border TEXT, claimed_km REAL NOT NULL, as_written TEXT, qualifier TEXT, date TEXT NOT NULL,
    evidence TEXT, actor TEXT, source TEXT,
    PRIMARY KEY (article_id, relation, place_id, claimed_km, evidence)
);
CREATE INDEX IF NOT EXISTS events_place ON events(place_id, date);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE INDEX IF NOT EXISTS mentions_place ON mentions(place_id);
"""
# Added after the first release: also created when an older database is opened.
_FOUND_SCHEMA = """
CREATE TABLE IF NOT EXISTS found_places (
    article_id TEXT NOT NULL REFERENCES articles(id), start INTEGER NOT NULL,
    end_ INTEGER NOT NULL, surface TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL,
    anchor_id TEXT, distance_km REAL, bearing REAL, lat REAL, lon REAL, tolerance_km REAL,
    country TEXT, admin1 TEXT, source TEXT, PRIMARY KEY (article_id, start)
);
CREATE INDEX IF NOT EXISTS found_places_id ON found_places(id);
"""
_EVENT_COLUMNS = (
    "id",
    "article_id",
    "place_id",
    "kind",
    "actor",
    "controller_after",
    "date",
    "precision",
    "status",
    "attribution",
    "evidence",
    "evidence_start",
    "evidence_end",
    "source",
    "confidence",
    "rule",
    "besieger",
    "distance_km",
    "surface",
    "origin",
    "previous",
)


@dataclass(frozen=True)
class FoundPlace:
    """A place articles name that the gazetteer lacks, gathered over all its mentions.

    ``place`` is the approximate place (the mention placed most precisely wins: smallest
    tolerance, then position) or ``None`` when no article anchors it: listed, not mapped.
    """

    id: str
    name: str  # the spelling written most often (then the first in order)
    kind: PlaceKind
    place: Place | None
    anchor_id: str | None
    distance_km: float | None
    bearing: float | None
    spellings: tuple[str, ...]
    articles: tuple[str, ...]  # ids, in order of publication
    mentions: int
    first_seen: dt.date
    last_seen: dt.date


def default_db_path() -> Path:
    """``$GEOMAP_DB`` if set, else ``geomap.db`` in the working folder."""
    return Path(os.environ.get("GEOMAP_DB") or DEFAULT_DB)


@dataclass
class Store:
    """An open geomap database. Use :func:`open_store`; close with :meth:`close`."""

    path: Path
    conn: sqlite3.Connection

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``): all of it lands, or none.

        A write that fails in it (a full disk, a damaged file, a row the database refuses)
        rolls it back and raises :class:`StoreError`, one line.
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _write_error(self.path, exc, "cannot start a write") from None
        try:
            yield self.conn
        except BaseException as exc:
            self._rollback()
            # ProgrammingError is a bug in geomap (bad SQL), not a problem of the database
            if isinstance(exc, sqlite3.DatabaseError) and not isinstance(
                exc, sqlite3.ProgrammingError
            ):
                raise _write_error(self.path, exc, "cannot write to the database") from None
            raise
        try:
            self.conn.commit()
        except sqlite3.Error as exc:
            self._rollback()
            raise _write_error(self.path, exc, "cannot commit") from None

    def _rollback(self) -> None:
        # SQLite may have rolled back already (after an I/O error); a failed rollback
        # must not hide the error that caused it: the journal undoes the rest.
        with suppress(sqlite3.Error):
            self.conn.rollback()

    # ------------------------------------------------------------------ writing
    def add_article(
        self,
        article: Article,
        mentions: Sequence[Mention],
        events: Sequence[Event],
        unresolved: Iterable[tuple[str, int]] = (),
        claims: Iterable[DistanceClaim] = (),
        found: Iterable[UnknownPlace] = (),
    ) -> bool:
        """Store one article with its mentions and events. False if it was already there.

        ``found`` are the places it names that the gazetteer lacks
        (:meth:`geomap.gazetteer.Gazetteer.unknown_places`). Call inside :meth:`transaction`.
        """
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO articles VALUES (?,?,?,?,?,?,?,?,?)",
            (
                article.id,
                article.path,
                article.source,
                article.url,
                article.title,
                _iso(article.published),
                article.offset,
                article.text,
                dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            ),
        )
        if cur.rowcount == 0:
            return False
        self.conn.executemany(
            "INSERT OR IGNORE INTO mentions VALUES (?,?,?,?,?,?,?)",
            [
                (
                    article.id,
                    m.start + article.offset,
                    m.end + article.offset,
                    m.surface,
                    m.place.id,
                    m.score,
                    m.role.value,
                )
                for m in mentions
            ],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO unresolved VALUES (?,?,?)",
            [(article.id, name, count) for name, count in unresolved],
        )
        self._insert_events(events, "extracted")
        self.conn.executemany(
            "INSERT OR IGNORE INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    article.id,
                    c.relation.value,
                    c.place.id,
                    c.other.id if c.other else None,
                    c.border,
                    c.claimed_km,
                    c.as_written,
                    c.qualifier,
                    c.date.isoformat(),
                    c.evidence,
                    c.actor,
                    c.source,
                )
                for c in claims
            ],
        )
        self.conn.executemany(
            f"INSERT OR IGNORE INTO found_places VALUES ({','.join('?' * 15)})",
            [_found_row(article, u) for u in found],
        )
        return True

    def replace_overrides(self, origin: str, events: Sequence[Event]) -> int:
        """Replace the analyst events from ``origin`` (a file path) with ``events``."""
        with self.transaction():
            self.conn.execute("DELETE FROM events WHERE origin = ?", (f"override:{origin}",))
            self._insert_events(events, f"override:{origin}")
        return len(events)

    def _insert_events(self, events: Sequence[Event], origin: str) -> None:
        self.conn.executemany(
            f"INSERT OR IGNORE INTO events VALUES ({','.join('?' * len(_EVENT_COLUMNS))})",
            [
                (
                    e.id,
                    e.article_id,
                    e.place.id,
                    e.kind.value,
                    e.actor,
                    e.controller_after,
                    e.date.isoformat(),
                    e.precision.value,
                    e.status.value,
                    e.attribution,
                    e.evidence,
                    e.evidence_start,
                    e.evidence_end,
                    e.source,
                    e.confidence,
                    e.rule,
                    e.besieger,
                    e.distance_km,
                    e.surface,
                    origin,
                    e.previous,
                )
                for e in events
            ],
        )

    # ------------------------------------------------------------------ reading
    def load_events(
        self,
        gazetteer: Gazetteer,
        place_ids: Sequence[str] | None = None,
        until: dt.date | None = None,
    ) -> list[Event]:
        """Every stored event (extracted and overrides), optionally for some places only.

        An event on a place found in text (``found:...``) gets the approximate place of
        :meth:`approximate_places`. Events whose place is no longer in the gazetteer (nor
        a found place with a point) are left out.
        """
        sql = f"SELECT {','.join(_EVENT_COLUMNS)} FROM events"
        clauses: list[str] = []
        args: list[object] = []
        if place_ids is not None:
            clauses.append(f"place_id IN ({','.join('?' * len(place_ids))})")
            args.extend(place_ids)
        if until is not None:
            clauses.append("date <= ?")
            args.append(until.isoformat())
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY date, id"
        out = []
        places = ChainMap(gazetteer.places, self.approximate_places())
        for row in self._query(sql, args):
            try:
                event = _event_from_row(dict(zip(_EVENT_COLUMNS, row, strict=True)), places)
            except (ValueError, TypeError) as exc:
                raise StoreError(f"{self.path}: a damaged event row ({exc})") from None
            if event is not None:
                out.append(event)
        return out

    def load_claims(self, gazetteer: Gazetteer) -> list[DistanceClaim]:
        """Every stored distance claim whose places are in the gazetteer (or found), by date."""
        out = []
        places = ChainMap(gazetteer.places, self.approximate_places())
        rows = self._query(
            "SELECT article_id, relation, place_id, other_id, border, claimed_km, as_written, "
            "qualifier, date, evidence, actor, source FROM claims ORDER BY date, place_id, "
            "claimed_km, evidence",
            (),
        )
        for (
            article_id,
            relation,
            place_id,
            other_id,
            border,
            km,
            written,
            qualifier,
            day,
            evidence,
            actor,
            source,
        ) in rows:
            place = places.get(place_id)
            other = places.get(other_id) if other_id else None
            if place is None or (other_id and other is None):
                continue
            out.append(
                DistanceClaim(
                    DistanceRelation(relation),
                    place,
                    float(km),
                    written or "",
                    qualifier or "",
                    dt.date.fromisoformat(day),
                    evidence or "",
                    article_id,
                    other=other,
                    border=border or "",
                    actor=actor,
                    source=source or "",
                )
            )
        return out

    def approximate_places(self, until: dt.date | None = None) -> dict[str, Place]:
        """The places found in text that have a point, by id (``found:...``).

        Of the mentions of one id, the most precisely placed gives the place (smallest
        tolerance, then the southernmost, westernmost point), so the result does not depend
        on the order articles came in. ``until``: only places named in articles published
        on or before that date.
        """
        sql = (
            "SELECT f.id, f.surface, f.kind, f.lat, f.lon, f.country, f.admin1, f.anchor_id, "
            "f.source, f.tolerance_km FROM found_places f"
        )
        args: list[object] = []
        if until is not None:
            sql += " JOIN articles a ON a.id = f.article_id WHERE a.published <= ? AND"
            args.append(until.isoformat())
        else:
            sql += " WHERE"
        sql += " f.lat IS NOT NULL ORDER BY f.id, f.tolerance_km, f.lat, f.lon, f.surface"
        out: dict[str, Place] = {}
        if not self._has_found_table():
            return out
        for pid, surface, kind, lat, lon, country, admin1, anchor, source, tol in self._query(
            sql, args
        ):
            if pid not in out:
                out[pid] = Place(
                    pid,
                    surface,
                    PlaceKind(kind),
                    float(lat),
                    float(lon),
                    country or "",
                    admin1 or "",
                    near=anchor or "",
                    source=source or "",
                    curated=False,
                    tolerance_km=float(tol) if tol is not None else None,
                )
        return out

    def found_places(self, kind: PlaceKind | None = None) -> list[FoundPlace]:
        """Every place found in text, anchored or not, with its mentions, by name then id."""
        approximate = self.approximate_places()
        sql = (
            "SELECT f.id, f.surface, f.kind, f.anchor_id, f.distance_km, f.bearing, f.tolerance_km, "
            "f.lat, f.lon, f.article_id, a.published FROM found_places f "
            "JOIN articles a ON a.id = f.article_id"
        )
        args: list[object] = []
        if kind is not None:
            sql += " WHERE f.kind = ?"
            args.append(kind.value)
        sql += " ORDER BY f.id, a.published, f.article_id, f.start"
        grouped: dict[str, list[tuple[Any, ...]]] = {}
        if not self._has_found_table():
            return []
        for row in self._query(sql, args):
            grouped.setdefault(row[0], []).append(row)
        out = [_found_summary(rows, approximate.get(pid)) for pid, rows in grouped.items()]
        return sorted(out, key=lambda f: (f.name.casefold(), f.id))

    def article(self, article_id: str) -> dict[str, str] | None:
        """An article's metadata (path, source, url, title, published) by id."""
        rows = self._query(
            "SELECT path, source, url, title, published FROM articles WHERE id = ?", (article_id,)
        )
        if not rows:
            return None
        path, source, url, title, published = rows[0]
        return {"path": path, "source": source, "url": url, "title": title, "published": published}

    def spellings(self) -> dict[str, list[str]]:
        """The spellings seen in articles per place id, most frequent first."""
        out: dict[str, list[str]] = {}
        rows = self._query(
            "SELECT place_id, surface, COUNT(*) AS n FROM mentions GROUP BY place_id, surface "
            "ORDER BY place_id, n DESC, surface",
            (),
        )
        for place_id, surface, _ in rows:
            out.setdefault(place_id, []).append(surface)
        return out

    def counts(self) -> dict[str, int]:
        """Rows per table: articles, mentions, events."""
        return {
            table: int(self._query(f"SELECT COUNT(*) FROM {table}", ())[0][0])
            for table in ("articles", "mentions", "events")
        }

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """The first and last event dates, or None for an empty store."""
        rows = self._query("SELECT MIN(date), MAX(date) FROM events", ())
        if not rows or rows[0][0] is None:
            return None
        return dt.date.fromisoformat(rows[0][0]), dt.date.fromisoformat(rows[0][1])

    def _has_found_table(self) -> bool:
        """False only for an older database this process could not add the table to."""
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'found_places'"
        return bool(self._query(sql, ()))

    def _query(self, sql: str, args: Sequence[object]) -> list[tuple[Any, ...]]:
        try:
            return list(self.conn.execute(sql, tuple(args)))
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot read the database ({exc})") from None


# Errors that mean a write did not reach the disk: no space, a file-size limit
# (RLIMIT_FSIZE, EFBIG) or a failing disk. Names as in Python 3.11's ``sqlite_errorname``.
_DISK_ERRORS = ("SQLITE_FULL", "SQLITE_IOERR")


def _is_disk_error(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", None)
    if isinstance(name, str):
        return name.startswith(_DISK_ERRORS)
    return any(text in str(exc) for text in ("disk is full", "disk I/O error"))  # Python 3.10


def _write_error(
    path: Path, exc: sqlite3.Error, what: str, *, rolled_back: bool = True
) -> StoreError:
    """One line for a failed write; a full disk (or too large a file) says so."""
    if _is_disk_error(exc):
        tail = "; nothing of the failed write was stored" if rolled_back else ""
        return StoreError(
            f"{path}: {what}: disk full, file too large or a disk error ({exc}){tail}"
        )
    return StoreError(f"{path}: {what} ({exc})")


def _iso(day: dt.date | None) -> str:
    if day is None:
        raise StoreError("an article without a date cannot be stored")
    return day.isoformat()


def _found_row(article: Article, u: UnknownPlace) -> tuple[object, ...]:
    """A row of ``found_places`` (offsets index the file, as in ``mentions``)."""
    anchor = u.anchor
    return (
        article.id,
        u.start + article.offset,
        u.end + article.offset,
        u.name,
        found_place_id(u.name, u.kind, anchor.id if anchor else None),
        u.kind.value,
        anchor.id if anchor else None,
        u.distance_km,
        u.bearing,
        u.lat,
        u.lon,
        u.tolerance_km,
        anchor.country if anchor else None,
        anchor.admin1 if anchor else None,
        f"text: {placement(u)}",
    )


def _found_summary(rows: list[tuple[Any, ...]], place: Place | None) -> FoundPlace:
    """One found place from its ``found_places`` rows (ordered by publication)."""
    pid, _, kind, anchor = rows[0][:4]
    spellings = Counter(r[1] for r in rows)
    first_written = {name: i for i, name in reversed(list(enumerate(r[1] for r in rows)))}
    names = sorted(spellings, key=lambda n: (-spellings[n], first_written[n]))
    # The distance and bearing of the mention that placed it (the first anchored one else).
    placed = [r for r in rows if place is not None and (r[7], r[8]) == (place.lat, place.lon)]
    best = placed[0] if placed else rows[0]
    articles = tuple(dict.fromkeys(r[9] for r in rows))
    return FoundPlace(
        id=pid,
        name=place.name if place is not None else names[0],
        kind=PlaceKind(kind),
        place=place,
        anchor_id=anchor,
        distance_km=best[4],
        bearing=best[5],
        spellings=tuple(names),
        articles=articles,
        mentions=len(rows),
        first_seen=dt.date.fromisoformat(rows[0][10]),
        last_seen=dt.date.fromisoformat(rows[-1][10]),
    )


def _event_from_row(row: dict[str, object], places: Mapping[str, Place]) -> Event | None:
    place = places.get(str(row["place_id"]))
    if place is None:
        return None

    def text(key: str) -> str:
        value = row[key]
        return "" if value is None else str(value)

    def optional(key: str) -> str | None:
        value = row[key]
        return None if value is None else str(value)

    distance = row["distance_km"]
    return Event(
        place=place,
        kind=EventKind(text("kind")),
        actor=optional("actor"),
        controller_after=optional("controller_after"),
        date=dt.date.fromisoformat(text("date")),
        precision=Precision(text("precision")),
        status=ClaimStatus(text("status")),
        evidence=text("evidence"),
        article_id=text("article_id"),
        confidence=float(row["confidence"] or 0.0),  # type: ignore[arg-type]
        rule=text("rule"),
        attribution=text("attribution"),
        source=text("source"),
        evidence_start=int(row["evidence_start"] or 0),  # type: ignore[call-overload]
        evidence_end=int(row["evidence_end"] or 0),  # type: ignore[call-overload]
        besieger=optional("besieger"),
        distance_km=float(distance) if distance is not None else None,  # type: ignore[arg-type]
        surface=text("surface"),
        previous=optional("previous"),
    )


def open_store(path: Path | str | None = None, *, create: bool = True) -> Store:
    """Open (and create, migrate or validate) the database at ``path``.

    Raises
    ------
    StoreError
        If the file is not a geomap database, is corrupt, comes from another schema
        version, or cannot be created.
    """
    target = Path(path) if path is not None else default_db_path()
    if target.is_dir():
        raise StoreError(f"{target}: is a folder; expected a database file")
    if not create and not target.exists():
        raise StoreError(f"{target}: no database here; run `geomap ingest` first")
    try:
        conn = sqlite3.connect(str(target), timeout=60, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 60000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        # Ingest writes in big batches: a 32 MiB page cache and a checkpoint every 64 MiB of
        # log (not every 4) cut writing 10,000 dispatches from 0.24 to 0.19 ms each.
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
        _check_or_create_schema(conn, target)
    except sqlite3.OperationalError as exc:
        if _is_disk_error(exc):
            raise _write_error(target, exc, "cannot open", rolled_back=False) from None
        raise StoreError(f"{target}: not a usable geomap database ({exc})") from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{target}: not a usable geomap database ({exc})") from None
    except OSError as exc:
        raise StoreError(f"{target}: cannot open ({exc.strerror})") from None
    return Store(target, conn)


def _check_or_create_schema(conn: sqlite3.Connection, target: Path) -> None:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if tables and "meta" not in tables:
        raise StoreError(f"{target}: an SQLite file, but not a geomap database")
    if "meta" in tables:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        try:
            version = int(row[0]) if row else 0
        except (TypeError, ValueError):
            raise StoreError(f"{target}: unreadable schema version {row[0]!r}") from None
        if version != SCHEMA_VERSION:
            raise StoreError(
                f"{target}: schema version {version}, this geomap reads version "
                f"{SCHEMA_VERSION}; re-ingest into a new database"
            )
        if "found_places" not in tables:
            _add_found_table(conn)
        return
    # One script, one transaction; a second process creating the schema at the same time
    # waits for the lock and then finds everything there (IF NOT EXISTS, OR IGNORE).
    conn.executescript(
        "BEGIN IMMEDIATE;"
        + _SCHEMA
        + _FOUND_SCHEMA
        + f"INSERT OR IGNORE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');"
        + "COMMIT;"
    )


def _add_found_table(conn: sqlite3.Connection) -> None:
    """Add ``found_places`` to a database made before it existed (no other change).

    A database this process may not write (a read-only file) stays as it is: readers
    then find no found places.
    """
    try:
        conn.executescript("BEGIN IMMEDIATE;" + _FOUND_SCHEMA + "COMMIT;")
    except sqlite3.OperationalError as exc:
        with suppress(sqlite3.Error):
            conn.rollback()
        if "readonly" not in str(exc):
            raise
