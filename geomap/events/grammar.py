"""The rule grammar: patterns over sentence templates, and which rules a sentence may fire."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from geomap.model import (
    EventKind,
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
    #: The same pattern, case-sensitive, for the lower-cased template (placeholders
    #: included: ⟪a0⟫): several times faster than IGNORECASE.
    lower: re.Pattern[str] | None = None


def _rule(name: str, kind: EventKind, pattern: str, realis: bool = True) -> Rule:
    text = pattern.replace("{A}", _A.format(name="a")).replace("{P}", _P.format(name="p"))
    # (?P<v>) marks where the verb starts, for picking the subject (first gap only).
    text = text.replace("{GAP}\\b", "{GAP}\\b(?P<v>)", 1)
    text = text.replace("{A2}", _A.format(name="b")).replace("{GAP}", _GAP)
    text = text.replace("{FROM}", r"(?: from (?:the )?⟪A(?P<frm>\d+)⟫)?")
    text = text.replace("{OBJ}", _OBJ).replace("{DIST}", _DIST).replace("{BESIDE}", _BESIDE)
    text = text.replace("{CAP}", _VERB_CAPTURE).replace("{RECAP}", _VERB_RECAPTURE)
    return Rule(
        name, kind, re.compile(text, re.IGNORECASE), realis, re.compile(lower_pattern(text))
    )


def lower_pattern(pattern: str) -> str:
    r"""``pattern`` in lower case, but for escapes (``\S`` is not ``\s``) and group names.

    >>> print(lower_pattern(r"⟪A(?P<a>\d+)⟫ Took\S(?P=a)"))
    ⟪a(?P<a>\d+)⟫ took\S(?P=a)
    """
    return _KEEP_CASE.sub(lambda m: m.group() if m.group("keep") else m.group().lower(), pattern)


# In a pattern: an escape or a group name (kept as written), or a run of anything else.
_KEEP_CASE = re.compile(r"(?P<keep>\\.|\(\?P[<=]\w+)|[^\\(]+|\(")


RULES: tuple[Rule, ...] = (
    # --- claims that are denied (before the plain capture rules, which they shadow)
    _rule(
        "claim_denied",
        EventKind.CLAIMED_DISPUTED,
        r"{A}{GAP}\bclaim(?:ed|s)? (?:to have|it had|that it had|it has) (?:{CAP}|{RECAP})"
        r" {OBJ}{P}(?=.{0,300}?\b(?:but|however|denied|remains? in control|still (?:held|holds)))",
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

# Words a rule needs (any of them, as lower-case substrings): a sentence without one is not
# tried against the rule. " & " joins groups that must all be there. One Aho-Corasick pass
# per sentence finds which rules may fire.
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
    "relative_recapture": "which|that & recapt|retook|retak|regain",
    "relative_capture": "which|that & captur|seiz|took|overran",
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
    for name, needs in _NEEDS_WORDS.items():
        for group, words in enumerate(needs.split(" & ")):
            for word in words.split("|"):
                keys = automaton.get(word, ())
                automaton.add_word(word, (*keys, (name, group)))
    automaton.make_automaton()
    return automaton


_TRIGGERS: Any = _build_triggers()


def _rules_for(low: str) -> tuple[Rule, ...]:
    """The rules whose needed words occur in ``low`` (a lower-cased template), in order."""
    found: set[tuple[str, int]] = set()
    for _, keys in _TRIGGERS.iter(low):
        found.update(keys)
    return _rules_named(frozenset(found))


_GROUPS = {name: needs.count(" & ") + 1 for name, needs in _NEEDS_WORDS.items()}


@lru_cache(maxsize=4096)
def _rules_named(found: frozenset[tuple[str, int]]) -> tuple[Rule, ...]:
    """The rules all of whose word groups were found (``found``: rule name, group)."""
    return tuple(
        r
        for r in RULES
        if r.name not in _GROUPS or all((r.name, g) in found for g in range(_GROUPS[r.name]))
    )


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


def _slot_start(template: str, m: re.Match[str], group: str) -> int:
    """Where the placeholder whose number group ``group`` captured starts."""
    return template.rfind("⟪", 0, m.start(group))
