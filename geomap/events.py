"""Extract dated control events from an article. Pure: no files, no folium, no database.

How it works, sentence by sentence:

1. Place mentions (from the gazetteer) and actor mentions (from the actor lexicon) are
   replaced by placeholders, giving a *template* such as
   ``⟪A0⟫ has fully recaptured the historic town of ⟪P1⟫ from ⟪A2⟫``. Descriptions such as
   "the base" or "a military airport in the city of X" become place placeholders too,
   resolved to the place they refer to.
2. Each rule in :data:`RULES` is a regular expression over templates. A match gives the
   event kind, the actor, the place and, through named groups, the previous holder, a
   besieger or a distance. Every event records the rule that made it.
3. The sentence's date expressions (see :mod:`geomap.dates`) date the event; a sentence
   with none takes the dispatch's date. Claims, denials and negations set the status.

Airstrikes change nothing; intentions ("seeking to capture", "a bid to retake") are not
events; a place named only in a dateline or as the reporter's location is not an event
place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from geomap.dates import DateMention, iter_dates
from geomap.gazetteer import Gazetteer
from geomap.model import (
    Actor,
    Article,
    ClaimStatus,
    Event,
    EventKind,
    Mention,
    Place,
    PlaceKind,
    Precision,
    Role,
)

_P = r"⟪P(?P<{name}>\d+)⟫"
_A = r"⟪A(?P<{name}>\d+)⟫"
_GAP = r"[^⟪.;:]{0,70}?"  # words between actor and verb: no other actor, no sentence end
_HELD = r"(?:⟪A\d+⟫|[\w]+)-(?:held|controlled)"
_OBJ = (
    r"(?:(?:the|a|an|its|their|key|strategic|historic|ancient|northern|southern|eastern|western"
    r"|central|nearby|neighbou?ring|desert|border|coastal|provincial|remaining|last|embattled"
    r"|besieged|contested|important|main|major|small|large|whole|entire|rest|most|much|all|parts?"
    r"|areas?|town|city|village|base|airbase|air base|airport|military|dam|oilfield|province"
    r"|region|districts?|neighbou?rhoods?|outskirts|center|centre|heart|of|in|near|at"
    rf"|Syrian|Iraqi|Libyan|Turkish|Kurdish|Syria['’]s|Iraq['’]s|{_HELD}|government-held"
    r"|regime-held|government|regime)\s+){0,7}?"
)
_VERB_CAPTURE = (
    r"(?:(?:fully |completely |finally |successfully )?(?:captured|seized|took|taken|overran|overrun"
    r"|stormed|liberated|conquered|secured|captures|seizes|takes|overruns)"
    r"|(?:took|taken|takes|taking|gained|gains|won|seized|established) (?:full |complete |total )?control"
    r" (?:of|over))"
)
_VERB_RECAPTURE = (
    r"(?:(?:fully |completely |finally )?(?:recaptured|retook|retaken|retakes|regained|recaptures"
    r"|won back|took back|taken back)|(?:regained|retook|restored) (?:full )?control (?:of|over))"
)
_DIST = (
    r"(?P<qual>within|less than|about|some|roughly|around|nearly|almost|just|only|at least|an estimated)?"
    r"\s*(?:less than |about |some |just |only )?(?P<num>\d+(?:\.\d+)?|one|two|three|four|five|six"
    r"|seven|eight|nine|ten)\s?(?P<unit>km|kilometers|kilometres|kilometre|kilometer|miles|mile)"
    r"(?:\s*\([^)]*\))?"
)


@dataclass(frozen=True)
class Rule:
    """One extraction rule: a name, the event kind and a pattern over sentence templates."""

    name: str
    kind: EventKind
    pattern: re.Pattern[str]
    realis: bool = True  # whether intentions and conditionals before the verb veto it


def _rule(name: str, kind: EventKind, pattern: str, realis: bool = True) -> Rule:
    text = pattern.replace("{A}", _A.format(name="a")).replace("{P}", _P.format(name="p"))
    text = text.replace("{A2}", _A.format(name="b")).replace("{GAP}", _GAP)
    text = text.replace("{OBJ}", _OBJ).replace("{DIST}", _DIST)
    text = text.replace("{CAP}", _VERB_CAPTURE).replace("{RECAP}", _VERB_RECAPTURE)
    return Rule(name, kind, re.compile(text, re.IGNORECASE), realis)


RULES: tuple[Rule, ...] = (
    # --- claims that are denied (before the plain capture rules, which they shadow)
    _rule(
        "claim_denied",
        EventKind.CLAIMED_DISPUTED,
        r"{A}{GAP}\bclaim(?:ed|s)? (?:to have|it had|that it had|it has) (?:{CAP}|{RECAP})"
        r" {OBJ}{P}(?=[^⟪]*\b(?:but|however|denied|remains? in control|still (?:held|holds)))",
    ),
    _rule(
        "not_captured_as_claimed",
        EventKind.CLAIMED_DISPUTED,
        r"{A}{GAP}\b(?:have|has|had|did) not (?:yet )?(?:captured|taken|seized|overrun|overran"
        r"|taken control of) {OBJ}{P}",
    ),
    # --- sieges
    _rule(
        "siege_broken",
        EventKind.SIEGE_BROKEN,
        r"{A}{GAP}\b(?:broke|breaks|broken|breaking|lifted|lifts|ended|ends|ending|breaking of)"
        r" (?:a |the |an )?(?:[\w'’-]+ |⟪A(?P<besieger>\d+)⟫ ){0,5}?siege (?:on|of|around|in)"
        r" {OBJ}{P}",
    ),
    _rule(
        "siege_of_broken",
        EventKind.SIEGE_BROKEN,
        r"\bsiege (?:on|of|around) {OBJ}{P}{GAP}\b(?:was|has been|had been) (?:broken|lifted)"
        r"{GAP}\bby {A}",
        realis=False,
    ),
    _rule(
        "besieged_active",
        EventKind.BESIEGED,
        r"{A}{GAP}\b(?:besieged|besieges|besieging|encircled|encircles|encircling|surrounded"
        r"|laid siege to|lay siege to|lays siege to|laying siege to|(?:has |have )?(?:kept|held)"
        r" [^⟪]{0,30}? under siege|cut off)\s+(?:⟪A(?P<held>\d+)⟫ (?:\w+ ){0,2}"
        r"(?:in|inside|at) )?{OBJ}{P}",
    ),
    _rule(
        "besieged_where",
        EventKind.BESIEGED,
        r"{P},? where {A}{GAP}\b(?:have|has|had)? ?(?:besieged|encircled|surrounded)",
    ),
    _rule(
        "besieged_by",
        EventKind.BESIEGED,
        r"{P}[^⟪.;]{0,60}?\b(?:besieged|encircled|surrounded|under siege|trapped) by {A}",
        realis=False,
    ),
    _rule(
        "besieged_by_before",
        EventKind.BESIEGED,
        r"\b[Bb]esieged by {A}[^⟪.;]{0,60}?(?:of|in) {OBJ}{P}",
        realis=False,
    ),
    _rule(
        "under_siege",
        EventKind.BESIEGED,
        r"{P}[^⟪.;]{0,80}?\bunder (?:an? )?{A} siege",
        realis=False,
    ),
    # --- distances and advances
    _rule(
        "advanced_within",
        EventKind.ADVANCED_TO,
        r"{A}[^⟪.;]{0,60}?\b(?:to )?(?:within )?{DIST} (?:of|from|short of) {OBJ}{P}",
        realis=False,
    ),
    _rule(
        "reached_outskirts",
        EventKind.ADVANCED_TO,
        r"{A}{GAP}\b(?:reached|reaching|arrived at|arriving at|advanced to|advancing to|closing"
        r" in on|closes in on|closed in on|at the gates of) (?:the )?(?:(?:western|eastern"
        r"|northern|southern) )?(?:outskirts|edge|gates|doors)? ?(?:of )?{OBJ}{P}",
    ),
    _rule(
        "advanced_toward",
        EventKind.ADVANCED_TO,
        r"{A}{GAP}\b(?:advance[ds]?|advancing|pushed|pushing|moved|moving)\b[^⟪.;]{0,40}?"
        r"\b(?:toward|towards|on|closer to)\s+{OBJ}{P}",
    ),
    # --- control changes
    _rule(
        "forced_withdrawal",
        EventKind.WITHDREW,
        r"⟪A(?P<by>\d+)⟫{GAP}\b(?:forc\w+|drive|drives|drove|driven|push\w*|kick\w*) (?:out )?"
        r"(?:[\w'’-]+ ){0,4}?{A}[^⟪.;]{0,40}?\b(?:out of|from|to withdraw from|to leave|out)"
        r" (?:[\w'’-]+ ){0,5}?{P}",
    ),
    _rule("recaptured", EventKind.RECAPTURED, r"{A}{GAP}\b{RECAP} {OBJ}{P}"),
    _rule(
        "recaptured_passive",
        EventKind.RECAPTURED,
        r"{P}[^⟪.;]{0,50}?\b(?:was|were|has been|had been|is) (?:recaptured|retaken) by {A}",
        realis=False,
    ),
    _rule(
        "partial_capture",
        EventKind.CONTESTED,
        r"{A}{GAP}\b(?:captured|seized|took|taken|controls?|control|holds?|held|in control of)"
        r" (?:just )?(?:under |over |more than |less than |about |nearly |around )?"
        r"(?:\d+ percent|\d+%|half|a third|two thirds|a quarter|parts|some|much|most of the"
        r" eastern|most of the western)\b(?: of)? (?:it|{OBJ}{P})",
    ),
    _rule(
        "briefly_seized",
        EventKind.CAPTURED,
        r"{A}{GAP}\bbriefly (?:captured|seized|took|held|overran) {OBJ}{P}",
    ),
    _rule("captured", EventKind.CAPTURED, r"{A}{GAP}\b{CAP} {OBJ}{P}"),
    _rule(
        "captured_passive",
        EventKind.CAPTURED,
        r"{P}[^⟪.;]{0,50}?\b(?:was|were|has been|had been|is) (?:captured|seized|taken|overrun"
        r"|liberated|stormed) by {A}",
        realis=False,
    ),
    _rule("fell_to", EventKind.CAPTURED, r"{P}[^⟪.;]{0,40}?\b(?:fell|falls|fallen) to {A}"),
    _rule(
        "lost_to",
        EventKind.LOST,
        r"{P}[^⟪.;]{0,40}?\b(?:was|were|had been|has been) lost to {A}",
        realis=False,
    ),
    _rule(
        "lost",
        EventKind.LOST,
        r"{A}{GAP}\b(?:lost|loses|losing|surrendered|ceded|gave up|abandoned) (?:control of )?"
        r"{OBJ}{P}(?: to ⟪A(?P<to>\d+)⟫)?",
    ),
    _rule(
        "withdrew",
        EventKind.WITHDREW,
        r"{A}{GAP}\b(?:withdrew|withdrawn|withdrawing|withdraws|pulled out|pulling out|retreated"
        r"|fled|evacuated)(?: from| of)? (?:the )?(?:(?:town|city|village|base) of )?{P}",
    ),
    _rule(
        "entered",
        EventKind.ENTERED,
        r"{A}{GAP}\b(?:entered|enters|entering|pushed into|pushing into|crossed into|crossing into"
        r"|crosses into|stormed into|broke into|advanced into|advancing into|moved into|arrived"
        r" inside|arrived in|pushed deeper into)(?: the)? {OBJ}{P}",
    ),
    # --- static control statements
    _rule(
        "held_adjective",
        EventKind.HELD_BY,
        r"{A}-(?:held|controlled) (?:(?:town|city|village|base|airbase|air base|airport|oilfield"
        r"|oil field|dam|stronghold|areas? of|parts of|neighbou?rhoods of) )?(?:(?:of|in) )?{P}",
        realis=False,
    ),
    _rule(
        "government_enclave",
        EventKind.HELD_BY,
        r"\b(?P<gov>government|regime|government-held|regime-held)[ -](?:held )?(?:enclave|pocket"
        r"|parts|part|areas|neighbou?rhoods|districts|third|half|side|held)(?: of| in)? {OBJ}{P}",
        realis=False,
    ),
    _rule(
        "stronghold_of",
        EventKind.HELD_BY,
        r"(?:the |an? )?(?:last )?{A}(?:['’]s?)? (?:(?:de facto|self-styled|self-declared|last"
        r" major|last urban|main|key|last remaining|remaining) )?(?:stronghold|bastion|capital)"
        r" (?:of|in) {OBJ}{P}",
        realis=False,
    ),
    _rule(
        "apposition_stronghold",
        EventKind.HELD_BY,
        r"{P},?[^⟪.;]{0,40}?\b(?:the |an? |its |is |was |remains |as )+(?:last |key |main |former )?"
        r"(?:{A}(?:['’]s?)? )(?:(?:de facto|self-styled|self-declared|last major|last urban|main"
        r"|key|remaining) )?(?:stronghold|bastion|capital)",
        realis=False,
    ),
    _rule(
        "under_control",
        EventKind.HELD_BY,
        r"{P}[^⟪.;]{0,60}?\b(?:remains?|is|are|was|were|stays?|still)?\s*(?:firmly |fully |still )?"
        r"(?:under (?:the )?(?:control of )?{A}(?:['’]s?)?(?: control)?|controlled by {A2}"
        r"|in {A}(?:['’]s?)? hands)",
        realis=False,
    ),
    _rule(
        "controls",
        EventKind.HELD_BY,
        r"{A}(?:, which|, who| which| that)?\s+(?:still )?(?:controls|control|holds|held|controlled)"
        r" (?:most of |much of |all of )?{OBJ}{P}",
        realis=False,
    ),
    # --- fighting without a change of hands
    _rule(
        "repelled",
        EventKind.REPELLED,
        r"{A}{GAP}\b(?:repelled|repulsed|fended off|beat back|thwarted|foiled|held off)"
        r"[^⟪.;]{0,60}?(?:attack|assault|offensive|advance|push|attempt)[^⟪.;]{0,30}?"
        r"\b(?:on|against|in|into|toward|towards|of) {OBJ}{P}",
    ),
    _rule(
        "attacked",
        EventKind.ATTACKED,
        r"{A}{GAP}(?:\b(?:attacked|attacking|attacks|stormed)\s+{OBJ}{P}|\b(?:attack|assault"
        r"|offensive|onslaught|push)\b[^⟪.;]{0,40}?\b(?:on|against) {OBJ}{P})",
    ),
)

_IRREALIS = re.compile(
    r"\b(?:would|could|might|may|if|to|seeking|sought|seeks|aim\w*|tr(?:y|ied|ying|ies)|attempt\w*"
    r"|plan\w*|threat\w*|hop\w*|expect\w*|will|bid|effort|intend\w*|prepar\w*|vow\w*|ready|failed)"
    r"\b(?:\s+[\w'’-]+){0,3}\s*$",
    re.IGNORECASE,
)
_CLAIM_WORDS = re.compile(r"\b(?:claim(?:ed|s|ing)?|said it had|says it has|announced)\b", re.I)
_DATELINE = re.compile(r"^\s*[A-Z][A-Za-z'’ -]*(?:,\s*[A-Z][A-Za-z ]+)?\s*(?:\([A-Z]+\))?\s*[—–-]")
_ATTRIBUTION = re.compile(
    r"\b(?P<who>(?:the )?(?:Syrian )?Observatory(?: for Human Rights)?|SOHR|state (?:news agency|media"
    r"|TV|television)|SANA|activists?|a monitor|the monitor|local sources|the (?:army|military)"
    r" command|Anadolu(?: Agency)?|Ankara|Amaq|the Pentagon|the coalition|officials|a military"
    r" source|rebels|AFP reporters|AFP|AP|Reuters)\b[^.]{0,30}?\b(?:said|says|reported|reports|told"
    r"|announced|confirmed|claimed)",
    re.IGNORECASE,
)
_ANAPHORA = re.compile(
    r"\b(?P<det>the|a|an|this|that)\s+(?:(?:key|strategic|nearby|ancient|historic|desert|besieged"
    r"|embattled|northern|eastern|western|southern|key strategic)\s+)*(?P<noun>town|city|village"
    r"|base|air base|airbase|military base|airport|military airport|dam|oilfield|oil field"
    r"|provincial capital)\b(?!\s+of\b)(?!['’]s)",
    re.IGNORECASE,
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
}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:U\.S|U\.K|U\.N|Gen|Col|Corp|Lt|Maj|Sgt|Capt|Dr|Mr|Mrs|Ms|St|No|Jan|Feb|Mar|Apr|Aug"
    r"|Sep|Sept|Oct|Nov|Dec|vs|approx|a\.m|p\.m|i\.e|e\.g)\.|\b[A-Z]\.)\s*$"
)
_EVENT_KINDS_PLACES = frozenset(
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
        PlaceKind.PROVINCE,
        PlaceKind.REGION,
    }
)


@dataclass(frozen=True)
class _ActorHit:
    start: int
    end: int
    code: str


class ActorLexicon:
    """Finds actor names in text. Built from the ``Actor`` records of the gazetteer."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.actors = {a.code: a for a in actors}
        sensitive: dict[str, str] = {}
        insensitive: dict[str, str] = {}
        for actor in self.actors.values():
            for alias in actor.aliases:
                # All-capital aliases (IS, SDF) must match as written: "is" is a verb.
                target = sensitive if alias.isupper() else insensitive
                target[alias if alias.isupper() else alias.lower()] = actor.code
        self._lookup = {**insensitive, **sensitive}

        def alternation(names: Iterable[str]) -> str:
            ordered = sorted(names, key=len, reverse=True)
            return "|".join(
                re.escape(n).replace(r"\'", "['’]").replace("'", "['’]") for n in ordered
            )

        tail = r"(?![\w-])(?!-(?:backed|led|held|controlled|linked|affiliated|trained|allied))"
        self._sensitive = re.compile(rf"(?<![\w-])(?:{alternation(sensitive)}){tail}")
        self._insensitive = re.compile(
            rf"(?<![\w-])(?:{alternation(insensitive)})(?:['’]s?)?{tail}", re.IGNORECASE
        )
        self._held = re.compile(
            rf"(?<![\w-])(?:{alternation(self._lookup)})(?=-(?:held|controlled))", re.IGNORECASE
        )

    def find(self, text: str) -> list[_ActorHit]:
        """Actor mentions in ``text``, longest first where they overlap."""
        hits: list[_ActorHit] = []
        for pattern in (self._sensitive, self._insensitive, self._held):
            for m in pattern.finditer(text):
                if any(m.start() < h.end and h.start < m.end() for h in hits):
                    continue
                surface = re.sub(r"['’]s?$", "", m.group())
                code = self._lookup.get(surface) or self._lookup.get(surface.lower())
                if code is None:
                    code = self._lookup.get(surface.replace("’", "'").lower())
                if code is not None:
                    hits.append(_ActorHit(m.start(), m.start() + len(surface), code))
        return sorted(hits, key=lambda h: h.start)

    def resolve(self, code: str, place: Place) -> str | None:
        """Turn the generic ``GOV`` into the government of the place's country."""
        if code != "GOV":
            return code
        for actor in self.actors.values():
            if actor.code.startswith(("GOV_", "GNA_")) and actor.country == place.country:
                return actor.code
        return None

    def holds_ground(self, code: str | None) -> bool:
        """Whether ``code`` may control a place (supporters never do)."""
        return (
            bool(code)
            and self.actors.get(code or "", None) is not None
            and (self.actors[code or ""].holds_ground)
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
        if "\n" not in m.group() and _ABBREVIATIONS.search(text[start : m.start()]):
            continue
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


@dataclass
class _Slot:
    start: int
    end: int
    kind: str  # "P" or "A"
    place: Place | None = None
    code: str = ""
    surface: str = ""


def extract_events(
    article: Article,
    gazetteer: Gazetteer,
    mentions: Sequence[Mention] | None = None,
    lexicon: ActorLexicon | None = None,
) -> list[Event]:
    """Every control event the article states, in text order.

    Parameters
    ----------
    article
        A dated article (``article.published`` must be set).
    gazetteer
        The place index; its actors make the default lexicon.
    mentions
        Place mentions of ``article.text`` if already found (else found here).
    """
    if article.published is None:
        return []
    text = article.text
    lexicon = lexicon or lexicon_for(gazetteer)
    if mentions is None:
        mentions = gazetteer.find(text)
    places = [m for m in mentions if m.role is Role.PLACE and not _is_dateline(text, m)]
    actors = lexicon.find(text)
    sentences = split_sentences(text)
    dates_by_sentence = list(iter_dates([text[s:e] for s, e in sentences], article.published))
    events: list[Event] = []
    history: list[_Slot] = []
    for (start, end), dates in zip(sentences, dates_by_sentence, strict=True):
        slots = _slots_for(text, start, end, places, actors, history, gazetteer)
        history.extend(s for s in slots if s.kind == "P")
        template, where = _template(text, start, end, slots)
        for event in _apply_rules(
            template, where, slots, text, start, end, dates, article, lexicon
        ):
            events.append(event)
    return _dedupe(events)


def lexicon_for(gazetteer: Gazetteer) -> ActorLexicon:
    """The actor lexicon of a gazetteer (cached on it)."""
    cached: ActorLexicon | None = getattr(gazetteer, "_lexicon", None)
    if cached is None:
        cached = ActorLexicon(gazetteer.actors.values())
        gazetteer._lexicon = cached  # type: ignore[attr-defined]
    return cached


def _is_dateline(text: str, mention: Mention) -> bool:
    """A place that opens a paragraph before a dash or "(AP)" is the dispatch's dateline."""
    line_start = text.rfind("\n", 0, mention.start) + 1
    line_end = text.find("\n", mention.start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if mention.start - line_start > 2:
        return bool(re.match(r"^By\s", line)) or bool(
            re.search(
                r"\b(?:reporting|reported|spoke|speaking|by phone) from\s+$",
                text[max(0, mention.start - 30) : mention.start],
                re.IGNORECASE,
            )
        )
    rest = line[mention.start - line_start :]
    return bool(_DATELINE.match(rest)) or bool(re.match(r"^[^.]{0,40}\([A-Z]{2,}\)\s*$", rest))


def _slots_for(
    text: str,
    start: int,
    end: int,
    places: Sequence[Mention],
    actors: Sequence[_ActorHit],
    history: Sequence[_Slot],
    gazetteer: Gazetteer,
) -> list[_Slot]:
    slots = [
        _Slot(m.start, m.end, "P", m.place, surface=m.surface)
        for m in places
        if start <= m.start and m.end <= end
    ]
    slots += [
        _Slot(a.start, a.end, "A", code=a.code, surface=text[a.start : a.end])
        for a in actors
        if start <= a.start
        and a.end <= end
        and not any(s.start < a.end and a.start < s.end for s in slots)
    ]
    for m in _ANAPHORA.finditer(text, start, end):
        if any(s.start < m.end() and m.start() < s.end for s in slots):
            continue
        place = _refer(m, text, end, slots, history, gazetteer)
        if place is not None:
            slots.append(_Slot(m.start(), m.end(), "P", place, surface=m.group()))
    return sorted(slots, key=lambda s: s.start)


def _refer(
    m: re.Match[str],
    text: str,
    end: int,
    slots: Sequence[_Slot],
    history: Sequence[_Slot],
    gazetteer: Gazetteer,
) -> Place | None:
    """The place a description such as "the base" or "a military airport" refers to."""
    noun = m.group("noun").lower()
    kinds = _NOUN_KINDS.get(noun, ())
    after = [s for s in slots if s.kind == "P" and s.start >= m.end() and s.start - m.end() < 90]
    located = (
        re.match(
            r"[^.⟪]{0,40}?\b(?:in|of|near|at|outside)\s+(?:the\s+(?:city|town)\s+of\s+)?$",
            text[m.end() : after[0].start],
        )
        if after
        else None
    )
    if located and after[0].place is not None and after[0].place.kind not in kinds:
        child = _child_of(gazetteer, after[0].place, kinds)
        if child is not None:
            return child
    for slot in after:
        if slot.place is not None and slot.place.kind in kinds and slot.start - m.end() < 70:
            return slot.place
    if m.group("det").lower() in ("a", "an"):
        return None
    for slot in reversed([*history, *[s for s in slots if s.start < m.start()]]):
        if slot.place is not None and slot.place.kind in kinds:
            return slot.place
    return None


def _child_of(gazetteer: Gazetteer, place: Place, kinds: Sequence[PlaceKind]) -> Place | None:
    children = sorted(
        (p for p in gazetteer.places.values() if p.near == place.id and p.kind in kinds),
        key=lambda p: (not p.curated, p.id),
    )
    return children[0] if children else None


def _template(text: str, start: int, end: int, slots: Sequence[_Slot]) -> tuple[str, list[int]]:
    """The sentence with placeholders, and the text offset of every template character."""
    parts: list[str] = []
    where: list[int] = []
    pos = start
    for i, slot in enumerate(slots):
        parts.append(text[pos : slot.start].replace("⟪", "<").replace("⟫", ">"))
        where.extend(range(pos, slot.start))
        token = f"⟪{slot.kind}{i}⟫"
        parts.append(token)
        where.extend([slot.start] * len(token))
        pos = slot.end
    parts.append(text[pos:end].replace("⟪", "<").replace("⟫", ">"))
    where.extend(range(pos, end))
    return "".join(parts), where


def _apply_rules(
    template: str,
    where: list[int],
    slots: Sequence[_Slot],
    text: str,
    start: int,
    end: int,
    dates: Sequence[DateMention],
    article: Article,
    lexicon: ActorLexicon,
) -> list[Event]:
    """Run every rule over one sentence template; one event family per place."""
    events: list[Event] = []
    used: set[tuple[str, EventKind]] = set()
    for rule in RULES:
        for m in rule.pattern.finditer(template):
            place = slots[int(m.group("p"))].place
            if place is None or (place.id, _family(rule.kind)) in used:
                continue
            if rule.realis and _is_irrealis(template, m):
                continue
            made = _make_events(
                rule, m, slots, text, start, end, dates, article, lexicon, template, where
            )
            for event in made:
                used.add((event.place.id, _family(rule.kind)))
                events.append(event)
    return events


def _family(kind: EventKind) -> EventKind:
    """Kinds that compete for one place in one sentence share a family."""
    if kind in (
        EventKind.CAPTURED,
        EventKind.RECAPTURED,
        EventKind.CLAIMED_DISPUTED,
        EventKind.CONTESTED,
        EventKind.LOST,
        EventKind.WITHDREW,
    ):
        return EventKind.CAPTURED
    return kind


_MODAL = re.compile(
    r"\b(?<!able )(?:to|will|would|could|might|may|cannot|won't|if)\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:re)?(?:take|capture|seize|recapture|retake|enter|storm|overrun|liberate|besiege|control"
    r"|lose|break|reach|push|advance|withdraw|clear|encircle|surround|free|oust|expel|attack"
    r"|drive|regain|win|gain|cut)\b",
    re.IGNORECASE,
)


def _is_irrealis(template: str, m: re.Match[str]) -> bool:
    """Intentions and conditionals: "seeking to capture", "a bid to retake", "would leave"."""
    if m.groupdict().get("a") is None:
        return False
    window = template[m.end("a") : m.start("p")]
    before = template[max(0, m.start("a") - 30) : m.start("a")]
    return bool(_MODAL.search(window)) or bool(
        re.search(r"\b(?:if|unless|whether)\b", before, re.I)
    )


def _make_events(
    rule: Rule,
    m: re.Match[str],
    slots: Sequence[_Slot],
    text: str,
    start: int,
    end: int,
    dates: Sequence[DateMention],
    article: Article,
    lexicon: ActorLexicon,
    template: str,
    where: list[int],
) -> list[Event]:
    groups = m.groupdict()
    place_slot = slots[int(groups["p"])]
    place = place_slot.place
    if place is None or place.kind not in _EVENT_KINDS_PLACES:
        return []
    actor_index = groups.get("a") or groups.get("b")
    code: str | None = None
    if groups.get("gov"):
        code = lexicon.resolve("GOV", place)
    elif actor_index is not None:
        code = lexicon.resolve(slots[int(actor_index)].code, place)
    if code is None or not lexicon.holds_ground(code):
        return []
    other = lambda name: (
        lexicon.resolve(slots[int(groups[name])].code, place) if groups.get(name) else None
    )
    kind, status = rule.kind, ClaimStatus.ASSERTED
    controller: str | None = None
    besieger: str | None = None
    if kind in (EventKind.CAPTURED, EventKind.RECAPTURED, EventKind.HELD_BY, EventKind.REPELLED):
        controller = code
    elif kind is EventKind.SIEGE_BROKEN:
        controller, besieger = code, other("besieger")
    elif kind is EventKind.BESIEGED:
        besieger, controller = code, other("held")
    elif kind is EventKind.WITHDREW:
        controller = other("by")
    elif kind is EventKind.LOST:
        controller = other("to") if rule.name == "lost" else code
        if rule.name == "lost_to":
            code = None
    elif kind is EventKind.CLAIMED_DISPUTED:
        status = (
            ClaimStatus.NEGATED
            if rule.name == "not_captured_as_claimed"
            else (ClaimStatus.DISPUTED)
        )
    sentence = text[start:end]
    if kind is not EventKind.CLAIMED_DISPUTED and _CLAIM_WORDS.search(template[: m.start("p")]):
        status = ClaimStatus.CLAIMED
    date, precision = _date_for(
        dates, where[m.start()] - start, where[m.end() - 1] - start, article
    )
    distance = _distance_km(groups) if kind is EventKind.ADVANCED_TO else None
    attribution = _attribution(sentence)
    confidence = 0.9 if status is ClaimStatus.ASSERTED else 0.6
    if any(d.relative_to_previous for d in dates):
        confidence -= 0.05
    if not dates:
        confidence -= 0.1
    event = Event(
        place=place,
        kind=kind,
        actor=code,
        controller_after=controller,
        date=date,
        precision=precision,
        status=status,
        evidence=sentence.strip(),
        article_id=article.id,
        confidence=round(confidence, 2),
        rule=rule.name,
        attribution=attribution,
        source=article.source,
        evidence_start=article.offset + start,
        evidence_end=article.offset + end,
        besieger=besieger,
        distance_km=distance,
        surface=place_slot.surface,
    )
    events = [event]
    if rule.name == "briefly_seized":
        events.append(
            replace(
                event,
                kind=EventKind.LOST,
                controller_after=None,
                rule="briefly_seized_lost",
                confidence=0.6,
            )
        )
    return events + _coordinated(event, m, slots, template)


def _coordinated(
    event: Event, m: re.Match[str], slots: Sequence[_Slot], template: str
) -> list[Event]:
    """ "captured X and Y": the same event for Y."""
    out = []
    pos = m.end("p") + 1  # past the placeholder's closing bracket
    coordinated = re.compile(r"(?:,\s*|\s+and\s+|,\s+and\s+)⟪P(\d+)⟫")
    while c := coordinated.match(template, pos):
        slot = slots[int(c.group(1))]
        if slot.place is not None and slot.place.kind in _EVENT_KINDS_PLACES:
            out.append(replace(event, place=slot.place, surface=slot.surface))
        pos = c.end()
    return out


def _date_for(
    dates: Sequence[DateMention], first: int, last: int, article: Article
) -> tuple[dt.date, Precision]:
    """The date expression nearest the event's words (sentence offsets); else the dispatch's."""
    assert article.published is not None
    if not dates:
        return article.published, Precision.DAY

    def gap(d: DateMention) -> int:
        if d.end <= first:
            return first - d.end
        return 0 if d.start <= last else d.start - last

    best = min(dates, key=gap)
    return best.value.date, best.value.precision


def _distance_km(groups: dict[str, str | None]) -> float | None:
    raw = (groups.get("num") or "").lower()
    words = {
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
    }
    value = float(raw) if raw.replace(".", "", 1).isdigit() else words.get(raw)
    if value is None:
        return None
    unit = (groups.get("unit") or "km").lower()
    return round(value * 1.609344, 2) if unit.startswith("mile") else value


def _attribution(sentence: str) -> str:
    m = _ATTRIBUTION.search(sentence)
    return " ".join(m.group("who").split()) if m else ""


def _dedupe(events: list[Event]) -> list[Event]:
    seen: set[tuple[str, str, str | None, object, int]] = set()
    out = []
    for e in events:
        key = (e.place.id, e.kind.value, e.actor, e.date, e.evidence_start)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out
