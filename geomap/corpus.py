"""Read article files into dated :class:`~geomap.model.Article` records.

A file is one article or an *archive page* of many dispatches. Metadata comes from a
leading block of ``key: value`` lines closed by a blank line, or YAML front matter between
``---`` lines. On an archive page each dispatch opens with a date line (2017-09-05,
March 03, 2017, Nov 8, 2016) and may close with ``Source:`` and ``Link:`` lines; a byline
just before a date line belongs to the dispatch that follows. Each dispatch is its own
article. An article with no date is reported, never dated by guess.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import CorpusError, DateError
from geomap.model import Article

TEXT_SUFFIXES = (".txt", ".md", ".text", "")
MAX_FILE_BYTES = 64 * 1024 * 1024

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ),
        start=1,
    )
    for m in names.split()
}
_MONTH_RE = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE_LINE = re.compile(
    rf"^\s*(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})|(?P<mdy>{_MONTH_RE}\s+\d{{1,2}},?\s+\d{{4}})"
    rf"|(?P<dmy>\d{{1,2}}\s+{_MONTH_RE},?\s+\d{{4}}))\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\s*By\s+[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,12}\s*$")
_HEADER_KEYS = {"title", "date", "published", "source", "url", "link", "author", "byline"}
_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*)$")
_SOURCE_LINE = re.compile(r"^\s*Source:\s*(?P<value>.+?)\.?\s*$", re.IGNORECASE)
_LINK_LINE = re.compile(r"^\s*Link:\s*(?P<value>\S+?)\.?\s*$", re.IGNORECASE)


@dataclass
class ReadReport:
    """What happened while reading: warnings and skipped inputs, each one line."""

    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def parse_date(text: str) -> dt.date:
    """Parse an ISO date or a written date ("March 03, 2017", "Nov 8, 2016", "8 Nov 2016").

    Raises
    ------
    DateError
        If ``text`` is not a valid date.

    Examples
    --------
    >>> parse_date("Nov 8, 2016")
    datetime.date(2016, 11, 8)
    >>> parse_date("2017-03-03")
    datetime.date(2017, 3, 3)
    """
    raw = text.strip()
    match = _DATE_LINE.match(raw)
    if not match:
        raise DateError(f"expected a date like 2017-03-03 or March 3, 2017, got {raw[:40]!r}")
    try:
        if match.group("iso"):
            return dt.date.fromisoformat(match.group("iso"))
        words = re.findall(r"[A-Za-z]+|\d+", raw)
        month = next(
            _MONTHS[w.lower()[:3] if w.lower() not in _MONTHS else w.lower()]
            for w in words
            if w.isalpha()
        )
        numbers = [int(w) for w in words if w.isdigit()]
        day, year = (numbers[0], numbers[1])
        return dt.date(year, month, day)
    except (ValueError, KeyError, StopIteration) as exc:
        raise DateError(f"expected a valid calendar date, got {raw[:40]!r} ({exc})") from None


def read_text(path: Path, report: ReadReport | None = None) -> str:
    """Read a text file: UTF-8 (with or without BOM), else cp1252/latin-1 with a warning.

    Raises
    ------
    CorpusError
        If the path is missing, a folder, too large, or a binary file.
    """
    try:
        info = os.stat(path)  # once: exists, folder and size
    except (FileNotFoundError, NotADirectoryError):
        raise CorpusError(f"{path}: no such file") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise CorpusError(f"{path}: is a folder; expected a text file")
    size = info.st_size
    if size > MAX_FILE_BYTES:
        raise CorpusError(f"{path}: {-(-size // 2**20)} MiB is larger than the 64 MiB limit")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from None
    if _looks_binary(data):
        raise CorpusError(f"{path}: binary file; expected text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            if report is not None:
                report.warnings.append(f"{path}: UTF-8 cut short at the end; last bytes dropped")
            return data[: exc.start].decode("utf-8-sig")
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if report is not None:
            report.warnings.append(f"{path}: not UTF-8; read as {encoding}")
        return text
    raise CorpusError(f"{path}: cannot decode text")  # pragma: no cover - latin-1 never fails


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return bool(head) and control / len(head) > 0.05


# Control bytes other than tab, newline, form feed and carriage return.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def iter_paths(inputs: Iterable[str | Path], report: ReadReport) -> Iterator[Path]:
    """Expand files, folders (recursively, sorted) and globs into file paths.

    A file named twice (or by two routes: a link, "./x" and "x") comes once. Listings are
    kept as strings and files are told apart by (device, inode), and only when several
    inputs could overlap, so that a folder of a million files costs little memory.
    """
    inputs = list(inputs)
    seen: set[tuple[int, int]] | None = set() if len(inputs) > 1 else None
    for item in inputs:
        text = str(item)
        if any(ch in text for ch in "*?[") and not os.path.exists(text):
            candidates = sorted(glob.glob(text, recursive=True), key=_path_order)
            if not candidates:
                report.skipped.append(f"{text}: no files match")
        elif os.path.isdir(text):
            candidates = sorted(_text_files(text), key=_path_order)
        elif os.path.exists(text):
            candidates = [text]
        else:
            report.skipped.append(f"{Path(text)}: no such file")
            candidates = []
        for name in candidates:
            try:
                info = os.stat(name)
            except OSError:
                continue  # gone since it was listed
            if not stat.S_ISREG(info.st_mode):
                continue
            if seen is not None:
                if (info.st_dev, info.st_ino) in seen:
                    continue
                seen.add((info.st_dev, info.st_ino))
            yield Path(name)


def _text_files(folder: str) -> Iterator[str]:
    """The text files under ``folder``, recursively (hidden files and other suffixes not)."""
    for top, _, files in os.walk(folder):  # symlinked folders are not followed (no loops)
        for name in files:
            if not name.startswith(".") and os.path.splitext(name)[1] in TEXT_SUFFIXES:
                yield os.path.join(top, name)


def _path_order(name: str) -> str:
    """Sort paths by their parts, as Path objects sort ("a/b" before "a-b"): the separator
    sorts first (one string a path, not a list of parts: less memory for many files)."""
    return name.replace(os.sep, "\0")


def article_id(text: str) -> str:
    """The id of an article: a hash of its whitespace- and case-normalised text."""
    composed = text if text.isascii() else unicodedata.normalize("NFKC", text)
    normal = " ".join(composed.split()).casefold()
    return hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def split_articles(text: str, path: str = "", published: dt.date | None = None) -> list[Article]:
    """Split a file's text into articles (one, or one per dispatch of an archive page).

    ``published`` dates an article that carries no date of its own.

    Examples
    --------
    >>> arts = split_articles("Archive\\n\\n2017-09-05\\n\\nTroops arrived.\\n\\n"
    ...                       "Nov 8, 2016\\n\\nForces advanced.\\nSource: Wire.\\n")
    >>> [(a.published.isoformat(), a.text, a.source) for a in arts]
    [('2017-09-05', 'Troops arrived.', ''), ('2016-11-08', 'Forces advanced.', 'Wire')]
    """
    meta, body, offset = _split_metadata(text)
    lines = [] if meta.get("date") else body.splitlines(keepends=True)  # dated: one article
    starts = [i for i, line in enumerate(lines) if _DATE_LINE.match(line)]
    if meta.get("date") or not starts:
        date = _meta_date(meta, path) or published
        return [_make_article(body, offset, path, date, meta)] if body.strip() else []
    positions = _line_offsets(lines, offset)
    heads = [
        _preamble_start(lines, first, starts[n - 1] if n else -1) for n, first in enumerate(starts)
    ]
    articles = []
    for n, first in enumerate(starts):
        stop = heads[n + 1] if n + 1 < len(starts) else len(lines)
        block_meta = dict(meta)
        bylines = [line.strip() for line in lines[heads[n] : first] if _BYLINE.match(line)]
        if bylines:
            block_meta["byline"] = bylines[0]
        chunk = "".join(lines[first + 1 : stop])
        try:
            dated: dt.date | None = parse_date(lines[first])
        except DateError:
            # "February 30, 2017": this dispatch is undated (not the whole file), so the
            # date the user gave for undated articles applies, as the report suggests.
            dated = published
        at = positions[first + 1] if first + 1 < len(positions) else offset + len(body)
        article = _make_article(chunk, at, path, dated, block_meta)
        if article.text:
            articles.append(article)
    return articles


def _preamble_start(lines: list[str], first: int, previous: int) -> int:
    """Where a dispatch starts: its date line, or the byline/dateline lines just above it.

    At most three short lines (a byline "By ... in X", a dateline "Ain Issa, Syria (AFP)")
    above the date line belong to the dispatch below, unless a Source:/Link: line or a
    paragraph of text comes first.
    """
    start, taken, j = first, 0, first - 1
    while j > previous and taken < 3:
        line = lines[j]
        if not line.strip():
            j -= 1
            continue
        if _SOURCE_LINE.match(line) or _LINK_LINE.match(line) or len(line.strip()) > 80:
            break
        if not (_BYLINE.match(line) or not re.search(r"[.!?][\"”’]?\s*$", line.strip())):
            break
        start, taken, j = j, taken + 1, j - 1
    return start


def _line_offsets(lines: list[str], base: int) -> list[int]:
    out, pos = [], base
    for line in lines:
        out.append(pos)
        pos += len(line)
    return out


def _make_article(
    chunk: str, offset: int, path: str, date: dt.date | None, meta: dict[str, str]
) -> Article:
    """Strip Source:/Link: lines from a dispatch and build its Article."""
    source, url = meta.get("source", ""), meta.get("url", "") or meta.get("link", "")
    kept = []
    low = chunk.lower()
    lines = chunk.splitlines(keepends=True) if "source:" in low or "link:" in low else [chunk]
    for line in lines:
        if m := _SOURCE_LINE.match(line):
            source = m.group("value")
            line = " " * (len(line) - 1) + "\n"  # same length: offsets still index the file
        elif m := _LINK_LINE.match(line):
            url = m.group("value")
            line = " " * (len(line) - 1) + "\n"
        kept.append(line)
    raw = "".join(kept)
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    return Article(
        id=article_id(text),
        text=text,
        published=date,
        source=source.strip(),
        url=url.strip(),
        title=meta.get("title", ""),
        path=path,
        offset=offset + lead,
    )


def _split_metadata(text: str) -> tuple[dict[str, str], str, int]:
    """Return (metadata, body, offset of body) for a header block or YAML front matter."""
    if text.startswith("---"):
        end = re.search(r"^---\s*$", text[3:], re.MULTILINE)
        if end:
            import yaml

            block = text[3 : 3 + end.start()]
            try:
                loaded = yaml.safe_load(block) or {}
            except yaml.YAMLError:
                loaded = {}
            if isinstance(loaded, dict):
                body_at = 3 + end.end()
                return {str(k).lower(): str(v) for k, v in loaded.items()}, text[body_at:], body_at
    meta: dict[str, str] = {}
    pos = 0
    for line in text.splitlines(keepends=True):
        m = _HEADER_LINE.match(line.strip())
        if not line.strip():
            break
        if not m or m.group("key").lower() not in _HEADER_KEYS:
            return {}, text, 0
        meta[m.group("key").lower()] = m.group("value").strip()
        pos += len(line)
    if not meta:
        return {}, text, 0
    return meta, text[pos:], pos


def _meta_date(meta: dict[str, str], path: str) -> dt.date | None:
    value = meta.get("date") or meta.get("published")
    if not value:
        return None
    try:
        return parse_date(value[:10] if re.match(r"\d{4}-\d{2}-\d{2}", value) else value)
    except DateError as exc:
        raise DateError(f"{path}: {exc}") from None


def read_articles(
    inputs: Iterable[str | Path],
    published: dt.date | None = None,
    report: ReadReport | None = None,
) -> Iterator[Article]:
    """Read every article under ``inputs`` (files, folders, globs), streaming.

    Bad files are reported in ``report.skipped`` and the rest go on; undated articles
    are reported and skipped unless ``published`` is given.
    """
    report = report if report is not None else ReadReport()
    for path in iter_paths(inputs, report):
        try:
            text = read_text(path, report)
            articles = split_articles(text, str(path), published)
        except (CorpusError, DateError) as exc:
            report.skipped.append(str(exc))
            continue
        for article in articles:
            if article.published is None:
                report.skipped.append(
                    f"{path}: article at offset {article.offset} has no date; pass --published DATE"
                )
                continue
            yield article


def sample_corpus_dir() -> Path:
    """The sample corpus shipped with geomap."""
    return Path(__file__).resolve().parent / "sample"


def environ_path(name: str, default: str) -> Path:
    """A path from environment variable ``name``, else ``default``."""
    return Path(os.environ.get(name) or default)
