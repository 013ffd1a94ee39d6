"""geomap: turn war reporting into dated maps of who held what.

Importing geomap loads no heavy library (folium, geopandas, typer); those load inside the
functions that use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geomap.corpus import read_articles, split_articles
from geomap.errors import (
    CorpusError,
    DateError,
    EventsFileError,
    GazetteerError,
    GeomapError,
    RenderError,
    StoreError,
)
from geomap.gazetteer import Gazetteer, load_gazetteer
from geomap.model import (
    Actor,
    Article,
    Candidate,
    Change,
    ClaimStatus,
    ControlSpan,
    ControlStatus,
    Event,
    EventKind,
    Mention,
    Place,
    PlaceKind,
    PlaceState,
    Precision,
    Role,
)

if TYPE_CHECKING:
    from geomap.atlas import render_map, write_map, write_series
    from geomap.diff import Diff, diff_timeline
    from geomap.pipeline import diff_states, ingest, load_events, load_timeline, states_on

__version__ = "0.1.0"

# The pipeline, maps and diff load on first use, so that `geomap --help` and
# `geomap places resolve` start fast.
_LAZY = {
    "render_map": "geomap.atlas",
    "write_map": "geomap.atlas",
    "write_series": "geomap.atlas",
    "Diff": "geomap.diff",
    "diff_timeline": "geomap.diff",
    "diff_states": "geomap.pipeline",
    "ingest": "geomap.pipeline",
    "load_events": "geomap.pipeline",
    "load_timeline": "geomap.pipeline",
    "states_on": "geomap.pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'geomap' has no attribute {name!r}")


__all__ = [
    "Actor",
    "Article",
    "Candidate",
    "Change",
    "ClaimStatus",
    "ControlSpan",
    "ControlStatus",
    "CorpusError",
    "DateError",
    "Diff",
    "Event",
    "EventKind",
    "EventsFileError",
    "Gazetteer",
    "GazetteerError",
    "GeomapError",
    "Mention",
    "Place",
    "PlaceKind",
    "PlaceState",
    "Precision",
    "RenderError",
    "Role",
    "StoreError",
    "__version__",
    "diff_states",
    "diff_timeline",
    "ingest",
    "load_events",
    "load_gazetteer",
    "load_timeline",
    "read_articles",
    "render_map",
    "split_articles",
    "states_on",
    "write_map",
    "write_series",
]
