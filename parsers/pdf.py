"""PDF parser: tables (ruled and borderless, stitched over page breaks) and running text.

One pass over the pages reads each page's words and ruled-table cell boxes, then closes
the page so memory stays flat; everything after works on those plain values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from parsers.errors import DamagedFileError, EncryptedFileError, ParseError
from parsers.frontmatter import metadata_from_blocks
from parsers.model import BBox, Block, Document
from parsers.pdf_borderless import find_borderless, line_pitch
from parsers.pdf_grid import PageTable, grid_from_boxes, inside, ruled_boxes
from parsers.pdf_stitch import Placed, mark_header, stitch, to_model
from parsers.pdf_text import body_size, paragraph_block, paragraphs
from parsers.pdf_words import Line, Word, group_lines, page_words, running_keys, running_lines


@dataclass
class _Page:
    number: int
    height: float
    words: list[Word]
    ruled: list[list[BBox]]


def parse(path: Path, sha256: str) -> Document:
    """Parse a PDF into the shared model; raises a ParseError subclass on bad input."""
    pages = _read_pages(path)
    if not any(p.words for p in pages):
        warning = f"{path.name}: no text layer, needs OCR"
        return Document(path.name, sha256, "pdf", page_count=len(pages), warnings=(warning,))
    lines_by_page = [group_lines(p.words) for p in pages]
    keys = running_keys(
        [(p.height, _outside_ruled(p, ls)) for p, ls in zip(pages, lines_by_page, strict=True)]
    )
    # per page: running-text lines and tables, each in top-to-bottom order
    split: list[tuple[int, list[Line], list[PageTable]]] = []
    for page, lines in zip(pages, lines_by_page, strict=True):
        drop = running_lines(_outside_ruled(page, lines), page.height, keys)
        body = [ln for ln in lines if id(ln) not in drop]
        split.append((page.number, *_split_page(page, body)))
    furniture = _repeated_tables([ts for _, _, ts in split])
    flow = [
        (no, text, _place(text, [t for t in ts if id(t) not in furniture]))
        for no, text, ts in split
    ]
    blocks, stitched = _blocks(flow)
    tables = tuple(to_model(pl) for pl in stitched)
    return Document(
        path.name,
        sha256,
        "pdf",
        metadata=metadata_from_blocks(blocks),
        page_count=len(pages),
        blocks=tuple(blocks),
        tables=tables,
    )


def _read_pages(path: Path) -> list[_Page]:
    out: list[_Page] = []
    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                out.append(
                    _Page(page.page_number, float(page.height), page_words(page), ruled_boxes(page))
                )
                page.close()
    except ParseError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged input
        raise _as_parse_error(path, exc) from exc
    return out


def _as_parse_error(path: Path, exc: Exception) -> ParseError:
    # pdfplumber wraps pdfminer's exception in PdfminerException(original)
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    encrypted = isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or (
        "password" in f"{type(inner).__name__} {inner}".lower()
    )
    if encrypted:
        return EncryptedFileError(f"{path.name}: PDF is encrypted / password-protected")
    detail = f"{type(inner).__name__}: {inner}"[:200]
    return DamagedFileError(f"{path.name}: PDF is damaged or truncated ({detail})")


def _split_page(page: _Page, body: list[Line]) -> tuple[list[Line], list[PageTable]]:
    """The page's tables (ruled, then borderless among the rest) and its running text."""
    found: list[tuple[PageTable, set[int]]] = []
    words = [w for ln in body for w in ln.words]
    for boxes in page.ruled:
        t = grid_from_boxes(page.number, boxes, words)
        if t is None or t.n_cols < 2 or not any(c.text for row in t.rows for c in row):
            continue  # a single-column box is a framed paragraph, not a table
        used = {id(ln) for ln in body if _mostly_inside(ln, t.bbox)}
        found.append((t, used))
    taken = set().union(*(u for _, u in found)) if found else set()
    rest = [ln for ln in body if id(ln) not in taken]
    for t, ls in find_borderless(page.number, rest):
        found.append((t, {id(ln) for ln in ls}))
    taken = set().union(*(u for _, u in found)) if found else set()
    text = [ln for ln in body if id(ln) not in taken]
    tables = [t for t, _ in sorted(found, key=lambda f: f[0].bbox[1])]
    for t in tables:
        mark_header(t)
    return text, tables


def _repeated_tables(by_page: Sequence[list[PageTable]]) -> set[int]:
    """ids of the repeats of a table printed identically in the same place on three or
    more pages (a totals box in the page furniture); its first print is kept."""
    seen: dict[tuple[object, ...], int] = {}
    repeats: dict[tuple[object, ...], list[int]] = {}
    for tables in by_page:
        for t in tables:
            key = (
                tuple(round(v / 4) for v in t.bbox),
                tuple(c.text for row in t.rows for c in row),
            )
            seen[key] = seen.get(key, 0) + 1
            repeats.setdefault(key, []).append(id(t))
    return {i for k, ids in repeats.items() if seen[k] >= 3 for i in ids[1:]}


def _place(text: list[Line], tables: list[PageTable]) -> list[Placed]:
    """Whether each table is the first / last thing on its page (a stitching condition)."""
    placed = []
    for t in tables:
        above = any(ln.bottom <= t.bbox[1] + 1 for ln in text)
        below = any(ln.top >= t.bbox[3] - 1 for ln in text)
        placed.append(Placed(t, first_on_page=not above, last_on_page=not below))
    for a, b in pairwise(placed):
        a.last_on_page = b.first_on_page = False
    return placed


def _outside_ruled(page: _Page, lines: list[Line]) -> list[Line]:
    boxes = [_bounds(b) for b in page.ruled]
    return [ln for ln in lines if not any(_mostly_inside(ln, b) for b in boxes)]


def _bounds(boxes: Sequence[BBox]) -> BBox:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _mostly_inside(line: Line, box: BBox) -> bool:
    return sum(inside(w, box) for w in line.words) * 2 > len(line.words)


def _blocks(
    flow: Sequence[tuple[int, list[Line], list[Placed]]],
) -> tuple[list[Block], list[Placed]]:
    """Reading-order blocks with a table block where each (stitched) table starts."""
    stitched = stitch([pl for _, _, tables in flow for pl in tables])
    starts = {id(pl.table): i for i, pl in enumerate(stitched)}
    all_lines = [ln for _, text, _ in flow for ln in text]
    pitch, size = line_pitch(all_lines), body_size(all_lines)
    blocks: list[Block] = []
    for page_no, text, tables in flow:
        items: list[tuple[float, int, Any]] = [(p[0].top, 0, p) for p in paragraphs(text, pitch)]
        items += [(pl.table.bbox[1], 1, pl) for pl in tables if id(pl.table) in starts]
        for _, kind, item in sorted(items, key=lambda i: (i[0], i[1])):
            if kind == 0:
                blocks.append(paragraph_block(item, page_no, size))
                continue
            index = starts[id(item.table)]
            before = [b for b in blocks if b.kind != "table"]
            stitched[index].context = (
                before[-1].text if before and blocks[-1].kind != "table" else None
            )
            blocks.append(Block("table", "", page_no, table_index=index))
    return blocks, stitched
