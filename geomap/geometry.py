"""Distances, estimated control areas and front lines.

Places are points; a map of who held what also wants *ground*. This module turns the
state of every place on a date (:func:`geomap.timeline.state_at`) into one estimated
area per actor and the front lines between them, measures distances between places and
to land borders, and writes all of it as GIS layers.

How areas are estimated
-----------------------
1. **Seeds.** A place seeds ground when it has a controller, its status is ``held`` or
   ``besieged`` and its kind is a site (not a province, region, country or river).
   ``contested`` and ``disputed`` places seed nothing: nobody holds their ground
   exclusively, so it goes to whichever neighbouring held places reach it, and a front
   usually runs through or next to them (the map marks them with their own symbol).
   Seeds are sorted by place id; two seeds on the same spot (to ~0.1 m) keep the one of
   larger reach, then the smaller id.
2. **Metric plane.** All geometry is done in metres, in an azimuthal equidistant
   projection (pyproj, WGS84) centred on the seeds, never in degrees. Across Syria and
   Iraq (places up to ~900 km from the centre) it stretches lengths by at most ~0.3 %.
3. **Cells.** Voronoi cells of the seeds (GEOS, via shapely) share the plane out: each
   point goes to its nearest held place. An actor's *region* is the union of its seeds'
   cells, so regions of different actors never overlap.
4. **Reach.** A held place stands for the ground within :data:`REACH_KM` of it (a
   disc, buffered in metres): 15 km for a city, 8 a town, 4 a village, 2 a
   neighbourhood, 5 a dam, airbase, military base or oilfield, 3 a border crossing.
   An actor's area is its region cut to the union of its discs, so two places of one
   side join up when their discs overlap, and ground far from any held place stays
   blank rather than being painted by a distant town.
5. **Sieges.** A besieged place is an island: its disc shrinks to
   :data:`SIEGE_REACH_KM` (it keeps the holder's colour). The rest of its cell within its
   normal reach is the *ring*; the ring goes to the besieger when the besieger holds a
   seed within :data:`SIEGE_RING_KM` of the place, so the island is drawn inside the
   besieger's ground; otherwise the ring stays blank and the map's siege symbol says it.
6. **Borders.** Everything is cut to the union of the Natural Earth polygons
   (``gazetteer/geo/countries.geojson``) of the countries the seeds are in, or of
   ``countries`` when given. A town whose centre falls just across a border line
   (Kobani, Tal Abyad; see ``gazetteer/geo/README.md``) keeps the part of its disc
   inside the clip. Places of a country missing from that file shape no ground.
7. **Output.** Areas go back to WGS84 lon/lat, rounded to 1e-6 degree (~0.1 m; the
   same states give the same polygons, byte for byte), and are measured on the
   ellipsoid (:func:`geodesic_area_km2`), never in square degrees.

Front lines are the shared edges of two actors' areas: the boundary of one inside a
:data:`FRONT_TOLERANCE_M` buffer of the other (in metres), pieces shorter than
:data:`MIN_FRONT_M` dropped, measured geodesically.

These are estimates to draw, not surveyed front lines: the reach of a place is a
convention, and ground no place stands for is left out.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import GazetteerError, RenderError
from geomap.model import ControlStatus, Place, PlaceKind, PlaceState

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from pyproj import Transformer

#: A shapely geometry (``shapely.geometry.base.BaseGeometry``; shapely ships no type hints).
Geometry = Any
#: A ``geopandas.GeoDataFrame`` (geopandas ships no type hints).
GeoDataFrame = Any

#: Kilometres of ground a held place of each kind stands for. Kinds that are not listed
#: (province, region, country, river) never shape areas.
REACH_KM: dict[PlaceKind, float] = {
    PlaceKind.CITY: 15.0,
    PlaceKind.TOWN: 8.0,
    PlaceKind.VILLAGE: 4.0,
    PlaceKind.NEIGHBOURHOOD: 2.0,
    PlaceKind.DAM: 5.0,
    PlaceKind.AIRBASE: 5.0,
    PlaceKind.MILITARY_BASE: 5.0,
    PlaceKind.OILFIELD: 5.0,
    PlaceKind.BORDER_CROSSING: 3.0,
}
#: Reach of a besieged place: the island its holder keeps.
SIEGE_REACH_KM = 2.0
#: The besieger gets the ring around a besieged place when it holds a seed this close.
SIEGE_RING_KM = 40.0
#: Statuses whose controller's ground a place stands for.
SEED_STATUSES = frozenset({ControlStatus.HELD, ControlStatus.BESIEGED})
#: How close (metres) two areas' edges must run to count as one front line.
FRONT_TOLERANCE_M = 1.0
#: Front-line pieces shorter than this (metres) are corners where areas touch, dropped.
MIN_FRONT_M = 10.0
#: Output coordinates are rounded to this many decimals of a degree (1e-6 deg ~ 0.1 m).
GRID_DECIMALS = 6
#: Metric edges longer than this (metres) are split before going back to lon/lat.
DENSIFY_M = 1000.0
#: Export formats of :func:`export_layers`.
FORMATS = ("geojson", "gpkg", "csv")
PLACE_COLUMNS = ("id", "name", "kind", "lat", "lon", "country", "controller", "status", "since")

_GEOD_ELLPS = "WGS84"
_DISC_SEGMENTS = 16  # per quarter circle: a 15 km disc is within 0.02 km of the circle


@dataclass(frozen=True)
class ControlArea:
    """One actor's estimated area on a date.

    ``geometry`` is a shapely (Multi)Polygon in WGS84 lon/lat; ``area_km2`` its geodesic
    area; ``places`` the sorted ids of the actor's places that shaped it.
    """

    actor: str
    geometry: Geometry
    area_km2: float
    places: tuple[str, ...]


@dataclass(frozen=True)
class FrontLine:
    """Where two actors' areas meet: a (Multi)LineString in lon/lat and its geodesic length."""

    actors: tuple[str, str]
    geometry: Geometry
    length_km: float


