"""Pilots' edit operations (policy_engine/wizard/pilots.py): the pilots table, the add form, milestones,
a pilot's measures and story, the single window — each an `Edit` with coded issues."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from policy_engine.project.model import Project
from policy_engine.wizard import pilots
from tests.wizard.grid import grid

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


# --- the row readers, fed as the grid feeds them (tests/wizard/grid.py) ------------------------------


def pilots_grid(project: Project, *added: dict) -> list[dict]:
    return grid(pilots.pilot_rows(project), pilots.PILOT_COLUMNS, ("start", "end"), added)


def test_the_grid_handed_back_unchanged_changes_nothing(sample, catalogue):
    """NaN money, NaT dates and Timestamps as the grid gives them; the row the user added and left
    empty carries only the status column's default, and is skipped."""
    rows = pilots_grid(sample, {"status": "planned"})
    assert rows[-1]["start"] is pd.NaT and rows[0]["start"].__class__ is pd.Timestamp
    edit = pilots.set_pilots(sample, catalogue, rows)
    assert edit.ok and not edit.changed


def test_a_half_filled_new_row_names_its_row_and_what_is_missing(sample, catalogue):
    n = len(sample.pilots) + 1
    edit = pilots.set_pilots(sample, catalogue, pilots_grid(sample, {"name": "Новая школа", "status": "planned"}))
    assert not edit.ok and edit.project is sample
    assert [(i.code, i.row, i.item, i.path) for i in edit.issues] == [
        ("required", n, "Новая школа", ("start",)),
        ("required", n, "Новая школа", ("end",)),
    ]
    assert edit.issues[0].text("ru").startswith(f"Строка {n} «Новая школа»: ")


def test_every_bad_row_is_reported_with_its_own_number(empty, catalogue):
    rows = [dict(ROW), dict(ROW, name="Б", start="весной"), {}, dict(ROW, name="В", cluster="Балет")]
    edit = pilots.set_pilots(empty, catalogue, rows)
    assert [(i.code, i.row, i.item) for i in edit.issues] == [("a_date", 2, "Б"), ("choice", 4, "В")]


def test_editing_a_row_keeps_what_the_grid_does_not_show(sample, catalogue):
    """The hidden id ties the row to its pilot: milestones, measures, story and provenance stay."""
    before = sample.pilots[1]
    rows = pilots_grid(sample)
    rows[1]["name"] = "Переименованный пилот"
    rows[1]["end"] = pd.Timestamp(before.end) + pd.Timedelta(days=30)
    edit = pilots.set_pilots(sample, catalogue, rows)
    assert edit.ok and edit.changed
    after = edit.project.pilots[1]
    assert (after.id, after.name, after.end) == (before.id, "Переименованный пилот", before.end + timedelta(days=30))
    assert (after.milestones, after.measures, after.success_story, after.provenance) == (
        before.milestones,
        before.measures,
        before.success_story,
        before.provenance,
    )


def test_a_copied_row_is_a_new_pilot_and_the_original_keeps_its_details(sample, catalogue):
    first = sample.pilots[0]
    rows = pilots_grid(sample)
    rows.append(dict(rows[0], name="Копия"))  # the hidden id copied with the row
    edit = pilots.set_pilots(sample, catalogue, rows)
    assert edit.ok
    original, copy = edit.project.pilots[0], edit.project.pilots[-1]
    assert original == first
    assert copy.id == "kopiya" and copy.id not in {p.id for p in sample.pilots}
    assert (copy.milestones, copy.measures, copy.success_story, copy.provenance.basis) == ([], [], None, "user")


def test_a_row_whose_pilot_is_gone_is_a_new_pilot(empty, catalogue):
    edit = pilots.set_pilots(empty, catalogue, [dict(ROW, id="deleted-meanwhile")])
    assert edit.ok and [p.id for p in edit.project.pilots] == ["shkola_rezby"]


def test_a_row_naming_a_cluster_that_does_not_exist_is_refused(sample, catalogue):
    rows = pilots_grid(sample)
    rows[0]["cluster"] = "no-such-cluster"
    [issue] = pilots.set_pilots(sample, catalogue, rows).issues
    assert (issue.code, issue.row, issue.path, issue.values) == (
        "choice",
        1,
        ("cluster",),
        {"value": "no-such-cluster"},
    )


def test_milestones_from_the_grid(sample, catalogue):
    pilot = next(p for p in sample.pilots if p.milestones)
    rows = grid(pilots.milestone_rows(pilot), pilots.MILESTONE_COLUMNS, ("due",), ({},))
    assert rows[-1]["due"] is pd.NaT and pd.isna(rows[-1]["name"]) and pd.isna(rows[-1]["done"])
    edit = pilots.set_milestones(sample, catalogue, pilot.id, rows)
    assert edit.ok and not edit.changed
    half = grid(pilots.milestone_rows(pilot), pilots.MILESTONE_COLUMNS, ("due",), ({"name": "Отчёт"},))
    [issue] = pilots.set_milestones(sample, catalogue, pilot.id, half).issues
    assert (issue.code, issue.row, issue.item, issue.path) == ("required", len(half), "Отчёт", ("due",))


def test_milestones_of_a_pilot_that_does_not_exist_are_refused(sample, catalogue):
    edit = pilots.set_milestones(sample, catalogue, "nope", [{"name": "x", "due": "2027-01-01"}])
    [issue] = edit.issues
    assert (issue.code, issue.values) == ("unknown_ref", {"kind": "pilot", "value": "nope"})
    assert edit.project is sample
