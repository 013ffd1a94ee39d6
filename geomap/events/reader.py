"""The event reader: parsed sentences and their frame readings turned into dated events.

For each sentence that can hold an event (a place, a side or a held-adjective, and a word of
the control lexicon: :func:`~geomap.events.parse.may_hold_event`), the sentence is parsed
(:mod:`~geomap.events.parse`), read with the control lexicon's frames
(:mod:`~geomap.events.frames`), and each reading becomes an :class:`~geomap.model.Event`:
the side resolved for the place's country, the date from the clause that states it, the
status from its modality, and the rule that made it (frame, voice, role and path).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from geomap.dates import DateMention
from geomap.events.actors import ActorLexicon
from geomap.events.frames import Reading, read_frames
from geomap.events.lexicon import ControlLexicon
from geomap.events.parse import ParsedSentence, lemma_candidates, may_hold_event, parse_sentences
from geomap.events.templates import REFERS_BACK, SentenceTemplate
from geomap.gazetteer import Gazetteer
from geomap.model import (
    PARTIAL,
    SITE_KINDS,
    Article,
    ClaimStatus,
    Event,
    EventKind,
    Place,
    PlaceKind,
    Precision,
)
from geomap.namesakes import distance_km

if TYPE_CHECKING:
    from spacy.tokens import Token

#: Places an event can be about: sites, and provinces, regions and valleys.
EVENT_PLACE_KINDS = SITE_KINDS | {PlaceKind.PROVINCE, PlaceKind.REGION, PlaceKind.VALLEY}

#: Clause openers that put an undated event before the sentence's own time.
_EARLIER_MARKS = frozenset({"since", "before", "until"})
#: "after it first captured Palmyra": an undated earlier event.
_HISTORY_ADVERBS = frozenset({"first", "initially", "originally", "previously", "once", "formerly"})
_EARLIER_WORDS = _HISTORY_ADVERBS | {"earlier", "already", "before"}
_SPEECH = frozenset({"say", "report", "tell", "claim", "announce", "add", "confirm", "state"})


def _clause_tokens(token: Token) -> set[int]:
    """The token indices of the clause that states a reading: its nearest verb and what
    hangs from it, less the clauses of their own inside (relative, adverbial, reported)."""
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    out: set[int] = set()
    stack = [verb]
    while stack:
        node = stack.pop()
        out.add(node.i)
        for child in node.children:
            own = child.dep_ in ("relcl", "advcl", "ccomp", "acl") and token.i not in {
                t.i for t in child.subtree
            }
            if not own:
                stack.append(child)
    return out


def _token_at(parsed: ParsedSentence, offset: int) -> int:
    """The index of the token whose text covers article offset ``offset``."""
    return max(0, bisect_right(parsed.origin, offset) - 1)


def _reported(token: Token) -> bool:
    """Whether a verb is the content of a past speech verb ("said X had seized Y")."""
    node = token
    for _ in range(4):
        head = node.head
        if head.i == node.i:
            return False
        if node.dep_ in ("ccomp", "xcomp") and head.lemma_.lower() in _SPEECH:
            # "had earlier reported that rebels had surrounded": not the dispatch's news
            return not any(c.lower_ in _EARLIER_WORDS for c in head.children)
        node = head
    return False


@dataclass(frozen=True)
class ReadContext:
    """What reading one article needs."""

    article: Article
    gazetteer: Gazetteer
    actors: ActorLexicon
    control: ControlLexicon


def read_events(ctx: ReadContext, templates: Sequence[SentenceTemplate]) -> list[Event]:
    """Every control event the article's sentences state, in text order."""
    wanted = sentences_to_parse(templates, ctx.control)
    if not wanted:
        return []
    sides = _sides_before(ctx, templates)
    holders = _holders(ctx.actors)
    generic = _generic_sides(ctx)
    events: list[Event] = []
    for parsed in parse_sentences(wanted, ctx.article.text, ctx.control):
        before = sides.get(id(parsed.template), ())
        besieger = _story_besieger(ctx.actors, events)
        taking = _story_taking(events)
        taker = _story_side(ctx.actors, taking.actor) if taking and taking.actor else None
        readings = read_frames(
            parsed, ctx.control, before, holders, generic, ctx.article.text, besieger, taker
        )
        for reading in readings:
            event = _to_event(ctx, parsed, reading)
            if event is not None and not _not_the_storys_taking(event, taking):
                events.append(event)
    return events + _answered_claims(events)


