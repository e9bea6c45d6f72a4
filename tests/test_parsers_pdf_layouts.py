"""The PDF table finder on layouts that are not fully ruled, each drawn with reportlab the
way real papers print it; every test asserts the exact grid a reader sees."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from parsers.model import Document, Table
from parsers.pdf import parse
from parsers.table_settings import TableSettings

W, H = A4
BOLD, PLAIN = "Helvetica-Bold", "Helvetica"


def text(c: Canvas, x: float, top: float, s: str, font: str = PLAIN, size: float = 9) -> None:
    c.setFont(font, size)
    c.drawString(x, H - top - size * 0.8, s)


def right(c: Canvas, x: float, top: float, s: str, font: str = PLAIN, size: float = 9) -> None:
    """Right-aligned at ``x``, as figures in a table are."""
    c.setFont(font, size)
    c.drawRightString(x, H - top - size * 0.8, s)


def rule(c: Canvas, x0: float, x1: float, top: float) -> None:
    c.line(x0, H - top, x1, H - top)


def figures_row(
    c: Canvas, top: float, label: str, values: Sequence[str], xs: Sequence[float]
) -> None:
    text(c, 60, top, label)
    for x, v in zip(xs, values, strict=True):
        right(c, x, top, v)


def only_table(doc: Document) -> Table:
    assert len(doc.tables) == 1, [t.row_strings()[:2] for t in doc.tables]
    return doc.tables[0]


def parsed(path: Path) -> Document:
    return parse(path, "0" * 64)


XS = [300.0, 360.0, 420.0]  # right edges of three figure columns


def test_horizontal_rules_only_table_has_a_row_per_line(tmp_path: Path) -> None:
    """Statistical-report style: rules above and below the header and at the foot only;
    every body line is a row, never one tall cell between two rules."""
    path = tmp_path / "horizontal-rules-only.pdf"
    c = Canvas(str(path), pagesize=A4)
    rule(c, 55, 430, 95)
    text(c, 60, 100, "Area")
    for x, s in zip(XS, ["2021", "2022", "2023"], strict=True):
        right(c, x, 100, s)
    rule(c, 55, 430, 113)
    body = [
        ("North", ["1,204", "1,310", "1,422"]),
        ("South", ["987", "1,002", "1,150"]),
        ("East", ["2,450", "2,391", "2,600"]),
        ("West", ["75", "80", "92"]),
    ]
    for i, (label, values) in enumerate(body):
        figures_row(c, 118 + 11 * i, label, values, XS)
    rule(c, 55, 430, 118 + 11 * len(body) + 2)
    c.save()
    table = only_table(parsed(path))
    assert [*([table.header_strings()] if table.header else []), *table.row_strings()] == [
        ["Area", "2021", "2022", "2023"],
        ["North", "1,204", "1,310", "1,422"],
        ["South", "987", "1,002", "1,150"],
        ["East", "2,450", "2,391", "2,600"],
        ["West", "75", "80", "92"],
    ]


def test_group_headings_inside_a_borderless_table_stay_in_it(tmp_path: Path) -> None:
    path = tmp_path / "group-headings.pdf"
    c = Canvas(str(path), pagesize=A4)
    text(c, 60, 100, "Service", BOLD)
    for x, s in zip(XS, ["Budget", "Spend", "Variance"], strict=True):
        right(c, x, 100, s, BOLD)
    top = 115.0
    for group, rows in [
        (
            "Adult social care",
            [("Residential", ["12.1", "12.6", "0.5"]), ("Home care", ["8.0", "7.7", "-0.3"])],
        ),
        (
            "Children's services",
            [("Fostering", ["4.2", "4.9", "0.7"]), ("Adoption", ["1.1", "1.0", "-0.1"])],
        ),
    ]:
        text(c, 60, top, group, BOLD)
        top += 12
        for label, values in rows:
            figures_row(c, top, label, values, XS)
            top += 11
        top += 10  # a blank line before the next group
    c.save()
    table = only_table(parsed(path))
    assert table.header_strings() == ["Service", "Budget", "Spend", "Variance"]
    assert table.row_strings() == [
        ["Adult social care", "", "", ""],
        ["Residential", "12.1", "12.6", "0.5"],
        ["Home care", "8.0", "7.7", "-0.3"],
        ["Children's services", "", "", ""],
        ["Fostering", "4.2", "4.9", "0.7"],
        ["Adoption", "1.1", "1.0", "-0.1"],
    ]


def test_three_row_header_over_borderless_figures_with_wrapped_labels(tmp_path: Path) -> None:
    """A savings table: group / period / unit header rows, labels wrapped onto a second
    line under their figures, no rules at all."""
    path = tmp_path / "three-row-header.pdf"
    c = Canvas(str(path), pagesize=A4)
    text(c, 330, 90, "Savings", BOLD)
    for x, s in zip(XS, ["2024/25", "2025/26", "2026/27"], strict=True):
        right(c, x, 102, s, BOLD)
    text(c, 60, 114, "Proposal", BOLD)
    for x in XS:
        right(c, x, 114, "£m", BOLD)
    figures_row(c, 130, "Reduction in back office", ["-1.0", "-2.0", "-2.5"], XS)
    text(c, 60, 141, "staff costs")
    figures_row(c, 152, "Library opening hours", ["-0.4", "-0.4", "-0.4"], XS)
    figures_row(c, 163, "Shared fleet with the", ["-0.2", "-0.6", "-0.9"], XS)
    text(c, 60, 174, "fire service")
    c.save()
    table = only_table(parsed(path))
    assert table.row_strings()[-3:] == [
        ["Reduction in back office staff costs", "-1.0", "-2.0", "-2.5"],
        ["Library opening hours", "-0.4", "-0.4", "-0.4"],
        ["Shared fleet with the fire service", "-0.2", "-0.6", "-0.9"],
    ]
    everything = (
        " ".join(h for h in table.header_strings())
        + " "
        + " ".join(cell for row in table.row_strings() for cell in row)
    )
    for word in ("Savings", "2024/25", "2026/27", "£m", "Proposal"):
        assert word in everything


def test_narrow_gutters_keep_columns_apart(tmp_path: Path) -> None:
    path = tmp_path / "narrow-gutters.pdf"
    c = Canvas(str(path), pagesize=A4)
    xs = [200.0, 232.0, 264.0, 296.0]  # figures 20-25 pt wide, 7-12 pt apart
    text(c, 60, 100, "Quarter", BOLD)
    for x, s in zip(xs, ["Q1", "Q2", "Q3", "Q4"], strict=True):
        right(c, x, 100, s, BOLD)
    for i, (label, values) in enumerate(
        [
            ("Calls", ["1,204", "1,310", "1,422", "1,515"]),
            ("Visits", ["987", "1,002", "1,150", "1,201"]),
        ]
    ):
        figures_row(c, 112 + 11 * i, label, values, xs)
    c.save()
    table = only_table(parsed(path))
    assert table.header_strings() == ["Quarter", "Q1", "Q2", "Q3", "Q4"]
    assert table.row_strings() == [
        ["Calls", "1,204", "1,310", "1,422", "1,515"],
        ["Visits", "987", "1,002", "1,150", "1,201"],
    ]


def test_caption_and_source_note_are_not_rows(tmp_path: Path) -> None:
    path = tmp_path / "caption-and-source.pdf"
    c = Canvas(str(path), pagesize=A4)
    text(c, 60, 88, "Table 3: Complaints by directorate")
    text(c, 60, 100, "Directorate", BOLD)
    for x, s in zip(XS[:2], ["2022", "2023"], strict=True):
        right(c, x, 100, s, BOLD)
    figures_row(c, 112, "Place", ["120", "98"], XS[:2])
    figures_row(c, 123, "People", ["75", "81"], XS[:2])
    text(c, 60, 136, "Source: complaints system, March 2024")
    c.save()
    table = only_table(parsed(path))
    assert table.header_strings() == ["Directorate", "2022", "2023"]
    assert table.row_strings() == [["Place", "120", "98"], ["People", "75", "81"]]


def test_overprinted_bold_characters_read_once(tmp_path: Path) -> None:
    """Some producers fake bold by printing every glyph twice in place."""
    path = tmp_path / "overprinted-bold.pdf"
    c = Canvas(str(path), pagesize=A4)
    for _ in range(2):
        text(c, 60, 100, "Owner")
        text(c, 200, 100, "Status")
    text(c, 60, 112, "Head of Audit")
    text(c, 200, 112, "Complete")
    text(c, 60, 123, "Chief Constable")
    text(c, 200, 123, "Ongoing")
    c.save()
    table = only_table(parsed(path))
    rows = [*([table.header_strings()] if table.header else []), *table.row_strings()]
    assert rows == [
        ["Owner", "Status"],
        ["Head of Audit", "Complete"],
        ["Chief Constable", "Ongoing"],
    ]


def test_ruled_frame_with_unruled_body_rows(tmp_path: Path) -> None:
    """A "light" table style: outer frame, rules round the header, no rules between body
    rows; each body line is a row, not all of them one cell."""
    path = tmp_path / "light-style.pdf"
    c = Canvas(str(path), pagesize=A4)
    xs, top = [60.0, 180.0, 300.0], 100.0
    for y in (top, top + 15, top + 15 + 3 * 12 + 4):
        rule(c, xs[0], xs[-1], y)
    for x in xs:
        c.line(x, H - top, x, H - (top + 15 + 3 * 12 + 4))
    c.line(xs[1], H - top, xs[1], H - (top + 15 + 3 * 12 + 4))
    text(c, 64, top + 4, "Action", BOLD)
    text(c, 184, top + 4, "Lead", BOLD)
    for i, (a, b) in enumerate(
        [
            ("Audit of payroll", "CFO"),
            ("New risk register", "Head of Risk"),
            ("Staff survey", "HR Director"),
        ]
    ):
        text(c, 64, top + 19 + 12 * i, a)
        text(c, 184, top + 19 + 12 * i, b)
    c.save()
    table = only_table(parsed(path))
    assert table.header_strings() == ["Action", "Lead"]
    assert table.row_strings() == [
        ["Audit of payroll", "CFO"],
        ["New risk register", "Head of Risk"],
        ["Staff survey", "HR Director"],
    ]


def test_measured_quality_is_high_for_a_full_grid(tmp_path: Path) -> None:
    test_narrow_gutters_keep_columns_apart(tmp_path)
    table = only_table(parsed(tmp_path / "narrow-gutters.pdf"))
    assert table.quality == 1.0
    assert any(note.startswith("quality 1.00") for note in table.notes)


def test_table_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="segment_gap_em"):
        TableSettings(segment_gap_em=-1.0)
    with pytest.raises(ValueError, match="defining_share"):
        TableSettings(defining_share=0.0)
    with pytest.raises(ValueError, match="caption_pattern"):
        TableSettings(caption_pattern="(")


def test_debug_command_draws_the_page_and_says_how_tables_were_found(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ingest.cli import app

    test_caption_and_source_note_are_not_rows(tmp_path)
    out = tmp_path / "page.png"
    result = CliRunner().invoke(
        app, ["debug", str(tmp_path / "caption-and-source.pdf"), "--page", "1", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "table 0 (pages 1, 1+2 rows x 3 cols, header rows 1)" in result.output
    assert "borderless" in result.output and "quality 1.00" in result.output
    missing = CliRunner().invoke(
        app, ["debug", str(tmp_path / "caption-and-source.pdf"), "--page", "9", "-o", str(out)]
    )
    assert missing.exit_code == 1 and "no page 9" in missing.output


def centre(c: Canvas, x: float, top: float, s: str, font: str = PLAIN, size: float = 8) -> None:
    c.setFont(font, size)
    c.drawCentredString(x, H - top - size * 0.8, s)


def test_rules_running_past_the_vertical_rules_take_the_label_column_in(tmp_path: Path) -> None:
    """Census style: vertical rules only between the figure columns, the rules above and
    below the table running on over the row labels; the labels are the table's first column."""
    path = tmp_path / "label-column-outside-the-rules.pdf"
    c = Canvas(str(path), pagesize=A4)
    edges = [200.0, 260.0, 320.0, 380.0]
    top, bottom = 100.0, 160.0
    rule(c, 60, 380, top)
    rule(c, 60, 380, 115)
    rule(c, 60, 380, bottom)
    for x in edges:
        c.line(x, H - top, x, H - bottom)
    text(c, 64, 104, "Category", BOLD)
    for x, h in zip(edges, ["Number", "Percent", "Change"], strict=False):
        right(c, x + 56, 104, h, BOLD)
    rows = [
        ("All ages", ["291,099", "100.0", "12,760"]),
        ("Aged 6 and older", ["266,752", "91.6", "11,469"]),
    ]
    for k, (label, values) in enumerate(rows):
        text(c, 64, 122 + 14 * k, label)
        for x, v in zip(edges, values, strict=False):
            right(c, x + 56, 122 + 14 * k, v)
    c.save()
    table = only_table(parsed(path))
    assert table.header_strings() == ["Category", "Number", "Percent", "Change"]
    assert table.row_strings() == [
        ["All ages", "291,099", "100.0", "12,760"],
        ["Aged 6 and older", "266,752", "91.6", "11,469"],
    ]


