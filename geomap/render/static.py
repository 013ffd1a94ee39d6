"""A static PNG of a dated map for reports (matplotlib, Agg backend, no display).

Same content as the HTML map, simplified for print: the same opening view (the densest
theatre, :mod:`geomap.render.view`) with a small locator inset of the region, country
and province outlines, estimated territory and front lines, a marker per site coloured
by its controller (shape by kind; contested places hatched, besieged ones ringed in the
besieger's colour, disputed ones faded with a dotted edge), the names of cities, towns,
dams, airbases and bases placed without overlap (:mod:`geomap.render.static_labels`),
the distance lines asked for with their labels, a legend, a title with the date and a
source line.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import RenderError
from geomap.model import Actor, ControlStatus, DistanceClaim, Place, PlaceState
from geomap.render.background import CLIP_MARGIN, Box, clipped_layer
from geomap.render.content import (
    DEFAULT_TITLE,
    EMPTY_NOTE,
    actor_colour,
    actor_name,
    distance_label,
    stats_line,
)
from geomap.render.output import write_atomic
from geomap.render.static_labels import LABEL_GID, draw_names, resolve_overlaps
from geomap.render.symbols import MARKER_KINDS, SYMBOL_LABELS, marker_style
from geomap.render.view import View, theatre_view

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from geomap.geometry import ControlArea, FrontLine

#: matplotlib marker per symbol (see geomap.render.symbols for the HTML ones).
_MARKERS = {
    "settlement": "o",
    "dam": "s",
    "airbase": "^",
    "military_base": "*",
    "oilfield": "h",
    "border_crossing": "D",
    "mountain": "^",
    "facility": "s",
}
_LAND = "#f4f1e8"
_SEA = "#dde8f0"
#: Resolutions a PNG may be drawn at (dots per inch); 300 is print quality.
MIN_DPI, MAX_DPI = 50, 600
#: Most sources named in the source line.
MAX_SOURCES = 4


def render_png(
    states: Mapping[str, PlaceState],
    day: dt.date,
    actors: Mapping[str, Actor],
    path: Path,
    *,
    title: str | None = None,
    dpi: int = 100,
    distances: Sequence[DistanceClaim] = (),
    areas: Sequence[ControlArea] = (),
    fronts: Sequence[FrontLine] = (),
) -> Path:
    """Draw who held what on ``day`` as a PNG image, written atomically.

    Parameters
    ----------
    states
        Place id -> state on ``day``.
    day
        The date shown in the title.
    actors
        Actor code -> Actor (colours and names).
    path
        The PNG file to write (parent folders are created).
    title
        Title text (default "Who held what"); the date is appended.
    dpi
        Dots per inch (the image is 11 by 8 inches before trimming): 100 for the
        screen, 300 for print.
    distances
        Place-to-place distances to draw with their label (e.g. ``--distance`` pairs).
    areas, fronts
        Estimated territory and front lines (``geomap.geometry``).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    RenderError
        ``dpi`` is out of range, or the file cannot be written.
    """
    check_dpi(dpi)
    fig = build_figure(
        states, day, actors, title=title, dpi=dpi, distances=distances, areas=areas, fronts=fronts
    )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor="white", metadata={"Software": None})
    return write_atomic(Path(path), buffer.getvalue())


def check_dpi(dpi: int) -> None:
    """Raise RenderError unless ``dpi`` is within :data:`MIN_DPI` to :data:`MAX_DPI`."""
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise RenderError(f"--dpi: expected {MIN_DPI} to {MAX_DPI}, got {dpi}; try 300 for print")


def build_figure(
    states: Mapping[str, PlaceState],
    day: dt.date,
    actors: Mapping[str, Actor],
    *,
    title: str | None = None,
    dpi: int = 100,
    distances: Sequence[DistanceClaim] = (),
    areas: Sequence[ControlArea] = (),
    fronts: Sequence[FrontLine] = (),
) -> Figure:
    """The matplotlib Figure :func:`render_png` saves (names placed, overlaps resolved).

    Every name and distance label is a Text artist with ``gid`` "geomap-label".
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    sites = [states[k] for k in sorted(states) if states[k].place.kind in MARKER_KINDS]
    lines = [c for c in distances if c.other is not None]
    view = theatre_view([*(s.place for s in sites), *_ends(lines)])
    fig = Figure(figsize=_size(view.box), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    _draw_background(ax, view.box)
    if areas or fronts:
        _draw_areas(ax, areas, fronts, actors)
    _draw_sites(ax, sites, actors)
    fixed = _draw_distances(ax, lines)
    _frame(ax, view.box, f"{title or DEFAULT_TITLE} — {day.isoformat()}")
    _source_line(fig, sites, day)
    if sites:
        _legend(ax, sites, actors)
    else:
        ax.text(
            0.5,
            0.5,
            EMPTY_NOTE,
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=13,
            bbox={"facecolor": "#fff8e1", "edgecolor": "#999"},
        )
    fig.canvas.draw()  # lays the figure out: names are placed in the final axes
    names = draw_names(ax, [s for s in sites if _inside(s.place, view.box)], day)
    resolve_overlaps(ax, names, fixed)
    _locator(fig, ax, view)
    return fig


def _size(box: Box) -> tuple[float, float]:
    """Figure size (inches): a map 8 inches wide and as tall as the view, plus the legend."""
    ratio = (box.north - box.south) / (
        (box.east - box.west) * math.cos(math.radians((box.north + box.south) / 2))
    )
    return 11.0, min(10.0, max(4.5, 8.0 * ratio + 1.0))


def _inside(place: Place, box: Box) -> bool:
    return box.south <= place.lat <= box.north and box.west <= place.lon <= box.east


def _ends(lines: Sequence[DistanceClaim]) -> list[Place]:
    return [p for c in lines for p in (c.place, c.other) if p is not None]


def _draw_background(ax: Axes, view: Box, *, provinces: bool = True) -> None:
    import geopandas

    clip = view.padded(CLIP_MARGIN)
    countries = clipped_layer("countries", clip)
    if countries["features"]:
        frame = geopandas.GeoDataFrame.from_features(countries["features"], crs="EPSG:4326")
        frame.plot(ax=ax, color=_LAND, edgecolor="#7a7a7a", linewidth=0.8, zorder=1)
    if not provinces:
        return
    inner = clipped_layer("provinces", clip)
    if inner["features"]:
        frame = geopandas.GeoDataFrame.from_features(inner["features"], crs="EPSG:4326")
        frame.boundary.plot(ax=ax, color="#b0b0b0", linewidth=0.4, linestyle="--", zorder=2)


def _draw_sites(ax: Axes, sites: Sequence[PlaceState], actors: Mapping[str, Actor]) -> None:
    """One scatter per (symbol, size, status): matplotlib styles whole collections."""
    batches: dict[tuple[str, int, ControlStatus], list[PlaceState]] = defaultdict(list)
    for state in sites:
        style = marker_style(state.place.kind, state.status, "#000000")
        batches[(style.symbol, style.size, state.status)].append(state)
    for (symbol, size, status), batch in sorted(batches.items(), key=lambda kv: -kv[0][1]):
        lons = [s.place.lon for s in batch]
        lats = [s.place.lat for s in batch]
        colours = [actor_colour(s.controller, actors) for s in batch]
        area = (size * 0.8) ** 2  # points^2; ~0.8 pt per CSS pixel of the HTML symbol
        rings = [s for s in batch if s.besieger]
        if status is ControlStatus.BESIEGED and rings:
            ax.scatter(
                [s.place.lon for s in rings],
                [s.place.lat for s in rings],
                s=area * 2.2,
                marker="o",
                facecolors="none",
                linewidths=2.2,
                edgecolors=[actor_colour(s.besieger, actors) for s in rings],
                zorder=4,
            )
        ax.scatter(lons, lats, s=area, marker=_MARKERS[symbol], zorder=5, **_paint(status, colours))


def _paint(status: ControlStatus, colours: list[str]) -> dict[str, Any]:
    if status is ControlStatus.CONTESTED:
        return {"facecolors": "white", "edgecolors": colours, "hatch": "/////", "linewidths": 1.2}
    if status is ControlStatus.DISPUTED:
        return {
            "c": colours,
            "alpha": 0.5,
            "edgecolors": colours,
            "linestyles": ":",
            "linewidths": 1.5,
        }
    if status is ControlStatus.UNKNOWN:
        return {"c": colours, "alpha": 0.6, "edgecolors": "white", "linewidths": 0.6}
    return {"c": colours, "edgecolors": "white", "linewidths": 0.6}


def _frame(ax: Axes, view: Box, heading: str) -> None:
    ax.set_xlim(view.west, view.east)
    ax.set_ylim(view.south, view.north)
    # Plate carrée squashed by cos(latitude): shapes look right at the map's centre.
    ax.set_aspect(1 / math.cos(math.radians((view.south + view.north) / 2)))
    ax.set_facecolor(_SEA)
    ax.set_title(heading, fontsize=14, fontweight="bold", loc="left")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])


