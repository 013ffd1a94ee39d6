"""Distance statements in articles: what they claim, what they measure. Pure (no files).

Four relations (see :class:`~geomap.model.DistanceRelation`), each read by a small frame:

- place to place: "the Tabqa dam on the Euphrates River, 40km upstream from Raqqa city";
  "the Tabqa base, which is about 28 miles (45 kilometers) from Raqqa"; "Khan Touman is
  just 6 kilometres from Aleppo";
- place to border: "Al-Bab, just 25 kilometers (15 miles) south of the Turkish border";
  "30 km from the Syrian-Turkish border", "10 km from the border with Turkey";
- force to place: "brought troops to within less than 40km of Tabqa" (also from the
  ``advanced_to`` events, which carry the distance); "regime forces are about one kilometer
  from the city"; a place and a force ("inside the city, roughly one kilometer from
  approaching IS forces"; "5 km from the front line"); a force "now 15 kilometers away"
  from the place the sentence is about;
- advance: "were able to advance an estimated 12 miles toward the town of Tabqa".

A figure is digits ("1.5", "1,200") or words ("nine", "twenty-five", "half a"); units are
km, kilometres, metres and miles, converted to km; a second unit in parentheses is kept in
``as_written`` only. Lengths and journeys are not distances between places: "a 900-km
frontier", "a 12-mile journey from", "100 kilometres of the border" (a bare "of" needs
"within"). Measuring (geodesic distances, distance to a border line) is
:mod:`geomap.geometry`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from geomap.events import (
    NUMBER_WORDS,
    ActorLexicon,
    SentenceTemplate,
    Slot,
    iter_templates,
    lexicon_for,
    lower_pattern,
)
from geomap.gazetteer import Gazetteer
from geomap.model import (
    Article,
    DistanceClaim,
    DistanceRelation,
    Event,
    EventKind,
    Place,
    PlaceKind,
)

#: Number words beyond the reader's own (``NUMBER_WORDS``): "some twenty-five kilometres".
_UNITS_WORDS = {"a": 1, "an": 1, **{w: n for w, n in NUMBER_WORDS.items() if n < 10}}
_TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_NUMBERS: dict[str, float] = {
    **NUMBER_WORDS,
    **_UNITS_WORDS,
    **_TENS_WORDS,
    "eleven": 11,
    "thirteen": 13,
    "fourteen": 14,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "a dozen": 12,
    "a hundred": 100,
    "one hundred": 100,
    "half a": 0.5,
    "one and a half": 1.5,
    "two and a half": 2.5,
}
_WORD_NUMBER = (
    rf"(?:{'|'.join(_TENS_WORDS)})[-\s](?:{'|'.join(w for w in _UNITS_WORDS if len(w) > 2)})"
    rf"|{'|'.join(sorted(_NUMBERS, key=len, reverse=True))}"
)
_QUAL = (
    r"(?P<qual>within(?:\s+(?:less than|about|some|roughly|around|nearly|almost|just|only"
    r"|approximately|barely|a mere))?|less than|more than|fewer than|no more than|up to|just over"
    r"|just under|about|some|roughly|around|nearly|almost|just|only|at least|at most"
    r"|an estimated|approximately|barely|a mere|merely|close to)?"
)
_AMOUNT = (
    rf"(?P<amount>{_QUAL}\s*(?P<num>(?<![\d.,])\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|(?<![\d.,])\d+"
    rf"(?:\.\d+)?|\b(?:{_WORD_NUMBER}))\s?-?(?P<unit>km|kms|kilometers|kilometres|kilometer"
    r"|kilometre|miles|mile|meters|metres|meter|metre)\b(?P<paren>\s*\([^()⟪]{0,40}\))?)"
)
_DIRECTION = (
    r"(?:(?:up|down)stream|north|south|east|west|northeast|northwest|southeast|southwest"
    r"|north-east|north-west|south-east|south-west)"
)
# Amount -> the thing it is measured to: "south of", "north and east of", "to the west of",
# "away from", "short of", "outside"; a bare "of" is a distance only after "within".
_LINK = (
    rf"\s+(?:(?:to\s+the\s+)?{_DIRECTION}(?:\s+(?:and|or)\s+{_DIRECTION})?\s+(?:of|from)"
    r"|away\s+from|short\s+of|outside(?:\s+of)?|from|(?P<bare>of))\s+"
)
# Words between the link and the place: "the western outskirts of", "the town of",
# "ISIS's Syrian bastion", "the IS-held".
_DESCRIPTION = (
    r"(?:(?:the|its|their)\s+)?(?:⟪A\d+⟫['’]s\s+)?(?:[a-z][\w-]*\s+){0,2}?"
    r"(?:edges?|outskirts|periphery|suburbs|cent(?:re|er)|heart|gates?|entrance|limits"
    r"|city|town|village|hamlet|capital|stronghold|bastion|district)(?:\s+of)?\s+"
)
_LEAD_IN = rf"(?:{_DESCRIPTION}){{0,2}}(?:the\s+)?(?:⟪A\d+⟫-?(?:held|controlled)\s+)?"
_PLACE_TO_PLACE = re.compile(rf"{_AMOUNT}{_LINK}{_LEAD_IN}⟪P(?P<to>\d+)⟫", re.IGNORECASE)
_BORDER_ADJ = r"turkish|syrian|iraqi|jordanian|lebanese|iranian|israeli|saudi"
_BORDER = re.compile(
    rf"{_AMOUNT}{_LINK}(?:the\s+)?(?:(?P<adj>{_BORDER_ADJ})(?:\s*[-–/]\s*(?P<adj2>{_BORDER_ADJ}))?"
    r"\s+(?:border|frontier)|(?:border|frontier)\s+with\s+⟪P(?P<with>\d+)⟫"
    r"|⟪P(?P<poss>\d+)⟫['’]s\s+(?:border|frontier))",
    re.IGNORECASE,
)
# A place measured to a force: "roughly one kilometer from approaching IS forces",
# "5 km from the front line", "within 2 km of regime positions".
_TO_FORCE = re.compile(
    rf"{_AMOUNT}{_LINK}(?:the\s+)?(?:(?:approaching|advancing|nearest|closest|enemy|forward"
    r"|jihadist|rebel)\s+)?(?:⟪A(?P<actor>\d+)⟫(?!-?(?:held|controlled)|['’]s)"
    r"|(?P<front>front[\s-]?lines?|frontlines?|front)\b)",
    re.IGNORECASE,
)
# A force "now 15 kilometers (nine miles) away": from the place the sentence is about.
_AWAY = re.compile(rf"{_AMOUNT}\s+away\b(?!\s+from)", re.IGNORECASE)
_ADVANCE = re.compile(
    rf"\b(?:advance[ds]?|advancing|pushed|pushing|moved|moving|gained)\s+(?:some\s+|at\s+least\s+)?"
    rf"{_AMOUNT}\s+(?:\w+\s+){{0,2}}?(?:toward|towards|closer to|into|on)\s+(?:the\s+)?"
    r"(?:(?:city|town|village)\s+of\s+)?⟪P(?P<to>\d+)⟫",
    re.IGNORECASE,
)
_UNITS = re.compile(r"km|kilomet|mile|metre|meter", re.IGNORECASE)
# What may stand between a force and the distance it is at: "⟪A0⟫, who had advanced to",
# "⟪A0⟫ and ⟪A1⟫ are", "brought ⟪A0⟫ to", "with ⟪A2⟫ now" (a position, not an act).
_FORCE_GAP = re.compile(
    r"(?:['’]s)?(?:[\s,]|(?:with\s+the\s+(?:help|support|backing)\s+of|(?:backed|supported|aided"
    r"|helped)\s+by)\s+(?:[\w-]+\s+){0,4}?|\b(?:and|who|which|that|had|has|have|been|being|is|are|was|were|now|still"
    r"|already|also|reportedly|remain(?:ed|s)?|stood|stand|standing|advance[ds]?|advancing|moved"
    r"|approached|approaching|closing|moving"
    r"|pushed|got|came|come|reached|reaching|arrived|deployed|positioned|stationed|stopped"
    r"|halted|closed in|to|back|up|forces|troops|fighters|soldiers|militia|militiamen|units"
    r"|army|men|columns?|positions|lines)\b)*",
    re.IGNORECASE,
)
_FORCE_NOUN = re.compile(
    r"\b(?:troops|forces|fighters|soldiers|army|militants|rebels|jihadists|militiamen|units"
    r"|columns?)\b",
    re.IGNORECASE,
)
# Before a coordinated actor: "⟪A0⟫ and ⟪A1⟫", "⟪A0⟫, backed by ⟪A1⟫" (the first one leads).
_ACTOR_JOIN = re.compile(r"\s*(?:,|and|,\s*and|,?\s*(?:backed|supported|aided) by|with)\s*")
# A sentence that is about a place named before it: "It lies ...", "Located ...".
_ABOUT_EARLIER = re.compile(r"^[\W_]*(?:it|this|located|lying|situated|which)\b", re.IGNORECASE)
# An unnamed site: "the dam", "the town", "the air base".
_DESCRIBED = re.compile(
    r"\bthe\s+(?:[a-z-]+\s+)?(?P<noun>city|town|village|dam|base|air\s?base|airfield|airport"
    r"|oil\s?field|crossing)\b"
)
_SETTLEMENTS = (PlaceKind.CITY, PlaceKind.TOWN, PlaceKind.VILLAGE)
_BASES = (PlaceKind.AIRBASE, PlaceKind.MILITARY_BASE)
_DESCRIBED_KINDS = {
    "city": _SETTLEMENTS,
    "town": _SETTLEMENTS,
    "village": _SETTLEMENTS,
    "dam": (PlaceKind.DAM,),
    "base": _BASES,
    "airbase": _BASES,
    "airfield": _BASES,
    "airport": _BASES,
    "oilfield": (PlaceKind.OILFIELD,),
    "crossing": (PlaceKind.BORDER_CROSSING,),
}
# "..., and is now", "on Monday and deployed": a second predicate of the sentence's subject.
_COORDINATED = re.compile(r".*?(?:^|[\s,])(?:and|then)\s+(?P<rest>.*)$", re.DOTALL)
_CLAUSE_END = re.compile(r"[;:—–]|\b(?:but|while|whereas)\b")


def _lower_case(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern for lower-cased templates (placeholders read "⟪p0⟫" there).

    Case-sensitive over lower-cased text runs two to three times as fast as IGNORECASE.
    """
    return re.compile(lower_pattern(pattern.pattern))


