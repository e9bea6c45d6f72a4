"""Tables printed without ruling lines, found by text alignment.

A line whose words fall into several runs separated by wide gaps is an *anchor*; a run of
closely spaced lines holding at least two anchors whose runs start at the same x
positions is a table region.  Rows start where text begins in several columns at once
after a paragraph gap, at a full-width (spanning) line, or at a bold section line; every
other line continues the current row, so multi-line cells stay one cell.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from parsers.celltext import BULLET_GLYPHS
from parsers.pdf_grid import PageTable, PCell, cell_content, cluster
from parsers.pdf_words import Line, Word

_SEG_GAP = 7.0  # a horizontal gap this wide separates two columns' text
# paragraph or footnote numbers: "1.1.2", "(a)", "iv)", or a run of footnote numbers "124 125"
_SECTION_NUMBER = re.compile(
    r"^(?:(?:\(?\d{1,3}(?:\.\d{1,3})*[.)]?\s*)+|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])$"
)
_COL_TOL = 5.0
_ROW_GAP_MAX = 2.2  # in line pitches: the widest gap between two rows of one table
_GUTTER = 11.0  # Word's default cell padding, both sides
_BULLET_INDENT = 25.0
_MARKER_GAP = 30.0  # a list marker is followed by its text within this distance
_MARKER = re.compile(r"^(?:\(?(?:\d{1,3}|[ivx]{1,4}|[a-z])[.)]|[\u2022\uf0b7\u25aa\u25cf\-–o])$")


def segments(line: Line) -> list[list[Word]]:
    """Runs of the line's words split at wide gaps; a bare list marker stays with its text."""
    runs: list[list[Word]] = []
    for w in line.words:
        if runs and w.x0 - runs[-1][-1].x1 < _SEG_GAP:
            runs[-1].append(w)
        elif (
            runs
            and len(runs[-1]) == 1
            and _MARKER.match(runs[-1][0].text)
            and w.x0 - runs[-1][-1].x1 < _MARKER_GAP
        ):
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


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


@dataclass
class _Row:
    lines: list[tuple[Line, list[tuple[int, int, list[Word]]]]] = field(default_factory=list)
    spanning: bool = False

    def bold(self) -> bool:
        return all(ln.bold for ln, _ in self.lines)

    def labelled(self) -> bool:
        """Every cell of the row's first line opens with a bold "Label:"."""
        placed = self.lines[0][1] if self.lines else []
        return len(placed) >= 2 and all(_label_start(seg) for _, _, seg in placed)


def _label_start(seg: Sequence[Word]) -> bool:
    for w in seg:
        if not w.bold:
            return False
        if w.text.endswith(":"):
            return True
    return False


def find_borderless(page_no: int, lines: Sequence[Line]) -> list[tuple[PageTable, list[Line]]]:
    """Borderless tables among the page's lines (running text only), with the lines each used."""
    pitch = line_pitch(lines)
    out: list[tuple[PageTable, list[Line]]] = []
    prev: tuple[PageTable, list[Line]] | None = None  # the table of the run just before
    for run in _join_padded_rows(_runs(lines, pitch), pitch):
        if prev is not None and not _anchored(run) and _inside_columns(prev[0], run):
            grown = _region_table(page_no, [*prev[1], *run], pitch)
            if grown is not None and run[0].top - prev[1][-1].bottom <= pitch * _ROW_GAP_MAX:
                out[-1] = prev = (grown, [*prev[1], *run])
                continue
        table = _region_table(page_no, run, pitch) if _anchored(run) else None
        if table is not None and prev is not None:
            merged = _merge_regions(page_no, prev, table, run, pitch)
            if merged is not None:
                out[-1] = prev = merged
                continue
        if table is not None:
            out.append((table, run))
        prev = out[-1] if table is not None else None
    return out


def _merge_regions(
    page_no: int,
    prev: tuple[PageTable, list[Line]],
    table: PageTable,
    run: list[Line],
    pitch: float,
) -> tuple[PageTable, list[Line]] | None:
    """Rows padded apart (HTML printed to PDF) leave wider gaps than paragraphs do: a run
    right below a table, on the same columns (or a subset), continues it."""
    last, used = prev
    if run[0].top - used[-1].bottom > pitch * _ROW_GAP_MAX:
        return None
    a, b = last.col_edges[:-1], table.col_edges[:-1]
    if not (_covers(a, b) or _covers(b, a)):
        return None
    merged = _region_table(page_no, [*used, *run], pitch)
    return None if merged is None else (merged, [*used, *run])


