"""How far a project has got in each of the six iterations, and what is still missing.

The sidebar shows this on every page so a facilitator in front of a room always knows what to
fill in next. Each check names an i18n key (policy_engine/strings/*.yaml) for what is missing. The
audit counts as done with as many identity elements as the rules need to weigh the region's
evidence (`evidence.min_audit_elements` of seeds/rules.yaml).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from policy_engine.method.catalogue import Catalogue, default_catalogue
from policy_engine.project.model import Project

ITERATION_KEYS = {1: "iter.1", 2: "iter.2", 3: "iter.3", 4: "iter.4", 5: "iter.5", 6: "iter.6"}


class IterationStatus(BaseModel):
    model_config = ConfigDict(frozen=True)
    iteration: int
    title_key: str
    missing: tuple[str, ...]  # i18n keys of what is still to do
    values: dict[str, int] = {}  # what their texts fill in: the audit size the rules need

    @property
    def done(self) -> bool:
        return not self.missing


def _checks(project: Project, catalogue: Catalogue) -> dict[int, list[tuple[bool, str]]]:
    p, min_audit = project, catalogue.rules.evidence.min_audit_elements
    return {
        1: [
            (bool(p.region.profile or p.region.population), "missing.profile"),
            (len(p.identity_elements) >= min_audit, "missing.elements"),
            (bool(p.economy.employment or p.economy.gva), "missing.economy"),
            (bool(p.actors), "missing.actors"),
            (bool(p.region.positioning), "missing.positioning"),
        ],
        2: [
            (any(c.status == "accepted" for c in p.clusters), "missing.clusters"),
            (all(c.target_image.strip() for c in p.clusters if c.status == "accepted"), "missing.target_images"),
        ],
        3: [
            (bool(p.measures), "missing.measures"),
            (all(m.owner and m.start and m.end for m in p.measures), "missing.measure_details"),
        ],
        4: [(bool(p.pilots), "missing.pilots"), (bool(p.single_window.who), "missing.single_window")],
        5: [(bool(p.promotion.narrative.strip()), "missing.narrative"), (bool(p.promotion.events), "missing.events")],
        6: [(bool(p.kpis), "missing.kpis"), (any(len(k.actuals) >= 1 for k in p.kpis), "missing.actuals")],
    }


def iteration_status(project: Project, catalogue: Catalogue | None = None) -> list[IterationStatus]:
    """One status per iteration, in order, with the keys of what is still missing (say each with
    `t(key, lang, **status.values)`)."""
    catalogue = catalogue or default_catalogue()
    values = {"min_audit": catalogue.rules.evidence.min_audit_elements}
    return [
        IterationStatus(
            iteration=i,
            title_key=ITERATION_KEYS[i],
            missing=tuple(k for ok, k in checks if not ok),
            values=values,
        )
        for i, checks in _checks(project, catalogue).items()
    ]
