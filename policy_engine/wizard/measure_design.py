"""Iteration 3, design and individualization of support measures (002, Table 1, iteration 3).

The method asks for targeted rather than universal measures: each industry's significance of
local identity grants support levels (table "Measures"), and each thematic cluster combines
measures of the levels its industries are granted. This module turns the rules engine's decisions
and the project's chosen measures into the rows the page shows and the charts draw, and holds the
page's edit operations (`set_override`, `remove_override`, `set_measures`, `add_measure`): each
takes what the user gave and returns an `edits.Edit` — the new project, or the coded issues
(policy_engine/project/issues.py, texts `issue.<code>`) that refused it. It holds no UI texts, and charts
take their labels from the caller, as policy_engine/documents/charts.py does.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

import altair as alt

from policy_engine.diagnostics.rules import Decision, MeasureRef, measures_for_levels
from policy_engine.i18n import LANGS, strings, t
from policy_engine.i18n import day as written_day
from policy_engine.method.catalogue import Catalogue
from policy_engine.method.vocabulary import LEVELS, MEASURE_TYPES
from policy_engine.project import edits
from policy_engine.project.cells import blank, choice, day, text
from policy_engine.project.edits import Edit
from policy_engine.project.issues import Issue
from policy_engine.project.model import Override, Project, SelectedMeasure

MEASURE_COLUMNS = ["cluster", "measure", "owner", "budget", "start", "end", "note"]
REGION_WIDE = "—"  # the cluster key of measures for the whole region (SelectedMeasure.cluster None); never a slug
LABEL_SEPARATOR = " · "  # a measure's label in the table: "title · level · type"; a pasted label is read by its title
# Where an issue points: the field names of this page's issues have their own labels (field.<name> in
# strings/measures.yaml), so they never collide with another area's.
MEASURE_FIELD = {c: f"selected_measure.{c}" for c in MEASURE_COLUMNS}
OVERRIDE_FIELD = {c: f"override.{c}" for c in ("industry", "significance", "justification", "by", "decided_on")}


def level_names(catalogue: Catalogue, country: str, lang: str) -> dict[str, str]:
    """The country's own names of the three levels (Kazakhstan: national / oblast / district and city)."""
    levels = catalogue.country(country).levels
    return {lvl: levels[lvl].get(lang) for lvl in LEVELS}


def _placed(issues: Iterable[Issue], fields: dict[str, str]) -> list[Issue]:
    """Issues with their model field names (`budget`) turned into this page's field names, and the dates
    they name written as each language writes them (01.03.2026 in Russian and Kazakh)."""

    def dated(value: Any) -> Any:
        try:
            when = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        except ValueError:
            when = None
        return {lang: written_day(when, lang) for lang in LANGS} if when else value

    return [
        i.model_copy(
            update={
                "path": tuple(fields.get(p, p) if isinstance(p, str) else p for p in i.path),
                "values": {k: dated(v) for k, v in i.values.items()},
            }
        )
        for i in issues
    ]


# --- classification ---------------------------------------------------------------------------


def classification_rows(
    decisions: Iterable[Decision], catalogue: Catalogue, lang: str, country: str
) -> list[dict[str, Any]]:
    """One row per industry: its significance now and by default, its levels and how many measures."""
    names = level_names(catalogue, country, lang)
    group = catalogue.rules.group
    return [
        {
            "industry": d.industry,
            "name": catalogue.industry(d.industry).name.get(lang),
            "significance": group(d.significance).name.get(lang),
            "default": group(d.default_significance).name.get(lang),
            "levels": ", ".join(names[lvl] for lvl in d.levels),
            "measures": len(d.measures),
            "overridden": d.overridden,
            "rank": catalogue.rules.highest_first.index(d.significance),
        }
        for d in decisions
    ]


# --- overrides ---------------------------------------------------------------------------------


def industry_options(catalogue: Catalogue) -> dict[str, Any]:
    """Industry id -> its names (for reading an id or a name in any language)."""
    return {i.id: i.name for i in catalogue.industries}


def significance_options(catalogue: Catalogue) -> dict[str, Any]:
    """Significance groups as the method's table reads them, strongest identity first -> their names."""
    return {s: catalogue.rules.group(s).name for s in catalogue.rules.highest_first}