def _inside_columns(table: PageTable, run: Sequence[Line]) -> bool:
    """Every line of ``run`` starts at one of the table's inner columns: text of a cell
    printed apart from its row, not a paragraph after the table."""
    inner = table.col_edges[1:-1]
    return all(any(abs(ln.x0 - x) <= _COL_TOL for x in inner) for ln in run)


def _covers(fine: Sequence[float], coarse: Sequence[float]) -> bool:
    return all(any(abs(x - y) <= _COL_TOL for y in fine) for x in coarse)


def _runs(lines: Sequence[Line], pitch: float) -> list[list[Line]]:
    """Lines into runs separated by gaps wider than a paragraph break."""
    runs: list[list[Line]] = []
    for ln in lines:
        if runs and ln.top - runs[-1][-1].top <= pitch * 1.5:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    return runs


def _join_padded_rows(runs: list[list[Line]], pitch: float) -> list[list[Line]]:
    """Cell padding (reportlab, LibreOffice's default) puts rows further apart than a
    paragraph break, so each row is a run of its own and none holds two anchors: a row-shaped
    run on the columns of the row-shaped run above, and close enough to it, joins it."""
    out: list[list[Line]] = []
    above: list[Line] = []  # the last run joined into out[-1], when it is row-shaped
    for run in runs:
        shaped = _row_shaped(run)
        if (
            shaped
            and above
            and run[0].top - above[-1].bottom <= pitch * _ROW_GAP_MAX
            and _same_columns(_starts(above[0]), _starts(run[0]))
        ):
            out[-1] = [*out[-1], *run]
        else:
            out.append(run)
        above = run if shaped else []
    return out


def _row_shaped(run: Sequence[Line]) -> bool:
    """The run opens with a line laid out in columns (not a "Label: value" field of a memo
    header) and no later line's text crosses one of those columns' starts, as a paragraph's
    would: it reads as one table row."""
    opening = segments(run[0])
    if len(opening) < 2 or (len(opening) == 2 and _field_or_item(opening[0])):
        return False
    inner = _starts(run[0])[1:]
    return not any(
        seg[0].x0 + _COL_TOL < x < seg[-1].x1 - 2
        for ln in run[1:]
        for seg in segments(ln)
        for x in inner
    )


def _field_or_item(first: Sequence[Word]) -> bool:
    """The first of a line's two runs is a memo header's label ("Subject:") or a list
    marker ("•", "(a)", "2.1"): a field or list item, which padding also sets apart."""
    return (
        first[-1].text.endswith(":")
        or len(first) == 1
        and (first[0].text in BULLET_GLYPHS or bool(_MARKER.match(first[0].text)))
        or bool(_SECTION_NUMBER.match(" ".join(w.text for w in first)))
    )


def _starts(line: Line) -> list[float]:
    return [s[0].x0 for s in segments(line)]


def _same_columns(a: Sequence[float], b: Sequence[float]) -> bool:
    """The line with fewer runs (a row may leave cells empty) starts each where the other
    line starts one."""
    fewer, more = (a, b) if len(a) <= len(b) else (b, a)
    return _covers(more, fewer)


def _anchored(run: Sequence[Line]) -> bool:
    """At least two of the run's lines are laid out in columns."""
    return sum(len(segments(ln)) >= 2 for ln in run) >= 2


def _column_starts(region: Sequence[Line]) -> list[float]:
    starts = [s[0].x0 for ln in region for s in segments(ln) if len(segments(ln)) >= 2]
    cols = cluster(starts, _COL_TOL)
    anchors = [ln for ln in region if len(segments(ln)) >= 2]
    # a bold first anchor is a header row: each of its runs names a column
    head = [s[0].x0 for s in segments(anchors[0])] if anchors and anchors[0].bold else []
    counted = [
        c
        for c in cols
        if sum(abs(s - c) <= _COL_TOL for s in starts) >= 2
        or any(abs(h - c) <= _COL_TOL for h in head)
    ]
    counted = _confirmed_by_wide_lines(counted, anchors)
    counted = _drop_bullet_indents(counted, [s for ln in anchors for s in segments(ln)])
    left = min(ln.x0 for ln in region)
    if counted and counted[0] - left > _COL_TOL:
        counted.insert(0, left)
    return counted


def _confirmed_by_wide_lines(cols: list[float], anchors: Sequence[Line]) -> list[float]:
    """A line of three or more runs, two of them on known columns, is a table row: its
    other runs start columns too (a continuation page may print only one such row)."""
    out = list(cols)
    for ln in anchors:
        starts = [s[0].x0 for s in segments(ln)]
        known = sum(any(abs(x - c) <= _COL_TOL for c in cols) for x in starts)
        if len(starts) >= 3 and known >= 2:
            out.extend(x for x in starts if not any(abs(x - c) <= _COL_TOL for c in out))
    return sorted(out)


