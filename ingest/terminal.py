"""Text on its way to a terminal or a log: control characters made visible.

A file name or a paper's text may hold ESC sequences (which can clear or recolour an
analyst's screen), CR or newline (which break "one line per file"), or bytes of a name
that are not UTF-8. ``printable`` writes each such character as a Python-style escape
(``\\x1b``, ``\\n``), so what is shown is what is there, on one line.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 and C1 controls, DEL, line/paragraph separators, bidirectional overrides (which can
# make a name read backwards), and lone surrogates (undecodable bytes of a file name).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep_newlines: bool = False) -> str:
    """``text`` with every control character escaped; ``keep_newlines`` leaves ``\\n``
    as is (for table cells, where a line break only wraps the cell)."""
    if keep_newlines:
        return "\n".join(_UNSAFE.sub(_escape, part) for part in text.split("\n"))
    return _UNSAFE.sub(_escape, text)


def cell(text: str | None, style: str = "") -> Text:
    """A table cell of stored text: escaped, and never read as rich markup."""
    return Text(printable(text or "", keep_newlines=True), style=style)
