"""Proposed thematic clusters (002, Table 1, iteration 2 "Strategizing and clustering").

Thematic clusters are communities of the audit's own element–industry links (Louvain, with a fixed
seed so the same audit gives the same proposal), because 002 makes local identity the reference
point of every decision. Proposals come back as "proposed": the working group decides.
"""

from __future__ import annotations

import networkx as nx

from policy_engine.diagnostics.graphs import identity_graph
from policy_engine.i18n import t
from policy_engine.method.catalogue import Catalogue, Frozen
from policy_engine.project.model import Cluster, Project


class ProposedCluster(Frozen):
    id: str
    name: str
    industries: list[str]
    identity_elements: list[str]  # strongest first
    score: float  # total weight of the links inside the community
    explanation: list[str]


def propose_clusters(
    project: Project, seed: int = 42, catalogue: Catalogue | None = None, lang: str = "en"
) -> list[ProposedCluster]:
    """Thematic clusters (002, iteration 2) as Louvain communities of the identity graph.

    Each community holding at least one element and one industry is a proposal; they are ordered by
    score, then members, and numbered, so the same audit and seed always give the same list."""
    g = identity_graph(project)
    g.remove_nodes_from(list(nx.isolates(g)))
    if g.number_of_nodes() == 0:
        return []
    found = []
    for community in nx.community.louvain_communities(g, weight="weight", seed=seed):
        elements = sorted(
            (n for n in community if g.nodes[n]["kind"] == "element"), key=lambda n: (-g.nodes[n]["strength"], n)
        )
        industries = sorted(n[4:] for n in community if g.nodes[n]["kind"] == "industry")
        if elements and industries:
            found.append(
                (round(g.subgraph(community).size(weight="weight"), 4), sorted(community), elements, industries)
            )
    found.sort(key=lambda f: (-f[0], f[1]))
    return [
        _proposal(i, score, els, inds, g, seed, catalogue, lang)
        for i, (score, _, els, inds) in enumerate(found, start=1)
    ]


def _proposal(
    i: int,
    score: float,
    elements: list[str],
    industries: list[str],
    g: nx.Graph,
    seed: int,
    catalogue: Catalogue | None,
    lang: str = "en",
) -> ProposedCluster:
    top = g.nodes[elements[0]]
    names = [catalogue.industry(x).name.get(lang) if catalogue else x for x in industries]
    return ProposedCluster(
        id=f"proposal-{i}",
        name=t("an.cluster_name", lang, label=top["label"]),
        industries=industries,
        identity_elements=[e[3:] for e in elements],
        score=score,
        explanation=[
            t(
                "an.proposal.links",
                lang,
                elements=len(elements),
                count=len(industries),
                names=", ".join(names),
                seed=seed,
            ),
            t("an.proposal.score", lang, score=score),
            t("an.proposal.top", lang, label=top["label"], strength=top["strength"]),
        ],
    )


def proposal_to_cluster(p: ProposedCluster) -> Cluster:
    """A proposal as a project cluster the working group can edit; it stays "proposed" until accepted."""
    return Cluster(
        id=p.id,
        name=p.name,
        industries=list(p.industries),
        identity_elements=list(p.identity_elements),
        status="proposed",
    )
