"""The dated control map: one folium Map per date, self-contained and deterministic.

What is drawn:

* a marker for every place whose kind is a site (:data:`geomap.model.SITE_KINDS`:
  settlements, dams, airbases, bases, oilfields, border crossings), coloured by its
  controller, shaped by its kind, styled by its status (see :mod:`geomap.render.symbols`);
* areas (provinces, regions, rivers, countries) are not drawn: a point would misstate
  them and the shipped data has no outlines for regions or rivers. They are listed in
  the legend box ("Areas (not drawn)") with their controller and status;
* country and province outlines from ``gazetteer/geo`` ("Borders" layer);
* the names of places (:mod:`geomap.render.labels`): every city and town, then dams,
  airbases and bases, more names as the user zooms in, no two overlapping;
* estimated territory and front lines (:mod:`geomap.render.overlays`);
* places the gazetteer lacks, found in the text and placed from an anchor ("the village
  of X, 10 km north of Manbij"; "Approximate places" layer): a dashed circle of the
  tolerance radius round a hollow dot, the popup saying how it was placed. One that
  changed hands is also a control marker, its popup marked approximate;
* distance claims ("Distances" layer): a line between two named places whose label
  (the claimed and the measured geodesic distance) shows on hover; for a force "within
  N km" of a place, a circle of the claimed radius. Other claims (to a border, an
  advance) have nothing to draw between and are left out;
* a title box with the date, a compact legend (folded on narrow screens) with the line
  "as of DATE · N places · M events from K articles", a note box, a scale bar and a
  layer control with one layer per actor (and "Unknown").

The map opens on the densest theatre of its places (:mod:`geomap.render.view`); places
far from it are named in a note whose links move the map there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from geomap.errors import RenderError
from geomap.model import Actor, DistanceClaim, DistanceRelation, Place, PlaceState
from geomap.render.assets import head_html
from geomap.render.background import CLIP_MARGIN, Box, clipped_layer
from geomap.render.content import (
    DEFAULT_TITLE,
    EMPTY_NOTE,
    LEGEND_FOLD,
    actor_colour,
    actor_name,
    legend_html,
    note_html,
    popup_html,
    stats_line,
    title_html,
    tooltip_html,
)
from geomap.render.elements import (
    FIT,
    OUTLINES,
    PLACES,
    add_verbatim,
    data_block,
    figure_of,
    freeze_ids,
    macro,
    script_json,
)
from geomap.render.labels import LABELS, MIN_ZOOM, MUST_TIERS, label_order, label_tier
from geomap.render.overlays import add_areas, add_distances, add_found
from geomap.render.symbols import (
    MARKER_KINDS,
    MarkerStyle,
    Sprite,
    build_sprite,
    marker_style,
)
from geomap.render.view import GOTO, View, outside_note_html, theatre_view

if TYPE_CHECKING:
    import folium
    from branca.element import Figure

    from geomap.geometry import ControlArea, FrontLine

_COUNTRY_STYLE = {"color": "#7a7a7a", "weight": 1.2, "fillColor": "#f4f1e8", "fillOpacity": 1}
_PROVINCE_STYLE = {"color": "#a9a9a9", "weight": 0.6, "dashArray": "3 3", "fill": False}
#: Above this many markers, Leaflet uses 2D transforms (see assets.head_html).
MANY_MARKERS = 1000
NO_SITES_NOTE = "No towns or sites to mark on this date; areas are listed in the legend"


def render_map(
    states: Mapping[str, PlaceState],
    day: dt.date,
    actors: Mapping[str, Actor],
    *,
    title: str | None = None,
    tiles: str | None = None,
    distances: Sequence[DistanceClaim] = (),
    spellings: Mapping[str, Sequence[str]] | None = None,
    note: str | None = None,
    areas: Sequence[ControlArea] = (),
    fronts: Sequence[FrontLine] = (),
    found: Sequence[Place] = (),
) -> folium.Map:
    """Draw who held what on ``day`` as a self-contained folium map.

    Parameters
    ----------
    states
        Place id -> state on ``day`` (``geomap.timeline.state_at``).
    day
        The date shown in the title.
    actors
        Actor code -> Actor (colours and names); an unknown code is drawn grey.
    title
        Title text (default "Who held what"); the date is always shown beside it.
    tiles
        ``None``: no tile layer (works offline); ``"osm"``: OpenStreetMap tiles; any
        other string: a tile URL template with ``{z}``, ``{x}`` and ``{y}``.
    distances
        Distance claims to draw in the "Distances" layer.
    spellings
        Place id -> the spellings seen in articles, listed in popups.
    note
        A note shown in a box; by default an empty map says why it is empty.
    areas, fronts
        Estimated control areas and front lines (``geomap.geometry``), drawn translucent
        and dashed in their own layers, and labelled as estimates.
    found
        Places found in text that the gazetteer lacks
        (:meth:`geomap.store.Store.approximate_places`): drawn as dashed circles of their
        ``tolerance_km``, marked approximate. Places without a tolerance are left out.

    Returns
    -------
    folium.Map
        Element ids are fixed, so :func:`geomap.render.write_html` gives the same bytes
        for the same input.

    Raises
    ------
    RenderError
        ``tiles`` is not ``None``, ``"osm"`` or a tile URL template.
    """
    import folium

    ordered = [states[key] for key in sorted(states)]
    sites = [s for s in ordered if s.place.kind in MARKER_KINDS]
    regions = [s for s in ordered if s.place.kind not in MARKER_KINDS]
    claims = sorted((c for c in distances if drawable(c)), key=_claim_key)
    view = theatre_view(_view_points(sites, claims))
    m, figure = _base_map(view.box, tiles, many=len(sites) > MANY_MARKERS)
    figure.title = escape(f"{title or DEFAULT_TITLE} — {day.isoformat()}")
    _add_borders(m, view.extent, filled=tiles is None)
    if areas or fronts:
        add_areas(m, areas, fronts, actors)
    _add_places(m, sites, actors, spellings or {}, day)
    found = [p for p in found if p.tolerance_km is not None]
    if found:
        add_found(m, found)
    if claims:
        add_distances(m, claims)
    add_verbatim(figure.html, "geomap_title", title_html(title, day))
    legend = _legend(sites, regions, actors, bool(claims), day, len(found))
    add_verbatim(figure.html, "geomap_legend", legend + LEGEND_FOLD)
    shown_note = note if note is not None else _default_note(ordered, sites)
    if shown_note:
        add_verbatim(figure.html, "geomap_note", note_html(shown_note))
    _add_outside_note(m, view)
    folium.LayerControl(collapsed=True).add_to(m)
    m.add_child(
        macro(
            "GeomapLabels",
            LABELS,
            data_id="geomap-places",
            min_zoom=list(MIN_ZOOM),
            must=list(MUST_TIERS),
        )
    )
    m.add_child(macro("GeomapFit", FIT, bounds=view.box.corners()))
    freeze_ids(figure)
    return m


def _add_outside_note(m: folium.Map, view: View) -> None:
    note = outside_note_html(view.outside)
    if note:
        add_verbatim(figure_of(m).html, "geomap_outside", note)
        m.add_child(macro("GeomapGoto", GOTO))


def _base_map(view: Box, tiles: str | None, *, many: bool) -> tuple[folium.Map, Figure]:
    import folium
    from branca.element import Figure

    centre = [(view.south + view.north) / 2, (view.west + view.east) / 2]
    m = folium.Map(
        location=centre,
        zoom_start=6,
        tiles=None,
        control_scale=True,
        disable_3d=many,
        zoom_snap=0.25,
    )
    figure = m.get_root()
    if not isinstance(figure, Figure):  # folium.Map always places itself in a Figure
        raise RenderError("folium.Map was not created inside a Figure; check the folium version")
    # No CDN links: Leaflet is inlined and folium's other assets (jQuery, Bootstrap,
    # awesome-markers, Font Awesome) are not used.
    m.default_js = []
    m.default_css = []
    add_verbatim(figure.header, "geomap_assets", head_html(disable_3d=many))
    if tiles is not None:
        _tile_layer(tiles).add_to(m)
    return m, figure


def _tile_layer(tiles: str) -> folium.TileLayer:
    import folium

    if tiles == "osm":
        return folium.TileLayer("OpenStreetMap", name="OpenStreetMap")
    templated = any(mark in tiles for mark in ("{{", "{%", "{#"))
    if templated or not all(key in tiles for key in ("{z}", "{x}", "{y}")):
        raise RenderError(
            f"expected tiles to be None, 'osm' or a URL template with {{z}}, {{x}} and {{y}};"
            f" got {tiles!r}. Example: https://tile.example.org/{{z}}/{{x}}/{{y}}.png"
        )
    host = urlsplit(tiles).netloc or tiles
    return folium.TileLayer(tiles=tiles, attr=escape(f"Tiles: {host}"), name="Tiles")


def _add_borders(m: folium.Map, view: Box, *, filled: bool) -> None:
    import folium

    group = folium.FeatureGroup(name="Borders").add_to(m)
    clip = view.padded(CLIP_MARGIN)
    country_style = {**_COUNTRY_STYLE, "fillOpacity": 1 if filled else 0}
    for layer, style in (("countries", country_style), ("provinces", _PROVINCE_STYLE)):
        data_id = f"geomap-{layer}"
        payload = script_json(clipped_layer(layer, clip))
        add_verbatim(figure_of(m).html, data_id, data_block(data_id, payload))
        group.add_child(
            macro("GeomapOutlines", OUTLINES, data_id=data_id, group=group, style=style)
        )


def _add_places(
    m: folium.Map,
    sites: Sequence[PlaceState],
    actors: Mapping[str, Actor],
    spellings: Mapping[str, Sequence[str]],
    day: dt.date,
) -> None:
    """One FeatureGroup per controlling actor (and "Unknown"), filled from one payload."""
    import folium

    keys = sorted({_group_key(s, actors) for s in sites}, key=lambda k: _actor_order(k, actors))
    groups = [folium.FeatureGroup(name=layer_label(actor_name(k, actors))).add_to(m) for k in keys]
    layer_of = {k: i for i, k in enumerate(keys)}
    icons: dict[MarkerStyle, int] = {}  # style -> its number, in order of first use
    rank = {place_id: r for r, place_id in enumerate(label_order(sites, day))}
    places = []
    for state in sites:
        icon = icons.setdefault(_style_of(state, actors), len(icons))
        layer = layer_of[_group_key(state, actors)]
        record = _place_record(state, actors, spellings, layer, icon)
        places.append({**record, "r": rank[state.place.id]})
    sprite = build_sprite(list(icons))
    image = {"svg": sprite.data_uri(), "w": sprite.width, "h": sprite.height}
    data = {
        "icons": [_icon_entry(style, i) for style, i in icons.items()],
        "places": places,
        "sprite": image if icons else None,
    }
    add_verbatim(figure_of(m).header, "geomap-icons", _icon_css(sprite))
    add_verbatim(figure_of(m).html, "geomap-places", data_block("geomap-places", script_json(data)))
    m.add_child(macro("GeomapPlaces", PLACES, data_id="geomap-places", groups=groups))


def _place_record(
    state: PlaceState,
    actors: Mapping[str, Actor],
    spellings: Mapping[str, Sequence[str]],
    layer: int,
    icon: int,
) -> dict[str, Any]:
    """One place in the payload: where, which layer and symbol, tooltip and popup HTML."""
    return {
        "id": state.place.id,
        "lat": round(state.place.lat, 5),
        "lon": round(state.place.lon, 5),
        "g": layer,
        "i": icon,
        "n": state.place.name,
        "k": label_tier(state),
        "t": tooltip_html(state, actors),
        "p": popup_html(state, actors, spellings.get(state.place.id, ())),
    }


def layer_label(name: str) -> str:
    """A layer name for Leaflet's layer control, which shows it as HTML.

    Escaped, and with ``{`` as an entity: folium writes layer names into a macro's
    output, which branca compiles as a Jinja template.

    Examples
    --------
    >>> layer_label("A & {{ B }}")
    'A &amp; &#123;&#123; B }}'
    """
    return escape(name).replace("{", "&#123;")


def _group_key(state: PlaceState, actors: Mapping[str, Actor]) -> str | None:
    """The layer a place goes in: its controller, or None ("Unknown") if not a known actor."""
    return state.controller if state.controller in actors else None


def _actor_order(code: str | None, actors: Mapping[str, Actor]) -> tuple[bool, str, str]:
    # Alphabetical by display name, "Unknown" last; independent of the mapping's order.
    return (code is None, actor_name(code, actors).casefold(), code or "")


def _style_of(state: PlaceState, actors: Mapping[str, Actor]) -> MarkerStyle:
    colour = actor_colour(state.controller, actors)
    ring = actor_colour(state.besieger, actors) if state.besieger else None
    return marker_style(state.place.kind, state.status, colour, ring)


def _icon_entry(style: MarkerStyle, index: int) -> dict[str, Any]:
    css = (
        f"geomap-marker geomap-icon-{index} geomap-symbol-{style.symbol}"
        f" geomap-status-{style.status.value}"
    )
    # Smaller symbols float above larger ones, so a village inside a city stays clickable.
    return {"w": style.width, "c": css, "z": (40 - style.size) * 10}


def _icon_css(sprite: Sprite) -> str:
    """Where each style sits in the sprite (the image itself is set by the browser)."""
    rules = [
        f".geomap-marker{{background-repeat:no-repeat;"
        f"background-size:{sprite.width}px {sprite.height}px}}"
    ]
    for index in range(sprite.count):
        x, y = sprite.offset(index)
        rules.append(f".geomap-icon-{index}{{background-position:-{x}px -{y}px}}")
    return "<style>\n" + "\n".join(rules) + "\n</style>"


def _legend(
    sites: Sequence[PlaceState],
    areas: Sequence[PlaceState],
    actors: Mapping[str, Actor],
    has_distances: bool,
    day: dt.date,
    found: int = 0,
) -> str:
    codes: set[str | None] = set()
    for state in [*sites, *areas]:
        codes.add(state.controller if state.controller in actors else None)
        if state.besieger:
            codes.add(state.besieger if state.besieger in actors else None)
    ordered = sorted(codes, key=lambda k: _actor_order(k, actors))
    shown = [(actor_name(k, actors), actor_colour(k, actors)) for k in ordered]
    symbols = [_style_of(s, actors).symbol for s in sites]
    statuses = [s.status for s in sites]
    stats = stats_line(day, sites)
    return legend_html(shown, symbols, statuses, areas, actors, has_distances, stats, found)


def _default_note(states: Sequence[PlaceState], sites: Sequence[PlaceState]) -> str:
    if not states:
        return EMPTY_NOTE
    return "" if sites else NO_SITES_NOTE


def drawable(claim: DistanceClaim) -> bool:
    return claim.relation is DistanceRelation.FORCE_TO_PLACE or claim.other is not None


def _claim_key(claim: DistanceClaim) -> tuple[Any, ...]:
    other = claim.other.id if claim.other else ""
    return (
        claim.place.id,
        other,
        claim.relation.value,
        claim.claimed_km,
        claim.date,
        claim.evidence,
        claim.article_id,
    )


def _view_points(sites: Sequence[PlaceState], claims: Sequence[DistanceClaim]) -> list[Place]:
    """Every marker and distance end: what the opening view is fitted to."""
    points = [s.place for s in sites]
    points += [p for c in claims for p in (c.place, c.other) if p is not None]
    return points
