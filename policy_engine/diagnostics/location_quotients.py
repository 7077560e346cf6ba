"""Location quotients: where a region is already specialized (seed 000 measures spatial
concentration of creative industries by the LQ).

LQ_mi = (e_mi / e_m) / (e_i / e): the share of industry i in municipality m's employment over
its share in the reference economy. The reference totals run over every accepted row of the
register, creative and not, unless a benchmark (e.g. national employment by industry) is given.
Without a benchmark, Σ_m (e_m / e) · LQ_mi = 1 for every industry, which the tests check.

A municipality with no employment has no LQ (None), not 0: it has no shares to compare. Head counts
may be decimal (full-time equivalents), so a municipality whose share equals the reference share can
come out as 0.9999999999999998; whether an LQ reaches 1 is decided by `at_least_one`, within REL_TOL,
and so is whether a benchmark's industries exceed its total.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from policy_engine.diagnostics.register import NON_CREATIVE, Cell, RegisterError, normalise_header, parse_number
from policy_engine.method.catalogue import Catalogue
from policy_engine.project.model import CreativeEconomy, Project

# The one tolerance for comparing quotients and sums of decimal head counts: 1e-9 relative is far
# above float noise (a few 1e-16) and below anything a register can show (a tenth of a full-time
# post in a cell of ten million people is 1e-8).
REL_TOL = 1e-9


def at_least_one(lq: float | None) -> bool:
    """LQ ≥ 1 (the usual RCA threshold for specialization), a tie within REL_TOL counting as 1; no LQ
    is not a specialization."""
    return lq is not None and (lq >= 1 or math.isclose(lq, 1.0, rel_tol=REL_TOL))


class LqCell(BaseModel):
    """`lq` is computed on the employees (estimates where firms stated a size band); `lq_low` and `lq_high`
    are the least and greatest LQ any head counts inside the firms' ranges give (equal to `lq` when every
    head count is exact). `uncertain`: specialisation (LQ ≥ 1) flips somewhere inside those ranges."""

    model_config = ConfigDict(frozen=True)
    municipality: str
    industry: str
    firms: int
    employees: float
    lq: float | None  # None when the municipality has no employment or the industry's reference share is zero
    employees_low: float | None = None
    employees_high: float | None = None
    lq_low: float | None = None
    lq_high: float | None = None

    @property
    def uncertain(self) -> bool:
        return (
            self.lq_low is not None
            and self.lq_high is not None
            and at_least_one(self.lq_high) != at_least_one(self.lq_low)
        )


class Benchmark(BaseModel):
    """Reference employment: the total and each industry's part of it (e.g. the nation's)."""

    model_config = ConfigDict(frozen=True)
    total: float
    by_industry: dict[str, float]


def location_quotients(cells: Iterable[Cell], benchmark: Benchmark | None = None) -> list[LqCell]:
    """LQ for every municipality × creative industry present in `cells` (NON_CREATIVE rows count
    in the totals but get no LQ of their own), with its bounds when head counts are ranges."""
    cells = list(cells)
    e_m: dict[str, float] = defaultdict(float)
    e_i: dict[str, float] = defaultdict(float)
    lo_m: dict[str, float] = defaultdict(float)
    hi_m: dict[str, float] = defaultdict(float)
    lo_i: dict[str, float] = defaultdict(float)
    hi_i: dict[str, float] = defaultdict(float)
    ranged = any(c.employees_low is not None or c.employees_high is not None for c in cells)
    for c in cells:
        e_m[c.municipality] += c.employees
        e_i[c.industry] += c.employees
        lo_m[c.municipality] += c.low
        hi_m[c.municipality] += c.high
        lo_i[c.industry] += c.low
        hi_i[c.industry] += c.high
    lo_all, hi_all = sum(lo_m.values()), sum(hi_m.values())
    if benchmark is not None:
        e, e_i = benchmark.total, defaultdict(float, benchmark.by_industry)
    else:
        e = sum(e_m.values())
    out = []
    for c in cells:
        if c.industry == NON_CREATIVE:
            continue
        ref = e_i[c.industry] / e if e else 0.0
        total = e_m[c.municipality]
        lq = (c.employees / total) / ref if ref and total else None
        low = high = lq
        if ranged:
            x = (c.low, c.high)
            a = (lo_m[c.municipality] - c.low, hi_m[c.municipality] - c.high)  # the municipality's other industries
            if benchmark is not None:
                low, high = lq_bounds(x, a, None, None, ref)
            else:
                b = (lo_i[c.industry] - c.low, hi_i[c.industry] - c.high)  # the industry elsewhere
                rest = (lo_all - lo_m[c.municipality] - b[0], hi_all - hi_m[c.municipality] - b[1])
                low, high = lq_bounds(x, a, b, rest)
        out.append(
            LqCell(
                municipality=c.municipality,
                industry=c.industry,
                firms=c.firms,
                employees=c.employees,
                lq=lq,
                employees_low=c.employees_low,
                employees_high=c.employees_high,
                lq_low=low,
                lq_high=high,
            )
        )
    return out


Span = tuple[float, float]


def _lq(x: float, a: float, b: float, c: float) -> float | None:
    """LQ of a cell with x employees, a in the municipality's other industries, b in the industry's other
    municipalities and c in neither: x (x + a + b + c) / ((x + a)(x + b)). At x = 0 with a or b also 0 it is
    undefined; there its limit as x → 0⁺ is taken (the bound is approached, if not reached): 1 + c/b when
    a = 0, 1 + c/a when b = 0, and without end (inf) when both are 0 and c is not."""
    if x > 0:
        return x * (x + a + b + c) / ((x + a) * (x + b))
    if a > 0 and b > 0:
        return 0.0
    if a > 0:
        return 1 + c / a
    if b > 0:
        return 1 + c / b
    return math.inf if c > 0 else None


def lq_bounds(
    x: Span, a: Span, b: Span | None, c: Span | None, ref: float | None = None
) -> tuple[float | None, float | None]:
    """The least and greatest LQ of a cell when its employees x, the municipality's other employees a, the
    industry's employees elsewhere b and all the rest c each lie anywhere in their ranges (independent
    firms). LQ falls as a or b grows and rises with c; in x it rises to one peak and falls
    (d/dx ln LQ = 0 at c x² − 2ab x − ab(a + b + c) = 0, one positive root; with a or b at 0 it only
    falls), so the least value is at an end of x's range and the greatest at an end or at that peak.
    With a fixed reference share `ref` (a benchmark), LQ = x / (x + a) / ref, rising in x and falling in
    a. The greatest may be inf: a tiny firm alone in its municipality and industry has no ceiling."""
    if ref is not None:
        if not ref:
            return None, None
        lo = x[0] / (x[0] + a[1]) / ref if x[0] + a[1] > 0 else None
        hi = x[1] / (x[1] + a[0]) / ref if x[1] + a[0] > 0 else (1 / ref if x[1] > 0 else None)
        return lo, hi
    assert b is not None and c is not None
    if x[1] <= 0:  # no employees whatever the ranges: LQ 0 wherever it is defined
        return (0.0, 0.0) if a[1] > 0 and b[1] > 0 else (None, None)
    lows = [v for v in (_lq(x[0], a[1], b[1], c[0]), _lq(x[1], a[1], b[1], c[0])) if v is not None]
    aa, bb, cc = a[0], b[0], c[1]
    points = [x[0], x[1]]
    if cc > 0 and aa > 0 and bb > 0:
        peak = (aa * bb + math.sqrt(aa * aa * bb * bb + aa * bb * cc * (aa + bb + cc))) / cc
        if x[0] < peak < x[1]:
            points.append(peak)
    highs = [v for v in (_lq(p, aa, bb, cc) for p in points) if v is not None]
    return (min(lows) if lows else None), (max(highs) if highs else None)


def employment_cells(project: Project) -> list[Cell]:
    """The project's employment inventory as register cells (ranges kept), for the LQ and what builds on it."""
    return [
        Cell(
            municipality=r.municipality,
            industry=r.industry,
            firms=r.firms,
            employees=r.employees,
            employees_low=r.employees_low,
            employees_high=r.employees_high,
        )
        for r in project.economy.employment
    ]


