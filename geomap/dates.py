"""Resolve the dates a dispatch writes ("on Tuesday", "last December", "in August 2014").

Every expression is resolved against the dispatch's own date (``anchor``) or, for
"two days earlier", against the date mentioned just before (``previous``). A weekday is
the latest such day on or before the anchor, so "Thursday" in a Thursday dispatch is the
dispatch's own day, not a week back. Pure functions; no I/O.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from geomap.model import FuzzyDate, Precision

_WEEKDAYS = {
    name: i
    for i, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
_MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name[:3]: i for name, i in list(_MONTHS.items())})
_MONTHS = {k.lower(): v for k, v in _MONTHS.items()}
_MONTHS["sept"] = 9
_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}
_NUMBERS.update({"a": 1, "an": 1})

_MON = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_PART = r"(?:early|mid|late|earlier|later)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
        (
            "mdy",
            rf"\b(?P<mon>{_MON})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b",
        ),
        ("dmy", rf"\b(?P<d>\d{{1,2}})\s+(?P<mon>{_MON}),?\s+(?P<y>(?:19|20)\d\d)\b"),
        (
            "month_year",
            rf"\b(?:(?P<part>{_PART})[- ](?:in\s+)?)?(?P<mon>{_MON})\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)\b",
        ),
        ("part_year", r"\b(?P<part>early|mid|late)[- ](?P<y>(?:19|20)\d\d)\b"),
        (
            "md",
            rf"\b(?P<mon>{_MON})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*(?:19|20)\d\d)(?!\s*(?:percent|km|kilometers|miles))",
        ),
        (
            "rel_days",
            rf"\b(?P<n>{_NUM})\s+(?P<unit>days?|weeks?|months?|years?)\s+(?P<dir>earlier|before|ago|later)\b",
        ),
        (
            "weekday",
            rf"\b(?:(?P<pre>on|late|early|last|this|since|by|from)\s+)?(?P<wd>{_WD})(?:\s+(?:morning|afternoon|evening|night))?\b",
        ),
        ("weekend", r"\b(?:over|during|at)\s+the\s+(?:last\s+|past\s+)?weekend\b"),
        ("yesterday", r"\byesterday\b"),
        ("today", r"\b(?:today|this\s+(?:morning|afternoon|evening)|tonight)\b"),
        ("last_week", r"\b(?:last|past)\s+week\b"),
        ("this_week", r"\b(?:earlier|later)\s+this\s+week|\bthis\s+week\b"),
        ("last_month", rf"\b(?:(?P<part>{_PART})\s+)?last\s+month\b"),
        ("this_month", rf"\b(?:(?P<part>{_PART})\s+)?this\s+month\b"),
        (
            "mon_last_year",
            rf"\b(?:in\s+)?(?:(?P<part>early|mid|late)[- ])?(?P<mon>{_MON})\s+last\s+year\b",
        ),
        ("last_mon", rf"\blast\s+(?P<mon>{_MON})(?!\w)"),
        (
            "in_mon",
            rf"\b(?:in|since|from|by|until|(?P<part>early|mid|late)[- ]?)\s*(?P<mon>{_MON})(?![\w.]*\s+\d)",
        ),
        ("last_year", rf"\b(?:(?P<part>{_PART})\s+)?last\s+year\b"),
        ("this_year", rf"\b(?:(?P<part>{_PART})\s+)?this\s+year\b"),
        ("year", r"\b(?:in|since|from|by|until|of|during)\s+(?P<y>(?:19|20)\d\d)\b"),
    )
]


# What each pattern cannot match without: a cheap test that skips most patterns. Each
# pattern needs all its cues ("digit", "month", "weekday") and any one of its words.
_CUES: dict[str, tuple[str, ...]] = {
    "iso": ("digit",),
    "mdy": ("digit", "month"),
    "dmy": ("digit", "month"),
    "month_year": ("digit", "month"),
    "part_year": ("digit",),
    "md": ("digit", "month"),
    "weekday": ("weekday",),
    "in_mon": ("month",),
    "last_mon": ("month",),
    "mon_last_year": ("month",),
    "year": ("digit",),
}
_WORDS: dict[str, tuple[str, ...]] = {
    "rel_days": ("earlier", "before", "ago", "later"),
    "weekend": ("weekend",),
    "yesterday": ("yesterday",),
    "today": ("today", "this ", "tonight"),
    "last_week": ("week",),
    "this_week": ("week",),
    "last_month": ("month",),
    "this_month": ("month",),
    "last_year": ("year",),
    "this_year": ("year",),
}
# The patterns again, case-sensitive, for lower-cased text: several times faster than
# IGNORECASE, and lower() keeps offsets whenever it keeps the length.
_PLAN = [
    (
        name,
        pattern,
        re.compile(pattern.pattern),
        frozenset("#" + cue for cue in _CUES.get(name, ())),
        frozenset(_WORDS.get(name, ())),
    )
    for name, pattern in _PATTERNS
]


@lru_cache(maxsize=1024)
def _plan_for(present: frozenset[str]) -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    """The patterns whose cues are all ``present`` (few sets of cues ever occur)."""
    return [
        (name, pattern, lower)
        for name, pattern, lower, cues, words in _PLAN
        if cues <= present and not (words and words.isdisjoint(present))
    ]


_CUE_WORDS = frozenset(word for words in _WORDS.values() for word in words)
_DIGIT = re.compile(r"\d")
# A month's first letters anywhere ("decided" too): no \b, so the engine scans fast.
_MONTH_START = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text, resolved. ``start``/``end`` index the text."""

    start: int
    end: int
    text: str
    value: FuzzyDate
    relative_to_previous: bool = False


