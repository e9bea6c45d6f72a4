"""Full-text indexes filled by the loader, one statement per document, not a trigger per row.

``store.load`` adds each document's new ``cells`` / ``blocks`` / ``records`` rows to their
FTS5 indexes with one ``INSERT ... SELECT`` in the document's own transaction, which FTS5
takes about three times faster than a trigger firing per row; the batch's single writer
spent half its time in those triggers. The delete and update triggers stay: they are rare,
and an external-content index must be told a row's old text to forget it.

Anything that inserts rows into these tables other than through ``store.load`` must add
them to the index the same way (``bench/gen_records.py`` does), or run
``INSERT INTO cells_fts(cells_fts) VALUES ('rebuild')``.

PostgreSQL's full-text indexes are GIN indexes over an expression (0002, 0003): nothing
to do there.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FTS_TABLES = ("blocks", "records", "cells")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in FTS_TABLES:
        op.execute(f"DROP TRIGGER {table}_fts_insert")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in FTS_TABLES:
        fts = f"{table}_fts"
        new = f"INSERT INTO {fts}(rowid, text) VALUES (new.id, new.text)"
        op.execute(f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN {new}; END")
