"""Sentences as templates: places and sides replaced by placeholders, descriptions resolved."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from geomap.dates import DateMention, find_dates
from geomap.events.actors import ActorLexicon, _ActorHit, lexicon_for
from geomap.gazetteer import Gazetteer
from geomap.model import (
    Article,
    Mention,
    Place,
    PlaceKind,
    Precision,
    Role,
)

#: A dateline's word: capitalised ("BEIRUT", "Deir"), or a small prefix of one ("ez-Zor").
_DATELINE_WORD = r"(?:[A-Z][A-Za-z'’-]*|[a-z]{1,3}-[A-Za-z'’-]+)"
#: "BEIRUT (AP) — ", "Deir ez-Zor, Syria — ": a few capitalised words before a dash; not a
#: quoted sentence that opens a paragraph ("Raqqa is besieged by troops ... – the south").
_DATELINE = re.compile(
    rf"^\s*{_DATELINE_WORD}(?: {_DATELINE_WORD}){{0,4}}"
    rf"(?:,\s*{_DATELINE_WORD}(?: {_DATELINE_WORD}){{0,3}})?\s*(?:\([A-Z][A-Za-z]+\))?\s[—–-]\s"
)

#: A dateline in capitals before a colon or a dash: "AMMAN: ", "AL-BAB – ", "BEIRUT, Oct 21
#: (Reuters) - ". A paragraph of capitals alone ("BAGHDAD") is one too.
_CAPS_DATELINE = re.compile(
    r"\s*[A-Z][A-Z'’.-]*(?: [A-Z][A-Z'’.-]*){0,4}"
    r"(?:,\s*[A-Z][A-Za-z]{1,12}\.?(?:\s+\d{1,2})?(?:,\s*\d{4})?)?"
    r"\s*(?:\([A-Za-z][A-Za-z .]{0,20}\))?\s*(?::|[—–-]{1,2})\s"
    # (not a topic's label: "PALMYRA: This ancient desert city was seized by IS")
    r"(?!\s*(?:This|These)\b)"
)
_CAPS_LINE = re.compile(r"\s*[A-Z][A-Z'’.-]*(?: [A-Z][A-Z'’.-]*){0,4}\s*")


def dateline_end(text: str, start: int, end: int) -> int:
    """Where a sentence starts after the dispatch's dateline, if it opens with one ("AMMAN:
    Syrian rebels captured al-Bab": the sentence starts at "Syrian"); else ``start``.

    Examples
    --------
    >>> text = "BEIRUT, Oct 21 (Reuters) - The army took Qaryatayn."
    >>> text[dateline_end(text, 0, len(text)):]
    'The army took Qaryatayn.'
    """
    if start and text[start - 1] != "\n":
        return start
    head = text[start : min(end, start + 120)]
    m = _DATELINE.match(head) or _CAPS_DATELINE.match(head)
    return start + m.end() if m is not None else start


_ANAPHORA = re.compile(
    r"\b(?P<det>the|a|an|this|that)\s+(?:(?:key|strategic|nearby|ancient|historic|desert|besieged"
    r"|aforementioned|small|large|important|imperative|contested|war-torn"
    r"|embattled|northern|eastern|western|southern|key strategic|syrian|iraqi|libyan|kurdish"
    r"|border|frontier|coastal|provincial|jihadist-held|rebel-held)\s+)*(?P<noun>town|city|village"
    r"|base|air base|airbase|military base|airport|military airport|dam|oilfield|oil field"
    r"|provincial capital|district|neighbourhood|neighborhood)\b(?!\s+of\b)(?!['’]s)",
    re.IGNORECASE,
)
# The same, for lower-cased text: opening with the article (not \b) lets the regex engine
# scan for its first letters, three times as fast; the \b is checked in _descriptions().
_ANAPHORA_LOW = re.compile(
    _ANAPHORA.pattern.replace(r"\b(?P<det>the|a|an|this|that)", r"(?P<det>the|an?|this|that)", 1)
)
_NOUN_KINDS = {
    "town": (PlaceKind.TOWN, PlaceKind.CITY, PlaceKind.VILLAGE),
    "city": (PlaceKind.CITY, PlaceKind.TOWN),
    "village": (PlaceKind.VILLAGE, PlaceKind.TOWN),
    "base": (PlaceKind.MILITARY_BASE, PlaceKind.AIRBASE),
    "military base": (PlaceKind.MILITARY_BASE, PlaceKind.AIRBASE),
    "air base": (PlaceKind.AIRBASE,),
    "airbase": (PlaceKind.AIRBASE,),
    "airport": (PlaceKind.AIRBASE,),
    "military airport": (PlaceKind.AIRBASE,),
    "dam": (PlaceKind.DAM,),
    "oilfield": (PlaceKind.OILFIELD,),
    "oil field": (PlaceKind.OILFIELD,),
    "provincial capital": (PlaceKind.CITY,),
    "district": (PlaceKind.NEIGHBOURHOOD,),
    "neighbourhood": (PlaceKind.NEIGHBOURHOOD,),
    "neighborhood": (PlaceKind.NEIGHBOURHOOD,),
}
_DISTANCE_WORD = re.compile(r"\d\s?(?:km|kilomet|mile)|kilomet|miles", re.IGNORECASE)
#: Side words that are no actor name but may name a side ("the rebel Farouq Battalions",
#: "regime-held"): a sentence with one may hold an event, so its dates are found.
_GOV_WORD = re.compile(
    r"\b(?:government|regime|rebel|opposition|insurgent|jihadist|loyalist)\b", re.IGNORECASE
)
# Opens with a character class (not a look-behind or an alternation): several times faster
# to scan. A run of newlines, or a full stop, quotes and space before a capital or digit.
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)\n*|(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9]))")
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:U\.S|U\.K|U\.N|Gen|Col|Corp|Lt|Maj|Sgt|Capt|Dr|Mr|Mrs|Ms|St|No|Jan|Feb|Mar|Apr|Aug"
    r"|Sep|Sept|Oct|Nov|Dec|vs|approx|a\.m|p\.m|i\.e|e\.g)\.|\b[A-Z]\.)\s*$"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (paragraph breaks always end a sentence).

    Examples
    --------
    >>> text = "U.S. officials said so. Troops left Gen. Smith's base.\\nNew line"
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['U.S. officials said so.', "Troops left Gen. Smith's base.", 'New line']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        stop = m.start() + (text[m.start()] != "\n")  # after the full stop
        # Abbreviations are short: look at the last few characters only.
        if "\n" not in m.group() and _ABBREVIATIONS.search(text, max(start, stop - 12), stop):
            continue
        if text[start:stop].strip():
            spans.append((start, stop))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    if all(end - start <= MAX_SENTENCE for start, end in spans):
        return spans
    return [piece for span in spans for piece in _bounded(text, *span)]


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A "sentence" longer than :data:`MAX_SENTENCE` (a list, a page without full stops)
    is cut at spaces, so that the cost of the rules stays linear in the text."""
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        yield start, cut
        start = cut + 1
    if end > start:
        yield start, end