TOTAL_NAMES = {"total", "all", "всего", "итого", "барлығы", "жиыны"}


def read_benchmark(source: bytes | str | Path, catalogue: Catalogue) -> Benchmark:
    """A small CSV of reference employment: `industry;employees` rows and a `total` row.

    Industries are named by id or by their name in any of the three languages.
    """
    raw = Path(source).read_bytes() if isinstance(source, (str, Path)) else source
    text = None
    for enc in ("utf-8-sig", "cp1251"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2:
        raise RegisterError("the benchmark needs a header and at least a total row")
    delim = max(";\t,", key=lambda d: lines[0].count(d))
    rows = list(csv.reader(lines, delimiter=delim))
    names = {normalise_header(i.id): i.id for i in catalogue.industries}
    for ind in catalogue.industries:
        for lang in ("en", "ru", "kk"):
            names[normalise_header(ind.name.get(lang))] = ind.id
    total, by_industry = None, {}
    for lineno, row in enumerate(rows[1:], start=2):
        if len(row) < 2:
            raise RegisterError(f"benchmark line {lineno}: expected an industry and a number")
        key, value = normalise_header(row[0]), parse_number(row[1])
        if value is None or value < 0:
            raise RegisterError(f"benchmark line {lineno}: {row[1]!r} is not a number of employees")
        if key in TOTAL_NAMES:
            total = value
        elif key in names:
            by_industry[names[key]] = value
        elif key not in ("non creative", "other", "прочие", "басқа"):
            raise RegisterError(f"benchmark line {lineno}: unknown industry {row[0]!r}")
    if total is None:
        raise RegisterError("the benchmark has no total row (all employment, creative and not)")
    listed = sum(by_industry.values())
    if listed > total and not math.isclose(listed, total, rel_tol=REL_TOL):  # decimals: 0.1 + 0.2 is not 0.3
        raise RegisterError("the benchmark's industries add up to more than its total")
    return Benchmark(total=total, by_industry=by_industry)


class GvaShare(BaseModel):
    model_config = ConfigDict(frozen=True)
    year: int
    region_share: float | None  # creative GVA / GRP, per cent
    nation_share: float | None
    lq: float | None  # region_share / nation_share


def gva_shares(economy: CreativeEconomy) -> list[GvaShare]:
    """The creative share of GRP by year for the region and the nation, and the region's LQ
    against the nation (a Table 1 of seed 003 in, a time series out)."""
    region: dict[int, float] = {}
    nation: dict[int, float] = {}
    for rec in economy.gva:
        if rec.territory == economy.region_territory:
            region[rec.year] = rec.share
        elif rec.territory == economy.nation_territory:
            nation[rec.year] = rec.share
    out = []
    for year in sorted(set(region) | set(nation)):
        r, n = region.get(year), nation.get(year)
        out.append(GvaShare(year=year, region_share=r, nation_share=n, lq=r / n if r is not None and n else None))
    return out
