"""The region on a map (iteration 1): municipalities coloured by a measure, identity elements as points.

Outlines come from the boundaries file the facilitator uploaded (region.boundaries); without one, each
municipality is a circle at its centre (Municipality.centre), sized by its employment. The measures:

- "lq": the location quotient of one industry in each municipality (diagnostics/location_quotients.py);
- "density": the density of one industry — the share of its related industries the municipality already
  holds (diagnostics/relatedness.py);
- "growth": the highest growth-point score (diagnostics/growth_points.py) among the industries the
  municipality is specialised in (LQ ≥ 1): where the region's best growth points are anchored.

Identity elements stand at their municipality's centre, spread on a small circle when several share one,
so each stays visible; an element with no municipality, or one whose municipality has no centre, is
listed as not placed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from policy_engine.diagnostics.growth_points import growth_points, project_lq_cells
from policy_engine.diagnostics.location_quotients import at_least_one
from policy_engine.diagnostics.register import NON_CREATIVE
from policy_engine.diagnostics.relatedness import density
from policy_engine.i18n import number, t
from policy_engine.method.catalogue import Catalogue
from policy_engine.project.model import Project

METRICS = ("lq", "density", "growth")
SPREAD = 0.12  # degrees: the circle the elements of one municipality are spread on (about 10 km)


def values(project: Project, catalogue: Catalogue, metric: str, industry: str | None) -> dict[str, float | None]:
    """Municipality -> the measure (None: no figure for it)."""
    cells = project_lq_cells(project)
    names = [m.name for m in project.region.municipalities]
    if metric == "lq":
        got = {c.municipality: c.lq for c in cells if c.industry == industry}
    elif metric == "density":
        got = {m: v for (m, i), v in density(cells).items() if i == industry}
    elif metric == "growth":
        score = {g.industry: g.score for g in growth_points(project, catalogue, cells)}
        best: dict[str, float] = defaultdict(float)
        for c in cells:
            if c.industry != NON_CREATIVE and at_least_one(c.lq):
                best[c.municipality] = max(best[c.municipality], score.get(c.industry, 0.0))
        got = {m: best.get(m, 0.0) for m in {c.municipality for c in cells}}
    else:
        raise ValueError(f"unknown metric {metric!r}")
    return {n: got.get(n) for n in names}


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:] + ring[:1])) / 2


def _for_d3(kind: str, coordinates: list) -> list:
    """Rings wound as d3-geo (Vega's renderer) reads them on the sphere: outer rings clockwise, holes
    counter-clockwise. GeoJSON files (RFC 7946) wind the other way round; drawn as they come, a region's
    outline became the whole globe but the region."""

    def polygon(rings: list) -> list:
        out = []
        for k, ring in enumerate(rings):
            clockwise = _signed_area(ring) < 0
            out.append(ring if clockwise == (k == 0) else ring[::-1])
        return out

    return polygon(coordinates) if kind == "Polygon" else [polygon(p) for p in coordinates]


def map_rows(project: Project, catalogue: Catalogue, lang: str, metric: str, industry: str | None) -> dict[str, Any]:
    """What charts.municipality_map draws: `areas` (GeoJSON features with the measure in their properties)
    or `points` (municipalities at their centres), `elements` (identity elements placed), `unplaced`
    (elements without a place), and the legend's `title`."""
    value = values(project, catalogue, metric, industry)
    employment: dict[str, float] = defaultdict(float)
    for r in project.economy.employment:
        employment[r.municipality] += r.employees
    digits = 2

    def label(v: float | None) -> str:
        return "—" if v is None else number(v, lang, digits)

    areas = [
        {
            "type": "Feature",
            "geometry": {"type": b.type, "coordinates": _for_d3(b.type, b.coordinates)},
            "properties": {
                "name": b.municipality,
                "value": value.get(b.municipality),
                "label": label(value.get(b.municipality)),
            },
        }
        for b in project.region.boundaries
    ]
    outlined = {b.municipality for b in project.region.boundaries}
    points = [
        {
            "name": m.name,
            "lat": m.centre[0],
            "lon": m.centre[1],
            "value": value.get(m.name),
            "label": label(value.get(m.name)),
            "employees": round(employment.get(m.name, 0.0), 1),
        }
        for m in project.region.municipalities
        if m.centre is not None and m.name not in outlined
    ]
    centres = {m.name: m.centre for m in project.region.municipalities if m.centre is not None}
    layers = {lyr.id: lyr.name.get(lang) for lyr in catalogue.identity.layers}
    by_place: dict[str, list] = defaultdict(list)
    unplaced = []
    for e in project.identity_elements:
        if e.municipality and e.municipality in centres:
            by_place[e.municipality].append(e)
        else:
            unplaced.append(e.name)
    elements = []
    for place, items in by_place.items():
        lat, lon = centres[place]
        for k, e in enumerate(items):
            angle = 2 * math.pi * k / len(items)
            r = SPREAD if len(items) > 1 else 0.0
            elements.append(
                {
                    "name": e.name,
                    "layer": layers.get(e.layer, e.layer),
                    "municipality": place,
                    "lat": round(lat + r * math.sin(angle), 4),
                    "lon": round(lon + r * math.cos(angle), 4),
                    "strength": round(e.strength, 2),
                }
            )
    industry_name = catalogue.industry(industry).name.get(lang) if industry else ""
    title = t(f"map.metric.{metric}", lang) + (f": {industry_name}" if industry_name and metric != "growth" else "")
    return {"areas": areas, "points": points, "elements": elements, "unplaced": unplaced, "title": title}


def unplaced_elements(project: Project) -> list[str]:
    """Identity elements the map cannot place: no municipality, or none with a centre."""
    centres = {m.name for m in project.region.municipalities if m.centre is not None}
    return [e.name for e in project.identity_elements if not (e.municipality and e.municipality in centres)]


def has_map(project: Project) -> bool:
    """Whether there is anything to draw: an outline or a municipality with a centre."""
    return bool(project.region.boundaries) or any(m.centre is not None for m in project.region.municipalities)


def chart_labels(lang: str) -> dict[str, str]:
    """The map's tooltip and legend titles in `lang`."""
    return {k: t(f"map.{k}", lang) for k in ("municipality", "value", "element", "layer", "employees")}


def industries_held(project: Project, catalogue: Catalogue) -> list[str]:
    """The creative industries the employment data has, most employees first (the map's industry choice)."""
    total: dict[str, float] = defaultdict(float)
    for r in project.economy.employment:
        if r.industry != NON_CREATIVE:
            total[r.industry] += r.employees
    known = {i.id for i in catalogue.industries}
    return [i for i, _ in sorted(total.items(), key=lambda kv: (-kv[1], kv[0])) if i in known]


def chart_args(project: Project, catalogue: Catalogue, lang: str, metric: str, industry: str | None) -> dict[str, Any]:
    """charts.municipality_map's arguments, for the page and the roadmap alike."""
    rows = map_rows(project, catalogue, lang, metric, industry)
    return {
        "areas": rows["areas"],
        "points": rows["points"],
        "elements": rows["elements"],
        "labels": chart_labels(lang),
        "title": rows["title"],
    }
