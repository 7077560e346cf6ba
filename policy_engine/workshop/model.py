"""A workshop, its questions and the room's ballots, as the engine sees them (no tables, no HTTP).

A workshop belongs to one project and asks one question at a time. Each question is tied to the
project's own items (identity elements, growth points, clusters, measures, pilots, KPIs), copied into
the question when it is drafted, so a participant's phone sees the question's items and nothing else
of the project. A ballot is one participant's answer on one item; its value's shape depends on the
question's kind (`policy_engine/workshop/ballots.py` checks it):

| kind | item | value |
|---|---|---|
| `rate` | identity element | `{"uniqueness": 1–5, "recognition": 1–5, "vitality": 1–5}` |
| `points` | growth point, cluster or measure | whole points ≥ 0; a participant's points sum to ≤ 100 (per level when the question has one budget per level) |
| `rank` | pilot idea | position 1…n, each position once per participant |
| `ideas` | an approved proposal | `1`: an upvote |
| `kpi` | KPI target | `{"agree": -1, 0 or 1, "comment": text}` |
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from policy_engine.method.vocabulary import (
    IdeaStatus,
    IdeaTarget,
    Level,
    ParticipantRole,
    PointsTarget,
    QuestionKind,
    QuestionState,
)
from policy_engine.project.model import NAME_MAX

POINTS_BUDGET = 100  # points a participant spreads over a `points` question (per level, when split)
SCORE_MIN, SCORE_MAX = 1, 5  # the method's 1–5 scale (seeds/identity.yaml, scores)
IDEA_MAX = 280  # characters of a participant's proposal: a sticker, not an essay
COMMENT_MAX = 500  # characters of a comment on a KPI target
NAME_ON_PHONE_MAX = 60  # characters of the name a participant may give
QUESTION_ITEMS_MAX = 200  # items one question can hold: more is not a question a room can answer
PARTICIPANTS_MAX = 2_000  # participants one workshop admits
IDEAS_PER_PARTICIPANT_MAX = 20  # proposals one participant can make to one question

Text = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Item(Frozen):
    """One thing a question asks about: the project's id for it and its name (per language when the
    name comes from the catalogue, as an industry's does)."""

    id: str = Field(min_length=1, max_length=120)
    label: Text
    labels: dict[str, str] = {}
    level: Level | None = None  # a measure's level, for `points` with one budget per level

    def name(self, lang: str) -> str:
        return self.labels.get(lang) or self.label


class Question(Frozen):
    id: int
    workshop: int
    position: int
    kind: QuestionKind
    title: Text
    items: tuple[Item, ...] = Field(default=(), max_length=QUESTION_ITEMS_MAX)
    target: PointsTarget | IdeaTarget | None = None  # what `points` spreads over, what `ideas` collects
    per_level: bool = False  # `points`: one budget of 100 per level of support
    cluster: str | None = None  # `ideas` for a target image: whose
    state: QuestionState = "draft"
    revealed: bool = False
    opened_at: datetime | None = None
    closed_at: datetime | None = None

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)


class Workshop(Frozen):
    id: int
    project_id: str
    title: Text
    code: str  # the short code people type
    created_at: datetime
    expires_at: datetime  # the code and the link stop working then
    ended_at: datetime | None = None

    def is_open(self, now: datetime) -> bool:
        return self.ended_at is None and now < self.expires_at


class Ballot(Frozen):
    """One participant's answer on one item of one question (the store keeps one per participant
    and item: a second answer replaces the first)."""

    participant: int
    role: ParticipantRole = "other"
    item: str
    value: Any


class Idea(Frozen):
    """A participant's proposal to an `ideas` question; the room sees it only once it is approved."""

    id: int
    question: int
    participant: int | None
    text: str
    status: IdeaStatus = "pending"
    merged_into: int | None = None
    created_at: datetime
