"""The CLI's queries: places, mentions, events, timelines, states and distances as rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from geomap.corpus import ReadReport, read_text
from geomap.gazetteer import load_gazetteer
from geomap.model import (
    Event,
    PlaceKind,
)
from geomap.report.records import (
    EVENT_COLUMNS,
    SPAN_COLUMNS,
    Row,
    candidate_record,
    distance_record,
    event_record,
    event_rows,
    find_place,
    place_record,
    render,
    span_record,
    span_rows,
    state_record,
)


def resolve_report(name: str) -> Row:
    """``geomap places resolve``: the query, the match or null, its score, the candidates."""
    candidates = load_gazetteer().resolve(name)
    best = candidates[0] if candidates and candidates[0].how != "fuzzy" else None
    return {
        "query": name,
        "match": place_record(best.place) if best else None,
        "score": best.score if best else 0.0,
        "candidates": [candidate_record(c) for c in candidates],
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
    wanted = find_place(place).id if place else None
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

    target = find_place(place)
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


def distances_report(db: Path | None, since: dt.date | None, until: dt.date | None) -> list[Row]:
    """``geomap distances``: every claim, measured where it can be, with a verdict."""
    from geomap.atlas import measure
    from geomap.pipeline import load_claims

    return [
        distance_record(measure(c))
        for c in load_claims(db)
        if (since is None or c.date >= since) and (until is None or c.date <= until)
    ]
