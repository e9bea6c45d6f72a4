"""The page objects and deduplicated chars papertrail reads faster are pdfplumber's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from parsers.pdf_chars import dedupe_chars, overprinted
from parsers.pdf_objects import CHECKED, parse_objects, read_objects

SAMPLE = (
    Path(__file__).resolve().parents[1] / "samples/tb-20101124-discharge-planning-action-plan.pdf"
)


def _drawn(path: Path) -> Path:
    """A page with every kind of object: plain, bold, overprinted, turned and vertical
    (a CID font written top to bottom) text, a filled rectangle, ruling lines and a curve."""
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3", isVertical=True))
    c = Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(72, 760, "Plain text 12,345")
    c.setFont("Helvetica-Bold", 10)
    c.drawString(72, 740, "Bold heading")
    c.drawString(72.3, 740, "Bold heading")  # overprinted to look bolder
    c.saveState()
    c.translate(300, 600)
    c.rotate(90)
    c.drawString(0, 0, "Turned title")
    c.restoreState()
    c.setFont("HeiseiMin-W3", 12)
    c.drawString(450, 700, "縦書き 12")
    c.setFont("Helvetica", 10)
    c.drawString(72, 700, "After the vertical text")
    c.setFillColorRGB(0.9, 0.8, 0.2)
    c.rect(72, 500, 200, 40, fill=1, stroke=1)
    c.line(72, 480, 400, 480)
    c.bezier(72, 400, 150, 450, 250, 350, 400, 420)
    c.save()
    return path


def _items(objects: dict[str, list[dict[str, Any]]]) -> dict[str, list[list[tuple[str, Any]]]]:
    return {kind: [list(o.items()) for o in objs] for kind, objs in objects.items()}


def test_parse_objects_equal_pdfplumbers_key_for_key(tmp_path: Path) -> None:
    for path in (SAMPLE, _drawn(tmp_path / "drawn.pdf")):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                ours = parse_objects(page)
                theirs = page.parse_objects()
                assert list(ours) == list(theirs)
                assert _items(ours) == _items(theirs)


def test_read_objects_fills_the_pages_cache(tmp_path: Path) -> None:
    with pdfplumber.open(_drawn(tmp_path / "drawn.pdf")) as pdf:
        page = pdf.pages[0]
        read_objects(page)
        assert hasattr(page, "_objects") == (pdfplumber.__version__ == CHECKED)
        assert {"char", "rect", "line", "curve"} <= set(page.objects)


def test_dedupe_chars_keeps_what_pdfplumber_keeps_in_its_order(tmp_path: Path) -> None:
    with pdfplumber.open(_drawn(tmp_path / "drawn.pdf")) as pdf:
        page = pdf.pages[0]
        assert overprinted(page.chars)
        ours, theirs = dedupe_chars(page).chars, page.dedupe_chars().chars
        assert [id(c) for c in ours] == [id(c) for c in theirs]
        assert len(ours) < len(page.chars)
