"""Fuzz geomap's reader, name keys, matcher, date resolver and extractors for a fixed time.

Usage::

    .venv/bin/python scripts/fuzz.py                  # every target, 120 s
    .venv/bin/python scripts/fuzz.py --seconds 600 --targets read,extract

Each target is a property with the laws of ``tests/test_hostile.py``: nothing raises but
:class:`geomap.errors.GeomapError`, spans index the original text, keys are idempotent,
evidence quotes the article. hypothesis generates inputs in small batches, each with a
fresh seed, round-robin over the targets until the time is up. A failure is printed
with its shrunk input; its signature (target, exception, where it was raised) is then
set aside so the run goes on looking for other failures. An input that makes one call
run past ``--slow`` seconds is interrupted and reported as slow (not shrunk).

Exit code: 0 nothing found, 1 failures or slow inputs found, 2 bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import math
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import hypothesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.corpus import read_text, split_articles
from geomap.dates import find_dates
from geomap.distances import extract_distances
from geomap.errors import GeomapError
from geomap.events import extract_events
from geomap.gazetteer import Gazetteer, load_gazetteer
from geomap.model import Article
from geomap.names import fold_text, loose_key, name_key
from geomap.overrides import read_overrides

# ------------------------------------------------------------------------------ inputs
PIECES = (
    "Raqqa", "ar-Raqqah", "Ar Raqqah", "Palmyra", "Tadmur", "Deir ez-Zor", "Dayr az Zawr",
    "Tabqa dam", "Tabqa military airport", "al-Bab", "Manbij", "Ma'arrat al-Numan", "Mosul",
    "Islamic State", "IS", "ISIS", "Daesh", "Syrian army", "SDF", "Kurdish forces",
    "government forces", "Russian warplanes", "It", "They", "the city", "the base",
    " captured ", " recaptured ", " seized ", " besieged ", " siege of ", " broke the siege on ",
    " fell to ", " withdrew from ", " entered ", " advanced toward ", " claimed to have captured ",
    " but ", " denied ", " not ", " which ", " under the control of ", "-held ", " from ",
    " on Tuesday", " yesterday", " two days earlier", " last December", " since 2014",
    "March 3, 2017", "Nov 8, 2016", "2017-03-02", "2017-02-30", "1900-01-01", "9999-12-31",
    " 10 km from ", " within 40km of ", " 6 miles (10 kilometers) ", " south of the Turkish border",
    "al-", "Al-", "el-", "(", ")", ".", ". ", ",", ";", ":", "\n", "\n\n", "’s", "'", "-", "—",
    "\u200f", "\u200e", "\u200d", "\u200b", "\u00ad", "\u0301", "\u0651", "\u2028", "\x85",
    "الرقة", "تدمر", "دير الزور", "\x00", "\x1b[2J", "\ufeff", "⟪P0⟫", "⟪A1⟫", "⟫",
    "{{ 7*7 }}", "{% raw %}", "<script>window.__pwned=1</script>", '"><img src=x>', "=1+1",
    "title: T\n", "date: 2017-03-02\n", "source: S\n", "url: javascript:x\n", "---\n",
    "By John Smith\n", "Source: Wire\n", "Link: http://x\n", " ", "\t", "\r\n",
)  # fmt: skip

joined = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=80).map("".join)
any_text = st.one_of(
    joined,
    st.text(max_size=300),
    st.binary(max_size=400).map(lambda b: b.decode("utf-8", "surrogateescape")),
)
file_bytes = st.one_of(
    joined.map(lambda s: s.encode("utf-8")),
    joined.map(lambda s: s.encode("utf-8")[:-1]),  # cut mid-character, perhaps
    joined.map(lambda s: s.encode("cp1256", "replace")),
    st.binary(max_size=600),
)
anchors = st.one_of(
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    st.sampled_from([dt.date.min, dt.date.max, dt.date(1900, 1, 1)]),
    st.dates(),
)
VALUES = (
    "Palmyra", "Raqqa", "Atlantis", "sy-palmyra", "captured", "recaptured", "teleported",
    "2017-03-02", "2017-02-30", "2017-03", "2017", "17", "GOV_SY", "ISIS", "NOBODY", "negated",
    "", "<script>", "{{ 7*7 }}", "=1+1", "- a", "[1, 2]", "{a: b}", "&x", "*x", "'", '"', "\n",
)  # fmt: skip
COLUMNS = ("place", "kind", "date", "actor", "controller_after", "status", "note", "source")
#: A cell: its text, and (for YAML) whether it is written quoted; unquoted, YAML turns
#: 2017-02-30, [1, 2] or *x into other types, or into errors.
cells = st.tuples(st.sampled_from(VALUES) | st.text(max_size=8), st.booleans())
rows = st.lists(st.dictionaries(st.sampled_from(COLUMNS), cells), max_size=5)


def _yaml_of(items: list[dict[str, tuple[str, bool]]]) -> str:
    def scalar(value: str, quoted: bool) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' if quoted else value

    return "".join(
        "- " + "\n  ".join(f"{k}: {scalar(*v)}" for k, v in item.items()) + "\n"
        if item
        else "- {}\n"
        for item in items
    )


def _csv_of(items: list[dict[str, tuple[str, bool]]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerows({k: v for k, (v, _) in item.items()} for item in items)
    return buffer.getvalue()


events_files = st.one_of(
    rows.map(lambda r: ("yaml", _yaml_of(r))),
    rows.map(lambda r: ("csv", _csv_of(r))),
    joined.map(lambda s: ("yaml", s)),
    joined.map(lambda s: ("csv", s)),
)


# ------------------------------------------------------------------------------- laws
class LawBroken(AssertionError):
    """A law of the target does not hold; ``law`` names it."""

    def __init__(self, law: str, detail: str = "") -> None:
        super().__init__(f"{law}: {detail}" if detail else law)
        self.law = law


def law(holds: bool, name: str, detail: str = "") -> None:
    if not holds:
        raise LawBroken(name, detail)


@dataclass
class Context:
    gaz: Gazetteer
    folder: Path


def check_read(ctx: Context, data: bytes) -> None:
    path = ctx.folder / "article.txt"
    path.write_bytes(data)
    try:
        text = read_text(path)
        articles = split_articles(text, str(path), dt.date(2017, 3, 2))
    except GeomapError:
        return
    with contextlib.suppress(UnicodeDecodeError):
        law(text == data.decode("utf-8-sig"), "utf-8 read exactly")
    for a in articles:
        law(bool(a.text), "article has text", repr(a))
        first = a.text.splitlines()[0]
        law(text[a.offset : a.offset + len(first)] == first, "offset indexes the file", repr(a))


def check_keys(ctx: Context, text: str) -> None:
    key = name_key(text)
    law(set(key) <= set("abcdefghijklmnopqrstuvwxyz0123456789 "), "name_key is plain", key)
    law(name_key(key) == key, "name_key idempotent", f"{key!r} -> {name_key(key)!r}")
    loose = loose_key(text)
    law(loose_key(loose) == loose, "loose_key idempotent", f"{loose!r} -> {loose_key(loose)!r}")
    law(fold_text(fold_text(text)) == fold_text(text), "fold_text idempotent")


def check_find(ctx: Context, text: str) -> None:
    mentions = ctx.gaz.find(text)
    for m in mentions:
        law(text[m.start : m.end] == m.surface, "span indexes the text", repr(m.surface))
    for a, b in pairwise(mentions):
        law(a.end <= b.start, "mentions sorted, not overlapping", f"{a.surface!r} {b.surface!r}")


def check_resolve(ctx: Context, text: str) -> None:
    with contextlib.suppress(GeomapError):
        for c in ctx.gaz.resolve(text):
            law(0 <= c.score <= 1 and c.how in ("exact", "variant", "fuzzy"), "candidate valid")


def check_dates(ctx: Context, value: tuple[str, dt.date]) -> None:
    text, anchor = value
    for d in find_dates(text, anchor):
        law(text[d.start : d.end] == d.text, "date span indexes the text", d.text)
        law(d.value.date <= anchor + dt.timedelta(days=1), "no date after the dispatch", d.text)


def check_extract(ctx: Context, value: tuple[str, dt.date]) -> None:
    text, anchor = value
    article = Article(id="fuzz", text=text, published=anchor, source="fuzz", offset=5)
    events = extract_events(article, ctx.gaz)
    for e in events:
        quoted = text[e.evidence_start - 5 : e.evidence_end - 5].strip()
        law(quoted == e.evidence, "evidence quotes the article", repr(e.evidence))
        law(e.date <= anchor + dt.timedelta(days=1), "event not after the dispatch", repr(e.date))
        law(0 <= e.confidence <= 1, "confidence in 0..1")
    for c in extract_distances(article, ctx.gaz, events):
        law(c.evidence in text, "claim quotes the article", repr(c.evidence))
        law(math.isfinite(c.claimed_km) and c.claimed_km >= 0, "distance finite", repr(c))


def check_events_file(ctx: Context, value: tuple[str, str]) -> None:
    suffix, text = value
    path = ctx.folder / f"events.{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with contextlib.suppress(GeomapError):
        read_overrides(path, ctx.gaz)


@dataclass
class Target:
    name: str
    what: str
    strategy: st.SearchStrategy[Any]
    check: Callable[[Context, Any], None]
    examples: int = 0
    batches: int = 0


TARGETS = [
    Target("read", "read_text + split_articles on file bytes", file_bytes, check_read),
    Target("keys", "name_key, loose_key, fold_text", any_text, check_keys),
    Target("find", "Gazetteer.find", any_text, check_find),
    Target("resolve", "Gazetteer.resolve", any_text, check_resolve),
    Target("dates", "find_dates (any anchor)", st.tuples(any_text, anchors), check_dates),
    Target(
        "extract",
        "extract_events + extract_distances",
        st.tuples(any_text, st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))),
        check_extract,
    ),
    Target("events-file", "read_overrides on YAML/CSV", events_files, check_events_file),
]


# ------------------------------------------------------------------------------ running
class TooSlow(Exception):
    """One call ran past the --slow limit."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Finding:
    target: str
    signature: str
    error: str
    value: Any
    where: str


