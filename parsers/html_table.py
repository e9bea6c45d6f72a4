"""HTML tables to the shared grid, and the grid rules DOCX tables share with them.

The HTML table model (cells placed left to right, skipping slots a ``rowspan`` from above
already fills) is the general one: a DOCX table is mapped onto it by ``parsers.docx_table``
and then goes through the same :func:`placed_to_grid` and :func:`count_header_rows`.

Header rows are, in order of trust: rows marked as header (``<thead>``, rows of ``<th>``
only, Word's ``w:tblHeader``); else a first row whose every filled cell is bold, extended
over the rows its cells span down when those are bold too.  A first row that is one cell
spanning the whole table ("Recommendation 1: ...") is a block title, not a header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from bs4.element import NavigableString, Tag

from parsers.colour import from_css, from_style
from parsers.model import Cell, Row, Table

MAX_SPAN = 1000  # a colspan of 10**6 would otherwise allocate a million slots


@dataclass
class Placed:
    """One printed cell at its grid position, before the grid is filled in."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    bold: bool = False  # every filled part of it is bold (or a <th>)
    fill: str | None = None  # background colour, "#rrggbb"


def placed_to_grid(placed: Sequence[Placed], n_rows: int) -> list[list[Cell]]:
    """A rectangular grid: text in each merge's top-left slot, the slots it covers empty."""
    n_cols = max((p.col + p.colspan for p in placed), default=0)
    grid: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for p in placed:
        rowspan = max(1, min(p.rowspan, n_rows - p.row))
        grid[p.row][p.col] = Cell(p.text, rowspan=rowspan, colspan=p.colspan, fill=p.fill)
        for r in range(p.row, p.row + rowspan):
            for c in range(p.col, p.col + p.colspan):
                if (r, c) != (p.row, p.col) and grid[r][c] is None:
                    grid[r][c] = Cell("", covered=True)
    return [[cell or Cell("") for cell in row] for row in grid]


def spans_whole_row(row: Sequence[Cell]) -> bool:
    """One cell across every column: a title or section row."""
    return len(row) > 1 and row[0].colspan >= len(row)


def count_header_rows(
    grid: Sequence[Sequence[Cell]], marked: Sequence[bool], bold: Sequence[bool]
) -> int:
    """How many leading grid rows are the header (see the module docstring)."""
    n = 0
    while n < len(grid) and marked[n]:
        n += 1
    if n == len(grid) > 1:
        return 1  # "header" markup on every row says nothing; the first row still leads
    if n:
        return 0 if n == 1 and spans_whole_row(grid[0]) and len(grid) > 1 else n
    if not grid or not bold[0] or spans_whole_row(grid[0]):
        return 0
    n = 1
    reach = max(cell.rowspan for cell in grid[0] if not cell.covered)
    while n < min(reach, len(grid)) and bold[n]:
        n += 1
    return 0 if n >= len(grid) else n


def grid_to_table(
    grid: list[list[Cell]], n_header: int, context: str | None, notes: tuple[str, ...]
) -> Table:
    rows: list[Row] = [tuple(row) for row in grid]
    return Table(
        header=tuple(rows[:n_header]), rows=tuple(rows[n_header:]), context=context, notes=notes
    )


# ---- HTML ----------------------------------------------------------------------------

CellText = Callable[[Tag], str]


def table_rows(table: Tag) -> Iterator[tuple[Tag, bool]]:
    """The table's own ``<tr>`` elements in display order, each with "is in <thead>"."""
    sections: list[tuple[Tag, bool]] = []
    tfoot: list[Tag] = []
    for child in table.children:
        if not isinstance(child, Tag):
            continue
        if child.name == "tr":
            sections.append((child, False))
        elif child.name in ("thead", "tbody"):
            sections.extend(
                (tr, child.name == "thead") for tr in child.find_all("tr", recursive=False)
            )
        elif child.name == "tfoot":
            tfoot.extend(child.find_all("tr", recursive=False))
    yield from sections
    yield from ((tr, False) for tr in tfoot)


def _span(tag: Tag, attr: str, default: int) -> int:
    raw = str(tag.get(attr) or "").strip()
    digits = "".join(ch for ch in raw if ch.isdigit())
    return min(int(digits), MAX_SPAN) if digits else default


def is_bold_cell(cell: Tag) -> bool:
    """A ``<th>``, or every non-blank piece of text inside ``<b>``/``<strong>``."""
    if cell.name == "th":
        return True
    seen = False
    for text in cell.find_all(string=True):
        if not text.strip():
            continue
        seen = True
        if not _bold_within(text, cell):
            return False
    return seen


def _bold_within(node: NavigableString, cell: Tag) -> bool:
    for parent in node.parents:
        if parent is cell:
            return False
        if parent.name in ("b", "strong"):
            return True
    return False


def cell_fill(tag: Tag) -> str | None:
    """The background an element's inline style or ``bgcolor`` gives it."""
    style, bgcolor = tag.get("style"), tag.get("bgcolor")
    return from_style(style if isinstance(style, str) else None) or from_css(
        bgcolor if isinstance(bgcolor, str) else None
    )


def html_table_to_grid(table: Tag, cell_text: CellText) -> tuple[list[list[Cell]], int]:
    """The grid of one ``<table>`` and its number of header rows."""
    trs = [tr for tr in table_rows(table) if tr[0].find(["td", "th"], recursive=False)]
    taken: set[tuple[int, int]] = set()
    placed: list[Placed] = []
    marked: list[bool] = []
    bold: list[bool] = []
    for r, (tr, in_thead) in enumerate(trs):
        cells = [c for c in tr.find_all(["td", "th"], recursive=False)]
        row_fill = cell_fill(tr)
        col = 0
        filled_bold: list[bool] = []
        for td in cells:
            while (r, col) in taken:
                col += 1
            rowspan = _span(td, "rowspan", 1) or len(trs) - r  # rowspan=0: to the end
            colspan = max(1, _span(td, "colspan", 1))
            text = cell_text(td)
            cell_bold = is_bold_cell(td)
            if text:
                filled_bold.append(cell_bold)
            fill = cell_fill(td) or row_fill
            placed.append(Placed(r, col, rowspan, colspan, text, cell_bold, fill))
            for rr in range(r, min(r + rowspan, len(trs))):
                for cc in range(col, col + colspan):
                    taken.add((rr, cc))
            col += colspan
        marked.append(in_thead or (bool(cells) and all(c.name == "th" for c in cells)))
        bold.append(bool(filled_bold) and all(filled_bold))
    grid = placed_to_grid(placed, len(trs))
    return grid, count_header_rows(grid, marked, bold)
