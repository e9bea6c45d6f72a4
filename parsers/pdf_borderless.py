"""Tables printed without ruling lines, found by text alignment.

A line whose words fall into several runs separated by wide gaps is an *anchor*; a run of
closely spaced lines holding at least two anchors whose runs start at the same x
positions is a table region (``find_borderless``).  A region's columns come from the
text edges its lines repeat (``pdf_columns``), its rows from the layout of each line
(``pdf_rows``), and ``region_to_table`` builds the grid.  Captions above and notes below
are not rows.  Every tolerance is a ``TableSettings`` value relative to the font size or
the line pitch.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from parsers.celltext import BULLET_GLYPHS
from parsers.model import BBox
from parsers.pdf_columns import (
    LIST_MARKER,
    Column,
    is_figure,
    line_to_cells,
    region_size,
    segments_to_columns,
    widen_to_rules,
)
from parsers.pdf_columns import line_to_segments as segments
from parsers.pdf_grid import PageTable, PCell, cell_content, cluster
from parsers.pdf_prose import (
    SECTION_NUMBER,
    flowing,
    numbered_paragraphs,
    prose,
    without_prose_ends,
)
from parsers.pdf_rows import Row, lines_to_rows
from parsers.pdf_ruling import joined_rules
from parsers.pdf_words import Line, Word
from parsers.table_settings import DEFAULT, TableSettings


def line_pitch(lines: Sequence[Line]) -> float:
    """Typical distance between the tops of consecutive lines of one paragraph."""
    return pitch_of([(ln.top, ln.bottom) for ln in lines])


def pitch_of(spans: Sequence[tuple[float, float]]) -> float:
    """``line_pitch`` of lines given as (top, bottom) pairs in reading order."""
    if not spans:
        return 12.0
    height = statistics.median(bottom - top for top, bottom in spans)
    diffs = [b[0] - a[0] for a, b in pairwise(spans) if height * 0.9 <= b[0] - a[0] <= height * 1.8]
    return statistics.median(diffs) if diffs else height * 1.2


@dataclass(frozen=True, slots=True)
class _Ctx:
    """What every step of one page's search needs: the settings, the page's line pitch,
    its column tolerance and its font size in points."""

    s: TableSettings
    pitch: float
    tol: float
    size: float
    rules: tuple[BBox, ...] = ()  # the page's horizontal rules

    @property
    def row_gap(self) -> float:
        return self.pitch * self.s.row_gap_max_pitches


def find_borderless(
    page_no: int, lines: Sequence[Line], s: TableSettings = DEFAULT, rules: Sequence[BBox] = ()
) -> list[tuple[PageTable, list[Line]]]:
    """Borderless tables among the page's lines (running text only), with the lines each
    used; ``rules`` are the page's horizontal rules."""
    size = region_size(lines)
    cx = _Ctx(s, line_pitch(lines), s.column_tolerance_em * size, size, tuple(rules))
    out: list[tuple[PageTable, list[Line]]] = []
    prev: tuple[PageTable, list[Line]] | None = None  # the table of the run just before
    headings: list[Line] = []  # group headings printed since ``prev``
    for run in _join_padded_rows(_runs(lines, cx), cx):
        if (
            prev is not None
            and not _anchored(run, s)
            and (_inside_columns(prev[0], run, cx) or _one_row_on(prev[0], run, cx))
        ):
            grown = region_to_table(page_no, [*prev[1], *run], cx)
            if grown is not None and run[0].top - prev[1][-1].bottom <= cx.row_gap:
                out[-1] = prev = grown
                continue
        found = region_to_table(page_no, run, cx) if _anchored(run, s) else None
        if found is not None and prev is not None:
            merged = (
                _merge_regions(page_no, prev, found, cx)
                if not headings
                else _merge_across_headings(page_no, prev, headings, found, cx)
            )
            if merged is not None:
                out[-1] = prev = merged
                headings = []
                continue
        if found is None and prev is not None and _group_heading(run, headings, prev[0], cx):
            headings.extend(run)
            continue
        if found is not None:
            out.append(found)
        prev = out[-1] if found is not None else None
        headings = []
    return out


def _group_heading(run: Sequence[Line], before: Sequence[Line], t: PageTable, cx: _Ctx) -> bool:
    """``run`` may be a heading inside the table above ("Female", "Private schools"): a
    line or two of one cell each, within the table's width, not a caption or a note."""
    if len(before) + len(run) > cx.s.group_heading_lines:
        return False
    outdent = cx.s.heading_outdent_em * cx.size
    return all(
        len(segments(ln, cx.s)) == 1
        and ln.x0 >= t.bbox[0] - outdent
        and ln.x1 <= t.bbox[2] + cx.tol
        and not cx.s.caption.match(ln.text)
        and not cx.s.note.match(ln.text)
        for ln in run
    )


