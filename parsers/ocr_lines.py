"""Ruling lines of a scanned page, found in its image, and the table cells they draw.

A ruling line is a long, thin run of ink: rows (or columns) of the binarised image are
searched for runs of ink at least ``_MIN_LENGTH`` long, runs on neighbouring rows are
joined into one line, and lines too thick to be a rule (a black box) are dropped.  The
lines then go through the very chain pdfplumber uses for a born-digital page's lines
(snap and join, intersections, cells, tables), so a ruled scanned table keeps its grid,
merged cells included.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pdfplumber.table import (
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
    merge_edges,
)

from parsers.model import BBox

_MIN_LENGTH = 18.0  # points: longer than a letter's stroke, shorter than a table row
_MAX_THICKNESS = 4.0  # points: a rule, not a filled box
_TOLERANCE = 3.0  # points: pdfplumber's defaults for snapping, joining and intersecting
_WIDEN = 1  # pixels painted out on each side of a rule
_MEET = 3  # pixels between the ends of two rules that meet
_RULE_INK = 200  # grey level below which a pixel may belong to a rule
_ALONG = 15  # pixels averaged along a row when looking for pale thin lines
_APART = 3  # pixels above and below that a thin line must be darker than
_CONTRAST = 40  # grey levels darker than that
_INK = 160  # what is painted out of a rule: its ink, not its pale edge
_Segment = tuple[int, int, int, int]  # first row, last row, first column, last column


def binarise(grey: np.ndarray) -> np.ndarray:
    """Ink (True) and paper: Otsu's threshold, kept below light cell shading's grey so a
    shaded row reads as paper with print on it."""
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    p = hist / max(hist.sum(), 1.0)
    weight = np.cumsum(p)
    mean = np.cumsum(p * np.arange(256))
    between = (mean[-1] * weight - mean) ** 2 / (weight * (1 - weight) + 1e-12)
    threshold = min(int(np.argmax(between)), 160)
    ink: np.ndarray = grey < threshold
    return ink


def ruling(grey: np.ndarray, scale: float) -> tuple[np.ndarray, list[list[BBox]]]:
    """The pixels of the page's ruling lines (a little widened, to be painted out before
    OCR: a rule read as "|" or "_" would join the words beside it) and the cell boxes
    (points) of each table they draw; ``scale`` is points per pixel.  Rules are looked
    for in a lighter cut than the text's, and pale thin lines (a web page's grey borders)
    where they run twice as long as a rule must."""
    length = max(int(_MIN_LENGTH / scale), 2)
    thick = _MAX_THICKNESS / scale
    dark = grey < _RULE_INK
    along = dark | long_runs(_thin_dark(grey), 2 * length)
    up = dark.T | long_runs(_thin_dark(grey.T), 2 * length)
    across = [s for s in _segments(long_runs(along, length)) if s[1] - s[0] < thick]
    down = [s for s in _segments(long_runs(up, length)) if s[1] - s[0] < thick]
    mask = np.zeros_like(dark)
    # a tall letter's stem is a long dark run too: only a line meeting another, or twice
    # the shortest rule, is painted out
    for first, last, a, b in _rules(across, down, length):
        mask[first : last + 1, a : b + 1] = True
    for first, last, a, b in _rules(down, across, length):
        mask[a : b + 1, first : last + 1] = True
    # a rule's ink, widened over its blurred edge, and a pale rule's own pixels
    return _widened(mask & (grey < _INK)) | (mask & dark), _cells(across, down, scale)


def _rules(lines: list[_Segment], crossing: list[_Segment], length: int) -> list[_Segment]:
    """The ``lines`` that meet one of the ``crossing`` lines (which run the other way),
    or are at least twice ``length`` long."""
    out = []
    for line in lines:
        first, last, a, b = line
        meets = any(
            c[0] - _MEET <= b
            and a <= c[1] + _MEET
            and c[2] - _MEET <= last
            and first <= c[3] + _MEET
            for c in crossing
        )
        if meets or b - a + 1 >= 2 * length:
            out.append(line)
    return out


def _thin_dark(grey: np.ndarray) -> np.ndarray:
    """Pixels on a thin pale line along the rows: averaged along the row (which evens out
    the grain), darker than the rows a little above and below it.  A web page's 1 px
    grey border, blurred and grained by the scan, is lighter than ink in most of its
    pixels but shows up here; a line of text does not (the rows inside it are as dark)."""
    g = grey.astype(np.float32)
    half = _ALONG // 2
    total = np.cumsum(np.pad(g, ((0, 0), (half + 1, half)), mode="edge"), axis=1)
    smooth = (total[:, _ALONG:] - total[:, :-_ALONG]) / _ALONG
    above = np.empty_like(smooth)
    below = np.empty_like(smooth)
    above[_APART:], above[:_APART] = smooth[:-_APART], smooth[:1]
    below[:-_APART], below[-_APART:] = smooth[_APART:], smooth[-1:]
    line: np.ndarray = np.minimum(above, below) - smooth > _CONTRAST
    return line


def _widened(mask: np.ndarray) -> np.ndarray:
    for _ in range(_WIDEN):  # the rule's blurred edge, below the cut for ink
        grown = mask.copy()
        grown[1:] |= mask[:-1]
        grown[:-1] |= mask[1:]
        grown[:, 1:] |= mask[:, :-1]
        grown[:, :-1] |= mask[:, 1:]
        mask = grown
    return mask


def _cells(across: list[_Segment], down: list[_Segment], scale: float) -> list[list[BBox]]:
    """Cell boxes of each table the line segments draw, by pdfplumber's own chain."""
    edges = [_edge(s, "h", scale) for s in across] + [_edge(s, "v", scale) for s in down]
    if not edges:
        return []
    tol = _TOLERANCE
    merged = merge_edges(edges, tol, tol, tol, tol)
    cells = intersections_to_cells(edges_to_intersections(merged, tol, tol))
    return [
        [(float(a), float(b), float(c), float(d)) for a, b, c, d in table]
        for table in cells_to_tables(cells)
        if len(table) >= 2
    ]


