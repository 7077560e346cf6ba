"""Proposed thematic clusters: Louvain communities of the identity graph (002, iteration 2), seeded,
scored by the strength of their links, and turned into "proposed" project clusters."""

from __future__ import annotations

import pytest

from policy_engine.diagnostics.proposals import proposal_to_cluster, propose_clusters
from policy_engine.project.model import Cluster, check_references
from policy_engine.project.sample import load_sample
from tests.diagnostics.factories import CRAFTS, DESIGN, MUSIC, element, project, two_groups


@pytest.mark.parametrize("seed", [0, 1, 42])
def test_two_separate_groups_become_two_proposals(seed):
    proposals = propose_clusters(two_groups(), seed=seed)
    assert [(p.id, p.industries, p.identity_elements, p.name, p.score) for p in proposals] == [
        ("proposal-1", [DESIGN, CRAFTS], ["felt", "amulet"], "Felt cluster", 18.0),  # 5 + 5 + 4 + 4
        ("proposal-2", [MUSIC, "performing_arts"], ["dombra", "anthem"], "Dombra cluster", 14.0),  # 4 + 4 + 3 + 3
    ]
    assert all(p.explanation for p in proposals)


def test_proposal_names_industries_from_the_catalogue(catalogue):
    first = propose_clusters(two_groups(), catalogue=catalogue)[0]
    assert "Design, Folk arts and crafts" in first.explanation[0]


def test_no_links_no_proposals():
    assert propose_clusters(project(identity_elements=[element("lonely", (2, 2, 2), [])])) == []
    assert propose_clusters(project()) == []


def test_proposal_becomes_a_valid_proposed_cluster(catalogue):
    proposal = propose_clusters(two_groups())[0]
    cluster = proposal_to_cluster(proposal)
    assert isinstance(cluster, Cluster) and cluster.status == "proposed"
    assert (cluster.id, cluster.industries, cluster.identity_elements) == (
        "proposal-1",
        [DESIGN, CRAFTS],
        ["felt", "amulet"],
    )
    p = two_groups()
    p.clusters = [cluster]
    assert check_references(p, catalogue) == []


def test_proposals_on_the_sample_are_deterministic_and_partition_the_linked_industries(sample):
    first = propose_clusters(sample, seed=42)
    assert first == propose_clusters(sample, seed=42)
    assert first == propose_clusters(load_sample("east-kazakhstan"), seed=42)
    industries = [i for p in first for i in p.industries]
    assert len(industries) == len(set(industries))
    assert set(industries) == {i for e in sample.identity_elements for i in e.industries}
    assert [p.score for p in first] == sorted((p.score for p in first), reverse=True)
    assert [p.id for p in first] == [f"proposal-{k}" for k in range(1, len(first) + 1)]


def test_a_proposal_in_russian(sample, catalogue):
    proposal = propose_clusters(sample, catalogue=catalogue, lang="ru")[0]
    assert proposal.name.startswith("Кластер «") and "сообщества Лувена" in proposal.explanation[0]
