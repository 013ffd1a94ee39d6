"""The diff map: what changed between two dates, as one self-contained HTML page.

Input is the JSON record of ``geomap diff`` (:func:`geomap.report.diff_record`). Each
changed site is a marker coloured by *what happened* (its category, see
:func:`change_category`), shaped by its kind as on the dated map; its tooltip says the
change in a few words and its popup shows both ends and the events in between. Places
that did not change can be drawn faded for context ("Unchanged" layer). Changed areas
(provinces, regions) are listed in the legend box, as on the dated map.

The page is built with the dated map's machinery (:mod:`geomap.render.maps`): inlined
Leaflet, background borders, one inert JSON payload for the markers, fixed element ids
(same input, same bytes) and every piece of article text escaped before it enters the
payload or a box. No data goes through a macro template (see
:mod:`geomap.render.elements`).

Marker elements carry ``geomap-marker``, ``data-place-id`` and either
``geomap-change-<category>`` or ``geomap-unchanged``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from geomap.errors import RenderError
from geomap.model import Actor, ControlStatus, Place, PlaceKind, PlaceState
from geomap.render.background import view_box
from geomap.render.content import (
    MAX_AREAS,
    MAX_EVIDENCE,
    actor_colour,
    actor_name,
    note_html,
    popup_html,
    swatch,
    tooltip_html,
)
from geomap.render.elements import (
    FIT,
    PLACES,
    add_verbatim,
    data_block,
    figure_of,
    freeze_ids,
    macro,
    script_json,
)
from geomap.render.maps import (
    MANY_MARKERS,
    _actor_order,
    _add_borders,
    _base_map,
    _icon_css,
    _icon_entry,
    _style_of,
    layer_label,
)
from geomap.render.output import render_html
from geomap.render.symbols import (
    MARKER_KINDS,
    SYMBOL_LABELS,
    SYMBOL_OF,
    UNKNOWN_COLOUR,
    MarkerStyle,
    build_sprite,
    marker_style,
    marker_svg,
)

if TYPE_CHECKING:
    import folium

#: Change categories in legend and layer order: (layer name, legend text).
CATEGORIES = {
    "taken": ("Taken", "taken: the new holder's colour"),
    "lost": ("Lost", "lost: no known holder now (grey)"),
    "contested": ("Contested", "now contested (hatched)"),
    "besieged": ("Besieged", "now besieged (ring in the besieger's colour)"),
    "siege_broken": ("Siege broken", "siege broken, same holder (dashed circle)"),
    "disputed": ("Disputed", "now disputed (faded, dotted, ?)"),
    "round_trip": ("Changed and back", "changed hands and came back (outlined, ↺)"),
    "held": ("Status settled", "same holder, status changed"),
}
UNCHANGED_LAYER = "Unchanged"
#: Most events listed in a popup (the latest ones).
MAX_EVENTS = 12
_SAMPLE = "#555555"

#: Styles of the change categories that the symbol's status cannot show, and of faded places.
DIFF_CSS = r"""
.geomap-change-round_trip,.geomap-key-round_trip{border-radius:50%;box-shadow:0 0 0 2px #fff,0 0 0 3.5px #222}
.geomap-change-round_trip::after,.geomap-key-round_trip::after{content:"\21BA";position:absolute;left:-6px;top:-6px;
width:12px;height:12px;border-radius:50%;background:#fff;border:1px solid #222;color:#222;
font:700 10px/12px sans-serif;text-align:center}
.geomap-change-siege_broken,.geomap-key-siege_broken{border-radius:50%;outline:2px dashed #444;outline-offset:1px}
.geomap-unchanged,.geomap-key-unchanged{opacity:.35}
.geomap-unchanged:hover{opacity:.85}
.geomap-key{position:relative;display:inline-flex;flex:none}
.geomap-summary small{display:block;color:#555}
.geomap-diff-popup h4{margin:6px 0 2px;font-size:12px;color:#555}
.geomap-events{margin:2px 0 0;padding-left:16px;max-height:240px;overflow:auto}
.geomap-events li{margin:0 0 6px}
"""


@dataclass(frozen=True)
class _Changed:
    """One change of the record, read and checked."""

    place: Place
    before: PlaceState | None
    after: PlaceState | None
    round_trip: bool
    events: tuple[Mapping[str, Any], ...]
    category: str


def render_diff_map(
    data: Mapping[str, Any],
    actors: Mapping[str, Actor],
    *,
    unchanged: Mapping[str, PlaceState] | None = None,
    tiles: str | None = None,
) -> str:
    """Draw what changed between two dates as a complete, self-contained HTML page.

    Parameters
    ----------
    data
        The JSON record of ``geomap diff`` (:func:`geomap.report.diff_record`):
        ``from``, ``to``, ``changes`` and ``summary``.
    actors
        Actor code -> Actor (colours and names); an unknown code is drawn grey.
    unchanged
        Place id -> state on the end date of places that did not change; drawn faded in
        the "Unchanged" layer. Ids that are in ``data["changes"]`` are skipped.
    tiles
        ``None``: no tile layer (works offline); ``"osm"`` or a tile URL template
        with ``{z}``, ``{x}`` and ``{y}``, as for :func:`geomap.render.render_map`.

    Returns
    -------
    str
        The HTML document; the same input gives the same text.

    Raises
    ------
    RenderError
        ``data`` is not a diff record (the message names the bad change), or
        ``tiles`` is not ``None``, ``"osm"`` or a tile URL template.

    Examples
    --------
    >>> page = render_diff_map({"from": "2017-01-01", "to": "2017-02-01", "changes": []}, {})
    >>> "No place changed hands between 2017-01-01 and 2017-02-01" in page
    True
    """
    import folium

    start, end = _date(data, "from"), _date(data, "to")
    changes = _read_changes(data)
    sites = [c for c in changes if c.place.kind in MARKER_KINDS]
    areas = [c for c in changes if c.place.kind not in MARKER_KINDS]
    changed = {c.place.id for c in changes}
    states = unchanged or {}
    faded = [
        states[key]
        for key in sorted(states)
        if key not in changed and states[key].place.kind in MARKER_KINDS
    ]
    view = view_box([c.place for c in sites] or [s.place for s in faded])
    m, figure = _base_map(view, tiles, many=len(sites) + len(faded) > MANY_MARKERS)
    figure.title = escape(f"Changes {start} → {end}")
    add_verbatim(figure.header, "geomap-diff-css", f"<style>{DIFF_CSS}</style>")
    _add_borders(m, view, filled=tiles is None)
    _add_markers(m, sites, faded, actors, (start, end))
    add_verbatim(figure.html, "geomap_title", _title_html(start, end))
    add_verbatim(figure.html, "geomap_legend", _legend(sites, areas, faded, data, actors))
    note = _note(changes, sites, start, end)
    if note:
        add_verbatim(figure.html, "geomap_note", note_html(note))
    folium.LayerControl(collapsed=True).add_to(m)
    m.add_child(macro("GeomapFit", FIT, bounds=view.corners()))
    freeze_ids(figure)
    return render_html(m)


def change_category(change: Mapping[str, Any]) -> str:
    """What happened to a place, from one change of the diff record (a key of CATEGORIES).

    In order: ``round_trip`` (changed and came back); ``lost`` (no holder at the end);
    ``contested``, ``besieged``, ``disputed`` (the status at the end); ``taken`` (the
    holder changed); ``siege_broken`` (was besieged, same holder); else ``held``
    (same holder, status changed, e.g. no longer contested).

    Examples
    --------
    >>> held = {"controller": "ISIS", "status": "held"}
    >>> change_category({"before": held, "after": {"controller": "SDF", "status": "held"}})
    'taken'
    >>> change_category({"before": held, "after": None})
    'lost'
    >>> change_category({"before": {**held, "status": "besieged"}, "after": held})
    'siege_broken'
    >>> change_category({"before": held, "after": held, "round_trip": True})
    'round_trip'
    """
    before, after = change.get("before"), change.get("after")
    if change.get("round_trip"):
        return "round_trip"
    if after is None or after.get("controller") is None:
        return "lost"
    status = after.get("status")
    if status in ("contested", "besieged", "disputed"):
        return str(status)
    if after.get("controller") != (before or {}).get("controller"):
        return "taken"
    if (before or {}).get("status") == "besieged":
        return "siege_broken"
    return "held"


# --------------------------------------------------------------------- reading the record
def _date(data: Mapping[str, Any], key: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(data[key]))
    except (KeyError, TypeError, ValueError):
        raise RenderError(
            f"expected the JSON record of `geomap diff` with an ISO date in {key!r};"
            f" got {data.get(key)!r}. Build it with geomap.report.diff_record"
        ) from None


def _read_changes(data: Mapping[str, Any]) -> list[_Changed]:
    raw = data.get("changes")
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise RenderError(
            f"expected 'changes' to be a list in the `geomap diff` record; got {raw!r}"
        )
    out = []
    for index, change in enumerate(raw):
        try:
            out.append(_read_change(change))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            name = change.get("id") if isinstance(change, Mapping) else None
            raise RenderError(
                f"change {index} ({name!r}) of the `geomap diff` record is malformed: {exc!r};"
                " expected id, name, kind, lat, lon, before, after, round_trip, events"
            ) from None
    return sorted(out, key=lambda c: c.place.id)


def _read_change(change: Mapping[str, Any]) -> _Changed:
    place = Place(
        str(change["id"]),
        str(change["name"]),
        PlaceKind(change["kind"]),
        float(change["lat"]),
        float(change["lon"]),
        "",
    )
    events = tuple(dict(e) for e in change.get("events") or ())
    return _Changed(
        place,
        _side(place, change.get("before")),
        _side(place, change.get("after")),
        bool(change.get("round_trip")),
        events,
        change_category(change),
    )


def _side(place: Place, side: Mapping[str, Any] | None) -> PlaceState | None:
    if side is None:
        return None
    since, controller, besieger = side.get("since"), side.get("controller"), side.get("besieger")
    return PlaceState(
        place,
        None if controller is None else str(controller),
        ControlStatus(side.get("status", "unknown")),
        dt.date.fromisoformat(since) if since else None,
        besieger=None if besieger is None else str(besieger),
    )


# ------------------------------------------------------------------------------ markers
def _add_markers(
    m: folium.Map,
    sites: Sequence[_Changed],
    faded: Sequence[PlaceState],
    actors: Mapping[str, Actor],
    dates: tuple[dt.date, dt.date],
) -> None:
    """One layer per category present (and "Unchanged"), filled from one payload."""
    import folium

    keys = [k for k in CATEGORIES if any(c.category == k for c in sites)]
    names = [CATEGORIES[k][0] for k in keys] + ([UNCHANGED_LAYER] if faded else [])
    groups = [folium.FeatureGroup(name=layer_label(n)).add_to(m) for n in names]
    cells: dict[MarkerStyle, int] = {}  # sprite cell per style, in order of first use
    icons: dict[tuple[MarkerStyle, str], int] = {}  # (style, extra classes) -> icon number
    entries: list[dict[str, Any]] = []

    def icon(style: MarkerStyle, extra: str, lower: int) -> int:
        if (style, extra) not in icons:
            entry = _icon_entry(style, cells.setdefault(style, len(cells)))
            entries.append({**entry, "c": f"{entry['c']} {extra}", "z": entry["z"] - lower})
            icons[style, extra] = len(icons)
        return icons[style, extra]

    places = []
    for c in sites:
        i = icon(_change_style(c, actors), f"geomap-change-{c.category}", 0)
        record = _record(c.place, keys.index(c.category), i)
        places.append(
            {**record, "t": _change_tooltip(c, actors), "p": _change_popup(c, actors, dates)}
        )
    note = f'<p class="geomap-change-line"><i>No change between {dates[0]} and {dates[1]}</i></p>'
    for s in faded:
        i = icon(_style_of(s, actors), "geomap-unchanged", 1000)
        record = _record(s.place, len(keys), i)
        tooltip = f"{tooltip_html(s, actors)} (unchanged)"
        places.append({**record, "t": tooltip, "p": popup_html(s, actors) + note})
    sprite = build_sprite(list(cells))
    image = {"svg": sprite.data_uri(), "w": sprite.width, "h": sprite.height}
    payload = {"icons": entries, "places": places, "sprite": image if cells else None}
    figure = figure_of(m)
    add_verbatim(figure.header, "geomap-icons", _icon_css(sprite))
    add_verbatim(figure.html, "geomap-places", data_block("geomap-places", script_json(payload)))
    m.add_child(macro("GeomapPlaces", PLACES, data_id="geomap-places", groups=groups))


def _record(place: Place, layer: int, icon: int) -> dict[str, Any]:
    return {
        "id": place.id,
        "lat": round(place.lat, 5),
        "lon": round(place.lon, 5),
        "g": layer,
        "i": icon,
    }


def _change_style(c: _Changed, actors: Mapping[str, Actor]) -> MarkerStyle:
    """The end state's symbol: holder's colour, status, besieger's ring; grey if none."""
    if c.after is None:
        return marker_style(c.place.kind, ControlStatus.UNKNOWN, UNKNOWN_COLOUR)
    return _style_of(c.after, actors)


# ------------------------------------------------------------------------------ text
def _change_phrase(c: _Changed, actors: Mapping[str, Actor]) -> str:
    """The change in a few words (plain text, to be escaped): "taken by SDF from ISIS"."""
    old = c.before.controller if c.before else None
    new = c.after.controller if c.after else None
    name_old, name_new = actor_name(old, actors), actor_name(new, actors)
    was = f" (was {name_old})" if old and old != new else ""
    besieger = c.after.besieger if c.after else None
    if c.category == "round_trip":
        return f"changed hands and came back to {name_new if new else 'no known holder'}"
    if c.category == "lost":
        return f"lost by {name_old}; no known holder now" if old else "no known holder now"
    if c.category == "taken":
        return f"taken by {name_new}" + (f" from {name_old}" if old else "")
    if c.category == "besieged":
        by = f" by {actor_name(besieger, actors)}" if besieger else ""
        return f"besieged{by}, held by {name_new}{was}"
    if c.category == "siege_broken":
        sieger = c.before.besieger if c.before else None
        by = f" by {actor_name(sieger, actors)}" if sieger else ""
        return f"siege{by} broken; {name_new} still holds"
    if c.category in ("contested", "disputed"):
        return f"now {c.category}, held by {name_new}{was}"
    status = c.before.status.value if c.before else "unknown"
    return f"{name_new} keeps it; was {status}, now {c.after.status.value if c.after else '?'}"


def _change_tooltip(c: _Changed, actors: Mapping[str, Actor]) -> str:
    return f"{escape(c.place.name)} — {escape(_change_phrase(c, actors))}"


def _change_popup(c: _Changed, actors: Mapping[str, Actor], dates: tuple[dt.date, dt.date]) -> str:
    """Name, kind, the change, both ends, and the events between the dates, all escaped."""
    phrase = _change_phrase(c, actors)
    parts = [
        '<div class="geomap-popup geomap-diff-popup">',
        f"<h3>{escape(c.place.name)}</h3>",
        f"<small>{escape(c.place.kind.value.replace('_', ' '))}</small>",
        f'<p class="geomap-change-line"><b>{escape(phrase[:1].upper() + phrase[1:])}</b></p>',
        f"<p>{dates[0]}: {_side_line(c.before, actors)}<br>"
        f"{dates[1]}: {_side_line(c.after, actors)}</p>",
    ]
    parts.append(_events_html(c.events, actors))
    parts.append("</div>")
    return "".join(parts)


def _side_line(state: PlaceState | None, actors: Mapping[str, Actor]) -> str:
    if state is None:
        return "no known state"
    if state.controller is None:
        text = "no known holder"
    else:
        name = escape(actor_name(state.controller, actors))
        since = f" since {state.since.isoformat()}" if state.since else ""
        text = f"{swatch(actor_colour(state.controller, actors))}<b>{name}</b>{since}"
    text += f", {escape(state.status.value)}"
    if state.besieger:
        text += f" by {escape(actor_name(state.besieger, actors))}"
    return text


def _events_html(events: Sequence[Mapping[str, Any]], actors: Mapping[str, Actor]) -> str:
    if not events:
        return "<small>No events between the dates in the record.</small>"
    shown = events[-MAX_EVENTS:]
    rows = []
    for e in shown:
        sentence = _text(e.get("sentence")).strip()
        if len(sentence) > MAX_EVIDENCE:
            sentence = sentence[: MAX_EVIDENCE - 1].rstrip() + "…"
        actor = e.get("actor")
        head = " · ".join(
            escape(part)
            for part in (
                _text(e.get("date")),
                _text(e.get("kind")).replace("_", " "),
                actor_name(actor, actors) if actor else "actor unknown",
            )
        )
        cite = escape(_text(e.get("source")) or "source unknown")
        if e.get("article"):
            cite += f", article {escape(_text(e.get('article')))}"
        rows.append(
            f"<li><small>{head}</small><blockquote>{escape(sentence)}</blockquote>"
            f"<small>{cite}</small></li>"
        )
    earlier = len(events) - len(shown)
    more = f"<small>+{earlier} earlier events</small>" if earlier else ""
    return f'<h4>Events between the dates</h4>{more}<ol class="geomap-events">{"".join(rows)}</ol>'


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _title_html(start: dt.date, end: dt.date) -> str:
    return (
        '<div class="geomap-title" role="heading" aria-level="1">'
        '<span class="geomap-title-text">Changes</span> '
        f'<time datetime="{start}">{start}</time> → <time datetime="{end}">{end}</time></div>'
    )


def _note(
    changes: Sequence[_Changed], sites: Sequence[_Changed], start: dt.date, end: dt.date
) -> str:
    if not changes:
        return f"No place changed hands between {start} and {end}"
    if not sites:
        return f"No town or site changed between {start} and {end}; changed areas are listed in the legend"
    return ""


# ------------------------------------------------------------------------------ legend
def _legend(
    sites: Sequence[_Changed],
    areas: Sequence[_Changed],
    faded: Sequence[PlaceState],
    data: Mapping[str, Any],
    actors: Mapping[str, Actor],
) -> str:
    parts = ['<details class="geomap-legend" open><summary>Legend</summary><h4>Changes</h4><ul>']
    counts = {k: sum(c.category == k for c in sites) for k in CATEGORIES}
    rows = [
        f"<li>{_sample(k)} {escape(CATEGORIES[k][1])} ({n})</li>" for k, n in counts.items() if n
    ]
    parts += rows or ["<li>none between the dates</li>"]
    if faded:
        parts.append(f"<li>{_sample('unchanged')} unchanged, faded ({len(faded)})</li>")
    parts.append("</ul>")
    parts.append(_summary_html(data.get("summary") or {}, actors))
    parts.append(_holders(sites, faded, actors))
    parts.append(_symbol_keys([c.place.kind for c in sites] + [s.place.kind for s in faded]))
    if areas:
        parts.append(_area_list(areas, actors))
    parts.append('<p class="geomap-credit">Borders: Natural Earth</p></details>')
    return "".join(parts)


def _sample(category: str) -> str:
    """A town-sized legend symbol for a category, with the category's CSS extras."""
    status = {
        "lost": ControlStatus.UNKNOWN,
        "contested": ControlStatus.CONTESTED,
        "besieged": ControlStatus.BESIEGED,
        "disputed": ControlStatus.DISPUTED,
    }.get(category, ControlStatus.HELD)
    colour = UNKNOWN_COLOUR if category == "lost" else _SAMPLE
    style = marker_style(PlaceKind.TOWN, status, colour, "#bbbbbb")
    return f'<span class="geomap-key geomap-key-{category}">{marker_svg(style)}</span>'


def _holders(
    sites: Sequence[_Changed], faded: Sequence[PlaceState], actors: Mapping[str, Actor]
) -> str:
    codes: set[str | None] = set()
    for state in [c.after for c in sites if c.after] + list(faded):
        codes.add(state.controller if state.controller in actors else None)
        if state.besieger:
            codes.add(state.besieger if state.besieger in actors else None)
    if any(c.after is None for c in sites):
        codes.add(None)
    ordered = sorted(codes, key=lambda k: _actor_order(k, actors))
    rows = [
        f"<li>{swatch(actor_colour(k, actors))}{escape(actor_name(k, actors))}</li>"
        for k in ordered
    ]
    return "<h4>Holders</h4><ul>" + "".join(rows) + "</ul>" if rows else ""


def _symbol_keys(kinds: Sequence[PlaceKind]) -> str:
    present = {SYMBOL_OF.get(k, "settlement") for k in kinds}
    rows = []
    for symbol, label in SYMBOL_LABELS.items():
        if symbol in present:
            kind = next(k for k, s in SYMBOL_OF.items() if s == symbol and k is not PlaceKind.CITY)
            svg = marker_svg(marker_style(kind, ControlStatus.HELD, _SAMPLE))
            rows.append(f"<li>{svg} {escape(label)}</li>")
    return "<h4>Places</h4><ul>" + "".join(rows) + "</ul>" if rows else ""


def _summary_html(summary: Mapping[str, Any], actors: Mapping[str, Actor]) -> str:
    """Per actor: net places, and what was gained and lost by kind class."""
    rows = []
    for code in sorted(summary, key=lambda k: _actor_order(k, actors)):
        sides = summary[code]
        if not isinstance(sides, Mapping):
            raise RenderError(
                f"expected gained/lost/net counts for {code!r} in the diff summary; got {sides!r}"
            )
        gained, lost = _counts(sides.get("gained")), _counts(sides.get("lost"))
        net = sum(gained.values()) - sum(lost.values())
        rows.append(
            f"<li>{swatch(actor_colour(code, actors))}<span><b>{escape(actor_name(code, actors))}"
            f"</b> net {net:+d}<small>gained: {_count_text(gained)} · lost: {_count_text(lost)}"
            "</small></span></li>"
        )
    body = "".join(rows) or "<li>no place changed hands</li>"
    return f'<h4>Summary</h4><ul class="geomap-summary">{body}</ul>'


def _counts(value: Any) -> dict[str, int]:
    if not value:
        return {}
    try:
        return {str(k): int(n) for k, n in dict(value).items()}
    except (TypeError, ValueError):
        raise RenderError(
            f"expected counts by kind in the diff summary, like {{'towns': 2}}; got {value!r}"
        ) from None


def _count_text(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{escape(kind)} {n}" for kind, n in counts.items() if n) or "none"


def _area_list(areas: Sequence[_Changed], actors: Mapping[str, Actor]) -> str:
    rows = []
    for c in areas[:MAX_AREAS]:
        colour = actor_colour(c.after.controller if c.after else None, actors)
        rows.append(
            f"<li>{swatch(colour)}{escape(c.place.name)} ({escape(c.place.kind.value)}):"
            f" {escape(_change_phrase(c, actors))}</li>"
        )
    more = f"<li>+{len(areas) - MAX_AREAS} more</li>" if len(areas) > MAX_AREAS else ""
    return "<h4>Areas changed (not drawn)</h4><ul>" + "".join(rows) + more + "</ul>"
