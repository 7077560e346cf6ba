"""The region on a map: measures per municipality, outlines from a boundaries file or circles at centres,
identity elements placed, and rings wound for the renderer."""

from __future__ import annotations

import json

import pytest

from policy_engine.diagnostics.register import Cell
from policy_engine.project.model import IdentityElement, Scores
from policy_engine.wizard import frame, maps


@pytest.fixture
def perm(empty, catalogue):
    """Perm krai from empty: three municipalities with centres, a register, one element in Perm."""
    project = frame.set_municipalities(
        empty,
        catalogue,
        [
            {"name": "Пермь", "kind": "city"},
            {"name": "Кунгур", "kind": "city"},
            {"name": "Чусовой", "kind": "city"},
        ],
    ).project
    table = [
        m.model_copy(update={"centre": c})
        for m, c in zip(project.region.municipalities, [(58.0, 56.2), (57.4, 57.0), (58.3, 57.8)])
    ]
    project = project.model_copy(update={"region": project.region.model_copy(update={"municipalities": table})})
    cells = [
        Cell(municipality="Пермь", industry="cinema", firms=2, employees=30.0),
        Cell(municipality="Пермь", industry="non_creative", firms=9, employees=70.0),
        Cell(municipality="Кунгур", industry="cinema", firms=1, employees=5.0),
        Cell(municipality="Кунгур", industry="non_creative", firms=9, employees=95.0),
    ]
    project = frame.import_register(project, catalogue, cells).project
    element = IdentityElement(
        id="kama",
        name="Кама",
        component="material",
        layer="environmental",
        municipality="Пермь",
        scores=Scores(uniqueness=4, recognition=4, vitality=4),
    )
    return project.model_copy(update={"identity_elements": [element]})


def test_lq_of_an_industry_per_municipality_with_none_where_there_is_no_figure(perm, catalogue):
    got = maps.values(perm, catalogue, "lq", "cinema")
    # cinema: 35 of 200 in all; Пермь 30 of 100 -> (0.3)/(0.175); Кунгур 5 of 100 -> 0.05/0.175
    assert got["Пермь"] == pytest.approx(0.3 / 0.175) and got["Кунгур"] == pytest.approx(0.05 / 0.175)
    assert got["Чусовой"] is None


def test_without_boundaries_municipalities_are_circles_at_their_centres(perm, catalogue):
    rows = maps.map_rows(perm, catalogue, "ru", "lq", "cinema")
    assert rows["areas"] == [] and {p["name"] for p in rows["points"]} == {"Пермь", "Кунгур", "Чусовой"}
    perm_point = next(p for p in rows["points"] if p["name"] == "Пермь")
    assert (perm_point["lat"], perm_point["lon"], perm_point["employees"]) == (58.0, 56.2, 100.0)
    assert perm_point["label"] == "1,71"  # the language's numbers
    assert rows["elements"] == [
        {"name": "Кама", "layer": "Природный", "municipality": "Пермь", "lat": 58.0, "lon": 56.2, "strength": 4.0}
    ]
    assert rows["title"] == "LQ отрасли: Кинематография"
    growth = maps.values(perm, catalogue, "growth", None)
    assert growth["Кунгур"] == 0.0 and growth["Пермь"] > 0  # Perm is specialised in cinema, Kungur in nothing creative


def test_uploaded_outlines_replace_circles_and_are_wound_for_the_renderer(perm, catalogue):
    ccw = [[[56.0, 57.9], [56.4, 57.9], [56.4, 58.1], [56.0, 58.1], [56.0, 57.9]]]  # RFC 7946: counter-clockwise
    raw = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "г. Пермь"},
                    "geometry": {"type": "Polygon", "coordinates": ccw},
                }
            ],
        }
    ).encode()
    edit, joined = frame.set_boundaries(perm, catalogue, raw, "perm.geojson")
    assert edit.ok and joined.missing == ["Кунгур", "Чусовой"]
    project = edit.project
    assert project.region.boundaries_source == "perm.geojson"
    rows = maps.map_rows(project, catalogue, "en", "lq", "cinema")
    (area,) = rows["areas"]
    ring = area["geometry"]["coordinates"][0]
    assert maps._signed_area(ring) < 0  # clockwise, as d3-geo wants an outer ring
    assert {p["name"] for p in rows["points"]} == {"Кунгур", "Чусовой"}
    assert frame.clear_boundaries(project, catalogue).project.region.boundaries == []
    bad, none = frame.set_boundaries(perm, catalogue, b"{}", "x.json")
    assert none is None and [i.code for i in bad.issues] == ["boundaries_not_geo"]


def test_an_element_without_a_place_is_listed(perm, catalogue):
    lost = perm.identity_elements[0].model_copy(update={"id": "x", "name": "Без места", "municipality": None})
    project = perm.model_copy(update={"identity_elements": [*perm.identity_elements, lost]})
    assert maps.unplaced_elements(project) == ["Без места"]
    assert not maps.has_map(
        project.model_copy(update={"region": project.region.model_copy(update={"municipalities": []})})
    )
