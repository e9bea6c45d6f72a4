"""Tab-separated tables of plain-text extractions, stitched across "page breaks".

A table region is a run of printed lines, each either tab-separated cells or a bare line
(a row with one cell).  The raw cells keep their markup until the grid is settled, so a
``<p>`` opened before a page break can still be matched after it.  The chain:
``split_header`` -> ``stitch_rows`` -> ``join_wrapped_labels`` -> ``header_grid`` +
``body_row``, all run by ``lines_to_table``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from parsers.model import Cell, Row, Table
from parsers.text_markup import is_bold, markup_to_text, unclosed_tags

# A cell ending in one of these closes its sentence; anything else was cut by a break.
SENTENCE_ENDS = (".", "!", "?", ":", ";", ")", '"', "'", "\u201d", "\u2019")
# Words that start the rest of a wrapped label ("F & R modernisation / and contract").
CONNECTORS: frozenset[str] = frozenset({"and", "or", "of", "for", "to", "&", "the", "in", "with"})
PROSE_WORDS = 6  # a cell this long that stops mid-sentence was cut by a page break
TAIL_LINES = 60  # enough of a long table's end to rebuild its last row after a break

# A figure in a savings-style table: "-8.2", "1,009", "(3.5)", "£12m", "45%".
_VALUE = re.compile(r"^[-+\u2013\u2212(]?\s*£?\s*\d[\d,]*(?:\.\d+)?\s*(?:m|bn|k|%)?\)?$")
_PERIOD = re.compile(r"^(?:\d{4}/\d{2,4}|(?:19|20)\d{2}|Q[1-4].*)$")


@dataclass(frozen=True)
class Line:
    """One printed line of a table region."""

    cells: tuple[str, ...]  # raw, markup kept
    after_break: bool = False  # a blank line ("page break") came just before
    bare: bool = False  # printed without a tab


def line_from_text(raw: str, after_break: bool = False) -> Line:
    cells = tuple(raw.rstrip("\r\n").split("\t"))
    return Line(cells, after_break, bare=len(cells) == 1)


@lru_cache(maxsize=1 << 16)
def cell_text(raw: str) -> str:
    return markup_to_text(raw)


def texts(line: Line | Sequence[str]) -> tuple[str, ...]:
    """Cleaned cell texts with trailing empty cells dropped."""
    cells = line.cells if isinstance(line, Line) else line
    out = [cell_text(c) for c in cells]
    while out and not out[-1]:
        out.pop()
    return tuple(out)


def is_value(text: str) -> bool:
    return bool(_VALUE.match(text)) and not _PERIOD.match(text)


def starts_lower(text: str) -> bool:
    """A cell that starts like the middle of a sentence."""
    first = text.split(maxsplit=1)[0] if text else ""
    return bool(first) and (first[0].islower() or first.lower() in CONNECTORS)


def ends_mid_sentence(text: str) -> bool:
    return len(text.split()) >= PROSE_WORDS and not text.rstrip().endswith(SENTENCE_ENDS)


# --- header -------------------------------------------------------------------------


def is_bold_line(line: Line) -> bool:
    filled = [c for c in line.cells if cell_text(c)]
    return bool(filled) and not line.bare and all(is_bold(c) for c in filled)


def is_subheader_line(line: Line) -> bool:
    """A further header row: label slot empty, two or more labels, no figures
    ("\\t2011/12\\t2012/13 ..." or "\\t£m\\t£m\\tNo ...")."""
    t = texts(line)
    filled = [x for x in t if x]
    return bool(t) and not t[0] and len(filled) >= 2 and not any(is_value(x) for x in filled)


def split_header(lines: Sequence[Line]) -> tuple[list[Line], list[Line]]:
    """Header lines (bold, or repeated later, plus their sub-header rows) and body lines."""
    n = 0
    while n < len(lines) and is_bold_line(lines[n]):
        n += 1
    if n == 0 and lines and not lines[0].bare:
        first = texts(lines[0])
        if any(texts(x) == first for x in lines[1:]) or is_subheader_line(lines[0]):
            n = 1
    if n:
        while n < len(lines) - 1 and is_subheader_line(lines[n]):
            n += 1
    return list(lines[:n]), list(lines[n:])


def is_repeated_header(line: Line, header: Sequence[Line]) -> bool:
    t = texts(line)
    return bool(t) and any(t == texts(h) for h in header)


# --- body rows ------------------------------------------------------------------------


def continues_row(line: Line, prev: Sequence[str], blank_labels: bool = False) -> bool:
    """Is ``line`` the rest of row ``prev`` (raw cells), cut by a page break?

    ``blank_labels``: the table has ordinary rows with an empty first cell (a vertically
    merged group), so an empty first cell alone says nothing.
    """
    if line.bare:
        return False
    t = texts(line)
    filled = [i for i, x in enumerate(t) if x]
    if not filled or (t[0] and not starts_lower(t[0])):
        return False  # a new row starts with its own label
    if any(unclosed_tags(c) for c in prev):
        return True
    if not line.after_break:
        return False
    before = [cell_text(prev[i]) if i < len(prev) else "" for i in filled]
    if t[0]:
        return bool(before[0]) and not before[0].endswith(SENTENCE_ENDS)
    if any(starts_lower(t[i]) for i in filled):
        return True
    if blank_labels:
        return False
    fewer = len(filled) < sum(1 for c in prev if cell_text(c))
    return fewer or any(ends_mid_sentence(b) for b in before)


def merge_cells(prev: Sequence[str], more: Sequence[str]) -> tuple[str, ...]:
    """Join a continuation line into its row, cell by cell, with a space."""
    width = max(len(prev), len(more))
    out = []
    for i in range(width):
        a = prev[i] if i < len(prev) else ""
        b = more[i] if i < len(more) else ""
        out.append(f"{a.rstrip()} {b.lstrip()}" if a.strip() and b.strip() else a + b)
    return tuple(out)


def stitch_rows(body: Sequence[Line], header: Sequence[Line]) -> tuple[list[Line], int]:
    """Drop repeated headers, join continuation lines; return rows and breaks stitched."""
    rows: list[Line] = []
    stitched = 0
    after_break = False
    blank_labels = False
    for line in body:
        after_break = after_break or line.after_break
        if header and is_repeated_header(line, header):
            after_break = True  # what follows a repeated header follows a page break
            stitched += 1
            continue
        line = Line(line.cells, after_break, line.bare)
        after_break = False
        if rows and continues_row(line, rows[-1].cells, blank_labels):
            rows[-1] = Line(merge_cells(rows[-1].cells, line.cells), rows[-1].after_break)
            continue
        rows.append(line)
        blank_labels = blank_labels or has_blank_labels([line])
    return rows, stitched


def has_blank_labels(rows: Sequence[Line]) -> bool:
    """Rows with an empty first cell printed away from any page break."""
    return any(not r.after_break and not r.bare and not cell_text(r.cells[0]) for r in rows)


def _first_word(line: Line) -> str:
    words = cell_text(line.cells[0]).split()
    return words[0].lower() if words and words[0].isalpha() else ""


def starts_table_continuation(region: Sequence[Line], line: Line) -> bool:
    """After blank lines, does ``line`` carry on the table in ``region``?

    Yes for its header repeated or the rest of its last row; for a table without a
    header, also for a row of the same width that does not start the way the table
    did (a second "Recommendation 2:" block is a new table)."""
    header, body = split_header(region)
    if header and is_repeated_header(line, header):
        return True
    rows, _ = stitch_rows(body[-TAIL_LINES:], header)
    broken = Line(line.cells, True, line.bare)
    if rows and continues_row(broken, rows[-1].cells, has_blank_labels(rows)):
        return True
    if header or not region:
        return False
    width = max(len(x.cells) for x in region)
    same_start = _first_word(line) != "" and _first_word(line) == _first_word(region[0])
    return (line.bare or len(line.cells) == width) and not same_start


# --- wrapped row labels (savings tables) ------------------------------------------------


def is_label_only(line: Line) -> bool:
    t = texts(line)
    return bool(t) and bool(t[0]) and sum(1 for x in t if x) == 1


def is_numeric_table(rows: Sequence[Line]) -> bool:
    """Most rows that carry more than a label carry figures (a savings table)."""
    full = [r for r in rows if not is_label_only(r)]
    valued = sum(any(is_value(x) for x in texts(r)[1:]) for r in full)
    return valued >= 1 and valued * 2 >= len(full)


def _label_runs(rows: Sequence[Line]) -> list[tuple[int, int]]:
    """(start, end) of every run of label-only rows."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(rows):
        if is_label_only(rows[i]):
            j = i
            while j < len(rows) and is_label_only(rows[j]):
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _label(line: Line) -> str:
    return cell_text(line.cells[0])


