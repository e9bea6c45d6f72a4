"""Printed numbers and sums of money -> Python numbers.

``-1,009`` -> ``-1009``; ``(8.2)`` -> ``-8.2``; ``£12.5m`` -> 12500000.0; ``£33,665`` -> 33665.
A count keeps its int type and a decimal its float type, as printed.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(
    r"^(?P<open>\()?\s*(?P<sign>[-+\u2212\u2013])?\s*(?P<cur>£|\$|€)?\s*(?P<sign2>[-+\u2212\u2013])?"
    r"\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(?P<scale>[mkb]n?|million|thousand|billion)?"
    r"\s*(?P<close>\))?$",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"(?P<neg>-|\u2212)?£\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>bn|billion|m|million|k|thousand)\b)?",
    re.IGNORECASE,
)
_SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}


def parse_number(raw: str | None) -> int | float | None:
    """A whole cell as a signed number (brackets mean negative), or None if it is not one."""
    if raw is None:
        return None
    text = raw.strip().replace("\u00a0", " ")
    m = _NUMBER.match(text)
    if not m or bool(m.group("open")) != bool(m.group("close")):
        return None
    digits = m.group("num").replace(",", "")
    value: int | float = float(digits) if "." in digits else int(digits)
    scale = (m.group("scale") or "").lower()
    if scale:
        value = value * _SCALES[scale]
    sign = m.group("sign") or m.group("sign2") or ""
    negative = bool(m.group("open")) or sign in ("-", "\u2212", "\u2013")
    return -value if negative else value


def parse_money(raw: str | None) -> float | None:
    """A printed sum of money in pounds (``£12.5m`` -> 12500000.0), or None."""
    if not raw:
        return None
    m = _MONEY.search(raw)
    if not m:
        return None
    value = float(m.group("num").replace(",", ""))
    scale = (m.group("scale") or "").lower()
    value *= _SCALES.get(scale, 1.0)
    return -value if m.group("neg") else value


def money_pattern() -> re.Pattern[str]:
    """The pattern that finds sums of money in running text."""
    return _MONEY
