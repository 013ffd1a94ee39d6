"""Shared fixtures: the gazetteer, the seed articles, and a CLI runner; and how the suite
runs on two pytest-xdist workers (``make test``: ``pytest -n 2 --dist loadgroup``)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "geomap" / "sample"
DATED = [str(p) for p in sorted(SAMPLE.glob("*.txt"))]
# Published dates for the four seeds that print none (from the issue).
PUBLISHED = {"000": "2016-06-22", "001": "2014-07-25", "002": "2016-06-04", "004": "2016-06-22"}


@pytest.fixture(scope="session")
def gaz():
    from geomap import load_gazetteer

    return load_gazetteer()


@pytest.fixture(scope="module")
def chromium():
    """A headless chromium for a module's browser tests; skips when there is none."""
    from tests import browser

    reason = browser.skip_reason()
    if reason:
        pytest.skip(reason)
    with browser.open_browser() as instance:
        yield instance


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (../shared is absent on a fresh clone)")
    return SEEDS


def seed_file(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (skips when seeds are absent)."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (../shared is absent on a fresh clone)")
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def sample_db_built(tmp_path_factory) -> Path:
    """The dated sample articles ingested once by the CLI, as every module's ``db`` was.

    Read-only: a module takes its own copy (:func:`copy_db`), which it may change.
    """
    path = tmp_path_factory.mktemp("sample-db") / "sample.db"
    result = run_cli("ingest", *DATED, "--db", str(path), "-q")
    assert result.code == 0, result.out + result.err
    return path


@pytest.fixture(scope="session")
def seed_db_built(tmp_path_factory) -> Path:
    """The five seed articles ingested once by the CLI, one ``ingest`` a file in name order
    (with ``--published`` for the four that print no date). Read-only, as above."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (../shared is absent on a fresh clone)")
    path = tmp_path_factory.mktemp("seed-db") / "seeds.db"
    for seed in sorted(SEEDS.glob("*.txt")):
        extra = ["--published", PUBLISHED[seed.name[:3]]] if seed.name[:3] in PUBLISHED else []
        result = run_cli("ingest", str(seed), "--db", str(path), "-q", *extra)
        assert result.code == 0, result.out + result.err
    return path


def copy_db(source: Path, target: Path) -> Path:
    """A copy of a closed geomap database (one file: the CLI leaves no WAL behind)."""
    assert not source.with_name(source.name + "-wal").exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> Result:
    """Run the real ``geomap`` command in a subprocess (exit codes and stderr as a user sees)."""
    full_env = {**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "120", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "geomap", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def assert_clean_error(result: Result, code: int, fragment: str) -> None:
    """A bad input gives one ``error:`` line on stderr, the exit code, and no traceback."""
    assert result.code == code, (result.code, result.err)
    assert "Traceback" not in result.err and "Traceback" not in result.out
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert lines[0].startswith("error: ") and fragment in lines[0], lines[0]


# ------------------------------------------------------------------ two xdist workers
# `make test` runs the suite on two workers: `pytest -n 2 --dist loadfile
# --no-loadscope-reorder`. Each file is one unit of work, so its module fixtures are made
# once. test_faults (the largest) goes first, on one worker, while the other takes the
# rest. The tests whose outcome depends on how fast the machine is (marker ``timing``: a
# wall-clock budget, or kills timed by a run measured in the set-up; listed in
# TIMING_TESTS too, for the scheduler, which sees test ids only) run while no test runs on
# the other worker (an exclusive lock; every other test holds it shared): as fast as on
# one worker, and at the same speed as their set-up measured. They are all in test_faults'
# unit (its kill -9 test first, with the set-up it times itself by), so that they wait for
# no long test of their own worker.
FIRST_UNIT = "tests/test_faults.py"
TIMING_TESTS = frozenset(
    {
        "tests/test_faults.py::test_kill_minus_nine_at_random_points_loses_nothing_and_duplicates_nothing",
        "tests/test_gazetteer.py::test_titled_places_in_hostile_text_stay_linear",
        "tests/test_hostile.py::test_every_stage_finishes_on_200_kb_of_repeated_patterns",
        "tests/test_hostile.py::test_find_dates_on_many_dates",
    }
)


def _unit(nodeid: str) -> str:
    """The unit of work a test belongs to (a file, or FIRST_UNIT for a timing test)."""
    if nodeid.split("[")[0] in TIMING_TESTS:
        return FIRST_UNIT
    return nodeid.split("::")[0]


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile``, with the units of :func:`_unit`."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _unit(nodeid)

    return Scheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _is_timing(item) != (item.nodeid.split("[")[0] in TIMING_TESTS):
            raise pytest.UsageError(f"{item.nodeid}: mark it timing and list it in TIMING_TESTS")
    if hasattr(config, "workerinput"):  # an xdist worker: FIRST_UNIT's tests first
        items.sort(key=lambda item: _unit(item.nodeid) != FIRST_UNIT)  # stable


class _WorkerLock:
    """A readers-writer lock between the workers of one run (``flock`` on two files).

    ``gate`` gives a waiting writer the next turn; ``main`` is held shared by a running
    test, exclusively by a running ``timing`` test.
    """

    def __init__(self, folder: Path) -> None:
        self.gate = os.open(folder / "geomap-gate.lock", os.O_RDWR | os.O_CREAT, 0o600)
        self.main = os.open(folder / "geomap-main.lock", os.O_RDWR | os.O_CREAT, 0o600)
        self.held: bool | None = None  # None: not held; else whether exclusively

    def acquire(self, exclusive: bool) -> None:
        fcntl.flock(self.gate, fcntl.LOCK_EX)
        fcntl.flock(self.main, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        if not exclusive:
            fcntl.flock(self.gate, fcntl.LOCK_UN)
        self.held = exclusive

    def release(self) -> None:
        fcntl.flock(self.main, fcntl.LOCK_UN)
        if self.held:
            fcntl.flock(self.gate, fcntl.LOCK_UN)
        self.held = None


def _worker_lock(config: pytest.Config) -> _WorkerLock | None:
    """The run's lock on an xdist worker; None in a run without workers."""
    if not hasattr(config, "workerinput"):
        return None
    lock: _WorkerLock | None = getattr(config, "_geomap_worker_lock", None)
    if lock is None:
        # a worker's basetemp is <the run's basetemp>/popen-gwN: the folder they share
        shared = config._tmp_path_factory.getbasetemp().parent  # type: ignore[attr-defined]
        lock = _WorkerLock(shared)
        config._geomap_worker_lock = lock  # type: ignore[attr-defined]
    return lock


def _is_timing(item: pytest.Item | None) -> bool:
    return item is not None and item.get_closest_marker("timing") is not None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[Any]:
    """Set-up, call and teardown of a test under the workers' lock (held on through a run
    of ``timing`` tests)."""
    lock = _worker_lock(item.config)
    if lock is None:
        return (yield)
    if lock.held is None:
        lock.acquire(exclusive=_is_timing(item))
    try:
        return (yield)
    finally:
        if not (_is_timing(item) and _is_timing(nextitem)):
            lock.release()
