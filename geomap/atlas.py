"""Maps from the store: one date, a series with an index page, distance claims judged.

The glue between the store (events, claims, spellings) and :mod:`geomap.render`. Heavy
libraries (folium, geopandas, matplotlib) load inside the functions that draw.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.dates import shift_months
from geomap.errors import DateError, GazetteerError
from geomap.gazetteer import load_gazetteer
from geomap.model import DistanceClaim, DistanceRelation, Place, PlaceState
from geomap.pipeline import load_claims, load_timeline
from geomap.store import open_store
from geomap.timeline import state_at

if TYPE_CHECKING:
    import folium

    from geomap.geometry import ControlArea, FrontLine

#: Force-to-place rings stay on the map this long after the report.
FORCE_CLAIM_DAYS = 14
#: A claim disagrees with the measure beyond both of these.
TOLERANCE_SHARE, TOLERANCE_KM = 0.25, 5.0


@dataclass(frozen=True)
class MapData:
    """Everything one dated map shows."""

    day: dt.date
    states: dict[str, PlaceState]
    claims: list[DistanceClaim]
    spellings: dict[str, list[str]]
    note: str | None
    #: Places found in text (not in the gazetteer) named by articles up to ``day``.
    found: list[Place] = field(default_factory=list)


def measure(claim: DistanceClaim) -> DistanceClaim:
    """The claim with ``measured_km`` filled in where two places or a border are named."""
    if claim.measured_km is not None:
        return claim
    from geomap import geometry

    if claim.other is not None:
        return replace(claim, measured_km=round(geometry.geodesic_km(claim.place, claim.other), 1))
    if claim.relation is DistanceRelation.PLACE_TO_BORDER and claim.border:
        try:
            km = geometry.distance_to_border_km(claim.place, claim.border)
        except GazetteerError:
            return claim
        return replace(claim, measured_km=round(km, 1))
    return claim


def verdict(claim: DistanceClaim) -> str:
    """``consistent``, ``inconsistent`` or ``unmeasured`` (a force or an advance).

    A claim disagrees when it is off by more than 25% and more than 5 km; "within" and
    "less than" claims are upper bounds, so only a measure beyond them disagrees.
    """
    if claim.measured_km is None:
        return "unmeasured"
    gap = claim.measured_km - claim.claimed_km
    if claim.qualifier in ("within", "less than", "within less than") and gap <= 0:
        return "consistent"
    off = abs(gap) > TOLERANCE_SHARE * claim.measured_km and abs(gap) > TOLERANCE_KM
    return "inconsistent" if off else "consistent"


def claims_on(claims: Sequence[DistanceClaim], day: dt.date) -> list[DistanceClaim]:
    """The claims a map of ``day`` shows: standing facts so far, recent force positions."""
    shown: dict[tuple[object, ...], DistanceClaim] = {}
    for claim in sorted(claims, key=lambda c: (c.date, c.place.id, c.claimed_km)):
        if claim.date > day:
            continue
        if claim.relation is DistanceRelation.PLACE_TO_PLACE and claim.other is not None:
            shown[(claim.relation, claim.place.id, claim.other.id)] = claim
        elif claim.relation is DistanceRelation.FORCE_TO_PLACE and (
            (day - claim.date).days <= FORCE_CLAIM_DAYS
        ):
            shown[(claim.relation, claim.place.id, claim.actor)] = claim
    return [measure(c) for c in shown.values()]


def user_distance(spec: str, day: dt.date) -> DistanceClaim:
    """A measured line of the user's own: ``--distance "Tabqa Dam:Raqqa"``.

    Raises
    ------
    GazetteerError
        If ``spec`` is not ``A:B`` or a name does not resolve.
    """
    parts = [p.strip() for p in spec.split(":")]
    if len(parts) != 2 or not all(parts):
        raise GazetteerError(f"--distance: expected PLACE:PLACE, got {spec!r}")
    gaz = load_gazetteer()
    ends = []
    for name in parts:
        place = gaz.places.get(name) or gaz.match(name)
        if place is None:
            raise GazetteerError(f"--distance: unknown place {name!r}")
        ends.append(place)
    claim = DistanceClaim(
        DistanceRelation.PLACE_TO_PLACE,
        ends[0],
        0.0,
        "measured",
        "",
        day,
        f"{ends[0].name} to {ends[1].name} (measured)",
        "user",
        other=ends[1],
    )
    measured = measure(claim)
    return replace(measured, claimed_km=measured.measured_km or 0.0)


def map_data(
    day: dt.date, db: Path | str | None = None, events_file: Path | None = None
) -> MapData:
    """The states, claims and spellings of one date, and an honest note when empty."""
    timeline = load_timeline(db, events_file)
    states = state_at(timeline, day)
    with open_store(db, create=False) as store:
        spellings = store.spellings()
        span = store.date_range()
        found = list(store.approximate_places(until=day).values())
    note = None
    if span is None:
        note = "No events in the database yet"
    elif not states:
        note = f"No known control on {day} (the events start on {span[0]})"
    return MapData(day, states, claims_on(load_claims(db), day), spellings, note, found)


def render_map(
    day: dt.date,
    db: Path | str | None = None,
    *,
    tiles: str | None = None,
    title: str | None = None,
    distances: Sequence[str] = (),
    events_file: Path | None = None,
    areas: bool = True,
) -> folium.Map:
    """The folium map of ``day`` (shows inline in Jupyter).

    Examples
    --------
    >>> import geomap  # doctest: +SKIP
    >>> geomap.render_map(dt.date(2017, 3, 3), db="geomap.db")  # doctest: +SKIP
    """
    from geomap import render

    data = map_data(day, db, events_file)
    extra = [user_distance(spec, day) for spec in distances]
    shapes, fronts = control_areas(data.states) if areas else ([], [])
    return render.render_map(
        data.states,
        day,
        load_gazetteer().actors,
        title=title,
        tiles=tiles,
        distances=[*data.claims, *extra],
        spellings=data.spellings,
        note=data.note,
        areas=shapes,
        fronts=fronts,
        found=data.found,
    )


def control_areas(states: dict[str, PlaceState]) -> tuple[list[ControlArea], list[FrontLine]]:
    """Estimated areas and front lines of a day's states (see :mod:`geomap.geometry`)."""
    from geomap.geometry import estimate_areas, front_lines

    shapes = estimate_areas(states)
    return shapes, front_lines(shapes)


