"""A page printed turned a quarter (a landscape table set on a portrait page, or a page
whose /Rotate makes its text run up or down the screen), turned back so that its text is
upright and every table rule reads as it would on a landscape page.

pdfplumber gives such a page's characters ``upright: False``; its words, rows and columns
would then be read across the text instead of along it.  ``upright_page`` returns a
pdfplumber page whose objects (characters, rectangles, lines, curves) are rotated a quarter
back — a ``DerivedPage``, as pdfplumber's own ``crop`` and ``filter`` make — so the rest of
the reader needs nothing new.
"""

from __future__ import annotations

from typing import Any

from pdfplumber.page import DerivedPage, Page

# a page is read turned when this share of its characters or more are turned one way
_TURNED_SHARE = 0.8


def upright_page(page: Page) -> Page:
    """``page`` itself, or the page turned back when most of its text is turned."""
    chars = page.chars
    if not chars:
        return page
    turned = [c for c in chars if not c.get("upright", True)]
    if len(turned) < _TURNED_SHARE * len(chars):
        return page
    clockwise = sum(_clockwise(c) for c in turned)
    if clockwise >= _TURNED_SHARE * len(turned):
        return TurnedPage(page, clockwise=True)
    if len(turned) - clockwise >= _TURNED_SHARE * len(turned):
        return TurnedPage(page, clockwise=False)
    return page


def _clockwise(char: dict[str, Any]) -> bool:
    matrix = char.get("matrix") or (1, 0, 0, 1, 0, 0)
    return float(matrix[1]) < 0


class TurnedPage(DerivedPage):
    """``parent`` with its content rotated a quarter back: text printed running down the
    page (turned clockwise) is turned anticlockwise, and the other way round."""

    def __init__(self, parent: Page, clockwise: bool) -> None:
        x0, top, x1, bottom = parent.bbox
        self._origin = (float(x0), float(top))
        self._size = (float(x1 - x0), float(bottom - top))
        self._clockwise = clockwise
        self.bbox = (0, 0, self._size[1], self._size[0])
        super().__init__(parent)

    @property
    def objects(self) -> dict[str, list[dict[str, Any]]]:
        if hasattr(self, "_objects"):
            return self._objects
        self._objects: dict[str, list[dict[str, Any]]] = {
            kind: [self._turn(o) for o in objs] for kind, objs in self.parent_page.objects.items()
        }
        return self._objects

    def _point(self, x: float, top: float) -> tuple[float, float]:
        w, h = self._size
        x, top = x - self._origin[0], top - self._origin[1]
        return (top, w - x) if self._clockwise else (h - top, x)

    def _turn(self, obj: dict[str, Any]) -> dict[str, Any]:
        a = self._point(float(obj["x0"]), float(obj["top"]))
        b = self._point(float(obj["x1"]), float(obj["bottom"]))
        x0, x1 = sorted((a[0], b[0]))
        top, bottom = sorted((a[1], b[1]))
        height = float(self.bbox[3])
        out = dict(obj)
        out.update(
            x0=x0,
            x1=x1,
            top=top,
            bottom=bottom,
            y0=height - bottom,
            y1=height - top,
            doctop=float(self.initial_doctop) + top,
            width=x1 - x0,
            height=bottom - top,
        )
        if "pts" in obj:
            out["pts"] = [self._point(float(px), float(py)) for px, py in obj["pts"]]
        if obj.get("object_type") == "char":
            size = float(obj.get("size") or (x1 - x0))
            out.update(upright=True, matrix=(size, 0.0, 0.0, size, x0, height - bottom))
        return out
