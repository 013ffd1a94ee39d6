"""Reading articles: metadata, archive pages, dates, encodings, bad files."""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.corpus import ReadReport, parse_date, read_articles, split_articles
from geomap.errors import DateError
from tests.conftest import SAMPLE, seed_file


def test_header_block_gives_date_source_url_and_title():
    text = "title: T\ndate: 2017-03-02\nsource: Wire\nurl: https://x.org/a\n\nBody text here.\n"
    [article] = split_articles(text, "a.txt")
    assert (article.published, article.source, article.url, article.title) == (
        dt.date(2017, 3, 2),
        "Wire",
        "https://x.org/a",
        "T",
    )
    assert article.text == "Body text here."
    assert text[article.offset : article.offset + len(article.text)] == article.text


def test_yaml_front_matter():
    text = "---\ntitle: T\npublished: 2016-11-08\nsource: Wire\n---\nBody.\n"
    [article] = split_articles(text, "a.txt")
    assert article.published == dt.date(2016, 11, 8) and article.text == "Body."


def test_undated_article_gets_the_published_option():
    [article] = split_articles("Troops advanced.\n", "a.txt", published=dt.date(2016, 6, 4))
    assert article.published == dt.date(2016, 6, 4)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2017-09-05", "2017-09-05"),
        ("March 03, 2017", "2017-03-03"),
        ("January 17, 2017", "2017-01-17"),
        ("Nov 8, 2016", "2016-11-08"),
        ("8 November 2016", "2016-11-08"),
        ("Sept 5, 2017", "2017-09-05"),
    ],
)
def test_date_line_forms(line, expected):
    assert parse_date(line).isoformat() == expected


@pytest.mark.parametrize("bad", ["2017-02-30", "February 30, 2017", "yesterday", ""])
def test_bad_dates_raise(bad):
    with pytest.raises(DateError):
        parse_date(bad)


def test_archive_page_splits_dispatches_with_byline_and_source_lines():
    text = (
        "Tag Archive: front\n\n2017-09-05\n\nFirst dispatch.\n\nSource: Wire One.\n\n"
        "Link: https://example.org/1.\n\nBy Jane Doe in Beirut\n\nNov 8, 2016\n\n"
        "Second dispatch.\n"
    )
    first, second = split_articles(text, "archive.txt")
    assert (first.published, first.text, first.source, first.url) == (
        dt.date(2017, 9, 5),
        "First dispatch.",
        "Wire One",
        "https://example.org/1",
    )
    assert second.published == dt.date(2016, 11, 8) and second.text == "Second dispatch."
    for article in (first, second):
        assert text[article.offset : article.offset + len(article.text)] == article.text


def test_caption_and_copyright_dates_are_not_the_article_date():
    text = "File photo taken June 29, 2014 shows fighters.\n\nTroops advanced.\n\n© 2016 Wire\n"
    assert split_articles(text, "a.txt")[0].published is None


def test_seed_archive_page_has_ten_dated_dispatches():
    articles = split_articles(seed_file("003").read_text(encoding="utf-8"), "003")
    assert [a.published.isoformat() for a in articles] == [
        "2017-09-05",
        "2017-08-25",
        "2017-03-03",
        "2017-03-01",
        "2017-02-23",
        "2017-01-18",
        "2017-01-17",
        "2017-01-14",
        "2016-12-12",
        "2016-11-08",
    ]
    assert articles[-1].text.startswith("A US-backed Kurdish-Arab alliance")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_seeds_without_a_date_are_reported_not_guessed(prefix):
    report = ReadReport()
    assert list(read_articles([seed_file(prefix)], report=report)) == []
    assert "has no date; pass --published DATE" in report.skipped[0]


def test_article_id_is_stable_across_whitespace_and_rereads():
    a = split_articles("date: 2017-01-01\n\nTroops  entered\nRaqqa.\n", "a")[0]
    b = split_articles("date: 2017-01-01\n\nTroops entered Raqqa.\n", "b")[0]
    assert a.id == b.id


def test_folder_is_read_recursively_and_bad_files_are_skipped(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("date: 2017-01-01\n\nTroops entered Raqqa.\n")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01binary\x00")
    (tmp_path / "c.txt").write_bytes("date: 2017-01-02\n\nCaf\xe9 in Raqqa.\n".encode("cp1252"))
    report = ReadReport()
    articles = list(read_articles([tmp_path], report=report))
    assert sorted(a.published.isoformat() for a in articles) == ["2017-01-01", "2017-01-02"]
    assert any("binary file" in s for s in report.skipped)
    assert any("not UTF-8; read as cp1252" in w for w in report.warnings)


def test_glob_and_missing_inputs(tmp_path):
    (tmp_path / "a.txt").write_text("date: 2017-01-01\n\nX.\n")
    report = ReadReport()
    assert (
        len(
            list(
                read_articles([str(tmp_path / "*.txt"), str(tmp_path / "nope.txt")], report=report)
            )
        )
        == 1
    )
    assert report.skipped == [f"{tmp_path / 'nope.txt'}: no such file"]


def test_sample_corpus_has_dated_dispatches_and_one_undated_file():
    report = ReadReport()
    articles = list(read_articles([SAMPLE], report=report))
    assert len(articles) >= 18
    assert len(report.skipped) == 1 and "undated" in report.skipped[0]


def test_paths_come_sorted_once_each_and_symlinked_folders_are_not_followed(tmp_path):
    from geomap.corpus import iter_paths

    (tmp_path / "a").mkdir()
    for name in ("a/b.txt", "a-b.txt", "a/z.txt", ".hidden.txt", "a/notes.pdf"):
        (tmp_path / name).write_text("x")
    (tmp_path / "a" / "c").mkdir()
    (tmp_path / "a" / "c" / "d.txt").write_text("x")
    (tmp_path / "a" / "c" / "loop").symlink_to(tmp_path)  # a cycle: must not hang
    (tmp_path / "same.txt").symlink_to(tmp_path / "a" / "b.txt")
    report = ReadReport()
    inputs = [tmp_path, tmp_path / "a" / "b.txt", f"{tmp_path}/a/*.txt"]
    found = [p.relative_to(tmp_path).as_posix() for p in iter_paths(inputs, report)]
    # Path order ("a/..." before "a-b.txt"); b.txt once though named three ways and linked.
    assert found == ["a/b.txt", "a/c/d.txt", "a/z.txt", "a-b.txt"]
    assert report.skipped == []
    # One input alone: a link to a file is listed (its article is then recognised as known).
    assert len(list(iter_paths([tmp_path], ReadReport()))) == 5
