"""The intermediate model every parser returns: documents, blocks and tables.

Nothing downstream of ``parsers`` knows which format a document came from; it sees
only these frozen dataclasses.  Tables are held as a grid: every row has one
:class:`Cell` per grid column, a merged cell's text sits in its top-left slot with its
spans, and the slots it covers are ``covered`` cells with empty text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table"]
# doc, docm, dotx, odt and rtf are read through LibreOffice (parsers.legacy)
Format = Literal["pdf", "docx", "html", "text", "doc", "docm", "dotx", "odt", "rtf"]
BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, per page


@dataclass(frozen=True)
class Cell:
    """One grid slot of a table, with where it was printed."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    covered: bool = False  # inside another cell's span; text is always ""
    pages: tuple[int, ...] = ()  # 1-based; a cell split by a page break has two
    bbox: BBox | None = None  # on its first page, where the format has geometry
    fill: str | None = None  # background colour "#rrggbb", where the format gives one
    confidence: float | None = None  # OCR's confidence in the text, 0..1 (scanned pages)


Row = tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    """A table as printed, already stitched across pages."""

    header: tuple[Row, ...]  # header grid rows, top-down; () when there is none
    rows: tuple[Row, ...]  # body grid rows
    pages: tuple[int, ...] = ()  # 1-based pages the table is printed on (PDF only)
    context: str | None = None  # the heading / caption printed just before the table
    quality: float = 1.0  # parser's confidence that the grid is right, 0..1
    notes: tuple[str, ...] = ()  # how it was found: "ruled", "borderless", "stitched 2 pages"

    @property
    def n_cols(self) -> int:
        for row in (*self.header, *self.rows):
            return len(row)
        return 0

    def header_strings(self) -> list[str]:
        """One string per column; a spanning header cell counts for every column it spans,
        header rows joined top-down with " / ", empty parts skipped."""
        if not self.header:
            return []
        parts: list[list[str]] = [[] for _ in range(self.n_cols)]
        for row in self.header:
            for col, cell in enumerate(row):
                if cell.covered or not cell.text:
                    continue
                for c in range(col, min(col + cell.colspan, self.n_cols)):
                    if not parts[c] or parts[c][-1] != cell.text:
                        parts[c].append(cell.text)
        return [" / ".join(p) for p in parts]

    def row_strings(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.rows]

    def merges(self) -> list[list[int]]:
        """``[row, col, rowspan, colspan]`` of every merged body cell."""
        return [
            [r, c, cell.rowspan, cell.colspan]
            for r, row in enumerate(self.rows)
            for c, cell in enumerate(row)
            if not cell.covered and (cell.rowspan > 1 or cell.colspan > 1)
        ]


@dataclass(frozen=True)
class Block:
    """A piece of running text in reading order; tables appear as ``table`` blocks."""

    kind: BlockKind
    text: str
    page: int | None = None
    level: int | None = None  # heading level where known
    table_index: int | None = None  # for kind == "table": index into Document.tables


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    committee: str | None = None
    meeting_date: str | None = None  # ISO 8601 at the printed precision
    meeting_date_raw: str | None = None


@dataclass(frozen=True)
class Document:
    source: str  # file name as given to the parser
    sha256: str
    format: Format
    metadata: Metadata = field(default_factory=Metadata)
    page_count: int | None = None  # PDF only
    blocks: tuple[Block, ...] = ()
    tables: tuple[Table, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def doc_id(self) -> str:
        return self.sha256[:16]


def text_before(blocks: Sequence[Block]) -> str | None:
    """The last heading or paragraph so far: what a table found next is printed under."""
    for block in reversed(blocks):
        if block.kind != "table" and block.text:
            return block.text
    return None
