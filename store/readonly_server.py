"""Analysts' own SQL on PostgreSQL: read-only, time-limited, streamed (``store.readonly``
does the same for an SQLite file, and raises the same errors).

Three locks, each enough alone for the tables: the session's transactions are read-only
(``default_transaction_read_only``, then ``BEGIN READ ONLY``); where the server has the
role ``READER`` (``store.database.upgrade`` makes it when allowed: no login, SELECT
only) the statement runs under it, so even a superuser's connection cannot write a file
with ``COPY ... TO`` or read one with ``pg_read_file``; and the statement is sent with
the extended protocol, which takes one statement only, so ``COMMIT; ...`` cannot end
the read-only transaction. The server stops the statement after the time limit
(``statement_timeout``); rows are read as they come (single-row mode).

Parameters are written ``:name`` as for SQLite (and sqlite-utils) and bound by psycopg.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Any

from store.dburl import READER, libpq_url
from store.readonly import (
    DEFAULT_ROW_CAP,
    DEFAULT_TIME_LIMIT,
    QueryError,
    QueryStopped,
    QueryStream,
    ReadOnlyError,
    capped_rows,
)

# Strings, quoted names, comments and dollar-quoted bodies are copied (their % doubled);
# a cast ``::`` is copied; ``:name`` outside them is a parameter; a bare % is doubled.
_TOKENS = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|\$(?P<tag>\w*)\$.*?\$(?P=tag)\$"""
    r"|::|:(?P<name>[A-Za-z_]\w*)|%",
    re.S,
)


def to_pyformat(sql: str, names: Mapping[str, Any]) -> str:
    """``sql`` with each ``:name`` as psycopg's ``%(name)s`` and every other ``%``
    doubled, so psycopg passes it on as written; ``QueryError`` for a ``:name`` that
    ``names`` has no value for (as SQLite refuses it)."""

    def swap(match: re.Match[str]) -> str:
        name = match.group("name")
        if name is not None:
            if name not in names:
                raise QueryError(f"no value for the parameter :{name} (give -p {name} VALUE)")
            return f"%({name})s"
        return match.group().replace("%", "%%")

    return _TOKENS.sub(swap, sql)


@contextmanager
def stream_query_server(
    url: str | Path,
    sql: str,
    limit: int | None = DEFAULT_ROW_CAP,
    time_limit: float = DEFAULT_TIME_LIMIT,
    params: Mapping[str, Any] | None = None,
) -> Iterator[QueryStream]:
    """``store.readonly.stream_query`` on the PostgreSQL database at ``url``."""
    import psycopg

    timeout_ms = max(int(time_limit * 1000), 1)
    options = f"-c default_transaction_read_only=on -c statement_timeout={timeout_ms}"
    try:
        conn = psycopg.connect(libpq_url(str(url)), options=options, application_name="papertrail")
    except psycopg.Error as exc:
        raise QueryError(f"cannot connect: {exc}") from exc
    try:
        conn.execute("BEGIN READ ONLY")
        _become_reader(conn)
        cursor = conn.cursor(binary=True)
        bound = dict(params or {})
        with _errors(sql, time_limit):
            rows = cursor.stream(to_pyformat(sql, bound), bound)
            first = next(rows, None)
        columns = [d.name for d in cursor.description or []]
        stream = QueryStream(columns, iter(()))
        ahead = iter(()) if first is None else chain([first], rows)
        stream.rows = capped_rows(
            lambda: next(ahead, None), stream, limit or None, lambda: _errors(sql, time_limit)
        )
        yield stream
    finally:
        conn.close()


def _become_reader(conn: Any) -> None:
    """Run as ``READER`` where it exists and this login may use it."""
    usable = conn.execute(
        "SELECT 1 FROM pg_roles WHERE rolname = %s AND pg_has_role(current_user, oid, 'MEMBER')",
        (READER,),
    ).fetchone()
    if usable:
        conn.execute(f"SET LOCAL ROLE {READER}")


@contextmanager
def _errors(sql: str, time_limit: float) -> Iterator[None]:
    """psycopg's errors as ``store.readonly``'s: refused, stopped, or the statement's own."""
    import psycopg
    from psycopg import errors

    try:
        yield
    except (errors.ReadOnlySqlTransaction, errors.InsufficientPrivilege) as exc:
        words = sql.split()
        raise ReadOnlyError(
            f"read-only database: {words[0].upper() if words else 'statement'} refused"
        ) from exc
    except errors.QueryCanceled as exc:
        if "statement timeout" in str(exc):
            raise QueryStopped(
                f"stopped after {time_limit:g} s (the time limit; see --timeout)"
            ) from exc
        raise QueryStopped("stopped by Ctrl-C") from exc
    except psycopg.Error as exc:
        raise QueryError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
