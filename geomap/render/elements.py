"""geomap's own folium elements: data layers driven by one JSON payload, and HTML boxes.

folium builds one Python object and a few lines of JavaScript per marker (plus jQuery for
popups): 5,000 places take seconds and megabytes. geomap instead writes each layer's
data once, as JSON in an inert ``<script type="application/json">`` element, and a short
loop turns it into Leaflet markers, lines and outlines in the browser.

Safety: a payload is serialised by :func:`script_json`, which escapes ``<``, ``>`` and
``&`` (so no ``</script>`` can close the element), and is read with ``JSON.parse``.
Strings that Leaflet puts into the page as HTML (popups, tooltips, labels) were escaped
by :mod:`geomap.render.content` before they entered the payload. No data is ever part
of a Jinja template's source, so ``{{ ... }}`` or ``{% raw %}`` in an article is text.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from branca.element import Element, MacroElement
    from jinja2 import Template

_DATA = """
{% macro html(this, kwargs) %}
<script type="application/json" id="{{ this.get_name() }}_data" class="geomap-data"
 data-layer="{{ this.layer }}">{{ this.payload }}</script>
{% endmacro %}
"""

#: Markers: one DivIcon per place holding a <div class="geomap-marker" data-place-id>.
PLACES = (
    _DATA
    + """
{% macro script(this, kwargs) %}
(function () {
  var data = JSON.parse(document.getElementById("{{ this.get_name() }}_data").textContent);
  var groups = [{% for g in this.groups %}{{ g.get_name() }}{{ "," if not loop.last }}{% endfor %}];
  data.places.forEach(function (p) {
    var icon = data.icons[p.i];
    var el = document.createElement("div");
    el.className = icon.c;
    el.setAttribute("data-place-id", p.id);
    el.innerHTML = icon.svg;
    var half = icon.w / 2;
    var marker = L.marker([p.lat, p.lon], {
      icon: L.divIcon({html: el, className: "geomap-icon", iconSize: [icon.w, icon.w],
                       iconAnchor: [half, half], popupAnchor: [0, -half]}),
      zIndexOffset: icon.z, riseOnHover: true, keyboard: true
    });
    marker.bindTooltip(p.t, {direction: "top", offset: [0, -half]});
    marker.bindPopup(p.p, {maxWidth: 340});
    groups[p.g].addLayer(marker);
  });
})();
{% endmacro %}
"""
)

#: Distance claims: lines and circles, each with a popup, and standalone labels.
DISTANCES = (
    _DATA
    + """
{% macro script(this, kwargs) %}
(function () {
  var data = JSON.parse(document.getElementById("{{ this.get_name() }}_data").textContent);
  var group = {{ this.group.get_name() }};
  var style = {color: "#0d47a1", weight: 2, dashArray: "6 4", className: "geomap-distance"};
  data.shapes.forEach(function (d) {
    var shape = d.r ? L.circle(d.at, Object.assign({radius: d.r, fillOpacity: 0.05}, style))
                    : L.polyline(d.path, style);
    shape.bindPopup(d.p, {maxWidth: 340});
    group.addLayer(shape);
    group.addLayer(L.tooltip({permanent: true, direction: "center",
                              className: "geomap-distance-label"})
                     .setLatLng(d.label_at).setContent(d.t));
  });
})();
{% endmacro %}
"""
)

#: Background outlines (countries, provinces), drawn on a canvas, not clickable.
OUTLINES = (
    _DATA
    + """
{% macro script(this, kwargs) %}
(function () {
  var data = JSON.parse(document.getElementById("{{ this.get_name() }}_data").textContent);
  L.geoJSON(data, {style: {{ this.style|tojson }}, interactive: false,
                   renderer: L.canvas({padding: 0.5})}).addTo({{ this.group.get_name() }});
})();
{% endmacro %}
"""
)

#: A fixed HTML box (title, legend, note); ``this.markup`` is already escaped HTML.
BOX = """
{% macro html(this, kwargs) %}
{{ this.markup }}
{% endmacro %}
"""

#: Inlined assets for the page's <head>; ``this.markup`` is built by geomap.render.assets.
HEAD = """
{% macro header(this, kwargs) %}
{{ this.markup }}
{% endmacro %}
"""


def script_json(data: Any) -> str:
    """JSON text safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` are escaped.

    Keys are sorted so the same data always gives the same bytes.

    Examples
    --------
    >>> script_json({"t": "</script><b>&"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def macro(name: str, template: str, **fields: Any) -> MacroElement:
    """A folium MacroElement rendering ``template`` with ``this`` carrying ``fields``."""
    from branca.element import MacroElement

    element = MacroElement()
    element._name = name
    element._template = _compiled(template)
    for key, value in fields.items():
        setattr(element, key, value)
    return element


@cache
def _compiled(source: str) -> Template:
    from folium.template import Template

    return Template(source)


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