def sentences_to_parse(
    templates: Sequence[SentenceTemplate], control: ControlLexicon
) -> list[SentenceTemplate]:
    """The sentences :func:`read_events` parses (the gate): those that can hold an event,
    and those that may state one about a place named before.

    Public so that an ingest can parse the sentences of many articles in one run of the
    pipeline (:func:`~geomap.events.parse.parsing_ahead`) before reading them.
    """
    return [t for t in templates if may_hold_event(t, control) or _refers_back(t, control)]


#: A sentence that answers an earlier claim ("SOHR, however, said IS was still present").
_ANSWER = re.compile(r"\b(?:however|but|still|only|less than|not yet)\b", re.IGNORECASE)


def _answered_claims(events: Sequence[Event]) -> list[Event]:
    """A side's full control of a place, stated in the article, answered later by a
    statement that it holds only part ("rebels said they took al-Bab ... the Observatory,
    however, said the rebels held less than half of it"): the claim is disputed."""
    out: list[Event] = []
    for answer in events:
        if not (answer.partial and answer.kind is EventKind.HELD_BY and answer.actor):
            continue
        if _ANSWER.search(answer.evidence) is None:
            continue
        claimed = any(
            e.place.id == answer.place.id
            and e.actor == answer.actor
            and not e.partial
            # a taking, or a holding stated as a claim (a past full hold is no claim)
            and (
                e.kind in (EventKind.CAPTURED, EventKind.RECAPTURED)
                or (e.kind is EventKind.HELD_BY and e.status is not ClaimStatus.ASSERTED)
            )
            and e.evidence_start < answer.evidence_start
            # a claim of these days ("Ramadi fell to IS in May ... parts of the city remain
            # under IS control" in December is no claim answered: IS has lost ground since)
            and abs((answer.date - e.date).days) <= 7
            for e in events
        )
        if claimed:
            out.append(
                replace(
                    answer,
                    kind=EventKind.CLAIMED_DISPUTED,
                    status=ClaimStatus.DISPUTED,
                    controller_after=None,
                    rule=answer.rule.removesuffix(PARTIAL) + ":answers-claim",
                )
            )
    return out


def _refers_back(template: SentenceTemplate, control: ControlLexicon) -> bool:
    """A sentence that names a side and no place but may state an event about a place named
    before ("seven neighborhoods are under the control of X", "X recaptured it"): a word of
    the control lexicon decides."""
    text = template.template
    if "⟪P" in text or "⟪A" not in text or not template.history:
        return False
    if REFERS_BACK.search(text) is None:
        return False
    words = re.findall(r"[a-z]+", text.lower())
    forms = control.irregular_forms
    return any(c in control.trigger_words for w in words for c in lemma_candidates(w, forms))


def _generic_sides(ctx: ReadContext) -> dict[str, str]:
    """The generic words' sides this article switches: to the alternative of an entry of
    ``generic_sides`` (control.yaml) when the article names the alternative by name and
    never the default ("the jihadists" in an article on Nusra and never on IS)."""
    text = ctx.article.text
    hits = [(h.code, text[h.start : h.end].lower()) for h in ctx.actors.find(text)]
    out: dict[str, str] = {}
    for entry in ctx.control.generic_sides:
        named = {code for code, surface in hits if surface not in entry.words}
        if entry.alternative in named and entry.default not in named:
            out.setdefault(entry.default, entry.alternative)
    return out


#: Kinds of event whose side took ground: the side a later agentless passive means.
_TAKINGS = frozenset({EventKind.CAPTURED, EventKind.RECAPTURED, EventKind.ENTERED})


def _story_taking(events: Sequence[Event]) -> Event | None:
    """The latest taking of ``events`` (the article so far) that the text asserts: its side
    took a place in a later passive that names no one, nearby ("Troops recaptured X on
    Sunday. The nearby town of Y was retaken on Monday")."""
    return next(
        (
            e
            for e in reversed(events)
            if e.kind in _TAKINGS and e.actor and e.status is ClaimStatus.ASSERTED
        ),
        None,
    )


