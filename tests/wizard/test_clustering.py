"""Iteration 2's edit operations: accept once, add, save by id, and delete or merge without leaving
anything that names a cluster that is gone (validation.references finds none)."""

from __future__ import annotations

from policy_engine.diagnostics.proposals import propose_clusters
from policy_engine.project.model import Project, Region
from policy_engine.project.validation import references
from policy_engine.wizard import clustering


def test_a_proposal_is_accepted_once(sample, catalogue):
    proposals = propose_clusters(sample, catalogue=catalogue, lang="ru")
    fresh = next(p for p in proposals if clustering.accept_proposal(sample, catalogue, p).ok)
    first = clustering.accept_proposal(sample, catalogue, fresh)
    assert first.changed and first.project.clusters[-1].status == "accepted"
    again = clustering.accept_proposal(first.project, catalogue, fresh)
    assert not again.ok and [i.code for i in again.issues] == ["already_accepted"]
    assert again.project == first.project


def test_delete_cascades_and_leaves_no_dangling_reference(sample, catalogue):
    gone = next(c for c in sample.clusters if clustering.cluster_dependents(sample, c.id))
    deps = clustering.cluster_dependents(sample, gone.id)
    edit = clustering.delete_cluster(sample, catalogue, gone.id)
    assert edit.ok and edit.changed
    p = edit.project
    assert gone.id not in {c.id for c in p.clusters}
    assert references(p, catalogue) == []
    assert all(m.cluster != gone.id for m in p.measures)
    # its pilots and events stay, region-wide; its story goes
    assert [x.name for x in p.pilots if x.name in deps.get("pilots", [])] == deps.get("pilots", [])
    assert all(x.cluster is None for x in p.pilots if x.name in deps.get("pilots", []))
    assert all(s.cluster != gone.id for s in p.promotion.stories)
    assert len(p.promotion.events) == len(sample.promotion.events)


def test_merge_moves_everything_to_the_cluster_it_is_merged_into(sample, catalogue):
    into, other = sample.clusters[0], sample.clusters[1]
    edit = clustering.merge_clusters(sample, catalogue, into.id, other.id)
    assert edit.ok
    p = edit.project
    (merged,) = [c for c in p.clusters if c.id == into.id]
    assert set(merged.industries) == set(into.industries) | set(other.industries)
    assert other.id not in {c.id for c in p.clusters}
    assert references(p, catalogue) == []
    moved = [x.name for x in sample.pilots if x.cluster == other.id]
    assert all(x.cluster == into.id for x in p.pilots if x.name in moved)
    pairs = [(m.measure, m.cluster) for m in p.measures]
    assert len(pairs) == len(set(pairs))  # a measure both clusters had is not doubled


def test_the_next_save_after_a_merge_changes_the_right_cluster(sample, catalogue):
    """Clusters are addressed by id: after a merge, saving the third cluster changes the third cluster."""
    third = sample.clusters[2]
    merged = clustering.merge_clusters(sample, catalogue, sample.clusters[0].id, sample.clusters[1].id).project
    edit = clustering.save_cluster(merged, catalogue, third.id, {"target_image": "Новый образ"})
    after = {c.id: c for c in edit.project.clusters}
    assert after[third.id].target_image == "Новый образ"
    assert after[third.id].industries == third.industries
    assert after[sample.clusters[0].id].target_image == merged.clusters[0].target_image


def test_merge_and_save_refuse_what_does_not_exist(sample, catalogue):
    c = sample.clusters[0].id
    assert [i.code for i in clustering.merge_clusters(sample, catalogue, c, c).issues] == ["merge_same"]
    assert [i.code for i in clustering.merge_clusters(sample, catalogue, c, "ghost").issues] == ["unknown_ref"]
    assert [i.code for i in clustering.save_cluster(sample, catalogue, "ghost", {}).issues] == ["unknown_ref"]


def test_a_cluster_by_hand_in_an_empty_project_and_its_anchor(catalogue):
    empty = Project(
        id="perm-krai", region=Region(name="Пермский край", country="RU", municipalities=[{"name": "Кудымкар"}])
    )
    edit = clustering.add_cluster(empty, catalogue, {"name": "Звериный стиль", "industries": ["folk_crafts"]})
    assert edit.ok and edit.project.clusters[0].id == "zverinyi-stil"
    cid = edit.project.clusters[0].id
    ok = clustering.save_cluster(edit.project, catalogue, cid, {"anchor_municipality": "Кудымкар"})
    assert ok.ok and ok.project.clusters[0].anchor_municipality == "Кудымкар"
    bad = clustering.save_cluster(edit.project, catalogue, cid, {"anchor_municipality": "Атлантида"})
    assert [i.code for i in bad.issues] == ["unknown_ref"]
    none = clustering.add_cluster(empty, catalogue, {"name": "Пусто", "industries": []})
    assert not none.ok and none.issues[0].text("ru").endswith("нужно выбрать хотя бы 1")


def test_undo_restores_the_project_before_a_delete(sample, catalogue):
    deleted = clustering.delete_cluster(sample, catalogue, sample.clusters[0].id).project
    undone = clustering.restore(deleted, catalogue, sample)
    assert undone.ok and undone.project == sample
