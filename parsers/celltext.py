"""Cleaning the text of one cell or paragraph the same way in every parser.

The contract: markup removed, whitespace collapsed, bullet glyphs at item starts removed,
consecutive bullet items joined with "; " and joined to surrounding paragraphs by a space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Glyphs that only ever mean "bullet"; U+F0B7 etc. are Word's Symbol-font bullets.
BULLET_GLYPHS = (
    "\u2022\u25e6\u25aa\u25ab\u25cf\u25cb\u25a0\u25a1\u2023\u2043\u2219\u27a2\u27a4\u25ba"
    "\u25b8\u2756\u00b7" + "".join(chr(c) for c in range(0xF020, 0xF100))
    # Symbol and Wingdings glyphs reach the text in the private use area (U+F020-F0FF):
    # printed alone before a line they are its bullet ("\uf0b7", "\uf06e", "\uf0d8", ...)
)
_BULLET_START = re.compile(r"^\s*(?:[" + re.escape(BULLET_GLYPHS) + r"]|[-*o](?=\s))\s*")
_WS = re.compile(r"\s+")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def clean_text(text: str) -> str:
    """Collapse whitespace (NBSP included), drop zero-width characters, trim."""
    return _WS.sub(" ", text.translate(_ZERO_WIDTH)).strip()


def strip_bullet(line: str) -> tuple[str, bool]:
    """Remove a leading bullet glyph; say whether there was one."""
    m = _BULLET_START.match(line)
    if m and m.end() < len(line):
        return line[m.end() :], True
    return line, False


def join_items(items: Iterable[tuple[str, bool]]) -> str:
    """Join (text, is_bullet) paragraphs: bullets in a run by "; ", everything else by " "."""
    out = ""
    prev_bullet = False
    for raw, bullet in items:
        text = clean_text(raw)
        if not text:
            continue
        if out:
            out += "; " if (bullet and prev_bullet) else " "
        out += text
        prev_bullet = bullet
    return out


def join_lines(lines: Iterable[str]) -> str:
    """Join printed lines of one cell, recognising bullet items by their glyph."""
    return join_items(strip_bullet(line) for line in lines)
