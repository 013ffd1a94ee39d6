"""The ``geomap`` command: a thin typer shell over the library.

Each command parses its arguments, calls one library function, prints, and exits:
0 done, 1 finished with problems reported, 2 bad usage or input. Errors are one line on
stderr (``error: ...``); ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from geomap.errors import GeomapError

if TYPE_CHECKING:
    from geomap.store import FoundPlace

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
DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db", help="The database (default: $GEOMAP_DB or ./geomap.db).", show_default=False
    ),
]
EventsOpt = Annotated[
    Path | None, typer.Option("--events", help="An analyst events file (YAML or CSV) that wins.")
]


def _date(value: str | None, option: str) -> dt.date | None:
    """Parse a date option; a bad one is a usage error (exit 2) naming the option."""
    if value is None:
        return None
    from geomap.corpus import parse_date
    from geomap.errors import DateError

    try:
        return parse_date(value)
    except DateError:
        raise DateError(f"{option}: expected a date like 2017-03-03, got {value!r}") from None


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
    # The namesake (or other kind of place) that came second: how close the call was.
    rest = [c for c in result["candidates"][1:] if c["how"] != "fuzzy"]
    result["runner_up"] = rest[0] if result["match"] and rest else None
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


@places_app.command("unknown")
def places_unknown(
    db: DbOpt = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind (village, ...).")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Places articles name ("the village of X", "X hill") that the gazetteer lacks.

    Placed approximately from the anchor the text gives ("X, 10 km north of Manbij");
    without one, listed as "not placed" (and not mapped).
    """
    from geomap import report
    from geomap.gazetteer import load_gazetteer
    from geomap.pipeline import found_places

    names = {p.id: p.name for p in load_gazetteer().places.values()}
    rows = [_found_record(f, names) for f in found_places(db, kind)]
    if fmt is not Fmt.json:
        rows = [_found_cells(r) for r in rows]
    _emit(report.render(rows, fmt.value, _FOUND_COLUMNS))


_FOUND_COLUMNS = ("name", "kind", "anchor", "position", "approximate", "mentions", "articles")


def _found_record(found: FoundPlace, names: dict[str, str]) -> dict[str, object]:
    """The JSON record of ``places unknown`` (a contract: keys are only ever added)."""
    place = found.place
    anchor = found.anchor_id
    return {
        "id": found.id,
        "name": found.name,
        "kind": found.kind.value,
        "placed": place is not None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "tolerance_km": place.tolerance_km if place else None,
        "approximate": place.source.removeprefix("text: ") if place else None,
        "anchor": {"id": anchor, "name": names.get(anchor, anchor)} if anchor else None,
        "distance_km": found.distance_km,
        "bearing": found.bearing,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "spellings": list(found.spellings),
        "mentions": found.mentions,
        "articles": list(found.articles),
        "first_seen": found.first_seen.isoformat(),
        "last_seen": found.last_seen.isoformat(),
    }


def _found_cells(record: dict[str, object]) -> dict[str, object]:
    """A JSON record as table and CSV cells: the anchor's name, the position in one cell."""
    anchor = record["anchor"]
    placed = record["placed"]
    articles = record["articles"]
    return {
        **record,
        "anchor": anchor["name"] if isinstance(anchor, dict) else "",
        "position": f"{record['lat']:.5f}, {record['lon']:.5f}" if placed else "not placed",
        "approximate": record["approximate"] or "",
        "articles": len(articles) if isinstance(articles, list) else 0,
    }


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or globs of articles.")],
    db: DbOpt = None,
    published: Annotated[
        str | None, typer.Option(help="Date for articles that carry none (YYYY-MM-DD).")
    ] = None,
    events: EventsOpt = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    engine: Annotated[
        str, typer.Option(help="local (into the database) or dask (into Parquet; then `load`).")
    ] = "local",
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="Parquet folder (with --engine dask).")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (default: a local cluster).")
    ] = None,
) -> None:
    """Read, resolve and extract articles into the database; print a summary."""
    from geomap import pipeline, report
    from geomap.progress import IngestProgress

    bar = IngestProgress(enabled=not quiet and sys.stderr.isatty())
    if engine != "local":
        day = _date(published, "--published")
        with bar:
            text = report.dask_ingest(paths, engine, out, scheduler, workers, db, events, day, bar)
        _emit(text)
        return
    with bar:
        result = pipeline.ingest(
            paths,
            db,
            published=_date(published, "--published"),
            events_file=events,
            workers=workers,
            progress=bar,
        )
    _emit(report.ingest_summary(result, str(db or pipeline.default_db_path())))
    if result.interrupted:
        typer.echo(
            f"interrupted: {result.files} of {result.files_total} files stored; run the same "
            "command again to ingest the rest",
            err=True,
        )
        raise typer.Exit(130)
    raise typer.Exit(1 if result.problems else 0)


