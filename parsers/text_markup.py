"""Leftover HTML markup in plain-text extractions, turned into clean cell text.

Text dumps of old web pages keep some tags: ``<b>`` marks a header cell, ``<p>`` and
``<br>`` separate paragraphs, ``<li>`` items are bullets, ``<sup>st</sup>`` belongs to
its ordinal ("31st").  Bullet glyphs printed inline ("proposals around: • graduate ...
• for existing ...") are items too.  The result follows the contract text rules of
:mod:`parsers.celltext`.
"""

from __future__ import annotations

import html
import re

from parsers.celltext import BULLET_GLYPHS, clean_text, join_items, strip_bullet

# Tags that end one paragraph and start the next; "li" also starts a bullet item.
BREAK_TAGS: frozenset[str] = frozenset(
    {"p", "br", "div", "ul", "ol", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
)
# Header cells are marked by one of these wrapping the whole cell.
BOLD_TAGS: frozenset[str] = frozenset({"b", "strong", "th"})

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>")
_INLINE_BULLET = re.compile(r"\s+[" + re.escape(BULLET_GLYPHS.replace("\u00b7", "")) + r"]\s+")
_ITEM_MARK = "\x00"  # starts a bullet item while splitting
_BREAK_MARK = "\x01"  # starts a plain paragraph while splitting
_WRAPPED = re.compile(r"^\s*<(b|strong|th)\b[^<>]*>(.*)</\1>\s*$", re.IGNORECASE | re.DOTALL)


def has_markup(text: str) -> bool:
    return bool(_TAG.search(text))


def is_bold(raw: str) -> bool:
    """True when the whole cell is wrapped in ``<b>`` (or ``<strong>``)."""
    m = _WRAPPED.match(raw)
    return m is not None and "</" + m.group(1).lower() not in m.group(2).lower()


def unclosed_tags(raw: str) -> bool:
    """True when a paragraph or list opened in ``raw`` is not closed: the cell goes on."""
    depth = 0
    for m in _TAG.finditer(raw):
        name = m.group(2).lower()
        if name not in {"p", "ul", "ol", "li"} or m.group(3):
            continue
        depth += -1 if m.group(1) else 1
    return depth > 0


def _tag_to_mark(m: re.Match[str]) -> str:
    name = m.group(2).lower()
    if name == "li" and not m.group(1):
        return _ITEM_MARK
    if name in BREAK_TAGS:
        return _BREAK_MARK
    return ""  # inline tags (b, u, i, sup, span, font) vanish without a space


def markup_to_items(raw: str) -> list[tuple[str, bool]]:
    """Split a cell's raw text into (paragraph, is_bullet) items, markup removed."""
    marked = _TAG.sub(_tag_to_mark, raw)
    marked = _INLINE_BULLET.sub(_ITEM_MARK, marked)
    items: list[tuple[str, bool]] = []
    for chunk in re.split(f"([{_ITEM_MARK}{_BREAK_MARK}])", marked):
        if chunk in (_ITEM_MARK, _BREAK_MARK):
            items.append(("", chunk == _ITEM_MARK))
            continue
        text = clean_text(html.unescape(chunk))
        if not items:
            items.append(("", False))
        prev_text, prev_bullet = items[-1]
        items[-1] = (f"{prev_text} {text}".strip(), prev_bullet)
    return [strip_item(text, bullet) for text, bullet in items if text]


def strip_item(text: str, bullet: bool) -> tuple[str, bool]:
    """Drop a bullet glyph at the start of an item; a glyph alone makes it a bullet."""
    stripped, had_glyph = strip_bullet(text)
    return stripped, bullet or had_glyph


def markup_to_text(raw: str) -> str:
    """A cell's or paragraph's printed text under the contract rules."""
    return join_items(markup_to_items(raw))
