"""Relatedness of industries on the region's own register.

The Growth Lab's economic-complexity notions of proximity and density (Hidalgo, Klinger, Barabási and
Hausmann 2007, "The Product Space Conditions the Development of Nations"; Hausmann et al. 2014, The
Atlas of Economic Complexity), with municipalities in place of countries and the location quotient
(seed 000) in place of revealed comparative advantage.
"""

from __future__ import annotations

from collections.abc import Iterable

from policy_engine.diagnostics.location_quotients import LqCell
from policy_engine.diagnostics.register import NON_CREATIVE


def specialization(cells: Iterable[LqCell]) -> dict[str, set[str]]:
    """Creative industries each municipality is specialized in (LQ ≥ 1, the usual RCA threshold).

    Every municipality with a creative cell appears, with an empty set if it has no specialization."""
    out: dict[str, set[str]] = {}
    for c in cells:
        if c.industry == NON_CREATIVE:
            continue
        held = out.setdefault(c.municipality, set())
        if c.lq is not None and c.lq >= 1:
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


def density(cells: Iterable[LqCell]) -> dict[tuple[str, str], float]:
    """ω_mi = Σ_j x_mj φ_ij / Σ_j φ_ij over j ≠ i (Atlas of Economic Complexity): the share of
    industry i's related industries that municipality m already holds; 0 when i relates to none."""
    cells = list(cells)
    spec, phi, inds = specialization(cells), proximity(cells), _industries(cells)
    out = {}
    for m, held in spec.items():
        for i in inds:
            den = sum(phi[(i, j)] for j in inds if j != i)
            num = sum(phi[(i, j)] for j in inds if j != i and j in held)
            out[(m, i)] = num / den if den else 0.0
    return out
