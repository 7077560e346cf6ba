"""Monitoring (policy_engine/wizard/monitoring.py): the KPI status rule on its boundaries (tests/wizard/monitoring/kpi_status.yaml),
the planned path, the review's suggestions and the results a closing cycle keeps."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policy_engine.project.model import CustomKpi, KpiResult, KpiTrack
from policy_engine.wizard.monitoring import (
    load_rules,
    planned,
    result_name,
    results,
    status,
    suggest_decisions,
)

CASES = yaml.safe_load((Path(__file__).parent / "monitoring" / "kpi_status.yaml").read_text(encoding="utf-8"))


def track(
    direction: str, baseline: float = 100, target: float = 200, actual: float | None = None, year: int = 2025
) -> KpiTrack:
    return KpiTrack(
        kpi="test-kpi",
        custom=CustomKpi(name="Test", family="economic", unit="u", direction=direction),
        baseline_year=2024,
        baseline=baseline,
        targets={2026: target},
        actuals={} if actual is None else {year: actual},
    )


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_kpi_status_cases(case, catalogue):
    i = case["input"]
    k = track(i["direction"], i.get("baseline", 100), i.get("target", 200), i["actual"], i["year"])
    s = status(k, catalogue, year=i["year"])
    expected = case["output"]
    assert s.status == expected["status"]
    if "planned" in expected:
        assert s.planned == pytest.approx(expected["planned"])
    if "progress" in expected:
        assert s.progress == pytest.approx(expected["progress"])


def test_the_rules_are_data_with_a_source():
    rules = load_rules()
    assert 0 < rules.at_risk < rules.on_track <= 1 and rules.source.doc.startswith("002")


def test_planned_path_interpolates_between_targets():
    k = KpiTrack(kpi="k", baseline_year=2023, baseline=10, targets={2025: 20, 2027: 40})
    assert [planned(k, y) for y in range(2022, 2030)] == [None, 10, 15, 20, 30, 40, 40, 40]


def test_status_defaults_to_the_latest_actual_after_the_baseline(sample, catalogue):
    gva_share = next(k for k in sample.kpis if k.kpi == "creative_gva_share")
    s = status(gva_share, catalogue)
    assert s.year == max(gva_share.actuals) and s.actual == gva_share.actuals[s.year]
    only_baseline = KpiTrack(kpi="creative_firms", baseline_year=2024, baseline=5, targets={2025: 6}, actuals={2024: 5})
    assert status(only_baseline, catalogue).status == "no_data"


def test_explanations_show_the_rule_with_the_numbers(catalogue):
    s = status(track("increase", actual=125), catalogue, year=2025)
    text = s.explain("ru")
    assert "50%" in text and "125" in text and "150" in text


def test_sample_statuses_are_varied_and_explained(sample, catalogue):
    found = {r.status for r in results(sample, catalogue)}
    assert {"on_track", "off_track"} <= found  # the sample's charts show something real


def test_suggestions_follow_the_pilots(sample):
    by_key = {(d.measure, d.cluster): d for d in suggest_decisions(sample)}
    stalled = next(p for p in sample.pilots if p.status == "stalled")
    for m in stalled.measures:
        if (m, stalled.cluster) in by_key:
            assert by_key[(m, stalled.cluster)].action == "adjust"
    delivered = next(p for p in sample.pilots if p.status == "delivered")
    assert any(
        by_key[(m, delivered.cluster)].action == "keep" for m in delivered.measures if (m, delivered.cluster) in by_key
    )
    assert len(by_key) == len(sample.measures)


def test_results_keep_nothing_in_a_language(sample, catalogue):
    sample.kpis.append(track("increase", actual=125))
    kept = results(sample, catalogue)
    assert results(sample, catalogue, "ru") == kept  # the language of whoever closed the cycle leaves no trace
    assert any(k.custom for k in sample.kpis) and any(not k.custom for k in sample.kpis)
    for r, k in zip(kept, sample.kpis):
        # a catalogue KPI is kept by its id only; a custom one keeps the user's own name for it
        assert (r.kpi, r.name, r.custom) == ((k.kpi, k.custom.name, True) if k.custom else (k.kpi, "", False))
    assert kept[-1].name == "Test"


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_result_names_are_said_in_the_readers_language(sample, catalogue, lang):
    sample.kpis.append(track("increase", actual=125))
    for r, k in zip(results(sample, catalogue), sample.kpis):
        expected = k.custom.name if k.custom else catalogue.kpi(k.kpi).name.get(lang)
        assert result_name(r, catalogue, lang) == expected


def test_a_result_saved_with_an_english_name_is_shown_in_russian(catalogue):
    """Files written before kept a catalogue KPI's name in the language of whoever closed the cycle."""
    old = KpiResult.model_validate(
        {
            "kpi": "creative_gva",
            "name": "Creative gross value added",
            "year": 2025,
            "actual": 1.0,
            "planned": 2.0,
            "status": "off_track",
        }
    )
    assert result_name(old, catalogue, "ru") == catalogue.kpi("creative_gva").name.ru
    assert result_name(old, catalogue, "kk") == catalogue.kpi("creative_gva").name.kk
    custom = KpiResult.model_validate(
        {
            "kpi": "felt-fairs",
            "name": "Войлочные ярмарки",
            "year": None,
            "actual": None,
            "planned": None,
            "status": "no_data",
        }
    )
    assert result_name(custom, catalogue, "kk") == "Войлочные ярмарки"
