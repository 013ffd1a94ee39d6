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
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geomap.errors import GazetteerError
from geomap.model import Actor, Candidate, Mention, Place, PlaceKind, Role
from geomap.names import ARTICLES, fold_text, loose_key, name_key, split_tokens, token_key

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
}
# Longest first, so "military headquarters" is split off before "headquarters".
_FEATURE_KEYS = {
    name_key(word): kinds
    for word, kinds in sorted(_FEATURE_KINDS.items(), key=lambda item: -len(item[0]))
}

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
_CAP = rf"(?:{_ART})?[{_UP}][\w'’ʿʾ\u00ad\u200b-\u200d\u2060]*(?:[-\u2010\u2011](?:{_ART})?[{_UP}0-9][\w'’ʿʾ\u00ad\u200b-\u200d\u2060]*)*"
_NUM = r"\d{1,4}(?:st|nd|rd|th)?"
_CONN = r"(?:of|and|the|for|in|on|al|el|ar|as|ash|at|ath|ad|az|an|ez|es|ed|er|et|bin|ibn|bani|de)"
_FEAT = (
    r"(?:military air ?base|military air ?field|military airport|military base|air base|air field"
    r"|airbase|airfield|airport|dam|base"
    r"|province|governorate|countryside|city|town|village|river|oil ?fields?|gas ?fields?|fields?"
    r"|border crossing|border gate|crossing|gate|valley|district|neighbou?rhood|reservoir"
    r"|oil refinery|refinery|oil terminal|terminal|military headquarters|headquarters)"
)
# A chunk starts at a capital, or at a number before one ("17th Division"). The pattern
# opens with a character class so that the regex engine scans for it fast (a look-ahead
# first is half as fast); the look-behinds then say which of the two it was. An attached
# article before it ("ar-Raqqah") and a word character or hyphen before it ("pro-Assad")
# are handled in _chunks().
_CHUNK = re.compile(
    rf"[{_UP}0-9](?:(?<=\d)\d{{0,3}}(?:st|nd|rd|th)?[ \t]+[{_UP}]|(?<![0-9]))"
    rf"[\w'’ʿʾ\u00ad\u200b-\u200d\u2060]*"
    rf"(?:[-\u2010\u2011](?:{_ART})?[{_UP}0-9][\w'’ʿʾ\u00ad\u200b-\u200d\u2060]*)*"
    rf"(?:(?:[ \t]+(?:{_CONN}[ \t]+){{0,2}}|[-\u2010\u2011])(?:{_CAP}|{_NUM}\b))*"
    rf"(?:[ \t]+{_FEAT}\b){{0,2}}"
)
_ART_BEFORE = re.compile(rf"(?<![\w'’-]){_ART}$")


_HYPHENS = frozenset("-\u2010\u2011")
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


