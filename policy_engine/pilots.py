"""Pilot projects (iteration 4) as tables people edit, and the rows their charts draw.

A pilot without an owner stalls; so the table asks for owner, partners, budget by source, dates and
status in one row per pilot, and refuses a row that cannot be a pilot (end before start, a negative
budget, an unknown cluster), saying which row and why. Milestones, measures and the success story
of one pilot are edited apart, since they are lists and long texts.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import ValidationError

from .cells import blank, day, field_errors, items, slug, text
from .project import FUNDING_SOURCES_ORDER, Milestone, Pilot, Project

SOURCES = FUNDING_SOURCES_ORDER
STATUSES = ("planned", "running", "delivered", "stalled", "cancelled")


def pilot_rows(project: Project) -> list[dict[str, Any]]:
    return [{"id": p.id, "name": p.name, "cluster": p.cluster, "owner": p.owner, "partners": "; ".join(p.partners),
             **{s: p.budget.get(s, 0.0) for s in SOURCES}, "start": p.start, "end": p.end, "status": p.status}
            for p in project.pilots]


def pilots_from_rows(rows: list[dict[str, Any]], project: Project) -> tuple[list[Pilot], list[str]]:
    """Rows of the editor -> pilots (keeping each one's milestones, measures and story), and one message
    per bad row, 1-based."""
    by_id = {p.id: p for p in project.pilots}
    clusters = {c.id for c in project.clusters}
    out: list[Pilot] = []
    errors: list[str] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        name = text(row.get("name"))
        if not name and not text(row.get("id")):
            continue  # an empty new row
        ident = text(row.get("id")) or slug(name)
        while ident in seen:
            ident += "_2"
        cluster = text(row.get("cluster")) or None
        if cluster is not None and cluster not in clusters:
            errors.append(f"row {n} ({name or ident}): unknown cluster {cluster}")
            continue
        old = by_id.get(ident)
        try:
            start, end = day(row.get("start")), day(row.get("end"))
            if start and end and end < start:
                raise ValueError(f"end {end} is before start {start}")
            pilot = Pilot(
                id=ident, name=name, cluster=cluster, owner=text(row.get("owner")),
                partners=items(row.get("partners")),
                budget={s: float(row.get(s) or 0) for s in SOURCES if float(row.get(s) or 0)},
                start=start, end=end, status=row.get("status") or "planned",
                measures=old.measures if old else [], milestones=old.milestones if old else [],
                success_story=old.success_story if old else None,
                provenance=old.provenance if old else {"basis": "user"})
        except (ValidationError, ValueError, TypeError) as exc:
            message = field_errors(exc) if isinstance(exc, ValidationError) else str(exc)
            errors.append(f"row {n} ({name or ident}): {message}")
            continue
        seen.add(ident)
        out.append(pilot)
    return out, errors


def milestones_from_rows(rows: list[dict[str, Any]]) -> tuple[list[Milestone], list[str]]:
    out, errors = [], []
    for n, row in enumerate(rows, start=1):
        if not text(row.get("name")) and blank(row.get("due")):
            continue
        try:
            out.append(Milestone(name=text(row.get("name")), due=day(row.get("due")), done=bool(row.get("done"))))
        except ValidationError as exc:
            errors.append(f"row {n}: {field_errors(exc)}")
        except ValueError as exc:  # a date that is not one
            errors.append(f"row {n}: {exc}")
    return sorted(out, key=lambda m: m.due), errors


def gantt_rows(project: Project, status_label: dict[str, str], done_label: dict[bool, str],
               limit: int = 40) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Bars (one per pilot) and milestone points for charts.gantt."""
    def short(text: str) -> str:
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

    bars = [{"name": short(p.name), "start": p.start.isoformat(), "end": p.end.isoformat(),
             "status_label": status_label[p.status]} for p in project.pilots]
    steps = [{"name": short(p.name), "milestone": m.name, "due": m.due.isoformat(), "done_label": done_label[m.done]}
             for p in project.pilots for m in p.milestones]
    return bars, steps


def money_rows(project: Project, source_label: dict[str, str], cluster_label: dict[str | None, str]
               ) -> list[dict[str, Any]]:
    """Pilot money per funding source and cluster, for charts.budget_by_source."""
    sums: dict[tuple[str, str], float] = defaultdict(float)
    for p in project.pilots:
        for source, amount in p.budget.items():
            if amount:
                sums[(source, cluster_label.get(p.cluster, p.cluster or ""))] += amount
    return [{"source_label": source_label[s], "order": SOURCES.index(s), "cluster_label": c, "budget": v}
            for (s, c), v in sums.items()]


def totals(project: Project) -> dict[str, float]:
    """Pilot money by source, and in all."""
    out = {s: sum(p.budget.get(s, 0.0) for p in project.pilots) for s in SOURCES}
    out["total"] = sum(out.values())
    return out
