"""The identity audit (iteration 1) as tables people edit, and the figures its charts show.

Facilitators edit identity elements and actors in spreadsheet-like tables; this module turns those
rows into project models and says, row by row, what is wrong (a score out of range, a missing
name, an unknown industry), so the page can refuse to save bad rows and keep the good ones.
"""

from __future__ import annotations

import math
from collections import defaultdict
from statistics import fmean
from typing import Any

from pydantic import BaseModel, ConfigDict

from policy_engine.diagnostics.location_quotients import employment_cells, location_quotients
from policy_engine.diagnostics.register import Cell
from policy_engine.diagnostics.rules import classify_all
from policy_engine.i18n import LANGS, number, t
from policy_engine.method.catalogue import Catalogue
from policy_engine.method.vocabulary import LEVELS, SECTORS
from policy_engine.project.cells import choice, choices, slug, text, whole
from policy_engine.project.edits import Edit, build, finish, is_blank_row, match_by_id, refuse, unique_id
from policy_engine.project.issues import Issue
from policy_engine.project.model import Actor, IdentityElement, Project, Scores

ELEMENT_COLUMNS = [
    "id",
    "name",
    "component",
    "layer",
    "municipality",
    "uniqueness",
    "recognition",
    "vitality",
    "industries",
    "description",
]
ACTOR_COLUMNS = ["id", "name", "sector", "level", "municipality", "industries"]
SCORE_COLUMNS = tuple(Scores.model_fields)  # the criteria of seeds/identity.yaml, one field each


def element_rows(project: Project) -> list[dict[str, Any]]:
    return [
        {
            "id": e.id,
            "name": e.name,
            "component": e.component,
            "layer": e.layer,
            "municipality": e.municipality or "",
            "uniqueness": e.scores.uniqueness,
            "recognition": e.scores.recognition,
            "vitality": e.scores.vitality,
            "industries": list(e.industries),
            "description": e.description,
        }
        for e in project.identity_elements
    ]


def vocabularies(catalogue: Catalogue, country: str = "RU") -> dict[str, dict[str, Any]]:
    """The options of the audit tables' select columns: id -> names in the three languages (the
    catalogue's, and for levels the country's own names), so a cell may hold an id or any name."""
    levels = catalogue.country(country).levels if country in {c.id for c in catalogue.countries} else {}
    return {
        "component": {c.id: c.name for c in catalogue.identity.components},
        "layer": {lyr.id: lyr.name for lyr in catalogue.identity.layers},
        "industries": {i.id: i.name for i in catalogue.industries},
        "sector": {s: {lg: t(f"sector.{s}", lg) for lg in LANGS} for s in SECTORS},
        "level": {lvl: levels.get(lvl, lvl) for lvl in LEVELS},
    }


def _choose(
    row: dict[str, Any], column: str, options: dict[str, Any], many: bool, n: int, name: str, issues: list[Issue]
) -> Any:
    """A select cell's id(s), or an issue naming the value the user typed."""
    try:
        return choices(row.get(column), options) if many else choice(row.get(column), options)
    except ValueError as exc:
        issues.append(Issue(code="choice", path=(column,), row=n, item=name or None, values={"value": str(exc)}))
        return [] if many else None


def _read_rows(
    rows: list[dict[str, Any]],
    model: type,
    columns: list[str],
    selects: tuple[str, ...],
    previous: list,
    vocab: dict[str, dict[str, Any]],
    fields: Any,
) -> tuple[list, list[Issue]]:
    """The audit tables' common reading: rows matched to the items they edit by id (a hidden column),
    so deleting a row above does not move another item's values; a new row's id made from its name;
    select cells read as ids or names; every problem a coded issue at its row (1-based)."""
    taken = {text(r.get("id")) for r in rows if text(r.get("id"))}
    out: list = []
    issues: list[Issue] = []
    for n, row, old in match_by_id(rows, list(previous)):
        if is_blank_row(row, [c for c in columns if c != "id"]):
            continue
        name = text(row.get("name"))
        ident = old.id if old else unique_id(slug(name or model.__name__.lower()), taken)
        taken.add(ident)
        found: list[Issue] = []
        values = {c: _choose(row, c, vocab[c], c == "industries", n, name, found) for c in selects}
        item, problems = build(
            model,
            {
                "id": ident,
                "name": name,
                **values,
                **fields(row),
                "municipality": text(row.get("municipality")) or None,
                "provenance": old.provenance if old else {"basis": "user"},
            },
            row=n,
            item=name or None,
        )
        chosen = {(i.path[0],) for i in found}  # a bad choice is said once, not again as "required"
        issues += found + [_flat_scores(p) for p in problems if p.path[:1] not in chosen]
        if item is not None and not found:
            out.append(item)
    return out, issues


