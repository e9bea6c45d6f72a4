"""A table found on one page, as a grid of cells, and ruled tables built from pdfplumber's
cell boxes.

Merged cells are mapped explicitly: every cell box is placed on the grid of distinct
column and row edges, its text goes in the top-left slot and the slots it covers are
``covered`` (pdfplumber itself returns ``None`` for them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from parsers.model import BBox
from parsers.pdf_words import Line, Word, group_lines, lines_text

_EDGE_TOL = 3.0


@dataclass
class PCell:
    """One grid slot of a page table (mutable while a table is being stitched)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    covered: bool = False
    bold: bool = False
    pages: list[int] = field(default_factory=list)
    bbox: BBox | None = None


@dataclass
class PageTable:
    page: int
    bbox: BBox
    col_edges: list[float]  # n_cols + 1 x positions
    rows: list[list[PCell]]
    method: str  # "ruled" | "borderless"
    header_rows: int = 0

    @property
    def n_cols(self) -> int:
        return len(self.col_edges) - 1


def cluster(values: Sequence[float], tol: float = _EDGE_TOL) -> list[float]:
    """Distinct positions, values within ``tol`` of the previous one merged."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(edges: Sequence[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def inside(word: Word, box: BBox) -> bool:
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def cell_content(words: Sequence[Word], right: float | None = None) -> tuple[str, bool]:
    """Text of a cell and whether all of it is bold; its text stops at x = ``right``."""
    lines: list[Line] = group_lines(words)
    text = lines_text(lines, right)
    bold = bool(lines) and all(ln.bold for ln in lines)
    return text, bold


def ruled_boxes(page: Any) -> list[list[BBox]]:
    """Cell boxes of every table drawn with ruling lines on the page."""
    settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    out = []
    for t in page.find_tables(settings):
        cells = [tuple(map(float, c)) for c in t.cells]
        if len(cells) >= 2:
            out.append(cells)
    return out


def grid_from_boxes(page_no: int, boxes: Sequence[BBox], words: Sequence[Word]) -> PageTable | None:
    """Place cell boxes on the grid of their distinct edges and fill them from ``words``."""
    xs = cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    if len(xs) < 2 or len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    grid: list[list[PCell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for box in sorted(boxes, key=lambda b: (b[1], b[0])):
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        if c1 <= c0 or r1 <= r0 or grid[r0][c0] is not None:
            continue
        inner = [w for w in words if inside(w, box)]
        pad = min(min((w.x0 for w in inner), default=box[0]) - box[0], 6.0)
        text, bold = cell_content(inner, box[2] - pad)
        grid[r0][c0] = PCell(text, r1 - r0, c1 - c0, bold=bold, pages=[page_no], bbox=box)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if (r, c) != (r0, c0) and grid[r][c] is None:
                    grid[r][c] = PCell("", covered=True, pages=[page_no])
    rows = [[c if c is not None else PCell("", pages=[page_no]) for c in row] for row in grid]
    rows = [r for r in rows if not all(c.covered for c in r)]
    if not rows:
        return None
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return PageTable(page_no, bbox, xs, rows, "ruled")