@dataclass(frozen=True)
class _Seed:
    place: Place
    actor: str
    reach_m: float
    besieger: str | None


# ------------------------------------------------------------------ conversions
def lonlat(place: Place) -> tuple[float, float]:
    """The place as shapely wants it: ``(lon, lat)`` (x, y), not the ``(lat, lon)`` of geopy.

    Examples
    --------
    >>> lonlat(Place("x", "X", PlaceKind.TOWN, 35.0, 38.0, "SY"))
    (38.0, 35.0)
    """
    return (place.lon, place.lat)


def _metric_transformers(lon0: float, lat0: float) -> tuple[Transformer, Transformer]:
    """Forward (lon/lat -> metres) and inverse transformers of an AEQD centred at lon0, lat0."""
    return _aeqd(round(lon0, 2), round(lat0, 2))


@lru_cache(maxsize=64)
def _aeqd(lon0: float, lat0: float) -> tuple[Transformer, Transformer]:
    from pyproj import CRS, Transformer

    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m")
    return (
        Transformer.from_crs("EPSG:4326", crs, always_xy=True),
        Transformer.from_crs(crs, "EPSG:4326", always_xy=True),
    )


def _reproject(
    geometry: Geometry, transformer: Transformer, decimals: int | None = None
) -> Geometry:
    """``geometry`` with every coordinate passed through ``transformer`` (x, y order)."""
    import numpy as np
    import shapely

    def apply(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        out = np.column_stack([x, y])
        return out if decimals is None else np.round(out, decimals)

    return shapely.transform(geometry, apply)


def _to_lonlat(geometry: Geometry, inverse: Transformer) -> Geometry:
    """Back to WGS84 lon/lat, rounded to :data:`GRID_DECIMALS` (stable output), valid."""
    import shapely

    # A straight metric edge is a curve in lon/lat: densify first, so that an edge one area
    # splits at a vertex and its neighbour does not still coincide (to ~1 cm) afterwards.
    dense = shapely.segmentize(geometry, DENSIFY_M)
    rounded = shapely.remove_repeated_points(_reproject(dense, inverse, GRID_DECIMALS))
    # Rounding moves vertices by <= 0.06 m; on the rare geometry it folds, repair it.
    return rounded if shapely.is_valid(rounded) else shapely.make_valid(rounded)


# ------------------------------------------------------------------ measures
def geodesic_km(a: Place, b: Place) -> float:
    """The geodesic (WGS84 ellipsoid) distance between two places, in km.

    Examples
    --------
    >>> raqqa = Place("r", "Raqqa", PlaceKind.CITY, 35.95283, 39.00788, "SY")
    >>> dam = Place("d", "Tabqa Dam", PlaceKind.DAM, 35.8722, 38.5667, "SY")
    >>> round(geodesic_km(dam, raqqa), 2)
    40.81
    """
    from geopy.distance import geodesic

    return float(geodesic((a.lat, a.lon), (b.lat, b.lon)).km)


def geodesic_area_km2(geometry: Geometry) -> float:
    """The area of a lon/lat (Multi)Polygon on the WGS84 ellipsoid, in km² (never negative).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> round(geodesic_area_km2(box(0, 0, 1, 1)))
    12309
    """
    from pyproj import Geod

    area, _ = Geod(ellps=_GEOD_ELLPS).geometry_area_perimeter(geometry)
    return abs(float(area)) / 1e6


def geodesic_length_km(geometry: Geometry) -> float:
    """The length of a lon/lat (Multi)LineString on the WGS84 ellipsoid, in km.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> round(geodesic_length_km(LineString([(0, 0), (1, 0)])), 2)
    111.32
    """
    from pyproj import Geod

    return float(Geod(ellps=_GEOD_ELLPS).geometry_length(geometry)) / 1e3


def distance_to_border_km(
    place: Place, other_country: str, *, data_dir: Path | None = None
) -> float:
    """The geodesic distance from a place to the land border of its country with another.

    The border is the shared edge of the two Natural Earth polygons
    (``<data_dir>/geo/borders.geojson``, good to ~0.5-1 km). The nearest point is found in
    an azimuthal equidistant projection centred on the place (where distances from the
    place are true), then measured on the ellipsoid.

    Parameters
    ----------
    place
        The place; its ``country`` (ISO-2) is one side of the border.
    other_country
        ISO-2 code of the other side (``"TR"``).
    data_dir
        The gazetteer data folder (default: the shipped one).

    Returns
    -------
    float
        Kilometres.

    Raises
    ------
    GazetteerError
        The two countries share no land border in the file.

    Examples
    --------
    >>> al_bab = Place("sy-al-bab", "al-Bab", PlaceKind.CITY, 36.37051, 37.5157, "SY")
    >>> round(distance_to_border_km(al_bab, "TR"))
    30
    """
    import shapely
    from geopy.distance import geodesic

    mine, theirs = place.country.upper(), other_country.upper()
    borders = _read_borders(_geo_dir(data_dir) / "borders.geojson")
    border = borders.get((mine, theirs) if mine < theirs else (theirs, mine))
    if border is None:
        neighbours = sorted(
            {b for a, b in borders if a == mine} | {a for a, b in borders if b == mine}
        )
        raise GazetteerError(
            f"expected a land border between {mine} and {theirs} for {place.id}, found none;"
            f" {mine} borders {', '.join(neighbours) or 'no country'} in borders.geojson"
        )
    forward, inverse = _aeqd(place.lon, place.lat)
    # Densify in degrees first (0.01 deg ~ 1 km) so edges stay close to their projection.
    line = _reproject(shapely.segmentize(border, 0.01), forward)
    # The place is the projection's origin; the line's far end is its nearest point.
    x, y = shapely.get_coordinates(shapely.shortest_line(shapely.Point(0.0, 0.0), line))[1]
    lon, lat = inverse.transform(x, y)
    return float(geodesic((place.lat, place.lon), (lat, lon)).km)


# ------------------------------------------------------------------ data
def _geo_dir(data_dir: Path | None) -> Path:
    from geomap.gazetteer import default_data_dir

    return (data_dir or default_data_dir()) / "geo"


@cache
def _read_features(path: Path) -> tuple[tuple[dict[str, Any], Geometry], ...]:
    """(properties, lon/lat geometry) of every feature of a GeoJSON file, read once."""
    import shapely

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GazetteerError(
            f"cannot read background geography {path}: {exc}; rebuild it with"
            " scripts/build_geodata.py (see gazetteer/geo/README.md)"
        ) from exc
    return tuple(
        (dict(f.get("properties") or {}), shapely.from_geojson(json.dumps(f["geometry"])))
        for f in data.get("features", [])
    )


def _read_countries(path: Path) -> dict[str, Geometry]:
    return {str(p["iso_a2"]).upper(): g for p, g in _read_features(path)}


def _read_borders(path: Path) -> dict[tuple[str, str], Geometry]:
    out = {}
    for props, geom in _read_features(path):
        a, b = sorted((str(props["a"]).upper(), str(props["b"]).upper()))
        out[(a, b)] = geom
    return out


def _country_clip(codes: Sequence[str], strict: bool, data_dir: Path | None) -> Geometry:
    """The union of the countries' polygons (lon/lat); unknown codes raise when ``strict``."""
    import shapely

    polygons = _read_countries(_geo_dir(data_dir) / "countries.geojson")
    unknown = sorted(set(codes) - polygons.keys())
    if strict and unknown:
        raise GazetteerError(
            f"expected ISO-2 country codes of countries.geojson, got {', '.join(unknown)};"
            f" known: {', '.join(sorted(polygons))}"
        )
    return shapely.union_all([polygons[c] for c in sorted(set(codes)) if c in polygons])


# ------------------------------------------------------------------ areas
def _seeds(states: Mapping[str, PlaceState]) -> list[_Seed]:
    """Held and besieged places with a controller and a reach, one per spot, by place id."""
    seeds: dict[tuple[float, float], _Seed] = {}
    for _, state in sorted(states.items()):
        place = state.place
        if state.controller is None or state.status not in SEED_STATUSES:
            continue
        if place.kind not in REACH_KM:
            continue
        reach = REACH_KM[place.kind]
        besieger = None
        if state.status is ControlStatus.BESIEGED:
            reach = min(reach, SIEGE_REACH_KM)
            besieger = state.besieger if state.besieger != state.controller else None
        seed = _Seed(place, state.controller, reach * 1000.0, besieger)
        spot = (round(place.lon, 6), round(place.lat, 6))
        other = seeds.get(spot)
        if other is None or seed.reach_m > other.reach_m:
            seeds[spot] = seed
    return sorted(seeds.values(), key=lambda s: s.place.id)


def _voronoi_cells(points: npt.NDArray[np.object_], envelope: Geometry) -> list[Geometry]:
    """The Voronoi cell of each point (same order), covering at least ``envelope``."""
    import shapely

    if len(points) == 1:
        return [envelope]
    diagram = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=envelope)
    cells = list(shapely.get_parts(diagram))
    # Match cells to points by containment (works on every shapely 2.x; points are unique).
    cell_of, point_of = shapely.STRtree(points).query(cells, predicate="contains")
    by_point = dict(zip(point_of.tolist(), cell_of.tolist(), strict=True))
    return [cells[by_point[i]] for i in range(len(points))]