_AMOUNT_LOW = re.compile(lower_pattern(_AMOUNT))
_FRAMES = (_BORDER, _ADVANCE, _PLACE_TO_PLACE, _TO_FORCE, _AWAY)
_LOW_FRAMES = tuple(map(_lower_case, _FRAMES))
_ADJ_COUNTRY = {
    "turkish": "TR",
    "syrian": "SY",
    "iraqi": "IQ",
    "jordanian": "JO",
    "lebanese": "LB",
    "iranian": "IR",
    "israeli": "IL",
    "saudi": "SA",
}
_NOT_A_SUBJECT = (PlaceKind.RIVER, PlaceKind.COUNTRY, PlaceKind.PROVINCE, PlaceKind.REGION)


def parse_km(number: str, unit: str) -> float | None:
    """A stated figure in km: miles and metres converted; None when it is not a number.

    Examples
    --------
    >>> parse_km("6", "miles"), parse_km("twenty-five", "km"), parse_km("1,200", "metres")
    (9.66, 25.0, 1.2)
    >>> parse_km("half a", "mile"), parse_km("a few", "km")
    (0.8, None)
    """
    raw = " ".join(number.lower().replace(",", "").split())
    value: float | None
    if raw.replace(".", "", 1).isdigit():
        value = float(raw)
    elif raw in _NUMBERS:
        value = _NUMBERS[raw]
    else:
        tens, _, ones = raw.replace("-", " ").partition(" ")
        value = _TENS_WORDS[tens] + _UNITS_WORDS[ones] if ones in _UNITS_WORDS else None
    if value is None:
        return None
    unit = unit.lower()
    if unit.startswith("mile"):
        return round(value * 1.609344, 2)
    if unit.startswith("met"):
        return round(value / 1000, 3)
    return float(value)


