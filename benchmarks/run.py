"""geomap benchmarks: print figures (never timed tests). Run: ``make bench``.

Measures on a generated corpus (see generate.py):
- mention finding alone: articles/s and MB/s on one core;
- `geomap places resolve` and `geomap --help` cold-start times (fresh processes);
- end-to-end ingest (read, resolve, extract, store) with 1 and 2 workers, and peak RSS of
  the ingest process at two corpus sizes (flat memory = streaming).

Options: --articles N (default 10,000), --quick (2,000).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def _write_corpus(folder: Path, count: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    for name, text in generate(count):
        (folder / name).write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return size


def bench_mentions(folder: Path) -> tuple[float, float, int]:
    """Articles/s and MB/s of Gazetteer.find over the corpus (texts already in memory)."""
    from geomap import load_gazetteer

    gaz = load_gazetteer()
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    # Warm the one-time loads (the word list is built on first use), not the per-chunk memo:
    # every article is still read once, cold, in the timed pass.
    gaz.find(texts[0])
    _ = gaz.common_words
    start = time.perf_counter()
    found = sum(len(gaz.find(t)) for t in texts)
    elapsed = time.perf_counter() - start
    return len(texts) / elapsed, megabytes / elapsed, found


def _cold(args: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _ingest(folder: Path, workers: int) -> tuple[float, float, float]:
    """Articles/s, peak RSS (MB) and database MB per 1,000 articles of one ingest run."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        # Peak RSS of this process from /proc (VmHWM): ru_maxrss would also count what the
        # benchmark process held when it forked this one (Linux keeps it across exec).
        code = (
            "import resource, sys, time\n"
            "from geomap.pipeline import ingest\n"
            "t = time.perf_counter()\n"
            f"r = ingest([{str(folder)!r}], {str(db)!r}, workers={workers})\n"
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
            "own = int(hwm[0].split()[1]) if hwm else "
            "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print(r.articles_read, time.perf_counter() - t, own,"
            " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
        articles, seconds, rss_self, rss_children = (
            int(out[0]),
            float(out[1]),
            int(out[2]),
            int(out[3]),
        )
        db_mb = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*")) / 1e6
    peak = max(rss_self, rss_children) / 1024  # both in KiB on Linux
    return articles / seconds, peak, db_mb / articles * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description="geomap benchmarks")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="2,000 articles")
    parser.add_argument("--peers", action="store_true", help="also geotext and spaCy")
    args = parser.parse_args()
    count = 2_000 if args.quick else args.articles
    print(
        f"geomap benchmarks  {time.strftime('%Y-%m-%d')}  {platform.processor() or platform.machine()}"
        f"  {os.cpu_count()} cores  Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big", Path(tmp) / "small"
        size = _write_corpus(big, count)
        _write_corpus(small, count // 4)
        print(
            f"corpus: {count} generated articles, {size / 1e6:.1f} MB "
            f"({size / count / 1000:.1f} KB each)"
        )
        rate, mbps, found = bench_mentions(big)
        print(
            f"mention finding (1 core):   {rate:10,.0f} articles/s  {mbps:6.1f} MB/s  "
            f"({found:,} mentions)"
        )
        print(f"`geomap --help` cold:        {_cold(['--help']):.3f} s")
        print(f"`places resolve` cold:       {_cold(['places', 'resolve', 'Deir el-Zour']):.3f} s")
        one, rss_one, db_per_k = _ingest(big, 1)
        two, rss_two, _ = _ingest(big, 2)
        _, rss_small, _ = _ingest(small, 1)
        print(f"ingest end to end, 1 worker: {one:10,.0f} articles/s  peak RSS {rss_one:5.0f} MB")
        print(
            f"ingest end to end, 2 workers:{two:10,.0f} articles/s  peak RSS {rss_two:5.0f} MB"
            f"  ({two / one:.2f}x)"
        )
        print(f"peak RSS, {count // 4} vs {count} articles: {rss_small:.0f} MB vs {rss_one:.0f} MB")
        print(f"database size:              {db_per_k:6.2f} MB per 1,000 articles")
        from diff_bench import main as diff_main

        diff_main()
        if args.peers:
            from peers import format_table, run_peers

            texts = [p.read_text(encoding="utf-8") for p in sorted(big.glob("*.txt"))][:2000]
            print("\npeers on the same articles (pip install -e '.[bench]'):")
            print(format_table(run_peers(texts)))


if __name__ == "__main__":
    main()
