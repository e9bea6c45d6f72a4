"""Reading a table's grid by column role: merged cells, section rows, printed pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from parsers.model import Cell, Row, Table

# A vertically merged cell in these columns speaks for every row it spans.
FILL_DOWN_ROLES = frozenset({"owner", "due", "status", "programme", "rec_ref", "rating"})


def vertical_origin(table: Table, row: int, col: int) -> Cell | None:
    """The merged cell above that covers (row, col), if any."""
    for r in range(row - 1, -1, -1):
        cell = table.rows[r][col]
        if not cell.covered:
            return cell if r + cell.rowspan > row else None
    return None


@dataclass(frozen=True)
class RowView:
    """One body row seen through the column roles of its table."""

    table: Table
    index: int
    roles: tuple[str | None, ...]

    @property
    def cells(self) -> Row:
        return self.table.rows[self.index]

    def cell(self, role: str) -> Cell | None:
        if role not in self.roles:
            return None
        col = self.roles.index(role)
        cell = self.cells[col] if col < len(self.cells) else None
        if cell is not None and cell.covered:
            return vertical_origin(self.table, self.index, col) if role in FILL_DOWN_ROLES else None
        return cell

    def text(self, role: str) -> str:
        cell = self.cell(role)
        return cell.text.strip() if cell else ""


def nonempty_cells(row: Row) -> list[Cell]:
    return [c for c in row if not c.covered and c.text.strip()]


def is_spanning_row(row: Row, n_cols: int) -> bool:
    """One filled cell that spans (nearly) the whole table: a section heading or a label."""
    filled = nonempty_cells(row)
    return len(filled) == 1 and n_cols >= 3 and filled[0].colspan >= n_cols - 1


def pages_of(cells: Iterable[Cell | None], doc_format: str) -> list[int] | None:
    """Union of the printed pages of the non-empty cells used (PDF only, else None)."""
    if doc_format != "pdf":
        return None
    pages = {p for c in cells if c is not None and c.text.strip() for p in c.pages}
    return sorted(pages) or None


def header_parts(table: Table, col: int) -> list[str]:
    """The header texts above one column, top-down, a spanning cell counting for each column."""
    parts: list[str] = []
    for row in table.header:
        for c in range(col, -1, -1):
            cell = row[c]
            if cell.covered:
                continue
            if c + cell.colspan > col and cell.text.strip():
                parts.extend(p.strip() for p in cell.text.split(" / ") if p.strip())
            break
    return parts


def row_texts(row: Sequence[Cell]) -> list[str]:
    return [c.text.strip() for c in row]


def _key_columns(roles: Sequence[str | None]) -> list[int]:
    # "text_more": an unheaded column the text of some rows drifted into (normalise.matrix)
    return [i for i, r in enumerate(roles) if r in ("ref", "text", "action_text", "text_more")]


def is_continuation(row: Row, roles: Sequence[str | None]) -> bool:
    """A row whose reference and text cells are empty but which prints something else: the
    rest of the row above, split by a page break."""
    key_cols = _key_columns(roles)
    if not key_cols or any(row[c].text.strip() or row[c].covered for c in key_cols if c < len(row)):
        return False
    return bool(nonempty_cells(row))


def _join_cells(upper: Cell, lower: Cell) -> Cell:
    if lower.covered or not lower.text.strip():
        return upper
    if upper.covered or not upper.text.strip():
        return lower
    pages = tuple(sorted(set(upper.pages) | set(lower.pages)))
    return replace(upper, text=f"{upper.text.strip()} {lower.text.strip()}", pages=pages)


def merge_continuation_rows(table: Table, roles: Sequence[str | None], start: int) -> Table:
    """The table with rows split over a page break joined back to the row above."""
    if not _key_columns(roles):
        return table
    rows: list[Row] = list(table.rows[:start])
    for row in table.rows[start:]:
        if len(rows) > start and is_continuation(row, roles):
            rows[-1] = tuple(_join_cells(u, v) for u, v in zip(rows[-1], row, strict=False))
        else:
            rows.append(row)
    if len(rows) == len(table.rows):
        return table
    return replace(table, rows=tuple(rows))
