"""Plain records for the CLI's text outputs (JSON shapes are contracts) and their rendering.

Every function here returns the JSON-ready dicts that ``--format json`` prints; the
table and CSV forms are renderings of the same rows. The modules:

- :mod:`~geomap.report.records`: the records of places, events, states, spans and distance
  claims, and their table and CSV forms;
- :mod:`~geomap.report.queries`: what ``places``, ``events``, ``timeline``, ``state`` and
  ``distances`` print;
- :mod:`~geomap.report.changes`: what ``diff`` prints;
- :mod:`~geomap.report.summaries`: what ``ingest`` and ``load`` print.
"""

from __future__ import annotations

from geomap.report.changes import (
    diff_record,
    diff_report,
    render_diff,
)
from geomap.report.queries import (
    SUMMARY_COLUMNS,
    distances_report,
    events_report,
    mentions_report,
    places_report,
    render_events,
    render_timeline,
    resolve_report,
    state_report,
    state_summary,
    timeline_report,
)
from geomap.report.records import (
    CONTROL_CHARS,
    DISTANCE_COLUMNS,
    EVENT_COLUMNS,
    MENTION_COLUMNS,
    PLACE_COLUMNS,
    RESOLVE_COLUMNS,
    SPAN_COLUMNS,
    STATE_COLUMNS,
    Row,
    candidate_record,
    distance_record,
    event_record,
    event_rows,
    evidence_record,
    find_place,
    format_table,
    place_record,
    render,
    span_record,
    span_rows,
    state_record,
    write_output,
)
from geomap.report.summaries import (
    dask_ingest,
    dask_load,
    ingest_summary,
)

__all__ = [
    "CONTROL_CHARS",
    "DISTANCE_COLUMNS",
    "EVENT_COLUMNS",
    "MENTION_COLUMNS",
    "PLACE_COLUMNS",
    "RESOLVE_COLUMNS",
    "SPAN_COLUMNS",
    "STATE_COLUMNS",
    "SUMMARY_COLUMNS",
    "Row",
    "candidate_record",
    "dask_ingest",
    "dask_load",
    "diff_record",
    "diff_report",
    "distance_record",
    "distances_report",
    "event_record",
    "event_rows",
    "events_report",
    "evidence_record",
    "find_place",
    "format_table",
    "ingest_summary",
    "mentions_report",
    "place_record",
    "places_report",
    "render",
    "render_diff",
    "render_events",
    "render_timeline",
    "resolve_report",
    "span_record",
    "span_rows",
    "state_record",
    "state_report",
    "state_summary",
    "timeline_report",
    "write_output",
]