#: How near the story's last taking a passive with no agent must be, in km and in
#: characters of text, to be that side's.
_STORY_TAKING_KM = 100.0
_STORY_TAKING_CHARS = 1000


def _not_the_storys_taking(event: Event, taking: Event | None) -> bool:
    """An event read with the side of the story's last taking (a passive with no agent)
    that cannot be that side's: far from that taking (in km or in the text: another front
    of a round-up), or the recapture of the very place that side took ("Palmyra fell to
    IS in 2015 and was recaptured in 2016")."""
    if taking is None or ":passive-story-taker" not in event.rule:
        return False
    if event.evidence_start - taking.evidence_start > _STORY_TAKING_CHARS:
        return True
    if distance_km(event.place, taking.place) > _STORY_TAKING_KM:
        return True
    return (
        event.place.id == taking.place.id
        and event.kind is EventKind.RECAPTURED
        and taking.kind is not EventKind.RECAPTURED
    )


def _story_besieger(
    actors: ActorLexicon, events: Sequence[Event]
) -> tuple[str, frozenset[str], str] | None:
    """The side besieging in the latest siege of ``events`` (the article so far), with the
    codes that name it (itself and the generic ones that resolve to it: "GOV") and the
    country it fights in ("" for a side of no one country)."""
    code = next((e.besieger for e in reversed(events) if e.besieger), None)
    if code is None:
        return None
    return _story_side(actors, code)


def _story_side(actors: ActorLexicon, code: str) -> tuple[str, frozenset[str], str]:
    """A side with the codes that name it and the country it fights in."""
    generic = {g for g, a in actors.actors.items() if code in dict(a.resolves).values()}
    side = actors.actors.get(code)
    return code, frozenset({code, *generic}), side.country if side is not None else ""


def _holders(actors: ActorLexicon) -> frozenset[str]:
    """Codes that may hold ground, generic ones ("government forces") included."""
    return frozenset(
        code for code, actor in actors.actors.items() if actor.holds_ground or actor.resolves
    )


def _sides_before(
    ctx: ReadContext, templates: Sequence[SentenceTemplate]
) -> dict[int, tuple[str, ...]]:
    """For each template, the ground-holding sides named before it, latest first."""
    out: dict[int, tuple[str, ...]] = {}
    seen: list[str] = []
    for t in templates:
        out[id(t)] = tuple(reversed(seen[-6:]))
        named = [
            s.code for s in t.slots if s.kind == "A" and s.surface.lower() not in ("it", "they")
        ]
        held = [c for c in named if ctx.actors.holds_ground(c) or c in ("GOV", "KURDS")]
        if held:
            seen.extend(dict.fromkeys(held))
    return out


