"""Characters of a PDF page printed twice: glyphs overprinted to look bold, and space
glyphs printed on top of other glyphs.

These work on pdfplumber's char dicts, before words are made of them.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from pdfplumber.utils import cluster_objects

_SAME = itemgetter("upright", "text", "fontname", "size")
_POSITION = itemgetter("doctop", "x0")
_FACTS = itemgetter("text", "fontname", "size", "x0", "doctop")
_TOLERANCE = 1  # points: pdfplumber's dedupe_chars default
_OFFSET = 1 << 30  # keeps a cell's x and y (points, floored) positive within 32 bits
_NEIGHBOURS = [(dx << 32) + dy for dx, dy in ((1, -1), (1, 0), (1, 1), (0, 1))]


def overprinted_spaces(chars: Sequence[dict[str, Any]]) -> set[tuple[float, float]]:
    """Space glyphs printed on top of other glyphs (letter-spaced Excel exports); left in,
    they split "03/25/2016" into "0 3 / 2 5 / 2 0 16"."""
    spaces = [c for c in chars if c["text"] == " "]
    if not spaces:
        return set()
    starts: dict[int, list[float]] = {}
    ends: dict[int, list[float]] = {}
    solid = sorted((c for c in chars if c["text"] != " "), key=lambda c: c["x0"])
    for c in solid:
        starts.setdefault(round(c["top"]), []).append(c["x0"])
        ends.setdefault(round(c["top"]), []).append(c["x1"])
    drop = set()
    for sp in spaces:
        mid = (sp["x0"] + sp["x1"]) / 2
        line = round(sp["top"])
        i = bisect_left(starts.get(line, []), mid) - 1  # the glyph starting just left of it
        if i >= 0 and ends[line][i] > mid:
            drop.add((sp["x0"], sp["top"]))
    return drop


def overprinted(chars: Sequence[dict[str, Any]]) -> bool:
    """Some two characters with the same text, font and size lie within a point of each
    other (dedupe_chars' default tolerance): floors of positions within 1 pt differ by at
    most 1, so a pair is two chars in one cell of a 1 pt grid or in neighbouring cells
    (one of four directions, the other four being the same pairs seen from the far end).
    A cell is one int (the kind of glyph, x and y in fields of 32 bits), which a set
    hashes faster than a tuple of five."""
    kinds: dict[tuple[object, ...], int] = {}
    floor = math.floor
    cells = [
        ((kinds.setdefault((t, f, s), len(kinds)) << 64) | ((floor(x) + _OFFSET) << 32))
        + floor(y)
        + _OFFSET
        for t, f, s, x, y in map(_FACTS, chars)
    ]
    seen = set(cells)
    if len(seen) < len(cells):
        return True
    return any(not seen.isdisjoint([c + step for c in cells]) for step in _NEIGHBOURS)


def dedupe_chars(page: Any) -> Any:
    """``page`` without duplicate chars: what pdfplumber's ``Page.dedupe_chars()`` returns
    (same text, font and size within a point; of each cluster the first at the least
    ``(doctop, x0)``), in linear rather than quadratic time.  pdfplumber orders the chars
    kept by ``chars.index`` (a list scan per char, quadratic in a page's characters: 0.5 s
    on a page of 8,000); the chars kept are in the page's order already, since of several
    equal chars the first is the one kept, so filtering the page keeps them in that order."""
    keep: set[int] = set()
    for _, group in groupby(sorted(page.chars, key=_SAME), key=_SAME):
        for y_cluster in cluster_objects(list(group), itemgetter("doctop"), _TOLERANCE):
            for x_cluster in cluster_objects(y_cluster, itemgetter("x0"), _TOLERANCE):
                keep.add(id(min(x_cluster, key=_POSITION)))  # min: the first of equals
    return page.filter(lambda o: o.get("object_type") != "char" or id(o) in keep)
