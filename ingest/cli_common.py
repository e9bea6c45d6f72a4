"""What every papertrail command shares: the typer app, the --db option, one-line errors."""

from __future__ import annotations

import re
import sqlite3
import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO, Annotated, NoReturn

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ingest.terminal import printable
from store.database import BUSY_TIMEOUT, SchemaError, open_database, open_readonly

# What SQLite says when the file is not (or no longer) a sound database.
_DAMAGED = re.compile(r"malformed|not a database|corrupt|disk image|file is encrypted")

app = typer.Typer(
    help="Turn committee papers (PDF, DOCX, HTML, text) into a database of tables and records.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

DEFAULT_DB = Path("papertrail.db")
DbOption = Annotated[Path, typer.Option("--db", help="SQLite database file.")]


def fail(message: str, code: int = 1) -> NoReturn:
    Console(stderr=True).print(
        f"error: {printable(message)}", markup=False, highlight=False, soft_wrap=True
    )
    raise typer.Exit(code)


OPENED: list[Path] = []  # the database this command opened, for ``database_problem``


def existing_db(db: Path, create: bool = False, write: bool = False) -> Engine:
    """Open the database: read-only unless the command writes (``write``, or ``create``
    to make a new one); reading commands never create, migrate or change a file."""
    if not create and not db.is_file():
        fail(f"{db}: no such database (run `papertrail ingest PATH --db {db}` first)")
    OPENED.append(db)
    try:
        return open_database(db) if create or write else open_readonly(db)
    except SchemaError as exc:
        fail(f"{db}: {exc}")
    except (SQLAlchemyError, sqlite3.Error) as exc:  # a missing folder, a damaged file
        fail(database_problem(db, exc))


def database_problem(db: Path | None, exc: BaseException) -> str:
    """One line for an SQLite failure: damaged (and how to recover), busy, or other."""
    inner = getattr(exc, "orig", None) or exc
    reason = str(inner).splitlines()[0] if str(inner) else type(inner).__name__
    where = f"{db}: " if db is not None else ""
    if isinstance(inner, sqlite3.DatabaseError) and _DAMAGED.search(reason):
        name = db or "DB"
        return (
            f"{where}the database file is damaged or not a database ({reason}); recover "
            f"what can be read with: sqlite3 {name} .recover | sqlite3 {name}.recovered"
        )
    if "locked" in reason or "busy" in reason:
        return (
            f"{where}the database is busy: another papertrail kept it locked for "
            f"{BUSY_TIMEOUT:g} s ({reason}); nothing was stored twice, run the command again"
        )
    return f"{where}database error ({reason})"


def sql_comment_as_argument(args: list[str]) -> list[str]:
    """``papertrail sql "-- note\nSELECT ..."``: a statement starting with a comment would
    be read as an unknown option; it is moved after ``--``, which ends the options. An
    option's name holds no whitespace, so only such a statement is moved."""
    if not args or args[0] != "sql" or "--" in args:
        return args
    statements = [a for a in args[1:] if a.startswith("--") and any(c.isspace() for c in a)]
    if len(statements) != 1:
        return args
    rest = list(args)
    rest.remove(statements[0])
    return [*rest, "--", statements[0]]


def run_main() -> None:
    """Run the command; an SQLite failure met anywhere (a database damaged half-way through
    an export, say) becomes one line and exit status 1 instead of a traceback."""
    try:
        app(args=sql_comment_as_argument(sys.argv[1:]), prog_name="papertrail")
    except (SQLAlchemyError, sqlite3.Error) as exc:
        line = f"error: {printable(database_problem(OPENED[-1] if OPENED else None, exc))}"
        Console(stderr=True).print(line, markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)


def check_writable(output: Path, option: str) -> None:
    """Fail now, with one line, if ``output`` cannot be a file: before the work, not after."""
    if output.is_dir():
        fail(f"{option} {output}: is a folder; give a file name", code=2)
    if not output.parent.is_dir():
        fail(f"{option} {output}: no such folder {output.parent}", code=2)


def open_out(output: Path | None) -> AbstractContextManager[IO[str]]:
    """stdout, or ``output`` opened for writing; one line (not a traceback) if it cannot be."""
    if output is None:
        return nullcontext(sys.stdout)
    try:
        return output.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")