def _source_line(fig: Figure, sites: Sequence[PlaceState], day: dt.date) -> None:
    """Under the map: how many places, events and articles, the sources, the caveats."""
    events = {e.id: e for s in sites for e in s.evidence}
    sources = sorted({e.source for e in events.values() if e.source}, key=str.casefold)
    named = ", ".join(sources[:MAX_SOURCES]) + (", …" if len(sources) > MAX_SOURCES else "")
    parts = [stats_line(day, sites)]
    if named:
        parts.append(f"sources: {named}")
    parts += ["shaded areas estimated from the places held", "borders: Natural Earth"]
    fig.supxlabel("Source: " + " · ".join(parts), fontsize=7.5, color="#555555")


def _draw_areas(
    ax: Axes,
    areas: Sequence[ControlArea],
    fronts: Sequence[FrontLine],
    actors: Mapping[str, Actor],
) -> None:
    import geopandas

    for area in sorted(areas, key=lambda a: a.actor):
        colour = actor_colour(area.actor, actors)
        frame = geopandas.GeoSeries([area.geometry], crs="EPSG:4326")
        frame.plot(ax=ax, color=colour, alpha=0.3, linewidth=0, zorder=2.5)
        frame.boundary.plot(ax=ax, color=colour, linewidth=0.9, alpha=0.85, zorder=2.6)
    if fronts:
        lines = geopandas.GeoSeries([f.geometry for f in fronts], crs="EPSG:4326")
        lines.plot(ax=ax, color="#1a1a1a", linewidth=1.6, linestyle=(0, (5, 2)), zorder=2.8)


