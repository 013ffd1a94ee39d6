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


def lexicon_for(gazetteer: Gazetteer) -> ActorLexicon:
    """The actor lexicon of a gazetteer (cached on it)."""
    cached: ActorLexicon | None = getattr(gazetteer, "_lexicon", None)
    if cached is None:
        cached = ActorLexicon(gazetteer.actors.values())
        gazetteer._lexicon = cached  # type: ignore[attr-defined]
    return cached
