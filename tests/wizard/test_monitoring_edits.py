"""Monitoring's edit operations (policy_engine/wizard/monitoring.py): adding a KPI, recording an actual,
targets and actuals by year, the feedback log and the annual review — each an `Edit` with coded issues."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from policy_engine.project import validation
from policy_engine.project.model import Project, SelectedMeasure
from policy_engine.wizard import monitoring
from tests.wizard.grid import grid

KPI = {"kpi": "creative_firms", "baseline_year": 2025, "baseline": 120.0, "target_year": 2028, "target": 150.0}


def test_add_a_catalogue_kpi_by_id_or_name(empty, catalogue):
    edit = monitoring.add_kpi(empty, catalogue, KPI)
    assert edit.ok and edit.changed
    [k] = edit.project.kpis
    assert (k.kpi, k.custom, k.baseline, k.targets) == ("creative_firms", None, 120.0, {2028: 150.0})
    name = catalogue.kpi("creative_firms").name.ru
    assert monitoring.add_kpi(empty, catalogue, dict(KPI, kpi=name)).project.kpis[0].kpi == "creative_firms"
    [issue] = monitoring.add_kpi(edit.project, catalogue, KPI).issues
    assert issue.code == "kpi_tracked" and name in issue.text("ru")


def test_add_a_custom_kpi(empty, catalogue):
    edit = monitoring.add_kpi(
        empty,
        catalogue,
        {
            "kpi": "",
            "name": "Мастерские в сёлах",
            "unit": "ед.",
            "family": "социально-культурный",
            "baseline_year": 2025,
            "baseline": 4,
            "target_year": None,
            "target": None,
        },
    )
    assert edit.ok
    [k] = edit.project.kpis
    assert (k.kpi, k.custom.family, k.custom.unit, k.targets) == ("masterskie_v_selah", "socio_cultural", "ед.", {})


@pytest.mark.parametrize(
    "values, code, path",
    [
        ({"kpi": ""}, "kpi_needed", ("kpi",)),
        ({"kpi": "счастье"}, "choice", ("kpi",)),
        ({"baseline_year": 1900}, "a_year", ("baseline_year",)),
        ({"baseline": "много"}, "a_number", ("baseline",)),
        ({"baseline": None}, "required", ("baseline",)),
        ({"target": None}, "required", ("target",)),
        ({"kpi": "", "name": "Свой", "family": None}, "required", ("family",)),
    ],
)
def test_a_kpi_that_cannot_be_added(empty, catalogue, values, code, path):
    [issue] = monitoring.add_kpi(empty, catalogue, dict(KPI, **values)).issues
    assert (issue.code, issue.path) == (code, path)


def test_record_an_actual(empty, catalogue):
    one = monitoring.add_kpi(empty, catalogue, KPI).project
    edit = monitoring.record_actual(one, catalogue, "creative_firms", 2026, 131.0)
    assert edit.ok and edit.project.kpis[0].actuals == {2026: 131.0}
    assert not monitoring.record_actual(edit.project, catalogue, "creative_firms", 2026, 131.0).changed
    assert monitoring.record_actual(one, catalogue, "tourist_flow", 2026, 1).issues[0].code == "unknown_ref"
    assert monitoring.record_actual(one, catalogue, "creative_firms", 2200, 1).issues[0].code == "a_year"


def test_years_table(empty, catalogue):
    one = monitoring.add_kpi(empty, catalogue, KPI).project
    rows = monitoring.year_rows(one.kpis[0]) + [
        {"year": 2026.0, "target": None, "actual": 130.0},
        {"year": None, "target": float("nan"), "actual": None},
    ]
    edit = monitoring.set_years(one, catalogue, "creative_firms", rows)
    assert edit.ok and (edit.project.kpis[0].targets, edit.project.kpis[0].actuals) == ({2028: 150.0}, {2026: 130.0})
    twice = monitoring.set_years(one, catalogue, "creative_firms", rows[:2] + [{"year": 2026, "target": 1}])
    [issue] = twice.issues
    assert (issue.code, issue.row) == ("year_twice", 3)
    assert issue.text("ru") == "Строка 3: год — год 2026 указан дважды"
    assert issue.text("kk") == "3-жол: жыл — 2026 жылы екі рет көрсетілген"
    [issue] = monitoring.set_years(one, catalogue, "creative_firms", [{"year": "x", "target": 1}]).issues
    assert (issue.code, issue.row, issue.path) == ("a_year", 1, ("year",))
    [issue] = monitoring.set_years(one, catalogue, "creative_firms", [{"year": None, "target": 1}]).issues
    assert (issue.code, issue.row) == ("required", 1)  # a half row


def test_sourced_actuals_stay_sourced_when_unchanged(sample, catalogue):
    track = next(k for k in sample.kpis if k.sourced_years)
    edit = monitoring.set_years(sample, catalogue, track.kpi, monitoring.year_rows(track))
    assert edit.ok and not edit.changed
    year = track.sourced_years[0]
    changed = [dict(r, actual=r["actual"] + 1) if r["year"] == year else r for r in monitoring.year_rows(track)]
    new = next(
        k for k in monitoring.set_years(sample, catalogue, track.kpi, changed).project.kpis if k.kpi == track.kpi
    )
    assert year not in new.sourced_years


FEEDBACK = {
    "received": "2027-02-10",
    "source": "Круглый стол",
    "issue": "Нет помещений",
    "opportunity": "",
    "response": "",
}


def test_feedback_table_and_form(empty, catalogue):
    edit = monitoring.set_feedback(empty, catalogue, [{}, FEEDBACK])
    assert edit.ok and edit.project.feedback[0].received == date(2027, 2, 10)
    assert not monitoring.set_feedback(edit.project, catalogue, monitoring.feedback_rows(edit.project)).changed
    [issue] = monitoring.set_feedback(empty, catalogue, [dict(FEEDBACK, issue="")]).issues
    assert (issue.code, issue.row, issue.item) == ("feedback_empty", 1, "Круглый стол")
    [issue] = monitoring.set_feedback(empty, catalogue, [dict(FEEDBACK, received=None)]).issues
    assert (issue.code, issue.row, issue.path) == ("required", 1, ("received",))
    [issue] = monitoring.set_feedback(empty, catalogue, [dict(FEEDBACK, source="")]).issues
    assert (issue.code, issue.row, issue.path) == ("required", 1, ("source",))
    added = monitoring.add_feedback(empty, catalogue, dict(FEEDBACK, received=date(2027, 3, 1)))
    assert added.ok and len(added.project.feedback) == 1
    assert monitoring.add_feedback(empty, catalogue, dict(FEEDBACK, received="вчера")).issues[0].code == "a_date"


@pytest.fixture
def chosen(empty, catalogue) -> Project:
    measure = catalogue.measures[0].id
    return empty.model_copy(update={"measures": [SelectedMeasure(measure=measure, cluster="crafts")]})


def test_review_table_covers_every_measure_and_the_cycle_may_close(chosen, catalogue):
    assert [i.code for i in validation.ready_to_close(chosen, catalogue)] == ["no_review"]
    rows = monitoring.decision_rows(chosen, "ru")
    assert [r["suggested"] for r in rows] == [True]
    edit = monitoring.set_review(chosen, catalogue, rows + [{}], 2027, " Год пилотов ")
    assert edit.ok and edit.project.review.summary == "Год пилотов"
    assert validation.ready_to_close(edit.project, catalogue) == []
    again = monitoring.set_review(
        edit.project, catalogue, monitoring.decision_rows(edit.project, "ru"), 2027, "Год пилотов"
    )
    assert again.ok and not again.changed  # the same review keeps its date: no new version


def test_a_review_of_an_empty_project_may_have_no_decisions(empty, catalogue):
    edit = monitoring.set_review(empty, catalogue, [], 2027, "")
    assert edit.ok and validation.ready_to_close(edit.project, catalogue) == []


@pytest.mark.parametrize(
    "change, code, path",
    [
        ({"action": "забыть"}, "choice", ("action",)),
        ({"measure": "нет такой"}, "choice", ("measure",)),
        ({"cluster": "Балет"}, "choice", ("cluster",)),
        ({"reason": "да"}, "needs_reason", ("reason",)),
        ({"action": None}, "required", ("action",)),
    ],
)
def test_bad_decision_rows(chosen, catalogue, change, code, path):
    rows = monitoring.decision_rows(chosen, "ru")
    [issue] = monitoring.set_review(chosen, catalogue, [{}, dict(rows[0], **change)], 2027, "").issues
    assert (issue.code, issue.row, issue.path) == (code, 2, path)


def test_decision_labels_and_a_duplicate(chosen, catalogue):
    row = dict(
        monitoring.decision_rows(chosen, "ru")[0],
        action="скорректировать",
        cluster="Ремёсла",
        measure=catalogue.measures[0].title.kk,
    )
    edit = monitoring.set_review(chosen, catalogue, [row], 2027, "")
    assert edit.ok and edit.project.review.decisions[0].action == "adjust"
    [issue] = monitoring.set_review(chosen, catalogue, [row, row], 2027, "").issues
    assert (issue.code, issue.row) == ("decision_twice", 2)
    assert issue.text("kk").startswith("2-жол")


def test_the_decision_form_starts_or_updates_the_review(chosen, catalogue):
    values = {
        "measure": catalogue.measures[0].id,
        "cluster": "crafts",
        "action": "keep",
        "reason": "работает",
        "change": "",
        "year": 2027,
    }
    edit = monitoring.set_decision(chosen, catalogue, values)
    assert edit.ok and edit.project.review.year == 2027 and len(edit.project.review.decisions) == 1
    again = monitoring.set_decision(edit.project, catalogue, dict(values, action="drop"))
    assert [d.action for d in again.project.review.decisions] == ["drop"]
    assert monitoring.set_decision(chosen, catalogue, dict(values, reason="")).issues[0].code == "needs_reason"


# --- the row readers, fed as the grid feeds them (tests/wizard/grid.py) ------------------------------


def test_the_feedback_grid_handed_back_unchanged_changes_nothing(sample, catalogue):
    rows = grid(monitoring.feedback_rows(sample), monitoring.FEEDBACK_COLUMNS, ("received",), ({},))
    assert rows[-1]["received"] is pd.NaT and rows[0]["received"].__class__ is pd.Timestamp
    edit = monitoring.set_feedback(sample, catalogue, rows)
    assert edit.ok and not edit.changed


def test_a_half_filled_feedback_row_names_its_row(sample, catalogue):
    n = len(sample.feedback) + 1
    rows = grid(
        monitoring.feedback_rows(sample), monitoring.FEEDBACK_COLUMNS, ("received",), ({"issue": "Нет помещений"},)
    )
    edit = monitoring.set_feedback(sample, catalogue, rows)
    assert edit.project is sample
    assert {(i.code, i.row, i.path) for i in edit.issues} == {
        ("required", n, ("received",)),
        ("required", n, ("source",)),
    }


def test_a_feedback_date_that_is_not_a_date_names_its_row(empty, catalogue):
    rows = [dict(FEEDBACK), {}, dict(FEEDBACK, received="в прошлый вторник")]
    [issue] = monitoring.set_feedback(empty, catalogue, rows).issues
    assert (issue.code, issue.row, issue.item, issue.path) == ("a_date", 3, "Круглый стол", ("received",))


@pytest.fixture
def reviewed(sample, catalogue) -> Project:
    """The sample with its review saved once through the table, so the table covers every measure."""
    return monitoring.set_review(
        sample, catalogue, monitoring.decision_rows(sample, "ru"), sample.review.year, sample.review.summary
    ).project


def decisions_grid(project: Project, *added: dict) -> list[dict]:
    return grid(monitoring.decision_rows(project, "ru"), monitoring.DECISION_COLUMNS, added=added)


def test_the_decisions_grid_handed_back_unchanged_changes_nothing(reviewed, catalogue):
    rows = decisions_grid(reviewed, {})
    assert all(pd.isna(v) for v in rows[-1].values())
    edit = monitoring.set_review(reviewed, catalogue, rows, reviewed.review.year, reviewed.review.summary)
    assert edit.ok and not edit.changed


def test_a_half_filled_decision_row_names_its_row(reviewed, catalogue):
    measure = reviewed.measures[0].measure
    rows = decisions_grid(reviewed, {"measure": measure, "cluster": None})
    n = len(rows)
    edit = monitoring.set_review(reviewed, catalogue, rows, 2027, "")
    assert edit.project is reviewed
    assert [(i.code, i.row, i.path) for i in edit.issues] == [
        ("required", n, ("action",)),
        ("needs_reason", n, ("reason",)),  # every problem of the row at once
    ]


def test_a_decision_on_a_cluster_that_does_not_exist_is_refused(reviewed, catalogue):
    rows = decisions_grid(reviewed)
    rows[0]["cluster"] = "no-such-cluster"
    [issue] = monitoring.set_review(reviewed, catalogue, rows, 2027, "").issues
    assert (issue.code, issue.row, issue.path, issue.values) == (
        "choice",
        1,
        ("cluster",),
        {"value": "no-such-cluster"},
    )


def test_an_edited_decision_keeps_its_place_and_the_others(reviewed, catalogue):
    rows = decisions_grid(reviewed)
    rows[2]["reason"] = "перенесено на следующий год по решению рабочей группы"
    edit = monitoring.set_review(reviewed, catalogue, rows, reviewed.review.year, reviewed.review.summary)
    before, after = reviewed.review.decisions, edit.project.review.decisions
    assert edit.ok and len(after) == len(before)
    assert [(d.measure, d.cluster) for d in after] == [(d.measure, d.cluster) for d in before]
    assert after[2].reason == "перенесено на следующий год по решению рабочей группы"
    assert [d for i, d in enumerate(after) if i != 2] == [d for i, d in enumerate(before) if i != 2]


def test_the_years_grid_handed_back_unchanged_changes_nothing(sample, catalogue):
    track = next(k for k in sample.kpis if k.sourced_years)
    rows = grid(monitoring.year_rows(track), ["year", "target", "actual"], added=({},))
    assert isinstance(rows[0]["year"], float | int) and pd.isna(rows[-1]["year"])
    edit = monitoring.set_years(sample, catalogue, track.kpi, rows)
    assert edit.ok and not edit.changed  # NaN cells are "none that year", sourced actuals stay sourced
