"""The ``geomap`` command: a thin typer shell over the library.

Each command parses its arguments, calls one library function, prints, and exits:
0 done, 1 finished with problems reported, 2 bad usage or input. Errors are one line on
stderr (``error: ...``); ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from geomap.errors import GeomapError

app = typer.Typer(
    help="Turn war reporting into dated maps of who held what.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
places_app = typer.Typer(help="Look up places in the gazetteer.", no_args_is_help=True)
app.add_typer(places_app, name="places")


class Fmt(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOpt = Annotated[Fmt, typer.Option("--format", "-f", help="Output format.")]


def _emit(text: str) -> None:
    typer.echo(text)


def _warn(line: str) -> None:
    typer.echo(f"warning: {line}", err=True)


@places_app.command("resolve")
def places_resolve(
    name: Annotated[str, typer.Argument(help="A place name in any spelling.")],
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Resolve NAME to a place; exit 1 when nothing matches (suggestions still print)."""
    from geomap import report

    result = report.resolve_report(name)
    _emit(report.render(result, fmt.value, report.RESOLVE_COLUMNS))
    raise typer.Exit(0 if result["match"] else 1)


@places_app.command("mentions")
def places_mentions(
    file: Annotated[Path, typer.Argument(help="A text file.")],
    fmt: FormatOpt = Fmt.table,
) -> None:
    """List every place name in FILE with its resolved place."""
    from geomap import report

    rows, warnings = report.mentions_report(file)
    for line in warnings:
        _warn(line)
    _emit(report.render(rows, fmt.value, report.MENTION_COLUMNS))
    raise typer.Exit(1 if warnings else 0)


@places_app.command("list")
def places_list(
    kind: Annotated[str | None, typer.Option(help="Only this kind (city, dam, ...).")] = None,
    country: Annotated[str | None, typer.Option(help="Only this ISO-2 country code.")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """List gazetteer places."""
    from geomap import report

    _emit(report.render(report.places_report(kind, country), fmt.value, report.PLACE_COLUMNS))


def main() -> None:
    """Entry point: run the app, turning GeomapError into one line and an exit code.

    Usage errors are typer's own (exit 2). ``--debug`` anywhere shows tracebacks.
    """
    debug = "--debug" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--debug"]
    try:
        app(args=args, prog_name="geomap")
    except GeomapError as exc:
        if debug:
            raise
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        if debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"error: {where}{exc.strerror or exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("error: interrupted", err=True)
        sys.exit(130)
