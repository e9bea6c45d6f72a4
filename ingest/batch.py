"""The batch runner: files and folders in, documents in the database, a result out.

Worker processes parse and normalise (``ingest.workers``); this process is the only
writer, storing each document in one transaction, in input order, so the database is
the same whatever the number of workers and a batch killed half-way leaves every
document either fully stored or absent. Files already stored (same SHA-256) are skipped
before any parsing, which is what makes re-running a killed batch resume it. A file
that fails becomes one line naming it and the reason, and the batch goes on. Which
files are read, and how each is read once, is ``ingest.files``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from sqlalchemy import Engine

from ingest.failures import error_kind, naming_file, one_line
from ingest.files import AnyPath, Listed, database_files, file_sha256, list_files, locate
from ingest.workers import Failed, Limits, Reply, WorkerPool, default_workers, parse_in_order
from parsers.errors import PapertrailError
from parsers.options import OcrMode, ParseOptions
from store.database import open_database
from store.load import TransactionLost, Writer, is_busy
from store.series import ensure_series, refresh_series

if TYPE_CHECKING:
    from ingest.cluster import DaskPool

# Files read ahead of the one being stored, per worker, beyond those sent: results are
# stored in input order, so while a long paper at the head is parsed the other workers
# go on only as far as this (their results held here). With none beyond those sent, a
# worker sat idle for 2 s of a 35 s batch of real papers behind a 17 s one.
READ_AHEAD = 8

# naming_file and one_line are re-exported: callers know them from here.
__all__ = [
    "BatchResult",
    "FileOutcome",
    "expand_paths",
    "ingest_paths",
    "naming_file",
    "one_line",
    "store_reply",
]

Status = Literal["stored", "replaced", "duplicate", "error"]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file."""

    path: AnyPath
    status: Status
    doc_id: str | None = None
    message: str | None = None  # the one-line error for status "error"
    warnings: tuple[str, ...] = ()
    pages: int | None = None
    tables: int = 0
    records: Counter[str] = field(default_factory=Counter)
    kind: str | None = None  # for status "error": e.g. DamagedFileError, TimeoutError


