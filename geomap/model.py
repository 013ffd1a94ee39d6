"""Records every layer shares: frozen dataclasses and Enums.

Coordinates are always ``lat``/``lon`` fields in decimal degrees (WGS84). Dates are
:class:`datetime.date`. Nothing in here reads files or imports heavy libraries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property


class PlaceKind(str, Enum):
    """What a gazetteer entry is. Values are the strings used in data files and JSON."""

    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    NEIGHBOURHOOD = "neighbourhood"
    PROVINCE = "province"
    REGION = "region"
    RIVER = "river"
    DAM = "dam"
    AIRBASE = "airbase"
    MILITARY_BASE = "military_base"
    OILFIELD = "oilfield"
    BORDER_CROSSING = "border_crossing"
    COUNTRY = "country"
    #: A hill, mountain or ridge ("Mount Hilal", "Tal Sheir", "Jabal Hayyal"): ground a side holds.
    MOUNTAIN = "mountain"
    #: A power plant, factory, silo, prison or hospital held as a position ("the Thermal power plant").
    FACILITY = "facility"
    #: A valley or plain named as an area ("the Barada valley"): drawn like a region.
    VALLEY = "valley"


#: Kinds that are points a force can hold (and that are drawn as markers on maps).
SITE_KINDS = frozenset(
    {
        PlaceKind.CITY,
        PlaceKind.TOWN,
        PlaceKind.VILLAGE,
        PlaceKind.NEIGHBOURHOOD,
        PlaceKind.DAM,
        PlaceKind.AIRBASE,
        PlaceKind.MILITARY_BASE,
        PlaceKind.OILFIELD,
        PlaceKind.BORDER_CROSSING,
        PlaceKind.MOUNTAIN,
        PlaceKind.FACILITY,
    }
)


class Role(str, Enum):
    """How a place name is used in a sentence."""

    PLACE = "place"
    #: A capital standing for its government ("Ankara said", "Moscow claimed").
    METONYM = "metonym"
    #: A border named as a place ("the Turkish border", "the Turkey-Syria border"): a line,
    #: not ground a side holds, placed at its point nearest the places around it. It may
    #: overlap the country names inside it, which stay mentions of their own.
    BORDER = "border"


@dataclass(frozen=True)
class Place:
    """One gazetteer entry.

    ``near`` is the id of the town a dam, airbase or base is named after.
    ``tolerance_km`` is set only on a place the gazetteer lacks that was placed
    approximately from the text ("X, 10 km north of Manbij"): the point is within about
    that many km of the place (see :meth:`geomap.gazetteer.Gazetteer.found_place`).
    """

    id: str
    name: str
    kind: PlaceKind
    lat: float
    lon: float
    country: str
    admin1: str = ""
    near: str = ""
    population: int | None = None
    aliases: tuple[str, ...] = ()
    source: str = ""
    curated: bool = True
    tolerance_km: float | None = None


@dataclass(frozen=True)
class Candidate:
    """A possible resolution of a name: the place, a score in 0..1 and how it was found.

    ``how`` is one of ``exact`` (the name as written), ``variant`` (after normalising
    spelling), ``fuzzy`` (a suggestion only, never used as a match).
    """

    place: Place
    score: float
    how: str


@dataclass(frozen=True)
class Mention:
    """A place name found in a text. ``start``/``end`` index the original text."""

    start: int
    end: int
    surface: str
    place: Place
    score: float
    role: Role = Role.PLACE


@dataclass(frozen=True)
class Actor:
    """A side in the war. Supporters (``holds_ground`` false) never control a place."""

    code: str
    name: str
    colour: str
    holds_ground: bool
    aliases: tuple[str, ...] = ()
    #: For a generic actor ("government forces", "Kurdish forces"): the actor it stands for
    #: in each country, as (ISO-2, code) pairs; empty for a real side.
    resolves: tuple[tuple[str, str], ...] = ()
    #: The country whose ground this side fights over (ISO-2), when it has one.
    country: str = ""


@dataclass(frozen=True)
class Article:
    """One dated dispatch. ``id`` is a hash of the normalised text (re-reading is idempotent)."""

    id: str
    text: str
    published: dt.date | None
    source: str = ""
    url: str = ""
    title: str = ""
    path: str = ""
    #: Offset of ``text`` inside the file it came from (archive pages hold many articles).
    offset: int = 0


class Precision(str, Enum):
    """How precisely a date is known. A coarse date stands for the start of its period."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class FuzzyDate:
    """A date with its precision: ``2014-08-01``/month means "in August 2014"."""

    date: dt.date
    precision: Precision = Precision.DAY

    def isoformat(self) -> str:
        """The ISO date string of :attr:`date`."""
        return self.date.isoformat()


