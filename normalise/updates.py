"""Splitting cell text: dated progress updates, and reference numbers printed before text.

``"April 2008 Update: A. October 2008 Update: B."`` -> response None and two updates
``{"date": "2008-04", "label": "April 2008 Update", "text": "A."}`` ...; ``"1) Integrate ..."``
-> ref ``"1"`` and the text. The label and prefix patterns live in ``data/``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TypedDict

from normalise.dates import date_in_year, month_pattern_source, normalise_date
from normalise.vocabulary import load


class Update(TypedDict):
    date: str | None
    label: str
    text: str


@lru_cache(maxsize=1)
def _label_pattern() -> re.Pattern[str]:
    data = load("dates")
    months = "|".join(sorted(data["months"], key=len, reverse=True))
    day_month = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{months})\b"
    source = data["update_label"].replace("DATE", month_pattern_source())
    source = source.replace("DAYMONTH", day_month)
    return re.compile(rf"(?<![\w]){source}", re.IGNORECASE)


@lru_cache(maxsize=1)
def _ref_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load("headers")
    flags = re.IGNORECASE | re.DOTALL
    return re.compile(data["block_start"], flags), re.compile(data["ref_prefix"], flags)


def label_date(label: str, paper_year: int | None = None) -> str | None:
    """The date of an update label; one printed without its year ("As at 12 November")
    takes ``paper_year`` when given."""
    core = re.sub(
        r"(?i)\b(?:progress\s+)?updates?\b|\b(?:position\s+)?as\s+(?:at|of)\b|[()]", " ", label
    )
    core = core.strip(" -–")
    value = normalise_date(core)
    return value if value or paper_year is None else date_in_year(core, paper_year)


@lru_cache(maxsize=1)
def _lead_pattern() -> re.Pattern[str]:
    return re.compile(load("headers")["heading_lead"], re.IGNORECASE)


def lead_in_heading(heading: str | None) -> str | None:
    """``"National Address Dataset – Lead HS/BB"`` -> ``"HS/BB"``; None when no lead is named."""
    m = _lead_pattern().search(heading or "")
    return m.group("owner").strip() if m else None


def split_dated_updates(text: str | None) -> tuple[str | None, list[Update]]:
    """The undated text before the first dated label, and each labelled update in order."""
    if not text:
        return None, []
    matches = list(_label_pattern().finditer(text))
    if not matches:
        return text.strip() or None, []
    preamble = text[: matches[0].start()].strip() or None
    updates: list[Update] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        label = m.group(0).rstrip(" :-–").strip()
        updates.append(
            {"date": label_date(label), "label": label, "text": text[m.end() : end].strip()}
        )
    return preamble, updates


def split_ref_prefix(text: str | None) -> tuple[str | None, str]:
    """``"1) Integrate ..."`` -> ``("1", "Integrate ...")``; no prefix -> ``(None, text)``."""
    if not text:
        return None, text or ""
    m = _ref_patterns()[1].match(text)
    if not m:
        return None, text
    return m.group("ref").strip(), m.group("text").strip()


def split_block_start(text: str | None) -> tuple[str, str] | None:
    """``"Recommendation 3: To redefine ..."`` -> ``("3", "To redefine ...")``, else None."""
    if not text:
        return None
    m = _ref_patterns()[0].match(text)
    if not m:
        return None
    return m.group("ref"), m.group("text").strip()


def clean_ref(ref: str | None) -> str | None:
    """A printed reference without trailing ``)`` ``.`` ``:`` (contract ``ref``)."""
    if ref is None:
        return None
    ref = ref.strip().rstrip(").:").strip()
    return ref or None
