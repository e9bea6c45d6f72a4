"""Parsing in worker processes, with a time limit and a memory ceiling per document.

The main process stays the only writer to the database: workers parse, normalise and
turn the document into the rows it becomes (``store.rows``), and send those back, so the
writer has nothing left to do but insert them. Each worker parses one file at
a time (with the next one queued); a worker whose file runs past the time limit is
killed and replaced, one that runs out of memory (its address space is capped with
``RLIMIT_AS``) reports it and is replaced, and one that dies any other way is reported
and replaced, its queued file going to the replacement. The batch goes on.

Workers are forked from a ``forkserver`` that has already imported the parsers and
normalisers, so a replacement starts in milliseconds and shares those pages; forking
the main process instead would copy the progress bar's thread and the open database.
"""

from __future__ import annotations

import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Protocol, TypeVar

from ingest.failures import OUT_OF_MEMORY, TIMEOUT, WORKER_DIED, error_kind, one_line
from ingest.files import AnyPath, locate, snapshot, source_path
from ingest.forkserver import CONTEXT
from ingest.limits import (  # noqa: F401 - known from here too
    DEFAULT_MAX_MEMORY,
    DEFAULT_TIMEOUT,
    MAX_MEMORY_MB,
    MAX_TIMEOUT,
    Limits,
)
from ingest.remote import RemoteFile
from parsers.options import DEFAULT_OPTIONS, ParseOptions
from store.rows import DocumentRows

CPU_GRACE = 5  # CPU seconds past the time limit before the kernel ends a worker itself
# A file smaller than this is quick to parse: about a second for a born-digital PDF
# (ICDAR-2013's reports: 4 s a MB), a few milliseconds for a web page. Only behind such a
# file does a worker hold the next one, and on Dask such files share a task: a file
# queued behind a long paper waits its whole parse while another worker may sit idle.
QUICK_BYTES = 256 * 1024

P = TypeVar("P")


@dataclass(frozen=True)
class Parsed:
    """A worker's answer for a file it read: the document's rows, ready to insert."""

    rows: DocumentRows


@dataclass(frozen=True)
class Failed:
    """A worker's answer for a file it could not read (or the pool's, for a stopped one)."""

    kind: str  # exception class name, or one of the kinds in ``ingest.failures``
    message: str  # one line, naming the file


Reply = Parsed | Failed


def parse_one(path: AnyPath, options: ParseOptions = DEFAULT_OPTIONS) -> Reply:
    """Parse and normalise one file; every failure becomes a ``Failed``.

    The file is read once, into a private copy, and the document keyed by the hash of
    those bytes (not of what the batch saw when planning: the file may have been
    rewritten since). Its records depend on this paper and the vocabulary files alone,
    never on papers stored before it, so how a batch is cut up changes nothing."""
    from normalise.records import normalise_document
    from parsers.registry import parse_file
    from store.rows import document_rows

    try:
        with snapshot(path) as (copy, sha256):
            doc = parse_file(copy, sha256, options)
        doc, records = normalise_document(doc)
        return Parsed(document_rows(doc, records, source_path(path)))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the worker
        return Failed(error_kind(exc), one_line(path, exc))


def _worker_main(
    conn: Connection, limits: Limits, main_pid: int, options: ParseOptions = DEFAULT_OPTIONS
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    # outside programs a parser runs (LibreOffice, Tesseract) are stopped within the limit
    options = replace(options, time_limit=limits.timeout)
    _exit_with_main(main_pid)
    _cap_memory(limits.max_memory)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the main process has gone
            return
        if task is None:
            return
        key, path, _planned_sha256 = task
        _cap_cpu(limits.timeout)
        reply = parse_one(locate(path), options)
        try:
            conn.send((key, reply))
        except (BrokenPipeError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - e.g. a reply that cannot be pickled
            conn.send((key, Failed(error_kind(exc), one_line(locate(path), exc))))
        if isinstance(reply, Failed) and reply.kind == OUT_OF_MEMORY:
            return  # the heap may be fragmented or half-built: start afresh


def _cap_memory(extra: int) -> None:
    """Let the address space grow by ``extra`` bytes beyond what the loaded libraries
    already take: past that, allocations fail with MemoryError instead of the machine
    swapping (a limit on the total would depend on which libraries are installed)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            current = int(fh.read().split()[0]) * resource.getpagesize()
    except OSError:  # not Linux: no reliable figure, so no cap (the time limit still holds)
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + extra if hard == resource.RLIM_INFINITY else min(current + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _cap_cpu(seconds: float) -> None:
    """Let the kernel end this worker (SIGXCPU) once the current file has used ``seconds``
    of CPU and a little more. The main process stops it at that wall-clock time anyway;
    this is for when the main process is gone (kill -9) and a file loops in code that
    never lets the watching thread run."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds) + CPU_GRACE
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    limit = soft if hard == resource.RLIM_INFINITY else min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))


