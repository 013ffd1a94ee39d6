"""The Dask engine: Parquet written on a cluster, loaded into a store, equals ``ingest``.

One local cluster of two worker processes on loopback serves the whole module (start-up
is the slow part). ``GEOMAP_BIG=1`` adds a 10,000-article run of the comparison.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip(
    "distributed", reason="dask is not installed (pip install -e '.[dask]' to run these)"
)
pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install -e '.[dask]')")

from geomap import distributed
from geomap.distributed import TABLES, ingest_dask, load_parquet, read_records
from geomap.errors import CorpusError, GazetteerError
from geomap.pipeline import ingest, load_claims, load_events, process_file

# A scheduler's HTTP server (even with the dashboard off) moves off a busy port by itself.
pytestmark = pytest.mark.filterwarnings("ignore:Port 8787 is already in use:UserWarning")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "geomap" / "sample"
BIG = os.environ.get("GEOMAP_BIG") == "1"

# Every stored column but articles.ingested_at (the time of writing), in a total order.
DUMPS = {
    "articles": "SELECT id, path, source, url, title, published, text_offset, text FROM articles "
    "ORDER BY id",
    "mentions": "SELECT * FROM mentions ORDER BY article_id, start",
    "unresolved": "SELECT * FROM unresolved ORDER BY article_id, name",
    "events": "SELECT * FROM events ORDER BY id",
    "claims": "SELECT * FROM claims ORDER BY article_id, relation, place_id, claimed_km, evidence",
}


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def sample_files() -> list[Path]:
    return sorted(SAMPLE.glob("*.txt"))  # the undated/ folder is left out


def _generated(folder: Path, count: int) -> Path:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder.mkdir()
    for name, text in module.generate(count):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def sample_parquet(tmp_path_factory, scheduler, sample_files) -> Path:
    out = tmp_path_factory.mktemp("sample") / "parquet"
    report = ingest_dask(sample_files, out, scheduler=scheduler, batch=3)
    assert report.files == len(sample_files) and not report.skipped
    return out


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as conn:
        return {table: conn.execute(sql).fetchall() for table, sql in DUMPS.items()}


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_same_store(loaded: Path, ingested: Path) -> None:
    """Both stores hold the same rows, and the same events and claims read back."""
    got, want = dump(loaded), dump(ingested)
    assert want["articles"] and want["events"]
    for table in DUMPS:
        assert got[table] == want[table], table
    got_events, want_events = load_events(loaded), load_events(ingested)
    assert [e.id for e in got_events] == [e.id for e in want_events]
    assert got_events == want_events
    assert load_claims(loaded) == load_claims(ingested)


@pytest.mark.parametrize(
    ("corpus", "batch"),
    [
        ("sample", 3),
        (300, 32),
        pytest.param(
            10_000,
            64,
            marks=pytest.mark.skipif(not BIG, reason="set GEOMAP_BIG=1 for 10,000 articles"),
        ),
    ],
)
def test_ingest_dask_then_load_equals_single_process_ingest(
    corpus, batch, tmp_path, scheduler, sample_files
):
    inputs = sample_files if corpus == "sample" else [_generated(tmp_path / "corpus", corpus)]
    report = ingest_dask(inputs, tmp_path / "parquet", scheduler=scheduler, batch=batch)
    loaded = load_parquet(tmp_path / "parquet", tmp_path / "loaded.db")
    ingested = ingest(inputs, tmp_path / "ingested.db")

    assert report.articles == loaded.articles_new == ingested.articles_new
    assert report.events == loaded.events == ingested.events
    assert loaded.mentions == ingested.mentions
    assert loaded.unresolved == ingested.unresolved
    assert_same_store(tmp_path / "loaded.db", tmp_path / "ingested.db")


def test_records_read_back_equal_what_process_file_made(sample_parquet, sample_files):
    made = {
        (a.path, a.offset): (a, *rest)
        for p in sample_files
        for a, *rest in process_file(str(p)).articles
    }
    back = {(r[0].path, r[0].offset): r for r in read_records(sample_parquet)}
    assert back == made
    ids = [e.id for key in sorted(made) for e in made[key][2]]
    assert [e.id for key in sorted(made) for e in back[key][2]] == ids


def test_parquet_is_partitioned_by_month_with_one_file_per_table_and_part(sample_parquet):
    parts = {
        p.relative_to(sample_parquet / "articles")
        for p in (sample_parquet / "articles").rglob("*.parquet")
    }
    assert parts
    for table in TABLES:
        files = {p.relative_to(sample_parquet / table) for p in (sample_parquet / table).rglob("*")}
        assert {f for f in files if f.suffix == ".parquet"} == parts
    assert all(p.parent.name.startswith("month=20") for p in parts)
    assert not [p for p in sample_parquet.rglob("*") if p.name.startswith(".")]


def test_load_parquet_twice_adds_nothing(sample_parquet, tmp_path):
    first = load_parquet(sample_parquet, tmp_path / "g.db")
    before = dump(tmp_path / "g.db")
    second = load_parquet(sample_parquet, tmp_path / "g.db")
    assert first.articles_new > 0
    assert (second.articles_new, second.mentions, sum(second.events.values())) == (0, 0, 0)
    assert second.articles_known == first.articles_read
    assert dump(tmp_path / "g.db") == before


def test_ingest_dask_twice_writes_identical_files(
    sample_parquet, tmp_path, scheduler, sample_files
):
    expected = tree(sample_parquet)
    ingest_dask(sample_files, tmp_path / "again", scheduler=scheduler, batch=3)
    ingest_dask(sample_files, sample_parquet, scheduler=scheduler, batch=3)  # over itself
    assert tree(tmp_path / "again") == expected
    assert tree(sample_parquet) == expected


@pytest.mark.parametrize(("part_articles", "buffer_articles"), [(1, 20_000), (10**9, 3)])
def test_parts_cut_small_or_flushed_early_give_the_same_store(
    part_articles, buffer_articles, tmp_path, scheduler, sample_files, monkeypatch
):
    monkeypatch.setattr(distributed, "_PART_ARTICLES", part_articles)
    monkeypatch.setattr(distributed, "_BUFFER_ARTICLES", buffer_articles)
    report = ingest_dask(sample_files, tmp_path / "parquet", scheduler=scheduler, batch=2)
    articles = tmp_path / "parquet" / "articles"
    assert report.parts == len(list(articles.rglob("part-*.parquet")))
    assert report.parts > len(list(articles.glob("month=*")))  # some month was cut in two
    load_parquet(tmp_path / "parquet", tmp_path / "loaded.db")
    ingest(sample_files, tmp_path / "ingested.db")
    assert_same_store(tmp_path / "loaded.db", tmp_path / "ingested.db")


@pytest.mark.parametrize("copy_first", [False, True])
def test_an_article_found_twice_is_stored_from_its_first_occurrence(
    copy_first, tmp_path, scheduler, sample_files, monkeypatch
):
    import pyarrow.parquet as pq

    monkeypatch.setattr(distributed, "_PART_ARTICLES", 1)  # one part per batch and month
    copy = tmp_path / "copies" / "palmyra_again.txt"
    copy.parent.mkdir()
    shutil.copy(SAMPLE / "palmyra_2017.txt", copy)
    inputs = [copy.parent, *sample_files] if copy_first else [*sample_files, copy.parent]
    ingest_dask(inputs, tmp_path / "parquet", scheduler=scheduler, batch=2)
    # Whatever the hashes, make the part of the first occurrence load last.
    found = sorted(
        (row["file_seq"], part)
        for part in (tmp_path / "parquet" / "articles").rglob("*.parquet")
        for row in pq.read_table(part).to_pylist()
        if row["path"] in (str(copy), str(SAMPLE / "palmyra_2017.txt"))
    )
    assert len(found) == 2 and found[0][1] != found[1][1]
    winner = found[0][1]
    for table in TABLES:
        old = tmp_path / "parquet" / table / winner.parent.name / winner.name
        old.rename(old.with_name("part-zzzz.parquet"))
    report = load_parquet(tmp_path / "parquet", tmp_path / "loaded.db")
    ingested = ingest(inputs, tmp_path / "ingested.db")
    assert report.articles_known == ingested.articles_known == 1
    assert_same_store(tmp_path / "loaded.db", tmp_path / "ingested.db")


def test_skipped_inputs_and_warnings_are_reported_as_ingest_reports_them(tmp_path, scheduler):
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01binary" * 100)
    (tmp_path / "latin.txt").write_bytes(
        "title: x\ndate: 2017-03-02\n\nTroops entered Tadmur, caf\xe9 owners said.\n".encode(
            "cp1252"
        )
    )
    inputs = [SAMPLE / "undated", tmp_path / "blob.txt", tmp_path / "latin.txt", "nowhere/*.txt"]
    report = ingest_dask(inputs, tmp_path / "parquet", scheduler=scheduler, batch=1)
    ingested = ingest(inputs, tmp_path / "ingested.db")
    assert report.skipped == ingested.skipped and len(report.skipped) == 3
    assert report.warnings == ingested.warnings and len(report.warnings) == 1
    assert report.problems


def test_published_dates_undated_articles_as_ingest_does(tmp_path, scheduler):
    import datetime as dt

    day = dt.date(2015, 1, 26)
    ingest_dask([SAMPLE / "undated"], tmp_path / "parquet", published=day, scheduler=scheduler)
    load_parquet(tmp_path / "parquet", tmp_path / "loaded.db")
    ingest([SAMPLE / "undated"], tmp_path / "ingested.db", published=day)
    assert (tmp_path / "parquet" / "articles" / "month=2015-01").is_dir()
    assert_same_store(tmp_path / "loaded.db", tmp_path / "ingested.db")


def test_a_batch_is_cut_before_it_carries_too_many_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(distributed, "_BATCH_BYTES", 10)
    paths = []
    for name, size in (("a", 4), ("b", 4), ("c", 20), ("d", 1), ("e", 1)):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(b"x" * size)
    batches = distributed._iter_batches(paths, size=2)
    assert [[Path(p).name for _, p, _ in b] for b in batches] == [["a", "b"], ["c"], ["d", "e"]]


def test_an_empty_ingest_loads_as_nothing(tmp_path, scheduler):
    (tmp_path / "empty").mkdir()
    report = ingest_dask([tmp_path / "empty"], tmp_path / "parquet", scheduler=scheduler)
    assert (report.files, report.parts) == (0, 0)
    assert sorted(p.name for p in (tmp_path / "parquet").iterdir()) == sorted(TABLES)
    assert load_parquet(tmp_path / "parquet", tmp_path / "g.db").articles_read == 0


def test_load_parquet_of_a_folder_without_parquet_says_what_it_expected(tmp_path):
    with pytest.raises(CorpusError, match=r"no articles/ folder; expected the output of"):
        load_parquet(tmp_path, tmp_path / "g.db")


def test_load_parquet_with_an_unknown_place_stores_nothing_of_that_part(sample_parquet, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    bad = tmp_path / "parquet"
    shutil.copytree(sample_parquet, bad)
    target = next(
        p for p in sorted((bad / "events").rglob("*.parquet")) if pq.read_metadata(p).num_rows
    )
    table = pq.read_table(target)
    column = table.schema.get_field_index("place_id")
    table = table.set_column(column, "place_id", pa.array(["nowhere"] * len(table), pa.string()))
    pq.write_table(table, target)
    with pytest.raises(GazetteerError, match=r"place id 'nowhere' is not in the gazetteer"):
        load_parquet(bad, tmp_path / "g.db")
    with sqlite3.connect(tmp_path / "g.db") as conn:
        stored = {row[0] for row in conn.execute("SELECT id FROM articles")}
    rows = pq.read_table(bad / "articles" / target.parent.name / target.name).column("id")
    assert not stored & set(rows.to_pylist())


def test_progress_is_reported_after_each_batch_with_the_total(tmp_path, scheduler, sample_files):
    seen: list[tuple[int, int, int]] = []
    report = ingest_dask(
        sample_files,
        tmp_path / "parquet",
        scheduler=scheduler,
        batch=4,
        progress=lambda r: seen.append((r.files, r.files_total, r.articles_read)),
    )
    total = len(sample_files)
    assert [files for files, _, _ in seen] == [4, 8, total]  # after each batch of 4
    assert all(t == total for _, t, _ in seen)
    assert seen[-1][2] == report.articles and report.articles > total  # archives hold many
