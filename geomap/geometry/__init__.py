"""Distances, estimated control areas and front lines.

Places are points; a map of who held what also wants *ground*. This module turns the
state of every place on a date (:func:`geomap.timeline.state_at`) into one estimated
area per actor and the front lines between them, measures distances between places and
to land borders, and writes all of it as GIS layers. Its modules: :mod:`.geodesy`
(projections, geodesic measures, Natural Earth data), :mod:`.areas` (areas and front
lines) and :mod:`.layers` (GeoDataFrames and export); their names are all here.

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

from geomap.geometry.areas import (
    FRONT_TOLERANCE_M,
    MIN_FRONT_M,
    REACH_KM,
    SEED_STATUSES,
    SIEGE_REACH_KM,
    SIEGE_RING_KM,
    ControlArea,
    FrontLine,
    estimate_areas,
    front_lines,
)
from geomap.geometry.geodesy import (
    DENSIFY_M,
    GRID_DECIMALS,
    Geometry,
    distance_to_border_km,
    geodesic_area_km2,
    geodesic_km,
    geodesic_length_km,
    lonlat,
)
from geomap.geometry.layers import (
    FORMATS,
    PLACE_COLUMNS,
    GeoDataFrame,
    areas_to_geodataframe,
    export_layers,
    lines_to_geodataframe,
    states_to_geodataframe,
)

__all__ = [
    "DENSIFY_M",
    "FORMATS",
    "FRONT_TOLERANCE_M",
    "GRID_DECIMALS",
    "MIN_FRONT_M",
    "PLACE_COLUMNS",
    "REACH_KM",
    "SEED_STATUSES",
    "SIEGE_REACH_KM",
    "SIEGE_RING_KM",
    "ControlArea",
    "FrontLine",
    "GeoDataFrame",
    "Geometry",
    "areas_to_geodataframe",
    "distance_to_border_km",
    "estimate_areas",
    "export_layers",
    "front_lines",
    "geodesic_area_km2",
    "geodesic_km",
    "geodesic_length_km",
    "lines_to_geodataframe",
    "lonlat",
    "states_to_geodataframe",
]