def _to_event(ctx: ReadContext, parsed: ParsedSentence, r: Reading) -> Event | None:
    sent = parsed.template
    if r.place >= 0 and f"⟫ (⟪P{r.place}⟫)" in sent.template:
        # "the liberation of Hawija (Kirkuk province)": where it lies, no more; what an
        # apposition after it says ("..., the last IS stronghold") is of the name before
        before = re.search(rf"⟪P(\d+)⟫ \(⟪P{r.place}⟫\)", sent.template)
        if before is None or not r.rule.startswith("stronghold:"):
            return None
        r = replace(r, place=int(before.group(1)))
    slot = sent.slots[r.place] if r.place >= 0 else sent.history[-1 - r.place]
    place = slot.place
    if place is not None and r.area:  # "the canton of Kobane": the region named after it
        place = next(
            (p for p in ctx.gazetteer.named_after(place.id) if p.kind is PlaceKind.REGION), place
        )
    if (
        place is not None
        and _PROVINCE_NAMED.search(r.rule)
        and place.kind not in (PlaceKind.PROVINCE, PlaceKind.REGION)
    ):
        # "parts of Hama, Aleppo and Latakia governorates": the provinces, not the cities;
        # "Raqqa's northern countryside": the rural part of the city's province
        place = ctx.gazetteer.province_of(place) or place
    if place is None or place.kind not in EVENT_PLACE_KINDS:
        return None
    if _CITY_PART_NAMED.search(r.rule) and _far_from_city(sent, r, place):
        # "took over the neighbourhoods of Malayeen, Samah, Khadra" in Mosul: names the
        # gazetteer holds only as villages elsewhere are not those neighbourhoods
        return None
    from geomap.events.extract import _feature_child  # shared with the template rules

    if r.place >= 0:
        at_template = sent.template.find(f"⟪P{r.place}⟫")
        place = _feature_child(ctx.gazetteer, sent.template, at_template, place)
    resolve = ctx.actors.resolve
    actor = resolve(r.actor, place) if r.actor else None
    winner = resolve(r.winner, place) if r.winner else None
    previous = resolve(r.previous, place) if r.previous else None
    kind, status = r.kind, r.status
    if kind is EventKind.CAPTURED and actor is None and winner is not None:
        actor = winner  # "Palmyra fell to IS"
    rule = r.rule
    if r.partial:
        rule += PARTIAL  # "captured 60 percent of Raqa": the timeline makes it contested
    if status is ClaimStatus.NEGATED:
        if kind not in (EventKind.CAPTURED, EventKind.RECAPTURED, EventKind.CLAIMED_DISPUTED):
            return None  # "did not withdraw", "no longer holds": no event to place
        kind = EventKind.CLAIMED_DISPUTED
    if not ctx.actors.holds_ground(actor) or actor == previous:
        return None
    home = ctx.actors.actors[actor].country if actor in ctx.actors.actors else ""
    if home and place.country and home != place.country and not place.curated:
        # "Turkish-backed FSA forces captured the town of Bazaa": the Syrian village of
        # that name, not its namesake in Iraq that the name alone chose
        place = _namesake_in(ctx.gazetteer, slot.surface, place, home, sent) or place
    if actor in _HOME_SIDES and place.country and ctx.actors.actors[actor].country != place.country:
        # "Islamist militias seized a Benghazi district" are not the Syrian rebels; "Turkish
        # troops moved from Gaziantep" hold no Turkish city for the rebels they back
        return None
    # "captured 60 percent of Raqa": no controller yet; "controls most of X": the holder of
    # most of it (the timeline still makes the place contested)
    most = any(f"{word}-" in r.rule for word in ctx.control.majority_nouns)
    controller = (
        None if rule.endswith(PARTIAL) and not most else _controller(kind, actor, winner, previous)
    )
    besieger = actor if kind is EventKind.BESIEGED else None
    if kind is EventKind.SIEGE_BROKEN:
        besieger = previous
    if r.hedged and status is ClaimStatus.ASSERTED:
        status = ClaimStatus.CLAIMED
    text = ctx.article.text
    sentence = text[sent.start : sent.end]
    dated = _date(ctx, parsed, r, slot.end if r.place >= 0 else parsed.origin[r.token])
    if dated is None:
        return None
    date, precision = dated
    confidence = 0.9 if status is ClaimStatus.ASSERTED else 0.6
    confidence -= 0.1 if r.partial else 0.0
    from geomap.events.extract import _attribution

    return Event(
        place=place,
        kind=kind,
        actor=actor,
        controller_after=controller,
        date=date,
        precision=precision,
        status=status,
        evidence=sentence.strip(),
        article_id=ctx.article.id,
        confidence=round(confidence, 2),
        rule=rule,
        attribution=_attribution(sentence),
        source=ctx.article.source,
        evidence_start=ctx.article.offset + sent.start,
        evidence_end=ctx.article.offset + sent.end,
        besieger=besieger,
        surface=slot.surface,
        previous=previous if kind in (EventKind.CAPTURED, EventKind.RECAPTURED) else None,
    )


