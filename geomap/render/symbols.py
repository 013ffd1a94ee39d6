"""Marker symbols: inline SVG per place kind, size and control status.

Pure string building, no folium. Every colour that reaches SVG markup passes
:func:`safe_colour`, so a malformed colour in ``actors.csv`` cannot break out of an
attribute. Symbols are drawn in a 24-unit box centred on (12, 12); the SVG's view box
adds 4 units on each side for the besieger's ring and the "?" badge of a disputed place.

Status encoding (the legend explains it too):

* held: solid fill in the controller's colour, white outline;
* contested: diagonal hatching of the controller's colour and white, dashed outline;
* besieged: solid fill, plus a thick ring in the *besieger's* colour;
* disputed: faded fill, dotted outline and a "?" badge;
* unknown: faded grey.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass

from geomap.model import SITE_KINDS, ControlStatus, PlaceKind

#: Colour of a place whose controller is unknown (or not in the actor table).
UNKNOWN_COLOUR = "#9e9e9e"
#: Place kinds drawn as markers; the others (province, region, river, country) are areas
#: and are listed in the legend box instead.
MARKER_KINDS = SITE_KINDS

_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
_PAD = 4  # view-box units around the 24-unit symbol box
_BOX = 24 + 2 * _PAD

#: Symbol size in pixels (the 24-unit box) per kind: city > town > village/neighbourhood.
_SIZES = {
    PlaceKind.CITY: 22,
    PlaceKind.TOWN: 17,
    PlaceKind.VILLAGE: 12,
    PlaceKind.NEIGHBOURHOOD: 11,
}
_SITE_SIZE = 18

#: Which symbol each kind gets; settlements share the circle.
SYMBOL_OF = {
    PlaceKind.CITY: "settlement",
    PlaceKind.TOWN: "settlement",
    PlaceKind.VILLAGE: "settlement",
    PlaceKind.NEIGHBOURHOOD: "settlement",
    PlaceKind.DAM: "dam",
    PlaceKind.AIRBASE: "airbase",
    PlaceKind.MILITARY_BASE: "military_base",
    PlaceKind.OILFIELD: "oilfield",
    PlaceKind.BORDER_CROSSING: "border_crossing",
    PlaceKind.MOUNTAIN: "mountain",
    PlaceKind.FACILITY: "facility",
}

# Shape markup; {paint} takes the fill/stroke attributes, {mark} the colour of inner marks.
_SHAPES = {
    "settlement": '<circle cx="12" cy="12" r="9"{paint}/>',
    "dam": (
        '<rect x="3" y="5" width="18" height="14" rx="2"{paint}/>'
        '<path d="M6 10.5q1.5-2 3 0t3 0 3 0 3 0M6 15q1.5-2 3 0t3 0 3 0 3 0"'
        ' fill="none" stroke="{mark}" stroke-width="1.4"/>'
    ),
    "airbase": (
        '<path d="M12 1.5l1.6 7 8.4 4.3v2.2l-8.2-2.1-.5 5.6 2.7 2v1.5L12 21l-4 1v-1.5l2.7-2'
        '-.5-5.6L2 15v-2.2l8.4-4.3z"{paint}/>'
    ),
    "military_base": (
        '<path d="M12 1.5l3.1 6.9 7.4.7-5.6 5 1.7 7.4L12 17.7l-6.6 3.8 1.7-7.4-5.6-5'
        ' 7.4-.7z"{paint}/>'
    ),
    "oilfield": '<path d="M12 1.5C12 1.5 4.5 10.5 4.5 15a7.5 7.5 0 0 0 15 0C19.5 10.5 12 1.5 12 1.5z"{paint}/>',
    "mountain": '<path d="M12 2.5L22.5 21h-21z"{paint}/>',
    "facility": '<rect x="3.5" y="3.5" width="17" height="17"{paint}/>',
    "border_crossing": (
        '<path d="M12 1.5L22.5 12 12 22.5 1.5 12z"{paint}/>'
        '<path d="M7 12h10" stroke="{mark}" stroke-width="2.2"/>'
    ),
}

#: Human labels of the symbols, in legend order.
SYMBOL_LABELS = {
    "settlement": "city / town / village",
    "dam": "dam",
    "airbase": "airbase",
    "military_base": "military base",
    "oilfield": "oil or gas field",
    "border_crossing": "border crossing",
    "mountain": "hill or mountain",
    "facility": "plant, factory or other facility",
}

STATUS_LABELS = {
    ControlStatus.HELD: "held",
    ControlStatus.CONTESTED: "contested (hatched, dashed outline)",
    ControlStatus.BESIEGED: "besieged (ring in the besieger's colour)",
    ControlStatus.DISPUTED: "disputed (faded, dotted outline, ?)",
    ControlStatus.UNKNOWN: "unknown",
}


@dataclass(frozen=True, order=True)
class MarkerStyle:
    """What one marker looks like; equal styles share one SVG in the page."""

    symbol: str
    size: int
    colour: str
    status: ControlStatus
    ring: str | None = None

    @property
    def width(self) -> int:
        """Width and height of the whole SVG (symbol plus ring margin) in pixels."""
        return round(self.size * _BOX / 24)


def safe_colour(value: str | None) -> str:
    """A ``#rrggbb`` colour from ``value``, or :data:`UNKNOWN_COLOUR` when it is not one.

    Examples
    --------
    >>> safe_colour("#D62728")
    '#d62728'
    >>> safe_colour("#abc")
    '#aabbcc'
    >>> safe_colour('red" onload="x')
    '#9e9e9e'
    """
    if not value or not _HEX.fullmatch(value):
        return UNKNOWN_COLOUR
    digits = value[1:].lower()
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits


def marker_style(
    kind: PlaceKind, status: ControlStatus, colour: str, ring: str | None = None
) -> MarkerStyle:
    """The style of a marker for a place of ``kind`` in ``status``.

    ``colour`` is the controller's colour and ``ring`` the besieger's (only drawn for
    a besieged place).

    Examples
    --------
    >>> marker_style(PlaceKind.CITY, ControlStatus.HELD, "#1a1a1a").size
    22
    >>> marker_style(PlaceKind.DAM, ControlStatus.BESIEGED, "#1a1a1a", "#F2C500").ring
    '#f2c500'
    """
    besieged = status is ControlStatus.BESIEGED
    return MarkerStyle(
        symbol=SYMBOL_OF.get(kind, "settlement"),
        size=_SIZES.get(kind, _SITE_SIZE),
        colour=safe_colour(colour),
        status=status,
        ring=safe_colour(ring) if besieged and ring else None,
    )


def marker_svg(style: MarkerStyle, *, at: tuple[int, int] | None = None) -> str:
    """SVG markup of a marker, to sit inline in HTML (or, placed ``at`` (x, y), in a sprite).

    Examples
    --------
    >>> svg = marker_svg(marker_style(PlaceKind.TOWN, ControlStatus.CONTESTED, "#d62728"))
    >>> svg.startswith("<svg") and "geomap-hatch-d62728" in svg
    True
    """
    colour = style.colour
    defs = ""
    if style.status is ControlStatus.CONTESTED:
        defs = _hatch(colour)
    paint, mark = _paint(style.status, colour)
    body = _SHAPES[style.symbol].format(paint=paint, mark=mark)
    ring = ""
    if style.ring:
        ring = (
            f'<circle cx="12" cy="12" r="14" fill="none" stroke="{style.ring}" stroke-width="3"/>'
        )
    badge = ""
    if style.status is ControlStatus.DISPUTED:
        badge = (
            '<circle cx="21" cy="3" r="5.5" fill="#fff" stroke="#333" stroke-width="1"/>'
            '<text x="21" y="6.3" text-anchor="middle" font-size="9" font-weight="700"'
            ' font-family="sans-serif" fill="#333">?</text>'
        )
    w = style.width
    place = f' x="{at[0]}" y="{at[1]}"' if at else ""
    return (
        f'<svg{place} width="{w}" height="{w}" viewBox="{-_PAD} {-_PAD} {_BOX} {_BOX}"'
        f' aria-hidden="true">{defs}{ring}{body}{badge}</svg>'
    )


@dataclass(frozen=True)
class Sprite:
    """Several marker styles in one SVG image, each in the top-left of a square cell.

    A page of thousands of markers loads one image (browsers build a document for each
    SVG image, which is slow) and shows each marker as a window onto it (CSS
    ``background-position``).
    """

    svg: str
    cell: int
    columns: int
    count: int

    @property
    def width(self) -> int:
        """Width of the image in CSS pixels."""
        return self.cell * self.columns

    @property
    def height(self) -> int:
        """Height of the image in CSS pixels."""
        return self.cell * -(-self.count // self.columns)

    def offset(self, index: int) -> tuple[int, int]:
        """Where style number ``index`` sits in the image: (x, y) in CSS pixels."""
        return (index % self.columns) * self.cell, (index // self.columns) * self.cell

    def data_uri(self) -> str:
        """The image as a ``data:image/svg+xml;base64,...`` URI."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


