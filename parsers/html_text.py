"""Bytes to text for HTML pages, and the text of inline content.

Decoding follows what browsers do (WHATWG Encoding): a BOM wins, then a declared charset,
where ``iso-8859-1`` / ``latin-1`` / ``ascii`` mean windows-1252 (old council sites saved
cp1252 bytes such as 0x96 "–" under those labels); with no declaration, UTF-8 when the
bytes decode as UTF-8, else windows-1252.
"""

from __future__ import annotations

import codecs
import re

from bs4.element import NavigableString, PreformattedString, Tag

# WHATWG: these labels all decode as windows-1252.
WINDOWS_1252_LABELS = frozenset(
    {
        "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
        "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
        "latin-1", "us-ascii", "windows-1252", "x-cp1252",
    }
)  # fmt: skip
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""",
    re.I,
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Elements that start a new block of text; everything else flows inline.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption",
    }
)  # fmt: skip
NEVER_TEXT = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "select", "button"}
)


def declared_charset(data: bytes) -> str | None:
    """The charset a ``<meta>`` or XML declaration in the first 4 KB names, if any."""
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    return (m.group(1) or m.group(2)).decode("ascii").lower()


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's text and the encoding used to read it."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name
    label = declared_charset(data)
    if label in WINDOWS_1252_LABELS:
        return data.decode("cp1252", errors="replace"), "windows-1252"
    if label and label not in ("utf-8", "utf8"):
        try:
            return data.decode(codecs.lookup(label).name, errors="replace"), label
        except LookupError:
            pass  # an unknown label: sniff as if none were given
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Declared UTF-8 but is not: the bytes of these sites are then cp1252.
        return data.decode("cp1252", errors="replace"), "windows-1252"


def has_block_child(tag: Tag) -> bool:
    return tag.find(BLOCK_TAGS) is not None


def inline_text(tag: Tag, skip: frozenset[str] = frozenset({"table", "ul", "ol"})) -> str:
    """The text of ``tag`` as printed inline: ``<br>`` is a line break, ``<sup>`` joins
    ("31<sup>st</sup>" -> "31st"), elements named in ``skip`` are left out."""
    parts: list[str] = []
    _collect(tag, parts, skip)
    return "".join(parts)


def _collect(tag: Tag, parts: list[str], skip: frozenset[str]) -> None:
    for child in tag.children:
        if isinstance(child, PreformattedString):
            continue  # comments, doctype, processing instructions
        if isinstance(child, NavigableString):
            parts.append(str(child))
        elif isinstance(child, Tag):
            if child.name in skip or child.name in NEVER_TEXT:
                continue
            if child.name == "br":
                parts.append("\n")
                continue
            block = child.name in BLOCK_TAGS
            if block:
                parts.append("\n")
            _collect(child, parts, skip)
            if block:
                parts.append("\n")
