"""The place index: load gazetteer data, resolve names, find place names in text.

The data lives in the top-level ``gazetteer/`` folder (see its README): curated places in
``places/*.csv``, a GeoNames extract in ``geonames/places.csv``, the actor lexicon, names
that contain place names but are not places (``non_places.csv``) and capitals that may
stand for their governments (``capitals.csv``).

Finding names in text is one pass of one compiled pattern over the text that picks out
*name chunks* (runs of capitalised words, joined by Arabic articles and small connectors,
with trailing feature words such as "dam" or "province"), then a longest-match lookup of
each chunk's token keys in a hash index that holds place aliases and "shields"
(organisations, actors, people). A shield that covers a span hides any place inside it,
so "Syrian Observatory for Human Rights" or "Manbij Military Council" map nothing. Chunks
repeat a lot in news text, so their analysis is memoised.
"""

from __future__ import annotations

import csv
import gc
import gzip
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property, lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any

from geomap.errors import GazetteerError
from geomap.gazetteer_cache import index_path, read_index, write_index
from geomap.model import Actor, Candidate, Mention, Place, PlaceKind, Role
from geomap.names import (
    ARTICLES,
    NAME_PREFIX_WORDS,
    VILLAGE_WORD,
    ei_for_i,
    fold_text,
    loose_key,
    name_key,
    spelling_variants,
    split_tokens,
    token_key,
)
from geomap.namesakes import (
    ANCHOR_KINDS,
    CONTEXT_RADIUS_KM,
    Context,
    bearing_of,
    choose,
    distance_km,
    has_cue,
    near_anchor,
    offset,
)

PLACE_COLUMNS = (
    "id",
    "name",
    "kind",
    "lat",
    "lon",
    "country",
    "admin1",
    "near",
    "population",
    "aliases",
    "source",
    "notes",
)
MAX_NAME_LENGTH = 200

# Lower kind priority wins when a bare name fits several places ("Raqqa": the city).
_KIND_PRIORITY = {
    PlaceKind.CITY: 0,
    PlaceKind.TOWN: 1,
    PlaceKind.PROVINCE: 2,
    PlaceKind.VILLAGE: 3,
    PlaceKind.COUNTRY: 3,
    PlaceKind.NEIGHBOURHOOD: 4,
    PlaceKind.REGION: 5,
    PlaceKind.RIVER: 5,
}
# Feature words next to a name say which kind of place it is.
_FEATURE_KINDS: dict[str, tuple[PlaceKind, ...]] = {
    "province": (PlaceKind.PROVINCE,),
    "governorate": (PlaceKind.PROVINCE,),
    "countryside": (PlaceKind.PROVINCE, PlaceKind.REGION),
    "city": (PlaceKind.CITY, PlaceKind.TOWN),
    "town": (PlaceKind.TOWN, PlaceKind.CITY),
    "village": (PlaceKind.VILLAGE, PlaceKind.TOWN),
    "dam": (PlaceKind.DAM,),
    "reservoir": (PlaceKind.DAM,),
    "airbase": (PlaceKind.AIRBASE,),
    "military air base": (PlaceKind.AIRBASE,),
    "military airbase": (PlaceKind.AIRBASE,),
    "military airfield": (PlaceKind.AIRBASE,),
    "oil fields": (PlaceKind.OILFIELD,),
    "gas fields": (PlaceKind.OILFIELD,),
    "air base": (PlaceKind.AIRBASE,),
    "airport": (PlaceKind.AIRBASE,),
    "military airport": (PlaceKind.AIRBASE,),
    "airfield": (PlaceKind.AIRBASE,),
    "air field": (PlaceKind.AIRBASE,),
    "base": (PlaceKind.MILITARY_BASE, PlaceKind.AIRBASE),
    "military base": (PlaceKind.MILITARY_BASE,),
    "oilfield": (PlaceKind.OILFIELD,),
    "oil field": (PlaceKind.OILFIELD,),
    "gas field": (PlaceKind.OILFIELD,),
    "field": (PlaceKind.OILFIELD,),
    "river": (PlaceKind.RIVER,),
    "crossing": (PlaceKind.BORDER_CROSSING,),
    "border crossing": (PlaceKind.BORDER_CROSSING,),
    "gate": (PlaceKind.BORDER_CROSSING,),
    "border gate": (PlaceKind.BORDER_CROSSING,),
    "refinery": (PlaceKind.OILFIELD,),
    "oil refinery": (PlaceKind.OILFIELD,),
    "terminal": (PlaceKind.OILFIELD,),
    "oil terminal": (PlaceKind.OILFIELD,),
    "headquarters": (PlaceKind.MILITARY_BASE,),
    "military headquarters": (PlaceKind.MILITARY_BASE,),
    "valley": (PlaceKind.REGION,),
    "district": (PlaceKind.NEIGHBOURHOOD, PlaceKind.REGION),
    "neighbourhood": (PlaceKind.NEIGHBOURHOOD,),
    "neighborhood": (PlaceKind.NEIGHBOURHOOD,),
    # Site words (see _SITE_WORDS): a site at or next to the place the name is ("the
    # Handarat factories", "the Zakiyah Crossroad", "the Minyan Suburb", "Wadi Deif Camp").
    "camp": (PlaceKind.MILITARY_BASE,),
    "farm": (PlaceKind.VILLAGE,),
    "farms": (PlaceKind.VILLAGE,),
    "plain": (PlaceKind.REGION,),
    "plains": (PlaceKind.REGION,),
    "suburb": (PlaceKind.NEIGHBOURHOOD,),
    "suburbs": (PlaceKind.NEIGHBOURHOOD,),
    "quarter": (PlaceKind.NEIGHBOURHOOD,),
    "factory": (PlaceKind.FACILITY,),
    "factories": (PlaceKind.FACILITY,),
    "crossroad": (PlaceKind.REGION,),
    "crossroads": (PlaceKind.REGION,),
    "springs": (PlaceKind.VILLAGE,),
}
# Site words: "X <word>" with no place of that name is a site at X, so it names the place
# of X ("the Handarat factories": Handarat); "X Springs" is first "Ain X" (the Arabic word
# for a spring), "X Camp" first an army camp "X base".
_SITE_WORDS = frozenset(
    name_key(w)
    for w in "camp farm farms plain plains suburb suburbs quarter factory factories crossroad"
    " crossroads springs".split()
)
_SPRINGS = name_key("springs")
_CAMP = name_key("camp")
_AYN = name_key("Ain")
# Longest first, so "military headquarters" is split off before "headquarters".
_FEATURE_KEYS = {
    name_key(word): kinds
    for word, kinds in sorted(_FEATURE_KINDS.items(), key=lambda item: -len(item[0]))
}

# Every leading run of words of a feature key ("military", "military air", ...): a
# feature phrase can start only at a key among these.
_FEATURE_HEADS = frozenset(
    " ".join(key.split()[:n]) for key in _FEATURE_KEYS for n in range(1, key.count(" ") + 2)
)

# Kind -> the feature words that say it, longest first ("oil field", "field", ...).
_FEATURES_OF_KIND: dict[PlaceKind, tuple[str, ...]] = {}
for _feature, _kinds in _FEATURE_KEYS.items():
    if _feature in _SITE_WORDS:
        continue  # "X base" is never looked up as "X camp"
    _FEATURES_OF_KIND[_kinds[0]] = (*_FEATURES_OF_KIND.get(_kinds[0], ()), _feature)

# Capitalised words that may stand next to a place name without being part of another name.
_FEATURE_LAST_WORDS = frozenset(key.rsplit(" ", 1)[-1] for key in _FEATURE_KEYS)
_NEUTRAL_WORDS = frozenset(
    """a an the in on at of to from by for and or but as near into onto inside outside
    around across toward towards after before since until during while when where
    meanwhile also then once north south east west northern southern eastern western
    central northeast northwest southeast southwest northeastern northwestern southeastern
    southwestern greater upper lower old new syrian iraqi turkish kurdish libyan russian palestinian
    iranian american jordanian lebanese arab
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december jan feb mar apr jun jul aug sep
    sept oct nov dec report update breaking file photo video watch read more""".split()
)
_NEUTRAL_KEYS = frozenset(token_key(w) for w in _NEUTRAL_WORDS)

_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"
_ART = r"(?:al|el|ar|as|ash|at|ath|ad|az|an|ez|es|ed|er|et|adh|ul)[-\u2010\u2011]"
_CAP = rf"(?:{_ART})?[‘’ʿʾ]?[{_UP}][\w'’‘ʿʾ\u00ad\u200b-\u200d\u2060]*(?:[-\u2010\u2011](?:{_ART})?[‘’ʿʾ]?[{_UP}0-9][\w'’‘ʿʾ\u00ad\u200b-\u200d\u2060]*)*"
_NUM = r"\d{1,4}(?:st|nd|rd|th)?"
_CONN = r"(?:of|and|the|for|in|on|al|el|ar|as|ash|at|ath|ad|az|an|ez|es|ed|er|et|bin|ibn|bani|de)"
# Keys of the words a chunk may end with that need be part of none of its names: the
# connectors and neutral words, less the feature words (see Gazetteer._core_end).
_TAIL_CANDIDATES = (_NEUTRAL_KEYS | {name_key(w) for w in re.findall(r"[a-z]+", _CONN)}) - (
    _FEATURE_HEADS | _FEATURE_LAST_WORDS
)
_FEAT = (
    r"(?:military air ?base|military air ?field|military airport|military base|air base|air field"
    r"|airbase|airfield|airport|dam|base"
    r"|province|governorate|countryside|city|town|village|river|oil ?fields?|gas ?fields?|fields?"
    r"|border[-\u2010\u2011 ]crossing|border[-\u2010\u2011 ]gate|crossing|gate|valley|district|neighbou?rhood|reservoir"
    r"|oil refinery|refinery|oil terminal|terminal|military headquarters|headquarters"
    # site words in small letters ("the Handarat factories"); not those starting with s or
    # q ("suburb", "springs", "quarter": written capitalised they are chunk words anyway),
    # so that the look-ahead below stays off "said", "since"...
    r"|camp|farms?|plains?|factory|factories|crossroads?)"
)
# A chunk starts at a capital, or at a number before one ("17th Division"). The pattern
# opens with a character class so that the regex engine scans for it fast (a look-ahead
# first is half as fast); the look-behinds then say which of the two it was (a capital
# first: the common case). An attached article before it ("ar-Raqqah") and a word character
# or hyphen before it ("pro-Assad") are handled in _chunks().
#
# Where the pattern tries an alternation (connectors, the next name, feature words) at every
# chunk's end, a look-ahead for the letters the alternatives can start with comes first: the
# engine then skips the thirty alternatives at "met", "said" with one test. The look-aheads
# only state what the alternatives need, so they match exactly what the plain pattern does
# (a test compares the two).


def _first_letters(alternation: str) -> str:
    """The letters that words of a regex alternation of plain words start with."""
    return "".join(sorted({word[0] for word in re.findall(r"[a-z]+", alternation)}))


def _chunk_pattern(guarded: bool = True) -> re.Pattern[str]:
    """The name-chunk pattern; ``guarded=False`` gives it without the look-aheads."""
    conn = f"(?=[{_first_letters(_CONN)}])" if guarded else ""
    feat = f"(?=[{_first_letters(_FEAT)}])" if guarded else ""
    # the next name: an article (al-, el-, ul-...), a mark, a capital or a number
    name = f"(?=[{_first_letters(_ART)}‘’ʿʾ{_UP}0-9])" if guarded else ""
    return re.compile(
        rf"[{_UP}0-9](?:(?<![0-9])|(?<=\d)\d{{0,3}}(?:st|nd|rd|th)?[ \t\u00a0]+[{_UP}])"
        rf"[\w'’‘ʿʾ\u00ad\u200b-\u200d\u2060]*"
        rf"(?:[-\u2010\u2011](?:{_ART})?[‘’ʿʾ]?[{_UP}0-9][\w'’‘ʿʾ\u00ad\u200b-\u200d\u2060]*)*"
        rf"(?:(?:[ \t\u00a0]+(?:{conn}{_CONN}[ \t\u00a0]+){{0,2}}|[-\u2010\u2011]){name}"
        rf"(?:{_CAP}|{_NUM}\b))*"
        rf"(?:[ \t\u00a0]+{feat}{_FEAT}\b){{0,2}}"
    )


_CHUNK = _chunk_pattern()
_ART_BEFORE = re.compile(rf"(?<![\w'’-]){_ART}$")


_HYPHENS = frozenset("-\u2010\u2011")
_AYN_MARKS = frozenset("‘’'`ʿʾ")
_PATRONYMIC = frozenset({"bin", "ibn", "bint", "Bin", "Ibn", "Bint"})
_UNSEEN: Any = object()
_ROLE = attrgetter("role")
_MEMO_SIZE = 200_000
_GLUE = frozenset("'’_") | _HYPHENS


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Name chunks of ``text`` as (start, chunk), an attached Arabic article included."""
    for m in _CHUNK.finditer(text):
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "'’_"):
            continue  # inside a word
        if start and text[start - 1] in "-\u2010\u2011":
            article = _ART_BEFORE.search(text, max(0, start - 5), start)
            if article is None:
                continue  # the tail of a compound ("pro-Assad")
            start = article.start()
        yield start, text[start : m.end()]


# A token opens with a letter (or an ʿayn/hamza letter), never with a quote mark: the span of
# "‘Rabiyah’" starts at the R.
_WORD = re.compile(rf"{_NUM}|(?:{_ART})?[ʿʾ]?\w[\w'’‘ʿʾ\u00ad\u200b-\u200d\u2060]*")
_COMPOUND_AFTER = re.compile(
    r"[-\u2010\u2011](?:based|backed|born|led|linked|affiliated|allied|trained|brokered|held"
    r"|controlled|run|funded|supported|bound|style|era)\b",
    re.IGNORECASE,
)
_KIND_BEFORE = re.compile(
    r"\b(province|governorate|city|town|village|district|region|river)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PLACE_CUE = re.compile(
    r"\b(?:(?:town|village|city|district|province|area|outskirts|suburb|countryside) of"
    r"|in|near|outside|into|toward|towards)\s+(?:the\s+)?$",
)
_METONYM_VERB = re.compile(
    r"^(?:['’]s\s+\w+\s+)?\s*(?:said|says|say|claimed|claims|claiming|denied|denies|announced"
    r"|views|viewed|sees|insists|insisted|accused|accuses|warned|wants|wanted|has|had|have"
    r"|would|will|could|regards|regarded|rejected|responded|refused|demanded|threatened"
    r"|backs|backed|supports|supported|sent|declared|agreed|hopes|believes|fears|is|was"
    r"|\w+ing)\b",
    re.IGNORECASE,
)
_METONYM_NOUN = re.compile(
    r"^\s+(?:envoy|request|government|statement|military statement|regime|delegation|officials"
    r"|authorities|ally|allies|backing|support|administration|leadership|position|stance)\b",
    re.IGNORECASE,
)
_METONYM_BEFORE = re.compile(r"\b(?:both|between|and)\s+$|\b(?:an?|the)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class UnknownPlace:
    """A place the text names ("the village of X", "X hill") that the gazetteer lacks.

    With an anchor ("X, 10 km north of Manbij", "X near Manbij") it has an approximate
    point (``lat``/``lon``) computed from the anchor and ``tolerance_km`` says how rough it
    is; with none it is only listed (``lat``/``lon`` are ``None``).
    """

    name: str
    kind: PlaceKind
    start: int
    end: int
    anchor: Place | None = None
    distance_km: float | None = None
    bearing: float | None = None
    lat: float | None = None
    lon: float | None = None
    tolerance_km: float | None = None
    #: How the anchor places it when no distance is given: "near" ("X near Y") or "in"
    #: (a part of the anchor: "the X district of Y", "Y's X district", a sentence "in Y").
    relation: str = "near"


@dataclass(frozen=True)
class _Hit:
    """A place or shield found inside one chunk (chunk-relative token positions)."""

    first: int
    last: int  # inclusive token index
    places: tuple[Place, ...]
    exact: bool
    hint: tuple[PlaceKind, ...] = ()
    #: One word, no article, and also a common English word ("Tall", "War").
    common: bool = False
    #: 0 a name to map; 1 a bulk village named by one short or plain token: it needs a cue
    #: or an anchor within 50 km; 2 named like a word or a person: it needs a cue.
    weak: int = 0
    #: Some place of the hit has sites named after it ("Thawra": its oil field).
    sites: bool = False
    #: One place, a plain one: no namesakes, sites, unit, metonym or weakness to weigh.
    plain: bool = False

    @cached_property
    def country(self) -> str:
        """The one country of the hit's places, or "" when they lie in several."""
        countries = {p.country for p in self.places}
        return countries.pop() if len(countries) == 1 else ""

    @cached_property
    def bases(self) -> bool:
        """Every place of the hit is a military base (a unit's name may stand for it)."""
        return all(p.kind is PlaceKind.MILITARY_BASE for p in self.places)