def test_stacked_centred_headings_and_outdented_groups_join_the_figures(tmp_path: Path) -> None:
    """Toxicology-report style: headings of three or four short lines centred over narrow
    figure columns, group headings ("Male", "Female") at the margin left of right-aligned
    figures: one table, its columns those of the figures."""
    path = tmp_path / "stacked-headings.pdf"
    c = Canvas(str(path), pagesize=A4)
    xs = [150.0, 210.0, 270.0, 330.0]  # right edges of the figure columns
    centre(c, 110, 100, "Concentration")
    centre(c, 110, 110, "(ppm)")
    for x in xs[1:]:
        for k, word in enumerate(["Weight", "Relative", "to Controls", "(%)"]):
            centre(c, x - 12, 80 + 10 * k, word)
    top = 125.0
    for group, rows in [
        ("Male", [["0", "5.8", "8.8", "13.5"], ["250", "5.9", "9.0", "13.6"]]),
        ("Female", [["0", "5.4", "8.2", "12.7"], ["250", "5.6", "8.5", "12.9"]]),
    ]:
        text(c, 60, top, group)
        top += 16
        for values in rows:
            for x, v in zip(xs, values, strict=True):
                right(c, x, top, v)
            top += 11
        top += 12
    c.save()
    table = only_table(parsed(path))
    assert table.n_cols == 4
    cells = [row for row in table.row_strings()]
    assert ["Male", "", "", ""] in cells and ["Female", "", "", ""] in cells
    assert ["250", "5.6", "8.5", "12.9"] in cells
    words = " ".join(table.header_strings() + [c for row in cells for c in row])
    assert "Concentration" in words and "Relative" in words


