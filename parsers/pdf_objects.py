"""A page's pdfplumber objects (chars, rects, lines, curves, images), made as pdfplumber
makes them but in about a third of its time.

pdfplumber's ``Page.parse_objects`` turns each pdfminer layout object into a dict, passing
every attribute through ``resolve_all`` (a recursive walk that copies a tuple of floats
through a generator) and decoding each char's colour-space name glyph by glyph; over a
typical report that is as much CPU as pdfminer's own reading of the page.  Here the
attributes that hold plain values are taken as they are (``resolve_all`` returns them
unchanged), a tuple of plain values is kept (``resolve_all`` builds an equal tuple) and
each colour-space name is decoded once.  A char, nearly every object on a page, skips the
layout object altogether: ``_Reader``, pdfplumber's pdfminer device with its own
``render_char``, makes the char's dict as the page's content stream draws it.  The dicts
are equal to pdfplumber's, key for key and in the same order (checked on the samples by
``tests/test_parsers_pdf_objects.py``); any other pdfplumber release than the one checked
(which pins its pdfminer.six) keeps its own ``parse_objects``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from unicodedata import normalize as normalize_unicode

import pdfplumber
from pdfminer.layout import LTChar, LTComponent, LTContainer, LTCurve, LTTextContainer
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfplumber.page import ALL_ATTRS, PDFPageAggregatorWithMarkedContent, fix_fontname_bytes
from pdfplumber.utils import resolve_all, resolve_and_decode
from pdfplumber.utils.exceptions import PdfminerException

CHECKED = "0.11.11"  # the pdfplumber release these dicts were checked against
_PLAIN = frozenset((float, int, str, bool, type(None)))
_KINDS: dict[type, str] = {}
_COLOUR_SPACES: dict[str, Any] = {}


def read_objects(page: Any) -> None:
    """Fill ``page``'s object cache (what ``page.chars``, ``page.rects``… read) unless
    pdfplumber is another release than the one checked or the page has read it already."""
    if pdfplumber.__version__ == CHECKED and not hasattr(page, "_objects"):
        page._objects = parse_objects(page)


def parse_objects(page: Any) -> dict[str, list[dict[str, Any]]]:
    """The page's objects by kind, as pdfplumber's ``Page.parse_objects`` returns them."""
    objects: dict[str, list[dict[str, Any]]] = {}
    at = _Place(page)
    if page.pdf.laparams is None:
        reader = _Reader(page.pdf.rsrcmgr, at)
        try:
            PDFPageInterpreter(page.pdf.rsrcmgr, reader).process_page(page.page_obj)
        except Exception as exc:  # as pdfplumber's ``Page.layout`` reports it
            raise PdfminerException(exc) from exc
        layout, chars = reader.get_result(), reader.chars
    else:  # pdfminer's layout analysis groups the chars it made itself
        layout, chars = page.layout, []
    for obj in _layout_objects(page, layout._objs, at):
        if obj is _FIRST_CHAR:  # where pdfplumber first met a char, for the kinds' order
            objects["char"] = chars
            continue
        kind = obj["object_type"]
        if kind != "anno":
            objects.setdefault(kind, []).append(obj)
    return objects


class _Place:
    """The page's facts every object needs, read once (pdfplumber reads them per object)."""

    def __init__(self, page: Any) -> None:
        self.number = page.page_number
        self.height = page.height
        self.mb_x0, self.mb_top = page.mediabox[:2]
        self.doctop = page.initial_doctop
        self.norm = page.pdf.unicode_norm
        self.point = page.point2coord


def _layout_objects(page: Any, layout: list[Any], at: _Place) -> Iterator[Any]:
    for obj in layout:
        if isinstance(obj, LTContainer):
            if page.pdf.laparams is not None:
                yield _object(obj, at)
            yield from _layout_objects(page, obj._objs, at)
        elif obj is _FIRST_CHAR:
            yield obj
        else:
            yield _object(obj, at)


def _kind(cls: type) -> str:
    kind = _KINDS.get(cls)
    if kind is None:
        kind = _KINDS[cls] = re.sub(r"^LT", "", cls.__name__).lower()
    return kind


def _value(v: Any) -> Any:
    if type(v) is tuple and all(type(x) in _PLAIN for x in v):
        return v
    return resolve_all(v)


def _colour_space(name: Any) -> Any:
    if type(name) is not str:
        return resolve_and_decode(name)
    decoded = _COLOUR_SPACES.get(name)
    if decoded is None:
        decoded = _COLOUR_SPACES[name] = resolve_and_decode(name)
    return decoded


# put in the layout where ``_Reader`` made the page's first char
_FIRST_CHAR = LTComponent((0, 0, 0, 0))


