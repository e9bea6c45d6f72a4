"""Charts drawn on a PDF page, so that neither their gridlines nor their labels are read
as tables.

A chart is recognised by what only charts draw: a data series (a polyline, as one path
of several points or as a chain of short line segments, mostly slanted) or a set of bars
(filled rectangles of one colour on a common baseline, of one thickness at a steady
pitch, of differing lengths).  Table shading never has that shape: the fills of a column
share both edges, those of a row share their height, and zebra stripes are all one
length.  The chart's plot area, widened by a margin for its tick labels, axis titles and
legend, is what ``chart_boxes`` returns; a ruled grid that holds a series or bars is the
chart's gridlines and is returned whole.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from parsers.colour import from_pdf
from parsers.model import BBox
from parsers.table_settings import DEFAULT, TableSettings

Point = tuple[float, float]


def chart_boxes(
    page: Any, ruled: Sequence[Sequence[BBox]], size: float, s: TableSettings = DEFAULT
) -> list[BBox]:
    """Boxes on ``page`` that are charts: ruled grids holding a series or bars, and each
    series' or bar set's plot area widened by ``s.chart_margin_em`` (tick labels)."""
    areas = [*bar_areas(page.rects, size, s), *series_areas(page.curves, page.lines, size, s)]
    if not areas:
        return []
    edges = [_box(e) for e in (*page.horizontal_edges, *page.vertical_edges)]
    # twice: gridlines across the series give the plot's width, then the axis across
    # those gridlines its height
    areas = [_grown(_grown(a, edges), edges) for a in areas]
    grids = [bounds(cells) for cells in ruled if cells]
    out = [g for g in grids if any(_inside_share(a, g) >= 0.5 for a in areas)]
    margin = s.chart_margin_em * size
    out += [(a[0] - margin, a[1] - margin, a[2] + margin, a[3] + margin) for a in areas]
    return out


def bar_areas(
    rects: Iterable[dict[str, Any]], size: float, s: TableSettings = DEFAULT
) -> list[BBox]:
    """The extent of each set of bars: vertical bars grouped by colour and baseline,
    horizontal ones by colour and left edge."""
    groups: dict[tuple[str, str, int], list[BBox]] = defaultdict(list)
    step = s.bar_baseline_em * size
    for r in rects:
        colour = from_pdf(r.get("non_stroking_color")) if r.get("fill") else None
        if colour is None or colour.lower() == "#ffffff":
            continue
        box = (float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"]))
        if min(box[2] - box[0], box[3] - box[1]) < s.bar_min_em * size:
            continue  # a thin filled rectangle is a drawn rule
        groups[("v", colour, round(box[3] / step))].append(box)
        groups[("h", colour, round(box[0] / step))].append(box)
    return [bounds(g) for (axis, _, _), g in groups.items() if _bars(g, axis == "v", s)]


def _bars(boxes: list[BBox], vertical: bool, s: TableSettings) -> bool:
    if len(boxes) < s.bar_min_count:
        return False
    lo, hi = (0, 2) if vertical else (1, 3)  # the axis bars stand along
    boxes = sorted(boxes, key=lambda b: b[lo])
    if any(b[lo] < a[hi] + 0.5 for a, b in zip(boxes, boxes[1:], strict=False)):
        return False  # touching or overlapping: cells of a table, not bars
    thick = [b[hi] - b[lo] for b in boxes]
    pitch = [b[lo] - a[lo] for a, b in zip(boxes, boxes[1:], strict=False)]
    length = [b[3] - b[1] if vertical else b[2] - b[0] for b in boxes]
    steady = _even(thick, s.bar_evenness) and _even(pitch, s.bar_evenness)
    return steady and len({round(v) for v in length}) >= 3 and max(length) >= 1.5 * min(length)


def series_areas(
    curves: Iterable[dict[str, Any]],
    lines: Iterable[dict[str, Any]],
    size: float,
    s: TableSettings = DEFAULT,
) -> list[BBox]:
    """The extent of each data series: a path of several points running one way across,
    mostly slanted, or a chain of slanted line segments end to end, as wide as a few
    characters or more."""
    paths = [list(c.get("pts") or ()) for c in curves]
    paths += _chains([list(ln.get("pts") or ()) for ln in lines if _slanted(ln)])
    wide = s.series_min_width_em * size
    out = []
    for pts in paths:
        if len(pts) < s.series_min_points:
            continue
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        if max(xs) - min(xs) >= wide and _function_of_x(xs) and _mostly_slanted(pts):
            out.append((min(xs), min(ys) - 0.5, max(xs), max(ys) + 0.5))  # a level run has area
    return out


def _slanted(ln: dict[str, Any]) -> bool:
    return (
        abs(float(ln["x1"]) - float(ln["x0"])) > 0.5
        and abs(float(ln["bottom"]) - float(ln["top"])) > 0.5
    )


def _chains(segments: list[list[Point]]) -> list[list[Point]]:
    """Segments joined where one ends at the point the next begins (either way round)."""
    chains: list[list[Point]] = []
    for seg in sorted((sorted(p) for p in segments if len(p) == 2), key=lambda p: p[0]):
        for chain in chains:
            if math.dist(chain[-1], seg[0]) <= 1.0:
                chain.append(seg[1])
                break
        else:
            chains.append(list(seg))
    return chains


def _function_of_x(xs: Sequence[float]) -> bool:
    """The path runs one way across (a series plots one value per x), or out and back
    as the outline of a thick line; a drawn shape, an arrow or a tick mark turns back."""
    xs = xs[:: max(1, len(xs) // 32)]  # a dense path wobbles at the scale of its pen
    if _one_way(xs):
        return True
    turn = max(range(len(xs)), key=lambda i: xs[i])
    return len(xs) >= 8 and _one_way(xs[: turn + 1]) and _one_way(xs[turn:])


def _one_way(xs: Sequence[float]) -> bool:
    ahead = sum(max(0.0, b - a) for a, b in zip(xs, xs[1:], strict=False))
    back = sum(max(0.0, a - b) for a, b in zip(xs, xs[1:], strict=False))
    return min(ahead, back) <= 0.1 * max(ahead, back)


def _mostly_slanted(pts: Sequence[Point]) -> bool:
    """Most of the path's length runs neither level nor upright (a rounded box's corners
    are short slants between long level and upright sides)."""
    total = slant = 0.0
    for a, b in zip(pts, pts[1:], strict=False):
        dx, dy = abs(b[0] - a[0]), abs(b[1] - a[1])
        d = math.hypot(dx, dy)
        total += d
        if min(dx, dy) > 0.05 * d:  # neither level nor upright
            slant += d
    return total > 0 and slant >= 0.5 * total


def _box(o: dict[str, Any]) -> BBox:
    return (float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"]))


def _grown(area: BBox, edges: Sequence[BBox]) -> BBox:
    """The plot area out to the gridlines and axes drawn across it (its tick labels sit
    beyond their ends)."""
    crossing = [
        e
        for e in edges
        if e[0] <= area[2] and e[2] >= area[0] and e[1] <= area[3] and e[3] >= area[1]
    ]
    return bounds([area, *crossing])


def _even(values: Sequence[float], evenness: float) -> bool:
    if not values:
        return True
    mid = statistics.median(values)
    return mid > 0 and all(abs(v - mid) <= evenness * mid for v in values)


def bounds(boxes: Sequence[BBox]) -> BBox:
    """The box round ``boxes``."""
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _inside_share(a: BBox, b: BBox) -> float:
    """The share of ``a``'s area that lies inside ``b``."""
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    area = max((a[2] - a[0]) * (a[3] - a[1]), 1e-6)
    return w * h / area
