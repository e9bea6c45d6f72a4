"""The ``papertrail`` command: a thin layer over ``ingest.batch`` and ``store``.

Each command's docstring is its ``--help``; errors reach the user as one line each.
Commands import the store, the parsers and the batch runner when they run, not here:
``--help``, ``--version`` and a query should not pay for what they do not use.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields
from enum import StrEnum
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.console import Console
from rich.table import Table

from ingest.cli_common import (
    DEFAULT_DB,
    DbOption,
    app,
    check_writable,
    existing_db,
    fail,
    open_out,
    reading,
    resolve_docs,
    run_main,
)
from ingest.limits import (
    DEFAULT_MAX_MEMORY,
    DEFAULT_TIMEOUT,
    MAX_MEMORY_MB,
    MAX_TIMEOUT,
    Limits,
)
from ingest.narrow import block, blocks
from ingest.output import DocOption, FormatOption, OutputOption, show, write_rows
from ingest.terminal import cell

if TYPE_CHECKING:
    from parsers.options import OcrMode
    from store.queries import ReviewItem, TableSummary


class OcrChoice(StrEnum):
    """--ocr's choices, as typer wants them (``parsers.options.OcrMode``)."""

    auto = "auto"
    always = "always"
    never = "never"


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...",
            help="Files or folders (searched recursively), or fsspec URLs such as "
            "s3://bucket/prefix/ (needs the remote extra).",
        ),
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
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Only failures and the summary (for cron)."),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="A line per file, even on a terminal."),
    ] = False,
    ocr: Annotated[
        OcrChoice,
        typer.Option(
            "--ocr",
            help="Read PDF pages by OCR: auto (pages with no or a thin text layer), "
            "always (every page, ignoring any text layer) or never.",
        ),
    ] = OcrChoice.auto,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            metavar="local:N|tcp://HOST:PORT",
            help="Parse on a Dask cluster: local:N starts N worker processes here; "
            "tcp://HOST:PORT uses a running scheduler whose workers see the same paths "
            "(needs the dask extra).",
        ),
    ] = None,
) -> None:
    """Parse papers and store their tables and records.

    Files already stored (same bytes) are skipped unless --force, so running the same
    command again after an interruption finishes the batch (each document is stored
    whole or not at all). Parsing runs in --workers separate processes (even with 1, so
    the limits hold); a document taking longer than --timeout seconds or more than
    --max-memory MB is stopped. A file that cannot be read is reported on one line and
    nothing of it is stored; the others go on. Exit status 1 when any file failed, 130
    when stopped by Ctrl-C or SIGTERM (what was stored stays stored). Scanned pages are
    read by OCR (Tesseract) and .doc, .odt and .rtf files through LibreOffice, where those
    are installed; a scanned page takes about two seconds, so give a long scanned paper a
    longer --timeout. With --cluster the parsing runs as Dask tasks (the limits hold
    there too) and this process stores the results, as the only writer.

    Example:

    \b
        papertrail ingest papers/ extra/minutes.pdf --db council.db
        papertrail ingest papers/ --workers 2 --errors-json errors.json --quiet
        papertrail ingest scans/ --ocr always --timeout 600
        papertrail ingest /shared/papers --cluster tcp://scheduler:8786 --db postgresql://db/papers
        papertrail ingest s3://council-papers/2024/ --cluster local:2
    """
    from ingest.forkserver import start_early

    out, err = Console(), Console(stderr=True)
    if quiet and verbose:
        fail("--quiet and --verbose contradict each other", code=2)
    try:
        limits = Limits(timeout=timeout, max_memory=max_memory * 2**20)
    except ValueError as exc:
        fail(str(exc), code=2)
    if errors_json is not None:
        check_writable(errors_json, "--errors-json")
    if cluster is None:
        start_early()  # the workers' server warms up while the rest is imported
    from ingest.batch import ingest_paths
    from ingest.cluster import ClusterError, check_address
    from ingest.progress import problems_report, summary_table
    from ingest.workers import default_workers

    if cluster is not None:
        try:
            check_address(cluster)
        except ClusterError as exc:
            fail(str(exc), code=2)
    _check_paths(paths)
    engine = existing_db(db, create=True)
    progress = _progress(out, err, quiet, verbose)
    try:
        with _term_as_interrupt():
            mode = cast("OcrMode", ocr.value)
            size = workers or default_workers()
            result = ingest_paths(paths, engine, force, progress, size, limits, mode, cluster)
    except ClusterError as exc:
        fail(str(exc))
    finally:
        progress.stop()
    if result.interrupted:
        from ingest.progress import interrupted_line

        err.print(interrupted_line(result), markup=False, highlight=False, soft_wrap=True)
    out.print(summary_table(result))
    if errors_json is not None:
        with open_out(errors_json) as fh:
            fh.write(json.dumps(problems_report(result), indent=1) + "\n")
    if result.interrupted:
        raise typer.Exit(130)
    if not result.ok:
        raise typer.Exit(1)


def _check_paths(paths: Sequence[str]) -> None:
    """When no path named exists, stop before a database is made for nothing (a typo in
    a cron line should not leave an empty papertrail.db behind). A URL is taken to
    exist: listing it says otherwise, on one line."""
    from ingest.remote import is_url

    if paths and not any(os.path.lexists(p) or is_url(p) for p in paths):
        for path in paths[:-1]:
            Console(stderr=True).print(f"error: {path}: no such file or folder", markup=False)
        fail(f"{paths[-1]}: no such file or folder; nothing ingested, no database made")


def _progress(out: Console, err: Console, quiet: bool, verbose: bool) -> Any:
    from ingest.progress import BarProgress, LineProgress, QuietProgress

    if quiet:
        return QuietProgress(err)
    if out.is_terminal and not verbose:
        return BarProgress(out)
    return LineProgress(out, err)


