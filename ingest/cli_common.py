"""What every papertrail command shares: the typer app, the --db option, one-line errors."""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console

from ingest.terminal import printable
from store.dburl import is_server, shown, sqlite_path

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from store.reader import Connectable

Opened = TypeVar("Opened")

# What SQLite says when the file is not (or no longer) a sound database.
_DAMAGED = re.compile(r"malformed|not a database|corrupt|disk image|file is encrypted")

# -h as well as --help, on every command and group (as most Unix tools accept).
HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    help="Turn committee papers (PDF, DOCX, HTML, text) into a database of tables and records.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings=HELP_OPTIONS,
)

DEFAULT_DB = "papertrail.db"
DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        metavar="FILE|URL",
        help="SQLite database file (or sqlite:///FILE), or a PostgreSQL database "
        "(postgresql://user@host/dbname; needs the postgres extra).",
    ),
]


def version() -> str:
    """The installed papertrail's version (from the package metadata, no import cost)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("papertrail")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _show_version(value: bool) -> None:
    if value:
        Console().print(f"papertrail {version()}", markup=False, highlight=False)
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Turn committee papers (PDF, DOCX, HTML, text) into a database of tables and records."""


def format_option(what: str = "Output format.") -> Any:
    """``--format``, annotated with a ``Literal`` of its values: ``--help`` lists them and
    any other value is refused (exit 2) before the command runs."""
    return typer.Option("--format", help=what)


def fail(message: str, code: int = 1) -> NoReturn:
    Console(stderr=True).print(
        f"error: {printable(message)}", markup=False, highlight=False, soft_wrap=True
    )
    raise typer.Exit(code)


OPENED: list[str] = []  # the database this command opened, for ``database_problem``


def existing_db(db: str | Path, create: bool = False, write: bool = False) -> Engine:
    """Open the database: read-only unless the command writes (``write``, or ``create``
    to make a new one); reading commands never create, migrate or change a file."""
    # imported here: SQLAlchemy (and Alembic, for writers) is a good part of a second to
    # load, which --help and --version should not pay
    from store.database import open_database, open_readonly

    db = str(db)
    if not create:
        _check_exists(db)
    return _opened(db, open_database if create or write else open_readonly)


@contextmanager
def reading(db: str | Path) -> Iterator[Connectable]:
    """The database for a query command (``recs``, ``search``, ``tables``, ``review``,
    ``export``), read-only and its schema checked, with ``existing_db``'s one-line errors;
    on SQLite a plain sqlite3 connection (``store.reader``), so SQLAlchemy is not loaded;
    on PostgreSQL a SQLAlchemy connection in a read-only transaction."""
    from store.reader import close_reader, open_reader

    db = str(db)
    _check_exists(db)
    conn = _opened(db, open_reader)
    try:
        yield conn
    finally:
        close_reader(conn)


def _check_exists(db: str) -> None:
    if not is_server(db) and not sqlite_path(db).is_file():
        fail(f"{db}: no such database (run `papertrail ingest PATH --db {db}` first)")


def _opened(db: str, opener: Callable[[str], Opened]) -> Opened:
    """``opener(db)``, its failures as one line: psycopg missing, a schema this
    papertrail cannot read, or the database's own error."""
    from store.revisions import SchemaError

    OPENED.append(db)
    try:
        return opener(db)
    except ModuleNotFoundError as exc:
        if exc.name != "psycopg":
            raise
        fail(f"{shown(db)}: PostgreSQL needs psycopg: pip install 'papertrail[postgres]'")
    except SchemaError as exc:
        fail(f"{shown(db)}: {exc}")
    except Exception as exc:  # a missing folder, a damaged file, a server not there
        if not is_database_error(exc):
            raise
        fail(database_problem(db, exc))


def checked_db(db: str | Path) -> Path:
    """``existing_db`` for commands that read with sqlite3 alone (``sql``): the same
    checks and one-line errors, without loading SQLAlchemy."""
    from store.readonly import check_schema
    from store.revisions import SchemaError

    db = sqlite_path(db)
    if not db.is_file():
        fail(f"{db}: no such database (run `papertrail ingest PATH --db {db}` first)")
    OPENED.append(str(db))
    try:
        check_schema(db)
    except SchemaError as exc:
        fail(f"{db}: {exc}")
    except sqlite3.Error as exc:
        fail(database_problem(db, exc))
    return db


def is_database_error(exc: BaseException) -> bool:
    """An SQLite, psycopg or SQLAlchemy failure (the last two are only looked at if they
    were loaded: otherwise none of their errors can have been raised)."""
    if isinstance(exc, sqlite3.Error):
        return True
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(exc, sa_exc.SQLAlchemyError):
        return True
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.Error)


def resolve_docs(source: Connectable, keys: Sequence[str] | None) -> list[str] | None:
    """The doc_ids that ``--doc`` options name (prefixes or file names); a key naming no
    document is an error (exit 1) rather than an empty answer. None when none given.
    ``source``: a connection (``reading``), or an Engine (``existing_db``)."""
    if not keys:
        return None
    from store.queries import match_documents
    from store.reader import connected

    found: list[str] = []
    with connected(source) as conn:
        for key in keys:
            ids = match_documents(conn, key)
            if not ids:
                fail(f"--doc {key}: no document with this doc_id (or prefix) or file name")
            found += [i for i in ids if i not in found]
    return found


def database_problem(db: str | Path | None, exc: BaseException) -> str:
    """One line for an SQLite failure: damaged (and how to recover), busy, or other."""
    from store.reader import BUSY_TIMEOUT

    inner = getattr(exc, "orig", None) or exc
    reason = str(inner).splitlines()[0] if str(inner) else type(inner).__name__
    where = f"{shown(db)}: " if db is not None else ""
    if isinstance(inner, sqlite3.DatabaseError) and _DAMAGED.search(reason):
        name = db or "DB"
        return (
            f"{where}the database file is damaged or not a database ({reason}); recover "
            f"what can be read with: sqlite3 {name} .recover | sqlite3 {name}.recovered"
        )
    if "locked" in reason or "busy" in reason or "lock timeout" in reason:
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
    except Exception as exc:
        if not is_database_error(exc):
            raise
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
