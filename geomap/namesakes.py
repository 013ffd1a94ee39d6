"""Choosing among namesakes, and admitting word-like village names, by the article's context.

Syria and Iraq have thousands of repeated village names (21 villages called Judaydah) and
villages named like words or people (Rahman, Jihad, Adam). The gazetteer finds the
candidates; this module decides with what the article says around them:

- a province named in the article ("in Hasakah province", "the Raqqa countryside") favours
  the candidates inside it;
- the places already resolved in the article (*anchors*) favour the candidate nearest them,
  the anchors of the same sentence ("near Y", "N km north of Y") counting most;
- a *weak* name (a bulk village named like a word, a person or a short token) is a place
  only with a cue ("the village of X", "X village", "in X", "near X", "outside X", "X
  countryside") or, for names that are not words or people, an anchor within 50 km.

Everything here is pure: places in, places out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from geomap.model import Place, PlaceKind

#: How far (km) an anchor may be for a weak name to count as a place.
WEAK_RADIUS_KM = 50.0
#: Beyond this (km), the nearest anchor says nothing about which namesake is meant.
CONTEXT_RADIUS_KM = 150.0
#: An anchor this close in the text (characters) counts double: "near Y", "N km north of Y".
LOCAL_CHARS = 160

# Kinds that stand at a point and so can anchor the places around them.
ANCHOR_KINDS = frozenset(
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

# What may stand before a weak name for it to read as a place.
_DIRECTION = (
    r"north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west"
    r"|south-east|south-west"
)
# Words of taking and holding ground: what follows them is a place ("seized Minakh", "the
# recapture of Bashir", "regained control of Dhuluiyah").
_CONTROL = (
    r"captured?|capturing|seized?|seizing|took|retook|retake|retaking|recaptured?|recapturing"
    r"|stormed|storming|entered|entering|liberated?|liberating|shelled|reached|overran"
    r"|(?:capture|recapture|seizure|liberation|fall|siege|control|outskirts|fields?) of"
)
CUE_BEFORE = re.compile(
    r"(?:\b(?:villages?|towns?|hamlets?|farms?|area|areas|outskirts|countryside|suburbs?"
    r"|districts?|vicinity|hills?|settlements?|localities|locality|neighbou?rhoods?) of"
    r"|\b(?:in|In|near|Near|outside|Outside|around|into|toward|towards|nearby|at|from)"
    rf"|\b(?:{_DIRECTION})(?:ern)? of"
    rf"|\b(?:{_CONTROL})"
    r")\s+(?:the\s+)?(?:villages?\s+of\s+|towns?\s+of\s+)?$"
)
# "the villages of A, B and C": the cue carries along a list.
CUE_LIST = re.compile(
    r"\b(?:villages|towns|hamlets|areas|villages of|towns of|including"
    rf"|{_CONTROL})\b[^.;:!?\n]{{0,300}}"
    r"(?:,|\band|\bor)\s+$",
    re.IGNORECASE,
)
_LIST_NAME = r"[A-Z‘’ʿ][\w'’‘-]*(?:\s+(?:al-|el-)?[A-Z‘’ʿ][\w'’‘-]*){0,2}"
CUE_AFTER = re.compile(
    r"(?:(?i:\s+(?:villages?|towns?|hamlets?|countryside|areas?|districts?|hills?|farms?"
    r"|neighbou?rhoods?|suburbs?|outskirts)\b|,\s+(?:a|the)\s+(?:village|town|hamlet)\b)"
    # (match() anchors at its start position: no "^", which anchors at the text's start)
    # the first names of a list that a plural names: "the Kalasseh and Mahatta neighbourhoods"
    rf"|(?:(?:,\s+(?:and\s+)?|\s+and\s+){_LIST_NAME}){{1,6}}"
    r"\s+(?i:villages|towns|areas|districts|neighbou?rhoods|suburbs|fields|hills)\b)",
)
ARABIC_CUE_BEFORE = re.compile(
    "(?:\u0642\u0631\u064a\u0647|\u0642\u0631\u064a\u0629|\u0628\u0644\u062f\u0647|\u0628\u0644\u062f\u0629"
    "|\u0645\u062f\u064a\u0646\u0647|\u0645\u062f\u064a\u0646\u0629|\u0641\u064a|\u0642\u0631\u0628"
    "|\u0631\u064a\u0641|\u0642\u0631\u0649|\u0628\u0644\u062f\u0627\u062a|\u0645\u0646)\\s+$"
)


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places in km (haversine on a 6371 km sphere).

    Close enough to choose between namesakes; geomap.geometry measures geodesics for output.

    Examples
    --------
    >>> from geomap.model import Place, PlaceKind
    >>> raqqa = Place("r", "Raqqa", PlaceKind.CITY, 35.95, 39.01, "SY")
    >>> tabqa = Place("t", "Tabqa", PlaceKind.TOWN, 35.84, 38.55, "SY")
    >>> round(distance_km(raqqa, tabqa))
    43
    """
    p = math.pi / 180
    h = (
        math.sin((b.lat - a.lat) * p / 2) ** 2
        + math.cos(a.lat * p) * math.cos(b.lat * p) * math.sin((b.lon - a.lon) * p / 2) ** 2
    )
    return 12742.0 * math.asin(math.sqrt(min(1.0, h)))


