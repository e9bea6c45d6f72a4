"""Text of WordprocessingML paragraphs, and what their styles and numbering make them.

Works on the raw ``w:p`` elements (lxml) rather than python-docx's proxies: it is several
times faster on long tables and sees what the proxies hide (content controls, symbols,
automatic list numbers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeAlias

from lxml import etree

from parsers.celltext import clean_text, strip_bullet

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_OFF = {"0", "false", "off", "none"}
# Containers that only wrap block content (content controls, custom XML, tracked moves).
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo"}
_DECIMAL = re.compile(r"-?[0-9]{1,9}")
MAX_LEVEL = 8  # list levels 0-8: Word has nine
_HEADING_NAME = re.compile(r"(?i)^heading\s*(\d)$")
_TEXT_TAGS = (W + "t", W + "tab", W + "br", W + "cr", W + "sym", W + "noBreakHyphen", W + "ptab")

Element: TypeAlias = etree._Element


def number(raw: str | None, default: int, low: int = 0, high: int = 32767) -> int:
    """A decimal attribute, clamped to what Word allows; ``default`` when it is not one
    (a damaged or fuzzed file says ``w:val="x1"``: the value is ignored, the text kept)."""
    text = (raw or "").strip()
    if not _DECIMAL.fullmatch(text):
        return default
    return min(max(int(text), low), high)


def on(el: Element | None) -> bool:
    """A WordprocessingML toggle (``<w:b/>``, ``<w:b w:val="0"/>``) is set."""
    return el is not None and (el.get(W + "val") or "1").lower() not in _OFF


def block_children(parent: Element) -> Iterator[Element]:
    """``w:p`` and ``w:tbl`` children in order, looking through content controls."""
    for child in parent:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from block_children(child)


@dataclass(frozen=True)
class StyleInfo:
    name: str = ""
    outline: int | None = None  # 0-based outline level
    num_id: str | None = None  # list numbering the style applies
    bold: bool = False
    first_row_bold: bool = False  # table styles: the header-row formatting is bold


@dataclass
class StyleSheet:
    """Paragraph and character styles by id, with ``basedOn`` resolved."""

    styles: dict[str, StyleInfo] = field(default_factory=dict)

    @classmethod
    def from_element(cls, root: Element | None) -> StyleSheet:
        raw: dict[str, tuple[Element, str | None]] = {}
        if root is not None:
            for style in root.iter(W + "style"):
                based = style.find(W + "basedOn")
                raw[style.get(W + "styleId") or ""] = (
                    style,
                    based.get(W + "val") if based is not None else None,
                )
        sheet = cls()
        for sid in raw:
            sheet.styles[sid] = _resolve(sid, raw, 0)
        return sheet

    def get(self, style_id: str | None) -> StyleInfo:
        return self.styles.get(style_id or "", StyleInfo())


def _resolve(sid: str, raw: dict[str, tuple[Element, str | None]], depth: int) -> StyleInfo:
    style, based = raw[sid]
    parent = _resolve(based, raw, depth + 1) if based in raw and depth < 20 else StyleInfo()
    name_el = style.find(W + "name")
    outline = style.find(f"{W}pPr/{W}outlineLvl")
    num = style.find(f"{W}pPr/{W}numPr/{W}numId")
    bold = style.find(f"{W}rPr/{W}b")
    return StyleInfo(
        name=name_el.get(W + "val") or "" if name_el is not None else "",
        outline=parent.outline if outline is None else number(outline.get(W + "val"), 9, high=9),
        num_id=(num.get(W + "val") or None) if num is not None else parent.num_id,
        bold=on(bold) if bold is not None else parent.bold,
        first_row_bold=_first_row_bold(style, parent.first_row_bold),
    )


def _first_row_bold(style: Element, inherited: bool) -> bool:
    for conditional in style.iter(W + "tblStylePr"):
        if conditional.get(W + "type") == "firstRow":
            bold = conditional.find(f"{W}rPr/{W}b")
            if bold is not None:
                return on(bold)
    return inherited


@dataclass
class Numbering:
    """Automatic list numbers: which lists are bullets and the next number of each."""

    formats: dict[tuple[str, int], tuple[str, str, int]] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def from_element(cls, root: Element | None) -> Numbering:
        out = cls()
        if root is None:
            return out
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.iter(W + "abstractNum"):
            levels = abstract.setdefault(an.get(W + "abstractNumId") or "", {})
            for lvl in an.iter(W + "lvl"):
                fmt, text, start = (lvl.find(W + tag) for tag in ("numFmt", "lvlText", "start"))
                levels[number(lvl.get(W + "ilvl"), 0, high=MAX_LEVEL)] = (
                    fmt.get(W + "val") or "decimal" if fmt is not None else "decimal",
                    text.get(W + "val") or "" if text is not None else "",
                    number(start.get(W + "val"), 1) if start is not None else 1,
                )
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            levels = abstract.get(ref.get(W + "val") or "" if ref is not None else "", {})
            for ilvl, spec in levels.items():
                out.formats[(num.get(W + "numId") or "", ilvl)] = spec
        return out

    def label(self, num_id: str, ilvl: int) -> tuple[str, bool]:
        """The printed number ("3.", "b)") of the next item, and whether it is a bullet."""
        fmt, text, start = self.formats.get((num_id, ilvl), ("bullet", "", 1))
        if fmt in ("bullet", "none"):
            return "", fmt == "bullet"
        counts = self.counters.setdefault(num_id, [])
        while len(counts) <= ilvl:
            counts.append(0)
        counts[ilvl] += 1
        del counts[ilvl + 1 :]
        out = text
        for level, count in enumerate(counts):
            lfmt, _, lstart = self.formats.get((num_id, level), ("decimal", "", 1))
            out = out.replace(f"%{level + 1}", format_number(count + lstart - 1, lfmt))
        return out, False


def format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * (1 + (n - 1) // 26)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s.lower() if fmt == "lowerRoman" else s
    return str(n)


_ROMAN: tuple[tuple[int, str], ...] = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def run_text(p: Element) -> str:
    """The printed characters of a paragraph: runs concatenated as Word shows them
    (so "31" + superscript "st" is "31st"), tabs and line breaks as spaces, deleted and
    hidden text and field instructions left out."""
    parts: list[str] = []
    for el in p.iter(*_TEXT_TAGS):
        tag = el.tag
        if tag == W + "t":
            run = el.getparent()
            if run is not None and on(run.find(f"{W}rPr/{W}vanish")):
                continue
            if _in_fallback(el, p):
                continue
            parts.append(t_text(el))
        elif tag == W + "sym":
            code = el.get(W + "char") or ""
            value = int(code, 16) if re.fullmatch(r"[0-9A-Fa-f]{1,6}", code) else 0
            parts.append(chr(value) if 0 < value <= 0x10FFFF else "")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        else:
            parts.append(" ")
    return "".join(parts)


def t_text(t: Element) -> str:
    """A ``w:t``'s characters. An entity reference lxml leaves unresolved (it never
    expands one) is a child node: it is dropped, the text after it (its tail) kept."""
    return (t.text or "") + "".join(child.tail or "" for child in t)


def _in_fallback(el: Element, stop: Element) -> bool:
    """Inside ``mc:Fallback`` (a copy of the ``mc:Choice`` content for old readers)."""
    node = el.getparent()
    while node is not None and node is not stop:
        if node.tag == MC_FALLBACK:
            return True
        node = node.getparent()
    return False


@dataclass(frozen=True)
class Para:
    """One paragraph as the body walker and the cell reader need it."""

    text: str
    kind: str  # heading | paragraph | list_item
    level: int | None = None
    bold: bool = False  # every run with text is bold


def read_paragraph(
    p: Element, styles: StyleSheet, numbering: Numbering, with_bold: bool = True
) -> Para:
    """The paragraph's text and kind; ``bold`` is only worked out when ``with_bold``."""
    ppr = p.find(W + "pPr")
    style_el = ppr.find(W + "pStyle") if ppr is not None else None
    style = styles.get(style_el.get(W + "val") if style_el is not None else None)
    text = clean_text(run_text(p))
    level = heading_level(ppr, style)
    if level is not None:
        return Para(text, "heading", level, with_bold and is_bold(p, style, styles))
    label, listed = list_label(ppr, style, numbering)
    text, glyph = strip_bullet(text)
    listed = listed or glyph or style.name.lower().startswith("list")
    if label and text:
        text = f"{label} {text}"
    bold = with_bold and is_bold(p, style, styles)
    return Para(text, "list_item" if listed else "paragraph", None, bold)