def _merge_across_headings(
    page_no: int,
    prev: tuple[PageTable, list[Line]],
    headings: list[Line],
    found: tuple[PageTable, list[Line]],
    cx: _Ctx,
) -> tuple[PageTable, list[Line]] | None:
    """A table whose rows resume, on the same columns, after group headings: one table."""
    (last, used), (table, run) = prev, found
    if run[0].top - used[-1].bottom > cx.pitch * cx.s.group_gap_pitches:
        return None
    if run[0].top - headings[-1].bottom > cx.row_gap:
        return None  # a heading set apart from the rows below it is the next table's title
    width = last.bbox[2] - last.bbox[0]
    if any(
        headings[-1].bottom <= r[1] <= run[0].top and r[2] - r[0] >= width / 2 for r in cx.rules
    ):
        return None  # a rule opens the rows below: a table of its own under its title
    if not (_same_spans(last, table) or _heads(last, table, cx)):
        return None
    return region_to_table(page_no, [*used, *headings, *run], cx)


_HEADER_BLOCK_ROWS = 6  # a table's column headings stack at most this many lines


def _heads(block: PageTable, table: PageTable, cx: _Ctx) -> bool:
    """``block`` is the column headings of ``table`` printed as a block of their own
    (multi-line headings centred over narrow figure columns, "Weight / Relative / to /
    Controls"): a few lines of words, no figures, within the table's width, fewer
    columns than the table, whose cells are mostly figures."""
    cells = [c.text for row in block.rows for c in row if c.text.strip()]
    below = [c.text for row in table.rows for c in row if c.text.strip()]
    reach = cx.s.heading_outdent_em * cx.size  # headings centred over right-aligned figures
    return (
        0 < len(block.rows) <= _HEADER_BLOCK_ROWS
        and 2 * sum(is_figure(t) for t in below) >= len(below)  # over columns of figures
        and block.n_cols <= table.n_cols
        and not any(is_figure(t) for t in cells)
        and block.bbox[0] >= table.bbox[0] - reach
        and block.bbox[2] <= table.bbox[2] + reach
    )


def _merge_regions(
    page_no: int,
    prev: tuple[PageTable, list[Line]],
    found: tuple[PageTable, list[Line]],
    cx: _Ctx,
) -> tuple[PageTable, list[Line]] | None:
    """Rows padded apart (HTML printed to PDF) leave wider gaps than paragraphs do: a run
    right below a table, on the same columns (or a subset), continues it."""
    (last, used), (table, run) = prev, found
    if run[0].top - used[-1].bottom > cx.row_gap:
        return None
    a, b = last.col_edges[:-1], table.col_edges[:-1]
    fits = _covers(a, b, cx.tol) or _covers(b, a, cx.tol) or _same_spans(last, table)
    if not (fits or _heads(last, table, cx)):
        return None
    return region_to_table(page_no, [*used, *run], cx)


def _same_spans(a: PageTable, b: PageTable) -> bool:
    """The same number of columns, each printed over the same x range (right-aligned
    figures start where their widest figure starts, which differs from block to block)."""
    return len(a.spans) == len(b.spans) and all(
        x[0] < y[1] and y[0] < x[1] for x, y in zip(a.spans, b.spans, strict=True)
    )


def _inside_columns(table: PageTable, run: Sequence[Line], cx: _Ctx) -> bool:
    """Every line of ``run`` starts at one of the table's inner columns: text of a cell
    printed apart from its row, not a paragraph after the table."""
    inner = table.col_edges[1:-1]
    return all(any(abs(ln.x0 - x) <= cx.tol for x in inner) for ln in run)


def _one_row_on(table: PageTable, run: Sequence[Line], cx: _Ctx) -> bool:
    """``run`` is one line laid out on the table's columns, each of its runs of words
    over one of them (a "Total" row set apart by space on both sides)."""
    if len(run) != 1 or not _row_shaped(run, cx):
        return False
    hit = [
        [i for i, (a, b) in enumerate(table.spans) if seg[0].x0 < b and a < seg[-1].x1]
        for seg in segments(run[0], cx.s)
    ]
    return all(len(h) == 1 for h in hit) and len({h[0] for h in hit}) == len(hit) >= 2


def _covers(fine: Sequence[float], coarse: Sequence[float], tol: float) -> bool:
    return all(any(abs(x - y) <= tol for y in fine) for x in coarse)


