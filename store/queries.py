"""Read-only questions the CLI asks of a database; each returns plain data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, literal_column, or_, select

from store.schema import documents, records, tables

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


def list_tables(
    conn: Connection, doc_id: str | None = None, below: float | None = None
) -> Iterator[TableSummary]:
    """Every stored table, per document in ingest order; ``doc_id`` may be a prefix;
    ``below``: only tables whose measured quality is below it."""
    query = (
        select(
            tables.c.doc_id,
            documents.c.source,
            tables.c.table_index,
            tables.c.kind,
            tables.c.pages,
            tables.c.row_count,
            tables.c.col_count,
            tables.c.header,
            tables.c.context,
            tables.c.quality,
            tables.c.notes,
        )
        .join(documents, documents.c.doc_id == tables.c.doc_id)
        .order_by(documents.c.id, tables.c.table_index)
    )
    if doc_id:
        query = query.where(tables.c.doc_id.startswith(doc_id, autoescape=True))
    if below is not None:
        query = query.where(tables.c.quality < below)
    for row in conn.execute(query):
        yield TableSummary(*row)


def review_items(conn: Connection, threshold: float = REVIEW_CONFIDENCE) -> Iterator[ReviewItem]:
    """Records normalise was unsure of: low ``confidence`` or a non-empty ``issues`` list."""
    issues: Any = func.json_extract(records.c.data, "$.issues")
    has_issues: Any = func.json_array_length(records.c.data, "$.issues") > 0
    if conn.dialect.name != "sqlite":  # PostgreSQL's json operators, non-lists counting 0
        issues = literal_column("records.data -> 'issues'")
        has_issues = (
            literal_column(
                "CASE WHEN json_typeof(records.data -> 'issues') = 'array'"
                " THEN json_array_length(records.data -> 'issues') ELSE 0 END"
            )
            > 0
        )
    query = (
        select(
            records.c.doc_id,
            documents.c.source,
            records.c.ordinal,
            records.c.type,
            records.c.ref,
            records.c.confidence,
            issues,
            records.c.text,
        )
        .join(documents, documents.c.doc_id == records.c.doc_id)
        .where(or_(records.c.confidence < threshold, has_issues))
        .order_by(documents.c.id, records.c.ordinal)
    )
    for doc, source, ordinal, type_, ref, confidence, raw_issues, text in conn.execute(query):
        yield ReviewItem(doc, source, ordinal, type_, ref, confidence, _as_list(raw_issues), text)


def _as_list(raw: Any) -> list[Any]:
    if raw is None:
        return []
    value = json.loads(raw) if isinstance(raw, str) else raw
    return value if isinstance(value, list) else [value]


def stored_counts(conn: Connection) -> dict[str, int]:
    """How many documents, tables and records of each type the database holds."""
    counts = {
        "documents": conn.execute(select(func.count()).select_from(documents)).scalar_one(),
        "tables": conn.execute(select(func.count()).select_from(tables)).scalar_one(),
    }
    for type_, n in conn.execute(select(records.c.type, func.count()).group_by(records.c.type)):
        counts[f"records.{type_}"] = n
    return counts


class DocumentNotFound(Exception):
    """A document asked for by id or name is not in the database, or is ambiguous."""


def find_documents(conn: Connection, keys: list[str]) -> list[dict[str, Any]]:
    """The document records named by doc_id (or a prefix) or file name, in the order asked,
    each with ``path`` (where it was ingested from) added."""
    found = []
    for key in keys:
        rows = conn.execute(
            select(documents.c.doc_id, documents.c.source_path, records.c.data)
            .join(
                records,
                (records.c.doc_id == documents.c.doc_id) & (records.c.type == "document"),
                isouter=True,
            )
            .where(
                or_(documents.c.doc_id.startswith(key, autoescape=True), documents.c.source == key)
            )
            .order_by(documents.c.id)
        ).all()
        if len(rows) != 1:
            what = "no document" if not rows else f"{len(rows)} documents"
            raise DocumentNotFound(f"{key}: {what} with this doc_id or file name")
        doc_id, path, data = rows[0]
        found.append({**(data or {"doc_id": doc_id}), "path": path})
    return found


def match_documents(conn: Connection, key: str) -> list[str]:
    """doc_ids of the documents ``key`` names: a doc_id prefix or a file name (a filter
    may name several); an empty list when it names none."""
    query = (
        select(documents.c.doc_id)
        .where(or_(documents.c.doc_id.startswith(key, autoescape=True), documents.c.source == key))
        .order_by(documents.c.id)
    )
    return list(conn.execute(query).scalars())
