"""Columns a ruled table prints without a rule between them.

Statistical tables often rule only between groups of columns ("Non-Hispanic white |
Non-Hispanic black"), each group holding several columns of figures ("Male  Female") with no
rule between them: read by its rules alone, each group is one column whose cells hold two
figures.  ``split_unruled_columns`` reads the words inside each ruled column as a borderless
table would (``pdf_columns.segments_to_columns``) and, where most of its lines split the
same way, divides the column; a heading spanning the group stays one cell over all of it.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import pairwise

from parsers.celltext import BULLET_GLYPHS
from parsers.pdf_columns import line_to_segments, segments_to_columns
from parsers.pdf_grid import PageTable, PCell, cell_content, inside
from parsers.pdf_words import Word, group_lines
from parsers.table_settings import DEFAULT, TableSettings

_MIN_SPLIT_LINES = 2  # lines that must show the split before a column is divided
_MARK = re.compile(r"^(?:\(?[0-9a-z]{1,2}\)|\*{1,3}|[a-z])$")  # a footnote mark


def split_unruled_columns(t: PageTable, words: Sequence[Word], s: TableSettings = DEFAULT) -> None:
    """Divide every ruled column whose lines mostly fall into several runs of text."""
    mine = sorted(
        (w for w in words if t.bbox[0] <= (w.x0 + w.x1) / 2 <= t.bbox[2]),
        key=lambda w: (w.top + w.bottom) / 2,
    )
    middles = [(w.top + w.bottom) / 2 for w in mine]
    # each cell's words, read once (by the row's band, then the box) for both passes
    held = {id(c): _cell_words(c, mine, middles) for row in t.rows for c in row}
    cuts = {
        c: b for c in range(t.n_cols) if (b := _cuts(t, c, held, s) or _gutter_cuts(t, c, held, s))
    }
    if not cuts:
        return
    widths = [len(cuts.get(c, [])) + 1 for c in range(t.n_cols)]
    edges: list[float] = []
    for c in range(t.n_cols):
        edges += [t.col_edges[c], *cuts.get(c, [])]
    edges.append(t.col_edges[-1])
    t.rows = [_split_row(row, cuts, widths, held) for row in t.rows]
    t.col_edges = edges


def _cell_words(cell: PCell, words: Sequence[Word], middles: Sequence[float]) -> list[Word]:
    """The words (sorted by vertical middle, ``middles``) inside the cell's box."""
    box = cell.bbox
    if box is None or cell.covered:
        return []
    band = words[bisect_left(middles, box[1]) : bisect_right(middles, box[3])]
    return [w for w in band if inside(w, box)]


def _column_words(t: PageTable, c: int, held: dict[int, list[Word]]) -> list[list[Word]]:
    """The words of each cell of column ``c`` that is its own (not spanning or covered)."""
    return [
        held[id(row[c])]
        for row in t.rows
        if c < len(row) and not row[c].covered and row[c].colspan == 1
    ]


def _cuts(t: PageTable, c: int, held: dict[int, list[Word]], s: TableSettings) -> list[float]:
    """Where column ``c`` divides: midway between the runs its lines repeat, or none."""
    lines = [ln for words in _column_words(t, c, held) for ln in group_lines(words)]
    split = [ln for ln in lines if len(line_to_segments(ln, s)) >= 2]
    if len(split) < _MIN_SPLIT_LINES or 2 * len(split) < len(lines):
        return []
    cols = segments_to_columns(split, s)
    if len(cols) < 2 or any(len(line_to_segments(ln, s)) > len(cols) for ln in split):
        return []
    cuts = [(a.x1 + b.x0) / 2 for a, b in pairwise(cols)]
    # each part must hold real entries, not only footnote marks ("10,000 (2)") or bullets
    filled = [0] * len(cols)
    for ln in split:
        for seg in line_to_segments(ln, s):
            text = " ".join(w.text for w in seg)
            if _entry(text):
                filled[sum(1 for x in cuts if seg[0].x0 > x)] += 1
    return cuts if min(filled) >= _MIN_SPLIT_LINES else []


def _gutter_cuts(
    t: PageTable, c: int, held: dict[int, list[Word]], s: TableSettings
) -> list[float]:
    """Where column ``c`` divides at gutters: upright bands, ``cell_gutter_em`` wide or
    more, that no word of the column crosses, with words on both sides in at least
    ``_MIN_SPLIT_LINES`` of its cells (figures beside a column of commentary, justified
    or wrapped, which splits no line the same way twice).  A gap between short entries
    aligned left in some cells and right in others has no cell holding both sides, and
    the gap after a column of bullets or footnote marks is no gutter."""
    cells = [words for words in _column_words(t, c, held) if words]
    every = [w for words in cells for w in words if w.upright]
    if len(cells) < _MIN_SPLIT_LINES or not every:
        return []
    wide = s.cell_gutter_em * statistics.median(w.size for w in every)
    spans = sorted((w.x0, w.x1) for w in every)
    gutters, reach = [], spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= wide:
            gutters.append((reach + x0) / 2)
        reach = max(reach, x1)
    entries = [[w for w in words if _entry(w.text)] for words in cells]
    return [
        x
        for x in gutters
        if sum(any(w.x1 <= x for w in words) and any(w.x0 >= x for w in words) for words in entries)
        >= _MIN_SPLIT_LINES
    ]


def _entry(text: str) -> bool:
    """Not a bullet or a footnote mark: the gap after a bullet is no gutter."""
    return bool(text.strip(BULLET_GLYPHS + " ")) and not _MARK.match(text)


def _split_row(
    row: Sequence[PCell],
    cuts: dict[int, list[float]],
    widths: Sequence[int],
    held: dict[int, list[Word]],
) -> list[PCell]:
    out: list[PCell] = []
    for c, cell in enumerate(row):
        k = widths[c] if c < len(widths) else 1
        if cell.covered:
            out += [PCell("", covered=True, pages=list(cell.pages)) for _ in range(k)]
            continue
        parts = _parts(held[id(cell)], cuts.get(c, [])) if cell.colspan == 1 and k > 1 else None
        if parts is None:
            cell.colspan = sum(widths[c : c + cell.colspan])
            out.append(cell)
            out += [PCell("", covered=True, pages=list(cell.pages)) for _ in range(k - 1)]
            continue
        for ws in parts:
            text, bold = cell_content(ws)
            box = (
                (min(w.x0 for w in ws), min(w.top for w in ws), max(w.x1 for w in ws),
                 max(w.bottom for w in ws))
                if ws else None
            )  # fmt: skip
            out.append(PCell(text, cell.rowspan, 1, False, bold, list(cell.pages), box, cell.fill))
    return out


def _parts(ws: Sequence[Word], cuts: Sequence[float]) -> list[list[Word]] | None:
    """A cell's words per sub-column, or None when a word crosses a cut (a heading
    spanning the group, which stays one cell)."""
    if any(w.x0 < x < w.x1 for w in ws for x in cuts):
        return None
    parts: list[list[Word]] = [[] for _ in range(len(cuts) + 1)]
    for w in ws:
        parts[sum(1 for x in cuts if (w.x0 + w.x1) / 2 > x)].append(w)
    return parts
