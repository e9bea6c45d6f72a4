"""The papertrail command: help, exit codes, one-line errors, and each command's output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PaperFactory
from typer.testing import CliRunner

from ingest.cli import app
from parsers.model import Document
from store.database import open_database
from store.load import load_document

runner = CliRunner()
COMMANDS = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout and f"papertrail {command}" in result.stdout


@pytest.mark.parametrize("command", [*COMMANDS, *(g.name for g in app.registered_groups)])
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"| `{command}" in readme


def test_ingest_exit_code_1_with_one_line_errors(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    make_html_paper("in/good.html")
    (tmp_path / "in" / "empty.pdf").write_bytes(b"")
    (tmp_path / "in" / "junk.docx").write_bytes(b"PK\x03\x04 not really a zip")
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and "Traceback" not in result.output
    assert any("empty.pdf: file is empty" in e for e in errors)
    assert "stored:" in result.stdout and "documents stored" in result.stdout


def test_ingest_then_export_tables_and_review(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    db = str(tmp_path / "p.db")
    paper = make_html_paper()
    assert runner.invoke(app, ["ingest", str(paper), "--db", db]).exit_code == 0
    again = runner.invoke(app, ["ingest", str(paper), "--db", db])
    assert again.exit_code == 0 and "already stored" in again.stdout

    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["export", "--db", db, "-o", str(out)]).exit_code == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    types = [r["type"] for r in lines]
    assert types[:2] == ["document", "table"] and {"document", "table"}.isdisjoint(types[2:])
    assert all(r["doc_id"] == lines[0]["doc_id"] for r in lines)

    listed = runner.invoke(app, ["tables", "--db", db, "--doc", lines[0]["doc_id"][:6]])
    assert listed.exit_code == 0 and "2 x 4" in listed.stdout
    assert runner.invoke(app, ["review", "--db", db]).exit_code == 0


def test_review_lists_unsure_records(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "p.db")
    doc = Document(source="x.txt", sha256="ab" * 32, format="text")
    recs = [
        {"type": "document", "doc_id": doc.doc_id},
        {"type": "recommendation", "doc_id": doc.doc_id, "ref": "R1", "confidence": 0.9},
        {"type": "recommendation", "doc_id": doc.doc_id, "ref": "R2", "confidence": 0.4},
        {"type": "action", "doc_id": doc.doc_id, "ref": "A3", "issues": ["no owner column"]},
    ]
    load_document(engine, doc, recs)
    result = runner.invoke(app, ["review", "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0
    assert "R2" in result.stdout and "A3" in result.stdout and "no owner" in result.stdout
    assert "R1" not in result.stdout


def test_export_csv_needs_a_type_or_a_folder(tmp_path: Path, make_html_paper: PaperFactory) -> None:
    db = str(tmp_path / "p.db")
    runner.invoke(app, ["ingest", str(make_html_paper()), "--db", db])
    bad = runner.invoke(app, ["export", "--db", db, "--format", "csv"])
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1
    one = runner.invoke(app, ["export", "--db", db, "--format", "csv", "--type", "document"])
    assert one.exit_code == 0 and one.stdout.startswith("type,doc_id,source,format")


def test_reading_commands_refuse_a_missing_database(tmp_path: Path) -> None:
    for command in ("tables", "export", "review"):
        result = runner.invoke(app, [command, "--db", str(tmp_path / "none.db")])
        assert result.exit_code == 1 and "no such database" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_python_m_ingest_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ingest", "--help"], capture_output=True, text=True, check=True
    )
    assert "ingest" in done.stdout and "export" in done.stdout


def test_diff_reports_a_changed_owner_between_versions(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    db = str(tmp_path / "p.db")
    old = make_html_paper("v1.html")
    new = make_html_paper(
        "v2.html",
        rows=(
            ("1", "Publish the register", "Head of Finance", "March 2009"),
            ("2", "Train all managers", "Director", "Complete"),
        ),
    )
    assert runner.invoke(app, ["ingest", str(old), str(new), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["diff", "v1.html", "v2.html", "--db", db, "--format", "json"])
    assert result.exit_code == 0
    changes = json.loads(result.stdout)["changes"]
    assert [(c["ref"], c["field"]) for c in changes] == [("1", "owner")]
    missing = runner.invoke(app, ["diff", "v1.html", "v9.html", "--db", db])
    assert missing.exit_code == 1 and missing.stderr.startswith("error: v9.html: no document")