# A hit laid out in its chunk: start, end (characters), the hit, glued, quick (see _lay_out).
_Laid = tuple[int, int, _Hit, int, bool]
#: ``glued`` of a name glued only to the chunk's first word ("Recapturing Ramadi"): a
#: sentence's first word, capitalised as any is there, may be an English word (see find).
_GLUED_TO_FIRST = 2


@dataclass
class Gazetteer:
    """The place index. Build it with :func:`load_gazetteer`."""

    places: dict[str, Place]
    actors: dict[str, Actor] = field(default_factory=dict)
    capitals: frozenset[str] = frozenset()
    #: Where the common English words live; their keys are built on first use.
    common_words_path: Path | None = None
    _by_key: dict[str, list[Place]] = field(default_factory=dict, repr=False)
    _by_loose: dict[str, list[Place]] = field(default_factory=dict, repr=False)
    _exact: set[str] = field(default_factory=set, repr=False)
    _shields: dict[str, str] = field(default_factory=dict, repr=False)
    _max_tokens: int = 1
    #: key -> {place id: weakness} for the bulk places a key may name only with a cue.
    _weak: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)
    #: Keys that name at least one place without a cue (others do not glue names apart).
    _strong_keys: set[str] = field(default_factory=set, repr=False)
    #: place id -> key of its province (namesakes are chosen by the province named).
    _admin_key: dict[str, str] = field(default_factory=dict, repr=False)
    #: province place id -> the keys it is known by as an admin1.
    _province_keys: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    #: town id -> the places named after it ("near").
    _near_index: dict[str, list[Place]] = field(default_factory=dict, repr=False)

    @property
    def common_words(self) -> frozenset[str]:
        """Common English words, folded (a one-word name written as one needs more)."""
        cached: frozenset[str] | None = getattr(self, "_common_cache", None)
        if cached is None:
            cached = _common_word_keys(self.common_words_path, self)
            self._common_cache = cached
        return cached

    def __repr__(self) -> str:
        return f"Gazetteer({len(self.places)} places, {len(self.actors)} actors)"

    def __post_init__(self) -> None:
        self._chunk_hits = lru_cache(maxsize=200_000)(self._analyse_chunk)
        self._chunk_memo: dict[str, tuple[_Laid, ...] | None] = {}
        #: (token index, words, feature kinds after them) -> what those words name: the
        #: same name comes back in many chunks ("Masyaf", "Masyaf on Sunday", "Masyaf town").
        self._hit_memo: dict[tuple[int, tuple[str, ...], tuple[PlaceKind, ...]], _Hit | None] = {}
        #: word as written -> its tail guard (see _core_end)
        self._tail_words: dict[str, set[str] | None] = {}
        self._may_be_unresolved = lru_cache(maxsize=50_000)(self._name_may_be_unresolved)

    def _lay_out(self, chunk: str) -> tuple[_Laid, ...] | None:
        """The place hits of a chunk with their character spans; ``None`` if nothing (not
        even a shield) matched. Memoised in one dict, so a chunk seen before costs ``find``
        one lookup.

        Each entry is (start, end, hit, glued, quick): ``glued`` when the name is glued
        into a longer unknown name (:data:`_GLUED_TO_FIRST` when only to the chunk's first
        word), ``quick`` when none of the checks that need the text
        around the chunk applies (glued, a direction word may come before it, a common
        word), so that ``find`` takes the hit as it is.

        Separator words at the end ("on Sunday") are left off first (see
        :meth:`_core_end`), so "Masyaf on Sunday" and "Masyaf on Monday" share one analysis.
        """
        memo = self._chunk_memo
        if len(memo) >= _MEMO_SIZE:
            memo.clear()  # bounded: a long ingest of varied text stays flat
        end = self._core_end(chunk)
        if end < len(chunk):  # "Masyaf on Sunday" lays out as "Masyaf on" (memoised)
            core = chunk[:end]
            known = memo.get(core, _UNSEEN)
            laid = self._lay_out_words(core) if known is _UNSEEN else known
            memo[core] = memo[chunk] = laid
        else:
            laid = memo[chunk] = self._lay_out_words(chunk)
        return laid

    def _lay_out_words(self, chunk: str) -> tuple[_Laid, ...] | None:
        """What :meth:`_lay_out` gives, found from the chunk's words (not memoised)."""
        tokens = _token_words(chunk)
        words = [w for w, _ in tokens]
        keys = ["" if _is_article(w) else name_key(w) for w in words]
        hits = self._match_tokens(words, keys)
        if "ei" in chunk or "Ei" in chunk:  # "Menbeij": see _read_ei_as_i
            hits = self._read_ei_as_i(words, hits)
        hits = self._with_vowel_loose(words, hits)
        laid: tuple[_Laid, ...] | None = None
        if hits:
            directional = self._directional_ids
            entries: list[_Laid] = []
            for hit in hits:
                if not hit.places:
                    continue  # a shield hides what it covers and is not a place itself
                start, end = tokens[hit.first][1][0], tokens[hit.last][1][1]
                turns = not start and hit.places[0].id in directional  # "eastern Aleppo"
                if hit.common and not turns and chunk[start:end] not in self._exact_raw:
                    continue  # a common word ("The", "June") not written as a listed name
                glued = int(self._is_inside_longer_name(hit, words, keys))
                if (
                    glued
                    and hit.first == 1
                    and not self._is_inside_longer_name(
                        replace(hit, first=0, last=hit.last - 1), words[1:], keys[1:]
                    )
                ):
                    glued = _GLUED_TO_FIRST
                entries.append((start, end, hit, glued, not (glued or hit.common or turns)))
            laid = tuple(entries)
        return laid

    def _forget_chunks(self) -> None:
        """Drop the chunk memos: a place or shield added changes what a chunk names."""
        if (
            self._chunk_memo
            or self._hit_memo
            or self._tail_words
            or self._chunk_hits.cache_info().currsize
        ):
            self._chunk_memo.clear()
            self._hit_memo.clear()
            self._tail_words.clear()
            self._chunk_hits.cache_clear()

    # ----------------------------------------------------------------- building
    def add_place(self, place: Place, extra_aliases: Iterable[str] = ()) -> None:
        """Index ``place`` under its name, aliases and ``extra_aliases``."""
        self._forget_chunks()
        self.__dict__.pop("_variant_index", None)  # rebuilt on next use
        self.places[place.id] = place
        for alias in _spellings(place, (place.name, *place.aliases, *extra_aliases)):
            key = name_key(alias)
            if not key or key in _FEATURE_KEYS:
                continue  # nothing but a feature word ("Ar Ar Border Crossing" less "Ar Ar")
            bucket = self._by_key.setdefault(key, [])
            if place not in bucket:
                bucket.append(place)
            loose = self._by_loose.setdefault(loose_key(alias), [])
            if place not in loose:
                loose.append(place)
            if not isinstance(alias, _Bare):
                self._exact.add(_exact_form(alias))
            self._max_tokens = max(self._max_tokens, key.count(" ") + 1)
            self._note_key(key)

    def add_shield(self, name: str, kind: str) -> None:
        """Mark ``name`` as a name that is not a place (organisation, actor, person...)."""
        key = name_key(name)
        self._forget_chunks()
        if key:
            self._shields[key] = kind
            self._max_tokens = max(self._max_tokens, key.count(" ") + 1)
            self._note_key(key)

    def _note_key(self, key: str) -> None:
        """Bring the caches made from all the keys up to date with one more key."""
        if (prefixes := getattr(self, "_prefix_cache", None)) is not None:
            _add_prefixes(prefixes, key)
        if (guards := getattr(self, "_tail_cache", None)) is not None:
            _guard_tail(guards, key)

    # ---------------------------------------------------------------- resolving
    def get(self, place_id: str) -> Place:
        """The place with id ``place_id``.

        Raises
        ------
        GazetteerError
            If no place has that id.
        """
        try:
            return self.places[place_id]
        except KeyError:
            raise GazetteerError(f"unknown place id {place_id!r}") from None

    def named_after(self, place_id: str) -> list[Place]:
        """The sites named after a town (its dam, air base, oil field: their ``near``).

        Examples
        --------
        >>> sorted(p.kind.value for p in load_gazetteer().named_after("sy-tabqa"))[:2]
        ['airbase', 'dam']
        """
        return list(self._near_index.get(place_id, ()))

    def province_of(self, place: Place) -> Place | None:
        """The province a place lies in: the province of its country known by its admin1
        (the same keys namesakes are chosen by; curated provinces first).

        Examples
        --------
        >>> gaz = load_gazetteer()
        >>> gaz.province_of(gaz.places["sy-deir-ez-zor"]).id
        'sy-deir-ez-zor-province'
        """
        if place.kind is PlaceKind.PROVINCE:
            return place
        key = self._admin_key.get(place.id)
        if not key:
            return None
        memo: dict[tuple[str, str], Place | None] = self.__dict__.setdefault("_province_memo", {})
        found = memo.get((place.country, key), place)  # the place itself: not looked up yet
        if found is place:
            provinces = sorted(
                (
                    self.places[pid]
                    for pid, keys in self._province_keys.items()
                    if key in keys
                    and pid in self.places
                    and self.places[pid].country == place.country
                ),
                key=lambda p: (not p.curated, p.id),
            )
            found = memo[(place.country, key)] = provinces[0] if provinces else None
        return found

    def resolve(self, name: str, limit: int = 5) -> list[Candidate]:
        """Candidates for ``name``, best first.

        A name found in the index (as written or after normalising its spelling) gives
        candidates with ``how`` ``exact`` or ``variant``; otherwise fuzzy suggestions come
        back with ``how == "fuzzy"``: they are suggestions, never matches.

        Raises
        ------
        GazetteerError
            If ``name`` is empty or longer than 200 characters.
        """
        name = name.strip()
        if not name or not any(ch.isalnum() for ch in name):
            raise GazetteerError("expected a place name, got an empty string")
        if len(name) > MAX_NAME_LENGTH:
            raise GazetteerError(
                f"expected a place name of at most {MAX_NAME_LENGTH} characters, got {len(name)}"
            )
        found = self._resolve_name(name, limit)
        if (not found or found[0].how == "fuzzy") and "," in name:
            head, _, rest = name.partition(",")
            if head.strip() and any(ch.isalnum() for ch in rest):
                return self._resolve_in_context(head, rest.split(","), limit) or found
        return found

    def _resolve_in_context(self, name: str, context: list[str], limit: int) -> list[Candidate]:
        """ "Khirbat Askar, Hasakah": the namesake the places after the comma point to."""
        found = [c for c in self._resolve_name(name, 1000) if c.how != "fuzzy"]
        if not found:
            return []
        ctx = Context()
        for part in context:
            if part.strip() and (place := self.match(part)) is not None:
                ctx.add(0, place, self._province_keys.get(place.id, ()))
        pick = choose([c.place for c in found], 0, ctx, self._admin_key)
        if pick is not None:
            how = found[0].how
            best = Candidate(pick.place, pick.score, how)
            rest = [Candidate(c.place, round(pick.score * 0.5, 3), how) for c in found]
            found = [best, *(c for c in rest if c.place is not pick.place)]
        return found[:limit]

    def _resolve_name(self, name: str, limit: int, fuzzy: bool = True) -> list[Candidate]:
        key = name_key(name)
        hint = self._trailing_hint(key)
        if key in self._shields:
            return []
        exact_ids = _exact_form(name) in self._exact
        found = self._by_key.get(key, [])
        how, base = ("exact", 1.0) if exact_ids else ("variant", 0.95)
        if not found and hint and key[len(hint[0]) + 1 :] in _SITE_WORDS:
            found, how, base = self._site(key, hint[0]), "variant", 0.85
        elif not found and hint:
            found, how, base = self._near_kind(hint[0], hint[1]), "variant", 0.9
            if not found and hint[1][0] in _AREA_HINTS:
                # "Sinjar district", "Minyan village": the place the area is named by
                found, base = self._by_key.get(hint[0], []), 0.85
            if not found and hint[1][0] is PlaceKind.AIRBASE:
                # "Sarrin airbase" with no air base listed: the airstrip at the town
                found, base = self._settlements(hint[0]), 0.8
        if not found and (read := ei_for_i(name)) is not None:
            found = self._by_key.get(name_key(read), [])  # "Menbeij": Manbij
            how, base = "variant", 0.9
        if not found:
            loose = loose_key(name)
            found = self._by_loose.get(loose, []) if len(loose.replace(" ", "")) >= 4 else []
            how, base = "variant", 0.85
        if found:
            kinds = hint[1] if hint else ()
            ranked = _rank(found, kinds, Counter())
            top = ranked[0]
            if len(ranked) > 1 and _priority(top, kinds) == _priority(ranked[1], kinds):
                base *= 0.6  # namesakes nothing tells apart: the first is a guess
            return [
                Candidate(p, round(base if p is top else base * 0.8, 3), how)
                for p in ranked[:limit]
            ]
        return self._fuzzy(name, limit) if fuzzy else []

    def match(self, name: str) -> Place | None:
        """The best non-fuzzy resolution of ``name``, or ``None`` (no fuzzy search: that
        costs tens of milliseconds a name and is never a match)."""
        name = name.strip()
        if not name or len(name) > MAX_NAME_LENGTH or not any(ch.isalnum() for ch in name):
            return None
        candidates = self._resolve_name(name, 1, fuzzy=False)
        if not candidates and "," in name:
            candidates = self.resolve(name, limit=1)
        if candidates and candidates[0].how != "fuzzy":
            return candidates[0].place
        return None

    def _trailing_hint(self, key: str) -> tuple[str, tuple[PlaceKind, ...]] | None:
        """Split a trailing feature word off a key: "tabka dam" -> ("tabka", (DAM,))."""
        for feature, kinds in _FEATURE_KEYS.items():
            if key.endswith(" " + feature):
                return key[: -len(feature) - 1], kinds
        return None

    def _near_kind(self, key: str, kinds: tuple[PlaceKind, ...]) -> list[Place]:
        """Places of ``kinds`` named after (``near``) a place whose key is ``key``, or
        named ``key`` with another feature word of the same kind ("Mahr gas fields": the
        "Mahr gas field"; "Tishreen oilfield": the "Tishreen oil field")."""
        towns = {p.id for p in self._by_key.get(key, [])}
        exact_kind = [p for p in self._by_key.get(key, []) if p.kind in kinds]
        if exact_kind:
            return exact_kind
        near = [p for t in sorted(towns) for p in self._near_index.get(t, ()) if p.kind in kinds]
        if near:
            return near
        for feature in _FEATURES_OF_KIND.get(kinds[0], ()):
            named = [p for p in self._by_key.get(f"{key} {feature}", ()) if p.kind in kinds]
            if named:
                return named
        # "the Al-Sha’ar Gas Fields": a site of that kind whose name differs only in its
        # vowels (the "Shaer gas field"); the feature word keeps the vowel-loose read narrow
        for feature in _FEATURES_OF_KIND.get(kinds[0], ()):
            loose = loose_key(f"{key} {feature}")
            named = [p for p in self._by_loose.get(loose, ()) if p.kind in kinds]
            if named:
                return named
        return []

    def _site(self, key: str, stem: str) -> list[Place]:
        """A site word after a name (see :data:`_SITE_WORDS`): "Al-Fijah Springs" is "Ain
        al-Fijah", "Wadi al-Deif Camp" the "Wadi Deif base", "the Handarat factories" and
        "the Zakiyah Crossroad" name the place of Handarat and Zakiyah. [] when the word
        after ``stem`` is no site word, or ``stem`` names nothing (or only a neutral word:
        "Arab", "Syrian")."""
        word = key[len(stem) + 1 :]
        if word not in _SITE_WORDS or stem in _NEUTRAL_KEYS:
            return []
        if word == _SPRINGS and (springs := self._by_key.get(f"{_AYN} {stem}")):
            return list(springs)
        if word == _CAMP:
            features = _FEATURES_OF_KIND[PlaceKind.MILITARY_BASE]
            bases = [p for f in features for p in self._by_key.get(f"{stem} {f}", ())]
            if bases := [p for p in bases if p.kind is PlaceKind.MILITARY_BASE]:
                return bases
        return list(self._by_key.get(stem, ()))

    def _settlements(self, key: str) -> list[Place]:
        """The towns and villages named ``key``."""
        return [p for p in self._by_key.get(key, ()) if p.kind in _SETTLEMENTS]

    def _fuzzy(self, name: str, limit: int) -> list[Candidate]:
        from rapidfuzz import fuzz, process

        keys = list(self._by_key)
        results = process.extract(name_key(name), keys, scorer=fuzz.WRatio, limit=limit * 3)
        out: dict[str, Candidate] = {}
        for key, score, _ in results:
            for place in _rank(self._by_key[key], (), Counter())[:1]:
                # Fuzzy scores stay below every real match so they never win.
                if place.id not in out:
                    out[place.id] = Candidate(
                        place, round(min(score / 100.0, 1.0) * 0.7, 3), "fuzzy"
                    )
        return list(out.values())

    # ------------------------------------------------------------------ finding
    def find(self, text: str, unresolved: Counter[str] | None = None) -> list[Mention]:
        """Every place name in ``text``, as :class:`Mention` records sorted by position.

        With ``unresolved``, the names :meth:`unresolved` would report are counted into it
        in the same pass over the text.

        Examples
        --------
        >>> gaz = load_gazetteer()
        >>> [(m.surface, m.place.kind.value) for m in gaz.find("Troops neared the Tabqa dam.")]
        [('Tabqa dam', 'dam')]
        """
        raw: list[tuple[int, int, _Hit]] = []
        memo = self._chunk_memo
        directional = self._directional_ids
        for m in _CHUNK.finditer(text):
            # _chunks() inlined: this loop runs ~40 times per dispatch.
            at = m.start()
            before = text[at - 1] if at else " "
            if before.isalnum() or before in _GLUE:
                if before not in _HYPHENS:
                    continue  # inside a word
                article = _ART_BEFORE.search(text, max(0, at - 5), at)
                if article is None:
                    continue  # the tail of a compound ("pro-Assad")
                at = article.start()
            chunk = text[at : m.end()]
            laid = memo.get(chunk, _UNSEEN)
            if laid is _UNSEEN:
                laid = self._lay_out(chunk)
            if laid is None:
                if unresolved is not None and self._looks_unresolved(text, at, chunk):
                    unresolved[chunk] += 1
                continue
            for first, last, hit, glued, quick in laid:
                if quick:  # most hits: nothing around the chunk to look at
                    raw.append((at + first, at + last, hit))
                    continue
                if (
                    glued
                    and (hit.weak or not _is_headline(text, at))
                    and not (glued == _GLUED_TO_FIRST and self._opens_sentence(text, at))
                ):
                    continue
                start, end = at + first, at + last
                if not first and hit.places[0].id in directional:
                    start, hit = self._with_direction(text, start, end, hit)
                if hit.common and not self._common_word_is_place(text, start, end):
                    continue
                raw.append((start, end, hit))
        extra = [*self._dotted(text)] if "." in text else []
        if not text.isascii() and _HAS_ARABIC.search(text):
            extra.extend(self._arabic(text))
        if extra:
            raw = sorted([*raw, *extra], key=lambda item: item[0])
        if "://" in text or "www." in text:  # no place inside a link
            for a, b in _url_spans(text):
                raw = [r for r in raw if not a <= r[0] < b]
        countries: Counter[str] = Counter()
        for _, _, hit in raw:
            if not hit.weak and (country := hit.country):
                countries[country] += 1
        mentions = self._decide(text, raw, countries)
        if Role.METONYM in map(_ROLE, mentions):  # C-speed scan: metonyms are rare
            mentions = _propagate_metonyms(text, mentions)
        if "border" in text and (borders := self._borders(text, mentions, countries)):
            mentions = sorted([*mentions, *borders], key=lambda m: m.start)
        return mentions

    def _borders(
        self, text: str, mentions: list[Mention], countries: Counter[str]
    ) -> list[Mention]:
        """Borders named as places: "the Turkish border", "the Turkey-Syria border".

        A border is a line: each mention is placed at the point of the line nearest the
        place named closest to it in the text, and a name that fits several borders
        ("the Turkish border": Syria's or Iraq's) is the one nearest that place. With no
        place around, the article's countries decide and the point is the line's middle.
        """
        lines = self._border_lines
        anchors = [m for m in mentions if m.place.kind in ANCHOR_KINDS]
        found: list[Mention] = []
        for m in _BORDER_PHRASE.finditer(text):
            start, places = m.start(), self._border_places(m.group(), lines)
            if not places and (cut := _LAST_PART.search(m.group(1))):
                start = m.start(1) + cut.start(1)
                places = self._border_places(text[start : m.end()], lines)
            if not places:
                continue
            surface = text[start : m.end()]
            anchor = min(anchors, key=lambda a: abs(a.start - start), default=None)
            if anchor is not None:
                place, (lat, lon) = min(
                    ((p, _nearest_vertex(lines[p.id], anchor.place)) for p in places),
                    key=lambda pv: distance_km(anchor.place, _point(pv[0], *pv[1])),
                )
                place = replace(place, lat=lat, lon=lon)
                decided = True
            else:
                ranked = _rank(places, (), countries)
                place, decided = ranked[0], len(ranked) == 1
            exact = _exact_form(surface) in self._exact
            found.append(
                Mention(start, m.end(), surface, place, _SCORES[exact, decided], Role.BORDER)
            )
        return found

    def _border_places(
        self, surface: str, lines: dict[str, list[tuple[float, float]]]
    ) -> list[Place]:
        return [p for p in self._by_key.get(name_key(surface), ()) if p.id in lines]

    @property
    def _border_lines(self) -> dict[str, list[tuple[float, float]]]:
        """Border place id -> the (lat, lon) points of its line (``gazetteer/geo``)."""
        cached: dict[str, list[tuple[float, float]]] | None = getattr(self, "_lines_cache", None)
        if cached is None:
            folder = self.common_words_path.parent if self.common_words_path else None
            cached = _read_border_lines(folder, self.places.values()) if folder else {}
            self._lines_cache = cached
        return cached

    def border_countries(self, place: Place) -> tuple[str, str] | None:
        """The two countries (ISO-2) a border place lies between, or ``None`` for a place
        that is not a border.

        Examples
        --------
        >>> gaz = load_gazetteer()
        >>> gaz.border_countries(gaz.get("border-sy-tr")), gaz.border_countries(gaz.get("sy-raqqa"))
        (('SY', 'TR'), None)
        """
        m = _BORDER_SOURCE.search(place.source) if place.kind is PlaceKind.REGION else None
        return (m.group(1), m.group(2)) if m else None

    @property
    def _directional_ids(self) -> frozenset[str]:
        """Places whose name with a direction word before it names an area ("Aleppo":
        "eastern Aleppo")."""
        cached: frozenset[str] | None = getattr(self, "_directional_cache", None)
        if cached is None:
            ids: set[str] = set()
            for key in list(self._by_key):
                head, _, rest = key.partition(" ")
                if (
                    head in _DIRECTION_KEYS
                    and rest in self._by_key
                    and any(p.kind in _AREA_KINDS for p in self._by_key[key])
                ):
                    ids.update(p.id for p in self._by_key[rest])
            cached = frozenset(ids)
            self._directional_cache = cached
        return cached

    def _with_direction(self, text: str, start: int, end: int, hit: _Hit) -> tuple[int, _Hit]:
        """ "eastern Aleppo" written with a small letter: the area, if the gazetteer has it."""
        m = _DIRECTION_BEFORE.search(text, max(0, start - 16), start)
        if m is None:
            return start, hit
        surface = text[m.start() : end]
        areas = [p for p in self._by_key.get(name_key(surface), ()) if p.kind in _AREA_KINDS]
        if not areas:
            return start, hit
        exact = _exact_form(surface) in self._exact
        return m.start(), _Hit(0, 0, tuple(areas), exact, hit.hint)

    def _dotted(self, text: str) -> Iterator[tuple[int, int, _Hit]]:
        """Dotted abbreviations that name places ("U.S.", "U.K."): the chunks skip them."""
        forms = self._dotted_forms
        if not forms:
            return
        last = -1
        # A literal first character lets the regex engine scan fast: the "." of "U.S.".
        for m in _DOT_CAPITAL.finditer(text):
            at = m.start() - 1
            if at <= last or (at and (text[at - 1].isalnum() or text[at - 1] == ".")):
                continue
            form = next((f for f in forms if text.startswith(f, at)), None)
            if form is not None and (places := self._by_key.get(name_key(form))):
                last = at + len(form) - 1
                yield at, at + len(form), _Hit(0, 0, tuple(places), True)

    @property
    def _dotted_forms(self) -> tuple[str, ...]:
        """Place names written as dotted abbreviations ("U.S."), longest first."""
        cached: tuple[str, ...] | None = getattr(self, "_dotted_cache", None)
        if cached is None:
            found = {a for a in self._exact_raw if _DOTTED.fullmatch(a)}
            cached = tuple(sorted(found, key=lambda a: (-len(a), a)))
            self._dotted_cache = cached
        return cached

    def _arabic(self, text: str) -> Iterator[tuple[int, int, _Hit]]:
        """Names in Arabic script: runs of Arabic words, longest match, prefixes peeled.

        A word may carry a joined conjunction or preposition (و ف ب ل ك: "and", "in",
        "to"...) before the article: "بالرقة" is "in Raqqa". Names of one word from the bulk
        files keep their weakness (a cue or an anchor near).
        """
        words = [(m.start(), m.end(), fold_text(m.group())) for m in _ARABIC_WORD.finditer(text)]
        i = 0
        while i < len(words):
            for n in range(min(self._max_tokens, len(words) - i), 0, -1):
                span = words[i : i + n]
                if span[-1][0] - span[0][1] > 40 * n:
                    continue
                found = self._arabic_lookup([w for _, _, w in span])
                if found is not None:
                    yield span[0][0], span[-1][1], found
                    i += n
                    break
            else:
                i += 1

    def _arabic_lookup(self, words: list[str]) -> _Hit | None:
        first, rest = words[0], words[1:]
        for head in (first, *(first[k:] for k in (1, 2) if len(first) - k >= 3)):
            key = name_key(" ".join((head, *rest)))
            places = self._by_key.get(key) if key else None
            if not places:
                continue
            weak = 0
            if weak_ids := self._weak.get(key):
                places, weak = _drop_weak(places, weak_ids)
            sites = any(p.id in self._near_index for p in places)
            return _Hit(0, 0, tuple(places), head == first, (), False, weak, sites)
        return None

    def _decide(
        self, text: str, raw: list[tuple[int, int, _Hit]], countries: Counter[str]
    ) -> list[Mention]:
        """Mentions of the hits: plain ones first, then namesakes and weak names in context;
        last, a name read only by its spelling that lands far from every place of its
        sentence, in another country, is dropped (see :func:`_drop_strays`)."""
        out: list[Mention | None] = [None] * len(raw)
        later: list[tuple[int, list[Place]]] = []
        inexact: list[int] = []  # the hits not written as a listed spelling
        for i, (start, end, hit) in enumerate(raw):
            if not hit.exact:
                inexact.append(i)
            if hit.plain:  # most hits: _to_mention's checks that apply, inlined
                if text[end - 2 : end] in ("'s", "’s"):
                    end -= 2
                after = text[end : end + 1]
                if not (after and after in _HYPHENS and _COMPOUND_AFTER.match(text, end)):
                    out[i] = _mention(
                        start, end, text[start:end], hit.places[0], _SCORES[hit.exact, True]
                    )
                continue
            if hit.weak:
                later.append((i, []))
                continue
            mention, tied = self._to_mention(text, start, end, hit, countries)
            out[i] = mention
            if mention is not None and len(tied) > 1:
                later.append((i, tied))
        if later:
            self._decide_in_context(text, raw, out, later, countries)
        if inexact:
            _drop_strays(text, out, inexact)
        return [m for m in out if m is not None]

    def _decide_in_context(
        self,
        text: str,
        raw: list[tuple[int, int, _Hit]],
        out: list[Mention | None],
        later: list[tuple[int, list[Place]]],
        countries: Counter[str],
    ) -> None:
        """Fill ``out`` for the ``later`` hits (weak names, namesakes) with the places the
        others resolved to as context (see :mod:`geomap.namesakes`)."""
        ctx = Context()
        waiting = {i for i, _ in later}
        for i, mention in enumerate(out):
            if mention is not None and i not in waiting:
                ctx.add(mention.start, mention.place, self._province_keys.get(mention.place.id, ()))
        for i, tied in later:
            start, end, hit = raw[i]
            if hit.weak:
                out[i] = self._weak_mention(text, start, end, hit, ctx, countries)
            elif (mention := out[i]) and (pick := choose(tied, start, ctx, self._admin_key)):
                out[i] = replace(mention, place=pick.place, score=round(pick.score, 3))
            if (mention := out[i]) is not None:
                ctx.add(start, mention.place, self._province_keys.get(mention.place.id, ()))

    def _site_before(self, text: str, start: int, hit: _Hit) -> _Hit | None:
        """ "An oilfield in Thawra", "the airport at X": the site named after X, if any."""
        if not _ends_with_word(text, start, _SITE_PREPOSITIONS):
            return None  # a cheap guard: the pattern needs one of these words last
        m = _SITE_BEFORE.search(text, max(0, start - 40), start)
        if m is None:
            return None
        kinds = _FEATURE_KEYS.get(name_key(m.group(1)), ())
        ids = {p.id for p in hit.places}
        sites = [p for i in sorted(ids) for p in self._near_index.get(i, ()) if p.kind in kinds]
        return replace(hit, places=tuple(sites)) if sites else None

    def _weak_mention(
        self, text: str, start: int, end: int, hit: _Hit, ctx: Context, countries: Counter[str]
    ) -> Mention | None:
        """A weak name is a place with a cue, or (if not word-like) with an anchor near."""
        mention, tied = self._to_mention(text, start, end, hit, countries)
        if mention is None:
            return None
        candidates = tied if len(tied) > 1 else list(hit.places)
        if _NOT_A_PLACE_AFTER.match(text, mention.end):
            return None  # "in May 2015", "Safa news agency", "Rahman said"
        # an ʿayn mark opening the name ("the town of ‘Anadan") stands between it and its cue
        cue_at = mention.start - (mention.start > 0 and text[mention.start - 1] in _AYN_MARKS)
        if kinds := _appositive_kinds(text, mention.end):  # "X, the final border crossing"
            candidates = [p for p in hit.places if p.kind in kinds] or candidates
        cued = bool(kinds or hit.hint or has_cue(text, cue_at, mention.end))
        if hit.weak >= 3:  # read with the loose key: a cue and a place near, both
            if not cued:
                return None
            inside = [p for p in candidates if self._admin_key.get(p.id, "") in ctx.provinces]
            nearby = near_anchor(candidates, start, ctx) or (inside[0] if inside else None)
            return None if nearby is None else replace(mention, place=nearby, score=0.6)
        if cued:
            pick = choose(candidates, start, ctx, self._admin_key)
            first = mention.place if mention.place in candidates else candidates[0]
            place, score = (pick.place, pick.score) if pick else (first, 0.75)
            return replace(mention, place=place, score=round(min(score, 0.85), 3))
        if hit.weak >= 2 or _at_sentence_start(text, start):
            return None
        nearby = near_anchor(hit.places, start, ctx)
        return None if nearby is None else replace(mention, place=nearby, score=0.7)

    def _analyse_chunk(self, chunk: str) -> tuple[_Hit, ...]:
        """Longest-match the chunk's tokens against places and shields (memoised).

        From each token the match grows only while its key is a prefix of some indexed key
        (a feature word may still follow a whole key: "Tabqa dam"), so most tokens ("on",
        "Wednesday") cost one set lookup.
        """
        words = [w for w, _ in _token_words(chunk)]
        keys = ["" if _is_article(w) else name_key(w) for w in words]
        hits = self._match_tokens(words, keys)
        if "ei" in chunk or "Ei" in chunk:
            hits = self._read_ei_as_i(words, hits)
        return hits

    def _read_ei_as_i(self, words: list[str], hits: tuple[_Hit, ...]) -> tuple[_Hit, ...]:
        """The hits of the chunk with its words' "ei" read as "i" ("Menbeij": Manbij, "Khan
        Al-Sheih": Khan al-Shih; see :func:`geomap.names.ei_for_i`) when that matches the
        chunk's words in longer names (the sum of the squared lengths of the hits is
        larger), else ``hits``. A common English word ("Their") is never re-read, and a
        name matched so is never exact."""
        changed: set[int] = set()
        alt = list(words)
        for i, word in enumerate(words):
            if (read := ei_for_i(word)) is not None and fold_text(word) not in self.common_words:
                alt[i] = read
                changed.add(i)
        if not changed:
            return hits
        alt_keys = ["" if _is_article(w) else name_key(w) for w in alt]
        alt_hits = self._match_tokens(alt, alt_keys)
        if _coverage(alt_hits) <= _coverage(hits):
            return hits
        return tuple(
            replace(h, exact=False) if changed.intersection(range(h.first, h.last + 1)) else h
            for h in alt_hits
        )

    def _with_vowel_loose(self, words: list[str], hits: tuple[_Hit, ...]) -> tuple[_Hit, ...]:
        """``hits`` and the vowel-loose hits (:meth:`_vowel_loose`) of the runs of words
        between them ("Al-Rumliyah and Al-Madajin in the Hama Governorate": Al-Rumliyah)."""
        if not hits:
            return self._vowel_loose(words)
        hits = self._widen_weak(words, hits)
        out: list[_Hit] = []
        at = 0
        for hit in (*hits, None):
            stop = len(words) if hit is None else hit.first
            if stop - at > 0 and any(w[:1].isupper() for w in words[at:stop]):
                loose = self._vowel_loose(words[at:stop])
                out.extend(replace(h, first=h.first + at, last=h.last + at) for h in loose)
            if hit is not None:
                out.append(hit)
                at = hit.last + 1
        return tuple(out)

    def _widen_weak(self, words: list[str], hits: tuple[_Hit, ...]) -> tuple[_Hit, ...]:
        """``hits`` with a weak one-word hit read together with the capitalised unmatched
        word next to it when the two name one place in a spelling family or the loose key
        ("Tel Shamiran": Tall Shamran, not the village Shamiran; "Sulaiman Pek": Sulayman
        Bak, not a village Sulayman): the longer name is the one written."""
        out: list[_Hit | None] = list(hits)
        # word -> index of the hit on it; a common word's hit ("Tel": al-Tall) may join
        taken = {j: k for k, h in enumerate(hits) for j in range(h.first, h.last + 1)}
        for k, hit in enumerate(hits):
            if not hit.weak or hit.first != hit.last or out[k] is None:
                continue
            for a, b in ((hit.first - 1, hit.last), (hit.first, hit.last + 1)):
                other = a if a < hit.first else b
                if not 0 <= other < len(words):
                    continue
                if (j := taken.get(other)) is not None and not (
                    hits[j].common and hits[j].first == hits[j].last and out[j] is not None
                ):
                    continue
                word = words[other]
                if not word[:1].isupper() or _is_article(word) or name_key(word) in _NEUTRAL_KEYS:
                    continue
                places = self._spelling_variant(words[a : b + 1]) or self._loose_pair(
                    words[a : b + 1]
                )
                if places:
                    out[k] = _Hit(a, b, places, False, weak=2)
                    if j is not None:
                        out[j] = None
                    taken[other] = k
                    break
        # "Tel Hemis", "Tell Malh": a common word that opens names ("Tel": al-Tall) and the
        # capitalised word after it that names nothing, one name in a spelling family or
        # the loose key (Tal Hamis, Tall Mallah)
        for k, hit in enumerate(hits):
            after = hit.last + 1
            if (
                out[k] is None
                or not hit.common
                or hit.first != hit.last
                or after >= len(words)
                or after in taken
                or fold_text(words[hit.first]) not in NAME_PREFIX_WORDS
                or not self._may_open(words[after])
            ):
                continue
            pair = words[hit.first : after + 1]
            # (both readings: the article's places choose among them)
            places = tuple(dict.fromkeys((*self._spelling_variant(pair), *self._loose_pair(pair))))
            if places:
                # read as loosely as the loose key: a cue and a place of the article near
                out[k] = _Hit(hit.first, after, places, False, weak=3)
                taken[after] = k
        return tuple(h for h in out if h is not None)

    def _loose_pair(self, words: list[str]) -> tuple[Place, ...]:
        """The one or two places two words name with the loose key, those whose own name
        (not an alias) is so spelt first ("Sulaiman Pek": Sulayman Bak)."""
        loose = loose_key(" ".join(words))
        places = self._by_loose.get(loose, []) if len(loose.replace(" ", "")) >= 5 else []
        if not 0 < len(places) <= 2:
            return ()
        named = [p for p in places if loose_key(p.name) == loose]
        return tuple(named or places)

    def _may_open(self, word: str) -> bool:
        """Whether ``word`` may be (part of) a name read loosely: capitalised, no article,
        common English word or neutral word ("Sunday")."""
        return (
            word[:1].isupper()
            and not _is_article(word)
            and fold_text(word) not in self.common_words
            and name_key(word) not in _NEUTRAL_KEYS
        )

    def _vowel_loose(self, words: list[str]) -> tuple[_Hit, ...]:
        """Names of a chunk that names nothing, read with the loose key (every vowel one:
        "Hirbnafseh" = Harbnafsah, "Al-Rumliyah" = Ramliyah), as hits of weakness 3: a
        place only with a cue and a place of the article within 50 km or a province it
        names (see :meth:`_weak_mention`), so that "Al-‘Arfi" in Deir ez-Zor never becomes
        Sanliurfa. Up to three words from a capitalised one that is no common or neutral
        word; the loose key at least five letters."""
        hits: list[_Hit] = []
        i = 0
        while i < len(words):
            word = words[i]
            # "Tel Hemis", "Jabal Badro": a name's first word that is also English opens a
            # name of two words or more
            prefix = (
                word[:1].isupper()
                and fold_text(word) in NAME_PREFIX_WORDS
                and i + 1 < len(words)
                and self._may_open(words[i + 1])
            )
            # a word ending in an ʿayn mark ("Mare'") is no English word
            if not (
                prefix or self._may_open(word) or (_ends_with_ayn(word) and word[:1].isupper())
            ):
                i += 1
                continue
            for n in range(min(3, len(words) - i), 0, -1):
                if not words[i + n - 1][:1].isupper() or (prefix and n < 2):
                    continue
                # the article before the name is part of it ("Al-Rumliyah"), as in
                # _hit_at: left out, it would glue the name to a foreign word
                first = i - 1 if i and _is_article(words[i - 1]) else i
                if variant := self._spelling_variant(words[i : i + n]):
                    # a spelling family ("Al-Tanaf": Tanf; "Mare'": Marea): a cue suffices
                    hits.append(_Hit(first, i + n - 1, variant, False, weak=2))
                    i += n
                    break
                loose = loose_key(" ".join(words[i : i + n]))
                if len(loose.replace(" ", "")) < 5:
                    continue
                places = self._by_loose.get(loose)
                if places:
                    hint = self._trailing_hint(name_key(" ".join(words[i : i + n])))
                    if n > 1 and hint and all(p.kind in hint[1] for p in places):
                        # "the Al-Sha’ar Gas Fields": its feature word is its cue, and a
                        # site of that kind so named is no word of English
                        hit = _Hit(first, i + n - 1, tuple(places), False, hint[1], weak=2)
                    elif n > 1 and len(places) == 1:
                        # two words or more that name one place ("Surjah Kabira": Sarjah
                        # Kabirah): a cue suffices
                        hit = _Hit(first, i + n - 1, tuple(places), False, weak=2)
                    else:
                        hit = _Hit(first, i + n - 1, tuple(places), False, weak=3)
                    hits.append(hit)
                    i += n
                    break
            else:
                i += 1
        return tuple(hits)

    def _spelling_variant(self, words: list[str]) -> tuple[Place, ...]:
        """The places ``words`` name in a spelling family (see
        :func:`geomap.names.spelling_variants`): a short vowel between consonants added,
        dropped or moved ("Al-Tanaf": Tanf, "Tel Shamiran": Tall Shamran, "Kokajli":
        Kokjali), other final vowels ("Batnaya": Batnay, "Sinune": Sinuni), a final ʿayn
        mark written for the "a" it carries ("Mare'": Marea), a GeoNames "Qaryat X" named
        X ("Hanaf": Qaryat Hanaf). Settlements and sites only (no province or country);
        empty when the family names none."""
        if any(re.split("['’]", w, maxsplit=1)[0].isupper() for w in words):
            return ()  # an acronym ("SOHR") is spelt as it is
        key = name_key(" ".join(words))
        # the nearest family that names something wins: the same stem, then a vowel more
        # or less, then a vowel moved ("Batnaya" is Batnay, not Battanah)
        found: list[list[Place]] = [[], [], []]
        if _ends_with_ayn(words[-1]) and len(key) >= 3:
            found[0].extend(self._by_key.get(name_key(" ".join(words) + "a"), ()))
        index = self._variant_index
        for variant in spelling_variants(key):
            if ":" in variant:  # the text has a vowel more, or puts one elsewhere
                found[1].extend(index.get(variant.partition(":")[0], ()))
                found[2].extend(index.get(variant, ()))
            else:  # the same stem, or the place has a vowel more
                found[0].extend(index.get(variant, ()))
                for vowel in "aeiou":
                    found[1].extend(index.get(f"{variant}:{vowel}", ()))
        for family in found:
            places = [p for p in family if p.kind not in _NOT_VARIANT_KINDS]
            if places:
                return tuple(dict.fromkeys(places))
        return ()

    @cached_property
    def _variant_index(self) -> dict[str, list[Place]]:
        """Spelling-family variant -> the places with a name that has it (built on first use,
        ~0.7 s, and kept in the prebuilt index file: see gazetteer_cache)."""
        index: dict[str, list[Place]] = {}
        for key in self._by_key:
            if " " in key and not key.startswith(VILLAGE_WORD) and key.count(" ") > 1:
                continue  # names of three words and more are not read so
            places = self._by_key[key]
            for variant in spelling_variants(key):
                index.setdefault(variant, []).extend(places)
        return index

    def _match_tokens(self, words: list[str], keys: list[str]) -> tuple[_Hit, ...]:
        """The hits of a chunk's words (``keys``: their keys, "" for an article)."""
        prefixes = self._key_prefixes
        memo = self._hit_memo
        hits: list[_Hit] = []
        i = 0
        while i < len(keys):
            hit = None
            for n in self._lengths_from(keys, i, prefixes):
                # What words i..i+n-1 name depends only on them and the feature word after.
                hint = _feature_after(keys, i + n)
                probe = (i, tuple(words[i : i + n]), hint)
                hit = memo.get(probe, _UNSEEN)
                if hit is _UNSEEN:
                    if len(memo) >= _MEMO_SIZE:
                        memo.clear()
                    hit = memo[probe] = self._hit_at(words, keys, i, n, hint)
                if hit is not None:
                    break
            if hit is None:
                i += 1
                continue
            hits.append(hit)
            i = hit.last + 1
        return tuple(hits)

    def _lengths_from(self, keys: list[str], i: int, prefixes: set[str]) -> list[int]:
        """Token counts from ``i`` that may name something, longest first."""
        top = min(self._max_tokens, len(keys) - i)
        lengths: list[int] = []
        key = ""
        featured = False
        for n in range(1, top + 1):
            token = keys[i + n - 1]
            if token:
                key = f"{key} {token}" if key else token
                if key not in prefixes:
                    break
            if key:
                lengths.append(n)
                # a feature word may follow a name or a name's head ("X dam", "X gas fields")
                if n < top and keys[i + n] in _FEATURE_HEADS:
                    for m in range(1, min(4, top - n) + 1):
                        if " ".join(keys[i + n : i + n + m]) in _FEATURE_KEYS:
                            lengths.append(n + m)
                            featured = True
        if featured:
            return sorted(set(lengths), reverse=True)
        lengths.reverse()  # increasing and distinct without feature words
        return lengths

    def _hit_at(
        self, words: list[str], keys: list[str], i: int, n: int, hint_kinds: tuple[PlaceKind, ...]
    ) -> _Hit | None:
        """The place or shield that tokens ``i`` to ``i + n - 1`` name, if any
        (``hint_kinds``: what the feature word after them says, see :func:`_feature_after`)."""
        key = " ".join([k for k in keys[i : i + n] if k])
        if not key:
            return None
        if n > 1 and words[i].endswith(("'s", "’s")) and not any(keys[i + 1 : i + n]):
            return None  # "Mosul's Al Faruq": the article after a possessive opens a name
        if key in self._shields:
            return _Hit(i, i + n - 1, (), True)
        places = _dict_get(self._by_key, key)  # C speed: most keys are not there
        if isinstance(places, str):
            places = self._by_key[key]  # ids read from the index: make the places
        tail = key.rsplit(" ", 1)[-1]
        if tail == _BORDER_KEY:
            return None  # "Turkish border crossing": borders are found by _borders()
        feature = n > 1 and tail in _FEATURE_LAST_WORDS
        weak_key = key
        if places is None and feature and (hint := self._trailing_hint(key)):
            if tail in _SITE_WORDS:  # "the Handarat factories": Handarat, as weak as it is,
                # the site word its cue (as "village" is in "X village")
                places, weak_key = self._site(key, hint[0]) or None, hint[0]
                hint_kinds = hint_kinds or hint[1]
            else:
                known = hint[0] in self._by_key or hint[0] in self._key_prefixes
                places = (self._near_kind(hint[0], hint[1]) if known else []) or None
        weak = 0
        if places and (weak_ids := self._weak.get(weak_key)):
            places, weak = _drop_weak(places, weak_ids)
        surface = " ".join(words[i : i + n])
        if not places or not self._plausible_surface(surface):
            return None
        exact = _exact_form(surface) in self._exact
        common = (
            n == 1
            and "-" not in words[i]
            and fold_text(words[i]).rstrip("'’s") in self.common_words
            and not _ends_with_ayn(words[i])  # "Mare'" (Marea) is no "mare"
        )
        sites = any(p.id in self._near_index for p in places)
        plain = (
            len(places) == 1
            and not weak
            and not sites
            and places[0].kind not in _NOT_PLAIN_KINDS
            and places[0].id not in self.capitals
        )
        return _Hit(i, i + n - 1, tuple(places), exact, hint_kinds, common, weak, sites, plain)

    @property
    def _key_prefixes(self) -> set[str]:
        """Every key of a place or shield and each of its leading token runs."""
        cached: set[str] | None = getattr(self, "_prefix_cache", None)
        if cached is None:
            cached = set()
            for key in (*self._by_key, *self._shields):
                _add_prefixes(cached, key)
            self._prefix_cache = cached
        return cached

    @property
    def _tail_guards(self) -> dict[str, set[str]]:
        """Words that may end a chunk without being part of a name there, by key: the
        connectors ("on", "of") and neutral words ("Sunday", "December") that are not a
        name of their own and start no feature word. Each maps to the keys of the words
        that, written just before it, end a name with it (a key "abd un": "abd" for "on").
        """
        cached: dict[str, set[str]] | None = getattr(self, "_tail_cache", None)
        if cached is None:
            cached = {k: set() for k in _TAIL_CANDIDATES}
            for key in (*self._by_key, *self._shields):
                _guard_tail(cached, key)
            self._tail_cache = cached
        return cached

    def _core_end(self, chunk: str) -> int:
        """Where a chunk ends without the words at its end that are part of none of its
        names ("Masyaf on Sunday": after "Masyaf"), else its length.

        Such a word (see :attr:`_tail_guards`) changes none of the chunk's hits: it is in
        no hit (no key ends with it after the word before it, and it names nothing alone),
        it glues no name to it (a capitalised one is neutral) and it is no feature word.
        Each is written as one ASCII word after a plain space, not an article, and so is
        the word before it when that word is looked at. The scan goes back a word at a time
        without copying the chunk, so a chunk of thousands of such words stays linear.
        """
        known = self._tail_words
        end = len(chunk)
        while True:
            cut = chunk.rfind(" ", 0, end)
            word = chunk[cut + 1 : end]
            guard = known.get(word, _UNSEEN)
            if guard is _UNSEEN:
                if len(known) >= _MEMO_SIZE:
                    known.clear()
                guard = known[word] = self._tail_guard(word)
            if guard is None:
                return end
            while cut > 0 and chunk[cut - 1].isspace():
                cut -= 1
            if cut <= 0:
                return end  # nothing but such words: the chunk itself
            if guard:  # some names end with this word: not after these words
                before = chunk[chunk.rfind(" ", 0, cut) + 1 : cut]
                key = name_key(before) if _plain_word(before) else ""
                if not key or key in guard:
                    return end
            end = cut

    def _tail_guard(self, word: str) -> set[str] | None:
        """The keys a chunk's last ``word`` may not follow to be dropped (see
        :meth:`_core_end`), or ``None`` when it is never dropped."""
        if not _plain_word(word):
            return None
        key = name_key(word)
        if word[0].isupper() and key not in _NEUTRAL_KEYS:
            return None  # a capitalised word glues names unless it is neutral
        return self._tail_guards.get(key)

    def _opens_sentence(self, text: str, at: int) -> bool:
        """Whether the word at ``at`` opens a sentence and is an English word capitalised
        only for that: a common word ("Besieged Deir ez-Zor") or a gerund ("Recapturing
        Ramadi would be a victory"), not an unknown name the place name is part of."""
        if not _at_sentence_start(text, at):
            return False
        word = _LATIN_WORD.match(text, at)
        if word is None or not word.group()[1:].islower():
            return False
        folded = fold_text(word.group())
        return folded in self.common_words or (len(folded) > 5 and folded.endswith("ing"))

    def _common_word_is_place(self, text: str, start: int, end: int) -> bool:
        """A common word is a place only mid-sentence, written exactly as a listed spelling."""
        before = text[max(0, start - 3) : start].rstrip(" \t\"“‘'(")
        at_sentence_start = not before or before[-1] in ".!?:–—-\n"
        return not at_sentence_start and text[start:end] in self._exact_raw

    def _plausible_surface(self, surface: str) -> bool:
        """Short all-capital words (AP, SANA, UN) are agencies and codes, not places."""
        letters = [c for c in surface if c.isalpha()]
        if len(letters) < 3 and _exact_form(surface) not in self._exact:
            return False
        return not (surface.isupper() and len(letters) <= 4 and surface not in self._exact_raw)

    @property
    def _exact_raw(self) -> set[str]:
        cached: set[str] | None = getattr(self, "_exact_raw_cache", None)
        if cached is None:
            cached = {a for p in self.places.values() for a in (p.name, *p.aliases)}
            self._exact_raw_cache = cached
        return cached

    def _is_inside_longer_name(
        self, hit: _Hit, words: Sequence[str], keys: Sequence[str] | None = None
    ) -> bool:
        """A place name glued to unknown capitalised words is part of another name."""
        if not hit.places:
            return True  # a shield: it hides what it covers and is not a place itself

        def foreign(i: int) -> bool:
            if i < 0 or i >= len(words):
                return False
            word = words[i]
            if not word[:1].isupper() or word[:1].isdigit():
                return False
            key = keys[i] if keys is not None and keys[i] else name_key(word)
            return (
                bool(key)
                and key not in _NEUTRAL_KEYS
                and key not in _FEATURE_KEYS
                and not (key in self._strong_keys or key in self._shields)
            )

        if foreign(hit.first - 1):
            return True
        if (
            hit.first >= 2
            and words[hit.first - 1] in _PATRONYMIC
            and words[hit.first - 2][:1].isupper()
        ):
            return True  # "‘Umar bin Khattab Camp": a person's name, "X son of Y"
        if words[hit.last].endswith(("'s", "’s")) or not foreign(hit.last + 1):
            return False  # "Palmyra’s Roman theatre"
        # "US Defense Secretary": a country before an office is still a place.
        office = words[hit.last + 1].lower() in _OFFICE_WORDS
        return not (office and all(p.kind is PlaceKind.COUNTRY for p in hit.places))

    def _to_mention(
        self,
        text: str,
        start: int,
        end: int,
        hit: _Hit,
        countries: Counter[str],
    ) -> tuple[Mention | None, list[Place]]:
        """The mention a hit makes by the gazetteer's ranking, and the candidates tied first."""
        if text[end - 2 : end] in ("'s", "’s"):
            end -= 2
        if text[end : end + 1] in "-\u2010\u2011" and _COMPOUND_AFTER.match(text, end):
            return None, []
        first = hit.places[0]
        if first.kind is PlaceKind.COUNTRY and _ADJECTIVE_AFTER.match(text, end):
            return None, []  # "joint US-Russian plan"
        if (
            first.kind is PlaceKind.MILITARY_BASE
            and hit.bases
            and _UNIT_BEFORE.search(text, max(0, start - 40), start)
        ):
            return None, []  # "soldiers of the 17th Division": the unit, not its base
        if hit.sites and (site := self._site_before(text, start, hit)):
            hit = site
        tied: list[Place] = []
        if len(hit.places) == 1:  # one candidate: no context to weigh
            place, decided = hit.places[0], True
        else:
            hint = hit.hint
            if not hint and _ends_with_of(text, start):
                before = text[max(0, start - 40) : start]
                if kind_word := _KIND_BEFORE.search(before):
                    hint = _FEATURE_KINDS.get(kind_word.group(1).lower(), ())
            place, decided, tied = _ranking(hit, hint, countries)
        score = _SCORES[hit.exact, decided]
        role = Role.PLACE
        if place.id in self.capitals and _looks_metonymic(text, start, end):
            role = Role.METONYM
        return _mention(start, end, text[start:end], place, score, role), tied

    def unknown_places(
        self, text: str, mentions: list[Mention] | None = None
    ) -> list[UnknownPlace]:
        """Places the text names by kind ("the village of X", "X hill", "the X district")
        that resolve to nothing, placed approximately from the anchor the text gives.

        ``mentions`` are ``find(text)`` when the caller has them already (else found
        here, and only when a candidate turns up).

        Examples
        --------
        >>> gaz = load_gazetteer()
        >>> [(u.name, u.kind.value, u.anchor.name, u.distance_km) for u in
        ...  gaz.unknown_places("IS fled the village of Qurt Wazzan, 10 km north of Manbij.")]
        [('Qurt Wazzan', 'village', 'Manbij', 10.0)]
        """
        found: list[UnknownPlace] = []
        for name, word, start, after in _kind_named(text):
            if not self._may_be_unknown(name):
                continue
            if mentions is None:
                mentions = self.find(text)
            kind = _UNKNOWN_KINDS[word]
            found.append(self._anchored(text, name, kind, start, after, mentions))
        taken = [(u.start, u.end) for u in found]
        for name, kind, start, end in _titled(text):
            if any(a < end and start < b for a, b in taken) or not self._may_be_titled(name):
                continue
            if mentions is None:
                mentions = self.find(text)
            if any(m.start < end and start < m.end for m in mentions):
                continue  # a place the gazetteer knows is inside it ("Tabqa Military Base")
            found.append(self._anchored(text, name, kind, start, end, mentions, part_of=True))
        return sorted(found, key=attrgetter("start")) if taken else found

    def _may_be_titled(self, name: str) -> bool:
        """Whether a titled name ("Minyan Suburb", "Hill 30") may name an unknown place: a
        number, or a word before its kind word that is no common, neutral or actor word
        ("the Air Base", "Military Base" and "Central District" name nothing)."""
        words = name.split()
        if any(w.isdigit() for w in words):
            return self._may_be_unknown(name)
        stem = [w for w in words[:-1] if not _is_article(w)]
        return (
            bool(stem)
            and all(
                fold_text(w) not in self.common_words
                and name_key(w) not in _NEUTRAL_KEYS
                and name_key(w) not in self._shields
                for w in stem[:1]
            )
            and self._may_be_unknown(name)
            and not self.is_known_name(" ".join(stem))
        )

    def _may_be_unknown(self, name: str) -> bool:
        words = name.split()
        return not (
            self.match(name) is not None
            or self.is_known_name(name)
            or name_key(words[0]) in _NEUTRAL_KEYS
            or (len(words) == 1 and fold_text(name) in self.common_words)
        )

    def _anchored(
        self,
        text: str,
        name: str,
        kind: PlaceKind,
        start: int,
        after: int,
        mentions: list[Mention],
        part_of: bool = False,
    ) -> UnknownPlace:
        """The unknown place, placed from the anchor that follows it at ``after`` ("X, 10 km
        north of Y", "X near Y"), else (``part_of``: a titled name) from the place it is part
        of (:meth:`_part_of`). "The Campo neighbourhood in Sirte" is left unplaced: the event
        reader reads it as a part of Sirte (partial control of the city)."""
        end = start + len(name)
        tail = _ANCHOR.match(text, after)
        anchor = (
            None if tail is None else next((x for x in mentions if x.start == tail.end()), None)
        )
        if tail is None or anchor is None or anchor.place.kind not in ANCHOR_KINDS:
            if part_of:
                return self._part_of(text, name, kind, start, after, mentions)
            return UnknownPlace(name, kind, start, end)
        place = anchor.place
        if tail.group("km") and (bearing := bearing_of(tail.group("dir"))) is not None:
            km = float(tail.group("km")) * (1.609344 if tail.group("unit")[0] in "mM" else 1)
            lat, lon = offset(place.lat, place.lon, km, bearing)
            tolerance = max(2.0, 0.25 * km)
            return UnknownPlace(
                name, kind, start, end, place, round(km, 2), bearing, lat, lon, tolerance
            )
        return UnknownPlace(name, kind, start, end, place, None, None, place.lat, place.lon, 10.0)

    def _part_of(
        self, text: str, name: str, kind: PlaceKind, start: int, after: int, mentions: list[Mention]
    ) -> UnknownPlace:
        """The unknown place inside the settlement the text puts it in, within that
        settlement's extent (:func:`_extent_km`): "the Minyan Suburb of west Aleppo", "the X
        Quarter in Aleppo", "Aleppo's X district" and, for a part of a town (a district,
        quarter, suburb or housing project), the one town a sentence of it is "in" ("in the
        southern sector of Aleppo, striking the 1070 Housing Project"). Unplaced otherwise."""
        end = start + len(name)
        town = _mention_after(text, after, mentions) or _owner_before(text, start, mentions)
        if town is None and kind is PlaceKind.NEIGHBOURHOOD:
            town = _sentence_town(text, start, end, mentions)
        place = town.place if town is not None else None
        if place is not None and place.kind is PlaceKind.REGION and place.near:
            place = self.places.get(place.near)  # "eastern Aleppo": a side of Aleppo
        if place is None or not _holds(place, kind):
            return UnknownPlace(name, kind, start, end)
        tolerance = _extent_km(place) + (0.0 if kind is PlaceKind.NEIGHBOURHOOD else 5.0)
        return UnknownPlace(
            name, kind, start, end, place, None, None, place.lat, place.lon, tolerance, "in"
        )

    def found_place(self, unknown: UnknownPlace) -> Place | None:
        """An anchored unknown place as an approximate :class:`Place`; None when unanchored.

        The id (:func:`found_place_id`) is the same for the same name (in any spelling
        the name keys fold), kind and anchor in every article, and never a gazetteer id.
        The place takes the anchor's country and province, ``curated=False``,
        ``tolerance_km`` and a ``source`` that says how it was placed.

        Examples
        --------
        >>> gaz = load_gazetteer()
        >>> [u] = gaz.unknown_places("IS fled the village of Qurt Wazzan, 10 km north of Manbij.")
        >>> p = gaz.found_place(u)
        >>> p.id, p.kind.value, p.country, p.source, p.tolerance_km
        ('found:kurt-wazan:village:sy-manbij', 'village', 'SY', 'text: 10 km north of Manbij (±2.5 km)', 2.5)
        """
        anchor = unknown.anchor
        if anchor is None or unknown.lat is None or unknown.lon is None:
            return None
        return Place(
            found_place_id(unknown.name, unknown.kind, anchor.id),
            unknown.name,
            unknown.kind,
            unknown.lat,
            unknown.lon,
            anchor.country,
            anchor.admin1,
            near=anchor.id,
            source=f"text: {placement(unknown)}",
            curated=False,
            tolerance_km=unknown.tolerance_km,
        )

    def names_in(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Every capitalised name chunk of ``text`` (start, end, chunk), places or not."""
        for at, chunk in _chunks(text):
            yield at, at + len(chunk), chunk

    def unresolved(self, text: str) -> Counter[str]:
        """Names that read like places but resolve to nothing, with counts.

        A capitalised name of at most four words counts when it follows a place cue ("the
        town of", "village of", "in", "near", "outskirts of") and is neither a place, an
        actor nor a known non-place. These go into the ingest report for the gazetteer.
        """
        found: Counter[str] = Counter()
        for at, name in _chunks(text):
            if not self._chunk_hits(name) and self._looks_unresolved(text, at, name):
                found[name] += 1
        return found

    def _looks_unresolved(self, text: str, at: int, name: str) -> bool:
        """Whether a chunk with no place in it at ``at`` reads like an unknown place."""
        # The name alone first (memoised): most chunks ("The", "Syrian") fail it.
        return self._may_be_unresolved(name) and bool(_PLACE_CUE.search(text, max(0, at - 40), at))

    def _name_may_be_unresolved(self, name: str) -> bool:
        """The tests of :meth:`_looks_unresolved` that need only the name."""
        if len(name.split()) > 4 or self.is_known_name(name) or name.isupper():
            return False
        first = name_key(name.split()[0])
        return fold_text(name) not in self.common_words and first not in _NEUTRAL_KEYS

    def is_known_name(self, name: str) -> bool:
        """Whether ``name`` is a place, actor or shield in the index."""
        key = name_key(name)
        return key in self._by_key or key in self._shields


#: Every id of a place found in text (and not in the gazetteer) starts with this.
FOUND_PREFIX = "found:"
_COMPASS = (
    "north",
    "north-east",
    "east",
    "south-east",
    "south",
    "south-west",
    "west",
    "north-west",
)


def found_place_id(name: str, kind: PlaceKind, anchor_id: str | None) -> str:
    """The id of a place the gazetteer lacks: ``found:<name key>:<kind>[:<anchor id>]``.

    The name part is the spelling-insensitive key of :func:`geomap.names.name_key`, so
    "Qurt Wazzan" and "Qurt Wazan" near the same anchor are one place.

    Examples
    --------
    >>> found_place_id("Qurt Wazzan", PlaceKind.VILLAGE, "sy-manbij")
    'found:kurt-wazan:village:sy-manbij'
    >>> found_place_id("Bab Wazzun", PlaceKind.NEIGHBOURHOOD, None)
    'found:bab-wazun:neighbourhood'
    """
    slug = "-".join(re.findall(r"[a-z0-9]+", name_key(name)))
    if not slug:  # a name of other letters only: a short hash keeps the id plain ASCII
        import hashlib

        slug = "h" + hashlib.sha256(fold_text(name).encode("utf-8")).hexdigest()[:12]
    head = f"{FOUND_PREFIX}{slug}:{kind.value}"
    return f"{head}:{anchor_id}" if anchor_id else head


def placement(unknown: UnknownPlace) -> str:
    """How an unknown place was placed, in words: "10 km north of Manbij (±2.5 km)".

    "not placed" when the text gives no anchor.
    """
    anchor = unknown.anchor
    if anchor is None:
        return "not placed"
    if unknown.distance_km is not None and unknown.bearing is not None:
        where = f"{unknown.distance_km:g} km {_COMPASS[round(unknown.bearing / 45) % 8]} of"
    else:
        where = unknown.relation
    tolerance = f" (±{unknown.tolerance_km:g} km)" if unknown.tolerance_km else ""
    return f"{where} {anchor.name}{tolerance}"


# Capitalised articles that are not also English words ("As", "At", "An" are).
_CAPITAL_ARTICLES = frozenset("al el ar er az ez ad ed ash esh ath eth adh es".split())


@lru_cache(maxsize=8192)
def _is_article(word: str) -> bool:
    """A standalone Arabic article. Capitalised "As", "At", "An" are English words."""
    folded = fold_text(word)
    return folded in ARTICLES and (word.islower() or folded in _CAPITAL_ARTICLES)


# A mention's score: written as a listed spelling (or a variant), and ranked clear (or tied).
_BORDER_KEY = name_key("border")
# A capitalised name (or two, joined by a hyphen, dash or slash) before "border".
_COUNTRYISH = r"(?:(?!The\b)[A-Z][a-z]+[ \t]+)?[A-Z][a-z]+"
_BORDER_PHRASE = re.compile(
    rf"(?<![\w-])({_COUNTRYISH}(?:[ \t]*[-\u2010\u2011\u2013\u2014/][ \t]*{_COUNTRYISH})?)"
    r"[ \t\u00a0]+border\b"
)
# The last part of a joined name: "Latakia-Turkish border" is (Syria's) Turkish border.
_LAST_PART = re.compile(r"[-\u2010\u2011\u2013\u2014/][ \t]*([A-Z][a-z]+)$")
_BORDER_SOURCE = re.compile(r"naturalearth:geo/borders\.geojson \(([A-Z]{2})-([A-Z]{2})\)")


def _read_border_lines(
    folder: Path, places: Iterable[Place]
) -> dict[str, list[tuple[float, float]]]:
    """The lines of the border places, read from ``geo/borders.geojson`` (lon/lat order)."""
    import json

    path = folder / "geo" / "borders.geojson"
    if not path.is_file():
        return {}
    pairs = {
        (m.group(1), m.group(2)): p.id
        for p in places
        if p.kind is PlaceKind.REGION and (m := _BORDER_SOURCE.search(p.source))
    }
    lines: dict[str, list[tuple[float, float]]] = {}
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        place_id = pairs.get((props["a"], props["b"]))
        if place_id is None:
            continue
        parts = geometry["coordinates"]
        if geometry["type"] == "LineString":
            parts = [parts]
        lines[place_id] = [(lat, lon) for part in parts for lon, lat in part]
    return lines


def _point(place: Place, lat: float, lon: float) -> Place:
    return replace(place, lat=lat, lon=lon)


def _nearest_vertex(line: list[tuple[float, float]], anchor: Place) -> tuple[float, float]:
    """The point of ``line`` nearest ``anchor`` (its vertices are a few km apart)."""
    scale = math.cos(math.radians(anchor.lat))  # a degree of longitude, in degrees of latitude
    return min(line, key=lambda pt: (pt[0] - anchor.lat) ** 2 + ((pt[1] - anchor.lon) * scale) ** 2)


_DIRECTIONS = "east west north south eastern western northern southern".split()
_DIRECTION_KEYS = frozenset(name_key(w) for w in _DIRECTIONS)
_DIRECTION_BEFORE = re.compile(
    r"(?<![\w-])(?:(?:north|south)-?(?:east|west)|east|west|north|south)(?:ern)?[ \t]+$"
)
_AREA_KINDS = frozenset({PlaceKind.REGION, PlaceKind.NEIGHBOURHOOD, PlaceKind.VALLEY})
# Feature words of settlements and areas ("district", "village", "countryside"): with no
# place of that kind, a name with one resolves to the place it is named by.
_AREA_HINTS = frozenset(
    {PlaceKind.NEIGHBOURHOOD, PlaceKind.CITY, PlaceKind.TOWN, PlaceKind.VILLAGE, PlaceKind.PROVINCE}
)

_SCORES = {
    (exact, decided): round((1.0 if exact else 0.95) * (1.0 if decided else 0.8), 3)
    for exact in (True, False)
    for decided in (True, False)
}


def _ends_with_of(text: str, at: int) -> bool:
    """Whether the text before ``at`` ends with "of" or "of the" (a cheap guard for
    :data:`_KIND_BEFORE`, which needs one)."""
    return _ends_with_word(text, at, ("of",))


_SITE_PREPOSITIONS = ("in", "at", "near", "outside")


def _ends_with_word(text: str, at: int, words: tuple[str, ...]) -> bool:
    """Whether the text before ``at`` ends with one of ``words``, "the" after it allowed."""
    before = text[max(0, at - 40) : at].rstrip().lower()
    if before.endswith("the"):
        before = before[:-3].rstrip()
    return before.endswith(words)


def _add_prefixes(prefixes: set[str], key: str) -> None:
    """Add ``key`` and its leading token runs ("a b c": "a", "a b", "a b c")."""
    at = key.find(" ")
    while at >= 0:
        prefixes.add(key[:at])
        at = key.find(" ", at + 1)
    prefixes.add(key)


def _guard_tail(guards: dict[str, set[str]], key: str) -> None:
    """Note in :attr:`Gazetteer._tail_guards` what the key of a name says: a candidate
    word that is a whole key is never dropped; one that ends a key may not be dropped
    after the key's word before it."""
    head, _, last = key.rpartition(" ")
    if last in guards:
        if not head:
            del guards[last]  # a name of its own
        else:
            guards[last].add(head.rpartition(" ")[2])


def _plain_word(word: str) -> bool:
    """One ASCII word of letters, not an Arabic article: one token, its key one token."""
    return word.isascii() and word.isalpha() and not _is_article(word)


def _exact_form(name: str) -> str:
    """A name as written, up to case, diacritics and hyphens/spaces."""
    return " ".join(_SPACES_HYPHENS.split(fold_text(name).strip()))


_SPACES_HYPHENS = re.compile(r"[\s\-\u2010\u2011]+")


def _feature_after(keys: list[str], j: int) -> tuple[PlaceKind, ...]:
    """The kinds a feature word at token ``j`` (one or two words) points to."""
    if j >= len(keys) or keys[j] not in _FEATURE_HEADS:
        return ()  # most names are followed by no feature word
    for n in (2, 1):
        phrase = " ".join(keys[j : j + n])
        if j + n <= len(keys) and phrase in _FEATURE_KEYS:
            return _FEATURE_KEYS[phrase]
    return ()


_SETTLEMENT_KINDS = (PlaceKind.CITY, PlaceKind.TOWN, PlaceKind.VILLAGE)
# "X, the biggest town west of Mosul", "X, the final border crossing with Iraq": an
# apposition of up to three small words and a kind word says X is a place of that kind.
_APPOSITIVE = re.compile(
    r",\s+(?:the|a|an)\s+(?:[a-z]+\s+){0,3}?"
    r"(border crossing|crossing|town|city|village|neighbou?rhood|district|oil ?field|dam"
    r"|air ?base)\b"
)
_APPOSITIVE_KINDS = {
    "border crossing": (PlaceKind.BORDER_CROSSING,),
    "crossing": (PlaceKind.BORDER_CROSSING,),
    "town": _SETTLEMENT_KINDS,
    "city": _SETTLEMENT_KINDS,
    "village": _SETTLEMENT_KINDS,
    "neighbourhood": (PlaceKind.NEIGHBOURHOOD,),
    "neighborhood": (PlaceKind.NEIGHBOURHOOD,),
    "district": (PlaceKind.NEIGHBOURHOOD,),
    "oil field": (PlaceKind.OILFIELD,),
    "oilfield": (PlaceKind.OILFIELD,),
    "dam": (PlaceKind.DAM,),
    "air base": (PlaceKind.AIRBASE,),
    "airbase": (PlaceKind.AIRBASE,),
}


def _appositive_kinds(text: str, end: int) -> tuple[PlaceKind, ...]:
    """The kinds an apposition right after ``text[:end]`` gives its name, else ``()``.

    Examples
    --------
    >>> _appositive_kinds("Sinune, the biggest town west of Mosul", 6)[0].value
    'city'
    >>> _appositive_kinds("Sinune, which fell", 6)
    ()
    """
    if text[end : end + 1] != "," or (m := _APPOSITIVE.match(text, end)) is None:
        return ()
    return _APPOSITIVE_KINDS[m.group(1)]


def _ends_with_ayn(word: str) -> bool:
    """Whether ``word`` ends with an ʿayn or hamza mark (not a plural's possessive "s'").

    Examples
    --------
    >>> _ends_with_ayn("Mare'"), _ends_with_ayn("Kurds'"), _ends_with_ayn("Mare")
    (True, False, False)
    """
    return word[-1:] in _AYN_MARKS and word[-2:-1] not in ("s", "S", "")


def _coverage(hits: Iterable[_Hit]) -> int:
    """How much of a chunk hits name, longer names first: the sum of their squared lengths."""
    return sum((h.last - h.first + 1) ** 2 for h in hits)


def _token_words(chunk: str) -> list[tuple[str, tuple[int, int]]]:
    return [(m.group(), m.span()) for m in _WORD.finditer(chunk)]


def _token_spans(chunk: str) -> list[tuple[int, int]]:
    return [span for _, span in _token_words(chunk)]


def _ranking(
    hit: _Hit, hint: tuple[PlaceKind, ...], countries: Counter[str]
) -> tuple[Place, bool, list[Place]]:
    """The first of a hit's candidates, whether it stands clear, and those tied with it.

    Kept on the (memoised) hit when its candidates share one country, so that the
    article's countries cannot change the order: a name seen again costs a lookup.
    """
    cache: dict[tuple[PlaceKind, ...], tuple[Place, bool, list[Place]]] = hit.__dict__.get(
        "_ranking", {}
    )
    if hint in cache:
        return cache[hint]
    ranked = _rank(hit.places, hint, countries)
    top = _priority(ranked[0], hint)
    decided = top < _priority(ranked[1], hint)
    result = (
        ranked[0],
        decided,
        [] if decided else [p for p in ranked if _priority(p, hint) == top],
    )
    if hit.country:
        hit.__dict__.setdefault("_ranking", {})[hint] = result
    return result


def _drop_weak(places: list[Place], weak_ids: dict[str, int]) -> tuple[list[Place], int]:
    """The places a key names without a cue; if none, all of them and their weakness."""
    strong = [p for p in places if p.id not in weak_ids]
    if strong:
        # A bulk village must not steal the name of a curated place ("Aleppo" the city).
        if any(p.curated for p in strong):
            strong = [p for p in strong if p.curated or p.kind not in _BULK_SMALL]
        return strong, 0
    return places, min(weak_ids[p.id] for p in places)


# After a weak name, words that make it a date, an outlet or a person rather than a place.
_NOT_A_PLACE_AFTER = re.compile(
    r"\s*(?:\d|(?:news|agency|media|network|tv|channel|radio|told|said|says|added|explained"
    r"|stated|wrote|tweeted|reported|bin|ibn)\b)",
    re.IGNORECASE,
)


# Places well known enough that a spelling of their own is never a stray (see _drop_strays).
_MAJOR_KINDS = frozenset({PlaceKind.CITY, PlaceKind.TOWN, PlaceKind.PROVINCE, PlaceKind.COUNTRY})
# What anchors a sentence: its towns, cities and provinces (a village found by its exact
# spelling may itself be a namesake abroad: "the villages of Ziyada, Himr, Mirza").
_STRAY_ANCHOR_KINDS = frozenset({PlaceKind.CITY, PlaceKind.TOWN, PlaceKind.PROVINCE})
# How far from a name its sentence is looked for, each way.
_STRAY_REACH = 400


def _drop_strays(text: str, out: list[Mention | None], inexact: list[int]) -> None:
    """Drop (set to ``None``) the mentions of ``out`` at ``inexact`` (names not written as a
    listed spelling, read by their key or spelling family) that stray from their sentence:
    the sentence names other places (towns, villages, sites, provinces), none of them in
    the mention's country and none within :data:`CONTEXT_RADIUS_KM` of it. A curated
    city, town, province or country never strays; only towns, cities and provinces
    anchor.

    "Kurdish fighters control Tal Abyad, after capturing the neighborhood of Mashhour":
    Mashhour keys to Mashkur in southern Iraq, 880 km away; better unresolved.
    """
    loose = set(inexact)

    def sure(m: Mention, i: int) -> bool:
        return i not in loose or (m.place.curated and m.place.kind in _MAJOR_KINDS)

    # the mentions that may anchor, by position (a sentence is looked at within
    # _STRAY_REACH characters of the name, so that a long text costs linear time)
    anchoring = sorted(
        (o.start, j)
        for j, o in enumerate(out)
        if o is not None
        and o.role is Role.PLACE
        and o.place.kind in _STRAY_ANCHOR_KINDS
        and sure(o, j)
    )
    starts = [start for start, _j in anchoring]
    for i in inexact:
        if (m := out[i]) is None or sure(m, i):
            continue
        reach = max(0, m.start - _STRAY_REACH)
        opens = _LAST_SENTENCE_END.match(text, reach, m.start)
        lo = opens.end() if opens else reach
        closes = _SENTENCE_END.search(text, m.end, m.end + _STRAY_REACH)
        hi = closes.start() if closes else min(len(text), m.end + _STRAY_REACH)
        anchors = [
            o.place
            for _start, j in anchoring[bisect_left(starts, lo) : bisect_left(starts, hi)]
            if j != i and (o := out[j]) is not None
        ]
        if anchors and all(
            a.country != m.place.country and distance_km(a, m.place) > CONTEXT_RADIUS_KM
            for a in anchors
        ):
            out[i] = None


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start].rstrip(" \t\"“‘'(")
    return not before or before[-1] in ".!?:–—-\n"


_OFFICE_WORDS = frozenset(
    """secretary defense defence president foreign army air navy ambassador envoy special
    minister ministry department state embassy government forces military senate congress
    treasury interior vice prime chief general central command marines officials official
    intelligence administration""".split()
)
_ADJECTIVE_AFTER = re.compile(r"[-\u2010\u2011][A-Z][a-z]+(?:an|ish|ese|i)\b")


def _url_spans(text: str) -> list[tuple[int, int]]:
    """Where web addresses are ("http://.../US-backed_forces"): no place inside them."""
    spans: list[tuple[int, int]] = []
    for marker in ("://", "www."):
        at = text.find(marker)
        while at >= 0:
            tail = _SPACE.search(text, at)
            spans.append((_word_start(text, at), tail.start() if tail else len(text)))
            at = text.find(marker, at + len(marker))
    return spans


def _word_start(text: str, at: int) -> int:
    """Where the run of non-space characters that ends at ``at`` starts, looking back at
    most 300 characters (or that far back if there is no space).

    What ``_SPACE_BEFORE`` finds in ``text[at - 300 : at]``, without trying the regex at
    every space of those 300 characters (``str.isspace`` is the regex's class of spaces).
    """
    floor = max(0, at - 300)
    # `$` also matches before a final newline: the run may end before one.
    end = at - 1 if at > floor and text[at - 1] == "\n" else at
    i = end
    while i > floor and not text[i - 1].isspace():
        i -= 1
    if i > floor:
        return i  # just after the last space before the run
    return at if end != at else floor


_SPACE = re.compile(r"\s")
# The start of the word before a position (see _word_start, which tests check against it).
_SPACE_BEFORE = re.compile(r"\s(?=\S*$)")
# "the village of X", "X hill", "the X district": a kind word says a name is a place.
_NAME = rf"{_CAP}(?:[ \t]+(?:(?:{_ART})|al|el)?[ \t]*{_CAP}){{0,3}}"
# Found from the kind words out: a pattern of "kind of NAME | NAME kind" over the whole text
# tries a name at every capital letter (eight times slower).
_KIND_WORD = re.compile(
    r"\b(?:village|town|hamlet|hill|hilltop|mountain|district|neighbou?rhood|suburb)\b"
)
_KIND_OF = re.compile(rf"[ \t]+of[ \t]+(?P<name>{_NAME})")
_NAME_BEFORE = re.compile(rf"(?P<name>{_NAME})[ \t]+$")
_KIND_AFTER_NAME = frozenset(
    "village hill hilltop mountain district neighbourhood neighborhood".split()
)
#: How far before a kind word its name may start (four words of a name and their articles).
_NAME_REACH = 160


def _kind_named(text: str) -> Iterator[tuple[str, str, int, int]]:
    """(name, kind word, name start, match end) of every "the village of X" and "X hill",
    leftmost first, never overlapping (a kind word after a name belongs to it).

    Examples
    --------
    >>> list(_kind_named("Foo Bar hill and the village of Umm Kaif near Y"))
    [('Foo Bar', 'hill', 0, 12), ('Umm Kaif', 'village', 32, 40)]
    """
    done = 0  # the end of the last match
    for kw in _KIND_WORD.finditer(text):
        word = kw.group()
        if word in _KIND_AFTER_NAME and kw.start() > done:
            before = _NAME_BEFORE.search(text, max(done, kw.start() - _NAME_REACH), kw.start())
            if before is not None:
                done = kw.end()
                yield before.group("name"), word, before.start(), kw.end()
                continue
        if kw.start() >= done and (of := _KIND_OF.match(text, kw.end())) is not None:
            done = of.end()
            yield of.group("name"), word, of.start("name"), of.end()


_UNKNOWN_KINDS = {
    "village": PlaceKind.VILLAGE,
    "town": PlaceKind.TOWN,
    "hamlet": PlaceKind.VILLAGE,
    "hill": PlaceKind.MOUNTAIN,
    "hilltop": PlaceKind.MOUNTAIN,
    "mountain": PlaceKind.MOUNTAIN,
    "district": PlaceKind.NEIGHBOURHOOD,
    "neighbourhood": PlaceKind.NEIGHBOURHOOD,
    "neighborhood": PlaceKind.NEIGHBOURHOOD,
    "suburb": PlaceKind.NEIGHBOURHOOD,
}
# What may follow an unknown place to anchor it: "10 km north of Y", "near Y".
_ANCHOR = re.compile(
    r",?[ \t]+(?:(?:about|some|around|nearly|roughly|just)[ \t]+)?"
    r"(?:(?P<km>\d+(?:\.\d+)?)[ \t]*(?P<unit>km|kms|kilometers|kilometres|miles|mi)\b[ \t]*"
    r"\(?[^)]{0,20}?\)?[ \t]*"
    r"(?P<dir>(?:north|south)(?:[- ]?(?:east|west))?|east|west)(?:ern)?[ \t]+of"
    r"|near|outside|on[ \t]+the[ \t]+outskirts[ \t]+of)[ \t]+(?:the[ \t]+(?:town|city|village)[ \t]+of[ \t]+)?",
    re.IGNORECASE,
)

# A titled name: a capitalised kind word ends it ("the Minyan Suburb", "Storage Base 410",
# "the Hayyan Gas Fields"), as part of the name; a number may follow ("Hill 30").
_TITLE_WORD = re.compile(
    r"\b(?P<word>District|Quarter|Suburb|Neighbou?rhood|(?:Housing|Apartment)[ \t]+(?:Project|Complex)"
    r"|(?:Gas|Oil)[ \t]?[Ff]ields?|Base|Hill|Station)\b(?:[ \t]+(?P<num>\d{1,4})\b)?"
)
_TITLE_KINDS = {
    "Base": PlaceKind.MILITARY_BASE,
    "Hill": PlaceKind.MOUNTAIN,
    "Station": PlaceKind.FACILITY,
    "Field": PlaceKind.OILFIELD,
}
_NUMBERED_NAME_BEFORE = re.compile(rf"(?:(?<![\w.,])\d{{1,4}}[ \t]+)?(?P<name>{_NAME})[ \t]+$")
_NUMBER_BEFORE = re.compile(r"(?<![\w.,])\d{1,4}[ \t]+$")
# "of/in/inside west Aleppo" after a titled name: the settlement it is part of.
_PART_OF = re.compile(
    r"[ \t]+(?:of|in|inside|within)[ \t]+(?:the[ \t]+)?(?:city[ \t]+of[ \t]+)?"
    r"(?P<dir>(?:(?:north|south)-?(?:east|west)?|east|west|central)(?:ern)?[ \t]+)?"
)
# "Aleppo's (eastern) X district": the possessive before a name.
_OWNER_BEFORE = re.compile(
    r"^['’]s[ \t]+(?:(?:(?:north|south)-?(?:east|west)?|east|west|central)(?:ern)?[ \t]+)?$"
)
# "in the southern sector of Aleppo": a sentence's settlement, "in" it (words before it).
_IN_TOWN_BEFORE = re.compile(
    r"\b(?:in|inside|within|across)\s+(?:(?:the|strategic|besieged|city|town|sector|part"
    r"|parts|portion|areas?|neighbou?rhoods|districts|of|(?:(?:north|south)-?(?:east|west)?|east"
    r"|west|central)(?:ern)?)\s+){0,6}$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
# Up to the last sentence end of a stretch (match() it on the text before a position).
_LAST_SENTENCE_END = re.compile(r".*(?:[.!?]\s|\n)", re.DOTALL)
_CITY_PART_HOSTS = frozenset({PlaceKind.CITY, PlaceKind.TOWN})
_SITE_HOSTS = frozenset({PlaceKind.TOWN, PlaceKind.VILLAGE})
#: People per km² of a built-up town, to turn a population into a radius (Aleppo, 2.1 M:
#: 9 km; Deir ez-Zor, 0.2 M: 3 km): the extent a part of the town lies within.
_TOWN_DENSITY = 8000.0
_EXTENT_KM = {PlaceKind.CITY: 5.0, PlaceKind.TOWN: 2.0}


def _titled(text: str) -> Iterator[tuple[str, PlaceKind, int, int]]:
    """(name, kind, start, end) of every titled name, the kind word in the name.

    A name before the kind word (up to four capitalised words, a number before them) is
    needed unless a number follows it ("Hill 30"); neutral words opening it are left off
    ("On Monday Hill 30" is "Hill 30").

    Examples
    --------
    >>> [(n, k.value) for n, k, _, _ in _titled("They took the Minyan Suburb and Hill 30.")]
    [('Minyan Suburb', 'neighbourhood'), ('Hill 30', 'mountain')]
    >>> [n for n, _, _, _ in _titled("the 1070 Al-Hamdaniyah Housing Project in Aleppo")]
    ['1070 Al-Hamdaniyah Housing Project']
    """
    done = 0
    for kw in _TITLE_WORD.finditer(text):
        if kw.start() < done:
            continue
        start = kw.start()
        before = _NUMBERED_NAME_BEFORE.search(text, max(done, start - _NAME_REACH), start)
        if before is not None:
            words = before.group().split()
            at = before.start()
            while words and (
                (not words[0][:1].isdigit() and name_key(words[0]) in _NEUTRAL_KEYS)
                or any(w.endswith(("'s", "’s")) for w in words)  # "Aleppo’s X District"
            ):
                at = text.index(words[1], at + len(words[0])) if len(words) > 1 else start
                words = words[1:]
            start = at if words else start
        elif (number := _NUMBER_BEFORE.search(text, max(done, start - 8), start)) is not None:
            start = number.start()  # "the 3000 Apartment Project"
        if start == kw.start() and kw.group("num") is None:
            continue  # a kind word alone ("the Base") names nothing
        word = kw.group("word")
        kind = _TITLE_KINDS.get(word, _TITLE_KINDS["Field"] if "ield" in word else None)
        done = kw.end()
        yield text[start:done], kind or PlaceKind.NEIGHBOURHOOD, start, done


def _mention_after(text: str, at: int, mentions: list[Mention]) -> Mention | None:
    """The place "of/in/inside (west) Y" right after ``at``."""
    m = _PART_OF.match(text, at)
    if m is None:
        return None
    starts = {m.end(), m.start("dir")} if m.group("dir") else {m.end()}
    return next((x for x in mentions if x.start in starts), None)


def _owner_before(text: str, start: int, mentions: list[Mention]) -> Mention | None:
    """The place whose possessive stands right before ``start`` ("Aleppo's X district")."""
    for x in mentions:
        if start - 16 <= x.end <= start and _OWNER_BEFORE.match(text[x.end : start]):
            return x
    return None


def _sentence_town(text: str, start: int, end: int, mentions: list[Mention]) -> Mention | None:
    """The one city or town the sentence of ``text[start:end]`` is "in" ("in the southern
    sector of Aleppo", "inside the city of Darayya"), else None (none, or two)."""
    first = max(
        (m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 400), start)), default=0
    )
    stop = _SENTENCE_END.search(text, end)
    last = stop.start() if stop is not None else len(text)
    towns = {
        x.place.id: x
        for x in mentions
        if first <= x.start < last
        and not start <= x.start < end
        and x.place.kind in _CITY_PART_HOSTS
        and _IN_TOWN_BEFORE.search(text, max(first, x.start - 60), x.start)
    }
    return next(iter(towns.values())) if len(towns) == 1 else None