def estimate_areas(
    states: Mapping[str, PlaceState],
    *,
    countries: Sequence[str] | None = None,
    data_dir: Path | None = None,
) -> list[ControlArea]:
    """Estimate the ground each actor holds from the states of places on one date.

    The method (seeds, Voronoi cells, reach discs, sieges, border clip) is described in
    the module docstring.

    Parameters
    ----------
    states
        Place id -> state, as :func:`geomap.timeline.state_at` returns.
    countries
        ISO-2 codes of the countries to cut areas to; default: those of the seeds.
    data_dir
        The gazetteer data folder holding ``geo/countries.geojson`` (default: shipped).

    Returns
    -------
    list of ControlArea
        One per actor with non-empty ground, sorted by actor.

    Raises
    ------
    GazetteerError
        ``countries`` names a country absent from ``countries.geojson``.

    Examples
    --------
    >>> from geomap.model import PlaceState
    >>> a = Place("a", "A", PlaceKind.TOWN, 35.0, 38.0, "SY")
    >>> b = Place("b", "B", PlaceKind.TOWN, 35.0, 38.1, "SY")
    >>> held = ControlStatus.HELD
    >>> areas = estimate_areas({"a": PlaceState(a, "X", held, None),
    ...                         "b": PlaceState(b, "Y", held, None)})
    >>> [(area.actor, round(area.area_km2), area.places) for area in areas]
    [('X', 169, ('a',)), ('Y', 169, ('b',))]
    """
    import shapely

    seeds = _seeds(states)
    if not seeds:
        return []
    forward, inverse, points = _seed_points(seeds)
    margin = max(s.reach_m for s in seeds) * 1.5 + 1000.0
    envelope = shapely.box(*shapely.total_bounds(points)).buffer(margin, join_style="mitre")
    codes = (
        [s.place.country for s in seeds] if countries is None else [c.upper() for c in countries]
    )
    # Border edges are straight in lon/lat (some run 100s of km): densify before projecting.
    outline = shapely.segmentize(_country_clip(codes, countries is not None, data_dir), 0.01)
    clip = _reproject(outline, forward)
    clip = shapely.clip_by_rect(clip, *envelope.bounds)
    parts = _actor_parts(seeds, points, _voronoi_cells(points, envelope))
    areas = []
    for actor in sorted(parts):
        pieces = parts[actor]  # a region, then any siege rings (disjoint from it)
        ground = shapely.intersection(
            pieces[0] if len(pieces) == 1 else shapely.union_all(pieces), clip
        )
        geometry = _polygons_only(_to_lonlat(ground, inverse))
        if geometry.is_empty:
            continue
        ids = tuple(s.place.id for s in seeds if s.actor == actor)  # seeds are sorted by id
        areas.append(ControlArea(actor, geometry, geodesic_area_km2(geometry), ids))
    return areas


