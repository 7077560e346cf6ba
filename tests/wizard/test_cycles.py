"""Opening the next annual cycle."""

from __future__ import annotations

from policy_engine.wizard.cycles import next_cycle


def test_next_cycle_returns_to_diagnostics_and_keeps_results(sample):
    nxt = next_cycle(sample)
    assert (nxt.cycle, nxt.iteration) == (sample.cycle + 1, 1)
    assert nxt.kpis == sample.kpis and nxt.identity_elements == sample.identity_elements
    assert nxt.pilots == sample.pilots
    assert sample.cycle == 1  # the closed cycle's project is not touched


def test_next_cycle_applies_the_review_and_keeps_the_results(sample, catalogue):
    from datetime import date

    from policy_engine.project.model import AnnualReview, MeasureDecision

    dropped, adjusted = sample.measures[0], sample.measures[1]
    sample.review = AnnualReview(
        year=2026,
        summary="first year",
        decisions=[
            MeasureDecision(
                measure=dropped.measure, cluster=dropped.cluster, action="drop", reason="no demand this year"
            ),
            MeasureDecision(
                measure=adjusted.measure,
                cluster=adjusted.cluster,
                action="adjust",
                reason="too slow",
                change="halve the application form",
            ),
        ],
    )
    nxt = next_cycle(sample, catalogue, closed_on=date(2026, 12, 15))
    keys = [(m.measure, m.cluster) for m in nxt.measures]
    assert (dropped.measure, dropped.cluster) not in keys and len(nxt.measures) == len(sample.measures) - 1
    kept = next(m for m in nxt.measures if (m.measure, m.cluster) == (adjusted.measure, adjusted.cluster))
    assert kept.note.endswith("halve the application form")  # the review's words, no engine sentence
    assert nxt.review is None
    [summary] = nxt.previous_cycles
    assert (summary.cycle, summary.closed_on, summary.summary) == (1, date(2026, 12, 15), "first year")
    assert [r.kpi for r in summary.results] == [k.kpi for k in sample.kpis]
    assert summary.decisions == sample.review.decisions
    assert nxt.kpis == sample.kpis  # every actual carried
    again = next_cycle(nxt, catalogue, closed_on=date(2027, 12, 15))
    assert [c.cycle for c in again.previous_cycles] == [1, 2]


def test_the_closed_cycles_kpis_are_named_in_the_readers_language(sample, catalogue):
    from policy_engine.wizard.monitoring import result_name

    nxt = next_cycle(sample, catalogue)
    data = nxt.to_json()
    for k in sample.kpis:
        if k.custom is None:  # no catalogue name, in any language, is written into the project
            assert catalogue.kpi(k.kpi).name.en not in data and catalogue.kpi(k.kpi).name.ru not in data
    [summary] = nxt.previous_cycles
    for lang in ("ru", "kk"):
        assert [result_name(r, catalogue, lang) for r in summary.results] == [
            k.custom.name if k.custom else catalogue.kpi(k.kpi).name.get(lang) for k in sample.kpis
        ]
    assert type(nxt).from_json(data) == nxt  # and the project reads back as it was
