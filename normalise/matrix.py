"""Recommendation x respondent matrices: one recommendation per row, then one column per
government or body holding a short code of its answer (``F`` full, ``P`` in principle).

Such a table has a text column and two or more columns under headers the vocabulary does not
know whose cells are all short codes.  Each row becomes one recommendation whose response
lists the answers (``"UK Government: F; Welsh Government: P"``); a row that gives no answer
and no reference carries on the text of the row above.  Wordings live in
``data/headers.json`` under ``matrix``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from normalise.numbers import parse_number
from normalise.vocabulary import load

VERDICT = "verdict"  # role of a respondent column
TEXT_MORE = "text_more"  # an unheaded column the text of some rows drifted into
_BARE_REF_SHARE = 0.6


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], int]:
    data = load("headers")["matrix"]
    return re.compile(data["bare_ref"]), re.compile(data["note"], re.I), int(data["max_code"])


def split_bare_ref(text: str) -> tuple[str | None, str]:
    """``"4a (iv-v) Extend a duty"`` -> ``("4a (iv-v)", "Extend a duty")``."""
    m = _patterns()[0].match(text.strip())
    return (m.group("ref"), m.group("text").strip()) if m else (None, text)


def is_note(text: str) -> bool:
    """A "Source: ..." / "Note: ..." line printed as the last row of a table."""
    return bool(_patterns()[1].match(text.strip()))


def _is_code(value: str) -> bool:
    text = value.strip()
    return 0 < len(text) <= _patterns()[2] and parse_number(text) is None


def verdict_columns(
    headers: Sequence[str], roles: Sequence[str | None], columns: Sequence[Sequence[str]]
) -> list[int]:
    """Columns under an unknown header whose filled cells are all short codes."""
    found = []
    for i, (header, role, column) in enumerate(zip(headers, roles, columns, strict=False)):
        values = [v for v in column if v.strip()]
        if header.strip() and role is None and values and all(_is_code(v) for v in values):
            found.append(i)
    return found


def matrix_roles(
    headers: Sequence[str], roles: Sequence[str | None], columns: Sequence[Sequence[str]]
) -> tuple[str | None, ...] | None:
    """Roles of a recommendation x respondent matrix, or None when the table is not one:
    the answer columns become ``verdict``, unheaded columns between the text and the answers
    ``text_more``."""
    if "text" not in roles or any(r in ("response", "status", "progress") for r in roles):
        return None
    verdicts = verdict_columns(headers, roles, columns)
    if len(verdicts) < 2:
        return None
    text_col = roles.index("text")
    out: list[str | None] = list(roles)
    for i in verdicts:
        out[i] = VERDICT
    for i in range(text_col + 1, min(verdicts)):
        if not headers[i].strip() and out[i] is None:
            out[i] = TEXT_MORE
    return tuple(out)


def answers_have_refs(roles: Sequence[str | None], columns: Sequence[Sequence[str]]) -> bool:
    """Whether most rows holding answers (the records; the others are wrapped lines) start
    their text with an unpunctuated reference."""
    text_cols = [i for i, r in enumerate(roles) if r in ("text", TEXT_MORE)]
    answer_cols = [i for i, r in enumerate(roles) if r == VERDICT]
    texts = [
        " ".join(columns[i][r] for i in text_cols).strip()
        for r in range(len(columns[0]) if columns else 0)
        if any(columns[i][r].strip() for i in answer_cols)
    ]
    hits = sum(1 for t in texts if split_bare_ref(t)[0])
    return bool(texts) and hits / len(texts) >= _BARE_REF_SHARE