def _seed_points(
    seeds: Sequence[_Seed],
) -> tuple[Transformer, Transformer, npt.NDArray[np.object_]]:
    """The metric projection centred on the seeds, and the seeds as metric points."""
    import numpy as np
    import shapely

    lon = np.array([s.place.lon for s in seeds])
    lat = np.array([s.place.lat for s in seeds])
    forward, inverse = _metric_transformers(
        (lon.min() + lon.max()) / 2, (lat.min() + lat.max()) / 2
    )
    x, y = forward.transform(lon, lat)
    return forward, inverse, shapely.points(x, y)


def _actor_parts(
    seeds: Sequence[_Seed], points: npt.NDArray[np.object_], cells: Sequence[Geometry]
) -> dict[str, list[Geometry]]:
    """Metric pieces of ground per actor: its region cut to its discs, plus siege rings."""
    import numpy as np
    import shapely

    discs = shapely.buffer(points, [s.reach_m for s in seeds], quad_segs=_DISC_SEGMENTS)
    by_actor: dict[str, list[int]] = defaultdict(list)
    for i, seed in enumerate(seeds):
        by_actor[seed.actor].append(i)
    reach = {a: shapely.union_all(discs[idx]) for a, idx in by_actor.items()}
    parts: dict[str, list[Geometry]] = {
        a: [shapely.intersection(_union_cells([cells[i] for i in idx]), reach[a])]
        for a, idx in by_actor.items()
    }
    xy = shapely.get_coordinates(points)
    for i, seed in enumerate(seeds):
        if seed.besieger is None or seed.besieger not in by_actor:
            continue
        near = np.hypot(*(xy[by_actor[seed.besieger]] - xy[i]).T).min()
        if near > SIEGE_RING_KM * 1000.0:
            continue  # no besieger ground nearby: the map's siege symbol tells the story
        full = shapely.buffer(
            points[i], REACH_KM[seed.place.kind] * 1000.0, quad_segs=_DISC_SEGMENTS
        )
        ring = shapely.difference(shapely.intersection(cells[i], full), reach[seed.actor])
        parts[seed.besieger].append(ring)
    return parts


