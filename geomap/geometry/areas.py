"""Estimated control areas and front lines (the method is in :mod:`geomap.geometry`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.geometry.geodesy import (
    Geometry,
    country_clip,
    geodesic_area_km2,
    geodesic_length_km,
    metric_transformers,
    reproject,
    to_lonlat,
)
from geomap.model import ControlStatus, Place, PlaceKind, PlaceState

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from pyproj import Transformer


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
    PlaceKind.MOUNTAIN: 3.0,
    PlaceKind.FACILITY: 2.0,
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


#: Where places of one side are dense, each reaches this share of the way to its nearest
#: neighbour of the same side (when that is further than its own reach), so a chain of
#: towns reads as one territory ...
SPREAD_SHARE = 0.6
#: ... as long as that neighbour is within this many km (isolated places keep their reach).
SPREAD_JOIN_KM = 40.0


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
    besieged: bool = False


# ------------------------------------------------------------------ areas
def _seeds(states: Mapping[str, PlaceState]) -> list[_Seed]:
    """Held and besieged places with a controller and a reach, one per spot, by place id."""
    seeds: dict[tuple[float, float], _Seed] = {}
    for _, state in sorted(states.items()):
        place = state.place
        # a divided place under siege (contested, with a besieger): the holder's besieged part
        besieged = state.status is ControlStatus.BESIEGED or (
            state.status is ControlStatus.CONTESTED and state.besieger is not None
        )
        if state.controller is None or not (state.status in SEED_STATUSES or besieged):
            continue
        if place.kind not in REACH_KM:
            continue
        reach = REACH_KM[place.kind]
        besieger = None
        if besieged:
            reach = min(reach, SIEGE_REACH_KM)
            besieger = state.besieger if state.besieger != state.controller else None
        seed = _Seed(place, state.controller, reach * 1000.0, besieger, besieged)
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
    spread: bool = True,
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
    spread
        Let reach grow with the local spacing where places are dense: a held place whose
        nearest place of the same side is within :data:`SPREAD_JOIN_KM` reaches
        :data:`SPREAD_SHARE` of the way to it (when that is more than its own reach), so
        the two join up. Besieged places keep their island. Maps use it.

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
    if spread:
        seeds = _spread(seeds, points)
    margin = max(s.reach_m for s in seeds) * 1.5 + 1000.0
    envelope = shapely.box(*shapely.total_bounds(points)).buffer(margin, join_style="mitre")
    codes = (
        [s.place.country for s in seeds] if countries is None else [c.upper() for c in countries]
    )
    # Border edges are straight in lon/lat (some run 100s of km): densify before projecting.
    outline = shapely.segmentize(country_clip(codes, countries is not None, data_dir), 0.01)
    clip = reproject(outline, forward)
    clip = shapely.clip_by_rect(clip, *envelope.bounds)
    parts = _actor_parts(seeds, points, _voronoi_cells(points, envelope))
    areas = []
    for actor in sorted(parts):
        pieces = parts[actor]  # a region, then any siege rings (disjoint from it)
        ground = shapely.intersection(
            pieces[0] if len(pieces) == 1 else shapely.union_all(pieces), clip
        )
        geometry = _polygons_only(to_lonlat(ground, inverse))
        if geometry.is_empty:
            continue
        ids = tuple(s.place.id for s in seeds if s.actor == actor)  # seeds are sorted by id
        areas.append(ControlArea(actor, geometry, geodesic_area_km2(geometry), ids))
    return areas


def _spread(seeds: Sequence[_Seed], points: npt.NDArray[np.object_]) -> list[_Seed]:
    """Seeds whose reach grows towards a near neighbour of the same side (see ``spread``)."""
    import numpy as np
    import shapely

    xy = shapely.get_coordinates(points)
    actors = np.array([s.actor for s in seeds])
    grown = []
    for i, seed in enumerate(seeds):
        same = np.flatnonzero(actors == seed.actor)
        same = same[same != i]
        if seed.besieged or not len(same):
            grown.append(seed)
            continue
        nearest = float(np.hypot(*(xy[same] - xy[i]).T).min())
        reach = seed.reach_m
        if nearest <= SPREAD_JOIN_KM * 1000.0:
            reach = max(reach, SPREAD_SHARE * nearest)
        grown.append(replace(seed, reach_m=reach))
    return grown


def _seed_points(
    seeds: Sequence[_Seed],
) -> tuple[Transformer, Transformer, npt.NDArray[np.object_]]:
    """The metric projection centred on the seeds, and the seeds as metric points."""
    import numpy as np
    import shapely

    lon = np.array([s.place.lon for s in seeds])
    lat = np.array([s.place.lat for s in seeds])
    forward, inverse = metric_transformers((lon.min() + lon.max()) / 2, (lat.min() + lat.max()) / 2)
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
    forward, inverse = metric_transformers((minx + maxx) / 2, (miny + maxy) / 2)
    metric = {
        a: reproject(gs[0] if len(gs) == 1 else shapely.union_all(gs), forward)
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
            geometry = to_lonlat(shared, inverse)
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
