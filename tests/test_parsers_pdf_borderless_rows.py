"""Rows and header spans of borderless tables where the layout, not a rule, says where a
row ends: outdented group headings, right-aligned wrapped labels, spanner rules under
group headers — and justified prose whose word gaps line up is no table at all."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from parsers.model import Document
from parsers.pdf import parse

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
