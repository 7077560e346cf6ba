"""The annual cycle: after monitoring (iteration 6) the method returns to diagnostics (iteration 1).

The method paper (002, Table 1) closes the loop: the annual review feeds the next round of the
identity audit. Opening the next cycle therefore keeps everything the region built — audit,
clusters, measures, pilots, promotion — applies the review's decisions (dropped measures go,
adjusted ones carry a note), and carries the KPI tracks with all their actuals plus a summary of
where each KPI stood (monitoring.carry_forward), so the new round starts from last year's results.
"""

from __future__ import annotations

from datetime import date

from policy_engine.method.catalogue import Catalogue, default_catalogue
from policy_engine.project.model import Project
from policy_engine.wizard.monitoring import carry_forward


def next_cycle(project: Project, catalogue: Catalogue | None = None, closed_on: date | None = None) -> Project:
    """The project as it opens cycle N+1: the review applied, results kept, cycle + 1, iteration 1."""
    return carry_forward(project, catalogue or default_catalogue(), closed_on or date.today())
