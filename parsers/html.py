"""HTML committee pages to the shared model.

Only the page's main content is read (``<main>``, ``role=main``, ``<div id="content">``,
``<article>``; the whole body as a last resort), with site furniture removed: navigation,
breadcrumbs, skip links, footers, scripts and "Page last updated" lines.

Blocks come in reading order; each ``<table>`` becomes a :class:`Table` (see
``parsers.html_table`` for the grid and header rules) and a ``table`` block at its place.
Cell text: paragraphs and ``<br>`` lines joined by a space, list items (``<li>`` or lines
starting with a bullet glyph) by "; ".  A table nested in a cell is not part of the cell's
text; it is emitted as its own table right after the table that holds it.

The title is the ``<h1>`` of the main content; committee and meeting date come from the
front matter (``parsers.frontmatter``), never from ``<title>`` or breadcrumbs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PreformattedString, Tag

from parsers.celltext import clean_text, join_items, strip_bullet
from parsers.errors import ResourceLimitError
from parsers.frontmatter import metadata_from_blocks
from parsers.html_table import grid_to_table, html_table_to_grid, table_rows
from parsers.html_text import (
    BLOCK_TAGS,
    NEVER_TEXT,
    declared_charset,
    decode_html,
    has_block_child,
    inline_text,
)
from parsers.model import Block, BlockKind, Document, Metadata, Table, text_before
from parsers.options import DEFAULT_OPTIONS, ParseOptions

try:
    import lxml  # noqa: F401

    TREE_BUILDER = "lxml"
except ImportError:  # pragma: no cover
    TREE_BUILDER = "html.parser"

MAX_HTML_BYTES = 100 * 2**20  # a committee page is kilobytes; the tree costs ~10x the bytes
# Real pages nest a few dozen elements deep; 100,000 unclosed tags nest that deep, and
# every step below that looks at a tag's ancestors or subtree would make it quadratic.
MAX_DEPTH = 256

# Where the page's own content lives, most specific first: a tag name (True: any) and
# attributes, as ``find`` takes them; the CSS would read main, [role=main], div#content,
# article, #main-content, #maincontent, #main, div.content.  Not CSS selectors: compiling
# those costs a fifth of a second in each process that parses its first web page.
CONTENT_PLACES: tuple[tuple[str | bool, dict[str, Any]], ...] = (
    ("main", {}), (True, {"role": "main"}), ("div", {"id": "content"}), ("article", {}),
    (True, {"id": "main-content"}), (True, {"id": "maincontent"}), (True, {"id": "main"}),
    ("div", {"class": "content"}),
)  # fmt: skip
# id / class words of page furniture.
_FURNITURE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|breadcrumbs?|footer|skip|skiplinks?|sidebar"
    r"|cookies?|share|social|search)(?:$|[-_\s])",
    re.IGNORECASE,
)
_SITE_HEADER = re.compile(r"(?i)(?:^|[-_\s])(?:header|masthead|banner)(?:$|[-_\s])")
_FURNITURE_TAGS = (
    "div",
    "nav",
    "ul",
    "ol",
    "section",
    "aside",
    "header",
    "footer",
    "p",
    "span",
    "form",
)
_BOILERPLATE_LINE = re.compile(r"(?i)^(?:page\s+)?last\s+(?:updated|modified|reviewed)\b")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_PARAGRAPHS = frozenset({"p", "dt", "dd", "pre", "address", "figcaption", "caption", "center"})


@dataclass(frozen=True)
class Event:
    """One piece of content in reading order, before it becomes a Block."""

    kind: BlockKind
    text: str = ""
    level: int | None = None
    table: Tag | None = None


@dataclass
class Builder:
    """Blocks and tables collected while walking the page."""

    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def context(self) -> str | None:
        return text_before(self.blocks)


def parse(path: Path, sha256: str, options: ParseOptions = DEFAULT_OPTIONS) -> Document:
    """Read an HTML page into the shared model."""
    size = path.stat().st_size
    if size > MAX_HTML_BYTES:
        raise ResourceLimitError(
            f"{path.name}: {size / 2**20:.0f} MB of HTML (limit {MAX_HTML_BYTES // 2**20} MB)"
        )
    data = path.read_bytes()
    text, encoding = decode_html(data)
    notes: list[str] = []
    if declared_charset(data) in ("utf-8", "utf8") and encoding != "utf-8":
        notes.append(f"{path.name}: declared UTF-8 but is not; read as {encoding}")
    soup = BeautifulSoup(text, TREE_BUILDER)
    deepest = nesting_depth(soup)
    if deepest > MAX_DEPTH:
        raise ResourceLimitError(
            f"{path.name}: elements nested {deepest} deep (limit {MAX_DEPTH}); "
            "unclosed or runaway tags"
        )
    root = main_content(soup)
    remove_furniture(root)
    builder = Builder()
    try:
        for event in walk(root):
            add_event(builder, event)
    except RecursionError as exc:
        raise ResourceLimitError(f"{path.name}: elements nested too deeply to read") from exc
    metadata = page_metadata(builder.blocks)
    if not builder.blocks:
        notes.append(f"{path.name}: no text found in the page")
    return Document(
        source=path.name,
        sha256=sha256,
        format="html",
        metadata=metadata,
        blocks=tuple(builder.blocks),
        tables=tuple(builder.tables),
        warnings=tuple(notes),
    )


def nesting_depth(soup: BeautifulSoup) -> int:
    """How deep elements nest, in one pass (no recursion: the tree may be very deep)."""
    depth: dict[int, int] = {}
    deepest = 0
    for el in soup.descendants:
        if isinstance(el, Tag):
            level = depth.get(id(el.parent), 0) + 1
            depth[id(el)] = level
            deepest = max(deepest, level)
    return deepest


def main_content(soup: BeautifulSoup) -> Tag:
    for name, attrs in CONTENT_PLACES:
        found = soup.find(name, attrs)
        if isinstance(found, Tag) and found.get_text(strip=True):
            return found
    return soup.body or soup


def remove_furniture(root: Tag) -> None:
    """Drop scripts, navigation, breadcrumbs, site headers and footers inside the content."""
    for tag in root.find_all(list(NEVER_TEXT) + ["nav", "input", "textarea"]):
        tag.decompose()
    for tag in root.find_all(_FURNITURE_TAGS):
        if not _decomposed(tag) and is_furniture(tag):
            tag.decompose()


def _decomposed(tag: Tag) -> bool:
    # bs4's ``tag.decomposed`` reads a missing attribute through ``Tag.__getattr__``, which
    # searches the whole subtree for a child tag of that name: once per tag, quadratic.
    return bool(vars(tag).get("_decomposed", False))


def is_furniture(tag: Tag) -> bool:
    """Site navigation or footer by element or id/class; a "header" holding the page's
    ``<h1>`` is content."""
    words = " ".join([str(tag.get("id") or ""), *(tag.get("class") or [])])
    if tag.name == "footer" or _FURNITURE.search(words):
        return True
    site_header = tag.name == "header" or _SITE_HEADER.search(words)
    return bool(site_header) and tag.find("h1") is None


def is_layout_table(table: Tag) -> bool:
    """A table used to lay out the page (declared so, or holding headings), not data."""
    if str(table.get("role") or "").lower() in ("presentation", "none"):
        return True
    return any(
        cell.find(list(_HEADINGS)) is not None
        for tr, _ in table_rows(table)
        for cell in tr.find_all(["td", "th"], recursive=False)
    )


def walk(tag: Tag) -> list[Event]:
    """The content under ``tag`` as events in reading order."""
    out: list[Event] = []
    buf: list[str] = []
    for child in tag.children:
        if isinstance(child, PreformattedString):
            continue
        if isinstance(child, NavigableString):
            buf.append(str(child))
            continue
        if not isinstance(child, Tag) or child.name in NEVER_TEXT:
            continue
        if child.name == "br":
            buf.append("\n")
        elif child.name not in BLOCK_TAGS and not has_block_child(child):
            buf.append(inline_text(child))
        else:
            _flush(buf, out)
            out.extend(_block_events(child))
    _flush(buf, out)
    return out


def _block_events(tag: Tag) -> list[Event]:
    name = tag.name
    if name == "table":
        return walk_layout_table(tag) if is_layout_table(tag) else [Event("table", table=tag)]
    if name in _HEADINGS:
        return [Event("heading", inline_text(tag), _HEADINGS[name])]
    if name in ("ul", "ol"):
        return _list_events(tag)
    if name == "li":
        return _item_events(tag)
    if name in _PARAGRAPHS and not has_block_child(tag):
        return [Event("paragraph", inline_text(tag))]
    return walk(tag)


def walk_layout_table(table: Tag) -> list[Event]:
    """A layout table's cells read as page content, row by row."""
    out: list[Event] = []
    for tr, _ in table_rows(table):
        for cell in tr.find_all(["td", "th"], recursive=False):
            out.extend(walk(cell))
    return out


