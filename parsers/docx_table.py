"""Word tables (``w:tbl``) to the shared grid.

python-docx's ``table.rows[i].cells`` repeats a merged cell in every slot it covers, so the
XML is walked instead: each ``w:tc`` takes ``w:gridSpan`` columns from its row's position
(after ``w:gridBefore``), and a ``w:vMerge`` continuation cell extends the cell above it
instead of printing again.  Header rows are the leading ``w:tblHeader`` rows, else a bold
first row (``parsers.html_table.count_header_rows``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from parsers.celltext import join_items
from parsers.colour import from_word
from parsers.docx_text import Element, Para, StyleSheet, W, block_children, on
from parsers.html_table import MAX_SPAN, Placed, count_header_rows, placed_to_grid
from parsers.model import Cell

ReadParagraph = Callable[..., Para]
BOLD_ROWS = 12  # boldness only decides header rows, so later rows skip the check
_ROW_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "ins"}


@dataclass
class TableGrid:
    """A table's grid, its header row count and the tables nested in its cells."""

    grid: list[list[Cell]]
    n_header: int
    nested: list[Element] = field(default_factory=list)
    marked_header: bool = False


def children(parent: Element, tag: str) -> Iterator[Element]:
    """Direct ``tag`` children, looking through content controls and custom XML."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _ROW_WRAPPERS:
            yield from children(child, tag)


def _int_val(el: Element | None, default: int) -> int:
    if el is None:
        return default
    raw = el.get(W + "val") or ""
    return min(int(raw), MAX_SPAN) if raw.isdigit() else default


def _fill(tcpr: Element | None) -> str | None:
    shd = tcpr.find(W + "shd") if tcpr is not None else None
    return from_word(shd.get(W + "fill")) if shd is not None else None


def cell_content(
    tc: Element, read: ReadParagraph, nested: list[Element], with_bold: bool = True
) -> tuple[str, bool]:
    """(text, all bold) of a cell: paragraphs joined by a space, list items by "; "."""
    items: list[tuple[str, bool]] = []
    bold: list[bool] = []
    for el in block_children(tc):
        if el.tag == W + "tbl":
            nested.append(el)
            continue
        para = read(el, with_bold=with_bold)
        if para.text:
            items.append((para.text, para.kind == "list_item"))
            bold.append(para.bold)
    return join_items(items), bool(bold) and all(bold)


def first_row_styled_bold(tbl: Element, styles: StyleSheet) -> bool:
    """The table style makes the first row bold and the table turns that formatting on."""
    tblpr = tbl.find(W + "tblPr")
    style = tblpr.find(W + "tblStyle") if tblpr is not None else None
    if style is None or not styles.get(style.get(W + "val")).first_row_bold:
        return False
    look = tblpr.find(W + "tblLook") if tblpr is not None else None
    if look is None:
        return True
    flag = look.get(W + "firstRow")
    if flag is not None:
        return flag.lower() in ("1", "true", "on")
    mask = look.get(W + "val") or "0020"
    return all(ch in "0123456789abcdefABCDEF" for ch in mask) and bool(int(mask, 16) & 0x0020)


def table_grid(tbl: Element, read: ReadParagraph, styles: StyleSheet) -> TableGrid:
    nested: list[Element] = []
    placed: list[Placed] = []
    marked: list[bool] = []
    row_bold: list[bool] = []
    above: dict[int, Placed] = {}  # column -> the cell that last started there
    rows = list(children(tbl, W + "tr"))
    for r, tr in enumerate(rows):
        trpr = tr.find(W + "trPr")
        col = _int_val(trpr.find(W + "gridBefore"), 0) if trpr is not None else 0
        marked.append(trpr is not None and on(trpr.find(W + "tblHeader")))
        bolds: list[bool] = []
        for tc in children(tr, W + "tc"):
            tcpr = tc.find(W + "tcPr")
            span = max(1, _int_val(tcpr.find(W + "gridSpan"), 1)) if tcpr is not None else 1
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            text, bold = cell_content(tc, read, nested, r < BOLD_ROWS)
            origin = above.get(col)
            if (
                vmerge is not None
                and (vmerge.get(W + "val") or "continue") == "continue"
                and origin is not None
                and origin.row + origin.rowspan == r
            ):
                origin.rowspan += 1
                if text:  # Word shows a continuation's stray text in the merged cell
                    origin.text = f"{origin.text} {text}".strip()
            else:
                cell = Placed(r, col, 1, span, text, bold, _fill(tcpr))
                placed.append(cell)
                above[col] = cell
                if text:
                    bolds.append(bold)
            col += span
        row_bold.append(bool(bolds) and all(bolds))
    if row_bold and not row_bold[0] and first_row_styled_bold(tbl, styles):
        row_bold[0] = any(p.text for p in placed if p.row == 0)
    grid = placed_to_grid(placed, len(rows))
    n_header = count_header_rows(grid, marked, row_bold) if grid else 0
    return TableGrid(grid, n_header, nested, marked_header=any(marked[:1]))