def _labels_go_before(rows: Sequence[Line], runs: Sequence[tuple[int, int]]) -> bool:
    """Does this table print a wrapped label's first lines above the row's figures?"""
    before = after = False
    for start, end in runs:
        before |= start == 0 or (end < len(rows) and starts_lower(_label(rows[end])))
        after |= end == len(rows) or (start > 0 and starts_lower(_label(rows[start])))
    return before and not after


def join_wrapped_labels(rows: Sequence[Line]) -> list[Line]:
    """In a table of figures, a line holding only a label is part of a neighbouring
    row's label ("Property Services" / "modernisation and" / "contract  -9.5 ...").

    A line starting mid-phrase continues the label above it; any other line starts the
    label of the row below when the table prints labels above their figures (or the row
    below itself starts mid-phrase), else it continues the label above."""
    if not is_numeric_table(rows):
        return list(rows)
    mode_before = _labels_go_before(rows, _label_runs(rows))
    out: list[Line] = []
    pending: list[str] = []  # label lines waiting for the row that carries the figures
    for i, row in enumerate(rows):
        if not is_label_only(row):
            if pending:
                row = _with_label(row, " ".join([*pending, _label(row)]))
                pending = []
            out.append(row)
            continue
        label = _label(row)
        nxt = next((r for r in rows[i + 1 :] if not is_label_only(r)), None)
        to_next = nxt is not None and (mode_before or starts_lower(_label(nxt)))
        if pending or (not starts_lower(label) and to_next) or not out:
            pending.append(label)
        else:
            out[-1] = _with_label(out[-1], f"{_label(out[-1])} {label}")
    if pending:
        if out:
            out[-1] = _with_label(out[-1], " ".join([_label(out[-1]), *pending]))
        else:
            out.extend(Line((p,), bare=True) for p in pending)
    return out


