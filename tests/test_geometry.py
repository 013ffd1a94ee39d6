"""Distances, estimated control areas, front lines and GIS export."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math

import geopandas as gpd
import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import box

from geomap.errors import GazetteerError, RenderError
from geomap.gazetteer import default_data_dir
from geomap.geometry import (
    REACH_KM,
    SIEGE_REACH_KM,
    ControlArea,
    areas_to_geodataframe,
    distance_to_border_km,
    estimate_areas,
    export_layers,
    front_lines,
    geodesic_area_km2,
    geodesic_km,
    lines_to_geodataframe,
    states_to_geodataframe,
)
from geomap.model import SITE_KINDS, ControlStatus, Place, PlaceKind, PlaceState

HELD = ControlStatus.HELD
BESIEGED = ControlStatus.BESIEGED
SINCE = dt.date(2016, 5, 1)


def held(place: Place, actor: str, status: ControlStatus = HELD, besieger: str | None = None):
    return PlaceState(place, actor, status, SINCE, besieger=besieger)


def town(pid: str, lat: float, lon: float, kind: PlaceKind = PlaceKind.TOWN) -> Place:
    return Place(pid, pid.upper(), kind, lat, lon, "SY")


def by_actor(areas: list[ControlArea]) -> dict[str, ControlArea]:
    return {a.actor: a for a in areas}


def part_containing(geometry, place: Place):
    """The polygon of a (Multi)Polygon that holds the place, or None."""
    point = shapely.Point(place.lon, place.lat)
    return next((p for p in shapely.get_parts(geometry) if p.contains(point)), None)


@pytest.fixture(scope="module")
def syria():
    data = json.loads((default_data_dir() / "geo" / "countries.geojson").read_text())
    feature = next(f for f in data["features"] if f["properties"]["iso_a2"] == "SY")
    return shapely.from_geojson(json.dumps(feature["geometry"]))


@pytest.fixture(scope="module")
def syria_plus_half_km(syria):
    """Syria's polygon grown by 0.5 km (buffered in metres), in lon/lat."""
    aeqd = "+proj=aeqd +lat_0=35 +lon_0=38.5 +datum=WGS84 +units=m"
    fwd = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
    inv = Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True)
    metric = shapely.transform(syria, lambda xy: list(zip(*fwd.transform(*xy.T), strict=True)))
    grown = shapely.segmentize(metric.buffer(500.0), 1000.0)
    return shapely.transform(grown, lambda xy: list(zip(*inv.transform(*xy.T), strict=True)))


# ------------------------------------------------------------------ measures
def test_tabqa_dam_is_about_41_km_from_raqqa(gaz):
    assert 40 <= geodesic_km(gaz.get("sy-tabqa-dam"), gaz.get("sy-raqqa")) <= 42


def test_al_bab_is_about_30_km_from_the_turkish_border(gaz):
    # Articles say 25 km; Natural Earth's line puts it at ~30 km (gazetteer/geo/README.md).
    km = distance_to_border_km(gaz.get("sy-al-bab"), "TR")
    assert 20 <= km <= 32
    assert km == pytest.approx(29.9, abs=0.2)


def test_distance_to_a_border_is_the_same_from_either_side_of_the_pair(gaz):
    assert distance_to_border_km(gaz.get("sy-al-bab"), "tr") == distance_to_border_km(
        gaz.get("sy-al-bab"), "TR"
    )


def test_distance_to_a_border_the_countries_do_not_share_raises(gaz):
    with pytest.raises(GazetteerError, match=r"between SY and EG.*SY borders IL, IQ, JO, LB, TR"):
        distance_to_border_km(gaz.get("sy-al-bab"), "EG")


def test_one_degree_box_at_the_equator_is_about_12300_km2():
    assert geodesic_area_km2(box(0, 0, 1, 1)) == pytest.approx(12_309, abs=10)


def test_geodesic_area_ignores_ring_orientation():
    square = box(0, 0, 1, 1)
    assert geodesic_area_km2(square.reverse()) == geodesic_area_km2(square)


def test_every_site_kind_has_a_reach_and_no_other_kind_does():
    assert set(REACH_KM) == set(SITE_KINDS)
    assert REACH_KM[PlaceKind.CITY] > REACH_KM[PlaceKind.TOWN] > REACH_KM[PlaceKind.VILLAGE]


