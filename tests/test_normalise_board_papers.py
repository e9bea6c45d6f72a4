"""Board papers of other bodies' layouts (tests/board_papers.py), as DOCX and as PDF,
through the real parsers and normalise: the records a reader of each paper would write
down, asserted by hand."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from normalise.records import document_records
from parsers.registry import parse_file
from tests.board_papers import (
    ACTION_LOG,
    COMMITMENTS,
    LEAD_TABLES,
    MATRIX,
    RELEASE_PLAN,
    Block,
    Grid,
    write_docx,
    write_pdf,
)

Writer = Callable[[Sequence[Block], Path], Path]
WRITERS = {"docx": write_docx, "pdf": write_pdf}


def records_of(blocks: Sequence[Block], fmt: str, tmp_path: Path) -> list[dict[str, Any]]:
    path = WRITERS[fmt](blocks, tmp_path / f"paper.{fmt}")
    return document_records(parse_file(path))


def of_type(records: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for r in records if r["type"] == kind]


@pytest.mark.parametrize("fmt", WRITERS)
def test_action_log_open_and_completed_tables_give_actions_with_status(
    fmt: str, tmp_path: Path
) -> None:
    records = records_of(ACTION_LOG, fmt, tmp_path)
    (doc,) = of_type(records, "document")
    assert (doc["title"], doc["committee"], doc["meeting_date"]) == (
        "Action Log as of 2 March 2011",
        "Open Data Board",
        "2011-03-02",
    )
    assert [t["kind"] for t in of_type(records, "table")] == ["action_plan", "action_plan"]
    actions = of_type(records, "action")
    assert [(a["ref"], a["status"], a["status_raw"]) for a in actions] == [
        (None, "ongoing", "Plan in place"),
        (None, "not_started", "No action taken yet"),
        (None, "ongoing", "Carried forward"),
        (None, "complete", "Done"),
        (None, "complete", "Complete"),
    ]
    # "Meeting date" is when the action was agreed, not its deadline
    assert [(a["due"], a["due_raw"]) for a in actions] == [
        ("2014-03-31", "31.3.14"),
        ("2011-03-23", "23-Mar"),  # no year printed: the paper's year, and flagged
        ("2011-06", "June"),
        ("2012", "End 2012"),
        (None, None),  # "Monthly ongoing" is not a date; the status column already spoke
    ]
    assert "year taken from the paper's date" in actions[1]["issues"]
    assert all(a["updates"] == [] for a in actions)


@pytest.mark.parametrize("fmt", WRITERS)
def test_lead_in_the_heading_owns_the_rows_below_it(fmt: str, tmp_path: Path) -> None:
    actions = of_type(records_of(LEAD_TABLES, fmt, tmp_path), "action")
    assert [(a["text"], a["owner"], a["status"]) for a in actions] == [
        ("Agree licence terms with the address suppliers", "HS/BB", "ongoing"),
        ("Publish the address gazetteer as open data", "HS/BB", "not_started"),
        ("Release the historical price paid file", "JT", "complete"),
    ]


@pytest.mark.parametrize("fmt", WRITERS)
def test_commitment_tracker_is_actions_with_dated_notes(fmt: str, tmp_path: Path) -> None:
    records = records_of(COMMITMENTS, fmt, tmp_path)
    assert of_type(records, "recommendation") == []  # "Issues" beside "Commitment" is a note
    first, second, third = of_type(records, "action")
    assert (first["owner"], first["status"], first["due"]) == (
        "Cabinet Office",
        "ongoing",
        "2012-04",
    )
    assert second["updates"] == [
        {
            "date": "2012-11-12",
            "label": "As at 12 November",
            "text": "consultation closed; responses being analysed",
        }
    ]
    assert second["status"] is None  # the note says what happened, not a status word
    assert (third["status"], third["status_raw"]) == ("superseded", "Closed – not implemented")


@pytest.mark.parametrize("fmt", WRITERS)
def test_release_plan_datasets_are_actions_due_when_first_published(
    fmt: str, tmp_path: Path
) -> None:
    actions = of_type(records_of(RELEASE_PLAN, fmt, tmp_path), "action")
    assert [(a["text"], a["due"], a["status"]) for a in actions] == [
        ("Prison population", "2012-06", None),
        ("Court waiting times", None, None),  # "Late Spring 2012": kept raw, no date invented
        ("Probation caseload", "2011-11", "complete"),
    ]
    assert actions[1]["due_raw"] == "Late Spring 2012"


@pytest.mark.parametrize("fmt", WRITERS)
def test_compliance_matrix_gives_one_rating_per_rated_cell(fmt: str, tmp_path: Path) -> None:
    records = records_of(MATRIX, fmt, tmp_path)
    (table,) = of_type(records, "table")
    assert table["kind"] == "rag_status"
    rated = {(r["criterion"], r["programme"]): r["rating"] for r in of_type(records, "rag")}
    assert len(rated) == 18  # 20 cells less one "n/a" and one greyed-out blank
    assert rated[("Publish organograms", "DfT")] == "red"  # "Not Met"
    assert rated[("Publish organograms", "HMT")] == "amber"  # "Partially met"
    assert rated[("Publish contracts", "DfT")] == "red"  # no word: the red fill
    assert ("Publish spending over £25,000", "DH") not in rated  # "n/a"
    assert ("Publish salaries of senior staff", "HMT") not in rated  # grey


@pytest.mark.parametrize("fmt", WRITERS)
def test_matrix_rated_by_fill_alone_reads_the_colours(fmt: str, tmp_path: Path) -> None:
    """The same matrix printed with no words in its cells, only the fills (landscape PDF)."""
    grid = MATRIX[-1]
    assert isinstance(grid, Grid)
    blank = Grid(grid.header, tuple((r[0], *("" for _ in r[1:])) for r in grid.rows), grid.fills)
    path = tmp_path / f"fills.{fmt}"
    write_pdf([*MATRIX[:-1], blank], path, wide=True) if fmt == "pdf" else write_docx(
        [*MATRIX[:-1], blank], path
    )
    rags = of_type(document_records(parse_file(path)), "rag")
    rated = {(r["criterion"], r["programme"]): r["rating"] for r in rags}
    assert len(rated) == 18  # every cell but the two grey ones
    assert rated[("Publish organograms", "HMT")] == "amber"
    assert rated[("Publish spending over £25,000", "DfE")] == "red"
    assert all("rating read from the cell colour" in r["issues"] for r in rags)
