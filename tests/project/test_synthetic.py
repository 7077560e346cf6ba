"""The generated large project used by the roadmap benchmark is valid and of the agreed size."""

from policy_engine.project.model import Project, check_references
from policy_engine.project.synthetic import large_project


def test_large_project_is_valid_and_of_the_agreed_size(catalogue):
    p = large_project(catalogue)
    assert check_references(p, catalogue) == []
    assert Project.from_json(p.to_json()) == p
    assert (len(p.identity_elements), len(p.clusters), len(p.pilots), len(p.kpis)) == (60, 8, 40, 30)
    assert {i for e in p.identity_elements for i in e.industries} <= {i.id for i in catalogue.industries}
    assert len({r.industry for r in p.economy.employment} - {"non_creative"}) == 16
    assert all(len(k.targets) == 5 for k in p.kpis)


def test_generation_is_deterministic(catalogue):
    assert large_project(catalogue).to_json() == large_project(catalogue).to_json()
    assert large_project(catalogue, seed=1).to_json() != large_project(catalogue, seed=2).to_json()
