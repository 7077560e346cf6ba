"""Bottlenecks: support levels nobody provides (002, table "Measures"), actors the network hangs on,
and clusters without the Triple Helix of government, university and business (003, Table 6).
"""

from __future__ import annotations

from typing import Literal, get_args

import networkx as nx

from policy_engine.diagnostics.graphs import actor_graph
from policy_engine.diagnostics.rules import classify_all
from policy_engine.i18n import t
from policy_engine.method.catalogue import Catalogue, Frozen
from policy_engine.method.vocabulary import TRIPLE_HELIX
from policy_engine.project.model import Project

BottleneckKind = Literal["missing_level_support", "articulation_actor", "incomplete_helix"]
KINDS: tuple[str, ...] = get_args(BottleneckKind)


class Bottleneck(Frozen):
    kind: BottleneckKind
    subject: str  # an industry, actor or cluster id
    message: str


def bottlenecks(project: Project, catalogue: Catalogue, lang: str = "en") -> list[Bottleneck]:
    """Bottlenecks of the ecosystem (002, iteration 1 asks for them), ordered by kind, then subject."""
    found = _missing_levels(project, catalogue, lang) + _articulation(project, lang) + _helix(project, lang)
    return sorted(found, key=lambda b: (KINDS.index(b.kind), b.subject))


def _missing_levels(project: Project, catalogue: Catalogue, lang: str = "en") -> list[Bottleneck]:
    """Levels an industry's significance calls for (002, table "Measures") with no actor there."""
    decisions = {d.industry: d for d in classify_all(catalogue, project)}
    industries = sorted({i for c in project.clusters for i in c.industries}) or list(decisions)
    out = []
    for ind in (i for i in industries if i in decisions):
        have = {a.level for a in project.actors if ind in a.industries}
        for lvl in (lvl for lvl in decisions[ind].levels if lvl not in have):
            out.append(
                Bottleneck(
                    kind="missing_level_support",
                    subject=ind,
                    message=t(
                        "an.bn.level",
                        lang,
                        industry=catalogue.industry(ind).name.get(lang),
                        level=catalogue.level_name(project.region.country, lvl, lang),
                        significance=catalogue.rules.group(decisions[ind].significance).name.get(lang),
                    ),
                )
            )
    return out


def _articulation(project: Project, lang: str = "en") -> list[Bottleneck]:
    """Actors whose loss would split the network: every tie between the parts runs through them."""
    g = actor_graph(project)
    before = nx.number_connected_components(g)
    out = []
    for a in sorted(nx.articulation_points(g)):
        rest = g.subgraph(n for n in g if n != a)
        after = nx.number_connected_components(rest)
        out.append(
            Bottleneck(
                kind="articulation_actor",
                subject=a,
                message=t("an.bn.articulation", lang, actor=g.nodes[a]["label"], after=after, before=before),
            )
        )
    return out


def _helix(project: Project, lang: str = "en") -> list[Bottleneck]:
    """Clusters whose partners lack government, university or business (Triple Helix, 003, Table 6)."""
    actors = {a.id: a for a in project.actors}
    out = []
    for c in project.clusters:
        partners = set(c.lead_actors) | {a.id for a in project.actors if set(a.industries) & set(c.industries)}
        sectors = {actors[p].sector for p in partners if p in actors}
        missing = [s for s in TRIPLE_HELIX if s not in sectors]
        if missing:
            lacking = t("an.or", lang).join(t(f"sector.{m}", lang) for m in missing)
            out.append(
                Bottleneck(
                    kind="incomplete_helix",
                    subject=c.id,
                    message=t("an.bn.helix", lang, cluster=c.name, lacking=lacking),
                )
            )
    return out