def test_columns_a_ruled_group_prints_without_a_rule_between_are_divided(tmp_path: Path) -> None:
    """Rules only between groups ("White | Black"), two figure columns (Male, Female) in
    each group with no rule between them; a footnote mark after a figure is not a column."""
    path = tmp_path / "unruled-sub-columns.pdf"
    c = Canvas(str(path), pagesize=A4)
    edges = [60.0, 140.0, 260.0, 380.0]
    top, bottom = 100.0, 175.0
    for y in (top, 126.0, bottom):
        rule(c, edges[0], edges[-1], y)
    for x in edges:
        c.line(x, H - top, x, H - bottom)
    text(c, 64, 104, "Age", BOLD)
    for x0, group in zip(edges[1:], ["White", "Black"], strict=False):
        centre(c, x0 + 60, 104, group, BOLD, 9)
        right(c, x0 + 55, 115, "Male", BOLD)
        right(c, x0 + 115, 115, "Female", BOLD)
    rows = [
        ("1-2", ["2,586,688", "2,568,738", "647,701", "639,327 (2)"]),
        ("3-5", ["3,867,692", "3,576,723", "935,862", "938,510"]),
        ("6-11", ["7,808,033", "7,401,349", "1,770,525", "1,732,954"]),
    ]
    for k, (label, values) in enumerate(rows):
        y = 131 + 13 * k
        text(c, 64, y, label)
        for x, v in zip([195, 255, 315, 375], values, strict=True):
            right(c, x, y, v)
    c.save()
    table = only_table(parsed(path))
    assert table.n_cols == 5
    assert table.row_strings()[-3:] == [
        ["1-2", "2,586,688", "2,568,738", "647,701", "639,327 (2)"],
        ["3-5", "3,867,692", "3,576,723", "935,862", "938,510"],
        ["6-11", "7,808,033", "7,401,349", "1,770,525", "1,732,954"],
    ]


