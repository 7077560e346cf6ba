"""Alembic environment: always run on the connection the store hands over (no alembic.ini)."""

from alembic import context
from sqlmodel import SQLModel

from policy_engine.store import database, workshops  # noqa: F401  (register the tables on SQLModel.metadata)

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
