"""Growth points, thematic clusters, relatedness and bottlenecks (iteration 2 of the method, 002).

The relatedness and growth numbers below are worked out by hand in the comments, so a change in a
formula shows up as a wrong number, not as a test that agrees with whatever the code says.
"""

from __future__ import annotations

import pytest
import yaml

from policy_engine.diagnostics.bottlenecks import KINDS, bottlenecks
from policy_engine.diagnostics.graphs import actor_graph, identity_graph, spring_positions
from policy_engine.diagnostics.growth_points import (
    WEIGHTS_PATH,
    GrowthWeights,
    growth_points,
    load_weights,
    project_cells,
)
from policy_engine.diagnostics.location_quotients import LqCell
from policy_engine.diagnostics.proposals import proposal_to_cluster, propose_clusters
from policy_engine.diagnostics.relatedness import density, proximity, specialization
from policy_engine.project.model import Actor, Cluster, IdentityElement, Project, Region, Scores, Tie, check_references
from policy_engine.project.sample import load_sample
from policy_engine.seedfile import SeedError

CRAFTS, DESIGN, MUSIC = "folk_crafts", "design", "music"


def cell(muni: str, industry: str, lq: float | None) -> LqCell:
    return LqCell(municipality=muni, industry=industry, firms=1, employees=10, lq=lq)


def element(id_: str, scores: tuple[int, int, int], industries: list[str], name: str | None = None) -> IdentityElement:
    u, r, v = scores
    return IdentityElement(
        id=id_,
        name=name or id_.title(),
        component="material",
        layer="cultural",
        scores=Scores(uniqueness=u, recognition=r, vitality=v),
        industries=industries,
    )


def actor(id_: str, sector: str, level: str, industries: list[str] = ()) -> Actor:
    return Actor(id=id_, name=id_.upper(), sector=sector, level=level, industries=list(industries))


def project(**parts) -> Project:
    return Project(id="t", region=Region(name="R", country="RU"), **parts)


# --- relatedness: a 4 municipalities × 3 industries register, solved by hand ----------------------
#
#          folk_crafts  design  music       specialized (LQ >= 1)
#   A         1.4        1.2     0.6        crafts, design
#   B         1.0        2.5     0.9        crafts, design      (1.0 is on the boundary: counts)
#   C         1.1        0.99    1.3        crafts, music       (0.99 does not count)
#   D         0.5        None    3.0        music               (None is ignored; non_creative too)
#
#   M_crafts = {A, B, C}, M_design = {A, B}, M_music = {C, D}
REGISTER = [
    cell("A", CRAFTS, 1.4),
    cell("A", DESIGN, 1.2),
    cell("A", MUSIC, 0.6),
    cell("B", CRAFTS, 1.0),
    cell("B", DESIGN, 2.5),
    cell("B", MUSIC, 0.9),
    cell("C", CRAFTS, 1.1),
    cell("C", DESIGN, 0.99),
    cell("C", MUSIC, 1.3),
    cell("D", CRAFTS, 0.5),
    cell("D", DESIGN, None),
    cell("D", MUSIC, 3.0),
    cell("D", "non_creative", 1.8),
]


def test_specialization_uses_lq_of_at_least_one_and_ignores_non_creative():
    assert specialization(REGISTER) == {
        "A": {CRAFTS, DESIGN},
        "B": {CRAFTS, DESIGN},
        "C": {CRAFTS, MUSIC},
        "D": {MUSIC},
    }


@pytest.mark.parametrize(
    "i, j, phi",
    [
        (CRAFTS, DESIGN, 2 / 3),  # |{A,B,C} ∩ {A,B}| / max(3, 2) = 2/3
        (CRAFTS, MUSIC, 1 / 3),  # |{A,B,C} ∩ {C,D}| / max(3, 2) = 1/3
        (DESIGN, MUSIC, 0.0),  # |{A,B} ∩ {C,D}| / max(2, 2) = 0/2
    ],
)
def test_proximity_by_hand(i, j, phi):
    result = proximity(REGISTER)
    assert result[(i, j)] == pytest.approx(phi)
    assert result[(j, i)] == pytest.approx(phi)  # symmetric, both orders present