@dataclass
class Run:
    seconds: float
    slow: float
    started: float = field(default_factory=time.monotonic)
    failures: dict[tuple[str, str], Finding] = field(default_factory=dict)
    slow_inputs: list[tuple[str, float, Any]] = field(default_factory=list)

    def over(self, grace: float = 0.0) -> bool:
        return time.monotonic() - self.started > self.seconds + grace


def signature(exc: BaseException) -> tuple[str, str]:
    """What identifies a failure: the law broken, or the exception and where it was raised."""
    if isinstance(exc, LawBroken):
        return f"law: {exc.law}", ""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/geomap/" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno} in {ours[-1].name}" if ours else ""
    return f"{type(exc).__name__} at {where}", where


def run_batch(target: Target, run: Run, ctx: Context, seed: int, size: int) -> None:
    last: list[Any] = [None]

    @settings(
        max_examples=size,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @hypothesis.seed(seed)
    @given(target.strategy)
    def prop(value: Any) -> None:
        if run.over(grace=30):
            return  # out of time: let hypothesis wind down
        target.examples += 1
        last[0] = value
        start = time.perf_counter()
        try:
            with time_limit(run.slow):
                target.check(ctx, value)
        except TooSlow:
            run.slow_inputs.append((target.name, time.perf_counter() - start, value))
        except Exception as exc:  # re-raised unless already reported
            if (target.name, signature(exc)[0]) in run.failures:
                return  # known: look for something else
            raise

    target.batches += 1
    try:
        prop()
    except hypothesis.errors.HypothesisException as exc:  # flaky, unsatisfiable: note it
        print(f"  [{target.name}] hypothesis: {type(exc).__name__}: {exc}"[:400], flush=True)
    except Exception as exc:  # noqa: BLE001 - the shrunk failure; its input was run last
        sig, where = signature(exc)
        finding = Finding(target.name, sig, f"{type(exc).__name__}: {exc}", last[0], where)
        run.failures[target.name, sig] = finding
        print(f"  FAIL [{target.name}] {sig}\n    {finding.error[:300]}", flush=True)
        print(f"    input: {_show(last[0])}", flush=True)


def _show(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120, help="time to run (default 120)")
    parser.add_argument("--targets", default=",".join(t.name for t in TARGETS))
    parser.add_argument(
        "--slow", type=float, default=5.0, help="one call slower than this is reported"
    )
    parser.add_argument("--batch", type=int, default=60, help="examples per hypothesis batch")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    args = parser.parse_args(argv)
    wanted = args.targets.split(",")
    unknown = sorted(set(wanted) - {t.name for t in TARGETS})
    if unknown:
        parser.error(f"unknown targets {unknown}; known: {', '.join(t.name for t in TARGETS)}")
    targets = [t for t in TARGETS if t.name in wanted]
    print(
        f"geomap fuzz: {args.seconds:g} s, seed {args.seed}, hypothesis {hypothesis.__version__},"
        f" python {sys.version.split()[0]}, {args.batch} examples a batch, slow > {args.slow:g} s"
    )
    for t in targets:
        print(f"  {t.name:12s} {t.what}")
    run = Run(args.seconds, args.slow)
    with tempfile.TemporaryDirectory(prefix="geomap-fuzz-") as folder:
        ctx = Context(load_gazetteer(), Path(folder))
        batch = 0
        while not run.over():
            target = targets[batch % len(targets)]
            run_batch(target, run, ctx, args.seed + batch, args.batch)
            batch += 1
    return report(run, targets, time.monotonic() - run.started)


def report(run: Run, targets: list[Target], elapsed: float) -> int:
    print(f"\nran {elapsed:.0f} s:")
    for t in targets:
        found = sum(1 for name, _ in run.failures if name == t.name)
        print(
            f"  {t.name:12s} {t.examples:7d} examples in {t.batches:3d} batches, {found} failures"
        )
    if run.failures:
        print(f"\n{len(run.failures)} distinct failures:")
        for f in run.failures.values():
            print(f"- [{f.target}] {f.signature}\n    {f.error[:300]}\n    input: {_show(f.value)}")
    if run.slow_inputs:
        print(f"\n{len(run.slow_inputs)} slow inputs (interrupted after {run.slow:g} s):")
        for name, seconds, value in run.slow_inputs[:20]:
            print(f"- [{name}] {seconds:.1f} s, input: {_show(value, 200)}")
    if not run.failures and not run.slow_inputs:
        print("nothing found")
    return 1 if run.failures or run.slow_inputs else 0


if __name__ == "__main__":
    sys.exit(main())
