"""Records read from a scanned table carry the OCR's confidence in the cells they came from.

Each cell of an OCR'd table holds Tesseract's confidence in its text
(``Cell.confidence``).  A table record gets the mean over its cells; a typed record gets
the lowest over the cells of the row it was read from (found by the texts the record
repeats), its ``confidence`` is capped by it, and below ``REVIEW_OCR`` it gets an issue,
so ``papertrail review`` lists it for a person to check against the scan.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from normalise.record_types import TableRecord, TypedRecord
from parsers.model import Document, Row, Table

REVIEW_OCR = 0.6  # as store.queries.REVIEW_CONFIDENCE: below it, a person should look
Rated = TypeVar("Rated", bound=TableRecord | TypedRecord)


def rate_records(doc: Document, records: Sequence[Rated]) -> list[Rated]:
    """The records, those of OCR'd tables with their ``ocr_confidence``."""
    by_table: dict[int, list[float]] = {}  # each table's cell confidences, read once:
    # a 500-page tracker is one table of 8,000 rows, each row a record
    return [_rated(doc, rec, by_table) for rec in records]


def _rated(doc: Document, rec: Rated, by_table: dict[int, list[float]]) -> Rated:
    index = rec.index if isinstance(rec, TableRecord) else rec.table_index
    if index is None or not 0 <= index < len(doc.tables):
        return rec
    table = doc.tables[index]
    if index not in by_table:
        by_table[index] = [c.confidence for c in _cells(table.rows) if c.confidence is not None]
    rated = by_table[index]
    if not rated:
        return rec
    if isinstance(rec, TableRecord):
        return replace(rec, ocr_confidence=round(sum(rated) / len(rated), 2))
    row = _source_row(table, rec)
    mine = [c.confidence for c in _cells([row]) if c.confidence is not None] if row else []
    ocr = round(min(mine or rated), 2)
    confidence = rec.confidence if rec.confidence is None else round(min(rec.confidence, ocr), 2)
    issues = rec.issues
    if ocr < REVIEW_OCR:
        issues = [*issues, f"OCR confidence {ocr:.2f}: check the text against the scan"]
    return replace(rec, ocr_confidence=ocr, confidence=confidence, issues=issues)


def _cells(rows: Sequence[Row]) -> Iterator[Any]:
    return (c for row in rows for c in row if not c.covered and c.text.strip())


def _source_row(table: Table, rec: TypedRecord) -> Row | None:
    """The body row sharing the most cell texts with the record's values."""
    values = " \n ".join(_strings(rec.as_dict()))
    best, best_hits = None, 0
    for row in table.rows:
        hits = sum(1 for c in _cells([row]) if len(c.text) > 1 and c.text in values)
        if hits > best_hits:
            best, best_hits = row, hits
    return best


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