def _holds(place: Place, kind: PlaceKind) -> bool:
    """Whether an unknown place of ``kind`` may be part of ``place``: a district of a city
    or town; a hill, base or station of a town or village (a city's name is often its
    province's too, which holds far more)."""
    return place.kind in (_CITY_PART_HOSTS if kind is PlaceKind.NEIGHBOURHOOD else _SITE_HOSTS)


def _extent_km(place: Place) -> float:
    """The radius (km) of a settlement: from its population, else by kind (1 km a village).

    Examples
    --------
    >>> _extent_km(Place("a", "Aleppo", PlaceKind.CITY, 36.2, 37.16, "SY", population=2132100))
    9.2
    >>> _extent_km(Place("v", "Foo", PlaceKind.VILLAGE, 36.2, 37.16, "SY"))
    1.0
    """
    if place.population:
        radius = math.sqrt(place.population / (math.pi * _TOWN_DENSITY))
        return round(min(max(radius, 1.0), 12.0), 1)
    return _EXTENT_KM.get(place.kind, 1.0)


_DOT_CAPITAL = re.compile(r"\.(?=[A-Z]\.)")
_DOTTED = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,3}")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3][\u0621-\u065f\u0670-\u06d3]*")
_HAS_ARABIC = re.compile(r"[\u0621-\u064a]")
_UNIT_BEFORE = re.compile(
    r"\b(?:soldiers|troops|members|fighters|officers|commanders?|men|units?|elements|remnants"
    r"|battalions?|brigades?)\s+(?:of|from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_SITE_BEFORE = re.compile(
    r"\b(oil ?field|gas ?field|oilfields|airbase|air base|airport|airfield|dam|military base)"
    r"\s+(?:in|at|near|outside)\s+(?:the\s+)?$",
    re.IGNORECASE,
)

