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
    # a page of three columns: the rest may hold another gutter
    return [*split_at_page_columns(rest, size, s), *split_at_page_columns(column, size, s)]


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
    """(x, top, bottom) of a column of running text beside a table or beside another
    page column: the x where at least ``s.page_column_lines`` lines start a run of prose
    after a gutter, most of them with a table's cells (two runs or more) before it, or
    with justified text of the same width."""
    tol = s.column_tolerance_em * size
    starts: list[tuple[float, Line, int]] = []  # prose start, its line, runs before it
    for ln in _bands(lines, s):
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
    x = min(st[0] for st in best) - tol / 2
    top, bottom = min(st[1].top for st in best), max(st[1].top for st in best)
    beside_table = sum(runs >= 2 for _, _, runs in best) * 2 >= len(best)
    band = [ln for ln in lines if top <= ln.top <= bottom]
    if not beside_table and not _page_columns(band, x, tol):
        return None  # prose beside labels or rows of text: a two-column table of text
    if beside_table and _headed(lines, x, top, tol):
        return None  # a table's own column of notes, under its header ("Detail")
    return x, top, bottom


def _bands(lines: Sequence[Line], s: TableSettings) -> list[Line]:
    """Lines side by side at overlapping heights read as one: page columns set with
    different leading put their baselines a few points apart, so no printed line holds
    both, yet each line of one column sits beside one of the other."""
    out: list[list[Word]] = []
    bottom = -1e9
    for ln in sorted(lines, key=lambda ln: ln.top):
        last = out[-1] if out else None
        beside = last is not None and not any(
            w.x0 < v.x1 and v.x0 < w.x1 for w in ln.words for v in last
        )
        if last is not None and beside and ln.top < bottom - s.band_overlap * (ln.bottom - ln.top):
            last.extend(ln.words)
            bottom = max(bottom, ln.bottom)
        else:
            out.append(list(ln.words))
            bottom = ln.bottom
    return [Line(tuple(sorted(ws, key=lambda w: w.x0))) for ws in out]


def _headed(lines: Sequence[Line], x: float, top: float, tol: float) -> bool:
    """A line above ``top`` that holds table cells left of ``x`` has a short heading
    starting at ``x`` ("Detail", "Commentary"): the text below is that column's."""
    above = [ln for ln in lines if ln.top < top][-_HEADER_LINES:]
    for ln in above:
        left = [w for w in ln.words if w.x1 <= x]
        right = [w for w in ln.words if w.x0 >= x - tol]
        if left and right and len(right) <= 3 and abs(right[0].x0 - x) <= 2 * tol:
            return True
    return False


_HEADER_LINES = 12  # lines above a column's first row its heading may be printed on


def _page_columns(lines: Sequence[Line], x: float, tol: float) -> bool:
    """Text on both sides of ``x`` is set as two page columns are: prose on both sides,
    of about one width, whose paragraph breaks fall at different heights — in a table of
    text (recommendation | response) each row starts on both sides together."""
    lines = [ln for ln in lines if not any(w.x0 < x < w.x1 for w in ln.words)]
    gutter = 2 * tol  # the gutter a page column's lines never hold
    # each side up to the next gutter: on a page of three columns the other is no part
    left = [_run_to(ln.words, x, gutter, -1) for ln in lines]
    right = [_run_to(ln.words, x, gutter, 1) for ln in lines]
    running = sum(_prose(ws) and not _gapped(ws, gutter) for ws in left)
    if running < 0.6 * sum(bool(ws) for ws in left):
        return False  # labels, refs, figures or cells on the left: a table
    widths = [
        max(w.x1 for ws in side if ws for w in ws) - min(ws[0].x0 for ws in side if ws)
        for side in (left, right)
    ]
    if min(widths) < 0.8 * max(widths):
        return False
    breaks = [_breaks(lines, side) for side in (left, right)]
    shared = {round(t / tol) for t in breaks[0]} & {round(t / tol) for t in breaks[1]}
    return len(shared) * 2 < max(len(breaks[0]), len(breaks[1]), 1)


def _run_to(words: Sequence[Word], x: float, gutter: float, side: int) -> list[Word]:
    """The words of a line on one side of ``x`` (-1: left, 1: right) up to the first gap
    of ``gutter`` or more away from it; on the right, none unless they start at ``x``
    (a column left empty on this line is no part of the next one)."""
    near = [w for w in words if w.x1 <= x] if side < 0 else [w for w in words if w.x0 >= x]
    if side < 0:
        near.reverse()
    elif near and near[0].x0 - x >= gutter:
        return []
    run: list[Word] = []
    for w in near:
        if run and (run[-1].x0 - w.x1 if side < 0 else w.x0 - run[-1].x1) >= gutter:
            break
        run.append(w)
    return run[::-1] if side < 0 else run


def _breaks(lines: Sequence[Line], side: Sequence[Sequence[Word]]) -> list[float]:
    """Tops of the lines that open a paragraph on one side: after a gap wider than the
    usual line pitch there."""
    tops = [ln.top for ln, ws in zip(lines, side, strict=True) if ws]
    steps = [b - a for a, b in zip(tops, tops[1:], strict=False)]
    if not steps:
        return []
    pitch = sorted(steps)[len(steps) // 2]
    return [b for a, b in zip(tops, tops[1:], strict=False) if b - a > 1.4 * pitch]


def _gapped(words: Sequence[Word], gap: float) -> bool:
    return any(b.x0 - a.x1 >= gap for a, b in zip(words, words[1:], strict=False))


def _gap(segs: Sequence[Sequence[Word]], i: int) -> float:
    return segs[i][0].x0 - segs[i - 1][-1].x1


def _prose(seg: Sequence[Word]) -> bool:
    """A run of several words, most of them words rather than figures."""
    words = [w for w in seg if any(ch.isalpha() for ch in w.text)]
    return len(seg) >= 4 and len(words) * 4 >= len(seg) * 3