def _union_cells(cells: Sequence[Geometry]) -> Geometry:
    """The union of Voronoi cells: a coverage (shared edges), so the fast union applies."""
    import shapely
    from shapely.errors import GEOSException

    try:
        return shapely.coverage_union_all(cells)
    except GEOSException:  # edges not exactly shared after clipping: the general union
        return shapely.union_all(cells)


def _polygons_only(geometry: Geometry) -> Geometry:
    """The polygonal part of an overlay result (drops stray points and lines)."""
    import shapely

    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    polygons = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(polygons) if polygons else shapely.Polygon()


# ------------------------------------------------------------------ front lines
def front_lines(areas: Sequence[ControlArea]) -> list[FrontLine]:
    """The lines where areas of two different actors meet.

    Parameters
    ----------
    areas
        Areas as :func:`estimate_areas` returns them (at most one per actor is expected;
        areas of one actor are merged).

    Returns
    -------
    list of FrontLine
        One per pair of actors that share an edge, sorted by the pair.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> west = ControlArea("X", box(38.0, 35.0, 38.1, 35.1), 0.0, ())
    >>> east = ControlArea("Y", box(38.1, 35.0, 38.2, 35.1), 0.0, ())
    >>> [(line.actors, round(line.length_km, 1)) for line in front_lines([east, west])]
    [(('X', 'Y'), 11.1)]
    """
    import shapely

    merged: dict[str, list[Geometry]] = defaultdict(list)
    for area in areas:
        if not area.geometry.is_empty:
            merged[area.actor].append(area.geometry)
    if len(merged) < 2:
        return []
    minx, miny, maxx, maxy = shapely.total_bounds([g for gs in merged.values() for g in gs])
    forward, inverse = _metric_transformers((minx + maxx) / 2, (miny + maxy) / 2)
    metric = {
        a: _reproject(gs[0] if len(gs) == 1 else shapely.union_all(gs), forward)
        for a, gs in sorted(merged.items())
    }
    actors = sorted(metric)
    # The tolerance zone around each actor's area, built once and shared by its pairs.
    zones = {b: shapely.buffer(metric[b], FRONT_TOLERANCE_M, quad_segs=2) for b in actors[1:]}
    lines = []
    for i, a in enumerate(actors):
        for b in actors[i + 1 :]:
            shared = _shared_edge(metric[a], zones[b])
            if shared is None:
                continue
            geometry = _to_lonlat(shared, inverse)
            lines.append(FrontLine((a, b), geometry, geodesic_length_km(geometry)))
    return lines


