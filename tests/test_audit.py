"""Identity audit tables: rows to models with row-level errors, layer strengths, priority matrix."""

from __future__ import annotations

import pytest

from policy_engine import audit
from policy_engine.progress import iteration_status
from policy_engine.project import Project, Region


def test_rows_round_trip(sample, catalogue):
    elements, errors = audit.elements_from_rows(audit.element_rows(sample), catalogue, sample.identity_elements)
    assert errors == [] and elements == sample.identity_elements
    actors, errors = audit.actors_from_rows(audit.actor_rows(sample), catalogue, sample.actors)
    assert errors == [] and actors == sample.actors


@pytest.mark.parametrize("row, message", [
    ({"name": "X", "component": "material", "layer": "cultural", "uniqueness": 6, "recognition": 3, "vitality": 3},
     "row 1 (X): scores.uniqueness: Input should be less than or equal to 5"),
    ({"name": "X", "component": "liquid", "layer": "cultural", "uniqueness": 3, "recognition": 3, "vitality": 3},
     "row 1 (X): component"),
    ({"name": "", "id": "x", "component": "material", "layer": "cultural", "uniqueness": 3, "recognition": 3, "vitality": 3},
     "row 1 (x): name"),
    ({"name": "X", "component": "material", "layer": "cultural", "uniqueness": 3, "recognition": 3, "vitality": 3,
      "industries": "folk_crafts, knitting"}, "row 1 (X): unknown industry knitting"),
])
def test_bad_element_rows(catalogue, row, message):
    elements, errors = audit.elements_from_rows([row], catalogue)
    assert elements == [] and errors[0].startswith(message)


def test_new_row_gets_an_id_from_its_name_and_empty_rows_are_skipped(catalogue):
    rows = [{"name": "Шығыс Салбұрын", "component": "symbolic", "layer": "cultural", "uniqueness": 5.0,
             "recognition": 4, "vitality": 4, "industries": "recreation_entertainment"}, {"name": None}]
    elements, errors = audit.elements_from_rows(rows, catalogue)
    assert errors == [] and [e.id for e in elements] == ["shygys_salburyn"]
    assert elements[0].scores.uniqueness == 5 and elements[0].provenance.basis == "user"


def test_strength_by_layer(sample, catalogue):
    rows = audit.strength_by_layer(sample, catalogue)
    assert len(rows) == 10 and sum(r["elements"] for r in rows) == len(sample.identity_elements)
    tech = [e for e in sample.identity_elements if e.layer == "technological" and e.component == "material"]
    row = next(r for r in rows if r["layer"] == "technological" and r["component"] == "material")
    assert row["strength"] == round(sum(e.strength for e in tech) / len(tech), 2)


def test_priority_matrix(sample, catalogue):
    points = {p.industry: p for p in audit.priority_matrix(sample, catalogue)}
    assert len(points) == 16
    crafts = points["folk_crafts"]
    assert crafts.significance == "high" and crafts.identity_strength == pytest.approx(
        sum(e.strength for e in sample.identity_elements if "folk_crafts" in e.industries), abs=0.01)
    assert crafts.employees == sum(r.employees for r in sample.economy.employment if r.industry == "folk_crafts")
    assert points["book_publishing"].lq == 0


def test_progress_of_an_empty_and_the_sample_project(sample):
    empty = iteration_status(Project(id="x", region=Region(name="R", country="RU")))
    assert [s.done for s in empty] == [False] * 6
    assert "missing.elements" in empty[0].missing
    assert [s.done for s in iteration_status(sample)] == [True] * 6


def test_removing_an_actor_drops_its_ties(sample):
    gone = "dept_culture"
    kept = [a for a in sample.actors if a.id != gone]
    updated = audit.with_actors(sample, kept)
    assert [a.id for a in updated.actors] == [a.id for a in kept]
    assert all(gone not in (t.source, t.target) for t in updated.ties)
    assert len(updated.ties) == len([t for t in sample.ties if gone not in (t.source, t.target)]) < len(sample.ties)
    assert sample.actors != kept  # the original project is not changed
