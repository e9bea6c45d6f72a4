"""Worker processes: order kept, limits enforced, the pool going on after a stopped file."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import PaperFactory

from ingest.batch import ingest_paths
from ingest.workers import QUICK_BYTES, Failed, Limits, Parsed, WorkerPool, parse_in_order
from store.database import open_database
from store.export import iter_records

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ROW = ("1.2 Review the custody healthcare contract with the partner agencies named in the "
       "protocol. Head of Finance. June 2012. On track.\n")  # fmt: skip


def slow_text_paper(path: Path, rows: int = 40_000) -> Path:
    """A real plain-text paper long enough to take seconds to parse (about 5 MB)."""
    path.write_text("Audit Committee\n1 May 2009\n\nRecommendations\n\n" + ROW * rows, "utf-8")
    return path


def exported(db: Path) -> list[str]:
    with open_database(db).connect() as conn:
        return [json.dumps(r, sort_keys=True) for r in iter_records(conn)]


def test_parse_in_order_keeps_input_order_when_a_later_file_finishes_first(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    slow = slow_text_paper(tmp_path / "slow.txt", rows=4_000)
    quick = [make_html_paper(f"q{i}.html", title=f"Audit Committee – {i} May 2009")
             for i in range(3)]  # fmt: skip
    items = [("slow", (slow, "a" * 64)), ("skip", None)]
    items += [(q.name, (q, f"{i}" * 64)) for i, q in enumerate(quick)]
    with WorkerPool(2) as pool:
        got = list(parse_in_order(items, pool, window=3))
    assert [name for name, _ in got] == ["slow", "skip", "q0.html", "q1.html", "q2.html"]
    assert got[1][1] is None
    replies = [reply for _, reply in got if reply is not None]
    assert all(isinstance(r, Parsed) for r in replies)
    assert [r.rows.source for r in replies if isinstance(r, Parsed)] == [
        "slow.txt", "q0.html", "q1.html", "q2.html"]  # fmt: skip


def test_no_file_waits_behind_a_long_paper_in_a_workers_queue(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    long = slow_text_paper(tmp_path / "long.txt", rows=2_500)
    assert long.stat().st_size >= QUICK_BYTES
    quick = [make_html_paper(f"q{i}.html", title=f"Audit Committee – {i} May 2009")
             for i in range(3)]  # fmt: skip
    with WorkerPool(2) as pool:
        for key, path in enumerate([long, *quick[:2]]):
            assert pool.has_room()
            pool.submit(key, path, f"{key}" * 64)
        queues = [[key for key, _path, _sha in w.tasks] for w in pool._workers]
        assert queues == [[0], [1, 2]]  # the second quick one queued behind the first
        assert not pool.has_room()  # nothing more until a worker is free
        done: dict[int, object] = {}
        while len(done) < 3:
            done.update(pool.collect())
        assert pool.has_room()


def test_worker_pool_stops_a_document_past_the_time_limit_and_goes_on(tmp_path: Path) -> None:
    slow = slow_text_paper(tmp_path / "slow.txt")
    quick = SAMPLES / "osc-20090908-street-lighting-review.txt"
    with WorkerPool(1, Limits(timeout=0.3)) as pool:
        got = list(parse_in_order([(1, (slow, "a" * 64)), (2, (quick, "b" * 64))], pool, 2))
    stopped, after = got[0][1], got[1][1]
    assert isinstance(stopped, Failed) and stopped.kind == "TimeoutError"
    assert stopped.message == f"{slow}: still parsing after 0.3 s (see --timeout); stopped"
    assert isinstance(after, Parsed)  # on a fresh worker


def test_worker_pool_stops_a_document_past_the_memory_limit_and_goes_on(
    tmp_path: Path,
) -> None:
    big = slow_text_paper(tmp_path / "big.txt", rows=20_000)
    quick = SAMPLES / "osc-20090908-street-lighting-review.txt"
    with WorkerPool(1, Limits(max_memory=16 * 2**20)) as pool:
        got = list(parse_in_order([(1, (big, "a" * 64)), (2, (quick, "b" * 64))], pool, 2))
    stopped, after = got[0][1], got[1][1]
    assert isinstance(stopped, Failed) and stopped.kind == "MemoryLimitError"
    assert "ran out of memory" in stopped.message and "\n" not in stopped.message
    assert isinstance(after, Parsed)


def test_ingest_paths_same_database_for_any_number_of_workers(tmp_path: Path) -> None:
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".html", ".txt"))
    one = ingest_paths(files, tmp_path / "one.db", workers=1)
    two = ingest_paths(files, tmp_path / "two.db", workers=2)
    assert one.ok and len(one.stored) == len(files) >= 4
    assert [(o.path, o.status, o.doc_id) for o in one.outcomes] == [
        (o.path, o.status, o.doc_id) for o in two.outcomes
    ]
    assert exported(tmp_path / "one.db") == exported(tmp_path / "two.db")


def test_the_workers_fork_server_loads_no_database_library() -> None:
    # The workers parse and make rows; the writer alone talks to the database. Each module
    # the fork server preloads is time every batch waits before its first paper.
    import subprocess
    import sys

    from ingest.forkserver import PRELOAD

    code = (
        "import importlib, sys\n"
        f"for m in {PRELOAD!r}: importlib.import_module(m)\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'sqlalchemy', 'alembic', 'psycopg'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
