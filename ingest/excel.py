"""Writing ``store.workbook`` sheets for spreadsheet users: an .xlsx workbook (openpyxl),
or one CSV file per sheet in UTF-8 with a byte-order mark, which Excel needs to read
"£" and "–" as such rather than as Windows-1252 mojibake."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from store.workbook import Sheet

DATE_FORMAT = "yyyy-mm-dd"


def write_xlsx(sheets: Sequence[Sheet], path: Path) -> dict[str, int]:
    """One worksheet per sheet: bold frozen header row, real dates; rows per sheet.

    openpyxl's write-only mode streams rows to the file instead of holding the workbook."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    written: dict[str, int] = {}
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        ws.freeze_panes = "A2"
        header = []
        for name in sheet.columns:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        n = 0
        for row in sheet.rows():
            ws.append([_cell(ws, v, WriteOnlyCell) for v in row])
            n += 1
        written[sheet.name] = n
    book.save(path)
    return written


def _cell(ws: object, value: object, make: type) -> object:
    if isinstance(value, date):
        cell = make(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def write_csv_sheets(sheets: Sequence[Sheet], folder: Path) -> dict[str, int]:
    """``<sheet>.csv`` per sheet, UTF-8 with BOM and CRLF line ends (as Excel writes)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for sheet in sheets:
        with (folder / f"{sheet.name}.csv").open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(sheet.columns)
            n = 0
            for row in sheet.rows():
                writer.writerow(row)
                n += 1
        written[sheet.name] = n
    return written