@contextmanager
def _term_as_interrupt() -> Iterator[None]:
    """SIGTERM (a service manager or ``timeout`` stopping the batch) ends it as Ctrl-C
    does: what was committed stays, the rest is reported as left."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@app.command()
def tables(
    db: DbOption = DEFAULT_DB,
    doc: DocOption = None,
    format: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """List the tables found in each document: kind, pages, size and header.

    Example:

    \b
        papertrail tables --db council.db --doc 3f2a9c
        papertrail tables --db council.db --format csv -o tables.csv
    """
    from store.queries import TableSummary, list_tables

    with reading(db) as conn:
        ids = resolve_docs(conn, doc)
        keys: list[str | None] = list(ids) if ids else [None]
        found = [t for i in keys for t in list_tables(conn, i)]
    if format != "table":
        with open_out(output) as fh:
            write_rows([asdict(t) for t in found], format, fh, _names(TableSummary))
        return
    if not found:
        show([f"no tables stored{' for those documents' if doc else ''} in {db}"], output)
        return
    show([tables_table(d, list(group)) for d, group in groupby(found, lambda t: t.doc_id)], output)


def tables_table(doc_id: str, found: list[TableSummary]) -> Table:
    """One document's tables: index, kind, pages, size and a header preview."""
    table = Table(title=cell(f"{doc_id}  {found[0].source}"), title_justify="left")
    for name in ("#", "kind", "pages", "rows x cols", "quality", "found"):
        table.add_column(name, no_wrap=True, max_width=24, overflow="ellipsis")
    table.add_column("header (or caption)", ratio=1, min_width=20)
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
def review(
    db: DbOption = DEFAULT_DB,
    format: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """List records a person should check: confidence below 0.6 or issues noted, and
    tables whose measured quality (empty and column-straddling cells) is below 0.5.

    csv / json / jsonl give one row per record to check (the weak tables are in
    `papertrail tables`).

    Example:

    \b
        papertrail review --db council.db
        papertrail review --db council.db --format csv -o to-check.csv
    """
    from store.queries import (
        REVIEW_CONFIDENCE,
        REVIEW_TABLE_QUALITY,
        ReviewItem,
        list_tables,
        review_items,
    )

    with reading(db) as conn:
        items = list(review_items(conn, REVIEW_CONFIDENCE))
        weak = list(list_tables(conn, below=REVIEW_TABLE_QUALITY))
    if format != "table":
        with open_out(output) as fh:
            write_rows([asdict(i) for i in items], format, fh, _names(ReviewItem))
        return
    if not items and not weak:
        show(["nothing to review"], output)
        return

    def render(narrow: bool) -> list[Any]:
        shown: list[Any] = []
        for doc_id, tables_of in groupby(weak, key=lambda t: t.doc_id):
            shown.append(f"tables of measured quality below {REVIEW_TABLE_QUALITY}:")
            shown.append(tables_table(doc_id, list(tables_of)))
        for _, group in groupby(items, key=lambda item: item.doc_id):
            of_doc = list(group)
            shown.append(review_blocks(of_doc) if narrow else review_table(of_doc))
        return shown

    show(render, output)


def review_table(items: list[ReviewItem]) -> Table:
    """One document's records to check: where they are, how sure, and what is wrong."""
    first = items[0]
    table = Table(title=cell(f"{first.doc_id}  {first.source}"), title_justify="left")
    for name in ("#", "type", "ref", "conf."):
        table.add_column(name, no_wrap=True)
    table.add_column("issues", ratio=1)
    table.add_column("text", ratio=2)
    for item in items:
        table.add_row(
            str(item.ordinal),
            item.type,
            cell(_preview(item.ref or "", 12)),
            _confidence(item),
            cell("; ".join(map(str, item.issues))),
            cell(_preview(item.text or "", 80)),
        )
    return table


def review_blocks(items: list[ReviewItem]) -> Any:
    """The same for a narrow terminal: one block per record."""
    first = items[0]
    return blocks(
        f"{first.doc_id}  {first.source}",
        [
            block(
                [f"#{i.ordinal}", i.type, i.ref and f"ref {_preview(i.ref, 20)}",
                 f"confidence {_confidence(i)}"],
                [("issues", "; ".join(map(str, i.issues))), ("", _preview(i.text or "", 300))],
            )
            for i in items
        ],
    )  # fmt: skip


def _confidence(item: ReviewItem) -> str:
    return "-" if item.confidence is None else f"{item.confidence:.2f}"


def _names(cls: type) -> list[str]:
    """A dataclass's field names: the csv header, written even when there are no rows."""
    return [f.name for f in fields(cls)]


def _preview(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@app.command()
def migrate(db: DbOption = DEFAULT_DB) -> None:
    """Bring the database's schema up to this papertrail's (keeping every row), and regroup
    the tracker series if a batch stopped before it could. Reading commands never do
    this themselves: they refuse an out-of-date database and name this command.

    Example:

    \b
        papertrail migrate --db council.db
    """
    from store.database import head_revision
    from store.dburl import shown
    from store.series import refresh_series

    engine = existing_db(db, write=True)  # a writer's open migrates
    refresh_series(engine)
    Console().print(f"{shown(db)}: schema {head_revision()}, series regrouped", markup=False)


def main() -> None:
    """The ``papertrail`` script."""
    run_main()


# Commands defined in their own modules register themselves on ``app`` when imported.
from ingest import (  # noqa: E402,F401
    cli_audit,
    cli_datasette,
    cli_debug,
    cli_export,
    cli_figures,
    cli_query,
    cli_report,
    cli_sql,
)
