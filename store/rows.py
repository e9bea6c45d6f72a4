"""A parsed document as the database rows it becomes: plain tuples, JSON already encoded.

``document_rows`` is pure and runs where the document was parsed — in a worker process
during a batch — so the single writer only has to execute the inserts: turning
dataclasses and records into rows (and JSON) costs as much CPU as SQLite's own
work, and the writer's CPU is what the parallel workers have to share.  The tuples are
also far smaller to send between processes and to hold than the parsed document.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from normalise.record_types import RECORD_TYPES, ExportedRecord, Record, TableRecord
from parsers.model import Document, Row, Table

SqlRow = tuple[Any, ...]

# The filterable columns of ``records``; which field fills each is the record type's
# ``promoted`` (``normalise.record_types``).
PROMOTED = ("ref", "status", "owner", "due", "text")


class StoreError(Exception):
    """A document or its records cannot be stored as given."""


# ``ingested_at`` last: the writer adds it when it stores the row.
DOCUMENT_COLUMNS = ("doc_id", "sha256", "source", "source_path", "format", "title", "committee",
                    "meeting_date", "meeting_date_raw", "page_count", "table_count",
                    "record_count", "warnings", "ingested_at")  # fmt: skip
TABLE_COLUMNS = ("doc_id", "table_index", "kind", "pages", "row_count", "col_count", "header",
                 "rows", "merges", "header_row_count", "context", "quality", "notes")  # fmt: skip
# ``table_id`` first: the writer adds it once the table row has its id.
CELL_COLUMNS = ("table_id", "doc_id", "is_header", "row_index", "col_index", "text", "rowspan",
                "colspan", "pages", "bbox", "fill", "confidence")  # fmt: skip
BLOCK_COLUMNS = ("doc_id", "ordinal", "kind", "text", "page", "level", "table_index")
# ``pages`` and ``data`` last: they are the JSON-encoded ones.
RECORD_COLUMNS = ("doc_id", "ordinal", "type", *PROMOTED, "table_index", "confidence",
                  "pages", "data")  # fmt: skip


@dataclass(frozen=True)
class DocumentRows:
    """Everything of one document, ready to insert, and what the batch summary needs."""

    doc_id: str
    sha256: str
    document: SqlRow  # DOCUMENT_COLUMNS but the last
    tables: list[tuple[SqlRow, list[SqlRow]]]  # each table's row and its cells' rows
    blocks: list[SqlRow]
    records: list[SqlRow]
    warnings: tuple[str, ...] = ()
    page_count: int | None = None
    counts: Counter[str] = field(default_factory=Counter)  # records by type

    @property
    def source(self) -> str:
        return str(self.document[DOCUMENT_COLUMNS.index("source")])


def document_rows(
    doc: Document, records_: Sequence[ExportedRecord], source_path: str | None = None
) -> DocumentRows:
    """The rows of ``doc`` and its contract records; ``StoreError`` if they do not fit.

    A table record made by normalise carries the corrected table it describes: its
    ``tables`` and ``cells`` rows are written from that table, so the three agree even
    when ``doc`` is the document as parsed."""
    check_records(doc, records_)
    doc_id = doc.doc_id
    by_index = {r.get("index"): r for r in records_ if r["type"] == "table"}
    table_rows = []
    for i, parsed in enumerate(doc.tables):
        rec = by_index.get(i, {})
        table = rec.grid if isinstance(rec, TableRecord) and rec.grid is not None else parsed
        table_rows.append((table_values(doc_id, i, table, rec), list(table_cells(table, doc_id))))
    block_rows = [
        (doc_id, i, b.kind, b.text, b.page, b.level, b.table_index)
        for i, b in enumerate(doc.blocks)
    ]
    record_rows = []
    for i, rec in enumerate(records_):
        *plain, pages, data = record_fields(doc_id, i, rec)
        record_rows.append((*plain, json_or_null(pages), to_json(data)))
    return DocumentRows(
        doc_id, doc.sha256, document_values(doc, records_, source_path), table_rows,
        block_rows, record_rows, doc.warnings, doc.page_count,
        Counter(str(r["type"]) for r in records_),
    )  # fmt: skip


def check_records(doc: Document, records_: Sequence[ExportedRecord]) -> None:
    doc_id = doc.doc_id  # a property, worked out from the hash on every access
    for i, rec in enumerate(records_):
        if not isinstance(rec, Mapping) or not isinstance(rec.get("type"), str):
            raise StoreError(f"record {i} has no type")
        if rec.get("doc_id") != doc_id:
            raise StoreError(f"record {i} ({rec['type']}) belongs to doc_id {rec.get('doc_id')}")


_encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def to_json(value: Any) -> str:
    """The stored text of a JSON column that always holds a value (``data``, ``header``)."""
    try:
        return _encoder.encode(value)
    except (ValueError, TypeError) as exc:  # NaN, or a value JSON has no form for
        raise StoreError(f"not stored: {type(exc).__name__}: {exc}") from exc


def json_or_null(value: Any) -> str | None:
    """A JSON column that may be empty: SQL NULL when there is no value, not the text
    ``null`` (which Datasette and SQL show as a word, and ``IS NULL`` does not find)."""
    return None if value is None else to_json(value)


@lru_cache(maxsize=256)
def pages_json(pages: tuple[int, ...]) -> str | None:
    # the cells of a table are printed on a handful of pages: encode each list once
    return json_or_null(list(pages) or None)


def _first(recs: Sequence[ExportedRecord], type_: str) -> ExportedRecord:
    return next((r for r in recs if r["type"] == type_), {})


def document_values(
    doc: Document, recs: Sequence[ExportedRecord], source_path: str | None
) -> SqlRow:
    """The ``documents`` row but ``ingested_at``; normalise may refine the metadata, and
    the stored columns follow the exported document record."""
    rec = _first(recs, "document")
    md = doc.metadata
    return (
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
    )


def table_values(doc_id: str, index: int, table: Table, rec: ExportedRecord) -> SqlRow:
    """The ``tables`` row of one table; the exported record's fields win over the parse."""
    rows = rec["rows"] if "rows" in rec else table.row_strings()
    return (
        doc_id,
        index,
        rec.get("kind", "other"),
        json_or_null(list(table.pages) or None),
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


def table_cells(table: Table, doc_id: str) -> Iterator[SqlRow]:
    """One row per printed cell, but its ``table_id``; covered slots of merged cells are
    implied by the spans."""
    grids: tuple[tuple[int, tuple[Row, ...]], ...] = ((1, table.header), (0, table.rows))
    for is_header, grid in grids:
        for r, row in enumerate(grid):
            for c, cell in enumerate(row):
                if cell.covered:
                    continue
                yield (
                    doc_id,
                    is_header,
                    r,
                    c,
                    cell.text,
                    cell.rowspan,
                    cell.colspan,
                    pages_json(cell.pages),
                    json_or_null(list(cell.bbox) if cell.bbox else None),
                    cell.fill,
                    cell.confidence,
                )


def _text(value: Any) -> str | None:
    """A promoted column's value: blank is no value (NULL), a non-string is its JSON."""
    if isinstance(value, str):
        return value if value.strip() else None
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False)