class _Reader(PDFPageAggregatorWithMarkedContent):  # type: ignore[misc]
    """pdfplumber's device, but each char becomes its dict at once, in ``chars``.

    pdfminer makes an ``LTChar`` in a dozen calls (``render_char``, ``LTChar.__init__``
    through ``LTComponent``, ``apply_matrix_rect`` and four ``apply_matrix_pt``, then
    pdfplumber's ``tag_cur_item``) and pdfplumber reads it back into a dict: as much CPU
    as interpreting the page's content stream.  Here the same arithmetic, term for term,
    fills the dict ``_object`` would make of it.  A char of a vertical font (rare) still
    goes pdfminer's way and is turned into its dict at once, so ``chars`` keeps the
    order in which the page draws them."""

    def __init__(self, rsrcmgr: Any, at: _Place) -> None:
        super().__init__(rsrcmgr, pageno=at.number, laparams=None)
        self.at = at
        self.chars: list[dict[str, Any]] = []

    def render_char(  # noqa: PLR0913 - pdfminer's signature
        self,
        matrix: tuple[float, float, float, float, float, float],
        font: Any,
        fontsize: float,
        scaling: float,
        rise: float,
        cid: int,
        ncs: Any,
        graphicstate: Any,
    ) -> float:
        at = self.at
        if not self.chars:
            self.cur_item.add(_FIRST_CHAR)
        if font.is_vertical():
            adv: float = super().render_char(
                matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate
            )
            self.chars.append(_object(self.cur_item._objs.pop(), at))
            return adv
        try:  # pdfminer's render_char
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        adv = font.char_width(cid) * fontsize * scaling
        # LTChar: apply_matrix_rect of (0, bottom, adv, top), its four corners as written
        bottom = font.get_descent() * fontsize + rise
        top = bottom + fontsize
        a, b, c, d, e, f = matrix
        xs = (a * 0 + c * bottom + e, a * adv + c * bottom + e, a * adv + c * top + e,
              a * 0 + c * top + e)  # fmt: skip
        ys = (b * 0 + d * bottom + f, b * adv + d * bottom + f, b * adv + d * top + f,
              b * 0 + d * top + f)  # fmt: skip
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        height = y1 - y0
        fontname, tag = font.fontname, self.cur_tag
        y_top = (at.height - y1) + at.mb_top
        self.chars.append(
            {
                "matrix": matrix,
                "fontname": fix_fontname_bytes(fontname) if type(fontname) is bytes else fontname,
                "adv": adv,
                "upright": a * d * scaling > 0 and b * c <= 0,
                "x0": x0 + at.mb_x0 if at.mb_x0 != 0 else x0,
                "y0": y0,
                "x1": x1 + at.mb_x0 if at.mb_x0 != 0 else x1,
                "y1": y1,
                "width": x1 - x0,
                "height": height,
                "size": height,  # a horizontal font's size is its height on the page
                "mcid": self.cur_mcid,
                "tag": tag if type(tag) in _PLAIN else resolve_all(tag),
                "object_type": "char",
                "page_number": at.number,
                "ncs": _colour_space(ncs.name),
                "text": normalize_unicode(at.norm, text) if at.norm is not None else text,
                "stroking_color": graphicstate.scolor
                if isinstance(graphicstate.scolor, tuple)
                else (graphicstate.scolor,),
                "non_stroking_color": graphicstate.ncolor
                if isinstance(graphicstate.ncolor, tuple)
                else (graphicstate.ncolor,),
                "top": y_top,
                "bottom": (at.height - y0) + at.mb_top,
                "doctop": at.doctop + y_top,
            }
        )
        return adv


def _object(obj: Any, at: _Place) -> dict[str, Any]:
    """pdfplumber's ``Page.process_object``, step for step."""
    attr = {
        k: v if type(v) in _PLAIN else _value(v) for k, v in obj.__dict__.items() if k in ALL_ATTRS
    }
    attr["object_type"] = _kind(obj.__class__)
    attr["page_number"] = at.number
    for cs in ("ncs", "scs"):
        if hasattr(obj, cs):
            attr[cs] = _colour_space(getattr(obj, cs).name)
    if isinstance(obj, (LTChar, LTTextContainer)):
        text = obj.get_text()
        attr["text"] = normalize_unicode(at.norm, text) if at.norm is not None else text
    if isinstance(obj, LTChar):
        gs = obj.graphicstate
        attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
        attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
        if isinstance(attr["fontname"], bytes):
            attr["fontname"] = fix_fontname_bytes(attr["fontname"])
    elif isinstance(obj, LTCurve):
        attr["pts"] = list(map(at.point, attr["pts"]))
        path: Any = obj.original_path  # as pdfplumber: None fails here as it does there
        attr["path"] = [(cmd, *map(at.point, pts)) for cmd, *pts in path]
        attr["dash"] = obj.dashing_style
    if "y0" in attr:
        attr["top"] = (at.height - attr["y1"]) + at.mb_top
        attr["bottom"] = (at.height - attr["y0"]) + at.mb_top
        attr["doctop"] = at.doctop + attr["top"]
    if "x0" in attr and at.mb_x0 != 0:
        attr["x0"] = attr["x0"] + at.mb_x0
        attr["x1"] = attr["x1"] + at.mb_x0
    return attr
