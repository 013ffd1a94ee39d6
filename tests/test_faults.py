"""Faults (issue #8): kill -9 at random points, four ingests at once, a full disk, and
events files that are too large, too deep or self-referencing.

Every check runs the real ``geomap`` command in a subprocess and compares the database,
row by row, with one clean ingest of the same corpus (the *reference*). ``ingest`` commits
whole files in batches (``pipeline.BATCH_FILES`` files or ``BATCH_SECONDS`` of work), so
the unit every check holds it to is the file: all of a file's articles are stored, with
all their rows, or none, and files are stored in the order they are read.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import ROOT, SAMPLE, Result, assert_clean_error, run_cli

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer

DATED = sorted(SAMPLE.glob("*.txt"))
FILES = 48  # archive pages of 16 dispatches (about 23 KB) each: 768 articles, 732 distinct
DISPATCHES = 16
KILL_ROUNDS = 8
ROOM = 2**20  # for a full disk: enough for small files, not for a 2.4 MB article
DISK_ERROR = "disk full, file too large or a disk error"

Rows = list[tuple[object, ...]]
Snapshot = dict[str, Rows]

# What a snapshot compares: every column but ``articles.ingested_at`` (a clock) and
# ``articles.path`` (an article repeated in several files is stored from whichever of
# them comes first, which depends on the order of the files).
_COLUMNS = {
    "articles": "id, source, url, title, published, text_offset, text",
    "mentions": "*",
    "unresolved": "*",
    "events": "*",
    "claims": "*",
}
_ARTICLE_ID = {"articles": 0, "mentions": 0, "unresolved": 0, "events": 1, "claims": 0}


def snapshot(db: Path) -> Snapshot:
    """Every row of every table (sorted), after checking the file is sound SQLite."""
    if not db.exists():
        return {table: [] for table in _COLUMNS}
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:  # killed before the schema was committed (it is one transaction)
            return {table: [] for table in _COLUMNS}
        assert set(_COLUMNS) | {"meta"} <= tables, tables
        return {
            table: sorted(conn.execute(f"SELECT {columns} FROM {table}"), key=repr)
            for table, columns in _COLUMNS.items()
        }


@dataclass
class Reference:
    """One clean ingest of the whole corpus."""

    folder: Path
    files: list[str]  # in the order `ingest FOLDER` reads them
    articles: dict[str, frozenset[str]]  # file -> the ids of its articles
    db: Path
    rows: Snapshot
    seconds: float  # how long one full ingest of the folder takes (warm)
    first_commit: float  # when its first batch of files was committed

    def ids(self, files: Sequence[str]) -> set[str]:
        """The ids of the articles in ``files``."""
        return set().union(*(self.articles[f] for f in files))


def ingest_cmd(*inputs: str | Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "geomap", "ingest", *map(str, inputs), "--db", str(db), "-q"]


def cli_env() -> dict[str, str]:
    return {**os.environ, "PYTHONWARNINGS": "ignore"}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    from geomap.corpus import read_text, split_articles

    folder = tmp_path_factory.mktemp("corpus")
    pool = [a for path in DATED for a in split_articles(read_text(path), str(path))]
    for n in range(FILES):
        # one dispatch shared with three other files, fifteen of its own ("Copy n-k.")
        shared = [(pool[n % 12], f"Shared {n % 12}.")]
        own = [(pool[(7 * n + k) % len(pool)], f"Copy {n}-{k}.") for k in range(DISPATCHES - 1)]
        page = "".join(
            f"{a.published:%B %d, %Y}\n\n{a.text}\n\n{tag}\n\nSource: {a.source}.\n\n"
            for a, tag in shared + own
        )
        (folder / f"page-{n:02d}.txt").write_text(f"Tag Archive: faults\n\n\n{page}")
    files = [str(p) for p in sorted(folder.iterdir())]
    articles = {f: frozenset(a.id for a in split_articles(read_text(Path(f)), f)) for f in files}
    db = tmp_path_factory.mktemp("reference") / "reference.db"
    assert run_cli("ingest", str(folder), "--db", str(db), "-q").code == 0
    rows = snapshot(db)
    assert len(files) == FILES and all(len(a) == DISPATCHES for a in articles.values())
    assert {row[0] for row in rows["articles"]} == set().union(*articles.values())
    assert len(rows["articles"]) == 732 and rows["events"] and rows["mentions"] and rows["claims"]
    seconds, first_commit = timed_ingest(folder, db.with_name("timing.db"))  # warm now
    assert snapshot(db.with_name("timing.db")) == rows  # and the same again
    return Reference(folder, files, articles, db, rows, seconds, first_commit)


def timed_ingest(folder: Path, db: Path) -> tuple[float, float]:
    """Ingest ``folder`` into a new ``db``: how long it took and when articles first showed."""
    start = time.monotonic()
    proc = subprocess.Popen(
        ingest_cmd(folder, db=db), cwd=ROOT, env=cli_env(), stdout=subprocess.DEVNULL
    )
    first_commit = None
    while proc.poll() is None:
        time.sleep(0.01)
        if first_commit is None and db.exists():
            with suppress(sqlite3.Error), closing(sqlite3.connect(db)) as conn:
                if conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]:
                    first_commit = time.monotonic() - start
    seconds = time.monotonic() - start
    assert proc.returncode == 0
    return seconds, seconds if first_commit is None else first_commit


def whole_files(db: Path, ref: Reference) -> tuple[set[str], set[str]]:
    """The ids of the stored articles and the files stored whole, after checking that

    - each stored article has exactly its reference rows in every table: no partial
      article, no duplicate row, no stray row;
    - every stored article belongs to a file stored whole: a file is all in or all out.
    """
    rows = snapshot(db)
    ids = {str(row[0]) for row in rows["articles"]}
    for table, column in _ARTICLE_ID.items():
        expected = [row for row in ref.rows[table] if row[column] in ids]
        assert rows[table] == expected, table
    whole = {f for f, articles in ref.articles.items() if articles <= ids}
    assert ids == ref.ids(sorted(whole)), "an article of a file stored in part"
    return ids, whole


# ----------------------------------------------------------------------- kill -9
@pytest.mark.timing  # its kills are timed by `reference.seconds`, measured in its set-up
def test_kill_minus_nine_at_random_points_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, reference: Reference
) -> None:
    """SIGKILL ``ingest`` at seeded random moments, eight times, each run resuming the last.

    Each run reads the corpus in its own (seeded) order, so every run has files to write
    and a kill can land anywhere: at start-up, while the schema is made, between batches,
    inside a batch's transaction, or among files already stored. Half the delays are
    drawn from the whole run, half from after the first commit, so that some kills land
    while files are being stored whatever start-up costs.
    """
    target = tmp_path / "killed.db"
    rng = random.Random(8)
    outcomes = []
    stored: set[str] = set()
    for round_ in range(KILL_ROUNDS):
        order = rng.sample(reference.files, len(reference.files))
        earliest = 0.0 if round_ % 2 == 0 else reference.first_commit
        delay = rng.uniform(earliest, reference.seconds)  # up to the end of a whole run
        proc = subprocess.Popen(
            ingest_cmd(*order, db=target),
            cwd=ROOT,
            env=cli_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        with suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=delay)  # a run that ends before `delay` is not waited out
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=120)
        if not killed:
            assert proc.returncode == 0, err
        ids, whole = whole_files(target, reference)
        # the run stored files in its order and stopped at one point: nothing skipped
        done = next((k for k, f in enumerate(order) if f not in whole), len(order))
        assert whole - stored <= set(order[:done])
        assert ids >= reference.ids(sorted(stored))  # nothing stored before was lost
        outcomes.append((round(delay / reference.seconds, 2), killed, len(ids)))
        stored = whole
    total = len(reference.rows["articles"])
    assert any(killed for _, killed, _ in outcomes), outcomes
    # a kill that left some files stored and some not (needs two batches or more)
    assert any(0 < n < total for _, killed, n in outcomes if killed), (
        reference.seconds,
        reference.first_commit,
        outcomes,
    )
    final = run_cli("ingest", str(reference.folder), "--db", str(target), "-q")
    assert final.code == 0, final.err
    assert f"({total - outcomes[-1][2]} new, " in final.out
    assert snapshot(target) == reference.rows  # every row, no duplicate, no loss


# ----------------------------------------------------------------------- four at once
def test_four_concurrent_ingests_of_overlapping_corpora_equal_one_ingest_of_the_union(
    tmp_path: Path, reference: Reference
) -> None:
    files = reference.files
    subsets = [
        files[0:18],
        files[12:30],
        files[24:42],
        list(reversed(files[36:] + files[:6])),  # meets the others from the other end
    ]
    assert set().union(*subsets) == set(files)
    shared = tmp_path / "shared.db"
    procs = [
        subprocess.Popen(
            ingest_cmd(*subset, db=shared),
            cwd=ROOT,
            env=cli_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for subset in subsets
    ]
    outputs = [proc.communicate(timeout=180) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0, 0], [err for _, err in outputs]
    new = [re.search(r"\((\d+) new, (\d+) already", out) for out, _ in outputs]
    assert all(new), outputs
    # each article was new to exactly one of the four
    assert sum(int(m.group(1)) for m in new if m) == len(reference.rows["articles"])
    assert snapshot(shared) == reference.rows


# ----------------------------------------------------------------------- a full disk
@pytest.fixture(scope="module")
def half_db(tmp_path_factory: pytest.TempPathFactory, reference: Reference) -> Path:
    """The first 24 files of the corpus, stored."""
    db = tmp_path_factory.mktemp("half") / "half.db"
    assert run_cli("ingest", *reference.files[:24], "--db", str(db), "-q").code == 0
    return db


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2.4 MB article with no place in it: more than SQLite's 2 MB page cache holds, so
    storing it writes to the disk before the commit, inside the transaction."""
    para = "The committee met on Tuesday and talked about the budget and the harvest. " * 8
    path = tmp_path_factory.mktemp("big") / "big.txt"
    path.write_text("date: 2017-03-02\ntitle: filler\n\n" + "\n\n".join([para] * 4000))
    return path