def _namesake_in(
    gaz: Gazetteer, surface: str, place: Place, country: str, sent: SentenceTemplate
) -> Place | None:
    """The place of the same name and kind of site in ``country``, the nearest to the other
    places of the sentence and the ones before it (the first listed when none is placed)."""
    if not surface.strip() or len(surface) > 200:
        return None
    named = [
        c.place
        for c in gaz.resolve(surface, limit=50)
        if c.how != "fuzzy" and c.place.country == country and c.place.kind is place.kind
    ]
    if not named:
        return None
    around = [
        s.place
        for s in (*sent.slots, *sent.history)
        if s.kind == "P" and s.place is not None and s.place.country == country
    ]
    if not around:
        return named[0]
    return min(named, key=lambda p: min(distance_km(p, a) for a in around))


#: Sides that fight over their own country only (the Kurds and the governments' forces
#: are read by the place's country already; the Kurds crossed borders).
_HOME_SIDES = frozenset({"REBELS", "TFSA", "GNA_LY", "LNA_LY"})


def _controller(
    kind: EventKind, actor: str | None, winner: str | None, previous: str | None
) -> str | None:
    if kind in (EventKind.CAPTURED, EventKind.RECAPTURED, EventKind.HELD_BY):
        return actor
    if kind in (EventKind.REPELLED, EventKind.SIEGE_BROKEN):
        return actor
    if kind in (EventKind.LOST, EventKind.WITHDREW):
        return winner
    return None


def _date(
    ctx: ReadContext, parsed: ParsedSentence, r: Reading, place_end: int
) -> tuple[dt.date, Precision] | None:
    """The date of the clause that states the reading; None when it is undatable and
    earlier than the sentence ("after it first captured Palmyra", "had held X until"). An
    undated past perfect of a change is dated to the publication, to the month."""
    from geomap.events.extract import _date_for, _held_since

    sent = parsed.template
    article = ctx.article
    assert article.published is not None
    sentence = article.text[sent.start : sent.end]
    dates: list[DateMention] = sent.dates
    token = parsed.doc[r.token]
    at = parsed.origin[r.token] - sent.start
    after = place_end - sent.start
    perfect = any(c.lemma_ == "have" and c.tag_ == "VBD" for c in token.children)
    if perfect and _reported(token):
        perfect = False  # "the monitor said IS had taken X": reported speech, shifted back
    if r.static:
        clause = _clause_tokens(token)
        own = [d for d in dates if _token_at(parsed, sent.start + d.start) in clause]
        since = _held_since(own, sentence)
        if since is None and (r.area or r.rule.startswith("stronghold:")):
            since = _side_since(parsed, r, dates, sentence)  # a noun of holding, no tense
        if since is None and perfect:
            return None  # "had held X": not the present, and no date to put it on
        if since is None and own:  # "which is under army control ... yesterday"
            best = min(own, key=lambda d: abs(d.start - at))
            if best.value.precision is Precision.DAY and best.value.date <= article.published:
                return best.value.date, best.value.precision
        return since or (article.published, Precision.DAY)
    # "the first time the troops pushed into the province since 2014": a change is not
    # dated by the "since" of the time before it (a siege "since 2015" began then)
    if r.kind is not EventKind.BESIEGED:
        dates = [d for d in dates if not _since(sentence, d)]
    earlier = any(
        (c.dep_ == "mark" and c.lower_ in _EARLIER_MARKS)
        or (c.dep_ == "advmod" and c.lower_ in _HISTORY_ADVERBS)
        for c in token.children
    ) or (token.dep_ == "pcomp" and token.head.lower_ == "since")  # "since capturing it"
    if earlier and not any(d.start >= at for d in dates):
        return None
    if perfect and not dates:
        # "rebels had seized control of Ramosa": done by the time of writing, on no day the
        # text gives; the publication day, known only to the month
        return article.published, Precision.MONTH
    own = [d for d in dates if _token_at(parsed, sent.start + d.start) in _dating_tokens(token)]
    if own:  # a date of the event's own clause: the nearest
        best = min(own, key=lambda d: abs(d.start - at))
        return best.value.date, best.value.precision
    # "X was lost to IS after the army withdrew over the weekend": with no date of its own,
    # the time of the clause it follows or goes with
    for child in token.children:
        if child.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ in ("after", "as", "when", "once") for m in child.children
        ):
            timed = _clause_tokens(child)
            tied = [d for d in dates if _token_at(parsed, sent.start + d.start) in timed]
            if tied:
                best = min(tied, key=lambda d: abs(d.start - at))
                return best.value.date, best.value.precision
    if not dates and _goes_on(sent, r):
        # "IS attacked Palmyra on Tuesday, seeking to capture the town. Government forces
        # later withdrew from the town": an undated sentence that goes on with the story of
        # the one before, by a description of its place, is of that day
        day = sent.episode_day()
        if day is not None:
            return day, Precision.DAY
    return _date_for(dates, at, max(at, after), sentence, article)


