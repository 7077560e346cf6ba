"""The identity graph (elements × industries, weighted by strength) and the actor graph (iteration 2
of the method, 002), and the seeded layout that draws them."""

from __future__ import annotations

from policy_engine.diagnostics.graphs import actor_graph, identity_graph, spring_positions
from policy_engine.project.model import Tie
from tests.diagnostics.factories import CRAFTS, DESIGN, actor, element, project, two_groups


def test_identity_graph_is_bipartite_and_weighted_by_strength():
    p = two_groups()
    p.identity_elements[1] = element("felt", (5, 4, 3), [CRAFTS, DESIGN], name="Felt")  # strength 4.0
    g = identity_graph(p)
    assert g.nodes["el:felt"] == {"kind": "element", "label": "Felt", "strength": 4.0}
    assert g.nodes["ind:folk_crafts"]["kind"] == "industry"
    assert g.edges["el:felt", "ind:design"]["weight"] == 4.0
    assert "el:lonely" in g and g.degree("el:lonely") == 0
    assert g.number_of_edges() == 8
    assert not g.has_edge("el:felt", "ind:music")


def test_actor_graph_keeps_the_strongest_parallel_tie_and_skips_unknown_actors():
    p = project(
        actors=[actor("a", "government", "regional"), actor("b", "business", "municipal")],
        ties=[
            Tie(source="a", target="b", strength=4),
            Tie(source="b", target="a", strength=2),
            Tie(source="a", target="ghost", strength=5),
            Tie(source="a", target="a", strength=5),
        ],
    )
    g = actor_graph(p)
    assert set(g.nodes) == {"a", "b"}
    assert g.edges["a", "b"]["weight"] == 4
    assert g.nodes["b"] == {"label": "B", "sector": "business", "level": "municipal", "municipality": None}
    assert g.number_of_edges() == 1


def test_spring_positions_are_seeded_and_cover_every_node(sample):
    g = actor_graph(sample)
    pos = spring_positions(g, seed=7)
    assert set(pos) == set(g.nodes)
    assert pos == spring_positions(g, seed=7)
    assert all(isinstance(x, float) and isinstance(y, float) for x, y in pos.values())
    assert spring_positions(g, seed=8) != pos
    assert spring_positions(actor_graph(project())) == {}
