"""The analysts' workbook: the register's real dates, list fields in sheets of their own,
written as .xlsx (read back with openpyxl) and as Excel-friendly CSV."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ingest.cli import app
from store.workbook import due_period

runner = CliRunner()


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("2009-03-31", (date(2009, 3, 31), date(2009, 3, 31), "day")),
        ("2009-02", (date(2009, 2, 1), date(2009, 2, 28), "month")),
        ("2009", (date(2009, 1, 1), date(2009, 12, 31), "year")),
        ("FY2008/09", (date(2008, 4, 1), date(2009, 3, 31), "financial year")),
        ("2009-Q2", (date(2009, 7, 1), date(2009, 9, 30), "quarter")),
        ("2009-Q4", (date(2010, 1, 1), date(2010, 3, 31), "quarter")),
        ("Summer 2008", (None, None, None)),
        (None, (None, None, None)),
    ],
)
def test_due_period_gives_first_and_last_day_and_precision(
    due: str | None, expected: tuple[object, object, object]
) -> None:
    assert due_period(due) == expected


@pytest.fixture
def db(tmp_path: Path, tracker_versions: list[Path]) -> str:
    path = str(tmp_path / "w.db")
    assert runner.invoke(app, ["ingest", *map(str, tracker_versions), "--db", path]).exit_code == 0
    return path


def test_xlsx_has_a_register_with_real_dates_and_no_json_in_cells(db: str, tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    result = runner.invoke(app, ["export", "--db", db, "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["register", "document", "table"]
    assert {"updates", "pages", "table_header", "table_cells"} <= set(book.sheetnames)
    header, *rows = list(book["register"].values)
    rows_by = [dict(zip(header, r, strict=True)) for r in rows]
    first = next(r for r in rows_by if r["source"] == "v1.docx" and r["ref"] == "1")
    assert first["committee"] == "Audit Committee"
    assert first["meeting_date"] == datetime(2009, 3, 3)
    assert first["due_raw"] == "March 2009" and first["due_precision"] == "month"
    assert (first["due_start"], first["due_end"]) == (datetime(2009, 3, 1), datetime(2009, 3, 31))
    assert first["update_count"] == 1 and first["latest_update"] == "register drafted."
    for ws in book.worksheets:  # lists are sheets of their own, never JSON in a cell
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and v[:1] in "[{" for v in row), (ws.title, row)
    # each update points at a recommendation of the recommendation sheet
    rec_ids = {r[0] for r in list(book["recommendation"].values)[1:]}
    update_ids = {r[0] for r in list(book["updates"].values)[1:]}
    assert update_ids and update_ids <= rec_ids


def test_excel_csv_has_a_bom_and_the_same_sheets(db: str, tmp_path: Path) -> None:
    out = tmp_path / "x"
    result = runner.invoke(app, ["export", "--db", db, "--format", "csv", "--excel", "-o", str(out),
                                 "--doc", "v1.docx"])  # fmt: skip
    assert result.exit_code == 0, result.output
    raw = (out / "register.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfrecord_id,type,source,")
    with (out / "register.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["source"] for r in rows} == {"v1.docx"}
    assert (out / "updates.csv").exists() and (out / "saving.csv").exists()


def test_xlsx_needs_an_output_file(db: str) -> None:
    result = runner.invoke(app, ["export", "--db", db, "--format", "xlsx"])
    assert result.exit_code == 2 and "-o" in result.stderr