_BULK_SMALL = frozenset({PlaceKind.VILLAGE, PlaceKind.NEIGHBOURHOOD})
# Kinds _to_mention weighs more than a lookup: "US-Russian", "soldiers of the 17th Division".
_NOT_PLAIN_KINDS = frozenset({PlaceKind.COUNTRY, PlaceKind.MILITARY_BASE})


def _priority(place: Place, hint: tuple[PlaceKind, ...]) -> tuple[int, int, int]:
    hinted = 0 if place.kind in hint else 1
    return (hinted, 0 if place.curated else 1, _KIND_PRIORITY.get(place.kind, 6))


def _rank(
    places: Iterable[Place], hint: tuple[PlaceKind, ...], countries: Counter[str]
) -> list[Place]:
    """Order candidate places: feature-word hint, the article's countries, curation, kind."""
    return sorted(
        places,
        key=lambda p: (
            _priority(p, hint)[0],
            -countries.get(p.country, 0),
            *_priority(p, hint)[1:],
            -(p.population or 0),
            p.id,
        ),
    )


_LATIN_WORD = re.compile(r"[A-Za-z][\w'’]*")


def _is_headline(text: str, pos: int) -> bool:
    """Whether ``pos`` sits in a short line of mostly capitalised words (a headline)."""
    line_start = text.rfind("\n", max(0, pos - 300), pos) + 1
    line_end = text.find("\n", pos, pos + 300)
    if (line_start == 0 and pos > 300) or (line_end < 0 and len(text) - pos > 300):
        return False  # a line this long is not a headline
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if len(line) > 240:
        return False  # more than 25 words of news copy
    words = _LATIN_WORD.findall(line)
    if not words or len(words) > 25:
        return False
    capital = sum(1 for w in words if w[0].isupper())
    return capital / len(words) >= 0.6


