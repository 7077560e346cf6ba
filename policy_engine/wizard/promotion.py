"""Promotion (iteration 5), "the story, not the product": the brand platform, a story per cluster
built from its identity elements, and the events calendar, as tables people edit."""

from __future__ import annotations

from typing import Any

from policy_engine.i18n import strings
from policy_engine.method.catalogue import Catalogue
from policy_engine.method.vocabulary import EVENT_KINDS
from policy_engine.project import edits
from policy_engine.project.cells import choice, day, text
from policy_engine.project.edits import Edit
from policy_engine.project.issues import Issue
from policy_engine.project.model import Event, Project, Story

EVENT_COLUMNS = ["id", "name", "kind", "start", "end", "venue", "municipality", "audience", "cluster"]
STORY_PARTS = ("place", "tradition", "people", "today")
STORY_COLUMNS = ["cluster", *STORY_PARTS]


def lines(value: str | list[str] | None) -> list[str]:
    """One item per line of a text area (or the items of a list), blank lines dropped."""
    values = value if isinstance(value, (list, tuple)) else (value or "").splitlines()
    return [line.strip() for line in values if line and line.strip()]


def kind_options() -> dict[str, dict[str, str]]:
    """Event kinds with their names in ru/kk/en (a pasted name is read as its kind)."""
    return {k: strings()[f"roadmap.event.{k}"] for k in EVENT_KINDS}


def set_platform(
    project: Project,
    catalogue: Catalogue,
    narrative: str,
    values: str | list[str],
    inside: str | list[str],
    outside: str | list[str],
) -> Edit:
    """The brand platform: the narrative, and values and audiences one per line."""
    promotion = project.promotion.model_copy(
        update={
            "narrative": (narrative or "").strip(),
            "values": lines(values),
            "audiences_inside": lines(inside),
            "audiences_outside": lines(outside),
        }
    )
    return edits.finish(project, {"promotion": promotion}, catalogue)


# --- stories ------------------------------------------------------------------------------------


def story_rows(project: Project) -> list[dict[str, Any]]:
    """The stories told so far, then an empty one for each accepted cluster that has none yet."""
    told = {s.cluster for s in project.promotion.stories}
    return [{"cluster": s.cluster, **{k: getattr(s, k) for k in STORY_PARTS}} for s in project.promotion.stories] + [
        {"cluster": c.id, **{k: "" for k in STORY_PARTS}}
        for c in project.clusters
        if c.status == "accepted" and c.id not in told
    ]


def story_prompt(project: Project, cluster_id: str) -> str:
    """The identity elements a cluster's story is built from, as a reminder beside the table."""
    cluster = next((c for c in project.clusters if c.id == cluster_id), None)
    names = {e.id: e.name for e in project.identity_elements}
    return "; ".join(names.get(e, e) for e in cluster.identity_elements) if cluster else ""


def _story(row: dict[str, Any], n: int | None, project: Project) -> tuple[Story | None, list[Issue]]:
    clusters = {c.id: c.name for c in project.clusters}
    try:
        cluster = choice(row.get("cluster"), clusters)
    except ValueError:
        label = text(row.get("cluster"))
        return None, [Issue(code="choice", values={"value": label}, row=n, item=label, path=("cluster",))]
    name = clusters.get(cluster) if cluster else None
    data = {"cluster": cluster or "", **{k: text(row.get(k)) for k in STORY_PARTS}}
    return edits.build(Story, data, row=n, item=name)


def set_stories(project: Project, catalogue: Catalogue, rows: list[dict[str, Any]]) -> Edit:
    """The stories table: one story per cluster (the cluster is the story's id). A row naming only its
    cluster is a story not told yet and is skipped, as is an empty row; a story without a cluster,
    with a cluster that does not exist, or a second story of one cluster refuses the table."""
    out: list[Story] = []
    issues: list[Issue] = []
    for n, row in enumerate(rows, start=1):
        if edits.is_blank_row(row, STORY_PARTS):
            continue
        story, found = _story(row, n, project)
        issues += found
        if story is None:
            continue
        if any(s.cluster == story.cluster for s in out):
            issues.append(
                Issue(
                    code="story_twice",
                    row=n,
                    item=next((c.name for c in project.clusters if c.id == story.cluster), story.cluster),
                    path=("cluster",),
                )
            )
            continue
        out.append(story)
    promotion = project.promotion.model_copy(update={"stories": out})
    return edits.finish(project, {"promotion": promotion}, catalogue, issues)


