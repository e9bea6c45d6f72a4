"""Running text of a PDF page as headings, paragraphs and list items."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from parsers.celltext import strip_bullet
from parsers.model import Block
from parsers.pdf_words import Line, lines_text

_HEADING_MAX_WORDS = 15


def body_size(sizes: Sequence[float]) -> float:
    """The usual font size of running text, from the size of each of its lines."""
    return statistics.median(sizes) if sizes else 10.0


_SPACE_EM = 0.3  # a space between words, in ems
_SAME_COLUMN_EM = 2.0  # lines starting this close share a column's right margin


def _short_of_margin(prev: Line, ln: Line, lines: Sequence[Line], margin: float) -> bool:
    """Bold lines stacked without a gap ("Open Data Board" over "Action Log as of 2 March
    2011") are separate lines unless the first wrapped: the next line's first word would
    have fitted before the right margin of the column the first line sits in."""
    if not (prev.bold and ln.bold):
        return False
    near = _SAME_COLUMN_EM * prev.size
    right = max([margin, *(x.x1 for x in lines if abs(x.x0 - prev.x0) <= near)])
    first = ln.words[0]
    return prev.x1 + _SPACE_EM * prev.size + (first.x1 - first.x0) < right


def paragraphs(lines: Sequence[Line], pitch: float, margin: float = 0.0) -> list[list[Line]]:
    """Consecutive lines into paragraphs: a new one after a gap, a bullet, a change
    between bold and plain text, or a bold line that stops short of the right margin
    (``margin``: the right edge of what else the page prints, its tables included)."""
    out: list[list[Line]] = []
    for ln in lines:
        if out:
            prev = out[-1][-1]
            same = (
                ln.top - prev.top <= pitch + 1.8
                and ln.bold == prev.bold
                and not strip_bullet(ln.text)[1]
                and not _short_of_margin(prev, ln, lines, margin)
            )
            if same:
                out[-1].append(ln)
                continue
        out.append([ln])
    return out


def paragraph_block(para: Sequence[Line], page: int, size: float) -> Block:
    text = lines_text(para)
    first = para[0]
    words = len(text.split())
    if strip_bullet(first.text)[1]:
        return Block("list_item", text, page)
    bigger = first.size > size + 0.9
    if (all(ln.bold for ln in para) or bigger) and words <= _HEADING_MAX_WORDS:
        level = 1 if first.size > size + 3 else 2 if bigger else 3
        return Block("heading", text, page, level=level)
    return Block("paragraph", text, page)
