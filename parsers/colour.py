"""A table cell's background colour as ``"#rrggbb"``, from the way each format prints it.

Papers often show a RAG rating, or emphasis, only by shading the cell; the parsers keep the
fill so that ``normalise`` can read it. White and "no colour" come back as None: they are
the page, not a fill.
"""

from __future__ import annotations

import re

import webcolors

_HEX6 = re.compile(r"^[0-9a-fA-F]{6}$")
_NUMBER = r"\s*([\d.]+)(%?)\s*"
_CSS_RGB = re.compile(
    rf"rgba?\({_NUMBER}[, ]{_NUMBER}[, ]{_NUMBER}(?:[,/]{_NUMBER})?\)", re.IGNORECASE
)
_CSS_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([^;]+)", re.IGNORECASE)
_NOT_A_FILL = {"#ffffff"}


def _kept(colour: str | None) -> str | None:
    return None if colour is None or colour in _NOT_A_FILL else colour


def from_word(fill: str | None) -> str | None:
    """A Word shading fill (``w:shd/@w:fill``): ``"00B050"``; ``"auto"`` is no fill."""
    if not fill or not _HEX6.match(fill):
        return None
    return _kept(f"#{fill.lower()}")


def from_css(value: str | None) -> str | None:
    """A CSS colour as written in a ``style`` or ``bgcolor``: ``#0f0``, ``#00b050``,
    ``rgb(0, 176, 80)``, ``green``. Transparent or unreadable values are None."""
    if not value:
        return None
    text = value.strip().lower()
    match = _CSS_RGB.search(text)
    if match:
        if match.group(7) is not None:
            alpha = float(match.group(7)) / (100 if match.group(8) else 1)
            if alpha < 0.5:
                return None  # mostly see-through: the page shows
        channels = [float(match.group(i)) * (2.55 if match.group(i + 1) else 1) for i in (1, 3, 5)]
        return _kept(webcolors.rgb_to_hex(tuple(min(255, round(c)) for c in channels)))
    word = text.split()[0] if text.split() else ""
    try:
        if word.startswith("#"):
            return _kept(webcolors.normalize_hex(word))
        return _kept(webcolors.name_to_hex(word))
    except ValueError:  # "transparent", "inherit", a url(...), a typo
        return None


def from_style(style: str | None) -> str | None:
    """The background colour set in an inline ``style`` attribute, if any."""
    if not style:
        return None
    found = _CSS_BACKGROUND.search(style)
    if not found:
        return None
    for part in re.split(r"\s+(?![^(]*\))", found.group(1).strip()):
        colour = from_css(part)
        if colour is not None:
            return colour  # ``background: url(x.png) #ffc000 no-repeat``
    return None


def from_pdf(colour: object) -> str | None:
    """A PDF fill colour as pdfplumber gives it: gray ``(g,)`` or ``g``, RGB ``(r, g, b)``,
    CMYK ``(c, m, y, k)``, each 0–1; patterns and other spaces are None."""
    return _kept(_pdf_hex(colour))


def is_paper(colour: object) -> bool:
    """Whether a PDF fill colour is white: a box filled with it on the page prints
    nothing."""
    return _pdf_hex(colour) in _NOT_A_FILL


def _pdf_hex(colour: object) -> str | None:
    if isinstance(colour, int | float):
        channels: tuple[float, ...] = (float(colour),) * 3
    elif isinstance(colour, tuple | list) and all(isinstance(v, int | float) for v in colour):
        values = tuple(float(v) for v in colour)
        if len(values) == 1:
            channels = values * 3
        elif len(values) == 3:
            channels = values
        elif len(values) == 4:
            c, m, y, k = values
            channels = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
        else:
            return None
    else:
        return None
    if not all(0.0 <= v <= 1.0 for v in channels):
        return None
    return str(webcolors.rgb_to_hex(tuple(round(v * 255) for v in channels)))