def set_story(project: Project, catalogue: Catalogue, values: dict[str, Any]) -> Edit:
    """One cluster's story from the form (cluster, place, tradition, people, today): added, or
    replacing that cluster's story."""
    story, issues = _story(values, None, project)
    if story is None:
        return edits.refuse(project, issues)
    if not any(getattr(story, k).strip() for k in STORY_PARTS):
        return edits.refuse(project, [Issue(code="story_empty", path=("place",))])
    stories = [s for s in project.promotion.stories if s.cluster != story.cluster]
    at = next((i for i, s in enumerate(project.promotion.stories) if s.cluster == story.cluster), len(stories))
    stories.insert(at, story)
    return edits.finish(project, {"promotion": project.promotion.model_copy(update={"stories": stories})}, catalogue)


# --- events -------------------------------------------------------------------------------------


def event_key(event: Event) -> str:
    """An event's identity in the table (events have no id of their own): its start and name as saved."""
    return f"{event.start.isoformat()}|{event.name}"


def event_rows(project: Project) -> list[dict[str, Any]]:
    return [
        {
            "id": event_key(e),
            "name": e.name,
            "kind": e.kind,
            "start": e.start,
            "end": e.end,
            "venue": e.venue,
            "municipality": e.municipality or "",
            "audience": e.audience,
            "cluster": e.cluster,
        }
        for e in sorted(project.promotion.events, key=lambda e: e.start)
    ]


def _event(row: dict[str, Any], n: int | None, old: Event | None, project: Project) -> tuple[Event | None, list[Issue]]:
    name = text(row.get("name"))
    issues: list[Issue] = []

    def cell(column: str, read, code: str) -> Any:
        try:
            return read(row.get(column))
        except (ValueError, TypeError):
            issues.append(
                Issue(code=code, values={"value": text(row.get(column))}, row=n, item=name or None, path=(column,))
            )
            return None

    clusters = {c.id: c.name for c in project.clusters}
    cluster = cell("cluster", lambda v: choice(v, clusters), "choice")
    kind = cell("kind", lambda v: choice(v, kind_options()), "choice")
    start, end = cell("start", day, "a_date"), cell("end", day, "a_date")
    if issues:
        return None, issues
    data = {
        "name": name,
        "kind": kind or "other",
        "start": start,
        "end": end,
        "venue": text(row.get("venue")),
        "municipality": text(row.get("municipality")) or None,
        "audience": text(row.get("audience")),
        "cluster": cluster,
        "provenance": old.provenance.model_dump() if old else {"basis": "user"},
    }
    event, found = edits.build(
        Event, {k: v for k, v in data.items() if k != "start" or v is not None}, row=n, item=name or None
    )
    if event is not None and event.end is not None and event.end < event.start:
        return None, [
            Issue(
                code="end_before_start",
                row=n,
                item=name,
                path=("end",),
                values={"start": event.start.isoformat(), "end": event.end.isoformat()},
            )
        ]
    return event, found


def set_events(project: Project, catalogue: Catalogue, rows: list[dict[str, Any]]) -> Edit:
    """The events calendar as the table holds it (sorted by start): rows matched to saved events by
    their hidden key, so an edited event keeps its provenance; empty rows skipped, a bad row refuses."""
    out: list[Event] = []
    issues: list[Issue] = []
    for n, row, old in edits.match_by_id(rows, project.promotion.events, key=event_key):
        if edits.is_blank_row(row, [c for c in EVENT_COLUMNS if c != "id"]):
            continue
        event, found = _event(row, n, old, project)
        issues += found
        if event is not None:
            out.append(event)
    promotion = project.promotion.model_copy(update={"events": sorted(out, key=lambda e: e.start)})
    return edits.finish(project, {"promotion": promotion}, catalogue, issues)


def add_event(project: Project, catalogue: Catalogue, values: dict[str, Any]) -> Edit:
    """One event from the form (name, kind, start, end, venue, municipality, audience, cluster)."""
    event, issues = _event(values, None, None, project)
    if event is None:
        return edits.refuse(project, issues)
    events = sorted([*project.promotion.events, event], key=lambda e: e.start)
    return edits.finish(project, {"promotion": project.promotion.model_copy(update={"events": events})}, catalogue)


def timeline_rows(
    project: Project, kind_label: dict[str, str], cluster_label: dict[str | None, str]
) -> list[dict[str, Any]]:
    """Events for charts.events_timeline."""
    return [
        {
            "name": e.name,
            "start": e.start.isoformat(),
            "end": (e.end or e.start).isoformat(),
            "cluster_label": cluster_label.get(e.cluster, e.cluster or "—"),
            "kind_label": kind_label[e.kind],
        }
        for e in sorted(project.promotion.events, key=lambda e: e.start)
    ]
