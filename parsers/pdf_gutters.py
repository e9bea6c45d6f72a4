"""A table set in one column of a two-column page, with running text beside it.

Journals and bulletins print a table in one page column and carry on the text in the
other; each printed line then reads "Ohio 19,820 154.0 ... particular, the Guide to
Community" and the text beside the table would become one more column of it.  Such
text is recognised by what a page column looks like: many lines whose runs of prose
(several words in a row, no wide gaps) start at one x after a gutter as wide as a page
column's — with a table's cells on the other side.  Those lines are cut at the gutter
so that the table and the text are read apart.
"""

from __future__ import annotations

from collections.abc import Sequence

from parsers.pdf_columns import line_to_segments
from parsers.pdf_words import Line, Word
from parsers.table_settings import DEFAULT, TableSettings


def split_at_page_columns(
    lines: Sequence[Line], size: float, s: TableSettings = DEFAULT
) -> list[list[Line]]:
    """``lines`` as the groups to look for tables in apart: all of them, or, beside a
    column of running text, the lines with that column cut off and the column itself."""
    cut = _text_column_start(lines, size, s)
    if cut is None:
        return [list(lines)]
    x, top, bottom = cut
    inside = _page_column_lines(lines, x, top, bottom, size, s)
    rest: list[Line] = []
    column: list[Line] = []
    for ln in lines:
        if id(ln) not in inside:
            rest.append(ln)
            continue
        left = tuple(w for w in ln.words if w.x1 <= x)
        right = tuple(w for w in ln.words if w.x0 >= x)
        if left:
            rest.append(Line(left))
        if right:
            column.append(Line(right))
    return [rest, column]


def _page_column_lines(
    lines: Sequence[Line], x: float, top: float, bottom: float, size: float, s: TableSettings
) -> set[int]:
    """ids of the lines the gutter at ``x`` runs through: those between ``top`` and
    ``bottom`` and, above and below, each next line while none crosses the gutter and
    none is further than a paragraph break from the last (the text column runs on above
    and below the table)."""
    clear = [not any(w.x0 < x < w.x1 for w in ln.words) for ln in lines]
    band = [i for i, ln in enumerate(lines) if top <= ln.top <= bottom and clear[i]]
    if not band:
        return set()
    reach = s.run_gap_pitches * 1.2 * size * 2  # two lines' pitch at most
    first, last = band[0], band[-1]
    while first > 0 and clear[first - 1] and lines[first].top - lines[first - 1].top <= reach:
        first -= 1
    while (
        last + 1 < len(lines) and clear[last + 1] and lines[last + 1].top - lines[last].top <= reach
    ):
        last += 1
    return {id(lines[i]) for i in range(first, last + 1) if clear[i]}


def _text_column_start(
    lines: Sequence[Line], size: float, s: TableSettings
) -> tuple[float, float, float] | None:
    """(x, top, bottom) of a column of running text beside a table: the x where at least
    ``s.page_column_lines`` lines start a run of prose after a gutter, most of them with a
    table's cells (two runs or more) before it."""
    tol = s.column_tolerance_em * size
    starts: list[tuple[float, Line, int]] = []  # prose start, its line, runs before it
    for ln in lines:
        segs = line_to_segments(ln, s)
        gutter = [i for i in range(1, len(segs)) if _gap(segs, i) >= s.page_gutter_em * size]
        for k, i in enumerate(gutter):
            # the run up to the next gutter (justified text's wide word gaps are narrower)
            end = gutter[k + 1] if k + 1 < len(gutter) else len(segs)
            if _prose([w for sg in segs[i:end] for w in sg]):
                starts.append((segs[i][0].x0, ln, i))
                break
    best: list[tuple[float, Line, int]] = []
    for x, _, _ in starts:
        near = [st for st in starts if abs(st[0] - x) <= tol]
        if len(near) > len(best):
            best = near
    if len(best) < s.page_column_lines:
        return None
    if sum(runs >= 2 for _, _, runs in best) * 2 < len(best):
        return None  # prose beside prose: two columns of text, not a table and text
    x = min(st[0] for st in best) - tol / 2
    return x, min(st[1].top for st in best), max(st[1].top for st in best)


def _gap(segs: Sequence[Sequence[Word]], i: int) -> float:
    return segs[i][0].x0 - segs[i - 1][-1].x1


def _prose(seg: Sequence[Word]) -> bool:
    """A run of several words, most of them words rather than figures."""
    words = [w for w in seg if any(ch.isalpha() for ch in w.text)]
    return len(seg) >= 4 and len(words) * 4 >= len(seg) * 3
