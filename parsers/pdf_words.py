"""Words and printed lines of a PDF page, and the text of a box of them.

Everything here works on plain ``Word`` tuples copied out of pdfplumber, so a page's
pdfplumber objects can be closed as soon as its words are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from rapidfuzz import fuzz

from parsers.celltext import BULLET_GLYPHS, clean_text, join_items, strip_bullet
from parsers.pdf_chars import dedupe_chars, overprinted, overprinted_spaces

# A word this close to the previous one (superscript "th", a split glyph run) joins it
# without a space.
_TIGHT_GAP = 0.8
# Characters closer than this fraction of the font size belong to one word; it keeps
# letter-spaced dates ("03/25/2016") whole without gluing ordinary words together.
X_TOLERANCE_RATIO = 0.22
# "Page1 of 2": OCR may lose the space
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?-?\s*\d{1,4}\s*-?(?:\s+of\s+\d{1,4})?$", re.I)
_COLUMN_GAP = 7.0
_DIGITS = re.compile(r"\d+")
_ALIKE_LENGTH = 10  # characters a margin line needs before near-equal texts count as one


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    bold: bool
    size: float
    upright: bool = True  # False: printed turned a quarter (an axis title, a tall header)


@dataclass(frozen=True, slots=True)
class Line:
    """Words printed on one baseline, left to right."""

    words: tuple[Word, ...]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return words_text(self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words if w.text.strip(BULLET_GLYPHS + " "))

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)


def page_words(page: Any) -> list[Word]:
    """The page's words with the font facts the table and heading rules use."""
    # glyphs printed twice in place (bold by overprinting) would read "微微软软"
    if overprinted(page.chars):
        page = dedupe_chars(page)
    drop = overprinted_spaces(page.chars)
    if drop:
        page = page.filter(
            lambda o: o.get("object_type") != "char" or (o["x0"], o["top"]) not in drop
        )
    out = []
    for w in _raw_words(page):
        text = clean_text(w["text"])
        if not text:
            continue
        font = str(w.get("fontname", "")).lower()
        bold = "bold" in font or "black" in font or "heavy" in font
        out.append(
            Word(
                text,
                float(w["x0"]),
                float(w["x1"]),
                float(w["top"]),
                float(w["bottom"]),
                bold,
                round(float(w.get("size", float(w["x1"]) - float(w["x0"]))), 1),
                bool(w.get("upright", True)),
            )
        )
    return out


def _raw_words(page: Any) -> list[dict[str, Any]]:
    """pdfplumber's words.  Text turned a quarter is read along its own direction: turned
    anticlockwise (the usual tall header or axis title) bottom to top, turned clockwise
    top to bottom, each apart so neither reads backwards."""
    settings: dict[str, Any] = {
        "x_tolerance_ratio": X_TOLERANCE_RATIO,
        "y_tolerance": 2,
        "keep_blank_chars": False,
        "extra_attrs": ["fontname", "size"],
    }
    if all(c.get("upright", True) for c in page.chars):
        return list(page.extract_words(**settings))

    def clockwise(o: dict[str, Any]) -> bool:
        matrix = o.get("matrix") or (1, 0, 0, 1, 0, 0)
        return not o.get("upright", True) and float(matrix[1]) < 0

    # pdfplumber scales x_tolerance_ratio by a turned glyph's width, which is its height
    # on the page: turned text takes the plain tolerance
    upright = page.filter(lambda o: o.get("object_type") != "char" or o.get("upright", True))
    words = list(upright.extract_words(**settings))
    # and its glyphs' sizes differ (pdfplumber measures them across the turn): the
    # word's width on the page is its font size
    del settings["x_tolerance_ratio"]
    settings["extra_attrs"] = ["fontname"]
    for turn, chars, lines in ((True, "ttb", "rtl"), (False, "btt", "ltr")):
        part = page.filter(
            lambda o, t=turn: (
                o.get("object_type") == "char" and not o.get("upright", True) and clockwise(o) == t
            )
        )
        words += part.extract_words(char_dir_rotated=chars, line_dir_rotated=lines, **settings)
    return words