def build_sprite(styles: Sequence[MarkerStyle], columns: int = 16) -> Sprite:
    """Lay ``styles`` out in one SVG image, in the order given.

    Examples
    --------
    >>> a = marker_style(PlaceKind.CITY, ControlStatus.HELD, "#d62728")
    >>> b = marker_style(PlaceKind.DAM, ControlStatus.HELD, "#1a1a1a")
    >>> sprite = build_sprite([a, b])
    >>> (sprite.width, sprite.height, sprite.offset(1))
    (58, 29, (29, 0))
    """
    cell = max((style.width for style in styles), default=1)
    columns = max(1, min(columns, len(styles)))
    sprite = Sprite("", cell, columns, len(styles))
    cells = [marker_svg(style, at=sprite.offset(index)) for index, style in enumerate(styles)]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{sprite.width}"'
        f' height="{sprite.height}">{"".join(cells)}</svg>'
    )
    return Sprite(svg, cell, columns, len(styles))


def _paint(status: ControlStatus, colour: str) -> tuple[str, str]:
    """Fill and stroke attributes for a status, and the colour of inner marks."""
    if status is ControlStatus.CONTESTED:
        return (
            f' fill="url(#geomap-hatch-{colour[1:]})" stroke="{colour}" stroke-width="2"'
            ' stroke-dasharray="3 2"',
            colour,
        )
    if status is ControlStatus.DISPUTED:
        return (
            f' fill="{colour}" fill-opacity="0.45" stroke="{colour}" stroke-width="2"'
            ' stroke-dasharray="0.5 2.5" stroke-linecap="round"',
            "#fff",
        )
    if status is ControlStatus.UNKNOWN:
        return f' fill="{colour}" fill-opacity="0.6" stroke="#fff" stroke-width="1.5"', "#fff"
    return f' fill="{colour}" stroke="#fff" stroke-width="1.5"', "#fff"


def _hatch(colour: str) -> str:
    # The pattern id depends only on the colour, so where several symbols share a document
    # (a sprite, the legend), repeated definitions are harmless: each draws the same hatching.
    return (
        f'<defs><pattern id="geomap-hatch-{colour[1:]}" width="4" height="4"'
        ' patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="4" height="4" fill="#fff"/><rect width="2" height="4" fill="{colour}"/>'
        "</pattern></defs>"
    )
