"""From the intermediate model to contract records (see shared/contract/records.md).

``document_records`` is the one entry point the store uses: it returns the document
record, one record per table (with its ``kind``), the typed records in document order
(recommendation, action, saving, rag; each with ``table_index``, ``confidence`` 0..1 and
``issues``), then the ``entity`` records of the NLP step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from normalise.classify import Classification, classify_table
from normalise.dates import normalise_date
from normalise.grid import RowView
from normalise.plans import continues_plan, plan_records
from normalise.rag import rag_records
from normalise.savings import saving_records
from normalise.trackers import action_record, recommendation_record
from normalise.vocabulary import fold
from parsers.model import Document, Table

Record = dict[str, Any]


def document_record(doc: Document) -> Record:
    md = doc.metadata
    meeting_date = normalise_date(md.meeting_date_raw) if md.meeting_date_raw else None
    return {
        "type": "document",
        "doc_id": doc.doc_id,
        "source": doc.source,
        "format": doc.format,
        "title": md.title,
        "committee": md.committee,
        "meeting_date": meeting_date or md.meeting_date,
        "meeting_date_raw": md.meeting_date_raw,
        "pages": doc.page_count,
    }


def table_record(doc: Document, index: int, table: Table,
                 cls: Classification | None = None) -> Record:
    header = table.header_strings() if table.header else []
    rows = table.row_strings()
    merges = table.merges()
    if cls is not None and cls.header_rows_in_body:
        # the parser took a header row for data: report it as the header
        header, rows = rows[0], rows[cls.header_rows_in_body:]
        merges = [[r - cls.header_rows_in_body, *rest] for r, *rest in merges
                  if r >= cls.header_rows_in_body]
    return {
        "type": "table",
        "doc_id": doc.doc_id,
        "index": index,
        "kind": cls.kind if cls else "other",
        "pages": list(table.pages) if doc.format == "pdf" and table.pages else None,
        "header": header,
        "rows": rows,
        "merges": merges,
        "header_row_count": len(table.header) + (cls.header_rows_in_body if cls else 0),
        "context": table.context,
        "confidence": cls.confidence if cls else None,
        "roles": list(cls.roles) if cls else None,
    }


def _row_records(doc: Document, index: int, table: Table, cls: Classification,
                 open_ref: str | None) -> list[Record]:
    start = cls.header_rows_in_body
    views = (RowView(table, i, cls.roles) for i in range(start, len(table.rows)))
    if cls.kind == "recommendations":
        recs = (recommendation_record(v, cls, doc.doc_id, doc.format, index) for v in views)
    else:
        recs = (action_record(v, cls, doc.doc_id, doc.format, index, open_ref) for v in views)
    return [r for r in recs if r is not None]


def link_plan_continuations(tables: tuple[Table, ...], classes: list[Classification]
                            ) -> list[Classification]:
    """Mark tables that carry on an improvement-plan block as part of that plan."""
    out: list[Classification] = []
    for table, cls in zip(tables, classes, strict=True):
        if out and out[-1].plan and not cls.plan and continues_plan(table, cls):
            cls = replace(cls, kind="action_plan", plan=True)
        out.append(cls)
    return out


def typed_records(doc: Document, classes: list[Classification]) -> list[Record]:
    """Typed records of every table, in document order."""
    out: list[Record] = []
    open_ref: str | None = None
    open_roles: tuple[str | None, ...] | None = None
    for index, (table, cls) in enumerate(zip(doc.tables, classes, strict=True)):
        if cls.plan:
            recs, open_ref, open_roles = plan_records(table, cls, (doc.doc_id, doc.format),
                                                      index, open_ref, open_roles)
            out.extend(recs)
            continue
        open_ref, open_roles = None, None
        if cls.kind in ("recommendations", "action_plan"):
            out.extend(_row_records(doc, index, table, cls, None))
        elif cls.kind == "savings":
            out.extend(saving_records(table, cls, doc.doc_id, doc.format, index))
        elif cls.kind == "rag_status":
            out.extend(rag_records(table, cls, doc.doc_id, doc.format, index))
    return out


def document_records(doc: Document, known_owners: Iterable[str] = ()) -> list[Record]:
    """Document, tables, typed records, then entity records: the export contract."""
    owners = frozenset(fold(o) for o in known_owners if o)
    classes = link_plan_continuations(doc.tables, [classify_table(t, owners) for t in doc.tables])
    out = [document_record(doc)]
    out.extend(table_record(doc, i, t, c) for i, (t, c) in enumerate(zip(doc.tables, classes,
                                                                          strict=True)))
    typed = typed_records(doc, classes)
    out.extend(typed)
    out.extend(_entity_records(doc.doc_id, typed, known_owners))
    return out


def _entity_records(doc_id: str, typed: list[Record], known_owners: Iterable[str]) -> list[Record]:
    from normalise.nlp import entity_records  # spaCy loads only when records need tagging

    owners = {r["owner"] for r in typed if r.get("owner")} | set(known_owners)
    return entity_records(doc_id, typed, sorted(owners))
