"""Monitoring (iteration 6): each KPI's planned path, its status with the rule that set it, the
annual review's suggestions, and the results a closing cycle carries forward.

Regional strategies die when nobody checks the indicators until the next strategy is due; so the
status of every KPI is computed from its own actuals against the path the region planned, and the
rule (seeds/monitoring.yaml, read through the catalogue) is shown with it, so nobody has to trust a
traffic light blindly.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from policy_engine.i18n import number, strings, t
from policy_engine.method.catalogue import Catalogue, StatusRules, default_catalogue
from policy_engine.method.vocabulary import KPI_FAMILIES, REVIEW_ACTIONS, KpiVerdict
from policy_engine.project import edits
from policy_engine.project.cells import blank, choice, day, slug, text
from policy_engine.project.edits import Edit
from policy_engine.project.issues import Issue
from policy_engine.project.model import (
    AnnualReview,
    CycleSummary,
    FeedbackItem,
    KpiResult,
    KpiTrack,
    MeasureDecision,
    Project,
)


def load_rules(catalogue: Catalogue | None = None) -> StatusRules:
    """The KPI status rule of seeds/monitoring.yaml, as the catalogue loaded and checked it."""
    return (catalogue or default_catalogue()).monitoring


class KpiStatus(BaseModel):
    """A KPI's standing in one year, with the numbers the rule used."""

    model_config = ConfigDict(frozen=True)
    kpi: str
    year: int | None
    actual: float | None
    planned: float | None
    progress: float | None  # share of the planned change achieved (None when no change was planned)
    status: KpiVerdict

    def explain(self, lang: str, rules: StatusRules | None = None) -> str:
        """The rule, with this KPI's numbers, in the user's language."""
        rules = rules or load_rules()
        if self.status == "no_data":
            return t("monitoring.rule.no_data", lang)
        if self.progress is None:
            return t(
                "monitoring.rule.flat",
                lang,
                actual=_n(self.actual),
                planned=_n(self.planned),
                tolerance=f"{rules.flat_tolerance:.0%}",
            )
        return t(
            "monitoring.rule.progress",
            lang,
            year=self.year,
            actual=_n(self.actual),
            planned=_n(self.planned),
            progress=f"{self.progress:.0%}",
            on_track=f"{rules.on_track:.0%}",
            at_risk=f"{rules.at_risk:.0%}",
        )


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


def status(
    track: KpiTrack, catalogue: Catalogue, year: int | None = None, rules: StatusRules | None = None
) -> KpiStatus:
    """The KPI's status in `year` (default: the latest year with an actual after the baseline year)."""
    rules = rules or load_rules(catalogue)
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
        verdict: KpiVerdict = (
            "on_track" if shortfall <= 0 else "at_risk" if shortfall <= rules.flat_tolerance else "off_track"
        )
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
        pilots = [
            p for p in project.pilots if m.measure in p.measures and (m.cluster is None or p.cluster == m.cluster)
        ]
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


def result_name(result: KpiResult, catalogue: Catalogue, lang: str) -> str:
    """The name of a KPI a closed cycle kept, in `lang`: a catalogue KPI's from the catalogue (also in
    files that stored it in one language), a custom KPI's own name as the user wrote it."""
    if not result.custom:
        try:
            return catalogue.kpi(result.kpi).name.get(lang)
        except KeyError:
            pass
    return result.name or result.kpi


def results(project: Project, catalogue: Catalogue, lang: str | None = None) -> list[KpiResult]:
    """Every KPI's latest standing, in the form a closed cycle keeps: nothing in a language (a
    catalogue KPI is named at display time by `result_name`; a custom one keeps the user's name).
    `lang` is accepted for old callers and not used."""
    out = []
    for k in project.kpis:
        s = status(k, catalogue)
        out.append(
            KpiResult(
                kpi=k.kpi,
                name=k.custom.name if k.custom else "",
                custom=k.custom is not None,
                year=s.year,
                actual=s.actual,
                planned=None if s.planned is None else round(s.planned, 6),
                status=s.status,
            )
        )
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
            # the review's own words, which the user wrote; the decision itself stays in previous_cycles,
            # so no engine sentence (in one language) is written into the project
            note = d.change or d.reason
            m = m.model_copy(update={"note": f"{m.note}\n{note}".strip() if note not in m.note else m.note})
        measures.append(m)
    summary = CycleSummary(
        cycle=project.cycle,
        closed_on=closed_on,
        results=results(project, catalogue),
        decisions=list(decisions),
        summary=project.review.summary if project.review else "",
    )
    data = project.model_dump()
    data.update(
        cycle=project.cycle + 1,
        iteration=1,
        review=None,
        measures=[m.model_dump() for m in measures],
        previous_cycles=[c.model_dump() for c in project.previous_cycles] + [summary.model_dump()],
    )
    return Project.model_validate(data)


