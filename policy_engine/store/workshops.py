"""Workshops in the database: questions, participants, ballots and proposals, shared by every app process.

Ballots go straight to the database (one row per participant, question and item; a unique constraint
makes a second answer replace the first, never add to it), so two app servers on one PostgreSQL serve
one workshop and each facilitator's board counts the phones on the other. Everything a phone sends is
checked by the engine (`policy_engine/workshop/ballots.py`) inside the transaction that stores it, against
the question as it is at that moment: a question closed a millisecond earlier refuses the ballot.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlmodel import Field, Session, SQLModel, select

from policy_engine.i18n import t
from policy_engine.method.vocabulary import IDEA_STATUSES, PARTICIPANT_ROLES, QUESTION_KINDS
from policy_engine.project.issues import Issue
from policy_engine.project.model import NAME_MAX
from policy_engine.store.database import AccessDenied, Invalid, NotFound, Store, _now
from policy_engine.workshop import codes
from policy_engine.workshop.ballots import CRITERIA, WHOLE, check_idea, check_submission, clean_text
from policy_engine.workshop.model import (
    IDEAS_PER_PARTICIPANT_MAX,
    NAME_ON_PHONE_MAX,
    PARTICIPANTS_MAX,
    Ballot,
    Idea,
    Item,
    Question,
    Workshop,
)
from policy_engine.workshop.tally import Result, tally

WORKSHOP_HOURS = 12  # a workshop's code and link work this long unless the facilitator ends it sooner
WORKSHOP_HOURS_MAX = 24 * 14
PG_CONCURRENCY = 4  # within the store's connection pool (5)
KNOWN_PHONES_MAX = 20_000  # participants a process remembers (then it forgets them all and asks again)


class WorkshopRecord(SQLModel, table=True):
    __tablename__ = "workshop"
    id: int | None = Field(default=None, primary_key=True)
    project_id: str = Field(foreign_key="project.id", max_length=80, index=True)
    title: str
    code: str = Field(max_length=12, unique=True)
    link: str = Field(max_length=64, unique=True)  # the token of the link and QR code
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    ended_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class QuestionRecord(SQLModel, table=True):
    __tablename__ = "workshop_question"
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    position: int
    kind: str = Field(max_length=20)
    title: str
    items: str = Field(sa_type=sa.Text)  # JSON list of the question's items
    target: str | None = Field(default=None, max_length=40)
    per_level: bool = False
    cluster: str | None = Field(default=None, max_length=80)
    state: str = Field(default="draft", max_length=10)
    revealed: bool = False
    opened_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    closed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class ParticipantRecord(SQLModel, table=True):
    __tablename__ = "workshop_participant"
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    name: str = ""
    role: str = Field(default="other", max_length=20)
    joined_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class BallotRecord(SQLModel, table=True):
    __tablename__ = "workshop_ballot"
    __table_args__ = (sa.UniqueConstraint("question_id", "participant_id", "item", name="uq_ballot_once"),)
    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="workshop_question.id", index=True)
    participant_id: int = Field(foreign_key="workshop_participant.id")
    item: str = Field(max_length=120)
    value: str = Field(sa_type=sa.Text)  # JSON
    updated_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class IdeaRecord(SQLModel, table=True):
    __tablename__ = "workshop_idea"
    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="workshop_question.id", index=True)
    participant_id: int | None = Field(default=None, foreign_key="workshop_participant.id")
    text: str
    status: str = Field(default="pending", max_length=10)
    merged_into: int | None = None
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


# --- refusals a phone can get ---------------------------------------------------------------------


class WorkshopRefused(Invalid):
    """A participant's request refused for a reason the phone says in the participant's language."""

    def __init__(self, code: str, **values: Any):
        super().__init__([Issue(code=code, values=values)])
        self.code = code


class WrongCode(WorkshopRefused):
    pass


class CodeThrottled(WorkshopRefused):
    def __init__(self, seconds: float):
        super().__init__("ws_code_throttled", seconds=max(1, round(seconds)))
        self.seconds = seconds


class NotParticipant(AccessDenied):
    """No participant of this workshop holds that token (never joined, forged, or of another workshop)."""


# --- what callers get back ----------------------------------------------------------------------


class PhoneView(BaseModel):
    """Everything a participant's phone may see: the workshop's title, the open question, and the
    participant's own answers — nothing else of the project."""

    model_config = ConfigDict(frozen=True)
    workshop: str
    ended: bool
    name: str
    role: str
    question: Question | None
    ballots: dict[str, Any] = {}
    ideas: list[Idea] = []  # approved proposals (for upvotes) — `ideas` questions only
    mine: list[Idea] = []  # the participant's own proposals, with their status


