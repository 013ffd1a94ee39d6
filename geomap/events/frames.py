"""Frames read off a dependency parse: who did what to which place, said how.

One small function per frame family walks the parse of one sentence
(:class:`~geomap.events.parse.ParsedSentence`) with the words of the control lexicon
(:mod:`~geomap.events.lexicon`):

* :func:`_verb_readings`: verb frames in active and passive voice ("IS seized Palmyra",
  "Palmyra was retaken by the army", "Palmyra fell to IS", "drove IS out of Manbij",
  "laid siege to Deir Ezzor", "repelled an attack on the base", "IS controls Raqqa"),
  their subjects through auxiliaries, xcomps ("managed to drive out"), conjunctions,
  participles and relative clauses;
* :func:`_noun_readings`: "the fall of Palmyra to IS", "the army's capture of Aleppo";
* :func:`_held_readings`: "IS-held Raqqa", "rebel-besieged Kefraya";
* :func:`_under_readings`: "under IS control", "in the hands of the army";
* :func:`_stronghold_readings`: "Raqqa, the jihadists' de facto capital".

Places are reached through "of", appositions, coordination and compounds ("the towns of
Ain Issa and Suluk", "its stronghold, the city of Raqa"), never through "near" or "north
of". A place reached through a part ("60 percent of Raqa") makes the event partial.
Every reading names its frame and the path that found it (``capture:obj``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from geomap.events.lexicon import ControlLexicon, NounFrame, Sponsorship, VerbFrame
from geomap.events.parse import ParsedSentence, lemma_candidates
from geomap.model import SITE_KINDS, ClaimStatus, EventKind, PlaceKind

if TYPE_CHECKING:
    from spacy.tokens import Token

    from geomap.events.templates import Slot

#: Nouns that stand for the place they name ("the town of X", "Raqqa city").
PLACE_NOUNS = frozenset(
    "town city village villages towns cities area areas region province countryside district "
    "neighbourhood neighborhood suburb base airbase airport dam field oilfield hill hills "
    "mountain border crossing capital centre center stronghold bastion enclave outskirts "
    "territory territories governorate municipality settlement settlements hamlet hamlets "
    "locality quarter camp refinery plant station checkpoint airfield pocket".split()
)
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")
_PRONOUNS = frozenset({"it", "they", "them", "he", "she", "his", "we", "its", "their", "our", "us"})
_RELATIVE = frozenset({"which", "that", "who", "whom", "whose"})
#: Dependents that open a clause of their own.
_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "csubj"})
#: How a sponsor's participle hangs from the side it backs.
_SPONSOR_DEPS = frozenset({"amod", "acl", "relcl", "compound", "npadvmod", "appos"})


@dataclass(frozen=True)
class Reading:
    """One event a sentence states, before dating: indices into the parse and its slots."""

    kind: EventKind
    place: int  # slot index of the place
    actor: str | None  # actor code as found (GOV is resolved later, by the place's country)
    token: int  # the word that states it (verb or noun)
    rule: str
    previous: str | None = None
    winner: str | None = None
    status: ClaimStatus = ClaimStatus.ASSERTED
    partial: bool = False
    static: bool = False
    hedged: bool = False
    #: The event is about the area named after the place ("the canton of Kobane").
    area: bool = False


@dataclass
class _Walk:
    """What every frame function of one sentence needs."""

    parsed: ParsedSentence
    lexicon: ControlLexicon
    #: Sides named in earlier sentences, latest first: what "they" and "the group" mean.
    sides: Sequence[str]
    #: Codes that may hold ground (supporters such as "the coalition" do not).
    holders: frozenset[str] = frozenset()
    #: Generic words' sides that this article switches (default -> alternative, e.g.
    #: "the jihadists" are the rebels in an article that names rebel factions, not IS).
    generic: Mapping[str, str] = field(default_factory=dict)
    #: The article's text (to read the prefix of a held-adjective: "jihadist-held").
    text: str = ""
    #: The side besieging in the latest siege the article stated before this sentence, with
    #: the generic codes that name it ("GOV" for GOV_SY): who besieges in a passive with no
    #: agent ("the soldiers who have been besieged").
    besieger: tuple[str, frozenset[str], str] | None = None
    #: The tokens standing for a place described with a siege adjective ("the besieged
    #: city"), found once a sentence (see _sieged_descriptions).
    sieged: frozenset[int] = frozenset()
    #: The side of the latest taking the article stated before this sentence (and the
    #: generic codes that name it, and the country it fights in): who took a place in a
    #: passive with no agent ("Manbij was recaptured late Friday").
    taker: tuple[str, frozenset[str], str] | None = None

    def actor_code(self, token: Token) -> str | None:
        slot = self.parsed.slot(token.i)
        if slot is not None and slot.kind == "A":
            for sponsorship in self.lexicon.sponsorships:
                if slot.code in sponsorship.clients and self._sponsored(token, sponsorship):
                    return sponsorship.becomes  # "Turkish-backed rebels"
            if slot.surface.lower() in ("the group", "they") and token.dep_ == "nsubj":
                earlier = self._subject_before(token)
                if earlier is not None:
                    return earlier  # "The YPG controls X after the group captured Y"
            if slot.surface.lower() in ("them", "it") and token.dep_ == "dobj":
                other = self._other_than_subject(token, slot.code)
                if other is not None:
                    return other  # "setback for IS, after the army drove them out"
            return self._generic(slot.code, slot.surface)
        code = self.parsed.held.get(token.i)
        if code is not None and self.generic:
            at = self.parsed.origin[token.i]
            prefix = re.match(r"[A-Za-z]+", self.text[at : at + 40])
            if prefix is not None:
                return self._generic(code, prefix.group())
        return code

    def _subject_before(self, token: Token) -> str | None:
        """The side named as a subject earlier in the sentence, if one is ("the group"
        then means it rather than the Islamic State)."""
        for t in reversed(token.doc[: token.i]):
            slot = self.parsed.slot(t.i)
            if slot is not None and slot.kind == "A" and t.dep_ in ("nsubj", "nsubjpass"):
                return slot.code if slot.code in self.holders else None
        return None

    def _other_than_subject(self, token: Token, code: str) -> str | None:
        """An object pronoun is not its verb's subject: the last other side named before."""
        subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
        if subject is None or self.actor_code(subject) != code:
            return None
        for t in reversed(token.doc[: subject.i]):
            slot = self.parsed.slot(t.i)
            if slot is not None and slot.kind == "A" and slot.code != code:
                return slot.code if slot.code in self.holders else None
        return None

    def _generic(self, code: str, surface: str) -> str:
        """The side a word names in this article ("the jihadists": IS, or the rebels)."""
        switched = self.generic.get(code)
        if switched is not None:
            low = surface.lower()
            for entry in self.lexicon.generic_sides:
                if entry.default == code and entry.alternative == switched and low in entry.words:
                    return switched
        return code

    def _sponsored(self, side: Token, sponsorship: Sponsorship) -> bool:
        """Whether a side's own phrase names the sponsor: "Turkish-backed rebels", "rebels
        backed by Turkey", "the FSA, which is supported by the Turkish army"."""
        participles = self.lexicon.sponsor_participles
        found = [c for c in side.children if c.lower_ in participles and c.dep_ in _SPONSOR_DEPS]
        if side.dep_ == "nsubj" and side.head.lower_ in participles:  # "rebels backed by X"
            found.extend(c for c in side.head.children if c.dep_ == "agent" or c.lower_ == "by")
        for participle in found:
            for t in participle.subtree:
                slot = self.parsed.slot(t.i)
                if t.lower_ in sponsorship.sponsor_words or (
                    slot is not None
                    and (
                        slot.code in sponsorship.sponsor_codes
                        or (
                            slot.place is not None
                            and slot.place.country in sponsorship.sponsor_countries
                        )
                    )
                ):
                    return True
        return False

    def place_slot(self, token: Token) -> int | None:
        index = int(self.parsed.slot_of[token.i])
        if index >= 0 and self.parsed.template.slots[index].kind == "P":
            return index
        return None

    def modal(self, name: str) -> frozenset[str]:
        return self.lexicon.modality.get(name, frozenset())


def read_frames(
    parsed: ParsedSentence,
    lexicon: ControlLexicon,
    sides: Sequence[str] = (),
    holders: frozenset[str] = frozenset(),
    generic: Mapping[str, str] | None = None,
    text: str = "",
    besieger: tuple[str, frozenset[str], str] | None = None,
    taker: tuple[str, frozenset[str], str] | None = None,
) -> list[Reading]:
    """Every reading of one parsed sentence, one per (place, kind), in token order.

    ``sides`` are the sides named in the sentences before (latest first); ``holders`` the
    codes that may hold ground (a supporter named as subject gives way to the side it
    names: "a coalition of rebels took X"); ``generic`` the generic words' sides this article
    switches ("the jihadists" are the rebels here); ``text`` the article's text;
    ``besieger`` the side besieging in the latest siege the article stated before, with the
    codes that name it and the country it fights in ("" for any); ``taker`` the same of
    the latest taking.
    """
    walk = _Walk(parsed, lexicon, sides, holders, dict(generic or {}), text, besieger)
    walk.taker = taker
    found: list[Reading] = []
    held = parsed.held
    sieged = walk.sieged = _sieged_descriptions(walk)
    for token in parsed.doc:
        if (
            token.i not in held
            and token.i not in sieged
            and not _may_open(lexicon, token.lower_, token.lemma_)
        ):
            continue  # no frame starts at this word (most words): skip the frame functions
        found.extend(_verb_readings(walk, token))
        found.extend(_noun_readings(walk, token))
        found.extend(_held_readings(walk, token))
        found.extend(_besieged_readings(walk, token))
        found.extend(_under_readings(walk, token))
        found.extend(_stronghold_readings(walk, token))
        found.extend(_area_readings(walk, token))
        found.extend(_owned_control_readings(walk, token))
    if not found:
        return found
    return _dedupe(_spread_lists(walk, _disputes(walk, _held_until_taken(_defenders(found)))))


def _may_open(lexicon: ControlLexicon, word: str, lemma: str) -> bool:
    """Whether a frame can start at a word (as written or by lemma, or a verb form the
    tagger got wrong): the frame functions only look further at such words. Memoised on
    the lexicon (a frozen dataclass: the memo lives in its ``__dict__``)."""
    memo: dict[tuple[str, str], bool] = lexicon.__dict__.setdefault("_openers", {})
    key = (word, lemma)
    hit = memo.get(key)
    if hit is None:
        words = lexicon.frame_words
        hit = (
            word in words
            or lemma.lower() in words
            or any(c in words for c in lemma_candidates(word, lexicon.irregular_forms))
        )
        if len(memo) > 200_000:
            memo.clear()
        memo[key] = hit
    return hit


# ----------------------------------------------------------------------------- places


def _places(walk: _Walk, token: Token, depth: int = 0) -> Iterator[tuple[int, bool, str]]:
    """Places a noun phrase names: (slot, partial, path). Through "of", appositions,
    compounds of place nouns and coordination; never through "near" or "north of"."""
    if depth > 6:
        return
    slot = walk.place_slot(token)
    lemma = token.lemma_.lower()
    if depth and slot is None and _noun_frame(walk, token) is not None:
        return  # "lost half of Raqa, and the loss of Deir Ezzor would ...": another event
    partial = (
        lemma in walk.lexicon.partial_nouns
        or any(
            c.lemma_.lower() in walk.lexicon.partial_nouns and c.dep_ in _QUANTIFIER_DEPS
            for c in token.children
        )
        # "five of the villages", "two of Afrin's districts": some of them
        or (
            token.pos_ == "NUM"
            and any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children)
        )
        # "almost all of Tal Afar", "nearly all the city": not yet all of it
        or (
            token.lower_ == "all"
            and any(c.lower_ in walk.lexicon.near_words for c in token.children)
        )
    )
    if slot is not None:
        # "regime-held west Aleppo", "the eastern parts": a side of the city, part of it
        side = any(
            c.dep_ in ("amod", "compound", "nmod") and c.lower_ in _CITY_SIDES and c.i < token.i
            for c in token.children
        )
        part = side and _is_settlement(walk, slot)
        # "pushed into the Eastern Nineveh and Souq al-Ghanam districts": a name listed with
        # city parts is one of them, not the province the gazetteer holds by that name
        city_part = _is_area(walk, slot) and any(
            c.dep_ == "conj" and c.lemma_.lower() in _CITY_PARTS and c.tag_ == "NNS"
            for c in token.children
        )
        if not city_part:
            # "half the city": a quantifier on the name itself
            yield (
                slot,
                part or partial,
                "side-of-name" if part else "part-of-name" if partial else "name",
            )
    elif token.lower_ in _RELATIVE:  # "most of which is controlled": what "which" stands for
        clause = next((a for a in token.ancestors if a.dep_ == "relcl"), None)
        if clause is not None:
            # "X, one of the towns that has been in rebel hands": what the antecedent
            # describes when it names no place itself
            head = _agreeing_head(clause)
            before = token.doc[token.i - 1] if token.i >= 1 else None
            named = (
                walk.place_slot(before)
                if before is not None and token.i == clause.left_edge.i
                else None
            )
            if (
                named is not None
                and before is not None
                and head.i != before.i
                and walk.place_slot(head) is None
                and head.lemma_.lower() in walk.lexicon.attack_nouns
            ):
                # "began their assault at the Al-Sha'ar Gas Fields that are under IS control":
                # the clause hung on the attack is about the name right before it
                yield named, partial, "which-name-before"
            else:
                for s, p, path in _relative_places(walk, head, depth + 1):
                    yield s, p or partial, f"which-{path}"
        elif token.i >= 1:
            # "Mosul which has been under IS control", "the province, most of which is
            # controlled by IS", the clause not parsed as relative: the name right before
            # "which" or "most of which" (a comma between)
            first = token.i
            if token.head.lower_ == "of" and token.head.head.i < token.i:
                first = token.head.head.left_edge.i
            before = token.doc[max(0, first - 1)]
            if before.is_punct and first >= 2:
                before = token.doc[first - 2]
            named = walk.place_slot(before)
            if named is not None:
                yield named, partial, "which-name-before"
    elif token.lower_ in _DATE_WORDS:
        # "in Raqqa June 29, 2014": the name hung on the date after it
        for child in token.children:
            named = walk.place_slot(child) if child.dep_ in ("compound", "nmod") else None
            if named is not None and child.i < token.i:
                yield named, partial, "name-before-date"
        return
    elif token.lower_ == "it" and token.dep_ not in ("nsubj", "poss"):
        ref = _referent(walk, token)
        if ref is not None:
            yield ref, partial, "it-ref"
    elif lemma in _DIRECTIONS:
        # "north of Raqa", "the outskirts west of X": near a place, not the place; but in
        # "taking Abu Ilaj north of Raqa" the parser may hang the name on "north"; "the
        # city's east" is a side of it
        for child in token.children:
            owner = walk.place_slot(child) if child.dep_ == "poss" else None
            if owner is not None and _is_settlement(walk, owner):
                yield owner, True, "side-poss-name"
            if child.dep_ in ("amod", "compound", "nmod", "npadvmod") and child.i < token.i:
                named = walk.place_slot(child)
                if named is not None:
                    yield named, False, "name-before-direction"
        return
    elif token.pos_ in ("NOUN", "PROPN", "NUM", "ADJ", "PRON", "DET", "X"):
        found = list(_noun_places(walk, token, lemma, partial, depth))
        if not found:
            # "two areas known as Al-Karra'a and Al-Dayyatha": the names they have
            found = [
                (s, p, f"known-as-{path}")
                for named in token.children
                if named.dep_ == "acl" and named.lemma_.lower() in _NAMING
                for prep in named.children
                if prep.dep_ == "prep" and prep.lower_ == "as"
                for target in _objects(prep)
                for s, p, path in _places(walk, target, depth + 1)
            ]
        yield from found
        unnamed = not any(
            c.dep_ in ("appos", "compound")
            or (c.dep_ == "prep" and c.lower_ in ("of", "in", "inside", "within"))
            for c in token.children
        )
        if (
            not found
            and unnamed
            and lemma in ("province", "governorate")
            and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
        ):
            # "still controls a scattering of villages in the province": the one named before
            province = _referent(walk, token, _PROVINCES)
            if province is not None:
                yield province, False, f"{lemma}-ref"
        elif not found and unnamed and lemma in _CITY_PARTS and token.tag_ == "NNS":
            # "seven neighborhoods are under the control of X": the city the article is at
            city = _city_referent(walk, token)
            if city is not None:
                yield city, True, f"{lemma}-of-city-ref"
        elif (
            not found
            and token.dep_ in ("dobj", "nsubjpass", "pobj")
            and token.head.pos_ in ("VERB", "ADP")
            and not any(walk.place_slot(c) is not None or c.dep_ == "prep" for c in token.children)
            and lemma in walk.lexicon.stronghold_nouns
            # (not "the base was taken": a base is a site of its own, not the city)
            and lemma not in _SITES_NOT_CITIES
            and token.tag_ == "NN"
            and any(c.dep_ in ("det", "poss") and c.lower_ != "a" for c in token.children)
        ):
            # "forces besieging the ISIS stronghold": the city the article is at
            city = _city_referent(walk, token)
            if city is not None:
                yield city, False, f"{lemma}-city-ref"
        elif (
            not found
            and lemma in ("city", "town")
            and any(
                c.dep_ == "poss" and (c.lower_ == "country" or _is_country_word(walk, c))
                for c in token.children
            )
        ):
            # "swept into Mosul, taking Iraq's second largest city": the city named before
            city = _city_referent(walk, token)
            if city is not None:
                yield city, False, f"country-{lemma}-ref"
    for child in token.children:
        if child.dep_ == "conj":
            yield from _places(walk, child, depth + 1)
        elif child.dep_ == "appos" and slot is not None:
            # "Jisr al-Shughur, one of the last regime bastions in Idlib province": the
            # apposition describes the name; the province it is in is not what was taken
            for s, p, path in _places(walk, child, depth + 1):
                if not p or walk.place_slot(child) is not None:
                    yield s, p, path


#: Stronghold nouns that name a site of their own, never the city the article is at.
_SITES_NOT_CITIES = frozenset({"base", "headquarters", "hub"})
#: Area nouns for the countryside around a city ("villages"), not parts of the city.
_RURAL = frozenset({"village", "villages", "hamlet", "hamlets", "farm", "farms"})


def _city_referent(walk: _Walk, token: Token) -> int | None:
    """The city the text is at, else the town (slot 0 is a slot: not "or")."""
    city = _referent(walk, token, _CITIES)
    return city if city is not None else _referent(walk, token, _TOWNS)


def _about_countries(walk: _Walk) -> bool:
    """A sentence that names countries and no province ("it has lost territory in both
    countries"): ground without a name is not a province's."""
    kinds = {s.place.kind for s in walk.parsed.template.slots if s.place is not None}
    return PlaceKind.COUNTRY in kinds and PlaceKind.PROVINCE not in kinds