def set_override(
    project: Project,
    catalogue: Catalogue,
    industry: Any,
    significance: Any,
    justification: Any,
    by: Any,
    decided_on: date | None = None,
) -> Edit:
    """Set an industry's significance by hand, with the working group's written justification and who decided.

    `industry` and `significance` may be ids or names in any working language. An override for the
    same industry is replaced in place; the same decision again changes nothing (no new version). The
    model refuses a justification under 10 characters and an empty `by` (issues `override_justification`,
    `override_by`)."""
    issues: list[Issue] = []
    picked: dict[str, str | None] = {}
    for field, value, options in (
        ("industry", industry, industry_options(catalogue)),
        ("significance", significance, significance_options(catalogue)),
    ):
        try:
            picked[field] = choice(value, options)
        except ValueError:
            issues.append(Issue(code="choice", path=(OVERRIDE_FIELD[field],), values={"value": text(value)}))
            picked[field] = None
        else:
            if picked[field] is None:
                issues.append(Issue(code="required", path=(OVERRIDE_FIELD[field],)))
    data = {
        "industry": picked["industry"] or "-",
        "significance": picked["significance"] or catalogue.rules.highest_first[0],
        "justification": text(justification),
        "by": text(by),
        "decided_on": decided_on or date.today(),
    }
    override, found = edits.build(Override, data)
    issues += _placed(found, OVERRIDE_FIELD)
    if issues or override is None:
        return edits.refuse(project, issues)
    overrides = list(project.overrides)
    at = next((i for i, o in enumerate(overrides) if o.industry == override.industry), None)
    if at is None:
        overrides.append(override)
    else:
        old = overrides[at]
        same = (old.significance, old.justification.strip(), old.by.strip()) == (
            override.significance,
            override.justification,
            override.by,
        )
        overrides[at] = old if same and decided_on is None else override
    return edits.finish(project, {"overrides": overrides}, catalogue)


def remove_override(project: Project, catalogue: Catalogue, industry: Any) -> Edit:
    """Remove the override of `industry` (an id or a name); the typology and the audit apply again.
    Removing an override that does not exist changes nothing."""
    try:
        ident = choice(industry, {**{o.industry: o.industry for o in project.overrides}, **industry_options(catalogue)})
    except ValueError:
        return edits.refuse(
            project, [Issue(code="choice", path=(OVERRIDE_FIELD["industry"],), values={"value": text(industry)})]
        )
    return edits.finish(project, {"overrides": [o for o in project.overrides if o.industry != ident]}, catalogue)


# --- the measures matrix: level x type ---------------------------------------------------------


def matrix_choices(catalogue: Catalogue) -> list[str]:
    """What the matrix can be shown for: each significance group, then each industry."""
    return [f"significance:{s}" for s in catalogue.rules.highest_first] + [
        f"industry:{i.id}" for i in catalogue.industries
    ]


def measures_for_choice(choice: str, decisions: Iterable[Decision], catalogue: Catalogue) -> tuple[MeasureRef, ...]:
    """The measures a significance group grants, or those the rules give one industry in this region."""
    kind, _, ident = choice.partition(":")
    if kind == "significance":
        return measures_for_levels(tuple(catalogue.rules.group(ident).levels), catalogue)
    if kind == "industry":
        return next(d.measures for d in decisions if d.industry == ident)
    raise ValueError(f"unknown matrix choice {choice!r}")


def matrix_cells(
    measures: Iterable[MeasureRef], lang: str, level_label: dict[str, str], type_label: dict[str, str]
) -> list[dict[str, Any]]:
    """All nine level x type cells, empty ones included so the grid is always whole."""
    titles: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m in measures:
        titles[(m.level, m.type)].append(m.title.get(lang))
    return [
        {
            "level": lvl,
            "level_label": level_label[lvl],
            "type": typ,
            "type_label": type_label[typ],
            "count": len(titles[(lvl, typ)]),
            "titles": "; ".join(titles[(lvl, typ)]),
        }
        for lvl in LEVELS
        for typ in MEASURE_TYPES
    ]


