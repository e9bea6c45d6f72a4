"""Parsing on a Dask distributed cluster (``ingest --cluster``): the same tasks as the
local worker pool, run where the cluster's workers are.

``DaskPool`` has the pool's interface (``has_room``, ``submit``, ``collect``), so the
batch runs unchanged: this process plans (skipping files already stored), sends each
file to the cluster as a task, takes results back as they complete
(``distributed.as_completed``) and stores them — in input order, so the database is the
one a local run makes — as the only writer.

Each task is pure (the file's path and planned hash in, its rows or a failure out), so
Dask may run it again: when a worker dies, the scheduler gives its tasks to another. On
the worker a task is parsed by ``ingest.workers.WorkerPool`` of one process, kept for
the worker's life: the per-document time limit and memory ceiling hold there exactly as
in a local run, and a document that hangs or balloons kills only that child process.
Files are read by the workers, so their paths must be the same there (a shared folder).

``--cluster local:N`` starts a ``LocalCluster`` of N single-threaded worker processes on
this machine for the batch; ``--cluster tcp://host:8786`` uses a running scheduler.
"""

from __future__ import annotations

import multiprocessing
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.failures import WORKER_DIED
from ingest.limits import Limits
from ingest.workers import Failed, Reply, WorkerPool
from parsers.options import DEFAULT_OPTIONS, ParseOptions

_LOCAL = re.compile(r"^local:(\d+)$")


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


def parse_task(
    path: str, planned_sha256: str, limits: Limits, options: ParseOptions = DEFAULT_OPTIONS
) -> Reply:
    """Parse one file on a cluster worker, within ``limits`` (a task: pure, may be rerun).

    ``planned_sha256`` is not read here: it is part of the task so that a file whose
    bytes changed is a different task to Dask, never an old result reused."""
    pools: dict[tuple[Limits, ParseOptions], WorkerPool] = _POOLS.__dict__.setdefault("by", {})
    pool = pools.get((limits, options))
    if pool is None:
        _allow_children()
        pool = pools[(limits, options)] = WorkerPool(1, limits, options)
    pool.submit(0, Path(path), planned_sha256)
    while True:
        for _key, reply in pool.collect():
            return reply


# ---------------------------------------------------------------- on the writer


@dataclass
class DaskPool:
    """``WorkerPool``'s interface over a Dask client: tasks go to the cluster, replies come
    back as they complete."""

    client: Any  # distributed.Client
    limits: Limits = field(default_factory=Limits)
    options: ParseOptions = DEFAULT_OPTIONS
    depth: int = 2  # tasks queued per worker thread, as the local pool queues two
    _pending: dict[Any, int] = field(default_factory=dict)  # future -> task key
    _done: Any = None  # distributed.as_completed

    def __post_init__(self) -> None:
        from distributed import as_completed

        self._done = as_completed()

    @property
    def size(self) -> int:
        """Worker threads in the cluster now (at least one: tasks wait for workers)."""
        return max(sum(self.client.nthreads().values()), 1)

    def has_room(self) -> bool:
        return len(self._pending) < self.depth * self.size

    def submit(self, key: int, path: Path, sha256: str) -> None:
        future = self.client.submit(
            parse_task, str(path.resolve()), sha256, self.limits, self.options, pure=True,
            key=f"papertrail-parse-{sha256[:24]}",
        )  # fmt: skip
        self._pending[future] = key
        self._done.add(future)

    def collect(self, at_most: float | None = None) -> list[tuple[int, Reply]]:
        """Replies of the tasks completed so far, waiting up to ``at_most`` seconds (five
        at most) for one if none is."""
        from distributed import wait

        if not self._pending:
            return []
        if not self._done.has_ready():
            timeout = 5.0 if at_most is None else max(min(at_most, 5.0), 0.01)
            try:
                wait(list(self._pending), timeout=timeout, return_when="FIRST_COMPLETED")
            except TimeoutError:
                pass
        replies = []
        for future in self._done.next_batch(block=False):
            key = self._pending.pop(future, None)
            if key is not None:
                replies.append((key, _reply(future)))
        return replies

    def close(self) -> None:
        for future in self._pending:
            future.cancel()
        self._pending.clear()

    def __enter__(self) -> DaskPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _reply(future: Any) -> Reply:
    """The task's reply; a task the cluster gave up on (its workers kept dying) fails."""
    try:
        reply: Reply = future.result()
    except Exception as exc:  # noqa: BLE001 - KilledWorker, or a worker-side error
        return Failed(WORKER_DIED, f"the cluster could not parse it ({type(exc).__name__}: {exc})")
    return reply


@contextmanager
def connect(address: str) -> Iterator[Any]:
    """A Dask client on the cluster ``address`` names (``check_address``); a ``local:N``
    cluster is started for the batch and stopped after it."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterError("--cluster needs Dask: pip install 'papertrail[dask]'") from exc
    check_address(address)
    local = _LOCAL.match(address)
    if local:
        cluster = LocalCluster(
            n_workers=int(local.group(1)), threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=40,
        )  # fmt: skip
        with cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(address, timeout=30)
    except OSError as exc:
        raise ClusterError(f"--cluster {address}: cannot reach the scheduler ({exc})") from exc
    with client:
        yield client
