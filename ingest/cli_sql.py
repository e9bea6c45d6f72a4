"""The ``sql`` command: analysts' own SQL, read-only, time-limited, streamed."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ingest.cli_common import DEFAULT_DB, DbOption, app, checked_db, existing_db, fail, open_out
from ingest.output import FormatOption, OutputOption, csv_cell, show, write_rows
from ingest.terminal import cell
from store.dburl import is_server
from store.readonly import (
    DEFAULT_ROW_CAP,
    DEFAULT_TIME_LIMIT,
    QueryError,
    QueryStream,
    ReadOnlyError,
    stream_query,
)

MAX_SQL_SECONDS = 24 * 3600.0


@app.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
def sql(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help='One SQL statement (reading only); "-" reads it from stdin.')
    ],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[
        int,
        typer.Option("--limit", min=0, help="At most this many rows; 0 for every row."),
    ] = DEFAULT_ROW_CAP,
    timeout: Annotated[
        float,
        typer.Option("--timeout", min=0.1, max=MAX_SQL_SECONDS, help="Seconds it may run."),
    ] = DEFAULT_TIME_LIMIT,
    format: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Run one SQL statement on a read-only connection; writes are refused.

    On PostgreSQL the statement runs in a read-only transaction (as the role
    papertrail_reader where the server has it) with the server's statement_timeout.

    Rows are written as they come (csv, jsonl); the statement is stopped after --timeout
    seconds or by Ctrl-C, and at most --limit rows are read. A statement starting with a
    "--" comment is taken as SQL, not as an option.

    Tables: documents, tables, cells, blocks, records; views: recommendations, actions,
    savings, rag_ratings, recommendation_register, overdue_recommendations, ...

    -p NAME VALUE (or --param NAME VALUE; repeatable) binds :NAME in the statement to
    VALUE, as sqlite-utils does: bound, never pasted into the SQL, so quotes are harmless.

    Example:

    \b
        papertrail sql "SELECT owner, count(*) FROM recommendations GROUP BY owner" --db council.db
        papertrail sql "SELECT ref, text FROM recommendations WHERE owner = :o" -p o "Head of HR"
        papertrail sql - --format csv < overdue.sql
    """
    params = _params(ctx.args)
    if query == "-":
        query = sys.stdin.read()
    run: Callable[..., AbstractContextManager[QueryStream]]
    if is_server(db):
        # a papertrail database, its schema up to date; psycopg alone runs the statement
        existing_db(db).dispose()
        from store.readonly_server import stream_query_server as run
    else:
        checked_db(db)  # a papertrail database, its schema up to date
        run = stream_query
    try:
        with run(db, query, limit, timeout, params) as stream:
            if format in ("csv", "jsonl"):
                with open_out(output) as fh:
                    write_stream(stream.columns, stream.rows, format, fh)
            else:
                rows = list(stream.rows)
                _sql_output(stream.columns, rows, format, output)
            capped = stream.capped
    except (ReadOnlyError, QueryError) as exc:
        fail(str(exc))
    if capped:
        Console(stderr=True).print(
            f"note: stopped at {limit:,} rows (--limit; 0 for every row)", markup=False
        )


def _params(args: list[str]) -> dict[str, str]:
    """``-p NAME VALUE`` pairs left over by the option parser (typer has no option taking
    two values more than once); anything else left over is an error."""
    params: dict[str, str] = {}
    rest = list(args)
    while rest:
        if rest[0] not in ("-p", "--param") or len(rest) < 3:
            fail(f"unexpected {rest[0]!r}: give -p NAME VALUE to bind a parameter", code=2)
        params[rest[1].lstrip(":")] = rest[2]
        rest = rest[3:]
    return params


def write_stream(
    columns: list[str], rows: Iterable[tuple[Any, ...]], fmt: str, fh: IO[str]
) -> None:
    """Rows to csv or jsonl one at a time, so no more than one is held."""
    if fmt == "jsonl":
        for row in rows:
            fh.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False) + "\n")
        return
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])


def _sql_output(
    columns: list[str], rows: list[tuple[Any, ...]], fmt: str, output: Path | None
) -> None:
    if fmt == "json":
        with open_out(output) as fh:
            write_rows([dict(zip(columns, r, strict=True)) for r in rows], fmt, fh, columns)
        return
    table = Table(title=f"{len(rows)} row{'s' * (len(rows) != 1)}", title_justify="left")
    for name in columns:
        table.add_column(cell(name))
    for row in rows:
        table.add_row(*(cell("" if v is None else str(v)) for v in row))
    show([table], output)
