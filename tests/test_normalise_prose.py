"""Recommendations printed under their own headings (normalise.prose)."""

from __future__ import annotations

from normalise.prose import prose_recommendations
from normalise.records import document_records
from parsers.model import Block, Cell, Document, Table

SHA = "0f" * 32


def doc_of(*blocks: Block, tables: tuple[Table, ...] = ()) -> Document:
    return Document(source="response.pdf", sha256=SHA, format="pdf", blocks=blocks, tables=tables)


def test_heading_paragraphs_and_response_make_one_recommendation() -> None:
    doc = doc_of(
        Block("heading", "Recommendation 1", page=4, level=1),
        Block("paragraph", "NHS England should establish a programme.", page=4),
        Block("paragraph", "This programme should consider metrics.", page=5),
        Block("heading", "Government response to recommendation 1", page=5, level=3),
        Block("paragraph", "The government supports this recommendation.", page=5),
        Block("heading", "Recommendation 2: Digital platforms", page=6, level=1),
        Block("paragraph", "Every provider should have access.", page=6),
        Block("heading", "Annex A", page=7, level=1),
        Block("paragraph", "Glossary of terms.", page=7),
    )
    first, second = prose_recommendations(doc)
    assert (first["ref"], first["pages"], first["table_index"]) == ("1", [4, 5], None)
    assert first["text"] == (
        "NHS England should establish a programme. This programme should consider metrics."
    )
    assert first["response"] == "The government supports this recommendation."
    # the title is part of the text; the paragraph after another heading is not
    assert second["text"] == "Digital platforms Every provider should have access."
    assert second["response"] is None


def test_heading_over_a_table_is_a_caption_not_a_record() -> None:
    table = Table(
        header=(tuple(Cell(h) for h in ("Key actions", "Lead", "Deadline")),),
        rows=((Cell("Agree the plan"), Cell("Head of HR"), Cell("March 2003")),),
    )
    doc = doc_of(
        Block("heading", "Recommendation 1 continued", page=2),
        Block("heading", "Recommendation 2", page=2),
        Block("table", "", page=2, table_index=0),
        Block("paragraph", "Notes under the table.", page=2),
        tables=(table,),
    )
    assert prose_recommendations(doc) == []
    recs = [r for r in document_records(doc) if r["type"] == "recommendation"]
    assert recs == []
