"""PostgreSQL only: each text's words stored beside it, and the owner index made to cover.

At a million recommendations the full-text filters and ``search`` spent their time in
``to_tsvector``: every candidate's text was parsed again to check a match found some
other way, or to rank it. ``records``, ``cells`` and ``blocks`` gain ``text_tsv``, a
stored generated column (``to_tsvector('simple', coalesce(text, ''))``, the expression
0002/0003 indexed), which the GIN indexes now index, the filters test and ``ts_rank_cd``
reads. With statistics on the column the planner also sees how common a word is, and for
a common one walks the records in id order testing the stored words instead of fetching
every match.

The owner index gains ``owner`` as an included column, so an owner filter reads the ids
of the matching records from the index alone (an index-only scan: PostgreSQL uses one
for an expression index only when the expression's columns are in the index too) and
fetches just the page it lists. (With ``status`` and ``due`` included too, owner and due
filters together ran faster, but the planner then counted overdue records by reading
the whole index and working out every due date: 1.9 s instead of 0.8.)

SQLite is unchanged (its FTS5 tables store the words already): nothing to do there.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TEXT_TABLES = ("blocks", "records", "cells")
TSVECTOR_PG = "to_tsvector('simple', coalesce(text, ''))"
OWNER_KEY_PG = "replace(replace(replace(owner, ' ', ''), chr(9), ''), chr(160), '')"


def _postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def upgrade() -> None:
    if not _postgres():
        return
    for table in TEXT_TABLES:
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN text_tsv tsvector"
            f" GENERATED ALWAYS AS ({TSVECTOR_PG}) STORED"
        )
        op.execute(f"DROP INDEX ix_{table}_text_search")
        op.execute(f"CREATE INDEX ix_{table}_text_search ON {table} USING gin (text_tsv)")
    op.execute("DROP INDEX ix_records_type_owner_key")
    op.execute(
        f"CREATE INDEX ix_records_type_owner_key ON records (type, ({OWNER_KEY_PG}), id)"
        " INCLUDE (owner)"
    )
    for table in TEXT_TABLES:  # the new column's statistics: how common each word is
        op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    if not _postgres():
        return
    op.execute("DROP INDEX ix_records_type_owner_key")
    op.execute(f"CREATE INDEX ix_records_type_owner_key ON records (type, ({OWNER_KEY_PG}), id)")
    for table in TEXT_TABLES:
        op.execute(f"DROP INDEX ix_{table}_text_search")  # dropped with the column anyway
        op.execute(f"ALTER TABLE {table} DROP COLUMN text_tsv")
        op.execute(f"CREATE INDEX ix_{table}_text_search ON {table} USING gin ({TSVECTOR_PG})")