#: Place mentions a back-reference ("the city") looks back over.
HISTORY = 300
#: Longest stretch of text treated as one sentence.
MAX_SENTENCE = 1500


@dataclass(slots=True)
class Slot:
    start: int
    end: int
    kind: str  # "P" or "A"
    place: Place | None = None
    code: str = ""
    surface: str = ""
    sentence: int = 0


def iter_templates(
    article: Article,
    gazetteer: Gazetteer,
    mentions: Sequence[Mention] | None = None,
    lexicon: ActorLexicon | None = None,
) -> Iterator[SentenceTemplate]:
    """The templates of the article's sentences that name a place, with their dates.

    Sentences that name no place are skipped (most of a dispatch). ``history`` on each
    template holds the place slots of the sentences before it.
    """
    if article.published is None:
        return
    text = article.text
    lexicon = lexicon or lexicon_for(gazetteer)
    if mentions is None:
        mentions = gazetteer.find(text)
    places = [m for m in mentions if m.role is Role.PLACE and not _is_dateline(text, m)]
    places = _with_found_places(text, gazetteer, list(mentions), places)
    actors = _with_metonyms(lexicon.find(text), mentions, lexicon)
    low: str | None = text.lower()
    if low is not None and len(low) != len(text):
        low = None  # lower() moved offsets (a rare letter): match the text itself
    pronouns = [m for m in _PRONOUN.finditer(text)]
    found = _Found(
        places,
        [m.start for m in places],
        actors,
        [a.start for a in actors],
        pronouns,
        [m.start() for m in pronouns],
        _noun_offsets(low) if low is not None else None,
        low,
    )
    history: list[Slot] = []
    dates = _DateChain(text, article.published)  # found when a rule asks for them
    sides: list[Slot] = []  # the sides named in the last sentence that named any
    for number, (start, end) in enumerate(split_sentences(text)):
        start = dateline_end(text, start, end)
        nouns = found.nouns
        if not (
            _any_between(found.place_starts, start, end)
            or _any_between(found.actor_starts, start, end)
            or nouns is None
            or _any_between(nouns, start, end)
        ):
            continue  # names no place, side or description: changes nothing
        slots = _slots_for(text, start, end, found, history, gazetteer, number)
        slots = _with_pronouns(text, start, end, slots, sides, found, lexicon)
        named = [s for s in slots if s.kind == "A" and s.surface.lower() not in ("it", "they")]
        sides = named or sides
        for slot in slots:
            slot.sentence = number
        before = history[-HISTORY:]  # bounded: a long article stays linear
        history.extend(s for s in slots if s.kind == "P")
        if len(history) > 2 * HISTORY:
            del history[:-HISTORY]
        if not any(s.kind == "P" for s in slots) and not (
            before and named and REFERS_BACK.search(text, start, end)
        ):
            continue  # no place, and nothing that points back to one
        template, marks, bases = _template(text, start, end, slots)
        yield SentenceTemplate(
            start, end, template, slots, before, offsets=(marks, bases), chain=dates
        )


