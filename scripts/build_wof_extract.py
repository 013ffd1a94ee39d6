"""Build gazetteer/wof/<cc>.csv.gz: every populated place of Syria and Iraq from Who's On First.

Source: the Who's On First admin repositories (https://whosonfirst.org), which keep the
GeoNames records of each country (GeoNames, CC BY 4.0; WOF's own work, CC0) as one GeoJSON
file a place, with the geonameid, alternate Latin spellings and the Arabic name::

    whosonfirst-data/whosonfirst-data-admin-sy  2db0f03b9f9d24bd371f318759d3e56c816c333e
    whosonfirst-data/whosonfirst-data-admin-iq  4c7a00f6387bcab9094ac10c9448177515f1098f

The script reads bare git directories (``git ls-tree`` and ``git cat-file --batch``; no work
tree needed), so a clone made with ``git clone --bare`` (or any mirror) will do::

    python scripts/build_wof_extract.py SY=/path/to/admin-sy.git IQ=/path/to/admin-iq.git

It keeps localities and neighbourhoods that are current: deprecated, superseded, ceased
(abandoned, GeoNames PPLQ) and ``mz:is_current == 0`` records are left out. Ids are
``gn-<geonameid>`` (the ids of ``geonames/places.csv``, so a place keeps its id whichever
file it comes from) or ``wof-<id>`` for the few records without a geonameid. The output is
the columns of ``geonames/places.csv``, rows sorted by id, gzip without a timestamp: the
same input gives byte-identical files.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "gazetteer" / "wof"
COMMITS = {
    "SY": "2db0f03b9f9d24bd371f318759d3e56c816c333e",
    "IQ": "4c7a00f6387bcab9094ac10c9448177515f1098f",
}
COLUMNS = [
    "id", "name", "kind", "lat", "lon", "country", "admin1", "near", "population",
    "aliases", "source", "notes",
]  # fmt: skip
# Name fields worth keeping: Latin spellings (und/eng/fra/tur/kur) and Arabic script.
NAME_FIELDS = re.compile(r"^name:(und|eng|fra|tur|kur|ara|arz|apc|ajp|ckb)_x_(preferred|variant)$")
LATIN = re.compile(r"^[A-Za-z][A-Za-z '’`ʿʾ\-]*[A-Za-z]$")
ARABIC = re.compile(r"^[\u0621-\u064a\u0660-\u0669\u0671-\u06d3\u06fa-\u06ff ]+$")
HARAKAT = re.compile(r"[\u064b-\u065f\u0670\u0640]")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean_alias(alias: str) -> str | None:
    """A usable spelling (Latin or Arabic script), or None."""
    alias = " ".join(alias.replace("|", " ").split())
    if ARABIC.match(HARAKAT.sub("", alias)):
        return alias if len(alias) >= 2 else None
    plain = fold(alias)
    if not LATIN.match(plain) or not 3 <= len(plain) <= 40:
        return None
    return alias


def records(repo: Path, commit: str) -> Iterator[dict]:
    """The ``properties`` of every GeoJSON record at ``commit`` (alternate geometries skipped)."""
    listing = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", commit, "data"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    blobs = [
        line.split()[2]
        for line in listing
        if line.endswith(".geojson") and "-alt-" not in line.rsplit("/", 1)[-1]
    ]
    proc = subprocess.Popen(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    stdin = proc.stdin

    def feed() -> None:
        stdin.write("".join(f"{b}\n" for b in blobs).encode())
        stdin.close()

    threading.Thread(target=feed, daemon=True).start()
    for _ in blobs:
        size = int(proc.stdout.readline().split()[2])
        data = proc.stdout.read(size)
        proc.stdout.read(1)
        yield json.loads(data)["properties"]
    proc.wait()


def is_current(p: dict) -> bool:
    ceased = str(p.get("edtf:cessation") or "uuuu")
    return not (
        p.get("edtf:deprecated")
        or p.get("wof:superseded_by")
        or p.get("mz:is_current") == 0
        or ceased not in ("uuuu", "", "..")
    )


def kind_of(p: dict, population: int) -> str:
    if p["wof:placetype"] == "neighbourhood":
        return "neighbourhood"
    if population >= 100_000:
        return "city"
    return "town" if population >= 10_000 else "village"


def aliases_of(p: dict, name: str) -> list[str]:
    seen = {fold(name).casefold()}
    out: list[str] = []
    for key in sorted(k for k in p if NAME_FIELDS.match(k)):
        for raw in p[key] or []:
            alias = clean_alias(str(raw))
            if alias and fold(alias).casefold() not in seen:
                seen.add(fold(alias).casefold())
                out.append(alias)
    gn_name = p.get("gn:name")
    if gn_name and (alias := clean_alias(gn_name)) and fold(alias).casefold() not in seen:
        out.append(alias)
    return sorted(out)


def extract(country: str, repo: Path, commit: str) -> list[dict[str, str]]:
    everything = list(records(repo, commit))
    regions = {p["wof:id"]: p["wof:name"] for p in everything if p.get("wof:placetype") == "region"}
    rows: list[dict[str, str]] = []
    for p in everything:
        if p.get("wof:placetype") not in ("locality", "neighbourhood") or not is_current(p):
            continue
        lat, lon = p.get("geom:latitude"), p.get("geom:longitude")
        if lat is None or lon is None:
            continue
        name = " ".join(str(p["wof:name"]).replace("`", "ʿ").split())
        if not LATIN.match(fold(name)):  # an Arabic wof:name: a Latin one leads, Arabic aliases
            latin = [a for a in aliases_of(p, "") if LATIN.match(fold(a))]
            latin_names = [*p.get("name:eng_x_preferred", []), p.get("gn:name", ""), *latin]
            name = next((n for n in latin_names if n and LATIN.match(fold(n))), name)
        gn = (p.get("wof:concordances") or {}).get("gn:id")
        population = int(p.get("gn:population") or p.get("wof:population") or 0)
        hierarchy = (p.get("wof:hierarchy") or [{}])[0]
        wof_id = p["wof:id"]
        rows.append(
            {
                "id": f"gn-{gn}" if gn else f"wof-{wof_id}",
                "name": name,
                "kind": kind_of(p, population),
                "lat": f"{float(lat):.5f}",
                "lon": f"{float(lon):.5f}",
                "country": country,
                "admin1": regions.get(hierarchy.get("region_id"), ""),
                "near": "",
                "population": str(population) if population else "",
                "aliases": "|".join(a for a in aliases_of(p, name) if a != name),
                "source": f"geonames:{gn} wof:{wof_id}" if gn else f"wof:{wof_id}",
                "notes": "",
            }
        )
    unique = {row["id"]: row for row in rows}  # a geonameid twice: keep one record
    return [unique[k] for k in sorted(unique)]


def write(rows: list[dict[str, str]], path: Path) -> None:
    text = io.StringIO()
    writer = csv.DictWriter(text, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.getvalue().encode("utf-8"))


def main(argv: list[str]) -> int:
    if not argv or any("=" not in a for a in argv):
        print(__doc__.split("\n\n")[2], file=sys.stderr)
        print("usage: build_wof_extract.py CC=GIT_DIR [CC=GIT_DIR ...]", file=sys.stderr)
        return 2
    for arg in argv:
        country, repo = arg.split("=", 1)
        country = country.upper()
        rows = extract(country, Path(repo), COMMITS.get(country, "HEAD"))
        out = OUT / f"{country.lower()}.csv.gz"
        write(rows, out)
        print(f"{out}: {len(rows)} places ({sum(r['kind'] == 'neighbourhood' for r in rows)} "
              f"neighbourhoods), {out.stat().st_size // 1024} KiB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
