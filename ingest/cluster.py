"""Parsing on a Dask distributed cluster (``ingest --cluster``): the same work as the
local worker pool, run where the cluster's workers are.

``DaskPool`` has the pool's interface (``has_room``, ``submit``, ``collect``), so the
batch runs unchanged: this process plans (skipping files already stored), sends the
files to the cluster in batches, a task each, takes results back as the batches
complete (``distributed.as_completed``) and stores them — in input order, so the
database is the one a local run makes — as the only writer.

Each task is pure (the files' paths and planned hashes in, their rows or failures out),
so Dask may run it again: when a worker dies, the scheduler gives its tasks to another.
On the worker each file of a batch is parsed on its own by ``ingest.workers.WorkerPool``
of one process, kept for the worker's life: the per-document time limit and memory
ceiling hold there exactly as in a local run, and a document that hangs or balloons
kills only that child process. Files are read by the workers, so their paths must be
the same there (a shared folder), or be URLs the workers can open (``ingest.remote``).

``--cluster local:N`` starts N single-threaded worker processes and a scheduler on this
machine for the batch (``local_cluster``); ``--cluster tcp://host:8786`` uses a running
scheduler.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ingest.failures import WORKER_DIED, naming_file
from ingest.files import AnyPath, locate
from ingest.limits import Limits
from ingest.remote import RemoteFile
from ingest.workers import QUICK_BYTES, Failed, Reply, WorkerPool, file_bytes, parse_in_order
from parsers.options import DEFAULT_OPTIONS, ParseOptions

_LOCAL = re.compile(r"^local:(\d+)$")
P = TypeVar("P")
Task = tuple[AnyPath, str] | None  # a file to parse and its planned hash, or nothing


class ClusterError(Exception):
    """``--cluster`` names no usable cluster (malformed, unreachable, or Dask missing)."""


def check_address(address: str) -> str:
    """``address`` if ``--cluster`` can use it: ``local:N`` (N >= 1) or a scheduler URL."""
    local = _LOCAL.match(address)
    if local:
        if int(local.group(1)) < 1:
            raise ClusterError("--cluster local:N needs at least one worker")
        return address
    if re.match(r"^(tcp|tls|ucx|inproc)://\S+$", address):
        return address
    raise ClusterError(f"--cluster {address}: give local:N or a scheduler as tcp://host:8786")


# ---------------------------------------------------------------- on the worker

_POOLS = threading.local()  # per worker thread: its parser process, by limits and options


def _allow_children() -> None:
    """Dask's worker processes are daemonic, which multiprocessing refuses to let start
    children, lest they outlive it. Ours cannot: each parser process watches the process
    that started it and exits within a second of it going (``ingest.workers``)."""
    process: Any = multiprocessing.current_process()
    process._config["daemon"] = False


def parse_batch(
    files: tuple[tuple[str, str], ...], limits: Limits, options: ParseOptions = DEFAULT_OPTIONS
) -> list[Reply]:
    """Parse files on a cluster worker, each within ``limits``: their replies, in order (a
    task: pure, may be rerun).

    Each file is its own task for the parser process, so one that runs out of time or
    memory stops alone and the rest of the batch goes on in a fresh process. The planned
    hash is not read here: it is part of the task so that a file whose bytes changed is
    a different task to Dask, never an old result reused."""
    pools: dict[tuple[Limits, ParseOptions], WorkerPool] = _POOLS.__dict__.setdefault("by", {})
    pool = pools.get((limits, options))
    if pool is None:
        _allow_children()
        pool = pools[(limits, options)] = WorkerPool(1, limits, options)
    tasks = ((i, (locate(path), sha256)) for i, (path, sha256) in enumerate(files))
    return [reply for _i, reply in parse_in_order(tasks, pool, pool.capacity) if reply is not None]


# ---------------------------------------------------------------- on the writer

# Files per task: Dask costs about 15 ms of CPU per task (scheduler, client and worker
# together), as much as parsing a short paper, so small files travel in batches. Batches
# shrink as the end nears (``remaining // (TASKS_PER_THREAD * threads)``), so no worker is
# left with a long batch while the others have nothing (``DaskPool.batch_size``). A batch
# also holds at most ``QUICK_BYTES`` of local files, about a second of parsing, sixty times
# a task's cost; a bigger file travels alone. Counted in files only, five real council
# papers went in one task, the slowest (17 s) among them, and two workers were 1.45x one.
MAX_BATCH = 16
TASKS_PER_THREAD = 2
# Files sent and not yet stored, at most, however big the cluster: replies are stored in
# input order, so while the first file of the window is parsed (up to --timeout) the
# replies of all the others wait in the writer's memory. On a big cluster batches are
# made smaller rather than that many more files held.
MAX_IN_FLIGHT = 1024
RECOUNT = 2.0  # seconds between asking the scheduler how many worker threads there are
# Dask settings for the processes of a ``local:N`` cluster, as environment variables (the
# way into the processes ``SubprocessCluster`` starts). Each Dask server wakes every 20 ms
# to time its own event loop, each worker every 10 ms to sample its task thread for a
# profile nobody here reads, and the nanny every 100 ms to weigh its worker: idle, a
# cluster of two used a tenth of a core (from /proc), CPU the parsers need; with these,
# 0.016 core. The limits that matter are ours, per document, in the parser processes.
# A worker is given a task only when it has none (saturation 1.0; Dask's default 1.1
# gives a worker of one thread a second task to queue, which waited behind a 17 s paper
# while the other worker was idle: 1.75x instead of 2x on real papers). Logs are kept
# to warnings: the scheduler's go to a pipe nobody reads until it fails.
LOCAL_CLUSTER_ENV = {
    "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0",
    "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "1s",
    "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",
    "DASK_DISTRIBUTED__WORKER__MEMORY__MONITOR_INTERVAL": "1s",
    "DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__INTERVAL": "2s",
    "DASK_DISTRIBUTED__SCHEDULER__WORK_STEALING": "False",
    "DASK_LOGGING__DISTRIBUTED": "warning",
}


@dataclass
class DaskPool:
    """``WorkerPool``'s interface over a Dask client: files go to the cluster in batches,
    replies come back as the batches complete."""

    client: Any  # distributed.Client
    limits: Limits = field(default_factory=Limits)
    options: ParseOptions = DEFAULT_OPTIONS
    total: int = 0  # files the batch may send, less those found stored (``counting``)
    depth: int = 2  # full batches queued per worker thread, as the local pool queues two
    _pending: dict[Any, list[tuple[int, str]]] = field(default_factory=dict)  # future -> files
    _batch: list[tuple[int, str, str]] = field(default_factory=list)  # key, path, sha256
    _batch_bytes: int = 0  # the local files' bytes in _batch
    _sent: int = 0  # files sent so far
    _size: int = 1
    _counted: float = -RECOUNT  # when _size was asked for
    _done: Any = None  # distributed.as_completed

    def __post_init__(self) -> None:
        from distributed import as_completed

        self._done = as_completed()

    @property
    def size(self) -> int:
        """Worker threads in the cluster (at least one: tasks wait for workers), as the
        scheduler said at most ``RECOUNT`` seconds ago: asking is a round trip to it."""
        now = time.monotonic()
        if now - self._counted >= RECOUNT:
            self._size = max(sum(self.client.nthreads().values()), 1)
            self._counted = now
        return self._size

    @property
    def batch_size(self) -> int:
        """Files for the next task: ``MAX_BATCH``, fewer on a cluster so big that
        ``MAX_IN_FLIGHT`` would not give each thread ``depth`` such batches, fewer again
        as the end nears."""
        threads = self.size
        most = max(min(MAX_BATCH, MAX_IN_FLIGHT // (self.depth * threads)), 1)
        return min(max((self.total - self._sent) // (TASKS_PER_THREAD * threads), 1), most)

    @property
    def capacity(self) -> int:
        """Files sent and not yet answered, at most."""
        return min(self.depth * self.size * MAX_BATCH, max(MAX_IN_FLIGHT, self.size))

    def has_room(self) -> bool:
        in_flight = sum(len(files) for files in self._pending.values())
        return in_flight + len(self._batch) < self.capacity

    def counting(self, items: Iterable[tuple[P, Task]]) -> Iterator[tuple[P, Task]]:
        """``items`` as they are, taking those that need no parsing (stored already, or
        failed before) off ``total``: a batch resumed with a few files left to parse
        sends them one or two a task, not all to one worker."""
        for item in items:
            if item[1] is None:
                self.total -= 1
            yield item

    def submit(self, key: int, path: AnyPath, sha256: str) -> None:
        where = path if isinstance(path, RemoteFile) else path.resolve()  # as workers see it
        size = file_bytes(path)
        if self._batch and self._batch_bytes + size > QUICK_BYTES:
            self._send(self._batch)
            self._batch, self._batch_bytes = [], 0
        self._batch.append((key, str(where), sha256))
        self._batch_bytes += size
        if len(self._batch) >= self.batch_size or self._batch_bytes >= QUICK_BYTES:
            self._send(self._batch)
            self._batch, self._batch_bytes = [], 0

    def _send(self, batch: list[tuple[int, str, str]]) -> None:
        from dask.base import tokenize

        files = tuple((path, sha256) for _key, path, sha256 in batch)
        future = self.client.submit(
            parse_batch, files, self.limits, self.options, pure=True,
            key=f"papertrail-parse-{tokenize(files, self.limits, self.options)}",
        )  # fmt: skip
        self._pending[future] = [(key, path) for key, path, _sha256 in batch]
        self._sent += len(batch)
        self._done.add(future)

    def collect(self, at_most: float | None = None) -> list[tuple[int, Reply]]:
        """Replies of the files whose batches completed so far, waiting up to ``at_most``
        seconds (five at most) for one if none has. A batch not yet full is sent first,
        shared among the threads: nothing more is coming to fill it before these replies
        are taken."""
        from distributed import wait

        share = max(-(-len(self._batch) // self.size), 1)  # nothing else is coming to fill it
        for start in range(0, len(self._batch), share):
            self._send(self._batch[start : start + share])
        self._batch, self._batch_bytes = [], 0
        if not self._pending:
            return []
        if not self._done.has_ready():
            timeout = 5.0 if at_most is None else max(min(at_most, 5.0), 0.01)
            try:
                wait(list(self._pending), timeout=timeout, return_when="FIRST_COMPLETED")
            except TimeoutError:
                pass
        replies: list[tuple[int, Reply]] = []
        for future in self._done.next_batch(block=False):
            files = self._pending.pop(future, None)
            if files is not None:
                replies += zip((key for key, _path in files), _replies(future, files), strict=True)
        return replies

    def close(self) -> None:
        for future in self._pending:
            future.cancel()
        self._pending.clear()
        self._batch = []

    def __enter__(self) -> DaskPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _replies(future: Any, files: list[tuple[int, str]]) -> list[Reply]:
    """The batch's replies; the files of a batch the cluster gave up on (its workers kept
    dying) fail, each named."""
    try:
        replies: list[Reply] = future.result()
    except Exception as exc:  # noqa: BLE001 - KilledWorker, or a worker-side error
        why = f"the cluster could not parse it ({type(exc).__name__}: {exc})"
        return [Failed(WORKER_DIED, naming_file(locate(path), why)) for _key, path in files]
    return replies


@contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """A cluster of ``workers`` single-threaded worker processes on this machine, its
    scheduler in a process of its own (``distributed``'s ``SubprocessCluster``).

    In this process the scheduler would share the interpreter with the client and the
    writer, each one's turn waiting for the others' (the GIL): replies were taken late
    and workers sat idle. ``SubprocessCluster`` is marked experimental in
    ``distributed``; it is Dask's own scheduler and nannies, each started as
    ``python -m dask spec``."""
    from distributed.deploy.subprocess import SubprocessCluster

    no_dashboard: Any = None  # typed as a str, but None is what turns the dashboard off
    with _environment(LOCAL_CLUSTER_ENV):  # the processes copy it as they start
        cluster = SubprocessCluster(
            n_workers=workers, threads_per_worker=1, dashboard_address=no_dashboard,
            silence_logs=40,
        )  # fmt: skip
    with cluster:
        yield cluster


@contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    """This process's environment with ``variables`` added, while the block runs."""
    before = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def connect(address: str) -> Iterator[Any]:
    """A Dask client on the cluster ``address`` names (``check_address``); a ``local:N``
    cluster is started for the batch and stopped after it."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError("--cluster needs Dask: pip install 'papertrail[dask]'") from exc
    check_address(address)
    local = _LOCAL.match(address)
    if local:
        with local_cluster(int(local.group(1))) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(address, timeout=30)
    except OSError as exc:
        raise ClusterError(f"--cluster {address}: cannot reach the scheduler ({exc})") from exc
    with client:
        yield client
