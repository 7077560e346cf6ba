"""Differences between two versions of a project, by item and by iteration."""

from __future__ import annotations

from datetime import date

import pydantic
import pytest

from policy_engine.i18n import strings
from policy_engine.project import model as project_models
from policy_engine.project.changes import Change, diff, field_path, iterations_changed
from policy_engine.project.model import CustomKpi, Event, KpiTrack, Override
from tests.method.test_catalogue import english_words


def test_no_change(sample):
    assert diff(sample, sample.model_copy(deep=True)) == []
    assert iterations_changed(sample, sample.model_copy(deep=True)) == []


def test_items_added_removed_and_changed_are_named_by_id(sample):
    new = sample.model_copy(deep=True)
    new.identity_elements[1].scores.uniqueness = 1
    new.identity_elements[1].name = "Ethno-aul"
    removed = new.actors.pop(0)
    new.overrides.append(
        Override(industry="music", significance="high", by="X", justification="Dombra is the region's voice.")
    )
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
        ("next_review", 0, ("next_review",)),
        ("single_window", 4, ("who",)),
    ]


def test_kpi_actual_is_monitoring(sample):
    new = sample.model_copy(deep=True)
    new.kpis[2].actuals[2026] = 1100
    (change,) = diff(sample, new)
    assert (change.section, change.iteration, change.item, change.fields) == (
        "kpis",
        6,
        "[creative_firms]",
        ("actuals.2026",),
    )


def test_first_version_touches_every_filled_iteration(sample):
    assert iterations_changed(None, sample) == [1, 2, 3, 4, 5, 6]


# --- the diff in the reader's language -------------------------------------------------------------


def edited(sample):
    """The sample with one edit of each kind: a score and a name, a removed actor, an added override,
    a new event, a KPI actual and a pilot's federal budget."""
    new = sample.model_copy(deep=True)
    new.identity_elements[1].scores.uniqueness = 1
    new.identity_elements[1].name = "Этноаул"
    removed = new.actors.pop(0)
    new.overrides.append(
        Override(industry="music", significance="high", by="X", justification="Dombra is the region's voice.")
    )
    new.promotion.events.append(Event(name="Ярмарка войлока", start=date(2027, 5, 1)))
    new.kpis[2].actuals[2026] = 1100
    new.pilots[0].budget["federal"] = new.pilots[0].budget.get("federal", 0) + 1
    return new, removed


def user_names(*projects) -> tuple[str, ...]:
    return tuple({x.name for p in projects for x in (*p.identity_elements, *p.actors, *p.pilots, *p.clusters)})


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_diff_is_in_the_readers_language(sample, catalogue, lang):
    new, _ = edited(sample)
    described = [c.describe(lang, catalogue) for c in diff(sample, new)]
    assert len(described) == 6
    for line in described:
        assert not english_words(line, user_names(sample, new)), line
        assert "_" not in line and "[" not in line, line  # no ids, no internal keys


def test_items_are_named_by_their_names_and_fields_by_their_labels(sample, catalogue):
    new, removed = edited(sample)
    ru = {c.section + c.list_name: c.describe("ru", catalogue) for c in diff(sample, new)}
    assert "«Этноаул»" in ru["identity_elements"] and "ethno_aul" not in ru["identity_elements"]
    assert "название" in ru["identity_elements"] and "оценки › уникальность" in ru["identity_elements"]
    assert f"«{removed.name}»" in ru["actors"] and "удалено" in ru["actors"]
    assert f"«{catalogue.industry('music').name.ru}»" in ru["overrides"] and "добавлено" in ru["overrides"]
    assert "«Ярмарка войлока — 01.05.2027»" in ru["promotionevents"]
    assert catalogue.kpi(sample.kpis[2].kpi).name.ru in ru["kpis"] and "› 2026" in ru["kpis"]
    assert "бюджет › федеральный" in ru["pilots"]
    kk = {c.section: c.describe("kk", catalogue) for c in diff(sample, new)}
    assert catalogue.industry("music").name.kk in kk["overrides"] and "қосылды" in kk["overrides"]


def test_a_custom_kpi_and_a_measure_of_a_cluster_are_named_for_people(sample, catalogue):
    new = sample.model_copy(deep=True)
    new.kpis.append(
        KpiTrack(
            kpi="felt-fairs",
            custom=CustomKpi(name="Войлочные ярмарки", family="economic", unit="шт."),
            baseline_year=2024,
            baseline=1,
        )
    )
    measure = next(m for m in new.measures if m.cluster)
    measure.owner = "Новый ответственный"
    lines = [c.describe("ru", catalogue) for c in diff(sample, new)]
    cluster = next(c.name for c in sample.clusters if c.id == measure.cluster)
    assert any("«Войлочные ярмарки»" in line and "добавлено" in line for line in lines)
    assert any(
        catalogue.measure(measure.measure).title.ru in line and cluster in line and "ответственный" in line
        for line in lines
    )


def test_the_technical_form_stays_for_logs(sample):
    new, _ = edited(sample)
    (change, *_) = diff(sample, new)
    assert change.describe() == "identity_elements [ethno_aul]: changed name, scores.uniqueness"
    assert (
        Change(section="next_review", iteration=0, kind="changed", item="", fields=("next_review",)).describe("ru")
        == "Следующий пересмотр: изменено — следующий пересмотр"
    )


def test_every_field_of_every_project_model_has_a_label():
    models = [
        m
        for m in vars(project_models).values()
        if isinstance(m, type) and issubclass(m, pydantic.BaseModel) and m.__module__ == project_models.__name__
    ]
    assert len(models) > 20
    fields = {name for m in models for name in m.model_fields}
    texts = strings()
    missing = sorted(name for name in fields if f"field.{name}" not in texts)
    assert not missing, f"no field.<name> label for: {missing}"
    for name in fields:
        label = texts[f"field.{name}"]
        assert all(label.get(lang) for lang in ("ru", "kk", "en"))
        assert not english_words(label["ru"]) and not english_words(label["kk"]), name


def test_field_paths_are_said_in_the_language():
    assert field_path("scores.vitality", "ru") == "оценки › жизнеспособность"
    assert field_path("actuals.2026", "kk") == "нақты мәндер › 2026"
