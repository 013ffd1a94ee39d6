"""Long ingests as a user sees them: the progress bar on a terminal, and Ctrl-C."""

from __future__ import annotations

import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE, run_cli

COPIES = 100  # of each single-article sample file: long enough to interrupt


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long") / "corpus"
    folder.mkdir()
    singles = [p for p in sorted(SAMPLE.glob("*.txt")) if not p.name.startswith("archive")]
    for i in range(COPIES):
        for path in singles:
            text = path.read_text(encoding="utf-8")
            (folder / f"{i:03d}-{path.name}").write_text(f"{text}\n\nCopy {i}.\n")
    return folder


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """What one uninterrupted ingest of the corpus stores."""
    from geomap.pipeline import ingest

    db = tmp_path_factory.mktemp("ref") / "ref.db"
    ingest([corpus], db, workers=2)
    return _contents(db)


def _contents(db: Path) -> dict[str, object]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {
            "articles": sorted(r[0] for r in conn.execute("SELECT id FROM articles")),
            "events": sorted(r[0] for r in conn.execute("SELECT id FROM events")),
            "mentions": conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0],
        }


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=0.1) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet, or busy


def _on_a_terminal(args: list[str]) -> tuple[int, str, str]:
    """Run geomap with stderr on a pseudo-terminal; (exit code, stdout, terminal output)."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "140"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "geomap", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            seen += data
        elif proc.poll() is not None:
            break
    os.close(master)
    out = proc.stdout.read().decode() if proc.stdout else ""
    return proc.wait(timeout=120), out, seen.decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_shows_files_rate_and_eta(corpus, tmp_path, reference):
    code, out, terminal = _on_a_terminal(["ingest", str(corpus), "--db", str(tmp_path / "t.db")])
    assert code == 0, terminal
    total = len(list(corpus.iterdir()))
    assert f"{total}/{total}" in terminal and "files" in terminal
    assert "articles/s" in terminal and "ETA" in terminal
    assert f"ingested {total} articles" in out  # the summary stays on stdout
    assert _contents(tmp_path / "t.db") == reference


def test_no_progress_bar_with_quiet_or_in_a_pipe(corpus, tmp_path):
    few = tmp_path / "few"
    few.mkdir()
    for path in sorted(corpus.iterdir())[:5]:
        (few / path.name).write_text(path.read_text())
    code, _, terminal = _on_a_terminal(["ingest", str(few), "--db", str(tmp_path / "q.db"), "-q"])
    assert code == 0 and terminal.strip() == ""
    piped = run_cli("ingest", str(few), "--db", str(tmp_path / "p.db"))
    assert piped.code == 0 and piped.err == ""


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_stores_what_was_read_and_a_rerun_completes_the_rest(
    corpus, tmp_path, reference, workers
):
    db = tmp_path / "ctrl-c.db"
    args = ["ingest", str(corpus), "--db", str(db), "--workers", workers]
    proc = subprocess.Popen(
        [sys.executable, "-m", "geomap", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while _stored(db) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # interrupt once the first batch has landed
    assert proc.poll() is None, "the ingest finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("interrupted: "), err
    stored = _stored(db)
    total = len(list(corpus.iterdir()))
    assert 0 < stored < total
    assert f"ingested {stored} articles" in out  # the summary says what is in the database
    state = _contents(db)  # integrity_check ok
    assert set(state["articles"]) < set(reference["articles"])
    rerun = run_cli("ingest", str(corpus), "--db", str(db), "-q")
    assert rerun.code == 0, rerun.err
    assert f"({total - stored} new, {stored} already stored)" in rerun.out
    assert _contents(db) == reference
