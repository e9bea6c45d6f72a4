"""From the intermediate model to contract records (see shared/contract/records.md).

``document_records`` is the one entry point the store uses: it returns the document
record, one record per table, then the typed records, each a plain dict in the export
contract's shape (extra provenance fields allowed).
"""

from __future__ import annotations

from typing import Any

from parsers.model import Document, Table

Record = dict[str, Any]


def document_record(doc: Document) -> Record:
    md = doc.metadata
    return {
        "type": "document",
        "doc_id": doc.doc_id,
        "source": doc.source,
        "format": doc.format,
        "title": md.title,
        "committee": md.committee,
        "meeting_date": md.meeting_date,
        "meeting_date_raw": md.meeting_date_raw,
        "pages": doc.page_count,
    }


def table_record(doc: Document, index: int, table: Table, kind: str = "other") -> Record:
    return {
        "type": "table",
        "doc_id": doc.doc_id,
        "index": index,
        "kind": kind,
        "pages": list(table.pages) if doc.format == "pdf" and table.pages else None,
        "header": table.header_strings(),
        "rows": table.row_strings(),
        "merges": table.merges(),
        "header_row_count": len(table.header),
        "context": table.context,
    }


def document_records(doc: Document) -> list[Record]:
    out = [document_record(doc)]
    out.extend(table_record(doc, i, t) for i, t in enumerate(doc.tables))
    return out
