"""Running text that lines up like a table: the tests ``pdf_borderless`` puts a region's
grid to before calling it a table.

Justified prose whose wide word gaps happen to line up, numbered paragraphs with a hanging
indent, paragraphs run into the top or foot of a table, and page columns of running text
whose lines fell into rows all give a grid of cells; what they hold says they are text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from parsers.pdf_grid import PCell
from parsers.table_settings import TableSettings

# paragraph or footnote numbers: "1.1.2", "(a)", "iv)", or a run of footnote numbers "124 125"
SECTION_NUMBER = re.compile(
    r"^(?:(?:\(?\d{1,3}(?:\.\d{1,3})*[.)]?\s*)+|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])$"
)


def prose(rows: Sequence[Sequence[PCell]], s: TableSettings) -> bool:
    """Many rows hold a run of plain text across columns (a sentence, not a bold group
    heading or a "Label: value" field): justified prose whose wide word gaps happened to
    line up, not a table."""
    runs = sum(any(_sentence_across(c, s) for c in row) for row in rows)
    return runs >= 2 and runs >= s.prose_row_share * len(rows)


def flowing(rows: Sequence[Sequence[PCell]], s: TableSettings) -> bool:
    """Sentences run on from row to row down the columns: every column holds lines of
    prose, at most row breaks a cell holds one with text below it, and in most such
    places that text carries on the sentence (opens in lower case).  Page columns of
    running text whose lines fell into rows, not a table: a table's wrapped cells are
    joined into their rows before this, its next row opens a new item (a note's lines
    at its foot are too few), and it has a column of labels or figures."""
    share = s.flowing_share
    for c in range(len(rows[0]) if rows else 0):
        texts = [r[c].text for r in rows if not r[c].covered and r[c].text]
        if sum(_prose_line(t, s) for t in texts) < share * len(texts):
            return False
    pairs = flows = breaks = 0
    for above, below in pairwise(rows):
        here = [
            b.text[:1].islower()
            for a, b in zip(above, below, strict=True)
            if not (a.covered or b.covered) and b.text and _prose_line(a.text, s)
        ]
        pairs, flows, breaks = pairs + len(here), flows + sum(here), breaks + bool(here)
    return flows >= 2 and flows >= share * pairs and breaks >= share * (len(rows) - 1)


def _prose_line(text: str, s: TableSettings) -> bool:
    """A line's worth of running text: several words, nearly all of them words."""
    words = text.split()
    wordy = sum(any(ch.isalpha() for ch in w) for w in words)
    return len(words) >= s.prose_line_words and wordy * 4 >= len(words) * 3


def without_prose_ends(rows: Sequence[Sequence[PCell]], s: TableSettings) -> list[int]:
    """Indices of the rows between the leading and trailing paragraphs of running text
    (two rows or more of it: a single line may be the wrap of a field above, whose table
    the region is merged back into)."""
    prose = [any(_sentence_across(c, s) for c in row) for row in rows]
    first = next((i for i, p in enumerate(prose) if not p), len(rows))
    last = next((i for i in range(len(rows) - 1, -1, -1) if not prose[i]), -1)
    first = first if first >= 2 else 0
    last = last if len(rows) - 1 - last >= 2 else len(rows) - 1
    return list(range(first, last + 1))


def _sentence_across(cell: PCell, s: TableSettings) -> bool:
    if cell.covered or cell.colspan < 2 or cell.bold:
        return False
    return len(cell.text.split()) >= s.prose_row_words and not _LABEL.match(cell.text)


def numbered_paragraphs(rows: Sequence[Sequence[PCell]]) -> bool:
    """Two columns whose first starts every cell with a paragraph or footnote number
    ("1.1", "1.1.2", "(a)", "124"): numbered paragraphs with a hanging indent, not a table."""
    if not rows or len(rows[0]) != 2:
        return False
    # a paragraph run across both columns (the list's lead-in) is no row of the list
    firsts = [
        row[0].text for row in rows if not row[0].covered and row[0].text and row[0].colspan < 2
    ]
    # a footnote number may sit close enough to its text to share the first column
    return bool(firsts) and all(SECTION_NUMBER.match(t.split()[0]) for t in firsts)


_LABEL = re.compile(r"^\W*(?:\S+\s){0,4}?\S*:")  # "Objective(s):", "Link to strategic aim:"
