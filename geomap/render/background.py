"""Background geography: country and province outlines from ``gazetteer/geo``.

The files are Natural Earth extracts (see ``gazetteer/geo/README.md``). A map only
carries the part around what it shows: features are clipped to the view plus a margin,
and coordinates are rounded to 3 decimals (~100 m, finer than a screen pixel at the
zooms these maps open at), which keeps an HTML map of the whole of Syria and Iraq to a
few hundred kilobytes of geography.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from geomap.errors import RenderError
from geomap.model import Place

#: Degrees added around the view before clipping the background.
CLIP_MARGIN = 4.0
#: Decimals kept in background coordinates (3 decimals ~ 110 m).
DECIMALS = 3

GeoJSON = dict[str, Any]


@dataclass(frozen=True)
class Box:
    """A latitude/longitude box in degrees: south, west, north, east."""

    south: float
    west: float
    north: float
    east: float

    def padded(self, degrees: float) -> Box:
        """The box grown by ``degrees`` on every side (latitudes kept within ±85)."""
        return Box(
            max(self.south - degrees, -85.0),
            self.west - degrees,
            min(self.north + degrees, 85.0),
            self.east + degrees,
        )

    def corners(self) -> list[list[float]]:
        """folium's ``[[south, west], [north, east]]`` (lat, lon order)."""
        return [[self.south, self.west], [self.north, self.east]]


#: The view of a map with nothing to show: Syria and Iraq.
SYRIA_IRAQ = Box(29.0, 35.5, 37.6, 48.8)


def view_box(places: Sequence[Place]) -> Box:
    """The box a map opens on: all ``places``, padded; :data:`SYRIA_IRAQ` when none.

    Examples
    --------
    >>> from geomap.model import PlaceKind
    >>> view_box([]) == SYRIA_IRAQ
    True
    >>> box = view_box([Place("a", "A", PlaceKind.TOWN, 36.0, 38.0, "SY")])
    >>> (box.south, box.east)
    (35.85, 38.15)
    """
    if not places:
        return SYRIA_IRAQ
    lats = [p.lat for p in places]
    lons = [p.lon for p in places]
    box = Box(min(lats), min(lons), max(lats), max(lons))
    # A lone place (or a tight cluster) still opens at a readable zoom.
    return box.padded(max(0.15, 0.08 * max(box.north - box.south, box.east - box.west)))


def geo_dir(data_dir: Path | None = None) -> Path:
    """The folder of the background files (``<gazetteer data>/geo``)."""
    from geomap.gazetteer import default_data_dir

    return (data_dir or default_data_dir()) / "geo"


def clipped_layer(name: str, box: Box, data_dir: Path | None = None) -> GeoJSON:
    """The features of ``<name>.geojson`` that fall in ``box``, clipped to it.

    Parameters
    ----------
    name
        ``countries``, ``provinces`` or ``borders``.
    box
        The area to keep.
    data_dir
        The gazetteer data folder (default: the shipped one).

    Returns
    -------
    dict
        A GeoJSON FeatureCollection, features in file order, each with its ``name``.

    Raises
    ------
    RenderError
        The file is missing or unreadable.
    """
    import shapely

    geoms, names = _read_layer(geo_dir(data_dir) / f"{name}.geojson")
    clipped = shapely.clip_by_rect(list(geoms), box.west, box.south, box.east, box.north)
    features = []
    for geom, label in zip(clipped, names, strict=True):
        if geom is None or geom.is_empty:
            continue
        shape = json.loads(shapely.to_geojson(geom))
        shape["coordinates"] = _rounded(shape["coordinates"])
        features.append({"type": "Feature", "properties": {"name": label}, "geometry": shape})
    return {"type": "FeatureCollection", "features": features}


@cache
def _read_layer(path: Path) -> tuple[Any, tuple[str, ...]]:
    """Shapely geometries (an array) and names of a GeoJSON file, read once per process."""
    import shapely

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RenderError(
            f"cannot read background geography {path}: {exc}; rebuild it with"
            " scripts/build_geodata.py (see gazetteer/geo/README.md)"
        ) from exc
    features = data.get("features", [])
    geoms = tuple(shapely.from_geojson(json.dumps(f["geometry"])) for f in features)
    names = tuple(str(f.get("properties", {}).get("name", "")) for f in features)
    return geoms, names


def _rounded(coords: Any) -> Any:
    """Coordinates rounded to :data:`DECIMALS`, at any nesting depth."""
    if isinstance(coords, float | int):
        return round(float(coords), DECIMALS)
    return [_rounded(c) for c in coords]
