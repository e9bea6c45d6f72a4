"""Storing one parsed document — its tables, cells, blocks and records — atomically.

``load_document`` writes everything of a document in one transaction: if any row fails
to insert, nothing of the document is stored.  Documents are keyed by the SHA-256 of
their bytes, so the same file ingested twice is stored once unless ``force`` replaces it.
The rows are made by ``store.rows`` (in a worker process, during a batch); ``store_rows``
only executes them, and adds the new rows' text to the full-text indexes itself (in
SQLite; PostgreSQL's GIN indexes keep themselves up to date).

On PostgreSQL several ingest processes may write to one database at once: the document
row goes in first with ``ON CONFLICT DO NOTHING``, so a writer storing bytes that
another has stored (or is storing: the insert waits for that transaction) yields to it
and reports a duplicate; the unique key on ``sha256`` makes a second copy impossible.
Rows go in with ``executemany``, which psycopg sends as one pipeline per table.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine
from sqlalchemy import Table as SqlTable

from normalise.record_types import ExportedRecord
from parsers.model import Document
from store.rows import (
    BLOCK_COLUMNS,
    CELL_COLUMNS,
    DOCUMENT_COLUMNS,
    RECORD_COLUMNS,
    TABLE_COLUMNS,
    DocumentRows,
    StoreError,
    document_rows,
)
from store.schema import blocks, cells, documents, records, tables

LoadStatus = Literal["stored", "replaced", "duplicate"]


def insert_sql(table: SqlTable, columns: Sequence[str]) -> str:
    """A positional INSERT into ``table``; the names are checked against the schema."""
    names = ", ".join(table.c[c].name for c in columns)
    return f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))})"


# Built here, in the writer, not in ``store.rows``: the workers that make the rows then
# never import SQLAlchemy (a fifth of a second off every batch's start).
INSERT_DOCUMENT = insert_sql(documents, DOCUMENT_COLUMNS)
INSERT_TABLE = insert_sql(tables, TABLE_COLUMNS)
INSERT_CELLS = insert_sql(cells, CELL_COLUMNS)
INSERT_BLOCKS = insert_sql(blocks, BLOCK_COLUMNS)
INSERT_RECORDS = insert_sql(records, RECORD_COLUMNS)

# Plain SQL through the driver: per call, SQLAlchemy's statement compilation and result
# handling cost more than these indexed look-ups themselves, once per file and document.
FIND_DOCUMENT = f"SELECT doc_id FROM {documents.name} WHERE sha256 = ?"
STORED_AS = f"SELECT doc_id, sha256 FROM {documents.name} WHERE sha256 = ? OR doc_id = ?"
DELETE_DOCUMENT = f"DELETE FROM {documents.name} WHERE sha256 = ?"
# The tables with a full-text index ``<table>_fts`` over their ``text`` column.
INDEXED = tuple(t.name for t in (cells, blocks, records))
LAST_ID = {t: f"SELECT coalesce(max(id), 0) FROM {t}" for t in INDEXED}
# One statement per table and document rather than a trigger per row: FTS5 takes a whole
# set of rows three times faster, and the single writer's CPU is the batch's bottleneck.
# Deleting still goes through triggers (migration 0005), since it is rare.
INDEX_NEW = {
    t: f"INSERT INTO {t}_fts(rowid, text) SELECT id, text FROM {t} WHERE id > ?" for t in INDEXED
}


# The same statements for psycopg, whose placeholder is %s; the document row yields to
# another writer's, and each table row hands back its new id.
SERVER = {
    sql: sql.replace("?", "%s")
    for sql in (FIND_DOCUMENT, STORED_AS, DELETE_DOCUMENT, INSERT_CELLS, INSERT_BLOCKS,
                INSERT_RECORDS)
}  # fmt: skip
INSERT_DOCUMENT_SERVER = INSERT_DOCUMENT.replace("?", "%s") + " ON CONFLICT DO NOTHING RETURNING 1"
INSERT_TABLE_SERVER = INSERT_TABLE.replace("?", "%s") + " RETURNING id"


@dataclass(frozen=True)
class LoadResult:
    """What ``load_document`` did with one document."""

    doc_id: str
    status: LoadStatus
    tables: int = 0
    pages: int | None = None
    records: Counter[str] = field(default_factory=Counter)  # by record type


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def find_document(conn: Connection, sha256: str) -> str | None:
    """The doc_id stored for these bytes, or None."""
    found = conn.exec_driver_sql(FIND_DOCUMENT, (sha256,)).scalar_one_or_none()
    return None if found is None else str(found)


def load_document(
    engine: Engine,
    doc: Document,
    records_: Sequence[ExportedRecord],
    *,
    force: bool = False,
    source_path: str | None = None,
) -> LoadResult:
    """Store ``doc`` and its contract records in one transaction.

    A document already stored with the same bytes is left alone and reported as a
    ``duplicate``; with ``force`` it is deleted (with everything hanging off it) and
    stored afresh.  Raises ``StoreError`` with nothing of the document stored.
    """
    return store_rows(engine, document_rows(doc, records_, source_path), force=force)


def store_rows(engine: Engine, rows: DocumentRows, *, force: bool = False) -> LoadResult:
    """``load_document`` for a document already turned into rows (``store.rows``)."""
    with Writer(engine) as writer:
        return writer.store(rows, force=force)


class TransactionLost(StoreError):
    """SQLite rolled back the whole transaction (disk full, I/O error): the documents
    stored in it since the last commit are gone too."""


class Writer:
    """Stores documents through one connection, several documents to a transaction.

    Each document goes in under its own savepoint, so one that fails leaves the others
    of its transaction alone; ``commit`` makes those stored so far durable and visible.
    A batch commits every half second or so (``due``): a commit per document cost the
    single writer a quarter of its time. Whatever was not committed when the process
    dies is simply absent, so each document is still either wholly stored or not at all.
    """

    def __init__(self, engine: Engine, group_seconds: float = 0.5, group_size: int = 100):
        self.group_seconds = group_seconds
        self.group_size = group_size
        self._connection = engine.raw_connection()
        self._db: Any = self._connection.driver_connection
        assert self._db is not None
        self._server = engine.dialect.name != "sqlite"
        self._error: type[Exception] = sqlite3.Error  # what the driver raises
        self._sql: Callable[[str], str] = lambda sql: sql
        if self._server:
            import psycopg

            self._error = psycopg.Error
            self._sql = SERVER.__getitem__
        self._cur = self._db.cursor()
        self._pending = 0  # documents stored since the last commit
        self._since = 0.0  # when the first of them was

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        try:
            if exc_type is None:
                self.commit()
            elif self._in_transaction():
                self._db.rollback()
        finally:
            self._connection.close()

    def _in_transaction(self) -> bool:
        if not self._server:
            return bool(self._db.in_transaction)
        from psycopg.pq import TransactionStatus

        status = self._db.info.transaction_status
        return status in (TransactionStatus.INTRANS, TransactionStatus.INERROR)

    @property
    def pending(self) -> int:
        return self._pending

    def find(self, sha256: str) -> str | None:
        """The doc_id stored for these bytes, counting documents not yet committed."""
        found = self._cur.execute(self._sql(FIND_DOCUMENT), (sha256,)).fetchone()
        return None if found is None else str(found[0])

    def due(self) -> bool:
        """Whether the documents stored since the last commit should be committed now."""
        return self._pending > 0 and (self._pending >= self.group_size or self.seconds_left() <= 0)

    def seconds_left(self) -> float:
        """How long the oldest uncommitted document may wait yet (inf if there is none)."""
        if not self._pending:
            return float("inf")
        return self._since + self.group_seconds - time.monotonic()

    def commit(self) -> None:
        if not self._in_transaction():
            self._pending = 0
            return
        try:
            self._db.commit()
        except self._error as exc:
            self._pending = 0
            raise TransactionLost(f"not stored: {type(exc).__name__}: {exc}") from exc
        self._pending = 0

    def store(self, rows: DocumentRows, *, force: bool = False) -> LoadResult:
        """Store one document (not yet committed); ``StoreError`` with none of it stored."""
        if not self._server and not self._in_transaction():
            self._cur.execute("BEGIN IMMEDIATE")  # the write lock now, not half-way
        self._cur.execute("SAVEPOINT document")
        try:
            if self._server:
                existing = self._insert_server(rows, force)
            else:
                existing = _replace_or_insert(self._cur, rows, force)
        except (self._error, StoreError) as exc:
            self._undo(exc)
            if isinstance(exc, StoreError) or is_busy(exc):
                raise  # locked out past the wait: the batch stops (``ingest.batch``)
            raise StoreError(f"not stored: {type(exc).__name__}: {exc}") from exc
        self._cur.execute("RELEASE document")
        if existing is not None and not force:
            self._end_if_empty()
            return LoadResult(existing, "duplicate")
        if not self._pending:
            self._since = time.monotonic()
        self._pending += 1
        status: LoadStatus = "replaced" if existing is not None else "stored"
        return LoadResult(rows.doc_id, status, len(rows.tables), rows.page_count, rows.counts)

    def _insert_server(self, rows: DocumentRows, force: bool) -> str | None:
        """``_replace_or_insert_server``; when two writers each wait for a document the
        other holds uncommitted, PostgreSQL stops one of them: that one commits what it
        has (so the other can finish) and tries the document again, once."""
        from psycopg.errors import DeadlockDetected

        try:
            return _replace_or_insert_server(self._cur, rows, force)
        except DeadlockDetected:
            self._cur.execute("ROLLBACK TO document")
            self.commit()
            self._cur.execute("SAVEPOINT document")
            return _replace_or_insert_server(self._cur, rows, force)

    def _end_if_empty(self) -> None:
        # nothing to keep: give the write lock back rather than hold it until ``due``
        if not self._pending and self._in_transaction():
            self._db.rollback()

    def _undo(self, exc: Exception) -> None:
        if self._in_transaction():
            self._cur.execute("ROLLBACK TO document")
            self._cur.execute("RELEASE document")
            self._end_if_empty()
            return
        lost, self._pending = self._pending, 0
        if lost:  # SQLite gave up the whole transaction, not only this document
            raise TransactionLost(
                f"not stored: {type(exc).__name__}: {exc} (and {lost} documents before it)"
            ) from exc


def _replace_or_insert(cur: sqlite3.Cursor, rows: DocumentRows, force: bool) -> str | None:
    """Store the document unless already there (or ``force``); the doc_id found before."""
    existing, taken = _stored_as(cur, rows)
    if _keep_stored(existing, taken, force, rows):
        return existing
    if existing is not None:
        cur.execute(DELETE_DOCUMENT, (rows.sha256,))  # rows cascade
    _insert(cur, rows)
    return existing


def _keep_stored(existing: str | None, taken: str | None, force: bool, rows: DocumentRows) -> bool:
    """Whether the document stored for these bytes stands (no ``force``); raises when
    this doc_id already names other bytes."""
    if existing is not None and not force:
        return True
    if taken is not None:
        raise StoreError(f"doc_id {rows.doc_id} already names a different file ({taken})")
    return False


def _stored_as(cur: sqlite3.Cursor, rows: DocumentRows) -> tuple[str | None, str | None]:
    """The doc_id stored for these bytes, and the sha256 of other bytes holding this doc_id."""
    return _stored_as_from(cur.execute(STORED_AS, (rows.sha256, rows.doc_id)).fetchall(), rows)


def _replace_or_insert_server(cur: Any, rows: DocumentRows, force: bool) -> str | None:
    """``_replace_or_insert`` on PostgreSQL, where another process may be storing the same
    bytes at this moment: its row wins, and this one is reported as the duplicate."""
    found = cur.execute(SERVER[STORED_AS], (rows.sha256, rows.doc_id)).fetchall()
    existing, taken = _stored_as_from(found, rows)
    if _keep_stored(existing, taken, force, rows):
        return existing
    if existing is not None:
        cur.execute(SERVER[DELETE_DOCUMENT], (rows.sha256,))  # rows cascade
    if cur.execute(INSERT_DOCUMENT_SERVER, (*rows.document, now_iso())).fetchone() is None:
        # another writer committed these bytes while this one waited on its insert
        found = cur.execute(SERVER[STORED_AS], (rows.sha256, rows.doc_id)).fetchall()
        winner, _ = _stored_as_from(found, rows)
        if winner is None:
            raise StoreError(f"doc_id {rows.doc_id} already names a different file")
        return winner
    if rows.tables:
        cur.executemany(INSERT_TABLE_SERVER, [t for t, _ in rows.tables], returning=True)
        ids = []
        while True:
            ids.append(cur.fetchone()[0])
            if not cur.nextset():
                break
        cell_rows = [(i, *c) for i, (_, cs) in zip(ids, rows.tables, strict=True) for c in cs]
        if cell_rows:
            cur.executemany(SERVER[INSERT_CELLS], cell_rows)
    for sql, values in ((INSERT_BLOCKS, rows.blocks), (INSERT_RECORDS, rows.records)):
        if values:
            cur.executemany(SERVER[sql], values)
    return existing


def _stored_as_from(
    found: Sequence[Sequence[Any]], rows: DocumentRows
) -> tuple[str | None, str | None]:
    existing = next((d for d, sha in found if sha == rows.sha256), None)
    taken = next((sha for d, sha in found if d == rows.doc_id and sha != rows.sha256), None)
    return existing, taken


def is_busy(exc: BaseException) -> bool:
    """Whether the driver's ``exc`` says another writer kept the database locked past the
    wait (SQLite's busy timeout, PostgreSQL's ``lock_timeout``)."""
    if isinstance(exc, StoreError):
        return False
    message = str(getattr(exc, "orig", None) or exc)
    return "locked" in message or "busy" in message or "lock timeout" in message


Executor = sqlite3.Cursor | sqlite3.Connection


def last_ids(db: Executor) -> dict[str, int]:
    """The highest row id of each full-text indexed table, before rows are added."""
    return {table: db.execute(sql).fetchone()[0] for table, sql in LAST_ID.items()}


def index_new_rows(db: Executor, last: dict[str, int]) -> None:
    """Add the rows inserted since ``last_ids`` to the full-text indexes (same transaction)."""
    for table, after in last.items():
        db.execute(INDEX_NEW[table], (after,))


def _insert(cur: sqlite3.Cursor, rows: DocumentRows) -> None:
    last = last_ids(cur)
    cur.execute(INSERT_DOCUMENT, (*rows.document, now_iso()))
    cell_rows = []
    for table, table_cells in rows.tables:
        table_id = cur.execute(INSERT_TABLE, table).lastrowid
        cell_rows += [(table_id, *cell) for cell in table_cells]
    for sql, values in ((INSERT_CELLS, cell_rows), (INSERT_BLOCKS, rows.blocks),
                        (INSERT_RECORDS, rows.records)):  # fmt: skip
        if values:
            cur.executemany(sql, values)
    index_new_rows(cur, last)