def _shared_edge(area: Geometry, zone: Geometry) -> Geometry | None:
    """The part of ``area``'s boundary inside ``zone`` (another area, buffered), metric."""
    import shapely

    if not shapely.intersects(shapely.envelope(area), shapely.envelope(zone)):
        return None
    overlap = shapely.intersection(area.boundary, zone)
    pieces = shapely.get_parts(shapely.line_merge(_lines_only(overlap)))
    # Pieces shorter than MIN_FRONT_M are corners where the areas touch, not fronts.
    kept = [shapely.simplify(p, FRONT_TOLERANCE_M) for p in pieces if p.length >= MIN_FRONT_M]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else shapely.MultiLineString(kept)


def _lines_only(geometry: Geometry) -> Geometry:
    """The non-empty lines of an overlay result, as one MultiLineString (points dropped)."""
    import shapely

    parts = shapely.get_parts(shapely.get_parts(geometry))  # flatten collections and multis
    lines = [p for p in parts if p.geom_type == "LineString" and not p.is_empty]
    return shapely.MultiLineString(lines)


# ------------------------------------------------------------------ tables
def _frame(
    rows: list[dict[str, Any]], geometries: list[Geometry], columns: Sequence[str]
) -> GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    table = pd.DataFrame(rows, columns=list(columns))
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(geometries, crs="EPSG:4326"))


def states_to_geodataframe(states: Mapping[str, PlaceState]) -> GeoDataFrame:
    """Places and their states as points (EPSG:4326), one row per place, sorted by id.

    Columns: ``id, name, kind, lat, lon, country, controller, status, since, besieger,
    geometry``; ``since`` is an ISO date, empty strings stand for "none".
    """
    import shapely

    rows = [_place_row(state) for _, state in sorted(states.items())]
    points = [shapely.Point(lonlat(s.place)) for _, s in sorted(states.items())]
    return _frame(rows, points, (*PLACE_COLUMNS, "besieger"))


def _place_row(state: PlaceState) -> dict[str, Any]:
    place = state.place
    return {
        "id": place.id,
        "name": place.name,
        "kind": place.kind.value,
        "lat": place.lat,
        "lon": place.lon,
        "country": place.country,
        "controller": state.controller or "",
        "status": state.status.value,
        "since": state.since.isoformat() if state.since else "",
        "besieger": state.besieger or "",
    }