def _runs(lines: Sequence[Line], cx: _Ctx) -> list[list[Line]]:
    """Lines into runs separated by gaps wider than a paragraph break."""
    runs: list[list[Line]] = []
    for ln in lines:
        if runs and ln.top - runs[-1][-1].top <= cx.pitch * cx.s.run_gap_pitches:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    return runs


def _join_padded_rows(runs: list[list[Line]], cx: _Ctx) -> list[list[Line]]:
    """Cell padding (reportlab, LibreOffice's default) puts rows further apart than a
    paragraph break, so each row is a run of its own and none holds two anchors: a row-shaped
    run on the columns of the row-shaped run above, and close enough to it, joins it."""
    out: list[list[Line]] = []
    above: list[Line] = []  # the last run joined into out[-1], when it is row-shaped
    for run in runs:
        shaped = _row_shaped(run, cx)
        if (
            shaped
            and above
            and run[0].top - above[-1].bottom <= cx.row_gap
            and _same_columns(_starts(above[0], cx.s), _starts(run[0], cx.s), cx.tol)
        ):
            out[-1] = [*out[-1], *run]
        else:
            out.append(run)
        above = run if shaped else []
    return out


def _row_shaped(run: Sequence[Line], cx: _Ctx) -> bool:
    """The run opens with a line laid out in columns (not a "Label: value" field of a memo
    header) and no later line's text crosses one of those columns' starts, as a paragraph's
    would: it reads as one table row."""
    opening = segments(run[0], cx.s)
    if len(opening) < 2 or (len(opening) == 2 and _field_or_item(opening[0])):
        return False
    inner = _starts(run[0], cx.s)[1:]
    return not any(
        seg[0].x0 + cx.tol < x < seg[-1].x1 - 2
        for ln in run[1:]
        for seg in segments(ln, cx.s)
        for x in inner
    )


def _field_or_item(first: Sequence[Word]) -> bool:
    """The first of a line's two runs is a memo header's label ("Subject:") or a list
    marker ("•", "(a)", "2.1"): a field or list item, which padding also sets apart."""
    return (
        first[-1].text.endswith(":")
        or len(first) == 1
        and (first[0].text in BULLET_GLYPHS or bool(LIST_MARKER.match(first[0].text)))
        or bool(SECTION_NUMBER.match(" ".join(w.text for w in first)))
    )


def _starts(line: Line, s: TableSettings) -> list[float]:
    return [seg[0].x0 for seg in segments(line, s)]


def _same_columns(a: Sequence[float], b: Sequence[float], tol: float) -> bool:
    """The line with fewer runs (a row may leave cells empty) starts each where the other
    line starts one."""
    fewer, more = (a, b) if len(a) <= len(b) else (b, a)
    return _covers(more, fewer, tol)


def _anchored(run: Sequence[Line], s: TableSettings) -> bool:
    """At least two of the run's lines are laid out in columns."""
    return sum(len(segments(ln, s)) >= 2 for ln in run) >= 2


def _trim(region: Sequence[Line], s: TableSettings) -> list[Line]:
    """The region without its caption ("Table 3: ...") above and notes ("Source: ...",
    "Note: ...") below: they are printed with a table, not in it."""
    lines = list(region)
    while lines and s.caption.match(lines[0].text):
        caption = lines.pop(0)
        # its wrapped lines: one run, at the caption's margin or its hanging indent
        margins = [w.x0 for w in caption.words[:3]]
        while (
            lines
            and len(segments(lines[0], s)) == 1
            and lines[0].size == caption.size
            and any(abs(lines[0].x0 - x) <= 1.0 for x in margins)
        ):
            lines.pop(0)
    for i, ln in enumerate(lines):
        if i and s.note.match(ln.text) and _note_line(ln, s):
            return lines[:i]
    return lines


def _typed_rule(line: Line, s: TableSettings) -> bool:
    """A line of nothing but dashes, underscores or equals signs: a rule typed in a
    typewriter-style report, not a row."""
    text = line.text.replace(" ", "")
    return len(text) >= s.typed_rule_chars and not text.strip("-_=–—─━")


def _note_line(line: Line, s: TableSettings) -> bool:
    """A line opening with a note's word is a note when it is one run of text or that
    word is a label ("Source: ..."); laid out in columns after the plain word it is a
    header row ("Source" | "2007-08" | "2008-09")."""
    return len(segments(line, s)) == 1 or line.words[0].text.endswith(":")


