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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from geomap.dates import DateMention, find_dates
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
# Words between actor and verb: other mentions allowed (the subject is picked afterwards).
_GAP = r"(?:[^⟪.;:]|⟪[AP]\d+⟫){0,90}?"
_HELD = r"(?:⟪A\d+⟫|[\w]+)-(?:held|controlled)"
_OBJ = (
    r"(?:(?:the|a|an|its|their|headquarters|key|strategic|historic|ancient|northern|southern|eastern|western"
    r"|central|nearby|neighbou?ring|desert|border|coastal|provincial|remaining|last|embattled"
    r"|besieged|contested|important|main|major|small|large|whole|entire|rest|most|much|all|parts?"
    r"|areas?|town|city|village|base|airbase|air base|airport|military|dam|oilfield|province"
    r"|region|districts?|neighbou?rhoods?|outskirts|center|centre|heart|of|in|at|enclave"
    r"|pocket|side|half|third|suburbs|east|west|north|south|remainder|remaining|positions?"
    rf"|Syrian|Iraqi|Libyan|Turkish|Kurdish|Syria['’]s|Iraq['’]s|{_HELD}|government-held|⟪A\d+⟫(?:['’]s?)?"
    r"|city['’]s|town['’]s|adjacent|nearby|neighbouring|itself"
    r"|regime-held|government|regime)\s+){0,7}?"
)
# "Qayyarah, south of Mosul, which ...": a place named only to locate another one.
_BESIDE = (
    "(?:"
    + "|".join(
        f"(?<={word} of )"
        for word in (
            "north",
            "south",
            "east",
            "west",
            "northeast",
            "northwest",
            "southeast",
            "southwest",
            "outside",
            "west",
            "km",
            "kilometers",
            "kilometres",
            "miles",
        )
    )
    + "|(?<=near ))"
)
_VERB_CAPTURE = (
    r"(?:(?:fully |completely |finally |successfully )?(?:captured|seized|took|taken|overran|overrun"
    r"|stormed|liberated|conquered|secured|captures|seizes|takes|overruns|swept through|swept into"
    r"|overrunning|seizing|capturing)"
    r"|(?:took|taken|takes|taking|gained|gains|won|seized|established) (?:full |complete |total )?control"
    r" (?:of|over))"
)
_VERB_RECAPTURE = (
    r"(?:(?:fully |completely |finally )?(?:recaptured|retook|retaken|retakes|regained|recaptures"
    r"|won back|took back|taken back)|(?:regained|retook|restored) (?:full )?control (?:of|over))"
)
_DIST = (
    r"(?P<qual>within|less than|about|some|roughly|around|nearly|almost|just|only|at least|an estimated)?"
    r"\s*(?:less than |about |some |just |only )?(?P<num>\d+(?:\.\d+)?|a few|several|one|two|three|four|five|six"
    r"|seven|eight|nine|ten)\s?(?P<unit>km|kilometers|kilometres|kilometre|kilometer|miles|mile)\b"
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
    # (?P<v>) marks where the verb starts, for picking the subject (first gap only).
    text = text.replace("{GAP}\\b", "{GAP}\\b(?P<v>)", 1)
    text = text.replace("{A2}", _A.format(name="b")).replace("{GAP}", _GAP)
    text = text.replace("{FROM}", r"(?: from (?:the )?⟪A(?P<frm>\d+)⟫)?")
    text = text.replace("{OBJ}", _OBJ).replace("{DIST}", _DIST).replace("{BESIDE}", _BESIDE)
    text = text.replace("{CAP}", _VERB_CAPTURE).replace("{RECAP}", _VERB_RECAPTURE)
    return Rule(name, kind, re.compile(text, re.IGNORECASE), realis)


RULES: tuple[Rule, ...] = (
    # --- claims that are denied (before the plain capture rules, which they shadow)
    _rule(
        "claim_denied",
        EventKind.CLAIMED_DISPUTED,
        r"{A}{GAP}\bclaim(?:ed|s)? (?:to have|it had|that it had|it has) (?:{CAP}|{RECAP})"
        r" {OBJ}{P}(?=.*?\b(?:but|however|denied|remains? in control|still (?:held|holds)))",
    ),
    _rule(
        "not_captured_as_claimed",
        EventKind.CLAIMED_DISPUTED,
        r"{A}{GAP}\b(?:have|has|had|did) not (?:yet )?(?:captured|capture|taken|take|seized|seize"
        r"|overrun|overran|taken control of|take control of) {OBJ}{P}",
    ),
    # --- sieges
    _rule(
        "siege_broken",
        EventKind.SIEGE_BROKEN,
        r"{A}{GAP}\b(?:broke|breaks|broken|breaking|lifted|lifts|ended|ends|ending|breaking of)"
        r" (?:a |the |an )?(?:[\w'’-]+ |⟪A(?P<besieger>\d+)⟫['’]?s? ){0,5}?siege (?:on|of|around|in)"
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
        "siege_had_been_broken",
        EventKind.SIEGE_BROKEN,
        r"{A}{GAP}\bsiege (?:on|of|around) {OBJ}{P}[^⟪.;]{0,30}?\b(?:had been|has been|was|is|been)"
        r" (?:broken|lifted)",
    ),
    _rule(
        "besieged_active",
        EventKind.BESIEGED,
        r"{A}{GAP}\b(?:besieged|besieges|besieging|encircled|encircles|encircling|surrounded"
        r"|laid siege to|lay siege to|lays siege to|laying siege to|(?:has |have )?(?:kept|held)"
        r" [^⟪]{0,30}? under siege|cut off|isolated|isolating|pressing (?:the |their |its )?siege"
        r" (?:of|on))\s+(?:⟪A(?P<held>\d+)⟫ (?:\w+ ){0,2}"
        r"(?:in|inside|at) )?{OBJ}{P}",
    ),
    _rule(
        "besieged_where",
        EventKind.BESIEGED,
        r"{P},? where {A}{GAP}\b(?:have|has|had)? ?(?:besieged|encircled|surrounded)"
        r"(?: ⟪A(?P<held>\d+)⟫)?",
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
        r"{A}{GAP}\b(?:advance[ds]?|advancing|pushed|pushing|moved|moving)\b(?:[^⟪.;]{0,40}?"
        r"\b(?:toward|towards|closer to)| on)\s+{OBJ}{P}",
    ),
    # --- control changes
    _rule(
        "forced_withdrawal",
        EventKind.WITHDREW,
        r"⟪A(?P<by>\d+)⟫{GAP}\b(?:forc\w+|drive|drives|drove|driven|push\w*|kick\w*) (?:out )?"
        r"(?:[\w'’-]+ ){0,4}?{A}[^⟪.;]{0,40}?\b(?:out of|from|to withdraw from|to leave|out)"
        r" (?:[\w'’-]+ ){0,5}?{P}",
    ),
    _rule("recaptured", EventKind.RECAPTURED, r"{A}{GAP}\b{RECAP} {OBJ}{P}{FROM}"),
    _rule(
        "recaptured_passive",
        EventKind.RECAPTURED,
        r"{P}[^⟪.;]{0,50}?\b(?:was|were|has been|had been|is) (?P<v>)(?:recaptured|retaken) by {A}",
        realis=False,
    ),
    _rule(
        "still_present",
        EventKind.CLAIMED_DISPUTED,
        r"{A}{GAP}\b(?:were|are|was|is|remain|remained|remains) still (?:present|fighting|holding out)"
        r" in (?:parts of |some of |much of )?{OBJ}{P}",
    ),
    _rule(
        "partial_capture",
        EventKind.CONTESTED,
        r"{A}{GAP}\b(?:captured|seized|took|taken|controls?|control|in control of)"
        r" (?:just )?(?:under |over |more than |less than |about |nearly |around )?"
        r"(?:the (?:eastern |western |northern |southern )?)?(?:\d+ percent|\d+%|half|a third|two"
        r" thirds|a quarter|parts|some|much|most of the eastern|most of the western)\b(?: of)?"
        r" (?:it|{OBJ}{P})",
    ),
    _rule(
        "briefly_seized",
        EventKind.CAPTURED,
        r"{A}{GAP}\bbriefly (?:captured|seized|took|held|overran) {OBJ}{P}",
    ),
    _rule("captured", EventKind.CAPTURED, r"{A}{GAP}\b{CAP} {OBJ}{P}{FROM}"),
    _rule(
        "drove_from",
        EventKind.CAPTURED,
        r"{A}{GAP}\b(?:drove|driven|drive|drives|expelled|expel|ousted|oust|chased|pushed|kicked)"
        r" (?:⟪A(?P<frm>\d+)⟫ |[\w'’-]+ ){0,3}?(?:out of|from) {OBJ}{P}",
    ),
    _rule(
        "relative_recapture",
        EventKind.RECAPTURED,
        r"{P},?(?:[^⟪.;]|{BESIDE}⟪P\d+⟫){0,60}?\b(?:which|that) {A} (?:had |has )?(?P<v>)(?:recaptured|retook|retaken|regained)",
        realis=False,
    ),
    _rule(
        "relative_capture",
        EventKind.CAPTURED,
        r"{P},?(?:[^⟪.;]|{BESIDE}⟪P\d+⟫){0,60}?\b(?:which|that) {A} (?:had |has )?(?P<v>)(?:captured|seized|took|overran)",
        realis=False,
    ),
    _rule(
        "declared_victory",
        EventKind.RECAPTURED,
        r"{A}{GAP}\b(?:declared|declares|announced|proclaimed) (?:final |full |total )?(?:victory|"
        r"the liberation)(?: over (?:the )?⟪A\d+⟫)?(?: (?:in|of|over) {OBJ}{P})",
    ),
    _rule(
        "captured_passive",
        EventKind.CAPTURED,
        r"{P}[^⟪.;]{0,50}?\b(?:was|were|has been|had been|is) (?P<v>)(?:captured|seized|taken|overrun"
        r"|liberated|stormed) by {A}",
        realis=False,
    ),
    _rule("fell_to", EventKind.CAPTURED, r"{P}[^⟪.;]{0,40}?\b(?P<v>)(?:fell|falls|fallen) to {A}"),
    _rule(
        "lost_to",
        EventKind.LOST,
        r"{P}[^⟪.;]{0,40}?\b(?:was|were|had been|has been) (?P<v>)lost to {A}",
        realis=False,
    ),
    _rule(
        "lost",
        EventKind.LOST,
        r"{A}{GAP}\b(?:lost|loses|losing|surrendered|ceded|gave up|abandoned) (?:control of )?"
        r"{OBJ}{P}(?: to (?:an? |the )?(?:[\w'’-]+ ){0,2}⟪A(?P<to>\d+)⟫)?",
    ),
    _rule(
        "withdrew",
        EventKind.WITHDREW,
        r"{A}{GAP}\b(?:withdrew|withdrawn|withdrawing|withdraws|pulled out|pulling out|retreated"
        r"|fled|evacuated|evacuating|abandoning)(?: from| of)? (?:the )?(?:(?:town|city|village"
        r"|base) of )?{P}",
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
        r" major|last urban|main|key|last remaining|remaining|Syrian|Iraqi|Libyan|northern"
        r"|eastern|biggest) ){0,2}(?:strongholds?|bastions?|capital)"
        r" of {OBJ}{P}",
        realis=False,
    ),
    _rule(
        "apposition_stronghold",
        EventKind.HELD_BY,
        r"{P},?[^⟪.;]{0,80}?\b(?:the |an? |its |is |was |remains |as )+(?:last |key |main |former )?"
        r"(?:{A}(?:['’]s?)? )(?:(?:de facto|self-styled|self-declared|last major|last urban|main"
        r"|key|remaining) )?(?:stronghold|bastion|capital)",
        realis=False,
    ),
    _rule(
        "under_control",
        EventKind.HELD_BY,
        r"{P}[^⟪.;]{0,60}?\b(?:remains?|is|are|was|were|stays?|still)?\s*(?:firmly |fully |still )?"
        r"(?:under (?:the )?control of|controlled by|held by) (?:the )?{A}",
        realis=False,
    ),
    _rule(
        "under_actor_control",
        EventKind.HELD_BY,
        r"{P}[^⟪.;]{0,60}?\b(?:remains?|is|are|was|were|stays?|still)?\s*(?:firmly |fully |still )?"
        r"(?:(?:under|in) (?:the )?{A}(?:['’]s?)? (?:control|hands)|in the hands of (?:the )?{A2})",
        realis=False,
    ),
    _rule(
        "controls",
        EventKind.HELD_BY,
        r"{A}(?:, which|, who| which| that)?\s+(?:still |has |have |had |has long |had long )*"
        r"(?:controls|control|holds|hold|held|controlled|ruled|rules|run|runs)"
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
        r"{A}{GAP}\b(?:attacked|attacking|attacks)\s+{OBJ}{P}",
    ),
    _rule(
        "assault_on",
        EventKind.ATTACKED,
        r"{A}{GAP}\b(?:attack|assault|offensive|onslaught|push)\b[^⟪.;]{0,40}?\b(?:on|against)"
        r" {OBJ}{P}",
    ),
)

# A word each rule needs: a sentence without it is not tried against the rule.
# Words a rule needs (any of them, as lower-case substrings): a sentence without one is not
# tried against the rule. One Aho-Corasick pass per sentence finds which rules may fire.
_NEEDS_WORDS: dict[str, str] = {
    "claim_denied": "claim",
    "not_captured_as_claimed": " not ",
    "siege_broken": "siege",
    "siege_of_broken": "siege",
    "siege_had_been_broken": "siege",
    "besieged_active": "besieg|encircl|surround|siege|cut off|isolat",
    "besieged_where": "besieg|encircl|surround",
    "besieged_by": "besieg|encircl|surround|siege|trapped",
    "besieged_by_before": "besieged",
    "under_siege": "siege",
    "advanced_within": "km|kilomet|mile",
    "reached_outskirts": "reach|arriv|advanc|clos|gates",
    "advanced_toward": "advanc|push|mov",
    "forced_withdrawal": "forc|driv|drov|push|kick",
    "recaptured": "recapt|retak|retook|regain|back|restor",
    "recaptured_passive": "recapt|retak",
    "still_present": "still",
    "partial_capture": "percent|%|half|third|quarter|parts|some|much|most",
    "briefly_seized": "briefly",
    "drove_from": "drov|driv|expel|oust|chas|push|kick",
    "captured": "captur|seiz|took|taken|take|overr|storm|liberat|conquer|secur|control|swept",
    "relative_recapture": "which|that",
    "relative_capture": "which|that",
    "declared_victory": "victory|liberation",
    "captured_passive": " by ",
    "fell_to": "fell|falls|fallen",
    "lost_to": "lost",
    "lost": "lost|losing|loses|surrender|ced|gave up|abandon",
    "withdrew": "withdr|pull|retreat|fled|evacuat|abandon",
    "entered": "enter|into|inside|arrived in",
    "held_adjective": "-held|-controlled",
    "government_enclave": "government|regime",
    "stronghold_of": "stronghold|bastion|capital",
    "apposition_stronghold": "stronghold|bastion|capital",
    "under_control": "control|held by",
    "under_actor_control": "control|hands",
    "controls": "control|hold|held|rule|run",
    "repelled": "repel|repuls|fended|beat back|thwart|foil|held off",
    "attacked": "attack",
    "assault_on": "attack|assault|offensive|onslaught|push",
}


def _build_triggers() -> object:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for name, words in _NEEDS_WORDS.items():
        for word in words.split("|"):
            names = automaton.get(word, ())
            automaton.add_word(word, (*names, name))
    automaton.make_automaton()
    return automaton


_TRIGGERS: Any = _build_triggers()


def _rules_for(template: str) -> set[str]:
    """The names of the rules whose needed words occur in ``template``."""
    found: set[str] = set()
    for _, names in _TRIGGERS.iter(template.lower()):
        found.update(names)
    return found


_IRREALIS = re.compile(
    r"\b(?:would|could|might|may|if|to|seeking|sought|seeks|aim\w*|tr(?:y|ied|ying|ies)|attempt\w*"
    r"|plan\w*|threat\w*|hop\w*|expect\w*|will|bid|effort|intend\w*|prepar\w*|vow\w*|ready|failed)"
    r"\b(?:\s+[\w'’-]+){0,3}\s*$",
    re.IGNORECASE,
)
_CLAIM_WORDS = re.compile(r"\b(?:claim(?:ed|s|ing)?|said it had|says it has|announced)\b", re.I)
# "DAMASCUS – ", "BEIRUT (AP) — ", "Ain Issa, Syria (AFP)": the dash has a space before it.
_DATELINE = re.compile(r"^\s*[A-Z][A-Za-z'’ -]*(?:,\s*[A-Z][A-Za-z ]+)?\s*(?:\([A-Z]+\))?\s[—–-]\s")
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
_DISTANCE_WORD = re.compile(r"\d\s?(?:km|kilomet|mile)|kilomet|miles", re.IGNORECASE)
_GOV_WORD = re.compile(r"\b(?:government|regime)\b", re.IGNORECASE)
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


def _fold_quotes(text: str) -> str:
    """Typographic apostrophes to ASCII (length-preserving, so offsets still index the text)."""
    return text.replace("’", "'").replace("‘", "'")


@dataclass(frozen=True)
class _ActorHit:
    start: int
    end: int
    code: str


class ActorLexicon:
    """Finds actor names in text in one Aho–Corasick pass (pyahocorasick).

    Built from the ``Actor`` records of the gazetteer. Matching is case-insensitive, except
    for all-capital aliases (``IS``, ``SDF``), which must match as written ("is" is a verb).
    A name glued to "-backed", "-led" and the like is not the actor ("US-backed"); one glued
    to "-held" is ("IS-held", for static control statements).
    """

    def __init__(self, actors: Iterable[Actor]) -> None:
        import ahocorasick

        self.actors = {a.code: a for a in actors}
        self._automaton = ahocorasick.Automaton()
        for actor in self.actors.values():
            for alias in actor.aliases:
                key = _fold_quotes(alias.lower())
                sensitive = alias.isupper()
                previous = self._automaton.get(key, None)
                # A case-insensitive alias wins a tie: it matches every spelling.
                if previous is None or (previous[2] and not sensitive):
                    self._automaton.add_word(key, (actor.code, alias, sensitive))
        self._automaton.make_automaton()

    def find(self, text: str) -> list[_ActorHit]:
        """Actor mentions in ``text``, longest first where they overlap."""
        hits: list[_ActorHit] = []
        for last, (code, alias, sensitive) in self._automaton.iter_long(_fold_quotes(text.lower())):
            start, end = last - len(alias) + 1, last + 1
            if sensitive and text[start:end] != alias:
                continue
            glued = start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_")
            if glued and not re.search(r"\b(?:al|el)-$", text[max(0, start - 4) : start], re.I):
                continue  # inside a word or a compound, but "al-Assad's forces" counts
            tail = text[end : end + 12]
            if tail[:1].isalnum() and not re.match(r"['’]s\b", tail):
                continue
            if tail.startswith("-") and not re.match(r"-(?:held|controlled)\b", tail):
                continue
            hits.append(_ActorHit(start, end, code))
        return hits

    def resolve(self, code: str, place: Place) -> str | None:
        """Turn a generic actor ("government forces") into the side it is in the place's country."""
        actor = self.actors.get(code)
        if actor is None or not actor.resolves:
            return code
        return dict(actor.resolves).get(place.country)

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


@dataclass(frozen=True)
class _Context:
    """What every rule application of one article needs."""

    article: Article
    gazetteer: Gazetteer
    lexicon: ActorLexicon


@dataclass
class Slot:
    start: int
    end: int
    kind: str  # "P" or "A"
    place: Place | None = None
    code: str = ""
    surface: str = ""
    sentence: int = 0


def extract_events(
    article: Article,
    gazetteer: Gazetteer,
    mentions: Sequence[Mention] | None = None,
    lexicon: ActorLexicon | None = None,
    templates: Sequence[SentenceTemplate] | None = None,
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
    templates
        The article's sentence templates if already made (:func:`iter_templates`).
    """
    lexicon = lexicon or lexicon_for(gazetteer)
    ctx = _Context(article, gazetteer, lexicon)
    events: list[Event] = []
    if templates is None:
        templates = list(iter_templates(article, gazetteer, mentions, lexicon))
    for sentence in templates:
        if "⟪A" in sentence.template or _GOV_WORD.search(sentence.template):
            events.extend(_apply_rules(ctx, sentence))
    return _dedupe(events)


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
    actors = lexicon.find(text)
    history: list[Slot] = []
    previous = article.published  # "two days earlier" counts from the date just mentioned
    sides: list[Slot] = []  # the sides named in the last sentence that named any
    for number, (start, end) in enumerate(split_sentences(text)):
        slots = _slots_for(text, start, end, places, actors, history, gazetteer)
        slots = _with_pronouns(text, start, end, slots, sides, lexicon)
        named = [s for s in slots if s.kind == "A" and s.surface.lower() not in ("it", "they")]
        sides = named or sides
        for slot in slots:
            slot.sentence = number
        before = list(history)
        history.extend(s for s in slots if s.kind == "P")
        if not any(s.kind == "P" for s in slots):
            continue
        template, where = _template(text, start, end, slots)
        dates: list[DateMention] = []
        # Dates only where an event or a distance can be: most sentences never get here.
        if "⟪A" in template or _GOV_WORD.search(template) or _DISTANCE_WORD.search(template):
            dates = find_dates(text[start:end], article.published, previous)
            if dates:
                previous = dates[-1].value.date
        yield SentenceTemplate(start, end, template, where, slots, dates, before)


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
    history: Sequence[Slot],
    gazetteer: Gazetteer,
) -> list[Slot]:
    # An actor name wins over a place inside it ("Syria's military").
    slots = [
        Slot(a.start, a.end, "A", code=a.code, surface=text[a.start : a.end])
        for a in actors
        if start <= a.start and a.end <= end
    ]
    slots += [
        Slot(m.start, m.end, "P", m.place, surface=m.surface)
        for m in places
        if start <= m.start
        and m.end <= end
        and not any(s.start < m.end and m.start < s.end for s in slots)
    ]
    for m in _ANAPHORA.finditer(text, start, end):
        if any(s.start < m.end() and m.start() < s.end for s in slots):
            continue
        place = _refer(m, text, end, slots, history, gazetteer)
        if place is not None:
            slots.append(Slot(m.start(), m.end(), "P", place, surface=m.group()))
    return sorted(slots, key=lambda s: s.start)


_PRONOUN = re.compile(
    r"\b(?P<p>[Ii]t|[Tt]hey)\s+"
    r"(?=(?:had|has|have|was|were|also|then|first|later|finally|briefly|seized|captured|"
    r"recaptured|retook|took|lost|overran|entered|withdrew|broke|regained|drove|pushed)\b)"
)


def _with_pronouns(
    text: str,
    start: int,
    end: int,
    slots: list[Slot],
    sides: Sequence[Slot],
    lexicon: ActorLexicon,
) -> list[Slot]:
    """Subject "It"/"They" before a verb: the side named first in this or the last sentence.

    "This is the Syrian government's second campaign. It seized the town last March": It
    is the government. Only sides that hold ground are taken.
    """
    out = list(slots)
    for m in _PRONOUN.finditer(text, start, end):
        if m.start("p") != start and not text[start : m.start("p")].strip().endswith(
            ("but", "and", "until", "after", "before", "when", "as", "then", "which")
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
            r"\b(?:near|outside|north|south|east|west|from|towards?|between)\b",
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
    return _salient(history, [s for s in slots if s.start < m.start()], kinds, countries)


def _actor_country(gazetteer: Gazetteer, code: str) -> str:
    actor = gazetteer.actors.get(code)
    return actor.country if actor is not None else ""


def _salient(
    history: Sequence[Slot],
    earlier: Sequence[Slot],
    kinds: Sequence[PlaceKind],
    countries: set[str],
) -> Place | None:
    """The place a back-reference most likely means.

    Each earlier mention of a compatible kind scores 1, plus 3 in the same sentence and
    1.5 in the one before; when the sentence names sides of one country ("Iraqi forces"),
    places of that country win. So "the city" in an article about Deir Ezzor stays Deir
    Ezzor after one mention of Aleppo, and "Iraqi forces pushed into the city" after
    "Fallujah" is Fallujah even in an article mostly about Raqqa.
    """
    seen = [*history, *earlier]
    if not seen:
        return None
    current = seen[-1].sentence if earlier else seen[-1].sentence + 1
    scores: dict[str, float] = {}
    places: dict[str, Place] = {}
    for slot in seen:
        if slot.place is None or slot.place.kind not in kinds:
            continue
        distance = current - slot.sentence
        bonus = 3.0 if distance == 0 else 1.5 if distance == 1 else 0.0
        places[slot.place.id] = slot.place
        scores[slot.place.id] = scores.get(slot.place.id, 0.0) + 1.0 + bonus
    if countries:
        local = {pid: score for pid, score in scores.items() if places[pid].country in countries}
        scores = local or scores
    if not scores:
        return None
    return places[max(scores, key=lambda pid: (scores[pid], pid))]


def _child_of(gazetteer: Gazetteer, place: Place, kinds: Sequence[PlaceKind]) -> Place | None:
    children = sorted(
        (p for p in gazetteer.places.values() if p.near == place.id and p.kind in kinds),
        key=lambda p: (not p.curated, p.id),
    )
    return children[0] if children else None


def _template(text: str, start: int, end: int, slots: Sequence[Slot]) -> tuple[str, list[int]]:
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


@dataclass(frozen=True)
class SentenceTemplate:
    """One sentence: its span, template, template-to-text offsets, slots and dates."""

    start: int
    end: int
    template: str
    where: list[int]
    slots: Sequence[Slot]
    dates: Sequence[DateMention]
    history: Sequence[Slot] = ()


def _apply_rules(ctx: _Context, sent: SentenceTemplate) -> list[Event]:
    """Run every rule over one sentence template; one event family per place."""
    events: list[Event] = []
    used: set[tuple[str, EventKind]] = set()
    candidates = _rules_for(sent.template)
    for rule in RULES:
        if rule.name in _NEEDS_WORDS and rule.name not in candidates:
            continue
        for m in rule.pattern.finditer(sent.template):
            if m.group("p") is None:
                continue
            place = sent.slots[int(m.group("p"))].place
            if place is None or (place.id, _family(rule.kind)) in used:
                continue
            if rule.realis and _is_irrealis(sent.template, m):
                continue
            made = _make_events(ctx, sent, rule, m)
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
    r"\b(?<!able )(?:to(?!\s+have\b)|will|would|could|might|may|cannot|won't|if)\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:re)?(?:take|capture|seize|recapture|retake|enter|storm|overrun|liberate|besiege|control"
    r"|lose|break|reach|push|advance|withdraw|clear|encircle|surround|free|oust|expel|attack"
    r"|drive|regain|win|gain|cut)\b",
    re.IGNORECASE,
)


def _is_irrealis(template: str, m: re.Match[str]) -> bool:
    """Intentions and conditionals: "seeking to capture", "a bid to retake", "would leave"."""
    if m.groupdict().get("a") is None:
        return False
    window = template[m.end("a") : _slot_start(template, m, "p")]
    before = template[max(0, _slot_start(template, m, "a") - 30) : _slot_start(template, m, "a")]
    return bool(_MODAL.search(window)) or bool(
        re.search(r"\b(?:if|unless|whether)\b", before, re.I)
    )


def _make_events(
    ctx: _Context, sent: SentenceTemplate, rule: Rule, m: re.Match[str]
) -> list[Event]:
    """The event(s) one rule match states, or none when it names no acting side."""
    slots, template, lexicon, article = sent.slots, sent.template, ctx.lexicon, ctx.article
    groups = m.groupdict()
    place_slot = slots[int(groups["p"])]
    place = place_slot.place
    if place is None or place.kind not in _EVENT_KINDS_PLACES:
        return []
    place = _feature_child(ctx.gazetteer, template, _slot_start(template, m, "p"), place)
    actor_index = groups.get("a") or groups.get("b")
    verb = groups.get("v") is not None and m.start("a") < m.start("v")
    if groups.get("a") is not None and verb and m.start("a") < m.start("p"):
        actor_index = _pick_subject(template, m, slots, lexicon, place)
        if actor_index is None:
            return []
    code: str | None = None
    if groups.get("gov"):
        code = lexicon.resolve("GOV", place)
    elif actor_index is not None:
        code = lexicon.resolve(slots[int(actor_index)].code, place)
    if code is None or not lexicon.holds_ground(code):
        return []

    def other(name: str) -> str | None:
        index = groups.get(name)
        return lexicon.resolve(slots[int(index)].code, place) if index else None

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
    sentence = article.text[sent.start : sent.end]
    if kind is not EventKind.CLAIMED_DISPUTED and _CLAIM_WORDS.search(template[: m.start("p")]):
        status = ClaimStatus.CLAIMED
    # Dates before the verb are weighed from the verb, dates after it from the place.
    verb_at = m.start("v") if groups.get("v") is not None else _slot_start(template, m, "p")
    at = sent.where[min(verb_at, len(sent.where) - 1)] - sent.start
    after = sent.where[min(m.end("p") + 1, len(sent.where) - 1)] - sent.start
    date, precision = _date_for(sent.dates, at, max(at, after), sentence, article)
    if _SUBORDINATE.search(template[:verb_at]) and not any(d.start >= at for d in sent.dates):
        return []  # "... brought back after it first captured Palmyra": earlier, undated
    if kind is EventKind.HELD_BY:
        dated = _held_since(sent.dates, sentence)
        if dated is None and _PAST_PERFECT.search(template[: _slot_start(template, m, "p")]):
            return []  # "had held X until ...": not the present, and no date to put it on
        assert article.published is not None
        date, precision = dated or (article.published, Precision.DAY)
    elif not sent.dates and _PAST_PERFECT.search(template[: _slot_start(template, m, "p")]):
        return []  # "Daesh had held Palmyra until it lost the city": earlier, but when?
    distance = _distance_km(groups) if kind is EventKind.ADVANCED_TO else None
    attribution = _attribution(sentence)
    confidence = 0.9 if status is ClaimStatus.ASSERTED else 0.6
    if any(d.relative_to_previous for d in sent.dates):
        confidence -= 0.05
    if not sent.dates:
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
        evidence_start=article.offset + sent.start,
        evidence_end=article.offset + sent.end,
        besieger=besieger,
        distance_km=distance,
        surface=place_slot.surface,
        previous=other("frm") if kind in (EventKind.CAPTURED, EventKind.RECAPTURED) else None,
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


_PAST_PERFECT = re.compile(
    r"\bhad\s+(?:(?:already|earlier|previously|first|been)\s+)*\w+(?:ed|en)\b"
    r"|\bhad\s+(?:held|taken|seized|lost|fought|won|overrun|overran|"
    r"surrounded)\b",
    re.IGNORECASE,
)
_OBJECT_BEFORE = re.compile(
    r"\b(?:killed|killing|kill|executed|executing|wounded|against|fighting|fought|battling|battle"
    r"|clashes|with|from|by|of|and|between|loyal to|backed by|supported by|on)\s+(?:[\w'’-]+\s+){0,3}$",
    re.IGNORECASE,
)
_SPEAKER_AFTER = re.compile(r"^\s*(?:said|says|say|told|reported|reports)\b", re.IGNORECASE)


def _slot_start(template: str, m: re.Match[str], group: str) -> int:
    """Where the placeholder whose number group ``group`` captured starts."""
    return template.rfind("⟪", 0, m.start(group))


def _pick_subject(
    template: str, m: re.Match[str], slots: Sequence[Slot], lexicon: ActorLexicon, place: Place
) -> str | None:
    """The acting side: the last ground-holding actor before the verb that is not an object.

    "ISIS claimed to have killed 75 Syrian soldiers in the attack on the base": the
    soldiers are objects ("killed ..."), ISIS acts. An actor followed by "said" is a
    speaker and only acts when no other actor can.
    """
    verb_at = m.start("v") if m.groupdict().get("v") is not None else m.start("p")
    first = _slot_start(template, m, "a")
    candidates = []
    for found in re.finditer(r"⟪A(\d+)⟫", template[first:verb_at]):
        index = found.group(1)
        at = first + found.start()
        code = lexicon.resolve(slots[int(index)].code, place)
        if not lexicon.holds_ground(code) or _OBJECT_BEFORE.search(template[max(0, at - 30) : at]):
            continue
        speaker = bool(_SPEAKER_AFTER.match(template[first + found.end() :]))
        candidates.append((speaker, index))
    if not candidates:
        return None
    actors = [i for speaker, i in candidates if not speaker] or [i for _, i in candidates]
    return actors[-1]


_FEATURE_BEFORE = re.compile(
    r"\b(?P<noun>oil ?field|gas ?field|dam|air ?base|airport|military airport|base|refinery)s?"
    r"\s+(?:in|at|near|of|outside)\s+(?:the\s+(?:town|city)\s+of\s+)?$",
    re.IGNORECASE,
)
_FEATURE_NOUN_KINDS = {
    "oilfield": PlaceKind.OILFIELD,
    "oil field": PlaceKind.OILFIELD,
    "gasfield": PlaceKind.OILFIELD,
    "gas field": PlaceKind.OILFIELD,
    "refinery": PlaceKind.OILFIELD,
    "dam": PlaceKind.DAM,
    "airbase": PlaceKind.AIRBASE,
    "air base": PlaceKind.AIRBASE,
    "airport": PlaceKind.AIRBASE,
    "military airport": PlaceKind.AIRBASE,
    "base": PlaceKind.MILITARY_BASE,
}


def _feature_child(gaz: Gazetteer, template: str, at: int, place: Place) -> Place:
    """ "an oilfield in Thawra": the oil field named after Thawra, when the gazetteer has one."""
    m = _FEATURE_BEFORE.search(template[max(0, at - 60) : at])
    if m is None:
        return place
    kind = _FEATURE_NOUN_KINDS.get(m.group("noun").lower())
    kinds = (kind, PlaceKind.AIRBASE) if kind is PlaceKind.MILITARY_BASE else (kind,)
    child = _child_of(gaz, place, [k for k in kinds if k is not None])
    return child or place


def _coordinated(
    event: Event, m: re.Match[str], slots: Sequence[Slot], template: str
) -> list[Event]:
    """ "captured X and Y": the same event for Y."""
    out = []
    pos = m.end("p") + 1  # past the placeholder's closing bracket
    coordinated = re.compile(
        r"(?:,\s*|\s+and\s+|,\s+and\s+)(?:the\s+)?(?:(?:nearby|adjacent|neighbouring|town of"
        r"|city of)\s+)?⟪P(\d+)⟫"
    )
    while c := coordinated.match(template, pos):
        slot = slots[int(c.group(1))]
        if slot.place is not None and slot.place.kind in _EVENT_KINDS_PLACES:
            out.append(replace(event, place=slot.place, surface=slot.surface))
        pos = c.end()
    return out


def _held_since(dates: Sequence[DateMention], sentence: str) -> tuple[dt.date, Precision] | None:
    """The date of "held X since 2014"; a static statement is otherwise of the present."""
    for d in dates:
        if re.search(r"\bsince\s+(?:the\s+)?$", sentence[max(0, d.start - 12) : d.start], re.I):
            return d.value.date, d.value.precision
        if d.text.lower().startswith("since"):
            return d.value.date, d.value.precision
    return None


_SUBORDINATE = re.compile(
    r"\b(?:after|since|when|before|until|once)\s+(?:⟪A\d+⟫\s+)?(?:(?:had|has|first)\s+)*$",
    re.IGNORECASE,
)
_NEW_CLAUSE = re.compile(
    r"\b(?:since|after|before|when|while|until|because|where)\s+(?:they|it|he|she|the|its"
    r"|their|his|her|we)\b|\bwhich\b|\bwho\b",
    re.IGNORECASE,
)


def _same_clause(d: DateMention, first: int, last: int, sentence: str) -> bool:
    """Whether a date can date the event: not behind a clause of its own ("since they ...").

    A date that closes the sentence after a relative clause ("... which is held by the
    army, in the city, yesterday") still belongs to the main clause.
    """
    if d.end <= first:
        return not _NEW_CLAUSE.search(sentence[d.end : first])
    if d.start <= last:
        return True
    marker = _NEW_CLAUSE.search(sentence[last : d.start])
    if marker is None:
        return True
    relative = marker.group().lower() in ("which", "who")
    return relative and not sentence[d.end :].strip(' .,;:"”’)')


def _date_for(
    dates: Sequence[DateMention], first: int, last: int, sentence: str, article: Article
) -> tuple[dt.date, Precision]:
    """The date expression nearest the event's words (sentence offsets); else the dispatch's.

    A date behind a new clause ("... since they were ousted in August 2014") dates that
    clause, not the event.
    """
    assert article.published is not None
    usable = [d for d in dates if _same_clause(d, first, last, sentence)]
    if not usable:
        return article.published, Precision.DAY

    def gap(d: DateMention) -> int:
        if d.end <= first:
            return first - d.end
        return 0 if d.start <= last else d.start - last

    best = min(usable, key=gap)
    return best.value.date, best.value.precision


#: Numbers reporters write out ("six miles (10 kilometers)").
NUMBER_WORDS = {
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
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
}


def to_km(number: str, unit: str) -> float | None:
    """A stated distance in km (miles converted); None when the number is not a number.

    Examples
    --------
    >>> to_km("6", "miles"), to_km("ten", "km"), to_km("a few", "km")
    (9.66, 10.0, None)
    """
    raw = number.lower()
    value = float(raw) if raw.replace(".", "", 1).isdigit() else NUMBER_WORDS.get(raw)
    if value is None:
        return None
    return round(value * 1.609344, 2) if unit.lower().startswith("mile") else float(value)


def _distance_km(groups: dict[str, str | None]) -> float | None:
    return to_km(groups.get("num") or "", groups.get("unit") or "km")


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
