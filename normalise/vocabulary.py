"""The data files under ``normalise/data`` that users extend: loaded once, read-only.

Every rule that depends on wording (header synonyms, status words, date patterns, owner
patterns) lives in those files so that a new council's vocabulary is a data change.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

_PUNCT = re.compile(r"[\s\u00a0]+")
_EDGE = re.compile(r"^[\s:;,.\-–—*()\[\]]+|[\s:;,.\-–—*\[\]]+$")


@cache
def load(name: str) -> Any:
    """One JSON data file by name (``"headers"`` -> ``data/headers.json``)."""
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def load_jsonl(name: str) -> list[dict[str, Any]]:
    """One JSONL data file by name, blank lines skipped."""
    path = DATA_DIR / f"{name}.jsonl"
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def fold(text: str) -> str:
    """Lower-case, unify dashes and quotes, collapse spaces, trim edge punctuation."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub("[\u2010-\u2015\u2212]", "-", text)
    text = _PUNCT.sub(" ", text).strip().lower()
    return _EDGE.sub("", text)


def phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    """An alternation matching any phrase as whole words, longest first."""
    alts = sorted({fold(p) for p in phrases if p}, key=len, reverse=True)
    body = "|".join(re.escape(a) for a in alts)
    return re.compile(rf"(?<![\w£]){'(?:' + body + ')'}(?![\w])", re.IGNORECASE)
