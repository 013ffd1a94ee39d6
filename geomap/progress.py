"""The progress bar of long runs: files done of all, rates and time left, on stderr.

Shown on a terminal only (``geomap ingest`` leaves it out in pipes and with ``--quiet``);
it is drawn by rich, which typer already brings, and clears itself when the run ends so
that the summary stands alone.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any, Protocol


class Counts(Protocol):
    """What the bar reads: ``pipeline.IngestReport`` and ``distributed.DaskReport``."""

    @property
    def files(self) -> int: ...
    @property
    def files_total(self) -> int: ...
    @property
    def articles_read(self) -> int: ...


class IngestProgress:
    """A callable for ``progress=`` of ``pipeline.ingest`` and ``distributed.ingest_dask``
    that draws a bar while in use.

    Examples
    --------
    >>> from geomap.pipeline import IngestReport
    >>> with IngestProgress(enabled=False) as bar:  # in a pipe: draws nothing
    ...     bar(IngestReport(files=3, files_total=10, articles_read=5))
    >>> IngestProgress.rates(IngestReport(articles_read=5), elapsed=2.0)
    '5 articles, 2.5 articles/s'
    """

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None
        self._started = time.monotonic()

    def __enter__(self) -> IngestProgress:
        self._started = time.monotonic()
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files  {task.fields[line]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("ingest", total=None, line="")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def __call__(self, report: Counts) -> None:
        """Show how far ``report`` has got."""
        if self._progress is None:
            return
        elapsed = time.monotonic() - self._started
        self._progress.update(
            self._task,
            completed=report.files,
            total=report.files_total or None,
            line=self.rates(report, elapsed),
        )

    @staticmethod
    def rates(report: Counts, elapsed: float) -> str:
        """Articles read and articles per second."""
        rate = report.articles_read / elapsed if elapsed > 0 else 0.0
        return f"{report.articles_read} articles, {rate:,.1f} articles/s"
