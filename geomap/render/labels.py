"""Permanent place names on the HTML map, placed so that no two overlap.

Python ranks the places (:func:`label_order`: kind first, then recent change, then
population); the browser lays the names out, because only it knows the zoom, the
screen size and the text widths. The layout (:data:`LABELS`) is greedy: at every zoom
and pan, names are placed in rank order, each at the first of eight spots around its
marker (right, left, above, below, then the corners) whose box is clear of the names
already placed, of the map's boxes (title, legend, notes, controls) and, when it can
be, of other markers. A city or town that finds no clear spot tries spots farther out
before it gives up; lower kinds are simply left out until the user zooms in (villages
from zoom :data:`MIN_ZOOM` on). Each name is a ``<div class="geomap-label">`` with
``data-place-id``, sized to its measured text, in a pane of its own above the markers;
nothing is fetched from the network.

Names are set as text (``textContent``), never as HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from geomap.model import PlaceKind, PlaceState

#: Label tier of each kind: 0 cities, 1 towns, 2 dams/airbases/bases, 3 other sites,
#: 4 villages and smaller. Lower tiers are placed first and drawn larger.
TIER: dict[PlaceKind, int] = {
    PlaceKind.CITY: 0,
    PlaceKind.TOWN: 1,
    PlaceKind.DAM: 2,
    PlaceKind.AIRBASE: 2,
    PlaceKind.MILITARY_BASE: 2,
    PlaceKind.OILFIELD: 3,
    PlaceKind.BORDER_CROSSING: 3,
    PlaceKind.MOUNTAIN: 3,
    PlaceKind.FACILITY: 3,
    PlaceKind.VILLAGE: 4,
    PlaceKind.NEIGHBOURHOOD: 4,
}
#: Tiers whose every name must show (farther spots are tried before giving up).
MUST_TIERS = (0, 1)
#: Smallest zoom at which each tier is named.
MIN_ZOOM = (0, 0, 5, 7, 8)
#: A change of hands this recent makes a place's name more important.
RECENT_DAYS = 60


def label_tier(state: PlaceState) -> int:
    """The label tier of a place (see :data:`TIER`); unknown kinds rank last."""
    return TIER.get(state.place.kind, 4)


def label_order(states: Sequence[PlaceState], day: dt.date) -> list[str]:
    """Place ids, most important name first: tier, recent change, population, name, id.

    Examples
    --------
    >>> from geomap.model import ControlStatus, Place
    >>> def s(i, kind, pop=None, since=None):
    ...     p = Place(i, i, kind, 35.0, 38.0, "SY", population=pop)
    ...     return PlaceState(p, "X", ControlStatus.HELD, since)
    >>> label_order([s("v", PlaceKind.VILLAGE), s("t", PlaceKind.TOWN, 5000),
    ...              s("c", PlaceKind.CITY), s("u", PlaceKind.TOWN, 90000)], dt.date(2017, 3, 3))
    ['c', 'u', 't', 'v']
    """

    def key(state: PlaceState) -> tuple[int, bool, int, str, str]:
        recent = state.since is not None and 0 <= (day - state.since).days <= RECENT_DAYS
        name = state.place.name.casefold()
        return (label_tier(state), not recent, -(state.place.population or 0), name, state.place.id)

    return [s.place.id for s in sorted(states, key=key)]


#: The layout, run in the browser over the places payload (fields ``n`` name,
#: ``k`` tier, ``r`` rank, ``lat``/``lon``, ``i`` icon). See the module docstring.
LABELS = """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var data = JSON.parse(document.getElementById({{ this.data_id|tojson }}).textContent);
  var MIN_ZOOM = {{ this.min_zoom|tojson }}, MUST = {{ this.must|tojson }};
  var FONTS = ["600 13px Arial,Helvetica,sans-serif", "600 12px Arial,Helvetica,sans-serif",
               "italic 11px Arial,Helvetica,sans-serif", "italic 11px Arial,Helvetica,sans-serif",
               "11px Arial,Helvetica,sans-serif"];
  var PAD_X = 3, HEIGHT = [16, 15, 14, 14, 14], GAP = 2, CELL = 64;
  var pane = map.createPane("geomapLabels");
  pane.style.zIndex = 640;
  pane.style.pointerEvents = "none";
  var order = data.places.slice().sort(function (a, b) { return a.r - b.r; });
  var context = document.createElement("canvas").getContext("2d");
  var widths = {};
  function width(p) {
    if (!(p.id in widths)) {
      context.font = FONTS[p.k];
      widths[p.id] = Math.ceil(context.measureText(p.n).width) + 2 * PAD_X;
    }
    return widths[p.id];
  }
  function Grid() { this.cells = {}; }
  Grid.prototype.each = function (b, fn) {
    for (var x = Math.floor(b[0] / CELL); x <= Math.floor(b[2] / CELL); x++)
      for (var y = Math.floor(b[1] / CELL); y <= Math.floor(b[3] / CELL); y++) fn(x + "," + y);
  };
  Grid.prototype.add = function (b) {
    var cells = this.cells;
    this.each(b, function (k) { (cells[k] = cells[k] || []).push(b); });
  };
  Grid.prototype.hits = function (b, skip) {
    var cells = this.cells, hit = false;
    this.each(b, function (k) {
      (cells[k] || []).forEach(function (o) {
        if (o !== skip && o[0] < b[2] && b[0] < o[2] && o[1] < b[3] && b[1] < o[3]) hit = true;
      });
    });
    return hit;
  };
  function boxes() {
    var grid = new Grid(), frame = map.getContainer().getBoundingClientRect();
    var sel = ".geomap-title,.geomap-legend,.geomap-note,.geomap-outside,.geomap-estimate," +
              ".leaflet-control";
    document.querySelectorAll(sel).forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width && r.height) {
        grid.add([r.left - frame.left - GAP, r.top - frame.top - GAP,
                  r.right - frame.left + GAP, r.bottom - frame.top + GAP]);
      }
    });
    return grid;
  }
  function spots(x, y, w, h, half, far) {
    var d = half + GAP + far, c = half * 0.7 + GAP + far;
    return [[x + d, y - h / 2], [x - d - w, y - h / 2], [x - w / 2, y - d - h],
            [x - w / 2, y + d], [x + c, y - c - h], [x + c, y + c], [x - c - w, y - c - h],
            [x - c - w, y + c]];
  }
  function layout() {
    pane.textContent = "";
    var zoom = map.getZoom(), size = map.getSize(), margin = 100;
    var labels = new Grid(), blocked = boxes(), markers = new Grid(), shown = [];
    order.forEach(function (p) {
      if (zoom < MIN_ZOOM[p.k]) return;
      var pt = map.latLngToContainerPoint([p.lat, p.lon]);
      if (pt.x < -margin || pt.y < -margin || pt.x > size.x + margin || pt.y > size.y + margin)
        return;
      var half = data.icons[p.i].w / 2;
      p.box = [pt.x - half, pt.y - half, pt.x + half, pt.y + half];
      p.pt = pt;
      markers.add(p.box);
      shown.push(p);
    });
    shown.forEach(function (p) {
      if (!p.n) return;
      var must = MUST.indexOf(p.k) >= 0, w = width(p), h = HEIGHT[p.k], half = p.box[2] - p.pt.x;
      var tries = must ? [[0, true, true], [0, true, false], [0, false, false],
                          [half + 4, false, false], [2 * half + 12, false, false]]
                       : [[0, true, true]];
      for (var t = 0; t < tries.length; t++) {
        var list = spots(p.pt.x, p.pt.y, w, h, half, tries[t][0]);
        for (var s = 0; s < list.length; s++) {
          var b = [list[s][0], list[s][1], list[s][0] + w, list[s][1] + h];
          if (labels.hits(b)) continue;
          if (tries[t][1] && blocked.hits(b)) continue;
          if (tries[t][2] && markers.hits(b, p.box)) continue;
          labels.add(b);
          place(p, b);
          return;
        }
      }
    });
  }
  function place(p, b) {
    var div = document.createElement("div");
    div.className = "geomap-label geomap-label-" + p.k;
    div.setAttribute("data-place-id", p.id);
    div.textContent = p.n;
    div.style.width = (b[2] - b[0]) + "px";
    div.style.height = (b[3] - b[1]) + "px";
    div.style.lineHeight = (b[3] - b[1]) + "px";
    div.style.font = FONTS[p.k];
    var at = map.containerPointToLayerPoint([b[0], b[1]]);
    L.DomUtil.setPosition(div, at);
    pane.appendChild(div);
  }
  map.on("zoomstart", function () { pane.style.display = "none"; });
  map.on("moveend resize", function () { layout(); pane.style.display = ""; });
  map.whenReady(layout);
})();
{% endmacro %}
"""