#: Words in a sentence that names no place but may speak of one named before ("seven
#: neighborhoods are under the control of X", "they recaptured it", "the SDF had captured
#: at least 10 villages": of the province the article is about).
REFERS_BACK = re.compile(
    r"\b(?:neighbo(?:u)?rhoods|districts|quarters|villages|territory|swathes|swaths|it)\b",
    re.IGNORECASE,
)


def _with_metonyms(
    actors: list[_ActorHit], mentions: Sequence[Mention], lexicon: ActorLexicon
) -> list[_ActorHit]:
    """The sides found, and the capitals that stand for their government ("Damascus has
    lost Idlib", "Baghdad retook the city"): the government of the capital's country."""
    extra = []
    for mention in mentions:
        if mention.role is not Role.METONYM:
            continue
        code = lexicon.resolve("GOV", mention.place)
        if code is None or code == "GOV" or not lexicon.holds_ground(code):
            continue
        if any(a.start < mention.end and mention.start < a.end for a in actors):
            continue
        extra.append(_ActorHit(mention.start, mention.end, code))
    return sorted([*actors, *extra], key=lambda a: a.start) if extra else actors


def _with_found_places(
    text: str, gazetteer: Gazetteer, mentions: list[Mention], places: list[Mention]
) -> list[Mention]:
    """The places found, and the places the gazetteer lacks that the text places from an
    anchor ("the village of Qurt Wazzan, 10 km north of Manbij"): events can be about them
    (approximate places; see :meth:`Gazetteer.found_place`)."""
    extra = []
    for unknown in gazetteer.unknown_places(text, mentions):
        place = gazetteer.found_place(unknown)
        if place is None or any(m.start < unknown.end and unknown.start < m.end for m in places):
            continue
        surface = text[unknown.start : unknown.end]
        extra.append(Mention(unknown.start, unknown.end, surface, place, 0.5, Role.PLACE))
    return sorted([*places, *extra], key=lambda m: m.start) if extra else places


_BYLINE = re.compile(r"By\s")
_REPORTING_FROM = re.compile(
    r"\b(?:reporting|reported|spoke|speaking|by phone) from\s+$", re.IGNORECASE
)
_PAREN_AGENCY = re.compile(r"^[^.]{0,40}\([A-Z]{2,}\)\s*$")


