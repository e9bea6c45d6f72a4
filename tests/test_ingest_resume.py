"""kill -9 in the middle of a batch, run the same command again: the database ends up as
if the batch had never been interrupted, nothing stored is parsed twice, and no worker
is left running."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import PaperFactory
from test_ingest_workers import exported, slow_text_paper
from typer.testing import CliRunner

from ingest.batch import ingest_paths
from ingest.cli import app

SCRIPT = Path(sys.executable).parent / "papertrail"
PAPERS = 12


runner = CliRunner()


def papertrail(*args: str) -> list[str]:
    """The installed command (as cron would run it), else ``python -m ingest``."""
    head = [str(SCRIPT)] if SCRIPT.is_file() else [sys.executable, "-m", "ingest"]
    return [*head, *args]


def stored_count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # no file or no schema yet
        return 0


def half_stored(db: Path) -> list[tuple[str, int, int, int, int]]:
    """Documents whose stored tables or records do not add up to what they should."""
    query = """SELECT d.doc_id, d.table_count, d.record_count,
                      (SELECT count(*) FROM tables t WHERE t.doc_id = d.doc_id),
                      (SELECT count(*) FROM records r WHERE r.doc_id = d.doc_id)
               FROM documents d"""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(query).fetchall()
    return [r for r in rows if (r[1], r[2]) != (r[3], r[4])]


def descendants(pid: int) -> set[int]:
    """The processes started under ``pid`` (fork server, workers), from /proc."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in (task / "children").read_text().split():
            found |= {int(child)} | descendants(int(child))
    return found


def running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped already


def test_ingest_killed_mid_batch_resumes_to_the_same_database(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    for i in range(PAPERS):
        make_html_paper(f"in/p{i:02d}.html", title=f"Audit Committee – {i + 1} March 2009")
    # Half-way through the batch comes a paper that takes seconds to parse: the papers
    # before it are stored and committed while the worker is busy with it, the ones after
    # wait for it (documents are stored in input order), so the kill lands mid-batch.
    slow_text_paper(tmp_path / "in" / "p05-long.txt", rows=100_000)
    db = tmp_path / "resumed.db"
    command = papertrail("ingest", str(tmp_path / "in"), "--db", str(db), "--workers", "1")
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while stored_count(db) < 3 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.01)
    assert run.poll() is None, "the batch ended before it could be killed"
    helpers = descendants(run.pid)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 10
    while any(map(running, helpers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert helpers and not any(map(running, helpers)), "workers outlived the batch"

    killed_at = stored_count(db)
    assert 3 <= killed_at <= 6 < PAPERS
    assert half_stored(db) == []
    again = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert sum(line.startswith("skipped:") for line in lines) == killed_at
    assert sum(line.startswith("stored:") for line in lines) == PAPERS + 1 - killed_at

    reference = tmp_path / "reference.db"
    assert ingest_paths([tmp_path / "in"], reference, workers=2).ok
    assert exported(db) == exported(reference)


def test_ingest_command_records_of_a_paper_do_not_depend_on_earlier_batches(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    earlier = make_html_paper(
        "a/earlier.html", rows=(("1", "Publish the register", "Jane Smythe", "2009"),)
    )
    later = make_html_paper(
        "b/later.html",
        title="Audit Committee – 9 June 2009",
        rows=(("1", "Jane Smythe to brief every new manager", "Head of HR", "2010"),),
    )

    def later_records(*batches: Path) -> list[str]:
        db = tmp_path / f"{len(batches)}.db"
        for batch in batches:  # one command per batch, as when a run is resumed
            assert runner.invoke(app, ["ingest", str(batch), "--db", str(db)]).exit_code == 0
        out = runner.invoke(app, ["export", "--db", str(db)]).stdout.splitlines()
        doc_id = json.loads(next(line for line in out if '"later.html"' in line))["doc_id"]
        return [line for line in out if json.loads(line)["doc_id"] == doc_id]

    assert later_records(earlier, later) == later_records(later)
