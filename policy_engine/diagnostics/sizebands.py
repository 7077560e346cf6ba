"""Size bands as ranges: a register that states a band ("6–10 employees", "micro-enterprise") instead of a
head count gives each firm a range [low, high] and a point estimate.

The estimate is the band's geometric mean, sqrt(max(low, 1) · high): firm sizes are heavy-tailed (many
small firms, few large ones), so inside a band they crowd towards its floor, and the centre of a
log-uniform spread says that better than the midpoint — 6–10 gives 7.7 (midpoint 8), 16–100 gives 40
(midpoint 58), 0–15 gives 3.9. An open top band ("more than 1000") has no ceiling in any register; its
range is [low, low · open_ceiling] (seeds/size_bands.yaml says the factor, 2 by default) and its estimate the
geometric mean of that. Location quotients are computed on the estimates; where a cell's specialisation
(LQ ≥ 1) could flip somewhere inside the ranges, it is flagged (location_quotients.lq_bounds).
"""

from __future__ import annotations

import math

from policy_engine.method.catalogue import SizeBand, SizeBandScheme


def band_range(band: SizeBand, scheme: SizeBandScheme) -> tuple[float, float]:
    """[low, high] employees of a firm in `band` (an open band's ceiling from the scheme)."""
    high = band.high if band.high is not None else band.low * scheme.open_ceiling
    return float(band.low), float(high)


def estimate(low: float, high: float) -> float:
    """The point estimate of a range: its geometric mean, a floor of 0 taken as 1 (see the module text)."""
    if high <= 0:
        return 0.0
    return math.sqrt(max(low, 1.0) * high) if high > low else float(low)
