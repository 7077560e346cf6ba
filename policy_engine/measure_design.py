"""Iteration 3, design and individualization of support measures (002, Table 1, iteration 3).

The method asks for targeted rather than universal measures: each industry's significance of
local identity grants support levels (table "Measures"), and each thematic cluster combines
measures of the levels its industries are granted. This module turns the rules engine's decisions
and the project's chosen measures into the rows the page shows and the charts draw, and checks a
table of chosen measures row by row before it is saved. It holds no UI texts: problems are codes
with values (the page words them in the user's language), and charts take their labels from the
caller, as policy_engine/charts.py does.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

import altair as alt
from pydantic import BaseModel, ConfigDict, ValidationError

from .catalogue import LEVELS, MEASURE_TYPES, Catalogue
from .cells import blank, day, text
from .i18n import t
from .project import Override, Project, SelectedMeasure
from .rules import Decision, MeasureRef, measures_for_levels

MEASURE_COLUMNS = ["cluster", "measure", "owner", "budget", "start", "end", "note"]
SIGNIFICANCE_ORDER = ("high", "medium", "low")  # as the method's table reads, strongest identity first
REGION_WIDE = "—"  # the cluster key of measures for the whole region (SelectedMeasure.cluster None); never a slug


class Issue(BaseModel):
    """A problem with one row of the measures table: `code` names it, `values` fill its sentence."""

    model_config = ConfigDict(frozen=True)
    row: int  # 1-based, as people count rows
    measure: str  # the row's measure as people read it (title, or the raw value)
    code: str  # measure_missing, measure_unknown, cluster_unknown, budget_not_number,
    #            budget_negative, date_invalid, end_before_start, level_not_granted(_region), invalid
    values: dict[str, str] = {}


def level_names(catalogue: Catalogue, country: str, lang: str) -> dict[str, str]:
    """The country's own names of the three levels (Kazakhstan: national / oblast / district and city)."""
    levels = catalogue.country(country).levels
    return {lvl: levels[lvl].get(lang) for lvl in LEVELS}


# --- classification ---------------------------------------------------------------------------

def classification_rows(decisions: Iterable[Decision], catalogue: Catalogue, lang: str,
                        country: str) -> list[dict[str, Any]]:
    """One row per industry: its significance now and by default, its levels and how many measures."""
    names = level_names(catalogue, country, lang)
    group = catalogue.rules.group
    return [{"industry": d.industry, "name": catalogue.industry(d.industry).name.get(lang),
             "significance": group(d.significance).name.get(lang),
             "default": group(d.default_significance).name.get(lang),
             "levels": ", ".join(names[lvl] for lvl in d.levels), "measures": len(d.measures),
             "overridden": d.overridden, "rank": SIGNIFICANCE_ORDER.index(d.significance)} for d in decisions]


# --- overrides ---------------------------------------------------------------------------------

def override_problems(exc: ValidationError) -> list[tuple[str, str]]:
    """(field, the model's own message) for each reason the Override model refused its input."""
    return [(str(e["loc"][0]) if e["loc"] else "", str(e["msg"]).removeprefix("Value error, "))
            for e in exc.errors()]


def with_override(project: Project, override: Override) -> Project:
    """A copy of the project with `override` added, replacing an earlier one for the same industry."""
    kept = [o for o in project.overrides if o.industry != override.industry]
    at = next((i for i, o in enumerate(project.overrides) if o.industry == override.industry), len(kept))
    return project.model_copy(update={"overrides": kept[:at] + [override] + kept[at:]}, deep=True)


def without_override(project: Project, industry: str) -> Project:
    """A copy of the project without the override of `industry` (unchanged if there is none)."""
    return project.model_copy(update={"overrides": [o for o in project.overrides if o.industry != industry]},
                              deep=True)


# --- the measures matrix: level x type ---------------------------------------------------------

def matrix_choices(catalogue: Catalogue) -> list[str]:
    """What the matrix can be shown for: each significance group, then each industry."""
    return [f"significance:{s}" for s in SIGNIFICANCE_ORDER] + [f"industry:{i.id}" for i in catalogue.industries]


