"""Promotion (iteration 5), "the story, not the product": the brand platform, a story per cluster
built from its identity elements, and the events calendar, as tables people edit."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .cells import blank, day, field_errors, text
from .project import Event, Project, Story

KINDS = ("festival", "exhibition", "market", "forum", "competition", "other")
EVENT_COLUMNS = ("name", "kind", "start", "end", "venue", "municipality", "audience", "cluster")


def lines(text: str) -> list[str]:
    """One item per line of a text area, blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def story_rows(project: Project) -> list[dict[str, Any]]:
    """One row per accepted cluster, with its story so far (empty for a cluster without one)."""
    stories = {s.cluster: s for s in project.promotion.stories}
    return [{"cluster": c.id, "place": stories[c.id].place if c.id in stories else "",
             "tradition": stories[c.id].tradition if c.id in stories else "",
             "people": stories[c.id].people if c.id in stories else "",
             "today": stories[c.id].today if c.id in stories else ""}
            for c in project.clusters if c.status == "accepted"]


def story_prompt(project: Project, cluster_id: str) -> str:
    """The identity elements a cluster's story is built from, as a reminder beside the table."""
    cluster = next((c for c in project.clusters if c.id == cluster_id), None)
    names = {e.id: e.name for e in project.identity_elements}
    return "; ".join(names.get(e, e) for e in cluster.identity_elements) if cluster else ""


def stories_from_rows(rows: list[dict[str, Any]]) -> list[Story]:
    parts = ("place", "tradition", "people", "today")
    return [Story(cluster=r["cluster"], **{k: text(r.get(k)) for k in parts})
            for r in rows if any(text(r.get(k)) for k in parts)]


def event_rows(project: Project) -> list[dict[str, Any]]:
    return [{"name": e.name, "kind": e.kind, "start": e.start, "end": e.end, "venue": e.venue,
             "municipality": e.municipality or "", "audience": e.audience, "cluster": e.cluster}
            for e in sorted(project.promotion.events, key=lambda e: e.start)]


def events_from_rows(rows: list[dict[str, Any]], project: Project) -> tuple[list[Event], list[str]]:
    """Rows of the editor -> events (keeping provenance of unchanged ones), one message per bad row."""
    old = {(e.name, e.start): e for e in project.promotion.events}
    clusters = {c.id for c in project.clusters}
    out, errors = [], []
    for n, row in enumerate(rows, start=1):
        name = text(row.get("name"))
        if not name and blank(row.get("start")):
            continue
        cluster = text(row.get("cluster")) or None
        if cluster is not None and cluster not in clusters:
            errors.append(f"row {n} ({name}): unknown cluster {cluster}")
            continue
        try:
            start, end = day(row.get("start")), day(row.get("end"))
            if end is not None and start is not None and end < start:
                raise ValueError(f"end {end} is before start {start}")
            before = old.get((name, start))
            out.append(Event(name=name, kind=row.get("kind") or "other", start=start, end=end,
                             venue=text(row.get("venue")), municipality=text(row.get("municipality")) or None,
                             audience=text(row.get("audience")), cluster=cluster,
                             provenance=before.provenance if before else {"basis": "user"}))
        except ValidationError as exc:
            errors.append(f"row {n} ({name}): {field_errors(exc)}")
        except ValueError as exc:
            errors.append(f"row {n} ({name}): {exc}")
    return sorted(out, key=lambda e: e.start), errors


def timeline_rows(project: Project, kind_label: dict[str, str], cluster_label: dict[str | None, str]
                  ) -> list[dict[str, Any]]:
    """Events for charts.events_timeline."""
    return [{"name": e.name, "start": e.start.isoformat(), "end": (e.end or e.start).isoformat(),
             "cluster_label": cluster_label.get(e.cluster, e.cluster or "—"), "kind_label": kind_label[e.kind]}
            for e in sorted(project.promotion.events, key=lambda e: e.start)]