#: Ground taken or lost without a name: part of the province the text is about.
_AREA_NOUNS = frozenset(
    {"area", "territory", "swathe", "swath", "village", "land", "ground", "hilltop", "gain"}
)
_PROVINCES = frozenset({PlaceKind.PROVINCE})
#: Parts of a city that, named alone, are parts of the city the text is about.
_CITY_PARTS = frozenset({"neighborhood", "neighbourhood", "district", "quarter"})
_CITIES = frozenset({PlaceKind.CITY})
_TOWNS = frozenset({PlaceKind.TOWN})


def _noun_places(
    walk: _Walk, token: Token, lemma: str, partial: bool, depth: int
) -> Iterator[tuple[int, bool, str]]:
    """The places a common noun's phrase names ("the town of X", "its stronghold in X")."""
    # (a part "of" no place, "a scattering of villages in the province", is in the place)
    named = any(
        (c.dep_ in ("appos", "compound") and walk.place_slot(c) is not None)
        or (
            c.dep_ == "prep"
            and c.lemma_.lower() == "of"
            and not (
                partial and not any(next(_places(walk, o, depth + 1), None) for o in _objects(c))
            )
        )
        for c in token.children
    )
    # "the Athriya area of eastern Hama province": the name before the noun is the place,
    # the "of" phrase its container
    own_name = lemma in PLACE_NOUNS and any(
        c.dep_ in ("compound", "amod", "nmod") and c.i < token.i and walk.place_slot(c) is not None
        for c in token.children
    )
    for child in token.children:
        if own_name and child.dep_ == "prep":
            continue
        prep = (
            (child.lower_ if child.lower_ == "including" else child.lemma_.lower())
            if child.dep_ == "prep"
            else ""
        )
        # "the city of X"; "its stronghold in X" (the whole); "the old city in X",
        # "villages in X province" (a part); "areas including X" (each named)
        # (but "Al-Bab, the IS's last bastion in Aleppo province": a name's apposition,
        # whose "in" phrase is where the name lies)
        stronghold = (
            lemma in walk.lexicon.stronghold_nouns
            and token.tag_ != "NNS"
            and not (token.dep_ == "appos" and walk.place_slot(token.head) is not None)
        )
        inside = (
            (prep in _INSIDE or (prep == "on" and _on_edge(walk, child)))
            and not named
            and (partial or lemma in PLACE_NOUNS or lemma in _FACILITIES)
        )
        # ("control over X" is "control of X")
        over = prep == "over" and lemma in walk.lexicon.control_nouns
        whole = prep == "of" or over or prep in ("including", "like") or (inside and stronghold)
        if whole or inside:
            # "90 percent of its territory, including Mosul": a place listed is whole; "the
            # Old City of Raqqa" is part of it
            listed = prep in ("including", "like")
            old = lemma in ("city", "town") and any(
                c.lower_ == "old" and c.dep_ in ("amod", "compound") for c in token.children
            )
            part = not listed and (partial or old or (inside and not stronghold))
            # "their last stronghold in Derna", "an IS stronghold in Mosul": a place in the
            # city, part of it (and in a province or region, a town of its own)
            within = (
                stronghold
                and lemma in _HOLDOUTS
                and inside
                and any(
                    c.lower_ == "last" or (c.dep_ == "det" and c.lower_ in ("a", "an"))
                    for c in token.children
                )
            )
            for obj in _objects(child):
                for s, p, path in _places(walk, obj, depth + 1):
                    if lemma in _SEATS and prep == "of" and _is_area(walk, s):
                        continue  # "the capital of Anbar province" is Ramadi, not Anbar
                    if within and _is_area(walk, s):
                        continue
                    p = p or within
                    # "90 percent of the territory it held, including Mosul": Mosul whole
                    whole_listed = listed or "-including-" in path or "-like-" in path
                    yield s, p or (part and not whole_listed), f"{lemma}-{prep}-{path}"
        elif child.dep_ == "appos":
            for s, p, path in _places(walk, child, depth + 1):
                yield s, p or partial, f"appos-{path}"
        elif (
            (child.dep_ == "compound" or (own_name and child.dep_ in ("amod", "nmod")))
            and (lemma in PLACE_NOUNS or partial)
            and walk.place_slot(child) is not None
        ):
            # "the Athriya area" is Athriya, "the Wadi Barada pocket" Wadi Barada, "the
            # Sakhur district" Sakhur (a district named, not a district of a city named)
            whole = lemma in ("area", "region", "pocket", "enclave") or (
                lemma in _CITY_PARTS and _slot_kind(walk, walk.place_slot(child) or 0) in _QUARTERS
            )
            for s, p, path in _places(walk, child, depth + 1):
                yield s, p or (partial and not whole), f"{lemma}-compound-{path}"
    if token.dep_ == "appos" and lemma in PLACE_NOUNS and walk.place_slot(token.head) is not None:
        yield walk.place_slot(token.head) or 0, partial, f"{lemma}-appos-head"
    if partial or token.tag_ == "NNS" or lemma in _CITY_PARTS:
        # "five of Afrin's seven urban centres", "Mosul's western districts": parts of it
        for child in token.children:
            slot = walk.place_slot(child) if child.dep_ == "poss" else None
            if slot is not None and not _is_country(walk, slot):
                yield slot, True, f"{lemma}-poss-name"


def _on_edge(walk: _Walk, prep: Token) -> bool:
    """ "an area on the outskirts of X", "positions on X's eastern periphery": "on" a
    part of a place is in it."""
    partial = walk.lexicon.partial_nouns
    return any(o.lemma_.lower() in partial or o.lower_ in partial for o in _objects(prep))


#: Buildings and sites inside a town: "took the National Hospital in Raqqa" is part of it.
_FACILITIES = frozenset(
    "hospital building school university stadium mosque palace citadel castle museum "
    "prison jail silos silo roundabout square bridge compound complex headquarters".split()
)


#: Nouns of a seat of government: "the capital of X" names a city, not the province X.
_SEATS = frozenset({"capital", "seat"})
_AREAS = frozenset({PlaceKind.PROVINCE, PlaceKind.COUNTRY, PlaceKind.REGION})


#: Words that name a side of a city ("west Aleppo", "eastern Mosul").
_CITY_SIDES = frozenset(
    "east west north south eastern western northern southern northeastern northwestern "
    "southeastern southwestern northeast northwest southeast southwest central".split()
)
#: Kinds of place that are themselves parts of a town.
_QUARTERS = frozenset({PlaceKind.NEIGHBOURHOOD, PlaceKind.VILLAGE})
_SETTLEMENTS = frozenset({PlaceKind.CITY, PlaceKind.TOWN})


def _slot_kind(walk: _Walk, slot: int) -> PlaceKind | None:
    """The kind of the place of a slot (or history entry ``-1 - h``)."""
    template = walk.parsed.template
    entry = template.slots[slot] if slot >= 0 else template.history[-1 - slot]
    return entry.place.kind if entry.place is not None else None


def _is_settlement(walk: _Walk, slot: int) -> bool:
    """Whether a place slot (or history entry) names a city or town."""
    return _slot_kind(walk, slot) in _SETTLEMENTS


def _is_country(walk: _Walk, slot: int) -> bool:
    """Whether a place slot (or history entry) names a country."""
    return _slot_kind(walk, slot) is PlaceKind.COUNTRY


def _is_country_word(walk: _Walk, token: Token) -> bool:
    slot = walk.place_slot(token)
    return slot is not None and _is_country(walk, slot)


def _is_area(walk: _Walk, slot: int) -> bool:
    """Whether a place slot (or history entry) names a province, region or country."""
    return _slot_kind(walk, slot) in _AREAS


#: "blocks in X", "points inside X", "districts within the city": parts of X.
_INSIDE = frozenset({"in", "inside", "within"})
_DIRECTIONS = frozenset(
    "north south east west northeast northwest southeast southwest north-east north-west "
    "south-east south-west kilometre kilometer km mile distance vicinity direction".split()
)
_QUANTIFIER_DEPS = ("quantmod", "nummod", "predet", "amod", "npadvmod", "advmod", "det", "nmod")


def _referent(walk: _Walk, pronoun: Token, kinds: frozenset[PlaceKind] = SITE_KINDS) -> int | None:
    """The place "it" stands for: the last site (of ``kinds``) named before it in the
    sentence, else in the sentences before (a history entry ``h`` is returned as ``-1 - h``)."""
    slots = walk.parsed.template.slots
    start = walk.parsed.origin[pronoun.i]
    # "recaptured the village of Abu Dalf hours after IS seized it": a place named that the
    # gazetteer lacks is what "it" means; no earlier place is
    unknown = max(
        (
            walk.parsed.origin[t.i]
            for t in pronoun.doc[: pronoun.i]
            if t.lemma_.lower() in _UNKNOWN_HOLDERS
            and any(
                o.pos_ == "PROPN" and walk.place_slot(o) is None and o.i > t.i
                for c in t.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for o in _objects(c)
            )
        ),
        default=-1,
    )
    for index in range(len(slots) - 1, -1, -1):
        slot = slots[index]
        if slot.end <= unknown:
            return None
        if (
            slot.kind == "P"
            and slot.end <= start
            and slot.place is not None
            and slot.place.kind in kinds
            and not _anchor(walk, slot)
        ):
            return index
    if unknown >= 0:
        return None
    history = walk.parsed.template.history
    for h in range(len(history) - 1, max(-1, len(history) - 8), -1):
        place = history[h].place
        if place is not None and place.kind in kinds and not _anchor(walk, history[h]):
            return -1 - h
    return None


#: Nouns of a settlement whose "of" name, when the gazetteer lacks it, is still a place.
_UNKNOWN_HOLDERS = frozenset(
    {"village", "town", "city", "district", "neighbourhood", "neighborhood"}
)

#: "about 28 miles (45 kilometers) from Raqqa", "10 km north of X": a place that only
#: measures where another is (not what "it" stands for).
_ANCHOR_BEFORE = re.compile(
    r"\b(?:miles?|kilometers?|kilometres?|km)\b\)?\s+"
    r"(?:(?:\w+\s+)?from|outside|(?:north|south|east|west)\w*\s+of)\s+"
    r"(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$",
    re.IGNORECASE,
)


#: "a military source in Damascus said", "officials in Baghdad": where a speaker is, not
#: what the report is about.
_SPEAKER_BEFORE = re.compile(
    r"\b(?:sources?|officials?|spokes(?:man|woman|person)|correspondents?|activists?|"
    r"reporters?|journalists?|diplomats?|analysts?)\s+(?:based\s+)?(?:in|from)\s+$",
    re.IGNORECASE,
)


def _anchor(walk: _Walk, slot: Slot) -> bool:
    """Whether a place is named only as the anchor of a distance or where a speaker is."""
    text = walk.text
    if not text or slot.start > len(text):
        return False
    before = text[max(0, slot.start - 60) : slot.start]
    return bool(_ANCHOR_BEFORE.search(before) or _SPEAKER_BEFORE.search(before))


#: Nouns that count what follows "of": "a number of points", "dozens of villages".
_COUNTING = frozenset({"number", "series", "string", "handful", "couple", "dozen", "dozens", "lot"})


def _counted(noun: Token) -> Token:
    """What a counting noun counts ("a number of points" → points); else the noun."""
    if noun.lemma_.lower() in _COUNTING:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                return next(iter(_objects(child)), noun)
    return noun


def _objects(prep: Token) -> list[Token]:
    """The objects of a preposition ("of", "from", "out of")."""
    out = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    for c in prep.children:  # "out of X": "of" hangs under "out"
        if c.dep_ == "prep":
            out.extend(_objects(c))
    return out


#: Units of a distance ("27 miles from X").
_DISTANCE_UNITS = frozenset({"mile", "kilometer", "kilometre", "km", "meter", "metre"})


def _measured(prep: Token) -> bool:
    """A preposition that a distance measures ("27 miles from Irbil", "10 km north of")."""
    before = prep.doc[prep.i - 1] if prep.i else None
    return any(
        c.lemma_.lower() in _DISTANCE_UNITS for c in prep.children if c.dep_ == "npadvmod"
    ) or (before is not None and before.lemma_.lower() in _DISTANCE_UNITS)


def _preps(token: Token, name: str) -> list[Token]:
    """Objects of the preposition ``name`` under ``token`` ("out_of" for "out of")."""
    words = name.split("_")
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in ("prep", "prt", "advmod", "agent") and child.lemma_.lower() == words[0]:
            if len(words) == 1:
                out.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp"))
            else:
                for grand in child.children:
                    if grand.dep_ == "prep" and grand.lemma_.lower() == words[1]:
                        out.extend(c for c in grand.children if c.dep_ == "pobj")
                out.extend(  # "out of" parsed as one preposition
                    c for c in child.children if c.dep_ == "pobj" and name == "out_of"
                )
    if not out and token.pos_ in ("VERB", "AUX"):
        # "swept almost unopposed into X", "moved swiftly into X": the preposition hung on a
        # manner word of the verb
        for child in token.children:
            if child.dep_ in ("advcl", "acomp", "advmod") and child.pos_ in ("ADJ", "ADV"):
                out.extend(_preps(child, name))
    return out


# ----------------------------------------------------------------------------- sides


def _actor_of_phrase(walk: _Walk, token: Token, depth: int = 0) -> str | None:
    """The side a noun phrase names: the name itself, or one inside the phrase
    ("the SDF alliance", "fighters of IS"); a pronoun or "the group" means the last side."""
    code = _sponsor_joined(walk, token, walk.actor_code(token))
    if code is not None and walk.holders and code not in walk.holders:
        inner = _of_side(walk, token)  # "a coalition of rebels", "a group of IS fighters"
        if inner is None:  # "a coalition of Arab and Kurdish fighters", the "and" on it
            inner = next(
                (
                    c
                    for t in token.children
                    if t.dep_ == "conj" and (c := walk.actor_code(t)) in walk.holders
                ),
                None,
            )
        return inner or code
    slot = walk.parsed.slot(token.i) if code is not None else None
    if (led := _leader_side(walk, token)) is not None:
        return led  # "Islamic State-led insurgents", "Arab fighters led by Kurdish forces"
    if slot is not None and slot.surface.lower() in _GENERIC_FIGHTERS:
        # "Kurdish and Arab rebels": a side word on a generic noun says whose they are
        own = _side_adjective(walk, token)
        if own is not None and own != code and (not walk.holders or own in walk.holders):
            return own
    collective = slot is not None and slot.surface.lower().rsplit(" ", 1)[-1] in _COLLECTIVES
    if code is not None and collective and depth <= 2:
        # "an Islamist rebel coalition": the side its words name, not the US-led coalition
        own = _side_adjective(walk, token)
        if own is not None:
            return own
        # "the alliance of Islamist groups": the sides it is made of, not the SDF alliance
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in _objects(child):
                    inner = _actor_of_phrase(walk, obj, depth + 1)
                    if inner is not None:
                        return inner
    if code is not None:
        return code
    if token.lemma_.lower() in _STATE_FORCES and any(
        c.dep_ == "poss" and _country(walk, c) for c in token.children
    ):
        return "GOV"  # "Iraq's armed forces", "Libya's army": the country's government
    if token.lemma_.lower() in _PRONOUNS or token.lower_ in _PRONOUNS:
        return _antecedent(walk, token)
    if token.lower_ in ("latter", "former"):
        # "IS launched a counter-attack against the Turkish army after the latter's failed
        # attempt": the last (or first) of the sides named before it
        named: list[str] = []
        for t in walk.parsed.doc[: token.i]:
            code = walk.actor_code(t)
            if code is not None and code not in named:
                named.append(code)
        if len(named) >= 2:
            return named[-1] if token.lower_ == "latter" else named[0]
        return None
    if token.dep_ in ("compound", "amod", "poss", "nmod") and (prefixed := _side_word(walk, token)):
        return prefixed  # "rebel hands", "a rebel stronghold", "the jihadist bastion"
    if depth > 2:
        return None
    # "its Islamic State occupiers": the side named before the one a pronoun refers to
    children = sorted(token.children, key=lambda c: c.lower_ in _PRONOUNS)
    for child in children:
        if child.dep_ in ("compound", "amod", "poss", "appos", "nmod"):
            code = _actor_of_phrase(walk, child, depth + 1)
            if code is not None:
                return code
        by_attack = child.lower_ == "by" and token.lemma_.lower() in _ATTEMPTS
        if child.dep_ == "prep" and (child.lemma_.lower() in ("of", "from") or by_attack):
            for obj in _objects(child):
                # "units from the Hashed al-Shaabi militia group": the side inside; "a
                # failed attempt by the latter to storm X": the side attempting
                code = _actor_of_phrase(walk, obj, depth + 1) or walk.actor_code(obj)
                if code is not None:
                    return code
        # "forces loyal to the government", "militias allied to the army"
        if child.dep_ in ("amod", "acl") and child.lower_ in _ALLEGIANCE:
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lemma_.lower() in ("to", "with"):
                    for obj in _objects(prep):
                        code = _actor_of_phrase(walk, obj, depth + 1)
                        if code is not None:
                            return code
    return None


_IN_CONTROL = frozenset({"control", "command", "possession"})
#: Nouns of a group whose "of" phrase says who is in it ("the alliance of Islamist groups").
_COLLECTIVES = frozenset({"alliance", "coalition", "group", "union", "front", "bloc"})
#: Generic words for fighters, whose side a word before them may name ("Kurdish rebels").
_GENERIC_FIGHTERS = frozenset(
    {
        "rebels",
        "fighters",
        "militants",
        "insurgents",
        "militiamen",
        "militias",
        "the militias",
        "police",
        "policemen",
        "armed forces",
        "security forces",
        "special forces",
        "paramilitary forces",
    }
)
#: Nouns of an attempt or attack, whose "by" phrase names who makes it.
_ATTEMPTS = frozenset(
    {"attempt", "bid", "effort", "attack", "offensive", "assault", "push", "advance", "raid"}
)
_ALLEGIANCE = frozenset({"loyal", "allied", "aligned", "affiliated", "linked", "close", "faithful"})


def _side_adjective(walk: _Walk, token: Token) -> str | None:
    """The side a word before a noun names ("Kurdish rebels", "a rebel coalition")."""
    for child in token.children:
        if child.dep_ in ("amod", "compound") and (prefixed := _prefix_side(walk, child)):
            return prefixed
    return None


#: Nouns of a state's forces ("Iraq's armed forces").
_STATE_FORCES = frozenset({"force", "forces", "army", "military", "troop", "troops", "soldier"})


def _sponsor_joined(walk: _Walk, token: Token, code: str | None) -> str | None:
    """A client side named with its sponsor's own forces is the sponsored side: "the FSA
    and Turkish troops" are the Turkish-backed rebels."""
    if code is None:
        return None
    for sponsorship in walk.lexicon.sponsorships:
        if code in sponsorship.clients and any(
            c.dep_ == "conj" and walk.actor_code(c) in sponsorship.sponsor_codes
            for c in token.children
        ):
            return sponsorship.becomes
    return code


