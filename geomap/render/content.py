"""The text of a map: popups, tooltips, the title, legend and note boxes, distance labels.

Everything here returns HTML strings in which every piece of data (names, evidence
sentences, sources, spellings, titles, notes) went through :func:`html.escape`. Article
text is untrusted: a sentence holding ``<script>`` must show as text, never run. Colours
go through :func:`~geomap.render.symbols.safe_colour`. Pure functions, no folium.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from html import escape

from geomap.model import (
    Actor,
    ControlStatus,
    DistanceClaim,
    Event,
    Place,
    PlaceKind,
    PlaceState,
)
from geomap.render.symbols import (
    STATUS_LABELS,
    SYMBOL_LABELS,
    SYMBOL_OF,
    UNKNOWN_COLOUR,
    MarkerStyle,
    marker_style,
    marker_svg,
    safe_colour,
)

#: Longest evidence sentence shown in a popup (characters); longer ones are cut with "…".
MAX_EVIDENCE = 600
#: Most spellings listed in a popup.
MAX_SPELLINGS = 12
#: Most areas (provinces, regions...) listed in the legend box.
MAX_AREAS = 30
DEFAULT_TITLE = "Who held what"
EMPTY_NOTE = "No known control on this date"


def actor_name(code: str | None, actors: Mapping[str, Actor]) -> str:
    """The display name of an actor code (the code itself if unknown; "Unknown" for None).

    Examples
    --------
    >>> actor_name(None, {})
    'Unknown'
    >>> actor_name("XYZ", {})
    'XYZ'
    """
    if code is None:
        return "Unknown"
    actor = actors.get(code)
    return actor.name if actor else code


def actor_colour(code: str | None, actors: Mapping[str, Actor]) -> str:
    """The colour of an actor code; grey when the code is None or not in ``actors``."""
    actor = actors.get(code) if code else None
    return safe_colour(actor.colour) if actor else UNKNOWN_COLOUR


def swatch(colour: str) -> str:
    """A small colour square (``colour`` is checked, never trusted)."""
    return f'<i class="geomap-swatch" style="background:{safe_colour(colour)}"></i>'


def tooltip_html(state: PlaceState, actors: Mapping[str, Actor]) -> str:
    """Tooltip of a marker: the place's name and its controller, escaped.

    Examples
    --------
    >>> from geomap.model import ControlStatus, Place, PlaceKind
    >>> p = Place("x", "<b>X</b>", PlaceKind.TOWN, 36.0, 38.0, "SY")
    >>> tooltip_html(PlaceState(p, None, ControlStatus.UNKNOWN, None), {})
    '&lt;b&gt;X&lt;/b&gt; — Unknown'
    """
    return f"{escape(state.place.name)} — {escape(actor_name(state.controller, actors))}"


def popup_html(
    state: PlaceState, actors: Mapping[str, Actor], spellings: Sequence[str] = ()
) -> str:
    """Popup of a marker: name, kind, controller since when, status, latest evidence, spellings."""
    place = state.place
    # Terse markup (styled by .geomap-popup descendants): 5,000 popups share one file.
    parts = [
        '<div class="geomap-popup">',
        f"<h3>{escape(place.name)}</h3>",
        f"<small>{escape(place.kind.value.replace('_', ' '))}"
        f"{' · ' + escape(place.country) if place.country else ''}</small>",
        f"<p>{_control_line(state, actors)}<br>Status: {_status_line(state, actors)}</p>",
    ]
    if place.tolerance_km is not None:
        parts.append(f"<p>{approximate_line(place)}</p>")
    latest = latest_event(state.evidence)
    if latest is not None:
        parts.append(_evidence_block(latest))
    if spellings:
        parts.append(_spellings_line(spellings))
    parts.append("</div>")
    return "".join(parts)


def approximate_line(place: Place) -> str:
    """What an approximate place's point means, escaped.

    Examples
    --------
    >>> from geomap.model import PlaceKind
    >>> p = Place("found:x", "X", PlaceKind.VILLAGE, 36.6, 37.9, "SY",
    ...           source="text: 10 km north of <Manbij> (±2.5 km)", tolerance_km=2.5)
    >>> approximate_line(p)
    '<em>approximate: 10 km north of &lt;Manbij&gt; (±2.5 km)</em>, not in the gazetteer'
    """
    how = place.source.removeprefix("text: ") or f"within {place.tolerance_km:g} km"
    return f"<em>approximate: {escape(how)}</em>, not in the gazetteer"


def found_popup_html(place: Place) -> str:
    """Popup of a place found in text (no control known from it): name, kind, placement."""
    return (
        '<div class="geomap-popup">'
        f"<h3>{escape(place.name)}</h3>"
        f"<small>{escape(place.kind.value.replace('_', ' '))}"
        f"{' · ' + escape(place.country) if place.country else ''}</small>"
        f"<p>{approximate_line(place)}</p></div>"
    )


def found_tooltip_html(place: Place) -> str:
    """Tooltip of a place found in text: its name, marked approximate, escaped."""
    return f"{escape(place.name)} (approximate)"


def latest_event(events: Iterable[Event]) -> Event | None:
    """The most recent event (the last one given among those of the latest date)."""
    ordered = sorted(events, key=lambda e: e.date)
    return ordered[-1] if ordered else None


def _control_line(state: PlaceState, actors: Mapping[str, Actor]) -> str:
    if state.controller is None:
        return "Controller unknown"
    since = f" since {state.since.isoformat()}" if state.since else ""
    name = escape(actor_name(state.controller, actors))
    return f"{swatch(actor_colour(state.controller, actors))}Held by <b>{name}</b>{since}"


def _status_line(state: PlaceState, actors: Mapping[str, Actor]) -> str:
    text = escape(state.status.value)
    if state.besieger:
        text += f", besieged by {escape(actor_name(state.besieger, actors))}"
    return text


def _evidence_block(event: Event) -> str:
    sentence = event.evidence.strip()
    if len(sentence) > MAX_EVIDENCE:
        sentence = sentence[: MAX_EVIDENCE - 1].rstrip() + "…"
    cite = [escape(event.source or "source unknown"), escape(event.date.isoformat())]
    if event.attribution:
        cite.insert(0, "according to " + escape(event.attribution))
    return f"<blockquote>{escape(sentence)}</blockquote><small>{', '.join(cite)}</small>"


def _spellings_line(spellings: Sequence[str]) -> str:
    unique = list(dict.fromkeys(s for s in spellings if s))
    shown = ", ".join(escape(s) for s in unique[:MAX_SPELLINGS])
    more = f" (+{len(unique) - MAX_SPELLINGS} more)" if len(unique) > MAX_SPELLINGS else ""
    return f"<small>Spellings seen: {shown}{more}</small>"


def title_html(title: str | None, day: dt.date) -> str:
    """The title box: the (escaped) title and the date.

    Examples
    --------
    >>> title_html("<i>Raqqa</i>", dt.date(2017, 3, 3))  # doctest: +ELLIPSIS
    '<div class="geomap-title"...&lt;i&gt;Raqqa&lt;/i&gt;...2017-03-03</time></div>'
    """
    return (
        '<div class="geomap-title" role="heading" aria-level="1">'
        f'<span class="geomap-title-text">{escape(title or DEFAULT_TITLE)}</span> '
        f'<time datetime="{day.isoformat()}">{day.isoformat()}</time></div>'
    )


def note_html(note: str) -> str:
    """A note box (e.g. why the map is empty), escaped."""
    return f'<div class="geomap-note" role="note">{escape(note)}</div>'


def legend_html(
    actors_shown: Sequence[tuple[str, str]],
    symbols: Iterable[str],
    statuses: Iterable[ControlStatus],
    areas: Sequence[PlaceState],
    actors: Mapping[str, Actor],
    has_distances: bool,
    stats: str = "",
    found: int = 0,
) -> str:
    """The legend box: actors present (``(name, colour)``), symbols, status keys, areas,
    and a key for the ``found`` places placed approximately from the text.

    A ``<details>`` element: the summary (always shown) says "Legend" and ``stats``
    ("as of DATE · N places · M events from K articles"); a click folds the rest away.
    """
    summary = "Legend"
    if stats:
        summary += f' <span class="geomap-stats">{escape(stats)}</span>'
    parts = [
        f'<details class="geomap-legend" open><summary>{summary}</summary>'
        '<h4>Control</h4><ul class="geomap-actors">'
    ]
    if not actors_shown:
        parts.append("<li>none on this date</li>")
    parts += [f"<li>{swatch(colour)}{escape(name)}</li>" for name, colour in actors_shown]
    parts.append("</ul>")
    parts.append(_symbol_keys(symbols))
    parts.append(_status_keys(statuses))
    if has_distances:
        parts.append(
            '<h4>Distances</h4><ul><li><span class="geomap-key-line"></span>'
            "claimed distance (point at it: claimed / measured)</li></ul>"
        )
    if found:
        parts.append(
            '<h4>Approximate places</h4><ul><li><span class="geomap-key-found"></span>'
            f"{found} not in the gazetteer, placed from the text (dashed: how far off)</li></ul>"
        )
    if areas:
        parts.append(_area_list(areas, actors))
    parts.append('<p class="geomap-credit">Borders: Natural Earth</p></details>')
    return "".join(parts)


#: Folds the legend on narrow screens (phones, a narrow iframe) so the map stays visible;
#: runs as the page loads, before the map is fitted around the legend.
LEGEND_FOLD = (
    "<script>(function () { var l = document.querySelector('.geomap-legend');"
    " if (l && window.innerWidth < 720) { l.removeAttribute('open'); } })();</script>"
)


def _symbol_keys(symbols: Iterable[str]) -> str:
    present = set(symbols)
    rows = []
    for symbol, label in SYMBOL_LABELS.items():
        if symbol in present:
            style = _key_style(symbol, ControlStatus.HELD)
            rows.append(f"<li>{marker_svg(style)} {escape(label)}</li>")
    return "<h4>Places</h4><ul>" + "".join(rows) + "</ul>" if rows else ""


def _status_keys(statuses: Iterable[ControlStatus]) -> str:
    present = set(statuses)
    rows = []
    for status, label in STATUS_LABELS.items():
        if status in present:
            style = _key_style("settlement", status)
            rows.append(f"<li>{marker_svg(style)} {escape(label)}</li>")
    return "<h4>Status</h4><ul>" + "".join(rows) + "</ul>" if rows else ""


def _key_style(symbol: str, status: ControlStatus) -> MarkerStyle:
    # Legend samples are town-sized (the first non-city kind drawing that symbol).
    kind = next(k for k, s in SYMBOL_OF.items() if s == symbol and k is not PlaceKind.CITY)
    ring = "#777777" if status is ControlStatus.BESIEGED else None
    return marker_style(kind, status, "#555555", ring)


def _area_list(areas: Sequence[PlaceState], actors: Mapping[str, Actor]) -> str:
    rows = []
    for state in areas[:MAX_AREAS]:
        kind = escape(state.place.kind.value)
        who = escape(actor_name(state.controller, actors))
        colour = actor_colour(state.controller, actors)
        rows.append(
            f"<li>{swatch(colour)}{escape(state.place.name)} ({kind}): {who},"
            f" {escape(state.status.value)}</li>"
        )
    more = f"<li>+{len(areas) - MAX_AREAS} more</li>" if len(areas) > MAX_AREAS else ""
    return "<h4>Areas (not drawn)</h4><ul>" + "".join(rows) + more + "</ul>"


def distance_label(claim: DistanceClaim, measured_km: float | None) -> str:
    """The label of a distance claim: "40 km claimed · 41.5 km measured", escaped.

    Examples
    --------
    >>> from geomap.model import DistanceRelation, Place, PlaceKind
    >>> p = Place("a", "A", PlaceKind.TOWN, 36.0, 38.0, "SY")
    >>> c = DistanceClaim(DistanceRelation.PLACE_TO_PLACE, p, 40.0, "40km", "about",
    ...                   dt.date(2017, 3, 1), "...", "art")
    >>> distance_label(c, 41.53)
    'about 40 km claimed · 41.5 km measured'
    """
    if claim.as_written == "measured" and measured_km is not None:  # a --distance line
        return escape(f"{claim.place.name} – {claim.other.name if claim.other else ''}: "
                      f"{_km(measured_km)} km measured")  # fmt: skip
    label = f"{claim.qualifier} {_km(claim.claimed_km)} km claimed".strip()
    if measured_km is not None:
        label += f" · {_km(measured_km)} km measured"
    return escape(label)


def distance_popup(claim: DistanceClaim) -> str:
    """Popup of a distance line or circle: what was written, the sentence, source and date."""
    other = f" ↔ {escape(claim.other.name)}" if claim.other else ""
    sentence = claim.evidence.strip()[:MAX_EVIDENCE]
    return (
        f'<div class="geomap-popup"><h3>{escape(claim.place.name)}{other}</h3>'
        f"<p>As written: “{escape(claim.as_written)}”</p>"
        f"<blockquote>{escape(sentence)}</blockquote>"
        f"<small>{escape(claim.source or 'source unknown')}, {escape(claim.date.isoformat())}</small>"
        "</div>"
    )


def _km(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def stats_line(day: dt.date, sites: Sequence[PlaceState]) -> str:
    """ "as of DATE · N places · M events from K articles" (the events the states rest on).

    Examples
    --------
    >>> stats_line(dt.date(2017, 3, 3), [])
    'as of 2017-03-03 · 0 places · 0 events from 0 articles'
    """
    events = {e.id: e for s in sites for e in s.evidence}
    articles = {e.article_id for e in events.values()}
    n, m, k = len(sites), len(events), len(articles)
    return (
        f"as of {day.isoformat()} · {n} place{'' if n == 1 else 's'} · "
        f"{m} event{'' if m == 1 else 's'} from {k} article{'' if k == 1 else 's'}"
    )
