"""A page's pdfplumber objects (chars, rects, lines, curves, images), made as pdfplumber
makes them but in about a quarter of its time.

pdfplumber's ``Page.parse_objects`` turns each pdfminer layout object into a dict, passing
every attribute through ``resolve_all`` (a recursive walk that copies a tuple of floats
through a generator) and decoding each char's colour-space name glyph by glyph; over a
typical report that is as much CPU as pdfminer's own reading of the page.  Here the
attributes that hold plain values are taken as they are (``resolve_all`` returns them
unchanged), a tuple of plain values is kept (``resolve_all`` builds an equal tuple) and
each colour-space name is decoded once; a char, nearly every object on a page, is built
in one dict display from attributes read by name (``_char``).  The dicts are equal to
pdfplumber's, key for key and in the same order (checked on the samples by
``tests/test_parsers_pdf_objects.py``); any other pdfplumber release than the one checked
keeps its own ``parse_objects``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from unicodedata import normalize as normalize_unicode

import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTTextContainer
from pdfplumber.page import ALL_ATTRS, fix_fontname_bytes
from pdfplumber.utils import resolve_all, resolve_and_decode

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
    for obj in _layout_objects(page, page.layout._objs, at):
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


def _layout_objects(page: Any, layout: list[Any], at: _Place) -> Iterator[dict[str, Any]]:
    for obj in layout:
        if isinstance(obj, LTContainer):
            if page.pdf.laparams is not None:
                yield _object(obj, at)
            yield from _layout_objects(page, obj._objs, at)
        elif type(obj) is LTChar:
            yield _char(obj, at)
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


# A char's attributes, in the order pdfminer's ``LTChar`` (then pdfplumber's
# ``tag_cur_item``) sets them in the checked releases; ``_char`` reads them by name once
# the first char has shown exactly these, and otherwise leaves every char to ``_object``.
_CHAR_DICT = ("_text", "matrix", "fontname", "ncs", "graphicstate", "adv", "upright", "x0",
              "y0", "x1", "y1", "width", "height", "bbox", "size", "mcid", "tag")  # fmt: skip
_CHAR_LAYOUT: list[bool] = []  # [whether chars carry _CHAR_DICT], once known


def _char(obj: Any, at: _Place) -> dict[str, Any]:
    """``_object`` for a char, about twice as fast: chars are nearly every object on a
    page, and theirs are plain values but for the marked-content tag."""
    d = obj.__dict__
    if not _CHAR_LAYOUT:
        _CHAR_LAYOUT.append(tuple(d) == _CHAR_DICT)
    if not _CHAR_LAYOUT[0]:
        return _object(obj, at)
    tag = d["tag"]
    fontname = d["fontname"]
    y0, y1 = d["y0"], d["y1"]
    top = (at.height - y1) + at.mb_top
    text = d["_text"]
    gs = d["graphicstate"]
    x0, x1 = d["x0"], d["x1"]
    if at.mb_x0 != 0:
        x0, x1 = x0 + at.mb_x0, x1 + at.mb_x0
    return {
        "matrix": d["matrix"],
        "fontname": fix_fontname_bytes(fontname) if type(fontname) is bytes else fontname,
        "adv": d["adv"],
        "upright": d["upright"],
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "width": d["width"],
        "height": d["height"],
        "size": d["size"],
        "mcid": d["mcid"],
        "tag": tag if type(tag) in _PLAIN else resolve_all(tag),
        "object_type": "char",
        "page_number": at.number,
        "ncs": _colour_space(d["ncs"].name),
        "text": normalize_unicode(at.norm, text) if at.norm is not None else text,
        "stroking_color": gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,),
        "non_stroking_color": gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,),
        "top": top,
        "bottom": (at.height - y0) + at.mb_top,
        "doctop": at.doctop + top,
    }


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