def _since(sentence: str, mention: DateMention) -> bool:
    """Whether a date is the start of a period ("since 2014")."""
    said = sentence[: mention.end].lower()
    if said[mention.start :].startswith("since"):
        return True
    before = said[: mention.start].rstrip()
    return before.endswith("since") and (len(before) == 5 or not before[-6].isalnum())


#: A name before "province(s)"/"governorate(s)" ("Hama, Aleppo and Latakia governorates"),
#: a city's countryside, the villages of a story on a city: of the province.
_PROVINCE_NAMED = re.compile(
    r"\b(?:(?:province|governorate)-compound-|countryside-(?:compound|of|poss)-|in-city-province-ref)"
)

#: A name as a city part ("the neighbourhoods of X", "the X and Y districts").
_CITY_PART_NAMED = re.compile(
    r"\b(?:neighbou?rhood|district|quarter|suburb)-(?:of|compound|including)-(?:appos-)?name"
)
#: How far from its city a place named as one of its parts may lie.
CITY_PART_KM = 25.0


def _far_from_city(sent: SentenceTemplate, r: Reading, place: Place) -> bool:
    """Whether a place named as a part of a city lies far from the last city the text
    named (in the sentence before the reading's place, or in the sentences before)."""
    if place.kind not in (PlaceKind.VILLAGE, PlaceKind.TOWN):
        return False  # a neighbourhood; or the city itself ("the neighborhoods of Deir el-Zour")
    from geomap.namesakes import distance_km

    at = sent.slots[r.place].start if r.place >= 0 else sent.start
    # (the sentences before, then this one up to the place: the nearest city is the last)
    named = [*sent.history, *(s for s in sent.slots if s.kind == "P" and s.start < at)]
    city = next(
        (
            s.place
            for s in reversed(named)
            if s.place is not None and s.place.kind is PlaceKind.CITY and s.place.id != place.id
        ),
        None,
    )
    return city is not None and distance_km(city, place) > CITY_PART_KM


#: Descriptions that point back to a place named before ("the base", "the town", "it").
_POINTING = re.compile(r"(?:the|this|that)\s|it$", re.IGNORECASE)


def _goes_on(sent: SentenceTemplate, r: Reading) -> bool:
    """Whether the reading's place is a description or pronoun that points back."""
    if r.place < 0:
        return True
    return bool(_POINTING.match(sent.slots[r.place].surface))


def _side_since(
    parsed: ParsedSentence, r: Reading, dates: Sequence[DateMention], sentence: str
) -> tuple[dt.date, Precision] | None:
    """A "since" date of another clause whose side is the reading's: "the Kurds have run
    autonomous administrations since 2012, and Al-Bab lies between the cantons of Kobane and
    Afrin" (the cantons are theirs since 2012)."""
    from geomap.events.extract import _held_since

    sent = parsed.template
    for d in dates:
        since = _held_since([d], sentence)
        if since is None:
            continue
        clause = _clause_tokens(parsed.doc[_token_at(parsed, sent.start + d.start)])
        codes = {
            slot.code for i in clause if (slot := parsed.slot(i)) is not None and slot.kind == "A"
        }
        if r.actor in codes:
            return since
    return None


def _dating_tokens(token: Token) -> set[int]:
    """The tokens whose date expressions date the event of ``token``: its clause, and the
    static relative clauses inside it ("a military airport which is under the army's
    control in the city yesterday": the parser often hangs the date there)."""
    clause = _clause_tokens(token)
    out = set(clause)
    for i in clause:
        for child in token.doc[i].children:
            if child.dep_ == "relcl" and child.lemma_ == "be" and child.tag_ in ("VBZ", "VBP"):
                out.update(t.i for t in child.subtree)
    return out
