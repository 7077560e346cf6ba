"""Size bands as ranges: each seed band's range, and the point estimate inside it."""

from __future__ import annotations

import math

import pytest

from policy_engine.diagnostics.sizebands import band_range, estimate
from policy_engine.method.catalogue import default_catalogue

CAT = default_catalogue()


@pytest.mark.parametrize(
    ("scheme", "code", "low", "high"),
    [
        ("fns_sme_category", "1", 0, 15),  # 209-FZ: micro up to 15
        ("fns_sme_category", "3", 101, 250),
        ("kz_krp", "105", 0, 5),
        ("kz_krp", "160", 51, 100),
        ("kz_krp", "311", 1001, 2002),  # open band: its ceiling twice its floor
        ("nomis_sizeband", "0 to 4", 0, 4),
        ("nomis_sizeband", "1000+", 1000, 2000),
    ],
)
def test_band_ranges(scheme, code, low, high):
    s = CAT.size_band_scheme(scheme)
    assert band_range(s.band(code), s) == (low, high)


def test_the_estimate_is_the_geometric_mean_inside_the_range():
    assert estimate(6, 10) == pytest.approx(math.sqrt(60))  # 7.75, below the midpoint 8
    assert estimate(16, 100) == pytest.approx(40)
    assert estimate(0, 15) == pytest.approx(math.sqrt(15))  # a floor of 0 taken as 1
    assert estimate(7, 7) == 7 and estimate(0, 0) == 0
    for s in CAT.size_bands:
        for b in s.bands:
            low, high = band_range(b, s)
            assert low <= estimate(low, high) <= high


def test_bands_of_a_scheme_do_not_overlap():
    for s in CAT.size_bands:
        spans = sorted(band_range(b, s) for b in s.bands)
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:])), s.id