def heading_level(ppr: Element | None, style: StyleInfo) -> int | None:
    m = _HEADING_NAME.match(style.name)
    if m:
        return int(m.group(1))
    if style.name.lower() == "title":
        return 1
    outline = ppr.find(W + "outlineLvl") if ppr is not None else None
    value = number(outline.get(W + "val"), 9, high=9) if outline is not None else style.outline
    return value + 1 if value is not None and value < 9 else None


def list_label(ppr: Element | None, style: StyleInfo, numbering: Numbering) -> tuple[str, bool]:
    """(printed number, is list item) from direct or style numbering."""
    num = ppr.find(W + "numPr") if ppr is not None else None
    if num is not None:
        num_id_el, ilvl_el = num.find(W + "numId"), num.find(W + "ilvl")
        num_id = num_id_el.get(W + "val") or "" if num_id_el is not None else ""
        if num_id in ("", "0"):
            return "", False
        ilvl = number(ilvl_el.get(W + "val"), 0, high=MAX_LEVEL) if ilvl_el is not None else 0
        label, _bullet = numbering.label(num_id, ilvl)
        return label, True
    if style.num_id and style.num_id != "0":
        return numbering.label(style.num_id, 0)[0], True
    return "", False


def is_bold(p: Element, style: StyleInfo, styles: StyleSheet) -> bool:
    """Every run that prints text is bold (directly, by character style or by paragraph style)."""
    seen = False
    for run in p.iter(W + "r"):
        if not "".join(t_text(t) for t in run.iter(W + "t")).strip():
            continue
        seen = True
        rpr = run.find(W + "rPr")
        b = rpr.find(W + "b") if rpr is not None else None
        if b is not None:
            if not on(b):
                return False
            continue
        rstyle = rpr.find(W + "rStyle") if rpr is not None else None
        if not (style.bold or (rstyle is not None and styles.get(rstyle.get(W + "val")).bold)):
            return False
    return seen
