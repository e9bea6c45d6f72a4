"""From the intermediate model to contract records (see shared/contract/records.md).

``document_records`` is the one entry point the store uses: it returns the document
record, one record per table (with its ``kind``), the typed records in document order
(recommendation, action, saving, rag; each with ``table_index``, ``confidence`` 0..1 and
``issues``), the recommendations printed under their own headings (``normalise.prose``,
``table_index`` null), then the ``entity`` records of the NLP step.  A row that gives no
text is never a record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from normalise.classify import Classification, classify_table
from normalise.dates import date_in_year, normalise_date
from normalise.grid import RowView, is_continuation, merge_continuation_rows
from normalise.matrix import VERDICT, is_note, split_bare_ref
from normalise.ocr import rate_records
from normalise.plans import continues_plan, plan_records
from normalise.prose import prose_recommendations
from normalise.rag import rag_records
from normalise.record_types import (
    Action,
    DocumentRecord,
    Entity,
    Rag,
    Recommendation,
    Record,
    Saving,
    TableRecord,
    TypedRecord,
)
from normalise.savings import continues_figures, saving_records, table_unit
from normalise.trackers import (
    action_record,
    append_text,
    continue_record,
    recommendation_record,
    row_text,
    verdicts,
)
from normalise.updates import Update, label_date, lead_in_heading
from normalise.vocabulary import fold
from parsers.model import Document, Table

GridBuilder = Callable[[Table, Classification, str, str, int], list[Saving] | list[Rag]]
# Kinds whose records come from the whole grid at once (one record per cell or row).
GRID_BUILDERS: dict[str, GridBuilder] = {"savings": saving_records, "rag_status": rag_records}


def document_record(doc: Document) -> DocumentRecord:
    md = doc.metadata
    meeting_date = normalise_date(md.meeting_date_raw) if md.meeting_date_raw else None
    return DocumentRecord(
        doc_id=doc.doc_id,
        source=doc.source,
        format=doc.format,
        title=md.title,
        committee=md.committee,
        meeting_date=meeting_date or md.meeting_date,
        meeting_date_raw=md.meeting_date_raw,
        pages=doc.page_count,
    )


def table_record(
    doc: Document, index: int, table: Table, cls: Classification | None = None
) -> TableRecord:
    """The record of one (corrected) table, which it keeps for the store."""
    return TableRecord(
        doc_id=doc.doc_id,
        index=index,
        kind=cls.kind if cls else "other",
        pages=list(table.pages) if doc.format == "pdf" and table.pages else None,
        header=table.header_strings() if table.header else [],
        rows=table.row_strings(),
        merges=table.merges(),
        header_row_count=len(table.header),
        context=table.context,
        confidence=cls.confidence if cls else None,
        roles=list(cls.roles) if cls else None,
        grid=table,
    )


Tracked = Recommendation | Action


def _row_records(
    doc: Document, index: int, table: Table, cls: Classification, previous: Tracked | None
) -> tuple[list[Tracked], Tracked | None]:
    """Tracker or action-plan rows, and ``previous`` (the last record of the table
    before) with a first row that only finishes it (a page break the parser did not
    stitch) added; None when there was none."""
    start = cls.header_rows_in_body
    table = merge_continuation_rows(table, cls.roles, start)
    build = recommendation_record if cls.kind == "recommendations" else action_record
    out: list[Tracked] = []
    continued = None
    header = [fold(h) for h in cls.header]
    for row in range(start, len(table.rows)):
        view = RowView(table, row, cls.roles)
        if any(header) and [fold(c.text) for c in view.cells] == header:
            continue  # the header printed again after a page break
        if row == start and previous is not None and is_continuation(view.cells, cls.roles):
            continued = continue_record(previous, view, doc.format)
            continue
        if VERDICT in cls.roles and _matrix_row_continues(view, cls, out):
            continue
        record = build(view, cls, doc.doc_id, doc.format, index)
        if record is not None and has_substance(record):
            out.append(record)
    lead = None if "owner" in cls.roles else lead_in_heading(table.context)
    if lead:
        out = [replace(r, owner=r.owner or lead) for r in out]
    return out, continued


def _matrix_row_continues(view: RowView, cls: Classification, out: list[Tracked]) -> bool:
    """In a recommendation x respondent matrix, a row without answers and without its own
    reference is the wrapped rest of the text above (or a source note: dropped); ``out``
    then ends with that record made whole."""
    if verdicts(view, cls):
        return False
    text = row_text(view, "text")
    if not text or is_note(text):
        return True
    if cls.bare_refs and split_bare_ref(text)[0] or not out:
        return False
    last = append_text(out[-1], "text", text)
    if last.pages is not None:
        extra = [c for c in view.cells if c.text.strip()]
        last = replace(last, pages=sorted(set(last.pages) | {p for c in extra for p in c.pages}))
    out[-1] = last
    return True


def has_substance(record: Tracked) -> bool:
    """A recommendation needs its text or a response, an action its text: a row that gives
    neither (only an owner, a figure or a date) is not a record."""
    return bool(
        record.text or (isinstance(record, Recommendation) and (record.response or record.updates))
    )


def link_plan_continuations(
    tables: tuple[Table, ...], classes: list[Classification]
) -> list[Classification]:
    """Mark tables that carry on an improvement-plan block as part of that plan."""
    out: list[Classification] = []
    for table, cls in zip(tables, classes, strict=True):
        if out and out[-1].plan and not cls.plan and continues_plan(table, cls):
            cls = replace(cls, kind="action_plan", plan=True)
        out.append(cls)
    return out


def typed_records(doc: Document, classes: list[Classification]) -> list[TypedRecord]:
    """Typed records of every table, in document order."""
    out: list[TypedRecord] = []
    open_ref: str | None = None
    open_roles: tuple[str | None, ...] | None = None
    units: dict[int, str | None] = {}  # unit of each savings table, carried to its continuation
    for index, (table, cls) in enumerate(zip(doc.tables, classes, strict=True)):
        if cls.plan:
            recs, open_ref, open_roles = plan_records(
                table, cls, (doc.doc_id, doc.format), index, open_ref, open_roles
            )
            out.extend(recs)
            continue
        open_ref, open_roles = None, None
        if cls.kind in ("recommendations", "action_plan"):
            wanted = Recommendation if cls.kind == "recommendations" else Action
            last = out[-1] if out else None
            previous = last if isinstance(last, wanted) and last.table_index == index - 1 else None
            recs, continued = _row_records(doc, index, table, cls, previous)
            if continued is not None:
                out[-1] = continued
            out.extend(recs)
        elif cls.kind == "savings":
            unit = table_unit(table, cls) or _carried_unit(doc, classes, index, units)
            units[index] = unit
            out.extend(saving_records(table, cls, doc.doc_id, doc.format, index, unit))
        elif cls.kind in GRID_BUILDERS:
            out.extend(GRID_BUILDERS[cls.kind](table, cls, doc.doc_id, doc.format, index))
    return out


def _carried_unit(
    doc: Document, classes: list[Classification], index: int, units: dict[int, str | None]
) -> str | None:
    """The unit of the savings table this one carries on over a page break, if any."""
    if index == 0 or classes[index - 1].kind != "savings":
        return None
    if not continues_figures(doc.tables[index], doc.tables[index - 1]):
        return None
    return units.get(index - 1)


YEAR_FROM_PAPER = "year taken from the paper's date"


def in_paper_year(records: Sequence[TypedRecord], year: int) -> list[TypedRecord]:
    """Dates printed without a year ("23-Mar", "June", "As at 12 November") take the year of
    the paper's own date; the record says so in its issues."""
    return [_in_year(r, year) if isinstance(r, Tracked) else r for r in records]


