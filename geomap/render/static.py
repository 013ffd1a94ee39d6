"""A static PNG of a dated map (matplotlib, Agg backend, no pyplot, no display).

Same content as the HTML map, simplified for print: country and province outlines,
a marker per site coloured by its controller (shape by kind; contested places hatched,
besieged ones ringed in the besieger's colour, disputed ones faded with a dotted edge),
names of cities, a legend and the date in the title.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.model import Actor, ControlStatus, PlaceKind, PlaceState
from geomap.render.background import CLIP_MARGIN, Box, clipped_layer, view_box
from geomap.render.content import DEFAULT_TITLE, EMPTY_NOTE, actor_colour, actor_name
from geomap.render.output import write_atomic
from geomap.render.symbols import MARKER_KINDS, SYMBOL_LABELS, marker_style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: matplotlib marker per symbol (see geomap.render.symbols for the HTML ones).
_MARKERS = {
    "settlement": "o",
    "dam": "s",
    "airbase": "^",
    "military_base": "*",
    "oilfield": "h",
    "border_crossing": "D",
}
_LAND = "#f4f1e8"
_SEA = "#dde8f0"


def render_png(
    states: Mapping[str, PlaceState],
    day: dt.date,
    actors: Mapping[str, Actor],
    path: Path,
    *,
    title: str | None = None,
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

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    RenderError
        The file cannot be written.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    sites = [states[k] for k in sorted(states) if states[k].place.kind in MARKER_KINDS]
    view = view_box([s.place for s in sites])
    fig = Figure(figsize=(11, 8), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    _draw_background(ax, view)
    _draw_sites(ax, sites, actors)
    _frame(ax, view, f"{title or DEFAULT_TITLE} — {day.isoformat()}")
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
    buffer = io.BytesIO()
    fig.savefig(
        buffer,
        format="png",
        facecolor="white",
        metadata={"Software": None},
        bbox_inches="tight",
        pad_inches=0.15,
    )
    return write_atomic(Path(path), buffer.getvalue())


def _draw_background(ax: Axes, view: Box) -> None:
    import geopandas

    clip = view.padded(CLIP_MARGIN)
    countries = clipped_layer("countries", clip)
    provinces = clipped_layer("provinces", clip)
    if countries["features"]:
        frame = geopandas.GeoDataFrame.from_features(countries["features"], crs="EPSG:4326")
        frame.plot(ax=ax, color=_LAND, edgecolor="#7a7a7a", linewidth=0.8, zorder=1)
    if provinces["features"]:
        frame = geopandas.GeoDataFrame.from_features(provinces["features"], crs="EPSG:4326")
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
    for state in sites:
        if state.place.kind is PlaceKind.CITY:
            ax.annotate(
                state.place.name,
                (state.place.lon, state.place.lat),
                xytext=(6, 4),
                textcoords="offset points",
                fontsize=8,
                zorder=6,
            )


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
    ax.set_title(heading, fontsize=14, fontweight="bold")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.text(
        0.99,
        0.005,
        "Borders: Natural Earth",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=6,
        color="#666",
    )


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