# ------------------------------------------------------------------ areas
def test_two_sides_side_by_side_get_two_areas_and_one_front_line(syria):
    a, b = town("a", 35.0, 38.0), town("b", 35.0, 38.1)  # 9.1 km apart, reach 8 km each
    areas = estimate_areas({"a": held(a, "X"), "b": held(b, "Y")})
    assert [(x.actor, x.places) for x in areas] == [("X", ("a",)), ("Y", ("b",))]
    # Hand check: an 8 km disc less the cap beyond the bisector at 4.56 km is 169.4 km².
    assert [round(x.area_km2) for x in areas] == [169, 169]
    x, y = areas
    assert geodesic_area_km2(x.geometry.intersection(y.geometry)) < 0.01
    assert all(syria.covers(area.geometry) for area in areas)
    lines = front_lines(areas)
    assert [line.actors for line in lines] == [("X", "Y")]
    # The common chord of the two discs: 2 * sqrt(8² - 4.56²) = 13.1 km, along lon 38.05.
    assert lines[0].length_km == pytest.approx(13.1, abs=0.1)
    assert shapely.get_coordinates(lines[0].geometry)[:, 0] == pytest.approx(38.05, abs=1e-3)


def test_places_of_one_side_whose_reach_overlaps_make_one_polygon():
    states = {"a": held(town("a", 35.0, 38.0), "X"), "b": held(town("b", 35.0, 38.15), "X")}
    (area,) = estimate_areas(states)  # 13.7 km apart < 8 + 8 km
    assert area.geometry.geom_type == "Polygon"
    assert area.places == ("a", "b")


def test_ground_no_place_stands_for_is_left_out():
    states = {"a": held(town("a", 35.0, 38.0), "X"), "b": held(town("b", 35.0, 38.5), "X")}
    (area,) = estimate_areas(states)  # 45 km apart: two discs, nothing between
    assert area.geometry.geom_type == "MultiPolygon"
    assert area.area_km2 == pytest.approx(2 * math.pi * 8**2, rel=0.01)


def test_a_city_stands_for_more_ground_than_a_village():
    city = estimate_areas({"c": held(town("c", 35.0, 38.0, PlaceKind.CITY), "X")})
    village = estimate_areas({"v": held(town("v", 35.0, 38.0, PlaceKind.VILLAGE), "X")})
    assert city[0].area_km2 == pytest.approx(math.pi * 15**2, rel=0.01)
    assert village[0].area_km2 == pytest.approx(math.pi * 4**2, rel=0.01)


@pytest.mark.parametrize(
    "state",
    [
        PlaceState(town("t", 35.0, 38.0), "X", ControlStatus.CONTESTED, SINCE),
        PlaceState(town("t", 35.0, 38.0), "X", ControlStatus.DISPUTED, SINCE),
        PlaceState(town("t", 35.0, 38.0), "X", ControlStatus.UNKNOWN, SINCE),
        PlaceState(town("t", 35.0, 38.0), None, HELD, SINCE),
        PlaceState(town("t", 35.0, 38.0, PlaceKind.PROVINCE), "X", HELD, SINCE),
        PlaceState(town("t", 35.0, 38.0, PlaceKind.REGION), "X", HELD, SINCE),
    ],
    ids=["contested", "disputed", "unknown", "no-controller", "province", "region"],
)
def test_places_nobody_holds_exclusively_shape_no_ground(state):
    assert estimate_areas({"t": state}) == []


def test_a_contested_place_leaves_its_ground_to_the_held_places_around_it():
    a, b = town("a", 35.0, 38.0), town("b", 35.0, 38.1)
    contested = PlaceState(town("c", 35.0, 38.05), "X", ControlStatus.CONTESTED, SINCE)
    with_it = estimate_areas({"a": held(a, "X"), "b": held(b, "Y"), "c": contested})
    without = estimate_areas({"a": held(a, "X"), "b": held(b, "Y")})
    assert [x.geometry.wkb for x in with_it] == [x.geometry.wkb for x in without]


def test_same_spot_keeps_the_place_of_larger_reach():
    city = town("z-city", 35.0, 38.0, PlaceKind.CITY)
    base = town("a-base", 35.0, 38.0, PlaceKind.MILITARY_BASE)
    areas = estimate_areas({"z-city": held(city, "X"), "a-base": held(base, "Y")})
    assert [(a.actor, a.places) for a in areas] == [("X", ("z-city",))]


def test_no_states_give_no_areas_and_no_front_lines():
    assert estimate_areas({}) == []
    assert front_lines([]) == []


