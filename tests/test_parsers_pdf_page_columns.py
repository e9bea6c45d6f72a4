"""Running text set in page columns is no table, however its lines fall: columns whose
baselines sit a few points apart, three columns across the page, and a short piece of
two columns whose lines line up as rows.  A table of figures with a column of prose
beside them stays a table."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from parsers.model import Document
from parsers.pdf import parse

W, H = A4
PLAIN, BOLD = "Helvetica", "Helvetica-Bold"
SIZE = 9.0

ARTICLE = (
    "the booklets were rotated among students with each participating student completing "
    "one booklet only and the reading items were each assembled separately into blocks of "
    "items so that each of the booklets contained two blocks in total while every block "
    "occurred twice across the booklets which meant that the design of the assessment "
    "balanced the position of each block and the time students spent on them was the same "
    "for all of the items in the study as the report on the methods describes in detail "
    "together with the weights used to combine the results of the students in each state"
).split()


def parsed(path: Path) -> Document:
    return parse(path, "0" * 64)


def column_lines(words: list[str], width: float, count: int) -> list[str]:
    """``count`` lines of ragged text no wider than ``width``, each sentence capitalised
    where it starts; the words are used up from the front of ``words``."""
    lines = []
    for _ in range(count):
        line: list[str] = []
        while words and _width([*line, words[0]]) < width:
            line.append(words.pop(0))
        lines.append(" ".join(line))
    return lines


def _width(words: list[str]) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(" ".join(words), PLAIN, SIZE)


def draw(c: Canvas, x: float, top: float, s: str, font: str = PLAIN) -> None:
    c.setFont(font, SIZE)
    c.drawString(x, H - top - SIZE * 0.8, s)


def all_text(doc: Document) -> str:
    return " ".join(b.text for b in doc.blocks)


def test_two_page_columns_with_baselines_a_few_points_apart_are_not_a_table(
    tmp_path: Path,
) -> None:
    """Two columns of an appendix, each with its own headings, so the right column's
    lines sit 4 pt lower than the left's: no printed line holds both, except where a
    heading of the left column lands level with a line of the right, which then looks
    like a row of two cells."""
    path = tmp_path / "offset-columns.pdf"
    c = Canvas(str(path), pagesize=A4)
    words = list(ARTICLE) * 4
    right = [120 + 12.0 * i for i in range(16)]
    left = {100.0: "Design of instruments", right[5]: "Assessment booklets"}
    left |= {right[11]: "Translated instruments"}
    top, lines = 116.0, column_lines(words, 230, 12)
    for heading_top in [right[5], right[11], 1e9]:
        while lines and top + 12 < heading_top:  # a line and the gap before the heading
            draw(c, 50, top, lines.pop(0))
            top += 12
        top = heading_top + 16
    for heading_top, heading in left.items():
        draw(c, 50, heading_top, heading, BOLD)
    for top, line in zip(right, column_lines(words, 230, 16), strict=True):
        assert line  # the right column runs on past both headings
        draw(c, 310, top, line)
    c.save()
    doc = parsed(path)
    assert doc.tables == ()
    assert "Design of instruments" in all_text(doc)
    assert "Assessment booklets" in all_text(doc)


def test_three_page_columns_of_running_text_are_not_a_table(tmp_path: Path) -> None:
    """A report page in three narrow columns of ragged text; one column has a short
    paragraph and a blank line where the others run on."""
    path = tmp_path / "three-columns.pdf"
    c = Canvas(str(path), pagesize=A4)
    words = list(ARTICLE) * 3
    for x in (50.0, 225.0, 400.0):
        top = 100.0
        for k, line in enumerate(column_lines(words, 150, 16)):
            if x == 225.0 and k == 5:
                top += 12  # a paragraph break in the middle column only
            draw(c, x, top, line)
            top += 12
    c.save()
    doc = parsed(path)
    assert doc.tables == ()
    assert "balanced" in all_text(doc)


def test_a_short_piece_in_two_columns_whose_lines_line_up_is_not_a_table(
    tmp_path: Path,
) -> None:
    """Five lines of a two-column article under a table of tightly set figures, line
    for line: too few for a page column, their leading wider than the figures' (so
    each line reads as a row of its own), and each line of one column sits level with
    one of the other as cells of a row would — but the sentences run on from line to
    line in both."""
    path = tmp_path / "short-two-columns.pdf"
    c = Canvas(str(path), pagesize=A4)
    draw(c, 50, 100, "Age group", BOLD)
    for x, head in zip((200.0, 260.0, 320.0), ("No.", "Rate", "(95% CI)"), strict=True):
        draw(c, x, 100, head, BOLD)
    for i, age in enumerate(["45-54", "55-64", "65-74", "75-84", "85+", "Total"]):
        draw(c, 50, 112 + 9.5 * i, age)
        figures = (f"{3 + i},512", f"{19 + i}.2", "(1.0-2.0)")
        for x, v in zip((200.0, 260.0, 320.0), figures, strict=True):
            draw(c, x, 112 + 9.5 * i, v)
    words = list(ARTICLE)
    for x in (50.0, 310.0):
        for i, line in enumerate(column_lines(words, 230, 5)):
            draw(c, x, 200 + 12.5 * i, line.capitalize() if i == 0 else line)
    c.save()
    doc = parsed(path)
    (table,) = doc.tables
    assert table.header_strings() == ["Age group", "No.", "Rate", "(95% CI)"]
    assert len(table.rows) == 6
    assert "rotated among students" in all_text(doc)


def test_figures_with_a_column_of_commentary_beside_them_stay_a_table(tmp_path: Path) -> None:
    """A finance monitoring table: service, budget, forecast and a commentary whose
    lines run on from row to row where the row builder cannot tell them apart.  The
    column of figures makes it a table, whatever the commentary does."""
    path = tmp_path / "commentary.pdf"
    c = Canvas(str(path), pagesize=A4)
    draw(c, 50, 100, "Key Service", BOLD)
    draw(c, 200, 100, "Budget", BOLD)
    draw(c, 250, 100, "Forecast", BOLD)
    draw(c, 310, 100, "Detail", BOLD)
    words = list(ARTICLE)
    services = ["Finance", "Governance", "Property", "Highways", "Libraries", "Waste"]
    for i, (service, line) in enumerate(zip(services, column_lines(words, 230, 6), strict=True)):
        top = 114 + 12 * i
        draw(c, 50, top, service)
        draw(c, 200, top, f"{10 + i}.5")
        draw(c, 250, top, f"{9 + i}.8")
        draw(c, 310, top, line)
    c.save()
    (table,) = parsed(path).tables
    assert table.header_strings() == ["Key Service", "Budget", "Forecast", "Detail"]
    assert [row[:3] for row in table.row_strings()][0] == ["Finance", "10.5", "9.8"]
    assert len(table.rows) == 6