def _leader_side(walk: _Walk, token: Token) -> str | None:
    """The side that leads a side's phrase: "Islamic State-led insurgents", "opposition
    fighters led by Syrian Kurdish forces" (a side that may hold ground)."""
    for led in token.children:
        if led.lower_ == "-led" and led.i > 0:  # the parser's "-led" token after the side
            code = walk.actor_code(token.doc[led.i - 1])
            if code is not None and code in walk.holders:
                return code
        if led.lower_ != "led" or led.dep_ not in ("amod", "acl"):
            continue
        for child in led.children:
            leaders = _objects(child) if child.dep_ == "agent" else [child]
            if child.dep_ in ("agent", "npadvmod", "compound", "nmod", "amod"):
                for leader in leaders:
                    code = walk.actor_code(leader)
                    if code is not None and code in walk.holders:
                        return code
    return None


def _of_side(walk: _Walk, token: Token) -> str | None:
    """The side of an "of" phrase: "a group of IS fighters", "a coalition of Arab and
    Kurdish fighters" (a member joined by "and")."""
    for child in token.children:
        if child.dep_ == "prep" and child.lemma_.lower() == "of":
            for obj in _objects(child):
                for member in (obj, *(c for c in obj.children if c.dep_ == "conj")):
                    code = walk.actor_code(member)
                    if code is not None and code in walk.holders:
                        return code
    return None


#: People who speak for a side ("a spokesman for the rebels", "a commander of the SDF").
_VOICES = frozenset(
    {"spokesman", "spokeswoman", "spokesperson", "commander", "official", "leader", "source"}
)


def _voice_of(walk: _Walk, token: Token) -> str | None:
    """The side a spokesman, commander or official speaks for ("for/of/from" the side)."""
    if token.lemma_.lower() not in _VOICES:
        return None
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("for", "of", "from"):
            for obj in _objects(child):
                code = _actor_of_phrase(walk, obj)
                if code is not None:
                    return code
    return None


def _quoted_speaker(walk: _Walk, pronoun: Token) -> str | None:
    """ "We captured the city center," said X, who heads the Y rebel group: the side named
    in the phrase of the one who speaks (the subject of the sentence's speech verb)."""
    for verb in pronoun.doc:
        if verb.lemma_.lower() not in walk.modal("speech_verbs") or verb.i == pronoun.i:
            continue
        for subject in verb.children:
            if subject.dep_ != "nsubj" or (subject.i <= pronoun.i < verb.i):
                continue
            for token in subject.subtree:
                code = walk.actor_code(token)
                if code is not None:
                    return code
    return None


def _antecedent(walk: _Walk, pronoun: Token) -> str | None:
    """What "it", "they" or "its" means: the subject of a clause above it in the sentence
    ("The army said it retook X"), else the last side named before it in the sentence,
    else the last side of the sentences before."""
    if pronoun.lower_ in ("we", "our", "us"):
        speaker = _quoted_speaker(walk, pronoun)
        if speaker is not None:
            return speaker
    if pronoun.lower_ in ("its", "their"):  # "the militants ... its de facto capital"
        attackers = _attackers_of(walk, pronoun.head)
        if attackers:  # "X is facing an offensive by Y on their stronghold": X's
            verb = next((a for a in pronoun.ancestors if a.pos_ in ("VERB", "AUX")), None)
            subject = _subject(walk, verb)[0] if verb is not None else None
            if subject is not None and subject not in attackers:
                return subject
        for token in reversed(walk.parsed.doc[: pronoun.i]):
            code = walk.actor_code(token)
            if code is not None and code not in attackers:
                return code
        for clause in pronoun.ancestors:  # "Iraq announced that its forces had retaken X"
            named = next((c for c in clause.children if c.dep_ == "nsubj"), None)
            if named is not None and named.i < pronoun.i:
                code = _country(walk, named)
                if code is not None:
                    return code
        return walk.sides[0] if walk.sides else None
    node, steps = pronoun.head, 0
    # "the army drove them out": an object pronoun is not its own verb's subject
    own_verb = pronoun.head.i if pronoun.dep_ in ("dobj", "pobj", "dative") else None
    while steps < 6:
        for child in node.children if node.i != own_verb else ():
            if child.dep_ in ("nsubj", "nsubjpass") and child.i < pronoun.i:
                code = (
                    walk.actor_code(child)
                    or _inner_actor(walk, child)
                    or _country(walk, child)
                    or _of_side(walk, child)  # "the leadership of the Peshmerga said it"
                    # "a spokesman for the rebel fighters said they entered Afrin"
                    or _voice_of(walk, child)
                    # "Kurdish officials claimed that they had lifted the siege", "forces loyal
                    # to the government say they are close to retaking X": any side the
                    # phrase names (side words, allegiance)
                    or (_actor_of_phrase(walk, child) if child.lower_ not in _PRONOUNS else None)
                )
                if code is not None:
                    return code
        if node.head.i == node.i:
            break
        node, steps = node.head, steps + 1
    for token in reversed(walk.parsed.doc[: pronoun.i]):
        code = walk.actor_code(token)
        if token.head.i == own_verb and token.dep_ in _SUBJECTS:
            continue
        # (an object pronoun may stand for any side named before: "a setback for IS, after
        # the army drove them out")
        deps = _ANTECEDENT_DEPS if own_verb is None else _ANTECEDENT_DEPS | {"pobj", "nmod"}
        if code is not None and token.dep_ in deps:
            return code
    return walk.sides[0] if walk.sides else None


_ANTECEDENT_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "appos", "conj"})


def _attackers_of(walk: _Walk, noun: Token) -> set[str]:
    """The sides attacking what ``noun`` names ("an offensive by Iraqi forces on their
    stronghold": not theirs), however the parser hung "by X" (on the attack noun or on the
    verb whose object it is)."""
    if noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
        # "a campaign to recapture their stronghold": not the recapturing side's
        verb = noun.head
        lemma = verb_lemma(walk, verb) or verb.lemma_.lower()
        if any(f.kind in _TAKING for f in walk.lexicon.frames_for(lemma)):
            side = _subject(walk, verb)[0]
            return {side} if side is not None else set()
        return set()
    prep = noun.head if noun.dep_ == "pobj" else None
    if prep is None or prep.lower_ not in ("on", "against", "into", "toward", "towards"):
        return set()
    attacks = walk.lexicon.attack_nouns
    out: set[str] = set()
    for by in noun.doc:
        if by.lower_ != "by" or by.i > noun.i:
            continue
        head = by.head
        if head.lemma_.lower() in attacks or any(
            c.dep_ == "dobj" and c.lemma_.lower() in attacks for c in head.children
        ):
            for obj in _objects(by):
                for t in (obj, *(c for c in obj.children if c.dep_ == "conj")):
                    if (code := walk.actor_code(t)) is not None:
                        out.add(code)
    return out


def _country(walk: _Walk, token: Token) -> str | None:
    """ "Iraq announced that its forces ...": a country as a speaker is its government."""
    slot = walk.place_slot(token)
    place = walk.parsed.template.slots[slot].place if slot is not None else None
    return "GOV" if place is not None and place.kind.value == "country" else None


def _inner_actor(walk: _Walk, token: Token) -> str | None:
    for child in token.children:
        if child.dep_ in ("compound", "amod", "poss", "appos"):
            code = walk.actor_code(child)
            if code is not None:
                return code
    return None


def _subject(walk: _Walk, verb: Token, depth: int = 0) -> tuple[str | None, str]:
    """The acting side of a verb and how it was found: its subject, else the subject of
    the verb it hangs from (xcomp, conjunction, participle), else the noun a relative
    clause or a participle describes."""
    subjects = [
        c
        for c in verb.children
        if c.dep_ in ("nsubj", "csubj")
        # ("recaptured Raqqa from IS" misparsed: the place is the object)
        and not (c.i > verb.i and walk.place_slot(c) is not None)
    ]
    for child in subjects:
        if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
            return _actor_of_phrase(walk, verb.head), "relcl"
        code = _actor_of_phrase(walk, child)
        # ("the elite Tiger Forces continued", the adjective parsed as a second subject:
        # the one that names a side)
        if code is not None or child is subjects[-1]:
            return code, "subj-ref" if child.lower_ in _PRONOUNS else "subj"
    if depth > 3:
        return None, ""
    if verb.dep_ == "xcomp":  # "rebels were forced to withdraw", "X is said to have taken"
        for child in verb.head.children:
            if child.dep_ == "nsubjpass":
                return _actor_of_phrase(walk, child), "xcomp-passive-subj"
            if child.dep_ == "dobj" and child.i < verb.i:  # "forced the army to withdraw"
                return _actor_of_phrase(walk, child), "xcomp-object"
    if verb.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acomp") and verb.head.i != verb.i:
        code, how = _subject(walk, verb.head, depth + 1)
        return code, f"{verb.dep_}-{how}"
    if verb.dep_ in ("acl", "relcl", "amod"):
        return _actor_of_phrase(walk, verb.head), verb.dep_
    if verb.dep_ == "pcomp":  # "after retaking P", "made a big deal of retaking P"
        governing = next((a for a in verb.ancestors if a.pos_ in ("VERB", "AUX")), None)
        return _subject(walk, governing, depth + 1) if governing is not None else (None, "")
    return None, ""


def _modifier_side(walk: _Walk, participle: Token) -> str | None:
    """The side written just before a participle used as an adjective, with no hyphen
    ("the Syrian Arab Army (SAA) controlled villages")."""
    for child in participle.children:
        code = walk.actor_code(child)
        if code is not None:
            return code
    doc, j = walk.parsed.doc, participle.i - 1
    if j >= 0 and doc[j].text == ")":  # "the SAA (Syrian army) controlled": skip the aside
        while j >= 0 and doc[j].text != "(" and participle.i - j < 8:
            j -= 1
        j -= 1
    if j < 0:
        return None
    return walk.actor_code(doc[j]) or _prefix_side(walk, doc[j])


def _nearest_side(walk: _Walk, verb: Token) -> str | None:
    """When the parse gives a verb no subject: the last side named before it that is not
    an object ("killed 40 troops", "from X", "backed by Y")."""
    for token in reversed(walk.parsed.doc[: verb.i]):
        code = walk.actor_code(token)
        if code is None or token.i in walk.parsed.held:
            continue
        # "the al-Qaida affiliated Nusra Front": the parser may make the side the object of
        # the participle before it, which describes it
        described = token.dep_ == "dobj" and token.head.lower_ in _DESCRIBING
        if token.dep_ in ("dobj", "agent", "poss", "npadvmod") and not described:
            continue
        if not described and _inside_object(token):
            continue  # "attacked the Kurdish fighters' positions and seized X"
        if (
            token.dep_ == "pobj"
            and token.head.lower_ == "by"
            and token.head.head.lower_ in walk.lexicon.sponsor_participles
        ):
            continue  # "Syrian forces backed by Russia broke the siege": the backer
        # "In neighbouring Syria ISIS still holds Palmyra": the side hung on "In" right
        # before the verb (adverbs between) is its subject
        if (
            token.dep_ == "pobj"
            and not _clause_opener(token)
            and not all(t.pos_ == "ADV" for t in walk.parsed.doc[token.i + 1 : verb.i])
        ):
            continue
        return code
    return None


def _inside_object(token: Token) -> bool:
    """Whether a word is inside the object phrase of its clause's verb ("the Kurdish
    fighters positions" after "attacked")."""
    node = token
    while node.head.i != node.i and node.head.pos_ not in ("VERB", "AUX"):
        node = node.head
        if node.dep_ == "dobj":
            return True
    return False


#: Participles that describe the noun after them ("the al-Qaida affiliated Nusra Front").
_DESCRIBING = frozenset({"affiliated", "linked", "backed", "allied", "aligned", "supported"})


def _clause_opener(token: Token) -> bool:
    """A side the parser hung on "after"/"before"/"since" that is the subject of the clause
    the word opens ("a day after the Nusra Front seized it")."""
    prep = token.head
    return prep.lower_ in ("after", "before", "since", "until", "when") and not any(
        t.pos_ in ("VERB", "AUX") for t in token.doc[prep.i + 1 : token.i]
    )


def _agent(walk: _Walk, verb: Token) -> str | None:
    """The side of a passive's "by" phrase ("was retaken by the army")."""
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            for obj in child.children:
                code = _actor_of_phrase(walk, obj)
                if code is not None:
                    return code
    return None


# ----------------------------------------------------------------------------- modality


def _status(walk: _Walk, verb: Token) -> tuple[ClaimStatus | None, bool]:
    """How the text asserts the event at ``verb``: (status, hedged); None: no event
    (a plan, an intention, a hypothetical)."""
    modals, hedged = walk.modal("modals"), False
    if verb.dep_ == "pcomp" and (
        verb.head.lower_ in ("without", "instead")
        or (verb.head.lower_ == "before" and verb.head.head.pos_ in ("NOUN", "PROPN"))
    ):
        return None, False  # "the last site before entering Palmyra": not (yet) done
    children = list(verb.children)
    for child in children:
        low = child.lower_
        if child.dep_ == "aux" and low in modals:
            if _has_perfect(verb):
                hedged = True  # "may have withdrawn"
            else:
                return None, False
        if child.dep_ == "mark" and low in walk.modal("conditionals"):
            return None, False
        if child.dep_ == "advmod" and low in walk.modal("hedges"):
            hedged = True
    status = ClaimStatus.ASSERTED
    if any(c.dep_ == "neg" for c in children):
        status = ClaimStatus.NEGATED
    node, steps = verb, 0
    done = False  # "close to retaking Sirte after capturing X": what came before a plan happened
    while node.head.i != node.i and steps < 6:
        head, dep = node.head, node.dep_
        lemma = head.lemma_.lower()
        done = done or (dep == "prep" and node.lower_ in _BEFORE_NOW)
        infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in node.children)
        perfect = _has_perfect(node)
        if dep in ("xcomp", "acl", "advcl", "ccomp", "pcomp", "relcl", "prep", "pobj"):
            if lemma in walk.modal("failure_heads"):
                return ClaimStatus.NEGATED, hedged
            # "were forced to withdraw" (a participle head) happened; "were killed ... to
            # control X" (an infinitive of purpose, advcl) did not
            realis = (
                lemma in walk.modal("realis_heads")
                or perfect
                # "Troops went on to capture a military base": they did
                or (
                    lemma == "go"
                    and head.tag_ in ("VBD", "VBN")
                    and any(c.lower_ == "on" for c in head.children)
                )
                # "advanced deep into X, capturing the airbase": a participle of what happened
                # (not one that says how an aim is to be reached: "aim to divide the suburbs,
                # cutting the supply route by taking X")
                or (
                    dep == "advcl"
                    and node.tag_ == "VBG"
                    and head.pos_ == "VERB"
                    and not infinitive
                    and lemma not in _AIMS
                )
                # (but "they are expected to enter X", "is aimed at liberating X" are still
                # plans)
                or (
                    head.tag_ == "VBN"
                    and not (infinitive and dep == "advcl")
                    and lemma not in walk.modal("intention_heads")
                )
                # "are pushing east after capturing X": what came before did happen
                or (dep == "prep" and node.lower_ in _BEFORE_NOW)
                # "completed its operation to liberate X" (the infinitive on the operation
                # or, as the parser may hang it, on "completed")
                or (
                    head.dep_ == "dobj"
                    and head.head.lemma_.lower() in walk.modal("completion_verbs")
                )
                or lemma in walk.modal("completion_verbs")
                # "the first city to fall to IS", "the last town to be retaken": it did
                # (not "IS's latest attempt to enter X")
                or (
                    dep in ("acl", "relcl")
                    and any(c.lower_ in _ORDINALS for c in head.children)
                    and lemma not in walk.modal("intention_heads")
                    and lemma not in walk.lexicon.attack_nouns
                    # (not "it would be the second city to be retaken")
                    and not _what_would_be(head, modals)
                )
            )
            realis = realis or done
            if (
                lemma in walk.modal("intention_heads")
                and dep in ("xcomp", "acl", "advcl", "pcomp", "prep", "pobj")
                and not realis
            ):
                return None, False  # "an offensive to retake", "close to retaking"
            if infinitive and dep in ("acl", "advcl", "xcomp", "relcl") and not realis:
                return None, False  # "began their offensive to capture", "forces pushed on to take"
            if not done and any(
                c.dep_ == "mark" and c.lower_ in walk.modal("conditionals") for c in head.children
            ):
                return None, False
            if (
                not done
                and any(c.dep_ == "aux" and c.lower_ in modals for c in head.children)
                and dep in ("xcomp",)
            ):
                return None, False
        if _what_would_be(node, modals):
            # "Pro-government forces retaking Sirte would be a major blow": what would be,
            # if it happens
            return None, False
        if (
            dep == "conj"
            and not any(c.dep_ in ("aux", "nsubj", "nsubjpass") for c in node.children)
            and any(c.dep_ == "aux" and c.lower_ in modals for c in head.children)
        ):
            # a conjoined verb shares its head's modal: "the advance would reverse gains and
            # tighten a blockade" (no event); "IS may have attacked and seized X" (hedged)
            if not _has_perfect(head):
                return None, False
            hedged = True
        if (
            dep in ("acl", "ccomp")
            and lemma in _REPORT_NOUNS
            and head.head.lemma_.lower() in walk.modal("denial_verbs")
        ):
            return ClaimStatus.DISPUTED, hedged  # "denied reports that IS had taken X"
        if dep in ("ccomp", "xcomp", "conj", "advcl", "relcl"):
            if lemma in walk.modal("denial_verbs"):
                return ClaimStatus.DISPUTED, hedged
            if (lemma in walk.modal("claim_verbs") and status is ClaimStatus.ASSERTED) or (
                lemma in walk.modal("speech_verbs")
                and status is ClaimStatus.ASSERTED
                and _speaker_is_party(walk, head, verb)
            ):
                status = ClaimStatus.CLAIMED
            if any(c.dep_ == "advmod" and c.lower_ in walk.modal("hedges") for c in head.children):
                hedged = True
        elif dep == "acl" and lemma in walk.modal("claim_verbs") and status is ClaimStatus.ASSERTED:
            # "Forces loyal to the government claim to have taken X", the verb parsed as a
            # noun; "the group's claim to have seized X"
            status = ClaimStatus.CLAIMED
        # (a participle with no subject of its own goes with its head's modality: "aim to
        # divide the suburbs, cutting the road by taking X" is still the aim)
        participle = (
            dep == "advcl"
            and node.tag_ == "VBG"
            and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in node.children)
        )
        if (
            dep in ("ccomp", "advcl")
            and not participle
            and lemma not in walk.modal("speech_verbs")
            and lemma not in walk.modal("claim_verbs")
        ):
            break
        if (dep == "relcl" and node.tag_ in ("VBD", "VBN", "VBZ", "VBP")) or (
            # "to isolate Telat al-Eis, a hill captured by rebels in May": a participle
            # with its agent describes a fact of its own too
            dep == "acl" and node.tag_ == "VBN" and any(c.dep_ == "agent" for c in node.children)
        ):
            # "seeking to reach Deir Ezzor, where IS has besieged the army": a finite
            # relative clause states a fact of its own, not the plan it hangs from
            break
        node, steps = head, steps + 1
    return status, hedged


