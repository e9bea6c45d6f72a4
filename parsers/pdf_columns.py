"""Columns of a table printed without vertical rules, from the text edges that repeat.

``line_to_segments`` splits a printed line into runs of words at wide gaps (or between
two figures);  ``segments_to_columns`` projects the runs of the lines that are laid out in
the most cells onto the x axis: an x range that (nearly) no run covers is a gutter, the
ranges between gutters are columns.  Left-, right- and centre-aligned columns come out
alike, and a narrow gutter still separates two columns as long as the lines agree on it.
``line_to_cells`` then places each run of any line on those columns; a run reaching over
a gutter is a spanning cell (a group heading, a header over several columns).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.model import BBox
from parsers.pdf_words import Line, Word
from parsers.table_settings import DEFAULT, TableSettings

# a list marker ("1.", "(a)", "iv)", "•") stays with the text that follows it
# (a glyph the PDF maps to no character reaches the text as pdfminer's "(cid:N)")
LIST_MARKER = re.compile(
    r"^(?:\(?(?:\d{1,3}|[ivx]{1,4}|[a-z])[.)]|[\u2022\u25aa\u25cf\uf020-\uf0ff\-–o]|\(cid:\d+\))$"
)
# a figure as printed in a table: 1,234 · -9.4 · (12.5) · £3.2m · 45% · — (not available)
_FIGURE = re.compile(r"^[-–—(£$€]*\d[\d,.]*[)%m]*$|^[-–—]$|^n/?a$", re.I)


@dataclass(frozen=True, slots=True)
class Column:
    """The x range the text of one column is printed in."""

    x0: float
    x1: float


Placed = tuple[int, int, list[Word]]  # first column, last column, the words of one cell


def is_figure(text: str) -> bool:
    return bool(_FIGURE.match(text.replace(" ", "")))


def line_to_segments(line: Line, s: TableSettings = DEFAULT) -> list[list[Word]]:
    """Runs of the line's words split at wide gaps; a bare list marker stays with its text."""
    runs: list[list[Word]] = []
    for w in line.words:
        if not runs:
            runs.append([w])
            continue
        prev = runs[-1][-1]
        gap = w.x0 - prev.x1
        size = max(w.size, prev.size) or 10.0
        figures = is_figure(prev.text) and is_figure(w.text)
        if gap < size * (s.numeric_gap_em if figures else s.segment_gap_em):
            runs[-1].append(w)
        elif len(runs[-1]) == 1 and LIST_MARKER.match(prev.text) and gap < size * s.marker_gap_em:
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


def region_size(lines: Sequence[Line]) -> float:
    sizes = [w.size for ln in lines for w in ln.words if w.size > 0]
    return statistics.median(sizes) if sizes else 10.0


def segments_to_columns(lines: Sequence[Line], s: TableSettings = DEFAULT) -> list[Column]:
    """The columns of a table region: x ranges covered by the runs of its defining lines
    (those laid out in at least ``defining_share`` of the widest line's cells), merged
    where they are closer than ``min_gutter_em``; runs of other lines that fall wholly
    inside a gutter (a sparsely filled column) add a column of their own."""
    by_line = [line_to_segments(ln, s) for ln in lines]
    widest = max((len(segs) for segs in by_line), default=0)
    if widest < 2:
        return []
    # where two or more lines are rows of figures, they alone define the columns: headings
    # stacked and centred over narrow figure columns would bridge their gutters
    figures = [segs for segs in by_line if _mostly_figures(segs)]
    pool = figures if len(figures) >= 2 else by_line
    widest = max(len(segs) for segs in pool)
    need = max(2, round(widest * s.defining_share + 0.49))
    defining = [segs for segs in pool if len(segs) >= need]
    size = region_size(lines)
    gutter = s.min_gutter_em * size
    cols = _union([_extent(seg) for segs in defining for seg in segs], gutter)
    extra = [
        _extent(seg)
        for segs in by_line
        if len(segs) >= 2
        for seg in segs
        if not any(_overlaps(_extent(seg), (c.x0, c.x1)) for c in cols)
    ]
    if extra:
        cols = _union([(c.x0, c.x1) for c in cols] + extra, gutter)
    return cols


def _mostly_figures(segs: Sequence[Sequence[Word]]) -> bool:
    """A line of two or more cells, at least half of them figures."""
    figures = sum(is_figure(" ".join(w.text for w in seg)) for seg in segs)
    return len(segs) >= 2 and 2 * figures >= len(segs)


