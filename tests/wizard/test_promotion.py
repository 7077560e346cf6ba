"""Promotion's edit operations (policy_engine/wizard/promotion.py): the brand platform, the clusters'
stories (table and form) and the events calendar (table and form)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from policy_engine.project.model import Project, Provenance
from policy_engine.wizard import promotion
from tests.wizard.grid import grid

EVENT = {
    "name": "Ярмарка мастеров",
    "kind": "market",
    "start": "2027-05-20",
    "end": None,
    "venue": "Эспланада",
    "municipality": "Пермь",
    "audience": "горожане",
    "cluster": "crafts",
}


def test_the_platform(empty, catalogue):
    edit = promotion.set_platform(empty, catalogue, " Край мастеров ", "подлинность\n\nгостеприимство", "", ["туристы"])
    assert edit.ok and edit.project.promotion.values == ["подлинность", "гостеприимство"]
    assert edit.project.promotion.narrative == "Край мастеров" and edit.project.promotion.audiences_outside == [
        "туристы"
    ]
    assert not promotion.set_platform(
        edit.project, catalogue, "Край мастеров", "подлинность\nгостеприимство", "", "туристы"
    ).changed


def test_stories_table(empty, catalogue):
    rows = promotion.story_rows(empty)
    assert rows == [{"cluster": "crafts", "place": "", "tradition": "", "people": "", "today": ""}]
    assert not promotion.set_stories(empty, catalogue, rows).changed  # a cluster without a story yet: skipped
    rows[0]["place"] = "Кама"
    edit = promotion.set_stories(empty, catalogue, rows + [{}])
    assert edit.ok and edit.project.promotion.stories[0].place == "Кама"
    by_label = promotion.set_stories(empty, catalogue, [{"cluster": "Ремёсла", "people": "мастера"}])
    assert by_label.ok and by_label.project.promotion.stories[0].cluster == "crafts"


@pytest.mark.parametrize(
    "rows, code, row",
    [
        ([{"cluster": None, "place": "Кама"}], "required", 1),  # a half row
        ([{}, {"cluster": "Балет", "place": "Кама"}], "choice", 2),
        ([{"cluster": "crafts", "place": "Кама"}, {"cluster": "crafts", "today": "мастерские"}], "story_twice", 2),
    ],
)
def test_bad_story_rows(empty, catalogue, rows, code, row):
    edit = promotion.set_stories(empty, catalogue, rows)
    assert not edit.ok and (edit.issues[0].code, edit.issues[0].row) == (code, row)


def test_the_story_form_adds_or_replaces(empty, catalogue):
    one = promotion.set_story(empty, catalogue, {"cluster": "crafts", "place": "Кама"}).project
    two = promotion.set_story(one, catalogue, {"cluster": "crafts", "tradition": "резьба"}).project
    assert [(s.place, s.tradition) for s in two.promotion.stories] == [("", "резьба")]
    assert promotion.set_story(empty, catalogue, {"cluster": "crafts"}).issues[0].code == "story_empty"
    assert promotion.set_story(empty, catalogue, {"cluster": None, "place": "x"}).issues[0].code == "required"


def test_the_first_event_and_labels(empty, catalogue):
    edit = promotion.set_events(empty, catalogue, [dict(EVENT, kind="жәрмеңке", cluster="ремёсла"), {}])
    assert edit.ok
    [e] = edit.project.promotion.events
    assert (e.kind, e.cluster, e.start, e.end, e.provenance.basis) == (
        "market",
        "crafts",
        date(2027, 5, 20),
        None,
        "user",
    )


@pytest.mark.parametrize(
    "change, code, path",
    [
        ({"end": "2027-05-01"}, "end_before_start", ("end",)),
        ({"kind": "парад"}, "choice", ("kind",)),
        ({"cluster": "Балет"}, "choice", ("cluster",)),
        ({"start": None}, "required", ("start",)),
        ({"start": "завтра"}, "a_date", ("start",)),
        ({"name": ""}, "required", ("name",)),
    ],
)
def test_bad_event_rows(empty, catalogue, change, code, path):
    edit = promotion.set_events(empty, catalogue, [{}, dict(EVENT, **change)])
    [issue] = edit.issues
    assert (issue.code, issue.row, issue.path) == (code, 2, path) and edit.project is empty


def test_event_row_texts_in_russian_and_kazakh(empty, catalogue):
    [issue] = promotion.set_events(empty, catalogue, [dict(EVENT, kind="парад")]).issues
    assert issue.text("ru") == "Строка 1 «Ярмарка мастеров»: вид — «парад» — нет в списке допустимых значений"
    assert issue.text("kk") == "1-жол «Ярмарка мастеров»: түрі — «парад» — рұқсат етілген мәндер тізімінде жоқ"


def test_events_match_by_key_and_keep_provenance(empty, catalogue):
    two = promotion.set_events(empty, catalogue, [EVENT, dict(EVENT, name="Фестиваль глины", start="2027-07-01")])
    project = two.project
    illustrative = project.promotion.events[1].model_copy(update={"provenance": Provenance(basis="illustrative")})
    project = project.model_copy(
        update={
            "promotion": project.promotion.model_copy(update={"events": [project.promotion.events[0], illustrative]})
        }
    )
    rows = promotion.event_rows(project)[1:]  # the first deleted
    rows[0]["name"] = "Фестиваль глины и керамики"
    [e] = promotion.set_events(project, catalogue, rows).project.promotion.events
    assert (e.name, e.provenance.basis) == ("Фестиваль глины и керамики", "illustrative")
    assert not promotion.set_events(project, catalogue, promotion.event_rows(project)).changed


def test_the_event_form(empty, catalogue):
    edit = promotion.add_event(empty, catalogue, dict(EVENT, start=date(2027, 5, 20), cluster=None))
    assert edit.ok and edit.project.promotion.events[0].cluster is None
    assert promotion.add_event(empty, catalogue, dict(EVENT, name=" ")).issues[0].code == "required"


# --- the row readers, fed as the grid feeds them (tests/wizard/grid.py) ------------------------------


@pytest.fixture
def calendar(sample, catalogue) -> Project:
    """The sample with its events saved once through the table (the table keeps them by start date)."""
    return promotion.set_events(sample, catalogue, promotion.event_rows(sample)).project


def events_grid(project: Project, *added: dict) -> list[dict]:
    return grid(promotion.event_rows(project), promotion.EVENT_COLUMNS, ("start", "end"), added)


def test_the_samples_events_table_saved_untouched_is_no_new_version(sample, catalogue):
    """The table keeps events by start date; the sample is stored in that order, so a save of the
    untouched table makes no version (it made one when the sample listed 2023's events out of order)."""
    edit = promotion.set_events(sample, catalogue, events_grid(sample))
    assert edit.ok and not edit.changed


def test_the_events_grid_handed_back_unchanged_changes_nothing(calendar, catalogue):
    rows = events_grid(calendar, {})
    assert rows[-1]["start"] is pd.NaT and pd.isna(rows[-1]["name"])  # the empty row the user added
    edit = promotion.set_events(calendar, catalogue, rows)
    assert edit.ok and not edit.changed


def test_an_edited_event_keeps_its_source(calendar, catalogue):
    before = calendar.promotion.events[0]
    assert before.provenance.basis == "sourced"
    rows = events_grid(calendar)
    rows[0]["audience"] = "гости из пяти стран"
    after = promotion.set_events(calendar, catalogue, rows).project.promotion.events[0]
    assert (after.audience, after.name, after.provenance) == ("гости из пяти стран", before.name, before.provenance)


def test_a_half_filled_event_row_names_its_row(calendar, catalogue):
    n = len(calendar.promotion.events) + 1
    edit = promotion.set_events(calendar, catalogue, events_grid(calendar, {"name": "Ночь музеев"}))
    assert not edit.ok and edit.project is calendar
    assert [(i.code, i.row, i.item, i.path) for i in edit.issues] == [("required", n, "Ночь музеев", ("start",))]


def test_every_bad_event_row_is_reported_with_its_own_number(empty, catalogue):
    rows = [dict(EVENT, kind="парад"), dict(EVENT), {}, dict(EVENT, name="Б", cluster="Балет")]
    edit = promotion.set_events(empty, catalogue, rows)
    assert [(i.code, i.row, i.path) for i in edit.issues] == [("choice", 1, ("kind",)), ("choice", 4, ("cluster",))]


def test_an_event_of_a_cluster_that_does_not_exist_is_refused(calendar, catalogue):
    rows = events_grid(calendar)
    rows[1]["cluster"] = "no-such-cluster"
    [issue] = promotion.set_events(calendar, catalogue, rows).issues
    assert (issue.code, issue.row, issue.path) == ("choice", 2, ("cluster",))


def test_the_stories_grid_handed_back_unchanged_changes_nothing(sample, catalogue):
    rows = grid(promotion.story_rows(sample), promotion.STORY_COLUMNS, added=({},))
    assert pd.isna(rows[-1]["place"])
    edit = promotion.set_stories(sample, catalogue, rows)
    assert edit.ok and not edit.changed


def test_a_story_whose_cluster_was_emptied_names_its_row(sample, catalogue):
    rows = grid(promotion.story_rows(sample), promotion.STORY_COLUMNS)
    rows[1]["cluster"] = float("nan")
    [issue] = promotion.set_stories(sample, catalogue, rows).issues
    assert (issue.code, issue.row, issue.path) == ("required", 2, ("cluster",))


def test_a_story_of_a_cluster_that_does_not_exist_is_refused(sample, catalogue):
    rows = grid(promotion.story_rows(sample), promotion.STORY_COLUMNS)
    rows[0]["cluster"] = "no-such-cluster"
    [issue] = promotion.set_stories(sample, catalogue, rows).issues
    assert (issue.code, issue.row, issue.item, issue.path) == ("choice", 1, "no-such-cluster", ("cluster",))
