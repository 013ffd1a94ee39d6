"""`geomap places ...` as a user runs it: output shapes, exit codes, bad input."""

from __future__ import annotations

import json

import pytest

from tests.conftest import assert_clean_error, run_cli


def test_resolve_json_contract_and_exit_zero():
    result = run_cli("places", "resolve", "Deir el-Zour", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    # The contract: these keys always (more may be added, none renamed or dropped).
    assert {"query", "match", "score", "candidates", "runner_up"} <= set(data)
    assert data["query"] == "Deir el-Zour"
    assert set(data["match"]) == {"id", "name", "kind", "lat", "lon", "country", "admin1"}
    assert data["match"]["id"] == "sy-deir-ez-zor"
    assert 0 < data["score"] <= 1
    assert abs(data["match"]["lat"] - 35.336) < 0.05 and abs(data["match"]["lon"] - 40.14) < 0.05


def test_resolve_json_keeps_the_runner_up_namesake():
    result = run_cli("places", "resolve", "Khirbat Askar, Aleppo", "-f", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["match"]["admin1"] == "Aleppo"
    assert data["runner_up"]["name"] == data["match"]["name"]
    assert data["runner_up"]["id"] != data["match"]["id"]
    assert data["score"] > data["runner_up"]["score"]


def test_resolve_no_match_exits_one_with_candidates():
    result = run_cli("places", "resolve", "Raqqqa Springs Village", "-f", "json")
    assert result.code == 1
    data = json.loads(result.out)
    assert data["match"] is None and data["score"] == 0.0
    assert data["candidates"] and all(c["how"] == "fuzzy" for c in data["candidates"])


def test_resolve_table_names_the_match():
    result = run_cli("places", "resolve", "Tadmur")
    assert result.code == 0
    assert result.out.startswith("'Tadmur': Palmyra (town, SY)")


def test_mentions_json_contract(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Ankara said rebels took al-Bab, 25 km south of the border.", encoding="utf-8")
    result = run_cli("places", "mentions", str(path), "-f", "json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    keys = {"start", "end", "surface", "id", "name", "kind", "lat", "lon", "score", "role"}
    assert all(set(r) == keys for r in rows)
    assert [(r["surface"], r["role"]) for r in rows] == [("Ankara", "metonym"), ("al-Bab", "place")]
    text = path.read_text(encoding="utf-8")
    assert all(text[r["start"] : r["end"]] == r["surface"] for r in rows)


def test_list_filters_by_kind_and_country():
    result = run_cli("places", "list", "--kind", "dam", "--country", "SY", "-f", "csv")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("id,name,kind")
    assert any(line.startswith("sy-tabqa-dam,") for line in lines)
    assert all(",dam," in line for line in lines[1:])


def test_list_unknown_kind_is_a_clean_error():
    assert_clean_error(run_cli("places", "list", "--kind", "castle"), 2, "expected --kind")


@pytest.mark.parametrize(
    ("name", "fragment"), [("", "empty"), ("x" * 10_000, "at most 200 characters")]
)
def test_resolve_bad_names(name, fragment):
    assert_clean_error(run_cli("places", "resolve", name), 2, fragment)


def test_mentions_missing_file():
    assert_clean_error(run_cli("places", "mentions", "/no/such/file.txt"), 2, "no such file")


def test_mentions_folder(tmp_path):
    assert_clean_error(run_cli("places", "mentions", str(tmp_path)), 2, "is a folder")


def test_mentions_binary_file(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    assert_clean_error(run_cli("places", "mentions", str(path)), 2, "binary file")


def test_mentions_non_utf8_file_is_read_with_a_warning(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Forces entered Raqqa \u2013 \u201cquickly\u201d.".encode("cp1252"))
    result = run_cli("places", "mentions", str(path), "-f", "json")
    assert result.code == 1
    assert result.err.strip() == f"warning: {path}: not UTF-8; read as cp1252"
    assert [r["id"] for r in json.loads(result.out)] == ["sy-raqqa"]


def test_help_lists_commands():
    result = run_cli("--help")
    assert result.code == 0 and "places" in result.out
