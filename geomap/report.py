"""Plain records for the CLI's text outputs (JSON shapes are contracts) and their rendering.

Every function here returns the JSON-ready dicts that ``--format json`` prints; the
table and CSV forms are renderings of the same rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geomap.corpus import ReadReport, read_text
from geomap.gazetteer import load_gazetteer
from geomap.model import Candidate, Place, PlaceKind

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
        writer.writerows(rows)
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


def format_table(rows: Sequence[Row], columns: Sequence[str], width: int = 40) -> str:
    """A plain fixed-width table; long cells are cut to ``width`` characters."""
    if not rows:
        return "(none)"

    def cell(value: Any) -> str:
        text = "" if value is None else (f"{value:.4f}" if isinstance(value, float) else str(value))
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)
