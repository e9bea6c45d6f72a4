"""Which pages of a PDF are read by OCR, and how sure the OCR was of each table cell.

``--ocr auto`` reads a page by OCR when its text layer is missing or thin (fewer than
``_THIN_WORDS`` words) and a picture covers much of it: a scan, perhaps with a stamped
page number.  A page with no text and no picture (only drawn shapes) has nothing to read.
``always`` reads every page by OCR, ignoring any text layer (a scanner's own poor OCR);
``never`` keeps to the text layer.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from parsers.errors import MissingToolError
from parsers.ocr import OcrPage, read_page, render
from parsers.ocr_tesseract import missing_engine
from parsers.options import ParseOptions
from parsers.pdf_grid import PageTable
from parsers.pdf_words import Word

_THIN_WORDS = 10
_PICTURE_SHARE = 0.3  # of the page's area
_FIELDS = 5  # x0, top, x1, bottom, confidence of each OCR'd word


class ScanReader:
    """Reads the pages of one PDF that need OCR; says afterwards what it did."""

    def __init__(self, path: Path, options: ParseOptions) -> None:
        self.path = path
        self.mode = options.ocr
        self.deadline = time.monotonic() + options.time_limit
        self.read: list[int] = []  # pages read by OCR
        self.unread: list[int] = []  # pages that needed OCR but had none
        self.confidences: list[float] = []
        self._pdf: Any = None
        self._missing: str | None = None

    def __enter__(self) -> ScanReader:
        return self

    def __exit__(self, *_: object) -> None:
        if self._pdf is not None:
            self._pdf.close()

    def wants(self, page: Any, words: Sequence[Word]) -> bool:
        """Whether the page is to be read by OCR (a scan under ``never`` is noted)."""
        if self.mode == "always":
            return True
        scanned = len(words) < _THIN_WORDS and _picture_share(page) >= _PICTURE_SHARE
        if scanned and self.mode == "never":
            self.unread.append(page.page_number)
        return scanned and self.mode == "auto"

    def scan(self, page: Any) -> OcrPage | None:
        """The page read by OCR, or None when OCR is not installed (noted)."""
        if self._missing is None:
            self._missing = missing_engine() or ""
        if self._missing:
            self.unread.append(page.page_number)
            return None
        if self._pdf is None:
            import pypdfium2

            self._pdf = pypdfium2.PdfDocument(self.path)
        image = render(self._pdf, page.page_number - 1)
        found = read_page(image, self.deadline, self.path.name)
        self.read.append(page.page_number)
        self.confidences.extend(found.confidences)
        return found

    def warnings(self, n_pages: int, any_text: bool) -> tuple[str, ...]:
        """What to tell about the OCR; raises MissingToolError when nothing could be read
        because the OCR engine is not installed."""
        name = self.path.name
        if self.unread and not any_text and self._missing:
            raise MissingToolError(f"{name}: scanned pages {self._missing}")
        out = []
        if self.read:
            mean = sum(self.confidences) / max(len(self.confidences), 1)
            out.append(
                f"{name}: {_pages(self.read, n_pages)} read by OCR (Tesseract), "
                f"mean word confidence {mean:.2f}"
            )
        if self.unread and self._missing:
            out.append(f"{name}: {_pages(self.unread, n_pages)} not read: {self._missing}")
        elif self.unread:
            out.append(f"{name}: {_pages(self.unread, n_pages)} scanned, not read (--ocr never)")
        return tuple(out)


def _pages(numbers: Sequence[int], n_pages: int) -> str:
    if len(numbers) == n_pages and n_pages > 1:
        return "all pages"
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    return "pages " + ", ".join(map(str, numbers))


def _picture_share(page: Any) -> float:
    area = float(page.width) * float(page.height)
    covered = 0.0
    for im in page.images:
        w = min(float(im["x1"]), float(page.width)) - max(float(im["x0"]), 0.0)
        h = min(float(im["bottom"]), float(page.height)) - max(float(im["top"]), 0.0)
        covered += max(w, 0.0) * max(h, 0.0)
    return covered / area if area else 0.0


def pack_confidences(found: OcrPage) -> array[float]:
    """Each OCR'd word's box and confidence, flat, to be matched to cells later."""
    return array(
        "d",
        [v for w, c in zip(found.words, found.confidences, strict=True)
         for v in (w.x0, w.top, w.x1, w.bottom, c)],
    )  # fmt: skip


def rate_cells(tables: Sequence[PageTable], packed: array[float] | None) -> None:
    """Give each OCR'd cell the mean confidence of the words read inside it."""
    if packed is None:
        return
    words = [tuple(packed[k : k + _FIELDS]) for k in range(0, len(packed), _FIELDS)]
    for t in tables:
        for row in t.rows:
            for cell in row:
                if cell.bbox is None or cell.covered:
                    continue
                x0, top, x1, bottom = cell.bbox
                inside = [
                    w[4]
                    for w in words
                    if x0 <= (w[0] + w[2]) / 2 <= x1 and top <= (w[1] + w[3]) / 2 <= bottom
                ]
                cell.confidence = round(sum(inside) / len(inside), 3) if inside else None
