"""Plain records for the CLI's text outputs (JSON shapes are contracts) and their rendering.

Every function here returns the JSON-ready dicts that ``--format json`` prints; the
table and CSV forms are renderings of the same rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.corpus import ReadReport, read_text
from geomap.diff import Diff, summarize
from geomap.gazetteer import load_gazetteer
from geomap.model import (
    Candidate,
    ControlSpan,
    DistanceClaim,
    Event,
    Place,
    PlaceKind,
    PlaceState,
)

if TYPE_CHECKING:
    from geomap.distributed import DaskReport
    from geomap.pipeline import IngestReport

Row = dict[str, Any]
RESOLVE_COLUMNS = ("how", "score", "id", "name", "kind", "lat", "lon", "country", "admin1")
MENTION_COLUMNS = ("start", "end", "surface", "id", "name", "kind", "lat", "lon", "score", "role")
PLACE_COLUMNS = ("id", "name", "kind", "lat", "lon", "country", "admin1", "near", "population")


def place_record(place: Place) -> Row:
    """The ``{"id","name","kind","lat","lon","country","admin1"}`` record of a place."""
    return {
        "id": place.id,
        "name": place.name,
        "kind": place.kind.value,
        "lat": place.lat,
        "lon": place.lon,
        "country": place.country,
        "admin1": place.admin1,
    }


def _candidate_record(c: Candidate) -> Row:
    return {**place_record(c.place), "score": c.score, "how": c.how}


def resolve_report(name: str) -> Row:
    """``geomap places resolve``: the query, the match or null, its score, the candidates."""
    candidates = load_gazetteer().resolve(name)
    best = candidates[0] if candidates and candidates[0].how != "fuzzy" else None
    return {
        "query": name,
        "match": place_record(best.place) if best else None,
        "score": best.score if best else 0.0,
        "candidates": [_candidate_record(c) for c in candidates],
    }


def mentions_report(path: Path) -> tuple[list[Row], list[str]]:
    """``geomap places mentions``: every mention in a file, and read warnings."""
    report = ReadReport()
    text = read_text(path, report)
    rows = [
        {
            "start": m.start,
            "end": m.end,
            "surface": m.surface,
            "id": m.place.id,
            "name": m.place.name,
            "kind": m.place.kind.value,
            "lat": m.place.lat,
            "lon": m.place.lon,
            "score": m.score,
            "role": m.role.value,
        }
        for m in load_gazetteer().find(text)
    ]
    return rows, report.warnings


def places_report(kind: str | None, country: str | None) -> list[Row]:
    """``geomap places list``: gazetteer places, optionally of one kind or country."""
    from geomap.errors import GazetteerError

    if kind is not None and kind not in {k.value for k in PlaceKind}:
        valid = ", ".join(k.value for k in PlaceKind)
        raise GazetteerError(f"expected --kind to be one of {valid}, got {kind!r}")
    gaz = load_gazetteer()
    rows = []
    for place in sorted(gaz.places.values(), key=lambda p: (p.country, p.kind.value, p.name)):
        if kind and place.kind.value != kind:
            continue
        if country and place.country != country.upper():
            continue
        rows.append({**place_record(place), "near": place.near, "population": place.population})
    return rows


def render(data: Row | list[Row], fmt: str, columns: Sequence[str]) -> str:
    """Render rows (or a resolve result) as ``table``, ``json`` or ``csv``."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=str)
    rows = data["candidates"] if isinstance(data, dict) else data
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows({k: _csv_safe(v) for k, v in row.items()} for row in rows)
        return buffer.getvalue().rstrip("\n")
    table = format_table(rows, columns)
    if isinstance(data, dict):
        head = f"{data['query']!r}: " + (
            f"{data['match']['name']} ({data['match']['kind']}, {data['match']['country']})"
            if data["match"]
            else "no match"
        )
        return head + ("\n" + table if rows else "")
    return table


def _csv_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def format_table(rows: Sequence[Row], columns: Sequence[str], width: int = 40) -> str:
    """A plain fixed-width table; long cells are cut to ``width`` characters."""
    if not rows:
        return "(none)"

    def cell(value: Any) -> str:
        text = "" if value is None else (f"{value:.6g}" if isinstance(value, float) else str(value))
        text = " ".join(_CONTROL.sub("", text).split())  # no terminal escapes from articles
        return text if len(text) <= width else text[: width - 1] + "…"

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)


# ------------------------------------------------------------------ events, states, spans
EVENT_COLUMNS = ("date", "place", "kind", "actor", "controller_after", "status", "sentence")
STATE_COLUMNS = ("id", "name", "kind", "controller", "status", "since", "besieger")
SPAN_COLUMNS = ("start", "end", "controller", "status", "besieger", "evidence")