def _in_year(record: Tracked, year: int) -> Tracked:
    issues = record.issues
    due = None if record.due else date_in_year(record.due_raw, year)
    revised_due = None if record.revised_due else date_in_year(record.revised_due_raw, year)
    for value in (due, revised_due):
        if value:
            issues = [*(i for i in issues if i != "unparsed date"), YEAR_FROM_PAPER]
    updates: list[Update] = []
    for update in record.updates:
        dated = label_date(update["label"], year) if update["date"] is None else None
        if dated:
            update = Update(date=dated, label=update["label"], text=update["text"])
            issues = [*issues, YEAR_FROM_PAPER]
        updates.append(update)
    if issues is record.issues:
        return record  # nothing dated here
    return replace(
        record,
        due=due or record.due,
        revised_due=revised_due or record.revised_due,
        updates=updates,
        issues=issues,
    )


def promote_header(table: Table, cls: Classification) -> tuple[Table, Classification]:
    """The table with the body rows the classifier found to be its header moved into the
    header (a title printed over every column becomes its context), so the stored table,
    its cells and its records all see one grid."""
    k = cls.header_rows_in_body
    if not k:
        return table, cls
    # the header is the last of those rows; the ones above it only print a title
    titles = [*table.header_strings(), *(c.text for row in table.rows[: k - 1] for c in row)]
    title = next((t for t in titles if t.strip()), None)
    corrected = replace(
        table, header=table.rows[k - 1 : k], rows=table.rows[k:], context=table.context or title
    )
    return corrected, replace(cls, header_rows_in_body=0)


def normalise_document(
    doc: Document, known_owners: Iterable[str] = ()
) -> tuple[Document, list[Record]]:
    """The document with its tables as corrected by classification, and its records (see
    ``document_records``): store both, so tables, cells and records cannot disagree."""
    known_owners = [o for o in known_owners if o]
    owners = frozenset(fold(o) for o in known_owners)
    pairs = [promote_header(t, classify_table(t, owners)) for t in doc.tables]
    doc = replace(doc, tables=tuple(t for t, _ in pairs))
    classes = link_plan_continuations(doc.tables, [c for _, c in pairs])
    return doc, _records(doc, classes, known_owners)


def document_records(doc: Document, known_owners: Iterable[str] = ()) -> list[Record]:
    """Document, tables, typed records, then entity records: the export contract.

    ``known_owners`` are owner / lead names already seen (e.g. in earlier papers): they help
    recognise an owner column under an unknown header and are tagged OWNER in the text.
    """
    return normalise_document(doc, known_owners)[1]


def _records(doc: Document, classes: list[Classification], known_owners: list[str]) -> list[Record]:
    document = document_record(doc)
    tables = [
        table_record(doc, i, t, c) for i, (t, c) in enumerate(zip(doc.tables, classes, strict=True))
    ]
    typed = typed_records(doc, classes) + prose_recommendations(doc)
    paper_date = document.meeting_date
    if paper_date and paper_date[:4].isdigit():
        typed = in_paper_year(typed, int(paper_date[:4]))
    # scanned tables: the OCR's confidence, weak ones to review
    tables, typed = rate_records(doc, tables), rate_records(doc, typed)
    return [document, *tables, *typed, *_entity_records(doc.doc_id, typed, known_owners)]


def _entity_records(
    doc_id: str, typed: list[TypedRecord], known_owners: Iterable[str]
) -> list[Entity]:
    from normalise.nlp import entity_records  # spaCy loads only when records need tagging

    owners = {r.owner for r in typed if isinstance(r, Tracked) and r.owner} | set(known_owners)
    return entity_records(doc_id, typed, sorted(owners))
