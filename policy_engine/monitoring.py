"""Monitoring (iteration 6): each KPI's planned path, its status with the rule that set it, the
annual review's suggestions, and the results a closing cycle carries forward.

Regional strategies die when nobody checks the indicators until the next strategy is due; so the
status of every KPI is computed from its own actuals against the path the region planned, and the
rule (seeds/monitoring.yaml) is shown with it, so nobody has to trust a traffic light blindly.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .catalogue import SEEDS_DIR, Catalogue, SourceRef
from .i18n import t
from .cells import day, field_errors, text
from .project import CycleSummary, FeedbackItem, KpiResult, KpiTrack, MeasureDecision, Project
from .seedfile import read_yaml

Status = Literal["on_track", "at_risk", "off_track", "no_data"]
RULES_PATH = SEEDS_DIR / "monitoring.yaml"


class StatusRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    on_track: float = Field(gt=0, le=1)
    at_risk: float = Field(ge=0, le=1)
    flat_tolerance: float = Field(ge=0, lt=1)
    source: SourceRef

    def model_post_init(self, _: object) -> None:
        if self.at_risk > self.on_track:
            raise ValueError("at_risk must not be above on_track")


@lru_cache(maxsize=4)
def load_rules(path: Path | str = RULES_PATH) -> StatusRules:
    return StatusRules.model_validate(read_yaml(Path(path)))


class KpiStatus(BaseModel):
    """A KPI's standing in one year, with the numbers the rule used."""

    model_config = ConfigDict(frozen=True)
    kpi: str
    year: int | None
    actual: float | None
    planned: float | None
    progress: float | None  # share of the planned change achieved (None when no change was planned)
    status: Status

    def explain(self, lang: str, rules: StatusRules | None = None) -> str:
        """The rule, with this KPI's numbers, in the user's language."""
        rules = rules or load_rules()
        if self.status == "no_data":
            return t("monitoring.rule.no_data", lang)
        if self.progress is None:
            return t("monitoring.rule.flat", lang, actual=_n(self.actual), planned=_n(self.planned),
                     tolerance=f"{rules.flat_tolerance:.0%}")
        return t("monitoring.rule.progress", lang, year=self.year, actual=_n(self.actual), planned=_n(self.planned),
                 progress=f"{self.progress:.0%}", on_track=f"{rules.on_track:.0%}", at_risk=f"{rules.at_risk:.0%}")


def _n(value: float | None) -> str:
    return "—" if value is None else f"{value:,.6g}".replace(",", " ")


def direction(track: KpiTrack, catalogue: Catalogue) -> str:
    if track.custom is not None:
        return track.custom.direction
    try:
        return catalogue.kpi(track.kpi).direction
    except KeyError:
        return "increase"


def planned(track: KpiTrack, year: int) -> float | None:
    """The planned value in `year`: straight lines from the baseline through the yearly targets,
    flat after the last target; None before the baseline year."""
    path = sorted({track.baseline_year: track.baseline, **track.targets}.items())
    if year < path[0][0]:
        return None
    for (y0, v0), (y1, v1) in zip(path, path[1:]):
        if y0 <= year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return path[-1][1]


def status(track: KpiTrack, catalogue: Catalogue, year: int | None = None,
           rules: StatusRules | None = None) -> KpiStatus:
    """The KPI's status in `year` (default: the latest year with an actual after the baseline year)."""
    rules = rules or load_rules()
    if year is None:
        later = [y for y in track.actuals if y > track.baseline_year]
        year = max(later) if later else None
    if year is None or year not in track.actuals:
        return KpiStatus(kpi=track.kpi, year=year, actual=None, planned=None, progress=None, status="no_data")
    actual, plan = track.actuals[year], planned(track, year)
    sign = 1 if direction(track, catalogue) == "increase" else -1
    if plan is None:
        return KpiStatus(kpi=track.kpi, year=year, actual=actual, planned=None, progress=None, status="no_data")
    change = plan - track.baseline
    if abs(change) < 1e-12:  # nothing planned to change: compare with the planned value itself
        shortfall = sign * (plan - actual) / abs(plan) if plan else sign * (plan - actual)
        verdict: Status = ("on_track" if shortfall <= 0 else "at_risk" if shortfall <= rules.flat_tolerance
                           else "off_track")
        return KpiStatus(kpi=track.kpi, year=year, actual=actual, planned=plan, progress=None, status=verdict)
    progress = (actual - track.baseline) / change
    if sign * (actual - plan) >= 0:  # at or beyond the plan in the good direction
        progress = max(progress, 1.0)
    verdict = "on_track" if progress >= rules.on_track else "at_risk" if progress >= rules.at_risk else "off_track"
    return KpiStatus(kpi=track.kpi, year=year, actual=actual, planned=plan, progress=round(progress, 4), status=verdict)


