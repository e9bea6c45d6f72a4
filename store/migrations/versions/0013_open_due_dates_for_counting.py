"""PostgreSQL only: the open recommendations' due dates alone, for counting the overdue.

Counting "overdue as of" a day reads every open recommendation due before it: at a
million recommendations up to 380,000 entries of 0012's ``ix_records_open_due_end``
(due_end, id), 42-62 ms. That index must hold the id (it lists the overdue in due
order, then ingest order, without sorting them), so no two of its entries are equal and
PostgreSQL cannot deduplicate them. ``ix_records_open_due_count`` holds the due date
alone, over the same rows: the recommendations sharing a due date (a financial year's
end, a quarter's) are one entry with the list of their rows, 3.5 MB where 0012's is
19 MB, and an index-only scan counts them in half the time (42 -> 22 ms on the same
machine and load). The planner picks it for counting, being the smaller, and 0012's for
listing, being in the order asked for. Like 0012's it is partial with no date in its
condition: "today" moves, and an index of the open rows by due date serves every day.

SQLite is unchanged (it does not deduplicate index entries).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# as 0012's ix_records_open_due_end: a recommendation that is neither complete nor superseded
OPEN = "(status IS NULL OR status NOT IN ('complete', 'superseded'))"
INDEX = "ix_records_open_due_count"


def _postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def upgrade() -> None:
    if not _postgres():
        return
    op.execute(
        f"CREATE INDEX {INDEX} ON records (due_end) WHERE type = 'recommendation' AND {OPEN}"
    )


def downgrade() -> None:
    if not _postgres():
        return
    op.execute(f"DROP INDEX {INDEX}")