# --- tables of the monitoring page: edit operations ----------------------------------------------
# Each returns an `edits.Edit` (policy_engine/project/edits.py); a bad row is a coded issue naming the row.

YEAR_COLUMNS = ["year", "target", "actual"]
FEEDBACK_COLUMNS = ["received", "source", "issue", "opportunity", "response"]
DECISION_COLUMNS = ["measure", "cluster", "action", "reason", "change", "suggested"]


def family_options() -> dict[str, dict[str, str]]:
    """KPI families with their names in ru/kk/en (a pasted name is read as its family)."""
    return {f: strings()[f"roadmap.family.{f}"] for f in KPI_FAMILIES}


def action_options() -> dict[str, dict[str, str]]:
    """Review decisions (keep, adjust, drop) with their names in ru/kk/en."""
    return {a: strings()[f"monitoring.action.{a}"] for a in REVIEW_ACTIONS}


class _Cells:
    """Reads a row's cells; a cell that cannot be read becomes a coded issue placed at the row."""

    def __init__(self, row: dict, n: int | None, item: str | None):
        self.row, self.n, self.item, self.issues = row, n, item or None, []

    def read(self, column: str, read, code: str):
        value = self.row.get(column)
        try:
            return read(value)
        except (ValueError, TypeError, OverflowError):
            self.issues.append(
                Issue(code=code, values={"value": text(value)}, row=self.n, item=self.item, path=(column,))
            )
            return None

    def year(self, column: str) -> int | None:
        def read(value):
            if blank(value):
                return None
            number_ = float(str(value).strip().replace(",", "."))
            if not number_.is_integer() or not 1990 <= number_ <= 2100:
                raise ValueError(value)
            return int(number_)

        return self.read(column, read, "a_year")

    def number(self, column: str) -> float | None:
        def read(value):
            if blank(value):
                return None
            out = (
                float(str(value).strip().replace(" ", "").replace(",", ".")) if isinstance(value, str) else float(value)
            )
            if out != out or out in (float("inf"), float("-inf")):
                raise ValueError(value)
            return out

        return self.read(column, read, "a_number")


def _track(project: Project, kpi: str) -> KpiTrack | None:
    return next((k for k in project.kpis if k.kpi == kpi), None)


def _no_kpi(project: Project, kpi: str) -> Edit:
    return edits.refuse(project, [Issue(code="unknown_ref", path=("kpis",), values={"kind": "kpi", "value": kpi})])


def _with_track(project: Project, catalogue: Catalogue, track: KpiTrack) -> Edit:
    return edits.finish(project, {"kpis": [track if k.kpi == track.kpi else k for k in project.kpis]}, catalogue)


def add_kpi(project: Project, catalogue: Catalogue, values: dict) -> Edit:
    """A KPI to track, from the form: a catalogue KPI (`kpi`: its id or name) or the region's own
    (`name`, `unit`, `family`, optional `direction`), with `baseline_year`, `baseline` and optionally
    one `target_year` and `target`."""
    name = text(values.get("name"))
    cells = _Cells(values, None, name)
    kpi = cells.read("kpi", lambda v: choice(v, {k.id: k.name for k in catalogue.kpis}), "choice")
    family = cells.read("family", lambda v: choice(v, family_options()), "choice")
    base_year, baseline = cells.year("baseline_year"), cells.number("baseline")
    target_year, target = cells.year("target_year"), cells.number("target")
    issues = cells.issues
    tracked = {k.kpi for k in project.kpis}
    if not issues and kpi is None and not name:
        issues.append(Issue(code="kpi_needed", path=("kpi",)))
    if kpi is not None and kpi in tracked:
        issues.append(Issue(code="kpi_tracked", path=("kpi",), values={"value": catalogue.kpi(kpi).name.model_dump()}))
    if not issues and kpi is None and family is None:
        issues.append(Issue(code="required", path=("family",), item=name))
    if (target_year is None) != (target is None) and not issues:
        issues.append(Issue(code="required", path=("target" if target is None else "target_year",), item=cells.item))
    if issues:
        return edits.refuse(project, issues)
    data = {
        "baseline_year": base_year,
        "baseline": baseline,
        "targets": {target_year: target} if target_year is not None else {},
    }
    if kpi is not None:
        data["kpi"] = kpi
    else:
        data["kpi"] = edits.unique_id(slug(name), tracked | {k.id for k in catalogue.kpis})
        data["custom"] = {
            "name": name,
            "family": family,
            "unit": text(values.get("unit")) or "—",
            "direction": text(values.get("direction")) or "increase",
        }
    track, issues = edits.build(KpiTrack, {k: v for k, v in data.items() if v is not None}, item=cells.item)
    if track is None:
        return edits.refuse(project, issues)
    return edits.finish(project, {"kpis": [*project.kpis, track]}, catalogue)


