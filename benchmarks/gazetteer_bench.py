"""Gazetteer benchmark: print figures (never a timed test). Run: ``python benchmarks/gazetteer_bench.py``.

Measures, with the whole gazetteer loaded (curated places, GeoNames cities500, Who's On First):
- mention finding on one core: MB/s over a generated corpus (texts in memory), one pass
  in each of a few fresh processes (median; also by CPU time, steadier on a shared machine);
- the index: places and keys, time to build it from the data files, size on disk;
- `geomap places resolve` from a cold start (a fresh process), with the prebuilt index and
  with none (the first run on a machine builds it);
- the installed size: the package's code and the data a wheel ships.

Options: --articles N (default 2,000), --runs N (fresh processes for finding, default 3).
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


def bench_find(count: int) -> tuple[float, float, float, int]:
    """One pass of Gazetteer.find over ``count`` generated articles, in this process.

    Returns MB/s by the clock, MB/s by this process's CPU time (what a shared machine's
    other work does not slow down as much), articles/s by the clock, and the mentions found.
    """
    from geomap import load_gazetteer

    gaz = load_gazetteer()
    texts = [text for _, text in generate(count)]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    gaz.find(texts[0])  # one-time loads, not the per-chunk memo
    start, cpu = time.perf_counter(), time.process_time()
    found = sum(len(gaz.find(t)) for t in texts)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return megabytes / elapsed, megabytes / cpu, len(texts) / elapsed, found


def bench_find_fresh(count: int, runs: int) -> list[tuple[float, float, float, int]]:
    """:func:`bench_find` in ``runs`` fresh processes (each pass starts with empty memos,
    as an ingest worker does), so that one slow moment of a shared machine is visible."""
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--articles", str(count), "--find-once"],
            capture_output=True,
            check=True,
            text=True,
        )
        mbps, cpu, rate, found = out.stdout.split()
        results.append((float(mbps), float(cpu), float(rate), int(found)))
    return results


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
    parser.add_argument("--runs", type=int, default=3, help="fresh processes for finding")
    parser.add_argument("--find-once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.find_once:
        print(*bench_find(args.articles))
        return
    runs = bench_find_fresh(args.articles, args.runs)
    mbps = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    rate, found = statistics.median(r[2] for r in runs), runs[0][3]
    spread = ", ".join(f"{r[0]:.1f}" for r in runs)
    print(
        f"mention finding (1 core):  {mbps:6.1f} MB/s  {rate:8,.0f} articles/s  ({found:,} mentions)"
        f"\n  median of {len(runs)} fresh processes ({spread} MB/s); by CPU time {cpu:.1f} MB/s"
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
