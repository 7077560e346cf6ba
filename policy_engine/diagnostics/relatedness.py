"""Relatedness of industries on the region's own register.

The Growth Lab's economic-complexity notions of proximity and density (Hidalgo, Klinger, Barabási and
Hausmann 2007, "The Product Space Conditions the Development of Nations"; Hausmann et al. 2014, The
Atlas of Economic Complexity), with municipalities in place of countries and the location quotient
(seed 000) in place of revealed comparative advantage.

One departure, chosen: density leaves out an industry's proximity to itself (φ_ii = 1), which the Atlas
and the Growth Lab's `ecomplexity` package keep. Density here answers "how much of what is related to
i does m already hold", for the growth-point score, which has its own specialization component: with
φ_ii kept, m's own LQ ≥ 1 in i would count a second time. The term weighs most where relatedness
says least: it adds 1 to Σ_j≠i φ_ij, which in the East Kazakhstan sample runs from 1 to 6, and moves a
density by up to 0.5 there. `density(..., self_proximity=True)` gives the Atlas's figure;
tests/diagnostics/test_definitions.py has both, worked out by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

from policy_engine.diagnostics.location_quotients import LqCell, at_least_one
from policy_engine.diagnostics.register import NON_CREATIVE


def specialization(cells: Iterable[LqCell]) -> dict[str, set[str]]:
    """Creative industries each municipality is specialized in (LQ ≥ 1, the usual RCA threshold, a
    tie within float noise counting: `at_least_one`).

    Every municipality with an LQ in a creative industry appears, with an empty set if it has no
    specialization. One with no employment has no LQ and does not appear, so it gets no density either
    (as in `ecomplexity`, where its RCA is undefined), rather than a density of 0 it has no data for."""
    out: dict[str, set[str]] = {}
    for c in cells:
        if c.industry == NON_CREATIVE or c.lq is None:
            continue
        held = out.setdefault(c.municipality, set())
        if at_least_one(c.lq):
            held.add(c.industry)
    return out


def _industries(cells: list[LqCell]) -> list[str]:
    """Every creative industry of the register, specialized anywhere or not."""
    return sorted({c.industry for c in cells if c.industry != NON_CREATIVE})


def proximity(cells: Iterable[LqCell]) -> dict[tuple[str, str], float]:
    """φ_ij = min(P(i|j), P(j|i)) = |M_i ∩ M_j| / max(|M_i|, |M_j|) (Hidalgo et al. 2007): how often
    municipalities specialized in one industry are specialized in the other too. Both orders given."""
    cells = list(cells)
    holders: dict[str, set[str]] = {}
    for m, held in specialization(cells).items():
        for i in held:
            holders.setdefault(i, set()).add(m)
    inds = _industries(cells)
    out = {}
    for i in inds:
        for j in inds:
            if i != j:
                mi, mj = holders.get(i, set()), holders.get(j, set())
                out[(i, j)] = len(mi & mj) / max(len(mi), len(mj)) if mi and mj else 0.0
    return out


def density(cells: Iterable[LqCell], *, self_proximity: bool = False) -> dict[tuple[str, str], float]:
    """ω_mi = Σ_j x_mj φ_ij / Σ_j φ_ij (Atlas of Economic Complexity): the share of industry i's
    related industries that municipality m already holds; 0 when i relates to none.

    The sums run over j ≠ i (the module docstring says why); with `self_proximity` they take in
    φ_ii = 1 too, for every industry some municipality holds, as the Atlas and `ecomplexity` do."""
    cells = list(cells)
    spec, phi, inds = specialization(cells), proximity(cells), _industries(cells)
    if self_proximity:
        held_somewhere = set().union(*spec.values())
        phi |= {(i, i): float(i in held_somewhere) for i in inds}
    out = {}
    for m, held in spec.items():
        for i in inds:
            related = [j for j in inds if (i, j) in phi]
            den = sum(phi[(i, j)] for j in related)
            num = sum(phi[(i, j)] for j in related if j in held)
            out[(m, i)] = num / den if den else 0.0
    return out
