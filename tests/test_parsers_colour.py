"""Cell shading read by every parser, and a RAG rating shown only by colour made a record.

Each paper is a real file of its format (HTML, a Word document made with python-docx, a PDF
drawn with reportlab) whose "RAG" column holds no text, only a red, amber or green fill."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from normalise.records import document_records
from parsers.colour import from_css, from_pdf, from_style, from_word
from parsers.model import Document
from parsers.registry import parse_file

HEADER = ("Criteria", "RAG", "Rationale")
ROWS = (
    ("Overall programme status", "#00b050", "Milestones met and savings on course."),
    ("Identified risks", "#ffc000", "Two project briefs are still to be written."),
    ("Savings", "#c00000", "The year's target will not be met."),
)
HEADING = "Lean Programme"
INTRO = "Police Authority Finance Committee – 14 December 2009"


def html_paper(path: Path) -> Path:
    body = "".join(
        f"<tr><td>{c}</td><td style='background-color: {fill}'></td><td>{r}</td></tr>"
        for c, fill, r in ROWS
    )
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    path.write_text(
        f"<html><body><p>{INTRO}</p><h1>Programme update</h1><h2>{HEADING}</h2>"
        f"<table><tr>{head}</tr>{body}</table></body></html>",
        encoding="utf-8",
    )
    return path


def docx_paper(path: Path) -> Path:
    doc = WordDocument()
    doc.add_paragraph(INTRO)
    doc.add_heading("Programme update", level=1)
    doc.add_heading(HEADING, level=2)
    table = doc.add_table(rows=1 + len(ROWS), cols=3)
    table.style = "Table Grid"
    for i, h in enumerate(HEADER):
        table.rows[0].cells[i].paragraphs[0].add_run(h).bold = True
    for r, (criterion, fill, rationale) in enumerate(ROWS, start=1):
        cells = table.rows[r].cells
        cells[0].text, cells[2].text = criterion, rationale
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill[1:].upper())
        cells[1]._tc.get_or_add_tcPr().append(shd)
    doc.save(str(path))
    return path


def pdf_paper(path: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    data = [list(HEADER)] + [[c, "", r] for c, _, r in ROWS]
    table = Table(data, colWidths=[150, 50, 250])
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
    ]
    style += [("BACKGROUND", (1, r), (1, r), colors.HexColor(fill))
              for r, (_, fill, _) in enumerate(ROWS, start=1)]  # fmt: skip
    table.setStyle(TableStyle(style))
    story = [
        Paragraph(INTRO, styles["BodyText"]),
        Paragraph("Programme update", styles["Heading1"]),
        Paragraph(HEADING, styles["Heading2"]),
        table,
    ]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    return path


MAKERS = {"html": html_paper, "docx": docx_paper, "pdf": pdf_paper}


def rag_table(doc: Document) -> tuple[str | None, ...]:
    (table,) = doc.tables
    return tuple(row[1].fill for row in table.rows)


@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_parsers_keep_cell_fills(tmp_path: Path, fmt: str) -> None:
    doc = parse_file(MAKERS[fmt](tmp_path / f"rag.{fmt}"))
    assert rag_table(doc) == tuple(fill for _, fill, _ in ROWS)
    assert all(row[0].fill is None for row in doc.tables[0].rows)  # unshaded cells


@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_rating_shown_only_by_colour_becomes_a_rag_record(tmp_path: Path, fmt: str) -> None:
    doc = parse_file(MAKERS[fmt](tmp_path / f"rag.{fmt}"))
    rags = [r for r in document_records(doc) if r["type"] == "rag"]
    got = [(r["programme"], r["criterion"], r["rating"]) for r in rags]
    ratings = ("green", "amber", "red")
    assert got == [(HEADING, c, n) for (c, _, _), n in zip(ROWS, ratings, strict=True)]
    assert all(r["rating_raw"] is None for r in rags)
    assert all("rating read from the cell colour" in r["issues"] for r in rags)


def test_colour_notations() -> None:
    assert from_word("00B050") == "#00b050" and from_word("auto") is None
    assert from_css("rgb(0, 176, 80)") == from_css("#00B050") == "#00b050"
    assert from_css("green") == "#008000" and from_css("#0f0") == "#00ff00"
    assert from_css("rgba(255, 0, 0, 0.2)") is None  # mostly see-through
    assert from_css("transparent") is None and from_css("white") is None
    assert from_style("color: red; background: url(x.png) #FFC000 no-repeat") == "#ffc000"
    assert from_style("color: red") is None
    assert from_pdf((0.0, 1.0, 0.0)) == "#00ff00" and from_pdf(0.85) == "#d9d9d9"
    assert from_pdf((0, 0, 0, 0)) is None  # CMYK white
    assert from_pdf((0, 1, 1, 0)) == "#ff0000" and from_pdf("pattern") is None


def test_cell_fills_are_stored_for_analysts(tmp_path: Path) -> None:
    from ingest.batch import ingest_paths

    db = tmp_path / "p.db"
    assert ingest_paths([html_paper(tmp_path / "rag.html")], db, workers=1).ok
    with closing(sqlite3.connect(db)) as conn:
        got = conn.execute(
            "SELECT row_index, fill FROM cells WHERE fill IS NOT NULL ORDER BY row_index"
        ).fetchall()
    assert got == [(i, fill) for i, (_, fill, _) in enumerate(ROWS)]