class EventKind(str, Enum):
    """What happened to a place."""

    CAPTURED = "captured"
    RECAPTURED = "recaptured"
    ENTERED = "entered"
    ADVANCED_TO = "advanced_to"
    WITHDREW = "withdrew"
    BESIEGED = "besieged"
    SIEGE_BROKEN = "siege_broken"
    ATTACKED = "attacked"
    REPELLED = "repelled"
    HELD_BY = "held_by"
    CLAIMED_DISPUTED = "claimed_disputed"
    LOST = "lost"
    CONTESTED = "contested"


class ClaimStatus(str, Enum):
    """How the text asserts an event."""

    ASSERTED = "asserted"
    CLAIMED = "claimed"
    DISPUTED = "disputed"
    NEGATED = "negated"


class ControlStatus(str, Enum):
    """The state of a place on a date."""

    HELD = "held"
    CONTESTED = "contested"
    BESIEGED = "besieged"
    DISPUTED = "disputed"
    UNKNOWN = "unknown"


#: The end of an event's rule name when the text states part of the place ("captured 60
#: percent of Raqa", "government-held areas of the city"): the kind says what was done,
#: this says it was done to part of the place (the timeline makes the place contested).
PARTIAL = "+partial"


@dataclass(frozen=True)
class Event:
    """A dated control event with the sentence that states it.

    ``controller_after`` is the actor code holding the place after the event, or ``None``
    when the text implies none. ``rule`` names the extraction rule (or ``override``).
    """

    place: Place
    kind: EventKind
    actor: str | None
    controller_after: str | None
    date: dt.date
    precision: Precision
    status: ClaimStatus
    evidence: str
    article_id: str
    confidence: float
    rule: str
    attribution: str = ""
    source: str = ""
    evidence_start: int = 0
    evidence_end: int = 0
    besieger: str | None = None
    distance_km: float | None = None
    surface: str = ""
    #: The side the place was taken from, when the text says ("seized X from IS").
    previous: str | None = None

    @property
    def partial(self) -> bool:
        """Whether the text states the event for part of the place only."""
        return self.rule.endswith(PARTIAL)

    @cached_property  # a frozen instance: computed once, on first use
    def id(self) -> str:
        """A stable id: the same event read twice has the same id."""
        import hashlib

        key = "|".join(
            (
                self.article_id,
                self.place.id,
                self.kind.value,
                self.actor or "",
                str(self.date),
                str(self.evidence_start),
                self.rule,
            )
        )
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class ControlSpan:
    """A period during which a place had one controller and status.

    ``end`` is exclusive; ``None`` means the span is still open. ``evidence`` holds the
    events that support the span, oldest first.
    """

    place: Place
    start: dt.date
    end: dt.date | None
    controller: str | None
    status: ControlStatus
    evidence: tuple[Event, ...] = field(default_factory=tuple)
    besieger: str | None = None

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls inside the span."""
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class PlaceState:
    """One place's state on a date (a row of ``geomap state``)."""

    place: Place
    controller: str | None
    status: ControlStatus
    since: dt.date | None
    evidence: tuple[Event, ...] = ()
    besieger: str | None = None


@dataclass(frozen=True)
class Change:
    """How one place's state differs between two dates, with the events between them."""

    place: Place
    before: PlaceState | None
    after: PlaceState | None
    events: tuple[Event, ...] = ()
    #: Changed hands and came back inside the window: the same at both ends.
    round_trip: bool = False


class DistanceRelation(str, Enum):
    """What a distance statement measures."""

    PLACE_TO_PLACE = "place_to_place"  # "the Tabqa dam, 40km upstream from Raqqa city"
    FORCE_TO_PLACE = "force_to_place"  # "troops to within less than 40km of Tabqa"
    PLACE_TO_BORDER = "place_to_border"  # "25 kilometers south of the Turkish border"
    ADVANCE = "advance"  # "advance an estimated 12 miles toward the town of Tabqa"


@dataclass(frozen=True)
class DistanceClaim:
    """A distance an article states, with what can be measured of it.

    ``claimed_km`` is the stated figure in km (miles converted); ``as_written`` keeps the
    text ("6 miles (10 kilometers)"). ``measured_km`` is the geodesic distance where two
    places (or a place and a border) are named, else ``None``.
    """

    relation: DistanceRelation
    place: Place
    claimed_km: float
    as_written: str
    qualifier: str
    date: dt.date
    evidence: str
    article_id: str
    other: Place | None = None
    border: str = ""
    actor: str | None = None
    measured_km: float | None = None
    source: str = ""
