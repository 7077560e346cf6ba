"""Growth points: every industry ranked by identity, specialization, relatedness and support, with the
weights and the values that count as full read from seeds/growth_points.yaml through the catalogue
(tests/method/test_catalogue.py checks that file, tests/diagnostics/test_growth_points_data.py that
the score reads it). The tiny region below has its components worked out by hand in the comments, so
a change in a formula shows up as a wrong number."""

from __future__ import annotations

import pytest

from policy_engine.diagnostics.growth_points import growth_points, project_lq_cells
from policy_engine.project.model import Project
from tests.diagnostics.factories import CRAFTS, DESIGN, MUSIC, actor, cell, element, project

COMPONENTS = {"identity", "specialization", "relatedness", "support"}


def test_growth_points_on_the_sample(sample, catalogue):
    points = growth_points(sample, catalogue)
    assert sorted(p.industry for p in points) == sorted(i.id for i in catalogue.industries)
    assert [p.rank for p in points] == list(range(1, len(catalogue.industries) + 1))
    assert all(0 <= p.score <= 1 for p in points)
    assert [p.score for p in points] == sorted((p.score for p in points), reverse=True)
    for p in points:
        assert set(p.components) == COMPONENTS
        assert all(0 <= v <= 1 for v in p.components.values())
        assert len(p.reasons) == 4 and all(r.strip() for r in p.reasons)
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
    assert growth_points(sample, catalogue) == growth_points(sample, catalogue, cells=project_lq_cells(sample))
    empty = {p.industry: p for p in growth_points(sample, catalogue, cells=[])}
    assert empty[CRAFTS].components["specialization"] == 0
    assert "No employment data" in empty[CRAFTS].reasons[1]


# A tiny region, its components worked out by hand; the score is their sum weighted by the seed's
# weights (read from the catalogue: tests/diagnostics/test_growth_points_data.py checks those).
#   identity:       Felt (5,4,3) = 4.0 and Songs (3,3,3) = 3.0 -> 7.0 / 15 = 0.4667
#   specialization: highest LQ of crafts 1.6 (A) -> 1.6 / 2 = 0.8
#   relatedness:    M_crafts = {A,B}, M_music = {A}, M_design = {B}
#                   φ(c,m) = 1/max(2,1) = 1/2, φ(c,d) = 1/2
#                   ω_A,crafts = (1·½ + 0·½) / 1 = ½, ω_B,crafts = (0·½ + 1·½) / 1 = ½ -> 0.5
#   support:        crafts is high (audit of 2 is too thin to move it): federal, regional, municipal;
#                   actors list crafts at federal and municipal level only -> 2/3
# music (medium: federal + regional; a regional actor only -> 1/2):
#   identity 3/15 = 0.2, specialization 1.1/2 = 0.55, relatedness ω_A,music = x_A,crafts = 1, support 1/2
# design (low: federal; its only actor is regional -> 0):
#   identity 0, specialization 1.4/2 = 0.7, relatedness ω_B,design = x_B,crafts = 1, support 0
BY_HAND = {
    CRAFTS: {"identity": 7 / 15, "specialization": 0.8, "relatedness": 0.5, "support": 2 / 3},
    MUSIC: {"identity": 0.2, "specialization": 0.55, "relatedness": 1.0, "support": 0.5},
    DESIGN: {"identity": 0.0, "specialization": 0.7, "relatedness": 1.0, "support": 0.0},
}


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
    weights = {c: part.weight for c, part in catalogue.growth_points.components.items()}
    expected = {ind: sum(weights[c] * v for c, v in parts.items()) for ind, parts in BY_HAND.items()}
    points = growth_points(tiny(), catalogue, cells=TINY_CELLS)
    assert [p.industry for p in points[:3]] == [CRAFTS, MUSIC, DESIGN]
    for p in points[:3]:
        assert p.components == {c: round(v, 4) for c, v in BY_HAND[p.industry].items()}, p.industry
        assert p.score == pytest.approx(expected[p.industry], abs=1e-4), p.industry
    top = points[0]
    assert top.rank == 1
    assert top.reasons[0].startswith("2 identity elements are linked (total strength 7")
    assert "1.60, in A" in top.reasons[1]
    assert "missing: regional" in top.reasons[3]


def test_reasons_in_russian(sample, catalogue):
    ru = {p.industry: p for p in growth_points(sample, catalogue, lang="ru")}
    en = {p.industry: p for p in growth_points(sample, catalogue)}
    assert [p.score for p in ru.values()] == [p.score for p in en.values()]  # same numbers, other words
    assert ru["folk_crafts"].reasons[0].startswith("Связано элементов идентичности: 3")
    assert "высокая" in ru["folk_crafts"].reasons[3]