def _draw_distances(ax: Axes, lines: Sequence[DistanceClaim]) -> list[Text]:
    """A dashed line per place-to-place distance, its label at the middle (kept fixed)."""
    texts = []
    for claim in sorted(lines, key=lambda c: (c.place.id, c.other.id if c.other else "")):
        assert claim.other is not None  # only lines between two places are passed
        a, b = claim.place, claim.other
        ax.plot([a.lon, b.lon], [a.lat, b.lat], color="#0d47a1", linewidth=1.6,
                linestyle=(0, (4, 2)), zorder=6)  # fmt: skip
        label = distance_label(claim, claim.measured_km)
        text = ax.text(
            (a.lon + b.lon) / 2,
            (a.lat + b.lat) / 2,
            _unescape(label),
            fontsize=7.5,
            color="#0d47a1",
            ha="center",
            va="center",
            zorder=8,
            gid=LABEL_GID,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "#0d47a1",
                  "linewidth": 0.6, "alpha": 0.9},
        )  # fmt: skip
        text.set_in_layout(False)
        texts.append(text)
    return texts


def _unescape(text: str) -> str:
    from html import unescape

    return unescape(text)


def _locator(fig: Figure, ax: Axes, view: View) -> None:
    """A small map of the region in a corner: where the view lies, and places outside it."""
    from matplotlib.patches import Rectangle

    box = view.box
    region = view.extent.padded(max(4.0, 0.5 * (box.north - box.south)))
    inset = ax.inset_axes((0.005, 0.005, 0.2, 0.2))
    inset.set_in_layout(False)
    _draw_background(inset, region, provinces=False)
    inset.set_xlim(region.west, region.east)
    inset.set_ylim(region.south, region.north)
    inset.set_aspect(1 / math.cos(math.radians((region.south + region.north) / 2)))
    inset.set_facecolor(_SEA)
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    for spine in inset.spines.values():
        spine.set_edgecolor("#666666")
    inset.add_patch(
        Rectangle((box.west, box.south), box.east - box.west, box.north - box.south,
                  fill=False, edgecolor="#c62828", linewidth=1.2, zorder=5)
    )  # fmt: skip
    if view.outside:
        inset.scatter([p.lon for p in view.outside], [p.lat for p in view.outside], s=8,
                      color="#c62828", zorder=6)  # fmt: skip


def _legend(ax: Axes, sites: Sequence[PlaceState], actors: Mapping[str, Actor]) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    codes = sorted(
        {s.controller if s.controller in actors else None for s in sites},
        key=lambda k: (k is None, actor_name(k, actors).casefold()),
    )
    handles: list[Any] = [
        Patch(facecolor=actor_colour(k, actors), edgecolor="#666", label=actor_name(k, actors))
        for k in codes
    ]
    symbols = {marker_style(s.place.kind, s.status, "#000000").symbol for s in sites}
    handles += [
        Line2D([], [], marker=_MARKERS[sym], linestyle="none", color="#555", label=label)
        for sym, label in SYMBOL_LABELS.items()
        if sym in symbols
    ]
    handles += _status_handles({s.status for s in sites})
    # "outside": constrained layout makes room for the legend beside the map.
    fig = ax.get_figure()
    if fig is not None:
        fig.legend(handles=handles, loc="outside right center", fontsize=8, frameon=False)


def _status_handles(statuses: set[ControlStatus]) -> list[Any]:
    """Legend keys of the statuses shown, drawn as the markers are."""
    from matplotlib.lines import Line2D

    keys: dict[ControlStatus, dict[str, Any]] = {
        ControlStatus.CONTESTED: {"markerfacecolor": "white", "markeredgecolor": "#555"},
        ControlStatus.BESIEGED: {"markerfacecolor": "#555", "markeredgecolor": "#f2c500",
                                 "markeredgewidth": 2.5},
        ControlStatus.DISPUTED: {"markerfacecolor": "#555", "alpha": 0.5},
    }  # fmt: skip
    labels = ("contested (hatched)", "besieged (ring: the besieger's colour)", "disputed (faded)")
    return [
        Line2D([], [], marker="o", linestyle="none", markersize=8, label=label, **style)
        for (s, style), label in zip(keys.items(), labels, strict=True)
        if s in statuses
    ]
