"""`geomap ingest --engine dask` and `geomap load` as a user runs them."""

from __future__ import annotations

import importlib.util
import json

import pytest

from tests.conftest import DATED, assert_clean_error, copy_db, run_cli

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("distributed") is None,
    reason="dask is not installed (pip install -e '.[dask]')",
)


def test_dask_ingest_then_load_equals_a_local_ingest(tmp_path, sample_db_built):
    parquet = tmp_path / "pq"
    result = run_cli("ingest", *DATED, "--engine", "dask", "-o", str(parquet), "--workers", "2")
    assert result.code == 0, result.err
    assert f"next: geomap load {parquet}" in result.out
    assert run_cli("load", str(parquet), "--db", str(tmp_path / "d.db")).code == 0
    copy_db(sample_db_built, tmp_path / "l.db")  # `geomap ingest` of the same files, local
    events = [
        json.loads(run_cli("events", "--db", str(tmp_path / name), "-f", "json").out)
        for name in ("d.db", "l.db")
    ]
    assert events[0] == events[1] and events[0]
    again = run_cli("load", str(parquet), "--db", str(tmp_path / "d.db"))
    assert "(0 new, 20 already stored)" in again.out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--engine", "dask"], "pass -o DIR"),
        (["--engine", "dask", "-o", "x", "--db", "y.db"], "pass --db/--events to `geomap load`"),
        (["--engine", "spark"], "expected local or dask"),
    ],
)
def test_dask_usage_errors(tmp_path, args, fragment):
    assert_clean_error(run_cli("ingest", DATED[0], *args, cwd=tmp_path), 2, fragment)