def _drop_bullet_indents(cols: list[float], runs: Sequence[list[Word]]) -> list[float]:
    """Text indented after a column's bullet glyphs is that column, not a new one."""
    bulleted = {
        c
        for c in cols
        if any(abs(r[0].x0 - c) <= _COL_TOL and r[0].text in BULLET_GLYPHS for r in runs)
    }
    out: list[float] = []
    for c in cols:
        if out and out[-1] in bulleted and c - out[-1] <= _BULLET_INDENT:
            continue
        out.append(c)
    return out


def _place(line: Line, starts: Sequence[float]) -> list[tuple[int, int, list[Word]]]:
    """(first column, last column, words) of each run of the line."""
    placed = []
    for seg in segments(line):
        c0 = max([i for i, s in enumerate(starts) if s <= seg[0].x0 + _COL_TOL] or [0])
        x1 = max(w.x1 for w in seg)
        c1 = max([i for i, s in enumerate(starts) if s < x1 - 2] or [c0])
        placed.append((c0, max(c0, c1), seg))
    return placed


def _region_table(page_no: int, region: Sequence[Line], pitch: float) -> PageTable | None:
    starts = _column_starts(region)
    if len(starts) < 2:
        return None
    anchors = [ln for ln in region if len(segments(ln)) >= 2]
    fitting = [
        ln
        for ln in anchors
        if sum(any(abs(s[0].x0 - c) <= _COL_TOL for c in starts) for s in segments(ln)) >= 2
    ]
    if len(fitting) < 2:
        return None
    rows = _split_rows(region, starts, pitch)
    x1 = max(ln.x1 for ln in region)
    cells = [_row_cells(page_no, r, [*starts, x1]) for r in rows]
    if _numbered_paragraphs(cells):
        return None
    bbox = (min(ln.x0 for ln in region), region[0].top, x1, region[-1].bottom)
    return PageTable(page_no, bbox, [*starts, x1], cells, "borderless")


def _numbered_paragraphs(rows: Sequence[Sequence[PCell]]) -> bool:
    """Two columns whose first starts every cell with a paragraph or footnote number
    ("1.1", "1.1.2", "(a)", "124"): numbered paragraphs with a hanging indent, not a table."""
    if not rows or len(rows[0]) != 2:
        return False
    firsts = [row[0].text for row in rows if not row[0].covered and row[0].text]
    # a footnote number may sit close enough to its text to share the first column
    return bool(firsts) and all(_SECTION_NUMBER.match(t.split()[0]) for t in firsts)


def _split_rows(region: Sequence[Line], starts: Sequence[float], pitch: float) -> list[_Row]:
    rows: list[_Row] = []
    last_top: dict[int, float] = {}
    para_gap = pitch + 1.8
    prev: Line | None = None
    for ln in region:
        placed = _place(ln, starts)
        spanning = len(placed) == 1 and placed[0][0] == 0 and placed[0][1] > 0
        gap = ln.top - prev.top if prev is not None else 1e9
        cur = rows[-1] if rows else None
        fresh = [
            gap > para_gap if c0 not in last_top else ln.top - last_top[c0] > para_gap
            for c0, _, _ in placed
        ]
        if cur is None:
            new = True
        elif spanning:
            new = not cur.spanning or gap > para_gap
        elif cur.spanning:
            # a spanning paragraph's last line may be short enough to fit one column
            new = not (len(placed) == 1 and placed[0][0] == 0 and gap <= para_gap)
        elif cur.bold() and not ln.bold and len(rows) == 1:
            new = True  # below a bold header row
        elif placed[0][2][0].text in BULLET_GLYPHS:
            new = False  # a bullet item carries on its cell
        elif cur.labelled():
            # "Additional costs: | Estimated savings:" rows hold sub-lines ("Capital",
            # "Revenue ...") until the next bold label opens the next row
            new = placed[0][0] == 0 and _label_start(placed[0][2])
        elif ln.bold and len(placed) == 1 and placed[0][0] == 0 and not cur.lines[-1][0].bold:
            new = gap > para_gap
        else:
            # a row starts with its first (reference) column
            new = len(placed) >= 2 and placed[0][0] == 0 and all(fresh)
        if new:
            rows.append(_Row(spanning=spanning))
            last_top = {}
        rows[-1].lines.append((ln, placed))
        for c0, _, _ in placed:
            last_top[c0] = ln.top
        prev = ln
    return rows


def _row_cells(page_no: int, row: _Row, edges: Sequence[float]) -> list[PCell]:
    n_cols = len(edges) - 1
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
        text, bold = cell_content(ws, edges[end + 1] - _GUTTER)
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
