"""What a participant may send: a submission checked against its question before the store keeps it.

A submission is a mapping item id → value for one question (the table in `model.py` gives each kind's
value). `rate` and `kpi` answers come one item at a time and replace that item's ballot; `points` and
`rank` come whole (the participant's allocation or order) and replace every ballot the participant had
in the question; an upvote on an idea is 1, and 0 takes it back. Everything else is refused with a
coded issue, never half-kept.
"""

from __future__ import annotations

import math
from typing import Any

from policy_engine.literal import plain
from policy_engine.project.issues import Issue
from policy_engine.project.model import Scores
from policy_engine.workshop.model import (
    COMMENT_MAX,
    IDEA_MAX,
    POINTS_BUDGET,
    QUESTION_ITEMS_MAX,
    SCORE_MAX,
    SCORE_MIN,
    Question,
)

CRITERIA = tuple(Scores.model_fields)  # uniqueness, recognition, vitality (seeds/identity.yaml)
WHOLE = {"points", "rank"}  # kinds whose submission replaces all of the participant's ballots


def _whole_number(value: Any) -> int | None:
    """An integer given as a JSON number (5 or 5.0), not a bool or a string; None otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
        return None
    return int(value)


def clean_text(value: Any, limit: int) -> tuple[str | None, Issue | None]:
    """A participant's text as it will be kept: control characters refused, surrounding space dropped."""
    if not isinstance(value, str):
        return None, Issue(code="ws_bad_value")
    text = value.strip()
    if len(text) > limit:
        return None, Issue(code="ws_text_too_long", values={"limit": limit})
    if any((ord(c) < 32 and c not in "\n\t") or ord(c) == 127 for c in text):
        return None, Issue(code="ws_control_characters")
    return plain(text), None


def check_submission(
    question: Question, values: Any, ideas: set[str] | frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[Issue]]:
    """The submission as it will be stored, or the issues that refuse it. `ideas`: the ids of the
    approved proposals an `ideas` question may be upvoted on."""
    if question.state != "open":
        return {}, [Issue(code="ws_question_closed" if question.state == "closed" else "ws_question_not_open")]
    if not isinstance(values, dict) or not values or len(values) > QUESTION_ITEMS_MAX:
        return {}, [Issue(code="ws_bad_value")]
    allowed = ideas if question.kind == "ideas" else {i.id for i in question.items}
    if any(not isinstance(k, str) or k not in allowed for k in values):
        return {}, [Issue(code="ws_unknown_item")]
    check = {"rate": _rate, "points": _points, "rank": _rank, "ideas": _upvote, "kpi": _kpi}[question.kind]
    return check(question, values)


def _rate(question: Question, values: dict[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    out = {}
    for item, value in values.items():
        if not isinstance(value, dict) or set(value) != set(CRITERIA):
            return {}, [Issue(code="ws_bad_value", item=item)]
        scores = {c: _whole_number(value[c]) for c in CRITERIA}
        if any(s is None or not SCORE_MIN <= s <= SCORE_MAX for s in scores.values()):
            return {}, [Issue(code="ws_score_range", values={"low": SCORE_MIN, "high": SCORE_MAX})]
        out[item] = scores
    return out, []


def _points(question: Question, values: dict[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    out = {}
    for item, value in values.items():
        points = _whole_number(value)
        if points is None or points < 0:
            return {}, [Issue(code="ws_points_whole")]
        out[item] = points
    budgets: dict[str | None, int] = {}
    for item, points in out.items():
        level = question.item(item).level if question.per_level else None
        budgets[level] = budgets.get(level, 0) + points
    if any(total > POINTS_BUDGET for total in budgets.values()):
        return {}, [Issue(code="ws_points_over", values={"budget": POINTS_BUDGET, "given": max(budgets.values())})]
    return out, []


def _rank(question: Question, values: dict[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    positions = {item: _whole_number(value) for item, value in values.items()}
    n = len(question.items)
    if len(positions) != n or sorted(positions.values(), key=lambda p: -1 if p is None else p) != list(range(1, n + 1)):
        return {}, [Issue(code="ws_rank_order", values={"count": n})]
    return positions, []


def _upvote(question: Question, values: dict[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    out = {}
    for item, value in values.items():
        vote = _whole_number(value)
        if vote not in (0, 1):
            return {}, [Issue(code="ws_bad_value", item=item)]
        out[item] = vote
    return out, []


def _kpi(question: Question, values: dict[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    out = {}
    for item, value in values.items():
        if not isinstance(value, dict) or not set(value) <= {"agree", "comment"} or "agree" not in value:
            return {}, [Issue(code="ws_bad_value", item=item)]
        agree = _whole_number(value["agree"])
        if agree not in (-1, 0, 1):
            return {}, [Issue(code="ws_bad_value", item=item)]
        comment, issue = clean_text(value.get("comment", ""), COMMENT_MAX)
        if issue:
            return {}, [issue]
        out[item] = {"agree": agree, "comment": comment}
    return out, []


def check_idea(text: Any) -> tuple[str | None, list[Issue]]:
    """A proposal's text as kept (literally: markup is text), or why not."""
    cleaned, issue = clean_text(text, IDEA_MAX)
    if issue:
        return None, [issue]
    if not cleaned:
        return None, [Issue(code="ws_idea_empty")]
    return cleaned, []