def _adjectival_gerund(token: Token) -> bool:
    """An -ing form used as an adjective, with no subject, right after a determiner (or,
    for "surrounding", a preposition) and right before its "object" ("the surrounding
    areas", "to surrounding villages", the parser making it a verb; not "after capturing
    villages")."""
    doc, i = token.doc, token.i
    return (
        token.tag_ == "VBG"
        and 0 < i < len(doc) - 1
        and (
            doc[i - 1].pos_ == "DET" or (doc[i - 1].pos_ == "ADP" and token.lower_ == "surrounding")
        )
        and doc[i + 1].head.i == i
        and doc[i + 1].dep_ == "dobj"
        and doc[i + 1].tag_ == "NNS"
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
    )


def _what_would_be(node: Token, modals: frozenset[str]) -> bool:
    """Whether ``node`` is the subject clause or the attribute of a verb with a modal
    ("retaking Sirte would be a blow", "it would be the second city to be retaken")."""
    return node.dep_ in ("csubj", "attr") and any(
        c.dep_ == "aux" and c.lower_ in modals for c in node.head.children
    )


#: Nouns of one site (not of ground: "the territory they lost to the army").
_SITE_NOUNS = frozenset(
    "town city village district neighbourhood neighborhood suburb quarter base airbase "
    "airport hill mountain camp settlement".split()
)
#: Strongholds that, "last" or one of many ("an IS stronghold in Mosul"), lie in a city
#: rather than being it (not "an enclave in Deir ez-Zor": the city the side is held in).
_HOLDOUTS = frozenset({"stronghold", "bastion", "holdout", "redoubt", "haven", "hideout"})
#: Verbs of aiming, whose participles say how the aim is to be reached.
_AIMS = frozenset(
    {"aim", "seek", "plan", "try", "attempt", "want", "intend", "hope", "threaten", "vow"}
)
#: Words that make an infinitive on a noun a fact ("the first city to fall to IS").
_ORDINALS = frozenset({"first", "last", "second", "third", "only", "latest", "fourth"})


def _has_perfect(verb: Token) -> bool:
    """ "may have withdrawn": a modal of a perfect hedges what happened."""
    return any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)


#: Prepositions of what came before: "after capturing X", "since taking X".
_BEFORE_NOW = frozenset({"after", "since", "following", "upon"})


def _speaker_is_party(walk: _Walk, speech: Token, verb: Token) -> bool:
    """ "The army said it retook P": a side speaks of itself (a claim), not a monitor."""
    speaker = next((c for c in speech.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if speaker is None:
        return False
    if speaker.lemma_.lower() in walk.modal("reporters"):
        return False
    spoken = _actor_of_phrase(walk, speaker)
    if spoken is None:
        return False
    doer, _ = _subject(walk, verb)
    return doer is None or doer == spoken


# ----------------------------------------------------------------------------- verbs


def verb_lemma(walk: _Walk, token: Token) -> str | None:
    """The lemma of a verb that opens a frame. The small model sometimes tags a rare verb
    as a noun ("retook"): a word with a subject or an object is a verb whatever its tag."""
    if token.pos_ in ("VERB", "AUX") or token.tag_ in ("VBN", "VBG", "VBD"):
        lemma = str(token.lemma_).lower()
        if walk.lexicon.frames_for(lemma):
            return lemma
    after_aux = token.i > 0 and token.doc[token.i - 1].lower_ in ("have", "has", "had", "to")
    if not after_aux and not any(c.dep_ in ("nsubj", "dobj", "nsubjpass") for c in token.children):
        return None
    for candidate in lemma_candidates(token.lower_, walk.lexicon.irregular_forms):
        if walk.lexicon.frames_for(candidate):
            return candidate
    return None


def _copula_passive(walk: _Walk, token: Token) -> Iterator[Reading]:
    """ "Palmyra was overrun by IS in May 2015" with "overrun" tagged a noun after "was":
    a passive; the copula's subject is the place, the "by" phrase the side."""
    head = token.head
    if token.dep_ != "attr" or head.lemma_ != "be":
        return
    by = [o for c in token.children if c.dep_ == "prep" and c.lower_ == "by" for o in _objects(c)]
    subjects = [c for c in head.children if c.dep_ == "nsubj"]
    if not by or not subjects:
        return
    forms = walk.lexicon.irregular_forms
    lemma = next(
        (c for c in lemma_candidates(token.lower_, forms) if walk.lexicon.frames_for(c)), None
    )
    if lemma is None:
        return
    actor = next((a for o in by if (a := _actor_of_phrase(walk, o)) is not None), None)
    status, hedged = _status(walk, head)
    if actor is None or status is None:
        return
    for frame in walk.lexicon.frames_for(lemma):
        if frame.particle or "obj" not in frame.place or frame.object_nouns or frame.static:
            continue
        for subject in subjects:
            for place, partial, path in _places(walk, subject):
                yield Reading(
                    frame.kind,
                    place,
                    actor,
                    token.i,
                    f"{frame.name}:copula-passive:{path}",
                    partial=partial,
                    status=status,
                    hedged=hedged,
                )


def _verb_readings(walk: _Walk, token: Token) -> Iterator[Reading]:
    lemma = verb_lemma(walk, token)
    if lemma is None:
        yield from _copula_passive(walk, token)
        return
    if _adjectival_gerund(token):
        return  # "laid waste to surrounding villages": the villages around, not a siege
    frames = walk.lexicon.frames_for(lemma)
    particles = {c.lower_ for c in token.children if c.dep_ in ("prt", "advmod", "prep")}
    with_particle = [f for f in frames if f.particle and f.particle in particles]
    frames = tuple(with_particle) or tuple(f for f in frames if not f.particle)
    if any(f.kind in _TAKING for f in frames) and _failed_attempt(walk, token):
        yield from _repelled_readings(walk, token, frames, lemma)
        return
    status, hedged = _status(walk, token)
    if status is None:
        yield from _presupposed(walk, token, frames, lemma)
        return
    for frame in frames:
        needed = frame.particle_needed.get(lemma)
        if needed is not None and not (needed & particles):
            continue
        if frame.particle_blocks & particles:
            continue
        briefly = any(c.dep_ == "advmod" and c.lower_ in _BRIEFLY for c in token.children)
        gained = frame.static and token.dep_ == "xcomp" and token.head.lemma_ in _ACHIEVED
        # "the last position held by the army before IS overran it": a past state, only
        # the previous holder of the taking (see _held_until_taken)
        before = frame.static and any(
            c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "before" for m in c.children)
            for c in token.children
        )
        # "the Farouq Battalions, which have occupied Qusayr since last year": a perfect with
        # "since" states the holding since then, not a taking
        held_since = _has_perfect(token) and any(
            c.dep_ == "prep" and c.lower_ == "since" for c in token.children
        )
        for reading in _apply_frame(walk, token, frame, lemma):
            if before:
                yield replace(reading, rule=reading.rule + _BEFORE_TAKEN)
                continue
            if held_since and reading.kind in (EventKind.CAPTURED, EventKind.RECAPTURED):
                reading = replace(
                    reading, kind=EventKind.HELD_BY, static=True, rule=reading.rule + ":held-since"
                )
            if gained and reading.kind is EventKind.HELD_BY:
                # "were able to control the villages of X": took them
                reading = replace(reading, kind=EventKind.CAPTURED, static=False)
            if status is ClaimStatus.DISPUTED and reading.kind in _DISPUTABLE:
                # "the army repudiated reports that IS had taken X": a disputed claim
                reading = replace(reading, kind=EventKind.CLAIMED_DISPUTED, static=False)
            yield replace(reading, status=status, hedged=hedged)
            forcer = _forcer(walk, token) if reading.kind is EventKind.WITHDREW else None
            if forcer is not None and forcer != reading.actor:
                # "IS forced the army to withdraw from Palmyra": IS took it
                yield replace(
                    reading,
                    kind=EventKind.CAPTURED,
                    actor=forcer,
                    previous=reading.actor,
                    status=status,
                    hedged=hedged,
                    rule=f"{reading.rule}:forced-by",
                )
            if briefly and reading.kind in (EventKind.CAPTURED, EventKind.RECAPTURED):
                # "briefly seized X": taken, then lost again (to a side the text may not name)
                yield replace(
                    reading, kind=EventKind.LOST, status=status, rule=reading.rule + ":briefly"
                )


def _presupposed(
    walk: _Walk, verb: Token, frames: Sequence[VerbFrame], lemma: str
) -> Iterator[Reading]:
    """What a plan takes for granted: "sent reinforcements to defend X" (the defender
    holds X). ("An offensive to retake X from IS" would say IS holds X; read so, it cost
    more precision than it gained recall on the development table, and it is not read.)"""
    if any(c.dep_ == "neg" for a in (verb, *verb.ancestors) for c in a.children):
        return  # "did not have forces to defend it"
    for frame in frames:
        if frame.particle_blocks & {c.lower_ for c in verb.children}:
            continue
        if not frame.presupposed:
            continue
        for reading in _apply_frame(walk, verb, frame, lemma):
            if reading.actor is None or reading.rule.endswith(":nearest"):
                continue  # the defender must be named as such
            yield replace(
                reading,
                kind=EventKind.HELD_BY,
                previous=None,
                winner=None,
                static=True,
                partial=False,
                rule=f"{reading.rule}:presupposed",
            )


#: Verbs whose subject makes their object withdraw ("forced the army to withdraw").
_FORCING = frozenset({"force", "compel", "oblige", "push"})


def _forcer(walk: _Walk, verb: Token) -> str | None:
    """The side that made a side withdraw: the subject of "forced X to withdraw"."""
    head = verb.head
    if verb.dep_ not in ("xcomp", "ccomp") or head.lemma_.lower() not in _FORCING:
        return None
    if not any(c.dep_ == "dobj" for c in head.children):
        return None  # "were forced to withdraw": who forced them is not said
    return _subject(walk, head)[0]


#: Nouns of a report whose content a denial disputes ("denied reports that X fell").
_REPORT_NOUNS = frozenset(
    {"report", "claim", "account", "allegation", "rumour", "rumor", "statement", "assertion"}
)


#: Kinds whose claim a denial disputes.
_DISPUTABLE = frozenset(
    {EventKind.CAPTURED, EventKind.RECAPTURED, EventKind.HELD_BY, EventKind.ENTERED}
)

#: "managed to control X", "were able to hold X": the holding is new, a taking.
_ACHIEVED = frozenset({"able", "manage", "succeed"})
_TAKING = frozenset({EventKind.CAPTURED, EventKind.RECAPTURED, EventKind.ENTERED})


def _failed_attempt(walk: _Walk, verb: Token) -> bool:
    """Whether a taking is an attempt the text marks as failed: "failed to retake X",
    "a failed attempt to capture X", "tried to capture X without success", "attempted to
    capture X; however, they were repelled", "thwarted an attempt to take X"."""
    node = verb
    for _ in range(4):
        head, dep = node.head, node.dep_
        if head.i == node.i or dep not in ("xcomp", "acl", "advcl", "pcomp", "prep", "pobj"):
            return False
        lemma = head.lemma_.lower()
        if lemma in walk.modal("failure_heads"):
            return True
        if lemma in walk.modal("intention_heads"):
            if any(c.lower_ in walk.modal("failed_attempt_words") for c in head.children):
                return True  # "a failed attempt", "an unsuccessful bid"
            if head.dep_ in ("dobj", "nsubjpass") and (
                head.head.lemma_.lower() in walk.modal("foil_verbs")
            ):
                return True  # "thwarted an attempt to"
            rest = verb.doc[verb.i :].text.lower()
            return any(phrase in rest for phrase in walk.modal("failed_attempt_phrases"))
        node = head
    return False


def _repelled_readings(
    walk: _Walk, verb: Token, frames: Sequence[VerbFrame], lemma: str
) -> Iterator[Reading]:
    """A failed taking as a repelled attack on the place: the defender is the side it was
    to be taken from, else the side that foiled it; left open (for a held-adjective of the
    same place, see :func:`_defenders`) when the text names neither."""
    foiler = next(
        (
            side
            for t in verb.doc
            if t.lemma_.lower() in walk.modal("foil_verbs") and t.i != verb.i
            for side in [_agent(walk, t) if _is_passive(t) else _subject(walk, t)[0]]
            if side is not None
        ),
        None,
    )
    for frame in frames:
        if frame.kind not in _TAKING:
            continue
        for reading in _apply_frame(walk, verb, frame, lemma):
            other = None if reading.rule.endswith(":nearest") else _other_side(walk, reading.actor)
            defender = reading.previous or foiler or other
            if defender == reading.actor:
                continue
            yield replace(
                reading,
                kind=EventKind.REPELLED,
                actor=defender,
                previous=None,
                winner=None,
                partial=False,
                rule=f"{reading.rule}:failed",
            )


def _other_side(walk: _Walk, attacker: str | None) -> str | None:
    """The one ground-holding side a sentence names besides the attacker ("IS launched a
    counter-attack against the Turkish army after the latter's failed attempt to take X")."""
    if attacker is None:
        return None
    others = {
        code
        for t in walk.parsed.doc
        if (code := walk.actor_code(t)) is not None and code in walk.holders and code != attacker
    }
    return others.pop() if len(others) == 1 else None


def _defenders(readings: list[Reading]) -> list[Reading]:
    """A failed attempt on a place the sentence calls held by a side ("tried to capture the
    government-held districts"): that side defended it."""
    held = {r.place: r.actor for r in readings if r.kind is EventKind.HELD_BY and r.actor}
    return [
        replace(r, actor=held[r.place])
        if r.kind is EventKind.REPELLED and r.actor is None and r.place in held
        else r
        for r in readings
    ]


def _held_until_taken(readings: list[Reading]) -> list[Reading]:
    """A holding the sentence states of a place it says another side took describes the
    place until then ("Zumar was one of the first Kurdish-controlled towns overrun in August
    by IS"): dated as the taking is, so the taking follows it."""
    taken = {
        r.place: r
        for r in readings
        if r.kind in (EventKind.CAPTURED, EventKind.RECAPTURED) and r.actor and not r.partial
    }
    # "Zabadani, the rebels' last stronghold, fell": held by the side that lost it, until then
    lost = {r.place: r for r in readings if r.kind is EventKind.LOST and r.actor and not r.partial}
    previous: dict[int, str] = {}  # the taking's token -> the side that held the place
    out = []
    for r in readings:
        loss = lost.get(r.place) if r.kind is EventKind.HELD_BY and not r.partial else None
        if loss is not None and r.actor == loss.actor and r.static:
            out.append(replace(r, token=loss.token, static=False, rule=f"{r.rule}:until-lost"))
            continue
        taking = taken.get(r.place) if r.kind is EventKind.HELD_BY and not r.partial else None
        if r.rule.endswith(_BEFORE_TAKEN):
            # "the last position held by the army before IS overran it": no state of its
            # own, only who held it before the taking
            if taking is not None and r.actor and r.actor != taking.actor:
                previous.setdefault(taking.token, r.actor)
            continue
        if taking is not None and r.actor and r.actor != taking.actor:
            previous.setdefault(taking.token, r.actor)
            r = replace(r, token=taking.token, static=False, rule=f"{r.rule}:until-taken")
        out.append(r)
    if previous:
        out = [
            replace(r, previous=previous[r.token])
            if r.token in previous
            and r.previous is None
            and r.kind in (EventKind.CAPTURED, EventKind.RECAPTURED)
            else r
            for r in out
        ]
    return out


#: The mark of a state a "before" clause ends ("held by the army before IS overran it").
_BEFORE_TAKEN = ":before-taken"


def _speaker_side(walk: _Walk, verb: Token) -> str | None:
    """The side that announces its own taking: "the army announced that Aleppo has been
    recaptured from the rebels" (a passive with no agent, said by a side)."""
    if verb.dep_ in ("acl", "ccomp") and verb.head.lemma_.lower() in _REPORT_NOUNS:
        # "denied reports from ISIS that the town has been overrun": whose report it is
        for prep in verb.head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                for obj in _objects(prep):
                    code = _actor_of_phrase(walk, obj)
                    if code is not None and code in walk.holders:
                        return code
        return None
    node = verb
    for _ in range(3):
        head = node.head
        if head.i == node.i or node.dep_ not in ("ccomp", "xcomp", "conj", "csubj"):
            return None
        lemma = head.lemma_.lower()
        if lemma in walk.modal("speech_verbs") or lemma in walk.modal("claim_verbs"):
            if head.tag_ not in ("VBD", "VBZ", "VBP", "VBN"):
                return None  # "will be able to say that X has been cleared": not yet said
            side, _how = _subject(walk, head)
            liberating = (verb_lemma(walk, verb) or verb.lemma_.lower()) in _LIBERATING
            if liberating and side in walk.lexicon.supporter_partners:
                # "the US-led coalition said only a third of Fallujah has been cleared": the
                # side the supporter backs
                side = walk.lexicon.supporter_partners[side or ""]
            if side is None and liberating:
                # "a senior Iraqi commander declared that Fallujah was fully liberated":
                # nobody calls the enemy's taking a liberation
                speaker = next((c for c in head.children if c.dep_ == "nsubj"), None)
                side = _official_side(walk, speaker) if speaker is not None else None
            return side if side in walk.holders or side is None else None
        node = head
    return None


#: Verbs of taking that only the taker's side uses.
_LIBERATING = frozenset(
    {"liberate", "free", "recapture", "retake", "regain", "purge", "cleanse", "clear"}
)
#: Officials whose nationality names the government they speak for.
_OFFICIALS = _VOICES | frozenset(
    {"officer", "general", "colonel", "minister", "ministry", "military", "army", "command"}
)
#: Nationality words of a government's officials ("an Iraqi commander"): the government
#: of the place's country.
_NATIONALITY = frozenset({"iraqi", "iraq", "syrian", "syria", "libyan"})


def _official_side(walk: _Walk, speaker: Token) -> str | None:
    """The side an official speaks for by the words on the noun: "a rebel commander",
    "a senior Iraqi commander", "Iraq's prime minister" (the government of the place)."""
    if speaker.lemma_.lower() not in _OFFICIALS:
        return None
    side = _side_adjective(walk, speaker)
    if side is not None:
        return side
    for child in speaker.children:
        if child.dep_ in ("amod", "compound", "nmod") and child.lower_ in _NATIONALITY:
            return "GOV"
        if child.dep_ == "poss" and _country(walk, child) is not None:
            return "GOV"
    return None


def _is_passive(token: Token) -> bool:
    """A passive verb, or a past participle used as one ("the town, captured by IS");
    "which has controlled" (a perfect with its own subject) is active."""
    children = list(token.children)
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in children):
        return True
    if _reduced_passive(token):
        return True  # "to reach troops surrounded for years by the jihadists"
    if (
        token.tag_ in ("VBD", "VBN")
        and token.dep_ == "amod"
        and not any(c.dep_ in ("aux", "dobj") for c in children)
    ):
        # "the government controlled Suleimaniyeh District", "the Syrian Arab Army
        # controlled Al-Rashidiyah District" (its side parsed as a subject): "X-controlled"
        return True
    if any(c.dep_ in ("nsubj", "aux", "dobj") for c in children):
        return False  # ("rebels backed by Turkey captured Dabiq": an object, so active)
    if token.dep_ == "acl" and any(c.dep_ == "agent" for c in children):
        return True  # "towns overrun by IS", the participle mis-tagged as a present
    if token.tag_ != "VBN":
        return False
    return token.dep_ in ("acl", "amod", "relcl", "advcl")


