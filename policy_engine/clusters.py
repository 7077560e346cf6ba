"""Growth points, thematic clusters and bottlenecks: the evidence for iteration 2 of the method.

Iteration 2 of the method paper (002, Table 1, "Strategizing and clustering") asks the working
group to *identify growth points* and *form thematic clusters* from the identity audit. This
module gives the group evidence for both and decides nothing: proposals come back as "proposed",
and every score carries its reasons.

- Thematic clusters are communities of the audit's own element–industry links (Louvain), because
  002 makes local identity the reference point of every decision.
- Relatedness uses the Growth Lab's economic-complexity notions of proximity and density (Hidalgo,
  Klinger, Barabási and Hausmann 2007, "The Product Space Conditions the Development of Nations";
  Hausmann et al. 2014, The Atlas of Economic Complexity), with municipalities in place of
  countries and the location quotient (seed 000) in place of revealed comparative advantage.
- Growth points rank industries by a composite whose weights are data (seeds/growth_points.yaml).
- Bottlenecks: support levels nobody provides (002, table "Measures"), actors the network hangs
  on, and clusters without the Triple Helix of government, university and business (003, Table 6).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal, get_args

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .catalogue import SEEDS_DIR, Catalogue, SourceRef
from .location_quotients import LqCell, location_quotients
from .project import Cluster, Project
from .register import NON_CREATIVE, Cell
from .rules import Decision, classify_all
from .i18n import t
from .seedfile import SeedError, describe_validation, read_yaml

WEIGHTS_PATH = SEEDS_DIR / "growth_points.yaml"
ComponentName = Literal["identity", "specialization", "relatedness", "growth", "support"]
COMPONENTS: tuple[str, ...] = get_args(ComponentName)
IDENTITY_FULL = 15.0  # total linked strength that counts as a full identity core: three elements of 5
LQ_FULL = 2.0  # an LQ of 2 (twice the reference share) counts as full specialization
GROWTH_CAP = 0.5  # growth of 50 % or more counts as full growth
HELIX = ("government", "university", "business")  # 003, Table 6
BottleneckKind = Literal["missing_level_support", "articulation_actor", "incomplete_helix"]
KINDS: tuple[str, ...] = get_args(BottleneckKind)


class Result(BaseModel):
    """Engine results are read-only, so a page cannot change a score after it was explained."""
    model_config = ConfigDict(frozen=True, extra="forbid")


def identity_graph(project: Project) -> nx.Graph:
    """The audit as a bipartite graph: element "el:<id>" – industry "ind:<id>", weighted by the
    element's strength, so strong identity pulls industries together (002, iteration 2)."""
    g = nx.Graph()
    for e in project.identity_elements:
        node = f"el:{e.id}"
        g.add_node(node, kind="element", label=e.name, strength=e.strength)
        for ind in e.industries:
            g.add_node(f"ind:{ind}", kind="industry", label=ind)
            g.add_edge(node, f"ind:{ind}", weight=e.strength)
    return g


def actor_graph(project: Project) -> nx.Graph:
    """The ecosystem's actors and their ties (002, iteration 1: network ties of creative actors).

    Parallel ties keep the strongest; self-ties and ties to unknown actors are left out
    (`project.check_references` reports the latter)."""
    g = nx.Graph()
    for a in project.actors:
        g.add_node(a.id, label=a.name, sector=a.sector, level=a.level, municipality=a.municipality)
    for tie in project.ties:
        if tie.source == tie.target or tie.source not in g or tie.target not in g:
            continue
        old = g.edges[tie.source, tie.target]["weight"] if g.has_edge(tie.source, tie.target) else 0
        g.add_edge(tie.source, tie.target, weight=max(old, tie.strength))
    return g


def spring_positions(g: nx.Graph, seed: int = 42) -> dict[str, tuple[float, float]]:
    """Node positions for drawing; seeded so the picture does not jump between page loads."""
    pos = nx.spring_layout(g, weight="weight", seed=seed)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


class ProposedCluster(Result):
    id: str
    name: str
    industries: list[str]
    identity_elements: list[str]  # strongest first
    score: float  # total weight of the links inside the community
    explanation: list[str]


def propose_clusters(project: Project, seed: int = 42, catalogue: Catalogue | None = None,
                     lang: str = "en") -> list[ProposedCluster]:
    """Thematic clusters (002, iteration 2) as Louvain communities of the identity graph.

    Each community holding at least one element and one industry is a proposal; they are ordered by
    score, then members, and numbered, so the same audit and seed always give the same list."""
    g = identity_graph(project)
    g.remove_nodes_from(list(nx.isolates(g)))
    if g.number_of_nodes() == 0:
        return []
    found = []
    for community in nx.community.louvain_communities(g, weight="weight", seed=seed):
        elements = sorted((n for n in community if g.nodes[n]["kind"] == "element"),
                          key=lambda n: (-g.nodes[n]["strength"], n))
        industries = sorted(n[4:] for n in community if g.nodes[n]["kind"] == "industry")
        if elements and industries:
            found.append((round(g.subgraph(community).size(weight="weight"), 4), sorted(community), elements, industries))
    found.sort(key=lambda f: (-f[0], f[1]))
    return [_proposal(i, score, els, inds, g, seed, catalogue, lang)
            for i, (score, _, els, inds) in enumerate(found, start=1)]


