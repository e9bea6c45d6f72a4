"""What a caller may choose about how a file is parsed, passed to every format's parser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# auto: OCR the pages with no (or only a thin) text layer; always: OCR every page and
# ignore any text layer (a scanner's own bad OCR); never: read the text layer only
OcrMode = Literal["auto", "always", "never"]
OCR_MODES: tuple[OcrMode, ...] = ("auto", "always", "never")


@dataclass(frozen=True)
class ParseOptions:
    ocr: OcrMode = "auto"
    # seconds a document may take: an outside program (LibreOffice, Tesseract) is stopped
    # by then, so it never outlives the parse that started it
    time_limit: float = 120.0

    def __post_init__(self) -> None:
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {self.ocr!r}")
        if self.time_limit <= 0:
            raise ValueError(f"time_limit must be positive, not {self.time_limit}")


DEFAULT_OPTIONS = ParseOptions()
