"""Projects and their saved versions.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project",
        sa.Column("id", sa.String(length=80), primary_key=True),
        sa.Column("region_name", sa.String(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("head_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "project_version",
        sa.Column("project_id", sa.String(length=80), sa.ForeignKey("project.id"), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("iterations", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("project_version")
    op.drop_table("project")
