"""Charts are not tables: bar charts, line charts drawn as chains of segments and axis
titles turned a quarter, each drawn with reportlab as report writers' tools print them —
and table shading that looks a little like bars stays a table."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from parsers.pdf import parse
from parsers.pdf_charts import bar_areas, series_areas

W, H = A4


def text(c: Canvas, x: float, top: float, s: str, size: float = 9) -> None:
    c.setFont("Helvetica", size)
    c.drawString(x, H - top - size * 0.8, s)


def right(c: Canvas, x: float, top: float, s: str, size: float = 9) -> None:
    c.setFont("Helvetica", size)
    c.drawRightString(x, H - top - size * 0.8, s)


def axis_title(c: Canvas, x: float, top: float, s: str) -> None:
    """A y-axis title turned anticlockwise, reading bottom to top."""
    c.saveState()
    c.translate(x, H - top)
    c.rotate(90)
    c.setFont("Helvetica", 9)
    c.drawString(0, 0, s)
    c.restoreState()


def bar_chart(c: Canvas, top: float, values: list[int], labels: list[str]) -> None:
    """Bars on a baseline with tick labels on the left, category labels under the bars,
    horizontal gridlines and no vertical rules (a spreadsheet's default chart)."""
    x0, base = 120.0, top + 160
    for k, tick in enumerate(["0", "20", "40", "60", "80"]):
        y = base - k * 40
        c.setStrokeColorRGB(0.7, 0.7, 0.7)
        c.line(x0, H - y, x0 + 60 * len(values), H - y)
        right(c, x0 - 6, y - 4, tick)
    c.setFillColorRGB(1.0, 0.57, 0.14)
    for k, v in enumerate(values):
        c.rect(x0 + 60 * k + 15, H - base, 30, v * 2, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    for k, label in enumerate(labels):
        text(c, x0 + 60 * k + 18, base + 4, label)
    axis_title(c, x0 - 40, base - 20, "Confirmed cases per 100,000")


def test_bar_chart_with_tick_labels_and_an_axis_title_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "bar-chart.pdf"
    c = Canvas(str(path), pagesize=A4)
    text(c, 60, 80, "Figure 2: Cases by age group, 2007")
    bar_chart(c, 100, [58, 20, 26, 22, 15, 15], ["0-4", "5-14", "15-24", "25-44", "45-64", "65+"])
    text(c, 60, 300, "Cases were highest among young children, as in earlier years.")
    c.save()
    doc = parse(path, "0" * 64)
    assert doc.tables == ()
    assert any("25-44" in b.text for b in doc.blocks)
    # the turned title is read along its own direction, not backwards or letter by letter
    assert any("Confirmed cases per 100,000" in b.text for b in doc.blocks)


def test_line_chart_drawn_as_separate_segments_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "segment-chart.pdf"
    c = Canvas(str(path), pagesize=A4)
    x0, base = 120.0, 300.0
    for k, tick in enumerate(["0", "5000", "10000", "15000", "20000", "25000"]):
        c.line(x0, H - (base - k * 30), x0 + 330, H - (base - k * 30))
        right(c, x0 - 6, base - k * 30 - 4, tick)
    values = [12000, 10500, 12200, 12600, 17800, 22600, 24100, 23000, 19000, 18200, 15300, 11000]
    points = [(x0 + 15 + 28 * k, base - v * 30 / 5000) for k, v in enumerate(values)]
    for (xa, ya), (xb, yb) in zip(points, points[1:], strict=False):
        c.line(xa, H - ya, xb, H - yb)  # one segment per month, as some tools draw them
    for k, month in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun"]):
        text(c, x0 + 10 + 56 * k, base + 4, month)
    c.save()
    doc = parse(path, "0" * 64)
    assert doc.tables == ()
    assert any("Jun" in b.text for b in doc.blocks)


def test_a_table_with_shaded_rows_and_a_shaded_column_stays_a_table(tmp_path: Path) -> None:
    """Zebra stripes (one length) and a shaded label column (one width, touching) are not
    bars: the table is found whole."""
    path = tmp_path / "shaded.pdf"
    c = Canvas(str(path), pagesize=A4)
    rows = [("North", "12.1", "12.6"), ("South", "8.0", "7.7"), ("East", "4.2", "4.9")]
    rows += [("West", "1.1", "1.0"), ("Central", "2.5", "2.8"), ("Coast", "0.9", "1.3")]
    text(c, 62, 100, "Area")
    right(c, 300, 100, "Budget")
    right(c, 380, 100, "Spend")
    for i, row in enumerate(rows):
        top = 116 + 16 * i
        if i % 2:
            c.setFillColorRGB(0.9, 0.9, 0.95)
            c.rect(56, H - top - 13, 330, 16, stroke=0, fill=1)
        c.setFillColorRGB(0.8, 0.85, 0.9)
        c.rect(56, H - top - 13, 90, 16, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        text(c, 62, top, row[0])
        right(c, 300, top, row[1])
        right(c, 380, top, row[2])
    c.save()
    doc = parse(path, "0" * 64)
    assert len(doc.tables) == 1
    assert doc.tables[0].row_strings()[-1] == ["Coast", "0.9", "1.3"]


def test_bars_and_series_are_told_from_shapes_that_are_not_charts() -> None:
    size = 10.0
    bars = [
        {"x0": 100 + 40 * k, "x1": 120 + 40 * k, "top": 300 - h, "bottom": 300.0}
        for k, h in enumerate([50, 80, 20, 65])
    ]
    fill = {"fill": True, "non_stroking_color": (0.2, 0.4, 0.8)}
    assert len(bar_areas([{**b, **fill} for b in bars], size)) == 1
    # the same rectangles touching one another are a row of cells, not bars
    cells = [
        {"x0": 100 + 20 * k, "x1": 120 + 20 * k, "top": 300 - h, "bottom": 300.0}
        for k, h in enumerate([50, 80, 20, 65])
    ]
    assert bar_areas([{**b, **fill} for b in cells], size) == []
    series = {"pts": [(100 + 20 * k, 300 - (k % 3) * 15) for k in range(8)]}
    assert len(series_areas([series], [], size)) == 1
    diamond = {"pts": [(100, 300), (150, 260), (200, 300), (150, 340), (100, 300)]}
    assert series_areas([diamond], [], size) == []  # turns back: a shape, not a series


def test_a_page_set_turned_is_read_as_printed(tmp_path: Path) -> None:
    """A landscape table on a page whose /Rotate turns it a quarter: pdfplumber reports its
    text turned, and the page is turned back before its table is read."""
    from reportlab.lib.pagesizes import landscape

    path = tmp_path / "turned.pdf"
    lw, lh = landscape(A4)
    c = Canvas(str(path), pagesize=(lw, lh))
    c.setPageRotation(90)
    rows = [("State", "Permit", "Handgun", "Totals"), ("Alabama", "18,870", "23,022", "71,137")]
    rows += [("Alaska", "209", "3,062", "7,095"), ("Arizona", "5,070", "12,320", "30,180")]
    xs, top = [60.0, 200.0, 300.0, 400.0, 500.0], 80.0
    for i, row in enumerate(rows):
        y = lh - top - 20 * i
        for k, value in enumerate(row):
            c.setFont("Helvetica", 9)
            c.drawString(xs[k] + 4, y - 14, value)
    for i in range(len(rows) + 1):
        c.line(xs[0], lh - top - 20 * i, xs[-1], lh - top - 20 * i)
    for x in xs:
        c.line(x, lh - top, x, lh - top - 20 * len(rows))
    c.save()
    doc = parse(path, "0" * 64)
    (table,) = doc.tables
    assert ["Alabama", "18,870", "23,022", "71,137"] in table.row_strings()
    assert table.row_strings()[-1] == ["Arizona", "5,070", "12,320", "30,180"]