def _reduced_passive(verb: Token) -> bool:
    """A participle with a "by" agent that the parser read as a past tense, with the noun
    it describes as its subject or before it: "to reach troops surrounded for years by the
    jihadists", "broke through to troops surrounded by IS"."""
    children = list(verb.children)
    return (
        verb.tag_ in ("VBD", "VBN")
        and verb.dep_ in ("ccomp", "advcl", "acl", "relcl", "conj")
        and any(c.dep_ == "agent" for c in children)
        and not any(c.dep_ in ("aux", "dobj", "auxpass", "nsubjpass") for c in children)
        and (
            any(c.dep_ == "nsubj" and c.i < verb.i for c in children)
            or (
                verb.dep_ in ("ccomp", "advcl", "conj")
                and verb.i >= 1
                and verb.doc[verb.i - 1].pos_ in ("NOUN", "PROPN")
            )
        )
    )


def _apply_frame(walk: _Walk, verb: Token, frame: VerbFrame, lemma: str) -> Iterator[Reading]:
    passive = _is_passive(verb) and "subj" not in frame.place
    if (
        passive
        and not frame.static
        and verb.dep_ in ("acl", "amod")
        and any(f.static for f in walk.lexicon.frames_for(lemma))
    ):
        return  # "districts occupied by IS": a participle of a state, read by the static frame
    obj = _object(verb, passive)
    nouns = frame.object_nouns or frame.object_nouns_for.get(lemma, frozenset())
    attacker = frame.object_actor_ok and (
        (obj is not None and walk.actor_code(obj) is not None)
        # "after being repelled by the army in X", "attacked X but were repelled by Y": the
        # repelled side is the clause's subject
        or (passive and obj is None and _agent(walk, verb) is not None)
    )
    if nouns and (obj is None or obj.lemma_.lower() not in nouns) and not attacker:
        return
    if frame.needs_previous and (obj is None or _actor_of_phrase(walk, obj) is None):
        return
    if frame.no_object_actor and obj is not None and walk.actor_code(obj) is not None:
        return
    if lemma in frame.plain_object_lemmas and not _plain_object(walk, verb, obj):
        return
    if frame.only_tags and verb.tag_ not in frame.only_tags:
        return  # "expelled IS fighters defending the village": no longer theirs
    if obj is not None and obj.lemma_.lower() in walk.lexicon.idiom_objects.get(lemma, ()):
        return  # "took part in", "held talks in": an idiom, not the frame
    if (
        not nouns
        and obj is not None
        and frame.kind is EventKind.REPELLED
        and walk.actor_code(obj) is None
        and obj.lemma_.lower() not in _ATTACKERS
    ):
        return
    if passive:
        actor, how = _agent(walk, verb), "passive"
        if actor is None and frame.kind is EventKind.LOST:
            # "X was lost to IS after the regime's forces withdrew": the side that withdrew
            actor, how = _withdrawn_side(walk, verb), "passive-withdrawn"
        if actor is None and frame.static and "obj" not in frame.place and obj is not None:
            # "forces were holed up in X": an adjective's subject, the side that holds
            actor, how = _actor_of_phrase(walk, obj), "stative-subj"
        if actor is None and verb.dep_ == "amod":  # "the SAA controlled villages of X"
            actor, how = _modifier_side(walk, verb), "passive-modifier"
        if actor is None and frame.kind in _TAKING:
            actor, how = _speaker_side(walk, verb), "passive-speaker"
        if actor is None and frame.kind in _TAKING and walk.taker is not None:
            # "Manbij was recaptured late Friday": by the side the story told of taking
            # ground (the reader checks the place is in the country it fights in)
            actor, how = walk.taker[0], "passive-story-taker"
        if actor is None and frame.kind is EventKind.BESIEGED and walk.besieger is not None:
            # "the soldiers who have been besieged inside the base": the siege the story
            # tells of, unless the besieged are that siege's own side
            besieger, names, _country = walk.besieger
            if obj is None or _actor_of_phrase(walk, obj) not in names:
                actor, how = besieger, "passive-story-siege"
    else:
        actor, how = _subject(walk, verb)
        if actor is None and verb.dep_ == "csubj" and verb.tag_ == "VBG":
            # "'Seizing control of Mount Hilal is an important step,' SANA reported": the
            # side whose voice says it
            actor, how = _speaker_side(walk, verb), "gerund-speaker"
        people = how == "acl" and verb.tag_ == "VBG" and verb.head.pos_ == "NOUN"
        # ("X fell to IS": with the place as subject, the side is the winner, not a side
        # named nearby)
        if (
            actor is None
            and how not in ("subj", "gerund-speaker")
            and not people
            and ("subj" not in frame.place)
        ):
            # (not for "refugees fleeing Hit": the noun a participle describes is its subject)
            actor, how = _nearest_side(walk, verb), "nearest"
    if (
        (actor is None or (frame.static and not passive))
        and obj is not None
        and obj.lemma_.lower() in walk.lexicon.control_nouns
    ):
        # "the operations extended Turkish control over X": whose control it is; "strikes
        # weakened IS's hold on Sirte": whose hold it is, whoever weakens it
        actor = (
            next(
                (
                    code
                    for c in obj.children
                    if c.dep_ in ("amod", "poss", "compound")
                    and (code := _actor_of_phrase(walk, c) or _side_word(walk, c))
                ),
                None,
            )
            or actor
        )
        how = f"{how}:control-owner" if actor is not None else how
    previous = _role_actor(walk, verb, obj, frame.previous)
    if how == "passive-story-taker" and walk.taker is not None and previous in walk.taker[1]:
        actor = None  # "X was liberated from the SDF": not by the SDF
    winner = _role_actor(walk, verb, obj, frame.winner)
    # "pushed deeper into Mosul": inside, fighting for it, part of it held
    deeper = frame.kind is EventKind.ENTERED and any(
        c.lower_ in ("deeper", "further") for c in verb.children
    )
    deeper = deeper or frame.partial or _partly(walk, verb, obj)
    found = [
        (role, place, partial, path)
        for role in frame.place
        for place, partial, path in _role_places(
            walk, verb, obj, role, passive, loser_object=frame.needs_previous
        )
    ]
    if any(role in ("obj", "noun_prep") for role, *_rest in found):
        # "al-Foua and Kefraya, besieged by rebels in Idlib", "foiled an assault on the
        # Sina'a district in Deir Ezzor city": with the place as object, the "in" phrase is
        # where it lies
        found = [f for f in found if f[0] != "prep:in"]
    placeless = (
        obj is None
        or frame.needs_previous
        or (passive and walk.actor_code(obj))
        # "fled their posts": the side's own positions, where the clause says
        or (
            frame.kind is EventKind.WITHDREW
            and obj.lemma_.lower() in _OWN_POSITIONS
            and any(c.dep_ == "poss" for c in obj.children)
            and not any(c.dep_ == "prep" for c in obj.children)
        )
    )
    clause_place = (
        (frame.needs_previous and _expels_alone(verb))
        or frame.kind is EventKind.WITHDREW
        or (frame.kind is EventKind.ENTERED and "obj" in frame.place)
    ) and not any(  # "flushed IS from their positions in the hospital": a place of its own
        c.dep_ == "prep" and c.lower_ in ("from", "of", "into") for c in verb.children
    )
    if not found and frame.needs_previous and obj is not None:
        # "expelled all IS fighters defending the village": the place they defended (the
        # participle on the fighters, or the parser's small clause with them as subject)
        defending = [c for c in obj.children if c.dep_ == "acl"]
        if obj.dep_ == "nsubj" and obj.head.dep_ in ("ccomp", "advcl"):
            defending.append(obj.head)
        found = [
            ("defended", place, partial, f"defended-{path}")
            for acl in defending
            if acl.lemma_.lower() in _DEFENDING and acl.tag_ == "VBG"
            for target in acl.children
            if target.dep_ == "dobj"
            for place, partial, path in _places(walk, target)
        ]
    if not found and placeless and clause_place and not frame.object_nouns and _datable(verb):
        # "captured 60 percent of Raqa since it entered in June", "They were driven out in
        # March but recaptured the town": the place of the clause it is tied to (when the
        # verb's own clause dates it: "nine months after it was driven out" has no date)
        found = [("clause", place, False, path) for place, path in _clause_places(walk, verb)]
    if frame.static and "prep:to" in frame.place:
        # "withdrew to their nearby territory in the towns of A and B": ground the text says
        # is theirs (not "fled to the town of Rawa", where they may be only passing), in
        # the "in" phrase after it, which the parser may hang on the verb
        own = [
            ground
            for ground in _preps(verb, "to")
            if (_part_noun(walk, ground) or ground.lemma_.lower() in walk.lexicon.stronghold_nouns)
            and any(c.dep_ == "poss" for c in ground.children)
        ]
        found = [
            ("to-own-ground", place, False, f"to-own-{path}")
            for ground in own
            for place, _partial, path in _places(walk, ground)
        ] + [
            ("to-own-ground-in", place, False, f"to-own-{ground.lemma_.lower()}-in-{path}")
            for ground in own
            for where in verb.children
            if where.dep_ == "prep"
            and where.i == ground.right_edge.i + 1
            and where.lower_ in _INSIDE
            for target in _objects(where)
            for place, _partial, path in _places(walk, target)
        ]
    if not found and frame.kind is EventKind.LOST and obj is None and verb.dep_ == "relcl":
        # "launched a counter-offensive in the Turkmen Mountains to recapture the territory
        # they lost to the army": where the attack to win it back was launched, part of it
        found = [
            ("won-back", place, True, path) for place, path in _ground_won_back(walk, verb.head)
        ]
    if not found and not passive and frame.kind in (EventKind.WITHDREW, EventKind.REPELLED):
        # "the IS contingent in Palmyra had withdrawn", "fighters in X held off the army":
        # where the acting side is
        found = [("subj-in", place, False, path) for place, path in _subject_location(walk, verb)]
    if not found and passive and attacker and verb.dep_ == "conj":
        # "launched counter-offensives against Haditha but were repelled by Iraqi forces":
        # where the attack the repelled side launched was aimed
        launched = next(
            (
                c
                for c in verb.head.children
                if c.dep_ == "dobj" and c.lemma_.lower() in walk.lexicon.attack_nouns
            ),
            None,
        )
        if launched is not None:
            found = [
                ("aim", place, partial, path)
                for place, partial, path in _role_places(
                    walk, verb.head, launched, "noun_prep", False
                )
            ]
    if how == "passive-story-siege":
        found = [f for f in found if _story_siege_fits(walk, f[1])]
    kind = frame.kind
    if actor is None and passive and previous is not None and frame.needs_previous:
        kind, actor, previous = EventKind.LOST, previous, None  # "they were driven out of X"
    if "subj" in frame.place and how == "subj" and actor is not None and frame.winner:
        # "Zabadani, the rebels' last stronghold, fell on Sunday": the side the place's own
        # phrase names held it; the winner, if any, follows "to"
        if winner is None:
            kind = EventKind.LOST
        else:
            actor = None
    for role, place, partial, path in found:
        yield Reading(
            kind,
            place,
            actor,
            verb.i,
            f"{frame.name}:{'passive-' if passive else ''}{role}:{path}:{how}",
            previous=previous,
            winner=winner,
            partial=partial or deeper,
            static=frame.static,
        )


_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday yesterday today ago".split()
)


#: Verbs of winning back ground ("to recover the territory they lost").
_WIN_BACK = frozenset({"recover", "recapture", "regain", "retake", "reclaim", "restore"})
#: Prepositions of where an attack is launched or fought.
_ATTACK_AT = frozenset({"in", "at", "along", "on", "inside", "around"})


def _ground_won_back(walk: _Walk, noun: Token) -> Iterator[tuple[int, str]]:
    """The places where an attack to win back ``noun`` ("the territory", "the points") was
    launched: the "in/at/along" phrases of the verb that launched it and of its attack
    noun ("launched several attacks along the eastern slopes of X in order to recover the
    points they lost")."""
    win = noun.head
    if noun.dep_ != "dobj" or win.lemma_.lower() not in _WIN_BACK:
        return
    if (
        noun.lemma_.lower() not in _AREA_NOUNS
        and noun.lemma_.lower() not in walk.lexicon.partial_nouns
    ):
        return
    launched = next((a for a in win.ancestors if a.pos_ == "VERB"), None)
    if launched is None:
        return
    holders = [launched] + [
        c
        for c in launched.children
        if c.dep_ == "dobj" and c.lemma_.lower() in walk.lexicon.attack_nouns
    ]
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ != "prep" or prep.lower_ not in _ATTACK_AT:
                continue
            for target in _objects(prep):
                for place, _partial, path in _places(walk, target):
                    yield place, f"{prep.lower_}-{path}"


def _datable(verb: Token) -> bool:
    """Whether a placeless verb's time follows from its own words or its tie to the clause
    it hangs on: "as the army pulled back" (at the same time), "but withdrew again" (next),
    "since it entered in June" (its own date); not "nine months after it was driven out"
    (an offset the text gives and the reader does not compute)."""
    marks = [c for c in verb.children if c.dep_ == "mark"]
    words = {m.lower_ for m in marks}
    if verb.dep_ == "advcl" and words & {"after", "before", "since", "until"}:
        # "after Kurdish forces pulled out" (right before) is datable; "nine months after
        # it was driven out" (an offset on the mark) only by a date of its own
        offset = any(
            t.lemma_.lower() in _DURATIONS for m in marks for t in m.doc[max(0, m.i - 3) : m.i]
        ) or any(t.lemma_.lower() in _DURATIONS for m in marks for t in m.children)
        if words == {"after"} and not offset:
            return True
        return _own_date(verb)
    return True


#: Units of an offset before "after" ("nine months after").
_DURATIONS = frozenset({"hour", "day", "week", "month", "year", "decade"})


def _own_date(verb: Token) -> bool:
    """Whether the verb's own clause names a date ("in June", "in August 2014", "last
    December", "on Sunday"), not counting the clauses hanging on it."""
    for child in verb.children:
        if child.dep_ in ("conj", "advcl", "ccomp", "xcomp", "relcl", "dobj", "nsubj"):
            continue
        for token in child.subtree:
            low = token.lower_
            if low in _DATE_WORDS or (
                len(low) == 4 and low.isdigit() and low.startswith(("19", "20"))
            ):
                return True
    return False


#: Verbs that mean driving a side out without "out" ("ousted", "dislodged").
_EXPEL_ALONE = frozenset({"expel", "oust", "dislodge", "evict", "eject", "uproot", "rout", "purge"})


def _expels_alone(verb: Token) -> bool:
    """An expulsion with no place named: "were ousted", "were driven out" (not "were forced
    to witness", "pushed")."""
    return verb.lemma_.lower() in _EXPEL_ALONE or any(
        c.dep_ in ("prt", "advmod") and c.lower_ in ("out", "away") for c in verb.children
    )


#: Words that tie a clause to the one it hangs on in time ("since it entered").
_TIME_MARKS = frozenset({"since", "after", "when", "before", "as", "once", "until", "while"})


#: Prepositions of where an attempt or attack is aimed ("to advance on X").
_AIMED = frozenset({"on", "to", "toward", "towards", "into", "against", "in", "at"})


def _aimed_places(walk: _Walk, noun: Token) -> Iterator[tuple[int, bool, str]]:
    """Where the clause on an attack or attacker aims: "their attempt to hit the district
    of X", "the terrorists that were attempting to advance on the Dumayr Airbase"."""
    for clause in noun.children:
        if clause.dep_ not in ("acl", "relcl") or clause.pos_ not in ("VERB", "AUX"):
            continue
        verbs = [clause, *(c for c in clause.children if c.dep_ == "xcomp")]
        for verb in verbs:
            for target in _clause_objects(verb, _AIMED):
                for place, partial, path in _places(walk, target):
                    yield place, partial, f"aimed-{path}"


#: Participles of holding a place ("fighters defending the village").
_DEFENDING = frozenset({"defend", "hold", "guard", "occupy", "control", "man"})


def _withdrawn_side(walk: _Walk, verb: Token) -> str | None:
    """The subject of a withdrawal clause hung on ``verb`` ("after the army withdrew")."""
    for child in verb.children:
        if child.dep_ == "advcl" and any(
            f.kind is EventKind.WITHDREW
            for f in walk.lexicon.frames_for(verb_lemma(walk, child) or child.lemma_.lower())
        ):
            return _subject(walk, child)[0]
    return None


def _subject_location(walk: _Walk, verb: Token) -> Iterator[tuple[int, str]]:
    """Where a verb's subject is: "the contingent in Palmyra" (a conjoined verb shares its
    head's subject); never inside a clause of the subject's own."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None and verb.dep_ == "conj":
        subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return
    todo = [subject]
    while todo:
        token = todo.pop()
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "inside"):
                for target in _objects(child):
                    for place, _partial, path in _places(walk, target):
                        yield place, f"subject-in-{path}"
            elif child.pos_ not in ("VERB", "AUX") and child.dep_ not in _CLAUSES:
                todo.append(child)


def _clause_objects(verb: Token, preps: frozenset[str]) -> Iterator[Token]:
    """A verb's direct object and the objects of its prepositions ``preps``."""
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass"):  # "X was lost after the army withdrew"
            yield child
        elif child.dep_ == "prep" and child.lower_ in preps:
            yield from _objects(child)


def _clause_places(walk: _Walk, verb: Token) -> Iterator[tuple[int, str]]:
    """The places named as objects of the clause a placeless verb is tied to: the clause it
    hangs on by "since"/"after"/"when", its coordinate ("were driven out ... but recaptured
    the town"), or a time clause hanging on it."""
    related: list[Token] = []
    timed = any(_time_mark(c) for c in verb.children)
    if verb.dep_ in ("advcl", "conj") and (timed or verb.dep_ == "conj"):
        related.append(verb.head)
    node = verb
    while node.dep_ == "xcomp" and node.head.i != node.i:
        node = node.head
    if node.dep_ == "pcomp" and node.head.lower_ in _TIME_MARKS | _BEFORE_NOW:
        # "entered the camp after being forced to withdraw earlier this year"
        related.append(node.head.head)
    for child in verb.children:
        verb_conj = child.dep_ == "conj" and child.pos_ in ("VERB", "AUX")
        timed_clause = child.dep_ == "advcl" and any(_time_mark(c) for c in child.children)
        if verb_conj or timed_clause:
            related.append(child)
    for clause in related:
        targets = list(_clause_objects(clause, _CLAUSE_PREPS))
        lemma = verb_lemma(walk, clause) or clause.lemma_.lower()
        if any("subj" in f.place for f in walk.lexicon.frames_for(lemma)):
            # "Ramadi fell to IS after Iraqi forces based there fled their posts": the
            # place the clause says fell
            targets += [c for c in clause.children if c.dep_ == "nsubj"]
        for target in targets:
            for place, _partial, path in _places(walk, target):
                yield place, f"{clause.lemma_.lower()}-{path}"


