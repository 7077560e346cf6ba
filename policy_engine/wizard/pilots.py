"""Pilot projects (iteration 4) as tables people edit, and the rows their charts draw.

A pilot without an owner stalls; so the table asks for owner, partners, budget by source, dates and
status in one row per pilot, and refuses a row that cannot be a pilot (end before start, a negative
budget, an unknown cluster), saying which row and why. Milestones, measures and the success story
of one pilot are edited apart, since they are lists and long texts.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from policy_engine.i18n import strings
from policy_engine.method.catalogue import Catalogue
from policy_engine.method.vocabulary import FUNDING_SOURCES, PILOT_STATUSES
from policy_engine.project import edits
from policy_engine.project.cells import blank, choice, choices, day, items, slug, text
from policy_engine.project.edits import Edit
from policy_engine.project.issues import Issue
from policy_engine.project.model import Milestone, Pilot, Project, SingleWindow

PILOT_COLUMNS = ["id", "name", "cluster", "owner", "partners", *FUNDING_SOURCES, "start", "end", "status"]
MILESTONE_COLUMNS = ["name", "due", "done"]


def status_options() -> dict[str, dict[str, str]]:
    """Pilot statuses with their names in ru/kk/en (a pasted name is read as its status)."""
    return {s: strings()[f"roadmap.status.{s}"] for s in PILOT_STATUSES}


def pilot_rows(project: Project) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "name": p.name,
            "cluster": p.cluster,
            "owner": p.owner,
            "partners": "; ".join(p.partners),
            **{s: p.budget.get(s, 0.0) for s in FUNDING_SOURCES},
            "start": p.start,
            "end": p.end,
            "status": p.status,
        }
        for p in project.pilots
    ]


def milestone_rows(pilot: Pilot) -> list[dict[str, Any]]:
    return [{"name": m.name, "due": m.due, "done": m.done} for m in pilot.milestones]


def _cell(value: Any, read, code: str, column: str, n: int | None, name: str | None, issues: list[Issue]) -> Any:
    """One cell read by `read`, or None with a coded issue when it cannot be read."""
    try:
        return read(value)
    except (ValueError, TypeError):
        issues.append(Issue(code=code, values={"value": text(value)}, row=n, item=name or None, path=(column,)))
        return None


def _money(value: Any) -> float:
    return 0.0 if blank(value) else float(value)


def _blank_pilot_row(row: dict[str, Any]) -> bool:
    """A new row left empty: no text, no date, no money (a status alone is the column's default)."""
    return edits.is_blank_row(row, ["name", "cluster", "owner", "partners", "start", "end"]) and not any(
        not blank(row.get(s)) and str(row.get(s)).strip() not in ("0", "0.0") for s in FUNDING_SOURCES
    )


def _pilot(
    row: dict[str, Any], n: int | None, old: Pilot | None, ident: str, project: Project
) -> tuple[Pilot | None, list[Issue]]:
    name = text(row.get("name"))
    issues: list[Issue] = []
    clusters = {c.id: c.name for c in project.clusters}
    cluster = _cell(row.get("cluster"), lambda v: choice(v, clusters), "choice", "cluster", n, name, issues)
    status = _cell(row.get("status"), lambda v: choice(v, status_options()), "choice", "status", n, name, issues)
    start = _cell(row.get("start"), day, "a_date", "start", n, name, issues)
    end = _cell(row.get("end"), day, "a_date", "end", n, name, issues)
    budget = {}
    for s in FUNDING_SOURCES:
        amount = _cell(row.get(s), _money, "a_number", s, n, name, issues)
        if amount:
            budget[s] = amount
    if issues:
        return None, issues
    data = {
        "id": ident,
        "name": name,
        "cluster": cluster,
        "owner": text(row.get("owner")),
        "partners": items(row.get("partners")),
        "budget": budget,
        "start": start,
        "end": end,
        "status": status or "planned",
        "measures": old.measures if old else [],
        "milestones": [m.model_dump() for m in old.milestones] if old else [],
        "success_story": old.success_story if old else None,
        "provenance": old.provenance.model_dump() if old else {"basis": "user"},
    }
    return edits.build(
        Pilot,
        {k: v for k, v in data.items() if v is not None or k in ("cluster", "success_story")},
        row=n,
        item=name or None,
    )


def set_pilots(project: Project, catalogue: Catalogue, rows: list[dict[str, Any]]) -> Edit:
    """The pilots table as the user left it: rows matched to pilots by their (hidden) id, so a renamed
    pilot keeps its milestones, measures and story; a new row gets an id made from its name. An empty
    row is skipped; any other row that cannot be a pilot refuses the whole table, naming the row."""
    out: list[Pilot] = []
    issues: list[Issue] = []
    taken = {p.id for p in project.pilots}
    used: set[str] = set()
    for n, row, old in edits.match_by_id(rows, project.pilots):
        if old is None and _blank_pilot_row(row):
            continue
        if old is not None and old.id in used:  # a copied row: a new pilot
            old = None
        ident = old.id if old else edits.unique_id(slug(text(row.get("name"))), taken | used)
        pilot, found = _pilot(row, n, old, ident, project)
        issues += found
        if pilot is not None:
            used.add(pilot.id)
            out.append(pilot)
    return edits.finish(project, {"pilots": out}, catalogue, issues)


def add_pilot(project: Project, catalogue: Catalogue, values: dict[str, Any]) -> Edit:
    """One new pilot from the form (name, cluster, owner, partners, budget by source, start, end, status)."""
    ident = edits.unique_id(slug(text(values.get("name"))), {p.id for p in project.pilots})
    pilot, issues = _pilot(values, None, None, ident, project)
    if pilot is None:
        return edits.refuse(project, issues)
    return edits.finish(project, {"pilots": [*project.pilots, pilot]}, catalogue)


def _find(project: Project, pilot_id: str) -> Pilot | None:
    return next((p for p in project.pilots if p.id == pilot_id), None)


def _no_pilot(project: Project, pilot_id: str) -> Edit:
    return edits.refuse(
        project, [Issue(code="unknown_ref", path=("pilots",), values={"kind": "pilot", "value": pilot_id})]
    )


def _milestone(row: dict[str, Any], n: int | None) -> tuple[Milestone | None, list[Issue]]:
    name = text(row.get("name"))
    issues: list[Issue] = []
    due = _cell(row.get("due"), day, "a_date", "due", n, name, issues)
    if issues:
        return None, issues
    done = row.get("done")
    data = {"name": name, "due": due, "done": False if blank(done) else bool(done)}
    return edits.build(Milestone, {k: v for k, v in data.items() if v is not None}, row=n, item=name or None)


def _replace(project: Project, catalogue: Catalogue, pilot: Pilot, update: dict[str, Any]) -> Edit:
    new = pilot.model_copy(update=update)
    return edits.finish(project, {"pilots": [new if p.id == pilot.id else p for p in project.pilots]}, catalogue)


def set_milestones(project: Project, catalogue: Catalogue, pilot_id: str, rows: list[dict[str, Any]]) -> Edit:
    """One pilot's milestones as the table holds them (sorted by due date); empty rows skipped."""
    pilot = _find(project, pilot_id)
    if pilot is None:
        return _no_pilot(project, pilot_id)
    out, issues = [], []
    for n, row in enumerate(rows, start=1):
        if edits.is_blank_row(row, MILESTONE_COLUMNS):
            continue
        milestone, found = _milestone(row, n)
        issues += found
        if milestone is not None:
            out.append(milestone)
    if issues:
        return edits.refuse(project, issues)
    return _replace(project, catalogue, pilot, {"milestones": sorted(out, key=lambda m: m.due)})


def add_milestone(project: Project, catalogue: Catalogue, pilot_id: str, values: dict[str, Any]) -> Edit:
    """One milestone (name, due, done) added to a pilot from the form."""
    pilot = _find(project, pilot_id)
    if pilot is None:
        return _no_pilot(project, pilot_id)
    milestone, issues = _milestone(values, None)
    if milestone is None:
        return edits.refuse(project, issues)
    return _replace(
        project, catalogue, pilot, {"milestones": sorted([*pilot.milestones, milestone], key=lambda m: m.due)}
    )


def set_pilot_detail(project: Project, catalogue: Catalogue, pilot_id: str, measures: Any, story: str | None) -> Edit:
    """The measures a pilot uses (ids or titles) and its success story (blank: none yet)."""
    pilot = _find(project, pilot_id)
    if pilot is None:
        return _no_pilot(project, pilot_id)
    options = {m.id: m.title for m in catalogue.measures}
    try:
        chosen = choices(measures, options)
    except ValueError as exc:
        return edits.refuse(
            project, [Issue(code="choice", path=("measures",), item=pilot.name, values={"value": str(exc)})]
        )
    return _replace(project, catalogue, pilot, {"measures": chosen, "success_story": text(story) or None})


def set_single_window(project: Project, catalogue: Catalogue, who: str, where: str, how: str) -> Edit:
    """Who answers creative entrepreneurs, where and how."""
    window = SingleWindow(who=text(who), where=text(where), how=(how or "").strip())
    return edits.finish(project, {"single_window": window}, catalogue)


def gantt_rows(
    project: Project, status_label: dict[str, str], done_label: dict[bool, str], limit: int = 40
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Bars (one per pilot) and milestone points for charts.gantt."""

    def short(text: str) -> str:
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

    bars = [
        {
            "name": short(p.name),
            "start": p.start.isoformat(),
            "end": p.end.isoformat(),
            "status_label": status_label[p.status],
        }
        for p in project.pilots
    ]
    steps = [
        {"name": short(p.name), "milestone": m.name, "due": m.due.isoformat(), "done_label": done_label[m.done]}
        for p in project.pilots
        for m in p.milestones
    ]
    return bars, steps


def money_rows(
    project: Project, source_label: dict[str, str], cluster_label: dict[str | None, str]
) -> list[dict[str, Any]]:
    """Pilot money per funding source and cluster, for charts.budget_by_source."""
    sums: dict[tuple[str, str], float] = defaultdict(float)
    for p in project.pilots:
        for source, amount in p.budget.items():
            if amount:
                sums[(source, cluster_label.get(p.cluster, p.cluster or ""))] += amount
    return [
        {"source_label": source_label[s], "order": FUNDING_SOURCES.index(s), "cluster_label": c, "budget": v}
        for (s, c), v in sums.items()
    ]


def totals(project: Project) -> dict[str, float]:
    """Pilot money by source, and in all."""
    out = {s: sum(p.budget.get(s, 0.0) for p in project.pilots) for s in FUNDING_SOURCES}
    out["total"] = sum(out.values())
    return out