def _list_events(lst: Tag) -> list[Event]:
    out: list[Event] = []
    for li in lst.find_all("li", recursive=False):
        out.extend(_item_events(li))
    return out


def _item_events(li: Tag) -> list[Event]:
    """The item's own text, then any list or table nested in it."""
    out = [Event("list_item", inline_text(li))]
    for nested in _outermost(li, ("ul", "ol", "table")):
        out.extend(_block_events(nested))
    return out


def _outermost(tag: Tag, names: tuple[str, ...]) -> list[Tag]:
    found: list[Tag] = []
    for child in tag.children:
        if isinstance(child, Tag):
            found.extend([child] if child.name in names else _outermost(child, names))
    return found


def _flush(buf: list[str], out: list[Event]) -> None:
    text = "".join(buf)
    buf.clear()
    if text.strip():
        out.append(Event("paragraph", text))


def add_event(builder: Builder, event: Event) -> None:
    if event.kind == "table" and event.table is not None:
        add_table(builder, event.table)
        return
    for kind, text in event_texts(event):
        if text and not _BOILERPLATE_LINE.match(text):
            level = event.level if kind == "heading" else None
            builder.blocks.append(Block(kind, text, level=level))


def event_texts(event: Event) -> list[tuple[BlockKind, str]]:
    """(kind, text) blocks of one event; a paragraph of bullet-glyph lines is a list."""
    if event.kind == "list_item":
        return [("list_item", clean_text(strip_bullet(clean_text(event.text))[0]))]
    lines = [clean_text(line) for line in event.text.split("\n")]
    lines = [line for line in lines if line]
    if event.kind == "paragraph" and any(strip_bullet(line)[1] for line in lines):
        items = [strip_bullet(line) for line in lines]
        return [("list_item" if bullet else "paragraph", text) for text, bullet in items]
    return [(event.kind, clean_text(" ".join(lines)))]


