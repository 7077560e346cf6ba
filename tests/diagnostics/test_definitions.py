"""The definitions behind the evidence, as a table of reference values worked out by hand: location
quotients with a tie at exactly 1 from decimal head counts and a municipality with no employment,
proximity, and density with and without an industry's proximity to itself.

The region is small enough to solve on paper (3 municipalities × 3 industries, and one municipality
with no employment). The numbers below were also checked against the Growth Lab's `ecomplexity`
0.5.3 (pandas 3, in a scratch environment: it needs scikit-learn and SciPy, 200 MB, so it is not a
test dependency): its RCA agrees with every LQ, and given the specialization matrix below
(`presence_test="manual"`) its proximity and density agree with the "with φ_ii" column. Its own
RCA test (`rca >= 1`) drops A's music, the tie, for float noise; it leaves D's RCA undefined (NaN).
"""

from __future__ import annotations

import pytest

from policy_engine.diagnostics.location_quotients import Benchmark, at_least_one, location_quotients
from policy_engine.diagnostics.register import Cell
from policy_engine.diagnostics.relatedness import density, proximity, specialization

CINEMA, MUSIC, DESIGN = "cinema", "music", "design"

# Employees, full-time equivalents (registers count 12,5); no non-creative employment, so each
# municipality's total e_m is its row's sum.
#
#              cinema   music   design    e_m
#   A            0.7     0.3     0.0      1.0
#   B            0.4     0.8     0.8      2.0
#   C            0.3     0.1     0.6      1.0
#   D            0.0     0.0     0.0      0.0    listed, but no employment
#   e_i          1.4     1.2     1.4      e = 4.0
#   e_i / e      0.35    0.30    0.35
#
# In floats e_music = 0.3 + 0.8 + 0.1 = 1.2000000000000002 (noise of the 0.1 + 0.2 kind), so A's music
# LQ, exactly 0.3 / 0.30 = 1, comes out as 0.9999999999999998.
EMPLOYEES = {
    "A": {CINEMA: 0.7, MUSIC: 0.3, DESIGN: 0.0},
    "B": {CINEMA: 0.4, MUSIC: 0.8, DESIGN: 0.8},
    "C": {CINEMA: 0.3, MUSIC: 0.1, DESIGN: 0.6},
    "D": {CINEMA: 0.0, MUSIC: 0.0, DESIGN: 0.0},
}
REGION = [
    Cell(municipality=m, industry=i, firms=1, employees=e) for m, row in EMPLOYEES.items() for i, e in row.items()
]


def lq_table(cells=REGION, benchmark=None) -> dict[tuple[str, str], float | None]:
    return {(c.municipality, c.industry): c.lq for c in location_quotients(cells, benchmark)}


# LQ_mi = (e_mi / e_m) / (e_i / e); specialized when LQ ≥ 1 (a tie within float noise counts).
LQ_CASES = [
    # municipality, industry, LQ worked out, specialized
    ("A", CINEMA, 2.0, True),  # (0.7 / 1.0) / 0.35 = 2
    ("A", MUSIC, 1.0, True),  # (0.3 / 1.0) / 0.30 = 1: the tie, 0.9999999999999998 in floats
    ("A", DESIGN, 0.0, False),  # (0.0 / 1.0) / 0.35 = 0
    ("B", CINEMA, 4 / 7, False),  # (0.4 / 2.0) / 0.35 = 0.20 / 0.35
    ("B", MUSIC, 4 / 3, True),  # (0.8 / 2.0) / 0.30 = 0.40 / 0.30
    ("B", DESIGN, 8 / 7, True),  # (0.8 / 2.0) / 0.35 = 0.40 / 0.35
    ("C", CINEMA, 6 / 7, False),  # (0.3 / 1.0) / 0.35
    ("C", MUSIC, 1 / 3, False),  # (0.1 / 1.0) / 0.30
    ("C", DESIGN, 12 / 7, True),  # (0.6 / 1.0) / 0.35
    ("D", CINEMA, None, False),  # e_D = 0: no shares to compare, so no LQ (not 0)
    ("D", MUSIC, None, False),
    ("D", DESIGN, None, False),
]


@pytest.mark.parametrize("muni, industry, lq, specialized", LQ_CASES, ids=[f"{m}-{i}" for m, i, *_ in LQ_CASES])
def test_location_quotient_and_specialization(muni, industry, lq, specialized):
    got = lq_table()[(muni, industry)]
    assert got is None if lq is None else got == pytest.approx(lq, rel=1e-12)
    assert at_least_one(got) is specialized
    assert (industry in specialization(location_quotients(REGION)).get(muni, set())) is specialized


def test_the_tie_is_float_noise_below_one():
    """The fixture does what it says: the tie really comes out below 1, so `>= 1` alone would lose it."""
    assert lq_table()[("A", MUSIC)] == 0.9999999999999998


