"""Dates as printed -> ISO 8601 at the printed precision (contract "Dates").

``31st March 2003`` -> ``2003-03-31``; ``Mar-04`` -> ``2004-03``; ``2009`` -> ``2009``;
``08/09`` -> ``FY2008/09``; ``Q2 2009/10`` -> ``2009-Q2``; ``Summer 2008`` -> None.
The patterns live in ``data/dates.json``; the functions here only interpret their groups.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from normalise.vocabulary import load

_MARKUP = re.compile(r"<[^<>]{0,40}>")
_DIGITS = re.compile(r"\d+")
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_SPLIT_ORDINAL = re.compile(r"(\d)\s+(st|nd|rd|th)\b", re.IGNORECASE)
YEARLESS = "yearless_"  # patterns for whole cells only: "23-Mar", "June"


@dataclass(frozen=True)
class DateMatch:
    """A date found in running text: character span, printed text and ISO value."""

    start: int
    end: int
    text: str
    value: str | None


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[tuple[str, re.Pattern[str]]], dict[str, int]]:
    data = load("dates")
    months: dict[str, int] = data["months"]
    month_alt = "|".join(sorted(months, key=len, reverse=True))
    out = []
    for name, pattern in data["patterns"]:
        body = pattern.replace("MONTH", month_alt)
        out.append((name, re.compile(rf"(?<![\w/]){body}(?![\w/])", re.IGNORECASE)))
    return out, months


@lru_cache(maxsize=1)
def _prefix_pattern() -> re.Pattern[str]:
    prefixes = sorted(load("dates")["prefixes"], key=len, reverse=True)
    alt = "|".join(re.escape(p) for p in prefixes)
    return re.compile(rf"^(?:(?:{alt})\b[\s:,]*)+", re.IGNORECASE)


def clean_date_text(raw: str) -> str:
    """Drop markup (``30 <sup>th</sup> June``), re-join split ordinals, collapse spaces."""
    text = _MARKUP.sub("", raw)
    text = _SPLIT_ORDINAL.sub(r"\1\2", text)
    return re.sub(r"\s+", " ", text).strip().strip(".,;")


def _year(text: str) -> int:
    value = int(text)
    if len(text) == 2:
        value += 2000 if value < 50 else 1900
    return value


def _fy(first: str, second: str) -> str | None:
    start = _year(first)
    end = int(second) % 100
    if (start + 1) % 100 != end:
        return None
    return f"FY{start}/{end:02d}"


def _month(groups: dict[str, str | None], months: dict[str, int]) -> int | None:
    if groups.get("month"):
        return months.get(str(groups["month"]).lower().rstrip("."))
    if groups.get("month_num"):
        return int(str(groups["month_num"]))
    return None


def _interpret(
    groups: dict[str, str | None], months: dict[str, int], paper_year: int | None = None
) -> str | None:
    """ISO value of one pattern match, or None when the parts do not make a date."""
    if groups.get("season"):
        return None
    if groups.get("fy1") and groups.get("fy2"):
        return _fy(str(groups["fy1"]), str(groups["fy2"]))
    year = _year(str(groups["year"])) if groups.get("year") else paper_year
    if year is None:
        return None
    if groups.get("quarter"):
        return f"{year}-Q{groups['quarter']}"
    month = _month(groups, months)
    if month is None:
        return f"{year}" if not groups.get("month") and not groups.get("month_num") else None
    if not 1 <= month <= 12:
        return None
    if groups.get("day"):
        day = int(str(groups["day"]))
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
        return f"{year}-{month:02d}-{day:02d}"
    return f"{year}-{month:02d}"


def normalise_date(raw: str | None) -> str | None:
    """A whole cell as a date at its printed precision, or None when it is not one."""
    if not raw:
        return None
    text = clean_date_text(raw)
    text = _prefix_pattern().sub("", text).strip()
    patterns, months = _compiled()
    for _name, pattern in patterns:
        m = pattern.fullmatch(text)
        if m:
            return _interpret(m.groupdict(), months)
    return None


def date_in_year(raw: str | None, paper_year: int) -> str | None:
    """A cell printed without its year ("23-Mar", "June") as a date in the paper's own
    year; None for any other cell (those that carry a year are ``normalise_date``'s)."""
    if not raw:
        return None
    text = _prefix_pattern().sub("", clean_date_text(raw)).strip()
    patterns, months = _compiled()
    for name, pattern in patterns:
        m = pattern.fullmatch(text)
        if m:
            yearless = name.startswith(YEARLESS)
            return _interpret(m.groupdict(), months, paper_year) if yearless else None
    return None


def is_date(raw: str | None) -> bool:
    """True when the cell is a date, including one printed with no exact value (seasons)."""
    if not raw:
        return False
    text = _prefix_pattern().sub("", clean_date_text(raw)).strip()
    return any(p.fullmatch(text) for _n, p in _compiled()[0])


def _windows(text: str) -> Iterator[tuple[int, int]]:
    """Stretches of text around digits: every printed date has one, most words none."""
    spans: list[list[int]] = []
    for m in _DIGITS.finditer(text):
        lo, hi = max(0, m.start() - 16), min(len(text), m.end() + 16)
        while hi < len(text) and not text[hi].isspace():
            hi += 1
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    return ((lo, hi) for lo, hi in spans)


def find_dates(text: str) -> Iterator[DateMatch]:
    """Dates inside running text, longest first where matches overlap, in text order."""
    patterns, months = _compiled()
    found: list[tuple[int, int, str | None]] = []
    dated = [(n, p) for n, p in patterns if not n.startswith(YEARLESS)]
    for lo, hi in _windows(text):
        for _name, pattern in dated:
            for m in pattern.finditer(text, lo, hi):
                found.append((m.start(), m.end(), _interpret(m.groupdict(), months)))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: list[tuple[int, int, str | None]] = []
    for start, end, value in found:
        if all(end <= s or start >= e for s, e, _v in taken):
            taken.append((start, end, value))
    for start, end, value in sorted(taken):
        yield DateMatch(start, end, text[start:end], value)


def month_pattern_source() -> str:
    """The regular-expression source of one printed date, for labels built around dates."""
    patterns, _ = _compiled()
    wanted = ("day_month_year", "dmy_numeric", "month_year", "month_short_year", "quarter")
    alts = [_NAMED_GROUP.sub("(?:", p.pattern) for n, p in patterns if n in wanted]
    return "|".join(f"(?:{a})" for a in alts)
