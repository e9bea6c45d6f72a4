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
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import Connection, Engine
from sqlalchemy import Table as SqlTable
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


# Plain SQL through the driver: per call, SQLAlchemy's statement compilation and result
# handling cost more than these indexed look-ups themselves, once per file and document.
FIND_DOCUMENT = f"SELECT doc_id FROM {documents.name} WHERE sha256 = ?"
STORED_AS = f"SELECT doc_id, sha256 FROM {documents.name} WHERE sha256 = ? OR doc_id = ?"
DELETE_DOCUMENT = f"DELETE FROM {documents.name} WHERE sha256 = ?"


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
    found = conn.exec_driver_sql(FIND_DOCUMENT, (sha256,)).scalar_one_or_none()
    return None if found is None else str(found)


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
    engine: Engine,
    doc: Document,
    records_: Sequence[Record],
    force: bool,
    source_path: str | None,
) -> str | None:
    """Store the document unless already there (or ``force``); the doc_id found before."""
    with engine.connect().execution_options(sqlite_begin="BEGIN IMMEDIATE") as conn:
        with conn.begin():
            existing, taken = _stored_as(conn, doc)
            if existing is not None and not force:
                return existing
            if taken is not None:
                raise StoreError(f"doc_id {doc.doc_id} already names a different file ({taken})")
            if existing is not None:
                conn.exec_driver_sql(DELETE_DOCUMENT, (doc.sha256,))  # rows cascade
            insert_document(conn, doc, records_, source_path)
            insert_tables(conn, doc, records_)
            insert_blocks(conn, doc)
            insert_records(conn, doc.doc_id, records_)
    return existing


def _stored_as(conn: Connection, doc: Document) -> tuple[str | None, str | None]:
    """The doc_id stored for these bytes, and the sha256 of other bytes holding this doc_id."""
    found = conn.exec_driver_sql(STORED_AS, (doc.sha256, doc.doc_id)).all()
    existing = next((d for d, sha in found if sha == doc.sha256), None)
    taken = next((sha for d, sha in found if d == doc.doc_id and sha != doc.sha256), None)
    return existing, taken


def check_records(doc: Document, records_: Sequence[Record]) -> None:
    doc_id = doc.doc_id  # a property, worked out from the hash on every access
    for i, rec in enumerate(records_):
        if not isinstance(rec, dict) or not isinstance(rec.get("type"), str):
            raise StoreError(f"record {i} has no type")
        if rec.get("doc_id") != doc_id:
            raise StoreError(f"record {i} ({rec['type']}) belongs to doc_id {rec.get('doc_id')}")


# Rows go in as plain tuples through the driver's executemany, JSON encoded once by one
# encoder: the load runs in the single writer process, whose CPU the parser workers share,
# and SQLAlchemy's per-row parameter processing (with a JSON encoder made per value) was
# a quarter of it.  What remains is mostly SQLite's, half of that the FTS triggers.
_encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def to_json(value: Any) -> str:
    """The stored text of a JSON column (None as ``null``, as SQLAlchemy's JSON type does)."""
    if value is None:
        return "null"
    try:
        return _encoder.encode(value)
    except (ValueError, TypeError) as exc:  # NaN, or a value JSON has no form for
        raise StoreError(f"not stored: {type(exc).__name__}: {exc}") from exc


@lru_cache(maxsize=256)
def pages_json(pages: tuple[int, ...]) -> str:
    # the cells of a table are printed on a handful of pages: encode each list once
    return to_json(list(pages) or None)


def insert_sql(table: SqlTable, columns: Sequence[str]) -> str:
    """A positional INSERT into ``table``; the names are checked against the schema."""
    names = ", ".join(table.c[c].name for c in columns)
    return f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))})"


DOCUMENT_COLUMNS = (
    "doc_id",
    "sha256",
    "source",
    "source_path",
    "format",
    "title",
    "committee",
    "meeting_date",
    "meeting_date_raw",
    "page_count",
    "table_count",
    "record_count",
    "warnings",
    "ingested_at",
)
TABLE_COLUMNS = (
    "doc_id",
    "table_index",
    "kind",
    "pages",
    "row_count",
    "col_count",
    "header",
    "rows",
    "merges",
    "header_row_count",
    "context",
    "quality",
    "notes",
)
CELL_COLUMNS = (
    "table_id",
    "doc_id",
    "is_header",
    "row_index",
    "col_index",
    "text",
    "rowspan",
    "colspan",
    "pages",
    "bbox",
)
BLOCK_COLUMNS = ("doc_id", "ordinal", "kind", "text", "page", "level", "table_index")
# ``pages`` and ``data`` last: they are the JSON-encoded ones.
RECORD_COLUMNS = ("doc_id", "ordinal", "type", *PROMOTED, "table_index", "confidence",
                  "pages", "data")  # fmt: skip
