"""Iteration 3's engine helpers: classification rows, overrides, the level x type matrix, the check of the
chosen-measures table, and budgets by level and cluster."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd
import pytest
from pydantic import ValidationError

from policy_engine import measure_design as md
from policy_engine.project import Cluster, Override, SelectedMeasure
from policy_engine.rules import classify_all

LABELS = {k: k for k in ("level", "type", "count", "titles", "budget", "cluster", "measures", "industry",
                         "significance", "levels")}
TYPES = {"economic": "econ", "organizational": "org", "legal": "law"}


def override(industry="media", significance="high", justification="A regional media programme, Table 3", by="Dana"):
    return Override(industry=industry, significance=significance, justification=justification, by=by)


@pytest.mark.parametrize("country, lang, names", [
    ("KZ", "en", ["national", "oblast", "district and city"]),
    ("KZ", "kk", ["республикалық", "облыстық", "аудандық және қалалық"]),
    ("RU", "ru", ["федеральный", "региональный", "муниципальный"]),
])
def test_level_names_are_the_countrys_own(catalogue, country, lang, names):
    assert list(md.level_names(catalogue, country, lang).values()) == names


def test_classification_rows_of_the_sample(catalogue, sample):
    rows = {r["industry"]: r for r in md.classification_rows(classify_all(catalogue, sample), catalogue, "en", "KZ")}
    assert len(rows) == 16
    assert rows["folk_crafts"] == {
        "industry": "folk_crafts", "name": "Folk arts and crafts", "significance": "high", "default": "high",
        "levels": "national, oblast, district and city", "measures": 31, "overridden": False, "rank": 0}
    assert (rows["software"]["significance"], rows["software"]["default"], rows["software"]["overridden"]) == \
        ("medium", "low", True)
    assert rows["software"]["levels"] == "national, oblast"


def test_classification_rows_of_no_decisions_is_empty(catalogue):
    assert md.classification_rows([], catalogue, "en", "KZ") == []


# --- overrides ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, fields", [
    ({"justification": "too short"}, ["justification"]),  # 9 characters
    ({"justification": "          x         "}, ["justification"]),  # spaces do not count
    ({"by": "  "}, ["by"]),
    ({"justification": "", "by": ""}, ["justification", "by"]),
    ({"significance": "huge"}, ["significance"]),
])
def test_override_problems_name_the_field_the_model_refused(kwargs, fields):
    with pytest.raises(ValidationError) as info:
        override(**kwargs)
    problems = md.override_problems(info.value)
    assert [f for f, _ in problems] == fields
    assert all(message and not message.startswith("Value error") for _, message in problems)


def test_a_justification_of_exactly_ten_characters_is_enough():
    assert override(justification="0123456789").justification == "0123456789"


@pytest.mark.parametrize("existing, new, expected", [
    ([], override("media"), ["media"]),
    (["software"], override("media"), ["software", "media"]),
    (["software", "media", "design"], override("media", "low"), ["software", "media", "design"]),  # replaced in place
])
def test_with_override_adds_or_replaces(sample, existing, new, expected):
    sample.overrides = [override(i, "medium") for i in existing]
    changed = md.with_override(sample, new)
    assert [o.industry for o in changed.overrides] == expected
    assert next(o for o in changed.overrides if o.industry == new.industry) == new
    assert [o.industry for o in sample.overrides] == existing  # the original is left alone


@pytest.mark.parametrize("existing, removed, expected", [
    (["software", "media"], "media", ["software"]),
    (["software"], "media", ["software"]),  # nothing to remove
    ([], "media", []),
])
def test_without_override(sample, existing, removed, expected):
    sample.overrides = [override(i, "medium") for i in existing]
    assert [o.industry for o in md.without_override(sample, removed).overrides] == expected


# --- the matrix --------------------------------------------------------------------------------

def test_matrix_choices_list_significance_groups_then_industries(catalogue):
    choices = md.matrix_choices(catalogue)
    assert choices[:3] == ["significance:high", "significance:medium", "significance:low"]
    assert len(choices) == 3 + 16 and choices[3] == f"industry:{catalogue.industries[0].id}"


@pytest.mark.parametrize("choice, levels", [
    ("significance:high", {"federal", "regional", "municipal"}),
    ("significance:medium", {"federal", "regional"}),
    ("significance:low", {"federal"}),
    ("industry:folk_crafts", {"federal", "regional", "municipal"}),
    ("industry:software", {"federal", "regional"}),  # the sample's override lifts it from low
    ("industry:advertising_pr", {"federal"}),
])
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
    assert md.matrix_table(cells) == [{"level": n, "economic": "—", "organizational": "—", "legal": "—"}
                                      for n in ("F", "R", "M")]


# --- the chosen-measures table -----------------------------------------------------------------

GOOD = {"cluster": "living-crafts", "measure": "mun_micro_grants", "owner": "Akimat", "budget": 45.0,
        "start": date(2026, 3, 1), "end": date(2026, 11, 30), "note": ""}


@pytest.mark.parametrize("change, codes", [
    ({}, []),
    ({"measure": None}, ["measure_missing"]),
    ({"measure": "  "}, ["measure_missing"]),
    ({"measure": "mun_flying_carpets"}, ["measure_unknown"]),
    ({"cluster": "atlantis"}, ["cluster_unknown"]),
    ({"budget": -1.0}, ["budget_negative"]),
    ({"budget": "a lot"}, ["budget_not_number"]),
    ({"budget": math.inf}, ["budget_not_number"]),
    ({"start": "2026-13-01"}, ["date_invalid"]),
    ({"start": date(2026, 12, 1)}, ["end_before_start"]),
    ({"measure": "nope", "budget": -3, "end": date(2026, 1, 1)},
     ["measure_unknown", "budget_negative", "end_before_start"]),
])
def test_rows_with_errors_are_named_and_not_kept(catalogue, sample, change, codes):
    rows = [GOOD, GOOD | change]
    measures, errors, _ = md.measures_from_rows(rows, sample, catalogue, classify_all(catalogue, sample), "en")
    assert [e.code for e in errors] == codes
    assert all(e.row == 2 for e in errors)
    assert len(measures) == (2 if not codes else 1)


@pytest.mark.parametrize("change, expected", [
    ({"budget": None}, {"budget": 0.0}),
    ({"budget": float("nan")}, {"budget": 0.0}),
    ({"budget": "12.5"}, {"budget": 12.5}),
    ({"budget": 0}, {"budget": 0.0}),
    ({"cluster": None}, {"cluster": None}),
    ({"cluster": ""}, {"cluster": None}),
    ({"cluster": md.REGION_WIDE}, {"cluster": None}),
    ({"start": "2026-03-01", "end": "2026-03-01T00:00:00"}, {"start": date(2026, 3, 1), "end": date(2026, 3, 1)}),
    ({"start": pd.Timestamp("2026-04-02"), "end": datetime(2026, 5, 3, 12)},
     {"start": date(2026, 4, 2), "end": date(2026, 5, 3)}),
    ({"start": pd.NaT, "end": None}, {"start": None, "end": None}),
    ({"owner": "  Akimat  ", "note": pd.NA}, {"owner": "Akimat", "note": ""}),
])
def test_cells_as_the_editor_returns_them_are_read(catalogue, sample, change, expected):
    measures, errors, _ = md.measures_from_rows([GOOD | change], sample, catalogue, [], "en")
    assert errors == []
    assert measures[0].model_dump(include=set(expected)) == expected


@pytest.mark.parametrize("row", [
    {},
    {"cluster": None, "measure": None, "owner": "", "budget": float("nan"), "start": pd.NaT, "end": None, "note": None},
    {"cluster": md.REGION_WIDE, "measure": None, "budget": None},  # the column's default for a new row
])
def test_an_empty_new_row_is_skipped(catalogue, sample, row):
    assert md.measures_from_rows([row], sample, catalogue, [], "en") == ([], [], [])


@pytest.mark.parametrize("cluster, measure, code", [
    ("oskemen-stage", "mun_public_spaces", "level_not_granted"),  # performing arts and music: medium
    ("oskemen-stage", "reg_grants", None),
    ("living-crafts", "mun_micro_grants", None),  # folk crafts: high
    ("ore-to-code", "reg_accelerators", None),  # software: medium by the sample's override
    (None, "mun_festivals", None),  # the whole region: some industry has the municipal level
])
def test_a_level_the_cluster_is_not_granted_is_a_warning_not_an_error(catalogue, sample, cluster, measure, code):
    decisions = classify_all(catalogue, sample)
    measures, errors, warnings = md.measures_from_rows([GOOD | {"cluster": cluster, "measure": measure}], sample,
                                                       catalogue, decisions, "en")
    assert errors == [] and len(measures) == 1
    assert [w.code for w in warnings] == ([code] if code else [])
    if code:
        assert warnings[0].values == {"level": "district and city", "cluster": "Oskemen stage and sound"}


def test_the_region_wide_warning_when_no_industry_has_the_level(catalogue, sample):
    sample.clusters = []
    decisions = classify_all(catalogue)
    decisions = [d for d in decisions if d.significance == "low"]
    _, _, warnings = md.measures_from_rows([GOOD | {"cluster": None}], sample, catalogue, decisions, "en")
    assert [(w.code, w.values) for w in warnings] == [("level_not_granted_region", {"level": "district and city"})]


def test_the_samples_measures_round_trip_through_the_editor_rows(catalogue, sample):
    measures, errors, _ = md.measures_from_rows(md.measure_rows(sample), sample, catalogue,
                                                classify_all(catalogue, sample), "en")
    assert errors == [] and measures == sample.measures


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
    assert [r["level"] for r in rows] == sorted((r["level"] for r in rows),
                                                key=["federal", "regional", "municipal"].index)
    assert sum(r["budget"] for r in rows) == 600.0 and sum(r["measures"] for r in rows) == 13
    region = [r for r in rows if r["cluster"] == md.REGION_WIDE]
    assert [(r["level"], r["cluster_label"], r["measures"], r["budget"]) for r in region] == \
        [("regional", "Whole region", 2, 120.0)]


def test_a_measure_of_a_removed_cluster_is_still_counted(catalogue, sample):
    sample.clusters = [c for c in sample.clusters if c.id != "ore-to-code"]
    rows = md.budget_rows(sample, catalogue, "en", "Whole region")
    assert {r["cluster_label"] for r in rows if r["cluster"] == "ore-to-code"} == {"ore-to-code"}
    assert sum(r["budget"] for r in rows) == 600.0


@pytest.mark.parametrize("measures, expected", [
    ([], {"measures": 0, "budget": 0, "clusters": 0}),
    ([SelectedMeasure(measure="fed_grants", budget=10)], {"measures": 1, "budget": 10.0, "clusters": 0}),
    ([SelectedMeasure(measure="fed_grants", cluster="a", budget=1.5),
      SelectedMeasure(measure="reg_grants", cluster="a", budget=2),
      SelectedMeasure(measure="reg_grants", cluster="b")], {"measures": 3, "budget": 3.5, "clusters": 2}),
])
def test_totals(sample, measures, expected):
    sample.clusters = [Cluster(id="a", name="A", industries=["design"]),
                       Cluster(id="b", name="B", industries=["music"])]
    sample.measures = measures
    assert md.totals(sample) == expected


def test_summary_table_counts_per_level_and_cluster(catalogue, sample):
    table = {r["cluster"]: r for r in md.summary_table(md.budget_rows(sample, catalogue, "en", "Whole region"))}
    assert table["Whole region"] == {"cluster": "Whole region", "federal": 0, "regional": 2, "municipal": 0,
                                     "measures": 2, "budget": 120.0}
    assert table["Nomad's Altai — festivals and routes"] == {
        "cluster": "Nomad's Altai — festivals and routes", "federal": 1, "regional": 0, "municipal": 2,
        "measures": 3, "budget": 117.0}
    assert md.summary_table([]) == []


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
