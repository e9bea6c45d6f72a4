"""The PDF parser on PDFs drawn with reportlab: ruled and borderless tables, page breaks,
running headers, merged cells and broken files."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from parsers.errors import DamagedFileError, EncryptedFileError
from parsers.model import Document, Table
from parsers.pdf import parse
from parsers.pdf_pages import pack, unpack
from parsers.pdf_words import group_lines, page_words, running_keys

W, H = A4
SHA = "0" * 64
BOLD, PLAIN = "Helvetica-Bold", "Helvetica"


def text(c: Canvas, x: float, top: float, s: str, font: str = PLAIN, size: float = 10) -> None:
    """Write ``s`` with its top edge at ``top`` points from the top of the page."""
    c.setFont(font, size)
    c.drawString(x, H - top - size * 0.8, s)


def running(c: Canvas, page: int) -> None:
    text(c, 200, 30, "NOT PROTECTIVELY MARKED", BOLD)
    text(c, 290, 800, str(page))


def grid(c: Canvas, xs: Sequence[float], ys: Sequence[float]) -> None:
    """Rule every row and column line of a plain grid."""
    for y in ys:
        c.line(xs[0], H - y, xs[-1], H - y)
    for x in xs:
        c.line(x, H - ys[0], x, H - ys[-1])


def cell_lines(c: Canvas, x: float, top: float, lines: Sequence[str], font: str = PLAIN) -> None:
    for i, s in enumerate(lines):
        text(c, x + 4, top + 4 + 12 * i, s, font)


def parse_pdf(path: Path) -> Document:
    return parse(path, SHA)


def only_table(doc: Document) -> Table:
    assert len(doc.tables) == 1, [t.header_strings() for t in doc.tables]
    return doc.tables[0]


@pytest.fixture
def two_page_ruled(tmp_path: Path) -> Path:
    """A ruled tracker over two pages: header repeated, row 2 split by the page break."""
    path = tmp_path / "two-page-ruled.pdf"
    c = Canvas(str(path), pagesize=A4)
    xs = [60, 100, 400, 520]
    running(c, 1)
    text(c, 60, 80, "Recommendations tracker", BOLD, 14)
    text(c, 60, 110, "The table below sets out progress against each recommendation.")
    grid(c, xs, [640, 660, 700, 740])
    for x, s in zip(xs, ["No.", "Recommendation", "Status"], strict=False):
        cell_lines(c, x, 644, [s], BOLD)
    for x, lines in zip(
        xs, [["1"], ["Improve the quality of", "performance data"], ["Complete"]], strict=False
    ):
        cell_lines(c, x, 662, lines)
    for x, lines in zip(xs, [["2"], ["Review the budget process and"], ["Ongoing"]], strict=False):
        cell_lines(c, x, 702, lines)
    c.showPage()
    running(c, 2)
    grid(c, xs, [60, 80, 100, 140])
    for x, s in zip(xs, ["No.", "Recommendation", "Status"], strict=False):
        cell_lines(c, x, 64, [s], BOLD)
    cell_lines(c, xs[1], 82, ["report to committee annually."])
    for x, lines in zip(xs, [["3"], ["Train all staff"], ["Not started"]], strict=False):
        cell_lines(c, x, 102, lines)
    text(c, 60, 180, "Members are asked to note the progress made.")
    c.showPage()
    running(c, 3)
    text(c, 60, 80, "Background papers: none.")
    c.save()
    return path


def test_parse_ruled_table_stitched_over_page_break(two_page_ruled: Path) -> None:
    table = only_table(parse_pdf(two_page_ruled))
    assert table.header_strings() == ["No.", "Recommendation", "Status"]
    assert table.row_strings() == [
        ["1", "Improve the quality of performance data", "Complete"],
        ["2", "Review the budget process and report to committee annually.", "Ongoing"],
        ["3", "Train all staff", "Not started"],
    ]
    assert table.pages == (1, 2)
    assert table.rows[1][1].pages == (1, 2)
    assert table.rows[0][1].pages == (1,)
    assert table.rows[0][1].bbox is not None


def test_parse_running_text_blocks_and_context(two_page_ruled: Path) -> None:
    doc = parse_pdf(two_page_ruled)
    texts = [b.text for b in doc.blocks]
    assert doc.page_count == 3
    assert not any("PROTECTIVELY" in t for t in texts)
    assert not any(t.strip() in {"1", "2", "3"} for t in texts)
    kinds = [b.kind for b in doc.blocks]
    assert kinds.count("table") == 1
    table_at = kinds.index("table")
    assert doc.blocks[0].kind == "heading"
    assert doc.blocks[0].text == "Recommendations tracker"
    assert "progress against each" in doc.blocks[table_at - 1].text
    assert doc.tables[0].context == doc.blocks[table_at - 1].text
    assert "Members are asked to note the progress made." in texts[table_at + 1 :]
    assert not any("Train all staff" in t for t in texts)


def test_parse_tables_with_text_between_are_not_stitched(tmp_path: Path) -> None:
    path = tmp_path / "two-tables.pdf"
    c = Canvas(str(path), pagesize=A4)
    xs = [60, 200, 400]
    for page, (title, rows) in enumerate(
        [
            ("Savings", [["Item A", "1.0"], ["Item B", "2.0"]]),
            ("Risks", [["Risk C", "High"], ["Risk D", "Low"]]),
        ],
        start=1,
    ):
        running(c, page)
        text(c, 60, 60, title, BOLD, 14)
        grid(c, xs, [90, 110, 130, 150])
        for x, s in zip(xs, ["Name", "Value"], strict=False):
            cell_lines(c, x, 94, [s], BOLD)
        for i, row in enumerate(rows):
            for x, s in zip(xs, row, strict=False):
                cell_lines(c, x, 114 + 20 * i, [s])
        c.showPage()
    c.save()
    doc = parse_pdf(path)
    assert [t.row_strings() for t in doc.tables] == [
        [["Item A", "1.0"], ["Item B", "2.0"]],
        [["Risk C", "High"], ["Risk D", "Low"]],
    ]
    assert [t.context for t in doc.tables] == ["Savings", "Risks"]


def test_parse_merged_cells_on_grid(tmp_path: Path) -> None:
    """A header cell spanning two columns and a section row spanning the whole table."""
    path = tmp_path / "spans.pdf"
    c = Canvas(str(path), pagesize=A4)
    xs, ys = [60, 250, 350, 450], [100, 120, 140, 160, 180]
    for y in ys:
        c.line(xs[0], H - y, xs[-1], H - y)
    for x in (xs[0], xs[-1]):
        c.line(x, H - ys[0], x, H - ys[-1])
    c.line(xs[1], H - ys[0], xs[1], H - ys[2])  # "Budget" spans columns 1-2 in row 0
    c.line(xs[2], H - ys[1], xs[2], H - ys[2])
    c.line(xs[1], H - ys[3], xs[1], H - ys[4])  # row 2 is one section cell
    c.line(xs[2], H - ys[3], xs[2], H - ys[4])
    cell_lines(c, xs[1], 104, ["Budget"], BOLD)
    cell_lines(c, xs[0], 124, ["Item"], BOLD)
    cell_lines(c, xs[1], 124, ["2011/12"], BOLD)
    cell_lines(c, xs[2], 124, ["2012/13"], BOLD)
    cell_lines(c, xs[0], 144, ["Strategy and governance"])
    for x, s in zip(xs, ["Training", "-9.4", "-21.3"], strict=False):
        cell_lines(c, x, 164, [s])
    c.save()
    table = only_table(parse_pdf(path))
    assert len(table.header) == 2
    assert table.header[0][1].colspan == 2 and table.header[0][2].covered
    assert table.header_strings() == ["Item", "Budget / 2011/12", "Budget / 2012/13"]
    assert table.row_strings() == [
        ["Strategy and governance", "", ""],
        ["Training", "-9.4", "-21.3"],
    ]
    assert table.merges() == [[0, 0, 1, 3]]
    assert table.rows[0][1].covered and table.rows[0][1].text == ""


def test_parse_borderless_table_keeps_multiline_cells(tmp_path: Path) -> None:
    path = tmp_path / "borderless.pdf"
    c = Canvas(str(path), pagesize=A4)
    xs = [60, 100, 330]
    text(c, 60, 60, "Action plan", BOLD, 14)
    top = 100
    for x, s in zip(xs, ["Ref", "Action", "Owner"], strict=False):
        text(c, x, top, s, BOLD)
    rows = [
        (["1"], ["Set up a steering group with", "partners from the borough"], ["Director of HR"]),
        (
            ["2"],
            ["Publish the plan:", "- on the intranet", "- in the staff", "  newsletter"],
            ["Head of", "Communications"],
        ),
        (["3"], ["Review progress"], ["Board"]),
    ]
    top += 16
    for cells in rows:
        for x, lines in zip(xs, cells, strict=False):
            for i, s in enumerate(lines):
                indent = 10 if s.startswith("  ") else 0
                text(c, x + indent, top + 12 * i, s.strip())
        top += 12 * max(len(lines) for lines in cells) + 4
    text(c, 60, top + 30, "The board will review the plan in June.")
    c.save()
    doc = parse_pdf(path)
    table = only_table(doc)
    assert table.notes[0] == "borderless"
    assert table.header_strings() == ["Ref", "Action", "Owner"]
    assert table.row_strings() == [
        ["1", "Set up a steering group with partners from the borough", "Director of HR"],
        [
            "2",
            "Publish the plan: on the intranet; in the staff newsletter",
            "Head of Communications",
        ],
        ["3", "Review progress", "Board"],
    ]
    assert doc.tables[0].context == "Action plan"
    assert doc.blocks[-1].text == "The board will review the plan in June."


def test_parse_overprinted_spaces_do_not_split_dates(tmp_path: Path) -> None:
    """Excel exports print a space glyph over each letter; "03/25/2016" stays one word."""
    path = tmp_path / "letter-spaced.pdf"
    c = Canvas(str(path), pagesize=A4)
    c.setFont(PLAIN, 10)
    x = 60.0
    for ch in "03/25/2016":
        c.drawString(x, H - 100, ch)
        c.drawString(x + 1, H - 100, " ")
        x += c.stringWidth(ch, PLAIN, 10)
    c.drawString(200, H - 100, "Notice received")
    c.save()
    doc = parse_pdf(path)
    assert doc.blocks[0].text.startswith("03/25/2016")


def test_parse_truncated_pdf_is_damaged(two_page_ruled: Path, tmp_path: Path) -> None:
    data = two_page_ruled.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: int(len(data) * 0.55)])
    with pytest.raises(DamagedFileError, match=r"cut\.pdf: PDF is damaged or truncated"):
        parse_pdf(cut)


def test_parse_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    c = Canvas(str(path), pagesize=A4, encrypt="secret")
    text(c, 60, 60, "Confidential")
    c.save()
    with pytest.raises(EncryptedFileError, match="locked.pdf"):
        parse_pdf(path)


def test_parse_no_text_layer_warns(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    c = Canvas(str(path), pagesize=A4)
    c.rect(60, 300, 400, 300, fill=1)
    c.showPage()
    c.rect(60, 300, 400, 300, fill=1)
    c.save()
    doc = parse_pdf(path)
    assert doc.tables == () and doc.page_count == 2
    assert doc.warnings == ("scan.pdf: no text layer, needs OCR",)


def test_parse_tables_on_other_columns_are_not_stitched(tmp_path: Path) -> None:
    """Same column count, nothing between, but the columns sit elsewhere: two tables."""
    path = tmp_path / "other-columns.pdf"
    c = Canvas(str(path), pagesize=A4)
    for page, (xs, top) in enumerate([([60, 200, 400], 700), ([60, 300, 500], 60)], start=1):
        running(c, page)
        grid(c, xs, [top, top + 20, top + 40])
        for x, s in zip(xs, [f"Name {page}", f"Value {page}"], strict=False):
            cell_lines(c, x, top + 4, [s], BOLD)
        for x, s in zip(xs, [f"Item {page}", f"{page}.0"], strict=False):
            cell_lines(c, x, top + 24, [s])
        c.showPage()
    c.save()
    doc = parse_pdf(path)
    assert [t.pages for t in doc.tables] == [(1,), (2,)]
    assert [t.header_strings() for t in doc.tables] == [
        ["Name 1", "Value 1"],
        ["Name 2", "Value 2"],
    ]


def test_parse_numbered_paragraphs_are_not_a_table(tmp_path: Path) -> None:
    """A report's "1.1.1  text" paragraphs with a hanging indent line up like two columns."""
    path = tmp_path / "numbered.pdf"
    c = Canvas(str(path), pagesize=A4)
    top = 80.0
    for n in range(1, 4):
        text(c, 60, top, f"1.1.{n}")
        for i in range(3):
            text(c, 100, top + 12 * i, f"Paragraph {n} line {i} of the report body text.")
        top += 52
    c.save()
    doc = parse_pdf(path)
    assert doc.tables == ()
    assert [b.kind for b in doc.blocks] == ["paragraph"] * 3
    assert doc.blocks[0].text.startswith("1.1.1 Paragraph 1 line 0")


