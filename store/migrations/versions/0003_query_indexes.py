"""Analysts' queries: cell search, Datasette-detectable FTS, due-date index, question views.

* ``cells_fts`` indexes every printed table cell, like ``blocks_fts`` and ``records_fts``.
* ``blocks_fts`` and ``records_fts`` are remade with ``content="..."`` in double quotes:
  that is the spelling Datasette looks for to offer a search box on the table.
* ``due_end`` is the last day a normalised due value allows ("2009" -> "2009-12-31",
  "2009-02" -> "2009-02-28", "FY2008/09" -> "2009-03-31", "2009-Q2" -> "2009-09-30";
  ``store.diff.due_end`` in SQL).  It and the owner without spacing
  are indexed, so filters over a million recommendations do not read them all.  The
  indexes are on expressions, which SQLAlchemy does not reflect: the models stay as
  they are.
* Views for the common questions, browsable in Datasette: ``recommendation_register``
  (each recommendation with its paper), ``overdue_recommendations``,
  ``recommendations_without_owner`` and ``recommendations_by_owner``.

On PostgreSQL the cells get a GIN index over their words as blocks and records did in
0002, and the due-date expression is written with regular expressions and string
arithmetic (``due_end_pg``): no date function that could fail on a malformed value, and
only immutable functions, which an index expression must be.

The SQL is written out here rather than imported: a migration must keep meaning what it
meant when it shipped.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FTS_TABLES = ("blocks", "records", "cells")


def due_end(due: str) -> str:
    """``store.diff.due_end`` as an SQL expression over the column ``due``.

    Quarters are of the financial year starting in April, so Q4 ends in March of the
    next calendar year.
    """
    year = "[0-9][0-9][0-9][0-9]"
    return (
        "CASE"
        f" WHEN {due} GLOB 'FY{year}/[0-9][0-9]'"
        f" THEN printf('%04d-03-31', substr({due}, 3, 4) + 1)"
        f" WHEN {due} GLOB '{year}-Q[1-3]' THEN date(printf('%s-%02d-01', substr({due}, 1, 4),"
        f" substr({due}, 7, 1) * 3 + 3), '+1 month', '-1 day')"
        f" WHEN {due} GLOB '{year}-Q4' THEN printf('%04d-03-31', substr({due}, 1, 4) + 1)"
        f" WHEN {due} GLOB '{year}' THEN {due} || '-12-31'"
        f" WHEN {due} GLOB '{year}-[0-9][0-9]' THEN date({due} || '-01', '+1 month', '-1 day')"
        f" ELSE nullif({due}, '') END"
    )


def due_end_pg(due: str) -> str:
    """``due_end`` on PostgreSQL: the same values (a month past 12 gives NULL, as SQLite's
    ``date`` does), from regular expressions and string arithmetic only."""
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


CLOSED = "('complete', 'superseded')"  # statuses for which a passed due date is not overdue
DUE = due_end("due")
OWNER_KEY = "replace(replace(replace(owner, ' ', ''), char(9), ''), char(160), '')"

VIEWS: dict[str, str] = {
    "recommendation_register": (
        "SELECT r.id AS record_id, r.doc_id, d.source, d.committee, d.meeting_date,"
        " r.ordinal, r.ref, r.text, r.owner, r.status, r.due,"
        f" {due_end('r.due')} AS due_end, r.pages, r.confidence"
        " FROM records AS r JOIN documents AS d ON d.doc_id = r.doc_id"
        " WHERE r.type = 'recommendation'"
    ),
    "overdue_recommendations": (
        "SELECT * FROM recommendation_register WHERE due_end < date('now')"
        f" AND (status IS NULL OR status NOT IN {CLOSED})"
    ),
    "recommendations_without_owner": (
        "SELECT * FROM recommendation_register WHERE owner IS NULL OR trim(owner) = ''"
    ),
    # spellings that differ only in case or spacing ("HEAD OF  HR") are one owner
    "recommendations_by_owner": (
        "SELECT max(owner) AS owner, count(*) AS recommendations,"
        f" sum(status IS NULL OR status NOT IN {CLOSED}) AS open,"
        " sum(status = 'complete') AS complete,"
        f" sum(due_end < date('now') AND (status IS NULL OR status NOT IN {CLOSED}))"
        " AS overdue,"
        " count(DISTINCT doc_id) AS papers"
        " FROM recommendation_register WHERE owner IS NOT NULL AND trim(owner) != ''"
        f" GROUP BY lower({OWNER_KEY}) ORDER BY recommendations DESC, owner"
    ),
}

OWNER_KEY_PG = "replace(replace(replace(owner, ' ', ''), chr(9), ''), chr(160), '')"
TODAY_PG = "to_char(current_date, 'YYYY-MM-DD')"
OPEN_PG = f"(status IS NULL OR status NOT IN {CLOSED})"
VIEWS_PG: dict[str, str] = {
    **VIEWS,
    "recommendation_register": VIEWS["recommendation_register"].replace(
        due_end("r.due"), due_end_pg("r.due")
    ),
    "overdue_recommendations": (
        f"SELECT * FROM recommendation_register WHERE due_end < {TODAY_PG} AND {OPEN_PG}"
    ),
    "recommendations_by_owner": (
        "SELECT max(owner) AS owner, count(*) AS recommendations,"
        f" count(*) FILTER (WHERE {OPEN_PG}) AS open,"
        " count(*) FILTER (WHERE status = 'complete') AS complete,"
        f" count(*) FILTER (WHERE due_end < {TODAY_PG} AND {OPEN_PG}) AS overdue,"
        " count(DISTINCT doc_id) AS papers"
        " FROM recommendation_register WHERE owner IS NOT NULL AND trim(owner) != ''"
        f" GROUP BY lower({OWNER_KEY_PG}) ORDER BY recommendations DESC, owner"
    ),
}
DUE_PG = due_end_pg("due")
INDEXES_PG: dict[str, str] = {
    "ix_records_type_due_end": f"records (type, ({DUE_PG}), status, ({OWNER_KEY_PG}))",
    "ix_records_type_status_due_end": f"records (type, status, ({DUE_PG}), ({OWNER_KEY_PG}))",
    # with the id, as SQLite's rowid ends every index: owner filters list by owner, then id
    "ix_records_type_owner_key": f"records (type, ({OWNER_KEY_PG}), id)",
    "ix_cells_text_search": "cells USING gin (to_tsvector('simple', coalesce(text, '')))",
}

# Kept in step with store.register (a test compares the expressions): SQLite uses an
# expression index only for a query that writes the expression the same way.
INDEXES: dict[str, str] = {
    # due filters in due order, with status and owner at hand so that "overdue",
    # "ongoing" or "this owner" is checked in the index, not by reading each record
    "ix_records_type_due_end": f"records (type, ({DUE}), status, ({OWNER_KEY}))",
    # status filters and counts, then due order
    "ix_records_type_status_due_end": f"records (type, status, ({DUE}), ({OWNER_KEY}))",
    # owner filters: spacing-insensitive (case is ignored by LIKE)
    "ix_records_type_owner_key": f"records (type, ({OWNER_KEY}))",
}


def _fts(table: str) -> list[str]:
    fts = f"{table}_fts"
    new = f"INSERT INTO {fts}(rowid, text) VALUES (new.id, new.text)"
    old = f"INSERT INTO {fts}({fts}, rowid, text) VALUES ('delete', old.id, old.text)"
    return [
        f'CREATE VIRTUAL TABLE {fts} USING fts5(text, content="{table}", content_rowid="id")',
        f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN {new}; END",
        f"CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN {old}; END",
        # only a change of text touches the index (status edits would rewrite it for nothing)
        f"CREATE TRIGGER {table}_fts_update AFTER UPDATE OF text ON {table}"
        f" BEGIN {old}; {new}; END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _drop_fts(table: str) -> list[str]:
    events = ("insert", "delete", "update")
    return [*(f"DROP TRIGGER {table}_fts_{e}" for e in events), f"DROP TABLE {table}_fts"]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, target in INDEXES_PG.items():
            op.execute(f"CREATE INDEX {name} ON {target}")
        for name, body in VIEWS_PG.items():
            op.execute(f"CREATE VIEW {name} AS {body}")
        return
    for table in ("blocks", "records"):  # made by 0002 with content='...'
        for statement in _drop_fts(table):
            op.execute(statement)
    for table in FTS_TABLES:
        for statement in _fts(table):
            op.execute(statement)
    for name, target in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {target}")
    for name, body in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {body}")


def downgrade() -> None:
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW {name}")
    if op.get_bind().dialect.name == "postgresql":
        for name in INDEXES_PG:
            op.execute(f"DROP INDEX {name}")
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX {name}")
    for table in FTS_TABLES:
        for statement in _drop_fts(table):
            op.execute(statement)
    # 0002's spelling, so its own downgrade finds what it made
    for table in ("blocks", "records"):
        fts = f"{table}_fts"
        new = f"INSERT INTO {fts}(rowid, text) VALUES (new.id, new.text)"
        old = f"INSERT INTO {fts}({fts}, rowid, text) VALUES ('delete', old.id, old.text)"
        for statement in (
            f"CREATE VIRTUAL TABLE {fts} USING fts5(text, content='{table}', content_rowid='id')",
            f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN {new}; END",
            f"CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN {old}; END",
            f"CREATE TRIGGER {table}_fts_update AFTER UPDATE ON {table} BEGIN {old}; {new}; END",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ):
            op.execute(statement)
