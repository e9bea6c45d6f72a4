"""The command line as people and scripts use it: -h, --version, --format choices, narrow
terminals, --quiet for cron, sql from stdin with bound parameters, unknown names as errors,
a stopped batch that says what is left, and `series add` saying what it changed."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
LONG_TEXT = "Publish the custody register every month, with the names of every officer on duty"


@pytest.fixture
def db(tmp_path: Path, tracker_versions: list[Path]) -> str:
    path = str(tmp_path / "h.db")
    result = runner.invoke(app, ["ingest", *map(str, tracker_versions), "--db", path])
    assert result.exit_code == 0, result.output
    return path


def test_version_and_short_help() -> None:
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.stdout.startswith("papertrail ")
    for args in (["-h"], ["recs", "-h"], ["series", "-h"], ["series", "add", "-h"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage:" in result.stdout, args


@pytest.mark.parametrize(
    ("command", "choices"),
    [
        (["recs"], "<table|csv|json|jsonl>"),
        (["review"], "<table|csv|json|jsonl>"),
        (["tables"], "<table|csv|json|jsonl>"),
        (["export"], "<jsonl|csv"),
        (["diff"], "<text|json|html>"),
        (["series", "list"], "<text|json>"),
    ],
)
def test_format_choices_are_listed_by_help(command: list[str], choices: str) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and choices in result.stdout


def test_review_and_tables_give_csv_and_json(db: str) -> None:
    tables = runner.invoke(app, ["tables", "--db", db, "--format", "json"])
    assert tables.exit_code == 0
    found = json.loads(tables.stdout)
    assert {t["source"] for t in found} == {"v1.docx", "v2.html", "v3.docx"}
    review = runner.invoke(app, ["review", "--db", db, "--format", "csv"])
    assert review.exit_code == 0
    assert review.stdout.splitlines()[0] == "doc_id,source,ordinal,type,ref,confidence,issues,text"


def test_narrow_terminal_shows_one_block_per_record_wide_a_table(
    tmp_path: Path, make_tracker: object
) -> None:
    paper = make_tracker(  # type: ignore[operator]
        "t.html", "3 March 2009", (("1", LONG_TEXT, "Head of Custody", "Ongoing", "March 2009"),)
    )
    db = str(tmp_path / "n.db")
    assert runner.invoke(app, ["ingest", str(paper), "--db", db]).exit_code == 0
    narrow = runner.invoke(app, ["recs", "--db", db], env={"COLUMNS": "80"})
    assert narrow.exit_code == 0
    # the whole text on lines of its own (wrapped at 80), the short fields on the heading
    lines = narrow.stdout.splitlines()
    assert LONG_TEXT in " ".join(line.strip() for line in lines)
    assert any(line.startswith("Publish the custody register every month") for line in lines)
    assert "t.html · ref 1 · ongoing · due 2009-03" in narrow.stdout
    assert "owner: Head of Custody" in narrow.stdout
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 90
    wide = runner.invoke(app, ["recs", "--db", db], env={"COLUMNS": "160"})
    assert "┃ paper" in wide.stdout and LONG_TEXT in wide.stdout  # a table, text unwrapped
    found = runner.invoke(app, ["search", "custody register", "--db", db], env={"COLUMNS": "80"})
    assert found.exit_code == 0 and "t.html" in found.stdout and "┃" not in found.stdout


def test_ingest_quiet_prints_only_failures_and_the_summary(
    tmp_path: Path, make_html_paper: object
) -> None:
    make_html_paper("in/good.html")  # type: ignore[operator]
    (tmp_path / "in" / "empty.pdf").write_bytes(b"")
    db = str(tmp_path / "q.db")
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", db, "--quiet"])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {tmp_path / 'in' / 'empty.pdf'}: file is empty")
    assert "stored:" not in result.stdout and "ingesting" not in result.stdout
    assert "documents stored" in result.stdout  # the summary
    verbose = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", db, "--verbose"])
    assert "skipped:" in verbose.stdout  # a line for each file


def test_sql_reads_stdin_and_binds_parameters(db: str) -> None:
    query = "SELECT ref, owner FROM recommendations WHERE owner = :who ORDER BY ref"
    result = runner.invoke(
        app, ["sql", "-", "--db", db, "--format", "csv", "-p", "who", "Head of Custody"],
        input=query,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(result.stdout.splitlines()))
    assert rows[0] == ["ref", "owner"] and len(rows) > 1
    assert {r[1] for r in rows[1:]} == {"Head of Custody"}
    # a quote in a bound value is data, not SQL
    quoted = runner.invoke(app, ["sql", query, "--db", db, "-p", "who", "x' OR 1=1 --"])
    assert quoted.exit_code == 0 and "0 rows" in quoted.stdout
    stray = runner.invoke(app, ["sql", query, "--db", db, "-p", "who"])
    assert stray.exit_code == 2 and "-p NAME VALUE" in stray.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--type", "bogus"],
        ["export", "--doc", "nosuch"],
        ["export", "--format", "csv", "--type", "recommendation", "--doc", "nosuch"],
        ["recs", "--doc", "nosuch"],
        ["search", "custody", "--doc", "nosuch"],
        ["tables", "--doc", "nosuch"],
        ["savings", "--doc", "nosuch"],
        ["diff", "--series", "nosuch"],
        ["series", "show", "nosuch"],
        ["history", "99", "--series", "nosuch"],
    ],
)
def test_unknown_doc_type_or_series_is_an_error_with_status_1(db: str, args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--db", db])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: ")
    assert result.stdout == ""


def test_unknown_ref_in_a_series_is_an_error(db: str) -> None:
    (series,) = json.loads(
        runner.invoke(app, ["series", "list", "--db", db, "--format", "json"]).stdout
    )
    result = runner.invoke(app, ["history", "99", "--series", series["name"], "--db", db])
    assert result.exit_code == 1 and "99: no recommendation" in result.stderr


def test_export_csv_by_document_and_header_rows_when_empty(db: str, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    result = runner.invoke(app, ["export", "--db", db, "--format", "csv", "-o", str(out),
                                 "--doc", "v2.html"])  # fmt: skip
    assert result.exit_code == 0, result.output
    with (out / "recommendation.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["doc_id"] for r in rows} == {rows[0]["doc_id"]}
    # no savings in these papers: the file is there with its header row all the same
    saving = (out / "saving.csv").read_text(encoding="utf-8").splitlines()
    assert saving == ["type,doc_id,item,group,period,unit,value,pages"]
    stdout = runner.invoke(app, ["export", "--db", db, "--format", "csv", "--type", "rag"])
    assert stdout.exit_code == 0 and stdout.stdout.splitlines() == [
        "type,doc_id,programme,criterion,rating,rationale,pages"
    ]


def test_ingest_of_a_missing_path_makes_no_database(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    result = runner.invoke(app, ["ingest", str(tmp_path / "no-such-folder"), "--db", str(db)])
    assert result.exit_code == 1 and "no such file or folder" in result.stderr
    assert not db.exists() and list(tmp_path.iterdir()) == []


def _papers(folder: Path, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        (folder / f"p{i:04d}.txt").write_text(
            f"Paper {i}\n\nRef\tRecommendation\tOwner\n{i}\tPublish register {i}\tHead of HR\n",
            encoding="utf-8",
        )


def test_sigterm_during_ingest_reports_what_is_left_and_a_rerun_finishes(tmp_path: Path) -> None:
    _papers(tmp_path / "in", 600)
    db = tmp_path / "s.db"
    cmd = [sys.executable, "-m", "ingest", "ingest", str(tmp_path / "in"), "--db", str(db),
           "--workers", "1"]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # each line as it is printed
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:  # wait until documents are being stored, then stop the batch
        if line.startswith("stored:"):
            break
    os.kill(proc.pid, signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    (line,) = [x for x in err.splitlines() if x.startswith("interrupted:")]
    stored, left = (int(w) for w in line.replace(",", "").split() if w.isdigit())
    assert stored >= 1 and left >= 1 and stored + left <= 600
    assert "documents stored" in out  # the summary so far
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    count = subprocess.run(
        [sys.executable, "-m", "ingest", "sql", "SELECT count(*) AS n FROM documents",
         "--db", str(db), "--format", "csv"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert count.stdout.splitlines()[1] == "600"


def test_series_add_says_what_it_changed(db: str) -> None:
    (series,) = json.loads(
        runner.invoke(app, ["series", "list", "--db", db, "--format", "json"]).stdout
    )
    name = series["name"]
    # taking a paper of an automatic series into a new one: the automatic one is named
    moved = runner.invoke(app, ["series", "add", "mine", "v2.html", "--db", db])
    assert moved.exit_code == 0, moved.output
    assert "made series mine (kept by hand)" in moved.stdout
    assert "v2.html to mine" in moved.stdout
    assert f"series {name} (auto) " in moved.stdout  # lost v2, or dissolved
    result = runner.invoke(app, ["series", "add", "mine", "v1.docx", "--db", db])
    assert "v1.docx to mine" in result.stdout and "made series" not in result.stdout


def test_help_is_quick_to_load() -> None:
    """``--help`` must not load the store, the parsers or spaCy (what made it slow)."""
    code = (
        "import sys, ingest.cli; "
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'spacy', 'pandas', 'pdfplumber') "
        "if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr  # time itself: bench/startup.py


HEAVY = ("sqlalchemy", "alembic", "spacy", "pandas", "pdfplumber")


@pytest.mark.parametrize(
    "command",
    [
        ["recs", "--doc", "v1.docx"],
        ["search", "custody"],
        ["tables"],
        ["review"],
        ["export"],
        ["export", "--format", "csv", "--type", "recommendation"],
    ],
)
def test_query_commands_answer_without_sqlalchemy(db: str, command: list[str]) -> None:
    """The query commands read with sqlite3 alone (``store.reader``): SQLAlchemy, pandas
    and spaCy cost them most of their start-up and are never loaded (bench/startup.py
    times it)."""
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules),"
        " file=sys.stderr))\n"
        "from ingest.cli import main\n"
        "sys.argv = ['papertrail', *sys.argv[1:]]\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *command, "--db", db],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()  # it answered
    assert "LOADED []" in result.stderr, result.stderr
