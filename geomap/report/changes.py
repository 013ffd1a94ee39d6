"""``geomap diff``: what changed hands between two dates, as a record, text and Markdown."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from geomap.diff import Diff, summarize
from geomap.gazetteer import load_gazetteer
from geomap.model import (
    PlaceKind,
    PlaceState,
)
from geomap.report.records import CONTROL_CHARS, Row, format_table, render


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
        text = html.escape(CONTROL_CHARS.sub("", text).replace("\n", " "))
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
