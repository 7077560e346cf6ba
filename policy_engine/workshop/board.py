"""What the facilitator's live board shows: the tally as chart rows and tables in the facilitator's language.

The board is read by the page every few seconds (`pages/workshop.py`) and by the benchmark
(`python -m policy_engine bench workshop`), which times exactly this: ballots from the store → tally →
rows for the charts.
"""

from __future__ import annotations

from typing import Any

from policy_engine.i18n import day, number, t
from policy_engine.method.vocabulary import PARTICIPANT_ROLES
from policy_engine.project.model import Project
from policy_engine.workshop.ballots import CRITERIA
from policy_engine.workshop.model import Question
from policy_engine.workshop.tally import Result

LABEL_MAX = 60  # characters of an item's name on a chart axis (the full name is in the tooltip)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def item_name(question: Question, item_id: str, fallback: str, lang: str) -> str:
    item = question.item(item_id)
    return item.name(lang) if item else fallback


def result_rows(question: Question, result: Result, lang: str) -> list[dict[str, Any]]:
    """One row per item: its value, mean ± spread, consensus and ballots (the results chart)."""
    rows = []
    for order, r in enumerate(result.items):
        name = item_name(question, r.item, r.label, lang)
        low = high = None
        if r.mean is not None and r.spread is not None:
            low, high = r.mean - r.spread, r.mean + r.spread
        rows.append(
            {
                "order": order,
                "item": _short(name),
                "full": name,
                "value": r.value,
                "mean": r.mean,
                "low": low,
                "high": high,
                "consensus": r.consensus,
                "ballots": r.ballots,
                "divide": r.divide,
                "shown": number(r.value, lang, digits=2) if r.ballots else "—",
            }
        )
    return rows


def role_rows(question: Question, result: Result, lang: str) -> list[dict[str, Any]]:
    """One row per item and role that answered it: the role's mean (the split-by-role chart)."""
    rows = []
    for order, r in enumerate(result.items):
        name = _short(item_name(question, r.item, r.label, lang))
        for stat in r.by_role:
            if stat.mean is None:
                continue
            rows.append(
                {
                    "order": order,
                    "item": name,
                    "role": t(f"ws.role.{stat.role}", lang),
                    "role_order": PARTICIPANT_ROLES.index(stat.role),
                    "mean": stat.mean,
                    "ballots": stat.ballots,
                }
            )
    return rows


def joined_rows(participants: dict[str, int], lang: str) -> list[dict[str, Any]]:
    """Participants joined by role (the room's make-up)."""
    return [
        {"role": t(f"ws.role.{role}", lang), "joined": participants.get(role, 0), "role_order": i}
        for i, role in enumerate(PARTICIPANT_ROLES)
    ]


def value_label(question: Question, lang: str) -> str:
    return t(f"ws.value.{question.kind}", lang)


def consensus_text(value: float | None, lang: str) -> str:
    return "—" if value is None else number(value, lang, digits=2)


SCALES = {"rate": (0, 5), "kpi": (-1, 1)}  # value axes fixed by the method's scales; the others fit the data
ROLE_SCALES = {"rate": (1, 5), "kpi": (-1, 1)}  # the colours of the role × item means


def chart_labels(question: Question, lang: str) -> dict[str, str]:
    return {
        "item": t("ws.board.item", lang),
        "value": value_label(question, lang),
        "consensus": t("ws.board.consensus", lang),
        "ballots": t("ws.board.ballots", lang),
        "role": t("ws.board.role", lang),
        "mean": t("ws.board.role_mean", lang),
        "spread": t("ws.board.spread", lang),
        "divide": t("ws.board.divide", lang),
        "joined": t("ws.board.joined", lang),
    }


def summary_lines(project: Project, kinds: tuple[str, ...], lang: str) -> list[str]:
    """The project's accepted workshop results of `kinds`, one line each, for the pages that show them
    (the audit shows `rate`, clustering `points` and `ideas`): "«Title», 02.12.2026 — question: 47
    participants; what it changed"."""
    return [
        t(
            "ws.summary_line",
            lang,
            workshop=s.workshop,
            day=day(s.held_on, lang),
            question=s.question,
            participants=s.participants,
            use=t(f"ws.use.{s.use}", lang),
        )
        for s in project.workshops
        if s.kind in kinds
    ]


def question_label(question: Question, lang: str) -> str:
    """A question in the facilitator's list: "2. Rate the elements — Rate identity elements". Its state is
    shown beside the list: a label that changed with it would make the list lose the facilitator's pick."""
    return f"{question.position}. {question.title} — {t(f'ws.kind.{question.kind}', lang)}"


def ballot_headers(question: Question, lang: str) -> dict[str, str]:
    """The column headers of the anonymised ballots (`WorkshopStore.ballot_rows`) in `lang`."""
    return {
        "participant": t("wsp.col.participant", lang),
        "role": t("ws.board.role", lang),
        "item": t("ws.board.item", lang),
        "agree": t("wsp.col.agree", lang),
        "comment": t("wsp.col.comment", lang),
        question.kind: t(f"ws.value.{question.kind}", lang),
    } | {c: t(f"field.{c}", lang) for c in CRITERIA}


def result_table(question: Question, result: Result, lang: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The result per item as a table to show and download, numbers written as `lang` writes them and "—"
    where there is none; the mean has a column of its own only where it is not the value (points)."""
    columns = ["full", "value", *(["mean"] if question.kind == "points" else []), "consensus", "ballots", "divide"]
    rows = []
    for r in result_rows(question, result, lang):
        row = {}
        for k in columns:
            value = r[k]
            if value is None or (k != "full" and not r["ballots"] and k != "ballots"):
                row[k] = "—"
            elif isinstance(value, float):
                row[k] = number(value, lang, digits=2)
            else:
                row[k] = value
        rows.append(row)
    headers = {
        "full": t("ws.board.item", lang),
        "value": value_label(question, lang),
        "mean": t("wsp.col.mean", lang),
        "consensus": t("ws.board.consensus", lang),
        "ballots": t("ws.board.ballots", lang),
        "divide": t("ws.board.divide", lang),
    }
    return rows, {k: headers[k] for k in columns}
