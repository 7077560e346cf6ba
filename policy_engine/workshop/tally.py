"""What the room answered: a question's ballots reduced to one result per item, split by role.

Every ballot becomes a score, and an agree, a disagree or neither, by the question's kind:

| kind | score of a ballot | agrees | disagrees | the item's `value` |
|---|---|---|---|---|
| `rate` | mean of its three criteria | score ≥ 4 | score ≤ 2 | mean score |
| `points` | its points (0 for a participant who gave points in the question but none to this item) | points > 0 | points = 0 | total points |
| `rank` | Borda: n − position + 1, n the question's items | position × 2 ≤ n | the rest | mean Borda score |
| `ideas` | — (a ballot is an upvote) | upvoted | active in the question, did not upvote | upvotes |
| `kpi` | agree: −1, 0 or 1 | 1 | −1 | mean score |

An item's mean and spread (population standard deviation) are over its ballots' scores, and so are
each role's. The *divide* is how far apart the roles stand: the highest role mean minus the lowest,
over the roles with at least `MIN_ROLE_BALLOTS` ballots on the item, so one person does not make a
role.

*Consensus* is Pol.is's group-aware consensus (polis-community/red-dwarf, `reddwarf/utils/stats.py`),
with the participants' roles as the groups: each role's chance of agreeing, smoothed as
(agrees + 1) / (votes + 2), multiplied over the roles that voted. It is high only when every role
agrees, and one role's dissent pulls it down however large the others. The room can agree that an
item is strong or that it is weak, so for every kind but `ideas` the consensus is the larger of the
product of agrees and the product of disagrees; an upvote has no opposite, so `ideas` takes the
agree product alone, over every participant active in the question (those who did not upvote an
item count against it). Each role's factor is below 1, so a role that starts voting on an item
lowers its consensus even when it agrees; within a role that has voted, one more agreeing ballot
raises the agree product and one more disagreeing ballot lowers it.

A participant counts in the question once they have a readable ballot on one of its items; their
role is the one on their last ballot. The store keeps one ballot per participant and item; should
two come here, the later one counts. Ballots on items the question does not hold, and ballots whose
value does not have the kind's shape (`policy_engine/workshop/ballots.py` refuses those at the
door), count for nothing.

Items come highest value first; items with no ballots come last (a `kpi` item nobody answered is not
above one the room disagreed with); ties keep the question's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from math import isfinite
from statistics import fmean, pstdev
from typing import Any, NamedTuple

from policy_engine.method.vocabulary import PARTICIPANT_ROLES, ParticipantRole, QuestionKind
from policy_engine.project.model import Scores
from policy_engine.workshop.model import Ballot, Frozen, Item, Question

MIN_ROLE_BALLOTS = 2  # a role needs this many ballots on an item to count in `divide`
CRITERIA: tuple[str, ...] = tuple(Scores.model_fields)  # what a `rate` ballot scores
AGREE_SCORE, DISAGREE_SCORE = 4, 2  # `rate`: a score at or above agrees, at or below disagrees


class RoleStat(Frozen):
    role: ParticipantRole
    ballots: int
    mean: float | None
    agree: int
    disagree: int


class ItemResult(Frozen):
    item: str
    label: str
    ballots: int
    value: float  # what the result is ordered by
    mean: float | None
    spread: float | None  # population standard deviation of the per-ballot score
    agree: int
    disagree: int
    consensus: float | None  # group-aware (Pol.is), None with no ballots
    # in PARTICIPANT_ROLES order: the roles with ballots (`ideas`: the roles active in the question)
    by_role: tuple[RoleStat, ...]
    divide: float | None  # max − min of role means over roles with ≥ MIN_ROLE_BALLOTS ballots
    criteria: dict[str, float] = {}  # `rate` only: mean per criterion
    comments: tuple[str, ...] = ()  # `kpi` only: non-empty comments, in ballot order


class Result(Frozen):
    kind: QuestionKind
    participants: int  # distinct participants with at least one ballot in the question
    by_role: dict[ParticipantRole, int]  # distinct participants per role, roles with none left out
    items: tuple[ItemResult, ...]  # every item of the question, highest value first


class _Reading(NamedTuple):
    """One ballot read: its score, whether it agrees or disagrees, and what the kind adds."""

    score: float
    agree: bool
    disagree: bool
    criteria: dict[str, float] | None = None
    comment: str = ""


def group_consensus(groups: Mapping[str, tuple[int, int]]) -> float | None:
    """Pol.is group-aware consensus: the product over groups of (agrees + 1) / (votes + 2).

    `groups` maps a group to its (agrees, votes). A group with no votes says nothing and is left
    out; with no votes at all there is no consensus (None)."""
    product, voted = 1.0, False
    for group, (agrees, votes) in groups.items():
        if not 0 <= agrees <= votes:
            raise ValueError(f"{group}: {agrees} agrees out of {votes} votes")
        if votes:
            product *= (agrees + 1) / (votes + 2)
            voted = True
    return product if voted else None


def tally(question: Question, ballots: Iterable[Ballot]) -> Result:
    """The question's result from its ballots (any order; see the module's docstring)."""
    n = len(question.items)
    ids = {item.id for item in question.items}
    kept: dict[tuple[int, str], tuple[Ballot, _Reading]] = {}
    for ballot in ballots:
        if ballot.item not in ids:
            continue
        reading = _read(question.kind, ballot.value, n)
        if reading is None:
            continue
        key = (ballot.participant, ballot.item)
        kept.pop(key, None)  # the later ballot counts, in its own place in the order
        kept[key] = (ballot, reading)

    role_of: dict[int, ParticipantRole] = {}
    for ballot, _ in kept.values():
        role_of[ballot.participant] = ballot.role
    counts = [(role, sum(r == role for r in role_of.values())) for role in PARTICIPANT_ROLES]
    by_role = {role: count for role, count in counts if count}

    votes: dict[str, list[tuple[int, _Reading]]] = {item.id: [] for item in question.items}
    for (participant, item), (_, reading) in kept.items():
        votes[item].append((participant, reading))

    results: list[ItemResult] = []
    for item in question.items:
        cast = votes[item.id]
        if question.kind == "ideas":
            results.append(_idea_result(item, [role_of[p] for p, _ in cast], by_role))
            continue
        if question.kind == "points":  # whoever spent points elsewhere gave this item none
            given = {p for p, _ in cast}
            cast = cast + [(p, _Reading(0, False, True)) for p in role_of if p not in given]
        results.append(_item_result(question.kind, item, [(role_of[p], r) for p, r in cast]))

    results.sort(key=lambda r: (r.ballots == 0, -r.value))  # stable: ties keep the question's order
    return Result(kind=question.kind, participants=len(role_of), by_role=by_role, items=tuple(results))


def agreed_and_divided(result: Result, top: int = 3) -> tuple[list[ItemResult], list[ItemResult]]:
    """The `top` items the room agrees on most (highest consensus first) and the `top` it is most
    divided on (highest divide first), among items with ballots; ties keep the result's order."""
    answered = [r for r in result.items if r.ballots and r.consensus is not None]
    agreed = sorted(answered, key=lambda r: -(r.consensus or 0.0))
    divided = sorted((r for r in answered if r.divide is not None), key=lambda r: -(r.divide or 0.0))
    return agreed[:top], divided[:top]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not isfinite(value):
        return None
    return value