def event_record(event: Event) -> Row:
    """The JSON record of an event (``geomap events``)."""
    p = event.place
    return {
        "id": event.id,
        "place": {"id": p.id, "name": p.name, "kind": p.kind.value, "lat": p.lat, "lon": p.lon},
        "kind": event.kind.value,
        "actor": event.actor,
        "controller_after": event.controller_after,
        "date": event.date.isoformat(),
        "precision": event.precision.value,
        "status": event.status.value,
        "attribution": event.attribution,
        "sentence": event.evidence,
        "article": event.article_id,
        "source": event.source,
        "confidence": event.confidence,
        "rule": event.rule,
        "besieger": event.besieger,
        "distance_km": event.distance_km,
        "surface": event.surface,
    }


def evidence_record(event: Event) -> Row:
    """One piece of evidence: where and when it was said."""
    return {
        "article": event.article_id,
        "date": event.date.isoformat(),
        "sentence": event.evidence,
        "source": event.source,
        "kind": event.kind.value,
    }


def state_record(state: PlaceState) -> Row:
    """The JSON record of one place's state (``geomap state``)."""
    p = state.place
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind.value,
        "lat": p.lat,
        "lon": p.lon,
        "country": p.country,
        "controller": state.controller,
        "status": state.status.value,
        "since": state.since.isoformat() if state.since else None,
        "besieger": state.besieger,
        "evidence": [evidence_record(e) for e in state.evidence],
    }


def span_record(span: ControlSpan) -> Row:
    """The JSON record of one control span (``geomap timeline``)."""
    return {
        "start": span.start.isoformat(),
        "end": span.end.isoformat() if span.end else None,
        "controller": span.controller,
        "status": span.status.value,
        "besieger": span.besieger,
        "evidence": [evidence_record(e) for e in span.evidence],
    }


def event_rows(events: list[Event]) -> list[Row]:
    """Flat rows for the events table and CSV."""
    return [{**event_record(e), "place": e.place.name, "place_id": e.place.id} for e in events]


def span_rows(spans: list[ControlSpan]) -> list[Row]:
    """Flat rows for the timeline table."""
    return [
        {**span_record(s), "evidence": s.evidence[-1].evidence if s.evidence else ""} for s in spans
    ]


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


def _find_place(name: str) -> Place:
    from geomap.errors import GazetteerError

    gaz = load_gazetteer()
    place = gaz.places.get(name) or gaz.match(name)
    if place is None:
        raise GazetteerError(f"unknown place {name!r}; try `geomap places resolve {name!r}`")
    return place


def events_report(
    db: Path | None,
    place: str | None,
    actor: str | None,
    since: dt.date | None,
    until: dt.date | None,
) -> list[Event]:
    """``geomap events``: stored events (and overrides) matching the filters, by date."""
    from geomap.errors import GazetteerError
    from geomap.pipeline import load_events

    gaz = load_gazetteer()
    if actor is not None and actor.upper() not in gaz.actors:
        raise GazetteerError(f"unknown actor {actor!r} (known: {', '.join(sorted(gaz.actors))})")
    wanted = _find_place(place).id if place else None
    events = [
        e
        for e in load_events(db, gaz=gaz)
        if (wanted is None or e.place.id == wanted)
        and (actor is None or actor.upper() in (e.actor, e.controller_after))
        and (since is None or e.date >= since)
        and (until is None or e.date <= until)
    ]
    return sorted(events, key=lambda e: (e.date, e.place.id, e.kind.value, e.id))


def render_events(events: list[Event], fmt: str) -> str:
    """Render events as JSON (the contract), CSV or a table."""
    if fmt == "json":
        return render([event_record(e) for e in events], fmt, ())
    columns = (
        EVENT_COLUMNS
        if fmt == "table"
        else (
            "id",
            "date",
            "precision",
            "place_id",
            "place",
            "kind",
            "actor",
            "controller_after",
            "status",
            "attribution",
            "source",
            "confidence",
            "rule",
            "sentence",
            "article",
        )
    )
    return render(event_rows(events), fmt, columns)


def timeline_report(place: str, db: Path | None, events_file: Path | None) -> Row:
    """``geomap timeline``: one place's spans."""
    from geomap.pipeline import load_timeline

    target = _find_place(place)
    spans = load_timeline(db, events_file).get(target.id, [])
    return {
        "place": place_record(target),
        "spans": [span_record(s) for s in spans],
        "_rows": span_rows(spans),
    }


def render_timeline(data: Row, fmt: str) -> str:
    """Render a timeline as JSON or a table."""
    if fmt == "json":
        return render({k: v for k, v in data.items() if not k.startswith("_")}, fmt, ())
    head = f"{data['place']['name']} ({data['place']['kind']}, {data['place']['country']})"
    if not data["spans"]:
        return head + ": no events"
    return head + "\n" + render(data["_rows"], fmt, SPAN_COLUMNS)