def test_proximity_has_only_creative_pairs_of_distinct_industries():
    assert set(proximity(REGISTER)) == {
        (i, j) for i in (CRAFTS, DESIGN, MUSIC) for j in (CRAFTS, DESIGN, MUSIC) if i != j
    }


# density ω_mi = Σ_{j≠i} x_mj φ_ij / Σ_{j≠i} φ_ij
#   crafts: denominator φ(c,d) + φ(c,m) = 2/3 + 1/3 = 1
#     A: x_d=1, x_m=0 -> 2/3    B: same -> 2/3    C: x_d=0, x_m=1 -> 1/3    D: x_d=0, x_m=1 -> 1/3
#   design: denominator φ(d,c) + φ(d,m) = 2/3 + 0 = 2/3, numerator x_c · 2/3 -> x_c: A 1, B 1, C 1, D 0
#   music:  denominator φ(m,c) + φ(m,d) = 1/3 + 0 = 1/3, numerator x_c · 1/3 -> x_c: A 1, B 1, C 1, D 0
@pytest.mark.parametrize(
    "muni, industry, omega",
    [
        ("A", CRAFTS, 2 / 3),
        ("B", CRAFTS, 2 / 3),
        ("C", CRAFTS, 1 / 3),
        ("D", CRAFTS, 1 / 3),
        ("A", DESIGN, 1.0),
        ("B", DESIGN, 1.0),
        ("C", DESIGN, 1.0),
        ("D", DESIGN, 0.0),
        ("A", MUSIC, 1.0),
        ("B", MUSIC, 1.0),
        ("C", MUSIC, 1.0),
        ("D", MUSIC, 0.0),
    ],
)
def test_density_by_hand(muni, industry, omega):
    assert density(REGISTER)[(muni, industry)] == pytest.approx(omega)


def test_density_covers_every_municipality_and_creative_industry():
    assert set(density(REGISTER)) == {(m, i) for m in "ABCD" for i in (CRAFTS, DESIGN, MUSIC)}


def test_empty_register():
    assert specialization([]) == {} and proximity([]) == {} and density([]) == {}


def test_no_specialization_anywhere_gives_zero_proximity_and_density():
    cells = [cell("A", CRAFTS, 0.9), cell("A", MUSIC, 0.5), cell("B", CRAFTS, None), cell("B", MUSIC, 0.99)]
    assert specialization(cells) == {"A": set(), "B": set()}
    assert proximity(cells) == {(CRAFTS, MUSIC): 0.0, (MUSIC, CRAFTS): 0.0}
    assert density(cells) == {("A", CRAFTS): 0.0, ("A", MUSIC): 0.0, ("B", CRAFTS): 0.0, ("B", MUSIC): 0.0}


def test_single_industry_has_no_pairs_and_zero_density():
    cells = [cell("A", CRAFTS, 1.5), cell("B", CRAFTS, 0.5)]
    assert proximity(cells) == {}
    assert density(cells) == {("A", CRAFTS): 0.0, ("B", CRAFTS): 0.0}


# --- graphs ----------------------------------------------------------------------------------------


def two_groups() -> Project:
    """Crafts and design share two elements; music and performing arts share two others; nothing
    links the groups. One element has no industry at all. In each group the weaker element's id
    sorts first, so ordering by id instead of strength would show."""
    return project(
        identity_elements=[
            element("amulet", (4, 4, 4), [CRAFTS, DESIGN]),  # strength 4
            element("felt", (5, 5, 5), [CRAFTS, DESIGN], name="Felt"),  # 5
            element("anthem", (3, 3, 3), [MUSIC, "performing_arts"]),  # 3
            element("dombra", (4, 4, 4), [MUSIC, "performing_arts"], name="Dombra"),  # 4
            element("lonely", (2, 2, 2), []),
        ]
    )


