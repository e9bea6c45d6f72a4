"""PDF parser: tables (ruled and borderless, stitched over page breaks) and running text.

One pass over the pages reads each page's words and ruled-table cell boxes, closes the
page, and packs its lines into flat arrays (``pdf_pages``) while counting the lines that
could be running headers / footers.  Once those are known, each page in turn is unpacked
and turned into its running text and page tables, so only one page's words are ever held
as objects and memory stays low however long the document.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import PDFStream, resolve1

from parsers.colour import from_pdf
from parsers.errors import DamagedFileError, EncryptedFileError, ParseError
from parsers.frontmatter import metadata_from_blocks
from parsers.model import BBox, Block, Document
from parsers.options import DEFAULT_OPTIONS, ParseOptions
from parsers.pdf_borderless import find_borderless, pitch_of
from parsers.pdf_charts import bounds, chart_boxes
from parsers.pdf_columns import region_size
from parsers.pdf_grid import (
    PageTable,
    framed_text,
    grid_from_boxes,
    inside,
    split_stacked_rows,
    trim_captions,
)
from parsers.pdf_gutters import split_at_page_columns
from parsers.pdf_objects import read_objects
from parsers.pdf_ocr import ScanReader, pack_confidences, rate_cells
from parsers.pdf_pages import PackedLines, pack, pack_boxes, unpack, unpack_boxes
from parsers.pdf_ruling import (
    horizontal_rules,
    label_margins,
    ruled_boxes,
    without_hidden_boxes,
)
from parsers.pdf_stitch import Placed, joined_across_headings, mark_header, stitch, to_model
from parsers.pdf_subcolumns import split_unruled_columns
from parsers.pdf_text import body_size, paragraph_block, paragraphs
from parsers.pdf_turn import upright_page
from parsers.pdf_words import (
    Line,
    MarginKey,
    group_lines,
    margin_keys,
    page_words,
    running_keys,
    running_lines,
)

_Keys = set[MarginKey]
_KeyPages = dict[MarginKey, list[int]]  # the pages each margin line is on
Fill = tuple[float, float, float, float, str]  # x0, top, x1, bottom, "#rrggbb"
_Metrics = tuple[float, float, float]  # top, bottom, size of a line


@dataclass(frozen=True, slots=True)
class _Page:
    """A page as read: its printed lines and its ruled tables' cell boxes, packed."""

    number: int
    height: float
    lines: PackedLines
    ruled: tuple[array[float], ...]
    fills: tuple[Fill, ...]  # coloured filled rectangles, smallest first
    ocr: array[float] | None = None  # an OCR'd page's word boxes and confidences
    charts: tuple[BBox, ...] = ()  # charts drawn with gridlines: not tables
    rules: tuple[BBox, ...] = ()  # horizontal rules


@dataclass(frozen=True, slots=True)
class _Split:
    """A page without its running headers / footers: running text (packed, with each
    line's metrics) and the tables found on it, top to bottom."""

    number: int
    text: PackedLines
    metrics: list[_Metrics]
    tables: list[PageTable]


def parse(path: Path, sha256: str, options: ParseOptions = DEFAULT_OPTIONS) -> Document:
    """Parse a PDF into the shared model; raises a ParseError subclass on bad input.
    Scanned pages are read by OCR as ``options.ocr`` says (``parsers.pdf_ocr``)."""
    pages, counts, scans = _read_pages(path, options)
    n_pages = len(pages)
    any_text = any(len(p.lines) for p in pages)
    warnings = scans.warnings(n_pages, any_text)
    if not any_text:
        warnings = warnings or (f"{path.name}: no text layer, needs OCR",)
        return Document(path.name, sha256, "pdf", page_count=n_pages, warnings=warnings)
    # the pages' split is let go once blocks are made: continued tables' rows then live
    # only in the stitched tables, which to_model empties as it goes
    keys = running_keys(counts, n_pages, fuzzy=bool(scans.read))
    blocks, stitched = _blocks(_flow(_split_pages(pages, keys)))
    tables = tuple(to_model(pl) for pl in stitched)
    return Document(
        path.name,
        sha256,
        "pdf",
        metadata=metadata_from_blocks(blocks),
        page_count=n_pages,
        blocks=tuple(blocks),
        tables=tables,
        warnings=warnings,
    )


def _read_pages(path: Path, options: ParseOptions) -> tuple[list[_Page], _KeyPages, ScanReader]:
    """Every page, the pages each margin line (``margin_keys``) appears on, and what OCR
    did."""
    out: list[_Page] = []
    counts: _KeyPages = {}
    try:
        with pdfplumber.open(path) as pdf, ScanReader(path, options) as scans:
            for page in pdf.pages:
                raw = _raw_contents(page)
                out.append(_read_page(page, counts, scans))
                _forget_decoded(raw)
                page.close()  # drops the page's cached chars, rects and layout
    except ParseError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged input
        raise _as_parse_error(path, exc) from exc
    return out, counts, scans


