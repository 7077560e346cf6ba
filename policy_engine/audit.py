"""The identity audit (iteration 1) as tables people edit, and the figures its charts show.

Facilitators edit identity elements and actors in spreadsheet-like tables; this module turns those
rows into project models and says, row by row, what is wrong (a score out of range, a missing
name, an unknown industry), so the page can refuse to save bad rows and keep the good ones.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .catalogue import Catalogue
from .cells import field_errors, items, slug, whole
from .i18n import t
from .location_quotients import location_quotients
from .project import Actor, IdentityElement, Project
from .register import Cell
from .rules import classify_all

ELEMENT_COLUMNS = ["id", "name", "component", "layer", "municipality", "uniqueness", "recognition", "vitality",
                   "industries", "description"]
ACTOR_COLUMNS = ["id", "name", "sector", "level", "municipality", "industries"]
SIGNIFICANCE_RANK = {"low": 1, "medium": 2, "high": 3}


def element_rows(project: Project) -> list[dict[str, Any]]:
    return [{"id": e.id, "name": e.name, "component": e.component, "layer": e.layer,
             "municipality": e.municipality or "", "uniqueness": e.scores.uniqueness,
             "recognition": e.scores.recognition, "vitality": e.scores.vitality,
             "industries": ", ".join(e.industries), "description": e.description}
            for e in project.identity_elements]


def elements_from_rows(rows: list[dict[str, Any]], catalogue: Catalogue,
                       previous: list[IdentityElement] = ()) -> tuple[list[IdentityElement], list[str]]:
    """Rows of the editor -> elements, and one message per bad row (1-based, as people count)."""
    industries = {i.id for i in catalogue.industries}
    by_id = {e.id: e for e in previous}
    out: list[IdentityElement] = []
    errors: list[str] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        name = str(row.get("name") or "").strip()
        if not name and not any(str(row.get(c) or "").strip() for c in ("id", "municipality", "description")):
            continue  # an empty new row
        ident = str(row.get("id") or "").strip() or slug(name)
        while ident in seen:
            ident += "_2"
        unknown = [i for i in items(row.get("industries")) if i not in industries]
        if unknown:
            errors.append(f"row {n} ({name or ident}): unknown industry {', '.join(unknown)}")
            continue
        old = by_id.get(ident)
        try:
            element = IdentityElement(
                id=ident, name=name, description=str(row.get("description") or ""),
                component=row.get("component"), layer=row.get("layer"),
                municipality=str(row.get("municipality") or "").strip() or None,
                scores={k: whole(row.get(k)) for k in ("uniqueness", "recognition", "vitality")},
                industries=items(row.get("industries")),
                provenance=old.provenance if old else {"basis": "user"},
            )
        except ValidationError as exc:
            errors.append(f"row {n} ({name or ident}): {field_errors(exc)}")
            continue
        seen.add(ident)
        out.append(element)
    return out, errors


def actor_rows(project: Project) -> list[dict[str, Any]]:
    return [{"id": a.id, "name": a.name, "sector": a.sector, "level": a.level,
             "municipality": a.municipality or "", "industries": ", ".join(a.industries)} for a in project.actors]


def actors_from_rows(rows: list[dict[str, Any]], catalogue: Catalogue,
                     previous: list[Actor] = ()) -> tuple[list[Actor], list[str]]:
    industries = {i.id for i in catalogue.industries}
    by_id = {a.id: a for a in previous}
    out, errors, seen = [], [], set()
    for n, row in enumerate(rows, start=1):
        name = str(row.get("name") or "").strip()
        if not name and not str(row.get("id") or "").strip():
            continue
        ident = str(row.get("id") or "").strip() or slug(name)
        unknown = [i for i in items(row.get("industries")) if i not in industries]
        if unknown or ident in seen:
            errors.append(f"row {n} ({name or ident}): " + (f"unknown industry {', '.join(unknown)}" if unknown
                                                           else f"id {ident!r} is used twice"))
            continue
        old = by_id.get(ident)
        try:
            actor = Actor(id=ident, name=name, sector=row.get("sector"), level=row.get("level"),
                          municipality=str(row.get("municipality") or "").strip() or None,
                          industries=items(row.get("industries")),
                          provenance=old.provenance if old else {"basis": "user"})
        except ValidationError as exc:
            errors.append(f"row {n} ({name or ident}): {field_errors(exc)}")
            continue
        seen.add(ident)
        out.append(actor)
    return out, errors


def with_actors(project: Project, actors: list[Actor]) -> Project:
    """The project with a new actor list; ties to actors that are gone go with them."""
    known = {a.id for a in actors}
    ties = [t for t in project.ties if t.source in known and t.target in known]
    return project.model_copy(update={"actors": actors, "ties": ties})


def strength_by_layer(project: Project, catalogue: Catalogue) -> list[dict[str, Any]]:
    """Per layer and component: how many elements and their mean strength (chart: identity by layer)."""
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for e in project.identity_elements:
        groups[(e.layer, e.component)].append(e.strength)
    return [{"layer": layer.id, "component": comp, "elements": len(groups[(layer.id, comp)]),
             "strength": round(fmean(groups[(layer.id, comp)]), 2) if groups[(layer.id, comp)] else 0.0}
            for layer in catalogue.identity.layers for comp in ("material", "symbolic")]


def project_cells(project: Project) -> list[Cell]:
    return [Cell(municipality=r.municipality, industry=r.industry, firms=r.firms, employees=r.employees)
            for r in project.economy.employment]


class PriorityPoint(BaseModel):
    """One industry on the priority matrix: identity significance against specialization."""

    model_config = ConfigDict(frozen=True)
    industry: str
    significance: str
    significance_rank: int
    identity_strength: float  # sum of linked elements' strengths
    lq: float  # the region's LQ: the industry's share of regional employment against the reference
    employees: float


def priority_matrix(project: Project, catalogue: Catalogue) -> list[PriorityPoint]:
    """Every industry with its significance (rules), identity links (audit) and specialization (LQ)."""
    cells = project_cells(project)
    total = sum(c.employees for c in cells)
    by_ind: dict[str, float] = defaultdict(float)
    for c in cells:
        by_ind[c.industry] += c.employees
    best_lq: dict[str, float] = defaultdict(float)
    for c in location_quotients(cells):
        best_lq[c.industry] = max(best_lq[c.industry], c.lq or 0.0)
    out = []
    for d in classify_all(catalogue, project):
        strength = sum(e.strength for e in project.identity_elements if d.industry in e.industries)
        out.append(PriorityPoint(industry=d.industry, significance=d.significance,
                                 significance_rank=SIGNIFICANCE_RANK[d.significance],
                                 identity_strength=round(strength, 2), lq=round(best_lq.get(d.industry, 0.0), 3),
                                 employees=by_ind.get(d.industry, 0.0) if total else 0.0))
    return out


CHART_LABEL_KEYS = ("layer", "elements", "component", "strength", "industry", "municipality", "employees", "year",
                    "share", "territory", "identity", "lq", "significance")


def chart_labels(lang: str) -> dict[str, str]:
    """The audit charts' axis and legend titles in `lang`."""
    return {k: t(f"chart.{k}", lang) for k in CHART_LABEL_KEYS}


def layer_chart_rows(project: Project, catalogue: Catalogue, lang: str) -> list[dict[str, Any]]:
    """strength_by_layer with the layer and component names in `lang`, for charts.identity_by_layer."""
    layers = {lyr.id: lyr.name.get(lang) for lyr in catalogue.identity.layers}
    comps = {c.id: c.name.get(lang) for c in catalogue.identity.components}
    return [dict(r, layer_label=layers[r["layer"]], component_label=comps[r["component"]])
            for r in strength_by_layer(project, catalogue)]


def priority_chart_rows(project: Project, catalogue: Catalogue, lang: str) -> list[dict[str, Any]]:
    """priority_matrix with industry and significance names in `lang`, for charts.priority_matrix."""
    sig = {g.id: g.name.get(lang) for g in catalogue.rules.significance}
    return [dict(p.model_dump(), industry_label=catalogue.industry(p.industry).name.get(lang),
                 significance_label=sig[p.significance]) for p in priority_matrix(project, catalogue)]
