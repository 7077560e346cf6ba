"""Annual cycles (frozen when closed) and passphrase protection.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("project") as batch:
        batch.add_column(sa.Column("cycle", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("passphrase_hash", sa.String(), nullable=True))
    with op.batch_alter_table("project_version") as batch:
        batch.add_column(sa.Column("cycle", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "project_cycle",
        sa.Column("project_id", sa.String(length=80), sa.ForeignKey("project.id"), primary_key=True),
        sa.Column("cycle", sa.Integer(), primary_key=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_version", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_version", sa.Integer(), nullable=True),
        sa.Column("closed_by", sa.String(), nullable=True),
    )
    # every project that existed before cycles were tracked is in its first, open cycle
    op.execute(
        "INSERT INTO project_cycle (project_id, cycle, opened_at, opened_version) "
        "SELECT id, 1, created_at, 1 FROM project"
    )


def downgrade() -> None:
    op.drop_table("project_cycle")
    with op.batch_alter_table("project_version") as batch:
        batch.drop_column("cycle")
    with op.batch_alter_table("project") as batch:
        batch.drop_column("passphrase_hash")
        batch.drop_column("cycle")