def _time_mark(token: Token) -> bool:
    """A word that ties a clause to the time of another: "after", "when" (which the parser
    may make an adverb: "When IS took over Ramadi, the army fled")."""
    return token.lower_ in _TIME_MARKS and (
        token.dep_ == "mark" or (token.dep_ == "advmod" and token.tag_ == "WRB")
    )


#: Prepositions whose objects are the places of a clause ("entered in X", "drove IS from X").
_CLAUSE_PREPS = frozenset({"in", "into", "of", "from", "inside"})


def _plain_object(walk: _Walk, verb: Token, obj: Token | None) -> bool:
    """A finite verb whose object is a place name and nothing is said of it ("left Afrin";
    not "leaving half the district under their control", "left the town in ruins")."""
    forced = verb.dep_ == "xcomp" and verb.head.lemma_.lower() in walk.modal("realis_heads")
    if (verb.tag_ not in ("VBD", "VBZ", "VBP", "VBN") and not forced) or obj is None:
        return False  # ("forced them to leave X" happened; "plans to leave X" did not)
    if obj.i and obj.doc[obj.i - 1].lower_ in ("to", "toward", "towards"):
        return False  # "left to Deir Hafer" (misparsed): where they went
    own = obj.lemma_.lower() in _OWN_POSITIONS and any(c.dep_ == "poss" for c in obj.children)
    if walk.place_slot(obj) is None and not own:
        return False  # ("left their positions in X": the side's own ground there)
    secondary = ("xcomp", "ccomp", "oprd", "acomp", "advcl")
    if any(c.dep_ in secondary for c in verb.children):
        return False
    return not any(
        child.dep_ == "prep"
        and child.lower_ in ("under", "in", "to")
        and any(o.lemma_.lower() in walk.lexicon.under_nouns for o in _objects(child))
        for child in verb.children
    )


#: A side's own ground: "left their positions in central Baiji".
_OWN_POSITIONS = frozenset({"position", "post", "positions", "posts"})


def _partly(walk: _Walk, verb: Token, obj: Token | None) -> bool:
    """Control the verb's words make partial: "largely captured X", "gained partial control
    of X", "took nearly total control of X", "seized near complete control of X"."""
    lexicon = walk.lexicon
    if any(c.dep_ == "advmod" and c.lower_ in lexicon.partial_adverbs for c in verb.children):
        return True
    if obj is None:
        return False
    for mod in obj.children:
        if mod.dep_ not in ("amod", "compound", "advmod"):
            continue
        word = mod.lower_
        if word in lexicon.partial_adjectives:
            return True
        if word in lexicon.whole_adjectives and (
            any(c.lower_ in lexicon.near_words for c in mod.children)
            or (mod.i >= 1 and obj.doc[mod.i - 1].lower_ in lexicon.near_words)
        ):
            return True
    return False


_BRIEFLY = frozenset({"briefly", "temporarily", "momentarily"})
_ATTACKERS = frozenset({"fighter", "militant", "jihadist", "force", "troop", "attacker", "wave"})


def _object(verb: Token, passive: bool) -> Token | None:
    if not passive and verb.dep_ == "compound":  # "to have overrun the base", mis-tagged
        return verb.head
    deps = ("nsubjpass",) if passive else ("dobj", "obj")
    if passive and _reduced_passive(verb):
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        return subject if subject is not None else verb.doc[verb.i - 1]
    found = [c for c in verb.children if c.dep_ in deps]
    if found:  # ("Another town on the border, Tal Abyad was captured": the one by the verb)
        return found[-1] if passive else found[0]
    if not passive:  # a name after the verb parsed as its subject: the object
        for child in verb.children:
            if child.dep_ == "nsubj" and child.i == verb.i + 1 and child.pos_ == "PROPN":
                return child
        # "neighborhoods it controls in X": an object relative clause with no "which", on
        # parts of a place the verb's "in" phrase names
        if (
            verb.dep_ == "relcl"
            and verb.head.i < verb.i
            and verb.head.tag_ == "NNS"
            and verb.head.lemma_.lower() in _CITY_PARTS
            and any(c.dep_ == "nsubj" and c.lower_ not in _RELATIVE for c in verb.children)
            and any(c.dep_ == "prep" and c.lower_ in _INSIDE for c in verb.children)
        ):
            return verb.head
        # "Masaken Hanano was the first district the rebels took": a place noun with an
        # object relative clause and no "which"
        if (
            verb.dep_ == "relcl"
            and verb.head.i < verb.i
            and verb.head.lemma_.lower() in _SITE_NOUNS
            and any(c.dep_ == "nsubj" and c.lower_ not in _RELATIVE for c in verb.children)
            # (not "the town the army withdrew from": a preposition left without its object)
            and not any(
                c.lower_ in _RELATIVE or (c.dep_ == "prep" and not list(c.children))
                for c in verb.children
            )
            and not any(c.lower_ in _RELATIVE for c in verb.subtree if c.i < verb.i)
        ):
            return verb.head
    if passive and verb.dep_ in ("acl", "amod", "relcl"):
        # "the town, captured by IS": the noun it describes; "buses from the villages of A
        # and B, besieged by rebels": the parser may hang the participle on a noun far
        # before the names right before its comma
        before = verb.doc[verb.i - 2] if verb.i >= 2 and verb.doc[verb.i - 1].is_punct else None
        if (
            before is not None
            and before.i > verb.head.i
            and before.pos_ == "PROPN"
            and before.dep_ in ("pobj", "conj", "appos")
            and verb.head.pos_ == "NOUN"
            and verb.head.lemma_.lower() not in PLACE_NOUNS
        ):
            while before.dep_ == "conj" and before.head.i < before.i:
                before = before.head
            return before
        return verb.head
    if passive and verb.dep_ == "advcl":  # "Besieged by IS since 2015, the city ..."
        return next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if passive and verb.dep_ == "pcomp" and verb.head.head.pos_ in ("VERB", "AUX"):
        # "rebels suffered a defeat by being driven from X" (a preposition on the verb, not
        # "on the verge of being kicked out")
        subjects = [c for c in verb.head.head.children if c.dep_ == "nsubj"]
        return subjects[-1] if subjects else None  # (the one next to the verb)
    if not passive:  # "laid siege to X": siege as a noun object of the verb
        for child in verb.children:
            if child.dep_ in ("attr", "oprd"):
                return child
        # "expelled IS fighters defending X", parsed as a small clause: its subject
        for child in verb.children:
            if child.dep_ in ("ccomp", "advcl") and child.tag_ == "VBG":
                subject = next((c for c in child.children if c.dep_ == "nsubj"), None)
                if subject is not None and subject.i == child.i - 1:
                    return subject
        # "broke through a siege of X": the siege is what is broken
        for broken in _preps(verb, "through"):
            if broken.lemma_.lower() in _SIEGE_WORDS:
                return broken
        # "recaptured Raqqa from IS": the small parser often hangs a name right after the
        # verb as a noun-phrase adverbial; a proper noun there is the object
        for child in verb.children:
            if child.dep_ == "npadvmod" and child.pos_ == "PROPN" and child.i == verb.i + 1:
                return child
        # "the town of Qaim that Iraqi forces retook": "that" parsed as a conjunction, the
        # relative clause as a complement; the name before "that" is the object
        for child in verb.children:
            if child.dep_ == "mark" and child.lower_ == "that" and child.i >= 1:
                before = verb.doc[child.i - 1]
                if before.pos_ == "PROPN" and before.dep_ in ("pobj", "dobj", "appos", "conj"):
                    return before
        # "taken near complete control of X": the parser reads "near" as a preposition
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ == "near" and child.i == verb.i + 1:
                target = next((c for c in child.children if c.dep_ == "pobj"), None)
                if target is not None and any(c.dep_ == "amod" for c in target.children):
                    return target
    return None


def _role_places(
    walk: _Walk,
    verb: Token,
    obj: Token | None,
    role: str,
    passive: bool,
    loser_object: bool = False,
) -> Iterator[tuple[int, bool, str]]:
    """The places of one role of a verb frame (``loser_object``: the frame's object is the
    side that loses the place, "drove the extremists out")."""
    if role == "obj":
        if obj is not None:
            yield from _listed(walk, verb)
            if obj.lower_ in _RELATIVE and verb.dep_ == "relcl":
                # "Qayyarah, which troops retook"; "Idlib is the second capital that Damascus
                # has lost": what the antecedent describes
                yield from _relative_places(walk, _antecedent_noun(verb))
            else:
                found = _copula_subject_places(walk, obj) or list(_places(walk, obj))
                lemma = _counted(obj).lemma_.lower()
                if not found and (
                    lemma in walk.lexicon.partial_nouns
                    or lemma in _AREA_NOUNS
                    or lemma in _FACILITIES  # "took the National Hospital in Raqqa"
                ):
                    # "captured several blocks inside X" ("inside X" under the verb), "seized
                    # a number of points inside of X": part of X
                    found = [
                        (place, True, f"{lemma}-{child.lower_}-{path}")
                        for child in verb.children
                        if child.dep_ in ("prep", "advmod") and child.lower_ in _INSIDE
                        for target in _objects(child)
                        for place, _p, path in _places(walk, target)
                    ]
                if not found and lemma in walk.lexicon.stronghold_nouns:
                    # "lost its stronghold in Mosul" with "in Mosul" hung on the verb, "lost
                    # its de facto capital Raqa" with the name hung on the verb
                    # ("gained a foothold in Murra": part of it)
                    part = lemma == "foothold"
                    found = [(place, part, path) for place, path in _trailing_in(walk, obj)]
                    after = obj.i + 1
                    slot = walk.place_slot(obj.doc[after]) if after < len(obj.doc) else None
                    if not found and slot is not None and obj.doc[after].head.i == verb.i:
                        found = [(slot, False, f"{lemma}-name-after")]
                yield from found
                named = any(  # "villages of X", "territory in Syria": a place of its own
                    c.dep_ in ("appos", "compound", "acl", "relcl")
                    or (
                        c.dep_ == "prep"
                        and c.lemma_.lower() != "from"
                        # "large swathes of territory": still no place of its own
                        and not all(
                            o.lemma_.lower() in _AREA_NOUNS and not list(_places(walk, o))
                            for o in _objects(c)
                        )
                    )
                    for c in obj.children
                )
                if (
                    not found
                    and not named
                    and obj.lemma_.lower() in _AREA_NOUNS
                    and not _about_countries(walk)
                ):
                    # "retaking areas from government forces" in an article or sentence on
                    # Raqqa province: part of the province
                    province = _referent(walk, obj, _PROVINCES)
                    if province is not None:
                        yield province, True, f"{obj.lemma_.lower()}-in-province-ref"
                    elif obj.lemma_.lower() in _RURAL and (city := _city_referent(walk, obj)):
                        # "the SDF had captured at least 10 villages" in a story on the
                        # offensive on Raqa: villages of the city's province
                        yield city, True, f"{obj.lemma_.lower()}-in-city-province-ref"
    elif role == "subj":
        holder = verb
        if verb.dep_ == "conj" and not any(c.dep_ in _SUBJECTS for c in verb.children):
            holder = verb.head  # "Ain Issa is north of Raqa, and fell to the Kurds": shared
        for child in holder.children:
            if child.dep_ in _SUBJECTS:
                if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                    yield from _relative_places(walk, verb.head)
                else:
                    yield from _places(walk, child)
        infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
        if (
            infinitive
            and verb.dep_ in ("acl", "relcl")
            and not any(c.dep_ in _SUBJECTS for c in verb.children)
        ):  # "Fallujah was the first city to fall to IS": the noun it is said of
            yield from _relative_places(walk, verb.head)
    elif role == "noun_prep" and obj is not None:
        for child in obj.children:
            if child.dep_ == "prep" and child.lemma_.lower() in walk.lexicon.noun_preps:
                for target in _objects(child):
                    yield from _places(walk, target)
        yield from _aimed_places(walk, obj)
        for child in obj.children:  # "the Raqqa offensive", "the Deir Ezzor siege"
            if child.dep_ == "compound" and walk.place_slot(child) is not None:
                yield from _places(walk, child)
        # "laid siege to X", "reestablished control over X", "thwarted an advance by IS into
        # X": the preposition under the verb
        attack = obj.lemma_.lower() in walk.lexicon.attack_nouns
        for child in verb.children:
            if child.dep_ == "prep" and (
                child.lemma_.lower() in ("to", "on", "around", "over", "of")
                or (attack and child.lower_ == "into")
            ):
                for target in _objects(child):
                    yield from _places(walk, target)
    elif role.startswith("prep:"):
        targets = _preps(verb, role[5:])
        if loser_object:  # "drove IS out of A and B, some 27 miles from Irbil": not Irbil
            targets = [t for t in targets if not _measured(t.head)]
        for target in targets:
            yield from _places(walk, target)
            yield from _listed(walk, verb)
        if (
            (role in ("prep:in", "prep:at") or (not targets and loser_object))
            and verb.dep_ == "relcl"
            and any(c.lower_ == "where" for c in verb.children)
        ):
            # "Deir Ezzor, where IS besieged the army"; "Kobani, where Kurdish forces had
            # driven out the extremists"
            yield from _places(walk, verb.head)
        if obj is not None:  # "drove IS out of X": the preposition may hang on the object
            for target in _preps(obj, role[5:]):
                yield from _places(walk, target)


def _copula_subject_places(walk: _Walk, noun: Token) -> list[tuple[int, bool, str]]:
    """ "It was the last position held by government forces in Raqqa province": the
    subject the noun describes is the place, not the province it lies in."""
    if walk.place_slot(noun) is not None:
        return []
    # "Zumar was one of the first Kurdish-controlled towns overrun by IS"
    one_of = noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ == "one"
    if noun.dep_ != "attr" and not (one_of and not list(_places(walk, noun))):
        return []
    found: list[tuple[int, bool, str]] = []
    for subject in _described(noun)[1:]:
        slot = walk.parsed.slot(subject.i)
        if subject.lower_ == "it" or (slot is not None and slot.surface.lower() == "it"):
            ref = _referent(walk, subject)
            if ref is not None:
                found.append((ref, False, "described-it-ref"))
        else:
            found.extend((s, p, f"described-{path}") for s, p, path in _places(walk, subject))
    return found


def _agreeing_head(clause: Token) -> Token:
    """The noun a relative clause is about, by number: "the southern districts of X, which
    were government-controlled" is about the districts, not X."""
    head = clause.head
    plural = clause.lower_ in ("were", "are") or any(
        c.dep_ in ("aux", "auxpass") and c.lower_ in ("were", "are", "have")
        for c in clause.children
    )
    if plural and head.tag_ == "NNP" and head.head.lower_ == "of" and head.head.head.tag_ == "NNS":
        return head.head.head
    return head


def _relative_places(walk: _Walk, noun: Token, depth: int = 0) -> Iterator[tuple[int, bool, str]]:
    """The places of a relative clause's antecedent, or, when it names none, of what it
    describes ("Palmyra was one of the cities that fell to IS")."""
    found = list(_places(walk, noun, depth))
    if not found and walk.place_slot(noun) is None:
        for other in _described(noun)[1:]:
            found.extend((s, p, f"described-{path}") for s, p, path in _places(walk, other, depth))
    yield from found


def _antecedent_noun(clause: Token) -> Token:
    """The noun a relative clause describes. "Qayyarah, south of Mosul, which troops
    retook": the parser hangs the clause on Mosul; the clause is about Qayyarah."""
    head = clause.head
    prep = head.head if head.dep_ == "pobj" else None
    if prep is not None and prep.lemma_.lower() == "of" and prep.head.lemma_.lower() in _DIRECTIONS:
        direction = prep.head
        if (
            direction.dep_ in ("appos", "advmod", "npadvmod", "amod")
            and direction.head.i != direction.i
            # (not "The town is 100 km west of Palmyra, which troops retook": a clause
            # that says where something is, not a name)
            and direction.head.pos_ in ("NOUN", "PROPN")
        ):
            return direction.head
    return head


def _listed(walk: _Walk, verb: Token) -> Iterator[tuple[int, bool, str]]:
    """The places a verb's lists name beyond its object: "seized towns, including A, B and
    C", with "including" hung on the verb or anywhere in its arguments ("pulled out from
    towns to the south of X, including A and B"), never inside another clause; and the
    last name of a long list that the parser hangs on the verb itself ("took control of
    A, B, and C")."""
    todo = [c for c in verb.children if c.dep_ not in _SUBJECTS and c.dep_ != "agent"]
    while todo:
        token = todo.pop()
        if token.dep_ == "prep" and token.lower_ in ("including", "like"):
            for target in _objects(token):
                # "took swathes of land, including in Homs province": ground in it, a part
                within = target.head.i != token.i and target.head.lower_ in _INSIDE
                for s, p, path in _places(walk, target):
                    yield s, p or within, f"including-{'in-' if within else ''}{path}"
        elif token.pos_ not in ("VERB", "AUX") and token.dep_ not in _CLAUSES:
            todo.extend(token.children)
    objects = [c for c in verb.children if c.dep_ in ("dobj", "prep", "attr")]
    for child in verb.children:
        slot = walk.place_slot(child) if child.dep_ == "conj" else None
        if (
            slot is not None
            and objects
            and all(o.i < child.i for o in objects)
            and not any(c.dep_ in _SUBJECTS or c.dep_ in ("dobj", "prep") for c in child.children)
            and verb.doc[child.i - 1].lower_ in ("and", "or", ",")
        ):
            yield slot, False, "name-in-list-on-verb"


def _role_actor(walk: _Walk, verb: Token, obj: Token | None, roles: Sequence[str]) -> str | None:
    for role in roles:
        if role == "obj" and obj is not None:
            code = _actor_of_phrase(walk, obj)
        elif role.startswith("prep:"):
            targets = _preps(verb, role[5:]) + (_preps(obj, role[5:]) if obj is not None else [])
            code = next((c for t in targets if (c := _actor_of_phrase(walk, t))), None)
            if code is None:  # "fell into the hands of X", "lost it to an offensive by X"
                code = next((c for t in targets if (c := _hands_actor(walk, t))), None)
        else:
            code = None
        if code is not None:
            return code
    return None


def _hands_actor(walk: _Walk, noun: Token, skip_places: bool = False) -> str | None:
    """The side behind "the hands of X", "X's hands", "an offensive by X"; of two side
    words the one next to the noun ("under jihadist rebel control": the rebels').
    ``skip_places``: a place named is what was taken, and a side in its phrase held it."""
    for child in sorted(noun.children, key=lambda c: abs(noun.i - c.i)):
        if child.dep_ in ("poss", "compound", "amod"):
            code = _actor_of_phrase(walk, child)
            if code:
                return code
        by = ("of", "by", "from") if noun.lemma_.lower() in _SIEGE_WORDS else ("of", "by")
        if child.dep_ == "prep" and child.lemma_.lower() in by:  # "under siege from IS"
            for obj in _objects(child):
                if skip_places and walk.place_slot(obj) is not None:
                    # "the liberation of Mosul from IS": the place's holder, not the taker
                    code = _described_after(walk, obj)
                else:
                    code = _actor_of_phrase(walk, obj) or _described_after(walk, obj)
                if code:
                    return code
    return None