SUMMARY_COLUMNS = ("actor", "name", "places", "cities", "towns", "villages", "bases", "area_km2")


def state_summary(day: dt.date, db: Path | None, events_file: Path | None) -> list[Row]:
    """``geomap state --summary``: per actor, places held by kind and estimated km²."""
    from geomap.atlas import area_summary
    from geomap.diff import KIND_CLASSES
    from geomap.pipeline import states_on

    states = states_on(day, db, events_file)
    areas = area_summary(states)
    actors = load_gazetteer().actors
    rows: dict[str, Row] = {}
    for state in states.values():
        code = state.controller
        if code is None:
            continue
        name = actors[code].name if code in actors else code
        row = rows.setdefault(
            code,
            {
                "actor": code,
                "name": name,
                "places": 0,
                "cities": 0,
                "towns": 0,
                "villages": 0,
                "bases": 0,
            },
        )
        row["places"] += 1
        kind = KIND_CLASSES.get(state.place.kind)
        if kind in row:
            row[kind] += 1
    for row in rows.values():
        row["area_km2"] = areas.get(row["actor"], 0.0)
    return [rows[k] for k in sorted(rows)]


def state_report(day: dt.date, db: Path | None, events_file: Path | None) -> list[Row]:
    """``geomap state``: every place with a known state on ``day``, sorted by id."""
    from geomap.pipeline import states_on

    states = states_on(day, db, events_file)
    return [state_record(states[pid]) for pid in sorted(states)]


# ------------------------------------------------------------------------------- diff
def _side(state: PlaceState | None) -> Row | None:
    if state is None:
        return None
    return {
        "controller": state.controller,
        "status": state.status.value,
        "since": state.since.isoformat() if state.since else None,
        "besieger": state.besieger,
    }


def diff_record(diff: Diff, place_kind: str | None = None, actor: str | None = None) -> Row:
    """The JSON record of ``geomap diff`` (``from``, ``to``, ``changes``, ``summary``)."""
    changes = [
        c
        for c in diff.changes
        if (place_kind is None or c.place.kind.value == place_kind)
        and (
            actor is None
            or actor.upper()
            in {
                (c.before.controller if c.before else None),
                (c.after.controller if c.after else None),
                *(e.actor for e in c.events),
            }
        )
    ]
    return {
        "from": diff.start.isoformat(),
        "to": diff.end.isoformat(),
        "changes": [
            {
                "id": c.place.id,
                "name": c.place.name,
                "kind": c.place.kind.value,
                "lat": c.place.lat,
                "lon": c.place.lon,
                "before": _side(c.before),
                "after": _side(c.after),
                "round_trip": c.round_trip,
                "events": [
                    {
                        "date": e.date.isoformat(),
                        "kind": e.kind.value,
                        "actor": e.actor,
                        "sentence": e.evidence,
                        "source": e.source,
                        "article": e.article_id,
                    }
                    for e in c.events
                ],
            }
            for c in changes
        ],
        "summary": summarize(changes),
    }


def _side_text(side: Row | None) -> str:
    if side is None:
        return "unknown"
    text = f"{side['controller'] or '?'} {side['status']}"
    return text + (f" by {side['besieger']}" if side["besieger"] else "")


def render_diff(data: Row, fmt: str) -> str:
    """Render a diff as JSON, CSV, Markdown or a terminal table (fits 100 columns)."""
    if fmt == "json":
        return render(data, fmt, ())
    rows = []
    for c in data["changes"]:
        last = c["events"][-1] if c["events"] else None
        rows.append(
            {
                "place": c["name"],
                "id": c["id"],
                "kind": c["kind"],
                "before": _side_text(c["before"]),
                "after": _side_text(c["after"]),
                "change": ("back to " if c["round_trip"] else "") + _side_text(c["after"]),
                "last event": f"{last['date']} {last['kind']}" if last else "",
                "evidence": last["sentence"] if last else "",
                "source": last["source"] if last else "",
            }
        )
    if fmt == "csv":
        return render(
            rows,
            fmt,
            ("id", "place", "kind", "before", "after", "last event", "evidence", "source"),
        )
    summary = _summary_text(data["summary"])
    head = f"Changes {data['from']} -> {data['to']}: {len(rows)} places"
    if fmt == "md":
        return _markdown_diff(head, rows, data, summary)
    table = format_table(rows, ("place", "kind", "before", "after", "last event"), width=24)
    return "\n".join([head, table if rows else "(no changes)", summary])


