"""Word-level differences between an old and a new text, for the diff reports.

Texts are split into words (with the spaces after them) and aligned with difflib, so a
reworded recommendation shows which words went and which came, not two whole paragraphs.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["=", "-", "+"]
Segment = tuple[Op, str]
_WORD = re.compile(r"\S+\s*|\s+")


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments that read as the old text when "+" ones are dropped and as the new one
    when "-" ones are: ("=", kept), ("-", removed), ("+", added)."""
    a, b = _WORD.findall(old), _WORD.findall(new)
    matcher = SequenceMatcher(a=[w.strip() for w in a], b=[w.strip() for w in b], autojunk=False)
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(("=", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(b[j1:j2])))
    return out


def marked(segments: list[Segment]) -> str:
    """The segments as one line of text, changes marked as wdiff does: [-gone-] {+new+}."""
    marks = {"=": ("", ""), "-": ("[-", "-]"), "+": ("{+", "+}")}
    parts = []
    for op, text in segments:
        core, tail = text.rstrip(), text[len(text.rstrip()) :]
        opening, closing = marks[op]
        parts.append(f"{opening}{core}{closing}{tail}")
    return "".join(parts)