def test_areas_stop_at_the_border(gaz, syria):
    kobani = gaz.get("sy-kobani")  # its centre lies 0.3-0.5 km inside Turkey's polygon
    (area,) = estimate_areas({kobani.id: held(kobani, "SDF")})
    assert geodesic_area_km2(area.geometry.difference(syria)) < 0.01
    assert area.area_km2 < 0.6 * math.pi * 15**2
    (wider,) = estimate_areas({kobani.id: held(kobani, "SDF")}, countries=["SY", "TR"])
    assert wider.area_km2 == pytest.approx(math.pi * 15**2, rel=0.01)


def test_unknown_country_to_cut_to_raises():
    with pytest.raises(GazetteerError, match=r"expected ISO-2 country codes.*got XX"):
        estimate_areas({"a": held(town("a", 35.0, 38.0), "X")}, countries=["SY", "XX"])


# ------------------------------------------------------------------ sieges
@pytest.fixture(scope="module")
def deir_ez_zor(gaz):
    ids = [
        "sy-deir-ez-zor",
        "sy-deir-ez-zor-airbase",
        "sy-brigade-137",
        "sy-al-shula",
        "sy-mayadin",
        "sy-raqqa",
        "sy-palmyra",
        "sy-homs",
    ]
    return {i: gaz.get(i) for i in ids}


def siege_states(places, *, broken: bool):
    """Deir ez-Zor before (2016) and after (September 2017) the siege was broken."""
    gov, isis = "GOV_SY", "ISIS"
    status = HELD if broken else BESIEGED
    besieger = None if broken else isis
    states = {
        "sy-deir-ez-zor": held(places["sy-deir-ez-zor"], gov, status, besieger),
        "sy-deir-ez-zor-airbase": held(places["sy-deir-ez-zor-airbase"], gov, status, besieger),
        "sy-palmyra": held(places["sy-palmyra"], gov),
        "sy-homs": held(places["sy-homs"], gov),
        "sy-mayadin": held(places["sy-mayadin"], isis),
        "sy-raqqa": held(places["sy-raqqa"], isis),
    }
    for pid in ("sy-brigade-137", "sy-al-shula"):
        states[pid] = held(places[pid], gov if broken else isis)
    return states


def test_a_besieged_enclave_is_an_island_inside_the_besiegers_ground(deir_ez_zor):
    areas = by_actor(estimate_areas(siege_states(deir_ez_zor, broken=False)))
    gov, isis = areas["GOV_SY"], areas["ISIS"]
    island = part_containing(gov.geometry, deir_ez_zor["sy-deir-ez-zor"])
    assert island is not None
    # Only the besieged city's own small disc: not joined to the airbase or to the west.
    assert geodesic_area_km2(island) == pytest.approx(math.pi * SIEGE_REACH_KM**2, rel=0.02)
    for west in ("sy-palmyra", "sy-homs", "sy-deir-ez-zor-airbase"):
        assert not island.intersects(shapely.Point(deir_ez_zor[west].lon, deir_ez_zor[west].lat))
    # Surrounded: the ring within ~1 km of the island is the besieger's.
    ring = island.buffer(0.01).difference(island)
    assert geodesic_area_km2(ring.difference(isis.geometry)) < 0.01 * geodesic_area_km2(ring)
    (line,) = [ln for ln in front_lines(list(areas.values())) if ln.actors == ("GOV_SY", "ISIS")]
    assert line.length_km > 2 * 2 * math.pi * SIEGE_REACH_KM * 0.98  # both islands' rims


def test_breaking_the_siege_joins_deir_ez_zor_to_the_ground_taken_around_it(deir_ez_zor):
    areas = by_actor(estimate_areas(siege_states(deir_ez_zor, broken=True)))
    gov = areas["GOV_SY"]
    ground = part_containing(gov.geometry, deir_ez_zor["sy-deir-ez-zor"])
    assert ground is not None
    for pid in ("sy-al-shula", "sy-brigade-137", "sy-deir-ez-zor-airbase"):
        assert ground.contains(shapely.Point(deir_ez_zor[pid].lon, deir_ez_zor[pid].lat)), pid
    assert geodesic_area_km2(ground) > 500
    # Palmyra is 170 km from al-Shula with no held place between: still a separate piece.
    palmyra = deir_ez_zor["sy-palmyra"]
    assert not ground.intersects(shapely.Point(palmyra.lon, palmyra.lat))
    assert "ISIS" in areas and ground.distance(areas["ISIS"].geometry) > 0