def words_text(words: Iterable[Word]) -> str:
    parts: list[str] = []
    prev: Word | None = None
    for w in words:
        if prev is not None and (w.x0 - prev.x1 >= _TIGHT_GAP or not w.upright):
            parts.append(" ")
        parts.append(w.text)
        prev = w
    return "".join(parts)


def group_lines(words: Iterable[Word], tol: float = 2.5) -> list[Line]:
    """Words into lines: same vertical middle within ``tol`` (superscripts ride along);
    words turned a quarter make lines of their own, one per column they stand in."""
    words = list(words)
    lines = _level_lines([w for w in words if w.upright], tol)
    turned = [w for w in words if not w.upright]
    if turned:
        lines = sorted([*lines, *_turned_lines(turned, tol)], key=lambda ln: (ln.top, ln.x0))
    return lines


def _turned_lines(words: Sequence[Word], tol: float) -> list[Line]:
    """Turned words by the x of their middle, in reading order: turned anticlockwise, as
    nearly all tall headers and axis titles are, a line reads from the bottom up."""
    columns: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.x0 + w.x1) / 2):
        mid = (w.x0 + w.x1) / 2
        if columns and abs((columns[-1][0].x0 + columns[-1][0].x1) / 2 - mid) <= tol:
            columns[-1].append(w)
        else:
            columns.append([w])
    return [Line(tuple(sorted(col, key=lambda w: -w.bottom))) for col in columns]


def _level_lines(words: Sequence[Word], tol: float) -> list[Line]:
    rows: list[list[Word]] = []
    mids: list[float] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        mid = (w.top + w.bottom) / 2
        best, best_d = -1, tol
        for i in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            d = abs(mids[i] - mid)
            if d <= best_d or (
                rows[i][0].top <= mid <= rows[i][0].bottom and w.size < rows[i][0].size and best < 0
            ):
                best, best_d = i, min(d, best_d)
        if best >= 0:
            rows[best].append(w)
        else:
            rows.append([w])
            mids.append(mid)
    lines = [Line(tuple(sorted(r, key=lambda w: w.x0))) for r in rows]
    return sorted(lines, key=lambda ln: (ln.top, ln.x0))


def lines_text(lines: Sequence[Line], right: float | None = None) -> str:
    """Printed lines of one cell as contract text: wrapped bullet items stay one item, and
    a word too wide for the cell (text stops at x = ``right``) broken mid-word is rejoined."""
    items: list[tuple[str, bool]] = []
    bullet_x: float | None = None
    prev: Line | None = None
    for ln in lines:
        text, bullet = strip_bullet(ln.text)
        if prev is not None and items and _broken_word(prev, ln, right):
            items[-1] = (items[-1][0] + text, items[-1][1])
        elif bullet:
            items.append((text, True))
            bullet_x = ln.x0
        elif items and items[-1][1] and bullet_x is not None and ln.x0 > bullet_x + 2:
            # indented under the bullet's text: the item wraps onto this line
            items[-1] = (items[-1][0] + " " + text, True)
        else:
            items.append((text, False))
            bullet_x = None
        prev = ln
    return join_items(items)


def _broken_word(prev: Line, line: Line, right: float | None) -> bool:
    """``prev`` holds one word reaching the cell's right edge that, with the start of
    ``line``, is wider than the cell: a word wrapped mid-word ("Recommendati" / "on")."""
    if right is None or len(prev.words) != 1 or not line.words[0].text[:1].islower():
        return False
    last, nxt = prev.words[0], line.words[0]
    at_edge = last.x1 >= right - 0.75 * last.size  # the next letter would not fit
    too_wide = (last.x1 - last.x0) + (nxt.x1 - nxt.x0) > right - last.x0
    return last.text[-1:].isalpha() and at_edge and too_wide


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def margin_keys(height: float, lines: Sequence[Line]) -> set[tuple[str, int]]:
    """Keys of the page's lines that could be a running header or footer."""
    ends = _outermost(lines)
    seen = {margin_key(ln, height, id(ln) in ends) for ln in lines}
    return {k for k in seen if k is not None}


