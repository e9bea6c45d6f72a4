"""PostgreSQL only: the open recommendations indexed for counting the overdue, in all and
by paper.

* ``ix_records_open_due_count`` (due_end): counting "overdue as of" a day reads every
  open recommendation due before it, at a million recommendations up to 380,000 entries
  of 0012's ``ix_records_open_due_end`` (due_end, id), 42-62 ms. That index must hold the
  id (it lists the overdue in due order, then ingest order, without sorting them), so no
  two of its entries are equal and PostgreSQL cannot deduplicate them. This one holds
  the due date alone, over the same rows: the recommendations sharing a due date (a
  financial year's end, a quarter's) are one entry with the list of their rows, 3.5-4.2
  MB where 0012's is 19 MB, and an index-only scan counts them in half the time (p95 44
  -> 24 ms on the same machine and load). The planner picks it for counting, being the
  smaller, and 0012's for listing, being in the order asked for.
* ``ix_records_open_doc_due_end`` (doc_id, due_end): a committee's or a paper's overdue
  ("the Audit Committee's overdue actions") is, for each of its papers, one range of
  this index. Without it PostgreSQL read every overdue record in the table to see its
  paper: counting a committee's overdue took 0.4-2.2 s at a million (193 papers of
  2,000), now 9 ms, an index-only scan; listing them, or those matching words too, reads
  only the committee's overdue records (17 MB at a million).

Both are partial with no date in their condition, as 0012's: "today" moves, and an
index of the open rows by due date serves every day. SQLite is unchanged.

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
OPEN = "type = 'recommendation' AND (status IS NULL OR status NOT IN ('complete', 'superseded'))"
INDEXES = {
    "ix_records_open_due_count": "records (due_end)",
    "ix_records_open_doc_due_end": "records (doc_id, due_end)",
}


def _postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def upgrade() -> None:
    if not _postgres():
        return
    for name, target in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {target} WHERE {OPEN}")


def downgrade() -> None:
    if not _postgres():
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX {name}")
