"""Iteration 3's engine: classification rows, the edit operations (overrides, the chosen-measures table,
one measure from the form) with their coded issues, the level x type matrix, and budgets by level and cluster."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd
import pytest

from policy_engine.diagnostics.rules import classify_all
from policy_engine.project.model import Cluster, CreativeEconomy, Project, Region, SelectedMeasure
from policy_engine.wizard import measure_design as md

LABELS = {
    k: k
    for k in ("level", "type", "count", "titles", "budget", "cluster", "measures", "industry", "significance", "levels")
}
TYPES = {"economic": "econ", "organizational": "org", "legal": "law"}


@pytest.mark.parametrize(
    "country, lang, names",
    [
        ("KZ", "en", ["national", "oblast", "district and city"]),
        ("KZ", "kk", ["республикалық", "облыстық", "аудандық және қалалық"]),
        ("RU", "ru", ["федеральный", "региональный", "муниципальный"]),
    ],
)
def test_level_names_are_the_countrys_own(catalogue, country, lang, names):
    assert list(md.level_names(catalogue, country, lang).values()) == names


def test_classification_rows_of_the_sample(catalogue, sample):
    rows = {r["industry"]: r for r in md.classification_rows(classify_all(catalogue, sample), catalogue, "en", "KZ")}
    assert len(rows) == 16
    assert rows["folk_crafts"] == {
        "industry": "folk_crafts",
        "name": "Folk arts and crafts",
        "significance": "high",
        "default": "high",
        "levels": "national, oblast, district and city",
        "measures": 31,
        "overridden": False,
        "rank": 0,
    }
    assert (rows["software"]["significance"], rows["software"]["default"], rows["software"]["overridden"]) == (
        "medium",
        "low",
        True,
    )
    assert rows["software"]["levels"] == "national, oblast"


def test_classification_rows_of_no_decisions_is_empty(catalogue):
    assert md.classification_rows([], catalogue, "en", "KZ") == []


# --- overrides ---------------------------------------------------------------------------------


def empty_russian() -> Project:
    """A region the samples never saw: no clusters, no elements, no overrides, money in roubles."""
    return Project(
        id="perm-krai",
        region=Region(name="Пермский край", country="RU"),
        economy=CreativeEconomy(currency="RUB", unit="thousand"),
    )


def test_the_first_override_of_an_empty_project_is_set(catalogue):
    project = empty_russian()
    edit = md.set_override(project, catalogue, "design", "high", "  Пермский дизайн-кластер, таблица 3 ", " Дана ")
    assert edit.ok and edit.changed
    [o] = edit.project.overrides
    assert (o.industry, o.significance, o.justification, o.by) == (
        "design",
        "high",
        "Пермский дизайн-кластер, таблица 3",
        "Дана",
    )
    assert o.decided_on == date.today()
    assert project.overrides == []  # the original is left alone
    assert classify_all(catalogue, edit.project)[0].industry  # the rules read it


def test_an_override_names_industry_and_significance_in_any_language(catalogue):
    edit = md.set_override(empty_russian(), catalogue, "Дизайн", "ВЫСОКАЯ", "Пермский дизайн-кластер", "Дана")
    assert edit.ok and [(o.industry, o.significance) for o in edit.project.overrides] == [("design", "high")]


@pytest.mark.parametrize(
    "kwargs, codes",
    [
        ({"justification": "too short"}, [("override_justification", ("override.justification",))]),  # 9 characters
        ({"justification": "          x         "}, [("override_justification", ("override.justification",))]),
        ({"by": "  "}, [("override_by", ("override.by",))]),
        (
            {"justification": "", "by": ""},
            [("override_justification", ("override.justification",)), ("override_by", ("override.by",))],
        ),
        ({"significance": "huge"}, [("choice", ("override.significance",))]),
        ({"industry": "alchemy"}, [("choice", ("override.industry",))]),
        ({"industry": None}, [("required", ("override.industry",))]),
    ],
)
def test_a_refused_override_says_why_and_changes_nothing(catalogue, kwargs, codes):
    project = empty_russian()
    args = {
        "industry": "media",
        "significance": "high",
        "justification": "A regional media programme",
        "by": "Dana",
    } | kwargs
    edit = md.set_override(project, catalogue, **args)
    assert not edit.ok and not edit.changed and edit.project == project
    assert [(i.code, i.path) for i in edit.issues] == codes


def test_a_refused_override_in_russian_and_kazakh(catalogue):
    edit = md.set_override(empty_russian(), catalogue, "design", "high", "потому", "")
    assert [i.text("ru") for i in edit.issues] == [
        "Обоснование — нужно письменное обоснование (не короче 10 символов): чем случай региона отличается от "
        "типологии",
        "Кто решил — укажите, кто принял решение о переопределении",
    ]
    assert [i.text("kk") for i in edit.issues] == [
        "Негіздеме — жазбаша негіздеме керек (кемінде 10 таңба): өңір жағдайы типологиядан несімен ерекшеленеді",
        "Кім шешті — қайта анықтау туралы шешімді кім қабылдағанын көрсетіңіз",
    ]


def test_a_justification_of_exactly_ten_characters_is_enough(catalogue):
    assert md.set_override(empty_russian(), catalogue, "media", "high", "0123456789", "Dana").ok


def test_an_override_is_replaced_in_place_and_the_same_decision_again_changes_nothing(catalogue, sample):
    before = [o.industry for o in sample.overrides]
    assert "software" in before
    edit = md.set_override(sample, catalogue, "media", "medium", "Akimat media programme", "Dana")
    assert [o.industry for o in edit.project.overrides] == [*before, "media"]
    replaced = md.set_override(edit.project, catalogue, "software", "high", "A new IT park, 2026", "Dana")
    assert [o.industry for o in replaced.project.overrides] == [*before, "media"]
    assert next(o for o in replaced.project.overrides if o.industry == "software").significance == "high"
    again = md.set_override(edit.project, catalogue, "media", "medium", " Akimat media programme ", "Dana")
    assert again.ok and not again.changed and again.project == edit.project


@pytest.mark.parametrize(
    "existing, removed, expected, changed",
    [
        (["software", "media"], "media", ["software"], True),
        (["software", "media"], "Медиа", ["software"], True),
        (["software"], "media", ["software"], False),  # nothing to remove
        ([], "media", [], False),
    ],
)
def test_remove_override(catalogue, existing, removed, expected, changed):
    project = empty_russian()
    for industry in existing:
        project = md.set_override(project, catalogue, industry, "medium", "A reason long enough", "Dana").project
    edit = md.remove_override(project, catalogue, removed)
    assert edit.ok and edit.changed == changed
    assert [o.industry for o in edit.project.overrides] == expected


def test_removing_an_unknown_industry_is_refused(catalogue):
    edit = md.remove_override(empty_russian(), catalogue, "alchemy")
    assert [i.code for i in edit.issues] == ["choice"]


# --- the matrix --------------------------------------------------------------------------------


def test_matrix_choices_list_significance_groups_then_industries(catalogue):
    choices = md.matrix_choices(catalogue)
    assert choices[:3] == ["significance:high", "significance:medium", "significance:low"]
    assert len(choices) == 3 + 16 and choices[3] == f"industry:{catalogue.industries[0].id}"


@pytest.mark.parametrize(
    "choice, levels",
    [
        ("significance:high", {"federal", "regional", "municipal"}),
        ("significance:medium", {"federal", "regional"}),
        ("significance:low", {"federal"}),
        ("industry:folk_crafts", {"federal", "regional", "municipal"}),
        ("industry:software", {"federal", "regional"}),  # the sample's override lifts it from low
        ("industry:advertising_pr", {"federal"}),
    ],
)
def test_measures_for_choice(catalogue, sample, choice, levels):
    measures = md.measures_for_choice(choice, classify_all(catalogue, sample), catalogue)
    assert {m.level for m in measures} == levels
    assert len(measures) == sum(1 for m in catalogue.measures if m.level in levels)


def test_an_unknown_matrix_choice_is_refused(catalogue):
    with pytest.raises(ValueError, match="unknown matrix choice"):
        md.measures_for_choice("cluster:x", [], catalogue)


@pytest.mark.parametrize("choice", ["significance:high", "significance:low"])
def test_matrix_cells_cover_the_whole_grid(catalogue, choice):
    measures = md.measures_for_choice(choice, [], catalogue)
    cells = md.matrix_cells(measures, "en", md.level_names(catalogue, "KZ", "en"), TYPES)
    assert len(cells) == 9
    assert sum(c["count"] for c in cells) == len(measures)
    federal_economic = next(c for c in cells if (c["level"], c["type"]) == ("federal", "economic"))
    assert federal_economic["count"] == 5 and "Targeted loans" in federal_economic["titles"]


def test_matrix_of_no_measures_is_nine_empty_cells_and_dashes():
    names = {"federal": "F", "regional": "R", "municipal": "M"}
    cells = md.matrix_cells([], "en", names, TYPES)
    assert [c["count"] for c in cells] == [0] * 9
    assert md.matrix_table(cells) == [
        {"level": n, "economic": "—", "organizational": "—", "legal": "—"} for n in ("F", "R", "M")
    ]


# --- the chosen-measures table -----------------------------------------------------------------

GOOD = {
    "cluster": "living-crafts",
    "measure": "mun_micro_grants",
    "owner": "Akimat",
    "budget": 45.0,
    "start": date(2026, 3, 1),
    "end": date(2026, 11, 30),
    "note": "",
}


@pytest.mark.parametrize(
    "change, codes",
    [
        ({}, []),
        ({"measure": None}, ["required"]),
        ({"measure": "  "}, ["required"]),
        ({"measure": "mun_flying_carpets"}, ["choice"]),
        ({"cluster": "atlantis"}, ["choice"]),
        ({"budget": -1.0}, ["min"]),
        ({"budget": "a lot"}, ["a_number"]),
        ({"budget": math.inf}, ["a_number"]),
        ({"start": "2026-13-01"}, ["a_date"]),
        ({"start": date(2026, 12, 1)}, ["end_before_start"]),
        ({"measure": "nope", "budget": -3, "end": date(2026, 1, 1)}, ["choice", "min"]),
        ({"measure": None, "cluster": "atlantis"}, ["choice", "required"]),
    ],
)
def test_rows_with_errors_are_coded_at_their_row_and_refuse_the_table(catalogue, sample, change, codes):
    rows = [GOOD, GOOD | {"cluster": None} | change]
    read, issues = md.read_measures(rows, sample, catalogue, "en")
    assert [i.code for i in issues] == codes
    assert all(i.row == 2 for i in issues)
    assert len(read) == (2 if not codes else 1)
    edit = md.set_measures(sample, catalogue, rows)
    assert edit.ok == (not codes)
    if codes:
        assert edit.project == sample and not edit.changed


def test_a_row_issue_names_the_row_the_measure_and_the_field_in_each_language(catalogue, sample):
    edit = md.set_measures(sample, catalogue, [GOOD | {"budget": -5.0}], "ru")
    [issue] = edit.issues
    assert issue.text("ru") == "Строка 1 «Муниципальные микрогранты»: Бюджет — должно быть не меньше 0"
    assert issue.text("kk").startswith("1-жол «") and issue.text("kk").endswith("Бюджет — кемінде 0 болуы керек")


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"budget": None}, {"budget": 0.0}),
        ({"budget": float("nan")}, {"budget": 0.0}),
        ({"budget": "12.5"}, {"budget": 12.5}),
        ({"budget": "1 234,5"}, {"budget": 1234.5}),
        ({"budget": 0}, {"budget": 0.0}),
        ({"cluster": None}, {"cluster": None}),
        ({"cluster": ""}, {"cluster": None}),
        ({"cluster": md.REGION_WIDE}, {"cluster": None}),
        ({"cluster": "Весь регион"}, {"cluster": None}),  # a pasted label in Russian
        ({"cluster": "Living crafts of the Altai"}, {"cluster": "living-crafts"}),  # the cluster's name
        ({"measure": "муниципальные микрогранты"}, {"measure": "mun_micro_grants"}),
        (
            {"measure": "Муниципальные микрогранты · муниципальный · экономические"},
            {"measure": "mun_micro_grants"},
        ),  # the table's whole label
        ({"start": "2026-03-01", "end": "2026-03-01T00:00:00"}, {"start": date(2026, 3, 1), "end": date(2026, 3, 1)}),
        (
            {"start": pd.Timestamp("2026-04-02"), "end": datetime(2026, 5, 3, 12)},
            {"start": date(2026, 4, 2), "end": date(2026, 5, 3)},
        ),
        ({"start": pd.NaT, "end": None}, {"start": None, "end": None}),
        ({"owner": "  Akimat  ", "note": pd.NA}, {"owner": "Akimat", "note": ""}),
    ],
)
def test_cells_as_the_editor_returns_them_are_read(catalogue, sample, change, expected):
    read, issues = md.read_measures([GOOD | change], sample, catalogue, "en")
    assert issues == []
    assert read[0][1].model_dump(include=set(expected)) == expected


@pytest.mark.parametrize(
    "row",
    [
        {},
        {
            "cluster": None,
            "measure": None,
            "owner": "",
            "budget": float("nan"),
            "start": pd.NaT,
            "end": None,
            "note": None,
        },
        {"cluster": md.REGION_WIDE, "measure": None, "budget": None},  # the column's default for a new row
    ],
)
def test_an_empty_new_row_is_skipped(catalogue, sample, row):
    assert md.read_measures([row], sample, catalogue) == ([], [])
    assert not md.set_measures(sample.model_copy(update={"measures": []}), catalogue, [row]).changed


@pytest.mark.parametrize(
    "row",
    [
        {"owner": "Минкультуры края"},
        {"cluster": md.REGION_WIDE, "budget": 10.0},
        {"start": "2026-01-01"},
    ],
)
def test_a_half_filled_new_row_is_an_issue_not_dropped(catalogue, row):
    project = empty_russian()
    edit = md.set_measures(project, catalogue, [row], "ru")
    assert [(i.code, i.row, i.path) for i in edit.issues] == [("required", 1, ("selected_measure.measure",))]
    assert edit.issues[0].text("ru") == "Строка 1: Мера — обязательное поле не заполнено"
    assert edit.issues[0].text("kk") == "1-жол: Шара — міндетті өріс толтырылмаған"


def test_the_first_measures_of_an_empty_project(catalogue):
    project = empty_russian()
    rows = [
        {
            "cluster": md.REGION_WIDE,
            "measure": "reg_grants",
            "owner": "Минкультуры",
            "budget": 1500.0,
            "start": "2026-03-01",
            "end": "2026-12-31",
            "note": "",
        },
        {"cluster": None, "measure": None, "budget": None},
    ]  # an empty row the editor added
    edit = md.set_measures(project, catalogue, rows, "ru")
    assert edit.ok and edit.changed
    assert edit.project.measures == [
        SelectedMeasure(
            measure="reg_grants", owner="Минкультуры", budget=1500, start=date(2026, 3, 1), end=date(2026, 12, 31)
        )
    ]


def test_rows_are_known_by_measure_and_cluster_so_a_deleted_row_moves_nothing(catalogue, sample):
    rows = md.measure_rows(sample)
    edit = md.set_measures(sample, catalogue, rows[1:])  # the first row deleted
    assert edit.ok and edit.project.measures == sample.measures[1:]


def test_a_measure_chosen_twice_for_the_same_cluster_is_refused(catalogue, sample):
    rows = md.measure_rows(sample)
    edit = md.set_measures(sample, catalogue, [*rows, rows[2] | {"owner": "Someone else"}])
    assert [(i.code, i.row, i.values) for i in edit.issues] == [("measure_twice", len(rows) + 1, {"row": 3})]
    assert "в строке 3" in edit.issues[0].text("ru")
    # the same measure for another cluster is another choice
    other = rows[2] | {"cluster": next(c.id for c in sample.clusters if c.id != rows[2]["cluster"])}
    assert md.set_measures(sample, catalogue, [*rows, other]).ok


def test_an_unchanged_table_changes_nothing(catalogue, sample):
    edit = md.set_measures(sample, catalogue, md.measure_rows(sample))
    assert edit.ok and not edit.changed and edit.project == sample


def test_the_samples_measures_round_trip_through_the_editor_rows(catalogue, sample):
    read, issues = md.read_measures(md.measure_rows(sample), sample, catalogue)
    assert issues == [] and [m for _, m in read] == sample.measures


# --- one measure from the form -----------------------------------------------------------------


def test_add_the_first_measure_with_owner_budget_and_dates(catalogue):
    project = empty_russian()
    edit = md.add_measure(
        project,
        catalogue,
        "reg_grants",
        md.REGION_WIDE,
        " Минкультуры ",
        250.0,
        date(2026, 3, 1),
        date(2026, 12, 1),
        "пилот",
        lang="ru",
    )
    assert edit.ok and edit.changed
    assert edit.project.measures == [
        SelectedMeasure(
            measure="reg_grants",
            owner="Минкультуры",
            budget=250,
            start=date(2026, 3, 1),
            end=date(2026, 12, 1),
            note="пилот",
        )
    ]
    second = md.add_measure(edit.project, catalogue, "Фестивали и крупные культурные события", None, lang="ru")
    assert [m.measure for m in second.project.measures] == ["reg_grants", "mun_festivals"]


@pytest.mark.parametrize(
    "kwargs, codes",
    [
        ({"measure": None}, ["required"]),
        ({"measure": "mun_flying_carpets"}, ["choice"]),
        ({"cluster": "atlantis"}, ["choice"]),
        ({"budget": -1.0}, ["min"]),
        ({"start": date(2026, 5, 1), "end": date(2026, 4, 1)}, ["end_before_start"]),
    ],
)
def test_a_refused_measure_from_the_form(catalogue, kwargs, codes):
    project = empty_russian()
    edit = md.add_measure(project, catalogue, **({"measure": "reg_grants"} | kwargs))
    assert [i.code for i in edit.issues] == codes and edit.project == project
    assert all(i.row is None for i in edit.issues)


def test_the_dates_of_an_issue_are_written_as_each_language_writes_them(catalogue):
    edit = md.add_measure(
        empty_russian(), catalogue, "reg_grants", start=date(2026, 5, 1), end=date(2026, 4, 1), lang="ru"
    )
    [issue] = edit.issues
    assert issue.text("ru") == "«Региональные гранты» — дата окончания 01.04.2026 раньше даты начала 01.05.2026"
    assert "01.04.2026" in issue.text("kk") and "2026-04-01" in issue.text("en")


def test_the_same_measure_for_the_same_cluster_again_is_refused(catalogue, sample):
    m = sample.measures[0]
    edit = md.add_measure(sample, catalogue, m.measure, m.cluster, "x", lang="ru")
    assert [i.code for i in edit.issues] == ["measure_chosen"]
    assert edit.issues[0].text("ru").endswith("измените её строку в таблице")


# --- levels the cluster is not granted: warnings -----------------------------------------------


@pytest.mark.parametrize(
    "cluster, measure, code",
    [
        ("oskemen-stage", "mun_public_spaces", "measure_level_not_granted"),  # performing arts and music: medium
        ("oskemen-stage", "reg_grants", None),
        ("living-crafts", "mun_micro_grants", None),  # folk crafts: high
        ("ore-to-code", "reg_accelerators", None),  # software: medium by the sample's override
        (None, "mun_festivals", None),  # the whole region: some industry has the municipal level
    ],
)
def test_a_level_the_cluster_is_not_granted_is_a_warning_not_an_error(catalogue, sample, cluster, measure, code):
    decisions = classify_all(catalogue, sample)
    read, issues = md.read_measures([GOOD | {"cluster": cluster, "measure": measure}], sample, catalogue)
    assert issues == [] and len(read) == 1
    warnings = md.level_warnings(read, sample, catalogue, decisions, "en")
    assert [w.code for w in warnings] == ([code] if code else [])
    if code:
        assert warnings[0].text("en") == (
            "Row 1 «Network of public spaces» — the district and city level is "
            "not granted to the industries of “Oskemen stage and sound”"
        )
        assert "«районный и городской»" in warnings[0].text("ru")


def test_the_region_wide_warning_when_no_industry_has_the_level(catalogue, sample):
    sample.clusters = []
    decisions = [d for d in classify_all(catalogue) if d.significance == "low"]
    read, _ = md.read_measures([GOOD | {"cluster": None}], sample, catalogue)
    warnings = md.level_warnings(read, sample, catalogue, decisions)
    assert [(w.code, w.values["level"]["en"]) for w in warnings] == [
        ("measure_level_not_granted_region", "district and city")
    ]


def test_granted_levels_per_cluster(catalogue, sample):
    granted = md.granted_levels(sample, classify_all(catalogue, sample))
    assert granted["living-crafts"] == {"federal", "regional", "municipal"}
    assert granted["ore-to-code"] == {"federal", "regional"}
    assert granted[md.REGION_WIDE] == {"federal", "regional", "municipal"}
    assert md.granted_levels(sample.model_copy(update={"clusters": []}), []) == {md.REGION_WIDE: set()}


def test_cluster_rows(catalogue, sample):
    rows = {r["cluster"]: r for r in md.cluster_rows(sample, classify_all(catalogue, sample), catalogue, "en")}
    crafts = rows["Living crafts of the Altai"]
    assert crafts["levels"] == "national, oblast, district and city"
    assert (crafts["measures"], crafts["budget"]) == (3, 123.0)
    assert crafts["industries"].startswith("Folk arts and crafts, ")


# --- budgets and the result --------------------------------------------------------------------


def test_budget_rows_of_the_sample(catalogue, sample):
    rows = md.budget_rows(sample, catalogue, "en", "Whole region")
    assert [r["level"] for r in rows] == sorted(
        (r["level"] for r in rows), key=["federal", "regional", "municipal"].index
    )
    assert sum(r["budget"] for r in rows) == 600.0 and sum(r["measures"] for r in rows) == 13
    region = [r for r in rows if r["cluster"] == md.REGION_WIDE]
    assert [(r["level"], r["cluster_label"], r["measures"], r["budget"]) for r in region] == [
        ("regional", "Whole region", 2, 120.0)
    ]


def test_a_measure_of_a_removed_cluster_is_still_counted(catalogue, sample):
    sample.clusters = [c for c in sample.clusters if c.id != "ore-to-code"]
    rows = md.budget_rows(sample, catalogue, "en", "Whole region")
    assert {r["cluster_label"] for r in rows if r["cluster"] == "ore-to-code"} == {"ore-to-code"}
    assert sum(r["budget"] for r in rows) == 600.0


@pytest.mark.parametrize(
    "measures, expected",
    [
        ([], {"measures": 0, "budget": 0, "clusters": 0}),
        ([SelectedMeasure(measure="fed_grants", budget=10)], {"measures": 1, "budget": 10.0, "clusters": 0}),
        (
            [
                SelectedMeasure(measure="fed_grants", cluster="a", budget=1.5),
                SelectedMeasure(measure="reg_grants", cluster="a", budget=2),
                SelectedMeasure(measure="reg_grants", cluster="b"),
            ],
            {"measures": 3, "budget": 3.5, "clusters": 2},
        ),
    ],
)
def test_totals(sample, measures, expected):
    sample.clusters = [
        Cluster(id="a", name="A", industries=["design"]),
        Cluster(id="b", name="B", industries=["music"]),
    ]
    sample.measures = measures
    assert md.totals(sample) == expected


def test_summary_table_counts_per_level_and_cluster(catalogue, sample):
    table = {r["cluster"]: r for r in md.summary_table(md.budget_rows(sample, catalogue, "en", "Whole region"))}
    assert table["Whole region"] == {
        "cluster": "Whole region",
        "federal": 0,
        "regional": 2,
        "municipal": 0,
        "measures": 2,
        "budget": 120.0,
    }
    assert table["Nomad's Altai — festivals and routes"] == {
        "cluster": "Nomad's Altai — festivals and routes",
        "federal": 1,
        "regional": 0,
        "municipal": 2,
        "measures": 3,
        "budget": 117.0,
    }
    assert md.summary_table([]) == []


@pytest.mark.parametrize(
    "currency, unit, lang, expected",
    [
        ("RUB", "thousand", "ru", "тыс. руб."),
        ("RUB", "million", "kk", "млн рубль"),
        ("KZT", "million", "en", "million KZT"),
    ],
)
def test_money_unit_is_the_projects_own(catalogue, currency, unit, lang, expected):
    project = empty_russian().model_copy(update={"economy": CreativeEconomy(currency=currency, unit=unit)})
    assert md.money_unit(project, lang, catalogue) == expected


def test_money_unit_falls_back_to_the_countrys_currency(catalogue):
    project = empty_russian()
    project.economy.__dict__["currency"] = None  # a project that names no currency of its own
    assert md.money_unit(project, "ru", catalogue) == "тыс. руб."


# --- charts ------------------------------------------------------------------------------------


def test_charts_carry_their_data_inline(catalogue, sample):
    decisions = classify_all(catalogue, sample)
    names = md.level_names(catalogue, "KZ", "kk")
    charts = [
        md.classification_chart(md.classification_rows(decisions, catalogue, "kk", "KZ"), LABELS),
        md.matrix_chart(md.matrix_cells(decisions[0].measures, "kk", names, TYPES), LABELS),
        md.budget_chart(md.budget_rows(sample, catalogue, "kk", "Бүкіл өңір"), LABELS),
    ]
    for chart in charts:
        spec = chart.to_dict()
        data = spec.get("data") or spec["layer"][0].get("data") or spec.get("datasets")
        assert data, spec
        assert "url" not in str(data)
