"""Where a map opens: the densest theatre of its places, robust to far outliers.

One place reported in Libya must not shrink Syria, where the other 24 are, to a tenth
of the screen. The rule, the same for the HTML map and the PNG:

1. Places fall into cells of :data:`CELL_DEGREES` (latitude and longitude). Occupied
   cells that touch (8-neighbours) form one *theatre*, so places a few hundred
   kilometres apart chain together and a place more than a cell's width away from all
   others stands alone.
2. The largest theatre (most places) is kept, with every other theatre holding at
   least :data:`MINOR_SHARE` of its places (two real theatres are both shown).
3. The view is the box of the kept places, padded (:func:`view_box`); places outside it
   are listed in a note ("1 place outside the view: Sirte, Libya") with a link that
   moves the map there.

Pure Python, no folium or matplotlib.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape

from geomap.model import Place
from geomap.render.background import SYRIA_IRAQ, Box, geo_dir, view_box

#: Size of the cells (degrees) that chain places into theatres.
CELL_DEGREES = 2.0
#: A second theatre is kept in view when it has at least this share of the largest one.
MINOR_SHARE = 0.25
#: Most places named in the "outside the view" note.
MAX_OUTSIDE_NAMED = 5


@dataclass(frozen=True)
class View:
    """What a map opens on (``box``), everything it holds (``extent``), and the places
    left outside the opening view (sorted by name)."""

    box: Box
    extent: Box
    outside: tuple[Place, ...] = ()


def theatre_view(places: Sequence[Place]) -> View:
    """The opening view of a map of ``places`` (see the module docstring for the rule).

    Examples
    --------
    >>> from geomap.model import PlaceKind
    >>> syria = [Place(f"p{i}", f"P{i}", PlaceKind.TOWN, 35 + i / 10, 38 + i / 5, "SY")
    ...          for i in range(10)]
    >>> sirte = Place("ly-sirte", "Sirte", PlaceKind.CITY, 31.2, 16.6, "LY")
    >>> view = theatre_view([*syria, sirte])
    >>> [p.name for p in view.outside], view.box.west > 30, view.extent.west < 17
    (['Sirte'], True, True)
    >>> theatre_view([]).box == SYRIA_IRAQ
    True
    """
    if not places:
        return View(SYRIA_IRAQ, SYRIA_IRAQ)
    kept = _theatre_places(places)
    box = view_box(kept)
    outside = sorted(
        (p for p in places if not _inside(p, box)), key=lambda p: (p.name.casefold(), p.id)
    )
    extent = view_box(list(places))
    return View(box, _union(box, extent), tuple(outside))


def _theatre_places(places: Sequence[Place]) -> list[Place]:
    cells: dict[tuple[int, int], list[Place]] = {}
    for place in places:
        cells.setdefault(_cell(place), []).append(place)
    theatres = _components(cells)
    largest = max(len(t) for t in theatres)
    kept = [t for t in theatres if len(t) >= MINOR_SHARE * largest]
    return [p for theatre in kept for p in theatre]


def _cell(place: Place) -> tuple[int, int]:
    return math.floor(place.lat / CELL_DEGREES), math.floor(place.lon / CELL_DEGREES)


def _components(cells: dict[tuple[int, int], list[Place]]) -> list[list[Place]]:
    """Places of touching occupied cells, one list per group, in a fixed order."""
    seen: set[tuple[int, int]] = set()
    groups: list[list[Place]] = []
    for start in sorted(cells):
        if start in seen:
            continue
        seen.add(start)
        stack, group = [start], []
        while stack:
            row, col = stack.pop()
            group.extend(cells[(row, col)])
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    near = (row + dr, col + dc)
                    if near in cells and near not in seen:
                        seen.add(near)
                        stack.append(near)
        groups.append(group)
    return groups


def _inside(place: Place, box: Box) -> bool:
    return box.south <= place.lat <= box.north and box.west <= place.lon <= box.east


def _union(a: Box, b: Box) -> Box:
    return Box(
        min(a.south, b.south), min(a.west, b.west), max(a.north, b.north), max(a.east, b.east)
    )


def outside_note_html(outside: Sequence[Place]) -> str:
    """The note naming the places outside the opening view, each a link that goes there.

    Examples
    --------
    >>> from geomap.model import PlaceKind
    >>> note = outside_note_html([Place("x", "Sirte", PlaceKind.CITY, 31.2, 16.6, "LY")])
    >>> "1 place outside the view:" in note and "Sirte, Libya" in note
    True
    >>> outside_note_html([])
    ''
    """
    if not outside:
        return ""
    links = [
        f'<a href="#" class="geomap-goto" data-lat="{p.lat:.5f}" data-lon="{p.lon:.5f}">'
        f"{escape(_where(p))}</a>"
        for p in outside[:MAX_OUTSIDE_NAMED]
    ]
    more = len(outside) - MAX_OUTSIDE_NAMED
    if more > 0:
        links.append(f"+{more} more")
    count = f"{len(outside)} place{'s' if len(outside) > 1 else ''}"
    return (
        f'<div class="geomap-outside" role="note">{count} outside the view: '
        + "; ".join(links)
        + "</div>"
    )


def _where(place: Place) -> str:
    country = country_names().get(place.country, place.country)
    return f"{place.name}, {country}" if country else place.name


@cache
def country_names() -> dict[str, str]:
    """ISO code -> country name, from the Natural Earth countries file (empty if unreadable)."""
    try:
        data = json.loads((geo_dir() / "countries.geojson").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    names = {}
    for feature in data.get("features", []):
        props = feature.get("properties", {})
        if props.get("iso_a2") and props.get("name"):
            names[str(props["iso_a2"])] = str(props["name"])
    return names


#: Moves the map to a place of the "outside the view" note when its link is clicked.
GOTO = """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  document.querySelectorAll(".geomap-goto").forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      map.setView([parseFloat(a.dataset.lat), parseFloat(a.dataset.lon)], 8);
    });
  });
})();
{% endmacro %}
"""
