"""Iteration 2's edit operations: accepting, editing, adding, merging and deleting clusters.

A cluster is named by measures, pilots, stories, events and the review's decisions, so removing or
merging one must carry those along: `delete_cluster` and `merge_clusters` cascade (and
`cluster_dependents` lists what will move, for the page to ask before it happens). Clusters are
always addressed by id, never by their position on the page.
"""

from __future__ import annotations

from typing import Any

from policy_engine.diagnostics.proposals import ProposedCluster, proposal_to_cluster
from policy_engine.method.catalogue import Catalogue
from policy_engine.project.cells import slug, text
from policy_engine.project.edits import Edit, build, finish, refuse, unique_id
from policy_engine.project.issues import Issue
from policy_engine.project.model import Cluster, Project


def _find(project: Project, cluster_id: str) -> Cluster | None:
    return next((c for c in project.clusters if c.id == cluster_id), None)


def _missing(cluster_id: str) -> Issue:
    return Issue(code="unknown_ref", values={"kind": "cluster", "value": cluster_id})


def accepted_as(project: Project, proposal: ProposedCluster) -> Cluster | None:
    """The project's cluster that already holds this proposal (same industries and elements), if any."""
    return next(
        (
            c
            for c in project.clusters
            if set(c.industries) == set(proposal.industries)
            and set(c.identity_elements) == set(proposal.identity_elements)
        ),
        None,
    )


def accept_proposal(project: Project, catalogue: Catalogue, proposal: ProposedCluster) -> Edit:
    """A proposed cluster becomes the project's; the same proposal twice is refused."""
    taken = accepted_as(project, proposal)
    if taken is not None:
        return refuse(project, [Issue(code="already_accepted", values={"value": taken.name})])
    cluster = proposal_to_cluster(proposal)
    cluster = cluster.model_copy(
        update={"status": "accepted", "id": unique_id(cluster.id, {c.id for c in project.clusters})}
    )
    return finish(project, {"clusters": [*project.clusters, cluster]}, catalogue)


def add_cluster(project: Project, catalogue: Catalogue, values: dict[str, Any]) -> Edit:
    """A cluster the working group defines by hand (name, industries, and the rest of the form)."""
    name = text(values.get("name"))
    ident = unique_id(slug(name or "cluster").replace("_", "-"), {c.id for c in project.clusters})
    cluster, issues = build(
        Cluster, {**_cluster_fields(values), "id": ident, "name": name, "status": "accepted"}, item=name or None
    )
    return finish(project, {"clusters": [*project.clusters, cluster]} if cluster else project, catalogue, issues)


def _cluster_fields(values: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "name",
        "industries",
        "identity_elements",
        "target_image",
        "formation_type",
        "anchor_municipality",
        "lead_actors",
    )
    out = {k: values[k] for k in keys if k in values}
    for k in ("target_image",):
        if k in out:
            out[k] = text(out[k])
    for k in ("formation_type", "anchor_municipality"):
        if k in out:
            out[k] = text(out[k]) or None
    if "name" in out:
        out["name"] = text(out["name"])
    return out


def save_cluster(project: Project, catalogue: Catalogue, cluster_id: str, values: dict[str, Any]) -> Edit:
    """The cluster with this id, changed as the form says (an accepted cluster)."""
    old = _find(project, cluster_id)
    if old is None:
        return refuse(project, [_missing(cluster_id)])
    cluster, issues = build(
        Cluster,
        {**old.model_dump(), **_cluster_fields(values), "status": "accepted"},
        item=text(values.get("name")) or old.name,
    )
    if (
        cluster
        and cluster.anchor_municipality
        and project.region.municipalities
        and cluster.anchor_municipality not in {m.name for m in project.region.municipalities}
    ):
        issues.append(
            Issue(
                code="unknown_ref",
                path=("anchor_municipality",),
                item=cluster.name,
                values={"kind": "municipality", "value": cluster.anchor_municipality},
            )
        )
    clusters = [cluster if c.id == cluster_id else c for c in project.clusters]
    return finish(project, {"clusters": clusters} if cluster else project, catalogue, issues)