def _looks_metonymic(text: str, start: int, end: int) -> bool:
    """A capital used for its government: "Ankara said", "the Damascus envoy"."""
    after = text[end : end + 40]
    if not after.startswith((",", ".")):
        rest = after.lstrip()
        # On ASCII text the lower-case pattern over lower-cased text matches what
        # IGNORECASE does, in half the time (a capital comes up in most dispatches).
        if rest.isascii():
            if _METONYM_VERB_LOWER.match(rest.lower()):
                return True
        elif _METONYM_VERB.match(rest):
            return True
    # "an", "the", "both" or "between" just before: one search finds which, if any (no two
    # of them can end the same text).
    word_before = _WORD_BEFORE_CAPITAL.search(text[max(0, start - 12) : start])
    if word_before is None:
        return False
    if word_before.group(1) is None:
        return True  # "both Moscow and Damascus", "between Ankara and ..."
    return bool(_METONYM_NOUN.match(after) or _MILITARY_STATEMENT.match(after))


_ARTICLE_END = re.compile(r"\b(?:an?|the)\s+$", re.IGNORECASE)
_MILITARY_STATEMENT = re.compile(r"^\s+military\s+statement", re.IGNORECASE)
_BOTH_END = re.compile(r"\b(?:both|between)\s+$", re.IGNORECASE)
# The two above in one search: group 1 is an article; no group, "both" or "between".
_WORD_BEFORE_CAPITAL = re.compile(r"\b(?:(an?|the)|both|between)\s+$", re.IGNORECASE)
_METONYM_VERB_LOWER = re.compile(_METONYM_VERB.pattern)  # for lower-cased ASCII text


