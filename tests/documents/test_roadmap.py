"""The roadmap's content (policy_engine/documents/roadmap.py): sections, unfinished iterations, numbers, schedule."""

from __future__ import annotations

from datetime import date

import pytest

from policy_engine.documents.roadmap import (
    Figure,
    Pending,
    Table,
    build_roadmap,
    day,
    monitoring_schedule,
    number,
    printable,
)
from policy_engine.i18n import t
from policy_engine.project.model import Project, Region
from policy_engine.project.synthetic import large_project

SECTIONS = [
    "summary",
    "audit",
    "clusters",
    "classification",
    "measures",
    "pilots",
    "promotion",
    "monitoring",
    "next_review",
]


def test_sections_follow_the_method_in_every_language(sample, catalogue):
    for lang in ("ru", "kk", "en"):
        doc = build_roadmap(sample, catalogue, lang, today=date(2026, 11, 23))
        assert [s.id for s in doc.sections] == SECTIONS
        assert [s.title for s in doc.sections] == [t(f"roadmap.sec.{i}", lang) for i in SECTIONS]
        assert doc.cover.region == sample.region.name
        assert (t("roadmap.cover.date", lang), day(date(2026, 11, 23), lang)) in doc.cover.facts


def test_the_finished_sample_has_no_pending_iteration_and_every_chart(sample, catalogue):
    doc = build_roadmap(sample, catalogue, "en")
    assert not [b for s in doc.sections for b in s.blocks if isinstance(b, Pending)]
    assert [f.id for f in doc.figures()] == [
        "identity_by_layer",
        "priority_matrix",
        "cluster_network",
        "pilots_gantt",
        "pilots_budget",
        "events_timeline",
        "kpi_paths_1",
    ]
    for f in doc.figures():  # inline data only: vl-convert must never fetch anything
        spec = f.spec()
        assert "url" not in str(spec.get("data", {})) and spec["background"] == "white"


def test_an_empty_project_prints_every_iteration_as_not_done(catalogue):
    bare = Project(id="bare", region=Region(name="Пустой регион", country="RU"))
    doc = build_roadmap(bare, catalogue, "ru")
    pending = {s.iteration: b for s in doc.sections for b in s.blocks if isinstance(b, Pending) and s.iteration}
    assert sorted(pending) == [1, 2, 3, 4, 5, 6]
    assert t("missing.pilots", "ru") in pending[4].missing
    assert t("roadmap.no_next_review", "ru") in doc.text()
    assert doc.figures() == []


def test_tables_refuse_rows_of_the_wrong_width():
    with pytest.raises(ValueError, match="2 cells"):
        Table(columns=["a", "b"], rows=[["1"]], widths=[1, 1])


@pytest.mark.parametrize(
    "value,lang,digits,expected",
    [
        (1234567.891, "ru", 1, "1\u00a0234\u00a0567,9"),
        (1234567.891, "en", 1, "1,234,567.9"),
        (0.5, "kk", 3, "0,5"),
        (30.0, "en", 1, "30"),
        (0.0, "ru", 1, "0"),
        (-2.25, "en", 2, "-2.25"),
    ],
)
def test_numbers_as_officials_write_them(value, lang, digits, expected):
    assert number(value, lang, digits) == expected


def test_printable_keeps_markup_and_emoji_but_drops_control_characters():
    assert printable('<b>&"😀\r\nә\x00\x07\ud800') == '<b>&"😀\nә'


def test_monitoring_schedule_reviews_each_target_year(sample):
    schedule = monitoring_schedule(sample)
    years = sorted({y for k in sample.kpis for y in k.targets if y >= sample.next_review.year})
    assert [y for _, y, _ in schedule] == years
    for review, year, due in schedule:
        assert (review.month, review.day) == (sample.next_review.month, sample.next_review.day)
        assert due == [k for k in sample.kpis if year in k.targets]


def test_monitoring_schedule_edge_cases(sample):
    leap = sample.model_copy(update={"next_review": date(2028, 2, 29)})
    leap.kpis[0].targets[2029] = 1.0
    assert [r for r, _, _ in monitoring_schedule(leap)] == [date(2028, 2, 29), date(2029, 2, 28)]
    assert monitoring_schedule(sample.model_copy(update={"next_review": None})) == []
    assert monitoring_schedule(sample.model_copy(update={"kpis": []})) == []


def test_the_large_project_fills_every_section(catalogue):
    project = large_project(catalogue)
    doc = build_roadmap(project, catalogue, "ru")
    assert not [b for s in doc.sections for b in s.blocks if isinstance(b, Pending)]
    assert len([f for f in doc.figures() if f.id.startswith("kpi_paths")]) == 3  # 30 KPIs, 12 per chart
    kpi_table = [b for b in next(s for s in doc.sections if s.id == "monitoring").blocks if isinstance(b, Table)][0]
    assert len(kpi_table.rows) == 30 and kpi_table.columns[-5:] == [str(y) for y in range(2026, 2031)]
    assert all(isinstance(f, Figure) for f in doc.figures())


def test_monitoring_prints_status_rules_feedback_review_and_the_last_cycle(sample, catalogue):
    from policy_engine.wizard.cycles import next_cycle
    from policy_engine.wizard.monitoring import status

    text = build_roadmap(sample, catalogue, "en").text()
    for k in sample.kpis:
        assert status(k, catalogue).explain("en") in text
    assert all(f.source in text for f in sample.feedback)
    assert all(d.reason in text for d in sample.review.decisions)
    assert t("roadmap.review", "en", year=sample.review.year) in text
    closed = build_roadmap(next_cycle(sample, catalogue, closed_on=date(2026, 12, 15)), catalogue, "en").text()
    assert t("monitoring.previous", "en", cycle=1, date="2026-12-15") in closed
