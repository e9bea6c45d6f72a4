"""Scanned papers through OCR: the image steps on pictures drawn here, and a scanned copy
of the sample PDF (made at test time) through Tesseract and the real CLI.

Tests that need Tesseract skip, saying so, where it is not installed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import text

from normalise.ocr import rate_records
from normalise.record_types import TableRecord
from normalise.records import document_records
from parsers.model import Cell, Document, Table
from parsers.ocr import skew_angle
from parsers.ocr_lines import binarise, long_runs, ruling
from parsers.ocr_tesseract import missing_engine
from parsers.options import ParseOptions
from parsers.pdf import parse as parse_pdf
from parsers.registry import file_sha256
from store.database import open_database
from store.load import load_document
from store.queries import review_items

try:
    from tests.golden import SAMPLES_DIR, cli_command, expected_path, export_sample, read_jsonl
    from tests.scans import Agreement, compare_grids, scanned_copy
except ModuleNotFoundError:  # bare `pytest` puts tests/ (not the repo root) on sys.path
    from golden import (  # type: ignore[no-redef]
        SAMPLES_DIR,
        cli_command,
        expected_path,
        export_sample,
        read_jsonl,
    )
    from scans import Agreement, compare_grids, scanned_copy  # type: ignore[no-redef]

SAMPLE = SAMPLES_DIR / "tb-20101124-discharge-planning-action-plan.pdf"
MISSING = missing_engine()
needs_tesseract = pytest.mark.skipif(
    MISSING is not None, reason="Tesseract not installed (apt-get install tesseract-ocr)"
)
SCALE = 72 / 200  # points per pixel at the OCR's 200 dpi


def grid_picture(turn: float = 0.0) -> Image.Image:
    """A white page with a ruled 3 x 2 table (its top row one merged cell) and some
    letter-like strokes: what ``ruling`` must tell apart."""
    image = Image.new("L", (1000, 700), 255)
    draw = ImageDraw.Draw(image)
    for y in (100, 200, 300, 400):
        draw.line([(100, y), (700, y)], fill=0, width=3)
    for x in (100, 700):
        draw.line([(x, 100), (x, 400)], fill=0, width=3)
    for x in (300, 500):
        draw.line([(x, 200), (x, 400)], fill=0, width=3)
    for x in range(120, 280, 14):  # "text": strokes 20 px tall, shorter than any rule
        draw.line([(x, 230), (x, 250)], fill=0, width=2)
    return image.rotate(turn, fillcolor=255) if turn else image


def test_long_runs_keeps_the_ink_of_runs_at_least_that_long() -> None:
    ink = np.array(
        [
            [1, 1, 1, 0, 1, 1, 1, 1],  # a run of 3, then one of 4 reaching the edge
            [0, 1, 1, 1, 1, 0, 0, 0],  # a run of 4 inside the row
            [1, 0, 1, 0, 1, 1, 0, 1],  # nothing longer than 2
        ],
        dtype=bool,
    )
    assert long_runs(ink, 4).astype(int).tolist() == [
        [0, 0, 0, 0, 1, 1, 1, 1],
        [0, 1, 1, 1, 1, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0],
    ]
    assert long_runs(ink, 3)[0].tolist() == [True] * 3 + [False] + [True] * 4
    assert not long_runs(ink, 9).any()  # longer than the row


def test_long_runs_agrees_with_reading_each_row_run_by_run() -> None:
    rng = np.random.default_rng(7)
    ink = rng.random((40, 90)) < 0.8
    expected = np.zeros_like(ink)
    for y, row in enumerate(ink.tolist()):
        x = 0
        while x < len(row):
            end = x
            while end < len(row) and row[end]:
                end += 1
            if end - x >= 5:
                expected[y, x:end] = True
            x = end + 1
    assert (long_runs(ink, 5) == expected).all()


def test_ruling_finds_the_cells_of_a_ruled_table_and_not_the_text() -> None:
    grey = np.asarray(grid_picture())
    mask, tables = ruling(grey, SCALE)
    assert len(tables) == 1
    cells = sorted((round(a / SCALE), round(b / SCALE), round(c / SCALE), round(d / SCALE))
                   for a, b, c, d in tables[0])  # fmt: skip
    tops = sorted({c[1] for c in cells})
    assert len(cells) == 7  # the merged top row, then two rows of three
    assert all(abs(t - e) <= 3 for t, e in zip(tops, (100, 200, 300), strict=True))
    assert any(c[2] - c[0] > 590 for c in cells)  # the merged cell spans the table
    assert mask[100, 400] and mask[250, 300]  # rules are painted out before OCR
    assert not mask[240, 120]  # the letter strokes are not


def test_ruling_keeps_a_shaded_row_as_paper() -> None:
    """A light grey fill is neither a rule nor ink: its text stays for the OCR."""
    image = Image.new("L", (800, 400), 255)
    ImageDraw.Draw(image).rectangle([(50, 50), (750, 150)], fill=217)
    grey = np.asarray(image)
    mask, tables = ruling(grey, SCALE)
    assert tables == [] and not mask.any()
    assert not binarise(grey).any()


@pytest.mark.parametrize("turn", [0.8, -0.5, 0.0])
def test_skew_angle_turns_a_tilted_page_back(turn: float) -> None:
    image = Image.new("L", (1200, 1600), 255)
    draw = ImageDraw.Draw(image)
    for y in range(200, 1400, 40):  # lines of print: dark bands with gaps between words
        for x in range(150, 1050, 90):
            draw.rectangle([(x, y), (x + 70, y + 14)], fill=0)
    found = skew_angle(image.rotate(turn, fillcolor=255))
    assert abs(found + turn) <= 0.15  # 4 px over a table 1,500 px wide


def test_rate_records_weak_ocr_goes_to_review(tmp_path: Path) -> None:
    """Records from a scanned table carry its cells' OCR confidence; a row read with
    little confidence is capped, given an issue and listed by review."""
    head = (Cell("Recommendation", confidence=0.95), Cell("Owner", confidence=0.95))
    rows = (
        (Cell("Publish the register", confidence=0.93), Cell("Head of HR", confidence=0.9)),
        (Cell("Train all rnanagers", confidence=0.42), Cell("Director", confidence=0.91)),
    )
    table = Table(header=(head,), rows=rows, pages=(1,))
    doc = Document("scan.pdf", "a" * 64, "pdf", tables=(table,), page_count=1)
    records = document_records(doc)
    by_text = {r.get("text"): r for r in records if r["type"] == "recommendation"}
    good, weak = by_text["Publish the register"], by_text["Train all rnanagers"]
    assert good["ocr_confidence"] == 0.9 and good["issues"] == []
    assert weak["ocr_confidence"] == 0.42 and weak["confidence"] == 0.42
    assert weak["issues"] == ["OCR confidence 0.42: check the text against the scan"]
    table_record = next(r for r in records if r["type"] == "table")
    assert table_record["ocr_confidence"] == 0.79  # mean of the body's four cells
    engine = open_database(tmp_path / "p.db")
    load_document(engine, doc, records)
    with engine.connect() as conn:
        flagged = [item.text for item in review_items(conn)]
        stored = conn.execute(text("SELECT confidence FROM cells ORDER BY id")).scalars().all()
    assert flagged == ["Train all rnanagers"]
    assert stored == [0.95, 0.95, 0.93, 0.9, 0.42, 0.91]


def test_rate_records_leaves_born_digital_tables_alone() -> None:
    table = Table(header=((Cell("Action"), Cell("Lead")),), rows=((Cell("Do it"), Cell("Me")),))
    records = [TableRecord(doc_id="x", index=0)]
    rated = rate_records(Document("a.pdf", "b" * 64, "pdf", tables=(table,)), records)
    assert "ocr_confidence" not in rated[0]


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample PDF printed, turned and scanned back (200 dpi, grain, specks)."""
    return scanned_copy(SAMPLE, tmp_path_factory.mktemp("scan") / "tb-scan.pdf")