def amount_km(m: re.Match[str]) -> float | None:
    """The km a distance match states (miles and metres converted)."""
    return parse_km(m.group("num"), m.group("unit"))


def extract_distances(
    article: Article,
    gazetteer: Gazetteer,
    events: Sequence[Event] = (),
    lexicon: ActorLexicon | None = None,
    templates: Sequence[SentenceTemplate] | None = None,
) -> list[DistanceClaim]:
    """Every distance claim the article states.

    ``events`` supply the date and actor of force-to-place claims (their ``advanced_to``
    events carry the distance); an event's distance counts only where a frame reads the
    same figure as a force's in its sentence ("ISIS killed 20 people in an airstrike 5 km
    from Raqqa" places no force).
    """
    lexicon = lexicon or lexicon_for(gazetteer)
    read: list[DistanceClaim] = []
    if templates is None:
        templates = list(iter_templates(article, gazetteer, lexicon=lexicon))
    for sent in templates:
        if _UNITS.search(sent.template):
            read.extend(_Reading(sent, article, gazetteer, lexicon).claims())
    forces = {
        (" ".join(c.evidence.split()), c.claimed_km)
        for c in read
        if c.relation in (DistanceRelation.FORCE_TO_PLACE, DistanceRelation.ADVANCE)
    }
    claims: list[DistanceClaim] = []
    for event in events:  # first: an event knows its own date and actor best
        if event.kind is not EventKind.ADVANCED_TO or event.distance_km is None:
            continue
        if (" ".join(event.evidence.split()), event.distance_km) not in forces:
            continue
        claims.append(
            DistanceClaim(
                DistanceRelation.FORCE_TO_PLACE,
                event.place,
                event.distance_km,
                _written_near(event.evidence, event.distance_km),
                "",
                event.date,
                event.evidence,
                event.article_id,
                actor=event.actor,
                source=event.source,
            )
        )
    return _dedupe(claims + read)


