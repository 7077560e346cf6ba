"""Municipal boundaries from GeoJSON and TopoJSON files (structures of RFC 7946 and the TopoJSON spec),
joined to the project's table; hostile files refused with a coded reason."""

from __future__ import annotations

import json

import pytest

from policy_engine.diagnostics.boundaries import BoundaryError, read_boundaries
from policy_engine.project.model import Municipality

TABLE = [
    Municipality(name="Краснокамский район", code="57721000"),
    Municipality(name="Пермь", names={"en": "Perm"}),
    Municipality(name="Кунгур"),
]


def square(x: float, y: float, d: float = 1.0) -> list:
    return [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]  # counter-clockwise, as RFC 7946 winds


def feature(props: dict, coords: list, kind: str = "Polygon") -> dict:
    return {"type": "Feature", "properties": props, "geometry": {"type": kind, "coordinates": coords}}


def geojson(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def test_features_join_by_code_then_by_name_in_one_form():
    raw = geojson(
        feature({"OKTMO": "57721000", "name": "Краснокамский городской округ"}, square(55.7, 58.0)),
        feature({"name": "г. Пермь"}, square(56.0, 57.9, 0.3)),
        feature({"NAME": "Чусовой"}, square(57.8, 58.3)),
        {"type": "Feature", "properties": {"name": "Кунгур"}, "geometry": {"type": "Point", "coordinates": [57, 57.4]}},
    )
    joined = read_boundaries(raw, TABLE)
    assert [b.municipality for b in joined.boundaries] == ["Краснокамский район", "Пермь"]
    assert joined.unmatched == ["Чусовой"] and joined.missing == ["Кунгур"]  # a point is not an outline
    assert joined.centres["Пермь"] == (58.05, 56.15)  # the middle of its bounding box, (lat, lon)


def test_two_parts_of_one_municipality_become_one_multipolygon():
    raw = geojson(feature({"name": "Пермь"}, square(56, 58)), feature({"name": "Perm"}, square(57, 58)))
    (b,) = read_boundaries(raw, TABLE).boundaries
    assert b.type == "MultiPolygon" and len(b.coordinates) == 2


def test_topojson_arcs_are_decoded_by_the_spec():
    """Two squares side by side sharing the edge lon = 56, quantized with scale (0.5, 0.5) and translate
    (55, 58), so 2 units are one degree: arc 0 is that edge, (2,0) then a step of (0,2) -> (56,58), (56,59);
    a negative index ~0 walks it reversed; each next arc's first point (the previous one's last) is not
    repeated."""
    topo = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [55, 58]},
        "objects": {
            "munis": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "Пермь"}},
                    {"type": "Polygon", "arcs": [[2, -1]], "properties": {"name": "Кунгур"}},
                ],
            }
        },
        # quantized positions, delta-encoded: arc 0 (2,0)->(2,2); arc 1 (2,2)->(0,2)->(0,0)->(2,0);
        # arc 2 (2,0)->(4,0)->(4,2)->(2,2), then arc 0 reversed closes the ring at (2,0)
        "arcs": [[[2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2], [2, 0]], [[2, 0], [2, 0], [0, 2], [-2, 0]]],
    }
    joined = read_boundaries(json.dumps(topo).encode(), TABLE)
    shapes = {b.municipality: b.coordinates[0] for b in joined.boundaries}  # each polygon's outer ring
    assert shapes["Пермь"] == [[56.0, 58.0], [56.0, 59.0], [55.0, 59.0], [55.0, 58.0], [56.0, 58.0]]
    assert shapes["Кунгур"] == [[56.0, 58.0], [57.0, 58.0], [57.0, 59.0], [56.0, 59.0], [56.0, 58.0]]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"not json at all", "not_json"),
        (b'{"type": "Topology"}', "bad_geometry"),
        (b"[1, 2, 3]", "not_geo"),
        (geojson(feature({"name": "Пермь"}, [[[5_000_000, 6_000_000], [1, 2], [3, 4]]])), "not_degrees"),
        (geojson(feature({"name": "Пермь"}, [[["a", "b"]]])), "bad_geometry"),
        (geojson(feature({"name": "Москва"}, square(37, 55))), "nothing_matched"),
        (b"[" * 100_000 + b"]" * 100_000, "not_json"),
    ],
)
def test_hostile_or_unusable_files_are_refused_with_a_reason(raw, code):
    with pytest.raises(BoundaryError) as err:
        read_boundaries(raw, TABLE)
    assert err.value.code == code
    assert len(str(err.value)) < 300


def test_a_file_with_too_many_points_is_refused_before_it_is_kept(monkeypatch):
    from policy_engine.diagnostics import boundaries

    monkeypatch.setattr(boundaries, "MAX_POINTS", 100)
    ring = [[56 + i / 1000, 58] for i in range(200)] + [[56, 58]]
    with pytest.raises(BoundaryError) as err:
        read_boundaries(geojson(feature({"name": "Пермь"}, [ring])), TABLE)
    assert err.value.code == "too_many_points"