_WORD = re.compile(rf"{_NUM}|(?:{_ART})?[\w'’ʿʾ\u00ad\u200b-\u200d\u2060]+")
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
class _Hit:
    """A place or shield found inside one chunk (chunk-relative token positions)."""

    first: int
    last: int  # inclusive token index
    places: tuple[Place, ...]
    exact: bool
    hint: tuple[PlaceKind, ...] = ()
    #: One word, no article, and also a common English word ("Tall", "War").
    common: bool = False


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
    _exact: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _shields: dict[str, str] = field(default_factory=dict, repr=False)
    _max_tokens: int = 1

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
        self._chunk_layout = lru_cache(maxsize=50_000)(self._layout_chunk)
        self._may_be_unresolved = lru_cache(maxsize=50_000)(self._name_may_be_unresolved)

    def _layout_chunk(self, chunk: str) -> tuple[list[tuple[int, int]], list[bool]]:
        """Token spans of a chunk, and for each hit whether it is glued into a longer name."""
        tokens = _token_words(chunk)
        spans = [span for _, span in tokens]
        words = [word for word, _ in tokens]
        inside = [
            bool(hit.places) and self._is_inside_longer_name(hit, words)
            for hit in self._chunk_hits(chunk)
        ]
        return spans, inside

    # ----------------------------------------------------------------- building
    def add_place(self, place: Place, extra_aliases: Iterable[str] = ()) -> None:
        """Index ``place`` under its name, aliases and ``extra_aliases``."""
        self.places[place.id] = place
        for alias in (place.name, *place.aliases, *extra_aliases):
            key = name_key(alias)
            if not key:
                continue
            bucket = self._by_key.setdefault(key, [])
            if place not in bucket:
                bucket.append(place)
            loose = self._by_loose.setdefault(loose_key(alias), [])
            if place not in loose:
                loose.append(place)
            self._exact.setdefault(_exact_form(alias), set()).add(place.id)
            self._max_tokens = max(self._max_tokens, key.count(" ") + 1)

    def add_shield(self, name: str, kind: str) -> None:
        """Mark ``name`` as a name that is not a place (organisation, actor, person...)."""
        key = name_key(name)
        if key:
            self._shields[key] = kind
            self._max_tokens = max(self._max_tokens, key.count(" ") + 1)

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
        key = name_key(name)
        hint = self._trailing_hint(key)
        if key in self._shields:
            return []
        exact_ids = self._exact.get(_exact_form(name), set())
        found = self._by_key.get(key, [])
        how, base = ("exact", 1.0) if exact_ids else ("variant", 0.95)
        if not found and hint:
            found, how, base = self._near_kind(hint[0], hint[1]), "variant", 0.9
        if not found:
            loose = loose_key(name)
            found = self._by_loose.get(loose, []) if len(loose.replace(" ", "")) >= 4 else []
            how, base = "variant", 0.85
        if found:
            ranked = _rank(found, hint[1] if hint else (), Counter())
            top = ranked[0]
            return [
                Candidate(p, round(base if p is top else base * 0.8, 3), how)
                for p in ranked[:limit]
            ]
        return self._fuzzy(name, limit)

    def match(self, name: str) -> Place | None:
        """The best non-fuzzy resolution of ``name``, or ``None``."""
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
        """Places of ``kinds`` named after (``near``) a place whose key is ``key``."""
        towns = {p.id for p in self._by_key.get(key, [])}
        exact_kind = [p for p in self._by_key.get(key, []) if p.kind in kinds]
        if exact_kind:
            return exact_kind
        return [p for p in self.places.values() if p.near in towns and p.kind in kinds]

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
        analyse = self._chunk_hits
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
            hits = analyse(chunk)
            if not hits:
                if unresolved is not None and self._looks_unresolved(text, at, chunk):
                    unresolved[chunk] += 1
                continue
            spans, inside = self._chunk_layout(chunk)
            for hit, glued in zip(hits, inside, strict=True):
                if not hit.places:
                    continue  # a shield: it hides what it covers and is not a place itself
                if glued and not _is_headline(text, at):
                    continue
                start = at + spans[hit.first][0]
                end = at + spans[hit.last][1]
                if hit.common and not self._common_word_is_place(text, start, end):
                    continue
                raw.append((start, end, hit))
        countries = Counter(
            h.places[0].country for _, _, h in raw if len({p.country for p in h.places}) == 1
        )
        mentions = [x for s, e, h in raw if (x := self._to_mention(text, s, e, h, countries))]
        return _propagate_metonyms(text, mentions)

    def _analyse_chunk(self, chunk: str) -> tuple[_Hit, ...]:
        """Longest-match the chunk's tokens against places and shields (memoised)."""
        words = [w for w, _ in _token_words(chunk)]
        keys = ["" if _is_article(w) else name_key(w) for w in words]
        hits: list[_Hit] = []
        i = 0
        while i < len(keys):
            for n in range(min(self._max_tokens, len(keys) - i), 0, -1):
                span_keys = [k for k in keys[i : i + n] if k]
                key = " ".join(span_keys)
                if not key:
                    continue
                if key in self._shields:
                    hits.append(_Hit(i, i + n - 1, (), True))
                    i += n
                    break
                places = self._by_key.get(key)
                tail = key.rsplit(" ", 1)[-1]
                feature = n > 1 and tail in _FEATURE_LAST_WORDS
                if places is None and feature and (hint := self._trailing_hint(key)):
                    near = self._near_kind(hint[0], hint[1]) if hint[0] in self._by_key else []
                    places = near or None
                if places and self._plausible_surface(" ".join(words[i : i + n])):
                    hint_kinds = _feature_after(keys, i + n)
                    exact = _exact_form(" ".join(words[i : i + n])) in self._exact
                    common = (
                        n == 1
                        and "-" not in words[i]
                        and fold_text(words[i]).rstrip("'’s") in self.common_words
                    )
                    hits.append(_Hit(i, i + n - 1, tuple(places), exact, hint_kinds, common))
                    i += n
                    break
            else:
                i += 1
        return tuple(hits)

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

    def _is_inside_longer_name(self, hit: _Hit, words: Sequence[str]) -> bool:
        """A place name glued to unknown capitalised words is part of another name."""
        if not hit.places:
            return True  # a shield: it hides what it covers and is not a place itself

        def foreign(i: int) -> bool:
            if i < 0 or i >= len(words):
                return False
            word = words[i]
            if not word[:1].isupper() or word[:1].isdigit():
                return False
            key = name_key(word)
            return (
                bool(key)
                and key not in _NEUTRAL_KEYS
                and key not in _FEATURE_KEYS
                and not (key in self._by_key or key in self._shields)
            )

        possessive = words[hit.last].endswith(("'s", "’s"))  # "Palmyra’s Roman theatre"
        return foreign(hit.first - 1) or (not possessive and foreign(hit.last + 1))

    def _to_mention(
        self, text: str, start: int, end: int, hit: _Hit, countries: Counter[str]
    ) -> Mention | None:
        if text[end - 2 : end] in ("'s", "’s"):
            end -= 2
        if text[end : end + 1] in "-\u2010\u2011" and _COMPOUND_AFTER.match(text, end):
            return None
        if len(hit.places) == 1:  # one candidate: no context to weigh
            place, decided = hit.places[0], True
        else:
            hint = hit.hint
            before = text[max(0, start - 40) : start]
            if not hint and (kind_word := _KIND_BEFORE.search(before)):
                hint = _FEATURE_KINDS.get(kind_word.group(1).lower(), ())
            ranked = _rank(hit.places, hint, countries)
            place = ranked[0]
            decided = _priority(ranked[0], hint) < _priority(ranked[1], hint)
        score = (1.0 if hit.exact else 0.95) * (1.0 if decided else 0.8)
        role = Role.PLACE
        if place.id in self.capitals and _looks_metonymic(text, start, end):
            role = Role.METONYM
        return Mention(start, end, text[start:end], place, round(score, 3), role)

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