def test_identity_graph_is_bipartite_and_weighted_by_strength():
    p = two_groups()
    p.identity_elements[1] = element("felt", (5, 4, 3), [CRAFTS, DESIGN], name="Felt")  # strength 4.0
    g = identity_graph(p)
    assert g.nodes["el:felt"] == {"kind": "element", "label": "Felt", "strength": 4.0}
    assert g.nodes["ind:folk_crafts"]["kind"] == "industry"
    assert g.edges["el:felt", "ind:design"]["weight"] == 4.0
    assert "el:lonely" in g and g.degree("el:lonely") == 0
    assert g.number_of_edges() == 8
    assert not g.has_edge("el:felt", "ind:music")


def test_actor_graph_keeps_the_strongest_parallel_tie_and_skips_unknown_actors():
    p = project(
        actors=[actor("a", "government", "regional"), actor("b", "business", "municipal")],
        ties=[
            Tie(source="a", target="b", strength=4),
            Tie(source="b", target="a", strength=2),
            Tie(source="a", target="ghost", strength=5),
            Tie(source="a", target="a", strength=5),
        ],
    )
    g = actor_graph(p)
    assert set(g.nodes) == {"a", "b"}
    assert g.edges["a", "b"]["weight"] == 4
    assert g.nodes["b"] == {"label": "B", "sector": "business", "level": "municipal", "municipality": None}
    assert g.number_of_edges() == 1


def test_spring_positions_are_seeded_and_cover_every_node(sample):
    g = actor_graph(sample)
    pos = spring_positions(g, seed=7)
    assert set(pos) == set(g.nodes)
    assert pos == spring_positions(g, seed=7)
    assert all(isinstance(x, float) and isinstance(y, float) for x, y in pos.values())
    assert spring_positions(g, seed=8) != pos
    assert spring_positions(actor_graph(project())) == {}


# --- thematic clusters -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 42])
def test_two_separate_groups_become_two_proposals(seed):
    proposals = propose_clusters(two_groups(), seed=seed)
    assert [(p.id, p.industries, p.identity_elements, p.name, p.score) for p in proposals] == [
        ("proposal-1", [DESIGN, CRAFTS], ["felt", "amulet"], "Felt cluster", 18.0),  # 5 + 5 + 4 + 4
        ("proposal-2", [MUSIC, "performing_arts"], ["dombra", "anthem"], "Dombra cluster", 14.0),  # 4 + 4 + 3 + 3
    ]
    assert all(p.explanation for p in proposals)


def test_proposal_names_industries_from_the_catalogue(catalogue):
    first = propose_clusters(two_groups(), catalogue=catalogue)[0]
    assert "Design, Folk arts and crafts" in first.explanation[0]


def test_no_links_no_proposals():
    assert propose_clusters(project(identity_elements=[element("lonely", (2, 2, 2), [])])) == []
    assert propose_clusters(project()) == []


def test_proposal_becomes_a_valid_proposed_cluster(catalogue):
    proposal = propose_clusters(two_groups())[0]
    cluster = proposal_to_cluster(proposal)
    assert isinstance(cluster, Cluster) and cluster.status == "proposed"
    assert (cluster.id, cluster.industries, cluster.identity_elements) == (
        "proposal-1",
        [DESIGN, CRAFTS],
        ["felt", "amulet"],
    )
    p = two_groups()
    p.clusters = [cluster]
    assert check_references(p, catalogue) == []


def test_proposals_on_the_sample_are_deterministic_and_partition_the_linked_industries(sample):
    first = propose_clusters(sample, seed=42)
    assert first == propose_clusters(sample, seed=42)
    assert first == propose_clusters(load_sample("east-kazakhstan"), seed=42)
    industries = [i for p in first for i in p.industries]
    assert len(industries) == len(set(industries))
    assert set(industries) == {i for e in sample.identity_elements for i in e.industries}
    assert [p.score for p in first] == sorted((p.score for p in first), reverse=True)
    assert [p.id for p in first] == [f"proposal-{k}" for k in range(1, len(first) + 1)]


# --- growth points -------------------------------------------------------------------------------


def test_weights_file_is_loaded_and_cites_a_known_source(catalogue):
    w = load_weights()
    assert {k: c.weight for k, c in w.components.items()} == {
        "identity": 0.30,
        "specialization": 0.25,
        "relatedness": 0.15,
        "growth": 0.15,
        "support": 0.15,
    }
    assert all(c.description for c in w.components.values())
    assert catalogue.source(w.source.doc).id == "genius_loci"


