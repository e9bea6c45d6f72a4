"""A page's printed lines packed into one compressed blob until the whole document is read.

Running headers and footers are known only once every page has been read, so each page's
lines must wait for the last page.  As ``Word`` objects they cost about 350 bytes a word
(0.2 MB for a page of small print); packed into flat arrays and compressed they cost about
15, and are unpacked one page at a time.  Packing keeps every value exactly (doubles stay
doubles), so a page unpacked gives the very lines that were packed.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.model import BBox
from parsers.pdf_words import Line, Word

_FIELDS = 5  # x0, x1, top, bottom, size of each word
# fastest level: coordinates repeat along a line and shrink 4x even so
_LEVEL = 1


@dataclass(frozen=True, slots=True)
class PackedLines:
    """Lines of one page.  ``blob`` holds, compressed: each line's first word index and
    the word count ("I"), each word's end offset in the text ("I"), its numbers ("d"),
    its bold and turned flags (a byte), then all word texts run together (UTF-8)."""

    n_lines: int
    n_words: int
    blob: bytes

    def __len__(self) -> int:
        return self.n_lines


def pack(lines: Sequence[Line]) -> PackedLines:
    words = [w for ln in lines for w in ln.words]
    starts, n = array("I", [0]), 0
    for ln in lines:
        n += len(ln.words)
        starts.append(n)
    ends, end = array("I"), 0
    for w in words:
        end += len(w.text)
        ends.append(end)
    coords = array("d", [v for w in words for v in (w.x0, w.x1, w.top, w.bottom, w.size)])
    parts = [
        starts.tobytes(),
        ends.tobytes(),
        coords.tobytes(),
        bytes(w.bold | (not w.upright) << 1 for w in words),
    ]
    parts.append("".join(w.text for w in words).encode("utf-8"))
    return PackedLines(len(lines), len(words), zlib.compress(b"".join(parts), _LEVEL))


def unpack(packed: PackedLines) -> list[Line]:
    data = memoryview(zlib.decompress(packed.blob))
    n, at = packed.n_words, 0
    starts, ends, c = array("I"), array("I"), array("d")
    for arr, count in ((starts, packed.n_lines + 1), (ends, n), (c, n * _FIELDS)):
        nbytes = count * arr.itemsize
        arr.frombytes(data[at : at + nbytes])
        at += nbytes
    bold = data[at : at + n]
    text = str(data[at + n :], "utf-8")
    words: list[Word] = []
    begin = 0
    for i, end in enumerate(ends):
        k = i * _FIELDS
        x0, x1, top, bottom, size = c[k : k + _FIELDS]
        flags = bold[i]
        words.append(
            Word(text[begin:end], x0, x1, top, bottom, bool(flags & 1), size, not flags & 2)
        )
        begin = end
    return [Line(tuple(words[starts[j] : starts[j + 1]])) for j in range(packed.n_lines)]


def pack_boxes(tables: Sequence[Sequence[BBox]]) -> tuple[array[float], ...]:
    """Each ruled table's cell boxes as one flat array of numbers."""
    return tuple(array("d", [v for box in boxes for v in box]) for boxes in tables)


def unpack_boxes(packed: tuple[array[float], ...]) -> list[list[BBox]]:
    return [[(a[k], a[k + 1], a[k + 2], a[k + 3]) for k in range(0, len(a), 4)] for a in packed]