def copy_db(source: Path, target: Path) -> Path:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def _limit_file_size(limit: int) -> Callable[[], None]:
    def preexec() -> None:  # in the child: writes past `limit` bytes fail with EFBIG
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def ingest_with_file_size_limit(
    inputs: Sequence[str | Path], db: Path, room: int, tmp_path: Path
) -> tuple[Result, Path]:
    """``ingest`` under ``ulimit -f``: no file may grow past ``room`` bytes (EFBIG).

    SQLite writes to the WAL first, so the WAL fills up at ``room`` bytes; the database
    file itself (larger than that) can only be read and rewritten in place.
    """
    return _run(ingest_cmd(*inputs, db=db), preexec_fn=_limit_file_size(room)), db


def _run(command: list[str], **extra: Any) -> Result:
    """Run ``command`` from the project folder with the CLI's environment."""
    proc = subprocess.run(
        command,
        cwd=ROOT,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        **extra,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


_UNSHARE = ["unshare", "--mount", "--propagation", "private"]  # a private mount namespace
_TMPFS_SCRIPT = r"""
size=$1 mnt=$2 before=$3 out=$4
shift 4
mount -t tmpfs -o "size=${size}k" tmpfs "$mnt" || exit 99
cp "$before" "$mnt/full.db" || exit 99
"$@" --db "$mnt/full.db"
rc=$?
cp "$mnt/full.db" "$out/full.db" || exit 99
if [ -e "$mnt/full.db-wal" ]; then cp "$mnt/full.db-wal" "$out/full.db-wal" || exit 99; fi
exit $rc
"""


def _can_mount_tmpfs(where: Path) -> bool:
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        [*_UNSHARE, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0


def ingest_on_a_small_tmpfs(
    inputs: Sequence[str | Path], db: Path, room: int, tmp_path: Path
) -> tuple[Result, Path]:
    """``ingest`` with the database on a tmpfs with ``room`` bytes to spare (ENOSPC after).

    The tmpfs is mounted in a private mount namespace (``unshare``): it vanishes with the
    command, whatever happens; the database is copied out before that.
    """
    mount_point = tmp_path / "mnt"
    mount_point.mkdir()
    if not _can_mount_tmpfs(mount_point):
        pytest.skip("needs root and unshare/mount (a private tmpfs)")
    out = tmp_path / "out"
    out.mkdir()
    size_kib = (db.stat().st_size + 32768 + room) // 1024  # the db, its -shm, and `room`
    args = [str(size_kib), str(mount_point), str(db), str(out)]
    ingest = [sys.executable, "-m", "geomap", "ingest", *map(str, inputs), "-q"]
    result = _run([*_UNSHARE, "sh", "-c", _TMPFS_SCRIPT, "sh", *args, *ingest])
    assert result.code != 99, result.err
    return result, out / "full.db"


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE and tmpfs are Linux")
@pytest.mark.parametrize("fault", [ingest_with_file_size_limit, ingest_on_a_small_tmpfs])
@pytest.mark.parametrize("where", ["first", "after twelve files"])
def test_full_disk_stops_the_ingest_with_one_line_and_keeps_the_database(
    tmp_path: Path,
    reference: Reference,
    half_db: Path,
    big_file: Path,
    fault: Callable[..., tuple[Result, Path]],
    where: str,
) -> None:
    """The disk fills up while the big file is written: the command stops there with one
    line (exit 2); the database keeps the batches committed before and nothing after."""
    before = snapshot(half_db)
    done = reference.files[24:36] if where != "first" else []
    inputs = [*done, big_file, *reference.files[36:42]]
    db = copy_db(half_db, tmp_path / "full.db")
    result, after_db = fault(inputs, db, ROOM, tmp_path)
    assert_clean_error(result, 2, DISK_ERROR)
    assert "nothing of the failed write was stored" in result.err
    stored, _ = whole_files(after_db, reference)  # the big one is not in
    if where == "first":
        assert snapshot(after_db) == before  # exactly as it was
        return
    # whole batches of the twelve files before the big one, in order; none after it
    assert any(stored == reference.ids(reference.files[: 24 + k]) for k in range(13))
    # with room again, the same command finishes the job
    rerun = run_cli("ingest", *map(str, inputs), "--db", str(after_db), "-q")
    assert rerun.code == 0, rerun.err
    ids = {str(row[0]) for row in snapshot(after_db)["articles"]}
    assert ids & reference.ids(reference.files) == reference.ids(reference.files[:42])
    assert len(ids - reference.ids(reference.files)) == 1  # the big article


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE is Linux")
def test_no_room_for_a_new_database_is_one_line_and_it_can_be_made_later(
    tmp_path: Path, reference: Reference
) -> None:
    """16 KiB is not even room for SQLite's shared-memory file (32 KiB): opening fails."""
    db = tmp_path / "new.db"
    result, _ = ingest_with_file_size_limit(reference.files[:3], db, 16 * 1024, tmp_path)
    assert_clean_error(result, 2, f"{db}: cannot open: {DISK_ERROR}")
    again = run_cli("ingest", *reference.files[:3], "--db", str(db), "-q")
    assert again.code == 0, again.err
    assert whole_files(db, reference)[0] == reference.ids(reference.files[:3])


def test_a_failed_write_is_rolled_back_and_one_store_error_but_a_bug_stays_a_bug(
    tmp_path: Path,
) -> None:
    from geomap.errors import StoreError
    from geomap.store import open_store

    with open_store(tmp_path / "t.db") as store:
        refused = pytest.raises(StoreError, match=r"t\.db: cannot write to the database \(boom\)$")
        with refused, store.transaction() as conn:
            conn.execute("INSERT INTO meta VALUES ('x', 'y')")
            raise sqlite3.IntegrityError("boom")
        full = pytest.raises(StoreError, match=f"{DISK_ERROR} \\(database or disk is full\\); ")
        with full, store.transaction() as conn:  # (made by hand: no sqlite_errorname)
            conn.execute("INSERT INTO meta VALUES ('x', 'y')")
            raise sqlite3.OperationalError("database or disk is full")
        bug = pytest.raises(sqlite3.ProgrammingError)  # wrong bindings: geomap's bug (exit 3)
        with bug, store.transaction() as conn:
            conn.execute("INSERT INTO meta VALUES ('x', 'y')")
            conn.execute("SELECT ?", ())
        assert store.conn.execute("SELECT COUNT(*) FROM meta WHERE key = 'x'").fetchone() == (0,)
        assert not store.conn.in_transaction


def test_a_write_the_database_refuses_stops_the_ingest_with_one_line(
    tmp_path: Path, reference: Reference, half_db: Path
) -> None:
    """A database that is fine but refuses one file's write (here a trigger in someone
    else's database) stops the ingest at that file's batch: nothing from it on is stored."""
    db = copy_db(half_db, tmp_path / "trigger.db")
    refused = reference.files[-1]
    quoted = "'" + refused.replace("'", "''") + "'"
    with closing(sqlite3.connect(db)) as conn:  # the article row goes in, its events do not
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.article_id IN "
            f"(SELECT id FROM articles WHERE path = {quoted}) "
            "BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END"
        )
        conn.commit()
    result = run_cli("ingest", str(reference.folder), "--db", str(db), "-q")
    assert_clean_error(result, 2, f"{db}: cannot write to the database (refused by a trigger)")
    stored, _ = whole_files(db, reference)
    # whole batches of the files before the refused one, in order; nothing of it
    assert any(stored == reference.ids(reference.files[: 24 + k]) for k in range(24))


# ----------------------------------------------------------------------- events files
@pytest.mark.parametrize(("suffix", "limit"), [(".yaml", 4), (".csv", 16)])
def test_an_events_file_over_the_size_limit_is_refused_before_anything(
    tmp_path: Path, suffix: str, limit: int
) -> None:
    huge = tmp_path / f"huge{suffix}"
    with huge.open("wb") as handle:  # sparse: nothing is written
        handle.truncate(limit * 2**20 + 1)
    db = tmp_path / "x.db"
    result = run_cli("ingest", str(DATED[0]), "--db", str(db), "--events", str(huge))
    message = f"{huge}: {limit + 1} MiB is larger than the {limit} MiB limit"
    assert_clean_error(result, 2, message)
    assert not db.exists()  # refused before the database was opened


def test_an_events_file_over_the_size_limit_beside_the_database(
    tmp_path: Path, half_db: Path
) -> None:
    db = copy_db(half_db, tmp_path / "geomap.db")
    beside = tmp_path / "geomap.events.csv"
    with beside.open("wb") as handle:
        handle.truncate(64 * 2**20)
    result = run_cli("state", "--date", "2017-03-03", "--db", str(db))
    assert_clean_error(result, 2, f"{beside}: 64 MiB is larger than the 16 MiB limit")


_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


_HOSTILE = [
    ("laughs.yaml", _LAUGHS, "laughs.yaml:2: YAML aliases are not allowed"),
    ("deep.yaml", "[" * 100_000 + "]" * 100_000, "deep.yaml:1: YAML nested deeper than 20 levels"),
    (
        "deep.yaml",
        "".join("  " * i + "- \n" for i in range(100)),
        "deep.yaml:21: YAML nested deeper",
    ),
    ("deep.yaml", "{a: " * 10_000 + "1" + "}" * 10_000, "deep.yaml:1: YAML nested deeper"),
    (
        "field.csv",
        "place,kind,date,note\nPalmyra,captured,2017-03-02,x\n,,," + "x" * 200_000 + "\n",
        "field.csv:3: field larger than field limit (131072)",
    ),
]


@pytest.mark.parametrize(("name", "content", "fragment"), _HOSTILE)
def test_hostile_events_files_are_refused_with_one_clear_error(
    tmp_path: Path, gaz: Gazetteer, name: str, content: str, fragment: str
) -> None:
    from geomap.errors import EventsFileError
    from geomap.overrides import read_overrides

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EventsFileError) as caught:
        read_overrides(path, gaz)
    message = str(caught.value)
    assert fragment in message and "\n" not in message
    assert message.count(str(path)) == 1  # the file is named once


@pytest.mark.parametrize("case", [0, 1], ids=["alias bomb", "deep nesting"])
def test_hostile_events_files_through_the_cli(tmp_path: Path, case: int) -> None:
    name, content, fragment = _HOSTILE[case]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run_cli("ingest", str(DATED[0]), "--db", str(tmp_path / "x.db"), "--events", str(path))
    assert_clean_error(result, 2, f"{path}{fragment.removeprefix(name)}")


def test_yaml_keys_that_are_not_text_are_read_as_text(tmp_path: Path, gaz: Gazetteer) -> None:
    from geomap.overrides import read_overrides

    path = tmp_path / "keys.yaml"
    path.write_text(
        "- place: Palmyra\n  kind: captured\n  date: 2017-03-02\n  actor: ISIS\n"
        "  1: an integer key\n  no: a boolean key\n  2017-03-02: a date key\n"
    )
    (event,) = read_overrides(path, gaz)
    assert event.place.id == "sy-palmyra" and event.actor == "ISIS"