#: Nouns of a siege ("broke through the siege", "under siege from IS").
_SIEGE_WORDS = frozenset({"siege", "encirclement", "blockade", "cordon"})


def _described_after(walk: _Walk, token: Token) -> str | None:
    """The side right after "X backed" ("the control of the U.S. backed SDF", the parser
    making "backed" a verb and the sponsor the object of "of")."""
    doc = token.doc
    after = token.i + 1
    if after + 1 < len(doc) and doc[after].lower_ in _DESCRIBING:
        named = after + 1
        while named < len(doc) - 1 and doc[named].is_quote:  # 'the U.S. backed "SDF"'
            named += 1
        return walk.actor_code(doc[named])
    return None


# ----------------------------------------------------------------------------- nouns


def _noun_readings(walk: _Walk, token: Token) -> Iterator[Reading]:
    """ "the fall of Palmyra to IS", "the army's capture of Aleppo", "the siege of X"."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return
    lemma = token.lemma_.lower()
    frame = _noun_frame(walk, token)
    if frame is not None and frame.kind is EventKind.BESIEGED:
        owned = list(_owned_siege(walk, token))
        if owned:
            yield from owned
            return
    if frame is None or (
        token.dep_ in ("dobj", "nsubjpass")
        and token.head.pos_ == "VERB"
        and _verb_reads(walk, token)
    ):
        return  # the object of a verb frame ("broke the siege"): the verb says it
    actor = None
    for role in frame.actor:
        actor = _role_actor(walk, token, None, (role,))
        if actor:
            break
    if actor is None:
        actor = (
            _hands_actor(walk, token, skip_places=frame.kind in _TAKING)
            if frame.kind is not EventKind.CAPTURED or not frame.actor
            else None
        )
    if actor is None:  # "the capture of X by Y" with "by Y" hung on X
        actor = _by_under_object(walk, token, ("of",))
    loser = (
        _setback_for(walk, token) if frame.kind in (EventKind.LOST, EventKind.CAPTURED) else None
    )
    if loser is not None and frame.kind is EventKind.LOST and actor is None:
        actor = loser  # "the loss of Palmyra is another major setback for IS"
    # "the fall of Tal Abyad (to the Kurds) was a major blow for IS": IS lost it
    lost_too = loser if loser is not None and actor != loser else None
    if actor is None and frame.actor and lost_too is None:
        return
    governing = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)
    after = token.doc[token.right_edge.i + 1] if token.right_edge.i + 1 < len(token.doc) else None
    status, hedged = (
        _status(walk, governing) if governing is not None else (ClaimStatus.ASSERTED, False)
    )
    if status is None or (after is not None and after.lower_ in walk.modal("modals")):
        return  # "the loss of Deir Ezzor would leave it with ...": a hypothetical
    if status is ClaimStatus.NEGATED:
        status = ClaimStatus.ASSERTED  # "has not confirmed the liberation of X": not denied
    if governing is not None and governing.lemma_.lower() in walk.modal("claim_verbs"):
        status = ClaimStatus.CLAIMED  # "Abadi declared victory in Fallujah"
    if lost_too is not None:
        for reading in _noun_readings_as(walk, token, EventKind.LOST, lost_too):
            yield replace(reading, winner=actor)
        if actor is None and frame.actor:
            return
    how = ""
    if (
        actor is None
        and frame.kind is not EventKind.BESIEGED
        and token.dep_
        not in (
            "nsubj",
            "nsubjpass",
        )
    ):  # (a siege's besieger is seldom the clause's side: "X broke through the siege of Y")
        # "the army ..., resulting in the recapture of X", "announced the recapture of X":
        # the side of the clause the noun stands in
        verb = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)
        frames = (
            walk.lexicon.frames_for(verb_lemma(walk, verb) or verb.lemma_.lower()) if verb else ()
        )
        if verb is not None and token.dep_ == "pobj" and any(f.static for f in frames):
            # "With the liberation of Hawija, IS holds only one stretch": the side holding
            # what is left is not the liberator
            verb = None
        if verb is not None:
            actor, how = _subject(walk, verb)[0], ":clause-subj"
            if actor is None and token.dep_ == "pobj":
                # "after a rapid advance into the city, the militias were slowed": the side
                # the clause is about, also as a passive's subject
                actor = next(
                    (
                        code
                        for c in verb.children
                        if c.dep_ == "nsubjpass" and (code := _actor_of_phrase(walk, c))
                    ),
                    None,
                )
    # "the fall of X", "the siege on X"; "the group's withdrawal from X"
    preps = (
        ("from", "of")
        if frame.kind is EventKind.WITHDREW
        else ("into", "inside")
        if frame.kind is EventKind.ENTERED
        # "the YPG takeover in Ayn Issa"
        else ("of", "on", "around", "in")
        if frame.kind in _TAKING
        else ("of", "on", "around")
    )
    placed = False
    # "the loss of Palmyra to the Syrian army": who won it
    winner = _role_actor(walk, token, None, ("prep:to",)) if frame.kind is EventKind.LOST else None
    for child in token.children:
        if child.dep_ == "prep" and child.lemma_.lower() in preps:
            for obj in _objects(child):
                for place, partial, path in _places(walk, obj):
                    placed = True
                    yield Reading(
                        frame.kind,
                        place,
                        actor,
                        token.i,
                        f"noun-{lemma}:{path}{how}",
                        partial=partial,
                        winner=winner,
                        status=status,
                        hedged=hedged,
                    )
    if not placed and frame.kind is not EventKind.WITHDREW:
        # "Kafr Saghir's liberation", "Mosul's fall": the place as the noun's possessor
        for child in token.children:
            slot = walk.place_slot(child) if child.dep_ == "poss" else None
            if slot is not None and actor is not None:
                rule = f"noun-{lemma}:poss-name{how}"
                yield Reading(frame.kind, slot, actor, token.i, rule, status=status, hedged=hedged)
    if not placed and frame.kind is EventKind.WITHDREW:
        yield from _withdrawal_from_taking(walk, token, lemma)


#: Nouns of a blow to a side: "the loss of X is a setback for IS".
_SETBACKS = frozenset({"setback", "blow", "defeat", "loss", "humiliation", "embarrassment"})


def _setback_for(walk: _Walk, noun: Token) -> str | None:
    """The side a loss or fall is a blow to: "the loss of Palmyra to the army is another
    major setback for IS", "the fall of Tal Abyad was a major blow for the group"."""
    if noun.dep_ != "nsubj" or noun.head.lemma_ not in ("be", "mark", "represent", "deal"):
        return None
    for attr in noun.head.children:
        if attr.dep_ in ("attr", "dobj") and attr.lemma_.lower() in _SETBACKS:
            for prep in attr.children:
                if prep.dep_ == "prep" and prep.lower_ in ("for", "to"):
                    for obj in _objects(prep):
                        code = _actor_of_phrase(walk, obj)
                        if code is not None:
                            return code
    return None


def _noun_readings_as(walk: _Walk, token: Token, kind: EventKind, actor: str) -> Iterator[Reading]:
    """The places a noun frame names ("the fall of X"), read as ``kind`` by ``actor``."""
    for place, partial, path in _prep_places(walk, [token], ("of", "on", "in")):
        rule = f"noun-{token.lemma_.lower()}:{path}:setback-for"
        yield Reading(kind, place, actor, token.i, rule, partial=partial)


def _prep_places(
    walk: _Walk, holders: Sequence[Token], preps: Sequence[str]
) -> Iterator[tuple[int, bool, str]]:
    """The places of the objects of the ``preps`` phrases the ``holders`` have."""
    for holder in holders:
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                for obj in _objects(child):
                    yield from _places(walk, obj)


#: Prepositions that tie a withdrawal to what happened with it ("after the withdrawal").
_WITH_PREPS = frozenset({"after", "following", "amid", "with", "upon", "before"})


def _withdrawal_from_taking(walk: _Walk, noun: Token, lemma: str) -> Iterator[Reading]:
    """A withdrawal that names no place is from the place its clause says was taken: "IS
    took Mosul Dam after the withdrawal of Kurdish forces", "Ramadi falls to IS after the
    army makes a hasty withdrawal", "regime forces seized the district while rebels made
    a tactical withdrawal", "following the abandoning of the city by Kurdish fighters"."""
    side = _of_side(walk, noun) or _by_side(walk, noun)
    if side is None:
        side = next((walk.actor_code(c) for c in noun.children if c.dep_ == "poss"), None)
    head, verb = noun.head, None
    if noun.dep_ == "pobj" and head.lower_ in _WITH_PREPS and head.head.pos_ in ("VERB", "AUX"):
        verb = head.head
    elif (
        noun.dep_ == "dobj"
        and head.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ in _TIME_MARKS for c in head.children)
    ):
        side = side or _subject(walk, head)[0]
        verb = head.head
    if verb is None or side is None:
        return
    for r in _verb_readings(walk, verb):
        if r.kind in _TAKING and r.place >= 0 and r.actor != side and not r.partial:
            yield replace(
                r,
                kind=EventKind.WITHDREW,
                actor=side,  # dated as the taking is
                rule=f"noun-{lemma}:from-{r.rule}",
                previous=None,
                winner=None,
                static=False,
            )


def _by_side(walk: _Walk, holder: Token, after: int = -1) -> str | None:
    """The side of a "by" phrase hung on ``holder`` (after token ``after``)."""
    for by in holder.children:
        if by.dep_ in ("prep", "agent") and by.lower_ == "by" and by.i > after:
            for agent in _objects(by):
                code = _actor_of_phrase(walk, agent)
                if code is not None:
                    return code
    return None


def _by_under_object(walk: _Walk, noun: Token, preps: tuple[str, ...]) -> str | None:
    """The side of a "by" phrase the parser hung on the object of the noun's ``preps``
    ("the capture of X by Y", "the siege of X by IS": "by" under X)."""
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            for obj in _objects(prep):
                code = _by_side(walk, obj)
                if code is not None:
                    return code
    return None


def _owned_siege(walk: _Walk, token: Token) -> Iterator[Reading]:
    """ "An army siege of Homs", "ISIL's siege on the airport", "broke a rebel siege on
    Nubl", "tried to break the siege of X by IS": a siege whose side the text names existed,
    whatever is said of breaking it (the break is read from its verb)."""
    owner = _hands_actor(walk, token)
    if owner is None:  # "the siege of Deir ez-Zor by IS": "by" hung on the place
        owner = _by_under_object(walk, token, ("of", "on"))
    # "break the siege on X by IS": the parser may hang both phrases on the verb
    verb = token.head if token.dep_ == "dobj" and not _is_passive(token.head) else None
    if owner is None and verb is not None:
        owner = _by_side(walk, verb, after=token.i)
    if owner is None:
        return
    holders = [token, *([verb] if verb is not None else [])]
    for place, partial, path in _prep_places(walk, holders, ("of", "on", "around", "against")):
        yield Reading(
            EventKind.BESIEGED,
            place,
            owner,
            token.i,
            f"noun-{token.lemma_.lower()}:owned:{path}",
            partial=partial,
        )


def _noun_frame(walk: _Walk, token: Token) -> NounFrame | None:
    """The noun frame of a word, by its lemma or as written (the lemmatizer makes "loss"
    "los")."""
    return walk.lexicon.noun_frame(token.lemma_.lower()) or walk.lexicon.noun_frame(token.lower_)


def _verb_reads(walk: _Walk, noun: Token) -> bool:
    """Whether the verb a noun is the object of has a frame for that noun ("broke the
    siege", "laid siege"), so the verb reading says it; "announced the recapture" has none."""
    verb = noun.head
    lemma = verb_lemma(walk, verb) or verb.lemma_.lower()
    word = noun.lemma_.lower()
    return any(
        (
            not (f.object_nouns or f.object_nouns_for.get(lemma))
            # a frame that reads no object ("made it into X") leaves the noun to itself
            and ("obj" in f.place or "obj" in f.previous or "noun_prep" in f.place)
        )
        or word in f.object_nouns
        or word in f.object_nouns_for.get(lemma, frozenset())
        for f in walk.lexicon.frames_for(lemma)
    )


# ----------------------------------------------------------------------------- static


#: Verbs that end or take away the control a noun names ("ended IS's hold on X").
_ENDING = frozenset(
    {"end", "break", "loosen", "weaken", "shatter", "erode", "lose", "topple", "oust", "remove"}
)


#: Verbs of a fight's outcome ("resulted in their control of X", "ended with").
_RESULTING = frozenset({"result", "end", "culminate", "conclude"})


def _owned_control_readings(walk: _Walk, token: Token) -> Iterator[Reading]:
    """A side's control as a noun, owned: "challenges the Islamic State's hold on the town
    of Sinjar", "during their control of Sinune since August", "Kurdish control over X".
    Not the object of a verb frame ("took control of X", "extended Turkish control over
    X": the verb says it), nor of a verb that ends it ("broke IS's grip on X")."""
    if token.pos_ != "NOUN" or token.lemma_.lower() not in walk.lexicon.control_nouns:
        return
    head = token.head
    if token.dep_ in ("dobj", "nsubjpass", "pobj") and (
        _verb_reads(walk, token) or head.lemma_.lower() in _ENDING
    ):
        return
    # "the clashes ended with the YPG's control of the village", "operations resulted in
    # their control of the villages A and B": control that a fight brought about, a taking
    resulting = (
        token.dep_ == "pobj" and head.lower_ == "with" and head.head.lemma_.lower() in _RESULTING
    )
    if head.lower_ in ("under", "in", "for", "into", "out") or any(
        c.dep_ == "neg" for c in head.children
    ):
        return  # "under IS control" (its own frame), "the battle for control of X"
    owner = next(
        (
            code
            for c in token.children
            if c.dep_ in ("poss", "compound", "amod")
            and c.i < token.i
            # (no verb between: "forces battling Daesh retook control", misparsed)
            and not any(
                t.tag_.startswith("VB") or _may_open(walk.lexicon, t.lower_, t.lemma_)
                for t in token.doc[c.i + 1 : token.i]
            )
            and (code := _actor_of_phrase(walk, c) or _side_word(walk, c)) is not None
        ),
        None,
    )
    if owner is None:
        return
    governing = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)
    if governing is not None and (
        _status(walk, governing)[0] is None
        or (governing.lemma_.lower() in _ENDING and not resulting)
    ):
        return
    for place, partial, path in _prep_places(walk, [token], ("of", "on", "over")):
        yield Reading(
            EventKind.CAPTURED if resulting else EventKind.HELD_BY,
            place,
            owner,
            token.i,
            f"owned-{token.lemma_.lower()}:{'result-' if resulting else ''}{path}",
            partial=partial,
            static=not resulting,
        )


def _story_siege_fits(walk: _Walk, slot: int) -> bool:
    """Whether the siege the story told of may be the one of the place of ``slot``: its
    besieger fights in that place's country (the Kurds' siege of Manbij is not Fallujah's)."""
    if walk.besieger is None:
        return False
    country = walk.besieger[2]
    template = walk.parsed.template
    entry = template.slots[slot] if slot >= 0 else template.history[-1 - slot]
    place = entry.place
    return not country or place is None or place.country == country


def _sieged_descriptions(walk: _Walk) -> frozenset[int]:
    """The tokens that stand for a description of a place with a siege adjective in it
    ("the besieged city")."""
    adjectives = walk.lexicon.siege_adjectives
    return frozenset(
        t.i
        for t in walk.parsed.doc
        if (slot := walk.parsed.slot(t.i)) is not None
        and slot.kind == "P"
        and any(w in adjectives for w in slot.surface.lower().split()[1:-1])
    )


def _offensive_side(walk: _Walk) -> str | None:
    """The one side of the sentence's offensive ("As the Iraqi military offensive to retake
    Fallujah entered its second month"): the owner of an attack noun, if only one."""
    attacks = walk.lexicon.attack_nouns
    owners = {
        code
        for t in walk.parsed.doc
        if t.lemma_.lower() in attacks
        for c in t.children
        # (the parser may make "the Iraqi military" the subject of "offensive")
        if c.dep_ in ("compound", "poss", "amod", "nmod", "nsubj")
        and (code := _actor_of_phrase(walk, c)) is not None
        and code in walk.holders
    }
    return owners.pop() if len(owners) == 1 else None


def _besieged_readings(walk: _Walk, token: Token) -> Iterator[Reading]:
    """ "the besieged city", "the encircled towns of Zahra and Nubul": a siege with no side
    named is the siege the story told of (see :attr:`_Walk.besieger`), else the one of the
    side whose offensive the sentence tells of ("as the Iraqi military offensive to retake
    Fallujah entered its second month, clashes continued to dislodge ISIS militants from
    besieged neighborhoods")."""
    if token.i in walk.parsed.held:
        return
    if token.i in walk.sieged:
        head = token  # "the besieged city": a description the template made one token
    elif token.dep_ == "amod" and token.lower_ in walk.lexicon.siege_adjectives:
        head = token.head
    else:
        return
    offensive = _offensive_side(walk)
    for place, partial, path in _places(walk, head):
        if walk.besieger is not None and _story_siege_fits(walk, place):
            besieger, how = walk.besieger[0], "story-siege"
        elif offensive is not None:
            besieger, how = offensive, "offensive-side"
        else:
            continue
        rule = f"besieged-adjective:{path}:{how}"
        yield Reading(EventKind.BESIEGED, place, besieger, token.i, rule, partial=partial)