def _write_weights(tmp_path, change):
    data = yaml.safe_load(WEIGHTS_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "growth_points.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["components"]["identity"].update(weight=0.40), "add up to 1, they add up to 1.1"),
        (lambda d: d["components"].pop("growth"), "components missing: growth"),
        (lambda d: d["components"]["support"].update(note="x"), "components.support.note"),
        (lambda d: d.update(extra=1), "field extra"),
        (lambda d: d.pop("source"), "field source"),
    ],
)
def test_a_bad_weights_file_is_refused(tmp_path, change, message):
    with pytest.raises(SeedError, match="growth_points.yaml") as err:
        load_weights(_write_weights(tmp_path, change))
    assert message in str(err.value)


def test_growth_points_on_the_sample(sample, catalogue):
    points = growth_points(sample, catalogue)
    assert sorted(p.industry for p in points) == sorted(i.id for i in catalogue.industries)
    assert [p.rank for p in points] == list(range(1, 17))
    assert all(0 <= p.score <= 1 for p in points)
    assert [p.score for p in points] == sorted((p.score for p in points), reverse=True)
    for p in points:
        assert set(p.components) == {"identity", "specialization", "relatedness", "growth", "support"}
        assert all(0 <= v <= 1 for v in p.components.values())
        assert len(p.reasons) == 5 and all(r.strip() for r in p.reasons)
        assert "no growth data" in p.reasons[3].lower()
    linked = {i for e in sample.identity_elements for i in e.industries}
    employed = {r.industry for r in sample.economy.employment}
    bare = {i.id for i in catalogue.industries} - linked - employed
    assert bare, "the sample should have industries with neither identity links nor employment"
    by_id = {p.industry: p for p in points}
    backed = linked & employed  # industries with both identity links and local employment
    assert all(by_id[i].score < min(by_id[j].score for j in backed) for i in bare)
    assert all(by_id[i].components["identity"] == by_id[i].components["specialization"] == 0 for i in bare)


def test_without_cells_the_sample_uses_its_own_employment(sample, catalogue):
    points = {p.industry: p for p in growth_points(sample, catalogue)}
    assert points[CRAFTS].components["specialization"] > 0
    assert growth_points(sample, catalogue) == growth_points(sample, catalogue, cells=project_cells(sample))
    empty = {p.industry: p for p in growth_points(sample, catalogue, cells=[])}
    assert empty[CRAFTS].components["specialization"] == 0
    assert "No employment data" in empty[CRAFTS].reasons[1]


# A tiny region, scored by hand with the weights 0.30 / 0.25 / 0.15 / 0.15 / 0.15.
#   identity:       Felt (5,4,3) = 4.0 and Songs (3,3,3) = 3.0 -> 7.0 / 15 = 0.4667
#   specialization: highest LQ of crafts 1.6 (A) -> 1.6 / 2 = 0.8
#   relatedness:    M_crafts = {A,B}, M_music = {A}, M_design = {B}
#                   φ(c,m) = 1/max(2,1) = 1/2, φ(c,d) = 1/2
#                   ω_A,crafts = (1·½ + 0·½) / 1 = ½, ω_B,crafts = (0·½ + 1·½) / 1 = ½ -> 0.5
#   growth:         20 % -> 0.2 / 0.5 = 0.4
#   support:        crafts is high (audit of 2 is too thin to move it): federal, regional, municipal;
#                   actors list crafts at federal and municipal level only -> 2/3
#   score = 0.30·7/15 + 0.25·0.8 + 0.15·0.5 + 0.15·0.4 + 0.15·2/3 = 0.14 + 0.2 + 0.075 + 0.06 + 0.1 = 0.575
# music (medium: federal + regional; a regional actor only -> 1/2):
#   0.30·3/15 + 0.25·(1.1/2) + 0.15·1 [ω_A,music = x_A,crafts = 1] + 0 + 0.15·1/2 = 0.4225
# design (low: federal; its only actor is regional -> 0):
#   0 + 0.25·(1.4/2) + 0.15·1 [ω_B,design = x_B,crafts = 1] + 0 + 0 = 0.325
def tiny() -> Project:
    return project(
        identity_elements=[
            element("felt", (5, 4, 3), [CRAFTS], name="Felt"),
            element("songs", (3, 3, 3), [CRAFTS, MUSIC], name="Songs"),
        ],
        actors=[
            actor("fed", "government", "federal", [CRAFTS]),
            actor("reg", "government", "regional", [DESIGN, MUSIC]),
            actor("mun", "community", "municipal", [CRAFTS]),
        ],
    )