@pytest.mark.parametrize(
    "lq, counts",
    [
        pytest.param(1.0, True, id="exactly 1"),
        pytest.param(0.9999999999999998, True, id="1 less float noise"),
        pytest.param(1.0000000000000002, True, id="1 plus noise"),
        pytest.param(1 - 1e-6, False, id="one person in a million short of 1"),
        pytest.param(0.99, False, id="0.99"),
        pytest.param(0.0, False, id="no employment in the industry"),
        pytest.param(None, False, id="no LQ"),
    ],
)
def test_what_counts_as_an_lq_of_at_least_one(lq, counts):
    assert at_least_one(lq) is counts


def test_no_employment_means_no_lq_against_a_benchmark_too():
    national = Benchmark(total=1000, by_industry={CINEMA: 20, MUSIC: 30, DESIGN: 50})
    table = lq_table(benchmark=national)
    assert [table[("D", i)] for i in (CINEMA, MUSIC, DESIGN)] == [None, None, None]
    assert table[("A", CINEMA)] == pytest.approx(0.7 / 0.02)  # the others still have theirs: 0.7 / (20 / 1000)


# Specialized (from the table above): A {cinema, music}, B {music, design}, C {design}; D has no LQ.
# Holders M_i: cinema {A}, music {A, B}, design {B, C}.
# φ_ij = |M_i ∩ M_j| / max(|M_i|, |M_j|)
PROXIMITY_CASES = [
    (CINEMA, MUSIC, 1 / 2),  # |{A}| / max(1, 2); 0 if the tie were lost to float noise
    (CINEMA, DESIGN, 0.0),  # |∅| / max(1, 2)
    (MUSIC, DESIGN, 1 / 2),  # |{B}| / max(2, 2)
]


@pytest.mark.parametrize("i, j, phi", PROXIMITY_CASES, ids=[f"{i}-{j}" for i, j, _ in PROXIMITY_CASES])
def test_proximity(i, j, phi):
    table = proximity(location_quotients(REGION))
    assert table[(i, j)] == pytest.approx(phi) and table[(j, i)] == pytest.approx(phi)


# ω_mi = Σ_j x_mj φ_ij / Σ_j φ_ij.
# Without φ_ii (the engine's choice, j ≠ i):
#   cinema: Σ = φ(c,m) + φ(c,d) = 1/2 + 0 = 1/2    A: music 1/2 → 1;      B: music 1/2 → 1;     C: 0
#   music:  Σ = φ(m,c) + φ(m,d) = 1/2 + 1/2 = 1    A: cinema 1/2 → 1/2;   B: design 1/2 → 1/2;  C: design 1/2 → 1/2
#   design: Σ = φ(d,c) + φ(d,m) = 0 + 1/2 = 1/2    A: music 1/2 → 1;      B: music 1/2 → 1;     C: 0
# With φ_ii = 1 (the Atlas's and ecomplexity's):
#   cinema: Σ = 1 + 1/2 + 0 = 3/2     A: 1 + 1/2 = 3/2 → 1;    B: 1/2 → 1/3;          C: 0
#   music:  Σ = 1/2 + 1 + 1/2 = 2     A: 1/2 + 1 = 3/2 → 3/4;  B: 1 + 1/2 → 3/4;      C: 1/2 → 1/4
#   design: Σ = 0 + 1/2 + 1 = 3/2     A: 1/2 → 1/3;            B: 1/2 + 1 → 1;        C: 1 → 2/3
DENSITY_CASES = [
    # municipality, industry, without φ_ii, with φ_ii
    ("A", CINEMA, 1.0, 1.0),
    ("B", CINEMA, 1.0, 1 / 3),
    ("C", CINEMA, 0.0, 0.0),
    ("A", MUSIC, 1 / 2, 3 / 4),
    ("B", MUSIC, 1 / 2, 3 / 4),
    ("C", MUSIC, 1 / 2, 1 / 4),
    ("A", DESIGN, 1.0, 1 / 3),
    ("B", DESIGN, 1.0, 1.0),
    ("C", DESIGN, 0.0, 2 / 3),
]


@pytest.mark.parametrize(
    "muni, industry, without_self, with_self", DENSITY_CASES, ids=[f"{m}-{i}" for m, i, *_ in DENSITY_CASES]
)
def test_density_without_and_with_self_proximity(muni, industry, without_self, with_self):
    cells = location_quotients(REGION)
    assert density(cells)[(muni, industry)] == pytest.approx(without_self)
    assert density(cells, self_proximity=True)[(muni, industry)] == pytest.approx(with_self)


def test_a_municipality_without_employment_gets_no_density():
    """D has no LQ, so nothing to be related to: it is left out, not given a density of 0."""
    cells = location_quotients(REGION)
    for table in (density(cells), density(cells, self_proximity=True)):
        assert set(table) == {(m, i) for m in "ABC" for i in (CINEMA, MUSIC, DESIGN)}