# Capitalised articles that are not also English words ("As", "At", "An" are).
_CAPITAL_ARTICLES = frozenset("al el ar er az ez ad ed ash esh ath eth adh es".split())


@lru_cache(maxsize=8192)
def _is_article(word: str) -> bool:
    """A standalone Arabic article. Capitalised "As", "At", "An" are English words."""
    folded = fold_text(word)
    return folded in ARTICLES and (word.islower() or folded in _CAPITAL_ARTICLES)


def _exact_form(name: str) -> str:
    """A name as written, up to case, diacritics and hyphens/spaces."""
    return " ".join(_SPACES_HYPHENS.split(fold_text(name).strip()))


_SPACES_HYPHENS = re.compile(r"[\s\-\u2010\u2011]+")


def _feature_after(keys: list[str], j: int) -> tuple[PlaceKind, ...]:
    """The kinds a feature word at token ``j`` (one or two words) points to."""
    for n in (2, 1):
        phrase = " ".join(keys[j : j + n])
        if j + n <= len(keys) and phrase in _FEATURE_KEYS:
            return _FEATURE_KEYS[phrase]
    return ()


def _token_words(chunk: str) -> list[tuple[str, tuple[int, int]]]:
    return [(m.group(), m.span()) for m in _WORD.finditer(chunk)]


def _token_spans(chunk: str) -> list[tuple[int, int]]:
    return [span for _, span in _token_words(chunk)]


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


def _is_headline(text: str, pos: int) -> bool:
    """Whether ``pos`` sits in a short line of mostly capitalised words (a headline)."""
    line_start = text.rfind("\n", max(0, pos - 300), pos) + 1
    line_end = text.find("\n", pos, pos + 300)
    if (line_start == 0 and pos > 300) or (line_end < 0 and len(text) - pos > 300):
        return False  # a line this long is not a headline
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    words = re.findall(r"[A-Za-z][\w'’]*", line)
    if not words or len(words) > 25:
        return False
    capital = sum(1 for w in words if w[0].isupper())
    return capital / len(words) >= 0.6


def _looks_metonymic(text: str, start: int, end: int) -> bool:
    """A capital used for its government: "Ankara said", "the Damascus envoy"."""
    after = text[end : end + 40]
    before = text[max(0, start - 12) : start]
    if _METONYM_VERB.match(after.lstrip()) and not after.startswith((",", ".")):
        return True
    if re.search(r"\b(?:an?|the)\s+$", before, re.IGNORECASE) and (
        _METONYM_NOUN.match(after) or re.match(r"^\s+military\s+statement", after, re.IGNORECASE)
    ):
        return True
    return bool(re.search(r"\b(?:both|between)\s+$", before, re.IGNORECASE))


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
    gaz = Gazetteer(places={})
    curated_files = sorted((folder / "places").glob("*.csv"))
    if not curated_files:
        raise GazetteerError(f"expected place files in {folder / 'places'}, found none")
    geonames_ids: set[str] = set()
    for path in curated_files:
        for place in _read_places(path, curated=True):
            if place.id in gaz.places:
                raise GazetteerError(f"{path}: duplicate place id {place.id!r}")
            gaz.add_place(place, _bare_aliases(place))
            geonames_ids.update(re.findall(r"geonames:(\d+)", place.source))
    bulk = folder / "geonames" / "places.csv"
    if bulk.is_file():
        for place in _read_places(bulk, curated=False):
            gn = re.findall(r"geonames:(\d+)", place.source)
            if gn and gn[0] in geonames_ids:
                continue
            if place.id not in gaz.places:
                gaz.add_place(place)
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
    return gaz


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
    return [bare for a in (place.name, *place.aliases) if (bare := pattern.sub("", a).strip())]


def _read_csv(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
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