def _is_dateline(text: str, mention: Mention) -> bool:
    """A place that opens a paragraph before a dash or "(AP)" is the dispatch's dateline."""
    line_start = text.rfind("\n", 0, mention.start) + 1
    if mention.start - line_start > 2:
        return bool(
            _BYLINE.match(text, line_start)
            or _REPORTING_FROM.search(text, max(0, mention.start - 30), mention.start)
        )
    line_end = text.find("\n", mention.start)
    line_end = line_end if line_end >= 0 else len(text)
    rest = text[mention.start : line_end]
    return bool(
        _DATELINE.match(rest)
        or _PAREN_AGENCY.match(rest)
        or _CAPS_DATELINE.match(rest[:120])
        or (line_end - line_start <= 40 and _CAPS_LINE.fullmatch(text[line_start:line_end]))
    )


@dataclass(frozen=True)
class _Found:
    """What one pass over the article found, sorted, with start offsets to bisect."""

    places: Sequence[Mention]
    place_starts: list[int]
    actors: Sequence[_ActorHit]
    actor_starts: list[int]
    pronouns: Sequence[re.Match[str]]
    pronoun_starts: list[int]
    nouns: list[int] | None  # where a description's noun may be (None: anywhere)
    low: str | None  # the text lower-cased, when that keeps every offset


# The last words of the descriptions :data:`_ANAPHORA` finds ("the town", "the dam").
_NOUN_WORDS = (
    "town",
    "city",
    "village",
    "base",
    "airport",
    "dam",
    "field",
    "capital",
    "district",
    "neighbourhood",
    "neighborhood",
)


def _noun_offsets(low: str) -> list[int]:
    """Offsets in lower-cased text where a description's noun may stand (a cheap prefilter)."""
    out: list[int] = []
    for word in _NOUN_WORDS:
        at = low.find(word)
        while at >= 0:
            out.append(at)
            at = low.find(word, at + 1)
    out.sort()
    return out


def _any_between(starts: list[int], start: int, end: int) -> bool:
    """Whether any of the sorted offsets ``starts`` lies in [start, end)."""
    i = bisect_left(starts, start)
    return i < len(starts) and starts[i] < end


def _slots_for(
    text: str,
    start: int,
    end: int,
    found: _Found,
    history: Sequence[Slot],
    gazetteer: Gazetteer,
    number: int = 0,
) -> list[Slot]:
    """The sentence's slots (``number``: its index in the article, so that a description
    weighs the names earlier in its own sentence as such)."""
    # Only the mentions inside the sentence (both lists are sorted by start).
    first = bisect_left(found.actor_starts, start)
    last = bisect_left(found.actor_starts, end, first)
    # An actor name wins over a place inside it ("Syria's military").
    slots = [
        Slot(a.start, a.end, "A", code=a.code, surface=text[a.start : a.end], sentence=number)
        for a in found.actors[first:last]
        if a.end <= end
    ]
    named = slots[:]
    first = bisect_left(found.place_starts, start)
    last = bisect_left(found.place_starts, end, first)
    for p in found.places[first:last]:
        if p.end <= end and not any(s.start < p.end and p.start < s.end for s in named):
            slots.append(Slot(p.start, p.end, "P", p.place, surface=p.surface, sentence=number))
    same_name = found.low is None or found.low.find("same name", start, end) >= 0
    for m in _SAME_NAME.finditer(text, start, end) if same_name else ():
        # "Deir Ezzor sits in the province of the same name": the city's province
        before = [s.place for s in slots if s.kind == "P" and s.end <= m.start() and s.place]
        province = gazetteer.province_of(before[-1]) if before else None
        if province is not None and not any(s.start < m.end() and m.start() < s.end for s in slots):
            surface = text[m.start() : m.end()]
            slots.append(Slot(m.start(), m.end(), "P", province, surface=surface, sentence=number))
    nouns = found.nouns
    if nouns is not None and not _any_between(nouns, start, end):
        slots.sort(key=lambda s: s.start)
        return slots  # no description ("the town") can be here
    for m in _descriptions(text, found.low, start, end):
        if any(s.start < m.end() and m.start() < s.end for s in slots):
            continue
        place = _refer(m, text, end, slots, history, gazetteer)
        if place is not None:
            surface = text[m.start() : m.end()]
            slots.append(Slot(m.start(), m.end(), "P", place, surface=surface, sentence=number))
    slots.sort(key=lambda s: s.start)
    return slots


