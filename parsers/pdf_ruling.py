"""The rules a PDF page draws, read for its ruled tables: pdfplumber's cell boxes of each
grid, the page's horizontal rules, the boxes that print nothing (left out first), and the
columns a grid prints outside its vertical rules (row labels under rules that run on, or
beside it with no rule at all).
``parsers.pdf_grid`` places those boxes on a grid and fills it with words."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from parsers.colour import is_paper
from parsers.model import BBox
from parsers.pdf_charts import bounds
from parsers.pdf_columns import is_figure
from parsers.pdf_grid import EDGE_TOL, cluster, inside
from parsers.pdf_words import Line, Word
from parsers.table_settings import DEFAULT, TableSettings


def ruled_boxes(page: Any, size: float, rules: Sequence[BBox]) -> list[list[BBox]]:
    """Cell boxes of every table drawn with ruling lines on the page (``size``: the
    page's usual font size; ``rules``: its horizontal rules, ``horizontal_rules``)."""
    settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    out = []
    for t in page.find_tables(settings):
        cells: list[BBox] = [(float(a), float(b), float(c), float(d)) for a, b, c, d in t.cells]
        if len(cells) >= 2:
            out.append(cells + rule_margins(cells, rules, size, page.chars))
    return out


def without_hidden_boxes(
    page: Any, lines: Sequence[Line], size: float, settings: TableSettings = DEFAULT
) -> Any:
    """The page less the filled boxes that print nothing (and are not stroked): a box
    filled with the colour of a filled box it lies in, or a white box on the paper
    behind a word (``highlights``).  Word shades a cell's paragraphs line by line in the
    cell's own colour, and some exports put a white box behind every word and space; the
    edges of those boxes would cut the text into a row per line and a column per word.
    (White boxes round whole cells stay: in Word's exports they may be the only trace of
    a table's columns.)"""
    filled: dict[object, list[dict[str, Any]]] = {}
    for r in page.rects:
        if r["fill"] and not r["stroke"]:
            filled.setdefault(str(r["non_stroking_color"]), []).append(r)
    hidden = highlights(filled, lines, size, settings)
    for same in filled.values():
        if len(same) < 2:
            continue
        # pairs by the block (pages of cell fills hold hundreds of boxes of one colour)
        b = np.array([_box(r) for r in same])
        area = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
        held = np.zeros(len(same), dtype=bool)
        for k in range(0, len(same), 256):
            o = b[k : k + 256]
            bigger = area[k : k + 256, None] > area[None, :]
            held |= (_held(o, b) & bigger).any(axis=0)  # some box of the block holds it
        hidden.update(id(same[j]) for j in np.flatnonzero(held))
    return page.filter(lambda o: id(o) not in hidden) if hidden else page


def highlights(
    filled: dict[object, list[dict[str, Any]]],
    lines: Sequence[Line],
    size: float,
    settings: TableSettings = DEFAULT,
) -> set[int]:
    """The white boxes (by id) behind words or lines of text: on the paper (in no filled
    box of another colour) and a line tall at most, on a page where some of them have a
    side in the space between two words of a line: the page's producer boxes text, not
    cells, whose sides lie in the gaps between columns, wider than a word space."""
    paper = {k for k, same in filled.items() if is_paper(same[0]["non_stroking_color"])}
    tall = settings.highlight_height_em * size
    white = [r for k in paper for r in filled[k] if float(r["bottom"]) - float(r["top"]) <= tall]
    if not white or not lines:
        return set()
    spaces = _word_spaces(lines, settings.segment_gap_em * size)
    if not any(_cuts(_box(r), spaces) for r in white):
        return set()
    others = [_box(r) for k, same in filled.items() if k not in paper for r in same]
    if not others:
        return {id(r) for r in white}
    held = np.zeros(len(white), dtype=bool)
    boxes, outer = np.array([_box(r) for r in white]), np.array(others)
    for k in range(0, len(outer), 256):  # by the block, as in without_hidden_boxes
        held |= _held(outer[k : k + 256], boxes).any(axis=0)
    return {id(r) for r, kept in zip(white, held.tolist(), strict=True) if not kept}


def _word_spaces(lines: Sequence[Line], widest: float) -> np.ndarray:
    """Rows (x0, x1, y): the spaces, narrower than ``widest``, between neighbouring
    words of a line (y: the line's middle)."""
    out = []
    for ln in lines:
        for a, b in pairwise(ln.words):
            if 0 <= b.x0 - a.x1 < widest:
                out.append((a.x1, b.x0, (a.top + a.bottom) / 2))
    return np.array(out, dtype=float).reshape(-1, 3)


def _cuts(box: BBox, spaces: np.ndarray) -> bool:
    """Whether a side of ``box`` lies in one of the ``spaces`` of a line it spans."""
    x0, top, x1, bottom = box
    inside = spaces[(top <= spaces[:, 2]) & (spaces[:, 2] <= bottom)]
    tol = EDGE_TOL
    return bool(
        (
            ((inside[:, 0] - tol <= x0) & (x0 <= inside[:, 1] + tol))
            | ((inside[:, 0] - tol <= x1) & (x1 <= inside[:, 1] + tol))
        ).any()
    )


def _held(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """[i, j]: box ``outer[i]`` holds box ``inner[j]`` (within ``EDGE_TOL``)."""
    held: np.ndarray = (
        (outer[:, None, 0] - EDGE_TOL <= inner[None, :, 0])
        & (inner[None, :, 2] <= outer[:, None, 2] + EDGE_TOL)
        & (outer[:, None, 1] - EDGE_TOL <= inner[None, :, 1])
        & (inner[None, :, 3] <= outer[:, None, 3] + EDGE_TOL)
    )
    return held


def _box(obj: dict[str, Any]) -> BBox:
    return (float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))


def horizontal_rules(page: Any) -> list[BBox]:
    """The page's horizontal rules (drawn lines and the edges of thin rectangles)."""
    return [
        (float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"]))
        for e in page.horizontal_edges
    ]


def joined_rules(
    rules: Sequence[BBox], y: float, tol: float = EDGE_TOL
) -> list[tuple[float, float]]:
    """The x ranges of the rules drawn at height ``y`` (within ``tol``), their touching
    pieces joined: a rule is often drawn cell by cell."""
    joined: list[list[float]] = []
    for r in sorted((r for r in rules if abs(r[1] - y) <= tol), key=lambda r: r[0]):
        if joined and r[0] <= joined[-1][1] + tol:
            joined[-1][1] = max(joined[-1][1], r[2])
        else:
            joined.append([r[0], r[2]])
    return [(a, b) for a, b in joined]


def rule_margins(
    cells: Sequence[BBox],
    rules: Sequence[BBox],
    size: float,
    chars: Sequence[dict[str, Any]] = (),
) -> list[BBox]:
    """Cells for the columns a table prints outside its vertical rules.  Statistical tables
    often draw vertical rules only between their figure columns while the rules above and
    below the table run on over the row labels (and a last column): where both the top and
    the bottom rule reach past the grid by more than a character's width — or, beside a
    grid holding text, half or more of the rules between its rows do (the header's box
    drawn over the figures only) — the strip they cover becomes one more column, cut into
    the grid's row bands.  Only a grid of two or more columns, or of three or more rows,
    is widened."""
    n_cols = len(cluster([c[0] for c in cells] + [c[2] for c in cells])) - 1
    n_rows = len(cluster([c[1] for c in cells] + [c[3] for c in cells])) - 1
    if n_cols < 2 and n_rows < 3:
        return []  # one box under a heading box is a framed block, not a grid to widen
    x0, top = min(c[0] for c in cells), min(c[1] for c in cells)
    x1, bottom = max(c[2] for c in cells), max(c[3] for c in cells)

    def reach(y: float) -> tuple[float, float] | None:
        over = [j for j in joined_rules(rules, y) if j[0] < x1 and j[1] > x0]
        return over[0] if len(over) == 1 else None

    ys = cluster([c[1] for c in cells] + [c[3] for c in cells])
    top_end, bottom_end = reach(top), reach(bottom)
    left, right = x0, x1
    if top_end is not None and bottom_end is not None:
        left, right = max(top_end[0], bottom_end[0]), min(top_end[1], bottom_end[1])
    if (left >= x0 - size or right <= x1 + size) and _holds_text(chars, (x0, top, x1, bottom)):
        # or the rules between the rows run on, half of them or more (the header's box
        # and the totals' drawn over the figures only), beside a grid of figures — not
        # beside a coloured bar drawn down the table
        runs = [e for e in map(reach, ys) if e is not None]
        enough = max(2, len(ys) / 2)
        lefts = [e[0] for e in runs if e[0] < x0 - size]
        rights = [e[1] for e in runs if e[1] > x1 + size]
        if left >= x0 - size and len(lefts) >= enough:
            left = max(lefts)
        if right <= x1 + size and len(rights) >= enough:
            right = min(rights)
    extra: list[BBox] = []
    if left < x0 - size:
        extra += [(left, a, x0, b) for a, b in pairwise(ys)]
    if right > x1 + size:
        extra += [(x1, a, right, b) for a, b in pairwise(ys)]
    return extra


def _holds_text(chars: Sequence[dict[str, Any]], box: BBox) -> bool:
    return any(
        box[0] <= (c["x0"] + c["x1"]) / 2 <= box[2] and box[1] <= c["top"] <= box[3]
        for c in chars
        if c["text"].strip()
    )


def label_margins(
    words: Sequence[Word], grids: list[list[BBox]], size: float, s: TableSettings = DEFAULT
) -> list[list[BBox]]:
    """The grids, each with cells for row labels printed left of it with no rule near
    them (``_labels``); a word inside a grid is no other grid's label."""
    boxes = [bounds(cells) for cells in grids]
    free = [w for w in words if not any(inside(w, b) for b in boxes)]
    return [
        cells + _labels(cells, free, size, s) if any(inside(w, box) for w in words) else cells
        for cells, box in zip(grids, boxes, strict=True)
    ]


def _labels(
    cells: Sequence[BBox], words: Sequence[Word], size: float, s: TableSettings
) -> list[BBox]:
    """Cells for the row labels of a grid holding text: short labels, set close to it
    (within ``label_gap_em``), one run in most of its row bands (``label_share``) and never
    across two, are its first column.  Prose beside a table fills its lines with more
    words than a label has, and a chart's axis figures are no labels."""
    x0, top, _, bottom = bounds(cells)
    ys = cluster([c[1] for c in cells] + [c[3] for c in cells])
    if len(ys) < 4:
        return []
    left = [
        w
        for w in words
        if w.x1 <= x0 + EDGE_TOL and top <= (w.top + w.bottom) / 2 <= bottom and w.upright
    ]
    if not left or max(w.x1 for w in left) < x0 - s.label_gap_em * size:
        return []
    bands: dict[int, list[Word]] = {}
    for w in left:
        mid = (w.top + w.bottom) / 2
        i = next(i for i, (a, b) in enumerate(pairwise(ys)) if a <= mid <= b)
        if w.top < ys[i] - EDGE_TOL or w.bottom > ys[i + 1] + EDGE_TOL:
            return []  # text across a rule between rows is no label of one row
        bands.setdefault(i, []).append(w)
    if len(bands) < s.label_share * (len(ys) - 1):
        return []
    if statistics.median(len(ws) for ws in bands.values()) > s.label_max_words:
        return []
    # figures down the side are a chart's axis, or a table of their own, not row labels
    if 2 * sum(is_figure(" ".join(w.text for w in ws)) for ws in bands.values()) > len(bands):
        return []
    start = min(w.x0 for w in left) - EDGE_TOL
    return [(start, a, x0, b) for a, b in pairwise(ys)]
