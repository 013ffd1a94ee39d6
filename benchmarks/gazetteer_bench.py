"""Gazetteer benchmark: print figures (never a timed test). Run: ``python benchmarks/gazetteer_bench.py``.

Measures, with the whole gazetteer loaded (curated places, GeoNames cities500, Who's On First):
- mention finding on one core: MB/s over a generated corpus (texts in memory);
- the index: places and keys, time to build it from the data files, size on disk;
- `geomap places resolve` from a cold start (a fresh process), with the prebuilt index and
  with none (the first run on a machine builds it);
- the installed size: the package's code and the data a wheel ships.

Options: --articles N (default 2,000).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def bench_find(count: int) -> tuple[float, float, int]:
    """MB/s and articles/s of Gazetteer.find, and the mentions found."""
    from geomap import load_gazetteer

    gaz = load_gazetteer()
    texts = [text for _, text in generate(count)]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    gaz.find(texts[0])  # one-time loads, not the per-chunk memo
    start = time.perf_counter()
    found = sum(len(gaz.find(t)) for t in texts)
    elapsed = time.perf_counter() - start
    return megabytes / elapsed, len(texts) / elapsed, found


def bench_build() -> tuple[float, int, int]:
    """Seconds to build the index from the data files, places, keys."""
    from geomap.gazetteer import _build_gazetteer, default_data_dir

    start = time.perf_counter()
    gaz = _build_gazetteer(default_data_dir())
    elapsed = time.perf_counter() - start
    return elapsed, len(gaz.places), len(gaz._by_key)


def cold_resolve(env: dict[str, str], runs: int = 5) -> float:
    """Median seconds of `geomap places resolve` in a fresh process."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "geomap", "places", "resolve", "Deir el-Zour", "-f", "json"],
            capture_output=True,
            check=True,
            env=env,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def folder_size(path: Path) -> int:
    return sum(
        p.stat().st_size for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="geomap gazetteer benchmark")
    parser.add_argument("--articles", type=int, default=2_000)
    args = parser.parse_args()
    mbps, rate, found = bench_find(args.articles)
    print(
        f"mention finding (1 core):  {mbps:6.1f} MB/s  {rate:8,.0f} articles/s  ({found:,} mentions)"
    )
    build, places, keys = bench_build()
    print(f"index: {places:,} places, {keys:,} keys; built from the data files in {build:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GEOMAP_CACHE_DIR": tmp}
        first = cold_resolve(env, runs=1)
        warm = cold_resolve(env)
        index = sum(p.stat().st_size for p in Path(tmp).iterdir())
    print(f"`places resolve` cold, prebuilt index: {warm:.3f} s (median of 5)")
    print(f"`places resolve` first run on a machine (builds the index): {first:.2f} s")
    print(f"index file in the user cache: {index / 1e6:.1f} MB")
    code = folder_size(ROOT / "geomap")
    data = folder_size(ROOT / "gazetteer")
    print(
        f"installed size: code {code / 1e6:.1f} MB + gazetteer data {data / 1e6:.1f} MB "
        f"(of which wof/ {folder_size(ROOT / 'gazetteer' / 'wof') / 1e6:.1f} MB)"
    )


if __name__ == "__main__":
    main()
