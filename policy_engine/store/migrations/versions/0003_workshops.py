"""Workshops: questions, participants, their ballots (one per participant, question and item) and proposals.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "workshop",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.String(length=80), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False, unique=True),
        sa.Column("link", sa.String(length=64), nullable=False, unique=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("ended_at", WHEN, nullable=True),
    )
    op.create_index("ix_workshop_project_id", "workshop", ["project_id"])
    op.create_table(
        "workshop_question",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workshop_id", sa.Integer(), sa.ForeignKey("workshop.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("target", sa.String(length=40), nullable=True),
        sa.Column("per_level", sa.Boolean(), nullable=False),
        sa.Column("cluster", sa.String(length=80), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("revealed", sa.Boolean(), nullable=False),
        sa.Column("opened_at", WHEN, nullable=True),
        sa.Column("closed_at", WHEN, nullable=True),
    )
    op.create_index("ix_workshop_question_workshop_id", "workshop_question", ["workshop_id"])
    op.create_table(
        "workshop_participant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workshop_id", sa.Integer(), sa.ForeignKey("workshop.id"), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("joined_at", WHEN, nullable=False),
    )
    op.create_index("ix_workshop_participant_workshop_id", "workshop_participant", ["workshop_id"])
    op.create_table(
        "workshop_ballot",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("question_id", sa.Integer(), sa.ForeignKey("workshop_question.id"), nullable=False),
        sa.Column("participant_id", sa.Integer(), sa.ForeignKey("workshop_participant.id"), nullable=False),
        sa.Column("item", sa.String(length=120), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.UniqueConstraint("question_id", "participant_id", "item", name="uq_ballot_once"),
    )
    op.create_index("ix_workshop_ballot_question_id", "workshop_ballot", ["question_id"])
    op.create_table(
        "workshop_idea",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("question_id", sa.Integer(), sa.ForeignKey("workshop_question.id"), nullable=False),
        sa.Column("participant_id", sa.Integer(), sa.ForeignKey("workshop_participant.id"), nullable=True),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_workshop_idea_question_id", "workshop_idea", ["question_id"])


def downgrade() -> None:
    for table in ("workshop_idea", "workshop_ballot", "workshop_participant", "workshop_question", "workshop"):
        op.drop_table(table)
