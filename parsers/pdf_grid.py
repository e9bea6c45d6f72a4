"""A table found on one page, as a grid of cells, and ruled tables built from pdfplumber's
cell boxes.

Merged cells are mapped explicitly: every cell box is placed on the grid of distinct
column and row edges, its text goes in the top-left slot and the slots it covers are
``covered`` (pdfplumber itself returns ``None`` for them).
"""

from __future__ import annotations

import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from parsers.model import BBox
from parsers.pdf_columns import Column, is_figure, line_to_cells
from parsers.pdf_rows import Row, lines_to_rows
from parsers.pdf_words import Line, Word, group_lines, lines_text
from parsers.table_settings import DEFAULT, TableSettings

EDGE_TOL = 3.0
_WIDE_GAP = 7.0


@dataclass(slots=True)
class PCell:
    """One grid slot of a page table (mutable while a table is being stitched)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    covered: bool = False
    bold: bool = False
    pages: list[int] = field(default_factory=list)
    bbox: BBox | None = None
    fill: str | None = None  # background colour, "#rrggbb"
    confidence: float | None = None  # OCR's, 0..1, on a scanned page


@dataclass(slots=True)
class PageTable:
    page: int
    bbox: BBox
    col_edges: list[float]  # n_cols + 1 x positions
    rows: list[list[PCell]]
    method: str  # "ruled" | "borderless"
    header_rows: int = 0
    spans: list[tuple[float, float]] = field(default_factory=list)  # columns' text x ranges

    @property
    def n_cols(self) -> int:
        return len(self.col_edges) - 1


def cluster(values: Sequence[float], tol: float = EDGE_TOL) -> list[float]:
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


def _column_of(w: Word, xs: Sequence[float], c0: int, c1: int) -> int:
    return max((i for i in range(c0, c1) if xs[i] <= w.x0 + 1), default=c0)


def _split_unruled(
    words: Sequence[Word], xs: Sequence[float], c0: int, c1: int
) -> list[tuple[int, int, list[Word]]]:
    """A box spanning columns whose words sit in separate columns with wide gaps between
    them is a row drawn without vertical rules (a shaded header row, a totals row): give
    each column its own cell.  A genuinely merged cell's words run on with normal spacing
    across the column edges, so it stays whole."""
    whole = [(c0, c1, list(words))]
    if c1 - c0 < 2 or not words:
        return whole
    by_col: dict[int, list[Word]] = {}
    for w in words:
        by_col.setdefault(_column_of(w, xs, c0, c1), []).append(w)
    if len(by_col) < 2:
        return whole
    for w in words:
        col = _column_of(w, xs, c0, c1)
        if w.x1 > xs[col + 1] + 1:
            return whole  # a word crosses a column edge
    # text in nearly every column of a whole-width box: a header row with no rules
    crowded = c1 - c0 == len(xs) - 1 and len(by_col) >= max(3, 0.7 * (c1 - c0))
    for ln in [] if crowded else group_lines(words):
        for a, b in pairwise(ln.words):
            crosses = any(a.x1 <= xs[i] <= b.x0 for i in range(c0 + 1, c1))
            if crosses and b.x0 - a.x1 < _WIDE_GAP:
                return whole
    cols = sorted(by_col)
    ends = [*cols[1:], c1]
    return [(c, e, by_col[c]) for c, e in zip(cols, ends, strict=True)]


def _without_slivers(
    xs: list[float], boxes: Sequence[BBox], words: Sequence[Word], s: TableSettings
) -> list[float]:
    """The column edges less those of slivers: a column narrower than
    ``sliver_column_em`` holding no word of its own (a heading centred across it is the
    neighbours') is the gap between a cell's rule and a dark fill drawn a little inside
    it (a shaded header), so its inner edge — the one fewer boxes share, the other being
    the rule the rows below use too — goes."""
    if len(xs) < 3:
        return xs
    top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
    mine = [w for w in words if xs[0] <= (w.x0 + w.x1) / 2 <= xs[-1] and top <= w.top <= bottom]
    if not mine:
        return xs
    narrow = s.sliver_column_em * statistics.median(w.size for w in mine)
    slivers = [
        i
        for i, (a, b) in enumerate(pairwise(xs))
        if b - a < narrow and not any(a - EDGE_TOL <= w.x0 and w.x1 <= b + EDGE_TOL for w in mine)
    ]
    if not slivers:
        return xs
    # boxes drawn inside a cell (its shading, in strips) are no cells of the grid
    cells = [b for b in boxes if not any(o is not b and holds(o, b) for o in boxes)]
    uses = [sum(abs(b[0] - x) <= EDGE_TOL or abs(b[2] - x) <= EDGE_TOL for b in cells) for x in xs]
    drop: set[int] = set()
    for i in slivers:
        if i in drop:
            continue
        inner = i if uses[i] < uses[i + 1] else i + 1
        if 0 < inner < len(xs) - 1:
            drop.add(inner)
    return [x for i, x in enumerate(xs) if i not in drop]


def trim_captions(t: PageTable, s: TableSettings = DEFAULT) -> None:
    """Take out of a ruled table its caption ("Exhibit 9 ...") and notes ("Source: ...")
    when the frame was drawn round them too: a row that is one cell across the whole
    table, first or last, reading as a caption or a note.  The table's box shrinks to
    its rows, so those lines stay text (the caption becomes the table's context)."""

    def lone(row: list[PCell]) -> str | None:
        live = [c for c in row if not c.covered]
        one = len(live) == 1 and live[0].colspan == t.n_cols and live[0].rowspan == 1
        return live[0].text if one else None

    rows = t.rows
    while len(rows) > 2 and (text := lone(rows[0])) is not None and s.caption.match(text):
        rows = rows[1:]
    while len(rows) > 2 and (text := lone(rows[-1])) is not None and s.note.match(text):
        rows = rows[:-1]
    if len(rows) == len(t.rows):
        return
    boxes = [c.bbox for row in rows for c in row if c.bbox is not None]
    t.rows = rows
    t.bbox = (t.bbox[0], min(b[1] for b in boxes), t.bbox[2], max(b[3] for b in boxes))


def framed_text(t: PageTable, s: TableSettings = DEFAULT) -> bool:
    """The grid holds running text, not a table: nearly every row has one run of text
    short of the full width, and a third or more of those runs span several columns —
    lines of a paragraph each boxed on its own (white shading behind every line), whose
    ragged ends made the columns.  Row labels beside empty cells (a Gantt chart's
    shaded bars) stay one column wide, so such a grid is kept."""
    rows = [[c for c in row if not c.covered and c.text] for row in t.rows]
    rows = [row for row in rows if row]
    if not rows:
        return False
    runs = [row[0] for row in rows if len(row) == 1 and row[0].colspan < t.n_cols]
    across = sum(c.colspan > 1 for c in runs)
    return len(runs) >= s.framed_text_share * len(rows) and 3 * across >= len(runs) > 0


def holds(outer: BBox, inner: BBox) -> bool:
    """``outer`` is a larger box than ``inner`` and holds it."""
    return (
        outer[0] - EDGE_TOL <= inner[0]
        and inner[2] <= outer[2] + EDGE_TOL
        and outer[1] - EDGE_TOL <= inner[1]
        and inner[3] <= outer[3] + EDGE_TOL
        and (outer[2] - outer[0]) * (outer[3] - outer[1])
        > (inner[2] - inner[0]) * (inner[3] - inner[1])
    )


def _drop_covered_rows(rows: list[list[PCell]]) -> list[list[PCell]]:
    """Remove grid rows wholly inside taller cells (a ruling drawn in one column only
    splits no row of the table), shrinking those cells' row spans to match."""
    keep = [not all(c.covered for c in row) for row in rows]
    for r, row in enumerate(rows):
        for cell in row:
            if not cell.covered and cell.rowspan > 1:
                cell.rowspan = max(1, sum(keep[r : r + cell.rowspan]))
    return [row for row, k in zip(rows, keep, strict=True) if k]


def grid_from_boxes(
    page_no: int, boxes: Sequence[BBox], words: Sequence[Word], s: TableSettings = DEFAULT
) -> PageTable | None:
    """Place cell boxes on the grid of their distinct edges and fill them from ``words``."""
    xs = _without_slivers(cluster([b[0] for b in boxes] + [b[2] for b in boxes]), boxes, words, s)
    ys = cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    if len(xs) < 2 or len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    grid: list[list[PCell | None]] = [[None] * n_cols for _ in range(n_rows)]
    by_middle = sorted(words, key=lambda w: (w.top + w.bottom) / 2)
    middles = [(w.top + w.bottom) / 2 for w in by_middle]
    for box in sorted(boxes, key=lambda b: (b[1], b[0])):
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        if c1 <= c0 or r1 <= r0 or grid[r0][c0] is not None:
            continue
        band = by_middle[bisect_left(middles, box[1]) : bisect_right(middles, box[3])]
        inner = [w for w in band if inside(w, box)]
        for a, b, part in _split_unruled(inner, xs, c0, c1):
            pad = min(min((w.x0 for w in part), default=box[0]) - xs[a], 6.0)
            text, bold = cell_content(part, xs[b] - pad)
            sub = (xs[a], box[1], xs[b], box[3])
            grid[r0][a] = PCell(text, r1 - r0, b - a, bold=bold, pages=[page_no], bbox=sub)
            for r in range(r0, r1):
                for c in range(a, b):
                    if (r, c) != (r0, a) and grid[r][c] is None:
                        grid[r][c] = PCell("", covered=True, pages=[page_no])
    rows = [[c if c is not None else PCell("", pages=[page_no]) for c in row] for row in grid]
    rows = _drop_covered_rows(rows)
    if not rows:
        return None
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return PageTable(page_no, bbox, xs, rows, "ruled")


def split_stacked_rows(t: PageTable, words: Sequence[Word], s: TableSettings = DEFAULT) -> None:
    """Rows of a part-ruled table: a ruled row holding several lines of figures, one per
    line in at least one column and lined up with other columns' lines, is a block of
    rows printed between two rules (horizontal rules only around groups), not one cell
    each: re-read it line by line on the ruled columns, as a borderless table is."""
    cols = [Column(a, b) for a, b in pairwise(t.col_edges)]
    mine = sorted(
        (w for w in words if t.bbox[0] <= (w.x0 + w.x1) / 2 <= t.bbox[2]),
        key=lambda w: (w.top + w.bottom) / 2,
    )
    middles = [(w.top + w.bottom) / 2 for w in mine]
    out: list[list[PCell]] = []
    for row in t.rows:
        band = _band(row)
        lines = [] if band is None else _lines_in(band, mine, middles)
        sub_rows = _stacked_rows(lines, cols, s)
        if sub_rows is None:
            out.append(row)
        else:
            out.extend(_sub_row(t.page, sub, cols) for sub in sub_rows)
    t.rows = out


def _band(row: Sequence[PCell]) -> tuple[float, float] | None:
    """The row's top and bottom, or None when a cell spans rows (or is covered by one
    from a row above): such a row is not a block of its own."""
    reach = 0
    for i, c in enumerate(row):
        if c.rowspan > 1 or (c.covered and i >= reach):
            return None
        if not c.covered:
            reach = i + c.colspan
    boxes = [c.bbox for c in row if c.bbox is not None]
    if not boxes:
        return None
    return min(b[1] for b in boxes), max(b[3] for b in boxes)


def _lines_in(
    band: tuple[float, float], words: Sequence[Word], middles: Sequence[float]
) -> list[Line]:
    """Lines of the words (sorted by vertical middle) whose middle lies in ``band``."""
    return group_lines(words[bisect_left(middles, band[0]) : bisect_right(middles, band[1])])


def _stacked_rows(
    lines: Sequence[Line], cols: Sequence[Column], s: TableSettings
) -> list[Row] | None:
    """The rows the lines make when they are several rows — a column holds one figure per
    line beside another column's lines, or read as a borderless table every line group
    opens its own key cell — else None."""
    if len(lines) < 2:
        return None
    placed = [(ln, line_to_cells(ln, cols, s, ruled=True)) for ln in lines]
    per_col: dict[int, list[str]] = {}
    for _, cells in placed:
        for c0, _, ws in cells:
            per_col.setdefault(c0, []).append(" ".join(w.text for w in ws))
    stacked = [c for c, texts in per_col.items() if len(texts) >= 2]
    figures = [c for c in stacked if all(is_figure(x) for x in per_col[c])]
    pitch = statistics.median(b.top - a.top for a, b in pairwise(lines))
    rows = lines_to_rows(placed, cols, pitch, s)
    if len(stacked) >= 2 and figures:
        return rows
    # each row opens with its own key cell, its first line filling every column — or,
    # for a group heading over the rows, holding the key cell alone on its one line
    full = [len(r.lines[0][1]) == len(cols) for r in rows]
    heading = [len(r.lines) == 1 and i + 1 < len(rows) and full[i + 1] for i, r in enumerate(rows)]
    one_key_each = sum(full) > 1 and all(
        sum(1 for _, cells in r.lines for c0, _, _ in cells if c0 == 0) == 1
        and (full[i] or heading[i])
        for i, r in enumerate(rows)
    )
    return rows if one_key_each else None


def _sub_row(page: int, row: Row, cols: Sequence[Column]) -> list[PCell]:
    words: dict[int, list[Word]] = {}
    for _, placed in row.lines:
        for c0, _, ws in placed:
            words.setdefault(c0, []).extend(ws)
    cells = []
    for c, col in enumerate(cols):
        ws = words.get(c, [])
        text, bold = cell_content(ws, col.x1)
        bbox = (col.x0, min(w.top for w in ws), col.x1, max(w.bottom for w in ws)) if ws else None
        cells.append(PCell(text, bold=bold, pages=[page], bbox=bbox))
    return cells