def test_pack_round_trip_keeps_lines_exactly(tmp_path: Path) -> None:
    """Pages wait packed for the running headers; unpacked they are the very same lines."""
    path = tmp_path / "mixed.pdf"
    c = Canvas(str(path), pagesize=A4)
    text(c, 60, 60, "Café budget £1,250.75 — Q3", BOLD, 14)
    text(c, 60, 90, "Ref", BOLD)
    text(c, 200, 90, "Owner: Director of Resources 31/03/2012")
    text(c, 60, 104, "x", size=6.5)
    c.save()
    with pdfplumber.open(path) as pdf:
        lines = group_lines(page_words(pdf.pages[0]))
    assert len(lines) == 3
    assert unpack(pack(lines)) == lines
    assert unpack(pack([])) == []


def test_parse_long_table_stitched_over_every_page(tmp_path: Path) -> None:
    """One ruled table over twelve pages under a running header and page number."""
    path = tmp_path / "long.pdf"
    c = Canvas(str(path), pagesize=A4)
    xs = [60, 120, 400]
    for page in range(1, 13):
        running(c, page)
        ys = [60 + 20 * i for i in range(6)]
        grid(c, xs, ys)
        cell_lines(c, 60, 60, ["Ref"], BOLD)
        cell_lines(c, 120, 60, ["Action"], BOLD)
        for i in range(1, 5):
            n = (page - 1) * 4 + i
            cell_lines(c, 60, ys[i], [str(n)])
            cell_lines(c, 120, ys[i], [f"Action number {n}."])
        c.showPage()
    c.save()
    doc = parse_pdf(path)
    table = only_table(doc)
    assert table.pages == tuple(range(1, 13))
    assert table.header_strings() == ["Ref", "Action"]
    assert [r[0] for r in table.row_strings()] == [str(n) for n in range(1, 49)]
    assert not any("PROTECTIVELY" in b.text for b in doc.blocks)