def cluster_dependents(project: Project, cluster_id: str) -> dict[str, list[str]]:
    """What names the cluster: measures, pilots, stories, events and review decisions (by their names
    or measure ids), for the page to show before a delete or a merge."""
    cat_free = {
        "measures": [m.measure for m in project.measures if m.cluster == cluster_id],
        "pilots": [p.name for p in project.pilots if p.cluster == cluster_id],
        "stories": [s.cluster for s in project.promotion.stories if s.cluster == cluster_id],
        "events": [e.name for e in project.promotion.events if e.cluster == cluster_id],
        "decisions": [
            d.measure for d in (project.review.decisions if project.review else []) if d.cluster == cluster_id
        ],
    }
    return {k: v for k, v in cat_free.items() if v}


def _reassign(project: Project, old: str, new: str | None) -> dict[str, Any]:
    """Every reference to cluster `old` moved to `new` (None: region-wide, or removed where a
    cluster is required), without making duplicates of what `new` already has."""
    measures, seen = [], {(m.measure, m.cluster) for m in project.measures if m.cluster != old}
    for m in project.measures:
        if m.cluster == old:
            if new is None or (m.measure, new) in seen:
                continue  # a measure chosen for the deleted cluster goes with it; a duplicate is dropped
            m = m.model_copy(update={"cluster": new})
            seen.add((m.measure, new))
        measures.append(m)
    pilots = [p.model_copy(update={"cluster": new}) if p.cluster == old else p for p in project.pilots]
    has_story = {s.cluster for s in project.promotion.stories if s.cluster != old}
    stories = [s for s in project.promotion.stories if s.cluster != old] + (
        [
            s.model_copy(update={"cluster": new})
            for s in project.promotion.stories
            if s.cluster == old and new is not None and new not in has_story
        ]
    )
    events = [e.model_copy(update={"cluster": new}) if e.cluster == old else e for e in project.promotion.events]
    promotion = project.promotion.model_copy(update={"stories": stories, "events": events})
    out: dict[str, Any] = {"measures": measures, "pilots": pilots, "promotion": promotion}
    if project.review is not None:
        decided, decisions = set(), []
        for d in project.review.decisions:
            if d.cluster == old:
                if new is None:
                    continue
                d = d.model_copy(update={"cluster": new})
            if (d.measure, d.cluster) in decided:
                continue
            decided.add((d.measure, d.cluster))
            decisions.append(d)
        out["review"] = project.review.model_copy(update={"decisions": decisions})
    return out


def delete_cluster(project: Project, catalogue: Catalogue, cluster_id: str) -> Edit:
    """Remove a cluster and what belongs only to it: its measures, its story and the review's decisions
    on them; its pilots and events stay, region-wide."""
    if _find(project, cluster_id) is None:
        return refuse(project, [_missing(cluster_id)])
    return finish(
        project,
        {"clusters": [c for c in project.clusters if c.id != cluster_id], **_reassign(project, cluster_id, None)},
        catalogue,
    )


def merge_clusters(project: Project, catalogue: Catalogue, into: str, other: str) -> Edit:
    """Merge cluster `other` into `into`: industries, elements and lead actors joined, and everything
    that named `other` now names `into`."""
    target, source = _find(project, into), _find(project, other)
    missing = [_missing(i) for i, c in ((into, target), (other, source)) if c is None]
    if missing:
        return refuse(project, missing)
    if into == other:
        return refuse(project, [Issue(code="merge_same", item=target.name)])
    merged = target.model_copy(
        update={
            "industries": list(dict.fromkeys(target.industries + source.industries)),
            "identity_elements": list(dict.fromkeys(target.identity_elements + source.identity_elements)),
            "lead_actors": list(dict.fromkeys(target.lead_actors + source.lead_actors)),
            "target_image": target.target_image or source.target_image,
        }
    )
    clusters = [merged if c.id == into else c for c in project.clusters if c.id != other]
    return finish(project, {"clusters": clusters, **_reassign(project, other, into)}, catalogue)


def restore(project: Project, catalogue: Catalogue, before: Project) -> Edit:
    """Undo: the project as it was before the last delete or merge (checked like any edit)."""
    if before.id != project.id or before.cycle != project.cycle:
        return refuse(project, [Issue(code="undo_stale")])
    return finish(project, before, catalogue)