def _with_label(line: Line, label: str) -> Line:
    return Line((label, *line.cells[1:]), line.after_break, line.bare)


# --- grid -------------------------------------------------------------------------------


def _with_spans(texts_: Sequence[str], spans: dict[int, int], n_cols: int) -> Row:
    row: list[Cell] = []
    col = 0
    while col < n_cols:
        span = spans.get(col, 1)
        text = texts_[col] if col < len(texts_) else ""
        row.append(Cell(text, colspan=span))
        row.extend(Cell("", covered=True) for _ in range(span - 1))
        col += span
    return tuple(row)


def _blocks_below(below: Sequence[str], n_cols: int) -> list[tuple[int, int]]:
    """Column blocks of a period row: a new block wherever its first label recurs."""
    first = next((i for i in range(1, len(below)) if below[i]), None)
    if first is None:
        return []
    starts = [c for c in range(first, len(below)) if below[c] == below[first]]
    return [(s, e) for s, e in zip(starts, [*starts[1:], n_cols], strict=True)]


def header_grid(lines: Sequence[Line], n_cols: int) -> tuple[Row, ...]:
    """Header rows; a group label spans the columns its sub-headers sit under."""
    rows: list[Row] = []
    all_texts = [list(texts(line)) for line in lines]
    for k, t in enumerate(all_texts):
        t = t + [""] * (n_cols - len(t))
        below = all_texts[k + 1] + [""] * n_cols if k + 1 < len(all_texts) else []
        spans: dict[int, int] = {}
        if below and len(lines[k].cells) < n_cols:
            names = [x for x in t[1:] if x]
            blocks = _blocks_below(below[:n_cols], n_cols)
            if names and len(names) <= len(blocks):
                t = [t[0]] + [""] * (n_cols - 1)
                for name, (s, e) in zip(names, blocks[len(blocks) - len(names) :], strict=True):
                    t[s] = name
                    spans[s] = e - s
        elif below:
            for c in range(n_cols):
                if not t[c]:
                    continue
                e = c + 1
                while e < n_cols and not t[e] and below[e]:
                    e += 1
                if e - c > 1:
                    spans[c] = e - c
        rows.append(_with_spans(t, spans, n_cols))
    return tuple(rows)


def body_row(line: Line, n_cols: int, headerless: bool = False) -> Row:
    """A body row; its last filled cell spans the rest of the row when the row was
    printed short, holds only a section label, or (in a block without a header, like an
    improvement-plan block) leaves the cells after it empty."""
    t = list(texts(line))
    spans: dict[int, int] = {}
    filled = [i for i, x in enumerate(t) if x]
    section = filled == [0] and n_cols >= 3 and not is_value(t[0])
    if t and (len(line.cells) < n_cols or section or headerless):
        spans[len(t) - 1] = n_cols - len(t) + 1
    return _with_spans(t, spans, n_cols)


def lines_to_table(region: Sequence[Line], context: str | None = None) -> Table:
    """The whole chain for one table region."""
    header, body = split_header(region)
    rows, stitched = stitch_rows(body, header)
    rows = join_wrapped_labels(rows)
    n_cols = max([len(texts(x)) for x in (*header, *rows)] + [1])
    notes = ["tab-separated"] + ([f"stitched {stitched} page breaks"] if stitched else [])
    return Table(
        header=header_grid(header, n_cols),
        rows=tuple(body_row(r, n_cols, headerless=not header) for r in rows),
        context=context,
        notes=tuple(notes),
    )