def long_runs(ink: np.ndarray, length: int) -> np.ndarray:
    """The ink pixels that lie in a run of ink along their row at least ``length`` long."""
    height, width = ink.shape
    if width < length:
        return np.zeros_like(ink)
    # each run's first pixel and the pixel after its last; a long run paints +1 at its
    # start and -1 past its end, and the running sum along the row is the mask
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    step = np.diff(padded, axis=1)
    rows, begins = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)
    keep = ends - begins >= length
    delta = np.zeros((height, width + 1), dtype=np.int8)
    delta[rows[keep], begins[keep]] = 1
    delta[rows[keep], ends[keep]] = -1
    covered: np.ndarray = np.cumsum(delta[:, :width], axis=1, dtype=np.int8) > 0
    return covered


def _segments(runs: np.ndarray) -> list[_Segment]:
    """Long runs joined over neighbouring rows where they overlap: one per ruling line."""
    padded = np.zeros((runs.shape[0], runs.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = runs
    step = np.diff(padded, axis=1)
    rows, begins = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)
    open_: list[list[int]] = []  # [first row, last row, x0, x1] still growing
    done: list[_Segment] = []
    for row, x0, x1 in zip(rows.tolist(), begins.tolist(), (ends - 1).tolist(), strict=True):
        match = next((s for s in open_ if s[1] >= row - 1 and s[2] <= x1 and x0 <= s[3]), None)
        if match is None:
            open_.append([row, row, x0, x1])
        else:
            match[1], match[2], match[3] = row, min(match[2], x0), max(match[3], x1)
        done += [(s[0], s[1], s[2], s[3]) for s in open_ if s[1] < row - 1]
        open_ = [s for s in open_ if s[1] >= row - 1]
    return done + [(s[0], s[1], s[2], s[3]) for s in open_]


def _edge(seg: _Segment, orientation: str, scale: float) -> dict[str, Any]:
    """A segment as pdfplumber's edge object, in points; ``v`` segments come from the
    transposed image, so their rows are x and their columns y."""
    first, last, a, b = seg
    across = (first + last + 1) / 2 * scale
    start, end = a * scale, (b + 1) * scale
    if orientation == "h":
        x0, x1, top, bottom = start, end, across, across
    else:
        x0, x1, top, bottom = across, across, start, end
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
        "object_type": "line",
    }
