"""Bottlenecks of the ecosystem: support levels nobody provides (002, table "Measures"), actors the
network hangs on, and clusters without the Triple Helix of government, university and business (003,
Table 6)."""

from __future__ import annotations

from policy_engine.diagnostics.bottlenecks import KINDS, bottlenecks
from policy_engine.project.model import Cluster, Project, Tie
from policy_engine.project.sample import load_sample
from tests.diagnostics.factories import CRAFTS, DESIGN, MUSIC, actor, project


def helix_project(**changes) -> Project:
    """a (government) – b (university) – c (business): b is the only path between a and c.
    Folk crafts (high significance) has federal and regional actors but no municipal one."""
    parts = {
        "actors": [
            actor("a", "government", "regional", [CRAFTS]),
            actor("b", "university", "regional", [MUSIC]),
            actor("c", "business", "federal", [CRAFTS]),
            actor("d", "community", "municipal", [DESIGN]),
        ],
        "ties": [
            Tie(source="a", target="b", strength=3),
            Tie(source="b", target="c", strength=3),
            Tie(source="d", target="a", strength=1),
            Tie(source="d", target="c", strength=1),
        ],
        "clusters": [Cluster(id="crafts", name="Crafts", industries=[CRAFTS], lead_actors=["a"])],
    }
    parts.update(changes)
    return project(**parts)


def of_kind(found, kind):
    return [b for b in found if b.kind == kind]


def test_articulation_point_of_a_path(catalogue):
    p = helix_project(
        actors=[
            actor("a", "government", "regional"),
            actor("b", "university", "regional"),
            actor("c", "business", "regional"),
        ],
        ties=[Tie(source="a", target="b", strength=3), Tie(source="b", target="c", strength=3)],
        clusters=[],
    )
    found = of_kind(bottlenecks(p, catalogue), "articulation_actor")
    assert [b.subject for b in found] == ["b"]
    assert "2 disconnected groups" in found[0].message and found[0].message.startswith("B ")


def test_a_cycle_has_no_articulation_point(catalogue):
    assert of_kind(bottlenecks(helix_project(), catalogue), "articulation_actor") == []  # a-b-c-d-a is a ring


def test_cluster_missing_a_university(catalogue):
    found = of_kind(bottlenecks(helix_project(), catalogue), "incomplete_helix")
    # partners: lead a (government) and c (business, lists crafts); b is a university but works in music
    assert [b.subject for b in found] == ["crafts"]
    assert "no university partner" in found[0].message
    assert "government" not in found[0].message.split(";")[0]


def test_a_university_in_the_industry_completes_the_helix(catalogue):
    actors = helix_project().actors
    actors[1] = actor("b", "university", "regional", [CRAFTS])
    assert of_kind(bottlenecks(helix_project(actors=actors), catalogue), "incomplete_helix") == []


def test_a_lead_actor_counts_as_partner_even_outside_the_industry(catalogue):
    p = helix_project()
    p.clusters = [Cluster(id="crafts", name="Crafts", industries=[CRAFTS], lead_actors=["a", "b"])]  # b: music
    assert of_kind(bottlenecks(p, catalogue), "incomplete_helix") == []


def test_bottlenecks_are_ordered_by_kind_then_subject(catalogue):
    p = helix_project(
        clusters=[Cluster(id="zeta", name="Z", industries=[CRAFTS]), Cluster(id="alpha", name="A", industries=[CRAFTS])]
    )
    found = bottlenecks(p, catalogue)
    assert [(b.kind, b.subject) for b in found] == [
        ("missing_level_support", CRAFTS),
        ("incomplete_helix", "alpha"),
        ("incomplete_helix", "zeta"),
    ]


def test_industry_missing_municipal_support(catalogue):
    found = of_kind(bottlenecks(helix_project(), catalogue), "missing_level_support")
    # only the clusters' industries are checked; crafts has federal (c) and regional (a), not municipal
    assert [b.subject for b in found] == [CRAFTS]
    assert "municipal" in found[0].message and "federal" not in found[0].message


def test_without_clusters_every_industry_is_checked(catalogue):
    found = of_kind(bottlenecks(helix_project(clusters=[]), catalogue), "missing_level_support")
    subjects = {b.subject for b in found}
    assert {"book_publishing", MUSIC, CRAFTS} <= subjects
    assert len(subjects) == 16  # no industry has an actor at every level it needs here


def test_sample_bottlenecks_are_sorted_and_repeatable(sample, catalogue):
    found = bottlenecks(sample, catalogue)
    assert found == bottlenecks(load_sample("east-kazakhstan"), catalogue)
    assert found == sorted(found, key=lambda b: (KINDS.index(b.kind), b.subject))
    assert {b.kind for b in found} == set(KINDS)
    # the drama theatre's only tie is to the Department of Culture, so the department holds it on
    assert "dept_culture" in {b.subject for b in of_kind(found, "articulation_actor")}
    stage = [b for b in of_kind(found, "incomplete_helix") if b.subject == "oskemen-stage"]
    assert len(stage) == 1 and "university or business" in stage[0].message
    assert all(b.message for b in found)


def test_findings_in_kazakh(sample, catalogue):
    kk = bottlenecks(sample, catalogue, lang="kk")
    assert len(kk) == len(bottlenecks(sample, catalogue))
    assert any("аудандық және қалалық" in b.message for b in kk if b.kind == "missing_level_support")
