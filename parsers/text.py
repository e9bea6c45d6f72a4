"""Plain-text extractions of committee papers: paragraphs, headings and tab tables.

Paragraphs are separated by blank lines; a run of lines holding tabs is a table (see
:mod:`parsers.text_table`), and a blank line inside a table is a "page break" the table
carries on over when what follows is its header repeated or the rest of a row.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from parsers.celltext import strip_bullet
from parsers.errors import EmptyFileError
from parsers.frontmatter import metadata_from_blocks
from parsers.model import Block, Document, Table
from parsers.options import DEFAULT_OPTIONS, ParseOptions
from parsers.text_markup import has_markup, is_bold, markup_to_text
from parsers.text_table import (
    Line,
    line_from_text,
    lines_to_table,
    split_header,
    starts_table_continuation,
)

# Tried in order; windows-1252 last because it decodes almost any byte string.
ENCODINGS: tuple[str, ...] = ("utf-8", "windows-1252")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SECTION_HEADING = re.compile(r"^[A-Z]\.\s+\S")  # "A. RECOMMENDATIONS - That"
NUMBERED = re.compile(r"^\(?\d+(?:\.\d+)*[.)]\s")  # "1. Members note ..."
PARAGRAPH_NUMBER = re.compile(r"^(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]|[\u2022\uf0b7-])$")
PROSE_MIN_WORDS = 8  # a bare line this long ending in "." after a table is a paragraph
HEADING_MAX_WORDS = 10
HEADING_NOT_ENDING = (".", ",", ";", ":")
NOT_HEADINGS: frozenset[str] = frozenset({"none", "nil", "n/a", "not applicable"})


def decode(raw: bytes) -> tuple[str, list[str]]:
    """The file's text and any warning about how it was decoded."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace"), []
    for encoding in ENCODINGS[:-1]:
        try:
            return raw.decode(encoding), []
        except UnicodeDecodeError:
            continue
    fallback = ENCODINGS[-1]
    return raw.decode(fallback, errors="replace"), [f"not UTF-8; decoded as {fallback}"]


def chunks(text: str) -> Iterator[list[str]]:
    """Runs of non-blank lines."""
    run: list[str] = []
    for line in text.splitlines():
        if line.strip():
            run.append(line)
        elif run:
            yield run
            run = []
    if run:
        yield run


def is_heading(raw: str, text: str) -> bool:
    """A short line standing alone that does not read as a sentence."""
    if not text or text.lower() in NOT_HEADINGS:
        return False
    if is_bold(raw) or SECTION_HEADING.match(text):
        return True
    words = text.split()
    return (
        len(words) <= HEADING_MAX_WORDS
        and not text.endswith(HEADING_NOT_ENDING)
        and not NUMBERED.match(text)
        and text[0].isupper()
        and sum(ch.isalpha() for ch in text) > len(text) / 2
    )


def text_blocks(lines: Sequence[str]) -> list[Block]:
    """Blocks of one blank-line-separated chunk: bullet lines are list items, the
    lines between them one paragraph (or a heading when it stands alone)."""
    out: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            raw = " ".join(para)
            text = markup_to_text(raw)
            if text:
                single = len(para) == 1 and len(lines) == 1
                if single and is_heading(raw, text):
                    out.append(Block("heading", text, level=heading_level(text)))
                else:
                    out.append(Block("paragraph", text))
            para.clear()

    for line in lines:
        stripped, bullet = strip_bullet(line.strip())
        if bullet and not has_markup(line[:4]):
            flush()
            out.append(Block("list_item", markup_to_text(stripped)))
        else:
            para.append(line.strip())
    flush()
    return out


def heading_level(text: str) -> int:
    return 2 if SECTION_HEADING.match(text) else 3


@dataclass
class _Builder:
    """Blocks and tables in reading order while the chunks are read."""

    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    region: list[Line] = field(default_factory=list)
    context: str | None = None

    def add_text(self, lines: Sequence[str]) -> None:
        self.flush_table()
        self.blocks.extend(text_blocks(lines))

    def add_table_lines(self, lines: list[Line]) -> None:
        if self.region and starts_table_continuation(self.region, lines[0]):
            self.region.extend([Line(lines[0].cells, True, lines[0].bare), *lines[1:]])
            return
        self.flush_table()
        last = self.blocks[-1] if self.blocks else None
        self.context = last.text if last and last.kind != "table" else None
        self.region = lines

    def flush_table(self) -> None:
        if not self.region:
            return
        self.tables.append(lines_to_table(self.region, self.context))
        self.blocks.append(Block("table", "", table_index=len(self.tables) - 1))
        self.region = []


def is_numbered_paragraph(line: str) -> bool:
    """A tab after a paragraph number ("1.<TAB>Members note ...") is not a column."""
    cells = line.split("\t")
    return len(cells) == 2 and bool(PARAGRAPH_NUMBER.match(cells[0].strip()))


def is_prose(line: str) -> bool:
    text = markup_to_text(line)
    return len(text.split()) >= PROSE_MIN_WORDS and text.endswith(".")


def read_chunk(builder: _Builder, chunk: list[str]) -> None:
    """One blank-line-separated chunk: text, a table, or a table with text around it."""
    tabbed = [i for i, line in enumerate(chunk) if "\t" in line]
    if not tabbed or all(is_numbered_paragraph(chunk[i]) for i in tabbed):
        builder.add_text([line.replace("\t", " ") for line in chunk])
        return
    first, last = tabbed[0], tabbed[-1] + 1
    lines = [line_from_text(line) for line in chunk]
    if first and split_header(lines[first:])[0]:
        # a caption printed right above a header row is text, not a table row
        builder.add_text(chunk[:first])
        lines, last, chunk = lines[first:], last - first, chunk[first:]
    tail = last
    while tail < len(chunk) and not is_prose(chunk[tail]):
        tail += 1  # short bare lines after the last row: wrapped labels or merged rows
    builder.add_table_lines(lines[:tail])
    if tail < len(chunk):
        builder.add_text(chunk[tail:])


def parse(path: Path, sha256: str, options: ParseOptions = DEFAULT_OPTIONS) -> Document:
    """Parse a plain-text paper into the shared model."""
    text, warnings = decode(path.read_bytes())
    if not text.strip():
        raise EmptyFileError(f"{path.name}: file holds no text")
    builder = _Builder()
    for chunk in chunks(text):
        read_chunk(builder, chunk)
    builder.flush_table()
    blocks = tuple(builder.blocks)
    return Document(
        source=path.name,
        sha256=sha256,
        format="text",
        metadata=metadata_from_blocks(blocks),
        blocks=blocks,
        tables=tuple(builder.tables),
        warnings=tuple(f"{path.name}: {w}" for w in warnings),
    )