def _proposal(i: int, score: float, elements: list[str], industries: list[str], g: nx.Graph, seed: int,
              catalogue: Catalogue | None, lang: str = "en") -> ProposedCluster:
    top = g.nodes[elements[0]]
    names = [catalogue.industry(x).name.get(lang) if catalogue else x for x in industries]
    return ProposedCluster(
        id=f"proposal-{i}", name=t("an.cluster_name", lang, label=top["label"]), industries=industries,
        identity_elements=[e[3:] for e in elements], score=score,
        explanation=[
            t("an.proposal.links", lang, elements=len(elements), count=len(industries), names=", ".join(names), seed=seed),
            t("an.proposal.score", lang, score=score),
            t("an.proposal.top", lang, label=top["label"], strength=top["strength"]),
        ])


def proposal_to_cluster(p: ProposedCluster) -> Cluster:
    """A proposal as a project cluster the working group can edit; it stays "proposed" until accepted."""
    return Cluster(id=p.id, name=p.name, industries=list(p.industries),
                   identity_elements=list(p.identity_elements), status="proposed")


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


class ComponentWeight(Result):
    weight: float = Field(ge=0, le=1)
    description: str = Field(min_length=1)


class GrowthWeights(Result):
    """seeds/growth_points.yaml: the weight and meaning of each component, with its source."""
    description: str = Field(min_length=1)
    components: dict[ComponentName, ComponentWeight]
    source: SourceRef

    @model_validator(mode="after")
    def _complete(self) -> GrowthWeights:
        missing = [c for c in COMPONENTS if c not in self.components]
        if missing:
            raise ValueError(f"components missing: {', '.join(missing)}")
        total = sum(c.weight for c in self.components.values())
        if abs(total - 1) > 1e-9:
            raise ValueError(f"the weights must add up to 1, they add up to {total:g}")
        return self


def load_weights(path: Path | str = WEIGHTS_PATH) -> GrowthWeights:
    """Read and check the weights file; SeedError names the file and field, like every seed."""
    try:
        return GrowthWeights.model_validate(read_yaml(Path(path)))
    except ValidationError as exc:
        raise SeedError("\n".join(describe_validation(exc, str(path)))) from None


class GrowthPoint(Result):
    industry: str
    score: float  # 0..1
    rank: int  # 1-based; ties broken by industry id
    components: dict[str, float]
    reasons: list[str]


def project_cells(project: Project) -> list[LqCell]:
    """LQ cells of the project's own employment inventory, used until a register is uploaded."""
    return location_quotients(Cell(municipality=r.municipality, industry=r.industry, firms=r.firms,
                                   employees=r.employees) for r in project.economy.employment)


def _best(triples: Iterable[tuple[str, str, float]]) -> dict[str, tuple[float, str]]:
    """Industry -> (highest value, its municipality); ties go to the first municipality by name."""
    out: dict[str, tuple[float, str]] = {}
    for ind, muni, value in sorted(triples, key=lambda t: (t[0], t[1])):
        if ind not in out or value > out[ind][0]:
            out[ind] = (value, muni)
    return out


def _identity(project: Project, ind: str, lang: str = "en") -> tuple[float, str]:
    linked = [e.strength for e in project.identity_elements if ind in e.industries]
    total = round(sum(linked), 2)
    n = len(linked)
    key = "an.identity.one" if n == 1 else "an.identity.many"
    return min(1.0, total / IDENTITY_FULL), t(key, lang, n=n, total=total, full=IDENTITY_FULL)


def _specialization(best: tuple[float, str] | None, has_cells: bool, lang: str = "en") -> tuple[float, str]:
    if not has_cells:
        return 0.0, t("an.spec.no_data", lang)
    if best is None:
        return 0.0, t("an.spec.none", lang)
    lq, muni = best
    return min(1.0, lq / LQ_FULL), t("an.spec.best", lang, lq=lq, muni=muni, full=LQ_FULL)


def _relatedness(best: tuple[float, str] | None, has_cells: bool, lang: str = "en") -> tuple[float, str]:
    if not has_cells or best is None:
        return 0.0, t("an.rel.none", lang)
    d, muni = best
    return d, t("an.rel.best", lang, d=d, muni=muni)


def _growth(growth: dict[str, float] | None, ind: str, lang: str = "en") -> tuple[float, str]:
    if growth is None or ind not in growth:
        return 0.0, t("an.growth.none" if growth is None else "an.growth.none_here", lang)
    rate = growth[ind]
    return min(max(rate, 0.0), GROWTH_CAP) / GROWTH_CAP, t("an.growth.rate", lang, rate=rate, cap=GROWTH_CAP)


