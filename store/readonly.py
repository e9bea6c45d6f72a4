"""Running analysts' own SQL on a connection that cannot change the database.

Two locks, each enough alone for the database file: it is opened read-only
(``mode=ro``) and ``PRAGMA query_only`` is on.  An authorizer also refuses ``ATTACH``
(a fresh file would be writable, and ``VACUUM INTO`` attaches one), pragmas that set
something, and ``fts3_tokenizer`` (which can hand SQLite a pointer to call).  A refused
statement raises ``ReadOnlyError`` naming what was refused.

A statement has a time limit (checked inside SQLite by a progress handler, so a runaway
recursive CTE stops too), can be stopped with Ctrl-C the same way, and its rows are
streamed: at most ``limit`` of them, never all held at once.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Pragmas that take an argument yet only read; any other pragma given a value is refused.
READ_PRAGMAS = frozenset(
    {
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
        "foreign_key_list",
        "foreign_key_check",
        "integrity_check",
        "quick_check",
    }
)


def readonly_uri(path: str | Path) -> str:
    """The SQLite URI that opens ``path`` for reading only (never creating it). Kept here,
    with no SQLAlchemy import, so ``papertrail sql`` starts quickly.

    On a read-only mount (or a folder this user cannot write) SQLite cannot make the
    shared-memory file a WAL database needs even to be read: there the file is opened
    ``immutable``, which is true of it, so it reads without one."""
    resolved = Path(path).resolve()
    frozen = "&immutable=1" if not os.access(resolved.parent, os.W_OK) else ""
    return f"{resolved.as_uri()}?mode=ro{frozen}"


class ReadOnlyError(Exception):
    """A statement tried to change the database (or attach another); it was refused."""


class QueryError(Exception):
    """SQLite could not run the statement (syntax error, unknown table, ...)."""


class QueryStopped(QueryError):
    """The statement ran past its time limit, or Ctrl-C stopped it."""


DEFAULT_TIME_LIMIT = 10.0  # seconds
DEFAULT_ROW_CAP = 10_000
PROGRESS_STEPS = 20_000  # SQLite virtual-machine steps between checks of the clock
DENIED_FUNCTIONS = frozenset({"fts3_tokenizer", "load_extension", "readfile", "writefile"})


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@contextmanager
def readonly_connection(
    path: str | Path, refused: list[str] | None = None
) -> Iterator[sqlite3.Connection]:
    """A connection to ``path`` on which only reading is allowed; what it refuses is
    appended to ``refused``."""
    conn = sqlite3.connect(readonly_uri(path), uri=True, isolation_level=None)
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.set_authorizer(_authorizer([] if refused is None else refused))
        yield conn
    finally:
        conn.close()


def _authorizer(refused: list[str]) -> Any:
    # Writes to the file are stopped by mode=ro and query_only inside SQLite (which also
    # covers what full-text tables do internally); this stops what those do not cover.
    def authorize(action: int, arg1: str | None, arg2: str | None, *_: Any) -> int:
        if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
            refused.append("ATTACH" if action == sqlite3.SQLITE_ATTACH else "DETACH")
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
            refused.append(f"{arg2}()")
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_PRAGMA and arg2 is not None:
            if (arg1 or "").lower() not in READ_PRAGMAS:
                refused.append(f"PRAGMA {arg1} = {arg2}")
                return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    return authorize


@dataclass
class QueryStream:
    """A running statement: its columns, then its rows as they come (at most ``limit``);
    ``capped`` is set when rows were left unread because of the limit."""

    columns: list[str]
    rows: Iterator[tuple[Any, ...]]
    capped: bool = False


@dataclass
class _Guard:
    """What the progress handler checks: the deadline, and whether Ctrl-C was pressed."""

    deadline: float
    interrupted: threading.Event

    def __call__(self) -> int:
        return int(self.interrupted.is_set() or time.monotonic() > self.deadline)


@contextmanager
def stream_query(
    path: str | Path,
    sql: str,
    limit: int | None = DEFAULT_ROW_CAP,
    time_limit: float = DEFAULT_TIME_LIMIT,
    params: Mapping[str, Any] | None = None,
) -> Iterator[QueryStream]:
    """Run ``sql`` read-only, with named ``params`` bound; rows are fetched as the stream
    is read. ``limit`` None or 0: every row. Raises ``ReadOnlyError``, ``QueryError`` or
    ``QueryStopped``."""
    refused: list[str] = []
    guard = _Guard(time.monotonic() + time_limit, threading.Event())
    with readonly_connection(path, refused) as conn, _ctrl_c_sets(guard.interrupted):
        conn.set_progress_handler(guard, PROGRESS_STEPS)
        with _errors(sql, refused, guard, time_limit):
            cursor = conn.execute(sql, dict(params or {}))
        stream = QueryStream([d[0] for d in cursor.description or []], iter(()))
        stream.rows = capped_rows(
            cursor.fetchone, stream, limit or None, lambda: _errors(sql, refused, guard, time_limit)
        )
        yield stream


def capped_rows(
    fetch: Callable[[], Any],
    stream: QueryStream,
    limit: int | None,
    errors: Callable[[], AbstractContextManager[None]],
) -> Iterator[tuple[Any, ...]]:
    """The rows ``fetch`` gives one at a time (None: no more), each fetched under the
    driver's ``errors``; past ``limit`` rows the stream is marked ``capped`` and ends."""
    count = 0
    while True:
        with errors():
            row = fetch()
        if row is None:
            return
        if limit is not None and count >= limit:
            stream.capped = True
            return
        count += 1
        yield tuple(row)


@contextmanager
def _errors(sql: str, refused: list[str], guard: _Guard, time_limit: float) -> Iterator[None]:
    """SQLite's errors as this module's: refused, stopped, or the statement's own fault."""
    try:
        yield
    except sqlite3.Warning as exc:  # e.g. two statements in one string
        raise QueryError(str(exc)) from exc
    except sqlite3.Error as exc:
        if refused or _is_write_error(exc):
            what = refused[0] if refused else _verb(sql)
            raise ReadOnlyError(f"read-only database: {what} refused") from exc
        if "interrupt" in str(exc).lower() and guard.interrupted.is_set():
            raise QueryStopped("stopped by Ctrl-C") from exc
        if "interrupt" in str(exc).lower():
            raise QueryStopped(
                f"stopped after {time_limit:g} s (the time limit; see --timeout)"
            ) from exc
        raise QueryError(str(exc)) from exc


@contextmanager
def _ctrl_c_sets(flag: threading.Event) -> Iterator[None]:
    """While inside, Ctrl-C sets ``flag`` (which stops SQLite at its next check) instead
    of raising where the sqlite3 module would swallow it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, lambda *_: flag.set())
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if flag.is_set():
        raise KeyboardInterrupt


def run_query(
    path: str | Path,
    sql: str,
    limit: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> QueryResult:
    """The columns and rows ``sql`` returns (at most ``limit`` rows), read-only."""
    with stream_query(path, sql, limit, time_limit) as stream:
        return QueryResult(stream.columns, list(stream.rows))


def _is_write_error(exc: sqlite3.Error) -> bool:
    message = str(exc).lower()
    return "readonly" in message or "read-only" in message or "query_only" in message


def _verb(sql: str) -> str:
    words = sql.split()
    return words[0].upper() if words else "statement"


def check_schema(path: str | Path) -> None:
    """Refuse (``SchemaError``) a file that is not a papertrail database of this
    papertrail's schema revision, reading only and without loading SQLAlchemy."""
    from store.reader import open_reader

    open_reader(path).close()
