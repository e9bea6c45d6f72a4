"""The records as a workbook for analysts: flat sheets with no JSON inside a cell.

``workbook_sheets`` gives plain data — sheet name, column names, rows — that a renderer
writes as an .xlsx file or as one CSV file per sheet (``ingest.excel``):

* ``register``: one row per recommendation and action with its paper (source,
  committee, meeting date), due as printed beside ``due_start`` / ``due_end`` as real
  dates and the printed precision, the response, the latest dated update and its date,
  and how many updates there are;
* one sheet per record type with the contract's fields, keyed by ``record_id``; a list
  field is not flattened into text but given its own sheet: ``updates`` (one row per
  dated update), ``pages`` (one row per page), ``table_header`` and ``table_cells``.

Rows are read as the sheets are written, so memory stays flat however big the database.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from normalise.record_types import RECORD_TYPES, ExportedRecord
from store.reader import Connectable, in_list, json_value, rows

Row = list[Any]

# Fields holding lists: each has its own sheet instead of a cell (a document's
# ``pages`` is its page count, a number, and stays).
LIST_FIELDS = ("updates", "pages", "header", "rows")


def _in_cell(type_: str, name: str) -> bool:
    return name not in LIST_FIELDS or (type_, name) == ("document", "pages")


REGISTER_COLUMNS = (
    "record_id", "type", "source", "committee", "meeting_date", "recommendation_ref", "ref",
    "text", "owner", "status", "status_raw", "due_raw", "due_start", "due_end",
    "due_precision", "response", "latest_update", "latest_update_date", "update_count",
)  # fmt: skip


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, its column names, and its rows (read when iterated)."""

    name: str
    columns: tuple[str, ...]
    rows: Callable[[], Iterator[Row]]


