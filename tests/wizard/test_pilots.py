"""Pilots' edit operations (policy_engine/wizard/pilots.py): the pilots table, the add form, milestones,
a pilot's measures and story, the single window — each an `Edit` with coded issues."""

from __future__ import annotations

from datetime import date

import pytest

from policy_engine.project.model import Cluster, Project, Region
from policy_engine.wizard import pilots


@pytest.fixture
def empty() -> Project:
    return Project(
        id="perm-krai",
        region=Region(name="Пермский край", country="RU"),
        clusters=[Cluster(id="crafts", name="Ремёсла", industries=["folk_crafts"])],
    )


ROW = {
    "name": "Школа резьбы",
    "cluster": "crafts",
    "owner": "Дом ремёсел",
    "partners": "Музей; Колледж",
    "regional": 5.0,
    "start": "2027-03-01",
    "end": "2027-10-31",
    "status": "planned",
}


def test_the_first_pilot_from_the_table(empty, catalogue):
    edit = pilots.set_pilots(empty, catalogue, [dict(ROW)])
    assert edit.ok and edit.changed
    [p] = edit.project.pilots
    assert (p.id, p.name, p.cluster, p.partners, p.budget, p.start) == (
        "shkola_rezby",
        "Школа резьбы",
        "crafts",
        ["Музей", "Колледж"],
        {"regional": 5.0},
        date(2027, 3, 1),
    )


def test_labels_in_any_language_are_read_as_their_ids(empty, catalogue):
    edit = pilots.set_pilots(empty, catalogue, [dict(ROW, cluster="ремёсла", status="іске асырылды")])
    assert edit.ok and (edit.project.pilots[0].cluster, edit.project.pilots[0].status) == ("crafts", "delivered")


@pytest.mark.parametrize(
    "change, code, path",
    [
        ({"end": "2027-01-01"}, "end_before_start", ()),
        ({"cluster": "Балет"}, "choice", ("cluster",)),
        ({"status": "soon"}, "choice", ("status",)),
        ({"start": "весной"}, "a_date", ("start",)),
        ({"private": "много"}, "a_number", ("private",)),
        ({"regional": -1.0}, "negative_budget", ("budget",)),
        ({"name": ""}, "required", ("name",)),  # a half row is refused, not dropped
        ({"end": None}, "required", ("end",)),
    ],
)
def test_a_bad_row_is_refused_with_its_code_and_row(empty, catalogue, change, code, path):
    edit = pilots.set_pilots(empty, catalogue, [{}, dict(ROW, **change)])
    assert not edit.ok and not edit.changed and edit.project is empty
    [issue] = edit.issues
    assert (issue.code, issue.row, issue.path) == (code, 2, path)


def test_row_texts_in_russian_and_kazakh(empty, catalogue):
    [issue] = pilots.set_pilots(empty, catalogue, [dict(ROW, end="2027-01-01")]).issues
    assert issue.text("ru") == "Строка 1 «Школа резьбы» — дата окончания 01.01.2027 раньше даты начала 01.03.2027"
    assert issue.text("kk").startswith("1-жол «Школа резьбы» — аяқталу күні 01.01.2027")


def test_empty_rows_are_skipped_and_a_status_alone_is_empty(empty, catalogue):
    edit = pilots.set_pilots(empty, catalogue, [{}, {"status": "planned", "regional": 0.0, "name": None}])
    assert edit.ok and not edit.changed and edit.project.pilots == []


def test_rows_match_their_pilots_by_id_not_position(empty, catalogue):
    two = pilots.set_pilots(empty, catalogue, [dict(ROW), dict(ROW, name="Фестиваль глины")]).project
    two = pilots.set_milestones(
        two, catalogue, "festival_gliny", [{"name": "Открытие", "due": "2027-06-01", "done": False}]
    ).project
    rows = pilots.pilot_rows(two)[1:]  # the first deleted
    rows[0]["name"] = "Фестиваль глины и керамики"
    [p] = pilots.set_pilots(two, catalogue, rows).project.pilots
    assert (p.id, p.name, [m.name for m in p.milestones]) == (
        "festival_gliny",
        "Фестиваль глины и керамики",
        ["Открытие"],
    )