def _descriptions(text: str, low: str | None, start: int, end: int) -> Iterator[re.Match[str]]:
    """The descriptions ("the town", "a military airport") in text[start:end].

    Matched in the lower-cased text when there is one (its groups are lower case)."""
    if low is None:
        yield from _ANAPHORA.finditer(text, start, end)
        return
    for m in _ANAPHORA_LOW.finditer(low, start, end):
        at = m.start()
        if not (at and (low[at - 1].isalnum() or low[at - 1] == "_")):  # the \b
            yield m


_PRONOUN = re.compile(
    # A character class first (not \b): much faster to scan; the look-behind is the \b.
    r"(?P<p>[IiTt](?<!\w[IiTt])(?:(?<=[Ii])t|(?<=[Tt])hey))\s+"
    r"(?=(?:had|has|have|was|were|also|then|first|later|finally|briefly|seized|captured|"
    r"recaptured|retook|took|lost|overran|entered|withdrew|broke|regained|drove|pushed)\b)"
)


def _with_pronouns(
    text: str,
    start: int,
    end: int,
    slots: list[Slot],
    sides: Sequence[Slot],
    found: _Found,
    lexicon: ActorLexicon,
) -> list[Slot]:
    """Subject "It"/"They" before a verb: the side named first in this or the last sentence.

    "This is the Syrian government's second campaign. It seized the town last March": It
    is the government. Only sides that hold ground are taken.
    """
    first = bisect_left(found.pronoun_starts, start)
    last = bisect_left(found.pronoun_starts, end, first)
    if first == last:
        return slots
    out = list(slots)
    for m in found.pronouns[first:last]:
        if m.end() > end:
            continue  # the verb is in the next sentence
        if m.start("p") != start and not text[start : m.start("p")].strip().endswith(
            ("but", "and", "until", "after", "before", "when", "as", "then", "which", ",")
        ):
            continue
        here = [s for s in slots if s.kind == "A" and s.start < m.start("p")]
        for candidate in [*here, *sides]:
            actor = lexicon.actors.get(candidate.code)
            if actor is not None and (actor.holds_ground or actor.resolves):
                out.append(
                    Slot(m.start("p"), m.end("p"), "A", code=candidate.code, surface=m.group("p"))
                )
                break
    return sorted(out, key=lambda s: s.start)


def _refer(
    m: re.Match[str],
    text: str,
    end: int,
    slots: Sequence[Slot],
    history: Sequence[Slot],
    gazetteer: Gazetteer,
) -> Place | None:
    """The place a description such as "the base" or "a military airport" refers to.

    "a military airport in the city of X" is X's airport; "a key town near X" is not X
    (and stays unresolved); "the base ... of the 17th Division" looks ahead in the sentence;
    otherwise "the city" is the most salient city mentioned so far.
    """
    kinds = _NOUN_KINDS.get(m.group("noun").lower(), ())
    definite = m.group("det").lower() not in ("a", "an")
    after = [s for s in slots if s.kind == "P" and s.start >= m.end() and s.start - m.end() < 90]
    if after and after[0].place is not None:
        between = text[m.end() : after[0].start]
        inside = re.fullmatch(
            r"[^.⟪]{0,90}?\b(?:in|at|of)\s+(?:the\s+(?:city|town)\s+of\s+)?", between
        )
        if inside and after[0].place.kind not in kinds:
            child = _child_of(gazetteer, after[0].place, kinds)
            if child is not None:
                return child
        beside = re.search(
            # (nor "fled the strategic city and left to Deir Hafer": where they went)
            r"\b(?:near|outside|north|south|east|west|from|to|towards?|between|and)\b",
            between,
            re.IGNORECASE,
        )
        if definite and not beside:
            for slot in after:
                if (
                    slot.place is not None
                    and slot.place.kind in kinds
                    and slot.start - m.end() < 70
                ):
                    return slot.place
    if not definite:
        return None
    countries = {
        lexicon_country
        for s in slots
        if s.kind == "A" and (lexicon_country := _actor_country(gazetteer, s.code))
    }
    return _salient(
        history, [s for s in slots if s.start < m.start()], kinds, countries, gazetteer.places
    )


