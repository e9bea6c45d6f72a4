"""Savings and budget tables -> one ``saving`` record per numeric cell.

Each value column is described by its header parts (group / period / unit, multi-row headers
read top-down); the row label is the item.  Totals are kept: they are printed figures.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from normalise.classify import Classification
from normalise.dates import normalise_date
from normalise.grid import header_parts, pages_of
from normalise.numbers import parse_number
from normalise.vocabulary import fold, load
from parsers.model import Cell, Table

Record = dict[str, Any]
_PERIOD = re.compile(r"^(?:FY\s*)?\d{2,4}\s*[/\-–]\s*\d{2,4}$|^(?:19|20)\d{2}$|^Q[1-4]\b", re.I)


@lru_cache(maxsize=1)
def _units() -> frozenset[str]:
    return frozenset(fold(u) for u in load("headers")["units"])


def describe_column(parts: list[str]) -> tuple[str | None, str | None, str | None]:
    """(group, period, unit) of a value column from its header parts."""
    group: list[str] = []
    period = unit = None
    for part in parts:
        if unit is None and fold(part) in _units():
            unit = part
        elif period is None and (_PERIOD.match(part) or normalise_date(part)):
            period = part
        else:
            group.append(part)
    return (" / ".join(group) or None), period, unit


def _leading_header_rows(table: Table, start: int, label_col: int) -> int:
    """Body rows before the first figure that only describe columns (years, units)."""
    index = start
    while index < len(table.rows):
        row = table.rows[index]
        if row[label_col].text.strip() or any(parse_number(c.text) is not None for c in row):
            break
        index += 1
    return index


def _column_parts(table: Table, col: int, start: int, first_body: int) -> list[str]:
    parts = header_parts(table, col)
    for index in range(start, first_body):
        text = table.rows[index][col].text.strip()
        if text:
            parts.extend(p.strip() for p in text.split(" / ") if p.strip())
    return parts


def item_labels(table: Table, label_col: int, first_body: int) -> dict[int, list[Cell]]:
    """The label cells of each row with figures, wrapped label lines joined: a label-only
    row joins the figures row below when that row's label is empty or carries on in lower
    case, and a lower-case label-only row after a figures row finishes its label."""
    labels: dict[int, list[Cell]] = {}
    pending: list[Cell] = []
    last: int | None = None
    for index in range(first_body, len(table.rows)):
        row = table.rows[index]
        cell = row[label_col]
        text = cell.text.strip()
        has_figures = any(parse_number(c.text) is not None for i, c in enumerate(row)
                          if i != label_col)
        if has_figures:
            keep = pending if pending and (not text or text[:1].islower()) else []
            labels[index] = [*keep, cell] if text else keep or [cell]
            pending, last = [], index
        elif text and text[:1].islower() and last is not None and not pending:
            labels[last].append(cell)
        else:
            pending = [cell] if text else []
    return labels


def saving_records(table: Table, cls: Classification, doc_id: str, doc_format: str,
                   table_index: int) -> list[Record]:
    """Every numeric cell of a savings table as a contract ``saving``."""
    label_col = 0
    start = cls.header_rows_in_body
    first_body = _leading_header_rows(table, start, label_col)
    columns = {c: describe_column(_column_parts(table, c, start, first_body))
               for c in range(table.n_cols) if c != label_col}
    out: list[Record] = []
    for index, label in item_labels(table, label_col, first_body).items():
        row = table.rows[index]
        item = " ".join(c.text.strip() for c in label if c.text.strip()) or None
        for col, (group, period, unit) in columns.items():
            value = parse_number(row[col].text)
            if value is None:
                continue
            out.append({
                "type": "saving", "doc_id": doc_id, "item": item,
                "group": group, "period": period, "unit": unit, "value": value,
                "pages": pages_of([*label, row[col]], doc_format), "table_index": table_index,
                "confidence": cls.confidence,
                "issues": [] if period or unit else ["unknown header"],
            })
    return out
