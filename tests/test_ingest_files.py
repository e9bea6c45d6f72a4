"""Batch input under attack: links, FIFOs, devices, rewritten files, odd names, locked
folders, the database in the folder, memory and limit values, unwritable outputs.

Each test runs the real ``papertrail`` command in a subprocess on real files; the
subprocess ``timeout`` only turns a hang into a failure, it is never what is measured."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import PaperFactory

from ingest.files import list_files
from ingest.terminal import printable
from ingest.workers import Parsed, parse_one

HANG_GUARD = 180  # seconds: far beyond any honest run, so only a hang reaches it
# util-linux: run a command as root minus the right to ignore file permissions
ROOT_WITHOUT_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def papertrail(*args: str, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "ingest", *args],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def test_ingest_command_symlink_loop_fifo_and_device_are_one_line_each(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    good = make_html_paper("good.html")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    os.mkfifo(tmp_path / "fifo")
    db = tmp_path / "p.db"
    done = papertrail("ingest", str(tmp_path / "loop"), str(tmp_path / "fifo"), "/dev/zero",
                      str(good), "--db", str(db))  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    errors = error_lines(done.stderr)
    assert len(errors) == 3
    assert "loop: cannot read: Too many levels of symbolic links" in errors[0]
    assert "fifo: not a regular file (a FIFO)" in errors[1]
    assert "/dev/zero: not a regular file (a character device)" in errors[2]
    assert f"stored: {good}" in done.stdout


def test_parse_one_hashes_the_bytes_it_parses(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    paper = make_html_paper(rows=(("1", "Publish the register", "Head of HR", "2009"),))
    planned = hashlib.sha256(paper.read_bytes()).hexdigest()
    # rewritten after the batch hashed it (as when a sync client updates the folder)
    rewritten = make_html_paper(rows=(("1", "Close the register", "Head of HR", "2010"),))
    reply = parse_one(rewritten)
    assert isinstance(reply, Parsed)
    parsed_sha = hashlib.sha256(rewritten.read_bytes()).hexdigest()
    assert reply.rows.sha256 == parsed_sha != planned


def test_ingest_command_stores_a_name_that_is_not_utf8_and_escapes_control_characters(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    latin1 = os.fsdecode(bytes(folder) + b"/caf\xe9.txt")
    Path(latin1).write_text("Audit Committee\n\nThe caf\u00e9 paper.\n", encoding="utf-8")
    hostile = folder / "esc\x1b[2Jname\nx.txt"
    hostile.write_text("Audit Committee\n\nRecommendations \x1b[31mred\x1b[0m end\r\n")
    db = tmp_path / "p.db"
    done = papertrail("ingest", str(folder), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout + done.stderr
    stored = [line for line in done.stdout.splitlines() if line.startswith("stored:")]
    assert len(stored) == 2
    assert any("caf\\xe9.txt" in line for line in stored)
    assert any("esc\\x1b[2Jname\\nx.txt" in line for line in stored)
    shown = papertrail("sql", "SELECT source, text FROM blocks JOIN documents USING (doc_id)",
                       "--db", str(db))  # fmt: skip
    assert shown.returncode == 0 and "\x1b" not in shown.stdout and "\\x1b[31mred" in shown.stdout
    with sqlite3.connect(db) as conn:
        sources = {row[0] for row in conn.execute("SELECT source FROM documents")}
    assert "caf\\xe9.txt" in sources


def test_printable_escapes_controls_bidi_and_undecodable_bytes() -> None:
    assert printable("a\x1b[2Jb\r\nc\u202e\udce9") == "a\\x1b[2Jb\\r\\nc\\u202e\\xe9"
    assert printable("cell\nnext\x07", keep_newlines=True) == "cell\nnext\\x07"


def test_ingest_command_reports_an_unreadable_sub_folder(tmp_path: Path) -> None:
    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "locked" / "hidden.txt").write_text("Audit Committee\n\nUnseen.\n")
    (tmp_path / "in" / "open.txt").write_text("Audit Committee\n\nSeen.\n")
    (tmp_path / "in" / "locked").chmod(0)
    try:
        # root reads any folder: drop the capabilities that let it, as an analyst has none
        as_analyst = ROOT_WITHOUT_OVERRIDE if os.geteuid() == 0 else []
        done = papertrail("ingest", str(tmp_path / "in"), "--db", str(tmp_path / "p.db"),
                          prefix=as_analyst)  # fmt: skip
    finally:
        (tmp_path / "in" / "locked").chmod(0o755)
    assert done.returncode == 1, done.stdout + done.stderr
    errors = error_lines(done.stderr)
    assert len(errors) == 1 and "locked: folder not read: Permission denied" in errors[0]
    assert "stored:" in done.stdout and "Traceback" not in done.stderr


def test_list_files_skips_the_database_and_its_companions(tmp_path: Path) -> None:
    for name in ("p.db", "p.db-wal", "p.db-shm", "paper.txt"):
        (tmp_path / name).write_text("x")
    from ingest.files import database_files

    found = [item.path.name for item in list_files([tmp_path], database_files(tmp_path / "p.db"))]
    assert found == ["paper.txt"]


def test_ingest_command_into_a_database_inside_the_folder_read(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    make_html_paper("in/paper.html")
    db = tmp_path / "in" / "p.db"
    first = papertrail("ingest", str(tmp_path / "in"), "--db", str(db))
    again = papertrail("ingest", str(tmp_path / "in"), "--db", str(db))
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    assert error_lines(first.stderr + again.stderr) == []
    assert "skipped:" in again.stdout


def memory_bomb_pdf(path: Path, megabytes: int) -> Path:
    """A valid one-page PDF whose content stream inflates to ``megabytes`` MB."""
    content = zlib.compress(b"BT /F1 12 Tf 72 712 Td (Hi) Tj ET\n" + b" " * (megabytes << 20), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def test_ingest_command_names_the_memory_limit(tmp_path: Path) -> None:
    bomb = memory_bomb_pdf(tmp_path / "bomb.pdf", 200)
    report = tmp_path / "errors.json"
    done = papertrail("ingest", str(bomb), "--db", str(tmp_path / "p.db"), "--max-memory", "64",
                      "--errors-json", str(report))  # fmt: skip
    assert done.returncode == 1
    assert "hit the memory limit (see --max-memory)" in error_lines(done.stderr)[0]
    assert json.loads(report.read_text())["errors"][0]["kind"] == "MemoryLimitError"


@pytest.mark.parametrize(
    "option",
    [["--timeout", "inf"], ["--timeout", "nan"], ["--max-memory", "10000000000000"]],
)
def test_ingest_command_refuses_limits_out_of_range(
    tmp_path: Path, make_html_paper: PaperFactory, option: list[str]
) -> None:
    done = papertrail("ingest", str(make_html_paper()), "--db", str(tmp_path / "p.db"), *option)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert option[0] in done.stderr and not (tmp_path / "p.db").exists()


def test_outputs_that_cannot_be_written_are_one_line(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    db = str(tmp_path / "p.db")
    paper = str(make_html_paper())
    missing = papertrail("ingest", paper, "--db", db, "--errors-json", str(tmp_path / "no/e.json"))
    assert missing.returncode == 2 and error_lines(missing.stderr) == [
        f"error: --errors-json {tmp_path}/no/e.json: no such folder {tmp_path}/no"
    ]
    assert papertrail("ingest", paper, "--db", db).returncode == 0
    (tmp_path / "taken.txt").write_text("x")
    for args in (["-o", str(tmp_path)], ["--format", "csv", "-o", str(tmp_path / "taken.txt")]):
        done = papertrail("export", "--db", db, *args)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert len(error_lines(done.stderr)) == 1
