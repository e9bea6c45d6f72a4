"""PostgreSQL only: each record's due period end stored beside it, and indexed as a column.

At a million recommendations the filters combining a due date with something else, and
the overdue count, spent their time working out due dates: 0003 indexed the due period's
end as an expression (eleven regular expressions), and PostgreSQL evaluates an index
expression again for every row it reads from the table — a status, owner and due-after
filter tested 20,000–34,000 of them, and counting the overdue ran it on half the table
(1 s). ``records`` gains ``due_end``, a stored generated column (0003's expression over
``due``), so it is worked out once, when a row is written, by PostgreSQL itself (nothing
to fill in by hand: the loader, ``COPY`` and this migration's rewrite of the table all
compute it). 0003's expression indexes are made again on the column:

* ``ix_records_type_due_end`` (type, due_end, status) and ``ix_records_type_status_due_end``
  (type, status, due_end) as before, without the owner key, which PostgreSQL would only
  have computed again from ``owner``; a seventh of their size (many rows share a value);
* ``ix_records_type_owner_key`` includes ``status`` and ``due_end`` beside ``owner``, so an
  owner filter combined with a status or due filter tests them in the index alone (an
  index-only scan) instead of reading each of the owners' records (status + owner +
  due-after: 170–270 → 20–30 ms p95);
* ``ix_records_open_due_end``: the open recommendations (no status, or not complete or
  superseded) by due date, partial, so "overdue as of" is one range of one index, read
  alone: the overdue count no longer reads the table (0.7–1 s → 60 ms). 0011 had left
  ``status`` and ``due`` out of the owner index because the planner then counted the
  overdue by reading all of that index and working out every due date (1.9 s); with this
  index and the stored column it has a far cheaper way.

The ``recommendation_register`` view reads the column too (same values, same name).

SQLite is unchanged: it reads an expression index's values from the index, so its due
filters never computed a due date per row.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def due_end_pg(due: str) -> str:
    """0003's ``due_end_pg``, written out here as a migration must keep it: the last day a
    normalised due value allows, from regular expressions and string arithmetic only (a
    generated column, like an index, takes immutable functions only)."""
    y = f"substr({due}, 1, 4)"
    leap = f"({y}::int % 4 = 0 AND ({y}::int % 100 <> 0 OR {y}::int % 400 = 0))"
    return (
        "CASE"
        f" WHEN {due} ~ '^FY[0-9]{{4}}/[0-9]{{2}}$'"
        f" THEN lpad((substr({due}, 3, 4)::int + 1)::text, 4, '0') || '-03-31'"
        f" WHEN {due} ~ '^[0-9]{{4}}-Q1$' THEN {y} || '-06-30'"
        f" WHEN {due} ~ '^[0-9]{{4}}-Q2$' THEN {y} || '-09-30'"
        f" WHEN {due} ~ '^[0-9]{{4}}-Q3$' THEN {y} || '-12-31'"
        f" WHEN {due} ~ '^[0-9]{{4}}-Q4$' THEN lpad(({y}::int + 1)::text, 4, '0') || '-03-31'"
        f" WHEN {due} ~ '^[0-9]{{4}}$' THEN {due} || '-12-31'"
        f" WHEN {due} ~ '^[0-9]{{4}}-(0[13578]|1[02])$' THEN {due} || '-31'"
        f" WHEN {due} ~ '^[0-9]{{4}}-(0[469]|11)$' THEN {due} || '-30'"
        f" WHEN {due} ~ '^[0-9]{{4}}-02$' THEN {due} || CASE WHEN {leap} THEN '-29' ELSE '-28' END"
        f" WHEN {due} ~ '^[0-9]{{4}}-[0-9]{{2}}$' THEN NULL"
        f" ELSE nullif({due}, '') END"
    )


DUE_PG = due_end_pg("due")
OWNER_KEY_PG = "replace(replace(replace(owner, ' ', ''), chr(9), ''), chr(160), '')"
OPEN = "(status IS NULL OR status NOT IN ('complete', 'superseded'))"
# as 0003 and 0011 left them
INDEXES_BEFORE = {
    "ix_records_type_due_end": f"records (type, ({DUE_PG}), status, ({OWNER_KEY_PG}))",
    "ix_records_type_status_due_end": f"records (type, status, ({DUE_PG}), ({OWNER_KEY_PG}))",
    "ix_records_type_owner_key": f"records (type, ({OWNER_KEY_PG}), id) INCLUDE (owner)",
}
INDEXES = {
    "ix_records_type_due_end": "records (type, due_end, status)",
    "ix_records_type_status_due_end": "records (type, status, due_end)",
    "ix_records_type_owner_key": (
        f"records (type, ({OWNER_KEY_PG}), id) INCLUDE (owner, status, due_end)"
    ),
    "ix_records_open_due_end": f"records (due_end, id) WHERE type = 'recommendation' AND {OPEN}",
}
REGISTER = (
    "SELECT r.id AS record_id, r.doc_id, d.source, d.committee, d.meeting_date,"
    " r.ordinal, r.ref, r.text, r.owner, r.status, r.due, {due_end} AS due_end, r.pages,"
    " r.confidence FROM records AS r JOIN documents AS d ON d.doc_id = r.doc_id"
    " WHERE r.type = 'recommendation'"
)


def _postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def upgrade() -> None:
    if not _postgres():
        return
    for name in INDEXES_BEFORE:  # first: adding the column rewrites the table and its indexes
        op.execute(f"DROP INDEX {name}")
    op.execute(f"ALTER TABLE records ADD COLUMN due_end text GENERATED ALWAYS AS ({DUE_PG}) STORED")
    for name, target in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {target}")
    # same columns, same values: the views built on it stay as they are
    op.execute(
        "CREATE OR REPLACE VIEW recommendation_register AS " + REGISTER.format(due_end="r.due_end")
    )
    op.execute("ANALYZE records")  # the new column's statistics: how the due dates spread


def downgrade() -> None:
    if not _postgres():
        return
    op.execute(
        "CREATE OR REPLACE VIEW recommendation_register AS "
        + REGISTER.format(due_end=due_end_pg("r.due"))
    )
    for name in INDEXES:
        op.execute(f"DROP INDEX {name}")
    op.execute("ALTER TABLE records DROP COLUMN due_end")
    for name, target in INDEXES_BEFORE.items():
        op.execute(f"CREATE INDEX {name} ON {target}")
