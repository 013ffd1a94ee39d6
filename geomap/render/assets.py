"""Assets inlined into every map, so one HTML file renders with the network off.

Leaflet 1.9.3 comes from the PyPI package ``xstatic-leaflet`` (``leaflet.js`` and
``leaflet.css``); the images its CSS refers to (the layer-control icon, the default
marker) become ``data:`` URIs. folium's other CDN assets (jQuery, Bootstrap,
awesome-markers, Font Awesome) are not needed: geomap's markers, popups and boxes are
plain Leaflet and inline SVG.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path

from geomap.errors import RenderError

# A ``src="https://`` or ``href="https://`` inside the inlined JavaScript is only a
# string (Leaflet's attribution prefix links to leafletjs.com); writing its slashes
# as ``\/`` keeps the string's value and lets a plain grep for external references
# (``(src|href)="https?://``) vouch that nothing is loaded from the network.
_URL_ATTR = re.compile(r'((?:src|href)=\\?"https?:)//')
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")
_CSS_IMAGE = re.compile(r"url\((?:images/)([\w.-]+\.png)\)")

#: geomap's own styles: the boxes (title, legend, note), popups, markers, labels.
BASE_CSS = """
.leaflet-container{background:#dde8f0;font:13px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.geomap-marker{border:none}
.geomap-title,.geomap-legend,.geomap-note{position:fixed;z-index:1000;background:rgba(255,255,255,.93);
border-radius:5px;box-shadow:0 1px 5px rgba(0,0,0,.35);font:13px/1.35 system-ui,sans-serif;color:#222}
.geomap-title{top:10px;left:50%;transform:translateX(-50%);padding:6px 14px;font-size:16px;
font-weight:600;white-space:nowrap;max-width:60vw;overflow:hidden;text-overflow:ellipsis}
.geomap-title time{font-weight:400;color:#555;margin-left:.4em}
.geomap-legend{bottom:24px;right:10px;padding:5px 9px;max-height:48vh;max-width:250px;overflow:auto;
font-size:12px;line-height:1.25}
.geomap-legend summary{cursor:pointer;font-weight:600}
.geomap-stats{display:block;font-weight:400;font-size:11px;color:#555}
.geomap-legend h4{margin:5px 0 1px;font-size:11px;text-transform:uppercase;color:#555}
.geomap-legend ul{list-style:none;margin:0;padding:0}
.geomap-legend li{margin:1px 0;display:flex;align-items:center;gap:4px}
.geomap-legend ul.geomap-actors{display:flex;flex-wrap:wrap;column-gap:10px}
.geomap-legend svg{flex:none;width:17px;height:17px}
.geomap-credit{margin:6px 0 0;font-size:11px;color:#777}
.geomap-note{top:56px;left:50%;transform:translateX(-50%);padding:6px 12px;background:#fff8e1}
.geomap-swatch{display:inline-block;width:12px;height:12px;margin-right:5px;border:1px solid #666;
vertical-align:-1px;flex:none}
.geomap-key-line{display:inline-block;width:22px;border-top:2px dashed #0d47a1;flex:none}
.geomap-popup h3{margin:0;font-size:15px}
.geomap-popup p{margin:4px 0}
.geomap-popup small{display:block;font-size:12px;color:#555}
.geomap-popup h3+small{text-transform:capitalize}
.geomap-popup blockquote{margin:6px 0 2px;padding-left:8px;border-left:3px solid #bbb;font-style:italic}
.geomap-outside{position:absolute;z-index:800;left:10px;bottom:80px;max-width:45vw;padding:3px 8px;
background:rgba(255,255,255,.9);border-radius:3px;font:12px system-ui,sans-serif;color:#333;
box-shadow:0 1px 3px rgba(0,0,0,.25)}
.geomap-outside a{color:#0d47a1}
.geomap-label{position:absolute;white-space:nowrap;color:#1a1a1a;box-sizing:border-box;
padding:0 3px;text-align:center;overflow:visible;
text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 4px #fff}
.geomap-label-2,.geomap-label-3{color:#333}
.geomap-label-4{color:#444}
.geomap-key-found{display:inline-block;width:10px;height:10px;margin-right:6px;
border:1.5px dashed #6a1b9a;border-radius:50%;vertical-align:middle}
.geomap-distance-label{background:rgba(255,255,255,.9);border:1px solid #0d47a1;color:#0d47a1;
font-size:11px;padding:1px 5px;box-shadow:none}
"""


def leaflet_dir() -> Path:
    """The folder of the ``xstatic-leaflet`` files (``leaflet.js``, ``leaflet.css``, images)."""
    try:
        import xstatic.pkg.leaflet as xl
    except ImportError as exc:
        raise RenderError(
            "cannot inline Leaflet: the package xstatic-leaflet is not installed;"
            " install it with `pip install xstatic-leaflet`"
        ) from exc
    return Path(xl.BASE_DIR)


@cache
def leaflet_js() -> str:
    """Leaflet's JavaScript, ready to sit inside a ``<script>`` element."""
    source = (leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
    source = _SOURCE_MAP.sub("", source)
    if re.search(r"</script|<!--", source, re.IGNORECASE):
        raise RenderError("cannot inline leaflet.js: it contains '</script' or '<!--'")
    return _URL_ATTR.sub(lambda m: m.group(1) + r"\/\/", source)


@cache
def leaflet_css() -> str:
    """Leaflet's CSS with its images as ``data:`` URIs, ready for a ``<style>`` element."""
    folder = leaflet_dir()
    css = (folder / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        data = (folder / "images" / match.group(1)).read_bytes()
        return "url(data:image/png;base64," + base64.b64encode(data).decode("ascii") + ")"

    css = _CSS_IMAGE.sub(inline, css)
    if "</style" in css.lower():
        raise RenderError("cannot inline leaflet.css: it contains '</style'")
    return css


def head_html(*, disable_3d: bool = False) -> str:
    """``<style>`` and ``<script>`` elements holding Leaflet and geomap's styles.

    ``disable_3d`` makes Leaflet place markers with 2D transforms: with 3D ones every
    marker becomes a compositing layer, and thousands of them take seconds to paint
    (at the cost of the animated zoom). Leaflet reads the switch when it loads, so it
    is set before Leaflet's script.
    """
    switch = f"<script>L_DISABLE_3D = {'true' if disable_3d else 'false'};</script>\n"
    return (
        f"<style>{leaflet_css()}</style>\n<style>{BASE_CSS}</style>\n"
        f"{switch}<script>{leaflet_js()}</script>"
    )