def shared_stream_pdf(path: Path) -> None:
    """Two pages whose /Contents is the same compressed stream object (a generator may
    reuse one stream for identical pages)."""
    body = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Same words on both pages) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R"
        b" /Resources << /Font << /F1 6 0 R >> >> >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R"
        b" /Resources << /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))


def test_parse_stream_shared_by_pages_is_read_on_each(tmp_path: Path) -> None:
    """Decoded page streams are given back after each page; a shared one decodes again."""
    path = tmp_path / "shared.pdf"
    shared_stream_pdf(path)
    doc = parse_pdf(path)
    assert doc.page_count == 2
    assert [(b.page, b.text) for b in doc.blocks] == [
        (1, "Same words on both pages"),
        (2, "Same words on both pages"),
    ]


def padded_borderless(path: Path, rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
    """A heading, then a table with no rules, a bold first row and cells padded 4 pt above
    and below, as LibreOffice prints them: rows sit further apart than paragraph lines."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    table = Table([list(r) for r in rows], colWidths=list(widths))
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), PLAIN, 9),
                ("FONT", (0, 0), (-1, 0), BOLD, 9),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [
        Paragraph("Project status assessment", styles["Heading2"]),
        table,
        Paragraph("The committee is asked to note the ratings above.", styles["BodyText"]),
    ]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)


def test_parse_borderless_table_with_padded_rows(tmp_path: Path) -> None:
    path = tmp_path / "padded.pdf"
    rows = [
        ("Area", "Rating", "Commentary"),
        ("Timetable", "Amber", "One milestone has slipped by a month."),
        ("Funding", "Green", "Spend is within the agreed budget."),
        ("Staffing", "Red", "Two posts remain vacant after advertising."),
    ]
    padded_borderless(path, rows, [110, 60, 280])
    doc = parse_pdf(path)
    table = only_table(doc)
    assert table.header_strings() == ["Area", "Rating", "Commentary"]
    assert table.row_strings() == [list(r) for r in rows[1:]]
    assert [b.kind for b in doc.blocks] == ["heading", "table", "paragraph"]


def test_parse_padded_memo_fields_stay_text(tmp_path: Path) -> None:
    """A memo header's "Label:  value" lines, padded apart, are fields the front matter
    reads, not a table."""
    path = tmp_path / "memo.pdf"
    rows = [
        ("To:", "Cabinet, 30 January 2025"),
        ("Subject:", "Library opening hours"),
        ("Classification:", "Unrestricted"),
    ]
    padded_borderless(path, rows, [110, 340])
    doc = parse_pdf(path)
    assert doc.tables == ()
    assert any(b.text.startswith("Subject: Library opening hours") for b in doc.blocks)


def test_numbered_headings_opening_a_few_pages_are_not_running_headers(tmp_path: Path) -> None:
    """ "Recommendation 4" at the top of page 5 and "Recommendation 9" at the top of page
    9 look alike once their numbers are masked, as running headers' page numbers are; but
    a running header repeats on most pages, or on successive ones, and these do not."""
    path = tmp_path / "long.pdf"
    c = Canvas(str(path), pagesize=A4)
    headings = {2: "Recommendation 1", 5: "Recommendation 4", 9: "Recommendation 9",
                13: "Recommendation 12"}  # fmt: skip
    for page in range(1, 17):
        running(c, page)
        if page in headings:
            text(c, 60, 60, headings[page], BOLD, 16)
        for i in range(20):
            text(c, 60, 120 + 16 * i, f"Line {i} of the body text on this page of the review.")
        c.showPage()
    c.save()
    doc = parse_pdf(path)
    texts = [b.text for b in doc.blocks]
    assert [t for t in texts if t.startswith("Recommendation")] == list(headings.values())
    assert not any("PROTECTIVELY" in t for t in texts)


def test_running_keys_need_most_pages_or_successive_ones() -> None:
    numbered = ("recommendation #", 10)
    header = ("not protectively marked", 5)
    section = ("part # – finance", 10)
    slide = ("proposed priorities ~ adult social care", 8)
    pages = {numbered: [5, 9, 13, 17, 20, 24, 27], header: list(range(1, 31)),
             section: [20, 21, 22], slide: [21, 22, 24, 25]}  # fmt: skip
    assert running_keys(pages, 30) == {header, section, slide}
    assert running_keys({numbered: [1, 3, 5]}, 6) == {numbered}  # half of a short paper
    left = ("healthy students healthy lives", 4)
    assert running_keys({left: [2, 4, 6, 8]}, 9) == {left}  # on left-hand pages only
