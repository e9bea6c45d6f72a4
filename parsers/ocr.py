"""Scanned PDF pages read by OCR: rendered (pypdfium2), straightened, read by Tesseract.

The result is what ``parsers.pdf`` reads from a born-digital page — ``Word`` objects in
PDF points and the cell boxes of ruled tables (``parsers.ocr_lines``) — plus Tesseract's
confidence in each word (``parsers.ocr_tesseract``), so the same table finder runs on
both and every cell of a scanned table can say how sure the OCR was of its text.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageFilter

from parsers.celltext import clean_text
from parsers.model import BBox
from parsers.ocr_lines import binarise, ruling
from parsers.ocr_tesseract import SURE, Read, read_words, reread_cells
from parsers.pdf_words import Word

DPI = 200  # enough for 8 pt print; 300 reads no better here and takes twice as long
_MAX_SKEW = 2.0  # degrees a page may be turned on the scanner glass
# parts of the font size above and below the baseline, for a line's words (Helvetica's)
_CAP, _X_HEIGHT, _DESCENT = 0.72, 0.52, 0.21
_TALL = set("bdfhiklt0123456789()[]{}/\\|!?'\"#$%&@£€") | set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LOW = set("gjpqy()[]{}|")
_BOLD_STROKE = 1.25  # a word with strokes this much thicker than the page's usual is bold
_BOLD_IN_LINE = 1.1  # ... or this much, in a line that is as a whole


@dataclass(frozen=True)
class OcrPage:
    """What OCR read on one page, in PDF points from the page's top left."""

    words: list[Word]
    confidences: list[float]  # Tesseract's, 0..1, one per word
    ruled: list[list[BBox]]  # cell boxes of each table drawn with lines
    skew: float  # degrees the page was turned back by


def render(pdf: Any, index: int) -> Image.Image:
    """Page ``index`` (0-based) of a pypdfium2 document as a grey image at ``DPI``."""
    page = pdf[index]
    try:
        bitmap = page.render(scale=DPI / 72, grayscale=True)
        return bitmap.to_pil().convert("L")
    finally:
        page.close()


def read_page(image: Image.Image, deadline: float, name: str) -> OcrPage:
    """The words and ruled tables of a page image; raises ResourceLimitError when
    Tesseract runs past ``deadline`` (``time.monotonic``) and MissingToolError when it is
    not installed."""
    angle = skew_angle(image)
    if angle:
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    grey = np.asarray(image)
    ink = binarise(grey)
    scale = 72 / DPI
    rules, ruled = ruling(grey, scale)
    # specks of dust and scanner noise become letters ("2" read as "25"); a 3x3 median
    # clears them and leaves letters' strokes as they were (not a hairline rule's, so
    # the rules are found before)
    clean = Image.fromarray(np.where(rules, 255, grey).astype(np.uint8))
    clean = clean.filter(ImageFilter.MedianFilter(3))
    reads = read_words(clean, deadline, name)
    cells = [_pixels(box, scale) for table in ruled for box in table]
    reads = reread_cells(clean, reads, cells, deadline, name)
    words, confidences = _words(reads, ink & ~rules, scale)
    return OcrPage(words, confidences, ruled, angle)


def _pixels(box: BBox, scale: float) -> BBox:
    return (box[0] / scale, box[1] / scale, box[2] / scale, box[3] / scale)


def skew_angle(image: Image.Image) -> float:
    """The turn (degrees, counter-clockwise) that makes the printed lines level: the one
    giving the sharpest profile of ink per row, sought in steps of 0.2 degrees on a
    quarter-size copy, then of 0.05 around the best on a half-size one."""
    best = 0.0
    for factor, span, step in ((4, _MAX_SKEW, 0.2), (2, 0.2, 0.05)):
        small = image.reduce(factor)
        steps = round(span / step)
        turns = [best + k * step for k in range(-steps, steps + 1)]
        best = max(turns, key=lambda turn: _sharpness(small, turn))
    return round(best, 2)


def _sharpness(image: Image.Image, turn: float) -> float:
    turned = image.rotate(turn, resample=Image.Resampling.NEAREST, fillcolor=255)
    rows = (np.asarray(turned) < 128).sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(rows)).sum())