def _support(project: Project, decision: Decision, catalogue: Catalogue, lang: str = "en") -> tuple[float, str]:
    have = {a.level for a in project.actors if decision.industry in a.industries}
    missing = [lvl for lvl in decision.levels if lvl not in have]
    n, k = len(decision.levels), len(decision.levels) - len(missing)
    significance = catalogue.rules.group(decision.significance).name.get(lang)
    gap = t("an.support.missing", lang, levels=", ".join(_level_name(catalogue, project, lvl, lang) for lvl in missing)) if missing else ""
    return k / n, t("an.support", lang, k=k, n=n, significance=significance, missing=gap)


def growth_points(project: Project, catalogue: Catalogue, cells: list[LqCell] | None = None,
                  growth: dict[str, float] | None = None, weights: GrowthWeights | None = None,
                  lang: str = "en") -> list[GrowthPoint]:
    """Rank every catalogue industry as a growth point (002, iteration 2): selective stimulation of
    the sectors closest to the identity core with the most synergy. Weights: seeds/growth_points.yaml."""
    weights = weights or load_weights()
    cells = project_cells(project) if cells is None else list(cells)
    lq = _best((c.industry, c.municipality, c.lq) for c in cells if c.lq is not None and c.industry != NON_CREATIVE)
    dens = _best((i, m, v) for (m, i), v in density(cells).items())
    decisions = {d.industry: d for d in classify_all(catalogue, project)}
    rows = []
    for ind in (i.id for i in catalogue.industries):
        parts = dict(zip(COMPONENTS, (
            _identity(project, ind, lang), _specialization(lq.get(ind), bool(cells), lang),
            _relatedness(dens.get(ind), bool(cells), lang), _growth(growth, ind, lang),
            _support(project, decisions[ind], catalogue, lang))))
        score = round(sum(weights.components[c].weight * v for c, (v, _) in parts.items()), 4)
        rows.append((score, ind, {c: round(v, 4) for c, (v, _) in parts.items()}, [r for _, r in parts.values()]))
    rows.sort(key=lambda r: (-r[0], r[1]))
    return [GrowthPoint(industry=ind, score=score, rank=k, components=comp, reasons=reasons)
            for k, (score, ind, comp, reasons) in enumerate(rows, start=1)]


class Bottleneck(Result):
    kind: BottleneckKind
    subject: str  # an industry, actor or cluster id
    message: str


def bottlenecks(project: Project, catalogue: Catalogue, lang: str = "en") -> list[Bottleneck]:
    """Bottlenecks of the ecosystem (002, iteration 1 asks for them), ordered by kind, then subject."""
    found = _missing_levels(project, catalogue, lang) + _articulation(project, lang) + _helix(project, lang)
    return sorted(found, key=lambda b: (KINDS.index(b.kind), b.subject))


def _level_name(catalogue: Catalogue, project: Project, level: str, lang: str = "en") -> str:
    try:
        local = catalogue.country(project.region.country).levels[level].get(lang)
    except KeyError:
        return level
    return local if local == level or lang != "en" else f"{local} ({level})"


def _missing_levels(project: Project, catalogue: Catalogue, lang: str = "en") -> list[Bottleneck]:
    """Levels an industry's significance calls for (002, table "Measures") with no actor there."""
    decisions = {d.industry: d for d in classify_all(catalogue, project)}
    industries = sorted({i for c in project.clusters for i in c.industries}) or list(decisions)
    out = []
    for ind in (i for i in industries if i in decisions):
        have = {a.level for a in project.actors if ind in a.industries}
        for lvl in (lvl for lvl in decisions[ind].levels if lvl not in have):
            out.append(Bottleneck(kind="missing_level_support", subject=ind, message=t(
                "an.bn.level", lang, industry=catalogue.industry(ind).name.get(lang),
                level=_level_name(catalogue, project, lvl, lang),
                significance=catalogue.rules.group(decisions[ind].significance).name.get(lang))))
    return out


def _articulation(project: Project, lang: str = "en") -> list[Bottleneck]:
    """Actors whose loss would split the network: every tie between the parts runs through them."""
    g = actor_graph(project)
    before = nx.number_connected_components(g)
    out = []
    for a in sorted(nx.articulation_points(g)):
        rest = g.subgraph(n for n in g if n != a)
        after = nx.number_connected_components(rest)
        out.append(Bottleneck(kind="articulation_actor", subject=a, message=t(
            "an.bn.articulation", lang, actor=g.nodes[a]["label"], after=after, before=before)))
    return out


def _helix(project: Project, lang: str = "en") -> list[Bottleneck]:
    """Clusters whose partners lack government, university or business (Triple Helix, 003, Table 6)."""
    actors = {a.id: a for a in project.actors}
    out = []
    for c in project.clusters:
        partners = set(c.lead_actors) | {a.id for a in project.actors if set(a.industries) & set(c.industries)}
        sectors = {actors[p].sector for p in partners if p in actors}
        missing = [s for s in HELIX if s not in sectors]
        if missing:
            lacking = t("an.or", lang).join(t(f"sector.{m}", lang) for m in missing)
            out.append(Bottleneck(kind="incomplete_helix", subject=c.id, message=t(
                "an.bn.helix", lang, cluster=c.name, lacking=lacking)))
    return out
