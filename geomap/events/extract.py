"""From sentence templates to dated events: the rules applied, subjects, dates, statuses."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from geomap.dates import DateMention
from geomap.events.actors import ActorLexicon, lexicon_for
from geomap.events.grammar import (
    Rule,
    _family,
    _is_irrealis,
    _rules_for,
    _slot_start,
)
from geomap.events.lexicon import ControlLexicon, load_control_lexicon
from geomap.events.reader import ReadContext, read_events
from geomap.events.templates import (
    _GOV_WORD,
    SentenceTemplate,
    Slot,
    _child_of,
    iter_templates,
)
from geomap.gazetteer import Gazetteer
from geomap.model import (
    SITE_KINDS,
    Article,
    ClaimStatus,
    Event,
    EventKind,
    Mention,
    Place,
    PlaceKind,
    Precision,
)

_CLAIM_WORDS = re.compile(r"\b(?:claim(?:ed|s|ing)?|said it had|says it has|announced)\b", re.I)


_ATTRIBUTION = re.compile(
    r"\b(?P<who>(?:the )?(?:Syrian )?Observatory(?: for Human Rights)?|SOHR|state (?:news agency|media"
    r"|TV|television)|SANA|activists?|a monitor|the monitor|local sources|the (?:army|military)"
    r" command|Anadolu(?: Agency)?|Ankara|Amaq|the Pentagon|the coalition|officials|a military"
    r" source|rebels|AFP reporters|AFP|AP|Reuters)\b[^.]{0,30}?\b(?:said|says|reported|reports|told"
    r"|announced|confirmed|claimed)",
    re.IGNORECASE,
)


# Places an event can be about: sites, and provinces and regions ("entered Raqqa province").
_EVENT_KINDS_PLACES = SITE_KINDS | {PlaceKind.PROVINCE, PlaceKind.REGION, PlaceKind.VALLEY}


@dataclass(frozen=True)
class _Context:
    """What every rule application of one article needs."""

    article: Article
    gazetteer: Gazetteer
    lexicon: ActorLexicon


def extract_events(
    article: Article,
    gazetteer: Gazetteer,
    mentions: Sequence[Mention] | None = None,
    lexicon: ActorLexicon | None = None,
    templates: Sequence[SentenceTemplate] | None = None,
    control_lexicon: ControlLexicon | None = None,
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
    if templates is None:
        templates = list(iter_templates(article, gazetteer, mentions, lexicon))
    control = ReadContext(article, gazetteer, lexicon, control_lexicon or load_control_lexicon())
    events = read_events(control, templates)
    # Movement and attacks (no change of control; a distance to a place): the template rules.
    for sentence in templates:
        if "⟪A" in sentence.template or _GOV_WORD.search(sentence.template):
            events.extend(e for e in _apply_rules(ctx, sentence) if e.kind in _MOVEMENT)
    events.sort(key=lambda e: (e.evidence_start, e.kind is not EventKind.HELD_BY))
    return _dedupe(events)


#: Kinds the template rules still read: they move no control.
_MOVEMENT = (EventKind.ATTACKED, EventKind.ADVANCED_TO)


def _apply_rules(ctx: _Context, sent: SentenceTemplate) -> list[Event]:
    """Run every rule over one sentence template; one event family per place."""
    events: list[Event] = []
    used: set[tuple[str, EventKind]] = set()
    low = sent.template.lower()
    folded = len(low) == len(sent.template)  # else match the template itself, ignoring case
    for rule in _rules_for(low):
        pattern = rule.lower if folded and rule.lower is not None else rule.pattern
        for m in pattern.finditer(low if pattern is rule.lower else sent.template):
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
    at = sent.offset(verb_at) - sent.start
    after = sent.offset(m.end("p") + 1) - sent.start
    dates = sent.dates
    date, precision = _date_for(dates, at, max(at, after), sentence, article)
    if _SUBORDINATE.search(template[:verb_at]) and not any(d.start >= at for d in dates):
        return []  # "... brought back after it first captured Palmyra": earlier, undated
    if kind is EventKind.HELD_BY:
        dated = _held_since(dates, sentence)
        if dated is None and _PAST_PERFECT.search(template[: _slot_start(template, m, "p")]):
            return []  # "had held X until ...": not the present, and no date to put it on
        assert article.published is not None
        date, precision = dated or (article.published, Precision.DAY)
    elif not dates and _PAST_PERFECT.search(template[: _slot_start(template, m, "p")]):
        return []  # "Daesh had held Palmyra until it lost the city": earlier, but when?
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
    """Who the sentence says said it ("the Observatory said"), or ""."""
    low = sentence.lower()
    if not any(verb in low for verb in _ATTRIBUTION_VERBS):
        return ""  # most sentences: no saying verb, nothing to search
    m = _ATTRIBUTION.search(sentence)
    return " ".join(m.group("who").split()) if m else ""


# Every _ATTRIBUTION match ends with one of these (lower case).
_ATTRIBUTION_VERBS = ("said", "says", "report", "told", "announced", "confirmed", "claimed")


def _dedupe(events: list[Event]) -> list[Event]:
    seen: set[tuple[str, str, str | None, object, int]] = set()
    out = []
    for e in events:
        key = (e.place.id, e.kind.value, e.actor, e.date, e.evidence_start)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out