def _propagate_metonyms(text: str, mentions: list[Mention]) -> list[Mention]:
    """In "Moscow and Damascus", a metonym makes its partner one too."""
    out = list(mentions)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if text[a.end : b.start].strip().lower() != "and":
            continue
        if a.role is Role.METONYM and b.role is Role.PLACE and b.place.kind is PlaceKind.CITY:
            out[i + 1] = _with_role(b, Role.METONYM)
        elif b.role is Role.METONYM and a.role is Role.PLACE and a.place.kind is PlaceKind.CITY:
            out[i] = _with_role(a, Role.METONYM)
    return out


def _fill_mention(
    start: int, end: int, surface: str, place: Place, score: float, role: Role = Role.PLACE
) -> Mention:
    """``Mention(start, end, surface, place, score, role)``, its fields filled in directly.

    The frozen dataclass's ``__init__`` sets each field with ``object.__setattr__``: twice
    the time, for the record ``find`` makes for every name (a tenth of its time). Used only
    while :class:`Mention` is the plain record of these six fields (see ``_mention``).
    """
    made = _new_object(Mention)
    slots = made.__dict__
    slots["start"] = start
    slots["end"] = end
    slots["surface"] = surface
    slots["place"] = place
    slots["score"] = score
    slots["role"] = role
    return made