def record_actual(project: Project, catalogue: Catalogue, kpi: str, year, value) -> Edit:
    """One actual recorded (or corrected) for a tracked KPI; the user's value, so no longer `sourced`."""
    track = _track(project, kpi)
    if track is None:
        return _no_kpi(project, kpi)
    cells = _Cells({"year": year, "actual": value}, None, None)
    year, value = cells.year("year"), cells.number("actual")
    for column, got in (("year", year), ("actual", value)):
        if got is None and not any(i.path == (column,) for i in cells.issues):
            cells.issues.append(Issue(code="required", path=(column,)))
    if cells.issues:
        return edits.refuse(project, cells.issues)
    return _with_track(
        project,
        catalogue,
        track.model_copy(
            update={
                "actuals": {**track.actuals, year: value},
                "sourced_years": [y for y in track.sourced_years if y != year],
            }
        ),
    )


def year_rows(track: KpiTrack) -> list[dict]:
    """One row per year with a target or an actual, for editing a KPI's path and results together."""
    years = sorted(set(track.targets) | set(track.actuals))
    return [{"year": y, "target": track.targets.get(y), "actual": track.actuals.get(y)} for y in years]


def set_years(project: Project, catalogue: Catalogue, kpi: str, rows: list[dict]) -> Edit:
    """One KPI's yearly targets and actuals replaced by the table's rows (an empty cell: none that
    year; an empty row is skipped). An actual the user left as it was stays marked as sourced."""
    track = _track(project, kpi)
    if track is None:
        return _no_kpi(project, kpi)
    targets: dict[int, float] = {}
    actuals: dict[int, float] = {}
    issues: list[Issue] = []
    seen: set[int] = set()
    for n, row in enumerate(rows, start=1):
        if edits.is_blank_row(row, YEAR_COLUMNS):
            continue
        cells = _Cells(row, n, text(row.get("year")) or None)
        year, target, actual = cells.year("year"), cells.number("target"), cells.number("actual")
        issues += cells.issues
        if cells.issues:
            continue
        if year is None:
            issues.append(Issue(code="required", row=n, path=("year",)))
            continue
        if year in seen:
            issues.append(Issue(code="year_twice", row=n, path=("year",), values={"value": year}))
            continue
        seen.add(year)
        if target is not None:
            targets[year] = target
        if actual is not None:
            actuals[year] = actual
    if issues:
        return edits.refuse(project, issues)
    sourced = [y for y in track.sourced_years if y in actuals and actuals[y] == track.actuals.get(y)]
    return _with_track(
        project, catalogue, track.model_copy(update={"targets": targets, "actuals": actuals, "sourced_years": sourced})
    )


def path_rows(track: KpiTrack, label_target: str, label_actual: str, name: str) -> list[dict]:
    """One KPI's target path and actuals, for charts.kpi_paths."""
    path = {track.baseline_year: track.baseline, **track.targets}
    return [
        {"kpi_label": name, "year": y, "value": v, "series": "target", "series_label": label_target}
        for y, v in sorted(path.items())
    ] + [
        {"kpi_label": name, "year": y, "value": v, "series": "actual", "series_label": label_actual}
        for y, v in sorted(track.actuals.items())
    ]


def feedback_rows(project: Project) -> list[dict]:
    return [f.model_dump() for f in sorted(project.feedback, key=lambda f: f.received)]


