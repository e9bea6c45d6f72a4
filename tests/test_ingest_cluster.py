"""``ingest --cluster``: parsing as Dask distributed tasks on a real ``LocalCluster`` of two
worker processes — the same database as a local run, the limits holding on the workers,
and a worker killed mid-task without losing or doubling its documents."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PaperFactory
from test_ingest_workers import slow_text_paper
from typer.testing import CliRunner

from ingest.batch import ingest_paths
from ingest.cli import app
from ingest.cluster import DaskPool
from ingest.failures import WORKER_DIED
from ingest.workers import QUICK_BYTES, Limits
from store.database import open_readonly
from store.export import iter_records

distributed = pytest.importorskip("distributed", reason="Dask not installed: pip install '.[dask]'")

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A LocalCluster of two single-threaded worker processes; its scheduler's address."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        silence_logs=50,
    ) as local:  # fmt: skip
        yield local.scheduler_address


def exported(db: Path) -> list[dict[str, object]]:
    engine = open_readonly(db)
    with engine.connect() as conn:
        records = list(iter_records(conn))
    engine.dispose()
    return records


def numbered_papers(make_html_paper: PaperFactory, numbers: range) -> list[Path]:
    """Small web papers ``papers/p00.html``…, each of a meeting of its own."""
    return [
        make_html_paper(f"papers/p{i:02}.html", title=f"Audit Committee – {i + 1} May 2009")
        for i in numbers
    ]


def test_cluster_ingest_makes_the_database_a_local_run_makes(cluster: str, tmp_path: Path) -> None:
    on_cluster = ingest_paths([SAMPLES], tmp_path / "cluster.db", cluster=cluster)
    assert on_cluster.ok and len(on_cluster.stored) == 5
    local = ingest_paths([SAMPLES], tmp_path / "local.db", workers=1)
    assert exported(tmp_path / "cluster.db") == exported(tmp_path / "local.db")
    again = ingest_paths([SAMPLES], tmp_path / "cluster.db", cluster=cluster)
    assert [o.status for o in again.outcomes] == ["duplicate"] * 5  # resumes as a local run
    assert local.ok


def test_cluster_workers_open_a_url_themselves(cluster: str, tmp_path: Path) -> None:
    pytest.importorskip("fsspec", reason="fsspec not installed: pip install '.[remote]'")
    url = SAMPLES.as_uri() + "/"  # fsspec's file:// file system; S3: test_ingest_remote.py
    on_cluster = ingest_paths([url], tmp_path / "cluster.db", cluster=cluster)
    assert [str(o.path) for o in on_cluster.stored] == [
        url + name for name in sorted(p.name for p in SAMPLES.glob("*-*.*"))
    ]
    ingest_paths([SAMPLES], tmp_path / "local.db", workers=1)
    assert exported(tmp_path / "cluster.db") == exported(tmp_path / "local.db")


def test_time_limit_holds_on_cluster_workers(cluster: str, tmp_path: Path) -> None:
    slow = slow_text_paper(tmp_path / "slow.txt", rows=150_000)  # several seconds
    quick = SAMPLES / "osc-20090908-street-lighting-review.txt"
    result = ingest_paths([slow, quick], tmp_path / "p.db", cluster=cluster,
                          limits=Limits(timeout=1))  # fmt: skip
    stopped, stored = result.outcomes
    assert stopped.status == "error" and stopped.kind == "TimeoutError"
    assert "still parsing after 1 s" in (stopped.message or "")
    assert stored.status == "stored"


def test_small_files_travel_in_batches_and_are_stored_in_input_order(
    cluster: str, tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    papers = numbered_papers(make_html_paper, range(24))
    with distributed.Client(cluster) as client, distributed.get_task_stream(client) as stream:
        result = ingest_paths([tmp_path / "papers"], tmp_path / "cluster.db", cluster=cluster)
    tasks = {t["key"] for t in stream.data if "papertrail-parse" in str(t["key"])}
    assert [o.path for o in result.outcomes] == papers
    assert [o.status for o in result.outcomes] == ["stored"] * 24
    assert 1 < len(tasks) < 24
    ingest_paths([tmp_path / "papers"], tmp_path / "local.db", workers=2)
    assert exported(tmp_path / "cluster.db") == exported(tmp_path / "local.db")


def test_a_big_file_travels_alone_and_small_ones_share_a_task(
    cluster: str, tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    small = numbered_papers(make_html_paper, range(40))
    big = slow_text_paper(tmp_path / "papers/big.txt", rows=2_500)  # a task of its own
    assert big.stat().st_size > QUICK_BYTES
    files = [*small[:3], big, *small[3:]]
    with distributed.Client(cluster) as client:
        pool = DaskPool(client, total=len(files))
        for key, path in enumerate(files):
            pool.submit(key, path, "")
        tasks = [[key for key, _path in batch] for batch in pool._pending.values()]
        pool.close()
    assert tasks[:2] == [[0, 1, 2], [3]]  # the three before it go on without it
    assert len(tasks[2]) > 1  # and the small ones after it share tasks again


def test_a_resumed_batch_spreads_the_few_files_left_over_the_workers(
    cluster: str, tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    numbered_papers(make_html_paper, range(24))
    ingest_paths([tmp_path / "papers"], tmp_path / "p.db", cluster=cluster)
    new = numbered_papers(make_html_paper, range(24, 28))
    with distributed.Client(cluster) as client, distributed.get_task_stream(client) as stream:
        result = ingest_paths([tmp_path / "papers"], tmp_path / "p.db", cluster=cluster)
    tasks = {t["key"] for t in stream.data if "papertrail-parse" in str(t["key"])}
    assert [o.path for o in result.stored] == new
    assert len(tasks) >= 2  # not the four in one task, on one worker


def test_time_limit_stops_one_file_of_a_batch_alone(
    cluster: str, tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    slow = slow_text_paper(tmp_path / "slow.txt", rows=150_000)
    quick = [make_html_paper(f"q{i}.html", title=f"Audit Committee – {i + 1} May 2009")
             for i in range(7)]  # fmt: skip
    # eight files on two threads: the first batch holds two, the slow one and the next
    result = ingest_paths([slow, *quick], tmp_path / "p.db", cluster=cluster,
                          limits=Limits(timeout=1))  # fmt: skip
    stopped, *stored = result.outcomes
    assert stopped.kind == "TimeoutError"
    assert [o.status for o in stored] == ["stored"] * 7


class KillOneWorker(threading.Thread):
    """Kills (SIGKILL) the first cluster worker process seen busy with a task."""

    def __init__(self, address: str) -> None:
        super().__init__(daemon=True)
        self.client = distributed.Client(address)
        self.pids = self.client.run(os.getpid)  # worker address -> process id
        self.killed: int | None = None
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            busy = [w for w, keys in self.client.processing().items() if keys and w in self.pids]
            if busy:
                self.killed = self.pids[busy[0]]
                os.kill(self.killed, signal.SIGKILL)
                return
            time.sleep(0.02)


def test_a_worker_killed_mid_task_leaves_each_document_stored_once(
    cluster: str, tmp_path: Path
) -> None:
    papers = []
    for i in range(6):
        path = slow_text_paper(tmp_path / f"slow{i}.txt", rows=8_000)
        path.write_text(path.read_text("utf-8").replace("1 May 2009", f"{i + 1} May 2009"))
        papers.append(path)
    killer = KillOneWorker(cluster)
    killer.start()
    try:
        result = ingest_paths(papers, tmp_path / "p.db", cluster=cluster)
    finally:
        killer.done.set()
        killer.join()
        killer.client.close()
    assert killer.killed is not None
    assert result.ok, result.errors
    assert [o.status for o in result.outcomes] == ["stored"] * 6
    docs = [r for r in exported(tmp_path / "p.db") if r["type"] == "document"]
    assert sorted(str(d["source"]) for d in docs) == sorted(p.name for p in papers)


def test_cluster_option_is_checked_before_anything_starts(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    paper = make_html_paper()
    result = CliRunner().invoke(
        app, ["ingest", str(paper), "--db", str(tmp_path / "p.db"), "--cluster", "nowhere"]
    )
    assert result.exit_code == 2
    assert "give local:N or a scheduler" in result.output
    assert not (tmp_path / "p.db").exists()


def test_a_batch_the_cluster_gives_up_on_fails_each_of_its_files_and_the_rest_go_on(
    tmp_path: Path,
) -> None:
    """A cluster that retries nothing (``allowed-failures`` 0, as a scheduler set strict
    would): the worker parsing a batch is killed, the scheduler gives up on the batch
    (KilledWorker), each file of it fails on a line naming it, and every other file is
    stored."""
    import dask

    papers = []
    for i in range(6):
        path = slow_text_paper(tmp_path / f"slow{i}.txt", rows=8_000)
        path.write_text(path.read_text("utf-8").replace("1 May 2009", f"{i + 1} May 2009"))
        papers.append(path)
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
            silence_logs=50,
        ) as strict,  # ":0": any free port, the module's cluster holds the usual one
    ):  # fmt: skip
        killer = KillOneWorker(strict.scheduler_address)
        killer.start()
        try:
            result = ingest_paths(papers, tmp_path / "p.db", cluster=strict.scheduler_address)
        finally:
            killer.done.set()
            killer.join()
            killer.client.close()
    assert killer.killed is not None
    failed = result.with_status("error")
    assert failed, "the killed worker's batch was retried although no retry is allowed"
    for outcome in failed:
        assert outcome.kind == WORKER_DIED
        assert outcome.message is not None and Path(str(outcome.path)).name in outcome.message
        assert "KilledWorker" in outcome.message
    assert len(result.stored) + len(failed) == 6
    docs = [r for r in exported(tmp_path / "p.db") if r["type"] == "document"]
    assert sorted(str(d["source"]) for d in docs) == sorted(
        Path(str(o.path)).name for o in result.stored
    )
