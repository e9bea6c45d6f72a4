"""Headings inside borderless tables: a stub label wrapped down beside stacked group
headings, a unit or group heading centred across the figures between rows, and a header
column named "Source" (which is no "Source: ..." note)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from test_parsers_pdf_borderless_rows import (
    BOLD,
    PLAIN,
    XS,
    H,
    centred,
    figures_row,
    parsed,
    right,
    text,
)


def test_a_stub_label_wrapping_down_beside_stacked_group_headings(tmp_path: Path) -> None:
    """Three header rows (a heading over all figures, group headings over spanner rules,
    sub-headings) beside a stub label printed in three lines, its first a little above
    the group headings, its last level with the sub-headings: the sub-headings are a row
    of their own, and the stub is one cell spanning the rows it is printed beside."""
    path = tmp_path / "stub-beside-groups.pdf"
    c = Canvas(str(path), pagesize=A4)
    centred(c, 360, 90, "Race")
    c.line(175, H - 100, 505, H - 100)
    text(c, 60, 102, "Age", BOLD)
    centred(c, 255, 105, "American Indian")
    centred(c, 430, 105, "Black")
    c.line(175, H - 115, 335, H - 115)  # spanner rules under the group headings
    c.line(350, H - 115, 505, H - 115)
    text(c, 60, 111, "group", BOLD)
    text(c, 60, 120, "(yrs)", BOLD)
    for x, s in zip(XS, ["No.", "Rate", "(95% CI)"] * 2, strict=True):
        right(c, x, 120, s, BOLD)
    c.line(55, H - 131, 505, H - 131)
    for i, age in enumerate(["45-54", "55-64", "65-74"]):
        figures_row(c, 135 + 11 * i, age, ["47", "21.8", "(16.0-29.0)", "1,564", "56.0",
                                           "(53.2-58.8)"])  # fmt: skip
    c.save()
    (table,) = parsed(path).tables
    assert table.header_strings() == [
        "Age group (yrs)",
        "Race / American Indian / No.",
        "Race / American Indian / Rate",
        "Race / American Indian / (95% CI)",
        "Race / Black / No.",
        "Race / Black / Rate",
        "Race / Black / (95% CI)",
    ]
    stub = [row[0] for row in table.header if not row[0].covered and row[0].text]
    assert [(cell.text, cell.rowspan) for cell in stub] == [("Age group (yrs)", 2)]
    assert [row[0] for row in table.row_strings()] == ["45-54", "55-64", "65-74"]


YEARS = ["2007-08", "2008-09", "2009-10", "2010-11"]
FIGURES = [330.0, 400.0, 470.0, 540.0]  # right edges of four figure columns


def test_headings_across_the_figures_and_a_source_column_stay_in_the_table(
    tmp_path: Path,
) -> None:
    """An education statistics table: a caption, "Year of data" over a rule, a header row
    whose first cell reads "Source", then blocks of rows each under a heading centred
    across the figures ("Enrollment, in thousands").  The header row is no source note,
    and each heading is a row of its own, not the wrap of the row above it."""
    path = tmp_path / "headings-across-figures.pdf"
    c = Canvas(str(path), pagesize=A4)
    text(c, 50, 80, "Table A-3. Example of constructing mean absolute percentage errors", BOLD)
    c.line(50, H - 92, 545, H - 92)
    centred(c, 440, 95, "Year of data", PLAIN)
    c.line(260, H - 105, 545, H - 105)
    text(c, 50, 109, "Source")
    for x, year in zip(FIGURES, YEARS, strict=True):
        right(c, x, 109, year)
    c.line(50, H - 120, 545, H - 120)
    top = 124.0
    blocks = [
        ("Enrollment, in thousands", [("Actual", ["49,293", "49,266", "49,373", "49,484"])]),
        (
            "Projected enrollment, in thousands",
            [
                ("Projections to 2017", ["49,644", "49,825", "50,067", "50,353"]),
                ("Projections to 2018", ["49,470", "49,623", "49,788", "50,034"]),
            ],
        ),
        (
            "Percentage difference between actual and projected values",
            [("Projections to 2017", ["0.7", "1.1", "1.4", "1.8"])],
        ),
    ]
    for heading, rows in blocks:
        centred(c, 440, top, heading, PLAIN)
        top += 11
        for label, values in rows:
            text(c, 50, top, label)
            for x, v in zip(FIGURES, values, strict=True):
                right(c, x, top, v)
            top += 11
        top += 4
    c.line(50, H - top, 545, H - top)
    c.save()
    (table,) = parsed(path).tables
    texts = [" ".join(cell for cell in row if cell) for row in table.row_strings()]
    assert texts == [
        "Year of data",
        "Source 2007-08 2008-09 2009-10 2010-11",
        "Enrollment, in thousands",
        "Actual 49,293 49,266 49,373 49,484",
        "Projected enrollment, in thousands",
        "Projections to 2017 49,644 49,825 50,067 50,353",
        "Projections to 2018 49,470 49,623 49,788 50,034",
        "Percentage difference between actual and projected values",
        "Projections to 2017 0.7 1.1 1.4 1.8",
    ]
    assert table.row_strings()[1] == ["Source", *YEARS]


def test_a_total_row_set_apart_by_space_above_and_below_stays_in_the_table(
    tmp_path: Path,
) -> None:
    """The "Total" row of a statistical table printed with a blank line above and below
    it, between the two lines of column headings and the first group: one line on the
    table's columns, alone between two gaps, is still one of its rows."""
    path = tmp_path / "total-apart.pdf"
    c = Canvas(str(path), pagesize=A4)
    for x, head in zip(FIGURES, ["Percent", "Average", "Under", "Over"], strict=True):
        right(c, x, 90, head, BOLD)
    text(c, 60, 100, "Characteristic", BOLD)
    for x, head in zip(FIGURES, ["who", "amount", "$10,000", "$10,000"], strict=True):
        right(c, x, 100, head, BOLD)
    c.line(55, H - 111, 545, H - 111)
    text(c, 70, 124, "Total")
    for x, v in zip(FIGURES, ["44.8", "$33,200", "23.2", "10.3"], strict=True):
        right(c, x, 124, v)
    top = 148.0
    for label, values in [
        ("Public 4-year", ["44.4", "31,200", "25.5", "10.2"]),
        ("Private 4-year", ["45.9", "36,600", "20.3", "10.3"]),
        ("Other", ["41.3", "31,900", "11.2", "11.2"]),
    ]:
        figures_row(c, top, label, values, FIGURES)
        top += 11
    c.save()
    (table,) = parsed(path).tables
    assert table.header_strings() == [
        "Characteristic",
        "Percent / who",
        "Average / amount",
        "Under / $10,000",
        "Over / $10,000",
    ]
    assert [row[:2] for row in table.row_strings()] == [
        ["Total", "44.8"],
        ["Public 4-year", "44.4"],
        ["Private 4-year", "45.9"],
        ["Other", "41.3"],
    ]


def test_a_rule_typed_in_hyphens_under_the_headings_is_no_row(tmp_path: Path) -> None:
    """A typewriter-style report (Courier) rules off its column headings with a line of
    hyphens: that line is the rule, not a row of the table."""
    path = tmp_path / "typed-rule.pdf"
    c = Canvas(str(path), pagesize=A4)
    c.setFont("Courier", 9)
    lines = [
        "Proportion        1.0     1.1     1.2",
        "-------------------------------------",
        "0.99              800     880     960",
        "0.95              160     176     192",
        "0.90               80      88      96",
    ]
    for i, line in enumerate(lines):
        c.drawString(60, H - 100 - 11 * i, line)
    c.save()
    (table,) = parsed(path).tables
    rows = [*([table.header_strings()] if table.header else []), *table.row_strings()]
    assert rows == [
        ["Proportion", "1.0", "1.1", "1.2"],
        ["0.99", "800", "880", "960"],
        ["0.95", "160", "176", "192"],
        ["0.90", "80", "88", "96"],
    ]
