"""Running analysts' own SQL on a connection that cannot change the database.

Two locks, each enough alone for the database file: it is opened read-only
(``mode=ro``) and ``PRAGMA query_only`` is on.  An authorizer also refuses ``ATTACH``
(a fresh file would be writable, and ``VACUUM INTO`` attaches one) and pragmas that set
something.  A refused statement raises ``ReadOnlyError`` naming what was refused.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
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


class ReadOnlyError(Exception):
    """A statement tried to change the database (or attach another); it was refused."""


class QueryError(Exception):
    """SQLite could not run the statement (syntax error, unknown table, ...)."""


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
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None)
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
        if action == sqlite3.SQLITE_PRAGMA and arg2 is not None:
            if (arg1 or "").lower() not in READ_PRAGMAS:
                refused.append(f"PRAGMA {arg1} = {arg2}")
                return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    return authorize


def run_query(path: str | Path, sql: str, limit: int | None = None) -> QueryResult:
    """The columns and rows ``sql`` returns (at most ``limit`` rows), read-only."""
    refused: list[str] = []
    with readonly_connection(path, refused) as conn:
        try:
            cursor = conn.execute(sql)
            rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
        except sqlite3.Warning as exc:  # e.g. two statements in one string
            raise QueryError(str(exc)) from exc
        except sqlite3.Error as exc:
            if refused or _is_write_error(exc):
                what = refused[0] if refused else _verb(sql)
                raise ReadOnlyError(f"read-only database: {what} refused") from exc
            raise QueryError(str(exc)) from exc
        columns = [d[0] for d in cursor.description or []]
    return QueryResult(columns, [tuple(r) for r in rows])


def _is_write_error(exc: sqlite3.Error) -> bool:
    message = str(exc).lower()
    return "readonly" in message or "read-only" in message or "query_only" in message


def _verb(sql: str) -> str:
    words = sql.split()
    return words[0].upper() if words else "statement"
