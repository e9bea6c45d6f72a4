"""Reading commands never change a file; `sql` is bounded in time and rows and stops on
Ctrl-C; writers meeting on one database wait their turn; a damaged database is one line.

Every check runs the real ``papertrail`` command in a subprocess on a real database."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import PaperFactory

from store.database import make_engine, upgrade
from store.readonly import ReadOnlyError, run_query

ROOT = Path(__file__).resolve().parents[1]
HANG_GUARD = 180  # seconds: only a hang reaches it; never what is measured
COMMAND = [sys.executable, "-m", "ingest"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
RUNAWAY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"


def papertrail(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True,
                          timeout=HANG_GUARD, env=ENV)  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path, make_html_paper: PaperFactory) -> Path:
    path = tmp_path / "p.db"
    assert papertrail("ingest", str(make_html_paper()), "--db", str(path)).returncode == 0
    return path


def test_read_commands_refuse_an_old_schema_unchanged_until_migrate(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    engine = make_engine(old)
    upgrade(engine, "0003")
    engine.dispose()
    before = digest(old)
    for args in (["recs"], ["sql", "SELECT 1"], ["export"], ["series", "list"], ["review"]):
        done = papertrail(*args, "--db", str(old))
        assert done.returncode == 1 and "run `papertrail migrate`" in done.stderr, args
        assert "Traceback" not in done.stderr
    assert digest(old) == before
    assert papertrail("migrate", "--db", str(old)).returncode == 0
    assert papertrail("recs", "--db", str(old)).returncode == 0


def test_read_commands_leave_a_foreign_or_empty_file_as_it_was(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    before = digest(foreign)
    for path in (foreign, empty):
        done = papertrail("sql", "SELECT 1", "--db", str(path))
        assert done.returncode == 1 and "not a papertrail database" in done.stderr
    assert digest(foreign) == before and empty.stat().st_size == 0
    with sqlite3.connect(foreign) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_sql_command_stops_a_runaway_query_at_its_time_limit(db: Path) -> None:
    done = papertrail("sql", RUNAWAY, "--db", str(db), "--timeout", "1")
    assert done.returncode == 1
    assert done.stderr.strip() == "error: stopped after 1 s (the time limit; see --timeout)"


def test_sql_command_caps_rows_and_limit_0_means_every_row_as_in_recs(db: Path) -> None:
    counting = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 10005) "
    capped = papertrail("sql", counting + "SELECT x FROM c", "--db", str(db), "--format", "csv")
    assert capped.returncode == 0 and len(capped.stdout.splitlines()) == 1 + 10_000
    assert "stopped at 10,000 rows" in capped.stderr
    every = papertrail("sql", counting + "SELECT x FROM c", "--db", str(db), "--format", "csv",
                       "--limit", "0")  # fmt: skip
    assert len(every.stdout.splitlines()) == 1 + 10_005
    recs = papertrail("recs", "--db", str(db), "--format", "csv", "--limit", "0")
    assert len(recs.stdout.splitlines()) == 1 + 2  # the paper's two recommendations


def test_sql_command_takes_a_statement_starting_with_a_comment(db: Path) -> None:
    done = papertrail("sql", "-- how many\nSELECT count(*) AS n FROM documents", "--db",
                      str(db), "--format", "csv")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["n", "1"]


def test_run_query_refuses_fts3_tokenizer(db: Path) -> None:
    with pytest.raises(ReadOnlyError, match="fts3_tokenizer"):
        run_query(db, "SELECT fts3_tokenizer('simple')")


def test_sql_command_stops_on_ctrl_c(db: Path) -> None:
    args = [*COMMAND, "sql", RUNAWAY, "--db", str(db), "--timeout", "600"]
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV
    )
    try:
        # the statement is running once the process holds the database open
        while not any(db.name in os.path.realpath(f"/proc/{proc.pid}/fd/{fd}")
                      for fd in os.listdir(f"/proc/{proc.pid}/fd")):  # fmt: skip
            assert proc.poll() is None
            time.sleep(0.1)
        time.sleep(1.0)  # past the handful of statements between opening and running
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=HANG_GUARD)
    finally:
        proc.kill()
    assert proc.returncode == 1 and "stopped by Ctrl-C" in stderr


def test_two_ingests_into_one_new_database_both_store(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    db = tmp_path / "new.db"
    papers = [make_html_paper(f"{n}.html", title=f"Audit Committee – {n} May 2009",
                              rows=((str(n), f"Recommendation {n}", "Head of HR", "2010"),))
              for n in (1, 2)]  # fmt: skip
    procs = [subprocess.Popen([*COMMAND, "ingest", str(p), "--db", str(db), "--workers", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
             for p in papers]  # fmt: skip
    results = [p.communicate(timeout=HANG_GUARD) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2


def test_commands_on_a_damaged_database_give_one_line_naming_the_recovery(db: Path) -> None:
    raw = bytearray(db.read_bytes())
    page = 4096
    for start in range(page, len(raw), page):  # every page after the first: garbage
        raw[start : start + page] = bytes([0x5A]) * len(raw[start : start + page])
    db.write_bytes(bytes(raw))
    for args in (["export"], ["review"], ["recs"], ["slippage"], ["tables"], ["ingest", str(db)]):
        done = papertrail(*args, "--db", str(db))
        assert done.returncode == 1 and "Traceback" not in done.stderr, (args, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "damaged" in lines[0] and ".recover" in lines[0], args


@pytest.fixture
def read_only_mount(tmp_path: Path) -> Any:
    """A folder bind-mounted read-only (needs root and mount rights: skipped without)."""
    src, mnt = tmp_path / "src", tmp_path / "mnt"
    src.mkdir()
    mnt.mkdir()
    bound = subprocess.run(["mount", "--bind", str(src), str(mnt)], capture_output=True)
    if bound.returncode != 0:
        pytest.skip(f"cannot bind-mount here ({bound.stderr.decode().strip()})")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mnt)], check=True)
        yield src, mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_a_database_on_a_read_only_mount_is_readable(db: Path, read_only_mount: Any) -> None:
    """A WAL database copied without its -shm onto a read-only mount: SQLite cannot make
    the shared-memory file, so it is opened immutable (true of it there)."""
    src, mnt = read_only_mount
    (src / "p.db").write_bytes(db.read_bytes())
    assert not (mnt / "p.db-shm").exists()
    for args in (["recs"], ["sql", "SELECT count(*) AS n FROM documents"], ["tables"]):
        done = papertrail(*args, "--db", str(mnt / "p.db"))
        assert done.returncode == 0, (args, done.stderr)
    assert "Publish the register" in papertrail("recs", "--db", str(mnt / "p.db")).stdout


def test_a_writer_kept_waiting_past_its_time_gives_one_line_and_stores_nothing_twice(
    db: Path, make_html_paper: PaperFactory
) -> None:
    """Another process holds the write lock longer than the stated wait
    ($PAPERTRAIL_BUSY_TIMEOUT): one line saying so, no traceback; run again, stored once."""
    other = make_html_paper(name="other.html", title="Audit Committee – 9 June 2009")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the write lock, held for the whole attempt
    try:
        env = {**ENV, "PAPERTRAIL_BUSY_TIMEOUT": "1"}
        done = subprocess.run(
            [*COMMAND, "ingest", str(other), "--db", str(db)],
            capture_output=True, text=True, timeout=HANG_GUARD, env=env,
        )  # fmt: skip
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = [ln for ln in done.stderr.splitlines() if "busy" in ln]
    assert len(lines) == 1 and "locked for 1 s" in lines[0], done.stderr
    assert papertrail("ingest", str(other), "--db", str(db)).returncode == 0
    again = papertrail(
        "sql", "SELECT count(*) AS n FROM documents", "--db", str(db), "--format", "json"
    )
    assert '"n": 2' in again.stdout