def _actor_country(gazetteer: Gazetteer, code: str) -> str:
    actor = gazetteer.actors.get(code)
    return actor.country if actor is not None else ""


#: How much of a mention's weight is left one sentence later (see :func:`_salient`).
_FADE = 0.9
#: The bonus of a mention earlier in the description's own sentence: "Eastern Aleppo ...
#: 93% of the Syrian city" is Aleppo even in a dispatch about Palmyra.
_SAME_SENTENCE = 10.0


def _salient(
    history: Sequence[Slot],
    earlier: Sequence[Slot],
    kinds: Sequence[PlaceKind],
    countries: set[str],
    parents: Mapping[str, Place] | None = None,
) -> Place | None:
    """The place a back-reference most likely means.

    Each earlier mention of a compatible kind (a city for the district it is part of)
    scores 0.9 to the power of its distance in sentences (the article's focus fades as it
    moves on), plus 10 in the same sentence and 1.5 in the one before; when the sentence
    names sides of one country ("Iraqi forces"), places of that country win. So "the city"
    in an article about Deir Ezzor stays Deir Ezzor after one mention of Aleppo, "Iraqi forces pushed into the city" after
    "Fallujah" is Fallujah even in an article mostly about Raqqa, and a paragraph on
    Fallujah late in an article that began on Raqqa speaks of Fallujah.
    """
    seen = [*history, *earlier]
    if not seen:
        return None
    current = seen[-1].sentence if earlier else seen[-1].sentence + 1
    scores: dict[str, float] = {}
    places: dict[str, Place] = {}
    for slot in seen:
        place = slot.place
        if place is not None and place.kind not in kinds and place.near and parents:
            place = parents.get(place.near)  # "eastern Aleppo ... the city": Aleppo
        if place is None or place.kind not in kinds:
            continue
        distance = current - slot.sentence
        bonus = _SAME_SENTENCE if distance == 0 else 1.5 if distance == 1 else 0.0
        places[place.id] = place
        weight = _FADE ** max(0, distance) + bonus
        scores[place.id] = scores.get(place.id, 0.0) + weight
    if countries:
        local = {pid: score for pid, score in scores.items() if places[pid].country in countries}
        scores = local or scores
    if not scores:
        return None
    return places[max(scores, key=lambda pid: (scores[pid], pid))]


#: "the (oil-rich eastern) province of the same name", "the governorate of the same name".
_SAME_NAME = re.compile(
    r"\bthe\s+(?:[\w-]+\s+){0,3}(?:province|governorate)\s+of\s+the\s+same\s+name\b",
    re.IGNORECASE,
)


def _child_of(gazetteer: Gazetteer, place: Place, kinds: Sequence[PlaceKind]) -> Place | None:
    children = sorted(
        (p for p in gazetteer.named_after(place.id) if p.kind in kinds),
        key=lambda p: (not p.curated, p.id),
    )
    return children[0] if children else None


def _template(
    text: str, start: int, end: int, slots: Sequence[Slot]
) -> tuple[str, list[int], list[int]]:
    """The sentence with placeholders, and its offset map (see :meth:`SentenceTemplate.offset`):
    where each piece starts in the template, and where it starts in the text (-1 - offset
    for a placeholder, which stands for its slot's first character throughout)."""
    parts: list[str] = []
    marks: list[int] = []
    bases: list[int] = []
    pos = start
    length = 0
    for i, slot in enumerate(slots):
        piece = text[pos : slot.start]
        if "⟪" in piece or "⟫" in piece:
            piece = piece.replace("⟪", "<").replace("⟫", ">")
        token = f"⟪{slot.kind}{i}⟫"
        marks += (length, length + len(piece))
        bases += (pos, -1 - slot.start)
        parts += (piece, token)
        length += len(piece) + len(token)
        pos = slot.end
    piece = text[pos:end]
    if "⟪" in piece or "⟫" in piece:
        piece = piece.replace("⟪", "<").replace("⟫", ">")
    marks.append(length)
    bases.append(pos)
    parts.append(piece)
    return "".join(parts), marks, bases