def _words(reads: Sequence[Read], ink: np.ndarray, scale: float) -> tuple[list[Word], list[float]]:
    """Tesseract's words as ``Word`` objects in points, with their confidences.  Every
    word of a printed line gets the line's top, bottom and font size (as a PDF's words
    do), worked out from the line's ink height and which letters it has."""
    lines: dict[tuple[int, int, int], list[Read]] = {}
    for r in reads:
        if not _speck(r):
            lines.setdefault(r.line, []).append(r)
    metrics = {key: _line_metrics(line) for key, line in lines.items()}
    counts = {id(r): _ink_runs(ink, r) for line in lines.values() for r in line}
    strokes = {k: ink_ / max(runs, 1) for k, (ink_, runs) in counts.items()}
    # the page's usual stroke and size, from words long enough to measure well
    measured = [strokes[id(r)] for line in lines.values() for r in line if len(r.text) >= 3]
    usual = statistics.median(measured) if measured else 0.0
    usual_size = statistics.median(m[2] for m in metrics.values()) if metrics else 1.0
    words: list[Word] = []
    confidences: list[float] = []
    for key, line in lines.items():
        top, bottom, size = metrics[key]
        # strokes thicken more slowly than the type grows (the scan's blur adds the same
        # to every stroke), so a larger word is held to a little more
        bigger = max(1.0, size / usual_size) ** 0.5
        # the whole line's strokes, pooled: a bold row reads bold even where one short
        # word of it measures thin
        ink_, runs = map(sum, zip(*(counts[id(r)] for r in line), strict=True))
        bold_line = usual > 0 and ink_ / max(runs, 1) > _BOLD_STROKE * usual * bigger
        for r in sorted(line, key=lambda r: r.left):
            text = clean_text(r.text)
            if text:
                thick = strokes[id(r)] / max(usual * bigger, 1e-9)
                bold = thick > _BOLD_STROKE or (bold_line and thick > _BOLD_IN_LINE)
                words.append(
                    Word(text, r.left * scale, r.right * scale, top * scale, bottom * scale,
                         bold, round(size * scale, 1))
                )  # fmt: skip
                confidences.append(r.confidence)
    return words, confidences


def _speck(r: Read) -> bool:
    """A mark read as a word: dirt, or what is left of a rule ("_", ":", "|")."""
    alone = not any(c.isalnum() for c in r.text)
    return alone and (r.confidence < SURE or set(r.text) <= set("_|"))


def _line_metrics(line: Sequence[Read]) -> tuple[float, float, float]:
    """Top, bottom and font size (pixels) of a line of words, as a PDF gives them.  Each
    word's ink spans the cap or x-height above its baseline and the descent below when its
    letters reach there, so its size follows from its ink height and its letters; the
    line takes the median, so a stray mark read as a word does not stretch it."""
    sizes: list[float] = []
    baselines: list[float] = []
    for r in line:
        if not any(c.isalnum() for c in r.text):
            continue
        up = _CAP if any(c in _TALL for c in r.text) else _X_HEIGHT
        down = _DESCENT if any(c in _LOW for c in r.text) else 0.0
        size = max(r.bottom - r.top, 1) / (up + down)
        sizes.append(size)
        baselines.append(r.bottom - down * size)
    if not sizes:
        ink_top, ink_bottom = min(r.top for r in line), max(r.bottom for r in line)
        return float(ink_top), float(ink_bottom), float(max(ink_bottom - ink_top, 1))
    size = statistics.median(sizes)
    bottom = statistics.median(baselines) + _DESCENT * size
    return bottom - size, bottom, size


def _ink_runs(ink: np.ndarray, r: Read) -> tuple[int, int]:
    """A word's ink pixels and its horizontal runs of ink: ink per run is how thick its
    strokes are (bold type crosses a row in as many runs as plain type, each longer)."""
    part = ink[r.top : r.bottom, r.left : r.right]
    if part.size == 0:
        return 0, 0
    runs = int(part[:, 0].sum()) + int((part[:, 1:] & ~part[:, :-1]).sum())
    return int(part.sum()), runs
