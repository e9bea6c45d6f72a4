"""Read-only questions the CLI asks of a database; each returns plain data.

SQL text run through ``store.reader.rows``, so they take a plain sqlite3 connection (the
query commands: no SQLAlchemy to load) or a SQLAlchemy one alike; where PostgreSQL's SQL
differs (JSON operators, ``ILIKE``) the two versions stand side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from store.reader import LIKE, Connectable, dialect, json_value, rows, scalar

REVIEW_CONFIDENCE = 0.6  # below this a record is worth a person's look
REVIEW_TABLE_QUALITY = 0.5  # a table measured below this is worth a look too


@dataclass(frozen=True)
class TableSummary:
    doc_id: str
    source: str
    table_index: int
    kind: str
    pages: list[int] | None
    row_count: int
    col_count: int
    header: list[str]
    context: str | None
    quality: float | None = None
    notes: list[str] | None = None


@dataclass(frozen=True)
class ReviewItem:
    doc_id: str
    source: str
    ordinal: int
    type: str
    ref: str | None
    confidence: float | None
    issues: list[Any]
    text: str | None


def prefix_pattern(key: str) -> str:
    """A LIKE pattern (``ESCAPE '\\'``) for values starting with ``key`` as typed: its own
    ``%`` and ``_`` are taken literally."""
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def list_tables(
    conn: Connectable, doc_id: str | None = None, below: float | None = None
) -> Iterator[TableSummary]:
    """Every stored table, per document in ingest order; ``doc_id`` may be a prefix;
    ``below``: only tables whose measured quality is below it."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if doc_id:
        where.append(f"t.doc_id {LIKE[dialect(conn)]} :prefix ESCAPE '\\'")
        params["prefix"] = prefix_pattern(doc_id)
    if below is not None:
        where.append("t.quality < :below")
        params["below"] = below
    sql = (
        "SELECT t.doc_id, d.source, t.table_index, t.kind, t.pages, t.row_count,"
        " t.col_count, t.header, t.context, t.quality, t.notes"
        " FROM tables AS t JOIN documents AS d ON d.doc_id = t.doc_id"
        f"{' WHERE ' + ' AND '.join(where) if where else ''}"
        " ORDER BY d.id, t.table_index"
    )
    for row in rows(conn, sql, params):
        doc, source, index, kind, pages, n_rows, n_cols, header, context, quality, notes = row
        yield TableSummary(
            doc, source, index, kind, json_value(pages), n_rows, n_cols, json_value(header),
            context, quality, json_value(notes),
        )  # fmt: skip


# Records to review: SQLite's json functions, and PostgreSQL's json operators (an issues
# value that is not a list counting as none there, as json_array_length cannot take it).
_REVIEW = {
    "sqlite": (
        "json_extract(r.data, '$.issues')",
        "json_array_length(r.data, '$.issues') > 0",
    ),
    "postgresql": (
        "r.data -> 'issues'",
        "CASE WHEN json_typeof(r.data -> 'issues') = 'array'"
        " THEN json_array_length(r.data -> 'issues') ELSE 0 END > 0",
    ),
}


def review_items(conn: Connectable, threshold: float = REVIEW_CONFIDENCE) -> Iterator[ReviewItem]:
    """Records normalise was unsure of: low ``confidence`` or a non-empty ``issues`` list."""
    issues, has_issues = _REVIEW[dialect(conn)]
    sql = (
        f"SELECT r.doc_id, d.source, r.ordinal, r.type, r.ref, r.confidence, {issues}, r.text"
        " FROM records AS r JOIN documents AS d ON d.doc_id = r.doc_id"
        f" WHERE r.confidence < :threshold OR {has_issues}"
        " ORDER BY d.id, r.ordinal"
    )
    for doc, source, ordinal, type_, ref, confidence, raw_issues, text in rows(
        conn, sql, {"threshold": threshold}
    ):
        yield ReviewItem(doc, source, ordinal, type_, ref, confidence, _as_list(raw_issues), text)


def _as_list(raw: Any) -> list[Any]:
    if raw is None:
        return []
    value = json_value(raw)
    return value if isinstance(value, list) else [value]


def stored_counts(conn: Connectable) -> dict[str, int]:
    """How many documents, tables and records of each type the database holds."""
    counts = {
        "documents": int(scalar(conn, "SELECT count(*) FROM documents")),
        "tables": int(scalar(conn, "SELECT count(*) FROM tables")),
    }
    for type_, n in rows(conn, "SELECT type, count(*) FROM records GROUP BY type"):
        counts[f"records.{type_}"] = n
    return counts


class DocumentNotFound(Exception):
    """A document asked for by id or name is not in the database, or is ambiguous."""


def find_documents(conn: Connectable, keys: list[str]) -> list[dict[str, Any]]:
    """The document records named by doc_id (or a prefix) or file name, in the order asked,
    each with ``path`` (where it was ingested from) added."""
    sql = (
        "SELECT d.doc_id, d.source_path, r.data FROM documents AS d"
        " LEFT OUTER JOIN records AS r ON r.doc_id = d.doc_id AND r.type = 'document'"
        f" WHERE d.doc_id {LIKE[dialect(conn)]} :prefix ESCAPE '\\' OR d.source = :key"
        " ORDER BY d.id"
    )
    found = []
    for key in keys:
        named = list(rows(conn, sql, {"prefix": prefix_pattern(key), "key": key}))
        if len(named) != 1:
            what = "no document" if not named else f"{len(named)} documents"
            raise DocumentNotFound(f"{key}: {what} with this doc_id or file name")
        doc_id, path, data = named[0]
        found.append({**(json_value(data) or {"doc_id": doc_id}), "path": path})
    return found


def match_documents(conn: Connectable, key: str) -> list[str]:
    """doc_ids of the documents ``key`` names: a doc_id prefix or a file name (a filter
    may name several); an empty list when it names none."""
    sql = (
        f"SELECT doc_id FROM documents WHERE doc_id {LIKE[dialect(conn)]} :prefix ESCAPE '\\'"
        " OR source = :key ORDER BY id"
    )
    return [row[0] for row in rows(conn, sql, {"prefix": prefix_pattern(key), "key": key})]
