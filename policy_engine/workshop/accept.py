"""A question's result taken into the project, through the same checks as every other edit.

What the room's answer can do depends on the question (`uses`): the room's mean scores replace the
audit's scores or are noted beside them; points and ranks put clusters, measures or pilots in the
room's order; the most upvoted ideas become pilot projects, events or a cluster's target image;
views on KPI targets become an entry of the monitoring feedback. Whatever it does, the project keeps a
`WorkshopSummary` (date, question, participants by role, the result), which the audit and clustering
pages show and the roadmap cites; the store's history names the workshop and question in the
version's note.
"""

from __future__ import annotations

from datetime import date

from policy_engine.i18n import number, t
from policy_engine.method.catalogue import Catalogue
from policy_engine.method.vocabulary import WorkshopUse
from policy_engine.project.cells import slug
from policy_engine.project.edits import Edit, finish, refuse, unique_id
from policy_engine.project.issues import Issue
from policy_engine.project.model import (
    NAME_MAX,
    TEXT_MAX,
    Event,
    FeedbackItem,
    Pilot,
    Project,
    Scores,
    WorkshopResult,
    WorkshopSummary,
)
from policy_engine.workshop.model import SCORE_MAX, SCORE_MIN, Question, Workshop
from policy_engine.workshop.tally import ItemResult, Result

SUMMARY_ITEMS = 20  # results a summary keeps (the top of the list)


def uses(question: Question) -> tuple[WorkshopUse, ...]:
    """What accepting `question`'s result may do, the default first."""
    if question.kind == "rate":
        return ("noted", "scores_replaced")
    if question.kind == "points":
        return ("noted",) if question.target in (None, "growth_points") else ("priority_order", "noted")
    if question.kind == "rank":
        return ("priority_order", "noted")
    if question.kind == "ideas":
        made = {"pilot": "pilots_added", "event": "events_added", "target_image": "target_image"}
        return (made.get(question.target or "pilot", "pilots_added"), "noted")
    return ("kpi_feedback", "noted")


def _round_score(value: float) -> int:
    """A mean score back on the 1–5 scale, halves up (3.5 → 4), as people round."""
    return max(SCORE_MIN, min(SCORE_MAX, int(value + 0.5)))


def _answered(result: Result) -> list[ItemResult]:
    return [r for r in result.items if r.ballots > 0]


def summary(workshop: Workshop, question: Question, result: Result, use: WorkshopUse, on: date, lang: str):
    """The project's record of the accepted result; names in `lang` (the facilitator's language)."""
    rows = []
    for r in _answered(result)[:SUMMARY_ITEMS]:
        item = question.item(r.item)
        label = item.name(lang) if item else r.label
        rows.append(WorkshopResult(label=label[:NAME_MAX], value=r.value, ballots=r.ballots, consensus=r.consensus))
    return WorkshopSummary(
        workshop=workshop.title[:NAME_MAX],
        held_on=on,
        question=question.title[:NAME_MAX],
        kind=question.kind,
        participants=result.participants,
        by_role={role: n for role, n in result.by_role.items() if n},
        results=rows,
        use=use,
    )


def accept(
    project: Project,
    catalogue: Catalogue,
    workshop: Workshop,
    question: Question,
    result: Result,
    use: WorkshopUse,
    on: date,
    lang: str = "ru",
    top: int = 3,
    start: date | None = None,
    end: date | None = None,
) -> Edit:
    """The project with `question`'s result taken in as `use`, and its summary kept; or why not.

    `top`: how many of the most upvoted ideas become pilots or events; `start`/`end`: their dates
    (a pilot needs both, an event its start), which the facilitator gives — the engine does not invent
    dates."""
    if use not in uses(question):
        return refuse(project, [Issue(code="ws_use_not_for_question")])
    answered = _answered(result)
    if not answered:
        return refuse(project, [Issue(code="ws_no_ballots")])
    record = summary(workshop, question, result, use, on, lang)
    if any(
        (s.workshop, s.question, s.held_on, s.use) == (record.workshop, record.question, on, use)
        for s in project.workshops
    ):  # a second click on "accept" would add the pilots or the feedback twice
        return refuse(project, [Issue(code="ws_already_accepted")])
    changes: dict = {}
    if use == "scores_replaced":
        rated = {r.item: r for r in answered if r.criteria}
        changes["identity_elements"] = [
            e.model_copy(update={"scores": Scores(**{c: _round_score(v) for c, v in rated[e.id].criteria.items()})})
            if e.id in rated
            else e
            for e in project.identity_elements
        ]
    elif use == "priority_order":
        order = {r.item: i for i, r in enumerate(answered)}
        last = len(order)
        if question.kind == "rank":
            changes["pilots"] = sorted(project.pilots, key=lambda p: order.get(p.id, last))
        elif question.target == "clusters":
            changes["clusters"] = sorted(project.clusters, key=lambda c: order.get(c.id, last))
        else:
            changes["measures"] = sorted(
                project.measures, key=lambda m: order.get(f"{m.measure}@{m.cluster or ''}", last)
            )
    elif use in ("pilots_added", "events_added", "target_image"):
        best = [r for r in answered if r.value > 0][: (1 if use == "target_image" else max(1, top))]
        if use == "target_image":
            if not question.cluster or all(c.id != question.cluster for c in project.clusters):
                return refuse(project, [Issue(code="ws_no_cluster")])
            changes["clusters"] = [
                c.model_copy(update={"target_image": best[0].label[:TEXT_MAX]}) if c.id == question.cluster else c
                for c in project.clusters
            ]
        elif use == "pilots_added":
            if start is None or end is None or end <= start:
                return refuse(project, [Issue(code="ws_dates_needed")])
            taken = {p.id for p in project.pilots}
            added = []
            for r in best:
                pid = unique_id(slug(r.label)[:40].strip("_") or "pilot", taken)
                taken.add(pid)
                added.append(Pilot(id=pid, name=r.label[:NAME_MAX], start=start, end=end))
            changes["pilots"] = [*project.pilots, *added]
        else:
            if start is None:
                return refuse(project, [Issue(code="ws_dates_needed")])
            added = [Event(name=r.label[:NAME_MAX], start=start, end=end) for r in best]
            events = sorted([*project.promotion.events, *added], key=lambda e: e.start)
            changes["promotion"] = project.promotion.model_copy(update={"events": events})
    elif use == "kpi_feedback":
        lines = []
        for r in answered:
            item = question.item(r.item)
            name = item.name(lang) if item else r.label
            lines.append(
                t(
                    "ws.kpi_line",
                    lang,
                    name=name,
                    agree=r.agree,
                    disagree=r.disagree,
                    mean=number(r.mean or 0, lang, digits=2),
                )
            )
            lines.extend(f"  — {c}" for c in r.comments)
        text = "\n".join(lines)[:TEXT_MAX]
        item = FeedbackItem(
            received=on, source=t("ws.feedback_source", lang, workshop=workshop.title)[:NAME_MAX], issue=text
        )
        changes["feedback"] = [*project.feedback, item]
    changes["workshops"] = [*project.workshops, record]
    return finish(project, changes, catalogue)


def history_note(workshop: Workshop, question: Question, use: WorkshopUse, lang: str) -> str:
    """The store's note for the version accepting a result: the workshop and question named."""
    return t("ws.history_note", lang, workshop=workshop.title, question=question.title, use=t(f"ws.use.{use}", lang))
