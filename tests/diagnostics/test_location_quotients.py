"""Location quotients against hand-computed fixtures, the weighted-mean invariant, benchmarks, and
the creative share of GRP against the nation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_engine.diagnostics.location_quotients import Benchmark, gva_shares, location_quotients, read_benchmark
from policy_engine.diagnostics.register import NON_CREATIVE, Cell, RegisterError

# Two municipalities. M1: cinema 10 of 100 employees; M2: cinema 30 and music 20 of 200. e = 300.
CELLS = [
    Cell(municipality="M1", industry="cinema", firms=2, employees=10),
    Cell(municipality="M1", industry=NON_CREATIVE, firms=9, employees=90),
    Cell(municipality="M2", industry="cinema", firms=3, employees=30),
    Cell(municipality="M2", industry="music", firms=1, employees=20),
    Cell(municipality="M2", industry=NON_CREATIVE, firms=20, employees=150),
]


def lqs(cells, benchmark=None) -> dict:
    return {(c.municipality, c.industry): c.lq for c in location_quotients(cells, benchmark)}


def test_hand_computed_location_quotients():
    assert lqs(CELLS) == pytest.approx(
        {
            ("M1", "cinema"): (10 / 100) / (40 / 300),  # 0.75
            ("M2", "cinema"): (30 / 200) / (40 / 300),  # 1.125
            ("M2", "music"): (20 / 200) / (20 / 300),  # 1.5
        }
    )
    assert lqs(CELLS)[("M2", "music")] == pytest.approx(1.5)


def test_benchmark_totals_replace_the_files_own():
    bench = Benchmark(total=1000, by_industry={"cinema": 20, "music": 50})
    assert lqs(CELLS, bench) == pytest.approx(
        {
            ("M1", "cinema"): 0.1 / 0.02,  # 5.0
            ("M2", "cinema"): 0.15 / 0.02,  # 7.5
            ("M2", "music"): 0.1 / 0.05,  # 2.0
        }
    )


def test_an_industry_absent_from_the_benchmark_has_no_lq():
    assert lqs(CELLS, Benchmark(total=1000, by_industry={"cinema": 20}))[("M2", "music")] is None


municipalities = st.sampled_from(["A", "B", "C", "D", "E"])
industries = st.sampled_from(["cinema", "music", "design", NON_CREATIVE])


@given(st.lists(st.tuples(municipalities, industries, st.integers(1, 10_000)), min_size=1, max_size=40))
def test_weighted_mean_of_lq_is_one_for_every_industry(rows):
    merged: dict = {}
    for m, i, e in rows:
        merged[(m, i)] = merged.get((m, i), 0) + e
    cells = [Cell(municipality=m, industry=i, firms=1, employees=e) for (m, i), e in merged.items()]
    e_m: dict = {}
    for c in cells:
        e_m[c.municipality] = e_m.get(c.municipality, 0) + c.employees
    e = sum(e_m.values())
    sums: dict = {}
    for c in location_quotients(cells):
        sums[c.industry] = sums.get(c.industry, 0) + e_m[c.municipality] / e * c.lq
    for total in sums.values():
        assert total == pytest.approx(1.0, rel=1e-9)


def test_read_benchmark_by_id_and_name(catalogue):
    data = "отрасль;численность\nКинематография;2 000\nmusic;500\nВсего;100 000\n".encode("cp1251")
    assert read_benchmark(data, catalogue) == Benchmark(total=100000, by_industry={"cinema": 2000, "music": 500})


@pytest.mark.parametrize(
    "text, message",
    [
        ("industry;employees\ncinema;5\n", "no total row"),
        ("industry;employees\nknitting;5\ntotal;10\n", "unknown industry 'knitting'"),
        ("industry;employees\ncinema;many\ntotal;10\n", "'many' is not a number"),
        ("industry;employees\ncinema;50\ntotal;10\n", "add up to more than its total"),
    ],
)
def test_bad_benchmarks(catalogue, text, message):
    with pytest.raises(RegisterError, match=message):
        read_benchmark(text.encode("utf-8"), catalogue)


# A benchmark may list every industry of its total: the industries may add up to the total, never
# beyond it. Decimal figures (thousands, or full-time equivalents) that add up exactly on paper can sum
# a hair above the total in floats (0.1 + 0.2 = 0.30000000000000004), which is not "more".
@pytest.mark.parametrize(
    "text, by_industry, total",
    [
        pytest.param(
            "industry;employees\ncinema;4\nmusic;6\ntotal;10\n", {"cinema": 4, "music": 6}, 10, id="add up to the total"
        ),
        pytest.param(
            "industry;employees\ncinema;10\ntotal;10\n", {"cinema": 10}, 10, id="one industry is the whole total"
        ),
        pytest.param(
            "industry;employees\ncinema;0,1\nmusic;0,2\ntotal;0,3\n",
            {"cinema": 0.1, "music": 0.2},
            0.3,
            id="decimals that add up on paper, not in floats",
        ),
        pytest.param(
            "industry;employees\ncinema;4\nmusic;5\ntotal;10\n", {"cinema": 4, "music": 5}, 10, id="below the total"
        ),
    ],
)
def test_benchmarks_whose_industries_reach_the_total_are_accepted(catalogue, text, by_industry, total):
    assert read_benchmark(text.encode("utf-8"), catalogue) == Benchmark(total=total, by_industry=by_industry)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("industry;employees\ncinema;4\nmusic;7\ntotal;10\n", id="one person over"),
        pytest.param("industry;employees\ncinema;0,1\nmusic;0,201\ntotal;0,3\n", id="a thousandth over, in decimals"),
    ],
)
def test_benchmarks_whose_industries_pass_the_total_are_refused(catalogue, text):
    with pytest.raises(RegisterError, match="add up to more than its total"):
        read_benchmark(text.encode("utf-8"), catalogue)


def test_creative_share_of_grp_against_the_nation(sample):
    shares = {s.year: s for s in gva_shares(sample.economy)}
    assert sorted(shares) == list(range(2018, 2024))
    s2023 = shares[2023]
    assert s2023.region_share == pytest.approx(100 * 25049.9 / 4459056.1)  # Table 1 of seed 003
    assert s2023.nation_share == pytest.approx(100 * 1202101.2 / 119442289.7)
    assert s2023.lq == pytest.approx(s2023.region_share / s2023.nation_share)
    assert round(s2023.lq, 3) == 0.558


# --- size bands: LQ bounds and the cells whose specialisation flips ---------------------------------


def _ranged(m, i, firms, est, low, high):
    return Cell(municipality=m, industry=i, firms=firms, employees=est, employees_low=low, employees_high=high)


def test_a_band_range_that_straddles_one_flags_the_cell_hand_worked():
    """A: one film firm in the band 0-10 (estimate sqrt(1*10) = 3.162) and 10 other employees; B: 5 in film
    and 20 others, all exact. On the estimate, LQ_A,film = (3.162/13.162) / (8.162/38.162) = 1.123.
    With the firm at 0 employees LQ is 0; at 10 it is (10/20) / (15/45) = 1.5 (the peak of LQ in x,
    x* = (ab + sqrt(a²b² + abc(a+b+c))) / c = (50 + sqrt(37500)) / 20 = 12.2, lies past 10). So the range
    is [0, 1.5], and the cell is flagged. B's film, LQ = (5/25) / (8.162/38.162) = 0.935 on the estimate,
    ranges from (5/25) / (5/35) ... : with A's film at 0, LQ_B = (5/25)/(5/35) = 1.4; at 10, (5/25)/(15/45) = 0.6
    — flagged too; the non-creative cells get no LQ."""
    est = 10**0.5
    cells = [
        _ranged("A", "cinema", 1, est, 0, 10),
        Cell(municipality="A", industry=NON_CREATIVE, firms=3, employees=10),
        Cell(municipality="B", industry="cinema", firms=2, employees=5),
        Cell(municipality="B", industry=NON_CREATIVE, firms=4, employees=20),
    ]
    got = {c.municipality: c for c in location_quotients(cells)}
    a, b = got["A"], got["B"]
    assert a.lq == pytest.approx((est / (est + 10)) / ((est + 5) / (est + 35)))
    assert a.lq == pytest.approx(1.1233, abs=1e-4)
    assert (a.lq_low, a.lq_high) == (pytest.approx(0.0), pytest.approx(1.5))
    assert a.uncertain
    assert b.lq == pytest.approx(0.9351, abs=1e-4)
    assert (b.lq_low, b.lq_high) == (pytest.approx(0.6), pytest.approx(1.4))
    assert b.uncertain


def test_a_cell_whose_range_stays_above_one_is_not_flagged():
    cells = [
        _ranged("A", "cinema", 1, 7.75, 6, 10),
        Cell(municipality="A", industry=NON_CREATIVE, firms=1, employees=2),
        Cell(municipality="B", industry="cinema", firms=1, employees=1),
        Cell(municipality="B", industry=NON_CREATIVE, firms=5, employees=50),
    ]
    a = next(c for c in location_quotients(cells) if c.municipality == "A")
    assert a.lq_low > 1 and not a.uncertain
    exact = location_quotients([c.model_copy(update={"employees_low": None, "employees_high": None}) for c in cells])
    assert all(c.lq_low is None or c.lq_low == c.lq for c in exact)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C"]),
            st.sampled_from(["cinema", "music", NON_CREATIVE]),
            st.integers(0, 30),
            st.integers(0, 30),
        ),
        min_size=2,
        max_size=7,
    )
)
@settings(max_examples=150, deadline=None)
def test_bounds_hold_every_choice_of_head_counts_inside_the_ranges(firms):
    """Brute force: every firm at either end of its range (and the middle) gives an LQ inside [lq_low, lq_high],
    and the bounds are reached by some choice (LQ's extremes lie at ends or at its one peak in x)."""
    import itertools

    spans = [(m, i, min(a, b), max(a, b)) for m, i, a, b in firms]
    cells: dict = {}
    for m, i, lo, hi in spans:
        got = cells.setdefault((m, i), [0, 0.0, 0.0])
        got[0] += 1
        got[1] += lo
        got[2] += hi
    ranged = [_ranged(m, i, v[0], (v[1] + v[2]) / 2, v[1], v[2]) for (m, i), v in cells.items()]
    bounds = {(c.municipality, c.industry): (c.lq_low, c.lq_high) for c in location_quotients(ranged)}
    seen: dict = {}
    for choice in itertools.product(*[(lo, (lo + hi) / 2, hi) for _, _, lo, hi in spans][:7]):
        exact: dict = {}
        for (m, i, _, _), e in zip(spans, choice):
            exact[(m, i)] = exact.get((m, i), 0.0) + e
        for c in location_quotients(
            [Cell(municipality=m, industry=i, firms=1, employees=e) for (m, i), e in exact.items()]
        ):
            if c.lq is None:
                continue
            low, high = bounds[(c.municipality, c.industry)]
            assert low is not None and high is not None
            assert low - 1e-9 <= c.lq <= high + 1e-9
            seen.setdefault((c.municipality, c.industry), []).append(c.lq)