def _part_day(part: str | None) -> int:
    return {"early": 1, "mid": 11, "late": 21}.get((part or "").lower(), 1)


def _month_before(anchor: dt.date, month: int, strictly: bool) -> dt.date:
    """The most recent start of ``month`` before (or in) the anchor's month."""
    year = anchor.year
    if month > anchor.month or (strictly and month == anchor.month):
        year -= 1
    return dt.date(year, month, 1)


def shift_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _resolve(
    name: str, g: dict[str, str | None], anchor: dt.date, previous: Callable[[], dt.date]
) -> tuple[FuzzyDate, bool] | None:
    month, year, week = Precision.MONTH, Precision.YEAR, Precision.WEEK
    part = (g.get("part") or "").lower() or None
    if name == "iso":
        return FuzzyDate(dt.date(int(g["y"] or 0), int(g["m"] or 0), int(g["d"] or 0))), False
    if name in ("mdy", "dmy"):
        mon = _MONTHS[(g["mon"] or "").lower().rstrip(".")]
        return FuzzyDate(dt.date(int(g["y"] or 0), mon, int(g["d"] or 0))), False
    if name == "month_year":
        mon = _MONTHS[(g["mon"] or "").lower().rstrip(".")]
        precision = week if part in ("early", "mid", "late") else month
        return FuzzyDate(dt.date(int(g["y"] or 0), mon, _part_day(part)), precision), False
    if name == "part_year":
        mon = {"early": 1, "mid": 5, "late": 9}[(part or "early").lower()]
        return FuzzyDate(dt.date(int(g["y"] or 0), mon, 1), month), False
    if name == "md":
        mon = _MONTHS[(g["mon"] or "").lower().rstrip(".")]
        candidate = dt.date(anchor.year, mon, int(g["d"] or 0))
        if candidate > anchor:
            candidate = candidate.replace(year=anchor.year - 1)
        return FuzzyDate(candidate), False
    if name == "rel_days":
        raw = (g["n"] or "1").lower()
        n = int(raw) if raw.isdigit() else _NUMBERS.get(raw, 1)
        unit = (g["unit"] or "day").lower().rstrip("s")
        sign = 1 if (g["dir"] or "").lower() == "later" else -1
        # "three days ago" counts from the article; "two days earlier" from the date just
        # mentioned, asked for only now (finding it may mean dating the sentences before).
        relative = (g["dir"] or "").lower() != "ago"
        base = previous() if relative else anchor
        if unit == "day":
            return FuzzyDate(base + dt.timedelta(days=sign * n)), relative
        if unit == "week":
            return FuzzyDate(base + dt.timedelta(weeks=sign * n), week), relative
        if unit == "month":
            return FuzzyDate(shift_months(base, sign * n), month), relative
        return FuzzyDate(base.replace(year=base.year + sign * n), year), relative
    if name == "weekday":
        target = _WEEKDAYS[(g["wd"] or "").lower()]
        back = (anchor.weekday() - target) % 7
        if back == 0 and (g["pre"] or "").lower() == "last":
            back = 7  # "last Sunday" in a paper of Sunday: a week before
        return FuzzyDate(anchor - dt.timedelta(days=back)), False
    if name == "weekend":
        back = (anchor.weekday() - 5) % 7 or 7
        return FuzzyDate(anchor - dt.timedelta(days=back), week), False
    if name == "yesterday":
        return FuzzyDate(anchor - dt.timedelta(days=1)), False
    if name == "today":
        return FuzzyDate(anchor), False
    if name == "last_week":
        return FuzzyDate(anchor - dt.timedelta(days=7), week), False
    if name == "this_week":
        return FuzzyDate(anchor - dt.timedelta(days=anchor.weekday()), week), False
    if name in ("last_month", "this_month"):
        first = shift_months(anchor.replace(day=1), -1 if name == "last_month" else 0)
        if part in ("early", "mid", "late"):
            return FuzzyDate(first.replace(day=_part_day(part)), week), False
        if part == "earlier":
            return FuzzyDate(first, month), False
        return FuzzyDate(first, month), False
    if name == "mon_last_year":
        mon = _MONTHS[(g["mon"] or "").lower().rstrip(".")]
        return FuzzyDate(dt.date(anchor.year - 1, mon, _part_day(part)), month), False
    if name == "last_mon":
        mon = _MONTHS[(g["mon"] or "").lower().rstrip(".")]
        return FuzzyDate(_month_before(anchor, mon, strictly=True), month), False
    if name == "in_mon":
        mon = _MONTHS[(g["mon"] or "").lower().rstrip(".")]
        start = _month_before(anchor, mon, strictly=False)
        if part in ("early", "mid", "late"):
            return FuzzyDate(start.replace(day=_part_day(part)), week), False
        return FuzzyDate(start, month), False
    if name in ("last_year", "this_year"):
        y = anchor.year - (1 if name == "last_year" else 0)
        if part in ("early", "mid", "late"):
            return FuzzyDate(dt.date(y, {"early": 1, "mid": 5, "late": 9}[part], 1), month), False
        return FuzzyDate(dt.date(y, 1, 1), year), False
    if name == "year":
        return FuzzyDate(dt.date(int(g["y"] or 0), 1, 1), year), False
    return None  # pragma: no cover - every pattern has a branch


