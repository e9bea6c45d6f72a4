"""Rows and header spans of borderless tables where the layout, not a rule, says where a
row ends: outdented group headings, right-aligned wrapped labels, spanner rules under
group headers — and justified prose whose word gaps line up is no table at all."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from parsers.model import Document
from parsers.pdf import parse
from parsers.pdf_borderless import find_borderless
from parsers.pdf_words import Line, Word

W, H = A4
BOLD, PLAIN = "Helvetica-Bold", "Helvetica"


def text(c: Canvas, x: float, top: float, s: str, font: str = PLAIN, size: float = 8) -> None:
    c.setFont(font, size)
    c.drawString(x, H - top - size * 0.8, s)


def right(c: Canvas, x: float, top: float, s: str, font: str = PLAIN, size: float = 8) -> None:
    c.setFont(font, size)
    c.drawRightString(x, H - top - size * 0.8, s)


def centred(c: Canvas, x: float, top: float, s: str, font: str = BOLD, size: float = 8) -> None:
    c.setFont(font, size)
    c.drawCentredString(x, H - top - size * 0.8, s)


def parsed(path: Path) -> Document:
    return parse(path, "0" * 64)


XS = [220.0, 270.0, 330.0, 390.0, 440.0, 500.0]  # right edges of six figure columns


def figures_row(
    c: Canvas, top: float, label: str, values: Sequence[str], xs: Sequence[float] = XS
) -> None:
    """A row label at the left margin, its figures right-aligned at ``xs``."""
    text(c, 60, top, label)
    for x, v in zip(xs, values, strict=True):
        right(c, x, top, v)


def test_group_headers_over_spanner_rules_and_outdented_groups(tmp_path: Path) -> None:
    """A statistical table as health bulletins print it: two group headers, each centred
    over a rule that spans its three columns; row groups ("Sex", "Race") set out to the
    left of their indented rows, with no gap between."""
    path = tmp_path / "spanners.pdf"
    c = Canvas(str(path), pagesize=A4)
    c.line(55, H - 92, 505, H - 92)
    centred(c, 255, 96, "Heart disease")
    centred(c, 430, 96, "Stroke")
    c.line(175, H - 106, 335, H - 106)  # spanner rules under the group headers
    c.line(350, H - 106, 505, H - 106)
    text(c, 60, 110, "Characteristic", BOLD)
    for x, s in zip(XS, ["No.", "Rate", "(95% CI)"] * 2, strict=True):
        right(c, x, 110, s, BOLD)
    c.line(55, H - 121, 505, H - 121)
    top = 125.0
    for group, rows in [
        ("Sex", [("Female", "200,915", "103.1"), ("Male", "224,510", "176.5")]),
        ("Race", [("Black", "44,530", "161.6"), ("White", "371,445", "134.2")]),
    ]:
        text(c, 60, top, group, BOLD)
        top += 11
        for label, n, rate in rows:
            text(c, 66, top, label)
            for x, v in zip(XS, [n, rate, "(1.0-2.0)", n, rate, "(3.0-4.0)"], strict=True):
                right(c, x, top, v)
            top += 11
    c.save()
    (table,) = parsed(path).tables
    assert table.header_strings() == [
        "Characteristic",
        "Heart disease / No.",
        "Heart disease / Rate",
        "Heart disease / (95% CI)",
        "Stroke / No.",
        "Stroke / Rate",
        "Stroke / (95% CI)",
    ]
    assert [row[0] for row in table.row_strings()] == [
        "Sex",
        "Female",
        "Male",
        "Race",
        "Black",
        "White",
    ]


def test_right_aligned_row_labels_wrap_onto_lines_that_start_further_left(
    tmp_path: Path,
) -> None:
    """Finance tables right-align their service names; a wrapped name's second line is
    longer and starts left of the first, and is still one row."""
    path = tmp_path / "right-aligned-labels.pdf"
    c = Canvas(str(path), pagesize=A4)
    right(c, 160, 100, "Key Service", BOLD)
    for x, s in zip([240.0, 300.0, 360.0], ["Budget", "Forecast", "Variance"], strict=True):
        right(c, x, 100, s, BOLD)
    top = 116.0
    for lines, values in [
        (["Adult Learning &", "Physical Disability pathway"], ["8.3", "6.5", "-1.8"]),
        (["Looked After", "Children - Care & Support"], ["101.8", "102.5", "+0.7"]),
        (["Care Leavers"], ["5.6", "4.7", "-0.9"]),
    ]:
        for k, line in enumerate(lines):
            right(c, 160, top + 10 * k, line)
        for x, v in zip([240.0, 300.0, 360.0], values, strict=True):
            right(c, x, top, v)
        top += 10 * len(lines) + 3
    c.save()
    (table,) = parsed(path).tables
    assert table.row_strings() == [
        ["Adult Learning & Physical Disability pathway", "8.3", "6.5", "-1.8"],
        ["Looked After Children - Care & Support", "101.8", "102.5", "+0.7"],
        ["Care Leavers", "5.6", "4.7", "-0.9"],
    ]


PROSE = (
    "The average simulated loss of households is close to the reported average loss of "
    "households who report a loss, but the median differs because a few households lost "
    "a great deal during the crisis while most lost little or nothing at all in the year "
    "and some of them were not aware of the losses in their pension funds until much "
    "later when the statements of their funds arrived by post in the following spring"
).split()


def test_justified_prose_with_wide_word_gaps_is_not_a_table(tmp_path: Path) -> None:
    """A justified paragraph: every line stretched to the same width, so word gaps are
    wide and some of them line up from line to line — prose, not columns."""
    path = tmp_path / "justified.pdf"
    c = Canvas(str(path), pagesize=A4)
    left, width, size = 60.0, 300.0, 9.0
    c.setFont(PLAIN, size)
    words, top = list(PROSE) * 2, 100.0
    for _ in range(12):
        line: list[str] = []
        while words and c.stringWidth(" ".join([*line, words[0]]), PLAIN, size) < width - 40:
            line.append(words.pop(0))
        if len(line) < 2:
            break
        gap = (width - c.stringWidth("".join(line), PLAIN, size)) / (len(line) - 1)
        x = left
        for w in line:
            c.drawString(x, H - top - size * 0.8, w)
            x += c.stringWidth(w, PLAIN, size) + gap
        top += 11
    c.save()
    doc = parsed(path)
    assert doc.tables == ()
    assert "statements of their funds" in " ".join(b.text for b in doc.blocks)


def test_a_table_in_one_page_column_leaves_the_text_beside_it_out(tmp_path: Path) -> None:
    """A bulletin's two-column page: a table of figures in the left column, the article
    running on in the right column line for line beside it.  The text is no column of
    the table, and it stays text."""
    path = tmp_path / "two-column-page.pdf"
    c = Canvas(str(path), pagesize=A4)
    states = [
        ("Ohio", "19,820", "154.0"),
        ("Kentucky", "6,530", "148.6"),
        ("Iowa", "5,469", "141.6"),
    ]
    states += [("Texas", "25,933", "132.2"), ("Utah", "1,462", "77.5"), ("Maine", "1,816", "112.2")]
    states += [("Idaho", "1,565", "110.2"), ("Alaska", "351", "87.4")]
    text(c, 50, 100, "State", BOLD)
    right(c, 200, 100, "No.", BOLD)
    right(c, 250, 100, "Rate", BOLD)
    prose = list(PROSE)
    for i, (state, n, rate) in enumerate(states):
        top = 114 + 11 * i
        text(c, 50, top, state)
        right(c, 200, top, n)
        right(c, 250, top, rate)
    for i in range(-1, len(states) + 2):
        line = " ".join(prose[:7])
        del prose[:7]
        text(c, 300, 114 + 11 * i, line)  # the other page column, line for line
    c.save()
    doc = parsed(path)
    (table,) = doc.tables
    assert table.header_strings() == ["State", "No.", "Rate"]
    assert table.row_strings()[0] == ["Ohio", "19,820", "154.0"]
    assert table.row_strings()[-1] == ["Alaska", "351", "87.4"]
    assert "pension funds" in " ".join(b.text for b in doc.blocks)


@pytest.mark.parametrize("bullet", ["\uf06e", "(cid:2)"])
def test_a_list_with_symbol_font_bullets_is_not_a_two_column_table(bullet: str) -> None:
    """Word prints Wingdings bullets as private-use characters ("\uf06e"), and a glyph a
    PDF maps to no character reaches the text as "(cid:2)"; a list of them with hanging
    text is a list, not a table of bullets and sentences.  The finder takes plain words,
    so the page is built from them."""
    items = [
        "Parents of children in the programme reported more reading at home",
        "There were no impacts for the children in the older group",
        "At the end of first grade the gains had faded for most measures",
        "No significant impacts were found on the health measures",
    ]
    lines = []
    for i, item in enumerate(items):
        top = 100.0 + 12 * i
        words = [Word(bullet, 62, 68, top, top + 8, False, 8.0)]
        x = 80.0
        for w in item.split():
            words.append(Word(w, x, x + 4.5 * len(w), top, top + 8, False, 8.0))
            x += 4.5 * len(w) + 2.2
        lines.append(Line(tuple(words)))
    assert find_borderless(1, lines) == []


def test_text_set_tight_against_a_column_rule_stays_in_its_column(tmp_path: Path) -> None:
    """An expenditure list ruled only round its header and frame: body text starts a hair
    left of the header's column rule (as the US Senate's reports print it); each value
    stays in the column it is under, not spanning the one to its left."""
    path = tmp_path / "tight-against-rule.pdf"
    c = Canvas(str(path), pagesize=A4)
    edges = [60.0, 140.0, 200.0, 330.0, 400.0]
    top, bottom = 100.0, 190.0
    for x in edges:
        c.line(x, H - top, x, H - 118)  # header rules only
    c.line(edges[0], H - top, edges[-1], H - top)
    c.line(edges[0], H - 118, edges[-1], H - 118)
    c.rect(edges[0], H - bottom, edges[-1] - edges[0], bottom - top)
    for x, s in zip(edges, ["DOCUMENT NO.", "DATE", "PAYEE NAME", "AMOUNT"], strict=False):
        text(c, x + 4, 105, s, BOLD)
    rows = [("DHAW20190068", "09/04/2019", "CITIBANK - TRAVEL CARD", "411.49")]
    rows += [("DHAW20190069", "09/09/2019", "CITIBANK - TRAVEL CARD", "411.49")]
    rows += [("DHAW20190070", "09/09/2019", "CITIBANK - TRAVEL CARD", "411.49")]
    for i, (doc_no, date, payee, amount) in enumerate(rows):
        y = 125 + 12 * i
        text(c, 64, y, doc_no)
        text(c, 144, y, date)
        text(c, edges[2] - 0.3, y, payee)  # 0.3 pt left of the PAYEE rule
        right(c, 396, y, amount)
    c.save()
    (table,) = parsed(path).tables
    assert table.row_strings()[-1] == [
        "DHAW20190070",
        "09/09/2019",
        "CITIBANK - TRAVEL CARD",
        "411.49",
    ]


def test_a_title_above_the_rule_that_opens_the_table_is_not_a_row(tmp_path: Path) -> None:
    """A bold title run across the top of a table ruled only across (no "Table 2:" to
    call it a caption), the table's top rule drawn cell by cell under it: the rows start
    below the rule, and the title is the table's context."""
    path = tmp_path / "titled.pdf"
    c = Canvas(str(path), pagesize=A4)
    text(c, 60, 100, "Correlation of spreads and yields for selected council funds", BOLD)
    for x0, x1 in [(55, 200), (200, 280), (280, 360), (360, 440)]:
        c.line(x0, H - 112, x1, H - 112)  # the top rule, in pieces
    for x, s in zip([60, 205, 285, 365], ["Period", "Pension", "Housing", "Capital"], strict=True):
        text(c, x, 116, s, BOLD)
    c.line(55, H - 128, 440, H - 128)
    for i, (period, *values) in enumerate(
        [("Q1 2024", "0.33", "0.51", "0.31"), ("Q2 2024", "-0.01", "0.45", "0.21"),
         ("Q3 2024", "0.17", "0.70", "0.26")]
    ):  # fmt: skip
        text(c, 60, 132 + 12 * i, period)
        for x, v in zip([205, 285, 365], values, strict=True):
            text(c, x, 132 + 12 * i, v)
    c.line(55, H - 170, 440, H - 170)
    c.save()
    (table,) = parsed(path).tables
    assert table.header_strings() == ["Period", "Pension", "Housing", "Capital"]
    assert table.row_strings() == [
        ["Q1 2024", "0.33", "0.51", "0.31"],
        ["Q2 2024", "-0.01", "0.45", "0.21"],
        ["Q3 2024", "0.17", "0.70", "0.26"],
    ]
    assert table.context == "Correlation of spreads and yields for selected council funds"


