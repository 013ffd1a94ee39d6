"""Spelling-insensitive keys for place names.

Reporters transliterate Arabic, Kurdish and Turkish names many ways: Raqqa, Raqa, ar-Raqqah;
Deir ez-Zor, Deir Ezzor, Deir el-Zour, Dayr az Zawr. Two names that differ only in such
ways get the same *key*:

- :func:`name_key` is the strict key used to match text: case, diacritics, the marks for
  ʿayn and hamza, hyphens and spaces, the Arabic article (al-, el-, ar-, ash-, az-, …),
  doubled letters, q/k (and qu before a: Quaryatayn), kh/h, gh/g, th/t, dh/d, ou/o/u/aw,
  the diminutive's uw/w (Suwayda/Sweida), ei/ai/ay, -ia/-iya (Badia/Badiyah), a final
  -ah/-eh, and common word forms (Deir/Dayr/Der, Tal/Tell/Tel/Tallat, Ain/Ayn,
  Jabal/Jebel/Mount, …).
- :func:`ei_for_i` reads "ei" as a long i ("Menbeij": Manbij), a spelling the gazetteer
  tries only for a word that names nothing as it is.
- :func:`loose_key` also folds every vowel to one letter (Manbij/Menbij/Manbej). It resolves
  a name a user asks about; in running text it is tried only for a capitalised name that
  keys to nothing (five letters or more), and what it finds is a place only with a cue and
  a place of the article within 50 km or a province it names: alone it would confuse too
  many words.

Both are pure and idempotent: ``name_key(name_key(s)) == name_key(s)``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: The Arabic definite article as reporters write it, standing alone or hyphenated.
ARTICLES = frozenset("al el il ul ar er as es ash esh at et ath eth ad ed adh az ez an en".split())

# Marks for ʿayn and hamza, and apostrophes: dropped ("Ma'arrat" = "Maarrat").
_MARKS = dict.fromkeys(map(ord, "'’‘`´ʿʾʼʻ′\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"), None)
_NON_ALNUM = re.compile(r"[^0-9a-z\u0621-\u064a]+")
# Arabic script: hamza seats, alef forms, ta marbuta, alef maqsura and Persian letters folded
# to one letter each; tatweel and the harakat (combining marks) dropped by fold_text.
_ARABIC_FOLD = str.maketrans(
    {
        "\u0622": "\u0627",  # alef madda -> alef
        "\u0623": "\u0627",  # alef hamza above
        "\u0625": "\u0627",  # alef hamza below
        "\u0671": "\u0627",  # alef wasla
        "\u0629": "\u0647",  # ta marbuta -> ha
        "\u0649": "\u064a",  # alef maqsura -> ya
        "\u06cc": "\u064a",  # Persian yeh
        "\u06a9": "\u0643",  # keheh -> kaf
        "\u0624": "\u0648",  # waw hamza -> waw
        "\u0626": "\u064a",  # yeh hamza -> ya
        "\u0621": None,  # lone hamza
        "\u0640": None,  # tatweel
    }
)
_ARABIC_ARTICLE = "\u0627\u0644"  # al-, written joined to its word
_HAS_ARABIC = re.compile(r"[\u0600-\u06ff]")
_POSSESSIVE = re.compile(r"(?<=\w{3})['’]s\b", re.IGNORECASE)

# Whole words reporters spell many ways. Applied before the letter rules.
_WORD_FORMS: dict[str, str] = {}
for _canonical, _forms in {
    "dayr": "deir dayr dair der deyr dier",
    "tal": "tal tall tel tell til telat tallat tellat tilal",  # Tallat, Tilal: hills
    "ayn": "ain ayn ein ayin aïn",
    "jabal": "jabal jebel jabel jbel jebal djebel mount mt jabl",
    "shaykh": "sheikh shaykh shaikh sheik shaik cheikh sheykh",
    "khirbat": "khirbet khirbat kherbet khirbit khurbat",
    "abu": "abu abou abo",
    "um": "umm um om",
    "bayt": "beit bayt bait beyt",
    "kafr": "kafr kfar kafar kefr kfr",
    "maarat": "maarat maaret maarrat marat maarrat maarat maaret maarret",
    "ras": "ras rass",
    "wadi": "wadi wady",
    "madinat": "madinat medinat madinet",
    "headquarters": "headquarters hq hqs",
}.items():
    for _form in _forms.split():
        _WORD_FORMS[_form] = _canonical

# Letter rules, applied in order to one token (ASCII, lower case).
_LETTER_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^e([tdrzsn])\1(?=\w{2})", r"\1"),  # assimilated article written attached: Ezzor
        (r"(?<=[aeiou])h$", ""),  # Raqqah, Hasakeh: a final h after a vowel is silent
        (r"(?<=\w\wy)et$", "at"),  # the construct -at written -et: Dahiyet = Dahiyat
        (r"ch", "sh"),  # French transliteration: Cheikh, Chaddadi
        (r"dj", "j"),  # Djerablus
        (r"dzh", "j"),  # Russian transliteration: Dzharablus
        (r"^qua", "qa"),  # q written English-style qu: Quaryatayn = Qaryatayn
        (r"kh", "h"),
        (r"gh", "g"),
        (r"th", "t"),
        (r"dh", "d"),
        (r"ph", "f"),
        (r"q", "k"),
        (r"ck", "k"),
        (r"aw(?=[^aeiou]|$)", "o"),  # Zawr = Zor (aw before a consonant)
        (r"ow(?=[^aeiou]|$)", "o"),
        (r"ou", "u"),
        (r"oo", "u"),
        (r"o", "u"),
        (r"(?<=[^aeiou])uw(?=[aeiy])", "w"),  # diminutive: Suwayda = Sweida, Kuwayris = Kweiris
        (r"ee", "i"),
        (r"[ae]i|ey", "ay"),
        (r"(?<=[^aeiouy])ia$", "iya"),  # the nisba ending -ia/-iya(h): Badia = Badiyah
        (r"(?<=[^aeiouy])eaa?$", "iya"),  # -iʿa written -ea(a): Rabeaa = Rabia (ربيعة)
        (r"(.)\1+", r"\1"),  # doubled letters: Raqqa = Raqa, Hammam = Hamam
        (r"(?<=[^aeiou])e$", "a"),  # final -e/-a: Kobane = Kobana, -iyeh = -iyah
    )
)
# The rules as steps: (gate, pattern, replacement). A step runs only when its gate is in the
# word (a string every match contains; "" for always). A literal rule has no pattern and is
# applied with str.replace, which gives what re.sub gives for a literal, several times faster:
# keying the words of a new article costs a tenth of finding its names otherwise.
_LITERAL = re.compile(r"[a-z]+")
_GATES = {
    r"^e([tdrzsn])\1(?=\w{2})": "e",
    r"(?<=[aeiou])h$": "h",
    r"(?<=\w\wy)et$": "et",
    r"^qua": "qua",
    r"(?<=[^aeiouy])ia$": "ia",
    r"(?<=[^aeiouy])eaa?$": "ea",
    r"(?<=[^aeiou])uw(?=[aeiy])": "uw",
    r"aw(?=[^aeiou]|$)": "aw",
    r"ow(?=[^aeiou]|$)": "ow",
    r"(?<=[^aeiou])e$": "e",
}
_LETTER_STEPS: tuple[tuple[str, re.Pattern[str] | None, str], ...] = tuple(
    (pattern.pattern, None, replacement)
    if _LITERAL.fullmatch(pattern.pattern)
    else (_GATES.get(pattern.pattern, ""), pattern, replacement)
    for pattern, replacement in _LETTER_RULES
)
_VOWEL_RUN = re.compile(r"[aeiou]+")
_Y_AS_VOWEL = re.compile(r"(?<=[^aeiou])y(?=[^aeiou]|$)")


def fold_text(text: str) -> str:
    """Lower-case ``text`` and strip diacritics and ʿayn/hamza marks.

    Examples
    --------
    >>> fold_text("Ma'arrat al-Nu‘mān")
    'maarrat al-numan'
    """
    if text.isascii():  # nothing to decompose (most names in English copy)
        return text.translate(_MARKS).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if _HAS_ARABIC.search(stripped):
        stripped = stripped.translate(_ARABIC_FOLD)
    return stripped.translate(_MARKS).casefold()


@lru_cache(maxsize=65536)
def token_key(token: str) -> str:
    """The key of one folded token (no spaces or hyphens).

    Examples
    --------
    >>> [token_key(t) for t in ("raqqah", "raqa", "ezzor", "zawr", "zour", "deir")]
    ['raka', 'raka', 'zur', 'zur', 'zur', 'dayr']
    """
    word = _WORD_FORMS.get(token, token)
    for _ in range(4):  # to a fixed point, so that keys of keys are the same keys
        before = word
        for gate, pattern, replacement in _LETTER_STEPS:
            if gate in word:
                if pattern is None:
                    word = word.replace(gate, replacement)
                else:
                    word = pattern.sub(replacement, word)
        word = _WORD_FORMS.get(word, word)
        if word == before:
            break
    return word


_EI = re.compile(r"([eE])([iI])(?=[^aeiouyAEIOUY\W])")


def ei_for_i(word: str) -> str | None:
    """``word`` with "ei" before a consonant read as "i", or ``None`` when it has none.

    "ei" is mostly the diphthong /ay/ (Deir, Sheikh, Beit: :func:`name_key` keys it so),
    but some reporters write it for a long i: "Menbeij" (Manbij), "Khan al-Sheih" (Shih),
    "al-Heisha" (al-Hishah). Only a word that names nothing as it is may be read so (the
    gazetteer's finder and resolver try this spelling last); the words :func:`name_key`
    already reads as whole forms (Sheikh, Deir, Beit) are never re-read.

    Examples
    --------
    >>> ei_for_i("Menbeij"), ei_for_i("Al-Heisha"), ei_for_i("Sheikh"), ei_for_i("Raqqa")
    ('Menbij', 'Al-Hisha', None, None)
    """
    if "ei" not in word and "Ei" not in word and "EI" not in word:
        return None
    changed = False
    parts = []
    for token in _NON_ALNUM_WORDS.split(word):
        folded = fold_text(token)
        if folded in _WORD_FORMS or not _EI.search(token):
            parts.append(token)
            continue
        parts.append(_EI.sub(_drop_e, token))
        changed = True
    return "".join(parts) if changed else None


def _drop_e(m: re.Match[str]) -> str:
    """ "ei" -> "i" keeping the case of the word's first letter ("Eis" -> "Is")."""
    return m.group(2).upper() if m.group(1).isupper() else m.group(2)


_NON_ALNUM_WORDS = re.compile(r"(\W+)")


def split_tokens(name: str) -> list[str]:
    """Fold ``name`` and split it into tokens, dropping the Arabic article and possessives.

    An article token is dropped only when another token follows it, so "al" alone stays.

    Examples
    --------
    >>> split_tokens("Deir ez-Zor")
    ['deir', 'zor']
    >>> split_tokens("Syria’s")
    ['syria']
    """
    folded = fold_text(_POSSESSIVE.sub("", name))
    tokens = [strip_arabic_article(t) for t in _NON_ALNUM.split(folded) if t]
    return [t for i, t in enumerate(tokens) if not (t in ARTICLES and i + 1 < len(tokens))]


def strip_arabic_article(token: str) -> str:
    """Drop the article joined to an Arabic-script word (الرقه -> رقه); Latin words pass.

    Examples
    --------
    >>> strip_arabic_article(fold_text("الرقة")) == fold_text("رقة")
    True
    """
    if len(token) > 3 and token.startswith(_ARABIC_ARTICLE):
        return token[2:]
    return token


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The strict matching key of a name.

    Examples
    --------
    >>> name_key("Deir ez-Zor") == name_key("Deir Ezzor") == name_key("Dayr az Zawr")
    True
    >>> name_key("ar-Raqqah") == name_key("Raqa")
    True
    >>> name_key("Arak") == name_key("al-Hirak")
    False
    """
    keys = _drop_unit_types([token_key(t) for t in split_tokens(name)])
    # A token that keys to an article ("ett" -> "et") is dropped like one.
    keys = [k for i, k in enumerate(keys) if k and not (k in ARTICLES and i + 1 < len(keys))]
    return " ".join(keys)


# Words that say what kind of unit a numbered unit is: "the 17th Reserve Division" and "the
# 137th Mechanized Brigade" name the same bases as "17th Division" and "137th Brigade".
_UNIT_TYPES = frozenset(
    token_key(w)
    for w in """reserve mechanized mechanised armoured armored artillery infantry tank airborne
    special commando motorized motorised""".split()
)
_UNITS = frozenset(token_key(w) for w in "division brigade regiment battalion corps".split())


def _drop_unit_types(keys: list[str]) -> list[str]:
    """Drop unit-type words between an ordinal and a unit noun ("17th Reserve Division")."""
    if not _UNITS.intersection(keys) or not any(k[:1].isdigit() for k in keys):
        return keys
    out: list[str] = []
    for i, key in enumerate(keys):
        if key in _UNIT_TYPES and any(k in _UNITS for k in keys[i + 1 : i + 3]):
            continue
        out.append(key)
    return out


def _loosen(token: str) -> str:
    token = token.replace("p", "b")  # Arabic has no p: Sulaiman Pek = Sulayman Bak
    token = _Y_AS_VOWEL.sub("a", token)
    token = re.sub(r"i(?=[aeou])", "y", token)  # Abiad = Abyad
    return _VOWEL_RUN.sub("a", token)


@lru_cache(maxsize=16384)
def loose_key(name: str) -> str:
    """A looser key that also folds vowels (for resolving a name on its own; in text only
    with a cue and context, see the module docstring).

    Examples
    --------
    >>> loose_key("Menbij") == loose_key("Manbej") == loose_key("Manbij")
    True
    >>> loose_key("Tel Abiad") == loose_key("Tal Abyad")
    True
    """
    key = _loose_once(name)
    for _ in range(8):  # to a fixed point: "ew" loosens to "aw", which keys to "u" -> "a"
        again = _loose_once(key)
        if again == key:
            break
        key = again
    return key


def _loose_once(name: str) -> str:
    tokens = [_loosen(t) for t in name_key(name).split()]
    for _ in range(3):  # loosening can make an article ("oil" -> "al"): drop it, repeat
        kept = [t for i, t in enumerate(tokens) if not (t in ARTICLES and i + 1 < len(tokens))]
        kept = [_loosen(t) for t in kept]
        if kept == tokens:
            break
        tokens = kept
    return " ".join(tokens)


# A vowel between two consonants, not a word's first letter: what a reporter may write or leave
# out ("Al-Tanaf" = Tanf, "Tel Shamiran" = Tall Shamran) or put a letter later ("Kokajli" =
# Kokjali); and a word's last vowels, which spellings add or change ("Batnaya" = Batnay,
# "Sinune" = Sinuni).
_INNER_VOWEL = re.compile(r"(?<=[^aeiou ])[aeiou](?=[^aeiou ])")
# (never the nisba -iya, a suffix of its own: "Jadiyah" is no "Jad")
_FINAL_VOWELS = re.compile(
    r"(?<!iy)(?<=[^aeiou ]{2})[aeiou]+$|(?<!iy)(?<=[^aeiou ][aeiou][^aeiou ])[aeiou]+$"
)
#: The "village of" a GeoNames name opens with ("Qaryat Hanaf"), keyed.
VILLAGE_WORD = "karyat"
#: The words that open many names and are words of English too ("Tel", "Mount", "Deir",
#: "Ain", "Sheikh"...: their spellings in ``_WORD_FORMS``), folded.
NAME_PREFIX_WORDS = frozenset(_WORD_FORMS) - {"headquarters", "hq", "hqs"}


def _end_key(key: str) -> str:
    """``key`` with its last word's final vowels dropped, its stem kept at least three letters.

    Examples
    --------
    >>> _end_key("batnaya"), _end_key("sinuni"), _end_key("mara"), _end_key("jadiya")
    ('batnay', 'sinun', 'mar', 'jadiya')
    """
    return _FINAL_VOWELS.sub("", key)


def spelling_variants(key: str) -> frozenset[str]:
    """The keys a spelling family joins to ``key`` (a :func:`name_key`): the key without its
    last word's final vowels (``"batn"``), and that key with one vowel between consonants
    left out, marked with the vowel (``"bitn:a"``). Two names whose variants meet differ by
    an added, dropped or moved short vowel or by their final vowels; :class:`Gazetteer`
    reads a name so only with a cue, and only a name that names nothing as written.
    A key of a "Qaryat X" (village of X) also gives the variants of X.

    Examples
    --------
    >>> sorted(spelling_variants("tanf"))
    ['tanf', 'tnf:a']
    >>> sorted(spelling_variants("kukajli") & spelling_variants("kukjali"))
    ['kukjl:a']
    >>> "tal shamran:i" in spelling_variants("tal shamiran")  # read as "tal shamran"
    True
    >>> "hanaf" in spelling_variants("karyat hanaf")
    True
    >>> "karyatin" in spelling_variants("karyatayn")  # Qaryateen = Qaryatayn
    True
    """
    out: set[str] = set()
    bases = [key]
    if key.startswith(VILLAGE_WORD + " "):
        bases.append(key[len(VILLAGE_WORD) + 1 :])
    for base in bases:
        stem = _end_key(base)
        if len(stem.rsplit(" ", 1)[-1]) < 4:
            continue  # "Tal Jad" is too short a stem to read loosely
        out.add(stem)
        for m in _INNER_VOWEL.finditer(stem):
            out.add(f"{stem[: m.start()]}{stem[m.end() :]}:{m.group()}")
        if stem.endswith("ayn") and len(stem.rsplit(" ", 1)[-1]) >= 6:
            # the dual ending -ayn written -een/-ine: Qaryateen = Qaryatayn, Maryameen
            out.add(stem[:-3] + "in")
    return frozenset(out)