def matrix_table(cells: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cells as one row per level, one column per type (keys: `level`, then the type ids)."""
    rows: dict[str, dict[str, Any]] = {}
    for c in cells:
        rows.setdefault(c["level"], {"level": c["level_label"]})[c["type"]] = c["titles"] or "—"
    return list(rows.values())


# --- chosen measures: editor rows and their check ----------------------------------------------


def measure_rows(project: Project) -> list[dict[str, Any]]:
    """The project's chosen measures as editor rows (columns MEASURE_COLUMNS)."""
    return [
        {
            "cluster": m.cluster or REGION_WIDE,
            "measure": m.measure,
            "owner": m.owner,
            "budget": float(m.budget),
            "start": m.start,
            "end": m.end,
            "note": m.note,
        }
        for m in project.measures
    ]


def granted_levels(project: Project, decisions: Iterable[Decision]) -> dict[str, set[str]]:
    """Per cluster id, the levels its industries' significance grants; REGION_WIDE: any industry's."""
    by_industry = {d.industry: set(d.levels) for d in decisions}
    out = {c.id: set().union(*(by_industry.get(i, set()) for i in c.industries)) for c in project.clusters}
    out[REGION_WIDE] = set().union(*by_industry.values()) if by_industry else set()
    return out


def cluster_rows(
    project: Project, decisions: Iterable[Decision], catalogue: Catalogue, lang: str
) -> list[dict[str, Any]]:
    """Per cluster: its industries, the levels they are granted, and what is chosen for it so far."""
    granted = granted_levels(project, decisions)
    names = level_names(catalogue, project.region.country, lang)
    return [
        {
            "cluster": c.name,
            "industries": ", ".join(catalogue.industry(i).name.get(lang) for i in c.industries),
            "levels": ", ".join(names[lvl] for lvl in LEVELS if lvl in granted[c.id]),
            "measures": sum(1 for m in project.measures if m.cluster == c.id),
            "budget": sum(m.budget for m in project.measures if m.cluster == c.id),
        }
        for c in project.clusters
    ]


def measure_options(catalogue: Catalogue) -> dict[str, Any]:
    """Measure id -> its titles (for reading an id or a title in any language)."""
    return {m.id: m.title for m in catalogue.measures}


def cluster_options(project: Project) -> dict[str, Any]:
    """Cluster id -> its name, and REGION_WIDE -> "whole region" in every language."""
    return {
        REGION_WIDE: {lang: t("measures.region_wide", lang) for lang in LANGS},
        **{c.id: c.name for c in project.clusters},
    }


def _number(value: Any) -> float:
    """A budget cell: a number, or text written either way (1 234,5 or 1234.5); blank is 0."""
    if blank(value):
        return 0.0
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, str):
        value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        raise ValueError(value)
    return number


def _title(catalogue: Catalogue, measure_id: str | None, raw: Any, lang: str) -> str | None:
    known = {m.id: m for m in catalogue.measures}
    if measure_id in known:
        return known[measure_id].title.get(lang)
    return text(raw) or None


def _read_row(
    row: dict[str, Any], catalogue: Catalogue, project: Project, lang: str, n: int | None
) -> tuple[SelectedMeasure | None, list[Issue]]:
    """One row (or one form's values) as a chosen measure, or the coded issues that stop it."""
    issues: list[Issue] = []
    raw = row.get("measure")
    if isinstance(raw, str) and LABEL_SEPARATOR in raw:  # a label copied from the table: "title · level · type"
        raw = raw.split(LABEL_SEPARATOR)[0]
    values: dict[str, Any] = {}
    for field, value, options in (
        ("measure", raw, measure_options(catalogue)),
        ("cluster", row.get("cluster"), cluster_options(project)),
    ):
        try:
            values[field] = choice(value, options)
        except ValueError:
            values[field] = None
            issues.append(Issue(code="choice", path=(MEASURE_FIELD[field],), values={"value": text(value)}))
    item = _title(catalogue, values["measure"], raw, lang)
    if values["measure"] is None and not any(i.path == (MEASURE_FIELD["measure"],) for i in issues):
        issues.append(Issue(code="required", path=(MEASURE_FIELD["measure"],)))
    if values["cluster"] == REGION_WIDE:
        values["cluster"] = None
    try:
        values["budget"] = _number(row.get("budget"))
    except (TypeError, ValueError):
        issues.append(
            Issue(code="a_number", path=(MEASURE_FIELD["budget"],), values={"value": text(row.get("budget"))})
        )
    for field in ("start", "end"):
        try:
            values[field] = day(row.get(field))
        except (TypeError, ValueError):
            issues.append(Issue(code="a_date", path=(MEASURE_FIELD[field],), values={"value": text(row.get(field))}))
    values |= {"owner": text(row.get("owner")), "note": text(row.get("note"))}
    # the model's own checks (a negative budget, the end before the start) run even when a cell above
    # could not be read, so the row's every problem is said at once
    chosen, found = edits.build(SelectedMeasure, {**values, "measure": values["measure"] or "-"}, row=n, item=item)
    issues = [i.at(row=n, item=item) for i in issues] + _placed(found, MEASURE_FIELD)
    return (None if issues else chosen), issues