def areas_to_geodataframe(areas: Sequence[ControlArea]) -> GeoDataFrame:
    """Areas as (Multi)Polygons (EPSG:4326), sorted by actor.

    Columns: ``actor, area_km2, places`` (ids joined by ``,``), ``geometry``.
    """
    ordered = sorted(areas, key=lambda a: a.actor)
    rows = [
        {"actor": a.actor, "area_km2": a.area_km2, "places": ",".join(a.places)} for a in ordered
    ]
    return _frame(rows, [a.geometry for a in ordered], ("actor", "area_km2", "places"))


def lines_to_geodataframe(lines: Sequence[FrontLine]) -> GeoDataFrame:
    """Front lines as (Multi)LineStrings (EPSG:4326), sorted by actor pair.

    Columns: ``actor_a, actor_b, length_km, geometry``.
    """
    ordered = sorted(lines, key=lambda line: line.actors)
    rows = [
        {"actor_a": ln.actors[0], "actor_b": ln.actors[1], "length_km": ln.length_km}
        for ln in ordered
    ]
    return _frame(rows, [ln.geometry for ln in ordered], ("actor_a", "actor_b", "length_km"))


# ------------------------------------------------------------------ export
def export_layers(
    states: Mapping[str, PlaceState],
    areas: Sequence[ControlArea],
    lines: Sequence[FrontLine],
    path: Path,
    fmt: str,
) -> Path:
    """Write places, areas and front lines as GIS layers; returns what was written.

    ``gpkg``: one GeoPackage file at ``path`` with layers ``places``, ``areas`` and
    ``front_lines``. ``geojson``: a folder at ``path`` with ``places.geojson``,
    ``areas.geojson`` and ``front_lines.geojson`` (RFC 7946, lon/lat). ``csv``: a folder
    with ``places.csv`` (columns :data:`PLACE_COLUMNS`). Rows are sorted, every file is
    written to a temporary name then moved into place, and the same input gives the same
    bytes (the GeoPackage timestamp is pinned).

    Raises
    ------
    RenderError
        ``fmt`` is unknown or a file cannot be written.
    """
    if fmt not in FORMATS:
        raise RenderError(f"expected an export format of {', '.join(FORMATS)}, got {fmt!r}")
    path = Path(path)
    try:
        if fmt == "csv":
            path.mkdir(parents=True, exist_ok=True)
            _write_csv(states, path / "places.csv")
            return path
        layers = {
            "places": states_to_geodataframe(states),
            "areas": areas_to_geodataframe(areas),
            "front_lines": lines_to_geodataframe(lines),
        }
        if fmt == "geojson":
            path.mkdir(parents=True, exist_ok=True)
            for name, frame in layers.items():
                with _atomic(path / f"{name}.geojson") as tmp:
                    frame.to_file(tmp, driver="GeoJSON", RFC7946="YES", WRITE_NAME="NO")
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        with _pinned_gpkg_date(), _atomic(path) as tmp:
            for i, (name, frame) in enumerate(layers.items()):
                frame.to_file(tmp, layer=name, driver="GPKG", mode="a" if i else "w")
        return path
    except (OSError, RuntimeError) as exc:  # pyogrio's errors are RuntimeErrors
        raise RenderError(f"cannot write {fmt} layers to {path}: {exc}") from exc


def _write_csv(states: Mapping[str, PlaceState], target: Path) -> None:
    with _atomic(target) as tmp, tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=PLACE_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for _, state in sorted(states.items()):
            writer.writerow(_place_row(state))


@contextmanager
def _atomic(target: Path) -> Iterator[Path]:
    """A temporary path next to ``target``, moved onto it when the block succeeds."""
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}.") as tmp_dir:
        tmp = Path(tmp_dir) / target.name
        yield tmp
        os.replace(tmp, target)


@contextmanager
def _pinned_gpkg_date() -> Iterator[None]:
    """GDAL stamps GeoPackages with the current time; pin it so output is reproducible."""
    import pyogrio

    key = "OGR_CURRENT_DATE"
    before = pyogrio.get_gdal_config_option(key)
    pyogrio.set_gdal_config_options({key: "2000-01-01T00:00:00.000Z"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({key: before})
