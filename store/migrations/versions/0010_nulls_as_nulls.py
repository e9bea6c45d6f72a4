"""Nulls as nulls: a missing value is SQL NULL, never the text ``null`` or an empty string.

The loader wrote an empty JSON column (a record's or a cell's ``pages``, a cell's
``bbox``) as the JSON text ``null``, which Datasette shows as the word "null", an API
client receives as the string ``"null"``, and ``IS NULL`` does not find; the
``recommendation_register`` view passed it on. Those become NULL here (the loader now
writes NULL), as do blank promoted columns (``ref``, ``status``, ``owner``, ``due``,
``text``). The per-type views are made again so that a blank field of a record reads as
NULL too, and ``actions`` gains the tracker fields contract 1.1 gave actions (``status``,
``status_raw``, ``updates``).

On PostgreSQL the same, in its own SQL (as 0002 made the views there): a field is read
with ``->>`` (text), lists and numbers with ``->`` (json) unless their text is empty or
JSON ``null``, and blanks are trimmed with ``btrim`` and ``chr``.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

JSON_COLUMNS = (("records", "pages"), ("tables", "pages"), ("cells", "pages"), ("cells", "bbox"))
PROMOTED = ("ref", "status", "owner", "due", "text")
BLANK = "' ' || char(9, 10, 13, 160)"  # what trim() takes away before a value counts as blank
BLANK_PG = "' ' || chr(9) || chr(10) || chr(13) || chr(160)"
# fields that are lists or numbers: ``->`` (json) on PostgreSQL, the rest ``->>`` (text)
JSON_FIELDS = frozenset({"updates", "pages", "value", "start", "end"})

# view name -> (record type, contract fields in export order); as of contract 1.1
VIEWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "recommendations": ("recommendation", ("ref", "text", "response", "owner", "status",
                        "status_raw", "due", "due_raw", "updates", "pages")),
    "actions": ("action", ("recommendation_ref", "ref", "text", "owner", "due", "due_raw",
                "milestone", "target", "status", "status_raw", "updates", "pages")),
    "savings": ("saving", ("item", "group", "period", "unit", "value", "pages")),
    "rag_ratings": ("rag", ("programme", "criterion", "rating", "rationale", "pages")),
    "entities": ("entity", ("record_type", "record_key", "field", "label", "text", "start",
                 "end", "normalised")),
}  # fmt: skip
# the actions view as 0002 made it, for the downgrade
ACTIONS_0002 = ("recommendation_ref", "ref", "text", "owner", "due", "due_raw", "milestone",
                "target", "pages")  # fmt: skip


def _view(name: str, record_type: str, fields: tuple[str, ...], blank_is_null: bool) -> str:
    def column(f: str) -> str:
        value = f"json_extract(data, '$.{f}')"
        return f"nullif({value}, '') AS \"{f}\"" if blank_is_null else f'{value} AS "{f}"'

    return (
        f"CREATE VIEW {name} AS SELECT id AS record_id, doc_id, ordinal, "
        f"{', '.join(map(column, fields))}, confidence FROM records WHERE type = '{record_type}'"
    )


def _view_pg(name: str, record_type: str, fields: tuple[str, ...], blank_is_null: bool) -> str:
    def column(f: str) -> str:
        text = f"data ->> '{f}'"  # NULL for JSON null as for a missing field
        if f in JSON_FIELDS:
            value = f"data -> '{f}'"
            if blank_is_null:
                value = f"CASE WHEN nullif({text}, '') IS NULL THEN NULL ELSE {value} END"
        else:
            value = f"nullif({text}, '')" if blank_is_null else text
        return f'{value} AS "{f}"'

    return (
        f"CREATE VIEW {name} AS SELECT id AS record_id, doc_id, ordinal, "
        f"{', '.join(map(column, fields))}, confidence FROM records WHERE type = '{record_type}'"
    )


def _postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def upgrade() -> None:
    if _postgres():
        for table, column in JSON_COLUMNS:  # jsonb there: the JSON value null
            op.execute(f"UPDATE {table} SET {column} = NULL WHERE {column} = 'null'::jsonb")
        for column in PROMOTED:
            op.execute(f"UPDATE records SET {column} = NULL WHERE btrim({column}, {BLANK_PG}) = ''")
        for name, (record_type, fields) in VIEWS.items():
            op.execute(f"DROP VIEW {name}")
            op.execute(_view_pg(name, record_type, fields, blank_is_null=True))
        return
    for table, column in JSON_COLUMNS:
        op.execute(f"UPDATE {table} SET {column} = NULL WHERE {column} = 'null'")
    for column in PROMOTED:
        op.execute(f"UPDATE records SET {column} = NULL WHERE trim({column}, {BLANK}) = ''")
    for name, (record_type, fields) in VIEWS.items():
        op.execute(f"DROP VIEW {name}")
        op.execute(_view(name, record_type, fields, blank_is_null=True))


def downgrade() -> None:
    # the NULLs stay: every papertrail reads them as it read the text ``null``
    make = _view_pg if _postgres() else _view
    for name, (record_type, fields) in VIEWS.items():
        op.execute(f"DROP VIEW {name}")
        old = ACTIONS_0002 if name == "actions" else fields
        op.execute(make(name, record_type, old, blank_is_null=False))
