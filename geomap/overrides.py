"""Read an analyst's events file (YAML or CSV) into events that win over extracted ones.

Columns / keys (one event per row or list item):

- ``place`` (required): a place id (``sy-palmyra``) or any spelling the gazetteer resolves.
- ``kind`` (required): captured, recaptured, entered, advanced_to, withdrew, besieged,
  siege_broken, attacked, repelled, held_by, claimed_disputed, lost, contested.
- ``date`` (required): ``2017-03-02``, ``2017-03`` (month) or ``2017`` (year).
- ``actor``: an actor code (GOV_SY, ISIS, ...); ``controller_after``: the holder after it
  (defaults to the actor for captured, recaptured, held_by, siege_broken).
- ``status``: asserted (default), claimed, disputed or negated ("this did not happen":
  removes matching extracted events). ``besieger``, ``note``/``evidence``, ``source``.

Every problem is reported with its file and line; nothing is half-loaded. A CSV file is at
most 16 MiB (``MAX_EVENTS_FILE_BYTES``), a YAML file at most 4 MiB (``MAX_YAML_BYTES``:
PyYAML needs ~90 bytes of memory and ~3 s a MiB) and 20 levels deep; aliases are refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from pathlib import Path
from typing import Any

from geomap.errors import EventsFileError, GazetteerError
from geomap.gazetteer import Gazetteer
from geomap.model import ClaimStatus, Event, EventKind, Precision
from geomap.timeline import OVERRIDE_RULE

MAX_EVENTS_FILE_BYTES = 16 * 1024 * 1024
MAX_YAML_BYTES = 4 * 1024 * 1024  # 16 MiB of YAML took 53 s and 1.5 GB to read
MAX_YAML_DEPTH = 20  # an events file needs 4 (a mapping, its list, an event, a value)

_HOLDING_KINDS = {
    EventKind.CAPTURED,
    EventKind.RECAPTURED,
    EventKind.HELD_BY,
    EventKind.SIEGE_BROKEN,
}


def read_overrides(path: Path, gazetteer: Gazetteer) -> list[Event]:
    """Parse and validate an events file.

    Raises
    ------
    EventsFileError
        On the first bad row, naming ``file:line`` and the problem.
    """
    if not path.is_file():
        raise EventsFileError(f"{path}: no such events file")
    rows = _read_rows(path)
    article = "override:" + hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    events = []
    errors = []
    for line, row in rows:
        try:
            events.append(_event_from_row(row, gazetteer, article, line))
        except EventsFileError as exc:
            errors.append(f"{path}:{line}: {exc}")
    if errors:
        more = f" (and {len(errors) - 1} more bad rows)" if len(errors) > 1 else ""
        raise EventsFileError(errors[0] + more)
    return events


def _read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    text = _read_text(path, MAX_YAML_BYTES if is_yaml else MAX_EVENTS_FILE_BYTES)
    if is_yaml:
        return _yaml_rows(path, text)
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        try:
            missing = {"place", "kind", "date"} - set(reader.fieldnames or [])
            if missing:
                raise EventsFileError(f"{path}:1: missing columns: {', '.join(sorted(missing))}")
            rows = []
            for row in reader:
                rows.append((reader.line_num, dict(row)))  # the line the record ends on
        except csv.Error as exc:  # e.g. a field over csv's 128 KiB limit
            raise EventsFileError(f"{path}:{reader.line_num + 1}: {exc}") from None
        return rows
    raise EventsFileError(f"{path}: expected a .yaml, .yml or .csv events file")


def _too_large(path: Path, size: int, limit: int) -> EventsFileError:
    return EventsFileError(
        f"{path}: {-(-size // 2**20)} MiB is larger than the {limit // 2**20} MiB limit"
    )


def _read_text(path: Path, limit: int) -> str:
    """The file's text; its size is checked before it is read (and it may not grow)."""
    size = path.stat().st_size
    if size > limit:
        raise _too_large(path, size, limit)
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise _too_large(path, len(data), limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EventsFileError(f"{path}: expected UTF-8 text") from None


def _yaml_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    """YAML items with the line each starts on.

    Aliases are refused (no alias bombs), and so is nesting deeper than
    ``MAX_YAML_DEPTH`` (PyYAML composes nodes recursively: a deep one would overflow).
    """
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            if self.check_event(yaml.AliasEvent):
                raise EventsFileError(f"{path}:{mark.line + 1}: YAML aliases are not allowed")
            if self.depth >= MAX_YAML_DEPTH:
                raise EventsFileError(
                    f"{path}:{mark.line + 1}: YAML nested deeper than {MAX_YAML_DEPTH} levels"
                )
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except EventsFileError:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise EventsFileError(f"{path}{where}: not valid YAML") from None
    except ValueError as exc:  # e.g. a date 2017-02-30, which YAML itself parses
        raise EventsFileError(f"{path}: {exc}") from None
    finally:
        loader.dispose()
    if data is None:
        return []
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        data = data["events"]
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        items = next((v.value for k, v in pairs if k.value == "events"), [])
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise EventsFileError(f"{path}: expected a list of events (mappings)")
    return [(item.start_mark.line + 1, row) for item, row in zip(items, data, strict=True)]


def _parse_date(raw: str) -> tuple[dt.date, Precision]:
    raw = raw.strip()
    try:
        if re.fullmatch(r"\d{4}", raw):
            return dt.date(int(raw), 1, 1), Precision.YEAR
        if re.fullmatch(r"\d{4}-\d{2}", raw):
            return dt.date(int(raw[:4]), int(raw[5:]), 1), Precision.MONTH
        return dt.date.fromisoformat(raw), Precision.DAY
    except ValueError:
        raise EventsFileError(f"bad date {raw!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)") from None


def _event_from_row(row: dict[str, Any], gaz: Gazetteer, article: str, line: int) -> Event:
    value = {
        str(k).strip().lower(): ("" if v is None else str(v).strip()) for k, v in row.items() if k
    }
    for key in ("place", "kind", "date"):
        if not value.get(key):
            raise EventsFileError(f"missing {key}")
    place = gaz.places.get(value["place"])
    if place is None:
        try:
            place = gaz.match(value["place"])
        except GazetteerError:
            place = None
    if place is None:
        raise EventsFileError(f"unknown place {value['place']!r}")
    try:
        kind = EventKind(value["kind"].lower())
    except ValueError:
        raise EventsFileError(f"unknown kind {value['kind']!r}") from None
    date, precision = _parse_date(value["date"])
    actor = _actor(value.get("actor", ""), gaz, "actor")
    controller = _actor(value.get("controller_after", ""), gaz, "controller_after")
    if controller is None and kind in _HOLDING_KINDS:
        controller = actor
    if controller is not None and not gaz.actors[controller].holds_ground:
        raise EventsFileError(f"{controller} supports but never holds ground")
    try:
        status = ClaimStatus((value.get("status") or "asserted").lower())
    except ValueError:
        raise EventsFileError(f"unknown status {value['status']!r}") from None
    note = value.get("evidence") or value.get("note") or "analyst override"
    return Event(
        place=place,
        kind=kind,
        actor=actor,
        controller_after=controller,
        date=date,
        precision=precision,
        status=status,
        evidence=note,
        article_id=article,
        confidence=1.0,
        rule=OVERRIDE_RULE,
        source=value.get("source") or "analyst",
        evidence_start=line,
        besieger=_actor(value.get("besieger", ""), gaz, "besieger"),
    )


def _actor(code: str, gaz: Gazetteer, field: str) -> str | None:
    if not code:
        return None
    if code.upper() not in gaz.actors:
        known = ", ".join(sorted(gaz.actors))
        raise EventsFileError(f"unknown {field} {code!r} (known: {known})")
    return code.upper()


def beside_db(db: Path) -> Path | None:
    """The events file kept beside a database: ``geomap.events.yaml`` (or .yml/.csv)."""
    for suffix in (".events.yaml", ".events.yml", ".events.csv"):
        candidate = db.with_name(db.stem + suffix)
        if candidate.is_file():
            return candidate
    return None
