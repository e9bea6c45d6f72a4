"""Alembic environment: run by ``store.database.upgrade`` with an open connection.

There is no alembic.ini at runtime; the caller passes its connection in
``config.attributes["connection"]``.  ``render_as_batch`` lets future migrations alter
SQLite tables (which SQLite can only do by copying them).
"""

from __future__ import annotations

from alembic import context

from store.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