def test_a_new_pilot_named_like_another_gets_its_own_id(empty, catalogue):
    one = pilots.set_pilots(empty, catalogue, [dict(ROW)]).project
    edit = pilots.set_pilots(one, catalogue, pilots.pilot_rows(one) + [dict(ROW)])
    assert [p.id for p in edit.project.pilots] == ["shkola_rezby", "shkola_rezby-2"]


def test_saving_the_table_unchanged_changes_nothing(empty, catalogue):
    one = pilots.set_pilots(empty, catalogue, [dict(ROW)]).project
    edit = pilots.set_pilots(one, catalogue, pilots.pilot_rows(one))
    assert edit.ok and not edit.changed


def test_the_add_form(empty, catalogue):
    edit = pilots.add_pilot(empty, catalogue, {**ROW, "start": date(2027, 3, 1), "end": date(2027, 4, 1)})
    assert edit.ok and edit.project.pilots[0].end == date(2027, 4, 1)
    refused = pilots.add_pilot(empty, catalogue, {**ROW, "name": "  "})
    [issue] = refused.issues
    assert (issue.code, issue.row, issue.path) == ("required", None, ("name",))
    assert issue.text("ru") == "название — обязательное поле не заполнено"


def test_milestones(empty, catalogue):
    one = pilots.add_pilot(empty, catalogue, ROW).project
    edit = pilots.set_milestones(
        one,
        catalogue,
        "shkola_rezby",
        [
            {"name": "Набор", "due": "2027-05-01", "done": float("nan")},
            {"name": None, "due": None, "done": False},
            {"name": "Старт", "due": "2027-03-15", "done": True},
        ],
    )
    assert edit.ok and [(m.name, m.done) for m in edit.project.pilots[0].milestones] == [
        ("Старт", True),
        ("Набор", False),
    ]
    [issue] = pilots.set_milestones(one, catalogue, "shkola_rezby", [{"name": "Набор", "due": None}]).issues
    assert (issue.code, issue.row, issue.item, issue.path) == ("required", 1, "Набор", ("due",))
    [issue] = pilots.set_milestones(one, catalogue, "shkola_rezby", [{"name": "", "due": "2027-05-01"}]).issues
    assert (issue.code, issue.row) == ("required", 1)
    added = pilots.add_milestone(one, catalogue, "shkola_rezby", {"name": "Выставка", "due": date(2027, 9, 1)})
    assert [m.name for m in added.project.pilots[0].milestones] == ["Выставка"]
    assert (
        pilots.add_milestone(one, catalogue, "nope", {"name": "x", "due": date(2027, 9, 1)}).issues[0].code
        == "unknown_ref"
    )


def test_measures_story_and_single_window(empty, catalogue):
    one = pilots.add_pilot(empty, catalogue, ROW).project
    measure = catalogue.measures[0]
    edit = pilots.set_pilot_detail(one, catalogue, "shkola_rezby", [measure.title.ru], " Выпуск 20 мастеров ")
    assert edit.ok and edit.project.pilots[0].measures == [measure.id]
    assert edit.project.pilots[0].success_story == "Выпуск 20 мастеров"
    assert pilots.set_pilot_detail(one, catalogue, "shkola_rezby", ["нет такой"], "").issues[0].code == "choice"
    window = pilots.set_single_window(one, catalogue, " Центр ", "Пермь", "по телефону")
    assert window.ok and window.project.single_window.who == "Центр"
    assert not pilots.set_single_window(window.project, catalogue, "Центр", "Пермь", "по телефону").changed
    assert pilots.set_single_window(one, catalogue, "a\x00b", "", "").issues[0].code == "control_characters"
