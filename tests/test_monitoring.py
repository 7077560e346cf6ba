"""Monitoring (policy_engine/monitoring.py): the KPI status rule on its boundaries (tests/monitoring/kpi_status.yaml),
the planned path, the review's suggestions and the results a closing cycle keeps."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policy_engine.monitoring import (
    load_rules,
    planned,
    results,
    status,
    suggest_decisions,
)
from policy_engine.project import CustomKpi, KpiTrack

CASES = yaml.safe_load((Path(__file__).parent / "monitoring" / "kpi_status.yaml").read_text(encoding="utf-8"))


def track(direction: str, baseline: float = 100, target: float = 200, actual: float | None = None,
          year: int = 2025) -> KpiTrack:
    return KpiTrack(kpi="test-kpi", custom=CustomKpi(name="Test", family="economic", unit="u", direction=direction),
                    baseline_year=2024, baseline=baseline, targets={2026: target},
                    actuals={} if actual is None else {year: actual})


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
    only_baseline = KpiTrack(kpi="creative_firms", baseline_year=2024, baseline=5, targets={2025: 6},
                             actuals={2024: 5})
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
    assert any(by_key[(m, delivered.cluster)].action == "keep" for m in delivered.measures if (m, delivered.cluster) in by_key)
    assert len(by_key) == len(sample.measures)


def test_editing_a_kpis_years_replaces_targets_and_actuals(sample):
    from policy_engine.monitoring import with_years, year_rows

    track = next(k for k in sample.kpis if k.kpi == "creative_gva_share")
    rows = year_rows(track)
    assert [r["year"] for r in rows] == sorted(set(track.targets) | set(track.actuals))
    rows = [r for r in rows if r["year"] != 2028] + [{"year": 2029, "target": 1.0, "actual": float("nan")}]
    updated, errors = with_years(sample, "creative_gva_share", rows)
    new = next(k for k in updated.kpis if k.kpi == "creative_gva_share")
    assert errors == [] and 2028 not in new.targets and new.targets[2029] == 1.0 and 2029 not in new.actuals
    assert new.sourced_years == track.sourced_years  # the paper's actuals are unchanged, so still sourced
    bad, errors = with_years(sample, "creative_gva_share", rows + [{"year": 2029, "target": 2.0, "actual": None},
                                                                   {"year": "x", "target": 1, "actual": None}])
    assert bad is sample and errors == [f"row {len(rows) + 1}: 2029 is listed twice",
                                        f"row {len(rows) + 2}: the year 'x' is not a year between 1990 and 2100"]
