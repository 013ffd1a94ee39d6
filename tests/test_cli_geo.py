"""Control areas, front lines and GIS export as a user runs them."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import Point

from tests.conftest import assert_clean_error, copy_db, run_cli


@pytest.fixture(scope="module")
def db(tmp_path_factory, sample_db_built):
    """`geomap ingest` of the dated samples (made once a session; this module's copy)."""
    return copy_db(sample_db_built, tmp_path_factory.mktemp("geo") / "g.db")


def test_export_gpkg_has_three_layers_with_lonlat(db, tmp_path):
    out = tmp_path / "x.gpkg"
    result = run_cli("export", "--date", "2017-03-03", "--db", str(db), "-o", str(out))
    assert result.code == 0 and result.out.strip() == str(out)
    places = gpd.read_file(out, layer="places")
    areas = gpd.read_file(out, layer="areas")
    gpd.read_file(out, layer="front_lines")
    state = json.loads(run_cli("state", "--date", "2017-03-03", "--db", str(db), "-f", "json").out)
    assert len(places) == len(state)
    assert {"id", "name", "kind", "controller", "status", "since"} <= set(places.columns)
    palmyra = places[places["id"] == "sy-palmyra"].iloc[0]
    assert palmyra["controller"] == "GOV_SY"
    assert 38 < palmyra.geometry.x < 38.5 and 34.4 < palmyra.geometry.y < 34.7  # lon, lat
    assert places.crs.to_epsg() == 4326 and areas.crs.to_epsg() == 4326
    assert set(areas["actor"]) >= {"GOV_SY", "ISIS"} and (areas["area_km2"] > 0).all()


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_export_folders(db, tmp_path, fmt):
    out = tmp_path / fmt
    assert (
        run_cli("export", "--date", "2017-03-03", "--db", str(db), "-f", fmt, "-o", str(out)).code
        == 0
    )
    if fmt == "geojson":
        assert {p.name for p in out.iterdir()} == {
            "places.geojson",
            "areas.geojson",
            "front_lines.geojson",
        }
        assert len(gpd.read_file(out / "areas.geojson")) >= 2
    else:
        header = (out / "places.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header == "id,name,kind,lat,lon,country,controller,status,since"


def test_state_summary_gives_estimated_km2_per_actor(db):
    rows = json.loads(
        run_cli("state", "--date", "2017-03-03", "--db", str(db), "--summary", "-f", "json").out
    )
    by_actor = {r["actor"]: r for r in rows}
    assert by_actor["GOV_SY"]["places"] >= 3 and by_actor["GOV_SY"]["area_km2"] > 100


def test_map_draws_areas_and_front_lines_unless_asked_not_to(db, tmp_path):
    with_areas, without = tmp_path / "a.html", tmp_path / "b.html"
    assert run_cli("map", "--date", "2017-03-03", "--db", str(db), "-o", str(with_areas)).code == 0
    assert (
        run_cli(
            "map", "--date", "2017-03-03", "--db", str(db), "-o", str(without), "--no-areas"
        ).code
        == 0
    )
    html = with_areas.read_text(encoding="utf-8")
    assert "Estimated areas" in html and "are estimated" in html
    assert "Estimated areas" not in without.read_text(encoding="utf-8")


def test_diff_summary_has_area_change(db):
    data = json.loads(
        run_cli("diff", "2016-12-15", "2017-03-05", "--db", str(db), "-f", "json").out
    )
    area = data["summary"]["GOV_SY"]["area_km2"]
    assert area["net"] == pytest.approx(area["after"] - area["before"], abs=0.2)


def test_bad_export_format_is_a_usage_error(db):
    result = run_cli("export", "--date", "2017-03-03", "--db", str(db), "-f", "shapefile")
    assert result.code == 2 and "Traceback" not in result.err


def test_export_into_a_file_that_is_a_folder_fails_cleanly(db, tmp_path):
    assert_clean_error(
        run_cli("export", "--date", "2017-03-03", "--db", str(db), "-o", str(tmp_path)),
        2,
        str(tmp_path),
    )


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory, seed_db_built):
    """`geomap ingest` of each seed (made once a session; this module's copy)."""
    return copy_db(seed_db_built, tmp_path_factory.mktemp("seedgeo") / "s.db")


def gov_component(seed_db, tmp_path, day):
    out = tmp_path / f"{day}.gpkg"
    assert run_cli("export", "--date", day, "--db", str(seed_db), "-o", str(out)).code == 0
    areas = gpd.read_file(out, layer="areas").set_index("actor")
    city = Point(40.141, 35.336)  # Deir ez-Zor (lon, lat)
    parts = getattr(areas.loc["GOV_SY"].geometry, "geoms", [areas.loc["GOV_SY"].geometry])
    return next(p for p in parts if p.distance(city) < 0.02), areas


def test_seed_deir_ezzor_is_an_island_under_siege(seed_db, tmp_path):
    island, areas = gov_component(seed_db, tmp_path, "2017-01-18")
    assert island.area < 0.01  # a few km² (in degrees²): the besieged enclave only
    gov = areas.loc["GOV_SY"].geometry
    others = [p for p in getattr(gov, "geoms", [gov]) if not p.equals(island)]
    # no government ground nearby, but other besieged islands (the military airport)
    assert all(p.distance(island) > 0.5 or p.area < 0.01 for p in others)


def test_seed_deir_ezzor_siege_is_broken_but_fighting_goes_on(seed_db):
    """2017-09-05: the army broke the siege, IS still held eastern districts (the
    annotation's call): the city is the government's and contested, no longer besieged."""
    rows = json.loads(
        run_cli("state", "--date", "2017-09-06", "--db", str(seed_db), "-f", "json").out
    )
    city = next(r for r in rows if r["id"] == "sy-deir-ez-zor")
    assert (city["controller"], city["status"]) == ("GOV_SY", "contested")
