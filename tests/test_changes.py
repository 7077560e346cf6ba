"""Differences between two versions of a project, by item and by iteration."""

from __future__ import annotations

from datetime import date

from policy_engine.changes import diff, iterations_changed
from policy_engine.project import Event, Override


def test_no_change(sample):
    assert diff(sample, sample.model_copy(deep=True)) == []
    assert iterations_changed(sample, sample.model_copy(deep=True)) == []


def test_items_added_removed_and_changed_are_named_by_id(sample):
    new = sample.model_copy(deep=True)
    new.identity_elements[1].scores.uniqueness = 1
    new.identity_elements[1].name = "Ethno-aul"
    removed = new.actors.pop(0)
    new.overrides.append(Override(industry="music", significance="high", by="X",
                                  justification="Dombra is the region's voice."))
    new.promotion.events.append(Event(name="New fair", start=date(2027, 5, 1)))
    described = [c.describe() for c in diff(sample, new)]
    assert described == [
        "identity_elements [ethno_aul]: changed name, scores.uniqueness",
        f"actors [{removed.id}]: removed",
        "overrides [music]: added",
        "promotion events [New fair / 2027-05-01]: added",
    ]
    assert iterations_changed(sample, new) == [1, 3, 5]


def test_scalar_fields_of_a_section(sample):
    new = sample.model_copy(deep=True)
    new.single_window.who = "Akimat"
    new.next_review = date(2027, 1, 1)
    changes = diff(sample, new)
    assert [(c.section, c.iteration, c.fields) for c in changes] == [
        ("next_review", 0, ("next_review",)), ("single_window", 4, ("who",))]


def test_kpi_actual_is_monitoring(sample):
    new = sample.model_copy(deep=True)
    new.kpis[2].actuals[2026] = 1100
    (change,) = diff(sample, new)
    assert (change.section, change.iteration, change.item, change.fields) == ("kpis", 6, "[creative_firms]", ("actuals.2026",))


def test_first_version_touches_every_filled_iteration(sample):
    assert iterations_changed(None, sample) == [1, 2, 3, 4, 5, 6]
