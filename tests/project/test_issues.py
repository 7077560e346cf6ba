"""Coded issues (policy_engine/project/issues.py): a refusal as a code, a place and values, said in
the user's language from strings/issues.yaml; pydantic's refusals mapped to the same codes."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from policy_engine.project.issues import Issue, field_label, from_validation
from policy_engine.project.model import Project

END_BEFORE_START = Issue(
    code="end_before_start",
    path=("pilots", 0, "end"),
    row=3,
    item="Школа резьбы",
    values={"start": "2027-03-01", "end": "2027-01-01"},
)


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "ru",
            "Строка 3 «Школа резьбы»: пилотные проекты › 1 › окончание — "
            "дата окончания 01.01.2027 раньше даты начала 01.03.2027",
        ),
        (
            "kk",
            "3-жол «Школа резьбы»: пилоттық жобалар › 1 › аяқталуы — "
            "аяқталу күні 01.01.2027 басталу күнінен 01.03.2027 бұрын",
        ),
        ("en", "Row 3 «Школа резьбы»: pilots › 1 › end — the end 2027-01-01 is before the start 2027-03-01"),
    ],
)
def test_an_issue_says_row_item_field_and_problem_in_each_language(lang, expected):
    assert END_BEFORE_START.text(lang) == expected


@pytest.mark.parametrize(
    "issue, lang, expected",
    [
        (Issue(code="required"), "ru", "Обязательное поле не заполнено"),  # nowhere to name: capitalised
        (Issue(code="required", item="Музей"), "en", "«Музей» — a required field is empty"),
        (Issue(code="required", row=2), "kk", "2-жол — міндетті өріс толтырылмаған"),
        (Issue(code="required", path=("name",)), "ru", "название — обязательное поле не заполнено"),
        (Issue(code="required", path=("no_such_field",)), "en", "no_such_field — a required field is empty"),
        (Issue(code="unknown_ref", values={"kind": "pilot", "value": "x"}), "ru", "Пилотный проект «x» не существует"),
        (Issue(code="unknown_ref", values={"kind": "kpi", "value": "x"}), "kk", "«x» (көрсеткіш) жоқ"),
        (
            Issue(code="max", values={"limit": 10_000_000_000}),
            "ru",
            "Должно быть не больше 10\u00a0000\u00a0000\u00a0000",
        ),
        (Issue(code="max", values={"limit": 10_000_000_000}), "en", "Must be at most 10,000,000,000"),
        (Issue(code="max", values={"limit": 2027}), "ru", "Должно быть не больше 2027"),  # a year is not grouped
        (Issue(code="max", values={"limit": 2.5}), "ru", "Должно быть не больше 2,5"),
        (Issue(code="choice", values={"value": ["a", "b"]}), "en", "“a, b” is not one of the allowed values"),
        (Issue(code="choice", values={"value": True}), "ru", "«да» — нет в списке допустимых значений"),
        (
            Issue(code="choice", values={"value": {"en": "Crafts", "ru": "Ремёсла", "kk": "Қолөнер"}}),
            "kk",
            "«Қолөнер» — рұқсат етілген мәндер тізімінде жоқ",
        ),
    ],
)
def test_where_and_values_as_each_language_writes_them(issue, lang, expected):
    assert issue.text(lang) == expected


def test_an_unknown_code_still_says_something_true():
    assert Issue(code="no_such_code").text("ru") == "Недопустимое значение (no_such_code)"


def test_at_places_an_issue_inside_a_larger_structure():
    inner = Issue(code="required", path=("name",))
    placed = inner.at("pilots", 2, row=3, item="Школа")
    assert (placed.path, placed.row, placed.item) == (("pilots", 2, "name"), 3, "Школа")
    assert inner.path == ("name",)  # issues are values: the original stays where it was
    kept = placed.at("project")
    assert (kept.path, kept.row, kept.item) == (("project", "pilots", 2, "name"), 3, "Школа")


@pytest.mark.parametrize(
    "name, lang, label",
    [
        (0, "ru", "1"),
        (9, "en", "10"),
        ("name", "ru", "название"),
        ("pilots", "kk", "пилоттық жобалар"),
        ("zz", "ru", "zz"),
    ],
)
def test_field_label(name, lang, label):
    assert field_label(name, lang) == label


# --- from pydantic ------------------------------------------------------------------------------


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=5)
    code: str = Field(default="a", pattern=r"^[a-z]+$")
    count: int = 0
    share: float = Field(default=0, ge=0, le=1)
    status: Literal["planned", "running"] = "planned"
    tags: list[str] = Field(default=[], max_length=2)
    note: str = ""

    @field_validator("note")
    @classmethod
    def _note(cls, value: str) -> str:
        if value == "custom":  # one of our own codes (strings/issues.yaml has issue.needs_reason)
            raise PydanticCustomError("needs_reason", "a reason is needed")
        if value == "stranger":  # a custom code with no text: its message is kept
            raise PydanticCustomError("no_text_for_this", "a strange {what}", {"what": "note"})
        if value == "plain":
            raise ValueError("plain failure")
        return value


def refusal(data: dict, *prefix, **where) -> list[Issue]:
    with pytest.raises(ValidationError) as err:
        Row.model_validate(data)
    return from_validation(err.value, *prefix, **where)


@pytest.mark.parametrize(
    "data, code, field, values",
    [
        ({}, "required", "name", None),
        ({"name": ""}, "required", "name", {}),  # min_length 1 means "fill it in"
        ({"name": "a", "share": None}, "required", "share", {}),  # an empty cell, whatever the type
        ({"name": "abcdefgh"}, "too_long", "name", {"limit": 5, "value": "abcdefgh"}),
        ({"name": "a", "code": "A1"}, "pattern", "code", {"value": "A1"}),
        ({"name": "a", "count": "x"}, "whole_number", "count", {"value": "x"}),
        ({"name": "a", "count": 1.5}, "whole_number", "count", {"value": "1.5"}),
        ({"name": "a", "share": 2}, "max", "share", {"limit": 1.0}),
        ({"name": "a", "share": -1}, "min", "share", {"limit": 0.0}),
        ({"name": "a", "status": "soon"}, "choice", "status", {"value": "soon"}),
        ({"name": "a", "tags": ["1", "2", "3"]}, "too_many", "tags", {"limit": 2}),
        ({"name": "a", "extra": 1}, "unknown_field", "extra", {}),
        ({"name": "a", "note": "custom"}, "needs_reason", "note", {}),
        ({"name": "a", "note": "stranger"}, "invalid", "note", {"message": "a strange note"}),
        ({"name": "a", "note": "plain"}, "invalid", "note", {"message": "Value error, plain failure"}),
    ],
)
def test_pydantic_refusals_become_our_codes(data, code, field, values):
    [issue] = refusal(data, "rows", 2, row=3, item="A")
    assert (issue.code, issue.path, issue.row, issue.item) == (code, ("rows", 2, field), 3, "A")
    for key, value in (values or {}).items():
        assert issue.values[key] == value
    assert issue.text("ru").startswith("Строка 3 «A»: rows › 3 › ")  # a position counted from 1
    assert all("{" not in issue.text(lang) for lang in ("ru", "kk", "en"))  # every placeholder is filled


def test_a_long_value_is_cut_short_in_the_issue():
    [issue] = refusal({"name": "a", "code": "Ж" * 200})
    assert issue.values["value"] == "Ж" * 59 + "…"


def test_every_problem_of_a_row_is_reported():
    issues = refusal({"name": "", "share": 5, "status": "x"})
    assert [(i.code, i.path) for i in issues] == [("required", ("name",)), ("max", ("share",)), ("choice", ("status",))]


def test_validator_steps_are_left_out_of_the_path():
    """A model validator's step names (`function-after[...]`) are pydantic's, not a field people know."""
    with pytest.raises(ValidationError) as err:
        Project.model_validate({"id": "x", "region": {"name": "R", "country": "RU"}, "pilots": [{"name": "P"}]})
    issues = from_validation(err.value)
    assert issues and all(i.path[:2] == ("pilots", 0) for i in issues)
    assert not any(isinstance(p, str) and ("[" in p or "function-" in p) for i in issues for p in i.path)