class _DateChain:
    """The dates of an article's templates, found when first asked for.

    Most templates never need theirs (no rule matches them). "Two days earlier" counts from
    the date mentioned just before, so a template that says so dates the ones before it
    first, in order: the result is what dating every template in turn would give.
    """

    __slots__ = ("_prefix", "dated", "published", "templates", "text")

    def __init__(self, text: str, published: dt.date) -> None:
        self.text = text
        self.published = published
        self.templates: list[SentenceTemplate] = []
        self.dated: list[list[DateMention] | None] = []
        self._prefix = 0  # templates[:_prefix] are all dated

    def add(self, template: SentenceTemplate) -> int:
        self.templates.append(template)
        self.dated.append(None)
        return len(self.templates) - 1

    def dates(self, index: int) -> list[DateMention]:
        found = self.dated[index]
        if found is None:
            sent = self.templates[index]
            found = []
            # Only where an event or a distance can be.
            template = sent.template
            if "⟪A" in template or _GOV_WORD.search(template) or _DISTANCE_WORD.search(template):
                found = find_dates(
                    self.text[sent.start : sent.end],
                    self.published,
                    lambda: self._previous(index),
                )
            self.dated[index] = found
        return found

    def _previous(self, index: int) -> dt.date:
        """The last date the templates before ``index`` mention (else the article's)."""
        while self._prefix < index:  # in order: each may count from the one before
            self.dates(self._prefix)
            self._prefix += 1
        for earlier in reversed(self.dated[:index]):
            if earlier:
                return earlier[-1].value.date
        return self.published


class SentenceTemplate:
    """One sentence: its span, template, slots, the place slots before it, and its dates."""

    __slots__ = (
        "_bases",
        "_chain",
        "_index",
        "_marks",
        "end",
        "history",
        "slots",
        "start",
        "template",
    )

    def __init__(
        self,
        start: int,
        end: int,
        template: str,
        slots: Sequence[Slot],
        history: Sequence[Slot] = (),
        *,
        offsets: tuple[list[int], list[int]] | None = None,
        chain: _DateChain | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.template = template
        self.slots = slots
        self.history = history
        self._marks, self._bases = offsets or ([0], [start])
        self._chain = chain
        self._index = chain.add(self) if chain is not None else -1

    @property
    def dates(self) -> list[DateMention]:
        """The sentence's date expressions, resolved (found on first use)."""
        return self._chain.dates(self._index) if self._chain is not None else []

    def episode_day(self) -> dt.date | None:
        """The one day the sentence right before this one (in the same paragraph) dates,
        within a week before the dispatch: the day of the story an undated sentence goes
        on with ("IS attacked Palmyra on Tuesday, seeking to capture the town. Government
        forces later withdrew from the town"). None when there is no such day."""
        chain, index = self._chain, self._index
        if chain is None or index < 1 or not self.slots:
            return None
        before = chain.templates[index - 1]
        if not before.slots or before.slots[0].sentence != self.slots[0].sentence - 1:
            return None
        if "\n" in chain.text[before.end : self.start]:
            return None  # another paragraph
        days = {
            d.value.date
            for d in chain.dates(index - 1)
            if d.value.precision is Precision.DAY
            and dt.timedelta(0) <= chain.published - d.value.date <= dt.timedelta(days=7)
        }
        return days.pop() if len(days) == 1 else None

    def offset(self, index: int) -> int:
        """The text offset of template character ``index`` (clamped to the template).

        A placeholder's characters all map to its slot's first character.
        """
        index = max(0, min(index, len(self.template) - 1))
        piece = bisect_right(self._marks, index) - 1
        base = self._bases[piece]
        return -1 - base if base < 0 else base + index - self._marks[piece]

    def __repr__(self) -> str:
        return f"SentenceTemplate({self.start}, {self.end}, {self.template!r})"
