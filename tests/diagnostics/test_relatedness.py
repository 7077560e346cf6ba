"""Relatedness of industries on the region's register: specialization, proximity and density
(Hidalgo et al. 2007; the Atlas of Economic Complexity), worked out by hand in the comments, so a
change in a formula shows up as a wrong number, not as a test that agrees with whatever the code says.
"""

from __future__ import annotations

import pytest

from policy_engine.diagnostics.relatedness import density, proximity, specialization
from tests.diagnostics.factories import CRAFTS, DESIGN, MUSIC, cell

# A 4 municipalities × 3 industries register, solved by hand:
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
