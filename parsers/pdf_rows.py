"""Rows of a table printed without horizontal rules, from the layout of its lines.

Every printed line of a borderless table is a row of its own unless the layout says it
carries on the row above: each of its cells continues the cell above it in the same
column — the text wrapped there (the line above was full: the next word would not have
fitted, or this line opens in lower case), or it is one more bullet or paragraph of a
cell while the table's first (key) column stays empty.  A figure under a figure in the
same column is always a new row (a numeric column's one-figure-per-line rhythm), and so
is text in the key column that does not continue the key cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from parsers.celltext import BULLET_GLYPHS
from parsers.pdf_columns import Column, Placed, is_figure
from parsers.pdf_words import Line, Word, words_text
from parsers.table_settings import DEFAULT, TableSettings

_SENTENCE_END = (".", "!", "?", ";", ":")
# a cell's line ending like this has more to come
_UNFINISHED = re.compile(r"(?:[,&/–-]|\b(?:and|or|to|of|the|for|in|with|by|a|an))$", re.I)
# an item reference opening a cell: "2.", "10", "3.1", "R4", "(b)", "iv)"
_REF = re.compile(
    r"^(?:[A-Z]{0,2}\d{1,3}(?:\.\d{1,3})*[.):]?|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])(?:\s|$)"
)


@dataclass
class Row:
    """Lines of one table row, each with its cells placed on the columns."""

    lines: list[tuple[Line, list[Placed]]] = field(default_factory=list)
    spanning: bool = False  # one cell across the whole table: a group heading

    def bold(self) -> bool:
        return all(ln.bold for ln, _ in self.lines)

    def labelled(self) -> bool:
        """The row's first line holds bold labels, "Label:" (a key-value block of an
        improvement plan): every cell opens with one, or of two bold cells one does."""
        placed = self.lines[0][1] if self.lines else []
        if len(placed) < 2:
            return False
        if all(label_start(seg) for _, _, seg in placed):
            return True
        pair = len(placed) == 2 and all(seg[0].bold for _, _, seg in placed)
        return pair and any(label_start(seg) for _, _, seg in placed)

    def last_in(self, col: int) -> list[Word] | None:
        """The words the row's last line with text in ``col`` put there."""
        for _, placed in reversed(self.lines):
            for c0, _, words in placed:
                if c0 == col:
                    return words
        return None


def label_start(seg: Sequence[Word]) -> bool:
    for w in seg:
        if not w.bold:
            return False
        if w.text.endswith(":"):
            return True
    return False


def is_spanning(placed: Sequence[Placed]) -> bool:
    return len(placed) == 1 and placed[0][0] == 0 and placed[0][1] > 0


def lines_to_rows(
    lines: Sequence[tuple[Line, list[Placed]]],
    cols: Sequence[Column],
    pitch: float,
    s: TableSettings = DEFAULT,
) -> list[Row]:
    """Group a table region's lines (with their cells) into rows."""
    rows: list[Row] = []
    prev: Line | None = None
    last_top: dict[int, float] = {}  # column -> top of the row's last line with text there
    for ln, placed in lines:
        gap = ln.top - prev.top if prev is not None else 1e9
        para_gap = pitch + s.paragraph_gap_em * ln.size
        # every cell of the line opens after a paragraph gap in its own column
        fresh = all(ln.top - last_top.get(c0, -1e9) > para_gap and gap > 0 for c0, _, _ in placed)
        if not rows or _opens_row(
            rows[-1], len(rows) == 1, ln, placed, (gap > para_gap, fresh), cols, s
        ):
            rows.append(Row(spanning=is_spanning(placed)))
            last_top = {}
        rows[-1].lines.append((ln, placed))
        for c0, _, _ in placed:
            last_top[c0] = ln.top
        prev = ln
    return rows


def _opens_row(
    cur: Row,
    first_row: bool,
    ln: Line,
    placed: list[Placed],
    gaps: tuple[bool, bool],
    cols: Sequence[Column],
    s: TableSettings,
) -> bool:
    after_gap, fresh = gaps
    if is_spanning(placed):
        return not cur.spanning or after_gap
    if cur.spanning:
        # a spanning paragraph's last line may be short enough to fit one column
        return not (len(placed) == 1 and placed[0][0] == 0 and not after_gap)
    if cur.bold() and not ln.bold and (first_row or placed[0][0] == 0) and not cur.labelled():
        return True  # below a bold header row or group heading
    if cur.labelled():
        # "Additional costs: | Estimated savings:" rows hold sub-lines ("Capital",
        # "Revenue ...") until the next bold label opens the next row
        return placed[0][0] == 0 and label_start(placed[0][2])
    if any(_figure_under_figure(cur, c0, words) for c0, _, words in placed):
        return True
    if placed[0][2][0].text in BULLET_GLYPHS:
        return False  # a bullet item carries on its cell
    if _outdented(cur, placed, s):
        return True  # a wrapped line never starts left of its cell: a group heading
    if _splits_span(cur, placed, s):
        return True  # cells under a heading that spans them: the heading's own row ends
    if _spans_cells(cur, placed):
        return True  # a heading over cells of the line above ("Enrollment, in thousands")
    if ln.bold and len(placed) == 1 and placed[0][0] == 0 and not cur.lines[-1][0].bold:
        return after_gap
    if placed[0][0] == 0:
        # text in the key column opens a row unless it carries on the key cell; several
        # cells opening together after a gap in each column always do
        if fresh and len(placed) >= 2:
            return True
        # a wrapped key cell: the line's other cells are new to the row or wrap too
        if _carries_on(cur, 0, placed[0][2]):
            return False
        return not (
            _continues(cur, 0, placed[0][2], cols, s)
            and all(
                cur.last_in(c0) is None or _continues(cur, c0, words, cols, s)
                for c0, _, words in placed[1:]
            )
        )
    # the key column is empty: one more line or paragraph of the row's cells, unless a
    # paragraph gap is followed by text opening several cells at once
    return (
        after_gap
        and len(placed) >= 2
        and not any(_continues(cur, c0, words, cols, s) for c0, _, words in placed)
    )


