"""The annual cycle: after monitoring (iteration 6) the method returns to diagnostics (iteration 1).

The method paper (002, Table 1) closes the loop: the annual review feeds the next round of the
identity audit. Opening the next cycle therefore keeps everything the region built — audit,
clusters, measures, pilots, promotion — and carries the KPI tracks with all their actuals, so
the new round starts from last year's results rather than from a blank page.
"""

from __future__ import annotations

from .project import Project


def next_cycle(project: Project) -> Project:
    """The project as it opens cycle N+1: same content, cycle + 1, back at iteration 1."""
    data = project.model_dump()
    data["cycle"] = project.cycle + 1
    data["iteration"] = 1
    return Project.model_validate(data)