def _read(kind: QuestionKind, value: Any, n: int) -> _Reading | None:
    """A ballot's value read for its kind, or None when it does not have the kind's shape."""
    if kind == "rate":
        if not isinstance(value, Mapping):
            return None
        criteria = {c: _number(value.get(c)) for c in CRITERIA}
        if any(v is None for v in criteria.values()):
            return None
        score = fmean(criteria.values())
        return _Reading(score, score >= AGREE_SCORE, score <= DISAGREE_SCORE, criteria=criteria)
    if kind == "points":
        points = _number(value)
        if points is None or points < 0:
            return None
        return _Reading(points, points > 0, points == 0)
    if kind == "rank":
        position = _number(value)
        if position is None or position != int(position) or not 1 <= position <= n:
            return None
        return _Reading(n - int(position) + 1, position * 2 <= n, position * 2 > n)
    if kind == "ideas":
        return _Reading(1, True, False) if _number(value) == 1 else None
    if kind == "kpi":
        if not isinstance(value, Mapping) or (agree := _number(value.get("agree"))) not in (-1, 0, 1):
            return None
        comment = value.get("comment") or ""
        return _Reading(agree, agree == 1, agree == -1, comment=comment.strip() if isinstance(comment, str) else "")
    return None


def _item_result(kind: QuestionKind, item: Item, cast: list[tuple[ParticipantRole, _Reading]]) -> ItemResult:
    scores = [r.score for _, r in cast]
    mean = fmean(scores) if scores else None
    roles = [
        RoleStat(
            role=role,
            ballots=len(mine),
            mean=fmean(r.score for r in mine),
            agree=sum(r.agree for r in mine),
            disagree=sum(r.disagree for r in mine),
        )
        for role in PARTICIPANT_ROLES
        if (mine := [r for who, r in cast if who == role])
    ]
    if scores:
        agree = group_consensus({s.role: (s.agree, s.ballots) for s in roles})
        disagree = group_consensus({s.role: (s.disagree, s.ballots) for s in roles})
        consensus = max(agree or 0.0, disagree or 0.0)
    else:
        consensus = None
    return ItemResult(
        item=item.id,
        label=item.label,
        ballots=len(cast),
        value=float(sum(scores)) if kind == "points" else (mean if mean is not None else 0.0),
        mean=mean,
        spread=pstdev(scores) if scores else None,
        agree=sum(r.agree for _, r in cast),
        disagree=sum(r.disagree for _, r in cast),
        consensus=consensus,
        by_role=tuple(roles),
        divide=_divide(roles),
        criteria=(
            {c: fmean(r.criteria[c] for _, r in cast if r.criteria) for c in CRITERIA}
            if kind == "rate" and cast
            else {}
        ),
        comments=tuple(r.comment for _, r in cast if r.comment) if kind == "kpi" else (),
    )


def _idea_result(item: Item, upvoters: list[ParticipantRole], voters: dict[ParticipantRole, int]) -> ItemResult:
    """An `ideas` item: every participant active in the question voted on it, by upvoting or not."""
    up = {role: upvoters.count(role) for role in voters}
    roles = tuple(
        RoleStat(role=role, ballots=up[role], mean=None, agree=up[role], disagree=voters[role] - up[role])
        for role in voters
    )
    return ItemResult(
        item=item.id,
        label=item.label,
        ballots=len(upvoters),
        value=float(len(upvoters)),
        mean=None,
        spread=None,
        agree=len(upvoters),
        disagree=sum(voters.values()) - len(upvoters),
        consensus=group_consensus({role: (up[role], voters[role]) for role in voters}) if upvoters else None,
        by_role=roles,
        divide=None,
    )


def _divide(roles: Iterable[RoleStat]) -> float | None:
    means = [s.mean for s in roles if s.ballots >= MIN_ROLE_BALLOTS and s.mean is not None]
    return max(means) - min(means) if len(means) >= 2 else None
