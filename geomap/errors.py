"""The errors geomap raises on purpose. The CLI turns each into one line and an exit code."""

from __future__ import annotations


class GeomapError(Exception):
    """Root of every error geomap raises on purpose."""

    exit_code = 2


class CorpusError(GeomapError, ValueError):
    """A file or folder of articles cannot be read."""


class GazetteerError(GeomapError, ValueError):
    """Gazetteer data is missing or malformed, or a place name is not usable."""


class DateError(GeomapError, ValueError):
    """A date is malformed or out of order."""


class EventsFileError(GeomapError, ValueError):
    """An analyst events file has bad rows."""


class StoreError(GeomapError, RuntimeError):
    """The database cannot be opened, read or written."""


class RenderError(GeomapError, RuntimeError):
    """A map or report cannot be written."""
