"""geomap's own folium elements: data layers driven by one JSON payload, and HTML boxes.

folium builds one Python object and a few lines of JavaScript per marker (plus jQuery for
popups): 5,000 places take seconds and megabytes. geomap instead writes each layer's
data once, as JSON in an inert ``<script type="application/json">`` element, and a short
loop turns it into Leaflet markers, lines and outlines in the browser.

Safety: a payload is serialised by :func:`script_json`, which escapes ``<``, ``>`` and
``&`` (so no ``</script>`` can close the element), and is read with ``JSON.parse``.
Strings that Leaflet puts into the page as HTML (popups, tooltips, labels) were escaped
by :mod:`geomap.render.content` before they entered the payload.

Templates: branca compiles the *output* of every macro as a new Jinja template, so a
macro must never output data (``{% raw %}`` in an article would break the page, and
``{{ ... }}`` would run). Macros here output code and element names only; payloads and
HTML boxes go into verbatim elements (:func:`add_verbatim`), whose text is printed as is.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from branca.element import Element, Figure, MacroElement
    from jinja2 import Template


def _loader(body: str) -> str:
    """A script-only macro: parse the payload ``this.data_id`` names, then run ``body``."""
    return (
        "{% macro script(this, kwargs) %}\n(function () {\n"
        "  var data = JSON.parse(document.getElementById({{ this.data_id|tojson }}).textContent);\n"
        + body
        + "})();\n{% endmacro %}\n"
    )


#: Markers: one element per place, ``<div class="geomap-marker geomap-icon-N"
#: data-place-id="...">``, its symbol a window onto one sprite image (CSS background).
#: The sprite is SVG; the browser rasterises it once to a PNG, because it paints thousands
#: of raster backgrounds quickly and SVG ones slowly (if that fails, the SVG is used).
#: When the symbols are in place the page's root element gets the class ``geomap-ready``.
#: Tooltips and popups are bound on first hover or click: 5,000 places open quickly.
PLACES = _loader(
    """
  var groups = [{% for g in this.groups %}{{ g.get_name() }}{{ "," if not loop.last }}{% endfor %}];
  var PlaceIcon = L.DivIcon.extend({
    createIcon: function (old) {
      var div = L.DivIcon.prototype.createIcon.call(this, old);
      div.setAttribute("data-place-id", this.options.placeId);
      return div;
    }
  });
  data.places.forEach(function (p) {
    var icon = data.icons[p.i], half = icon.w / 2;
    var marker = L.marker([p.lat, p.lon], {
      icon: new PlaceIcon({className: icon.c, html: false, iconSize: [icon.w, icon.w],
                           iconAnchor: [half, half], popupAnchor: [0, -half], placeId: p.id}),
      zIndexOffset: icon.z, riseOnHover: true
    });
    marker.geomap = {place: p, half: half};
    groups[p.g].addLayer(marker);
  });
  groups.forEach(function (group) {
    group.on("mouseover", function (e) {
      var m = e.layer, g = m.geomap;
      if (g && !m.getTooltip()) {
        m.bindTooltip(g.place.t, {direction: "top", offset: [0, -g.half]}).openTooltip();
      }
    });
    group.on("click", function (e) {
      var m = e.layer, g = m.geomap;
      if (g && !m.getPopup()) { m.bindPopup(g.place.p, {maxWidth: 340}).openPopup(); }
    });
  });
  function ready(url) {
    if (url) {
      var sheet = document.createElement("style");
      sheet.textContent = ".geomap-marker{background-image:url(" + url + ")}";
      document.head.appendChild(sheet);
    }
    document.documentElement.classList.add("geomap-ready");
  }
  if (!data.sprite) { ready(null); return; }
  var image = new Image();
  image.onload = function () {
    var scale = Math.max(1, Math.ceil(window.devicePixelRatio || 1));
    var canvas = document.createElement("canvas");
    canvas.width = data.sprite.w * scale;
    canvas.height = data.sprite.h * scale;
    try {
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      ready(canvas.toDataURL("image/png"));
    } catch (err) {
      ready(data.sprite.svg);
    }
  };
  image.onerror = function () { ready(data.sprite.svg); };
  image.src = data.sprite.svg;
"""
)

#: Distance claims: lines and circles, each with a popup and a label shown on hover
#: (several claims around one town would otherwise stack their labels over the places).
DISTANCES = _loader(
    """
  var group = {{ this.group.get_name() }};
  var style = {color: "#0d47a1", weight: 2.5, dashArray: "6 4", className: "geomap-distance"};
  data.shapes.forEach(function (d) {
    var shape = d.r ? L.circle(d.at, Object.assign({radius: d.r, fillOpacity: 0.05}, style))
                    : L.polyline(d.path, style);
    shape.bindPopup(d.p, {maxWidth: 340});
    shape.bindTooltip(d.t, {sticky: true, direction: "top", className: "geomap-distance-label"});
    group.addLayer(shape);
  });