def elements_from_rows(
    rows: list[dict[str, Any]], catalogue: Catalogue, previous: list[IdentityElement] = (), country: str = "RU"
) -> tuple[list[IdentityElement], list[Issue]]:
    """Rows of the elements table -> elements, and coded issues per bad row."""
    return _read_rows(
        rows,
        IdentityElement,
        ELEMENT_COLUMNS,
        ("component", "layer", "industries"),
        previous,
        vocabularies(catalogue, country),
        lambda row: {
            "description": text(row.get("description")),
            "scores": {k: whole(row.get(k)) for k in SCORE_COLUMNS},
        },
    )


def _flat_scores(issue: Issue) -> Issue:
    """`scores › uniqueness` is one column of the table: name it as the column."""
    return issue.model_copy(update={"path": tuple(p for p in issue.path if p != "scores")})


def actor_rows(project: Project) -> list[dict[str, Any]]:
    return [
        {
            "id": a.id,
            "name": a.name,
            "sector": a.sector,
            "level": a.level,
            "municipality": a.municipality or "",
            "industries": list(a.industries),
        }
        for a in project.actors
    ]


def actors_from_rows(
    rows: list[dict[str, Any]], catalogue: Catalogue, previous: list[Actor] = (), country: str = "RU"
) -> tuple[list[Actor], list[Issue]]:
    """Rows of the actors table -> actors, and coded issues per bad row."""
    return _read_rows(
        rows,
        Actor,
        ACTOR_COLUMNS,
        ("sector", "level", "industries"),
        previous,
        vocabularies(catalogue, country),
        lambda row: {},
    )


def with_actors(project: Project, actors: list[Actor]) -> Project:
    """The project with a new actor list; ties to actors that are gone go with them, and so do the
    clusters' lead actors."""
    known = {a.id for a in actors}
    ties = [t for t in project.ties if t.source in known and t.target in known]
    clusters = [
        c.model_copy(update={"lead_actors": [a for a in c.lead_actors if a in known]}) for c in project.clusters
    ]
    return project.model_copy(update={"actors": actors, "ties": ties, "clusters": clusters})


def _without_elements(project: Project, kept: set[str]) -> list:
    return [
        c.model_copy(update={"identity_elements": [e for e in c.identity_elements if e in kept]})
        for c in project.clusters
    ]


# --- edit operations ----------------------------------------------------------------------------


def set_elements(project: Project, catalogue: Catalogue, rows: list[dict[str, Any]]) -> Edit:
    """Iteration 1: the identity elements as the table has them (deleted rows leave the clusters too)."""
    elements, issues = elements_from_rows(rows, catalogue, project.identity_elements, project.region.country)
    kept = {e.id for e in elements}
    return finish(
        project, {"identity_elements": elements, "clusters": _without_elements(project, kept)}, catalogue, issues
    )


def save_element(project: Project, catalogue: Catalogue, values: dict[str, Any], element_id: str | None = None) -> Edit:
    """One element from the form: a new one (`element_id` None) or the one with that id."""
    old = next((e for e in project.identity_elements if e.id == element_id), None)
    if element_id is not None and old is None:
        return refuse(project, [Issue(code="unknown_ref", values={"kind": "identity_element", "value": element_id})])
    row = {
        **(element_rows(project.model_copy(update={"identity_elements": [old]}))[0] if old else {}),
        **values,
        "id": element_id or "",
    }
    others = [r for r in element_rows(project) if r["id"] != element_id]
    taken = _named(row.get("name"), [e.name for e in project.identity_elements if e.id != element_id])
    if taken:  # a second element of the same name was a double click, or the same thing twice
        return refuse(
            project, [Issue(code="duplicate_name", path=("identity_elements",), item=taken, values={"value": taken})]
        )
    if old is None:
        rows = others + [row]
    else:
        rows = [row if r["id"] == element_id else r for r in element_rows(project)]
    elements, issues = elements_from_rows(rows, catalogue, project.identity_elements, project.region.country)
    issues = [i.model_copy(update={"row": None}) for i in issues]
    return finish(project, {"identity_elements": elements}, catalogue, issues)


def set_actors(project: Project, catalogue: Catalogue, rows: list[dict[str, Any]]) -> Edit:
    actors, issues = actors_from_rows(rows, catalogue, project.actors, project.region.country)
    if issues:
        return refuse(project, issues)
    return finish(project, with_actors(project, actors), catalogue)


def _named(name: Any, names: list[str]) -> str | None:
    """The existing name that `name` repeats (case, ё/е and spacing aside), or None."""

    def key(text: Any) -> str:
        return " ".join(str(text or "").casefold().replace("ё", "е").split())

    wanted = key(name)
    return next((n for n in names if wanted and key(n) == wanted), None)


