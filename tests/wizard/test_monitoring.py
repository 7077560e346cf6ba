"""Monitoring (policy_engine/wizard/monitoring.py): the KPI status rule on its boundaries (tests/wizard/monitoring/kpi_status.yaml),
the planned path, the review's suggestions and the results a closing cycle keeps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from policy_engine.project.model import (
    AnnualReview,
    CustomKpi,
    KpiResult,
    KpiTrack,
    Pilot,
    Project,
    Region,
    SelectedMeasure,
)
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


# The review's first draft for one measure (reg_grants for the felt cluster, unless a case says otherwise),
# with the review held on 1 December 2025. "Drop" needs all three: the end date has passed (strictly
# before the review day), no pilot of the measure's cluster uses it, and so no pilot result speaks for
# or against it. A stalled or cancelled pilot asks to adjust; a delivered one to keep.
REVIEW_DAY = date(2025, 12, 1)
SUGGESTIONS = [
    # measure's end, its cluster, pilots using it as (status, cluster), suggestion
    pytest.param(date(2025, 11, 30), "felt", [], "drop", id="ended the day before the review, no pilot: drop"),
    pytest.param(REVIEW_DAY, "felt", [], "keep", id="ends on the review day: still running, keep"),
    pytest.param(date(2026, 6, 30), "felt", [], "keep", id="ends after the review: keep"),
    pytest.param(None, "felt", [], "keep", id="no end date: keep"),
    pytest.param(
        date(2025, 6, 30), "felt", [("planned", "felt")], "keep", id="ended, but a planned pilot uses it: keep"
    ),
    pytest.param(
        date(2025, 6, 30), "felt", [("running", "felt")], "keep", id="ended, but a running pilot uses it: keep"
    ),
    pytest.param(
        date(2025, 6, 30),
        "felt",
        [("running", "music")],
        "drop",
        id="ended, used only by another cluster's pilot: drop",
    ),
    pytest.param(
        date(2025, 6, 30),
        None,
        [("running", "music")],
        "keep",
        id="ended region-wide measure, any cluster's pilot: keep",
    ),
    pytest.param(date(2025, 6, 30), "felt", [("delivered", "felt")], "keep", id="ended, its pilot delivered: keep"),
    pytest.param(date(2025, 6, 30), "felt", [("stalled", "felt")], "adjust", id="ended, its pilot stalled: adjust"),
    pytest.param(date(2025, 6, 30), "felt", [("cancelled", "felt")], "adjust", id="ended, its pilot cancelled: adjust"),
]


@pytest.mark.parametrize("end, cluster, pilots, action", SUGGESTIONS)
def test_review_suggestion_for_one_measure(end, cluster, pilots, action):
    project = Project(
        id="review",
        region=Region(name="R", country="KZ"),
        measures=[SelectedMeasure(measure="reg_grants", cluster=cluster, start=date(2025, 1, 1), end=end)],
        pilots=[
            Pilot(
                id=f"p{k}",
                name=f"Pilot {k}",
                cluster=pilot_cluster,
                measures=["reg_grants"],
                start=date(2025, 3, 1),
                end=date(2026, 3, 1),
                status=status,
            )
            for k, (status, pilot_cluster) in enumerate(pilots)
        ],
        review=AnnualReview(year=2025, reviewed_on=REVIEW_DAY),
    )
    (decision,) = suggest_decisions(project)
    assert (decision.measure, decision.cluster, decision.action) == ("reg_grants", cluster, action)
    if action == "drop":
        assert decision.reason == f"ended {end.isoformat()} with no pilot using it"


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


def test_the_status_table_and_a_closed_cycles_tables_speak_russian(sample, catalogue):
    """Page 6's tables come from the engine: headers and statuses in Russian, no keys, one row per KPI."""
    from policy_engine.i18n import t
    from policy_engine.wizard.monitoring import carry_forward, load_rules, previous_cycle_tables, status_table

    rows, paths = status_table(sample, catalogue, load_rules(catalogue), "ru")
    assert len(rows) == len(sample.kpis) and paths
    statuses = {t(f"monitoring.status.{v}", "ru") for v in ("on_track", "at_risk", "off_track", "no_data")}
    assert {r[t("monitoring.col.status", "ru")] for r in rows} <= statuses
    assert all(not any("monitoring." in str(v) for v in r.values()) for r in rows)
    from datetime import date

    closed = carry_forward(sample, catalogue, date(2026, 12, 1))
    results, decisions = previous_cycle_tables(closed.previous_cycles[-1], catalogue, "ru")
    assert len(results) == len(closed.previous_cycles[-1].results)
    assert len(decisions) == len(closed.previous_cycles[-1].decisions)
