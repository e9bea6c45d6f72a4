"""Tesseract, through pytesseract: the words it reads on a page image, with their boxes
and confidences, and a second look at the table cells it was unsure of.

Tesseract (through pytesseract) was chosen over RapidOCR on scanned copies of the sample
papers: word accuracy 0.93 against 0.48 (RapidOCR's models run English words together),
at a fifth of the time (README, "Scanned papers").
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from parsers.errors import MissingToolError, ResourceLimitError
from parsers.model import BBox

INSTALL_HINT = (
    "install Tesseract (Debian/Ubuntu: apt-get install tesseract-ocr; "
    "macOS: brew install tesseract) and ingest it again"
)
# Tesseract's OpenMP threads only fight each other and the other workers on a small
# machine: one thread reads a page 5x faster here (1.6 s against 8 s)
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
SURE = 0.8  # a cell read with less confidence is read again on its own
_REREAD_WORDS = 3  # only short cells (a reference, a date) are worth a second call
_PAD = 6  # pixels around a cell's words, cropped to read them again
_INSET = 4  # pixels inside a cell's rules, cropped to read an empty-looking cell again
_SOME_PRINT = 40  # dark pixels in a cell with no word read: a lone figure, not a speck
_MARGIN = 24  # pixels of white put around such a crop: Tesseract wants some


@dataclass(frozen=True, slots=True)
class Read:
    """One word as Tesseract read it, in pixels of the page image."""

    line: tuple[int, int, int]  # block, paragraph and line number: the words of a line
    text: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float  # 0..1


def missing_engine() -> str | None:
    """Why OCR cannot run here (what to install), or None when it can."""
    try:
        import pytesseract

        pytesseract.get_tesseract_version()
    except ImportError:
        return "need the pytesseract package (pip install pytesseract); " + INSTALL_HINT
    except Exception:  # noqa: BLE001 - pytesseract's TesseractNotFoundError and kin
        return "need OCR: " + INSTALL_HINT
    return None


def read_words(
    image: Image.Image, deadline: float, name: str, psm: int = 3, block: int = 0
) -> list[Read]:
    """Every word Tesseract reads in ``image`` (``psm``: its page segmentation mode);
    ``block`` is added to its block numbers, to keep a second reading's lines apart."""
    import pytesseract

    # pytesseract hands the image over in a file of the image's own format, PNG when it
    # has none: compressing a page to PNG took 0.2 s; an uncompressed BMP takes nothing
    image.format = "BMP"
    left = deadline - time.monotonic()
    try:
        data: dict[str, list[Any]] = pytesseract.image_to_data(
            image,
            lang="eng",
            config=f"--psm {psm}",
            output_type=pytesseract.Output.DICT,
            timeout=max(left, 1.0),
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise MissingToolError(f"{name}: scanned pages {missing_engine()}") from exc
    except RuntimeError as exc:  # pytesseract's "Tesseract process timeout"
        if "timeout" not in str(exc).lower():
            raise
        raise ResourceLimitError(
            f"{name}: OCR still running at the time limit; stopped (see --timeout)"
        ) from exc
    out = []
    for i, level in enumerate(data["level"]):
        text = str(data["text"][i]).strip()
        confidence = float(data["conf"][i]) / 100
        if level != 5 or not text or confidence < 0:
            continue
        x, y = int(data["left"][i]), int(data["top"][i])
        key = (int(data["block_num"][i]) + block, int(data["par_num"][i]), int(data["line_num"][i]))
        out.append(
            Read(key, text, x, y, x + int(data["width"][i]), y + int(data["height"][i]),
                 round(confidence, 3))
        )  # fmt: skip
    return out


def reread_cells(
    image: Image.Image, reads: list[Read], cells: Sequence[BBox], deadline: float, name: str
) -> list[Read]:
    """``reads`` with each short table cell Tesseract was unsure of, or found no word in
    though it holds print, read again on its own where that reading is sure.  Read as
    part of the whole page, a reference squeezed between two rules ("2.1") often comes
    out as something else ("21"), and a lone figure ("3") as nothing; read alone, as one
    line at twice the size, it mostly does not."""
    out = list(reads)
    for k, box in enumerate(cells):
        inside = [r for r in out if _centre_in(r, box)]
        where = _second_look(image, inside, box)
        if where is None:
            continue
        x0, top = where[0], where[1]
        crop = image.crop(where)
        crop = crop.resize((crop.width * 2, crop.height * 2), Image.Resampling.LANCZOS)
        again = read_words(ImageOps.expand(crop, _MARGIN, 255), deadline, name, 7, k + 10_000)
        # kept only when it is sure: a second reading that is merely less unsure is as
        # often wrong the other way
        if again and min(r.confidence for r in again) >= SURE:
            line = inside[0].line if inside else again[0].line
            out = [r for r in out if r not in inside]
            out += [_placed(r, x0, top, line) for r in again]
    return out


def _second_look(
    image: Image.Image, inside: Sequence[Read], box: BBox
) -> tuple[int, int, int, int] | None:
    """Where to read a cell again (pixels), or None when its first reading stands: the
    box round its words when they are few, on one line and unsure; the cell inside its
    rules when no word was read in it but it holds some print."""
    if not inside:
        x0, top = int(box[0]) + _INSET, int(box[1]) + _INSET
        x1, bottom = int(box[2]) - _INSET, int(box[3]) - _INSET
        if x1 - x0 < 4 or bottom - top < 4:
            return None
        dark = int((np.asarray(image.crop((x0, top, x1, bottom))) < 128).sum())
        return (x0, top, x1, bottom) if dark >= _SOME_PRINT else None
    if len(inside) > _REREAD_WORDS or len({r.line for r in inside}) > 1:
        return None
    if min(r.confidence for r in inside) >= SURE:
        return None
    x0, top = min(r.left for r in inside) - _PAD, min(r.top for r in inside) - _PAD
    x1, bottom = max(r.right for r in inside) + _PAD, max(r.bottom for r in inside) + _PAD
    return x0, top, x1, bottom


def _centre_in(r: Read, box: BBox) -> bool:
    x, y = (r.left + r.right) / 2, (r.top + r.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _placed(r: Read, x0: int, top: int, line: tuple[int, int, int]) -> Read:
    """A word read in a crop (at twice the size, with a margin) put back on the page,
    in the line of the words it replaces."""

    def x(v: int) -> int:
        return x0 + (v - _MARGIN) // 2

    def y(v: int) -> int:
        return top + (v - _MARGIN) // 2

    return Read(line, r.text, x(r.left), y(r.top), x(r.right), y(r.bottom), r.confidence)