def add_actor(project: Project, catalogue: Catalogue, values: dict[str, Any]) -> Edit:
    taken = _named(values.get("name"), [a.name for a in project.actors])
    if taken:
        return refuse(project, [Issue(code="duplicate_name", path=("actors",), item=taken, values={"value": taken})])
    rows = actor_rows(project) + [{**values, "id": ""}]
    actors, issues = actors_from_rows(rows, catalogue, project.actors, project.region.country)
    issues = [i.model_copy(update={"row": None}) for i in issues]
    return finish(project, {"actors": actors}, catalogue, issues)


def strength_by_layer(project: Project, catalogue: Catalogue) -> list[dict[str, Any]]:
    """Per layer and component: how many elements and their mean strength (chart: identity by layer)."""
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for e in project.identity_elements:
        groups[(e.layer, e.component)].append(e.strength)
    return [
        {
            "layer": layer.id,
            "component": comp,
            "elements": len(groups[(layer.id, comp)]),
            "strength": round(fmean(groups[(layer.id, comp)]), 2) if groups[(layer.id, comp)] else 0.0,
        }
        for layer in catalogue.identity.layers
        for comp in catalogue.vocabulary("component")
    ]


def project_cells(project: Project) -> list[Cell]:
    return employment_cells(project)


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
        out.append(
            PriorityPoint(
                industry=d.industry,
                significance=d.significance,
                significance_rank=catalogue.rules.order.index(d.significance) + 1,
                identity_strength=round(strength, 2),
                lq=round(best_lq.get(d.industry, 0.0), 3),
                employees=by_ind.get(d.industry, 0.0) if total else 0.0,
            )
        )
    return out


CHART_LABEL_KEYS = (
    "layer",
    "elements",
    "component",
    "strength",
    "industry",
    "municipality",
    "employees",
    "year",
    "share",
    "territory",
    "identity",
    "lq",
    "significance",
    "lq_range",
    "lq_cell",
)


def _bound(value: float, lang: str) -> str:
    return number(value, lang, 2) if math.isfinite(value) else "∞"


def lq_heat_rows(project: Project, catalogue: Catalogue, lang: str) -> list[dict[str, Any]]:
    """The municipality × industry LQs for charts.lq_heatmap: the industry's name in `lang`, the LQ in the
    language's numbers, and — where firms stated only a size band — its range and whether specialisation
    (LQ ≥ 1) flips inside it (`uncertain`, labelled with "?" on the chart)."""
    rows = []
    for c in location_quotients(project_cells(project)):
        ranged = c.employees_low is not None and c.lq_low is not None and c.lq_high is not None
        label = "–" if c.lq is None else number(c.lq, lang, 1)
        rows.append(
            {
                "municipality": c.municipality,
                "industry_label": catalogue.industry(c.industry).name.get(lang),
                "lq": None if c.lq is None else round(c.lq, 3),
                "employees": round(c.employees, 1),
                "lq_label": label + ("?" if c.uncertain else ""),
                "lq_range": f"{number(c.lq_low, lang, 2)} – {_bound(c.lq_high, lang)}" if ranged else "",
                "uncertain": c.uncertain,
            }
        )
    return rows


def uncertain_rows(project: Project, catalogue: Catalogue, lang: str) -> list[list[str]]:
    """The cells whose specialisation flips inside the size bands' ranges, as table rows in `lang`:
    municipality, industry, LQ on the estimate, the least and greatest LQ the ranges allow."""
    return [
        [r["municipality"], r["industry_label"], r["lq_label"].rstrip("?"), r["lq_range"]]
        for r in lq_heat_rows(project, catalogue, lang)
        if r["uncertain"]
    ]


def chart_labels(lang: str) -> dict[str, str]:
    """The audit charts' axis and legend titles in `lang`."""
    return {k: t(f"chart.{k}", lang) for k in CHART_LABEL_KEYS}


def layer_chart_rows(project: Project, catalogue: Catalogue, lang: str) -> list[dict[str, Any]]:
    """strength_by_layer with the layer and component names in `lang`, for charts.identity_by_layer."""
    layers = {lyr.id: lyr.name.get(lang) for lyr in catalogue.identity.layers}
    comps = {c.id: c.name.get(lang) for c in catalogue.identity.components}
    return [
        dict(r, layer_label=layers[r["layer"]], component_label=comps[r["component"]])
        for r in strength_by_layer(project, catalogue)
    ]


def priority_chart_rows(project: Project, catalogue: Catalogue, lang: str) -> list[dict[str, Any]]:
    """priority_matrix with industry and significance names in `lang`, for charts.priority_matrix."""
    sig = {g.id: g.name.get(lang) for g in catalogue.rules.significance}
    return [
        dict(
            p.model_dump(),
            industry_label=catalogue.industry(p.industry).name.get(lang),
            significance_label=sig[p.significance],
        )
        for p in priority_matrix(project, catalogue)
    ]