def _read_page(page: Any, counts: _KeyPages, scans: ScanReader) -> _Page:
    read_objects(page)
    page = upright_page(page)  # a landscape page set turned is read as printed
    height = float(page.height)
    words = page_words(page)
    scanned = scans.scan(page) if scans.wants(page, words) else None
    if scanned is None:
        lines = group_lines(words)
        size = body_size([ln.size for ln in lines])
        lined = without_hidden_boxes(page, lines, size)
        rules = horizontal_rules(lined)  # read once: the grids and the headings use them
        ruled = label_margins(words, ruled_boxes(lined, size, rules), size)
        charts = chart_boxes(lined, ruled, size)
        ruled = [cells for cells in ruled if bounds(cells) not in charts]
        fills, ocr = _fills(page), None
    else:
        lines, ruled, fills = group_lines(scanned.words), scanned.ruled, ()
        ocr, charts, rules = pack_confidences(scanned), [], []
    for key in margin_keys(height, _outside_ruled(ruled, lines)):
        counts.setdefault(key, []).append(page.page_number)
    boxes = pack_boxes(ruled)
    return _Page(
        page.page_number, height, pack(lines), boxes, fills, ocr, tuple(charts), tuple(rules)
    )


def _fills(page: Any) -> tuple[Fill, ...]:
    """The page's coloured rectangles (cell shading), smallest first; a rectangle covering
    half the page or more is a page background, not a cell's."""
    limit = float(page.width) * float(page.height) / 2
    found = []
    for rect in page.rects:
        colour = from_pdf(rect.get("non_stroking_color")) if rect.get("fill") else None
        box = (float(rect["x0"]), float(rect["top"]), float(rect["x1"]), float(rect["bottom"]))
        if colour is not None and (box[2] - box[0]) * (box[3] - box[1]) < limit:
            found.append((*box, colour))
    return tuple(sorted(found, key=lambda f: (f[2] - f[0]) * (f[3] - f[1])))


def _paint(tables: Sequence[PageTable], fills: Sequence[Fill]) -> None:
    """Give each cell the colour of the smallest coloured rectangle under its middle."""
    if not fills:
        return
    for t in tables:
        for row in t.rows:
            for cell in row:
                if cell.bbox is None or cell.covered:
                    continue
                x = (cell.bbox[0] + cell.bbox[2]) / 2
                y = (cell.bbox[1] + cell.bbox[3]) / 2
                cell.fill = next(
                    (f[4] for f in fills if f[0] <= x <= f[2] and f[1] <= y <= f[3]), None
                )


def _raw_contents(page: Any) -> list[tuple[PDFStream, bytes]]:
    """The page's content streams not decoded yet, with their raw (compressed) bytes."""
    streams = [resolve1(s) for s in page.page_obj.contents]
    return [(s, s.rawdata) for s in streams if isinstance(s, PDFStream) and s.rawdata]


def _forget_decoded(streams: list[tuple[PDFStream, bytes]]) -> None:
    # pdfminer keeps every decoded content stream as long as the document is open (60 KB
    # a page of a typical report); giving back the raw bytes lets a page that shares the
    # stream decode it again
    for stream, raw in streams:
        stream.data, stream.rawdata = None, raw


def _split_pages(pages: list[_Page], keys: _Keys) -> list[_Split]:
    """Each page's running text and tables.  Empties ``pages`` as it goes, so a page's
    packed lines are let go as soon as the page is done."""
    out: list[_Split] = []
    pages.reverse()
    while pages:
        page = pages.pop()
        lines, ruled = unpack(page.lines), unpack_boxes(page.ruled)
        drop = running_lines(_outside_ruled(ruled, lines), page.height, keys)
        body = [ln for ln in lines if id(ln) not in drop]
        text, tables = _split_page(page.number, ruled, body, page.charts, page.rules)
        _paint(tables, page.fills)
        rate_cells(tables, page.ocr)
        for t in tables:
            # OCR measures a word's boldness from its strokes, so a few words of a bold
            # header row may measure plain: most of the row being bold is enough there
            mark_header(t, most=page.ocr is not None)
        metrics = [(ln.top, ln.bottom, ln.size) for ln in text]
        out.append(_Split(page.number, pack(text), metrics, tables))
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


def _flow(split: list[_Split]) -> list[tuple[_Split, list[Placed]]]:
    """Each page with its tables placed, furniture left out."""
    furniture = _repeated_tables([s.tables for s in split])
    return [(s, _place(s.metrics, [t for t in s.tables if id(t) not in furniture])) for s in split]


