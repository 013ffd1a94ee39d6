"""The summaries ``geomap ingest`` and ``geomap load`` print."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geomap.distributed import DaskReport
    from geomap.pipeline import IngestReport


def _counts_lines(mentions: int, events: Mapping[str, int]) -> list[str]:
    """The "mentions: N" and "events: kind n, ..." lines of ingest and load summaries."""
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(events.items()))
    return [f"mentions: {mentions}", "events: " + (kinds or "none")]


def ingest_summary(report: IngestReport, db: str) -> str:
    """The text summary of an ingest."""
    lines = [
        f"ingested {report.articles_read} articles from {report.files} files into {db} "
        f"({report.articles_new} new, {report.articles_known} already stored)",
        *_counts_lines(report.mentions, report.events),
    ]
    if report.overrides:
        lines.append(f"analyst events loaded: {report.overrides}")
    if report.unresolved:
        top = report.unresolved.most_common(15)
        lines.append("unresolved names: " + ", ".join(f"{name} ({n})" for name, n in top))
    for warning in report.warnings:
        lines.append(f"warning: {warning}")
    if report.skipped:
        lines.append(f"skipped {len(report.skipped)}:")
        lines.extend(f"  {reason}" for reason in report.skipped)
    return "\n".join(lines)


def dask_ingest(
    paths: Sequence[str],
    engine: str,
    out: Path | None,
    scheduler: str | None,
    workers: int,
    db: Path | None,
    events_file: Path | None,
    published: dt.date | None,
    progress: Callable[[DaskReport], None] | None = None,
) -> str:
    """``geomap ingest --engine dask``: Parquet out, a summary back (exit 1 on problems)."""
    import typer

    from geomap.distributed import ingest_dask
    from geomap.errors import GeomapError

    if engine != "dask":
        raise GeomapError(f"--engine: expected local or dask, got {engine!r}")
    if out is None:
        raise GeomapError("--engine dask writes Parquet: pass -o DIR, then `geomap load DIR`")
    if db is not None or events_file is not None:
        raise GeomapError("--engine dask writes no database: pass --db/--events to `geomap load`")
    result = ingest_dask(
        paths, out, published=published, scheduler=scheduler, workers=workers, progress=progress
    )
    lines = [
        f"wrote {result.articles} articles from {result.files} files as Parquet in {out} "
        f"({result.parts} parts); next: geomap load {out}",
        *_counts_lines(result.mentions, result.events),
    ]
    lines += [f"warning: {w}" for w in result.warnings]
    if result.skipped:
        lines.append(f"skipped {len(result.skipped)}:")
        lines += [f"  {reason}" for reason in result.skipped]
        typer.echo("\n".join(lines))
        raise typer.Exit(1)
    return "\n".join(lines)


def dask_load(parquet_dir: Path, db: Path | None, events_file: Path | None) -> tuple[str, bool]:
    """``geomap load``: the summary, and whether anything was wrong."""
    from geomap.distributed import load_parquet
    from geomap.store import default_db_path

    r = load_parquet(parquet_dir, db, events_file=events_file)
    head = (
        f"loaded {r.articles_read} articles from {r.parts} parts into "
        f"{db or default_db_path()} ({r.articles_new} new, {r.articles_known} already stored)"
    )
    return "\n".join([head, *_counts_lines(r.mentions, r.events)]), False