def _held_readings(walk: _Walk, token: Token) -> Iterator[Reading]:
    """ "IS-held Raqqa", "the rebel-held town of X", "government-besieged Madaya"."""
    code = walk.actor_code(token) if token.i in walk.parsed.held else None
    if code is None:
        return
    adjective = token.lower_.split("-", 1)[-1]
    kind = EventKind.BESIEGED if adjective in walk.lexicon.siege_adjectives else EventKind.HELD_BY
    if token.dep_ in ("acomp", "oprd", "attr") and token.head.lemma_.lower() in _COPULAS:
        # "Al-Hasakah is government-controlled", "the districts, which were government-
        # controlled": the copula's subject
        subjects = [c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        for place, partial, path in (f for s in subjects for f in _places(walk, s)):
            yield Reading(
                kind, place, code, token.i, f"held-predicate:{path}", partial=partial, static=True
            )
        return
    noun = token.head if token.dep_ in ("amod", "compound", "nmod", "npadvmod") else None
    if noun is None or noun.i == token.i:
        return
    while noun.dep_ == "compound" and noun.head.i != noun.i:  # "a rebel-held enclave north"
        noun = noun.head
    seen: set[int] = set()
    for target in _described(noun):
        for place, partial, path in _places(walk, target):
            if "-in-" in path and not _part_noun(walk, noun):
                # "the last IS-held town in Raqa province" says nothing of the province; "the
                # IS-held area in Raqqa city" is part of the city
                continue
            if place not in seen:
                seen.add(place)
                yield Reading(
                    kind,
                    place,
                    code,
                    token.i,
                    f"held-adjective:{path}",
                    partial=partial,
                    static=True,
                )
    if not seen and noun.lower_ in _CITY_SIDES and noun.i + 1 < len(noun.doc):
        # "regime-held west Aleppo" parsed with "west" as the noun and the name apart
        slot = walk.place_slot(noun.doc[noun.i + 1])
        if slot is not None and _is_settlement(walk, slot):
            seen.add(slot)
            yield Reading(
                kind, slot, code, token.i, "held-adjective:side-of-name", partial=True, static=True
            )
    if not seen and _part_noun(walk, noun):
        for place, path in _trailing_in(walk, noun):
            yield Reading(
                kind, place, code, token.i, f"held-adjective:{path}", partial=True, static=True
            )


#: Verbs that say what their subject is ("X is rebel-held", "X remains under siege").
_COPULAS = frozenset({"be", "remain", "stay", "become"})


def _trailing_in(walk: _Walk, noun: Token) -> Iterator[tuple[int, str]]:
    """The places of "in X" right after a noun that the parser hung on the verb ("hit
    IS-held territory in eastern areas of Hama province"): where the noun is."""
    if noun.dep_ not in ("dobj", "pobj", "nsubj", "nsubjpass"):
        return
    after = noun.right_edge.i + 1
    for child in noun.head.children:
        if child.dep_ == "prep" and child.i == after and child.lower_ in _INSIDE:
            for target in _objects(child):
                for place, _partial, path in _places(walk, target):
                    yield place, f"{noun.lemma_.lower()}-{child.lower_}-{path}"


def _part_noun(walk: _Walk, noun: Token) -> bool:
    """A noun of part of a place ("area", "districts", "territory", "city centre")."""
    lemma = noun.lemma_.lower()
    return lemma in walk.lexicon.partial_nouns or lemma in _AREA_NOUNS or lemma in _CITY_PARTS


def _under_readings(walk: _Walk, token: Token) -> Iterator[Reading]:
    """ "under IS control", "under the control of X", "in the hands of X", "into X's hands"."""
    lemma = token.lemma_.lower()
    if token.dep_ != "prep" or lemma not in ("under", "in", "into"):
        return
    for noun in _objects(token):
        noun_lemma = noun.lower_ if noun.lower_ in ("hands", "hand") else noun.lemma_.lower()
        if noun_lemma not in walk.lexicon.under_nouns:
            continue
        in_hands = noun_lemma in walk.lexicon.hands_nouns
        if lemma != "under" and not in_hands and not (lemma == "in" and noun_lemma in _IN_CONTROL):
            continue
        head = token.head
        in_control = lemma == "in" and noun_lemma in ("control", "command", "possession")
        if in_control:
            code = _subject(walk, head)[0] if head.pos_ in ("VERB", "AUX") else None
        else:
            code = _hands_actor(walk, noun) or (
                _agent(walk, head) if head.pos_ in ("VERB", "AUX") else None
            )
        # "IS has kept the city under siege", "put X under their control": the subject acts
        causative = head.lemma_.lower() in _CAUSATIVES and any(
            c.dep_ == "dobj" for c in head.children
        )
        if code is None and causative:
            code = _subject(walk, head)[0]
        if code is None:
            continue
        siege = noun_lemma in ("siege", "blockade", "encirclement")
        kind = EventKind.BESIEGED if siege else EventKind.HELD_BY
        verb_lemma = head.lemma_.lower()
        if head.pos_ in ("VERB", "AUX") and not siege:
            if verb_lemma in ("come", "fall", "pass", "go") or lemma == "into":
                kind = EventKind.CAPTURED
            elif verb_lemma in ("return", "revert", "restore", "bring"):
                kind = EventKind.RECAPTURED
            elif in_control and verb_lemma in _RESULTING:
                kind = EventKind.CAPTURED  # "operations that resulted in their control of X"
        if in_control:
            status, hedged = _status(walk, head)
            targets = [o for c in noun.children if c.dep_ == "prep" for o in _objects(c)]
            if (
                not targets
                and head.dep_ == "relcl"
                and any(c.lower_ == "where" for c in head.children)
            ):
                targets = [head.head]  # "the town of X, where rebels are still in control"
        elif head.pos_ in ("VERB", "AUX"):
            status, hedged = _status(walk, head)
            targets = [
                c
                for c in head.children
                if c.dep_ == "dobj" or (c.dep_ in _SUBJECTS and not causative)
            ]
            if head.dep_ == "relcl":
                targets.append(head.head)
            if not targets and head.dep_ in ("ccomp", "advcl"):
                # "claiming 93% of the city is in regime hands": the subject parsed as the
                # object of the verb before
                targets = [
                    t
                    for t in head.doc[: head.i]
                    if t.dep_ == "dobj" and t.right_edge.i == head.i - 1
                ]
        else:
            status, hedged, targets = ClaimStatus.ASSERTED, False, _described(head)
        if status is None:
            continue
        located = [(t, "") for t in targets]
        # "Ramadi, which is largely under IS control": part of it
        partly = any(
            c.dep_ == "advmod" and c.lower_ in walk.lexicon.partial_adverbs
            for c in (*token.children, *(head.children if head.pos_ in ("VERB", "AUX") else ()))
        )
        if head.pos_ in ("VERB", "AUX") and not any(list(_places(walk, t)) for t in targets):
            # "forces were holed up inside the Kuwairis base under siege from IS": where
            # the verb puts them
            located = [(t, "where-") for t in _preps(head, "inside") + _preps(head, "in")]
        for target, where in located:
            for place, partial, path in _places(walk, target):
                yield Reading(
                    kind,
                    place,
                    code,
                    token.i,
                    f"under-{noun_lemma}:{where}{path}",
                    status=status,
                    hedged=hedged,
                    partial=partial or partly,
                    static=kind in (EventKind.HELD_BY, EventKind.BESIEGED),
                )


#: Verbs that put their object under a state ("kept the city under siege").
_CAUSATIVES = frozenset({"keep", "put", "place", "bring", "leave", "hold", "have"})


#: Participles that give a noun its name ("a base known as Brigade 137").
_NAMING = frozenset({"know", "call", "name", "dub"})


#: Passive verbs of judging that say what their subject is ("is deemed a stronghold").
_DEEMED = frozenset({"deemed", "considered", "thought", "believed", "reckoned", "called"})


def _described(noun: Token) -> list[Token]:
    """The noun and what it describes: "Raqa, its stronghold" (apposition), "Raqa is its
    stronghold" / "Raqa and Mosul are the last cities under its control" (copula)."""
    out = [noun]
    if noun.dep_ == "compound" and noun.head.pos_ == "PROPN":
        out.append(noun.head)  # "its de facto capital Raqa"
    if noun.dep_ == "conj" and noun.head.dep_ == "appos":
        noun = noun.head  # "Mosul, Iraq's second city and IS's last stronghold"
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ == "one":
        noun = noun.head.head  # "Raqa, one of its last strongholds": what "one" describes
    if noun.dep_ == "appos" and noun.head.dep_ == "appos":  # "X, a town, north of Y"
        out.append(noun.head.head)
    if noun.dep_ == "appos":
        out.append(noun.head)
    for named in noun.children:
        # "an army base known as Brigade 137", "a stronghold called X": the name it has
        if named.dep_ == "acl" and named.lemma_.lower() in _NAMING:
            for prep in named.children:
                if prep.dep_ == "prep" and prep.lower_ == "as":
                    out.extend(_objects(prep))
                elif prep.dep_ in ("oprd", "attr", "dobj"):
                    out.append(prep)
    if noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head.pos_ == "VERB":
        # "Zabadani has long been regarded as a rebel stronghold", "the army regards X as
        # its bastion", "X has been used as a base for the rebels": what the verb says it is
        verb = noun.head.head
        out.extend(c for c in verb.children if c.dep_ in ("nsubjpass", "dobj"))
    if (
        noun.dep_ in ("dobj", "oprd", "attr")
        and noun.head.lower_ in _DEEMED
        and any(c.dep_ == "auxpass" for c in noun.head.children)
    ):
        # "Tel Hemis is still deemed a main stronghold of IS": what it is held to be
        out.extend(c for c in noun.head.children if c.dep_ == "nsubjpass")
    if noun.dep_ in ("attr", "acomp") and noun.head.lemma_ in ("be", "remain", "become", "stay"):
        subjects = [c for c in noun.head.children if c.dep_ == "nsubj"]
        if not subjects:  # "Raqqa city, further east, is its capital": the name misparsed
            subjects = [
                c
                for c in noun.head.children
                if c.i < noun.head.i and c.dep_ in ("advcl", "npadvmod", "dep", "nmod")
            ]
        out.extend(subjects)
    return out


def _stronghold_readings(walk: _Walk, token: Token) -> Iterator[Reading]:
    """ "Raqqa, the jihadists' de facto capital", "the IS bastion of Raqa", "its stronghold,
    the city of Raqa", "Manbij is an SDF stronghold"."""
    if token.pos_ != "NOUN" or token.lemma_.lower() not in walk.lexicon.stronghold_nouns:
        return
    if token.lemma_.lower() in ("capital", "seat", "headquarters") and not any(
        c.dep_ == "poss"
        or c.lower_ in ("facto", "self-declared", "self-styled", "self-proclaimed")
        # "the Islamic State group capital Raqqa": a side's own name on it
        or (
            c.dep_ == "compound"
            and walk.parsed.slot(c.i) is not None
            and c.head.i == token.i
            and walk.actor_code(c) is not None
        )
        for c in token.subtree
        if c.i < token.i
    ):
        return  # "the Iraqi capital Baghdad" is no side's stronghold
    if _taken_object(walk, token, part_only=True):
        # "lost half of its bastion of Raqa": no longer all of it (and "IS lost its
        # stronghold Mosul" is held until lost: see _held_until_taken)
        return
    named = token.head if token.dep_ == "compound" and walk.place_slot(token.head) else None
    code = None
    # "IS's de facto capital Raqa": the side hangs on the name the noun is a compound of
    owners = [*token.children, *(named.children if named is not None else ())]
    for child in owners:
        if child.dep_ in ("poss", "compound", "amod", "nmod") and child.i != token.i:
            code = _actor_of_phrase(walk, child) or _side_word(walk, child)
            if code:
                break
    if code is None:
        # "a stronghold of IS"; "a major military base for Syrian regime troops"
        for child in token.children:
            if child.dep_ == "prep" and child.lemma_.lower() in ("of", "for"):
                code = next((c for o in _objects(child) if (c := _actor_of_phrase(walk, o))), None)
                if code:
                    break
    if code is None:
        return
    described = _described(token)
    # "Al-Bab, the IS's last bastion in Aleppo province": the bastion is the name it
    # describes; the province it lies in is no stronghold of its own
    named_elsewhere = any(list(_places(walk, other)) for other in described[1:])
    for target in described:
        # "the group's former capital, Mosul, as well as the town of Tal Afar": one capital
        others = (
            {
                p
                for c in target.children
                if c.dep_ == "conj"
                for p, _partial, _path in _places(walk, c)
            }
            if token.tag_ == "NN"
            else set()
        )
        # "the group's former capital, Mosul, the town of Tal Afar, ..., and Anah": a list
        # the parser hangs on the first name as its appositions; one capital, that name
        first = next((c for c in target.children if c.dep_ == "appos"), None)
        only = (
            walk.place_slot(first)
            if token.tag_ == "NN" and target.i == token.i and first is not None
            else None
        )
        for place, partial, path in _places(walk, target):
            if place in others or (only is not None and path.startswith("appos") and place != only):
                continue
            if path.endswith("city-ref"):
                continue  # "to oust IS from its stronghold": a stronghold named is needed
            if partial and named_elsewhere and target.i == token.i:
                continue
            # "IS's last foothold in Kobane": part of the place
            partial = partial or (token.lemma_.lower() == "foothold" and target.i == token.i)
            yield Reading(
                EventKind.HELD_BY,
                place,
                code,
                token.i,
                f"stronghold:{path}",
                partial=partial,
                static=True,
            )


def _area_readings(walk: _Walk, token: Token) -> Iterator[Reading]:
    """ "the cantons of Kobane and Afrin": areas a side administers, named after a town."""
    code = walk.lexicon.administered_areas.get(token.lemma_.lower())
    if code is None or token.pos_ not in ("NOUN", "PROPN"):
        return
    for place, _partial, path in _places(walk, token):
        yield Reading(
            EventKind.HELD_BY, place, code, token.i, f"area:{path}", static=True, area=True
        )


def _side_word(walk: _Walk, token: Token) -> str | None:
    """A common noun that names a side ("the opposition's last strongholds", "the regime's
    bastion"): the words that name a side before "-held" (control.yaml)."""
    code = _prefix_side(walk, token)
    return walk._generic(code, token.lower_) if code is not None else None


def _prefix_side(walk: _Walk, token: Token) -> str | None:
    """The side a word names before a noun ("rebel", "IS", "regime"); none after "anti-"
    ("the anti-IS forces" are its enemies)."""
    code = walk.lexicon.held_prefix_actors.get(token.lower_)
    if code is None:
        return None
    doc, i = token.doc, token.i
    if i >= 1 and doc[i - 1].lower_ in _AGAINST_PREFIXES:
        return None  # "anti IS forces", one token
    if i >= 2 and doc[i - 1].text in ("-", "‐", "–") and doc[i - 2].lower_ in _AGAINST_PREFIXES:
        return None
    return code


#: Words that make a side word its enemy ("anti-IS forces", "counter-ISIS operations").
_AGAINST_PREFIXES = frozenset({"anti", "counter", "non"})


_CHANGES = frozenset({EventKind.LOST})


def _taken_object(walk: _Walk, noun: Token, part_only: bool = False) -> bool:
    """Whether a noun phrase is (part of) what a verb of losing acts on ("lost more than
    half of its bastion of Raqa"): the side no longer holds it all. ``part_only``: only
    when a part of it is lost ("half of", "parts of")."""
    partial_nouns = walk.lexicon.partial_nouns
    node, part = noun, any(c.lemma_.lower() in partial_nouns for c in noun.children)
    for _ in range(4):
        head = node.head
        if head.i == node.i:
            return False
        if node.dep_ in ("dobj", "nsubjpass") and head.pos_ == "VERB":
            lemma = verb_lemma(walk, head) or head.lemma_.lower()
            lost = any(f.kind in _CHANGES for f in walk.lexicon.frames_for(lemma))
            return lost and (part or not part_only)
        if node.dep_ not in ("pobj", "prep", "conj", "appos"):
            return False
        node = head
        part = part or node.lemma_.lower() in partial_nouns
    return False


# ----------------------------------------------------------------------------- sentence


def _disputes(walk: _Walk, readings: list[Reading]) -> list[Reading]:
    """A claim answered in the same sentence ("... claimed to have overrun the base, but local
    sources said the government remains in control"; "have not captured X as has been
    claimed") is a disputed claim."""
    doc = walk.parsed.doc
    lemmas = {t.lemma_.lower() for t in doc}
    answered = bool(lemmas & walk.modal("still_words")) and any(t.lower_ == "but" for t in doc)
    as_claimed = any(
        (t.lower_ == "as" and t.head.lemma_.lower() in walk.modal("as_claimed"))
        or (t.lemma_.lower() in walk.modal("as_claimed") and t.dep_ == "advcl")
        for t in doc
    )
    out = []
    for r in readings:
        taking = r.kind in (EventKind.CAPTURED, EventKind.RECAPTURED)
        if taking and r.status is ClaimStatus.CLAIMED and answered:
            r = replace(r, kind=EventKind.CLAIMED_DISPUTED, status=ClaimStatus.DISPUTED)
        elif taking and r.status is ClaimStatus.NEGATED and as_claimed:
            r = replace(r, kind=EventKind.CLAIMED_DISPUTED)
        out.append(r)
    return out


_MARK = re.compile(r"⟪P(\d+)⟫")
#: Names the gazetteer does not know may stand between the known ones ("A, Himr Akash, Jel
#: Parat and B"): capitalised words, up to four, each after a comma.
#: (Each name reads one way only, so a failed match backtracks linearly: "Al-Bab" is one word,
#: and only a small "al-" is a prefix.)
_LIST_NAME = r"(?:[ae]l-)?[A-Z][\w'’‘-]*(?:\s+(?:[ae]l-)?[A-Z][\w'’‘-]*){0,3}"
_LIST_GLUE = re.compile(rf"\s*(?:,\s*{_LIST_NAME}\s*)*(?:,|,?\s*(?i:and|or|&))\s*(?i:the\s+)?")
_AND = re.compile(r"\b(?:and|or)\b|&", re.IGNORECASE)


def _spread_lists(walk: _Walk, readings: list[Reading]) -> list[Reading]:
    """A reading of one member of a list of places ("captured the villages of A, B, C and
    D") holds for every member the parser did not link: long lists of names come out of a
    small parser as a tangle of appositions and compounds."""
    template = walk.parsed.template
    marks = list(_MARK.finditer(template.template))
    runs: list[list[int]] = []
    run: list[int] = []
    joined = False
    for prev, mark in zip([None, *marks], marks, strict=False):
        glue = template.template[prev.end() : mark.start()] if prev is not None else None
        if prev is not None and glue is not None and _LIST_GLUE.fullmatch(glue):
            run.append(int(mark.group(1)))
            joined = joined or bool(_AND.search(glue))
            continue
        if len(run) > 2 or (len(run) > 1 and joined):  # (three names and more: a list)
            runs.append(run)
        run, joined = [int(mark.group(1))], False
    if len(run) > 2 or (len(run) > 1 and joined):
        runs.append(run)
    if not runs:
        return readings
    slots = template.slots
    seen = {(r.place, r.kind, r.actor) for r in readings}
    out = list(readings)
    for r in readings:
        members = next((x for x in runs if r.place in x), None)
        read = slots[r.place].place if r.place >= 0 else None
        if members is None or read is None or r.static:
            continue  # (a stronghold apposition belongs to its own name: "..., and Mosul, an IS bastion")
        kind = read.kind
        for other in members:
            place = slots[other].place
            if place is None or place.kind not in _LIST_KINDS.get(kind, {kind}):
                continue
            if (other, r.kind, r.actor) not in seen:
                seen.add((other, r.kind, r.actor))
                out.append(replace(r, place=other, rule=f"{r.rule}:list"))
    return out


#: Kinds that stand in one list ("the towns of A and B", "A village and B town").
_SETTLEMENTS = frozenset({PlaceKind.CITY, PlaceKind.TOWN, PlaceKind.VILLAGE})
_LIST_KINDS: dict[PlaceKind, frozenset[PlaceKind]] = {k: _SETTLEMENTS for k in _SETTLEMENTS}


def _dedupe(readings: list[Reading]) -> list[Reading]:
    """One reading per place, kind and side ("X re-captured the town, which had been
    seized by Y" is two captures)."""
    seen: set[tuple[int, EventKind, str | None]] = set()
    out = []
    for r in readings:
        key = (r.place, r.kind, r.actor)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
