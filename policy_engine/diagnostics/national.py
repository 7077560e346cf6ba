"""A whole country: every region's creative share and location quotients against the nation, so an official
sees where the region stands among its peers.

The same readers take a national file (registers.py): the FNS SME register of all Russia (about 6 million
documents) with its head-count file, read with no region filter and each document counted in its region
(`КодРегион`, named by the region the document states); Kazakhstan's statistical register, each КАТО rolled
up to its oblast (AA0000000); a NOMIS or generic table whose territories are already regions. The nation is
the sum of every region read, creative and not, so LQ_r,i = (e_ri / e_r) / (e_i / e) and a region's creative
LQ = its creative share over the nation's. Ranks go from the highest creative LQ; a region of the project is
found by its name in one form (territories.name_key).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from policy_engine.diagnostics import registers, territories
from policy_engine.diagnostics.location_quotients import location_quotients
from policy_engine.diagnostics.register import NON_CREATIVE, Cell, RegisterResult
from policy_engine.method.catalogue import Catalogue
from policy_engine.project.model import CrosswalkChange


class RegionRow(BaseModel):
    """One region of the country: its employment, creative share and LQs against the nation."""

    model_config = ConfigDict(frozen=True)
    rank: int  # 1 = the highest creative LQ
    region: str
    code: str | None
    employees: float
    creative: float
    share: float  # creative / employees, per cent
    lq: float | None  # creative share / the nation's
    by_industry: dict[str, float | None]  # industry -> LQ against the nation


class National(BaseModel):
    model_config = ConfigDict(frozen=True)
    rows: list[RegionRow]
    employees: float
    creative: float
    share: float  # the nation's creative share, per cent
    result: RegisterResult  # what the import read (counts, warnings)

    def find(self, name: str) -> RegionRow | None:
        """The row of a region given by its name in any usual form ("Пермский край", "ПЕРМСКИЙ")."""
        key = territories.name_key(name)
        return next((r for r in self.rows if territories.name_key(r.region) == key), None)


def _by_oblast(cells: list[Cell]) -> list[Cell]:
    """Kazakh cells (districts by KATO) summed by oblast: the first two KATO digits."""
    acc: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0.0])
    for c in cells:
        oblast = (c.code or "")[:2] + "0000000"
        got = acc[(oblast, c.industry)]
        got[0] += c.firms
        got[1] += c.employees
        got[2] += c.low
        got[3] += c.high
    return [
        Cell(
            municipality=o, code=o, industry=i, firms=int(v[0]), employees=v[1], employees_low=v[2], employees_high=v[3]
        )
        for (o, i), v in sorted(acc.items())
    ]


def national(
    files: Sequence[registers.Source],
    catalogue: Catalogue,
    changes: Sequence[CrosswalkChange] = (),
    no_headcount: str = "band",
) -> National:
    options = registers.Options(by_region=True, no_headcount=no_headcount)
    result = registers.read_registers(files, catalogue, changes, options)
    cells = _by_oblast(result.cells) if result.format == "kz_stat" else result.cells
    return compare(cells, result)


def compare(cells: list[Cell], result: RegisterResult) -> National:
    """Each territory of `cells` against their sum (see the module text)."""
    total: dict[str, float] = defaultdict(float)
    creative: dict[str, float] = defaultdict(float)
    codes: dict[str, str | None] = {}
    for c in cells:
        total[c.municipality] += c.employees
        if c.industry != NON_CREATIVE:
            creative[c.municipality] += c.employees
        codes.setdefault(c.municipality, c.code)
    e, ec = sum(total.values()), sum(creative.values())
    nation_share = ec / e if e else 0.0
    lqs: dict[str, dict[str, float | None]] = defaultdict(dict)
    for c in location_quotients(cells):
        lqs[c.municipality][c.industry] = c.lq
    rows = []
    for region, emp in total.items():
        share = creative[region] / emp if emp else 0.0
        rows.append(
            (
                share / nation_share if nation_share and emp else None,
                region,
                RegionRow(
                    rank=0,
                    region=region,
                    code=codes.get(region),
                    employees=emp,
                    creative=creative[region],
                    share=100 * share,
                    lq=share / nation_share if nation_share and emp else None,
                    by_industry=dict(sorted(lqs[region].items())),
                ),
            )
        )
    rows.sort(key=lambda r: (-(r[0] if r[0] is not None else -1), r[1]))
    ranked = [row.model_copy(update={"rank": k}) for k, (_, _, row) in enumerate(rows, start=1)]
    return National(rows=ranked, employees=e, creative=ec, share=100 * nation_share, result=result)


def chart_rows(result: National, mine: str | None, limit: int = 40) -> list[dict]:
    """Regions by creative LQ for charts.region_ranking: the first `limit` and the project's region, which is
    marked (`mine`)."""
    own = result.find(mine) if mine else None
    rows = [r for r in result.rows if r.lq is not None][:limit]
    if own is not None and own not in rows and own.lq is not None:
        rows.append(own)
    return [
        {"region": r.region, "lq": round(r.lq, 3), "share": round(r.share, 2), "rank": r.rank, "mine": r is own}
        for r in rows
    ]


def table_rows(result: National, lang: str) -> list[dict[str, str | int]]:
    """The regions as the page's table shows them, in the language's numbers (keys: national.<column>)."""
    from policy_engine.i18n import number

    return [
        {
            "rank": r.rank,
            "region": r.region,
            "employees": number(r.employees, lang, 0),
            "share": number(r.share, lang, 2),
            "lq": "—" if r.lq is None else number(r.lq, lang, 2),
        }
        for r in result.rows
    ]


def labels(lang: str) -> dict[str, str]:
    from policy_engine.i18n import t

    return {k: t(f"national.{k}", lang) for k in ("region", "rank", "lq", "share", "employees")}
