"""An index page for a series of dated maps: a date slider switching an iframe.

The page is one offline HTML file: no external script, style or font. Map files are
referred to by relative links (the page sits beside them). Without JavaScript the list
of dates still opens each map in the frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote, urlsplit

from geomap.errors import RenderError
from geomap.render.elements import script_json
from geomap.render.output import write_atomic

_STYLE = """
html,body{height:100%;margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222}
body{display:flex;flex-direction:column}
header{display:flex;flex-wrap:wrap;align-items:center;gap:12px;padding:8px 14px;
border-bottom:1px solid #ccc;background:#fafafa}
h1{font-size:18px;margin:0}
.geomap-controls{display:flex;align-items:center;gap:8px;flex:1;min-width:260px}
#geomap-slider{flex:1}
#geomap-date{font-weight:600;min-width:7em}
main{flex:1;display:flex;min-height:0}
#geomap-frame{flex:1;border:0}
nav{width:150px;overflow:auto;border-left:1px solid #ccc;font-size:13px}
nav ol{list-style:none;margin:0;padding:6px 10px}
nav a[aria-current]{font-weight:700}
"""

_SCRIPT = """
(function () {
  var maps = JSON.parse(document.getElementById("geomap-series").textContent);
  var slider = document.getElementById("geomap-slider");
  var frame = document.getElementById("geomap-frame");
  var label = document.getElementById("geomap-date");
  var links = document.querySelectorAll("nav a");
  function show(i) {
    i = Math.max(0, Math.min(maps.length - 1, i));
    slider.value = String(i);
    label.textContent = maps[i].date;
    if (frame.getAttribute("src") !== maps[i].href) { frame.setAttribute("src", maps[i].href); }
    links.forEach(function (a, j) {
      if (j === i) { a.setAttribute("aria-current", "date"); } else { a.removeAttribute("aria-current"); }
    });
  }
  slider.addEventListener("input", function () { show(Number(slider.value)); });
  document.getElementById("geomap-prev").addEventListener("click", function () { show(Number(slider.value) - 1); });
  document.getElementById("geomap-next").addEventListener("click", function () { show(Number(slider.value) + 1); });
  links.forEach(function (a, j) {
    a.addEventListener("click", function (e) { e.preventDefault(); show(j); });
  });
  show(0);
})();
"""


def write_series_index(entries: Sequence[tuple[dt.date, str]], path: Path, *, title: str) -> Path:
    """Write an index page with a date slider over per-date map files, atomically.

    Parameters
    ----------
    entries
        ``(date, href)`` pairs; ``href`` is a map file's path relative to the page
        (e.g. ``"map-2017-03-03.html"``). Shown in date order.
    path
        The page to write (parent folders are created).
    title
        The page's heading (escaped).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    RenderError
        An ``href`` is not a relative path (a URL, an absolute path or ``javascript:``),
        or the file cannot be written.
    """
    ordered = sorted(entries, key=lambda entry: entry[0])
    maps = [{"date": day.isoformat(), "href": _relative_href(href)} for day, href in ordered]
    return write_atomic(Path(path), _page(maps, title).encode("utf-8"))


def _relative_href(href: str) -> str:
    """``href`` percent-encoded as a relative URL; anything else is refused."""
    parts = urlsplit(href)
    if not href or parts.scheme or parts.netloc or href.startswith(("/", "\\")):
        raise RenderError(
            f"expected a map file path relative to the index page, got {href!r};"
            " write the maps beside the index and pass their file names"
        )
    return quote(href, safe="/-._~")


def _page(maps: list[dict[str, str]], title: str) -> str:
    last = max(len(maps) - 1, 0)
    first = maps[0] if maps else None
    links = "".join(
        f'<li><a href="{escape(m["href"])}" target="geomap-frame">{escape(m["date"])}</a></li>'
        for m in maps
    )
    disabled = "" if maps else " disabled"
    frame = (
        f'<iframe id="geomap-frame" name="geomap-frame" title="Map" src="{escape(first["href"])}">'
        "</iframe>"
        if first
        else '<p id="geomap-frame">No maps in this series.</p>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(title)}</h1>\n"
        '<div class="geomap-controls"><button type="button" id="geomap-prev"'
        f' aria-label="Previous date"{disabled}>&#9664;</button>'
        f'<input type="range" id="geomap-slider" min="0" max="{last}" step="1" value="0"'
        f' aria-label="Date"{disabled}>'
        f'<button type="button" id="geomap-next" aria-label="Next date"{disabled}>&#9654;</button>'
        f'<output id="geomap-date" for="geomap-slider">{escape(first["date"]) if first else ""}'
        "</output></div></header>\n"
        f"<main>{frame}<nav><ol>{links}</ol></nav></main>\n"
        f'<script type="application/json" id="geomap-series">{script_json(maps)}</script>\n'
        + (f"<script>{_SCRIPT}</script>\n" if maps else "")
        + "</body>\n</html>\n"
    )
