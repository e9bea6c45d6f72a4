"""The ``papertrail`` command: a thin layer over ``ingest.batch`` and ``store``.

Each command's docstring is its ``--help``; errors reach the user as one line each.
"""

from __future__ import annotations

import json
from enum import StrEnum
from itertools import groupby
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.console import Console
from rich.table import Table

from ingest.batch import ingest_paths
from ingest.cli_common import (
    DEFAULT_DB,
    DbOption,
    app,
    check_writable,
    existing_db,
    fail,
    open_out,
    run_main,
)
from ingest.progress import BarProgress, LineProgress, problems_report, summary_table
from ingest.terminal import cell
from ingest.workers import (
    DEFAULT_MAX_MEMORY,
    DEFAULT_TIMEOUT,
    MAX_MEMORY_MB,
    MAX_TIMEOUT,
    Limits,
    default_workers,
)
from parsers.options import OcrMode
from store.database import head_revision
from store.export import iter_records, write_csv, write_csv_files, write_jsonl
from store.queries import (
    REVIEW_CONFIDENCE,
    REVIEW_TABLE_QUALITY,
    ReviewItem,
    TableSummary,
    list_tables,
    review_items,
)
from store.series import refresh_series


class OcrChoice(StrEnum):
    """--ocr's choices, as typer wants them (``parsers.options.OcrMode``)."""

    auto = "auto"
    always = "always"
    never = "never"


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH...", help="Files or folders (searched recursively)."),
    ],
    db: DbOption = DEFAULT_DB,
    force: Annotated[
        bool, typer.Option("--force", help="Re-ingest files already stored, replacing them.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Parser processes [default: number of cores]."),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option("--timeout", min=1, max=MAX_TIMEOUT, help="Seconds one document may take."),
    ] = DEFAULT_TIMEOUT,
    max_memory: Annotated[
        int,
        typer.Option(
            "--max-memory",
            min=16,
            max=MAX_MEMORY_MB,
            help="MB of memory one document may take.",
        ),
    ] = DEFAULT_MAX_MEMORY // 2**20,
    errors_json: Annotated[
        Path | None,
        typer.Option("--errors-json", help="Also write failures and warnings to FILE as JSON."),
    ] = None,
    ocr: Annotated[
        OcrChoice,
        typer.Option(
            "--ocr",
            help="Read PDF pages by OCR: auto (pages with no or a thin text layer), "
            "always (every page, ignoring any text layer) or never.",
        ),
    ] = OcrChoice.auto,
) -> None:
    """Parse papers and store their tables and records.

    Files already stored (same bytes) are skipped unless --force, so running the same
    command again after an interruption finishes the batch (each document is stored
    whole or not at all). Parsing runs in --workers separate processes (even with 1, so
    the limits hold); a document taking longer than --timeout seconds or more than
    --max-memory MB is stopped. A file that cannot be read is reported on one line and
    nothing of it is stored; the others go on. Exit status 1 when any file failed.
    Scanned pages are read by OCR (Tesseract) and .doc, .odt and .rtf files through
    LibreOffice, where those are installed; a scanned page takes about two seconds, so
    give a long scanned paper a longer --timeout.

    Example:

        papertrail ingest papers/ extra/minutes.pdf --db council.db
        papertrail ingest papers/ --workers 2 --errors-json errors.json
        papertrail ingest scans/ --ocr always --timeout 600
    """
    out = Console()
    err = Console(stderr=True)
    try:
        limits = Limits(timeout=timeout, max_memory=max_memory * 2**20)
    except ValueError as exc:
        fail(str(exc), code=2)
    if errors_json is not None:
        check_writable(errors_json, "--errors-json")
    engine = existing_db(db, create=True)
    progress = BarProgress(out) if out.is_terminal else LineProgress(out, err)
    try:
        mode = cast(OcrMode, ocr.value)
        size = workers or default_workers()
        result = ingest_paths(paths, engine, force, progress, size, limits, mode)
    finally:
        progress.stop()
    out.print(summary_table(result))
    if errors_json is not None:
        with open_out(errors_json) as fh:
            fh.write(json.dumps(problems_report(result), indent=1) + "\n")
    if not result.ok:
        raise typer.Exit(1)


@app.command()
def tables(
    db: DbOption = DEFAULT_DB,
    doc: Annotated[str | None, typer.Option("--doc", help="Only this doc_id (or prefix).")] = None,
) -> None:
    """List the tables found in each document: kind, pages, size and header.

    Example:

        papertrail tables --db council.db --doc 3f2a9c
    """
    engine = existing_db(db)
    with engine.connect() as conn:
        found = list(list_tables(conn, doc))
    console = Console()
    if not found:
        console.print(f"no tables stored{f' for {doc}' if doc else ''} in {db}", markup=False)
    for doc_id, group in groupby(found, key=lambda t: t.doc_id):
        console.print(tables_table(doc_id, list(group)))