TINY_CELLS = [
    cell("A", CRAFTS, 1.6),
    cell("A", MUSIC, 1.1),
    cell("A", DESIGN, 0.5),
    cell("B", CRAFTS, 1.2),
    cell("B", MUSIC, 0.7),
    cell("B", DESIGN, 1.4),
]


def test_growth_score_by_hand(catalogue):
    points = growth_points(tiny(), catalogue, cells=TINY_CELLS, growth={CRAFTS: 0.2})
    top = points[0]
    assert top.industry == CRAFTS and top.rank == 1
    assert top.components == {
        "identity": 0.4667,
        "specialization": 0.8,
        "relatedness": 0.5,
        "growth": 0.4,
        "support": 0.6667,
    }
    assert top.score == pytest.approx(0.575, abs=1e-4)
    assert [(p.industry, p.score) for p in points[1:3]] == [
        (MUSIC, pytest.approx(0.4225, abs=1e-4)),
        (DESIGN, pytest.approx(0.325, abs=1e-4)),
    ]
    assert top.reasons[0].startswith("2 identity elements are linked (total strength 7")
    assert "1.60, in A" in top.reasons[1]
    assert "missing: regional" in top.reasons[4]


@pytest.mark.parametrize("rate, expected", [(-0.1, 0.0), (0.0, 0.0), (0.25, 0.5), (0.5, 1.0), (0.8, 1.0)])
def test_growth_is_clipped_to_half_and_scaled(catalogue, rate, expected):
    points = {p.industry: p for p in growth_points(tiny(), catalogue, cells=TINY_CELLS, growth={CRAFTS: rate})}
    assert points[CRAFTS].components["growth"] == expected
    assert "no growth data" in points[MUSIC].reasons[3].lower()  # music is not in the growth data


def test_weights_passed_in_are_used(catalogue):
    only_identity = GrowthWeights.model_validate(
        {
            "description": "identity only",
            "source": {"doc": "genius_loci", "locator": "test"},
            "components": {
                c: {"weight": 1.0 if c == "identity" else 0.0, "description": "x"}
                for c in ("identity", "specialization", "relatedness", "growth", "support")
            },
        }
    )
    points = {p.industry: p for p in growth_points(tiny(), catalogue, cells=TINY_CELLS, weights=only_identity)}
    assert points[CRAFTS].score == pytest.approx(7 / 15, abs=1e-4)
    assert points[DESIGN].score == 0


# --- bottlenecks -----------------------------------------------------------------------------------


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


def test_reasons_and_findings_in_russian_and_kazakh(sample, catalogue):
    ru = {p.industry: p for p in growth_points(sample, catalogue, lang="ru")}
    en = {p.industry: p for p in growth_points(sample, catalogue)}
    assert [p.score for p in ru.values()] == [p.score for p in en.values()]  # same numbers, other words
    assert ru["folk_crafts"].reasons[0].startswith("Связано элементов идентичности: 3")
    assert "высокая" in ru["folk_crafts"].reasons[4]
    kk = bottlenecks(sample, catalogue, lang="kk")
    assert len(kk) == len(bottlenecks(sample, catalogue))
    assert any("аудандық және қалалық" in b.message for b in kk if b.kind == "missing_level_support")
    proposal = propose_clusters(sample, catalogue=catalogue, lang="ru")[0]
    assert proposal.name.startswith("Кластер «") and "сообщества Лувена" in proposal.explanation[0]
