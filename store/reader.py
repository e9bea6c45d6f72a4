"""How read-only queries reach the database: ``open_reader`` opens the connection and
``rows`` runs one statement on it.

Every query of the reading commands (``store.queries``, ``store.register``,
``store.search``, ``store.export``, ``store.workbook``) is SQL text with ``:name``
parameters, run through ``rows``. That takes a plain ``sqlite3`` connection — what
``open_reader`` gives the query commands on an SQLite file, so ``recs`` or ``export``
start without loading SQLAlchemy (a good part of their start-up) — or a SQLAlchemy
``Connection``, as library users, scripts and the writer's own code hold, and as
``open_reader`` gives for a PostgreSQL URL (``store.dburl``): a read-only transaction
through psycopg, SQLAlchemy and psycopg loaded only then. Where the SQL of a query
differs between the two (full-text search, JSON functions, due dates, case-insensitive
``LIKE``), its module keeps both versions side by side and picks by ``dialect(conn)``.
Standard library only.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from store.dburl import is_server, sqlite_path
from store.readonly import readonly_uri
from store.revisions import head_revision, schema_problem

# A sqlite3.Connection, or a SQLAlchemy Connection or Engine (not named here: importing
# SQLAlchemy to name a type is the cost this module exists to avoid).
Connectable = Any
BATCH = 500  # rows fetched at a time, so memory stays flat however big the answer


def _busy_timeout() -> float:
    """Seconds a connection waits for another's lock before giving up with one line:
    ``$PAPERTRAIL_BUSY_TIMEOUT``, else 30."""
    try:
        value = float(os.environ.get("PAPERTRAIL_BUSY_TIMEOUT", "30"))
    except ValueError:
        return 30.0
    return value if 0 <= value <= 24 * 3600 else 30.0


BUSY_TIMEOUT = _busy_timeout()


def open_reader(db: str | Path) -> Connectable:
    """A connection to the papertrail database ``db`` that can only read (the caller
    closes it with ``close_reader``).

    An SQLite file (a path or ``sqlite:///PATH``): a plain ``sqlite3`` connection, opened
    ``mode=ro`` (never created, migrated or switched to WAL) with ``query_only`` on,
    waiting out a writer's lock as writers do. A PostgreSQL URL: a SQLAlchemy
    ``Connection`` (``store.database.open_readonly``) whose every transaction is read-only.
    Raises ``SchemaError`` (``OutOfDateError``: run ``papertrail migrate``) when the
    database is not one of this papertrail's schema, and the driver's error
    (``sqlite3.Error``, ``sqlalchemy.exc.DBAPIError``) when it is no database at all."""
    if is_server(db):
        return _open_server_reader(str(db))
    conn = sqlite3.connect(readonly_uri(sqlite_path(db)), uri=True, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
        conn.execute("PRAGMA query_only=ON")
        check_revision(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _open_server_reader(url: str) -> Connectable:
    # SQLAlchemy (and psycopg) are loaded here only: a PostgreSQL database is reached
    # through them, with the engine's read-only session settings and schema check.
    from store.database import open_readonly

    engine = open_readonly(url)  # every session's transactions are read-only already
    try:
        # and this connection's, whatever the server's defaults (BEGIN ... READ ONLY)
        return engine.connect().execution_options(postgresql_readonly=True)
    except BaseException:
        engine.dispose()
        raise


def close_reader(conn: Connectable) -> None:
    """Close what ``open_reader`` opened (for a server, its engine's pool too)."""
    conn.close()
    engine = None if isinstance(conn, sqlite3.Connection) else getattr(conn, "engine", None)
    if engine is not None:
        engine.dispose()


def dialect(conn: Connectable) -> str:
    """``sqlite`` or ``postgresql``: which SQL ``conn`` (a connection of either kind, or
    an Engine) takes."""
    if isinstance(conn, sqlite3.Connection):
        return "sqlite"
    return str(conn.dialect.name)


# SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's ILIKE is the same test
LIKE = {"sqlite": "LIKE", "postgresql": "ILIKE"}


def json_value(raw: Any) -> Any:
    """A JSON column's value: SQLite gives the stored text, psycopg the decoded value."""
    return json.loads(raw) if isinstance(raw, str) else raw


def check_revision(conn: sqlite3.Connection) -> None:
    """``SchemaError`` unless the database's schema revision is this papertrail's."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone() if has_table else None
    revision = row[0] if row else None
    if revision != head_revision():
        raise schema_problem(revision)


def rows(
    conn: Connectable, sql: str, params: Mapping[str, Any] | None = None
) -> Iterator[tuple[Any, ...]]:
    """The rows ``sql`` gives, as tuples, fetched ``BATCH`` at a time. Errors are the
    driver's own (``sqlite3.Error``, ``psycopg.Error``), whichever kind of connection ran
    the statement (``query_errors`` names them)."""
    bound = dict(params or {})
    if isinstance(conn, sqlite3.Connection):
        cursor = conn.execute(sql, bound)
        while batch := cursor.fetchmany(BATCH):
            yield from batch
        return
    yield from _sqlalchemy_rows(conn, sql, bound)


def _sqlalchemy_rows(conn: Any, sql: str, bound: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    # Only reached with a SQLAlchemy connection in hand, so SQLAlchemy is loaded already.
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        # per statement: Connection.execution_options would set it on the connection (on
        # PostgreSQL every later statement would go through a server-side cursor)
        result = conn.execute(text(sql), bound, execution_options={"yield_per": BATCH})
        try:
            for row in result:
                yield tuple(row)
        finally:
            result.close()  # a caller that stops early (``scalar``) ends the cursor now
    except DBAPIError as exc:
        if isinstance(exc.orig, Exception):
            raise exc.orig from exc
        raise


def query_errors(conn: Connectable) -> tuple[type[Exception], ...]:
    """The driver errors ``rows`` raises on ``conn`` for a statement the database cannot
    run as written (a malformed full-text query, say): SQLite's ``OperationalError``,
    psycopg's ``OperationalError`` and ``ProgrammingError`` on PostgreSQL."""
    if dialect(conn) == "sqlite":
        return (sqlite3.OperationalError,)
    import psycopg

    return (psycopg.OperationalError, psycopg.ProgrammingError)


def scalar(conn: Connectable, sql: str, params: Mapping[str, Any] | None = None) -> Any:
    """The first column of the first row (None when there is no row)."""
    for row in rows(conn, sql, params):
        return row[0]
    return None


def in_list(name: str, values: Sequence[Any], params: dict[str, Any]) -> str:
    """``(:name0, :name1, ...)`` for an ``IN`` test, the values bound in ``params``."""
    names = [f"{name}{i}" for i in range(len(values))]
    params.update(zip(names, values, strict=True))
    return "(" + ", ".join(f":{n}" for n in names) + ")"


@contextmanager
def connected(source: Connectable) -> Iterator[Connectable]:
    """A connection from ``source``: a SQLAlchemy Engine is connected (and closed after),
    a connection of either kind is used as it is."""
    if not isinstance(source, sqlite3.Connection) and hasattr(source, "connect"):
        with source.connect() as conn:
            yield conn
        return
    yield source
