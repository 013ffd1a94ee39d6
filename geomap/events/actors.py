"""The actor lexicon: sides of the war found in text in one Aho–Corasick pass."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from geomap.gazetteer import Gazetteer
from geomap.model import (
    Actor,
    Place,
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
        # Two automata: case-insensitive aliases over the lower-cased text, all-capital ones
        # over the text as written (so the verb "is" never even comes up as "IS").
        folded: dict[str, tuple[str, str]] = {}
        exact: dict[str, tuple[str, str]] = {}
        for actor in self.actors.values():
            for alias in actor.aliases:
                if alias.isupper():
                    exact.setdefault(_fold_quotes(alias), (actor.code, alias))
                else:
                    folded.setdefault(_fold_quotes(alias.lower()), (actor.code, alias))
                    # "Turkish backed rebels", "Jaish Al Islam": the hyphens left out
                    if "-" in alias:
                        spaced = alias.replace("-", " ")
                        folded.setdefault(_fold_quotes(spaced.lower()), (actor.code, spaced))
        # A case-insensitive alias wins a tie: it matches every spelling.
        exact = {k: v for k, v in exact.items() if k.lower() not in folded}
        self._folded = ahocorasick.Automaton()
        self._exact = ahocorasick.Automaton()
        for automaton, words in ((self._folded, folded), (self._exact, exact)):
            for key, value in words.items():
                automaton.add_word(key, value)
            if words:
                automaton.make_automaton()
        self._has_folded, self._has_exact = bool(folded), bool(exact)

    def find(self, text: str) -> list[_ActorHit]:
        """Actor mentions in ``text``, longest first where they overlap."""
        quoted = _fold_quotes(text)
        low = quoted.lower()
        if len(low) != len(text):  # lower() moved offsets (a rare letter): fold by letter
            low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in quoted)
        found = (
            [(last - len(a) + 1, last + 1, c) for last, (c, a) in self._folded.iter(low)]
            if self._has_folded
            else []
        )
        if self._has_exact:
            found += [(last - len(a) + 1, last + 1, c) for last, (c, a) in self._exact.iter(quoted)]
        # Of overlapping names the leftmost, then the longest; a leading "the" does not
        # make a name come first ("The Army of Conquest" is the rebel alliance, not "the
        # army"). A name inside a word or a compound never counts.
        found = [h for h in found if self._stands_alone(text, h[0], h[1])]
        found.sort(key=lambda h: (h[0] + 4 * low.startswith("the ", h[0]), h[0] - h[1]))
        hits: list[_ActorHit] = []
        taken = bytearray(len(text) + 1)
        for start, end, code in found:
            if any(taken[start:end]):
                continue  # inside or across a name taken before
            taken[start:end] = b"\x01" * (end - start)
            hits.append(_ActorHit(start, end, code))
        hits.sort(key=lambda h: h.start)
        return hits

    @staticmethod
    def _stands_alone(text: str, start: int, end: int) -> bool:
        glued = start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_")
        if glued and not re.search(r"\b(?:al|el)-$", text[max(0, start - 4) : start], re.I):
            return False  # inside a word or a compound, but "al-Assad's forces" counts
        tail = text[end : end + 12]
        if tail[:1].isalnum() and not re.match(r"['’]s\b", tail):
            return False
        # "IS-held", "Islamic State-led insurgents"; not "ISIS-linked", "US-backed"
        return not (tail.startswith("-") and not re.match(r"-(?:held|controlled|led)\b", tail))

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


def lexicon_for(gazetteer: Gazetteer) -> ActorLexicon:
    """The actor lexicon of a gazetteer (cached on it)."""
    cached: ActorLexicon | None = getattr(gazetteer, "_lexicon", None)
    if cached is None:
        cached = ActorLexicon(gazetteer.actors.values())
        gazetteer._lexicon = cached  # type: ignore[attr-defined]
    return cached