def kpi_info(track: KpiTrack, catalogue: Catalogue, lang: str) -> tuple[str, str, str]:
    """(name, family, unit) of a tracked KPI in `lang`, from the catalogue or its custom definition."""
    if track.custom is not None:
        return track.custom.name, track.custom.family, track.custom.unit
    try:
        k = catalogue.kpi(track.kpi)
    except KeyError:
        return track.kpi, "", ""
    return k.name.get(lang), k.family, k.unit.get(lang)


def kpi_name(track: KpiTrack, catalogue: Catalogue, lang: str) -> str:
    return kpi_info(track, catalogue, lang)[0]


def suggest_decisions(project: Project, lang: str = "en") -> list[MeasureDecision]:
    """A first draft of the review for the working group to confirm or change: a measure used by a
    stalled or cancelled pilot is adjusted, one used by a delivered pilot kept, one whose end date has
    passed with no pilot using it dropped, the others kept. Each says why, in `lang`."""
    today = project.review.reviewed_on if project.review and project.review.reviewed_on else date.today()
    out = []
    for m in project.measures:
        pilots = [p for p in project.pilots if m.measure in p.measures and (m.cluster is None or p.cluster == m.cluster)]
        delivered = [p.name for p in pilots if p.status == "delivered"]
        troubled = [p.name for p in pilots if p.status in ("stalled", "cancelled")]
        if troubled:
            action, reason = "adjust", t("monitoring.suggest.troubled", lang, pilots="; ".join(troubled))
        elif delivered:
            action, reason = "keep", t("monitoring.suggest.delivered", lang, pilots="; ".join(delivered))
        elif m.end is not None and m.end < today and not pilots:
            action, reason = "drop", t("monitoring.suggest.ended", lang, date=m.end.isoformat())
        else:
            action, reason = "keep", t("monitoring.suggest.running", lang)
        out.append(MeasureDecision(measure=m.measure, cluster=m.cluster, action=action, reason=reason))
    return out


def results(project: Project, catalogue: Catalogue, lang: str = "en") -> list[KpiResult]:
    """Every KPI's latest standing, in the form a closed cycle keeps."""
    out = []
    for k in project.kpis:
        s = status(k, catalogue)
        out.append(KpiResult(kpi=k.kpi, name=kpi_name(k, catalogue, lang), year=s.year, actual=s.actual,
                             planned=None if s.planned is None else round(s.planned, 6), status=s.status))
    return out


def carry_forward(project: Project, catalogue: Catalogue, closed_on: date) -> Project:
    """The project as the next cycle opens: the review applied (dropped measures removed, adjusted ones
    annotated), the KPI results and the review kept in `previous_cycles`, cycle + 1, back at iteration 1.

    KPI tracks keep all their actuals, so the next cycle's monitoring starts from last year's results.
    """
    decisions = project.review.decisions if project.review else []
    verdict = {(d.measure, d.cluster): d for d in decisions}
    measures = []
    for m in project.measures:
        d = verdict.get((m.measure, m.cluster))
        if d is not None and d.action == "drop":
            continue
        if d is not None and d.action == "adjust":
            note = f"cycle {project.cycle} review: adjust — {d.change or d.reason}"
            m = m.model_copy(update={"note": f"{m.note}\n{note}".strip()})
        measures.append(m)
    summary = CycleSummary(cycle=project.cycle, closed_on=closed_on, results=results(project, catalogue),
                           decisions=list(decisions), summary=project.review.summary if project.review else "")
    data = project.model_dump()
    data.update(cycle=project.cycle + 1, iteration=1, review=None,
                measures=[m.model_dump() for m in measures],
                previous_cycles=[c.model_dump() for c in project.previous_cycles] + [summary.model_dump()])
    return Project.model_validate(data)


# --- tables of the monitoring page ---------------------------------------------------------------

def with_actual(project: Project, kpi: str, year: int, value: float) -> Project:
    """The project with one actual recorded (or corrected); KeyError if the KPI is not tracked."""
    out = project.model_copy(deep=True)
    track = next((k for k in out.kpis if k.kpi == kpi), None)
    if track is None:
        raise KeyError(kpi)
    track.actuals = {**track.actuals, year: value}
    track.sourced_years = [y for y in track.sourced_years if y != year]  # the user's value, not the source's
    return out