_FY = re.compile(r"^FY(\d{4})/\d{2}$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def due_period(due: str | None) -> tuple[date | None, date | None, str | None]:
    """First day, last day and precision of a normalised due value.

    "2009-03-31" is a day; "2009-03" the month; "2009" the year; "FY2008/09" runs
    2008-04-01 to 2009-03-31; "2009-Q2" is the financial year's second quarter (July to
    September 2009). Anything else gives (None, None, None)."""
    if not due:
        return None, None, None
    if m := _FY.match(due):
        year = int(m.group(1))
        return date(year, 4, 1), date(year + 1, 3, 31), "financial year"
    if m := _QUARTER.match(due):
        year, first = int(m.group(1)), 3 * int(m.group(2)) + 1  # Q1 starts in April
        if first > 12:
            year, first = year + 1, first - 12
        last = first + 2
        end = date(year, last, calendar.monthrange(year, last)[1])
        return date(year, first, 1), end, "quarter"
    try:
        if re.fullmatch(r"\d{4}", due):
            return date(int(due), 1, 1), date(int(due), 12, 31), "year"
        if m := re.fullmatch(r"(\d{4})-(\d{2})", due):
            year, month = int(m.group(1)), int(m.group(2))
            end = date(year, month, calendar.monthrange(year, month)[1])
            return date(year, month, 1), end, "month"
        day = date.fromisoformat(due)
    except ValueError:
        return None, None, None
    return day, day, "day"


def _iso_date(value: Any) -> date | None:
    """A date for a spreadsheet cell, where the value is a whole ISO day."""
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _scalar(value: Any) -> Any:
    """A cell value: dicts (rare extras) become their key: value pairs as text."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value


def _records(
    conn: Connectable, types: Sequence[str], doc_ids: Sequence[str] | None
) -> Iterator[tuple[int, ExportedRecord, dict[str, Any]]]:
    """(record_id, record, its document's row) in export order."""
    params: dict[str, Any] = {}
    where = f"r.type IN {in_list('type', types, params)}"
    if doc_ids:
        where += f" AND r.doc_id IN {in_list('doc', doc_ids, params)}"
    sql = (
        "SELECT r.id, r.data, d.source, d.committee, d.meeting_date"
        " FROM records AS r JOIN documents AS d ON d.doc_id = r.doc_id"
        f" WHERE {where} ORDER BY d.id, r.ordinal"
    )
    for record_id, data, source, committee, meeting in rows(conn, sql, params):
        doc = {"source": source, "committee": committee, "meeting_date": meeting}
        yield record_id, json_value(data), doc


def _register_row(record_id: int, rec: ExportedRecord, doc: dict[str, Any]) -> Row:
    start, end, precision = due_period(rec.get("due"))
    updates = [u for u in rec.get("updates") or [] if isinstance(u, dict)]
    dated = sorted((u for u in updates if u.get("date")), key=lambda u: str(u["date"]))
    latest = dated[-1] if dated else (updates[-1] if updates else {})
    values = {
        **rec, **doc, "record_id": record_id, "meeting_date": _iso_date(doc["meeting_date"]),
        "due_start": start, "due_end": end, "due_precision": precision,
        "latest_update": latest.get("text"),
        "latest_update_date": _iso_date(latest.get("date")) or latest.get("date"),
        "update_count": len(updates),
    }  # fmt: skip
    return [_scalar(values.get(c)) for c in REGISTER_COLUMNS]


def _type_sheet(conn: Connectable, type_: str, doc_ids: Sequence[str] | None) -> Sheet:
    fields = [f for f in RECORD_TYPES[type_].fields if _in_cell(type_, f)]
    columns = ("record_id", *fields)

    def rows() -> Iterator[Row]:
        for record_id, rec, _ in _records(conn, [type_], doc_ids):
            values = {**rec, "meeting_date": _iso_date(rec.get("meeting_date"))}
            yield [record_id, *(_scalar(values.get(f)) for f in fields)]

    return Sheet(type_, columns, rows)


def _list_sheets(conn: Connectable, doc_ids: Sequence[str] | None) -> list[Sheet]:
    """The list fields, one row per item, keyed by the record they belong to."""

    def updates() -> Iterator[Row]:
        for record_id, rec, _ in _records(conn, ["recommendation", "action"], doc_ids):
            for n, u in enumerate(rec.get("updates") or [], 1):
                yield [record_id, rec["type"], rec.get("ref"), n, u.get("date"),
                       u.get("label"), u.get("text")]  # fmt: skip

    def pages() -> Iterator[Row]:
        for record_id, rec, _ in _records(conn, list(RECORD_TYPES), doc_ids):
            listed = rec.get("pages")
            for page in listed if isinstance(listed, list) else []:
                yield [record_id, rec["type"], page]

    def header() -> Iterator[Row]:
        for record_id, rec, _ in _records(conn, ["table"], doc_ids):
            for col, text in enumerate(rec.get("header") or []):
                yield [record_id, col, text]

    def cells() -> Iterator[Row]:
        for record_id, rec, _ in _records(conn, ["table"], doc_ids):
            for r, row in enumerate(rec.get("rows") or []):
                for col, text in enumerate(row):
                    yield [record_id, r, col, text]

    return [
        Sheet("updates", ("record_id", "type", "ref", "number", "date", "label", "text"), updates),
        Sheet("pages", ("record_id", "type", "page"), pages),
        Sheet("table_header", ("record_id", "column", "text"), header),
        Sheet("table_cells", ("record_id", "row", "column", "text"), cells),
    ]


def workbook_sheets(
    conn: Connectable, doc_ids: Sequence[str] | None = None, types: Sequence[str] | None = None
) -> list[Sheet]:
    """The register, a sheet per record type (all, or ``types``), and the list sheets."""

    def register() -> Iterator[Row]:
        for record_id, rec, doc in _records(conn, ["recommendation", "action"], doc_ids):
            yield _register_row(record_id, rec, doc)

    chosen = [t for t in RECORD_TYPES if not types or t in types]
    return [
        Sheet("register", REGISTER_COLUMNS, register),
        *(_type_sheet(conn, t, doc_ids) for t in chosen),
        *_list_sheets(conn, doc_ids),
    ]