def _feedback(row: dict, n: int | None) -> tuple[FeedbackItem | None, list[Issue]]:
    source = text(row.get("source"))
    cells = _Cells(row, n, source)
    received = cells.read("received", day, "a_date")
    if cells.issues:
        return None, cells.issues
    data = {
        "received": received,
        "source": source,
        **{k: text(row.get(k)) for k in ("issue", "opportunity", "response")},
    }
    return edits.build(FeedbackItem, {k: v for k, v in data.items() if v is not None}, row=n, item=source or None)


def set_feedback(project: Project, catalogue: Catalogue, rows: list[dict]) -> Edit:
    """The feedback log as the table holds it (sorted by date); empty rows skipped, a bad row refuses."""
    out, issues = [], []
    for n, row in enumerate(rows, start=1):
        if edits.is_blank_row(row, FEEDBACK_COLUMNS):
            continue
        item, found = _feedback(row, n)
        issues += found
        if item is not None:
            out.append(item)
    return edits.finish(project, {"feedback": sorted(out, key=lambda f: f.received)}, catalogue, issues)


def add_feedback(project: Project, catalogue: Catalogue, values: dict) -> Edit:
    """One entry of the feedback log from the form (received, source, issue, opportunity, response)."""
    item, issues = _feedback(values, None)
    if item is None:
        return edits.refuse(project, issues)
    return edits.finish(project, {"feedback": sorted([*project.feedback, item], key=lambda f: f.received)}, catalogue)


def decision_rows(project: Project, lang: str = "en") -> list[dict]:
    """One row per chosen measure: the review's decision, or the engine's suggestion (marked
    `suggested`) for a measure the saved review does not cover yet; then the review's decisions on
    measures the cycle no longer lists."""
    chosen = {(d.measure, d.cluster): d for d in (project.review.decisions if project.review else [])}
    suggested = {(d.measure, d.cluster): d for d in suggest_decisions(project, lang)}
    rows, keys = [], set()
    for m in project.measures:
        key = (m.measure, m.cluster)
        if key in keys:
            continue
        keys.add(key)
        d = chosen.get(key) or suggested[key]
        rows.append(
            {
                "measure": m.measure,
                "cluster": m.cluster,
                "action": d.action,
                "reason": d.reason,
                "change": d.change,
                "suggested": key not in chosen,
            }
        )
    rows += [
        {
            "measure": d.measure,
            "cluster": d.cluster,
            "action": d.action,
            "reason": d.reason,
            "change": d.change,
            "suggested": False,
        }
        for key, d in chosen.items()
        if key not in keys
    ]
    return rows


def _decision(
    row: dict, n: int | None, project: Project, catalogue: Catalogue
) -> tuple[MeasureDecision | None, list[Issue]]:
    cells = _Cells(row, n, text(row.get("measure")))
    measure = cells.read("measure", lambda v: choice(v, {m.id: m.title for m in catalogue.measures}), "choice")
    if measure is not None:
        cells.item = None  # the row number says which; the measure's id is not a name to show
    cluster = cells.read("cluster", lambda v: choice(v, {c.id: c.name for c in project.clusters}), "choice")
    action = cells.read("action", lambda v: choice(v, action_options()), "choice")
    if cells.issues:
        return None, cells.issues
    data = {
        "measure": measure or "",
        "cluster": cluster,
        "action": action,
        "reason": text(row.get("reason")),
        "change": text(row.get("change")),
    }
    return edits.build(
        MeasureDecision, {k: v for k, v in data.items() if v is not None or k == "cluster"}, row=n, item=cells.item
    )


def _review(
    project: Project, year, summary: str, decisions: list[MeasureDecision], issues: list[Issue]
) -> tuple[AnnualReview | None, list[Issue]]:
    old = project.review
    cells = _Cells({"year": year}, None, None)
    year = cells.year("year")
    if year is None and not cells.issues:
        year = old.year if old else (project.next_review or date.today()).year
    issues = [*issues, *cells.issues]
    if issues:
        return None, issues
    review = AnnualReview(
        year=year,
        reviewed_on=old.reviewed_on if old else date.today(),
        summary=(summary if summary is not None else (old.summary if old else "")).strip(),
        decisions=decisions,
    )
    if old is not None and review != old:
        review = review.model_copy(update={"reviewed_on": date.today()})
    return review, []