def measures_for_choice(choice: str, decisions: Iterable[Decision], catalogue: Catalogue) -> tuple[MeasureRef, ...]:
    """The measures a significance group grants, or those the rules give one industry in this region."""
    kind, _, ident = choice.partition(":")
    if kind == "significance":
        return measures_for_levels(tuple(catalogue.rules.group(ident).levels), catalogue)
    if kind == "industry":
        return next(d.measures for d in decisions if d.industry == ident)
    raise ValueError(f"unknown matrix choice {choice!r}")


def matrix_cells(measures: Iterable[MeasureRef], lang: str, level_label: dict[str, str],
                 type_label: dict[str, str]) -> list[dict[str, Any]]:
    """All nine level x type cells, empty ones included so the grid is always whole."""
    titles: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m in measures:
        titles[(m.level, m.type)].append(m.title.get(lang))
    return [{"level": lvl, "level_label": level_label[lvl], "type": typ, "type_label": type_label[typ],
             "count": len(titles[(lvl, typ)]), "titles": "; ".join(titles[(lvl, typ)])}
            for lvl in LEVELS for typ in MEASURE_TYPES]


def matrix_table(cells: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cells as one row per level, one column per type (keys: `level`, then the type ids)."""
    rows: dict[str, dict[str, Any]] = {}
    for c in cells:
        rows.setdefault(c["level"], {"level": c["level_label"]})[c["type"]] = c["titles"] or "—"
    return list(rows.values())


# --- chosen measures: editor rows and their check ----------------------------------------------

def measure_rows(project: Project) -> list[dict[str, Any]]:
    """The project's chosen measures as editor rows (columns MEASURE_COLUMNS)."""
    return [{"cluster": m.cluster or REGION_WIDE, "measure": m.measure, "owner": m.owner, "budget": float(m.budget),
             "start": m.start, "end": m.end, "note": m.note} for m in project.measures]


def granted_levels(project: Project, decisions: Iterable[Decision]) -> dict[str, set[str]]:
    """Per cluster id, the levels its industries' significance grants; REGION_WIDE: any industry's."""
    by_industry = {d.industry: set(d.levels) for d in decisions}
    out = {c.id: set().union(*(by_industry.get(i, set()) for i in c.industries)) for c in project.clusters}
    out[REGION_WIDE] = set().union(*by_industry.values()) if by_industry else set()
    return out


def cluster_rows(project: Project, decisions: Iterable[Decision], catalogue: Catalogue,
                 lang: str) -> list[dict[str, Any]]:
    """Per cluster: its industries, the levels they are granted, and what is chosen for it so far."""
    granted = granted_levels(project, decisions)
    names = level_names(catalogue, project.region.country, lang)
    return [{"cluster": c.name, "industries": ", ".join(catalogue.industry(i).name.get(lang) for i in c.industries),
             "levels": ", ".join(names[lvl] for lvl in LEVELS if lvl in granted[c.id]),
             "measures": sum(1 for m in project.measures if m.cluster == c.id),
             "budget": sum(m.budget for m in project.measures if m.cluster == c.id)} for c in project.clusters]


def _problems(row: dict[str, Any], measure_id: str, cluster: str, known: set[str], clusters: set[str]
              ) -> tuple[list[tuple[str, dict[str, Any]]], float, dict[str, date | None]]:
    """What is wrong with one row, as (code, values) pairs, with the budget and dates read from it."""
    found: list[tuple[str, dict[str, Any]]] = []
    if not measure_id:
        found.append(("measure_missing", {}))
    elif measure_id not in known:
        found.append(("measure_unknown", {"measure": measure_id}))
    if cluster and cluster not in clusters:
        found.append(("cluster_unknown", {"cluster": cluster}))
    budget = 0.0
    try:
        budget = 0.0 if blank(row.get("budget")) else float(row.get("budget"))
        if math.isnan(budget) or math.isinf(budget):
            raise ValueError
        if budget < 0:
            found.append(("budget_negative", {"budget": f"{budget:g}"}))
    except (TypeError, ValueError):
        found.append(("budget_not_number", {"budget": row.get("budget")}))
    dates: dict[str, date | None] = {"start": None, "end": None}
    for field in dates:
        try:
            dates[field] = day(row.get(field))
        except (TypeError, ValueError):
            found.append(("date_invalid", {"value": row.get(field)}))
    if dates["start"] and dates["end"] and dates["end"] < dates["start"]:
        found.append(("end_before_start", {"start": dates["start"], "end": dates["end"]}))
    return found, budget, dates


def measures_from_rows(rows: Iterable[dict[str, Any]], project: Project, catalogue: Catalogue,
                       decisions: Iterable[Decision], lang: str
                       ) -> tuple[list[SelectedMeasure], list[Issue], list[Issue]]:
    """Editor rows -> (measures, errors, warnings). Any error means the table must not be saved.

    A measure of a level the cluster's industries are not granted is only a warning: the method
    lets a working group combine levels on purpose, but it should be a visible choice.
    """
    known = {m.id: m for m in catalogue.measures}
    clusters = {c.id: c for c in project.clusters}
    granted = granted_levels(project, decisions)
    names = level_names(catalogue, project.region.country, lang)
    out: list[SelectedMeasure] = []
    errors: list[Issue] = []
    warnings: list[Issue] = []
    for n, row in enumerate(rows, start=1):
        measure_id, cluster = text(row.get("measure")), text(row.get("cluster"))
        cluster = "" if cluster == REGION_WIDE else cluster
        if not measure_id and not cluster and not any(text(row.get(c)) for c in ("owner", "note", "start", "end")) \
                and blank(row.get("budget")):
            continue  # an empty new row
        label = known[measure_id].title.get(lang) if measure_id in known else measure_id or "—"
        found, budget, dates = _problems(row, measure_id, cluster, set(known), set(clusters))
        if found:
            errors.extend(Issue(row=n, measure=label, code=code, values={k: str(v) for k, v in values.items()})
                          for code, values in found)
            continue
        try:
            chosen = SelectedMeasure(measure=measure_id, cluster=cluster or None, owner=text(row.get("owner")),
                                     budget=budget, start=dates["start"], end=dates["end"],
                                     note=text(row.get("note")))
        except ValidationError as exc:
            errors.append(Issue(row=n, measure=label, code="invalid",
                                values={"message": "; ".join(e["msg"] for e in exc.errors())}))
            continue
        level = known[measure_id].level
        if level not in granted.get(cluster or REGION_WIDE, set()):
            code, where = ("level_not_granted", {"cluster": clusters[cluster].name}) if cluster \
                else ("level_not_granted_region", {})
            warnings.append(Issue(row=n, measure=label, code=code, values={"level": names[level], **where}))
        out.append(chosen)
    return out, errors, warnings


# --- budgets and the iteration's result --------------------------------------------------------

def money_unit(project: Project, lang: str) -> str:
    """The project's money unit as people read it, e.g. "млн KZT" (every budget is in it)."""
    unit = project.economy.unit
    word = t(f"measures.unit.{unit}", lang) if unit in ("thousand", "million", "billion") else unit
    return f"{word} {project.economy.currency}"


def cluster_label(project: Project, region_wide: str) -> dict[str, str]:
    """Cluster id -> name, with REGION_WIDE named by the caller."""
    return {REGION_WIDE: region_wide, **{c.id: c.name for c in project.clusters}}


def budget_rows(project: Project, catalogue: Catalogue, lang: str, region_wide: str) -> list[dict[str, Any]]:
    """Measures and budget per level x cluster (only the pairs that have measures), levels in order."""
    labels, names = cluster_label(project, region_wide), level_names(catalogue, project.region.country, lang)
    order = list(labels)
    sums: dict[tuple[str, str], list[float]] = defaultdict(list)
    for m in project.measures:
        key = m.cluster or REGION_WIDE
        if key not in labels:
            labels[key] = key  # a cluster since removed: still counted, under its id
            order.append(key)
        sums[(catalogue.measure(m.measure).level, key)].append(m.budget)
    return [{"level": lvl, "level_label": names[lvl], "cluster": c, "cluster_label": labels[c],
             "measures": len(sums[(lvl, c)]), "budget": sum(sums[(lvl, c)])}
            for lvl in LEVELS for c in order if (lvl, c) in sums]


def summary_table(budget: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per cluster: how many measures at each level (keys: the level ids), and its budget."""
    rows: dict[str, dict[str, Any]] = {}
    for r in budget:
        row = rows.setdefault(r["cluster"], {"cluster": r["cluster_label"], **{lvl: 0 for lvl in LEVELS},
                                             "measures": 0, "budget": 0.0})
        row[r["level"]] += r["measures"]
        row["measures"] += r["measures"]
        row["budget"] += r["budget"]
    return list(rows.values())


def totals(project: Project) -> dict[str, float]:
    """How many measures are chosen, for how many clusters, at what total budget."""
    return {"measures": len(project.measures), "budget": sum(m.budget for m in project.measures),
            "clusters": len({m.cluster for m in project.measures if m.cluster})}


# --- charts ------------------------------------------------------------------------------------

def classification_chart(rows: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Bars: how many measures each industry gets, coloured by its significance (rows of classification_rows)."""
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("measures:Q", title=labels["measures"]),
        y=alt.Y("name:N", title=labels["industry"], sort="-x", axis=alt.Axis(labelLimit=260)),
        color=alt.Color("significance:N", title=labels["significance"],  # high to low, dark to light
                        sort=alt.EncodingSortField(field="rank", op="min"),
                        scale=alt.Scale(range=["#1f4e79", "#4f8fc0", "#a9cce3"])),
        tooltip=[alt.Tooltip("name:N", title=labels["industry"]),
                 alt.Tooltip("significance:N", title=labels["significance"]),
                 alt.Tooltip("levels:N", title=labels["levels"]), alt.Tooltip("measures:Q", title=labels["measures"])],
    ).properties(height=26 * max(len(rows), 4))


def matrix_chart(cells: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Heatmap of level x type: how many measures each cell holds, titles in the tooltip."""
    base = alt.Chart(alt.Data(values=cells)).encode(
        x=alt.X("type_label:N", title=labels["type"], sort=None, axis=alt.Axis(labelAngle=0, labelLimit=200)),
        y=alt.Y("level_label:N", title=labels["level"], sort=None, axis=alt.Axis(labelLimit=200)),
    )
    heat = base.mark_rect().encode(
        color=alt.Color("count:Q", title=labels["count"], scale=alt.Scale(scheme="greens"), legend=None),
        tooltip=[alt.Tooltip("level_label:N", title=labels["level"]), alt.Tooltip("type_label:N", title=labels["type"]),
                 alt.Tooltip("count:Q", title=labels["count"]), alt.Tooltip("titles:N", title=labels["titles"])],
    )
    text = base.mark_text(fontSize=18).encode(text="count:Q")
    return (heat + text).properties(height=220)


def budget_chart(rows: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Stacked bars: budget per level, split by cluster."""
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("level_label:N", title=labels["level"], sort=None, axis=alt.Axis(labelAngle=0, labelLimit=300)),
        y=alt.Y("budget:Q", title=labels["budget"]),
        color=alt.Color("cluster_label:N", title=labels["cluster"], legend=alt.Legend(labelLimit=360, orient="bottom",
                                                                                    columns=2)),
        tooltip=[alt.Tooltip("level_label:N", title=labels["level"]),
                 alt.Tooltip("cluster_label:N", title=labels["cluster"]),
                 alt.Tooltip("measures:Q", title=labels["measures"]), alt.Tooltip("budget:Q", title=labels["budget"])],
    ).properties(height=340)