_SLOT = re.compile(r"⟪([AaPp])(\d+)⟫")


class _Reading:
    """The distance frames of one sentence, read over its template."""

    def __init__(
        self,
        sent: SentenceTemplate,
        article: Article,
        gazetteer: Gazetteer,
        lexicon: ActorLexicon,
    ) -> None:
        self.sent, self.article, self.gazetteer, self.lexicon = sent, article, gazetteer, lexicon
        self.template = sent.template
        self.low = sent.template.lower()
        self.frames = _LOW_FRAMES
        if len(self.low) != len(self.template):  # lower() moved offsets: match as written
            self.low, self.frames = self.template, _FRAMES
        self.out: list[DistanceClaim] = []
        self.used: set[int] = set()  # amounts already read by a frame

    def claims(self) -> list[DistanceClaim]:
        border, advance, to_place, to_force, away = self.frames
        for read, frame in (
            (self._border, border),
            (self._advance, advance),
            (self._to_place, to_place),
            (self._to_force, to_force),
            (self._away, away),
        ):
            for m in frame.finditer(self.low):
                fresh = m.start("amount") not in self.used and amount_km(m) is not None
                if fresh and read(m):
                    self.used.add(m.start("amount"))
        return self.out

    # --- the frames: each returns whether it read the amount --------------------------
    def _border(self, m: re.Match[str]) -> bool:
        if not _is_distance(m) or self._force_before(m.start())[0]:
            return False  # "troops came within 10 km of the Turkish border": no place
        subject = self._subject(m.start())
        if subject is None or subject.place is None:
            return False
        countries = [_ADJ_COUNTRY.get(a, "") for a in (m.group("adj"), m.group("adj2")) if a]
        for index in (m.group("with"), m.group("poss")):
            other = self.sent.slots[int(index)].place if index else None
            countries.append(other.country if other is not None else "")
        across = [c for c in countries if c and c != subject.place.country]
        if not across:
            return False
        self._claim(DistanceRelation.PLACE_TO_BORDER, m, subject.place, border=across[0])
        return True

    def _advance(self, m: re.Match[str]) -> bool:
        place = self.sent.slots[int(m.group("to"))].place
        return self._claim(DistanceRelation.ADVANCE, m, place)

    def _to_place(self, m: re.Match[str]) -> bool:
        other = self.sent.slots[int(m.group("to"))].place
        if other is None or not _is_distance(m):
            return False
        force, actor = self._force_before(m.start(), other)
        if force:  # "troops to within 40km of Tabqa"; "regime forces are 1 km from the city"
            return self._claim(DistanceRelation.FORCE_TO_PLACE, m, other, actor=actor)
        subject = self._subject(m.start(), exclude=other.id)
        if subject is None or subject.place is None:
            return False
        if other.kind is PlaceKind.COUNTRY:  # "30 km from Turkey": the border
            if not other.country or other.country == subject.place.country:
                return False
            return self._claim(
                DistanceRelation.PLACE_TO_BORDER, m, subject.place, border=other.country
            )
        return self._claim(DistanceRelation.PLACE_TO_PLACE, m, subject.place, other=other)

    def _to_force(self, m: re.Match[str]) -> bool:
        if not _is_distance(m) or self._force_before(m.start())[0]:
            return False  # a force measured to a force: no place
        subject = self._subject(m.start())
        if subject is None or subject.place is None:
            return False
        actor = None
        if m.group("actor") is not None:
            actor = self._resolve(self.sent.slots[int(m.group("actor"))], subject.place)
        return self._claim(DistanceRelation.FORCE_TO_PLACE, m, subject.place, actor=actor)

    def _away(self, m: re.Match[str]) -> bool:
        """ "with the army now 15 kilometers away": from the place the sentence is about."""
        place = self._reference(m.start())
        if place is None:
            return False
        force, actor = self._force_before(m.start(), place)
        if not force:
            actors = [s for s in self._slots_before(m.start()) if s.kind == "A"]
            if not actors:
                return False  # "Tabqa, 40 km away": away from what?
            actor = self._resolve(actors[0], place)
        return self._claim(DistanceRelation.FORCE_TO_PLACE, m, place, actor=actor)

    # --- helpers -------------------------------------------------------------------------
    def _claim(
        self,
        relation: DistanceRelation,
        m: re.Match[str],
        place: Place | None,
        other: Place | None = None,
        border: str = "",
        actor: str | None = None,
    ) -> bool:
        km = amount_km(m)
        if place is None or km is None:
            return False
        sent, article = self.sent, self.article
        dates = sent.dates  # found only now: most sentences with a distance make no claim
        published = article.published
        assert published is not None
        self.out.append(
            DistanceClaim(
                relation,
                place,
                km,
                self.template[m.start("amount") : m.end("amount")].strip(),  # as written
                " ".join((m.group("qual") or "").lower().split()),
                dates[0].value.date if dates else published,
                article.text[sent.start : sent.end].strip(),
                article.id,
                other=other,
                border=border,
                actor=actor,
                source=article.source,
            )
        )
        return True

    def _slots_before(self, at: int) -> list[Slot]:
        """The sentence's slots whose placeholders stand before template index ``at``."""
        return [self.sent.slots[int(p.group(2))] for p in _SLOT.finditer(self.low, 0, at)]

    def _force_before(self, at: int, place: Place | None = None) -> tuple[bool, str | None]:
        """Whether a force holds the distance at ``at``, and which actor.

        "⟪A0⟫, who had advanced to" and "brought ⟪A0⟫ to" name the nearest actor (the first
        of "⟪A0⟫ and ⟪A1⟫", "⟪A0⟫, backed by ⟪A1⟫"); "⟪A0⟫ took ⟪P1⟫ from ⟪A2⟫ and is now"
        and "... and deployed" go back to the sentence's first actor; "5 km from ⟪P0⟫, and
        30 km from the border" shares the first distance's holder.
        """
        start = _clause_start(self.low, at)
        marks = list(_SLOT.finditer(self.low, start, at))
        gap = self.low[marks[-1].end() if marks else start : at]
        if len(gap) > 90:
            return False, None
        coordinated = _COORDINATED.match(gap)
        if marks and marks[-1].group(1) in "Aa" and not coordinated:
            if re.search(r"[a-z]", gap) and _FORCE_GAP.fullmatch(gap):
                return True, self._leading_actor(marks, place)
            return False, None
        if marks and marks[-1].group(1) in "Pp" and re.fullmatch(r"\s*,?\s*(?:and|or)\s*", gap):
            previous = list(_AMOUNT_LOW.finditer(self.low, start, marks[-1].start()))
            if previous and marks[-1].start() - previous[-1].end() < 60:
                return self._force_before(previous[-1].start(), place)
            return False, None
        if coordinated and _FORCE_GAP.fullmatch(coordinated.group("rest")):
            first = next((m for m in _SLOT.finditer(self.low, 0, at) if m.group(1) in "Aa"), None)
            if first is not None or _FORCE_NOUN.search(self.low, 0, at):
                actor = (
                    self._resolve(self.sent.slots[int(first.group(2))], place) if first else None
                )
                return True, actor
        nouns = list(_FORCE_NOUN.finditer(self.low, marks[-1].end() if marks else start, at))
        if nouns and _FORCE_GAP.fullmatch(self.low[nouns[-1].end() : at]):
            return True, None  # "the fighters are still 40 kilometers (25 miles) from Raqqa"
        return False, None

    def _leading_actor(self, marks: list[re.Match[str]], place: Place | None) -> str | None:
        run = [marks[-1]]
        for before in reversed(marks[:-1]):
            joined = _ACTOR_JOIN.fullmatch(self.low[before.end() : run[0].start()])
            if before.group(1) not in "Aa" or not joined:
                break
            run.insert(0, before)
        codes = [self._resolve(self.sent.slots[int(r.group(2))], place) for r in run]
        leading = [c for c in codes if self.lexicon.holds_ground(c)]
        return (leading or codes)[0]

    def _resolve(self, slot: Slot, place: Place | None) -> str | None:
        if not slot.code:
            return None
        if place is None:
            return slot.code
        return self.lexicon.resolve(slot.code, place) or slot.code

    def _subject(self, at: int, exclude: str | None = None) -> Slot | None:
        """The place a distance is about: the nearest site named before it; else a site
        described before it and named earlier ("describing the dam as lying only 5 km
        from Raqqa"); else, in a sentence about an earlier one ("It lies ..."), the latest
        site named before."""
        # A slot's placeholder sits where its text does: compare through the offset map.
        cutoff = self.sent.offset(at)
        earlier = [
            s
            for s in self.sent.slots
            if s.kind == "P" and _is_site(s, exclude) and s.start < cutoff
        ]
        if earlier:
            return earlier[-1]
        described = self._described(at, exclude)
        if described is not None:
            return described
        if not _ABOUT_EARLIER.match(self.template):
            return None
        previous = [s for s in self.sent.history if _is_site(s, exclude)]
        previous = [s for s in previous if not s.surface[:1].islower()]  # not "the city"
        return previous[-1] if previous else None

    def _described(self, at: int, exclude: str | None) -> Slot | None:
        """The site an unnamed "the dam" / "the town" before ``at`` stands for: the latest
        such site named in the sentences before, or the one named after the latest town."""
        start = _clause_start(self.low, at)
        found = list(_DESCRIBED.finditer(self.low, start, at))
        if not found or _SLOT.search(self.low, found[-1].end(), at):
            return None
        kinds = _DESCRIBED_KINDS[found[-1].group("noun").replace(" ", "")]
        for slot in reversed(self.sent.history[-6:]):
            place = slot.place
            if place is None or place.id == exclude:
                continue
            if place.kind in kinds:
                return slot
            sites = [p for p in self.gazetteer.named_after(place.id) if p.kind in kinds]
            if len(sites) == 1 and sites[0].id != exclude:
                return Slot(slot.start, slot.end, "P", sites[0], surface=found[-1].group())
        return None

    def _reference(self, at: int) -> Place | None:
        """What a force is "N km away" from: a place named after "from" before it ("still
        some distance from Raqa"), else the latest place named before it (not "on the Ain
        Issa front"), else the latest place of the sentences before."""
        candidates: list[tuple[bool, Place]] = []
        for p in _SLOT.finditer(self.low, 0, at):
            slot = self.sent.slots[int(p.group(2))]
            if slot.kind != "P" or slot.place is None or slot.place.kind in _NOT_A_SUBJECT:
                continue
            if re.match(r"\s+(?:front|axis|side|countryside|frontline)\b", self.low[p.end() :]):
                continue
            after_from = self.low[max(0, p.start() - 6) : p.start()].endswith("from ")
            candidates.append((after_from, slot.place))
        if candidates:
            return max(reversed(candidates), key=lambda c: c[0])[1]
        previous = [s for s in self.sent.history if _is_site(s, None)]
        return previous[-1].place if previous else None


