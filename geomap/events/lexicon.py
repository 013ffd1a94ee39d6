"""The control lexicon: verb, noun, static and modality frames, as data (``control.yaml``).

The file lives beside the actor lexicon in the gazetteer folder (another war, or another way
of writing, is a change there). It is read and validated once per process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from geomap.errors import GazetteerError
from geomap.model import EventKind

#: Where a participant of a verb frame can stand (see control.yaml).
_ROLE_FORMS = ("obj", "subj", "noun_prep")


@dataclass(frozen=True)
class VerbFrame:
    """One verb frame: which lemmas, the kind of event, and where each participant stands."""

    name: str
    kind: EventKind
    lemmas: frozenset[str]
    place: tuple[str, ...]
    previous: tuple[str, ...] = ()
    winner: tuple[str, ...] = ()
    particle: str = ""
    #: Lemmas that count only with one of these particles ("pull out", "fend off").
    particle_needed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: The object must be one of these nouns ("laid siege to", "took control of").
    object_nouns: frozenset[str] = frozenset()
    #: Per lemma, a noun set its object must be in ("has control of").
    object_nouns_for: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: Particles that make the verb another frame ("push back" repels, "push out" expels).
    particle_blocks: frozenset[str] = frozenset()
    #: The frame does not apply when the object is a side ("pushed IS from X" expels).
    no_object_actor: bool = False
    #: The frame needs a previous holder as object ("drove IS out of Manbij").
    needs_previous: bool = False
    #: A static statement (held_by): dated "since ..." or by the dispatch.
    static: bool = False
    #: The object may be the attacking side ("repelled IS fighters in Palmyra").
    object_actor_ok: bool = False
    #: The frame takes part of the place ("gained a foothold in X"): the event is partial.
    partial: bool = False
    #: Lemmas that count only as a finite verb with a bare name as object ("left Afrin").
    plain_object_lemmas: frozenset[str] = frozenset()
    #: The frame's event holds even when planned ("sent fighters to defend X": X is theirs).
    presupposed: bool = False
    #: Part-of-speech tags the verb must have (empty: any): "to defend", "is defending".
    only_tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NounFrame:
    """A noun that states an event about the place after "of" ("the fall of Palmyra")."""

    lemmas: frozenset[str]
    kind: EventKind
    actor: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sponsorship:
    """A side named as backed by a sponsor is another side: "Turkish-backed rebels" are the
    Turkish-backed factions, not the rebels at large."""

    clients: frozenset[str]
    #: Words that name the sponsor ("Turkish", "Turkey", "Ankara"), lower case.
    sponsor_words: frozenset[str]
    #: Actor codes whose mention names the sponsor ("the Turkish army").
    sponsor_codes: frozenset[str]
    #: Country codes of places that name the sponsor ("backed by Turkey").
    sponsor_countries: frozenset[str]
    becomes: str


@dataclass(frozen=True)
class GenericSide:
    """Words that name ``default`` in most reporting but ``alternative`` in an article that
    names ``alternative`` by name and never ``default`` ("the jihadists", "the rebels")."""

    words: frozenset[str]
    default: str
    alternative: str


@dataclass(frozen=True)
class ControlLexicon:
    """Everything the frame reader needs, as frozen sets of lower-case lemmas."""

    verb_frames: tuple[VerbFrame, ...]
    noun_frames: tuple[NounFrame, ...]
    noun_preps: frozenset[str]
    held_adjectives: frozenset[str]
    siege_adjectives: frozenset[str]
    agent_participles: frozenset[str]
    under_nouns: frozenset[str]
    hands_nouns: frozenset[str]
    stronghold_nouns: frozenset[str]
    held_prefix_actors: Mapping[str, str]
    #: Nouns of areas a side administers, named after their seat ("canton": the Kurds).
    administered_areas: Mapping[str, str]
    partial_nouns: frozenset[str]
    majority_nouns: frozenset[str]
    #: "largely captured X": adverbs that make the verb's control partial.
    partial_adverbs: frozenset[str]
    #: "partial control of X", "near-complete control": adjectives of a part.
    partial_adjectives: frozenset[str]
    #: "nearly total control": a word that makes a whole adjective a part.
    near_words: frozenset[str]
    #: "complete", "total": the wholes a near-word makes partial.
    whole_adjectives: frozenset[str]
    #: Nouns of attack ("offensive", "assault"): "an offensive by X on their stronghold".
    attack_nouns: frozenset[str]
    #: Nouns of control ("control", "grip"): "extended Turkish control over X".
    control_nouns: frozenset[str]
    #: Participles that name a sponsor ("backed", "supported").
    sponsor_participles: frozenset[str]
    sponsorships: tuple[Sponsorship, ...]
    #: Words whose side the article decides (see control.yaml, generic_sides).
    generic_sides: tuple[GenericSide, ...]
    modality: Mapping[str, frozenset[str]]
    #: Every word that can start a frame: a sentence without one is not parsed.
    trigger_words: frozenset[str]
    #: Verb lemma -> objects that make an idiom, not the frame ("took part in").
    idiom_objects: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: Irregular form -> lemma ("swept" -> sweep): words are matched to frame lemmas by
    #: these and by stripping suffixes before parsing (see ``parse.lemma_candidates``).
    irregular_forms: Mapping[str, str] = field(default_factory=dict)
    #: Supporter -> the side it backs, a generic code resolved by the place's country
    #: ("the US-led coalition said Fallujah has been cleared": the Iraqi forces).
    supporter_partners: Mapping[str, str] = field(default_factory=dict)

    @property
    def frame_words(self) -> frozenset[str]:
        """Every word a frame function starts from: verb and noun frame lemmas, static
        nouns and adjectives, "under"/"in"/"into" (under control, in the hands of)."""
        cached: frozenset[str] | None = self.__dict__.get("_frame_words")
        if cached is None:
            cached = frozenset(
                {
                    *self.trigger_words,
                    *self.under_nouns,
                    *self.held_adjectives,
                    *self.administered_areas,
                    *self.stronghold_nouns,
                    "under",
                    "in",
                    "into",
                }
            )
            object.__setattr__(self, "_frame_words", cached)
        return cached

    def frames_for(self, lemma: str) -> tuple[VerbFrame, ...]:
        """The verb frames a lemma can open."""
        return self._by_lemma.get(lemma, ())

    @property
    def _by_lemma(self) -> dict[str, tuple[VerbFrame, ...]]:
        cached: dict[str, tuple[VerbFrame, ...]] | None = self.__dict__.get("_lemma_index")
        if cached is None:
            index: dict[str, list[VerbFrame]] = {}
            for frame in self.verb_frames:
                for lemma in frame.lemmas:
                    index.setdefault(lemma, []).append(frame)
            cached = {k: tuple(v) for k, v in index.items()}
            object.__setattr__(self, "_lemma_index", cached)
        return cached

    def noun_frame(self, lemma: str) -> NounFrame | None:
        """The noun frame of a lemma ("fall", "capture"), if any."""
        return next((f for f in self.noun_frames if lemma in f.lemmas), None)


def _words(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GazetteerError(f"control lexicon: expected a list of words at {where}, got {value!r}")
    return frozenset(v.lower() for v in value)


def _roles(value: Any, where: str) -> tuple[str, ...]:
    roles = tuple(sorted(_words(value or [], where), key=list(value or []).index))
    for role in roles:
        if role not in _ROLE_FORMS and not role.startswith("prep:"):
            raise GazetteerError(f"control lexicon: unknown role {role!r} at {where}")
    return roles


def _verb_frame(raw: Mapping[str, Any], nouns: Mapping[str, frozenset[str]]) -> VerbFrame:
    name = str(raw.get("name", "?"))
    try:
        kind = EventKind(raw["kind"])
    except (KeyError, ValueError) as exc:
        raise GazetteerError(f"control lexicon: frame {name!r} needs a known kind") from exc

    def noun_set(key: str) -> frozenset[str]:
        if key not in nouns:
            raise GazetteerError(f"control lexicon: frame {name!r} names no noun list {key!r}")
        return nouns[key]

    return VerbFrame(
        name=name,
        kind=kind,
        lemmas=_words(raw.get("lemmas"), f"{name}.lemmas"),
        place=_roles(raw.get("place"), f"{name}.place"),
        previous=_roles(raw.get("previous"), f"{name}.previous"),
        winner=_roles(raw.get("winner"), f"{name}.winner"),
        particle=str(raw.get("particle", "")),
        particle_needed={
            k: _words(v, f"{name}.particle_needed")
            for k, v in (raw.get("particle_needed") or {}).items()
        },
        object_nouns=noun_set(raw["object_nouns"]) if raw.get("object_nouns") else frozenset(),
        object_nouns_for={k: noun_set(v) for k, v in (raw.get("object_nouns_for") or {}).items()},
        needs_previous=bool(raw.get("needs_previous")),
        no_object_actor=bool(raw.get("no_object_actor")),
        particle_blocks=_words(raw.get("particle_blocks") or [], f"{name}.particle_blocks"),
        static=bool(raw.get("static")),
        object_actor_ok=bool(raw.get("object_actor_ok")),
        partial=bool(raw.get("partial")),
        presupposed=bool(raw.get("presupposed")),
        only_tags=frozenset(str(t) for t in raw.get("only_tags") or []),
        plain_object_lemmas=_words(
            raw.get("plain_object_lemmas") or [], f"{name}.plain_object_lemmas"
        ),
    )


def _sponsorship(raw: Any) -> Sponsorship:
    if not isinstance(raw, Mapping) or not raw.get("becomes"):
        raise GazetteerError(f"control lexicon: a sponsored side needs 'becomes', got {raw!r}")
    return Sponsorship(
        clients=frozenset(str(c) for c in raw.get("clients") or []),
        sponsor_words=_words(raw.get("sponsor_words") or [], "sponsored_sides.sponsor_words"),
        sponsor_codes=frozenset(str(c) for c in raw.get("sponsor_codes") or []),
        sponsor_countries=frozenset(str(c) for c in raw.get("sponsor_countries") or []),
        becomes=str(raw["becomes"]),
    )


def _generic_side(raw: Any) -> GenericSide:
    if not isinstance(raw, Mapping) or not raw.get("default") or not raw.get("alternative"):
        raise GazetteerError(
            f"control lexicon: a generic side needs words, default and alternative, got {raw!r}"
        )
    return GenericSide(
        _words(raw.get("words"), "generic_sides.words"),
        str(raw["default"]),
        str(raw["alternative"]),
    )


#: Noun lists a lexicon for another war may leave out.
_OPTIONAL_NOUNS = frozenset({"foothold_nouns", "order_nouns", "flag_nouns"})


def parse_control_lexicon(data: Mapping[str, Any]) -> ControlLexicon:
    """Validate the loaded YAML and build the lexicon.

    Raises
    ------
    GazetteerError
        When a section is missing or malformed (the message names it).
    """
    nouns = {
        key: _words(data.get(key, [] if key in _OPTIONAL_NOUNS else None), key)
        for key in (
            "siege_nouns",
            "supply_nouns",
            "attack_nouns",
            "control_nouns",
            "foothold_nouns",
            "order_nouns",
            "flag_nouns",
        )
    }
    frames = tuple(_verb_frame(raw, nouns) for raw in data.get("verb_frames") or [])
    noun_frames = tuple(
        NounFrame(
            _words(raw.get("lemmas"), "noun_frames"),
            EventKind(raw["kind"]),
            _roles(raw.get("actor"), "noun_frames.actor"),
        )
        for raw in data.get("noun_frames") or []
    )
    static = data.get("static") or {}
    modality = {k: _words(v, f"modality.{k}") for k, v in (data.get("modality") or {}).items()}
    prefix = {str(k).lower(): str(v) for k, v in (static.get("held_prefix_actors") or {}).items()}
    triggers = set().union(*(f.lemmas for f in frames), *(f.lemmas for f in noun_frames))
    triggers |= _words(static.get("held_adjectives"), "static.held_adjectives")
    triggers |= _words(static.get("under_nouns"), "static.under_nouns")
    triggers |= _words(static.get("stronghold_nouns"), "static.stronghold_nouns")
    triggers |= {str(k).lower() for k in static.get("administered_areas") or {}}
    # "swept", "began": irregular forms of frame words find their sentences before parsing
    irregular = data.get("irregular_forms") or {}
    if not isinstance(irregular, Mapping):
        raise GazetteerError("control lexicon: irregular_forms must map a form to its lemma")
    return ControlLexicon(
        verb_frames=frames,
        noun_frames=noun_frames,
        noun_preps=_words(data.get("noun_preps"), "noun_preps"),
        held_adjectives=_words(static.get("held_adjectives"), "static.held_adjectives"),
        siege_adjectives=_words(static.get("siege_adjectives"), "static.siege_adjectives"),
        agent_participles=_words(static.get("agent_participles"), "static.agent_participles"),
        under_nouns=_words(static.get("under_nouns"), "static.under_nouns"),
        hands_nouns=_words(static.get("hands_nouns"), "static.hands_nouns"),
        stronghold_nouns=_words(static.get("stronghold_nouns"), "static.stronghold_nouns"),
        held_prefix_actors=prefix,
        administered_areas={
            str(k).lower(): str(v) for k, v in (static.get("administered_areas") or {}).items()
        },
        partial_nouns=_words(static.get("partial_nouns"), "static.partial_nouns"),
        majority_nouns=_words(static.get("majority_nouns"), "static.majority_nouns"),
        partial_adverbs=_words(static.get("partial_adverbs") or [], "static.partial_adverbs"),
        partial_adjectives=_words(
            static.get("partial_adjectives") or [], "static.partial_adjectives"
        ),
        near_words=_words(static.get("near_words") or [], "static.near_words"),
        whole_adjectives=_words(static.get("whole_adjectives") or [], "static.whole_adjectives"),
        attack_nouns=nouns["attack_nouns"],
        control_nouns=nouns["control_nouns"],
        sponsor_participles=_words(
            (data.get("sponsored_sides") or {}).get("participles") or [], "sponsored_sides"
        ),
        sponsorships=tuple(
            _sponsorship(raw) for raw in (data.get("sponsored_sides") or {}).get("sides") or []
        ),
        generic_sides=tuple(_generic_side(raw) for raw in data.get("generic_sides") or []),
        modality=modality,
        trigger_words=frozenset(triggers),
        irregular_forms={str(k).lower(): str(v).lower() for k, v in irregular.items()},
        idiom_objects={
            str(k).lower(): _words(v, f"idiom_objects.{k}")
            for k, v in (data.get("idiom_objects") or {}).items()
        },
        supporter_partners={
            str(k): str(v) for k, v in (data.get("supporter_partners") or {}).items()
        },
    )


@lru_cache(maxsize=4)
def load_control_lexicon(path: Path | None = None) -> ControlLexicon:
    """The control lexicon in ``path`` (default: ``control.yaml`` of the shipped gazetteer).

    Raises
    ------
    GazetteerError
        When the file is missing, is not YAML, or a frame is malformed.
    """
    import yaml

    from geomap.gazetteer import default_data_dir

    path = path or default_data_dir() / "control.yaml"
    try:
        # libyaml's safe loader when PyYAML has it: the same data, ~10x faster to read
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise GazetteerError(f"cannot read the control lexicon {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise GazetteerError(f"{path}: expected a mapping of sections, got {type(data).__name__}")
    return parse_control_lexicon(data)
