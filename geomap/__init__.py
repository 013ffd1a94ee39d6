"""geomap: turn war reporting into dated maps of who held what.

Importing geomap loads no heavy library (folium, geopandas, typer); those load inside the
functions that use them.
"""

from __future__ import annotations

from geomap.atlas import render_map, write_map, write_series
from geomap.corpus import read_articles, split_articles
from geomap.diff import Diff, diff_timeline
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
from geomap.pipeline import diff_states, ingest, load_events, load_timeline, states_on

__version__ = "0.1.0"

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