class Board(BaseModel):
    model_config = ConfigDict(frozen=True)
    workshop: Workshop
    participants: dict[str, int]  # role -> joined
    answered: dict[int, int]  # question id -> participants with a ballot


def _workshop(row: WorkshopRecord) -> Workshop:
    return Workshop(
        id=row.id,
        project_id=row.project_id,
        title=row.title,
        code=row.code,
        created_at=_aware(row.created_at),
        expires_at=_aware(row.expires_at),
        ended_at=_aware(row.ended_at) if row.ended_at else None,
    )


def _question(row: QuestionRecord) -> Question:
    return Question(
        id=row.id,
        workshop=row.workshop_id,
        position=row.position,
        kind=row.kind,
        title=row.title,
        items=tuple(Item.model_validate(i) for i in json.loads(row.items)),
        target=row.target,
        per_level=row.per_level,
        cluster=row.cluster,
        state=row.state,
        revealed=row.revealed,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
    )


def _idea(row: IdeaRecord) -> Idea:
    return Idea(
        id=row.id,
        question=row.question_id,
        participant=row.participant_id,
        text=row.text,
        status=row.status,
        merged_into=row.merged_into,
        created_at=row.created_at,
    )


def _aware(moment: datetime) -> datetime:
    """SQLite gives datetimes back without their zone; every one the store writes is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=_now().tzinfo)


def idea_item(idea_id: int) -> str:
    """The item id an upvote on a proposal is stored under."""
    return f"idea-{idea_id}"


class _Phone(NamedTuple):
    participant: int
    workshop: int
    name: str
    role: str


class WorkshopStore:
    """Workshops of the projects in `store`'s database. One per process, like the Store; thread-safe."""

    @property
    def concurrency(self) -> int:
        """How many calls are worth running at once: SQLite takes one writer at a time (more only queue
        on its lock), PostgreSQL overlaps them (each mostly waits on the network)."""
        return 1 if self.store.dialect == "sqlite" else PG_CONCURRENCY

    def __init__(self, store: Store):
        self.store = store
        self.wrong_codes = codes.WrongCodes()
        self._known: dict[tuple[str, str], _Phone] = {}  # (token hash, link) -> the participant

    # -- the facilitator --

    def create(self, project_id: str, title: str, hours: float = WORKSHOP_HOURS) -> Workshop:
        text, issue = clean_text(title, 200)
        if issue or not text:
            raise Invalid([issue or Issue(code="ws_title_missing")])
        if not 0 < hours <= WORKSHOP_HOURS_MAX:
            raise Invalid([Issue(code="ws_hours", values={"limit": WORKSHOP_HOURS_MAX})])

        def work(s: Session) -> Workshop:
            self.store._project(s, project_id)
            now = _now()
            taken = True
            while taken:  # a code is never reused, even of an ended workshop
                code = codes.new_code()
                taken = s.exec(select(WorkshopRecord.id).where(WorkshopRecord.code == code)).first() is not None
            row = WorkshopRecord(
                project_id=project_id,
                title=text,
                code=code,
                link=codes.new_token(),
                created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
            s.add(row)
            s.flush()
            return _workshop(row)

        return self.store._write(work)

    def workshops(self, project_id: str) -> list[Workshop]:
        return self.store._read(
            lambda s: [
                _workshop(r)
                for r in s.exec(
                    select(WorkshopRecord)
                    .where(WorkshopRecord.project_id == project_id)
                    .order_by(WorkshopRecord.id.desc())
                )
            ]
        )

    def workshop(self, workshop_id: int) -> Workshop:
        return self.store._read(lambda s: _workshop(self._workshop_row(s, workshop_id)))

    def link(self, workshop_id: int) -> str:
        """The token of the workshop's link and QR code (for the facilitator's screen only)."""
        return self.store._read(lambda s: self._workshop_row(s, workshop_id).link)

    @staticmethod
    def _workshop_row(s: Session, workshop_id: int) -> WorkshopRecord:
        row = s.get(WorkshopRecord, workshop_id)
        if row is None:
            raise NotFound(f"no workshop {workshop_id}")
        return row

    @staticmethod
    def _question_row(s: Session, question_id: int) -> QuestionRecord:
        row = s.get(QuestionRecord, question_id)
        if row is None:
            raise NotFound(f"no question {question_id}")
        return row

    def end(self, workshop_id: int) -> None:
        """End the workshop now: its code and link stop working, its open question closes."""

        def work(s: Session) -> None:
            row = self._workshop_row(s, workshop_id)
            now = _now()
            row.ended_at = row.ended_at or now
            for q in s.exec(select(QuestionRecord).where(QuestionRecord.workshop_id == workshop_id)):
                if q.state == "open":
                    q.state, q.closed_at = "closed", now

        self.store._write(work)

    def add_question(
        self,
        workshop_id: int,
        kind: str,
        title: str,
        items: list[Item],
        target: str | None = None,
        per_level: bool = False,
        cluster: str | None = None,
    ) -> Question:
        text, issue = clean_text(title, 500)
        if issue or not text:
            raise Invalid([issue or Issue(code="ws_title_missing")])
        if kind not in QUESTION_KINDS or (kind != "ideas" and not items):
            raise Invalid([Issue(code="ws_bad_value")])

        def work(s: Session) -> Question:
            self._workshop_row(s, workshop_id)
            count = s.exec(
                select(sa.func.count()).select_from(QuestionRecord).where(QuestionRecord.workshop_id == workshop_id)
            ).one()
            row = QuestionRecord(
                workshop_id=workshop_id,
                position=count + 1,
                kind=kind,
                title=text,
                items=json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False),
                target=target,
                per_level=per_level,
                cluster=cluster,
            )
            s.add(row)
            s.flush()
            return _question(row)

        return self.store._write(work)

    def questions(self, workshop_id: int) -> list[Question]:
        return self.store._read(
            lambda s: [
                _question(r)
                for r in s.exec(
                    select(QuestionRecord)
                    .where(QuestionRecord.workshop_id == workshop_id)
                    .order_by(QuestionRecord.position)
                )
            ]
        )

    def question(self, question_id: int) -> Question:
        return self.store._read(lambda s: _question(self._question_row(s, question_id)))

    def _change_question(self, question_id: int, change: Callable[[Session, QuestionRecord], None]) -> Question:
        """Apply `change` to the question's row in one transaction; the question as it now is."""

        def work(s: Session) -> Question:
            row = self._question_row(s, question_id)
            change(s, row)
            s.flush()
            return _question(row)

        return self.store._write(work)

    def open_question(self, question_id: int) -> Question:
        """Open a question for ballots; the workshop's other open question (one at a time) closes."""

        def change(s: Session, row: QuestionRecord) -> None:
            workshop = self._workshop_row(s, row.workshop_id)
            now = _now()
            if workshop.ended_at is not None or _aware(workshop.expires_at) <= now:
                raise WorkshopRefused("ws_workshop_over")
            others = select(QuestionRecord).where(
                QuestionRecord.workshop_id == row.workshop_id,
                QuestionRecord.state == "open",
                QuestionRecord.id != row.id,
            )
            for other in s.exec(others):
                other.state, other.closed_at = "closed", now
            row.state, row.opened_at, row.closed_at = "open", row.opened_at or now, None

        return self._change_question(question_id, change)

    def close_question(self, question_id: int) -> Question:
        def change(s: Session, row: QuestionRecord) -> None:
            if row.state == "open":
                row.state, row.closed_at = "closed", _now()

        return self._change_question(question_id, change)

    def reveal(self, question_id: int, revealed: bool = True) -> Question:
        """Show the results on the board (or hide them again)."""
        return self._change_question(question_id, lambda s, row: setattr(row, "revealed", revealed))

    def ballots(self, question_id: int) -> list[Ballot]:
        """Every ballot of the question with its participant's role (the board's and the tally's input)."""
        stmt = (
            select(BallotRecord.participant_id, ParticipantRecord.role, BallotRecord.item, BallotRecord.value)
            .join(ParticipantRecord, ParticipantRecord.id == BallotRecord.participant_id)
            .where(BallotRecord.question_id == question_id)
            .order_by(BallotRecord.id)
        )
        return self.store._read(
            lambda s: [
                Ballot(participant=p, role=role, item=item, value=json.loads(value))
                for p, role, item, value in s.exec(stmt)
            ]
        )

    def board(self, workshop_id: int) -> Board:
        def work(s: Session) -> Board:
            workshop = _workshop(self._workshop_row(s, workshop_id))
            roles = dict(
                s.exec(
                    select(ParticipantRecord.role, sa.func.count())
                    .where(ParticipantRecord.workshop_id == workshop_id)
                    .group_by(ParticipantRecord.role)
                ).all()
            )
            answered = dict(
                s.exec(
                    select(BallotRecord.question_id, sa.func.count(sa.distinct(BallotRecord.participant_id)))
                    .join(QuestionRecord, QuestionRecord.id == BallotRecord.question_id)
                    .where(QuestionRecord.workshop_id == workshop_id)
                    .group_by(BallotRecord.question_id)
                ).all()
            )
            return Board(
                workshop=workshop, participants={r: roles.get(r, 0) for r in PARTICIPANT_ROLES}, answered=answered
            )

        return self.store._read(work)

    def ideas(self, question_id: int, statuses: tuple[str, ...] | None = None) -> list[Idea]:
        stmt = select(IdeaRecord).where(IdeaRecord.question_id == question_id).order_by(IdeaRecord.id)
        if statuses:
            stmt = stmt.where(IdeaRecord.status.in_(statuses))
        return self.store._read(lambda s: [_idea(r) for r in s.exec(stmt)])

    def moderate(self, idea_id: int, status: str, merged_into: int | None = None) -> None:
        """Approve, hide or merge a proposal. Merging moves its upvotes to the proposal it joins (a
        participant who upvoted both keeps one)."""

        def work(s: Session) -> None:
            row = s.get(IdeaRecord, idea_id)
            if row is None:
                raise NotFound(f"no idea {idea_id}")
            if status not in IDEA_STATUSES:
                raise Invalid([Issue(code="ws_bad_value")])
            if status == "merged":
                into = s.get(IdeaRecord, merged_into) if merged_into is not None else None
                if into is None or into.question_id != row.question_id or into.id == row.id:
                    raise Invalid([Issue(code="ws_merge_target")])
                voters = set(
                    s.exec(
                        select(BallotRecord.participant_id).where(
                            BallotRecord.question_id == row.question_id, BallotRecord.item == idea_item(into.id)
                        )
                    )
                )
                for ballot in s.exec(
                    select(BallotRecord).where(
                        BallotRecord.question_id == row.question_id, BallotRecord.item == idea_item(row.id)
                    )
                ):
                    if ballot.participant_id in voters:
                        s.delete(ballot)
                    else:
                        ballot.item = idea_item(into.id)
                row.merged_into = into.id
            else:
                row.merged_into = None
            row.status = status

        self.store._write(work)

    # -- the participants --

    def link_for_code(self, code: str, client: str = "?") -> str:
        """The link of the open workshop whose short code was typed. Wrong codes are slowed per
        client (`codes.WrongCodes`); an ended or expired workshop's code is refused as such."""
        wait = self.wrong_codes.wait(client)
        if wait > 0:
            raise CodeThrottled(wait)
        canonical = codes.read_code(code)

        def work(s: Session) -> str:
            row = s.exec(select(WorkshopRecord).where(WorkshopRecord.code == canonical)).first() if canonical else None
            if row is None:
                self.wrong_codes.failed(client)
                raise WrongCode("ws_wrong_code")
            if row.ended_at is not None or _aware(row.expires_at) <= _now():
                raise WorkshopRefused("ws_workshop_over")
            return row.link

        link = self.store._read(work)
        self.wrong_codes.succeeded(client)
        return link

    def join(self, link: str, name: Any = "", role: Any = "other") -> tuple[str, Workshop]:
        """Admit a participant to the workshop of `link` (the QR code's); returns (the participant's
        token, for the cookie, and the workshop)."""
        shown, issue = clean_text(name if name is not None else "", NAME_ON_PHONE_MAX)
        if issue:
            raise Invalid([issue])
        if role not in PARTICIPANT_ROLES:
            role = "other"
        token = codes.new_token(codes.PARTICIPANT_BYTES)

        def work(s: Session) -> Workshop:
            row = self._by_link(s, link)
            now = _now()
            if row.ended_at is not None or _aware(row.expires_at) <= now:
                raise WorkshopRefused("ws_workshop_over")
            joined = s.exec(
                select(sa.func.count()).select_from(ParticipantRecord).where(ParticipantRecord.workshop_id == row.id)
            ).one()
            if joined >= PARTICIPANTS_MAX:
                raise WorkshopRefused("ws_workshop_full", limit=PARTICIPANTS_MAX)
            s.add(
                ParticipantRecord(
                    workshop_id=row.id,
                    token_hash=codes.token_hash(token),
                    name=shown or "",
                    role=role,
                    joined_at=now,
                )
            )
            return _workshop(row)

        return token, self.store._write(work)

    @staticmethod
    def _by_link(s: Session, link: str | None) -> WorkshopRecord:
        row = (
            s.exec(select(WorkshopRecord).where(WorkshopRecord.link == link)).first()
            if codes.looks_like_token(link)
            else None
        )
        if row is None:
            raise NotFound("no workshop with that link")
        return row

    def workshop_by_link(self, link: str) -> Workshop:
        return self.store._read(lambda s: _workshop(self._by_link(s, link)))

    def phone(self, token: str | None, link: str) -> PhoneView:
        """What the participant's phone shows now."""

        def work(s: Session) -> PhoneView:
            who = self._who(s, token, link)
            open_question = (QuestionRecord.workshop_id == WorkshopRecord.id) & (QuestionRecord.state == "open")
            found = (
                s.connection()
                .execute(  # the workshop and its open question in one read: phones ask every few seconds
                    sa.select(
                        WorkshopRecord.title.label("workshop_title"),
                        WorkshopRecord.ended_at.label("workshop_ended_at"),
                        WorkshopRecord.expires_at.label("workshop_expires_at"),
                        *QuestionRecord.__table__.c,
                    )
                    .select_from(WorkshopRecord)
                    .outerjoin(QuestionRecord, open_question)
                    .where(WorkshopRecord.id == who.workshop)
                )
                .first()
            )
            over = found.workshop_ended_at is not None or _aware(found.workshop_expires_at) <= _now()
            question = _question(found) if found.id is not None and not over else None
            ballots, ideas, mine = {}, [], []
            if question is not None:
                ballots = {
                    item: json.loads(value)
                    for item, value in s.exec(
                        select(BallotRecord.item, BallotRecord.value).where(
                            BallotRecord.question_id == question.id, BallotRecord.participant_id == who.participant
                        )
                    )
                }
                if question.kind == "ideas":
                    rows = s.exec(
                        select(IdeaRecord).where(IdeaRecord.question_id == question.id).order_by(IdeaRecord.id)
                    )
                    for idea in rows:
                        if idea.status == "approved":
                            ideas.append(_idea(idea).model_copy(update={"participant": None}))
                        if idea.participant_id == who.participant:
                            mine.append(_idea(idea).model_copy(update={"participant": None}))
            return PhoneView(
                workshop=found.workshop_title,
                ended=over,
                name=who.name,
                role=who.role,
                question=question,
                ballots=ballots,
                ideas=ideas,
                mine=mine,
            )

        return self.store._read(work)

    def _who(self, s: Session, token: str | None, link: str) -> _Phone:
        """The participant `token` is in the workshop of `link`, or NotParticipant. A token never changes
        hands and a participant's name and role never change, so the process keeps the ones it has seen (a
        phone sends its token with every request) and asks the database once per phone."""
        if not codes.looks_like_token(token, codes.PARTICIPANT_BYTES):
            self._by_link(s, link)  # NotFound for a link of no workshop
            raise NotParticipant("not a participant of this workshop")
        key = (codes.token_hash(token), link)
        known = self._known.get(key)
        if known is not None:
            return known
        row = s.exec(
            select(ParticipantRecord.id, ParticipantRecord.workshop_id, ParticipantRecord.name, ParticipantRecord.role)
            .join(WorkshopRecord, WorkshopRecord.id == ParticipantRecord.workshop_id)
            .where(ParticipantRecord.token_hash == key[0], WorkshopRecord.link == link)
        ).first()
        if row is None:
            self._by_link(s, link)
            raise NotParticipant("not a participant of this workshop")
        if len(self._known) >= KNOWN_PHONES_MAX:
            self._known.clear()
        self._known[key] = known = _Phone(*row)
        return known

    def _upsert(self):
        """INSERT … ON CONFLICT (question, participant, item) DO UPDATE, in the database's own dialect."""
        if self.store.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(BallotRecord.__table__)
        return stmt.on_conflict_do_update(
            index_elements=["question_id", "participant_id", "item"],
            set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
        )

    def submit(self, token: str | None, link: str, question_id: Any, values: Any) -> dict[str, Any]:
        """Store a participant's answer (see `policy_engine/workshop/ballots.py`); returns it as kept.

        One question read (with its workshop's end) and one upsert per item: the unique constraint
        makes a second answer replace the first, and two tabs of one phone racing end with one ballot."""

        def work(s: Session) -> dict[str, Any]:
            who = self._who(s, token, link)
            me, workshop_id = who.participant, who.workshop
            found = (
                s.connection()
                .execute(  # columns, not an ORM object: this is the hot path of a room of phones
                    sa.select(*QuestionRecord.__table__.c, WorkshopRecord.ended_at, WorkshopRecord.expires_at)
                    .join(WorkshopRecord, WorkshopRecord.id == QuestionRecord.workshop_id)
                    .where(QuestionRecord.id == question_id)
                )
                .first()
                if isinstance(question_id, int) and not isinstance(question_id, bool)
                else None
            )
            if found is None or found.workshop_id != workshop_id:
                raise WorkshopRefused("ws_unknown_question")
            row = found
            if row.ended_at is not None or _aware(row.expires_at) <= _now():
                raise WorkshopRefused("ws_workshop_over")
            question = _question(row)
            approved: set[str] = set()
            if question.kind == "ideas":
                approved = {
                    idea_item(i)
                    for i in s.exec(
                        select(IdeaRecord.id).where(IdeaRecord.question_id == row.id, IdeaRecord.status == "approved")
                    )
                }
            kept, issues = check_submission(question, values, approved)
            if issues:
                raise Invalid(issues)
            mine = (BallotRecord.question_id == row.id) & (BallotRecord.participant_id == me)
            if question.kind in WHOLE:  # the allocation or order replaces the previous one whole
                if self.store.dialect == "postgresql":  # one whole submission of a participant at a time
                    s.exec(select(ParticipantRecord.id).where(ParticipantRecord.id == me).with_for_update())
                s.exec(sa.delete(BallotRecord).where(mine & BallotRecord.item.not_in(list(kept))))
            dropped = [item for item, value in kept.items() if question.kind == "ideas" and value == 0]
            if dropped:  # an upvote taken back
                s.exec(sa.delete(BallotRecord).where(mine & BallotRecord.item.in_(dropped)))
            now = _now()
            rows = [
                {
                    "question_id": row.id,
                    "participant_id": me,
                    "item": item,
                    "value": json.dumps(value, ensure_ascii=False),
                    "updated_at": now,
                }
                for item, value in kept.items()
                if item not in dropped
            ]
            if rows:
                s.connection().execute(self._upsert(), rows)
            return kept

        return self.store._write(work)

    def propose(self, token: str | None, link: str, question_id: Any, text: Any) -> Idea:
        def work(s: Session) -> Idea:
            who = self._who(s, token, link)
            me_id, workshop = who.participant, s.get(WorkshopRecord, who.workshop)
            row = s.get(QuestionRecord, question_id) if isinstance(question_id, int) else None
            if row is None or row.workshop_id != workshop.id or row.kind != "ideas":
                raise WorkshopRefused("ws_unknown_question")
            if row.state != "open" or workshop.ended_at is not None or _aware(workshop.expires_at) <= _now():
                raise WorkshopRefused("ws_question_closed")
            kept, issues = check_idea(text)
            if issues:
                raise Invalid(issues)
            count = s.exec(
                select(sa.func.count())
                .select_from(IdeaRecord)
                .where(IdeaRecord.question_id == row.id, IdeaRecord.participant_id == me_id)
            ).one()
            if count >= IDEAS_PER_PARTICIPANT_MAX:
                raise WorkshopRefused("ws_too_many_ideas", limit=IDEAS_PER_PARTICIPANT_MAX)
            idea = IdeaRecord(question_id=row.id, participant_id=me_id, text=kept, created_at=_now())
            s.add(idea)
            s.flush()
            return _idea(idea)

        return self.store._write(work)

    # -- results --

    def result(self, question_id: int) -> tuple[Question, Result]:
        """The question (an `ideas` question with its approved proposals as items) and its tally: what
        the board draws, what accepting takes into the project."""
        question = self.question(question_id)
        if question.kind == "ideas":
            approved = self.ideas(question_id, ("approved",))
            question = question.model_copy(
                update={"items": tuple(Item(id=idea_item(i.id), label=i.text[:NAME_MAX]) for i in approved)}
            )
        return question, tally(question, self.ballots(question_id))

    def ballot_rows(self, question_id: int, lang: str) -> list[dict[str, Any]]:
        """The question's ballots for export, anonymised: participants numbered in order of their first
        ballot, their role, the item's name and the answer (no names, no tokens)."""
        question, _ = self.result(question_id)
        numbers: dict[int, int] = {}
        rows = []
        for b in self.ballots(question_id):
            number_ = numbers.setdefault(b.participant, len(numbers) + 1)
            item = question.item(b.item)
            row = {
                "participant": number_,
                "role": t(f"ws.role.{b.role}", lang),
                "item": item.name(lang) if item else b.item,
            }
            if question.kind == "rate" and isinstance(b.value, dict):
                row |= {c: b.value.get(c) for c in CRITERIA}
            elif question.kind == "kpi" and isinstance(b.value, dict):
                row |= {"agree": b.value.get("agree"), "comment": b.value.get("comment", "")}
            else:
                row[question.kind] = b.value
            rows.append(row)
        return rows


# The workshop tables, children first (the order rows can be deleted in).
WORKSHOP_TABLES = ("workshop_ballot", "workshop_idea", "workshop_participant", "workshop_question", "workshop")