def _below_title_rule(lines: list[Line], cx: _Ctx) -> list[Line]:
    """The lines less a title run across their top and set off by a rule drawn under it
    over the whole table: the rule is where the table starts (its caption, in whatever
    words, is above it)."""
    if len(lines) < 3 or len(segments(lines[0], cx.s)) != 1:
        return lines
    title, rest = lines[0], lines[1:]
    x0, x1 = min(ln.x0 for ln in rest), max(ln.x1 for ln in rest)
    if title.x1 - title.x0 < (x1 - x0) / 2:
        return lines  # a short label ("£m") over one column is a header cell
    between = [r for r in cx.rules if title.bottom <= r[1] <= rest[0].top]
    ruled = any(
        a <= x0 + cx.tol and b >= x1 - cx.tol
        for y in cluster([r[1] for r in between], cx.tol)
        for a, b in joined_rules(between, y, cx.tol)
    )
    return rest if ruled else lines


def region_to_table(
    page_no: int, region: Sequence[Line], cx: _Ctx
) -> tuple[PageTable, list[Line]] | None:
    """The table printed in ``region`` and the lines it uses, or None when the lines do
    not line up in at least two columns on at least two lines."""
    body = [ln for ln in _below_title_rule(_trim(region, cx.s), cx) if not _typed_rule(ln, cx.s)]
    cols = segments_to_columns(body, cx.s) if body else []
    if len(cols) < 2:
        return None
    # where each line's space ends: the next line that starts below it (a line set half
    # way down beside it, as "Age group" beside a row of group headings, does not count)
    belows = [
        next((n.top for n in body[i + 1 :] if n.top >= ln.bottom - 1), ln.bottom + cx.pitch)
        for i, ln in enumerate(body)
    ]
    placed = [
        (ln, widen_to_rules(ln, line_to_cells(ln, cols, cx.s), cols, cx.rules, below))
        for ln, below in zip(body, belows, strict=True)
    ]
    # footnotes printed right under the rows: one run of text across most columns
    while len(placed) > 2 and _note_like(placed[-1][1], len(cols)):
        placed.pop()
    body = [ln for ln, _ in placed]
    if sum(len(p) >= 2 for _, p in placed) < 2:
        return None
    rows = lines_to_rows(placed, cols, cx.pitch, cx.s)
    edges = [c.x0 for c in cols] + [cols[-1].x1]
    cells = [_row_cells(page_no, r, cols) for r in rows]
    kept = without_prose_ends(cells, cx.s)
    if 0 < len(kept) < len(rows):
        # a paragraph run into the top or foot of the table (an introduction, a note) is
        # text: the table is read again without its lines
        lines = [ln for r, _ in zip(rows, cells, strict=True) for ln, _ in r.lines]
        keep = {id(ln) for k in kept for ln, _ in rows[k].lines}
        return region_to_table(page_no, [ln for ln in lines if id(ln) in keep], cx)
    if numbered_paragraphs(cells) or prose(cells, cx.s) or flowing(cells, cx.s):
        return None
    x0 = min(ln.x0 for ln in body)
    bbox = (x0, body[0].top, max(ln.x1 for ln in body), body[-1].bottom)
    spans = [(c.x0, c.x1) for c in cols]
    return PageTable(page_no, bbox, edges, cells, "borderless", spans=spans), body


def _note_like(cells: Sequence[tuple[int, int, list[Word]]], n_cols: int) -> bool:
    return len(cells) == 1 and cells[0][1] - cells[0][0] + 1 > max(2, n_cols // 2)


def _row_cells(page_no: int, row: Row, cols: Sequence[Column]) -> list[PCell]:
    n_cols = len(cols)
    words: dict[int, list[Word]] = {}
    span: dict[int, int] = {}
    for _, placed in row.lines:
        for c0, c1, seg in placed:
            words.setdefault(c0, []).extend(seg)
            span[c0] = max(span.get(c0, c0), n_cols - 1 if row.spanning else c1)
    owner: dict[int, int] = {}  # column -> the column whose cell covers it
    c = 0
    while c < n_cols:
        end = span.get(c, c)
        for k in range(c, end + 1):
            owner[k] = c
        c = end + 1
    for col in [k for k in words if owner.get(k, k) != k]:
        words.setdefault(owner[col], []).extend(words.pop(col))  # text under a span
    cells: list[PCell] = []
    for c in range(n_cols):
        if owner[c] != c:
            cells.append(PCell("", covered=True, pages=[page_no]))
            continue
        ws, end = words.get(c, []), span.get(c, c)
        text, bold = cell_content(ws, cols[end].x1 + 1)
        cells.append(PCell(text, 1, end - c + 1, bold=bold, pages=[page_no], bbox=_bounds(ws)))
    return cells


def _bounds(words: Sequence[Word]) -> tuple[float, float, float, float] | None:
    if not words:
        return None
    return (
        min(w.x0 for w in words),
        min(w.top for w in words),
        max(w.x1 for w in words),
        max(w.bottom for w in words),
    )