@needs_tesseract
def test_scanned_sample_gives_the_born_digital_tables(scan: Path, tmp_path: Path) -> None:
    """Through the real CLI: the scan's tables have the born-digital tables' shape, and
    their cells the same text within a small edit distance (differences reported)."""
    got = export_sample(scan, tmp_path)
    assert got.ok, got.failure()
    expected = [r for r in read_jsonl(expected_path(SAMPLE)) if r["type"] == "table"]
    tables = [r for r in got.records if r["type"] == "table"]
    assert len(tables) == len(expected) == 2
    agreement = Agreement()
    for e, g in zip(expected, tables, strict=True):
        assert g["header"] and len(g["header"]) == len(e["header"])
        assert compare_grids([e["header"], *e["rows"]], [g["header"], *g["rows"]], agreement)
        assert g["kind"] == e["kind"]
        assert 0.6 <= g["ocr_confidence"] <= 1.0
    print(f"\nscanned sample: {agreement.same}/{agreement.total} cells within 10% edits")
    for want, read, similarity in agreement.differing:
        print(f"  {similarity:.2f}  {want!r} read as {read!r}")
    assert agreement.share >= 0.9
    document = got.records[0]
    assert document["format"] == "pdf" and document["pages"] == 2
    with open_database(tmp_path / "golden.db").connect() as conn:
        warnings = conn.execute(text("SELECT warnings FROM documents")).scalar_one()
        rated = conn.execute(
            text("SELECT count(*), count(confidence) FROM cells WHERE text != ''")
        ).one()
    assert "all pages read by OCR (Tesseract)" in warnings
    assert rated[0] > 50 and rated[0] == rated[1]  # every cell with text says how sure