def record_fields(doc_id: str, ordinal: int, rec: ExportedRecord) -> SqlRow:
    """The ``records`` row of one record in ``RECORD_COLUMNS`` order, JSON not yet encoded:
    the one place a record becomes its row.  ``data`` is its exported form (a typed
    record's ``as_dict``; a mapping as given), the filter columns come from the fields
    its type's registry entry promotes."""
    data = rec.as_dict() if isinstance(rec, Record) else rec
    type_ = data["type"]
    known = RECORD_TYPES.get(type_)
    sources = known.promoted if known else {}
    promoted = [_text(data.get(sources[c])) if c in sources else None for c in PROMOTED]
    index = data.get("index") if type_ == "table" else data.get("table_index")
    confidence = data.get("confidence")
    pages = data.get("pages")
    return (
        doc_id,
        ordinal,
        type_,
        *promoted,
        index if isinstance(index, int) else None,
        float(confidence) if isinstance(confidence, int | float) else None,
        pages if isinstance(pages, list) else None,
        data,
    )


def record_row(doc_id: str, ordinal: int, rec: ExportedRecord) -> dict[str, Any]:
    """The ``records`` row for one contract record: the whole dict plus filter columns."""
    return dict(zip(RECORD_COLUMNS, record_fields(doc_id, ordinal, rec), strict=True))
