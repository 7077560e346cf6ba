"""Municipal boundaries for the map: a GeoJSON or TopoJSON file from the region's GIS office, inspected,
converted and joined to the project's table of municipalities.

The file is hostile until inspected: at most `MAX_BYTES` (20 MB) and `MAX_POINTS` (300,000 points in all)
are read, JSON only (no references fetched), coordinates must be numbers within ±180/±90, and only
Polygon and MultiPolygon outlines are kept. TopoJSON (arcs shared between neighbours, perhaps quantized) is
decoded to GeoJSON rings here, following the TopoJSON specification (delta-encoded arcs under a
`transform`, a negative index meaning an arc reversed). Points are rounded to 4 decimals (about 10 m),
which a regional map cannot show.

A feature is joined to a municipality by a property holding its official code (OKTMO, KATO, ONS), else by
a property holding its name in one form (territories.name_key: case, "р-н", "ауданы" …); the features
that match none are listed, not dropped silently. A municipality without a centre gets the centre of its
outline's bounding box, so elements can be placed on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from policy_engine.diagnostics import territories
from policy_engine.project.model import Boundary, Municipality

MAX_BYTES = 20 * 1024 * 1024
MAX_POINTS = 300_000
MAX_FEATURES = 5_000
DIGITS = 4


class BoundaryError(ValueError):
    """A boundaries file that cannot be used: `code` names why (boundaries_error.<code> in strings)."""

    def __init__(self, code: str, **values: object):
        self.code, self.values = code, {k: str(v) for k, v in values.items()}
        super().__init__(f"{code}: {self.values}")


@dataclass
class Joined:
    boundaries: list[Boundary] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # features (by their name or code) in no municipality
    missing: list[str] = field(default_factory=list)  # municipalities with no outline
    centres: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> (lat, lon)


class _Budget:
    def __init__(self) -> None:
        self.points = 0

    def point(self, p: Any) -> list[float]:
        if not isinstance(p, (list, tuple)) or len(p) < 2:
            raise BoundaryError("bad_geometry")
        x, y = p[0], p[1]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (x, y)):
            raise BoundaryError("bad_geometry")
        if not (-180 <= x <= 180 and -90 <= y <= 90):
            raise BoundaryError("not_degrees")
        self.points += 1
        if self.points > MAX_POINTS:
            raise BoundaryError("too_many_points", limit=f"{MAX_POINTS:,}")
        return [round(float(x), DIGITS), round(float(y), DIGITS)]


def _rings(polygon: Any, budget: _Budget) -> list[list[list[float]]]:
    if not isinstance(polygon, list):
        raise BoundaryError("bad_geometry")
    out = []
    for ring in polygon:
        if not isinstance(ring, list):
            raise BoundaryError("bad_geometry")
        out.append([budget.point(p) for p in ring])
    return out


def _geometry(geom: Any, budget: _Budget) -> tuple[str, list] | None:
    if not isinstance(geom, dict):
        return None
    kind, coords = geom.get("type"), geom.get("coordinates")
    if kind == "Polygon":
        return kind, _rings(coords, budget)
    if kind == "MultiPolygon":
        if not isinstance(coords, list):
            raise BoundaryError("bad_geometry")
        return kind, [_rings(poly, budget) for poly in coords]
    return None  # points, lines: not outlines


def _topo_features(doc: dict) -> list[dict]:
    """TopoJSON objects as GeoJSON features (the spec: arcs delta-encoded under a transform)."""
    arcs_raw = doc.get("arcs")
    if not isinstance(arcs_raw, list):
        raise BoundaryError("bad_geometry")
    transform = doc.get("transform")
    scale, translate = (1.0, 1.0), (0.0, 0.0)
    if isinstance(transform, dict):
        scale, translate = tuple(transform.get("scale", scale)), tuple(transform.get("translate", translate))
    arcs: list[list[list[float]]] = []
    total = 0
    for arc in arcs_raw:
        if not isinstance(arc, list):
            raise BoundaryError("bad_geometry")
        total += len(arc)
        if total > MAX_POINTS * 2:
            raise BoundaryError("too_many_points", limit=f"{MAX_POINTS:,}")
        x = y = 0.0
        pts = []
        for p in arc:
            if not isinstance(p, list) or len(p) < 2 or not all(isinstance(v, (int, float)) for v in p[:2]):
                raise BoundaryError("bad_geometry")
            if transform:
                x, y = x + p[0], y + p[1]
                pts.append([x * scale[0] + translate[0], y * scale[1] + translate[1]])
            else:
                pts.append([float(p[0]), float(p[1])])
        arcs.append(pts)

    def ring(indices: Any) -> list[list[float]]:
        if not isinstance(indices, list):
            raise BoundaryError("bad_geometry")
        out: list[list[float]] = []
        for i in indices:
            if not isinstance(i, int) or not (-len(arcs) <= (~i if i < 0 else i) < len(arcs)):
                raise BoundaryError("bad_geometry")
            pts = arcs[~i][::-1] if i < 0 else arcs[i]
            out.extend(pts if not out else pts[1:])
        return out

    def convert(geom: dict) -> dict | None:
        kind = geom.get("type")
        if kind == "Polygon":
            return {"type": kind, "coordinates": [ring(r) for r in geom.get("arcs", [])]}
        if kind == "MultiPolygon":
            return {"type": kind, "coordinates": [[ring(r) for r in poly] for poly in geom.get("arcs", [])]}
        return None

    features = []
    objects = doc.get("objects")
    if not isinstance(objects, dict):
        raise BoundaryError("bad_geometry")
    for obj in objects.values():
        geoms = obj.get("geometries", [obj]) if isinstance(obj, dict) else []
        for g in geoms:
            if isinstance(g, dict):
                geometry = convert(g)
                if geometry is not None:
                    features.append({"type": "Feature", "properties": g.get("properties") or {}, "geometry": geometry})
    return features


def _features(raw: bytes) -> list[dict]:
    if len(raw) > MAX_BYTES:
        raise BoundaryError("too_large", limit_mb=MAX_BYTES // 2**20)
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise BoundaryError("not_json") from None
    if not isinstance(doc, dict):
        raise BoundaryError("not_geo")
    kind = doc.get("type")
    if kind == "Topology":
        features = _topo_features(doc)
    elif kind == "FeatureCollection" and isinstance(doc.get("features"), list):
        features = [f for f in doc["features"] if isinstance(f, dict)]
    elif kind == "Feature":
        features = [doc]
    else:
        raise BoundaryError("not_geo")
    if len(features) > MAX_FEATURES:
        raise BoundaryError("too_many_features", limit=f"{MAX_FEATURES:,}")
    return features


def _label(props: dict) -> str:
    for key in ("name", "NAME", "name_ru", "name_kk", "name_en", "Name", "LAD23NM", "LAD22NM", "title"):
        if isinstance(props.get(key), str) and props[key].strip():
            return props[key].strip()[:120]
    for v in props.values():
        if isinstance(v, str) and v.strip():
            return v.strip()[:120]
    return "?"


def _match(props: dict, municipalities: list[Municipality]) -> Municipality | None:
    values = [str(v).strip() for v in props.values() if isinstance(v, (str, int)) and not isinstance(v, bool)]
    for m in municipalities:
        if m.code and (m.code in values or any(territories.kato_district(v) == m.code for v in values)):
            return m
    keys = {territories.name_key(v) for v in values if v}
    for m in municipalities:
        if any(territories.name_key(n) in keys for n in [m.name, *m.names.values(), *m.aliases]):
            return m
    return None


def _bbox_centre(coords: list, kind: str) -> tuple[float, float]:
    rings = coords if kind == "Polygon" else [r for poly in coords for r in poly]
    xs = [p[0] for r in rings for p in r]
    ys = [p[1] for r in rings for p in r]
    return round((min(ys) + max(ys)) / 2, DIGITS), round((min(xs) + max(xs)) / 2, DIGITS)


def read_boundaries(raw: bytes, municipalities: list[Municipality]) -> Joined:
    """The outlines of a GeoJSON or TopoJSON file joined to the municipalities (see the module text)."""
    budget = _Budget()
    out = Joined()
    shapes: dict[str, tuple[str, list]] = {}
    for f in _features(raw):
        props = f.get("properties") if isinstance(f.get("properties"), dict) else {}
        geometry = _geometry(f.get("geometry"), budget)
        if geometry is None:
            continue
        m = _match(props, municipalities)
        if m is None:
            out.unmatched.append(_label(props))
            continue
        kind, coords = geometry
        if m.name in shapes:  # two parts of one municipality: one MultiPolygon
            old_kind, old = shapes[m.name]
            polys = (old if old_kind == "MultiPolygon" else [old]) + (coords if kind == "MultiPolygon" else [coords])
            shapes[m.name] = ("MultiPolygon", polys)
        else:
            shapes[m.name] = (kind, coords)
    if not shapes:
        raise BoundaryError("nothing_matched", unmatched="; ".join(out.unmatched[:5]) or "—")
    for name, (kind, coords) in shapes.items():
        out.boundaries.append(Boundary(municipality=name, type=kind, coordinates=coords))
        out.centres[name] = _bbox_centre(coords, kind)
    out.missing = [m.name for m in municipalities if m.name not in shapes]
    return out
