"""The growth-point score is data: its weights and the values that count as full are read from
seeds/growth_points.yaml through the catalogue it is given, and growth, which no project can supply,
is no part of it (the seed and the README say why)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import yaml

from policy_engine.diagnostics.growth_points import growth_points
from policy_engine.method.catalogue import load_catalogue
from policy_engine.method.vocabulary import GROWTH_COMPONENTS
from tests.diagnostics.factories import CRAFTS, MUSIC, actor, cell, element, project

# One industry with two linked elements of strength 4 and 3 (total 7) and a highest LQ of 1.5.
REGION = project(
    identity_elements=[element("felt", (5, 4, 3), [CRAFTS]), element("songs", (3, 3, 3), [CRAFTS, MUSIC])],
    actors=[actor("fed", "government", "federal", [CRAFTS])],
)
CELLS = [cell("A", CRAFTS, 1.5), cell("A", MUSIC, 0.5), cell("B", CRAFTS, 0.8), cell("B", MUSIC, 1.2)]


def edit(seeds: Path, change) -> None:
    path = seeds / "growth_points.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["components"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def crafts(catalogue):
    return next(p for p in growth_points(REGION, catalogue, cells=CELLS) if p.industry == CRAFTS)


def test_the_full_values_are_read_from_the_seed(seeds_copy, catalogue):
    """Identity 7 of a full 15 and LQ 1.5 of a full 2 with the shipped seed; full at 7 and 1.5 in a copy."""
    shipped = crafts(catalogue)
    assert (shipped.components["identity"], shipped.components["specialization"]) == (round(7 / 15, 4), 0.75)

    def lower(c):
        c["identity"]["full"], c["specialization"]["full"] = 7, 1.5

    edit(seeds_copy, lower)
    full = crafts(load_catalogue(seeds_copy))
    assert (full.components["identity"], full.components["specialization"]) == (1.0, 1.0)
    assert "7 counts as full" in full.reasons[0] and "1.5 counts as full" in full.reasons[1]


def test_the_weights_are_read_from_the_seed(seeds_copy):
    def only_specialization(c):
        for name, part in c.items():
            part["weight"] = 1.0 if name == "specialization" else 0.0

    edit(seeds_copy, only_specialization)
    assert crafts(load_catalogue(seeds_copy)).score == 0.75


@pytest.mark.parametrize(
    "component, before",
    [("identity", 0.30), ("specialization", 0.25), ("relatedness", 0.15), ("support", 0.15)],
)
def test_growth_is_left_out_and_the_other_weights_keep_their_proportions(catalogue, component, before):
    """The four other weights of the five-part score (growth had 0.15) divided by their sum 0.85, to
    four decimals: every score is the old one (growth 0 everywhere) over 0.85, so the ranking stands."""
    assert catalogue.growth_points.components[component].weight == pytest.approx(before / 0.85, abs=5e-5)


def test_no_growth_component_and_no_growth_input(catalogue):
    """Growth was 0 for every industry in the app, since nothing supplied it: it is gone, not hidden."""
    assert tuple(catalogue.growth_points.components) == GROWTH_COMPONENTS
    assert "growth" not in GROWTH_COMPONENTS
    assert "growth" not in inspect.signature(growth_points).parameters
    point = crafts(catalogue)
    assert tuple(point.components) == GROWTH_COMPONENTS and len(point.reasons) == len(GROWTH_COMPONENTS)
    assert sum(c.weight for c in catalogue.growth_points.components.values()) == pytest.approx(1)
