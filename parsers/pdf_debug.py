"""See what the table finder decided on one PDF page: a picture and a report.

pdfplumber's ``to_image`` does the drawing: the page's words (grey boxes), its ruling
lines (blue), and every table found on the page — its outline (green), header cells
(orange) and body cells (red).  The report says per table how it was found (ruled /
borderless, stitched or not and why) and its measured quality.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pdfplumber

from parsers.errors import ParseError
from parsers.pdf import parse

_CLEAR = (0, 0, 0, 0)


def draw_page(path: Path, page_no: int, out: Path, resolution: int = 110) -> list[str]:
    """Write ``out`` (PNG) for page ``page_no`` (1-based) and return the report's lines."""
    doc = parse(path, hashlib.sha256(path.read_bytes()).hexdigest())
    report = [f"{path.name} page {page_no}"]
    with pdfplumber.open(path) as pdf:
        if not 1 <= page_no <= len(pdf.pages):
            raise ParseError(f"{path.name}: no page {page_no} (it has {len(pdf.pages)})")
        page = pdf.pages[page_no - 1]
        image = page.to_image(resolution=resolution)
        image.draw_rects(page.extract_words(), stroke=(150, 150, 150), fill=_CLEAR, stroke_width=1)
        image.draw_lines(page.edges, stroke=(0, 90, 255), stroke_width=2)
        for index, table in enumerate(doc.tables):
            if page_no not in table.pages:
                continue
            boxes: list[tuple[float, float, float, float]] = []
            for kind, rows in (("header", table.header), ("body", table.rows)):
                colour = (255, 140, 0) if kind == "header" else (220, 0, 0)
                mine = [
                    c.bbox
                    for row in rows
                    for c in row
                    if c.bbox is not None and c.pages[:1] == (page_no,)
                ]
                image.draw_rects(mine, stroke=colour, fill=_CLEAR, stroke_width=1)
                boxes += mine
            if boxes:
                outline = (
                    min(b[0] for b in boxes) - 2,
                    min(b[1] for b in boxes) - 2,
                    max(b[2] for b in boxes) + 2,
                    max(b[3] for b in boxes) + 2,
                )
                image.draw_rect(outline, stroke=(0, 160, 0), fill=_CLEAR, stroke_width=3)
            size = f"{len(table.header)}+{len(table.rows)} rows x {table.n_cols} cols"
            pages = ",".join(map(str, table.pages))
            report.append(
                f"table {index} (pages {pages}, {size}, header rows {len(table.header)}):"
            )
            report += [f"    {note}" for note in table.notes]
        image.save(str(out), format="PNG")
    if len(report) == 1:
        report.append("no table found on this page")
    return report