def _extent(seg: Sequence[Word]) -> tuple[float, float]:
    return seg[0].x0, max(w.x1 for w in seg)


def _overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _union(spans: list[tuple[float, float]], gutter: float) -> list[Column]:
    cols: list[Column] = []
    for x0, x1 in sorted(spans):
        if cols and x0 <= cols[-1].x1 + gutter:
            cols[-1] = Column(cols[-1].x0, max(cols[-1].x1, x1))
        else:
            cols.append(Column(x0, x1))
    return cols


def line_to_cells(
    line: Line, cols: Sequence[Column], s: TableSettings = DEFAULT, ruled: bool = False
) -> list[Placed]:
    """(first column, last column, words) of each cell of ``line``: its runs, cut again
    where a word gap falls in a gutter, each placed on the columns it covers."""
    placed: list[Placed] = []
    for seg in line_to_segments(line, s):
        for part in _cut_at_gutters(seg, cols, s):
            x0, x1 = _extent(part)
            # on ``ruled`` columns a run reaching a hair over a rule (text set tight
            # against it) does not span into the next column
            least = s.min_gutter_em * max(w.size for w in part) if ruled else 0.0
            hit = [i for i, c in enumerate(cols) if min(x1, c.x1) - max(x0, c.x0) > least]
            if not hit:  # printed in a gutter: the nearest column
                mid = (x0 + x1) / 2
                hit = [min(range(len(cols)), key=lambda i: _distance(cols[i], mid))]
            placed.append((hit[0], hit[-1], part))
    return _merge_same_column(placed)


def _cut_at_gutters(seg: list[Word], cols: Sequence[Column], s: TableSettings) -> list[list[Word]]:
    """A run is cut where a column starts inside one of its (wider than a space) gaps."""
    parts = [[seg[0]]]
    for a, b in zip(seg, seg[1:], strict=False):
        wide = b.x0 - a.x1 >= s.min_gutter_em * max(a.size, b.size)
        if wide and any(a.x1 <= c.x0 + 0.5 and b.x0 >= c.x0 - 0.5 for c in cols[1:]):
            parts.append([b])
        else:
            parts[-1].append(b)
    return parts


def _distance(c: Column, x: float) -> float:
    return 0.0 if c.x0 <= x <= c.x1 else min(abs(c.x0 - x), abs(c.x1 - x))


def _merge_same_column(placed: list[Placed]) -> list[Placed]:
    """Two runs in one column (a wide word gap inside a cell) are one cell."""
    out: list[Placed] = []
    for c0, c1, words in placed:
        if out and out[-1][1] >= c0:
            p0, p1, pw = out[-1]
            out[-1] = (p0, max(p1, c1), [*pw, *words])
        else:
            out.append((c0, c1, words))
    return out


def widen_to_rules(
    line: Line, placed: list[Placed], cols: Sequence[Column], rules: Sequence[BBox], below: float
) -> list[Placed]:
    """A heading over several columns often has a rule drawn under it across exactly the
    columns it heads (a spanner rule): a cell centred over such a rule, drawn between its
    line and ``below`` (the next line's top), spans every column the rule covers, as long
    as no other cell of the line sits under it.  A rule across the whole table is the
    header's bottom rule, not a spanner."""
    out = list(placed)
    width = cols[-1].x1 - cols[0].x0
    # only the rules between the line and the next: a page's rules are looked at once
    # per line, not once per cell
    rules = [r for r in rules if line.bottom - 1 <= r[1] <= below]
    for i, (c0, c1, words) in enumerate(placed):
        x0, x1 = _extent(words)
        tol = 0.5 * max(w.size for w in words)
        for r in rules:
            if not (r[0] <= x0 and r[2] >= x1):
                continue
            centred = abs((x0 + x1) / 2 - (r[0] + r[2]) / 2) <= (r[2] - r[0]) / 4
            if not centred or r[2] - r[0] >= width - tol:
                continue
            cover = [k for k, c in enumerate(cols) if _share_within(c, r[0], r[2]) >= 0.5]
            if not cover or cover[0] > c0 or cover[-1] < c1:
                continue
            others = [p for j, p in enumerate(placed) if j != i]
            if not any(
                cover[0] <= p[0] <= cover[-1] or cover[0] <= p[1] <= cover[-1] for p in others
            ):
                out[i] = (cover[0], cover[-1], words)
            break
    return out


def _share_within(c: Column, x0: float, x1: float) -> float:
    return max(0.0, min(c.x1, x1) - max(c.x0, x0)) / max(c.x1 - c.x0, 1e-6)