_new_object = object.__new__
_PLAIN_MENTION = (
    tuple(f.name for f in fields(Mention)) == ("start", "end", "surface", "place", "score", "role")
    and not hasattr(Mention, "__slots__")
    and not hasattr(Mention, "__post_init__")
)
# The fast maker while Mention is a plain record of six fields; its constructor otherwise.
_mention: Callable[..., Mention] = _fill_mention if _PLAIN_MENTION else Mention


def _with_role(m: Mention, role: Role) -> Mention:
    return Mention(m.start, m.end, m.surface, m.place, m.score, role)


# --------------------------------------------------------------------- loading
def default_data_dir() -> Path:
    """The gazetteer folder shipped with geomap (inside a wheel, or the source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "gazetteer", here.parent / "gazetteer"):
        if (candidate / "actors.csv").is_file():
            return candidate
    raise GazetteerError(
        f"expected gazetteer data in {here.parent / 'gazetteer'}, found none; reinstall geomap"
    )


@lru_cache(maxsize=4)
def load_gazetteer(data_dir: Path | str | None = None) -> Gazetteer:
    """Load the gazetteer from ``data_dir`` (default: the shipped data). Cached per folder.

    Raises
    ------
    GazetteerError
        If a data file is missing or has a malformed row (the message names file:line).
    """
    folder = Path(data_dir) if data_dir else default_data_dir()
    index = index_path(folder)
    if (state := read_index(index)) is not None:
        gaz = _from_state(state)
    else:
        gaz = _build_gazetteer(folder)
        write_index(index, _to_state(gaz))
    # The index is a million long-lived objects: keep the cyclic collector from walking
    # them again and again while text is read (it tripled the time of find()).
    gc.freeze()
    return gaz


def _build_gazetteer(folder: Path) -> Gazetteer:
    """Read every data file of ``folder`` and index it (seconds: see gazetteer_cache)."""
    gaz = Gazetteer(places={})
    curated_files = sorted((folder / "places").glob("*.csv"))
    if not curated_files:
        raise GazetteerError(f"expected place files in {folder / 'places'}, found none")
    curated_gn: dict[str, str] = {}  # geonameid -> curated place id
    for path in curated_files:
        for place in _read_places(path, curated=True):
            if place.id in gaz.places:
                raise GazetteerError(f"{path}: duplicate place id {place.id!r}")
            gaz.add_place(place, _bare_aliases(place))
            for gn in re.findall(r"geonames:(\d+)", place.source):
                curated_gn.setdefault(gn, place.id)
    for place, arabic in _merge_bulk(_bulk_files(folder), curated_gn):
        if place.curated:  # a curated place takes the spellings of its bulk record...
            if (own := gaz.places.get(place.id)) is not None:
                # ...but none that another curated place already answers to.
                gaz.add_place(own, [a for a in arabic if not _names_other(gaz, a, own)])
            continue
        if place.id in gaz.places:
            continue
        if twin := _curated_twin(gaz, place):  # the same town, listed without a geonameid
            names = (place.name, *place.aliases)
            gaz.add_place(twin, [a for a in names if _ARABIC_LETTER.search(a)])
            continue
        gaz.add_place(place)
    _add_hill_forms(gaz)
    for actor in read_actors(folder / "actors.csv"):
        gaz.actors[actor.code] = actor
        for alias in (actor.name, *actor.aliases):
            if (alias[:1].isupper() and " " in alias) or alias.isupper():
                gaz.add_shield(alias, "actor")
    for row in _read_csv(folder / "non_places.csv", ("pattern", "type")):
        gaz.add_shield(row["pattern"], row["type"])
    capital_ids = set()
    for row in _read_csv(folder / "capitals.csv", ("name", "country")):
        for place in gaz._by_key.get(name_key(row["name"]), []):
            if place.country == row["country"] and place.kind is PlaceKind.CITY:
                capital_ids.add(place.id)
    gaz.capitals = frozenset(capital_ids)
    gaz.common_words_path = folder / "common_words.txt"
    _link_sites(gaz)
    _index_context(gaz, _read_person_names(folder / "person_names.txt"))
    return gaz


# Sites named after the settlement next to them ("the Ain Zalah oil field": Qaryat 'Ayn
# Zalah), and how far that settlement may be (km).
_LINKED_SITE_KINDS = frozenset({PlaceKind.OILFIELD, PlaceKind.DAM})
_LINK_KM = 15.0


def _link_sites(gaz: Gazetteer) -> None:
    """Give an oil or gas field or dam listed without ``near`` the settlement it is named
    after, when one so named (or "Qaryat X", the village of X) lies within 15 km: the
    nearest. A report of "Ain Zalah" and one of "the Ain Zalah oil field" then name one
    place and its site."""
    linked: dict[str, Place] = {}
    for place in gaz.places.values():
        if place.kind not in _LINKED_SITE_KINDS or place.near:
            continue
        hint = gaz._trailing_hint(name_key(place.name))
        if hint is None:
            continue
        towns = [
            p
            for key in (hint[0], f"{VILLAGE_WORD} {hint[0]}")
            for p in gaz._by_key.get(key, ())
            if p.kind in _SETTLEMENTS and distance_km(p, place) <= _LINK_KM
        ]
        if not towns:
            continue
        town = min(towns, key=lambda p: distance_km(p, place))
        linked[place.id] = replace(place, near=town.id)
    if not linked:
        return
    gaz.places.update(linked)
    for index in (gaz._by_key, gaz._by_loose):
        for bucket in index.values():
            for i, p in enumerate(bucket):
                if p.id in linked:
                    bucket[i] = linked[p.id]


# The gazetteer's own fields: ``tolerance_km`` belongs to places found in text only.
_PLACE_FIELDS = tuple(f.name for f in fields(Place) if f.name != "tolerance_km")
_ACTOR_FIELDS = tuple(f.name for f in fields(Actor))


def _to_state(gaz: Gazetteer) -> dict[str, Any]:
    """The gazetteer as plain data (strings, numbers, lists, dicts) for the index file."""

    def ids(index: dict[str, list[Place]]) -> dict[str, str]:
        # One string a key ("id|id"), not a list: a tenth of the objects to read back.
        return {k: "|".join(p.id for p in v) for k, v in index.items()}

    return {
        "places": {p.id: _place_row(p) for p in gaz.places.values()},
        "actors": [tuple(getattr(a, f) for f in _ACTOR_FIELDS) for a in gaz.actors.values()],
        "capitals": sorted(gaz.capitals),
        "common_words_path": str(gaz.common_words_path or ""),
        "common_words": gaz.common_words,
        "by_key": ids(gaz._by_key),
        "by_loose": ids(gaz._by_loose),
        "exact": gaz._exact,
        "exact_raw": gaz._exact_raw,
        "shields": gaz._shields,
        "max_tokens": gaz._max_tokens,
        "weak": gaz._weak,
        "strong_keys": gaz._strong_keys,
        "admin_key": gaz._admin_key,
        "province_keys": gaz._province_keys,
        "near_index": ids(gaz._near_index),
        "tail_guards": {k: sorted(v) for k, v in gaz._tail_guards.items()},
        # (built here once, not in every process that reads a spelling family: ~0.7 s)
        "variant_index": ids(gaz._variant_index),
    }


# A place as one string in the index file: fields split by US, aliases by RS.
_FIELD_SEP, _ALIAS_SEP = "\x1f", "\x1e"


def _place_row(place: Place) -> str:
    values = [getattr(place, f) for f in _PLACE_FIELDS]
    cells = [
        v.value
        if isinstance(v, PlaceKind)
        else _ALIAS_SEP.join(v)
        if isinstance(v, tuple)
        else ""
        if v is None
        else str(int(v) if isinstance(v, bool) else v)
        for v in values
    ]
    return _FIELD_SEP.join(cells)


_KINDS = {k.value: k for k in PlaceKind}


def _place_from_row(row: str) -> Place:
    (pid, name, kind, lat, lon, country, admin1, near, pop, aliases, source, curated) = row.split(
        _FIELD_SEP
    )
    return Place(
        pid,
        name,
        _KINDS[kind],
        float(lat),
        float(lon),
        country,
        admin1,
        near,
        int(pop) if pop else None,
        tuple(aliases.split(_ALIAS_SEP)) if aliases else (),
        source,
        curated == "1",
    )


_dict_get = dict.get


class _LazyPlaces(dict):  # type: ignore[type-arg]
    """id -> place, read as one string a place and made a :class:`Place` on first use."""

    _complete = False  # every value is a Place: the plain dict views will do

    def __getitem__(self, key: str) -> Place:
        value = super().__getitem__(key)
        if isinstance(value, str):
            value = _place_from_row(value)
            self[key] = value
        return value  # type: ignore[no-any-return]

    def get(self, key: str, default: Any = None) -> Any:
        value = super().get(key, default)
        if isinstance(value, str):
            value = self[key]
        return value

    def values(self) -> Any:
        if not self._complete:
            for key in self:
                _ = self[key]  # makes the place
            self._complete = True
        return super().values()

    def items(self) -> Any:
        self.values()
        return super().items()


class _IdIndex(dict):  # type: ignore[type-arg]
    """key -> places, read from the index file as key -> place ids and turned into places
    on first use (a cold start looks up a handful of the 100,000 keys)."""

    def __init__(self, ids: dict[str, str], places: dict[str, Place]) -> None:
        super().__init__(ids)
        self._places = places

    def __getitem__(self, key: str) -> list[Place]:
        value = super().__getitem__(key)
        if isinstance(value, str):
            value = [self._places[i] for i in value.split("|")]
            self[key] = value
        return value  # type: ignore[no-any-return]

    def get(self, key: str, default: Any = None) -> Any:
        value = super().get(key, default)  # most keys asked for are not there: C speed
        if isinstance(value, str):
            value = [self._places[i] for i in value.split("|")]
            self[key] = value
        return value

    def values(self) -> Any:
        return [self[k] for k in self]

    def items(self) -> Any:
        return [(k, self[k]) for k in self]


def _from_state(state: dict[str, Any]) -> Gazetteer:
    """A gazetteer from the plain data of :func:`_to_state`."""
    places = _LazyPlaces(state["places"])

    def lists(index: dict[str, str]) -> dict[str, list[Place]]:
        return _IdIndex(index, places)

    gaz = Gazetteer(
        places=places,
        actors={row[0]: Actor(*row) for row in state["actors"]},
        capitals=frozenset(state["capitals"]),
        common_words_path=Path(state["common_words_path"]) if state["common_words_path"] else None,
        _by_key=lists(state["by_key"]),
        _by_loose=lists(state["by_loose"]),
        _exact=state["exact"],
        _shields=state["shields"],
        _max_tokens=state["max_tokens"],
        _weak=state["weak"],
        _strong_keys=state["strong_keys"],
        _admin_key=state["admin_key"],
        _province_keys=state["province_keys"],
        _near_index=lists(state["near_index"]),
    )
    gaz._common_cache = state["common_words"]
    gaz._exact_raw_cache = state["exact_raw"]
    gaz._tail_cache = {k: set(v) for k, v in state["tail_guards"].items()}
    gaz.__dict__["_variant_index"] = lists(state["variant_index"])  # the cached property's
    return gaz


_SETTLEMENTS = frozenset({PlaceKind.CITY, PlaceKind.TOWN, PlaceKind.VILLAGE})
# Kinds a name read in a spelling family never is: a country or province is written as it is.
_NOT_VARIANT_KINDS = frozenset({PlaceKind.COUNTRY, PlaceKind.PROVINCE, PlaceKind.REGION})


def _names_other(gaz: Gazetteer, alias: str, place: Place) -> bool:
    """Whether ``alias`` already names a curated place other than ``place``."""
    return any(p.curated and p.id != place.id for p in gaz._by_key.get(name_key(alias), ()))


def _curated_twin(gaz: Gazetteer, place: Place) -> Place | None:
    """A curated settlement of the same name within 15 km of a bulk place, if any."""
    if place.kind not in _SETTLEMENTS:
        return None
    for alias in (place.name, *place.aliases):
        for other in gaz._by_key.get(name_key(alias), ()):
            if other.curated and other.kind in _SETTLEMENTS and distance_km(other, place) < 15:
                return other
    return None


def _read_person_names(path: Path) -> frozenset[str]:
    """Keys of given names and name parts (``person_names.txt``: one a line, # comments)."""
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(name_key(w) for line in lines if (w := line.strip()) and w[0] != "#")


class _Bare(str):
    """A spelling the loader reads off another (see :func:`_spellings`): a key, never an
    exact form."""

    __slots__ = ()


# French transliteration (the mandate maps behind GeoNames' Syrian and Lebanese names) writes
# a silent final -e after a consonant: "Aanadâne" is ʿAnadan, "Tell Rifaate" Tall Rifaat.
# Its letters mark such a spelling: â é è ï ô, "ou", "ch", "dj" (Kurdish writes ê î û, and
# its final -e is a vowel: "Kêlane").
_FRENCH_SPELLING = re.compile(r"[âéèïôÂÉÈÏÔ]|ou|ch|dj|Ou|Ch|Dj")
_VOWEL_LETTERS = "aeiouyâéèêïîôû"
_SILENT_E = re.compile(rf"(?<=[{_VOWEL_LETTERS}][b-df-hj-np-tv-z])e$|(?<=[{_VOWEL_LETTERS}]ss)e$")
_FRENCH_COUNTRIES = frozenset({"SY", "LB"})


def _spellings(place: Place, aliases: Iterable[str]) -> Iterator[str]:
    """The aliases of a place, each followed by its French form read without the silent
    final -e ("Aanadâne": also "Aanadân", which keys as "Anadan" does)."""
    french = place.country in _FRENCH_COUNTRIES
    for alias in aliases:
        yield alias
        if french and _FRENCH_SPELLING.search(alias) and _SILENT_E.search(alias):
            yield _Bare(alias[:-1])


_JABAL = re.compile(r"^(?:jabal|jebel|jbel|djebel|mount|mt\.?)\s+(?P<rest>.+)$", re.IGNORECASE)
_TALL = re.compile(r"^(?:tal|tall|tell|tel)\s+(?P<rest>.+)$", re.IGNORECASE)


def _add_hill_forms(gaz: Gazetteer) -> None:
    """A hill is "Jabal X" or "Tal X" (mountain, mound): reporters call the Wikipedia maps'
    "Jabal al-Eis" "Tal al-Eis" and "Tallat al-Eis" (hills). Each form of a place of kind
    ``mountain`` is also the other, where no place answers to that name already (so "Tal
    Abyad" stays the town, not the "Abyad mountains"), as a weak name: many a village and
    hill is a "Tal X", so the form maps only with a cue or a place near (see ``_weak``)."""
    for place in [p for p in gaz.places.values() if p.kind is PlaceKind.MOUNTAIN]:
        forms = []
        for alias in (place.name, *place.aliases):
            if m := _JABAL.match(alias):
                forms.append(f"Tal {m['rest']}")
            elif m := _TALL.match(alias):
                forms.append(f"Jabal {m['rest']}")
        free = [_Bare(f) for f in forms if name_key(f) not in gaz._by_key]
        if free:
            gaz.add_place(place, free)
            for form in free:  # read off another name: mapped with a cue or a place near
                gaz._weak.setdefault(name_key(form), {})[place.id] = 1


def _weakness(
    key: str, alias: str, place: Place, common: frozenset[str], people: frozenset[str]
) -> int:
    """How much a bulk place named ``alias`` needs a cue: 0 none, 1 a cue or an anchor, 2 a cue."""
    tokens = key.split()
    if len(key.replace(" ", "")) <= 3 or all(t in people for t in tokens):
        return 2
    if all(w in common for w in fold_text(alias).replace("-", " ").split()):
        return 2
    if len(tokens) == 1 and (place.kind in _BULK_SMALL or _ARABIC_LETTER.search(alias)):
        return 2 if key in _ARABIC_WORDS else 1
    return 0


# Arabic words that are also the names of bulk places ("city", "village", "province"...).
_ARABIC_WORDS = frozenset(
    name_key(w)
    for w in """مدينة قرية بلدة محافظة ريف جبل نهر سد مطار قاعدة حي منطقة شمال جنوب شرق غرب
    الدولة الجيش قوات مركز ناحية الحدود""".split()
)


def _admin_key(admin1: str) -> str:
    """The key of a province name as GeoNames/WOF and the curated files write it."""
    plain = re.sub(r"\(.*?\)|\b(?:governorate|province|muhafazat)\b", " ", admin1, flags=re.I)
    return name_key(re.sub(r"\bDays\b", "Dayr", plain))


def _index_context(gaz: Gazetteer, people: frozenset[str]) -> None:
    """Build the indexes that weak names and namesakes are decided with."""
    common = gaz.common_words
    for place in gaz.places.values():
        if place.near:
            gaz._near_index.setdefault(place.near, []).append(place)
        if place.admin1:
            gaz._admin_key[place.id] = _admin_key(place.admin1)
        if place.kind is PlaceKind.PROVINCE:
            keys = {_admin_key(a) for a in (place.admin1, place.name, *place.aliases)}
            gaz._province_keys[place.id] = frozenset(k for k in keys if k)
        if place.curated:
            continue
        for alias in _spellings(place, (place.name, *place.aliases)):
            key = name_key(alias)
            level = _weakness(key, alias, place, common, people) if key else 0
            if level:
                ids = gaz._weak.setdefault(key, {})
                ids[place.id] = max(level, ids.get(place.id, 0))
    gaz._strong_keys = {
        key
        for key, places in gaz._by_key.items()
        if any(p.id not in gaz._weak.get(key, {}) for p in places)
    }


def _bulk_files(folder: Path) -> list[Path]:
    """Bulk place files: the GeoNames cities500 extract first, then the Who's On First ones."""
    first = folder / "geonames" / "places.csv"
    return [p for p in (first,) if p.is_file()] + sorted((folder / "wof").glob("*.csv*"))


def _merge_bulk(
    paths: Iterable[Path], curated_gn: dict[str, str]
) -> Iterator[tuple[Place, tuple[str, ...]]]:
    """Bulk places, one per geonameid, and the Arabic names each brings.

    A record whose geonameid a curated place names yields that curated place's id (with
    ``curated=True``) so that the curated row wins and only gains the Arabic spellings; a
    geonameid in two bulk files (cities500 and WOF) becomes one place: the first file's row,
    with the spellings of both.
    """
    merged: dict[str, Place] = {}
    arabic: dict[str, list[str]] = {}
    for path in paths:
        for place in _read_places(path, curated=False):
            gn = _GEONAMES_ID.search(place.source)
            key = curated_gn.get(gn.group(1), place.id) if gn else place.id
            # A curated place gains every spelling of its record (Münbiç, منبج); another
            # bulk place only the Arabic ones its twin brings (see load_gazetteer).
            names = [
                a
                for a in (place.name, *place.aliases)
                if key != place.id or _ARABIC_LETTER.search(a)
            ]
            arabic.setdefault(key, []).extend(n for n in names if n not in arabic[key])
            if key != place.id or key not in merged:
                merged.setdefault(key, place if key == place.id else _CURATED_MARK)
                continue
            old = merged[key]
            extra = [a for a in (place.name, *place.aliases) if a not in old.aliases]
            if extra:
                merged[key] = replace(old, aliases=(*old.aliases, *extra))
    for key, place in merged.items():
        if place is _CURATED_MARK:
            yield replace(place, id=key), tuple(arabic.get(key, ()))
        else:
            yield place, ()


_GEONAMES_ID = re.compile(r"geonames:(\d+)")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
# Stands for "this geonameid belongs to a curated place" while merging bulk rows.
_CURATED_MARK = Place("", "", PlaceKind.VILLAGE, 0.0, 0.0, "", curated=True)


def _common_word_keys(path: Path | None, gaz: Gazetteer) -> frozenset[str]:
    """Common English words (folded), less the names of curated cities, provinces, countries."""
    if path is None or not path.is_file():
        return frozenset()
    words = (w.strip() for w in path.read_text(encoding="utf-8").splitlines())
    found = {w for w in words if w and not w.startswith("#")}
    major = (PlaceKind.CITY, PlaceKind.COUNTRY, PlaceKind.PROVINCE, PlaceKind.RIVER)
    for place in gaz.places.values():
        if place.curated and place.kind in major:
            found.discard(fold_text(place.name))
    return frozenset(found)


def _bare_aliases(place: Place) -> list[str]:
    """A province is also named without its feature word ("Raqqa" for Raqqa province)."""
    if place.kind not in (PlaceKind.PROVINCE,):
        return []
    pattern = re.compile(r"\s*\b(province|governorate|district|wilayah)\b\s*", re.IGNORECASE)
    bare = [b for a in (place.name, *place.aliases) if (b := pattern.sub("", a).strip())]
    # The Arabic word for governorate before the name: "Muhafazat ar-Raqqah".
    formal = [
        f"{word} {b}"
        for b in bare
        if b[:1].isupper() and not re.search(r"countryside|rural|\d", b)
        for word in ("Muhafazat", "Muhafazah")
    ]
    return bare + formal


def _read_csv(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    try:
        with (
            gzip.open(path, "rt", encoding="utf-8", newline="")
            if path.suffix == ".gz"
            else path.open(encoding="utf-8", newline="")
        ) as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise GazetteerError(f"{path}:1: expected columns {', '.join(missing)}")
            for row in reader:
                yield {k: (v or "").strip() for k, v in row.items() if k is not None}
    except FileNotFoundError:
        raise GazetteerError(f"expected gazetteer file {path}, found none") from None
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{path}: expected UTF-8 text ({exc.reason})") from None


def _read_places(path: Path, curated: bool) -> Iterator[Place]:
    for line, row in enumerate(_read_csv(path, PLACE_COLUMNS[:6]), start=2):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            kind = PlaceKind(row["kind"])
        except ValueError as exc:
            raise GazetteerError(f"{path}:{line}: {exc}") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GazetteerError(f"{path}:{line}: coordinates out of range: {lat}, {lon}")
        population = row.get("population", "")
        yield Place(
            id=row["id"],
            name=row["name"],
            kind=kind,
            lat=lat,
            lon=lon,
            country=row["country"].upper(),
            admin1=row.get("admin1", ""),
            near=row.get("near", ""),
            population=int(float(population)) if population else None,
            aliases=tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip()),
            source=row.get("source", ""),
            curated=curated,
        )


def read_actors(path: Path) -> list[Actor]:
    """Read the actor lexicon (``actors.csv``)."""
    return [
        Actor(
            code=row["code"],
            name=row["name"],
            colour=row["colour"],
            holds_ground=row["holds_ground"].lower() == "true",
            aliases=tuple(a for a in row["aliases"].split("|") if a),
            resolves=tuple(
                tuple(pair.split(":", 1))  # type: ignore[misc]
                for pair in row.get("resolves", "").split()
                if ":" in pair
            ),
            country=row.get("country", ""),
        )
        for row in _read_csv(path, ("code", "name", "colour", "holds_ground", "aliases"))
    ]


def tokens_of(name: str) -> list[str]:
    """The folded tokens of ``name`` without articles (re-exported for other layers)."""
    return split_tokens(name)