def find_dates(
    text: str, anchor: dt.date, previous: dt.date | Callable[[], dt.date] | None = None
) -> list[DateMention]:
    """Every date expression in ``text``, resolved; overlapping matches keep the longest.

    ``previous`` is the date mentioned just before ("two days earlier" counts from it;
    default ``anchor``), or a function that finds it, called only when a date needs it.

    Examples
    --------
    >>> thu = dt.date(2017, 3, 2)
    >>> [(d.text, d.value.isoformat()) for d in find_dates("fled on Tuesday", thu)]
    [('on Tuesday', '2017-02-28')]
    >>> [(d.text, d.value.precision.value) for d in find_dates("in August 2014", thu)]
    [('August 2014', 'month')]
    >>> find_dates("recaptured the town last December", thu)[0].value.isoformat()
    '2016-12-01'
    """
    if previous is None or isinstance(previous, dt.date):
        before = previous or anchor
        since: Callable[[], dt.date] = lambda: before
    else:
        since = previous
    low = text.lower()
    folded = len(low) == len(text)  # else match the text itself, ignoring case
    subject = low if folded else text
    # The cues present: which patterns can match at all (substring tests run at C speed).
    present = {word for word in _CUE_WORDS if word in low}
    if _DIGIT.search(text):
        present.add("#digit")
    if _MONTH_START.search(low):
        present.add("#month")
    if "day" in low:
        present.add("#weekday")
    found: list[DateMention] = []
    taken = bytearray(len(text))  # 1 where a date was found: overlap tests in O(length)
    for name, pattern, lower_pattern in _plan_for(frozenset(present)):
        for m in (lower_pattern if folded else pattern).finditer(subject):
            if taken.find(1, m.start(), m.end()) >= 0:
                continue  # overlaps a longer expression found by an earlier pattern
            try:
                resolved = _resolve(name, m.groupdict(), anchor, since)
            except (ValueError, KeyError, OverflowError):
                continue  # "February 30", or a step past year 1 or 9999: not a date
            if resolved is None or resolved[0].date > anchor:
                continue
            value, relative = resolved
            found.append(
                DateMention(m.start(), m.end(), text[m.start() : m.end()], value, relative)
            )
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return sorted(found, key=lambda d: d.start)


def iter_dates(texts: list[str], anchor: dt.date) -> Iterator[list[DateMention]]:
    """Resolve dates sentence by sentence, carrying "the date just mentioned" along."""
    previous = anchor
    for text in texts:
        dates = find_dates(text, anchor, previous)
        if dates:
            previous = dates[-1].value.date
        yield dates
