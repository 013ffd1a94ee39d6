"""geomap: turn war reporting into dated maps of who held what.

Importing geomap loads no heavy library (folium, geopandas, typer); those load inside the
functions that use them.
"""

from __future__ import annotations

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
    "load_gazetteer",
    "read_articles",
    "split_articles",
]
