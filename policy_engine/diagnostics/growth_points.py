"""Growth points: every industry ranked by a composite of identity, specialization, relatedness and
support, with a sentence for each component. The weights and the values that count as full are data
(seeds/growth_points.yaml, read through the catalogue, which also says why growth is not a component);
the evidence decides nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from policy_engine.diagnostics.location_quotients import LqCell, employment_cells, location_quotients
from policy_engine.diagnostics.register import NON_CREATIVE
from policy_engine.diagnostics.relatedness import density
from policy_engine.diagnostics.rules import Decision, classify_all
from policy_engine.i18n import t
from policy_engine.method.catalogue import Catalogue, Frozen
from policy_engine.method.vocabulary import GROWTH_COMPONENTS
from policy_engine.project.model import Project


class GrowthPoint(Frozen):
    industry: str
    score: float  # 0..1
    rank: int  # 1-based; ties broken by industry id
    components: dict[str, float]
    reasons: list[str]


def project_lq_cells(project: Project) -> list[LqCell]:
    """LQ cells of the project's own employment inventory, used until a register is uploaded."""
    return location_quotients(employment_cells(project))


def _best(triples: Iterable[tuple[str, str, float]]) -> dict[str, tuple[float, str]]:
    """Industry -> (highest value, its municipality); ties go to the first municipality by name."""
    out: dict[str, tuple[float, str]] = {}
    for ind, muni, value in sorted(triples, key=lambda t: (t[0], t[1])):
        if ind not in out or value > out[ind][0]:
            out[ind] = (value, muni)
    return out


def _identity(project: Project, ind: str, full: float, lang: str = "en") -> tuple[float, str]:
    linked = [e.strength for e in project.identity_elements if ind in e.industries]
    total = round(sum(linked), 2)
    n = len(linked)
    key = "an.identity.one" if n == 1 else "an.identity.many"
    return min(1.0, total / full), t(key, lang, n=n, total=total, full=full)


def _specialization(
    best: tuple[float, str] | None, has_cells: bool, full: float, lang: str = "en"
) -> tuple[float, str]:
    if not has_cells:
        return 0.0, t("an.spec.no_data", lang)
    if best is None:
        return 0.0, t("an.spec.none", lang)
    lq, muni = best
    return min(1.0, lq / full), t("an.spec.best", lang, lq=lq, muni=muni, full=full)


def _relatedness(best: tuple[float, str] | None, has_cells: bool, lang: str = "en") -> tuple[float, str]:
    if not has_cells or best is None:
        return 0.0, t("an.rel.none", lang)
    d, muni = best
    return d, t("an.rel.best", lang, d=d, muni=muni)


def _support(project: Project, decision: Decision, catalogue: Catalogue, lang: str = "en") -> tuple[float, str]:
    have = {a.level for a in project.actors if decision.industry in a.industries}
    missing = [lvl for lvl in decision.levels if lvl not in have]
    n, k = len(decision.levels), len(decision.levels) - len(missing)
    significance = catalogue.rules.group(decision.significance).name.get(lang)
    gap = (
        t(
            "an.support.missing",
            lang,
            levels=", ".join(catalogue.level_name(project.region.country, lvl, lang) for lvl in missing),
        )
        if missing
        else ""
    )
    return k / n, t("an.support", lang, k=k, n=n, significance=significance, missing=gap)


def growth_points(
    project: Project, catalogue: Catalogue, cells: list[LqCell] | None = None, lang: str = "en"
) -> list[GrowthPoint]:
    """Rank every catalogue industry as a growth point (002, iteration 2): selective stimulation of
    the sectors closest to the identity core with the most synergy. Weights and scales: the
    catalogue's `growth_points` (seeds/growth_points.yaml)."""
    weights = catalogue.growth_points.components
    cells = project_lq_cells(project) if cells is None else list(cells)
    lq = _best((c.industry, c.municipality, c.lq) for c in cells if c.lq is not None and c.industry != NON_CREATIVE)
    dens = _best((i, m, v) for (m, i), v in density(cells).items())
    decisions = {d.industry: d for d in classify_all(catalogue, project)}
    rows = []
    for ind in (i.id for i in catalogue.industries):
        parts = dict(
            zip(
                GROWTH_COMPONENTS,
                (
                    _identity(project, ind, weights["identity"].full, lang),
                    _specialization(lq.get(ind), bool(cells), weights["specialization"].full, lang),
                    _relatedness(dens.get(ind), bool(cells), lang),
                    _support(project, decisions[ind], catalogue, lang),
                ),
                strict=True,
            )
        )
        score = round(sum(weights[c].weight * v for c, (v, _) in parts.items()), 4)
        rows.append((score, ind, {c: round(v, 4) for c, (v, _) in parts.items()}, [r for _, r in parts.values()]))
    rows.sort(key=lambda r: (-r[0], r[1]))
    return [
        GrowthPoint(industry=ind, score=score, rank=k, components=comp, reasons=reasons)
        for k, (score, ind, comp, reasons) in enumerate(rows, start=1)
    ]