def _key(m: SelectedMeasure) -> tuple[str, str | None]:
    """What identifies a chosen measure: the measure and its cluster (the review decides on the pair too)."""
    return m.measure, m.cluster


def read_measures(
    rows: Iterable[dict[str, Any]], project: Project, catalogue: Catalogue, lang: str = "en"
) -> tuple[list[tuple[int, SelectedMeasure]], list[Issue]]:
    """Editor rows -> (row number, chosen measure) pairs and the coded issues of the rows that cannot be read.

    A completely empty row (the cluster column's default "whole region" counts as empty) is skipped;
    a half-filled one is an issue. A measure chosen twice for the same cluster is refused: a row is
    known by its measure and cluster, not by its position."""
    out: list[tuple[int, SelectedMeasure]] = []
    issues: list[Issue] = []
    seen: dict[tuple[str, str | None], int] = {}
    for n, row in enumerate(rows, start=1):
        row = dict(row)
        if text(row.get("cluster")) == REGION_WIDE:
            row["cluster"] = None
        if edits.is_blank_row(row, MEASURE_COLUMNS):
            continue
        chosen, found = _read_row(row, catalogue, project, lang, n)
        if found or chosen is None:
            issues += found
            continue
        if _key(chosen) in seen:
            issues.append(
                Issue(
                    code="measure_twice",
                    row=n,
                    item=_title(catalogue, chosen.measure, None, lang),
                    values={"row": seen[_key(chosen)]},
                )
            )
            continue
        seen[_key(chosen)] = n
        out.append((n, chosen))
    return out, issues


def set_measures(project: Project, catalogue: Catalogue, rows: Iterable[dict[str, Any]], lang: str = "en") -> Edit:
    """The chosen measures as the table's rows say (columns MEASURE_COLUMNS; `lang` only names the rows
    in issues). Any unreadable row refuses the whole table, so nothing is half-saved."""
    read, issues = read_measures(list(rows), project, catalogue, lang)
    return edits.finish(project, {"measures": [m for _, m in read]}, catalogue, issues)


def add_measure(
    project: Project,
    catalogue: Catalogue,
    measure: Any,
    cluster: Any = None,
    owner: Any = "",
    budget: Any = None,
    start: Any = None,
    end: Any = None,
    note: Any = "",
    lang: str = "en",
) -> Edit:
    """Add one chosen measure (a form's values): `measure` an id or a title, `cluster` a cluster's id or
    name, or None / REGION_WIDE for the whole region. The same measure again for the same cluster is
    refused (`measure_chosen`): its row in the table is where to change it."""
    row = {
        "measure": measure,
        "cluster": None if text(cluster) == REGION_WIDE else cluster,
        "owner": owner,
        "budget": budget,
        "start": start,
        "end": end,
        "note": note,
    }
    chosen, issues = _read_row(row, catalogue, project, lang, None)
    if chosen is not None and any(_key(m) == _key(chosen) for m in project.measures):
        issues = [Issue(code="measure_chosen", item=_title(catalogue, chosen.measure, None, lang))]
    if issues or chosen is None:
        return edits.refuse(project, issues)
    return edits.finish(project, {"measures": [*project.measures, chosen]}, catalogue)


def level_warnings(
    measures: Iterable[tuple[int, SelectedMeasure]],
    project: Project,
    catalogue: Catalogue,
    decisions: Iterable[Decision],
    lang: str = "en",
) -> list[Issue]:
    """Rows whose measure is of a level the cluster's industries are not granted (codes
    `measure_level_not_granted`, `measure_level_not_granted_region`). Only a warning: the method lets a
    working group combine levels on purpose, but it should be a visible choice."""
    known = {m.id: m for m in catalogue.measures}
    clusters = {c.id: c for c in project.clusters}
    granted = granted_levels(project, decisions)
    levels = catalogue.country(project.region.country).levels
    out = []
    for n, m in measures:
        if m.measure not in known:
            continue
        level = known[m.measure].level
        if level in granted.get(m.cluster or REGION_WIDE, set()):
            continue
        values: dict[str, Any] = {"level": levels[level].model_dump()}
        if m.cluster:
            code = "measure_level_not_granted"
            values["cluster"] = clusters[m.cluster].name if m.cluster in clusters else m.cluster
        else:
            code = "measure_level_not_granted_region"
        out.append(Issue(code=code, row=n, item=known[m.measure].title.get(lang), values=values))
    return out