def set_review(project: Project, catalogue: Catalogue, rows: list[dict], year=None, summary: str | None = None) -> Edit:
    """The annual review from the decisions table (one row per measure and cluster: keep, adjust or
    drop, and why), its year and summary. A saved review with the same content keeps its date."""
    out: list[MeasureDecision] = []
    issues: list[Issue] = []
    for n, row in enumerate(rows, start=1):
        if edits.is_blank_row(row, [c for c in DECISION_COLUMNS if c != "suggested"]):
            continue
        decision, found = _decision(row, n, project, catalogue)
        issues += found
        if decision is None:
            continue
        if any((d.measure, d.cluster) == (decision.measure, decision.cluster) for d in out):
            issues.append(Issue(code="decision_twice", row=n, path=("measure",)))
            continue
        out.append(decision)
    review, issues = _review(project, year, summary, out, issues)
    if review is None:
        return edits.refuse(project, issues)
    return edits.finish(project, {"review": review}, catalogue)


def set_decision(project: Project, catalogue: Catalogue, values: dict) -> Edit:
    """One decision from the form (measure, cluster, action, reason, change): added to the review, or
    replacing the review's decision on that measure and cluster; a review is started if there is none."""
    decision, issues = _decision(values, None, project, catalogue)
    if decision is None:
        return edits.refuse(project, issues)
    old = project.review.decisions if project.review else []
    key = (decision.measure, decision.cluster)
    decisions = [decision if (d.measure, d.cluster) == key else d for d in old]
    if not any((d.measure, d.cluster) == key for d in old):
        decisions.append(decision)
    review, issues = _review(project, values.get("year"), None, decisions, [])
    if review is None:
        return edits.refuse(project, issues)
    return edits.finish(project, {"review": review}, catalogue)


def status_table(
    project: Project, catalogue: Catalogue, rules: StatusRules, lang: str
) -> tuple[list[dict], list[dict]]:
    """The KPI status table (headers in `lang`; the rule that set each status, said) and the rows of the
    planned-and-actual paths chart, as page 6 shows them."""
    col = {c: t(f"monitoring.col.{c}", lang) for c in ("kpi", "family", "baseline", "year", "actual", "planned")}
    rows, paths = [], []
    for k in project.kpis:
        s = status(k, catalogue, rules=rules)
        name, family, unit = kpi_info(k, catalogue, lang)
        verdict = t(f"monitoring.status.{s.status}", lang)
        rows.append(
            {
                col["kpi"]: f"{name}, {unit}" if unit else name,
                col["family"]: t(f"roadmap.family.{family}", lang) if family else family,
                col["baseline"]: f"{number(k.baseline, lang, 3)} ({k.baseline_year})",
                col["year"]: s.year or "—",
                col["actual"]: "—" if s.actual is None else number(s.actual, lang, 3),
                col["planned"]: "—" if s.planned is None else number(s.planned, lang, 3),
                t("monitoring.col.status", lang): verdict,
                t("monitoring.col.rule", lang): s.explain(lang, rules),
            }
        )
        paths += path_rows(
            k, t("roadmap.series.target", lang), t("roadmap.series.actual", lang), f"{name[:38]} ({verdict})"
        )
    return rows, paths


def previous_cycle_tables(past: CycleSummary, catalogue: Catalogue, lang: str) -> tuple[list[dict], list[dict]]:
    """What a closed cycle left, as page 6 lists it: its KPI results and its decisions on measures."""
    known = {m.id for m in catalogue.measures}
    results_ = [
        {
            t("monitoring.col.kpi", lang): result_name(r, catalogue, lang),
            t("monitoring.col.year", lang): r.year,
            t("monitoring.col.actual", lang): r.actual,
            t("monitoring.col.planned", lang): r.planned,
            t("monitoring.col.status", lang): t(f"monitoring.status.{r.status}", lang),
        }
        for r in past.results
    ]
    decisions = [
        {
            t("monitoring.col.measure", lang): catalogue.measure(d.measure).title.get(lang)
            if d.measure in known
            else d.measure,
            t("monitoring.col.action", lang): t(f"monitoring.action.{d.action}", lang),
            t("monitoring.col.reason", lang): d.reason,
            t("monitoring.col.change", lang): d.change,
        }
        for d in past.decisions
    ]
    return results_, decisions