"""
)

#: Places the gazetteer lacks, placed approximately from the text: a dashed circle of the
#: tolerance radius and a small hollow dot (``data-place-id`` on neither: they are not
#: control markers), each with the popup and tooltip made in Python (escaped there).
FOUND = _loader(
    """
  var group = {{ this.group.get_name() }};
  var style = {color: "#6a1b9a", weight: 1.5, dashArray: "4 4", fillOpacity: 0.04};
  data.places.forEach(function (f) {
    var ring = L.circle(f.at, Object.assign({radius: f.r, className: "geomap-found-area"}, style));
    var dot = L.circleMarker(f.at, {radius: 4, color: "#6a1b9a", weight: 1.5, dashArray: "2 2",
                                    fillColor: "#ffffff", fillOpacity: 1,
                                    className: "geomap-found"});
    [ring, dot].forEach(function (shape) {
      shape.bindPopup(f.p, {maxWidth: 340});
      shape.bindTooltip(f.t, {direction: "top"});
      group.addLayer(shape);
    });
  });
"""
)

#: Background outlines (countries, provinces), drawn on a canvas, not clickable.
OUTLINES = _loader(
    """
  L.geoJSON(data, {style: {{ this.style|tojson }}, interactive: false,
                   renderer: L.canvas({padding: 0.5})}).addTo({{ this.group.get_name() }});
"""
)

#: Open on the data: fit the bounds, keeping clear of the title and (when there is room)
#: the legend box. Reads the boxes' sizes, so it runs in the browser, not in Python.
#: No animation: the map opens at its view, and the names are laid out once for it.
FIT = """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var legend = document.querySelector(".geomap-legend");
  var width = map.getSize().x;
  var right = legend && legend.offsetWidth + 30 < width * 0.45 ? legend.offsetWidth + 20 : 10;
  map.fitBounds(L.latLngBounds({{ this.bounds|tojson }}),
                {paddingTopLeft: [10, 60], paddingBottomRight: [right, 10], maxZoom: 12,
                 animate: false});
})();
{% endmacro %}
"""


def script_json(data: Any) -> str:
    """JSON text that cannot end or escape the ``<script>`` element it sits in.

    Inside a script element only ``</`` (a possible ``</script>``) and ``<!--`` change
    how HTML parses the text; they become ``<\\/`` (JSON's escaped slash) and
    ``\\u003c!--``, which ``JSON.parse`` reads back unchanged. Escaping every ``<``
    would cost five bytes per tag of popup markup. Keys are sorted so the same data
    always gives the same bytes.

    Examples
    --------
    >>> script_json({"t": "</script><!-- <b>"})
    '{"t":"<\\\\/script>\\\\u003c!-- <b>"}'
    >>> import json; json.loads(script_json({"t": "</script><!--"}))["t"]
    '</script><!--'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!", "\\u003c!")


def macro(name: str, template: str, **fields: Any) -> MacroElement:
    """A folium MacroElement rendering ``template`` with ``this`` carrying ``fields``.

    Only for code: branca compiles what a macro *outputs* as a new Jinja template, so
    data (anything with ``{{``, ``{%`` or ``{#`` in it) must go through
    :func:`add_verbatim` instead.
    """
    from branca.element import MacroElement

    element = MacroElement()  # type: ignore[no-untyped-call]  # branca leaves __init__ bare
    element._name = name
    element._template = _compiled(template)
    for key, value in fields.items():
        setattr(element, key, value)
    return element


def add_verbatim(part: Element, name: str, text: str) -> None:
    """Add ``text`` to a Figure part (``header``, ``html``) exactly as given.

    The element's template prints ``this.text`` and is never recompiled, so text in it
    cannot act as a template. ``name`` keys it, so rendering twice does not repeat it.
    """
    from branca.element import Element

    element = Element()
    element._template = _compiled("{{ this.text }}")
    element.text = text  # type: ignore[attr-defined]
    part.add_child(element, name=name)


def data_block(data_id: str, payload: str) -> str:
    """An inert ``<script type="application/json">`` holding ``payload`` (from script_json)."""
    return f'<script type="application/json" id="{data_id}" class="geomap-data">{payload}</script>'


@cache
def _compiled(source: str) -> Template:
    from folium.template import Template

    compiled: Template = Template(source)
    return compiled


def figure_of(m: Any) -> Figure:
    """The branca Figure a folium map sits in (folium.Map always creates one)."""
    from branca.element import Figure

    figure = m.get_root()
    assert isinstance(figure, Figure)  # checked when the map was made
    return figure


def freeze_ids(root: Element) -> None:
    """Give every element that still has folium's random id a stable one.

    folium names each element ``<kind>_<32 random hex digits>``, so two renderings of
    the same map differ. Walking the tree in insertion order and numbering the
    elements makes the names, and so the HTML, depend only on how the map was built.
    Ids already given are kept (a map may be rendered, extended and rendered again).
    """
    elements = list(_walk(root))
    taken = {e._id for e in elements if not _is_random(e._id)}
    counter = 0
    for element in elements:
        if not _is_random(element._id):
            continue
        while str(counter) in taken:
            counter += 1
        element._id = str(counter)
        taken.add(element._id)


def _walk(element: Element) -> Any:
    yield element
    for part in ("header", "html", "script"):
        sub = getattr(element, part, None)
        if sub is not None and hasattr(sub, "_children"):
            yield from _walk(sub)
    for child in element._children.values():
        yield from _walk(child)


def _is_random(element_id: str) -> bool:
    return len(element_id) == 32 and all(ch in "0123456789abcdef" for ch in element_id)
