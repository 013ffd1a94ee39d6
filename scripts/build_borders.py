"""Build ``gazetteer/places/borders.csv``: the land borders of the theatre as places.

Reporting names borders as places ("25 km south of the Turkish border", "on the
Turkey-Syria border"). Each border between two countries of the theatre becomes one place
of kind ``region`` whose names are the ways reporters write it: "Syria–Turkey border",
"Turkey-Syria border", "Syrian-Turkish border", "Turkish border", "Syrian border"... A
single adjective ("Turkish border") names every border of that country, and the gazetteer
picks the one nearest the places around the mention (see ``Gazetteer.find``).

Source
    ``gazetteer/geo/borders.geojson`` (Natural Earth 1:10m, public domain; see
    ``gazetteer/geo/README.md``): one line a pair of countries. A row's ``lat``/``lon`` is
    the point halfway along its line (a representative point; a mention is placed at the
    point of the line nearest the places around it) and its ``source`` names the pair,
    ``naturalearth:geo/borders.geojson (SY-TR)``, which is how the gazetteer finds the line.

How to run
    ``python scripts/build_borders.py`` (``--out`` to write elsewhere). Pure Python, no
    network; the same input gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAZ = ROOT / "gazetteer"
COLUMNS = (
    "id",
    "name",
    "kind",
    "lat",
    "lon",
    "country",
    "admin1",
    "near",
    "population",
    "aliases",
    "source",
    "notes",
)

#: ISO-2 -> (name, adjective).
COUNTRIES = {
    "SY": ("Syria", "Syrian"),
    "IQ": ("Iraq", "Iraqi"),
    "TR": ("Turkey", "Turkish"),
    "JO": ("Jordan", "Jordanian"),
    "LB": ("Lebanon", "Lebanese"),
    "IL": ("Israel", "Israeli"),
    "IR": ("Iran", "Iranian"),
    "SA": ("Saudi Arabia", "Saudi"),
    "KW": ("Kuwait", "Kuwaiti"),
    "LY": ("Libya", "Libyan"),
    "EG": ("Egypt", "Egyptian"),
    "TN": ("Tunisia", "Tunisian"),
    "DZ": ("Algeria", "Algerian"),
}
#: The countries whose wars geomap maps: a border is kept when one side is one of them, and
#: that side is the row's ``country``.
THEATRE = ("SY", "IQ", "LY")


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p = math.pi / 180
    h = (
        math.sin((b[0] - a[0]) * p / 2) ** 2
        + math.cos(a[0] * p) * math.cos(b[0] * p) * math.sin((b[1] - a[1]) * p / 2) ** 2
    )
    return 12742.0 * math.asin(math.sqrt(min(1.0, h)))


def halfway(lines: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """The vertex halfway along the (longest piece of the) border, as (lat, lon)."""
    line = max(lines, key=lambda ln: sum(_km(a, b) for a, b in pairwise(ln)))
    total = sum(_km(a, b) for a, b in pairwise(line))
    walked = 0.0
    for a, b in pairwise(line):
        walked += _km(a, b)
        if walked >= total / 2:
            return b
    return line[-1]


def names(a: str, b: str, home: str) -> tuple[str, list[str]]:
    """The canonical name of the border between ``a`` and ``b`` and its spellings."""
    (na, ja), (nb, jb) = COUNTRIES[a], COUNTRIES[b]
    other_name, other_adj = (nb, jb) if home == a else (na, ja)
    home_name, home_adj = COUNTRIES[home]
    canonical = f"{home_name}–{other_name} border"
    aliases = [
        f"{home_name}-{other_name} border",
        f"{other_name}-{home_name} border",
        f"{home_adj}-{other_adj} border",
        f"{other_adj}-{home_adj} border",
        f"{other_adj} border",  # seen from the theatre side: "the Turkish border"
        f"{home_adj} border",  # seen from the other side: "the Syrian border"
        f"{other_name} border",
    ]
    return canonical, list(dict.fromkeys(aliases))


def build(geojson: Path) -> list[dict[str, str]]:
    data = json.loads(geojson.read_text(encoding="utf-8"))
    rows = []
    for feature in data["features"]:
        a, b = feature["properties"]["a"], feature["properties"]["b"]
        home = next((c for c in THEATRE if c in (a, b)), "")
        if not home or a not in COUNTRIES or b not in COUNTRIES:
            continue
        geometry = feature["geometry"]
        parts = (
            [geometry["coordinates"]]
            if geometry["type"] == "LineString"
            else geometry["coordinates"]
        )
        lines = [[(lat, lon) for lon, lat in part] for part in parts]  # GeoJSON is lon, lat
        lat, lon = halfway(lines)
        other = b if home == a else a
        canonical, aliases = names(a, b, home)
        rows.append(
            {
                "id": f"border-{home.lower()}-{other.lower()}",
                "name": canonical,
                "kind": "region",
                "lat": f"{lat:.4f}",
                "lon": f"{lon:.4f}",
                "country": home,
                "admin1": "",
                "near": "",
                "population": "",
                "aliases": "|".join(aliases),
                "source": f"naturalearth:geo/borders.geojson ({a}-{b})",
                "notes": "land border, a line; lat/lon is the point halfway along it",
            }
        )
    return sorted(rows, key=lambda r: r["id"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--geojson", type=Path, default=GAZ / "geo" / "borders.geojson")
    parser.add_argument("--out", type=Path, default=GAZ / "places" / "borders.csv")
    args = parser.parse_args(argv)
    rows = build(args.geojson)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} borders to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
