"""Word documents (.docx) to the shared model.

python-docx opens the package (its lxml parser is built with ``resolve_entities=False``,
so no entity of any kind is expanded and nothing is fetched); the body XML is then walked
directly, in document order:

* paragraphs become ``heading`` blocks (style "Heading N", "Title" or an outline level),
  ``list_item`` blocks (list numbering, a "List ..." style or a leading bullet glyph; an
  automatic number is printed as Word shows it, "3."), or ``paragraph`` blocks;
* each table becomes a :class:`Table` plus a ``table`` block at its place, its ``context``
  the last heading or paragraph printed before it (see ``parsers.docx_table`` for merges
  and header rows);
* content controls (``w:sdt``) and custom XML are looked through, so their text counts;
  deleted text, hidden text and field instructions do not;
* a table nested in a cell is NOT part of that cell's text: it is emitted as its own table
  (and block) right after the table holding it, so its rows are neither lost nor counted
  twice.  Text boxes are read as part of the paragraph they are anchored in.

Headers, footers, footnotes and comments are not read.  ``page_count`` is None: a DOCX has
no pages until something lays it out.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from lxml import etree

from parsers.docx_table import table_grid
from parsers.docx_text import (
    Element,
    Numbering,
    Para,
    StyleSheet,
    W,
    block_children,
    read_paragraph,
)
from parsers.errors import DamagedFileError, EncryptedFileError, ResourceLimitError
from parsers.frontmatter import metadata_from_blocks
from parsers.html_table import grid_to_table
from parsers.model import Block, Document, Table, text_before
from parsers.options import DEFAULT_OPTIONS, ParseOptions

MAIN_PART = "word/document.xml"
MAX_MAIN_PART_BYTES = 200 * 2**20  # uncompressed word/document.xml
MAX_PACKAGE_BYTES = 1024 * 2**20  # uncompressed total: python-docx reads every part


@dataclass
class Builder:
    """Blocks and tables collected while walking the body."""

    read: partial[Para]
    styles: StyleSheet
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def context(self) -> str | None:
        return text_before(self.blocks)


def parse(path: Path, sha256: str, options: ParseOptions = DEFAULT_OPTIONS) -> Document:
    """Read a .docx file into the shared model."""
    check_package(path)
    body, styles_el, numbering_el = open_parts(path)
    styles = StyleSheet.from_element(styles_el)
    read = partial(read_paragraph, styles=styles, numbering=Numbering.from_element(numbering_el))
    builder = Builder(read, styles)
    for el in block_children(body):
        if el.tag == W + "tbl":
            add_table(builder, el)
        else:
            para = read(el)
            if para.text:
                builder.blocks.append(Block(para.kind, para.text, level=para.level))  # type: ignore[arg-type]
    warnings = () if builder.blocks else (f"{path.name}: the document has no text",)
    return Document(
        source=path.name,
        sha256=sha256,
        format="docx",
        metadata=metadata_from_blocks(builder.blocks),
        blocks=tuple(builder.blocks),
        tables=tuple(builder.tables),
        warnings=warnings,
    )


def check_package(path: Path) -> None:
    """Refuse what is not a Word package, or would unpack to an unreasonable size."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise DamagedFileError(
            f"{path.name}: not a valid DOCX (not a readable ZIP package: {exc})"
        ) from exc
    by_name = {info.filename: info for info in infos}
    main = by_name.get(MAIN_PART)
    if main is None:
        raise DamagedFileError(
            f"{path.name}: not a valid DOCX (the ZIP package has no {MAIN_PART})"
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise EncryptedFileError(f"{path.name}: the DOCX package is encrypted")
    if main.file_size > MAX_MAIN_PART_BYTES:
        raise ResourceLimitError(
            f"{path.name}: {MAIN_PART} unpacks to {main.file_size / 2**20:.0f} MB "
            f"(limit {MAX_MAIN_PART_BYTES // 2**20} MB); refusing a possible zip bomb"
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_PACKAGE_BYTES:
        raise ResourceLimitError(
            f"{path.name}: the package unpacks to {total / 2**20:.0f} MB "
            f"(limit {MAX_PACKAGE_BYTES // 2**20} MB); refusing a possible zip bomb"
        )


def open_parts(path: Path) -> tuple[Element, Element | None, Element | None]:
    """The body, styles and numbering elements; python-docx's errors as DamagedFileError."""
    import docx  # imported here: python-docx is only needed when a DOCX is read
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
        body = document.element.body
        styles = document.styles.element
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            numbering = None
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise DamagedFileError(f"{path.name}: not a valid DOCX ({_reason(exc)})") from exc
    except OSError as exc:  # the ZIP directory points outside the file (seek: EINVAL)
        raise DamagedFileError(
            f"{path.name}: damaged DOCX package (a part's offset is outside the file: "
            f"{exc.strerror or exc})"
        ) from exc
    except etree.XMLSyntaxError as exc:
        raise DamagedFileError(
            f"{path.name}: broken XML in the DOCX package ({_reason(exc)})"
        ) from exc
    except (KeyError, ValueError, AttributeError) as exc:
        raise DamagedFileError(f"{path.name}: damaged DOCX package ({_reason(exc)})") from exc
    return body, styles, numbering


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def add_table(builder: Builder, tbl: Element) -> None:
    """The table, its block, then the tables nested in its cells."""
    found = table_grid(tbl, builder.read, builder.styles)
    if found.grid and found.grid[0]:
        notes = (
            "docx",
            "w:tblHeader"
            if found.marked_header
            else "bold first row"
            if found.n_header
            else "no header",
        )
        table = grid_to_table(found.grid, found.n_header, builder.context(), notes)
        builder.tables.append(table)
        builder.blocks.append(Block("table", "", table_index=len(builder.tables) - 1))
    for inner in found.nested:
        add_table(builder, inner)
