"""Layers drawn over the places: estimated territory, front lines, distance claims and
places the gazetteer lacks.

Territory is filled in each controller's colour with an edge of the same colour, so it
reads as ground held rather than as halos round markers; front lines are drawn dark
where two sides' areas meet. Distance claims are lines (or circles) whose label
("40 km claimed · 40.8 km measured") shows when the pointer is on them, so several
claims around one town never stack their labels over the places. A place found only in
the text ("the village of X, 10 km north of Manbij") is a dashed circle of its tolerance
radius round a hollow dot: approximate, and visibly not a gazetteer place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from geomap.model import Actor, DistanceClaim, DistanceRelation, Place
from geomap.render.content import (
    distance_label,
    distance_popup,
    found_popup_html,
    found_tooltip_html,
)
from geomap.render.elements import (
    DISTANCES,
    FOUND,
    OUTLINES,
    add_verbatim,
    data_block,
    figure_of,
    macro,
    script_json,
)
from geomap.render.symbols import UNKNOWN_COLOUR, safe_colour

if TYPE_CHECKING:
    import folium

    from geomap.geometry import ControlArea, FrontLine

ESTIMATE_CAPTION = (
    '<div class="geomap-estimate" style="position:absolute;left:10px;bottom:56px;z-index:800;'
    'background:rgba(255,255,255,.85);padding:2px 6px;font:11px sans-serif;border-radius:3px">'
    "Shaded areas and dark front lines are estimated from the places held</div>"
)
#: Fill and edge of an actor's estimated area (the edge in the same colour, darker).
AREA_FILL_OPACITY = 0.3
AREA_EDGE = {"weight": 1.6, "opacity": 0.85}
FRONT_STYLE = {"color": "#1a1a1a", "weight": 2.6, "opacity": 0.9, "dashArray": "8 4"}


def add_areas(
    m: folium.Map,
    areas: Sequence[ControlArea],
    fronts: Sequence[FrontLine],
    actors: Mapping[str, Actor],
) -> None:
    """Estimated areas (one layer, filled per actor) and front lines (one layer)."""
    import folium
    from shapely.geometry import mapping

    group = folium.FeatureGroup(name="Estimated areas").add_to(m)
    for index, area in enumerate(sorted(areas, key=lambda a: a.actor)):
        actor = actors.get(area.actor)
        colour = safe_colour(actor.colour) if actor is not None else UNKNOWN_COLOUR
        data_id = f"geomap-area-{index}"
        feature = {
            "type": "Feature",
            "properties": {"actor": area.actor},
            "geometry": mapping(area.geometry),
        }
        collection = {"type": "FeatureCollection", "features": [feature]}
        add_verbatim(figure_of(m).html, data_id, data_block(data_id, script_json(collection)))
        style = {
            "color": colour,
            "fillColor": colour,
            "fillOpacity": AREA_FILL_OPACITY,
            **AREA_EDGE,
        }
        group.add_child(
            macro("GeomapOutlines", OUTLINES, data_id=data_id, group=group, style=style)
        )
    if fronts:
        _add_fronts(m, fronts)
    add_verbatim(figure_of(m).html, "geomap_estimate", ESTIMATE_CAPTION)


def _add_fronts(m: folium.Map, fronts: Sequence[FrontLine]) -> None:
    import folium
    from shapely.geometry import mapping

    lines = folium.FeatureGroup(name="Front lines").add_to(m)
    features = [
        {
            "type": "Feature",
            "properties": {"actors": "-".join(f.actors)},
            "geometry": mapping(f.geometry),
        }
        for f in sorted(fronts, key=lambda f: f.actors)
    ]
    payload = script_json({"type": "FeatureCollection", "features": features})
    add_verbatim(figure_of(m).html, "geomap-fronts", data_block("geomap-fronts", payload))
    lines.add_child(
        macro("GeomapOutlines", OUTLINES, data_id="geomap-fronts", group=lines, style=FRONT_STYLE)
    )


def add_distances(m: folium.Map, claims: Sequence[DistanceClaim]) -> None:
    """The "Distances" layer: one line or circle per claim, its label on hover."""
    import folium

    group = folium.FeatureGroup(name="Distances").add_to(m)
    payload = script_json({"shapes": [distance_shape(c) for c in claims]})
    add_verbatim(figure_of(m).html, "geomap-distances", data_block("geomap-distances", payload))
    group.add_child(macro("GeomapDistances", DISTANCES, data_id="geomap-distances", group=group))


def distance_shape(claim: DistanceClaim) -> dict[str, Any]:
    """A circle (force within N km of a place) or a line (place to place), with its label."""
    from geopy.distance import geodesic

    centre = latlon(claim.place)
    popup = distance_popup(claim)
    if claim.relation is DistanceRelation.FORCE_TO_PLACE:
        return {
            "at": centre,
            "r": round(claim.claimed_km * 1000, 1),
            "p": popup,
            "t": distance_label(claim, None),
        }
    assert claim.other is not None  # maps.drawable() let only such claims through
    end = latlon(claim.other)
    measured = claim.measured_km
    if measured is None:
        measured = geodesic(tuple(centre), tuple(end)).km
    # A straight segment: at the tens of kilometres these claims span, the geodesic and
    # the straight line on the Web Mercator map differ by less than a pixel's width.
    return {"path": [centre, end], "p": popup, "t": distance_label(claim, measured)}


def add_found(m: folium.Map, places: Sequence[Place]) -> None:
    """The "Approximate places" layer: places found in text, placed from their anchor.

    Places without a point (``tolerance_km`` None) are not drawn; the rest in id order.
    """
    import folium

    shown = sorted((p for p in places if p.tolerance_km is not None), key=lambda p: p.id)
    group = folium.FeatureGroup(name="Approximate places").add_to(m)
    payload = script_json({"places": [found_shape(p) for p in shown]})
    add_verbatim(figure_of(m).html, "geomap-found", data_block("geomap-found", payload))
    group.add_child(macro("GeomapFound", FOUND, data_id="geomap-found", group=group))


def found_shape(place: Place) -> dict[str, Any]:
    """A found place in the payload: centre, radius (m), popup and tooltip (escaped HTML)."""
    radius = (place.tolerance_km or 0.0) * 1000
    return {
        "id": place.id,
        "at": latlon(place),
        "r": round(radius, 1),
        "p": found_popup_html(place),
        "t": found_tooltip_html(place),
    }


def latlon(place: Place) -> list[float]:
    """folium/Leaflet order: ``[lat, lon]`` (shapely and GeoJSON use lon, lat)."""
    return [round(place.lat, 5), round(place.lon, 5)]