MarginKey = tuple[str, int]  # text with digits masked, y band


def running_keys(
    pages: Mapping[MarginKey, Sequence[int]], n_pages: int, fuzzy: bool = False
) -> set[MarginKey]:
    """(text with digits masked, y band) of lines repeated in the top or bottom margin
    of most pages: running headers and footers.  ``pages``: for each ``margin_keys`` key,
    the pages it is on, in order.  ``fuzzy`` (pages read by OCR): keys that read almost
    the same count as one, since OCR reads a header a little differently on each page
    ("Item 8", "Iem 8").

    Three pages suffice, since section-specific running titles change part-way through;
    but in a long document such a title runs on successive pages (or every other page),
    while a numbered heading that happens to open a few pages ("Recommendation 4",
    "Recommendation 10") does not, and must stay."""
    need = max(2, min(3, (n_pages + 1) // 2))
    if fuzzy:
        pages = _alike(pages)
    return {k for k, on in pages.items() if _runs(k, on, need, n_pages)}


def _alike(pages: Mapping[MarginKey, Sequence[int]]) -> dict[MarginKey, list[int]]:
    """Each key with the pages of every key that reads almost the same (90 % similar,
    long enough for that to mean something) in the same or a neighbouring band."""
    by_band: dict[int, list[MarginKey]] = {}
    for key in pages:
        by_band.setdefault(key[1], []).append(key)
    out: dict[MarginKey, list[int]] = {}
    for key, on in pages.items():
        found = set(on)
        if len(key[0]) >= _ALIKE_LENGTH:
            for band in (key[1] - 1, key[1], key[1] + 1):
                for other in by_band.get(band, ()):
                    if len(other[0]) >= _ALIKE_LENGTH and fuzz.ratio(key[0], other[0]) >= 90:
                        found.update(pages[other])
        out[key] = sorted(found)
    return out


def _runs(key: MarginKey, pages: Sequence[int], need: int, n_pages: int) -> bool:
    if len(pages) < need:
        return False
    if len(pages) * 2 >= n_pages:
        return True
    run = _longest_run(pages)
    # the very same words (no number in them) on successive pages: a slide or section title
    return run >= need or (run >= 2 and "#" not in key[0])


def _longest_run(pages: Sequence[int]) -> int:
    """The most pages in a row, or every other page in a row (books print different
    running headers on left and right pages)."""
    best = run = 0
    for i, page in enumerate(pages):
        run = run + 1 if i and page - pages[i - 1] <= 2 else 1
        best = max(best, run)
    return best


def _outermost(lines: Sequence[Line]) -> set[int]:
    """ids of the page's first and last lines."""
    if not lines:
        return set()
    return {id(min(lines, key=lambda ln: ln.top)), id(max(lines, key=lambda ln: ln.bottom))}


def margin_key(line: Line, height: float, outermost: bool) -> tuple[str, int] | None:
    """Key of a line in the top or bottom 12% of the page, else None.  A line laid out in
    columns counts only as the page's first or last line: below a running title it is
    more likely a table's repeated header row."""
    if line.bottom > height * 0.12 and line.top < height * 0.88:
        return None
    if not outermost and any(b.x0 - a.x1 > _COLUMN_GAP for a, b in pairwise(line.words)):
        return None
    return (_DIGITS.sub("#", line.text.lower()), int(line.top // 6))


def running_lines(lines: Sequence[Line], height: float, keys: set[tuple[str, int]]) -> set[int]:
    """ids of the lines that are running headers / footers or page numbers."""
    ends = _outermost(lines)
    return {id(ln) for ln in lines if is_running(ln, height, keys, id(ln) in ends)}


def is_running(line: Line, height: float, keys: set[tuple[str, int]], outermost: bool) -> bool:
    key = margin_key(line, height, outermost)
    if key is None:
        return False
    if is_page_number(line.text):
        return True
    text, band = key
    return any((text, b) in keys for b in (band - 1, band, band + 1))