def _exit_with_main(main_pid: int) -> None:
    """Exit within a second of the main process going, even in the middle of a file.

    Workers are children of the fork server, which itself lives as long as they do, so
    nothing else tells a worker still parsing that nobody wants its answer."""

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(main_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # the pid is someone else's now
                os._exit(1)

    threading.Thread(target=watch, name="watch-main", daemon=True).start()


_Task = tuple[int, str, str]  # key, path, sha256


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    tasks: deque[_Task] = field(default_factory=deque)  # sent, unanswered; the first is running
    started: float = 0.0  # when the first task began, as far as this process can tell


@dataclass
class WorkerPool:
    """``size`` worker processes, each parsing one file at a time.

    Each worker is sent up to ``DEPTH`` files at once so that it starts the next as soon
    as it sends a result, without waiting for this process to finish storing the last
    one. A task's clock starts when the worker's previous answer is read here, which can
    only be later than the real start: the time limit errs on the side of patience.
    """

    size: int
    limits: Limits = field(default_factory=Limits)
    options: ParseOptions = DEFAULT_OPTIONS  # how files are parsed (--ocr)
    _workers: list[_Worker] = field(default_factory=list)
    _bytes: dict[int, int] = field(default_factory=dict)  # task key -> its file's bytes

    DEPTH = 2

    def __post_init__(self) -> None:
        if self.size < 1:
            raise ValueError(f"need at least one worker, not {self.size}")
        self._workers = [self._start() for _ in range(self.size)]

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _start(self) -> _Worker:
        parent, child = CONTEXT.Pipe()
        process = CONTEXT.Process(
            target=_worker_main,
            args=(child, self.limits, os.getpid(), self.options),
            daemon=True,
        )
        process.start()
        child.close()  # so the parent sees EOF when the worker dies
        return _Worker(process, parent)

    @property
    def capacity(self) -> int:
        """Files sent and not yet answered, at most."""
        return self.DEPTH * self.size

    def has_room(self) -> bool:
        return any(self._takes_more(w) for w in self._workers)

    def _takes_more(self, worker: _Worker) -> bool:
        """Idle, or with only quick files (``QUICK_BYTES``) and fewer than ``DEPTH``."""
        return len(worker.tasks) < self.DEPTH and all(
            self._bytes.get(key, 0) < QUICK_BYTES for key, _path, _sha in worker.tasks
        )

    def submit(self, key: int, path: AnyPath, sha256: str) -> None:
        self._bytes[key] = file_bytes(path)
        free = [i for i in range(self.size) if self._takes_more(self._workers[i])]
        i = min(free or range(self.size), key=lambda i: len(self._workers[i].tasks))
        self._send(i, (key, str(path), sha256))

    def _send(self, i: int, task: _Task) -> None:
        try:
            self._workers[i].conn.send(task)
        except OSError:  # died while idle (killed from outside): a fresh one takes it
            self._replace(i)
            self._workers[i].conn.send(task)
        worker = self._workers[i]
        if not worker.tasks:
            worker.started = time.monotonic()
        worker.tasks.append(task)

    def collect(self, at_most: float | None = None) -> list[tuple[int, Reply]]:
        """Block until some work is done (or stopped), or for ``at_most`` seconds; the
        replies by task key."""
        busy = [w for w in self._workers if w.tasks]
        if not busy:
            return []
        first_deadline = min(w.started for w in busy) + self.limits.timeout
        timeout = min(max(first_deadline - time.monotonic(), 0.0), 5.0)
        if at_most is not None:
            timeout = max(min(timeout, at_most), 0.0)
        wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
        done: list[tuple[int, Reply]] = []
        for i, worker in enumerate(self._workers):
            replies = self._answers(worker)
            done += replies
            if replies and _stopped(replies[-1][1]):
                self._replace(i)
        return done

    def _answers(self, worker: _Worker) -> list[tuple[int, Reply]]:
        """What the worker has sent, and a failure for its current task when it has
        died or run out of time."""
        done: list[tuple[int, Reply]] = []
        try:
            while worker.tasks and worker.conn.poll():
                key, reply = worker.conn.recv()
                if key != worker.tasks[0][0]:
                    break
                worker.tasks.popleft()
                self._bytes.pop(key, None)
                worker.started = time.monotonic()
                done.append((key, reply))
                if _stopped(reply):
                    return done
        except (EOFError, OSError):
            pass
        stopped = self._stop_reason(worker)
        if stopped is not None:
            key = worker.tasks.popleft()[0]
            self._bytes.pop(key, None)
            done.append((key, stopped))
        return done

    def _stop_reason(self, worker: _Worker) -> Failed | None:
        """Why the worker's current task has to be given up, if it has."""
        if not worker.tasks:
            return None
        path = worker.tasks[0][1]
        if not worker.process.is_alive():
            worker.process.join(1.0)
            reason = _exit_reason(worker.process.exitcode)
            return Failed(WORKER_DIED, f"{path}: the parser process died ({reason}); stopped")
        if time.monotonic() - worker.started > self.limits.timeout:
            limit = f"{self.limits.timeout:g} s"
            return Failed(TIMEOUT, f"{path}: still parsing after {limit} (see --timeout); stopped")
        return None

    def _replace(self, i: int) -> None:
        """A fresh worker in place of worker ``i``, given the files it had not begun."""
        old = self._workers[i]
        _kill(old)
        self._workers[i] = self._start()
        for task in old.tasks:
            self._send(i, task)

    def close(self) -> None:
        for worker in self._workers:
            if not worker.tasks:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        for worker in self._workers:
            worker.process.join(0 if worker.tasks else 2.0)
            _kill(worker)
        self._workers = []


def file_bytes(path: AnyPath) -> int:
    """A local file's bytes; a remote one counts as none (asking is a round trip)."""
    if isinstance(path, RemoteFile):
        return 0
    try:
        return path.stat().st_size
    except OSError:  # gone since it was planned: its task will say so
        return 0


def _stopped(reply: Reply) -> bool:
    return isinstance(reply, Failed) and reply.kind in (TIMEOUT, WORKER_DIED, OUT_OF_MEMORY)


def _kill(worker: _Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join()
    worker.conn.close()
    worker.process.close()


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "did not exit"
    if code < 0:
        name = signal.Signals(-code).name
        return f"killed by {name}" + (", perhaps out of memory" if name == "SIGKILL" else "")
    return f"exit status {code}"


class Pool(Protocol):
    """Where files are parsed: ``WorkerPool`` here, ``ingest.cluster.DaskPool`` on Dask."""

    @property
    def capacity(self) -> int: ...

    def has_room(self) -> bool: ...

    def submit(self, key: int, path: AnyPath, sha256: str) -> None: ...

    def collect(self, at_most: float | None = None) -> list[tuple[int, Reply]]: ...


def parse_in_order(
    items: Iterable[tuple[P, tuple[AnyPath, str] | None]],
    pool: Pool,
    window: int,
    idle: Callable[[], float] | None = None,
) -> Iterator[tuple[P, Reply | None]]:
    """For each ``(payload, task)`` in order, ``(payload, reply)``: tasks ``(path, sha256)``
    go to the pool, ``None`` tasks pass straight through with a ``None`` reply.

    At most ``window`` items are read ahead of the one being yielded, so however long
    the input, only that many parsed documents are held at once. ``idle`` is called
    whenever the next reply is not ready yet, and says how many seconds it can wait to
    be called again (the writer commits from there while a long file is parsed).
    """
    queue: deque[int] = deque()  # keys of items read, in input order
    entries: dict[int, tuple[P, tuple[AnyPath, str] | None]] = {}
    replies: dict[int, Reply | None] = {}
    waiting: deque[int] = deque()  # keys not yet sent to a worker
    source = iter(items)
    for key in range(max(window, 1)):
        if not _read_one(source, key, entries, queue, waiting, replies):
            break
    while queue:
        while waiting and pool.has_room():
            key = waiting.popleft()
            task = entries[key][1]
            assert task is not None
            pool.submit(key, *task)
        if queue[0] not in replies:
            replies.update(pool.collect(idle() if idle else None))
            continue
        key = queue.popleft()
        yield entries.pop(key)[0], replies.pop(key)
        _read_one(source, key + max(window, 1), entries, queue, waiting, replies)


def _read_one(
    source: Iterator[tuple[P, tuple[AnyPath, str] | None]],
    key: int,
    entries: dict[int, tuple[P, tuple[AnyPath, str] | None]],
    queue: deque[int],
    waiting: deque[int],
    replies: dict[int, Reply | None],
) -> bool:
    item = next(source, None)
    if item is None:
        return False
    entries[key] = item
    queue.append(key)
    if item[1] is None:
        replies[key] = None
    else:
        waiting.append(key)
    return True


def default_workers() -> int:
    return os.cpu_count() or 1
