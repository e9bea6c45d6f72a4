"""Recommendation x respondent matrices (normalise.matrix) through document_records."""

from __future__ import annotations

from normalise.matrix import is_note, split_bare_ref
from normalise.records import document_records
from parsers.model import Cell, Document, Table

SHA = "ef" * 32
GOVERNMENTS = ("UK Government", "Scottish Government", "Welsh Government")


def row(*texts: str, page: int = 1) -> tuple[Cell, ...]:
    return tuple(Cell(t, pages=(page,) if t else ()) for t in texts)


def recommendations(table: Table) -> list[dict]:
    doc = Document(source="briefing.pdf", sha256=SHA, format="pdf", tables=(table,))
    return [r for r in document_records(doc) if r["type"] == "recommendation"]


def caption(text: str, n_cols: int) -> tuple[Cell, ...]:
    return (Cell(text, colspan=n_cols), *(Cell("", covered=True) for _ in range(n_cols - 1)))


def test_split_bare_ref_reads_sub_parts_and_ranges() -> None:
    assert split_bare_ref("4a (iv-v) Extend a statutory duty") == (
        "4a (iv-v)",
        "Extend a statutory duty",
    )
    assert split_bare_ref("9a-c Peer review of care") == ("9a-c", "Peer review of care")
    assert split_bare_ref("12 Giving effect to it") == ("12", "Giving effect to it")
    assert split_bare_ref("2 special schools opened")[0] is None  # lower case: not a ref
    assert is_note("Source: Adapted from Government response") and not is_note("Sources of data")


def test_matrix_rows_become_recommendations_with_their_answers() -> None:
    table = Table(
        header=(caption("Table 1 Summary of responses", 4),),
        rows=(
            row("Recommendation", *GOVERNMENTS),
            row("1 Set up a compensation scheme now", "F", "F", "F", page=28),
            row("4a (iv-v) Extend a statutory duty of candour", "P", "P", "", page=28),
            row("Source: Adapted from Government response", "", "", ""),
        ),
        pages=(28,),
    )
    first, second = recommendations(table)
    assert (first["ref"], first["text"]) == ("1", "Set up a compensation scheme now")
    assert first["response"] == ("UK Government: F; Scottish Government: F; Welsh Government: F")
    assert (second["ref"], second["response"]) == (
        "4a (iv-v)",
        "UK Government: P; Scottish Government: P",
    )
    assert second["status"] is None and second["pages"] == [28]


def test_matrix_text_drifted_into_next_column_and_wrapped_lines_are_joined() -> None:
    table = Table(
        header=(caption("Full list of recommendations", 5),),
        rows=(
            row("Recommendation", "", *GOVERNMENTS),
            row("4b Address the culture of defensiveness", "", "P", "P", "P"),
            row("", "4c (i-ii) Review and simplify regulation of", "F", "P", "F", page=2),
            row("", "safety in healthcare", "", "", "", page=2),
            row("report to Parliament on progress", "", "", "", "", page=3),
        ),
        pages=(1, 2, 3),
    )
    recs = recommendations(table)
    assert [r["ref"] for r in recs] == ["4b", "4c (i-ii)"]
    assert recs[1]["text"] == (
        "Review and simplify regulation of safety in healthcare report to Parliament on progress"
    )
    assert recs[1]["response"] == ("UK Government: F; Scottish Government: P; Welsh Government: F")
    assert recs[1]["pages"] == [2, 3]
