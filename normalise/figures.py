"""Whether a grid of figures is money, and in which unit and period it is printed.

A table of numbers is a savings / budget table only when something says it is money or
staff: a unit (``£m``, ``£000s``, ``FTE``) in its header, its leading rows, a ``£`` in its
cells or an "All figures in £m" line before it, or budget wording (savings, budget,
forecast, variance ...) in its header or caption.  Counts of RAG ratings ("G | A | R") and
counts of calls or casualties are not savings.  The wordings live in ``data/headers.json``
under ``figures``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from normalise.numbers import parse_number
from normalise.status import normalise_rating
from normalise.vocabulary import fold, load, phrase_pattern

_LEADING_ROWS = 3  # body rows that may still be printed column headings
_PERIOD_IN_TEXT = re.compile(
    r"(?<![\w/])(?:FY\s*)?(?:19|20)\d{2}\s*[/\-–]\s*\d{2,4}(?![\w/])|(?<![\w/])(?:19|20)\d{2}(?![\w/\-–])",
    re.I,
)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], list[re.Pattern[str]], re.Pattern[str]]:
    data = load("headers")["figures"]
    unit = re.compile(data["unit_token"], re.I)
    statements = [re.compile(p, re.I) for p in data["unit_statements"]]
    return unit, statements, phrase_pattern(data["money_words"])


def unit_in(text: str) -> str | None:
    """The unit printed inside a heading (``"2025-26 £000's"`` -> ``"£000's"``), or None."""
    m = _patterns()[0].search(text or "")
    return m.group(0).strip() if m else None


def stated_unit(text: str | None) -> str | None:
    """The unit of an "All figures in £m" / "£s per pupil" line or of a caption ending
    "(£m)", or None for other text."""
    if not text:
        return None
    for pattern in _patterns()[1]:
        m = pattern.search(text)
        if m:
            return m.group("unit").strip()
    short = len(text) <= 30 and not any(ch.isdigit() for ch in text.replace("000", ""))
    return unit_in(text) if short else None


_SHORT_YEARS = re.compile(r"(?<![\w/.])(\d{2})\s*[/\-–]\s*(\d{2})(?![\w/.])")


def period_in(text: str) -> str | None:
    """A financial year or year printed inside a heading (``"2024-25 Savings Target"``,
    ``"23-24 Actuals"``: two-digit years only when they follow each other)."""
    m = _PERIOD_IN_TEXT.search(text or "")
    if m:
        return m.group(0).strip()
    for short in _SHORT_YEARS.finditer(text or ""):
        if (int(short.group(1)) + 1) % 100 == int(short.group(2)):
            return short.group(0).strip()
    return None


def _has_money_words(text: str) -> bool:
    return bool(_patterns()[2].search(fold(text)))


def counts_ratings(cells: Sequence[str]) -> bool:
    """A heading row whose value columns are RAG ratings ("G | A | R"): counts of ratings."""
    values = [c for c in cells[1:] if c.strip()]
    return len(values) >= 2 and all(normalise_rating(v) is not None and len(v) <= 6 for v in values)


def is_money_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], context: str | None
) -> bool:
    """Whether a grid of figures is about money or staff (see the module docstring)."""
    leading = [list(r) for r in rows[:_LEADING_ROWS]]
    if counts_ratings(headers) or any(counts_ratings(r) for r in leading[:2]):
        return False
    headings = [*headers, *(c for r in leading for c in r if c.strip() and parse_number(c) is None)]
    if any(unit_in(h) for h in headings) or stated_unit(context):
        return True
    if any("£" in c for r in rows for c in r):
        return True
    return any(_has_money_words(h) for h in headings) or _has_money_words(context or "")