def area_summary(states: dict[str, PlaceState]) -> dict[str, float]:
    """Estimated km² per actor."""
    return {a.actor: round(a.area_km2, 1) for a in control_areas(states)[0]}


def export(
    day: dt.date,
    fmt: str,
    out: Path,
    db: Path | str | None = None,
    events_file: Path | None = None,
) -> Path:
    """Places with their state, areas and front lines of ``day`` for GIS tools."""
    from geomap.geometry import export_layers

    states = state_at(load_timeline(db, events_file), day)
    shapes, fronts = control_areas(states)
    return export_layers(states, shapes, fronts, out, fmt)


def write_map(
    day: dt.date,
    out: Path,
    db: Path | str | None = None,
    *,
    tiles: str | None = None,
    title: str | None = None,
    distances: Sequence[str] = (),
    png: Path | None = None,
    fragment: Path | None = None,
    events_file: Path | None = None,
    areas: bool = True,
    dpi: int = 100,
) -> list[Path]:
    """Write the HTML map of ``day`` (and a PNG and an embeddable fragment if asked).

    The PNG is drawn at ``dpi`` with the ``distances`` asked for always labelled.
    """
    from geomap import render
    from geomap.render.static import check_dpi

    if png is not None:
        check_dpi(dpi)  # before anything is written
    m = render_map(
        day,
        db,
        tiles=tiles,
        title=title,
        distances=distances,
        events_file=events_file,
        areas=areas,
    )
    written = [render.write_html(m, out)]
    if png is not None:
        data = map_data(day, db, events_file)
        shapes, fronts = control_areas(data.states) if areas else ([], [])
        written.append(
            render.render_png(
                data.states,
                day,
                load_gazetteer().actors,
                png,
                title=title,
                dpi=dpi,
                distances=[user_distance(spec, day) for spec in distances],
                areas=shapes,
                fronts=fronts,
            )
        )
    if fragment is not None:
        from geomap.render.output import write_atomic

        write_atomic(fragment, render.map_fragment(m).encode("utf-8"))
        written.append(fragment)
    return written


def series_dates(start: dt.date, end: dt.date, every: str) -> list[dt.date]:
    """Dates from ``start`` to ``end`` every ``7d``, ``2w`` or ``1m``.

    Raises
    ------
    DateError
        On a bad step or ``start`` after ``end``.

    Examples
    --------
    >>> [d.isoformat() for d in series_dates(dt.date(2017, 1, 1), dt.date(2017, 3, 1), "1m")]
    ['2017-01-01', '2017-02-01', '2017-03-01']
    """
    m = re.fullmatch(r"(\d+)\s*([dwm])", every.strip().lower())
    if m is None or int(m.group(1)) == 0:
        raise DateError(f"--every: expected a step like 7d, 2w or 1m, got {every!r}")
    if start > end:
        raise DateError(f"expected --start <= --end, got {start} after {end}")
    n, unit = int(m.group(1)), m.group(2)
    out: list[dt.date] = []
    day, i = start, 0
    while day <= end and len(out) < 1000:
        out.append(day)
        i += 1
        day = (
            shift_months(start, n * i)
            if unit == "m"
            else start + dt.timedelta(days=n * i * (7 if unit == "w" else 1))
        )
    return out


def write_series(
    start: dt.date,
    end: dt.date,
    every: str,
    out_dir: Path,
    db: Path | str | None = None,
    *,
    tiles: str | None = None,
    events_file: Path | None = None,
) -> Path:
    """One map per date in ``out_dir`` and an ``index.html`` with a date slider."""
    from geomap import render

    entries = []
    for day in series_dates(start, end, every):
        name = f"map-{day.isoformat()}.html"
        write_map(day, out_dir / name, db, tiles=tiles, events_file=events_file)
        entries.append((day, name))
    return render.write_series_index(
        entries, out_dir / "index.html", title=f"Control {start} to {end}"
    )
