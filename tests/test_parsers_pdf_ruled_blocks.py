"""Ruled tables whose rules do not draw every row or column: a dark header fill set a
little inside its cell's rules (the gaps are no columns), and blocks of rows printed
inside one ruled cell under a group heading (each line group is a row) — while a
tracker row whose update runs to several paragraphs stays one row."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from parsers.model import Table
from parsers.pdf import parse

W, H = A4
BOLD, PLAIN = "Helvetica-Bold", "Helvetica"
LEFT, RIGHT = 70.0, 520.0
EDGES = [LEFT, 170.0, 350.0, RIGHT]  # the column rules


def text(c: Canvas, x: float, top: float, s: str, font: str = PLAIN, size: float = 9) -> None:
    c.setFont(font, size)
    c.drawString(x, H - top - size * 0.8, s)


def frame(c: Canvas, tops: list[float]) -> None:
    """Horizontal rules at ``tops`` across the table and the column rules between the
    first and last of them."""
    for top in tops:
        c.line(LEFT, H - top, RIGHT, H - top)
    for x in EDGES:
        c.line(x, H - tops[0], x, H - tops[-1])


def dark_header(c: Canvas, top: float, bottom: float, names: list[str]) -> None:
    """Each header cell filled black 4 pt inside its rules, its name in white."""
    inset = 4.0
    for (x0, x1), name in zip(pairwise(EDGES), names, strict=True):
        c.setFillColorRGB(0, 0, 0)
        c.rect(x0 + inset, H - bottom + 1, x1 - x0 - 2 * inset, bottom - top - 2, fill=1)
        c.setFillColorRGB(1, 1, 1)
        text(c, x0 + inset + 4, top + 3, name, BOLD)
    c.setFillColorRGB(0, 0, 0)


def only_table(path: Path) -> Table:
    (table,) = parse(path, "0" * 64).tables
    return table


def test_a_dark_header_fill_inside_its_rules_makes_no_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "dark_header.pdf"
    c = Canvas(str(path), pagesize=A4)
    dark_header(c, 100, 116, ["Service", "Measure", "Status"])
    rows = [("Libraries", "Visits per head", "On track"), ("Highways", "Potholes fixed", "Late")]
    top = 116.0
    for row in rows:
        for x, s in zip(EDGES, row, strict=False):
            text(c, x + 4, top + 4, s)
        top += 16
    frame(c, [100, 116, 132, 148])
    c.save()
    table = only_table(path)
    assert table.header_strings() == ["Service", "Measure", "Status"]
    assert table.row_strings() == [
        ["Libraries", "Visits per head", "On track"],
        ["Highways", "Potholes fixed", "Late"],
    ]


def test_rows_printed_inside_one_ruled_cell_under_a_group_heading(tmp_path: Path) -> None:
    """Two ruled blocks, each a group heading ("Revenue:") over two rows whose label,
    wrapped description and example line up, a blank line between rows."""
    path = tmp_path / "ruled_blocks.pdf"
    c = Canvas(str(path), pagesize=A4)
    dark_header(c, 100, 116, ["Source", "Definition", "Examples"])
    blocks = [
        ("Revenue:", [
            ("Council tax", ["Charged on homes in the", "county each year"], ["Band D charge"]),
            ("Grants", ["Paid by government for", "set purposes"], ["Public health grant"]),
        ]),
        ("Capital:", [
            ("Borrowing", ["Loans taken to pay for", "buildings and roads"], ["PWLB loans"]),
            ("Receipts", ["Money from selling land", "or buildings"], ["Farm sales"]),
        ]),
    ]  # fmt: skip
    rules, top = [100.0, 116.0], 116.0
    for heading, rows in blocks:
        text(c, LEFT + 4, top + 4, heading, BOLD)
        top += 24
        for label, definition, examples in rows:
            text(c, EDGES[1] - 4 - c.stringWidth(label, PLAIN, 9), top, label)
            for i, s in enumerate(definition):
                text(c, EDGES[1] + 4, top + 11 * i, s)
            for i, s in enumerate(examples):
                text(c, EDGES[2] + 4, top + 11 * i, s)
            top += 11 * len(definition) + 11
        rules.append(top)
    frame(c, rules)
    c.save()
    table = only_table(path)
    assert table.header_strings() == ["Source", "Definition", "Examples"]
    assert table.row_strings() == [
        ["Revenue:", "", ""],
        ["Council tax", "Charged on homes in the county each year", "Band D charge"],
        ["Grants", "Paid by government for set purposes", "Public health grant"],
        ["Capital:", "", ""],
        ["Borrowing", "Loans taken to pay for buildings and roads", "PWLB loans"],
        ["Receipts", "Money from selling land or buildings", "Farm sales"],
    ]


def test_a_tracker_row_with_an_update_of_several_paragraphs_stays_one_row(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tracker.pdf"
    c = Canvas(str(path), pagesize=A4)
    dark_header(c, 100, 116, ["Recommendation", "Owner", "Update"])
    rules, top = [100.0, 116.0], 120.0
    for rec, owner, paragraphs in [
        ("1 Publish the register", "Head of HR", [["May 2024: draft shared", "with the board"],
                                                  ["June 2024: published", "on the website"]]),
        ("2 Review the policy", "Director", [["April 2024: review", "started"],
                                             ["July 2024: review", "complete"]]),
    ]:  # fmt: skip
        text(c, LEFT + 4, top, rec)
        text(c, EDGES[1] + 4, top, owner)
        line = 0
        for para in paragraphs:
            for s in para:
                text(c, EDGES[2] + 4, top + 11 * line, s)
                line += 1
            line += 1
        top += 11 * line + 4
        rules.append(top)
        top += 4
    frame(c, rules)
    c.save()
    table = only_table(path)
    body = table.row_strings()
    assert [row[:2] for row in body] == [
        ["1 Publish the register", "Head of HR"],
        ["2 Review the policy", "Director"],
    ]
    assert "May 2024: draft shared with the board" in body[0][2]
    assert "June 2024: published on the website" in body[0][2]


PARAGRAPH = [
    "The council launched its open data site in May and now publishes every",
    "committee paper, spending record and contract over five hundred pounds",
    "within a week of the decision that led to it. Residents can",
    "search the records by service, supplier and date, and download",
    "them as spreadsheets; a new version of the site, planned for",
    "next spring, will let them compare spending between years.",
]


def test_a_paragraph_with_white_shading_behind_each_line_is_not_a_table(
    tmp_path: Path,
) -> None:
    """Word's white paragraph shading: one white box behind every line, ending where the
    line ends. Nothing is printed but the text; the boxes' ragged ends are no columns."""
    path = tmp_path / "shaded_lines.pdf"
    c = Canvas(str(path), pagesize=A4)
    for i, line in enumerate(PARAGRAPH):
        top = 100 + 14 * i
        c.setFillColorRGB(1, 1, 1)
        c.rect(LEFT, H - top - 13, c.stringWidth(line, PLAIN, 9) + 2, 13, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        text(c, LEFT + 1, top + 2, line)
    c.save()
    doc = parse(path, "0" * 64)
    assert doc.tables == ()
    assert "every committee paper" in " ".join(b.text for b in doc.blocks)


def test_a_ruled_gantt_chart_with_shaded_bars_keeps_its_rows(tmp_path: Path) -> None:
    """An action plan's timeline: a task per ruled row, quarters as columns, the bars
    drawn as shaded cells with no text — each row has one text cell, one column wide."""
    path = tmp_path / "gantt.pdf"
    c = Canvas(str(path), pagesize=A4)
    edges = [LEFT, 250.0, 310.0, 370.0, 430.0, 490.0]
    tasks = [("Task", None), ("Consult residents", (1, 2)), ("Agree budget", (2, 3)),
             ("Procure supplier", (3, 5))]  # fmt: skip
    for r, (task, bar) in enumerate(tasks):
        top = 100 + 16 * r
        if bar:
            c.setFillColorRGB(0.6, 0.8, 0.6)
            c.rect(edges[bar[0]], H - top - 16, edges[bar[1]] - edges[bar[0]], 16, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
        text(c, LEFT + 4, top + 4, task, BOLD if bar is None else PLAIN)
    for i, q in enumerate(["Q1", "Q2", "Q3", "Q4"]):
        text(c, edges[i + 1] + 4, 104, q, BOLD)
    for r in range(len(tasks) + 1):
        c.line(LEFT, H - 100 - 16 * r, edges[-1], H - 100 - 16 * r)
    for x in edges:
        c.line(x, H - 100, x, H - 100 - 16 * len(tasks))
    c.save()
    table = only_table(path)
    assert table.header_strings() == ["Task", "Q1", "Q2", "Q3", "Q4"]
    assert [row[0] for row in table.row_strings()] == [
        "Consult residents",
        "Agree budget",
        "Procure supplier",
    ]
    assert [c.fill is not None for c in table.rows[1]] == [False, False, True, False, False]


def test_a_caption_and_a_source_note_inside_the_frame_are_not_rows(tmp_path: Path) -> None:
    """The frame drawn round the caption ("Exhibit 4 …") and the source note too, each a
    row of one cell across the table: the table is the rows between them, the caption
    its context."""
    path = tmp_path / "framed_caption.pdf"
    c = Canvas(str(path), pagesize=A4)
    rows = [["Service", "Budget", "Forecast"], ["Libraries", "4.1", "4.3"],
            ["Highways", "12.0", "11.2"], ["Parks", "2.5", "2.6"]]  # fmt: skip
    text(c, LEFT + 4, 104, "Exhibit 4 Revenue budget and forecast by service (£m)", BOLD)
    for r, row in enumerate(rows):
        for x, s in zip(EDGES, row, strict=False):
            text(c, x + 4, 122 + 16 * r, s, BOLD if r == 0 else PLAIN)
    text(c, LEFT + 4, 186, "Source: budget monitoring report, quarter 3")
    for top in (100, 118, 134, 150, 166, 182, 198):
        c.line(LEFT, H - top, RIGHT, H - top)
    for x in (LEFT, RIGHT):
        c.line(x, H - 100, x, H - 198)
    for x in EDGES[1:-1]:
        c.line(x, H - 118, x, H - 182)
    c.save()
    (table,) = parse(path, "0" * 64).tables
    assert table.header_strings() == ["Service", "Budget", "Forecast"]
    assert table.row_strings() == [
        ["Libraries", "4.1", "4.3"],
        ["Highways", "12.0", "11.2"],
        ["Parks", "2.5", "2.6"],
    ]
    assert table.context == "Exhibit 4 Revenue budget and forecast by service (£m)"


def test_line_by_line_shading_in_the_cells_own_colour_does_not_cut_it_into_rows(
    tmp_path: Path,
) -> None:
    """Word shades a grey cell's paragraph line by line in the same grey: boxes inside
    the cell's box, one per line, invisible on the page. A wrapped recommendation stays
    one cell in one row."""
    path = tmp_path / "line_shading.pdf"
    c = Canvas(str(path), pagesize=A4)
    grey = (0.93, 0.92, 0.92)
    rows = [
        (["4c Review and simplify regulation of", "safety in healthcare and explore the",
          "use of safety management systems"], ["F", "P"]),
        (["4d Complete a formal audit of", "digitised patient records"], ["P", "F"]),
    ]  # fmt: skip
    edges = [LEFT, 300.0, 380.0, 460.0]
    top = 100.0
    for lines, marks in rows:
        height = 14 * len(lines) + 6
        c.setFillColorRGB(*grey)
        for x0, x1 in pairwise(edges):
            c.rect(x0, H - top - height, x1 - x0, height, stroke=0, fill=1)
        for i in range(len(lines)):  # the same grey again, behind each line
            c.rect(LEFT + 5, H - top - 3 - 14 * (i + 1), edges[1] - LEFT - 10, 14, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        for i, s in enumerate(lines):
            text(c, LEFT + 6, top + 5 + 14 * i, s)
        for x, m in zip(edges[1:], marks, strict=False):
            text(c, x + 6, top + 5, m)
        top += height
    for y in (100.0, 100.0 + 48, top):
        c.line(LEFT, H - y, edges[-1], H - y)
    for x in edges:
        c.line(x, H - 100, x, H - top)
    c.save()
    table = only_table(path)
    grid = [[cell.text for cell in row] for row in (*table.header, *table.rows)]
    assert grid == [
        ["4c Review and simplify regulation of safety in healthcare and explore the use of "
         "safety management systems", "F", "P"],
        ["4d Complete a formal audit of digitised patient records", "P", "F"],
    ]  # fmt: skip


def test_row_labels_outside_the_figures_box_under_rules_that_run_on(tmp_path: Path) -> None:
    """Figures boxed with rules, their header box drawn over them only; the rules
    between the rows run on to the left over the row labels, which have no box."""
    path = tmp_path / "labels_outside.pdf"
    c = Canvas(str(path), pagesize=A4)
    xs = [330.0, 420.0, 500.0]
    text(c, xs[0] + 4, 104, "Participants", BOLD)
    text(c, xs[1] + 4, 104, "Female (%)", BOLD)
    rows = [("Adult learning", "79 935", "55"), ("Apprenticeships", "2 961", "73"),
            ("Labour market training", "51 955", "52"), ("Total", "134 851", "54")]  # fmt: skip
    for i, (label, n, share) in enumerate(rows):
        top = 120 + 16 * i
        text(c, LEFT + 2, top + 4, label)
        text(c, xs[0] + 4, top + 4, n)
        text(c, xs[1] + 4, top + 4, share)
    c.line(xs[0], H - 100, xs[-1], H - 100)  # the header box's top, over the figures only
    for i in range(len(rows)):
        c.line(LEFT, H - 120 - 16 * i, xs[-1], H - 120 - 16 * i)  # row rules run on
    c.line(xs[0], H - 184, xs[-1], H - 184)  # the totals' foot, over the figures only
    for x in xs:
        c.line(x, H - 100, x, H - 184)
    c.save()
    table = only_table(path)
    assert table.header_strings() == ["", "Participants", "Female (%)"]
    assert table.row_strings() == [
        ["Adult learning", "79 935", "55"],
        ["Apprenticeships", "2 961", "73"],
        ["Labour market training", "51 955", "52"],
        ["Total", "134 851", "54"],
    ]


def test_row_labels_beside_a_ruled_grid_with_no_rule_near_them(tmp_path: Path) -> None:
    """A cost allocation as grant guides print it: the figures in a ruled grid, the cost
    categories set beside it with no rule at all, one per row; the grid of figures to
    their right takes them in as its first column. Two grids side by side do not take
    each other's cells for labels."""
    path = tmp_path / "labels_beside.pdf"
    c = Canvas(str(path), pagesize=A4)
    xs = [175.0, 255.0, 335.0]
    rows = [("Salaries", "1,314,000", "373,250"), ("Staff travel", "94,000", "20,000"),
            ("Office rent", "170,000", "170,000"), ("Telephone", "109,400", "55,000")]  # fmt: skip
    text(c, LEFT, 104, "Cost category", BOLD)
    text(c, xs[0] + 4, 104, "Total", BOLD)
    text(c, xs[1] + 4, 104, "Indirect", BOLD)
    for i, (label, total, indirect) in enumerate(rows):
        top = 116 + 14 * i
        text(c, LEFT, top + 3, label)
        text(c, xs[0] + 4, top + 3, total)
        text(c, xs[1] + 4, top + 3, indirect)
    for i in range(len(rows) + 2):
        y = 100 if i == 0 else 116 + 14 * (i - 1)
        c.line(xs[0], H - y, xs[-1], H - y)
    for x in xs:
        c.line(x, H - 100, x, H - (116 + 14 * len(rows)))
    c.save()
    table = only_table(path)
    assert table.header_strings() == ["Cost category", "Total", "Indirect"]
    assert table.row_strings() == [
        ["Salaries", "1,314,000", "373,250"],
        ["Staff travel", "94,000", "20,000"],
        ["Office rent", "170,000", "170,000"],
        ["Telephone", "109,400", "55,000"],
    ]


def grid(c: Canvas, top: float, rows: list[tuple[str, str, str]], font: str = PLAIN) -> float:
    """``rows`` in a ruled grid from ``top``, 16 pt a row; returns its bottom."""
    for i, row in enumerate(rows):
        for x, s in zip(EDGES, row, strict=False):
            text(c, x + 4, top + 16 * i + 4, s, BOLD if i == 0 and font == BOLD else PLAIN)
    bottom = top + 16 * len(rows)
    frame(c, [top + 16 * i for i in range(len(rows) + 1)])
    return bottom


def test_a_bold_group_heading_between_two_ruled_grids_joins_them(tmp_path: Path) -> None:
    """An effect-size exhibit: one ruled grid per group of measures, each group's bold
    heading printed between the grids outside their rules; the second grid has no header
    of its own. One table, the heading a row across it."""
    path = tmp_path / "heading-between-grids.pdf"
    c = Canvas(str(path), pagesize=A4)
    bottom = grid(c, 100, [("Measure", "Age 4", "Grade 1"), ("Colour naming", "0.16", "NA"),
                           ("Letter naming", "0.25", "NA")], BOLD)  # fmt: skip
    text(c, LEFT + 2, bottom + 4, "School Performance", BOLD)
    grid(c, bottom + 18, [("Promotion", "NA", ""), ("Math ability", "NA", "0.09")])
    c.save()
    table = only_table(path)
    assert table.header_strings() == ["Measure", "Age 4", "Grade 1"]
    assert [row[0].text for row in table.rows] == [
        "Colour naming", "Letter naming", "School Performance", "Promotion", "Math ability",
    ]  # fmt: skip
    assert table.rows[2][0].colspan == 3


def test_a_plain_line_between_two_ruled_boxes_keeps_them_apart(tmp_path: Path) -> None:
    """Two indicator boxes with a plain note printed between them (the first one's
    overflow, "Floor: 90%"): two tables, the note text."""
    path = tmp_path / "note-between-boxes.pdf"
    c = Canvas(str(path), pagesize=A4)
    bottom = grid(c, 100, [("Callers satisfied", "Latest: 97%", "GREEN"),
                           ("", "Target: 97%", "")])  # fmt: skip
    text(c, LEFT + 2, bottom + 4, "Floor: 90%")
    grid(c, bottom + 18, [("Calls answered", "Latest: 94%", "GREEN"), ("", "Target: 90%", "")])
    c.save()
    doc = parse(path, "0" * 64)
    assert len(doc.tables) == 2
    assert "Floor: 90%" in " ".join(b.text for b in doc.blocks)


def boxed_words(c: Canvas, x: float, top: float, line: str) -> None:
    """``line`` printed word by word with a white box behind each word and each space,
    as some Word exports draw every run of text."""
    for i, word in enumerate(line.split(" ")):
        for piece in ([" "] if i else []) + [word]:
            width = c.stringWidth(piece, PLAIN, 9)
            c.setFillColorRGB(1, 1, 1)
            c.rect(x, H - top - 13, width, 13, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
            text(c, x, top + 2, piece)
            x += width


def test_white_boxes_behind_every_word_in_a_framed_risk_box_are_no_columns(
    tmp_path: Path,
) -> None:
    """A risk register's framed box: a ruled heading bar, a status line and a paragraph
    whose every word and space has a white box behind it. Nothing shows but the text and
    the frame; the boxes' sides are no columns and the box is running text."""
    path = tmp_path / "boxed_words.pdf"
    c = Canvas(str(path), pagesize=A4)
    c.rect(LEFT, H - 190, RIGHT - LEFT, 90, stroke=1, fill=0)
    c.line(LEFT, H - 114, RIGHT, H - 114)
    text(c, LEFT + 4, 102, "CRR0015: Sustainability of the Social Care Market", BOLD)
    boxed_words(c, LEFT + 4, 120, "Partially Complete")
    for i, line in enumerate(PARAGRAPH[:4]):
        boxed_words(c, LEFT + 4, 134 + 13 * i, line)
    c.save()
    doc = parse(path, "0" * 64)
    assert doc.tables == ()
    assert "every committee paper" in " ".join(b.text for b in doc.blocks)


def test_white_cell_boxes_between_two_rules_still_draw_the_columns(tmp_path: Path) -> None:
    """Word's export of a table ruled only above and below: a white box behind each
    cell, the columns' gaps wider than a word space. The boxes are the table's cells."""
    path = tmp_path / "white_cells.pdf"
    c = Canvas(str(path), pagesize=A4)
    edges = [LEFT, 260.0, 320.0, 380.0, 440.0, 500.0]
    rows = [
        ("Differences with respect to Germany", "Portugal", "Greece", "Spain", "Italy"),
        ("Q2 2006 – Q1 2010**", "0.33", "0.51", "0.31", "0.18"),
        ("Q1 2009 – Q4 2009", "-0.01", "0.45", "0.21", "0.18"),
        ("Q4 2009", "0.17", "0.70", "0.26", "0.09"),
    ]
    for r, row in enumerate(rows):
        top = 100 + 15 * r
        for (x0, x1), s in zip(pairwise(edges), row, strict=False):
            c.setFillColorRGB(1, 1, 1)
            c.rect(x0, H - top - 15, x1 - x0 - 6, 15, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
            text(c, x0 + 2, top + 2, s, size=10)  # the boxes a line tall
    for y in (100.0, 115.0, 160.0):
        c.line(LEFT, H - y, edges[-1] - 6, H - y)
    c.save()
    table = only_table(path)
    grid = [[cell.text for cell in row] for row in (*table.header, *table.rows)]
    assert grid == [list(row) for row in rows]
    assert table.notes[0] == "ruled"  # read from the cell boxes, not guessed from the text