def add_table(builder: Builder, element: Tag) -> None:
    """The table, its block, then any tables nested in its cells."""
    nested: list[Tag] = []

    def cell_text(td: Tag) -> str:
        return cell_items_text(td, nested)

    grid, n_header = html_table_to_grid(element, cell_text)
    if not grid:
        return
    caption = element.find("caption", recursive=False)
    context = clean_text(inline_text(caption)) if caption else None
    table = grid_to_table(grid, n_header, context or builder.context(), ("html",))
    builder.tables.append(table)
    builder.blocks.append(Block("table", "", table_index=len(builder.tables) - 1))
    for inner in nested:
        add_table(builder, inner)


def cell_items_text(td: Tag, nested: list[Tag]) -> str:
    """A cell's text per the contract; nested tables are collected, not read."""
    items: list[tuple[str, bool]] = []
    for event in walk(td):
        if event.kind == "table" and event.table is not None:
            nested.append(event.table)
        elif event.kind == "list_item":
            items.append((strip_bullet(clean_text(event.text))[0], True))
        else:
            items.extend(strip_bullet(clean_text(line)) for line in event.text.split("\n"))
    return join_items(items)


def page_metadata(blocks: list[Block]) -> Metadata:
    """Front-matter metadata, with the title taken from the content's ``<h1>``."""
    metadata = metadata_from_blocks(blocks)
    h1 = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
    return replace(metadata, title=h1) if h1 else metadata