@dataclass
class BatchResult:
    """Everything a batch did, for the summary and the exit code."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    elapsed: float = 0.0
    total: int = 0  # files the batch set out to read
    interrupted: bool = False  # stopped by Ctrl-C or SIGTERM before the end

    @property
    def left(self) -> int:
        """Files not yet dealt with (what running the same command again would do)."""
        return self.total - len(self.outcomes)

    def with_status(self, *statuses: Status) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in statuses]

    @property
    def stored(self) -> list[FileOutcome]:
        return self.with_status("stored", "replaced")

    @property
    def errors(self) -> list[str]:
        return [o.message or "" for o in self.with_status("error")]

    @property
    def warnings(self) -> list[str]:
        return [naming_file(o.path, w) for o in self.outcomes for w in o.warnings]

    @property
    def pages(self) -> int:
        return sum(o.pages or 0 for o in self.stored)

    @property
    def tables(self) -> int:
        return sum(o.tables for o in self.stored)

    @property
    def records(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for o in self.stored:
            total.update(o.records)
        return total

    @property
    def ok(self) -> bool:
        return not self.errors


class Progress(Protocol):
    """Told about the batch as it goes; the CLI draws a bar or prints lines."""

    def start(self, total: int) -> None: ...

    def file_started(self, path: AnyPath) -> None: ...

    def file_done(self, outcome: FileOutcome) -> None: ...


def expand_paths(paths: Iterable[AnyPath]) -> Iterator[AnyPath]:
    """Files named, and every file under folders named (recursively, sorted), once each;
    paths that cannot be tried are left out (``ingest.files.list_files`` gives them)."""
    return (item.path for item in list_files(paths) if item.error is None)


@dataclass(frozen=True)
class _Planned:
    """A file as seen before parsing: its hash, or already an outcome."""

    path: AnyPath
    sha256: str | None = None
    outcome: FileOutcome | None = None
    same_as: AnyPath | None = None  # earlier in this batch with the same bytes


Task = tuple[AnyPath, str] | None


def _plan(
    find: Callable[[str], str | None],
    files: Iterable[Listed],
    force: bool,
    progress: Progress | None,
) -> Iterator[tuple[_Planned, Task]]:
    """Each file with the parse it needs, if any: the hash is checked against the
    database (``find``) and the batch so far before any worker is bothered."""
    first_seen: dict[str, AnyPath] = {}
    for item in files:
        path = item.path
        if progress:
            progress.file_started(path)
        try:
            if item.error is not None:
                raise item.error
            sha = file_sha256(path)
            existing = None if force else find(sha)
        except (OSError, PapertrailError) as exc:
            failed = _error(path, error_kind(exc), one_line(path, exc))
            yield _Planned(path, outcome=failed), None
            continue
        if existing is not None:
            yield _Planned(path, sha, FileOutcome(path, "duplicate", existing)), None
        elif sha in first_seen:
            yield _Planned(path, sha, same_as=first_seen[sha]), None
        else:
            first_seen[sha] = path
            yield _Planned(path, sha), (path, sha)


def _error(path: AnyPath, kind: str, message: str) -> FileOutcome:
    return FileOutcome(path, "error", message=message, kind=kind)


def store_reply(writer: Writer, path: AnyPath, reply: Reply, force: bool) -> FileOutcome:
    """Store what a worker parsed (under its own savepoint), or pass its failure on.

    Raises ``TransactionLost`` when SQLite gave up the whole uncommitted group."""
    if isinstance(reply, Failed):
        return _error(path, reply.kind, reply.message)
    rows = reply.rows
    try:
        loaded = writer.store(rows, force=force)
    except TransactionLost:
        raise
    except Exception as exc:  # noqa: BLE001 - StoreError, or a record the store chokes on
        if is_busy(exc):
            raise  # another writer kept the lock past the wait: the batch stops, one line
        return _error(path, error_kind(exc), one_line(path, exc))
    if loaded.status == "duplicate":  # stored by another process since the check
        return FileOutcome(path, "duplicate", loaded.doc_id)
    return FileOutcome(
        path, loaded.status, loaded.doc_id, warnings=rows.warnings, pages=loaded.pages,
        tables=loaded.tables, records=loaded.records,
    )  # fmt: skip


def _same_bytes(planned: _Planned, earlier: FileOutcome) -> FileOutcome:
    if earlier.status != "error":
        return FileOutcome(planned.path, "duplicate", earlier.doc_id)
    return _error(planned.path, earlier.kind or "error",
                  f"{planned.path}: same bytes as {earlier.path}, which failed")  # fmt: skip


def ingest_paths(
    paths: Iterable[str | Path],
    db: str | Path | Engine,
    force: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
    limits: Limits | None = None,
    ocr: OcrMode = "auto",
    cluster: str | None = None,
) -> BatchResult:
    """Ingest every file in ``paths`` (folders recursively; fsspec URLs too, see
    ``ingest.remote``) into the database ``db``.

    ``workers`` parser processes (default: one per core) run with ``limits`` per
    document, ``ocr`` saying which PDF pages are read by OCR (``ParseOptions``); results
    are stored in input order by this process alone. With ``cluster`` (``local:N`` or a
    Dask scheduler's address, ``ingest.cluster``) the parsing runs there instead. As with
    any multiprocessing, a script calling this needs the ``if __name__ == "__main__":``
    guard, since worker processes import the main module.
    """
    t0 = time.perf_counter()
    engine = db if isinstance(db, Engine) else open_database(db)
    here = engine.url.database if engine.dialect.name == "sqlite" else None
    files = list(list_files((locate(p) for p in paths), database_files(here)))
    result = BatchResult(total=len(files))
    if progress:
        progress.start(len(files))
    size = min(workers or default_workers(), len(files))
    try:
        if size > 0:
            _run(engine, files, result, progress, force, size, limits or Limits(), ocr, cluster)
    except KeyboardInterrupt:
        # Ctrl-C (or SIGTERM, which the CLI turns into the same): the documents not yet
        # committed were rolled back with the writer, so each file is stored or absent,
        # and the result says what was committed; the next run picks up the rest.
        result.interrupted = True
    if result.interrupted:
        pass  # no regrouping now: the run that finishes the batch does it
    elif result.stored:
        refresh_series(engine)  # successive updates of one tracker are grouped as they arrive
    else:
        ensure_series(engine)  # one that found everything stored may finish a stopped one
    result.elapsed = time.perf_counter() - t0
    return result


def _run(
    engine: Engine,
    files: list[Listed],
    result: BatchResult,
    progress: Progress | None,
    force: bool,
    size: int,
    limits: Limits,
    ocr: OcrMode = "auto",
    cluster: str | None = None,
) -> None:
    options = ParseOptions(ocr=ocr)
    with ExitStack() as stack:
        pool: WorkerPool | DaskPool
        if cluster is None:
            pool = stack.enter_context(WorkerPool(size, limits, options))
        else:
            from ingest.cluster import DaskPool, connect

            client = stack.enter_context(connect(cluster))
            pool = stack.enter_context(DaskPool(client, limits, options, total=len(files)))
        writer = stack.enter_context(Writer(engine))
        outcomes = _Outcomes(writer, result, progress)
        planned = _plan(writer.find, files, force, progress)
        if not isinstance(pool, WorkerPool):
            planned = pool.counting(planned)  # its batches shrink with what is left to parse
        window = pool.capacity + 2 + READ_AHEAD * size
        for plan, reply in parse_in_order(planned, pool, window, outcomes.idle):
            outcomes.add(plan, reply, force)
        outcomes.settle()


@dataclass
class _Outcomes:
    """Files' outcomes, held until the documents stored are committed, then reported in
    input order: what the progress and the result say is stored, is."""

    writer: Writer
    result: BatchResult
    progress: Progress | None
    pending: list[FileOutcome] = field(default_factory=list)

    def add(self, plan: _Planned, reply: Reply | None, force: bool) -> None:
        try:
            self.pending.append(self._outcome(plan, reply, force))
        except TransactionLost as exc:
            self.pending = [_lost(o, exc) for o in self.pending]
            self.pending.append(_error(plan.path, error_kind(exc), one_line(plan.path, exc)))
        if self.writer.due():
            self.settle()

    def idle(self) -> float:
        """Called while waiting for a worker: commit what is due; how long until more is."""
        if self.writer.due():
            self.settle()
        return self.writer.seconds_left()

    def settle(self) -> None:
        try:
            self.writer.commit()
        except TransactionLost as exc:
            self.pending = [_lost(o, exc) for o in self.pending]
        for outcome in self.pending:
            self.result.outcomes.append(outcome)
            if self.progress:
                self.progress.file_done(outcome)
        self.pending = []

    def _outcome(self, plan: _Planned, reply: Reply | None, force: bool) -> FileOutcome:
        if plan.outcome is not None:
            return plan.outcome
        if plan.same_as is not None:
            done = [*self.result.outcomes, *self.pending]
            earlier = next(o for o in reversed(done) if o.path == plan.same_as)
            return _same_bytes(plan, earlier)
        assert reply is not None
        return store_reply(self.writer, plan.path, reply, force)


def _lost(outcome: FileOutcome, exc: TransactionLost) -> FileOutcome:
    """A document the failed transaction took with it is not stored after all."""
    if outcome.status not in ("stored", "replaced"):
        return outcome
    return _error(outcome.path, error_kind(exc), one_line(outcome.path, exc))