def test_a_numbered_list_after_its_lead_in_paragraph_is_not_a_table(tmp_path: Path) -> None:
    """Steps numbered "1." to "4." with a hanging indent, under numbered section headings
    and after a paragraph that runs across both the numbers' and the text's columns: a
    list in running text."""
    path = tmp_path / "steps.pdf"
    c = Canvas(str(path), pagesize=A4)
    text(c, 60, 70, "2.1", BOLD, 11)
    text(c, 90, 70, "Savings from gentler driving", BOLD, 11)
    text(c, 60, 86, "2.1.1", BOLD, 10)
    text(c, 90, 86, "Journeys from the travel survey", BOLD, 10)
    text(c, 60, 100, "The interim report set out how the savings were estimated for each", size=9)
    text(c, 60, 112, "journey in the survey, in the following steps:", size=9)
    steps = ["Calculate the distance and time of each journey from the survey.",
             "Remove the stops and starts shorter than ten seconds.",
             "Set the rate of acceleration to the gentlest in the sample.",
             "Hold the cruising speed at the limit of the road."]  # fmt: skip
    for i, step in enumerate(steps):
        text(c, 72, 130 + 14 * i, f"{i + 1}.", size=9)
        text(c, 90, 130 + 14 * i, step, size=9)
    c.save()
    doc = parsed(path)
    assert doc.tables == ()
    assert "Remove the stops and starts" in " ".join(b.text for b in doc.blocks)