def test_the_besieger_gets_no_ring_without_ground_of_its_own_nearby(deir_ez_zor):
    city = deir_ez_zor["sy-deir-ez-zor"]
    far = deir_ez_zor["sy-raqqa"]  # 125 km away
    states = {city.id: held(city, "GOV_SY", BESIEGED, "ISIS"), far.id: held(far, "ISIS")}
    areas = by_actor(estimate_areas(states))
    assert areas["GOV_SY"].area_km2 == pytest.approx(math.pi * SIEGE_REACH_KM**2, rel=0.02)
    assert areas["ISIS"].area_km2 == pytest.approx(math.pi * 15**2, rel=0.01)


# ------------------------------------------------------------------ laws
SYRIA_BOX = (35.6, 32.3, 42.4, 37.3)  # west, south, east, north


@st.composite
def syrian_states(draw):
    n = draw(st.integers(min_value=1, max_value=18))
    states = {}
    for i in range(n):
        lon = draw(st.floats(SYRIA_BOX[0], SYRIA_BOX[2]))
        lat = draw(st.floats(SYRIA_BOX[1], SYRIA_BOX[3]))
        kind = draw(st.sampled_from(sorted(REACH_KM, key=lambda k: k.value)))
        actor = draw(st.sampled_from(["GOV_SY", "ISIS", "SDF"]))
        place = Place(f"p{i:02d}", f"P{i}", kind, round(lat, 4), round(lon, 4), "SY")
        states[place.id] = held(place, actor)
    return states