# --- budgets and the iteration's result --------------------------------------------------------


def money_unit(project: Project, lang: str, catalogue: Catalogue | None = None) -> str:
    """The project's money unit as people read it, e.g. "млн RUB" (every budget is in it): the project's
    own currency, or its country's when the project names none."""
    unit = project.economy.unit
    word = t(f"measures.unit.{unit}", lang) if unit in ("thousand", "million", "billion") else unit
    currency = getattr(project.economy, "currency", None)
    if not currency:
        from policy_engine.method.catalogue import default_catalogue

        currency = (catalogue or default_catalogue()).country(project.region.country).currency
    key = f"currency.{currency}"
    return f"{word} {t(key, lang) if key in strings() else currency}".strip()


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
    return [
        {
            "level": lvl,
            "level_label": names[lvl],
            "cluster": c,
            "cluster_label": labels[c],
            "measures": len(sums[(lvl, c)]),
            "budget": sum(sums[(lvl, c)]),
        }
        for lvl in LEVELS
        for c in order
        if (lvl, c) in sums
    ]


def summary_table(budget: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per cluster: how many measures at each level (keys: the level ids), and its budget."""
    rows: dict[str, dict[str, Any]] = {}
    for r in budget:
        row = rows.setdefault(
            r["cluster"], {"cluster": r["cluster_label"], **{lvl: 0 for lvl in LEVELS}, "measures": 0, "budget": 0.0}
        )
        row[r["level"]] += r["measures"]
        row["measures"] += r["measures"]
        row["budget"] += r["budget"]
    return list(rows.values())


def totals(project: Project) -> dict[str, float]:
    """How many measures are chosen, for how many clusters, at what total budget."""
    return {
        "measures": len(project.measures),
        "budget": sum(m.budget for m in project.measures),
        "clusters": len({m.cluster for m in project.measures if m.cluster}),
    }


# --- charts ------------------------------------------------------------------------------------


def classification_chart(rows: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Bars: how many measures each industry gets, coloured by its significance (rows of classification_rows)."""
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("measures:Q", title=labels["measures"]),
            y=alt.Y("name:N", title=labels["industry"], sort="-x", axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "significance:N",
                title=labels["significance"],  # high to low, dark to light
                sort=alt.EncodingSortField(field="rank", op="min"),
                scale=alt.Scale(range=["#1f4e79", "#4f8fc0", "#a9cce3"]),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=labels["industry"]),
                alt.Tooltip("significance:N", title=labels["significance"]),
                alt.Tooltip("levels:N", title=labels["levels"]),
                alt.Tooltip("measures:Q", title=labels["measures"]),
            ],
        )
        .properties(height=26 * max(len(rows), 4))
    )


def matrix_chart(cells: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Heatmap of level x type: how many measures each cell holds, titles in the tooltip."""
    base = alt.Chart(alt.Data(values=cells)).encode(
        x=alt.X("type_label:N", title=labels["type"], sort=None, axis=alt.Axis(labelAngle=0, labelLimit=200)),
        y=alt.Y("level_label:N", title=labels["level"], sort=None, axis=alt.Axis(labelLimit=200)),
    )
    heat = base.mark_rect().encode(
        color=alt.Color("count:Q", title=labels["count"], scale=alt.Scale(scheme="greens"), legend=None),
        tooltip=[
            alt.Tooltip("level_label:N", title=labels["level"]),
            alt.Tooltip("type_label:N", title=labels["type"]),
            alt.Tooltip("count:Q", title=labels["count"]),
            alt.Tooltip("titles:N", title=labels["titles"]),
        ],
    )
    text = base.mark_text(fontSize=18).encode(text="count:Q")
    return (heat + text).properties(height=220)


def budget_chart(rows: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Stacked bars: budget per level, split by cluster."""
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("level_label:N", title=labels["level"], sort=None, axis=alt.Axis(labelAngle=0, labelLimit=300)),
            y=alt.Y("budget:Q", title=labels["budget"]),
            color=alt.Color(
                "cluster_label:N",
                title=labels["cluster"],
                legend=alt.Legend(labelLimit=360, orient="bottom", columns=2),
            ),
            tooltip=[
                alt.Tooltip("level_label:N", title=labels["level"]),
                alt.Tooltip("cluster_label:N", title=labels["cluster"]),
                alt.Tooltip("measures:Q", title=labels["measures"]),
                alt.Tooltip("budget:Q", title=labels["budget"]),
            ],
        )
        .properties(height=340)
    )