@needs_tesseract
def test_ocr_never_and_always(scan: Path) -> None:
    never = parse_pdf(scan, file_sha256(scan), ParseOptions(ocr="never"))
    assert never.tables == () and never.blocks == ()
    assert never.warnings == ("tb-scan.pdf: all pages scanned, not read (--ocr never)",)
    always = parse_pdf(SAMPLE, file_sha256(SAMPLE), ParseOptions(ocr="always"))
    assert [len(t.rows) for t in always.tables] == [11, 4]  # the text layer ignored, OCR read
    assert all(c.confidence is not None for c in always.tables[1].rows[0])


@needs_tesseract
def test_thin_text_layer_over_a_scan_is_read_by_ocr(scan: Path, tmp_path: Path) -> None:
    """A scanned page whose only text is a stamped page number is a scan, not a page."""
    picture = tmp_path / "page.png"
    import pypdfium2

    document = pypdfium2.PdfDocument(scan)
    document[1].render(scale=200 / 72, grayscale=True).to_pil().save(picture)
    document.close()
    path = tmp_path / "stamped.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.drawImage(str(picture), 0, 0, width=A4[0], height=A4[1])
    canvas.drawString(500, 20, "Page 2")
    canvas.save()
    doc = parse_pdf(path, file_sha256(path))
    assert doc.warnings[0].startswith("stamped.pdf: page 1 read by OCR (Tesseract)")
    rag = doc.tables[-1]
    assert rag.header_strings() == ["Criteria", "RAG", "Rationale"]
    assert [row[1].text for row in rag.rows] == ["Amber", "Green", "Red", "Green"]


def test_ingest_without_tesseract_names_the_file_and_what_to_install(
    tmp_path: Path, make_html_paper: Any
) -> None:
    """With no Tesseract on PATH, a scan fails with one line saying what to install."""
    paper = make_html_paper("papers/good.html")
    scanned_copy(SAMPLE, paper.parent / "scan.pdf")
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    run = subprocess.run(
        [*cli_command(), "ingest", str(paper.parent), "--db", str(tmp_path / "p.db")],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 1
    lines = [ln for ln in run.stderr.splitlines() if "scan.pdf" in ln]
    assert len(lines) == 1, run.stderr
    assert "scanned pages need OCR" in lines[0]
    assert "apt-get install tesseract-ocr" in lines[0]
    with open_database(tmp_path / "p.db").connect() as conn:
        stored = conn.execute(text("SELECT source FROM documents")).scalars().all()
    assert stored == ["good.html"]
