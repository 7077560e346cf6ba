"""Identity audit tables: rows to models with row-level errors, layer strengths, priority matrix."""

from __future__ import annotations

import pytest

from policy_engine.project.model import Project, Region
from policy_engine.wizard import audit


def test_rows_round_trip(sample, catalogue):
    elements, errors = audit.elements_from_rows(audit.element_rows(sample), catalogue, sample.identity_elements)
    assert errors == [] and elements == sample.identity_elements
    actors, errors = audit.actors_from_rows(audit.actor_rows(sample), catalogue, sample.actors)
    assert errors == [] and actors == sample.actors


GOOD = {"name": "X", "component": "material", "layer": "cultural", "uniqueness": 3, "recognition": 3, "vitality": 3}


@pytest.mark.parametrize(
    "change, code, column",
    [
        ({"uniqueness": 6}, "max", "uniqueness"),
        ({"component": "liquid"}, "choice", "component"),
        ({"name": ""}, "required", "name"),
        ({"industries": "folk_crafts, knitting"}, "choice", "industries"),
        ({"recognition": None}, "required", "recognition"),
    ],
)
def test_bad_element_rows_are_coded_issues_at_their_row(catalogue, change, code, column):
    rows = [dict(GOOD, name="Y"), dict(GOOD, **change)]
    elements, issues = audit.elements_from_rows(rows, catalogue)
    assert [e.name for e in elements] == ["Y"]
    assert [(i.code, i.row, i.path[-1]) for i in issues] == [(code, 2, column)]


def test_row_issues_read_in_russian_and_kazakh(catalogue):
    _, issues = audit.elements_from_rows([dict(GOOD, name="Салбурын", uniqueness=9)], catalogue)
    assert issues[0].text("ru") == "Строка 1 «Салбурын»: уникальность — должно быть не больше 5"
    assert issues[0].text("kk").startswith("1-жол «Салбурын»: ")
    assert "5" in issues[0].text("kk") and "row" not in issues[0].text("kk").lower()


def test_select_cells_take_labels_in_any_language(catalogue):
    crafts = catalogue.industry("folk_crafts")
    row = dict(GOOD, component="Символический", layer="Тарихи", industries=[crafts.name.ru, "design"])
    (element,), issues = audit.elements_from_rows([row], catalogue)
    assert issues == []
    assert (element.component, element.layer, element.industries) == (
        "symbolic",
        "historical",
        ["folk_crafts", "design"],
    )


def test_half_filled_row_is_refused_not_dropped(catalogue, sample):
    edit = audit.set_elements(sample, catalogue, audit.element_rows(sample) + [{"name": "Новый элемент"}])
    assert not edit.ok and edit.project == sample
    assert {i.row for i in edit.issues} == {len(sample.identity_elements) + 1}


def test_rows_are_matched_by_id_not_position(catalogue, sample):
    rows = audit.element_rows(sample)
    removed, second = rows[0], dict(rows[1], vitality=1)
    edit = audit.set_elements(sample, catalogue, [second] + rows[2:])
    assert edit.ok and edit.changed
    by_id = {e.id: e for e in edit.project.identity_elements}
    assert removed["id"] not in by_id and by_id[second["id"]].scores.vitality == 1
    assert by_id[rows[2]["id"]] == sample.identity_elements[2]
    assert all(removed["id"] not in c.identity_elements for c in edit.project.clusters)  # no dangling link


def test_first_element_of_an_empty_project_through_the_form(catalogue):
    empty = Project(id="perm-krai", region=Region(name="Пермский край", country="RU"))
    edit = audit.save_element(
        empty, catalogue, dict(GOOD, name="Пермский звериный стиль", layer="Исторический", industries=["folk_crafts"])
    )
    assert edit.ok and edit.changed
    (element,) = edit.project.identity_elements
    assert (element.id, element.layer, element.industries) == ("permskii_zverinyi_stil", "historical", ["folk_crafts"])
    again = audit.save_element(edit.project, catalogue, {"vitality": 5}, element_id=element.id)
    assert again.ok and again.project.identity_elements[0].scores.vitality == 5
    refused = audit.save_element(empty, catalogue, dict(GOOD, name=""))
    assert not refused.ok and refused.issues[0].code == "required" and refused.issues[0].row is None


def test_the_same_element_or_actor_twice_is_refused_by_its_name(catalogue, sample):
    """A second "Торжокское золотное шитьё" from the form was a double click or the same thing twice."""
    element, actor = sample.identity_elements[0], sample.actors[0]
    twice = f"  {element.name.upper()} "
    refused = audit.save_element(sample, catalogue, dict(GOOD, name=twice, layer=element.layer))
    assert [(i.code, i.values["value"]) for i in refused.issues] == [("duplicate_name", element.name)]
    assert element.name in refused.issues[0].text("ru") and not refused.ok
    kept = audit.save_element(sample, catalogue, {"vitality": 1}, element_id=element.id)  # editing it is fine
    assert kept.ok and kept.changed
    again = audit.add_actor(sample, catalogue, {"name": actor.name, "sector": actor.sector, "level": actor.level})
    assert [i.code for i in again.issues] == ["duplicate_name"]


def test_no_change_is_not_a_change(catalogue, sample):
    edit = audit.set_elements(sample, catalogue, audit.element_rows(sample))
    assert edit.ok and not edit.changed


def test_actors_table_and_form(catalogue):
    empty = Project(id="perm-krai", region=Region(name="Пермский край", country="RU"))
    edit = audit.add_actor(
        empty,
        catalogue,
        {"name": "Министерство культуры", "sector": "власть", "level": "региональный", "industries": []},
    )
    assert edit.ok and edit.project.actors[0].sector == "government" and edit.project.actors[0].level == "regional"
    bad = audit.set_actors(empty, catalogue, [{"name": "Вуз", "sector": "university", "level": "галактический"}])
    assert [(i.code, i.row, i.path) for i in bad.issues] == [("choice", 1, ("level",))]


def test_new_row_gets_an_id_from_its_name_and_empty_rows_are_skipped(catalogue):
    rows = [
        {
            "name": "Шығыс Салбұрын",
            "component": "symbolic",
            "layer": "cultural",
            "uniqueness": 5.0,
            "recognition": 4,
            "vitality": 4,
            "industries": "recreation_entertainment",
        },
        {"name": None, "id": None},
    ]
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
        sum(e.strength for e in sample.identity_elements if "folk_crafts" in e.industries), abs=0.01
    )
    assert crafts.employees == sum(r.employees for r in sample.economy.employment if r.industry == "folk_crafts")
    assert points["book_publishing"].lq == 0


def test_removing_an_actor_drops_its_ties(sample):
    gone = "dept_culture"
    kept = [a for a in sample.actors if a.id != gone]
    updated = audit.with_actors(sample, kept)
    assert [a.id for a in updated.actors] == [a.id for a in kept]
    assert all(gone not in (t.source, t.target) for t in updated.ties)
    assert len(updated.ties) == len([t for t in sample.ties if gone not in (t.source, t.target)]) < len(sample.ties)
    assert sample.actors != kept  # the original project is not changed
