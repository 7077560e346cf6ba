"""The region's networks (iteration 2): identity elements × industries, and the ecosystem's actors.

The identity graph joins each audited element to the industries it is linked to, weighted by the
element's strength; the actor graph joins actors by their ties. Cluster proposals
(`proposals.py`) and bottlenecks (`bottlenecks.py`) are read from them.
"""

from __future__ import annotations

import networkx as nx

from policy_engine.project.model import Project


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
