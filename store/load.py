"""Storing one parsed document — its tables, cells, blocks and records — atomically.

``load_document`` writes everything of a document in one transaction: if any row fails
to insert, nothing of the document is stored.  Documents are keyed by the SHA-256 of
their bytes, so the same file ingested twice is stored once unless ``force`` replaces it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.exc import StatementError

from parsers.model import Document, Row, Table
from store.schema import blocks, cells, documents, records, tables

Record = dict[str, Any]
LoadStatus = Literal["stored", "replaced", "duplicate"]

# Record fields copied into the filterable columns of ``records``: first one present wins.
PROMOTED: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "record_key"),
    "status": ("status", "rating"),
    "owner": ("owner",),
    "due": ("due",),
    "text": ("text", "title", "item", "context"),
}


class StoreError(Exception):
    """A document or its records cannot be stored as given."""


@dataclass(frozen=True)
class LoadResult:
    """What ``load_document`` did with one document."""

    doc_id: str
    status: LoadStatus
    tables: int = 0
    pages: int | None = None
    records: Counter[str] = field(default_factory=Counter)  # by record type


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def find_document(conn: Connection, sha256: str) -> str | None:
    """The doc_id stored for these bytes, or None."""
    return conn.execute(
        select(documents.c.doc_id).where(documents.c.sha256 == sha256)
    ).scalar_one_or_none()


def load_document(
    engine: Engine,
    doc: Document,
    records_: Sequence[Record],
    *,
    force: bool = False,
    source_path: str | None = None,
) -> LoadResult:
    """Store ``doc`` and its contract records in one transaction.

    A document already stored with the same bytes is left alone and reported as a
    ``duplicate``; with ``force`` it is deleted (with everything hanging off it) and
    stored afresh.  Raises ``StoreError`` with nothing of the document stored.
    """
    check_records(doc, records_)
    try:
        existing = _replace_or_insert(engine, doc, records_, force, source_path)
    except StatementError as exc:  # the cause, without the SQL and its parameters
        raise StoreError(f"not stored: {type(exc.orig).__name__}: {exc.orig}") from exc
    if existing is not None and not force:
        return LoadResult(existing, "duplicate")
    counts = Counter(str(r["type"]) for r in records_)
    status: LoadStatus = "replaced" if existing is not None else "stored"
    return LoadResult(doc.doc_id, status, len(doc.tables), doc.page_count, counts)


def _replace_or_insert(
    engine: Engine, doc: Document, records_: Sequence[Record], force: bool,
    source_path: str | None,
) -> str | None:
    """Store the document unless already there (or ``force``); the doc_id found before."""
    with engine.connect().execution_options(sqlite_begin="BEGIN IMMEDIATE") as conn:
        with conn.begin():
            existing = find_document(conn, doc.sha256)
            if existing is not None and not force:
                return existing
            if existing is not None:
                conn.execute(delete(documents).where(documents.c.sha256 == doc.sha256))
            insert_document(conn, doc, records_, source_path)
            insert_tables(conn, doc, records_)
            insert_blocks(conn, doc)
            insert_records(conn, doc.doc_id, records_)
    return existing


def check_records(doc: Document, records_: Sequence[Record]) -> None:
    for i, rec in enumerate(records_):
        if not isinstance(rec, dict) or not isinstance(rec.get("type"), str):
            raise StoreError(f"record {i} has no type")
        if rec.get("doc_id") != doc.doc_id:
            raise StoreError(f"record {i} ({rec['type']}) belongs to doc_id {rec.get('doc_id')}")


def _first(recs: Sequence[Record], type_: str) -> Record:
    return next((r for r in recs if r["type"] == type_), {})


def insert_document(
    conn: Connection, doc: Document, recs: Sequence[Record], source_path: str | None
) -> None:
    # normalise may refine the metadata; the stored columns follow the exported record
    rec = _first(recs, "document")
    md = doc.metadata
    taken = conn.execute(
        select(documents.c.sha256).where(documents.c.doc_id == doc.doc_id)
    ).scalar_one_or_none()
    if taken is not None:
        raise StoreError(f"doc_id {doc.doc_id} already names a different file ({taken})")
    conn.execute(
        insert(documents),
        {
            "doc_id": doc.doc_id,
            "sha256": doc.sha256,
            "source": rec.get("source", doc.source),
            "source_path": source_path,
            "format": doc.format,
            "title": rec.get("title", md.title),
            "committee": rec.get("committee", md.committee),
            "meeting_date": rec.get("meeting_date", md.meeting_date),
            "meeting_date_raw": rec.get("meeting_date_raw", md.meeting_date_raw),
            "page_count": doc.page_count,
            "table_count": len(doc.tables),
            "record_count": len(recs),
            "warnings": list(doc.warnings),
            "ingested_at": now_iso(),
        },
    )


def insert_tables(conn: Connection, doc: Document, recs: Sequence[Record]) -> None:
    by_index = {r.get("index"): r for r in recs if r["type"] == "table"}
    for index, table in enumerate(doc.tables):
        rec = by_index.get(index, {})
        rows = rec.get("rows", table.row_strings())
        table_id = conn.execute(
            insert(tables).returning(tables.c.id),
            {
                "doc_id": doc.doc_id,
                "table_index": index,
                "kind": rec.get("kind", "other"),
                "pages": list(table.pages) or None,
                "row_count": len(rows),
                "col_count": table.n_cols,
                "header": rec.get("header", table.header_strings()),
                "rows": rows,
                "merges": rec.get("merges", table.merges()),
                "header_row_count": len(table.header),
                "context": rec.get("context", table.context),
                "quality": table.quality,
                "notes": list(table.notes),
            },
        ).scalar_one()
        cell_rows = list(table_cells(table, table_id, doc.doc_id))
        if cell_rows:
            conn.execute(insert(cells), cell_rows)


def table_cells(table: Table, table_id: int, doc_id: str) -> Iterator[Record]:
    """One row per printed cell; covered slots of merged cells are implied by the spans."""
    grids: tuple[tuple[bool, tuple[Row, ...]], ...] = ((True, table.header), (False, table.rows))
    for is_header, grid in grids:
        for r, row in enumerate(grid):
            for c, cell in enumerate(row):
                if cell.covered:
                    continue
                yield {
                    "table_id": table_id,
                    "doc_id": doc_id,
                    "is_header": int(is_header),
                    "row_index": r,
                    "col_index": c,
                    "text": cell.text,
                    "rowspan": cell.rowspan,
                    "colspan": cell.colspan,
                    "pages": list(cell.pages) or None,
                    "bbox": list(cell.bbox) if cell.bbox else None,
                }


def insert_blocks(conn: Connection, doc: Document) -> None:
    rows = [
        {
            "doc_id": doc.doc_id,
            "ordinal": i,
            "kind": b.kind,
            "text": b.text,
            "page": b.page,
            "level": b.level,
            "table_index": b.table_index,
        }
        for i, b in enumerate(doc.blocks)
    ]
    if rows:
        conn.execute(insert(blocks), rows)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def record_row(doc_id: str, ordinal: int, rec: Record) -> Record:
    """The ``records`` row for one contract record: the whole dict plus filter columns."""
    row: Record = {"doc_id": doc_id, "ordinal": ordinal, "type": rec["type"], "data": rec}
    for column, keys in PROMOTED.items():
        row[column] = _text(next((rec[k] for k in keys if rec.get(k) is not None), None))
    index = rec.get("index") if rec["type"] == "table" else rec.get("table_index")
    row["table_index"] = index if isinstance(index, int) else None
    confidence = rec.get("confidence")
    row["confidence"] = float(confidence) if isinstance(confidence, int | float) else None
    pages = rec.get("pages")
    row["pages"] = pages if isinstance(pages, list) else None
    return row


def insert_records(conn: Connection, doc_id: str, recs: Sequence[Record]) -> None:
    rows = [record_row(doc_id, i, rec) for i, rec in enumerate(recs)]
    if rows:
        conn.execute(insert(records), rows)
