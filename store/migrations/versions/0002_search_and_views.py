"""Full-text search over blocks and records, and one readable view per record type.

``blocks_fts`` / ``records_fts`` are external-content FTS5 indexes kept in step by
triggers (which also fire on the cascading deletes that replace a document).  The views
spread ``records.data`` into columns so analysts can browse recommendations, actions,
savings, RAG ratings and entities without writing ``json_extract``.

On PostgreSQL the full-text index of a table is a GIN index over ``to_tsvector('simple',
text)`` (words as printed, no stemming: FTS5's unicode61 tokenizer does not stem either),
which needs no triggers, and the views read ``data ->> 'field'`` (lists and numbers as
``json``, as ``json_extract`` gives them typed).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# view name -> (record type, contract fields in export order)
VIEWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "recommendations": (
        "recommendation",
        (
            "ref",
            "text",
            "response",
            "owner",
            "status",
            "status_raw",
            "due",
            "due_raw",
            "updates",
            "pages",
        ),
    ),
    "actions": (
        "action",
        (
            "recommendation_ref",
            "ref",
            "text",
            "owner",
            "due",
            "due_raw",
            "milestone",
            "target",
            "pages",
        ),
    ),
    "savings": ("saving", ("item", "group", "period", "unit", "value", "pages")),
    "rag_ratings": ("rag", ("programme", "criterion", "rating", "rationale", "pages")),
    "entities": (
        "entity",
        ("record_type", "record_key", "field", "label", "text", "start", "end", "normalised"),
    ),
}


def _fts(table: str) -> list[str]:
    fts = f"{table}_fts"
    new = f"INSERT INTO {fts}(rowid, text) VALUES (new.id, new.text)"
    old = f"INSERT INTO {fts}({fts}, rowid, text) VALUES ('delete', old.id, old.text)"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(text, content='{table}', content_rowid='id')",
        f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN {new}; END",
        f"CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN {old}; END",
        f"CREATE TRIGGER {table}_fts_update AFTER UPDATE ON {table} BEGIN {old}; {new}; END",
        # index what an older version already stored
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _view(name: str, record_type: str, fields: tuple[str, ...]) -> str:
    columns = ", ".join(f"json_extract(data, '$.{f}') AS \"{f}\"" for f in fields)
    return (
        f"CREATE VIEW {name} AS SELECT id AS record_id, doc_id, ordinal, {columns}, "
        f"confidence FROM records WHERE type = '{record_type}'"
    )


# fields that are lists or numbers: ``->`` (json) on PostgreSQL, the rest ``->>`` (text)
JSON_FIELDS = frozenset({"updates", "pages", "value", "start", "end"})


def _view_pg(name: str, record_type: str, fields: tuple[str, ...]) -> str:
    columns = ", ".join(
        f"data {'->' if f in JSON_FIELDS else '->>'} '{f}' AS \"{f}\"" for f in fields
    )
    return (
        f"CREATE VIEW {name} AS SELECT id AS record_id, doc_id, ordinal, {columns}, "
        f"confidence FROM records WHERE type = '{record_type}'"
    )


def _fts_pg(table: str) -> str:
    return (
        f"CREATE INDEX ix_{table}_text_search ON {table}"
        f" USING gin (to_tsvector('simple', coalesce(text, '')))"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("blocks", "records"):
            op.execute(_fts_pg(table))
        for name, (record_type, fields) in VIEWS.items():
            op.execute(_view_pg(name, record_type, fields))
        return
    for statement in (*_fts("blocks"), *_fts("records")):
        op.execute(statement)
    for name, (record_type, fields) in VIEWS.items():
        op.execute(_view(name, record_type, fields))


def downgrade() -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW {name}")
    if op.get_bind().dialect.name == "postgresql":
        for table in ("blocks", "records"):
            op.execute(f"DROP INDEX ix_{table}_text_search")
        return
    for table in ("blocks", "records"):
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER {table}_fts_{event}")
        op.execute(f"DROP TABLE {table}_fts")