def tables_table(doc_id: str, found: list[TableSummary]) -> Table:
    """One document's tables: index, kind, pages, size and a header preview."""
    table = Table(title=cell(f"{doc_id}  {found[0].source}"), title_justify="left")
    for name in ("#", "kind", "pages", "rows x cols", "quality", "found"):
        table.add_column(name, no_wrap=True)
    table.add_column("header (or caption)", ratio=1)
    for t in found:
        pages = ",".join(map(str, t.pages)) if t.pages else "-"
        header = " | ".join(h for h in t.header if h) or (t.context or "")
        table.add_row(
            str(t.table_index),
            t.kind,
            pages,
            f"{t.row_count} x {t.col_count}",
            "-" if t.quality is None else f"{t.quality:.2f}",
            cell((t.notes or ["-"])[0]),
            cell(_preview(header, 120)),
        )
    return table


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    format: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File (jsonl) or folder (csv); default stdout."),
    ] = None,
    types: Annotated[
        list[str] | None, typer.Option("--type", help="Only records of this type (repeatable).")
    ] = None,
    doc_ids: Annotated[
        list[str] | None, typer.Option("--doc", help="Only this doc_id (jsonl; repeatable).")
    ] = None,
) -> None:
    """Write the stored records in the documented contract (shared/contract/records.md).

    jsonl: one JSON object per line, per document in ingest order: the document, its
    tables, then its other records. csv: one file per record type (document.csv,
    table.csv, recommendation.csv, ...) in the -o folder; lists are written as JSON.
    Without -o, csv needs exactly one --type and writes it to stdout.

    Example:

        papertrail export --db council.db --format jsonl -o records.jsonl
        papertrail export --db council.db --format csv -o council-csv/
    """
    if format not in ("jsonl", "csv"):
        fail(f"--format must be jsonl or csv, not {format!r}", code=2)
    engine = existing_db(db)
    if format == "csv" and output is not None:
        try:
            written = write_csv_files(engine, output, types)
        except OSError as exc:  # -o names a file, or a folder that cannot be made
            fail(f"{output}: cannot write the csv folder ({exc.strerror or exc})")
        for type_, n in written.items():
            Console(stderr=True).print(f"{output / f'{type_}.csv'}: {n} rows", markup=False)
        return
    if format == "csv" and len(types or []) != 1:
        fail("csv to stdout needs exactly one --type (or give -o FOLDER for all types)", code=2)
    with engine.connect() as conn, open_out(output) as fh:
        if format == "jsonl":
            write_jsonl(iter_records(conn, doc_ids=doc_ids, types=types), fh)
        else:
            write_csv(conn, (types or [""])[0], fh)


@app.command()
def review(db: DbOption = DEFAULT_DB) -> None:
    """List records a person should check: confidence below 0.6 or issues noted, and
    tables whose measured quality (empty and column-straddling cells) is below 0.5.

    Example:

        papertrail review --db council.db
    """
    engine = existing_db(db)
    with engine.connect() as conn:
        items = list(review_items(conn, REVIEW_CONFIDENCE))
        weak = list(list_tables(conn, below=REVIEW_TABLE_QUALITY))
    console = Console()
    if not items and not weak:
        console.print("nothing to review", markup=False)
        return
    for doc_id, tables_of in groupby(weak, key=lambda t: t.doc_id):
        console.print(f"tables of measured quality below {REVIEW_TABLE_QUALITY}:", markup=False)
        console.print(tables_table(doc_id, list(tables_of)))
    for _, group in groupby(items, key=lambda item: item.doc_id):
        console.print(review_table(list(group)))


def review_table(items: list[ReviewItem]) -> Table:
    """One document's records to check: where they are, how sure, and what is wrong."""
    first = items[0]
    table = Table(title=cell(f"{first.doc_id}  {first.source}"), title_justify="left")
    for name in ("#", "type", "ref", "conf."):
        table.add_column(name, no_wrap=True)
    table.add_column("issues", ratio=1)
    table.add_column("text", ratio=2)
    for item in items:
        confidence = "-" if item.confidence is None else f"{item.confidence:.2f}"
        table.add_row(
            str(item.ordinal),
            item.type,
            cell(_preview(item.ref or "", 12)),
            confidence,
            cell("; ".join(map(str, item.issues))),
            cell(_preview(item.text or "", 80)),
        )
    return table


def _preview(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@app.command()
def migrate(db: DbOption = DEFAULT_DB) -> None:
    """Bring the database's schema up to this papertrail's (keeping every row), and regroup
    the tracker series if a batch stopped before it could. Reading commands never do
    this themselves: they refuse an out-of-date database and name this command.

    Example:

        papertrail migrate --db council.db
    """
    engine = existing_db(db, write=True)  # a writer's open migrates
    refresh_series(engine)
    Console().print(f"{db}: schema {head_revision()}, series regrouped", markup=False)


def main() -> None:
    """The ``papertrail`` script."""
    run_main()


# Commands defined in their own modules register themselves on ``app`` when imported.
from ingest import cli_audit, cli_debug, cli_query, cli_sql  # noqa: E402,F401