def path_rows(track: KpiTrack, label_target: str, label_actual: str, name: str) -> list[dict]:
    """One KPI's target path and actuals, for charts.kpi_paths."""
    path = {track.baseline_year: track.baseline, **track.targets}
    return ([{"kpi_label": name, "year": y, "value": v, "series": "target", "series_label": label_target}
             for y, v in sorted(path.items())] +
            [{"kpi_label": name, "year": y, "value": v, "series": "actual", "series_label": label_actual}
             for y, v in sorted(track.actuals.items())])


def feedback_rows(project: Project) -> list[dict]:
    return [f.model_dump() for f in sorted(project.feedback, key=lambda f: f.received)]


def feedback_from_rows(rows: list[dict]) -> tuple[list[FeedbackItem], list[str]]:
    out, errors = [], []
    for n, row in enumerate(rows, start=1):
        if not any(text(row.get(k)) for k in ("source", "issue", "opportunity", "response")):
            continue
        try:
            out.append(FeedbackItem(received=day(row.get("received")), source=text(row.get("source")),
                                    **{k: text(row.get(k)) for k in ("issue", "opportunity", "response")}))
        except ValidationError as exc:
            errors.append(f"row {n}: {field_errors(exc)}")
        except ValueError as exc:  # a date that is not one
            errors.append(f"row {n}: {exc}")
    return sorted(out, key=lambda f: f.received), errors


def decision_rows(project: Project, lang: str = "en") -> list[dict]:
    """One row per chosen measure: the review's decision, or the engine's suggestion (marked
    `suggested`) for a measure the saved review does not cover yet."""
    chosen = {(d.measure, d.cluster): d for d in (project.review.decisions if project.review else [])}
    suggested = {(d.measure, d.cluster): d for d in suggest_decisions(project, lang)}
    rows = []
    for m in project.measures:
        key = (m.measure, m.cluster)
        d = chosen.get(key) or suggested[key]
        rows.append({"measure": m.measure, "cluster": m.cluster, "action": d.action, "reason": d.reason,
                     "change": d.change, "suggested": key not in chosen})
    return rows


def decisions_from_rows(rows: list[dict]) -> tuple[list[MeasureDecision], list[str]]:
    out, errors = [], []
    for n, row in enumerate(rows, start=1):
        try:
            out.append(MeasureDecision(measure=row["measure"], cluster=text(row.get("cluster")) or None,
                                       action=text(row.get("action")) or "keep", reason=text(row.get("reason")),
                                       change=text(row.get("change"))))
        except ValidationError as exc:
            errors.append(f"row {n} ({row.get('measure')}): {field_errors(exc)}")
    return out, errors


def year_rows(track: KpiTrack) -> list[dict]:
    """One row per year with a target or an actual, for editing a KPI's path and results together."""
    years = sorted(set(track.targets) | set(track.actuals))
    return [{"year": y, "target": track.targets.get(y), "actual": track.actuals.get(y)} for y in years]


def with_years(project: Project, kpi: str, rows: list[dict]) -> tuple[Project, list[str]]:
    """The project with one KPI's yearly targets and actuals replaced by `rows` (empty cells mean none);
    errors name the bad rows, and then the project is returned unchanged."""
    targets: dict[int, float] = {}
    actuals: dict[int, float] = {}
    errors: list[str] = []
    for n, row in enumerate(rows, start=1):
        year, target, actual = (row.get(k) for k in ("year", "target", "actual"))
        if all(v is None or v != v for v in (year, target, actual)):
            continue  # an empty new row (NaN counts as empty)
        try:
            year = int(year)
            if not 1990 <= year <= 2100:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(f"row {n}: the year {year!r} is not a year between 1990 and 2100")
            continue
        if year in targets or year in actuals:
            errors.append(f"row {n}: {year} is listed twice")
            continue
        for value, into in ((target, targets), (actual, actuals)):
            if value is not None and value == value:
                into[year] = float(value)
    if errors:
        return project, errors
    out = project.model_copy(deep=True)
    track = next(k for k in out.kpis if k.kpi == kpi)
    track.targets, track.actuals = targets, actuals
    track.sourced_years = [y for y in track.sourced_years if y in actuals and actuals[y] ==
                           next(k for k in project.kpis if k.kpi == kpi).actuals.get(y)]
    return out, []
