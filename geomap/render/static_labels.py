"""Place names on the PNG, placed with adjustText and checked so that no two overlap.

The names are those of the HTML map's first tiers (cities, towns, dams, airbases and
bases; villages too on a map of few places), in the same order of importance
(:func:`geomap.render.labels.label_order`). adjustText nudges them off each other and
off the markers; then every name's box is measured with the renderer, in order of
importance, and a name that still overlaps one kept before it tries eight spots around
its marker and is left out if none is clear. Distance labels are kept first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from geomap.model import PlaceState
from geomap.render.labels import label_order, label_tier

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Text

#: Most names drawn on one image.
MAX_NAMES = 200
#: Up to this many places, villages are named too.
NAME_VILLAGES_UP_TO = 60
#: adjustText nudges names only up to this many (beyond, it takes minutes).
ADJUST_UP_TO = 60
#: Font size (points) per label tier.
FONT_SIZES = (9.5, 8.5, 7.5, 7.0, 6.5)
#: ``gid`` of every name (and distance label) artist, for tests and for SVG readers.
LABEL_GID = "geomap-label"
_HALO = 2.2  # points of white outline round each letter, so names read over areas


def draw_names(ax: Axes, sites: Sequence[PlaceState], day: dt.date) -> list[Text]:
    """Put names next to markers, in importance order; returns the texts kept."""
    chosen = _named(sites, day)
    texts = [_text(ax, state) for state in chosen]
    if not texts or len(texts) > ADJUST_UP_TO:
        return texts  # many names: the eight-spot pass alone (adjustText is slow there)
    from adjustText import adjust_text

    adjust_text(
        texts,
        x=[s.place.lon for s in sites],
        y=[s.place.lat for s in sites],
        ax=ax,
        expand=(1.15, 1.35),
        ensure_inside_axes=True,
        iter_lim=300,
    )
    return texts


def resolve_overlaps(ax: Axes, texts: Sequence[Text], fixed: Sequence[Text] = ()) -> None:
    """Hide or move names (given most important first) until no two boxes overlap.

    ``fixed`` texts (distance labels) are kept as they are and placed first.
    """
    figure = ax.get_figure()
    assert figure is not None
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    kept: list[Any] = [t.get_window_extent(renderer) for t in fixed if t.get_visible()]
    frame = ax.get_window_extent(renderer)
    for text in texts:
        box = text.get_window_extent(renderer)
        if _clear(box, kept, frame):
            kept.append(box)
            continue
        for spot in _spots(text):
            text.set_position(spot)
            box = text.get_window_extent(renderer)
            if _clear(box, kept, frame):
                kept.append(box)
                break
        else:
            text.set_visible(False)


def _named(sites: Sequence[PlaceState], day: dt.date) -> list[PlaceState]:
    by_id = {s.place.id: s for s in sites}
    most = 4 if len(sites) <= NAME_VILLAGES_UP_TO else 2
    order = [by_id[i] for i in label_order(sites, day)]
    return [s for s in order if label_tier(s) <= most][:MAX_NAMES]


def _text(ax: Axes, state: PlaceState) -> Text:
    from matplotlib import patheffects

    tier = label_tier(state)
    text = ax.text(
        state.place.lon,
        state.place.lat,
        state.place.name,
        fontsize=FONT_SIZES[tier],
        fontweight="bold" if tier <= 1 else "normal",
        fontstyle="italic" if tier in (2, 3) else "normal",
        color="#1a1a1a" if tier <= 1 else "#333333",
        ha="left",
        va="bottom",
        zorder=7,
        clip_on=True,
        gid=LABEL_GID,
        path_effects=[patheffects.withStroke(linewidth=_HALO, foreground="white")],
    )
    text.set_in_layout(False)
    # Start just off the marker's upper right; adjustText moves it from there.
    text.geomap_anchor = (state.place.lon, state.place.lat)  # type: ignore[attr-defined]
    _offset(text, 0.05, 0.03)
    return text


def _offset(text: Text, dx: float, dy: float) -> None:
    lon, lat = text.geomap_anchor  # type: ignore[attr-defined]
    text.set_position((lon + dx, lat + dy))


def _spots(text: Text) -> list[tuple[float, float]]:
    """Positions (lon, lat of the text's lower left) around the marker, nearest first."""
    lon, lat = text.geomap_anchor  # type: ignore[attr-defined]
    ax = text.axes
    assert ax is not None
    # Text size in data units, from its current extent.
    figure = ax.get_figure()
    assert figure is not None
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    box = text.get_window_extent(renderer).transformed(ax.transData.inverted())
    w, h = box.width, box.height
    d = 0.6 * h
    spots = [
        (lon + d, lat - h / 2),
        (lon - d - w, lat - h / 2),
        (lon - w / 2, lat + d),
        (lon - w / 2, lat - d - h),
        (lon + d, lat + d),
        (lon + d, lat - d - h),
        (lon - d - w, lat + d),
        (lon - d - w, lat - d - h),
    ]
    return spots + [(x + (x - lon), y + (y - lat)) for x, y in spots]


def _clear(box: Any, kept: Sequence[Any], frame: Any) -> bool:
    inside = box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0 and box.y1 <= frame.y1
    return inside and not any(box.overlaps(other) for other in kept)
