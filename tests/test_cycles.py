"""Opening the next annual cycle."""

from __future__ import annotations

from policy_engine.cycles import next_cycle


def test_next_cycle_returns_to_diagnostics_and_keeps_results(sample):
    nxt = next_cycle(sample)
    assert (nxt.cycle, nxt.iteration) == (sample.cycle + 1, 1)
    assert nxt.kpis == sample.kpis and nxt.identity_elements == sample.identity_elements
    assert nxt.pilots == sample.pilots
    assert sample.cycle == 1  # the closed cycle's project is not touched