def _outdented(cur: Row, placed: Sequence[Placed], s: TableSettings) -> bool:
    """The line's key-column text starts left of where the row's key cell starts: a
    heading set out to the left ("Race" over indented "White", "Black"), not a wrap."""
    if placed[0][0] != 0:
        return False
    first = next((p for _, p in cur.lines if p and p[0][0] == 0), None)
    if first is None:
        return False
    words, above = placed[0][2], first[0][2]
    tol = s.column_tolerance_em * (words[0].size or 10.0)
    if words[0].x0 >= above[0].x0 - tol:
        return False
    # right-aligned or centred text wraps to lines that start further left
    x1, above_x1 = max(w.x1 for w in words), max(w.x1 for w in above)
    centre, above_centre = (words[0].x0 + x1) / 2, (above[0].x0 + above_x1) / 2
    return abs(x1 - above_x1) > tol and abs(centre - above_centre) > tol


def _splits_span(cur: Row, placed: Sequence[Placed], s: TableSettings) -> bool:
    """Two or more of the line's cells sit under one cell of the line above that spans
    their columns (a group heading over its sub-headings)."""
    above = _heading_line(cur, s)
    return any(
        sum(1 for c0, c1, _ in placed if a0 <= c0 and c1 <= a1) >= 2
        for a0, a1, _ in above
        if a1 > a0
    )


def _spans_cells(cur: Row, placed: Sequence[Placed]) -> bool:
    """The line is one run of text spanning columns in which the line above has two
    cells or more: no wrap carries on several cells at once, so it is a heading over
    the rows below (a unit or a group set across the figures) — unless it reads on from
    them ("Fraction of" split over two columns, "Wealth Lost" below)."""
    if len(placed) != 1 or placed[0][1] == placed[0][0]:
        return False
    a0, a1, words = placed[0]
    inner = [w for c0, c1, w in cur.lines[-1][1] if a0 <= c0 and c1 <= a1]
    if len(inner) < 2:
        return False
    return not (words_text(words)[:1].islower() or _UNFINISHED.search(words_text(inner[-1])))


def _heading_line(cur: Row, s: TableSettings) -> list[Placed]:
    """The line of the row that sub-headings would sit under: the last, or the last with
    text beside the key column when the lines after it only carry on a key cell begun
    at or above it (a stub label wrapping down beside stacked headings: "Age" level with
    the groups, "group" and "(yrs)" below) and its spanning cells are headings, a few
    words each (not a wrapped paragraph's line beside a wrapping key cell)."""
    lines = [p for _, p in cur.lines]
    for i in range(len(lines) - 1, -1, -1):
        if any(c1 > 0 for _, c1, _ in lines[i]):
            begun = any(p and p[0][0] == 0 for p in lines[: i + 1])
            short = all(len(w) <= s.label_max_words for a0, a1, w in lines[i] if a1 > a0)
            return lines[i] if begun and short else lines[-1]
    return lines[-1]


def _figure_under_figure(cur: Row, col: int, words: Sequence[Word]) -> bool:
    above = cur.last_in(col)
    return above is not None and is_figure(words_text(above)) and is_figure(words_text(words))


def _carries_on(cur: Row, col: int, words: Sequence[Word]) -> bool:
    """The plainest wrap: the cell above ends unfinished ("15, 16 and") or this line opens
    in lower case."""
    above = cur.last_in(col)
    if not above:
        return False
    text, prev_text = words_text(words), words_text(above)
    return text[:1].islower() or bool(_UNFINISHED.search(prev_text))


def _continues(
    cur: Row, col: int, words: Sequence[Word], cols: Sequence[Column], s: TableSettings
) -> bool:
    """``words`` carry on the row's cell in ``col``: that cell's text wrapped onto this
    line (the line above was full, or this one opens in lower case mid-sentence)."""
    above = cur.last_in(col)
    if not above:
        return False
    text, prev_text = words_text(words), words_text(above)
    if prev_text.endswith(_SENTENCE_END) and not text[:1].islower():
        return False
    if _UNFINISHED.search(prev_text):
        return True  # "15, 16 and" / "17"
    if _REF.match(text) and not _REF.match(prev_text.split()[-1]):
        return False  # "2." "10" "R3" "(b)": the next item's reference
    if text[:1].islower() or text[:1] in "&(/-–":
        return True
    first = words[0]
    size = first.size or 10.0
    limit = cols[col].x1 + s.wrap_slack_em * size
    space = 0.25 * size
    prev_x1 = max(w.x1 for w in above)
    width = cols[col].x1 - cols[col].x0
    full = prev_x1 - cols[col].x0 >= s.wrap_fill_share * width
    # a single word that fills its column says nothing of the column's width: codes and
    # one-word cells ("T1-C0" over "T1-00") are rows, not a wrapped cell
    return len(above) >= 2 and full and prev_x1 + space + (first.x1 - first.x0) > limit