def _is_site(slot: Slot, exclude: str | None) -> bool:
    return (
        slot.place is not None
        and slot.place.kind not in _NOT_A_SUBJECT
        and (slot.place.id != exclude)
    )


def _is_distance(m: re.Match[str]) -> bool:
    """A bare "of" measures only after "within": "within 10 km of Raqqa", not "100
    kilometres of the border" (a length)."""
    return m.group("bare") is None or "within" in (m.group("qual") or "").lower()


def _clause_start(low: str, at: int) -> int:
    ends = list(_CLAUSE_END.finditer(low, max(0, at - 200), at))
    return ends[-1].end() if ends else max(0, at - 200)


def _written_near(sentence: str, km: float) -> str:
    for m in re.finditer(_AMOUNT, sentence, re.IGNORECASE):
        if amount_km(m) == km:
            return m.group("amount").strip()
    return f"{km:g} km"


def _dedupe(claims: list[DistanceClaim]) -> list[DistanceClaim]:
    """One claim per statement; an event's claim takes the qualifier the text reads
    ("within less than 40km") when it has none."""
    kept: dict[tuple[object, ...], DistanceClaim] = {}
    for c in claims:
        key = (
            c.relation,
            c.place.id,
            c.other.id if c.other else c.border,
            c.claimed_km,
            " ".join(c.evidence.split()),
        )
        first = kept.get(key)
        if first is None:
            kept[key] = c
        elif not first.qualifier and c.qualifier:
            kept[key] = replace(first, qualifier=c.qualifier)
    return list(kept.values())
