"""How read-only queries reach the database: ``open_reader`` opens the connection and
``rows`` runs one statement on it.

Every query of the reading commands (``store.queries``, ``store.register``,
``store.search``, ``store.export``, ``store.workbook``) is SQL text with ``:name``
parameters, run through ``rows``. That takes a plain ``sqlite3`` connection — what
``open_reader`` gives the query commands, so ``recs`` or ``export`` start without loading
SQLAlchemy (a good part of their start-up) — or a SQLAlchemy ``Connection``, as library
users, scripts and the writer's own code hold. A database of another kind is one more
branch here (its connection in ``open_reader``, its driver's errors in ``rows``), not a
change to every query. Standard library only.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


def open_reader(path: str | Path) -> sqlite3.Connection:
    """A connection to the papertrail database at ``path`` that can only read (the caller
    closes it): opened ``mode=ro`` (never created, migrated or switched to WAL) with
    ``query_only`` on, waiting out a writer's lock as writers do. Raises ``SchemaError``
    (``OutOfDateError``: run ``papertrail migrate``) when the file is not a database of
    this papertrail's schema, and ``sqlite3.Error`` when it is no database at all."""
    conn = sqlite3.connect(readonly_uri(path), uri=True, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
        conn.execute("PRAGMA query_only=ON")
        check_revision(conn)
    except BaseException:
        conn.close()
        raise
    return conn


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
    driver's own (``sqlite3.Error``), whichever kind of connection ran the statement."""
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
        # per statement: Connection.execution_options would set it on the connection
        result = conn.execute(text(sql), bound, execution_options={"yield_per": BATCH})
        for row in result:
            yield tuple(row)
    except DBAPIError as exc:
        if isinstance(exc.orig, Exception):
            raise exc.orig from exc
        raise


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
