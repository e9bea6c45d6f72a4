"""The auditors' commands: diff, series, history and slippage on ingested tracker versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.cli import app
from ingest.cli_audit import series_app

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, tracker_versions: list[Path]) -> str:
    path = str(tmp_path / "a.db")
    result = runner.invoke(app, ["ingest", *map(str, tracker_versions), "--db", path])
    assert result.exit_code == 0, result.output
    return path


def run_json(*args: str) -> object:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def only_series(db: str) -> str:
    (found,) = run_json("series", "list", "--db", db)  # type: ignore[misc]
    return str(found["name"])


@pytest.mark.parametrize("command", [c.name for c in series_app.registered_commands])
def test_series_commands_have_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, ["series", command, "--help"])
    assert result.exit_code == 0 and f"papertrail series {command}" in result.stdout


def test_diff_by_file_name_and_path_gives_the_documented_json(
    db: str, tracker_versions: list[Path]
) -> None:
    out = run_json("diff", "v1.docx", str(tracker_versions[1]), "--db", db)
    assert isinstance(out, dict) and set(out) == {"from", "to", "changes", "added", "removed"}
    assert out["added"] == ["5"] and out["removed"] == []
    due = next(c for c in out["changes"] if c["field"] == "due")
    assert due == {
        "ref": "1",
        "field": "due",
        "old": "2009-03",
        "new": "2009-09",
        "old_raw": "March 2009",
        "new_raw": "September 2009",
    }
    assert all(
        set(c) == {"ref", "field", "old", "new"}
        for c in out["changes"]
        if c["field"] not in ("status", "due")
    )


def test_diff_series_lists_every_consecutive_pair(db: str) -> None:
    name = only_series(db)
    series = run_json("series", "show", name, "--db", db)
    ids = [p["doc_id"] for p in series["papers"]]  # type: ignore[index]
    out = run_json("diff", "--series", name, "--db", db)
    assert [(d["from"], d["to"]) for d in out] == list(zip(ids, ids[1:], strict=False))  # type: ignore[union-attr]


def test_diff_html_is_self_contained_with_links_and_highlights(db: str, tmp_path: Path) -> None:
    report = tmp_path / "d.html"
    result = runner.invoke(
        app,
        ["diff", "--series", only_series(db), "--db", db, "--format", "html", "-o", str(report)],
    )
    assert result.exit_code == 0, result.output
    page = report.read_text(encoding="utf-8")
    assert "<style>" in page and "<script" not in page and "<link" not in page
    assert 'class="slip"' in page and 'href="v1.docx"' in page and "file://" not in page
    assert "September 2009" in page and "March 2009" in page


def test_diff_html_report_to_email(db: str, tmp_path: Path) -> None:
    """Title block, summary first, readable field names, changed words marked, links
    relative to --link-base."""
    report = tmp_path / "d.html"
    name = only_series(db)
    args = ["diff", "--series", name, "--db", db, "--format", "html", "-o", str(report)]
    result = runner.invoke(app, [*args, "--link-base", "https://example.gov.uk/papers"])
    assert result.exit_code == 0, result.output
    page = report.read_text(encoding="utf-8")
    head, body = page.split('<section class="pair">', 1)
    assert f"<dt>Series</dt><dd>{name}</dd>" in head and "Audit Committee" in head
    assert "v1.docx (2009-03-03) → v2.html (2009-09-15) → v3.docx" in head
    assert "by papertrail " in head
    assert body.index("Slipped deadlines") < body.index('class="changes"')  # summary on top
    assert ">Due date" in body and ">Status" in body and "updates_added" not in body
    assert 'href="https://example.gov.uk/papers/v1.docx"' in body
    assert "every <ins>custody </ins>suite" in body  # the reworded recommendation


def test_diff_text_names_added_items_and_marks_changed_words(db: str) -> None:
    result = runner.invoke(app, ["diff", "v1.docx", "v2.html", "--db", db])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.startswith("  1 added: ref 5 — ") for line in lines), lines
    assert "  ref 1 — due: March 2009 -> September 2009 (slipped)" in lines
    assert "  ref 4 — text: Review the cell CCTV coverage in every {+custody+} suite" in lines
    assert "  ref 4 — owner: {+Head of+} Estates" in lines
    later = runner.invoke(app, ["diff", "v2.html", "v3.docx", "--db", db]).stdout
    assert "  1 removed: ref 5 — Audit the handling of detainees' property" in later


def test_history_shows_each_paper_for_old_and_new_refs(db: str) -> None:
    name = only_series(db)
    rows = run_json("history", "3", "--series", name, "--db", db)
    assert [(r["ref"], r["status"]) for r in rows] == [  # type: ignore[union-attr]
        ("3", "not_started"),
        ("4", "ongoing"),
        ("4", "complete"),
    ]
    text = runner.invoke(app, ["history", "1", "--series", name, "--db", db])
    assert "August 2009 Update: published twice." in text.stdout
    missing = runner.invoke(app, ["history", "99", "--series", name, "--db", db])
    assert missing.exit_code == 1 and "99: no recommendation" in missing.stderr


def test_slippage_reports_slips_and_regressions(db: str) -> None:
    rows = run_json("slippage", "--db", db)
    by_ref = {r["ref"]: r for r in rows}  # type: ignore[union-attr]
    assert by_ref["1"]["times_slipped"] == 2 and by_ref["1"]["days_slipped"] == 365
    assert [(r["old"], r["new"]) for r in by_ref["2"]["regressions"]] == [("complete", "ongoing")]
    text = runner.invoke(app, ["slippage", "--db", db]).stdout
    assert "[1] slipped 2x (365 days): March 2009 -> March 2010" in text
    assert "[2] status went back: Complete -> Ongoing" in text


def test_series_add_by_hand_then_diff_it(db: str) -> None:
    result = runner.invoke(app, ["series", "add", "mine", "v3.docx", "v1.docx", "--db", db])
    assert result.exit_code == 0, result.output
    names = {s["name"]: s for s in run_json("series", "list", "--db", db)}  # type: ignore[union-attr]
    assert names["mine"]["origin"] == "manual"
    assert [p["source"] for p in names["mine"]["papers"]] == ["v1.docx", "v3.docx"]
    out = run_json("diff", "--series", "mine", "--db", db)
    assert len(out) == 1  # type: ignore[arg-type]


def test_unknown_series_and_bad_arguments_are_one_line_errors(db: str) -> None:
    unknown = runner.invoke(app, ["diff", "--series", "nope", "--db", db])
    assert unknown.exit_code == 1 and "nope: no series" in unknown.stderr
    both = runner.invoke(app, ["diff", "v1.docx", "--db", db])
    assert both.exit_code == 2 and "Traceback" not in both.output
