"""Shared fixtures: the gazetteer, the seed articles, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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
