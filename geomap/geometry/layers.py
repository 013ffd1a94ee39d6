"""Control states, areas and front lines as GeoDataFrames, and their GIS export."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import RenderError
from geomap.geometry.areas import ControlArea, FrontLine
from geomap.geometry.geodesy import Geometry, lonlat
from geomap.model import PlaceState

if TYPE_CHECKING:
    pass


#: A ``geopandas.GeoDataFrame`` (geopandas ships no type hints).
GeoDataFrame = Any


#: Export formats of :func:`export_layers`.
FORMATS = ("geojson", "gpkg", "csv")


PLACE_COLUMNS = ("id", "name", "kind", "lat", "lon", "country", "controller", "status", "since")


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