def has_cue(text: str, start: int, end: int) -> bool:
    """Whether the words around ``text[start:end]`` say it is a place ("the village of X")."""
    before = text[max(0, start - 200) : start]
    return bool(
        CUE_BEFORE.search(before[-60:])
        or CUE_LIST.search(before)
        or CUE_AFTER.match(text, end, end + 160)
        or ARABIC_CUE_BEFORE.search(before[-20:])
    )


@dataclass
class Context:
    """What an article says about where it is: resolved places and provinces named."""

    #: (character offset, place) of the places resolved without doubt.
    anchors: list[tuple[int, Place]] = field(default_factory=list)
    #: Keys of the provinces named in the article (see :func:`admin_matches`).
    provinces: set[str] = field(default_factory=set)

    def add(self, at: int, place: Place, admin_keys: Iterable[str] = ()) -> None:
        """Record a resolved place; a province adds its keys instead of an anchor point."""
        if place.kind is PlaceKind.PROVINCE:
            self.provinces.update(admin_keys)
        elif place.kind in ANCHOR_KINDS:
            self.anchors.append((at, place))

    def nearest(self, place: Place, at: int) -> float:
        """Distance (km) from ``place`` to the nearest anchor; local anchors count double."""
        best = math.inf
        for pos, anchor in self.anchors:
            if anchor.id == place.id:
                continue
            d = distance_km(place, anchor)
            if abs(pos - at) <= LOCAL_CHARS:
                d /= 2
            best = min(best, d)
        return best


@dataclass(frozen=True)
class Choice:
    """The place chosen among candidates, how sure (0..1) and the runner-up."""

    place: Place
    score: float
    runner_up: Place | None = None


def choose(
    candidates: Sequence[Place], at: int, ctx: Context, admin_key: dict[str, str]
) -> Choice | None:
    """The candidate the context points to, or ``None`` when the context says nothing.

    ``candidates`` come best first by the gazetteer's own ranking; ``admin_key`` maps a
    place id to the key of its province. A candidate in a province the article names wins;
    then the one nearest the anchors, if an anchor is within :data:`CONTEXT_RADIUS_KM`.
    """
    if len(candidates) < 2:
        return None
    in_named = [p for p in candidates if admin_key.get(p.id, "") in ctx.provinces]
    pool = in_named if in_named and len(in_named) < len(candidates) else list(candidates)
    dist = {p.id: ctx.nearest(p, at) for p in pool}
    ranked = sorted(pool, key=lambda p: dist[p.id])
    best = ranked[0]
    if dist[best.id] > CONTEXT_RADIUS_KM:
        if pool is in_named:
            rest = [p for p in candidates if p is not in_named[0]]
            return Choice(in_named[0], 0.8, rest[0] if rest else None)
        return None
    runner = next((p for p in candidates if p is not best), None)
    # Sure when the province says so, or when the next namesake is much farther away.
    second = dist.get(runner.id, math.inf) if runner is not None else math.inf
    sure = pool is in_named or second > 2 * dist[best.id] + 10
    return Choice(best, 0.9 if sure else 0.75, runner)


_BEARINGS = {
    "north": 0.0,
    "northeast": 45.0,
    "east": 90.0,
    "southeast": 135.0,
    "south": 180.0,
    "southwest": 225.0,
    "west": 270.0,
    "northwest": 315.0,
}


def bearing_of(direction: str) -> float | None:
    """Degrees clockwise from north for "north", "north-east", "southwestern"...; else None.

    Examples
    --------
    >>> bearing_of("north-east"), bearing_of("Southern"), bearing_of("up")
    (45.0, 180.0, None)
    """
    word = direction.lower().replace("-", "").replace(" ", "")
    word = word[:-3] if word.endswith("ern") else word
    return _BEARINGS.get(word)


def offset(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) on ``bearing`` degrees, as (lat, lon), on a sphere.

    Examples
    --------
    >>> lat, lon = offset(36.0, 38.0, 111.2, 0.0)
    >>> round(lat, 2), round(lon, 2)
    (37.0, 38.0)
    """
    r = km / 6371.0
    p = math.pi / 180
    phi, lam, theta = lat * p, lon * p, bearing * p
    phi2 = math.asin(math.sin(phi) * math.cos(r) + math.cos(phi) * math.sin(r) * math.cos(theta))
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(r) * math.cos(phi), math.cos(r) - math.sin(phi) * math.sin(phi2)
    )
    return round(phi2 / p, 5), round(lam2 / p, 5)


def near_anchor(candidates: Sequence[Place], at: int, ctx: Context) -> Place | None:
    """The candidate within :data:`WEAK_RADIUS_KM` of an anchor (nearest first), if any."""
    best: tuple[float, Place] | None = None
    for place in candidates:
        d = ctx.nearest(place, at)
        # ``nearest`` halves local distances; compare the real radius for them too.
        if d <= WEAK_RADIUS_KM and (best is None or d < best[0]):
            best = (d, place)
    return best[1] if best else None
