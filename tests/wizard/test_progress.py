"""How far a project has got (policy_engine/wizard/progress.py): each iteration's readiness on a new,
empty project and on the finished sample, and what a single gap in the sample leaves missing."""

from __future__ import annotations

import pytest

from policy_engine.i18n import LANGS, t
from policy_engine.project.model import Project, Region
from policy_engine.wizard.progress import iteration_status


def missing(project: Project, catalogue) -> dict[int, tuple[str, ...]]:
    return {s.iteration: s.missing for s in iteration_status(project, catalogue)}


def test_a_new_project_has_every_iteration_to_do(catalogue):
    empty = Project(id="x", region=Region(name="R", country="RU"))
    statuses = iteration_status(empty, catalogue)
    assert [(s.iteration, s.title_key, s.done) for s in statuses] == [(i, f"iter.{i}", False) for i in range(1, 7)]
    assert missing(empty, catalogue) == {
        1: ("missing.profile", "missing.elements", "missing.economy", "missing.actors", "missing.positioning"),
        2: ("missing.clusters",),  # no accepted cluster, so no target image is missing yet
        3: ("missing.measures",),
        4: ("missing.pilots", "missing.single_window"),
        5: ("missing.narrative", "missing.events"),
        6: ("missing.kpis", "missing.actuals"),
    }


def test_the_sample_has_every_iteration_done(sample, catalogue):
    assert [(s.iteration, s.done, s.missing) for s in iteration_status(sample, catalogue)] == [
        (i, True, ()) for i in range(1, 7)
    ]


def test_every_missing_key_can_be_said_in_every_language(catalogue):
    empty = Project(id="x", region=Region(name="R", country="RU"))
    for status in iteration_status(empty, catalogue):
        for key in (status.title_key, *status.missing):
            for lang in LANGS:
                said = t(key, lang, **getattr(status, "values", {}))
                assert said and "{" not in said


def _without_profile(p):
    p.region.profile, p.region.population = [], None


def _unaccept(p):
    for c in p.clusters:
        c.status = "proposed"


def _blank_image(p):
    p.clusters[0].target_image = "  "


def _no_owner(p):
    p.measures[0].owner = ""


def _no_start(p):
    p.measures[-1].start = None


def _no_actuals(p):
    p.kpis = [k.model_copy(update={"actuals": {}, "sourced_years": []}) for k in p.kpis]


@pytest.mark.parametrize(
    "gap, iteration, keys",
    [
        (_without_profile, 1, ("missing.profile",)),
        (lambda p: setattr(p.economy, "employment", []) or setattr(p.economy, "gva", []), 1, ("missing.economy",)),
        (lambda p: setattr(p, "actors", []), 1, ("missing.actors",)),
        (lambda p: setattr(p.region, "positioning", None), 1, ("missing.positioning",)),
        (_unaccept, 2, ("missing.clusters",)),
        (_blank_image, 2, ("missing.target_images",)),
        (lambda p: setattr(p, "measures", []), 3, ("missing.measures",)),
        (_no_owner, 3, ("missing.measure_details",)),
        (_no_start, 3, ("missing.measure_details",)),
        (lambda p: setattr(p, "pilots", []), 4, ("missing.pilots",)),
        (lambda p: setattr(p.single_window, "who", ""), 4, ("missing.single_window",)),
        (lambda p: setattr(p.promotion, "narrative", " \n "), 5, ("missing.narrative",)),
        (lambda p: setattr(p.promotion, "events", []), 5, ("missing.events",)),
        (lambda p: setattr(p, "kpis", []), 6, ("missing.kpis", "missing.actuals")),
        (_no_actuals, 6, ("missing.actuals",)),
    ],
)
def test_one_gap_in_the_sample_reopens_only_its_iteration(sample, catalogue, gap, iteration, keys):
    gap(sample)
    assert missing(sample, catalogue) == {i: (keys if i == iteration else ()) for i in range(1, 7)}


def test_the_population_alone_is_a_profile(sample, catalogue):
    sample.region.profile = []
    sample.region.population = 1_360_000
    assert missing(sample, catalogue)[1] == ()


def test_the_audit_is_done_at_the_rules_minimum(sample, catalogue):
    """As many identity elements as the rules need to weigh the region's evidence (seeds/rules.yaml)."""
    need = catalogue.rules.evidence.min_audit_elements
    assert len(sample.identity_elements) > need
    sample.identity_elements = sample.identity_elements[:need]
    assert "missing.elements" not in missing(sample, catalogue)[1]
    sample.identity_elements = sample.identity_elements[: need - 1]
    assert missing(sample, catalogue)[1] == ("missing.elements",)