@app.command()
def load(
    parquet_dir: Annotated[Path, typer.Argument(help="A folder written by --engine dask.")],
    db: DbOpt = None,
    events: EventsOpt = None,
) -> None:
    """Put Parquet written by `ingest --engine dask` into the database."""
    from geomap import report

    text, problems = report.dask_load(parquet_dir, db, events)
    _emit(text)
    raise typer.Exit(1 if problems else 0)


@app.command("events")
def events_cmd(
    place: Annotated[str | None, typer.Option(help="Only this place (id or name).")] = None,
    actor: Annotated[str | None, typer.Option(help="Only this actor code.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date.")] = None,
    db: DbOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """List extracted and analyst events, with their evidence."""
    from geomap import report

    rows = report.events_report(db, place, actor, _date(since, "--since"), _date(until, "--until"))
    _emit(report.render_events(rows, fmt.value))


@app.command()
def timeline(
    place: Annotated[str, typer.Argument(help="A place id or name.")],
    db: DbOpt = None,
    events: EventsOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """A place's control history, span by span, with evidence."""
    from geomap import report

    data = report.timeline_report(place, db, events)
    _emit(report.render_timeline(data, fmt.value))
    raise typer.Exit(0 if data["spans"] else 1)


@app.command()
def state(
    date: Annotated[str, typer.Option("--date", "-d", help="The date (YYYY-MM-DD).")],
    db: DbOpt = None,
    events: EventsOpt = None,
    fmt: FormatOpt = Fmt.table,
    summary: Annotated[
        bool, typer.Option("--summary", help="Places and estimated km² per actor instead.")
    ] = False,
) -> None:
    """Every place's controller and status on a date (or a per-actor summary)."""
    from geomap import report

    day = _date(date, "--date")
    assert day is not None
    if summary:
        _emit(
            report.render(report.state_summary(day, db, events), fmt.value, report.SUMMARY_COLUMNS)
        )
        return
    rows = report.state_report(day, db, events)
    _emit(report.render(rows, fmt.value, report.STATE_COLUMNS))


TilesOpt = Annotated[
    str,
    typer.Option("--tiles", help="Background tiles: none (offline), osm, or a tile URL template."),
]


@app.command("map")
def map_cmd(
    date: Annotated[str, typer.Option("--date", "-d", help="The date (YYYY-MM-DD).")],
    out: Annotated[Path | None, typer.Option("--output", "-o", help="HTML file to write.")] = None,
    db: DbOpt = None,
    events: EventsOpt = None,
    tiles: TilesOpt = "none",
    png: Annotated[Path | None, typer.Option("--png", help="Also a static PNG here.")] = None,
    fragment: Annotated[
        Path | None, typer.Option("--fragment", help="Also an <iframe> snippet for a report.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Map title.")] = None,
    distance: Annotated[
        list[str] | None, typer.Option("--distance", help="A measured line A:B (repeatable).")
    ] = None,
    areas: Annotated[
        bool, typer.Option("--areas/--no-areas", help="Estimated control areas and front lines.")
    ] = True,
    dpi: Annotated[
        int, typer.Option("--dpi", help="PNG resolution, 50 to 600 (300 for print).")
    ] = 100,
) -> None:
    """A self-contained HTML map of who held what on a date (default output/map-DATE.html)."""
    from geomap import atlas

    day = _date(date, "--date")
    assert day is not None
    target = out or Path("output") / f"map-{day.isoformat()}.html"
    paths = atlas.write_map(
        day,
        target,
        db,
        tiles=None if tiles == "none" else tiles,
        title=title,
        distances=distance or (),
        png=png,
        fragment=fragment,
        events_file=events,
        areas=areas,
        dpi=dpi,
    )
    _emit("\n".join(str(p) for p in paths))


@app.command("maps")
def maps_cmd(
    start: Annotated[str, typer.Option("--start", help="First date.")],
    end: Annotated[str, typer.Option("--end", help="Last date.")],
    every: Annotated[str, typer.Option("--every", help="Step: 7d, 2w, 1m.")] = "7d",
    out: Annotated[Path, typer.Option("--output", "-o", help="Folder to write.")] = Path("output"),
    db: DbOpt = None,
    events: EventsOpt = None,
    tiles: TilesOpt = "none",
) -> None:
    """One map per date and an index.html with a date slider."""
    from geomap import atlas

    first, last = _date(start, "--start"), _date(end, "--end")
    assert first is not None and last is not None
    index = atlas.write_series(
        first, last, every, out, db, tiles=None if tiles == "none" else tiles, events_file=events
    )
    _emit(str(index))


class ExportFmt(str, Enum):
    geojson = "geojson"
    gpkg = "gpkg"
    csv = "csv"


@app.command("export")
def export_cmd(
    date: Annotated[str, typer.Option("--date", "-d", help="The date (YYYY-MM-DD).")],
    fmt: Annotated[ExportFmt, typer.Option("--format", "-f", help="GIS format.")] = ExportFmt.gpkg,
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (gpkg) or folder.")
    ] = None,
    db: DbOpt = None,
    events: EventsOpt = None,
) -> None:
    """Places with their state, estimated areas and front lines, for GIS tools."""
    from geomap import atlas

    day = _date(date, "--date")
    assert day is not None
    name = f"geomap-{day}.gpkg" if fmt is ExportFmt.gpkg else f"geomap-{day}"
    _emit(str(atlas.export(day, fmt.value, out or Path("output") / name, db, events)))


@app.command()
def distances(
    since: Annotated[str | None, typer.Option(help="From this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date.")] = None,
    db: DbOpt = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Distance claims in the articles, measured and judged."""
    from geomap import report

    rows = report.distances_report(db, _date(since, "--since"), _date(until, "--until"))
    _emit(report.render(rows, fmt.value, report.DISTANCE_COLUMNS))


class DiffFmt(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"


@app.command()
def diff(
    d1: Annotated[str, typer.Argument(help="From this date (YYYY-MM-DD).")],
    d2: Annotated[str, typer.Argument(help="To this date.")],
    db: DbOpt = None,
    events: EventsOpt = None,
    fmt: Annotated[DiffFmt, typer.Option("--format", "-f", help="Output format.")] = DiffFmt.table,
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    place_kind: Annotated[str | None, typer.Option(help="Only places of this kind.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only changes involving this actor.")] = None,
) -> None:
    """What changed hands between two dates, with the evidence."""
    from geomap import report

    start, end = _date(d1, "D1"), _date(d2, "D2")
    assert start is not None and end is not None
    text = report.diff_report(start, end, db, events, fmt.value, place_kind, actor)
    if out is None and fmt is not DiffFmt.html:
        _emit(text)
    else:
        _emit(str(report.write_output(text, out or Path(f"output/diff-{start}-{end}.html"))))


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("output"),
) -> None:
    """Run geomap on the shipped sample corpus; results land in OUT."""
    from geomap.demo import run_demo

    _emit(run_demo(out))


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
    except Exception as exc:  # the one place that turns a bug into one line (STYLE.md)
        if debug:
            raise
        typer.echo(
            f"error: internal error ({type(exc).__name__}: {exc}); this is a bug: please "
            "report it with the output of the same command run with --debug",
            err=True,
        )
        sys.exit(3)
