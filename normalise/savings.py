"""Savings and budget tables -> one ``saving`` record per numeric cell.

Each value column is described by its header parts (group / period / unit, multi-row headers
read top-down); the row label is the item.  Totals are kept: they are printed figures.
"""

from __future__ import annotations

import re
from functools import lru_cache

from normalise.classify import Classification
from normalise.dates import normalise_date
from normalise.figures import period_in, stated_unit, unit_in
from normalise.grid import header_parts, pages_of
from normalise.numbers import parse_number
from normalise.record_types import Saving
from normalise.vocabulary import fold, load
from parsers.model import Cell, Table

_PERIOD = re.compile(r"^(?:FY\s*)?\d{2,4}\s*[/\-–]\s*\d{2,4}$|^(?:19|20)\d{2}$|^Q[1-4]\b", re.I)


@lru_cache(maxsize=1)
def _units() -> frozenset[str]:
    return frozenset(fold(u) for u in load("headers")["units"])


def _split_part(
    part: str, period: str | None, unit: str | None
) -> tuple[str, str | None, str | None]:
    """A heading part with the unit and year printed inside it taken out
    (``"2024-25 Savings Target"`` -> ``("Savings Target", "2024-25", None)``)."""
    if unit is None and fold(part) in _units():
        return "", period, part
    if period is None and (_PERIOD.match(part) or normalise_date(part)):
        return "", part, unit
    rest = part
    found_unit = unit or unit_in(rest)
    if unit is None and found_unit:
        rest = rest.replace(found_unit, " ")
    found_period = period or period_in(rest)
    if period is None and found_period:
        rest = rest.replace(found_period, " ")
    if rest == part:
        return part, period, unit
    return " ".join(rest.split()).strip(" ()*-–/:"), found_period, found_unit


def describe_column(parts: list[str]) -> tuple[str | None, str | None, str | None]:
    """(group, period, unit) of a value column from its header parts."""
    group: list[str] = []
    period = unit = None
    for part in parts:
        rest, period, unit = _split_part(part, period, unit)
        if rest:
            group.append(rest)
    return (" / ".join(group) or None), period, unit


def _is_heading_row(row: tuple[Cell, ...], label_col: int) -> bool:
    """Column headings printed as a body row: two or more words cells and no figure."""
    others = [c.text.strip() for i, c in enumerate(row) if i != label_col and c.text.strip()]
    return len(others) >= 2 and all(parse_number(t) is None for t in others)


def _leading_header_rows(table: Table, start: int, label_col: int) -> tuple[int, str | None]:
    """Body rows before the first figure that only describe columns (years, units,
    "All figures in £m"), and the unit such a line states."""
    index, unit = start, None
    while index < len(table.rows):
        row = table.rows[index]
        if any(parse_number(c.text) is not None for c in row):
            break
        filled = [c.text.strip() for c in row if c.text.strip()]
        stated = stated_unit(filled[0]) if len(filled) == 1 else None
        if stated:
            unit = unit or stated
        elif row[label_col].text.strip() and not _is_heading_row(row, label_col):
            break
        index += 1
    return index, unit


def _is_caption(table: Table) -> bool:
    """A header that is one title over the whole table, not column headings."""
    texts = {c.text.strip() for row in table.header for c in row if c.text.strip()}
    return len(texts) == 1 and table.n_cols > 2


def _column_parts(table: Table, col: int, start: int, first_body: int) -> list[str]:
    parts = [] if _is_caption(table) else header_parts(table, col)
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
        has_figures = any(
            parse_number(c.text) is not None for i, c in enumerate(row) if i != label_col
        )
        if has_figures:
            keep = pending if pending and (not text or text[:1].islower()) else []
            labels[index] = [*keep, cell] if text else keep or [cell]
            pending, last = [], index
        elif text and text[:1].islower() and last is not None and not pending:
            labels[last].append(cell)
        else:
            pending = [cell] if text else []
    return labels


def table_unit(table: Table, cls: Classification) -> str | None:
    """The unit an "All figures in £m" line above the figures or before the table states."""
    return _layout(table, cls)[3] or stated_unit(table.context)


def continues_figures(table: Table, previous: Table) -> bool:
    """A table printed on the page after ``previous`` with no header of its own, or the same
    header words: the rest of the same grid, which the parser could not stitch."""
    if not table.pages or not previous.pages or table.pages[0] - previous.pages[-1] not in (0, 1):
        return False
    words = {w for h in table.header_strings() for w in fold(h).split()}
    before = {w for h in previous.header_strings() for w in fold(h).split()}
    return not words or not before or len(words & before) >= len(words) / 2


def _value_columns(cls: Classification, n_cols: int) -> tuple[int, list[int]]:
    """The label column and the value columns: a budget template marks them by role,
    other grids are labelled by their first column."""
    if "value" in cls.roles:
        label = cls.roles.index("item") if "item" in cls.roles else 0
        return label, [i for i, r in enumerate(cls.roles) if r == "value"]
    return 0, list(range(1, n_cols))


def _label_column(table: Table, first_body: int) -> int:
    """The first column that is not mostly figures: a leading "Row ref" column of numbers
    is neither the item nor a value."""
    for col in range(table.n_cols):
        values = [r[col].text for r in table.rows[first_body:] if r[col].text.strip()]
        if values and sum(parse_number(v) is None for v in values) / len(values) >= 0.5:
            return col
    return 0


def _layout(table: Table, cls: Classification) -> tuple[int, list[int], int, str | None]:
    """(label column, value columns, first figures row, unit stated above the figures)."""
    label, values = _value_columns(cls, table.n_cols)
    first_body, stated = _leading_header_rows(table, cls.header_rows_in_body, label)
    if "value" not in cls.roles:
        found = _label_column(table, first_body)
        if found != label:
            label, values = found, list(range(found + 1, table.n_cols))
            first_body, stated = _leading_header_rows(table, cls.header_rows_in_body, label)
    return label, values, first_body, stated


def saving_records(
    table: Table,
    cls: Classification,
    doc_id: str,
    doc_format: str,
    table_index: int,
    default_unit: str | None = None,
) -> list[Saving]:
    """Every numeric cell of a savings table as a contract ``saving``.

    A column's unit comes from its header, else from an "All figures in £m" line above the
    figures or before the table, else from ``default_unit`` (the unit of the table this one
    continues), else "£" when the cell itself is printed as money."""
    label_col, value_cols, first_body, stated = _layout(table, cls)
    start = cls.header_rows_in_body
    unit_of_table = stated or stated_unit(table.context) or default_unit
    columns = {c: describe_column(_column_parts(table, c, start, first_body)) for c in value_cols}
    out: list[Saving] = []
    for index, label in item_labels(table, label_col, first_body).items():
        row = table.rows[index]
        item = " ".join(c.text.strip() for c in label if c.text.strip()) or None
        for col, (group, period, unit) in columns.items():
            value = parse_number(row[col].text)
            if value is None:
                continue
            unit = unit or unit_of_table or ("£" if "£" in row[col].text else None)
            out.append(
                Saving(
                    doc_id=doc_id,
                    item=item,
                    group=group,
                    period=period,
                    unit=unit,
                    value=value,
                    pages=pages_of([*label, row[col]], doc_format),
                    table_index=table_index,
                    confidence=cls.confidence,
                    issues=[] if period or unit else ["unknown header"],
                )
            )
    return out
