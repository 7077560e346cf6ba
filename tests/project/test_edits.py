"""What every edit operation shares (policy_engine/project/edits.py): `finish` runs the store's checks
and either returns the new project or refuses with coded issues and leaves the project as it was;
`build` places a row's refusal at the row; blank rows, rows matched by id, ids made unique."""

from __future__ import annotations

from datetime import date

import pytest

from policy_engine.project.edits import Edit, build, finish, is_blank_row, match_by_id, refuse, unique_id
from policy_engine.project.issues import Issue
from policy_engine.project.model import Cluster, Milestone, Pilot, Project, Region


@pytest.fixture
def empty() -> Project:
    return Project(
        id="perm-krai",
        region=Region(name="Пермский край", country="RU"),
        clusters=[Cluster(id="crafts", name="Ремёсла", industries=["folk_crafts"])],
    )


def pilot(ident: str, name: str, **extra) -> Pilot:
    return Pilot(id=ident, name=name, owner="Дом ремёсел", start=date(2027, 3, 1), end=date(2027, 10, 31), **extra)


def test_a_good_change_gives_the_new_project(empty, catalogue):
    edit = finish(empty, {"pilots": [pilot("school", "Школа", cluster="crafts")]}, catalogue)
    assert edit.ok and edit.changed and edit.issues == ()
    assert [p.id for p in edit.project.pilots] == ["school"]
    assert empty.pilots == []  # the project passed in is not touched


def test_the_same_content_is_no_change(empty, catalogue):
    assert finish(empty, {"clusters": list(empty.clusters)}, catalogue) == Edit(project=empty, changed=False)
    assert not finish(empty, empty.model_copy(), catalogue).changed


def test_the_callers_issues_refuse_before_anything_is_checked(empty, catalogue):
    mine = [Issue(code="required", row=2, path=("name",))]
    edit = finish(empty, {"pilots": "not even a list"}, catalogue, mine)
    assert not edit.ok and not edit.changed and edit.project is empty and list(edit.issues) == mine


def test_a_change_the_model_refuses_is_an_issue_not_an_exception(empty, catalogue):
    edit = finish(empty, {"pilots": [{"id": "x", "name": "X", "start": "весной"}]}, catalogue)
    assert not edit.ok and edit.project is empty
    assert ("a_date", ("pilots", 0, "start")) in [(i.code, i.path) for i in edit.issues]


def test_a_change_the_store_would_refuse_is_refused_with_the_stores_issue(empty, catalogue):
    """An unknown cluster passes the model but not validation.check, which the store runs on save."""
    edit = finish(empty, {"pilots": [pilot("school", "Школа", cluster="ballet")]}, catalogue)
    assert not edit.ok and edit.project is empty
    [issue] = edit.issues
    assert issue.code == "unknown_ref" and issue.values == {"kind": "cluster", "value": "ballet"}
    whole = empty.model_copy(update={"pilots": [pilot("school", "Школа", cluster="ballet")]})
    assert finish(empty, whole, catalogue).issues == edit.issues  # a whole project is checked the same way


def test_refuse_keeps_the_project():
    project = Project(id="x", region=Region(name="R", country="RU"))
    edit = refuse(project, iter([Issue(code="required")]))
    assert (edit.project, edit.ok, edit.changed, edit.issues) == (project, False, False, (Issue(code="required"),))


def test_build_gives_the_model_or_the_issues_placed_at_the_row():
    made, issues = build(Milestone, {"name": "Открытие", "due": date(2027, 6, 1)}, row=4)
    assert issues == [] and made == Milestone(name="Открытие", due=date(2027, 6, 1))
    made, issues = build(Milestone, {"name": "Открытие"}, row=4, item="Открытие", path=("milestones",))
    assert made is None
    assert [(i.code, i.row, i.item, i.path) for i in issues] == [("required", 4, "Открытие", ("milestones", "due"))]
    assert issues[0].text("ru") == "Строка 4 «Открытие»: контрольные точки › срок — обязательное поле не заполнено"


@pytest.mark.parametrize(
    "row, columns, blank",
    [
        ({}, None, True),
        ({"name": None, "owner": "  ", "budget": float("nan")}, None, True),
        ({"name": None, "done": False}, None, True),  # a checkbox is never typed text, ticked or not
        ({"name": None, "done": True}, None, True),
        ({"name": "x"}, None, False),
        ({"budget": 0.0}, None, False),  # a zero typed in is a value
        ({"id": "school", "name": ""}, ["name"], True),  # the hidden id is not what the user typed
        ({"id": "school", "name": "Школа"}, ["name"], False),
    ],
)
def test_is_blank_row(row, columns, blank):
    assert is_blank_row(row, columns) is blank


def test_rows_are_matched_by_id_not_position():
    old = [pilot("a", "A"), pilot("b", "B")]
    rows = [{"id": "b", "name": "B2"}, {"id": None, "name": "new"}, {"id": "gone", "name": "?"}, {"id": " a "}]
    matched = match_by_id(rows, old)
    assert [(n, row["name"] if "name" in row else None, m.id if m else None) for n, row, m in matched] == [
        (1, "B2", "b"),
        (2, "new", None),
        (3, "?", None),
        (4, None, "a"),  # the id as the grid gives it back, stripped
    ]


def test_rows_can_be_matched_by_another_key():
    old = [pilot("a", "A"), pilot("b", "B")]
    matched = match_by_id([{"id": "B"}], old, key=lambda p: p.name)
    assert matched[0][2].id == "b"


@pytest.mark.parametrize(
    "base, taken, ident",
    [
        ("school", set(), "school"),
        ("school", {"school"}, "school-2"),
        ("school", {"school", "school-2", "school-3"}, "school-4"),
        ("school", {"school-2"}, "school"),
    ],
)
def test_unique_id(base, taken, ident):
    assert unique_id(base, taken) == ident