def _summary_text(summary: Row) -> str:
    parts = []
    for actor, sides in summary.items():
        net = sum(sides["net"].values())
        detail = ", ".join(f"{n:+d} {kind}" for kind, n in sides["net"].items() if n)
        area = sides.get("area_km2")
        if area and area["net"]:
            detail = ", ".join(filter(None, [detail, f"{area['net']:+,.0f} km² est."]))
        if not net and not detail:
            continue
        parts.append(f"{actor} {net:+d}" + (f" ({detail})" if detail else ""))
    return "Summary: " + ("; ".join(parts) if parts else "no place changed hands")


def _markdown_diff(head: str, rows: list[Row], data: Row, summary: str) -> str:
    def cell(text: str) -> str:
        # Article text is untrusted: no HTML, no links, no emphasis in the report.
        text = html.escape(_CONTROL.sub("", text).replace("\n", " "))
        return re.sub(r"([\\`*_\[\]()|#!])", r"\\\1", text)

    lines = [
        f"### {head}",
        "",
        "| place | kind | before | after | last event |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {cell(r['place'])} | {r['kind']} | {cell(r['before'])} | {cell(r['after'])} "
        f"| {r['last event']} |"
        for r in rows
    ]
    lines += ["", summary, ""]
    for c in data["changes"]:
        for e in c["events"]:
            lines.append(
                f"- **{cell(c['name'])}**, {e['date']}: {cell(e['sentence'])} "
                f"({cell(e['source'] or 'unknown source')})"
            )
    return "\n".join(lines)


def diff_report(
    start: dt.date,
    end: dt.date,
    db: Path | None,
    events_file: Path | None,
    fmt: str,
    place_kind: str | None,
    actor: str | None,
) -> str:
    """``geomap diff`` in any format (HTML through the map renderer)."""
    from geomap.errors import GazetteerError
    from geomap.pipeline import diff_states

    if place_kind is not None and place_kind not in {k.value for k in PlaceKind}:
        raise GazetteerError(f"unknown --place-kind {place_kind!r}")
    if actor is not None and actor.upper() not in load_gazetteer().actors:
        raise GazetteerError(f"unknown actor {actor!r}")
    diff = diff_states(start, end, db, events_file)
    data = diff_record(diff, place_kind, actor)
    _add_area_changes(data, start, end, db, events_file)
    if fmt == "html":
        from geomap.pipeline import states_on
        from geomap.render import render_diff_map

        unchanged = states_on(end, db, events_file)  # drawn faded; changed ids are skipped
        return render_diff_map(data, load_gazetteer().actors, unchanged=unchanged)
    return render_diff(data, fmt)


def _add_area_changes(
    data: Row, start: dt.date, end: dt.date, db: Path | None, events_file: Path | None
) -> None:
    """Add each actor's estimated km² at both dates to the diff summary."""
    from geomap.atlas import area_summary
    from geomap.pipeline import states_on

    before = area_summary(states_on(start, db, events_file))
    after = area_summary(states_on(end, db, events_file))
    for code in sorted(set(before) | set(after)):
        entry = data["summary"].setdefault(code, {"gained": {}, "lost": {}, "net": {}})
        a, b = before.get(code, 0.0), after.get(code, 0.0)
        entry["area_km2"] = {"before": a, "after": b, "net": round(b - a, 1)}


def write_output(text: str, path: Path) -> Path:
    """Write a text output atomically (missing folders are created, as for maps)."""
    from geomap.render.output import write_atomic

    return write_atomic(path, text.encode("utf-8"))


DISTANCE_COLUMNS = (
    "date",
    "relation",
    "place",
    "to",
    "claimed_km",
    "measured_km",
    "verdict",
    "as_written",
)


def distance_record(claim: DistanceClaim) -> Row:
    """The JSON record of one distance claim (``geomap distances``)."""
    from geomap.atlas import verdict

    return {
        "date": claim.date.isoformat(),
        "relation": claim.relation.value,
        "place": claim.place.name,
        "place_id": claim.place.id,
        "to": claim.other.name if claim.other else (claim.border and f"{claim.border} border"),
        "to_id": claim.other.id if claim.other else None,
        "border": claim.border or None,
        "claimed_km": claim.claimed_km,
        "as_written": claim.as_written,
        "qualifier": claim.qualifier,
        "measured_km": claim.measured_km,
        "verdict": verdict(claim),
        "actor": claim.actor,
        "sentence": claim.evidence,
        "article": claim.article_id,
        "source": claim.source,
    }


def distances_report(db: Path | None, since: dt.date | None, until: dt.date | None) -> list[Row]:
    """``geomap distances``: every claim, measured where it can be, with a verdict."""
    from geomap.atlas import measure
    from geomap.pipeline import load_claims

    return [
        distance_record(measure(c))
        for c in load_claims(db)
        if (since is None or c.date >= since) and (until is None or c.date <= until)
    ]


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