def test_a_chart_drawn_on_gridlines_is_not_a_table(tmp_path: Path) -> None:
    """A line chart: ruled gridlines, tick labels lined up like columns, and a data series
    drawn across them — no table; its labels stay text."""
    path = tmp_path / "line-chart.pdf"
    c = Canvas(str(path), pagesize=A4)
    x0, x1, top, bottom = 100.0, 400.0, 100.0, 300.0
    for k in range(5):
        rule(c, x0, x1, top + k * 50)
    for k in range(7):
        c.line(x0 + k * 50, H - top, x0 + k * 50, H - bottom)
    # ticks and legend printed inside the frame, as spreadsheet charts print them
    for k, label in enumerate(["400", "300", "200", "100"]):
        text(c, x0 + 4, top + k * 50 + 4, label)
    for k, label in enumerate(["2005", "2006", "2007", "2008", "2009", "2010"]):
        text(c, x0 + k * 50 + 4, bottom - 12, label)
    text(c, x0 + 160, top + 8, "CDS spread")
    series = c.beginPath()
    series.moveTo(x0, H - 280)
    for k in range(1, 60):
        series.lineTo(x0 + k * 5, H - 280 + 150 * (k / 60) ** 2 + (k % 3) * 4)
    c.drawPath(series, stroke=1, fill=0)
    text(c, 100, 330, "Figure 3: Spread over the German bund (bp)")
    c.save()
    doc = parsed(path)
    assert doc.tables == ()
    assert any("2010" in b.text for b in doc.blocks)


def test_a_rule_under_a_heading_opens_a_table_of_its_own(tmp_path: Path) -> None:
    """Two tables on the same columns, the second under its own title and drawn with
    horizontal rules only: the title is not a group heading of the first."""
    path = tmp_path / "titled-tables.pdf"
    c = Canvas(str(path), pagesize=A4)
    cols = [60.0, 200.0, 340.0]
    for k in range(4):
        for x, col in zip(cols, "ABC", strict=True):
            text(c, x, 100 + 19 * k, f"T1-{col}{k}")
    text(c, 60, 190, "Second table")
    for y in (214.0, 232.0, 251.0, 270.0, 289.0):
        rule(c, 56, 420, y)
    for k in range(4):
        for x, col in zip(cols, "ABC", strict=True):
            text(c, x, 218 + 19 * k, f"T2-{col}{k}")
    c.save()
    doc = parsed(path)
    assert [t.row_strings()[-1][0] for t in doc.tables] == ["T1-A3", "T2-A3"]
    assert all(len(t.rows) + len(t.header) == 4 for t in doc.tables)
