"""The ``export`` command: the stored records in the contract, as JSON lines or CSV."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console

from ingest.cli_common import (
    DEFAULT_DB,
    DbOption,
    app,
    fail,
    format_option,
    open_out,
    reading,
    resolve_docs,
)
from ingest.output import DocOption
from normalise.record_types import RECORD_TYPES

if TYPE_CHECKING:
    from store.reader import Connectable

ExportFormat = Literal["jsonl", "csv", "xlsx"]


def check_types(types: list[str] | None) -> None:
    """An unknown ``--type`` is an error, not an empty export."""
    for type_ in types or ():
        if type_ not in RECORD_TYPES:
            fail(f"--type {type_}: no such record type (one of {', '.join(RECORD_TYPES)})")


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    format: Annotated[
        ExportFormat,
        format_option("jsonl (one stream), csv or xlsx (a workbook for spreadsheets)."),
    ] = "jsonl",
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File (jsonl) or folder (csv); default stdout."),
    ] = None,
    types: Annotated[
        list[str] | None, typer.Option("--type", help="Only records of this type (repeatable).")
    ] = None,
    doc_ids: DocOption = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help="csv for spreadsheets: the xlsx sheets as files, UTF-8 with BOM."
        ),
    ] = False,
) -> None:
    """Write the stored records in the record contract (docs/contract.md).

    jsonl: one JSON object per line, per document in ingest order: the document, its
    tables, then its other records. csv: one file per record type (document.csv,
    table.csv, recommendation.csv, ...) in the -o folder, each with its header row even
    when empty; lists are written as JSON. Without -o, csv needs exactly one --type and
    writes it to stdout. An unknown --type or --doc is an error (exit 1).

    xlsx (-o FILE): a workbook for analysts with no JSON in any cell: a "register" sheet
    (one row per recommendation and action: source, committee, meeting date, due as
    printed beside due_start / due_end as real dates and the precision printed, response,
    latest update and its date, update count), a sheet per record type keyed by
    record_id, and the lists in sheets of their own (updates, pages, table_header,
    table_cells) keyed by record_id. csv --excel -o FOLDER writes the same sheets as
    CSV files in UTF-8 with a byte-order mark, so Excel shows "£" as "£".

    Example:

    \b
        papertrail export --db council.db --format jsonl -o records.jsonl
        papertrail export --db council.db --format csv -o council-csv/ --doc 3f2a9c
        papertrail export --db council.db --format xlsx -o council.xlsx
    """
    from store.export import iter_records, write_csv, write_csv_files, write_jsonl

    check_types(types)
    if (format == "xlsx" or excel) and output is None:
        fail("xlsx and --excel write files: give -o FILE.xlsx (or -o FOLDER for csv)", code=2)
    if excel and format != "csv":
        fail("--excel goes with --format csv (xlsx is for Excel already)", code=2)
    if format == "csv" and output is None and len(types or []) != 1:
        fail("csv to stdout needs exactly one --type (or give -o FOLDER for all types)", code=2)
    with reading(db) as conn:
        ids = resolve_docs(conn, doc_ids)
        if format == "xlsx" or excel:
            assert output is not None
            _write_workbook(conn, output, ids, types, excel)
            return
        if format == "csv" and output is not None:
            try:
                written = write_csv_files(conn, output, types, ids)
            except OSError as exc:  # -o names a file, or a folder that cannot be made
                fail(f"{output}: cannot write the csv folder ({exc.strerror or exc})")
            for type_, n in written.items():
                Console(stderr=True).print(f"{output / f'{type_}.csv'}: {n} rows", markup=False)
            return
        with open_out(output) as fh:
            if format == "jsonl":
                write_jsonl(iter_records(conn, doc_ids=ids, types=types), fh)
            else:
                write_csv(conn, (types or [""])[0], fh, ids)


def _write_workbook(
    conn: Connectable,
    output: Path,
    ids: list[str] | None,
    types: list[str] | None,
    excel: bool,
) -> None:
    from ingest.excel import write_csv_sheets, write_xlsx
    from store.workbook import workbook_sheets

    sheets = workbook_sheets(conn, ids, types)
    try:
        written = write_csv_sheets(sheets, output) if excel else write_xlsx(sheets, output)
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")
    err = Console(stderr=True)
    for name, n in written.items():
        err.print(f"{output}: {name}: {n} rows", markup=False, highlight=False)
