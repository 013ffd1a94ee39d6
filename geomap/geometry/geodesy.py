"""Geodesy: lon/lat and local metric projections, geodesic measures, Natural Earth data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import GazetteerError
from geomap.model import Place, PlaceKind  # noqa: F401 (PlaceKind: the doctests use it)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from pyproj import Transformer


#: A shapely geometry (``shapely.geometry.base.BaseGeometry``; shapely ships no type hints).
Geometry = Any


#: Output coordinates are rounded to this many decimals of a degree (1e-6 deg ~ 0.1 m).
GRID_DECIMALS = 6


#: Metric edges longer than this (metres) are split before going back to lon/lat.
DENSIFY_M = 1000.0


_GEOD_ELLPS = "WGS84"


# ------------------------------------------------------------------ conversions
def lonlat(place: Place) -> tuple[float, float]:
    """The place as shapely wants it: ``(lon, lat)`` (x, y), not the ``(lat, lon)`` of geopy.

    Examples
    --------
    >>> lonlat(Place("x", "X", PlaceKind.TOWN, 35.0, 38.0, "SY"))
    (38.0, 35.0)
    """
    return (place.lon, place.lat)


def metric_transformers(lon0: float, lat0: float) -> tuple[Transformer, Transformer]:
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


def reproject(
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


def to_lonlat(geometry: Geometry, inverse: Transformer) -> Geometry:
    """Back to WGS84 lon/lat, rounded to :data:`GRID_DECIMALS` (stable output), valid."""
    import shapely

    # A straight metric edge is a curve in lon/lat: densify first, so that an edge one area
    # splits at a vertex and its neighbour does not still coincide (to ~1 cm) afterwards.
    dense = shapely.segmentize(geometry, DENSIFY_M)
    rounded = shapely.remove_repeated_points(reproject(dense, inverse, GRID_DECIMALS))
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
    line = reproject(shapely.segmentize(border, 0.01), forward)
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


def country_clip(codes: Sequence[str], strict: bool, data_dir: Path | None) -> Geometry:
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