INSERT_DOCUMENT = insert_sql(documents, DOCUMENT_COLUMNS)
INSERT_TABLE = insert_sql(tables, TABLE_COLUMNS)
INSERT_CELLS = insert_sql(cells, CELL_COLUMNS)
INSERT_BLOCKS = insert_sql(blocks, BLOCK_COLUMNS)
INSERT_RECORDS = insert_sql(records, RECORD_COLUMNS)


def _first(recs: Sequence[Record], type_: str) -> Record:
    return next((r for r in recs if r["type"] == type_), {})


def insert_document(
    conn: Connection, doc: Document, recs: Sequence[Record], source_path: str | None
) -> None:
    # normalise may refine the metadata; the stored columns follow the exported record
    rec = _first(recs, "document")
    md = doc.metadata
    conn.exec_driver_sql(
        INSERT_DOCUMENT,
        (
            doc.doc_id,
            doc.sha256,
            rec.get("source", doc.source),
            source_path,
            doc.format,
            rec.get("title", md.title),
            rec.get("committee", md.committee),
            rec.get("meeting_date", md.meeting_date),
            rec.get("meeting_date_raw", md.meeting_date_raw),
            doc.page_count,
            len(doc.tables),
            len(recs),
            to_json(list(doc.warnings)),
            now_iso(),
        ),
    )


def table_values(doc_id: str, index: int, table: Table, rec: Record) -> tuple[Any, ...]:
    """The ``tables`` row of one table; the exported record's fields win over the parse."""
    rows = rec["rows"] if "rows" in rec else table.row_strings()
    return (
        doc_id,
        index,
        rec.get("kind", "other"),
        to_json(list(table.pages) or None),
        len(rows),
        table.n_cols,
        to_json(rec["header"] if "header" in rec else table.header_strings()),
        to_json(rows),
        to_json(rec["merges"] if "merges" in rec else table.merges()),
        len(table.header),
        rec.get("context", table.context),
        table.quality,
        to_json(list(table.notes)),
    )


def insert_tables(conn: Connection, doc: Document, recs: Sequence[Record]) -> None:
    """Each table (one statement apiece, for its id), then all their cells at once."""
    by_index = {r.get("index"): r for r in recs if r["type"] == "table"}
    cell_rows: list[tuple[Any, ...]] = []
    for index, table in enumerate(doc.tables):
        values = table_values(doc.doc_id, index, table, by_index.get(index, {}))
        table_id = conn.exec_driver_sql(INSERT_TABLE, values).lastrowid
        cell_rows.extend(table_cells(table, table_id, doc.doc_id))
    if cell_rows:
        conn.exec_driver_sql(INSERT_CELLS, cell_rows)


def table_cells(table: Table, table_id: int, doc_id: str) -> Iterator[tuple[Any, ...]]:
    """One row per printed cell; covered slots of merged cells are implied by the spans."""
    grids: tuple[tuple[int, tuple[Row, ...]], ...] = ((1, table.header), (0, table.rows))
    for is_header, grid in grids:
        for r, row in enumerate(grid):
            for c, cell in enumerate(row):
                if cell.covered:
                    continue
                yield (
                    table_id,
                    doc_id,
                    is_header,
                    r,
                    c,
                    cell.text,
                    cell.rowspan,
                    cell.colspan,
                    pages_json(cell.pages),
                    to_json(list(cell.bbox)) if cell.bbox else "null",
                )


def insert_blocks(conn: Connection, doc: Document) -> None:
    rows = [
        (doc.doc_id, i, b.kind, b.text, b.page, b.level, b.table_index)
        for i, b in enumerate(doc.blocks)
    ]
    if rows:
        conn.exec_driver_sql(INSERT_BLOCKS, rows)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def record_fields(doc_id: str, ordinal: int, rec: Record) -> tuple[Any, ...]:
    """The ``records`` row of one record in ``RECORD_COLUMNS`` order, JSON not yet encoded."""
    promoted = []
    for keys in PROMOTED.values():
        value = None
        for key in keys:
            value = rec.get(key)
            if value is not None:
                break
        promoted.append(_text(value))
    type_ = rec["type"]
    index = rec.get("index") if type_ == "table" else rec.get("table_index")
    confidence = rec.get("confidence")
    pages = rec.get("pages")
    return (
        doc_id,
        ordinal,
        type_,
        *promoted,
        index if isinstance(index, int) else None,
        float(confidence) if isinstance(confidence, int | float) else None,
        pages if isinstance(pages, list) else None,
        rec,
    )


def record_row(doc_id: str, ordinal: int, rec: Record) -> Record:
    """The ``records`` row for one contract record: the whole dict plus filter columns."""
    return dict(zip(RECORD_COLUMNS, record_fields(doc_id, ordinal, rec), strict=True))


def insert_records(conn: Connection, doc_id: str, recs: Sequence[Record]) -> None:
    rows = []
    for i, rec in enumerate(recs):
        *plain, pages, data = record_fields(doc_id, i, rec)
        rows.append((*plain, to_json(pages), to_json(data)))
    if rows:
        conn.exec_driver_sql(INSERT_RECORDS, rows)