def inside(states, syria):
    return {
        k: s for k, s in states.items() if syria.contains(shapely.Point(s.place.lon, s.place.lat))
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(states=syrian_states())
def test_areas_never_overlap_never_leave_syria_and_do_not_move(states, syria, syria_plus_half_km):
    states = inside(states, syria)
    areas = estimate_areas(states)
    for a, b in itertools.combinations(areas, 2):
        assert geodesic_area_km2(a.geometry.intersection(b.geometry)) < 0.01
    for area in areas:
        assert area.geometry.is_valid
        assert syria_plus_half_km.covers(area.geometry)
    again = estimate_areas(dict(reversed(list(states.items()))))
    assert [a.geometry.wkb for a in again] == [a.geometry.wkb for a in areas]
    assert [(a.actor, a.places, a.area_km2) for a in again] == [
        (a.actor, a.places, a.area_km2) for a in areas
    ]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(states=syrian_states())
def test_front_lines_run_between_different_sides_and_do_not_depend_on_order(states, syria):
    areas = estimate_areas(inside(states, syria))
    lines = front_lines(areas)
    assert [ln.geometry.wkb for ln in front_lines(areas[::-1])] == [ln.geometry.wkb for ln in lines]
    geometries = by_actor(areas)
    for line in lines:
        a, b = line.actors
        assert a < b and line.length_km > 0
        # A front line lies on both sides' edges, to within FRONT_TOLERANCE_M (1 m ~ 1e-5°).
        for actor in (a, b):
            assert geometries[actor].geometry.boundary.distance(line.geometry) < 3e-5


# ------------------------------------------------------------------ tables and export
@pytest.fixture(scope="module")
def layers(deir_ez_zor):
    states = siege_states(deir_ez_zor, broken=False)
    states["sy-tfsa"] = PlaceState(
        town("sy-tfsa", 36.5, 37.2), "TFSA", ControlStatus.CONTESTED, None
    )
    areas = estimate_areas(states)
    return states, areas, front_lines(areas)


def test_geodataframes_have_plain_columns_in_wgs84(layers):
    states, areas, lines = layers
    places = states_to_geodataframe(states)
    assert list(places.columns) == [
        "id", "name", "kind", "lat", "lon", "country", "controller", "status", "since",
        "besieger", "geometry",
    ]  # fmt: skip
    assert list(places["id"]) == sorted(states)
    assert places.crs.to_epsg() == 4326
    row = places.set_index("id").loc["sy-deir-ez-zor"]
    assert (row["status"], row["besieger"], row["since"]) == ("besieged", "ISIS", "2016-05-01")
    polygons = areas_to_geodataframe(areas)
    assert list(polygons.columns) == ["actor", "area_km2", "places", "geometry"]
    assert polygons.set_index("actor").loc["GOV_SY", "places"].split(",")[0] == "sy-deir-ez-zor"
    fronts = lines_to_geodataframe(lines)
    assert list(fronts.columns) == ["actor_a", "actor_b", "length_km", "geometry"]
    assert fronts.crs.to_epsg() == polygons.crs.to_epsg() == 4326


def test_empty_layers_still_have_their_columns():
    assert list(areas_to_geodataframe([]).columns) == ["actor", "area_km2", "places", "geometry"]
    assert len(lines_to_geodataframe([])) == 0
    assert states_to_geodataframe({}).crs.to_epsg() == 4326


def assert_lonlat_in_syria(frame):
    x0, y0, x1, y1 = frame.total_bounds
    assert 35.5 <= x0 <= x1 <= 42.5  # lon first (RFC 7946), Syria's longitudes
    assert 32.0 <= y0 <= y1 <= 37.5


def test_export_gpkg_writes_three_layers_in_one_file(layers, tmp_path):
    states, areas, lines = layers
    out = export_layers(states, areas, lines, tmp_path / "map.gpkg", "gpkg")
    assert out == tmp_path / "map.gpkg"
    assert [name for name, _ in pyogrio.list_layers(out)] == ["places", "areas", "front_lines"]
    places = gpd.read_file(out, layer="places")
    assert len(places) == len(states) and places.crs.to_epsg() == 4326
    assert_lonlat_in_syria(places)
    polygons = gpd.read_file(out, layer="areas")
    assert list(polygons["actor"]) == ["GOV_SY", "ISIS"]
    assert_lonlat_in_syria(polygons)
    assert len(gpd.read_file(out, layer="front_lines")) == len(lines) == 1
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_export_geojson_writes_one_feature_collection_per_layer(layers, tmp_path):
    states, areas, lines = layers
    out = export_layers(states, areas, lines, tmp_path / "layers", "geojson")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["areas.geojson", "front_lines.geojson", "places.geojson"]
    data = json.loads((out / "places.geojson").read_text())
    assert data["type"] == "FeatureCollection" and "crs" not in data
    deir = next(f for f in data["features"] if f["properties"]["id"] == "sy-deir-ez-zor")
    assert deir["geometry"]["coordinates"] == pytest.approx([40.14084, 35.33588])
    polygons = gpd.read_file(out / "areas.geojson")
    assert polygons.crs.to_epsg() == 4326 and len(polygons) == len(areas)
    assert_lonlat_in_syria(polygons)
    assert polygons.set_index("actor")["area_km2"].to_dict() == pytest.approx(
        {a.actor: a.area_km2 for a in areas}
    )


def test_export_csv_writes_places_with_their_states(layers, tmp_path):
    states, areas, lines = layers
    out = export_layers(states, areas, lines, tmp_path / "csv", "csv")
    lines_of_file = (out / "places.csv").read_text(encoding="utf-8").splitlines()
    assert lines_of_file[0] == "id,name,kind,lat,lon,country,controller,status,since"
    assert lines_of_file[1].startswith("sy-al-shula,al-Shula,town,35.21,39.96,SY,ISIS,held,")
    assert len(lines_of_file) == len(states) + 1
    assert "sy-tfsa,SY-TFSA,town,36.5,37.2,SY,TFSA,contested," in lines_of_file


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "csv"])
def test_export_twice_gives_the_same_bytes(layers, tmp_path, fmt):
    states, areas, lines = layers
    first = export_layers(states, areas, lines, tmp_path / f"a.{fmt}", fmt)
    second = export_layers(
        dict(reversed(list(states.items()))), areas[::-1], lines, tmp_path / f"b.{fmt}", fmt
    )
    files = sorted(first.iterdir()) if first.is_dir() else [first]
    for path in files:
        other = second / path.name if second.is_dir() else second
        assert path.read_bytes() == other.read_bytes(), path.name


def test_export_overwrites_what_was_there(layers, tmp_path):
    states, areas, lines = layers
    export_layers(states, areas, lines, tmp_path / "map.gpkg", "gpkg")
    out = export_layers(states, [], [], tmp_path / "map.gpkg", "gpkg")
    assert len(gpd.read_file(out, layer="areas")) == 0


def test_export_to_an_unknown_format_raises(layers, tmp_path):
    states, areas, lines = layers
    with pytest.raises(RenderError, match=r"expected an export format of geojson, gpkg, csv"):
        export_layers(states, areas, lines, tmp_path / "x.shp", "shp")
