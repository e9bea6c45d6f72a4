"""What every papertrail command shares: the typer app, the --db option, one-line errors."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO, Annotated, NoReturn

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ingest.terminal import printable
from store.database import SchemaError, open_database

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


def existing_db(db: Path, create: bool = False) -> Engine:
    """Open the database; reading commands never create one."""
    if not create and not db.is_file():
        fail(f"{db}: no such database (run `papertrail ingest PATH --db {db}` first)")
    try:
        return open_database(db)
    except SchemaError as exc:
        fail(f"{db}: {exc}")
    except SQLAlchemyError as exc:  # e.g. a folder that does not exist, a file not SQLite
        fail(f"{db}: cannot open database ({getattr(exc, 'orig', None) or exc})")


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
