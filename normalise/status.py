"""Printed statuses and RAG ratings -> the contract's small taxonomies.

Rules live in ``data/status.json`` (ordered regular expressions, first match wins), so a
body with its own scale ("Blue", "Dark Amber", "Closed – not implemented") is a data edit.
"""

from __future__ import annotations

import colorsys
import re
from functools import lru_cache

from normalise.vocabulary import fold, load

STATUSES = ("complete", "ongoing", "not_started", "superseded")
RATINGS = ("red", "amber", "green")


@lru_cache(maxsize=1)
def _rules() -> tuple[list[tuple[re.Pattern[str], str]], int]:
    data = load("status")
    rules = [(re.compile(pattern, re.IGNORECASE), status) for pattern, status in data["rules"]]
    return rules, int(data.get("max_words", 8))


@lru_cache(maxsize=1)
def _ratings() -> dict[str, str]:
    table: dict[str, str] = {}
    for rating, words in load("status")["ratings"].items():
        for word in words:
            table[fold(word)] = rating
    return table


def normalise_status(raw: str | None) -> str | None:
    """``"Achieved"`` -> ``"complete"``; None for a blank cell or words outside the taxonomy.

    Idempotent: a taxonomy value maps to itself.
    """
    if not raw:
        return None
    text = fold(raw).replace("_", " ")
    if not text:
        return None
    rules, max_words = _rules()
    if len(text.split()) > max_words:
        return None
    for pattern, status in rules:
        if pattern.search(text):
            return status
    return None


def looks_like_status(raw: str | None) -> bool:
    """True when the whole cell is a status wording (short and inside the taxonomy)."""
    return normalise_status(raw) is not None


def normalise_rating(raw: str | None) -> str | None:
    """``"G"`` / ``"GREEN"`` / ``"Green"`` -> ``"green"``; None when not a RAG rating."""
    if not raw:
        return None
    text = fold(raw)
    rating = _ratings().get(text)
    if rating:
        return rating
    first = re.split(r"[\s(\-–:,.]", text, maxsplit=1)[0]
    return _ratings().get(first) if len(first) > 1 else None


# Hue bands (degrees) of the fills papers use for RAG: Excel/Word's red C00000 / FF0000,
# amber FFC000 / orange / yellow, green 00B050 / 92D050 / 00FF00. Pale or grey fills
# (header shading, D9D9D9) are too unsaturated to be a rating.
_RATING_HUES = (("red", 0, 20), ("amber", 20, 66), ("green", 70, 170), ("red", 335, 360))


def rating_from_fill(fill: str | None) -> str | None:
    """``"#00b050"`` -> ``"green"``: the RAG rating a cell's background colour shows."""
    if not fill or len(fill) != 7:
        return None
    try:
        r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    except ValueError:
        return None
    hue, saturation, value = colorsys.rgb_to_hsv(r, g, b)
    if saturation < 0.45 or value < 0.35:
        return None
    degrees = hue * 360
    return next((name for name, lo, hi in _RATING_HUES if lo <= degrees < hi), None)
