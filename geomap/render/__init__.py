"""Dated maps of who held what: self-contained HTML (folium/Leaflet) and PNG.

The only place folium and matplotlib appear; both are imported inside the functions
that use them, so importing this package is cheap.

HTML maps are one file that renders with the network off (Leaflet is inlined from the
``xstatic-leaflet`` package; markers are inline SVG), give the same bytes for the same
input, and escape every piece of article text they show.

Examples
--------
>>> import datetime as dt, tempfile
>>> from pathlib import Path
>>> m = render_map({}, dt.date(2017, 3, 3), {})
>>> out = write_html(m, Path(tempfile.mkdtemp()) / "map.html")
>>> "No known control on this date" in out.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

from geomap.render.diff_map import render_diff_map
from geomap.render.maps import render_map
from geomap.render.output import map_fragment, write_html
from geomap.render.series import write_series_index
from geomap.render.static import render_png

#: CSS class of every marker element in an HTML map (each also has ``data-place-id``).
MARKER_CLASS = "geomap-marker"

__all__ = [
    "MARKER_CLASS",
    "map_fragment",
    "render_diff_map",
    "render_map",
    "render_png",
    "write_html",
    "write_series_index",
]