def _split_page(
    number: int,
    ruled: list[list[BBox]],
    body: list[Line],
    charts: Sequence[BBox] = (),
    rules: Sequence[BBox] = (),
) -> tuple[list[Line], list[PageTable]]:
    """The page's tables (ruled, then borderless among the rest) and its running text."""
    found: list[tuple[PageTable, set[int]]] = []
    words = [w for ln in body for w in ln.words]
    for boxes in ruled:
        t = grid_from_boxes(number, boxes, words)
        if t is not None:
            split_stacked_rows(t, words)
            if t.n_cols >= 2:  # a single ruled box is a framed block: not divided
                split_unruled_columns(t, words)
        if t is None or t.n_cols < 2 or not any(c.text for row in t.rows for c in row):
            continue  # a single-column box is a framed paragraph, not a table
        if framed_text(t):
            continue
        trim_captions(t)
        used = {id(ln) for ln in body if _mostly_inside(ln, t.bbox)}
        found.append((t, used))
    found = joined_across_headings(number, found, body)
    taken = set().union(*(u for _, u in found)) if found else set()
    # a line only partly inside a ruled table (its label column printed outside the
    # rules) keeps just its words outside, so no word is read twice
    boxes = [t.bbox for t, _ in found]
    rest = [ln for ln in (_outside(ln, boxes) for ln in body if id(ln) not in taken) if ln]
    # a table beside a column of running text is looked for apart from that text; a
    # chart's tick labels and legend line up like a table: they stay text; so does text
    # turned a quarter (an axis title), which no borderless row holds
    groups = split_at_page_columns(rest, region_size(rest) if rest else 10.0)
    rest = sorted((ln for group in groups for ln in group), key=lambda ln: (ln.top, ln.x0))
    for group in groups:
        upright = {id(ln): _upright(ln) for ln in group}
        candidates = {
            id(part): ln
            for ln in group
            if (part := upright[id(ln)]) is not None and not _mostly_charted(ln, charts)
        }
        parts = [upright[id(ln)] for ln in candidates.values()]
        for t, ls in find_borderless(number, [p for p in parts if p is not None], rules=rules):
            found.append((t, {id(candidates[id(ln)]) for ln in ls}))
    taken = set().union(*(u for _, u in found)) if found else set()
    text = [ln for ln in rest if id(ln) not in taken]
    return text, [t for t, _ in sorted(found, key=lambda f: f[0].bbox[1])]


def _mostly_charted(line: Line, charts: Sequence[BBox]) -> bool:
    """Most of the line's words are labels of charts (two charts side by side share
    their lines)."""
    if not charts:
        return False
    return sum(any(inside(w, c) for c in charts) for w in line.words) * 2 > len(line.words)


def _upright(line: Line) -> Line | None:
    if all(w.upright for w in line.words):
        return line
    keep = tuple(w for w in line.words if w.upright)
    return Line(keep) if keep else None


def _outside(line: Line, boxes: Sequence[BBox]) -> Line | None:
    keep = tuple(w for w in line.words if not any(inside(w, b) for b in boxes))
    if len(keep) == len(line.words):
        return line
    return Line(keep) if keep else None


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


def _place(text: Sequence[_Metrics], tables: list[PageTable]) -> list[Placed]:
    """Whether each table is the first / last thing on its page (a stitching condition)."""
    placed = []
    for t in tables:
        above = any(bottom <= t.bbox[1] + 1 for _, bottom, _ in text)
        below = any(top >= t.bbox[3] - 1 for top, _, _ in text)
        placed.append(Placed(t, first_on_page=not above, last_on_page=not below))
    for a, b in pairwise(placed):
        a.last_on_page = b.first_on_page = False
    return placed


def _outside_ruled(ruled: list[list[BBox]], lines: list[Line]) -> list[Line]:
    boxes = [bounds(b) for b in ruled]
    return [ln for ln in lines if not any(_mostly_inside(ln, b) for b in boxes)]


def _mostly_inside(line: Line, box: BBox) -> bool:
    return sum(inside(w, box) for w in line.words) * 2 > len(line.words)


def _blocks(flow: Sequence[tuple[_Split, list[Placed]]]) -> tuple[list[Block], list[Placed]]:
    """Reading-order blocks with a table block where each (stitched) table starts."""
    stitched = stitch([pl for _, tables in flow for pl in tables])
    starts = {id(pl.table): i for i, pl in enumerate(stitched)}
    every = [m for page, _ in flow for m in page.metrics]
    pitch = pitch_of([(top, bottom) for top, bottom, _ in every])
    size = body_size([m[2] for m in every])
    blocks: list[Block] = []
    for page, tables in flow:
        margin = max((pl.table.bbox[2] for pl in tables), default=0.0)
        paras = paragraphs(unpack(page.text), pitch, margin)
        items: list[tuple[float, int, Any]] = [(p[0].top, 0, p) for p in paras]
        items += [(pl.table.bbox[1], 1, pl) for pl in tables if id(pl.table) in starts]
        for _, kind, item in sorted(items, key=lambda i: (i[0], i[1])):
            if kind == 0:
                blocks.append(paragraph_block(item, page.number, size))
                continue
            index = starts[id(item.table)]
            before = [b for b in blocks if b.kind != "table"]
            stitched[index].context = (
                before[-1].text if before and blocks[-1].kind != "table" else None
            )
            blocks.append(Block("table", "", page.number, table_index=index))
    return blocks, stitched
