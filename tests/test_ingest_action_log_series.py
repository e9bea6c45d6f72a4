"""An action log followed over two meetings: the auditors' commands on actions that print
no refs, with the layout changed between versions (columns reordered, Owner and Notes
columns added, a finished action moved to the completed table)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.cli import app
from tests.board_papers import ACTION_LOG, ACTION_LOG_V2, write_docx, write_pdf

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    v1 = write_docx(ACTION_LOG, tmp_path / "log-2011-03.docx")
    v2 = write_pdf(ACTION_LOG_V2, tmp_path / "log-2011-04.pdf")
    path = str(tmp_path / "a.db")
    result = runner.invoke(app, ["ingest", str(v1), str(v2), "--db", path])
    assert result.exit_code == 0, result.output
    return path


def test_action_log_versions_form_one_series(db: str) -> None:
    result = runner.invoke(app, ["series", "list", "--db", db, "--format", "json"])
    (series,) = json.loads(result.stdout)
    assert [p["source"] for p in series["papers"]] == ["log-2011-03.docx", "log-2011-04.pdf"]


def test_diff_names_unnumbered_actions_by_their_text(db: str) -> None:
    result = runner.invoke(
        app, ["diff", "log-2011-03.docx", "log-2011-04.pdf", "--db", db, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    diff = json.loads(result.stdout)
    changes = {(c["item"], c["field"]): c for c in diff["changes"]}
    assert all(c["ref"] is None for c in diff["changes"])
    organograms = "Departments to publish organograms for all senior posts"
    assert changes[(organograms, "due")]["new"] == "2014-06-30"
    assert changes[(organograms, "owner")]["new"] == "Cabinet Office"
    principles = "Secretariat to circulate the draft data principles"  # now in "Completed"
    assert (changes[(principles, "status")]["old"], changes[(principles, "status")]["new"]) == (
        "not_started",
        "complete",
    )
    (note,) = changes[("Publish guidance on spending data", "updates_added")]["new"]
    assert (note["date"], note["label"]) == ("2011-04-01", "As at 1 April")
    assert len(changes) == 5  # nothing else moved: "Plan in place" twice is no change
    assert diff["added"] == [{"ref": None, "item": "Consult on the data strategy"}]
    assert diff["removed"] == []


def test_slippage_and_history_follow_an_action_by_its_text(db: str) -> None:
    slipped = runner.invoke(app, ["slippage", "--db", db, "--format", "json"])
    (row,) = json.loads(slipped.stdout)
    assert row["ref"] == "Departments to publish organograms for all senior posts"
    assert (row["first_due"], row["latest_due"]) == ("31.3.14", "30.6.14")
    series = json.loads(
        runner.invoke(app, ["series", "list", "--db", db, "--format", "json"]).stdout
    )
    history = runner.invoke(
        app,
        ["history", "Publish guidance on spending data", "--series", series[0]["name"], "--db", db],
    )
    assert history.exit_code == 0, history.output
    assert "As at 1 April" in history.stdout


def test_status_report_counts_actions_and_what_moved(db: str, tmp_path: Path) -> None:
    """Read from ACTION_LOG_V2 by hand: three completed actions, two open ones going
    ("Plan in place", "In hand"), one not started (new); the organograms deadline moved
    from 31.3.14 to 30.6.14; the data principles moved to the completed table."""
    (series,) = json.loads(
        runner.invoke(app, ["series", "list", "--db", db, "--format", "json"]).stdout
    )
    out = tmp_path / "status.html"
    result = runner.invoke(
        app, ["report", series["name"], "--db", db, "-o", str(out), "--as-of", "2011-04-06"]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    actions = page[page.index("<th>Actions</th>") :].split("</tr>")[0]
    for bucket, n in [("complete", 3), ("ongoing", 2), ("not_started", 1), ("overdue", 0)]:
        assert f'data-bucket="{bucket}">{n}<' in actions, bucket
    assert "<th>Recommendations</th>" not in page  # an action log tracks no recommendations
    assert "31.3.14 → 30.6.14 (+91 days)" in page
    closed = page[page.index("<h3>Closed</h3>") : page.index("<h3>Removed")]
    assert "Secretariat to circulate the draft data principles" in closed
    added = page[page.index("<h3>Added</h3>") : page.index("<h3>Closed</h3>")]
    assert "Consult on the data strategy" in added
