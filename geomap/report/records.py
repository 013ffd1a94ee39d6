"""Records (the JSON shapes the CLI prints: contracts) and their table and CSV forms."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geomap.gazetteer import load_gazetteer
from geomap.model import (
    Candidate,
    ControlSpan,
    DistanceClaim,
    Event,
    Place,
    PlaceState,
)

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


def candidate_record(c: Candidate) -> Row:
    return {**place_record(c.place), "score": c.score, "how": c.how}


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


CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def format_table(rows: Sequence[Row], columns: Sequence[str], width: int = 40) -> str:
    """A plain fixed-width table; long cells are cut to ``width`` characters."""
    if not rows:
        return "(none)"

    def cell(value: Any) -> str:
        text = "" if value is None else (f"{value:.6g}" if isinstance(value, float) else str(value))
        text = " ".join(CONTROL_CHARS.sub("", text).split())  # no terminal escapes from articles
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


def find_place(name: str) -> Place:
    from geomap.errors import GazetteerError

    gaz = load_gazetteer()
    place = gaz.places.get(name) or gaz.match(name)
    if place is None:
        raise GazetteerError(f"unknown place {name!r}; try `geomap places resolve {name!r}`")
    return place


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
