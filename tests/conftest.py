"""Shared fixtures: the gazetteer, the seed articles, and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "geomap" / "sample"


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
