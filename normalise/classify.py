"""Which kind of table this is, and what each column holds.

Column roles come from the header vocabulary in ``data/headers.json`` (exact wording first,
then the longest known phrase inside the header), checked against the column's content;
columns whose header is unknown get a role from content cues (dates, statuses, ratings,
dated updates, short references, long text).  The kind follows from the roles through the
ordered rules of the same file; each result carries a confidence in 0..1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from normalise.dates import is_date
from normalise.numbers import parse_number
from normalise.status import looks_like_status, normalise_rating
from normalise.updates import split_block_start, split_dated_updates
from normalise.vocabulary import fold, load, phrase_pattern
from parsers.model import Table

KINDS = ("recommendations", "action_plan", "savings", "rag_status", "list", "other")
TEXTUAL_ROLES = frozenset({"text", "action_text", "response", "progress", "rationale", "criterion"})
EXACT, CONTAINED, CONTENT = 1.0, 0.8, 0.5
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?\s+)")
_REF_LIKE = re.compile(
    r"^\s*\d{1,3}[a-z]?(?:\s*(?:,|and|&|-|–)\s*\d{1,3}[a-z]?)*\s*[.):]?\s*$", re.I
)


@dataclass(frozen=True)
class Classification:
    """What a table is: its kind, each column's role, and how sure we are."""

    kind: str
    confidence: float
    roles: tuple[str | None, ...]
    header: tuple[str, ...]  # effective header strings ("" where none)
    header_rows_in_body: int = 0  # leading body rows that are really the header
    plan: bool = False  # improvement-plan blocks ("Recommendation N:" rows)
    issues: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, str], re.Pattern[str], dict[str, str]]:
    roles: dict[str, list[str]] = load("headers")["roles"]
    exact: dict[str, str] = {}
    for role, phrases in roles.items():
        for phrase in phrases:
            exact.setdefault(fold(phrase), role)
    all_phrases = [p for phrases in roles.values() for p in phrases]
    return exact, phrase_pattern(all_phrases), exact


def header_role(header: str) -> tuple[str | None, float]:
    """Role of a column from its header wording, with EXACT or CONTAINED confidence."""
    text = fold(_NUMBERING.sub("", header or ""))
    if not text:
        return None, 0.0
    exact, pattern, lookup = _vocabulary()
    if text in exact:
        return exact[text], EXACT
    found = [m.group(0) for m in pattern.finditer(text)]
    if not found:
        return None, 0.0
    best = max(found, key=len)
    return lookup.get(fold(best)), CONTAINED


def _share(values: Sequence[str], test: Callable[[str], bool]) -> float:
    return sum(1 for v in values if test(v)) / len(values)


def content_role(values: Sequence[str], known_owners: frozenset[str] = frozenset()) -> str | None:
    """Role of a column from what its cells hold, for headers the vocabulary lacks."""
    vals = [v for v in values if v.strip()]
    if not vals:
        return None
    cues: list[tuple[str, Callable[[str], bool], float]] = [
        ("rating", lambda v: normalise_rating(v) is not None and len(v) <= 12, 0.8),
        ("status", looks_like_status, 0.6),
        ("due", is_date, 0.6),
        ("progress", lambda v: bool(split_dated_updates(v)[1]), 0.5),
        ("ref", lambda v: bool(_REF_LIKE.match(v)), 0.8),
        ("owner", lambda v: fold(v) in known_owners, 0.5),
    ]
    for role, test, share in cues:
        if _share(vals, test) >= share:
            return role
    if sum(len(v) for v in vals) / len(vals) >= 40:
        return "text"
    return None


def _mostly_numeric(values: Sequence[str]) -> bool:
    vals = [v for v in values if v.strip()]
    return bool(vals) and _share(vals, lambda v: parse_number(v) is not None) >= 0.7


def _columns(rows: Sequence[Sequence[str]], n_cols: int) -> list[list[str]]:
    return [[row[c] if c < len(row) else "" for row in rows] for c in range(n_cols)]


def _match_rule(rule: dict[str, list[str]], present: set[str]) -> bool:
    return (all(r in present for r in rule.get("all", []))
            and (not rule.get("any") or any(r in present for r in rule["any"]))
            and not any(r in present for r in rule.get("none", [])))


def kind_from_roles(roles: Iterable[str | None], rules_key: str = "kinds") -> str | None:
    """The first kind rule of ``data/headers.json`` that the set of roles satisfies."""
    present = {r for r in roles if r}
    for rule in load("headers")[rules_key]:
        if _match_rule(rule, present):
            return str(rule["kind"])
    return None


def is_savings_grid(columns: Sequence[Sequence[str]]) -> bool:
    """Two or more value columns that are mostly numbers, holding most of the cells."""
    numeric = [c for c in columns[1:] if _mostly_numeric(c)]
    filled = sum(1 for c in columns[1:] for v in c if v.strip())
    in_numeric = sum(1 for c in numeric for v in c if v.strip())
    return len(numeric) >= 2 and filled > 0 and in_numeric / filled >= 0.5


def _header_roles(headers: Sequence[str], columns: Sequence[Sequence[str]]
                  ) -> tuple[list[str | None], list[float]]:
    roles: list[str | None] = []
    confs: list[float] = []
    for header, column in zip(headers, columns, strict=False):
        role, conf = header_role(header)
        if role in TEXTUAL_ROLES and _mostly_numeric(column):
            role, conf = None, 0.0  # "Number of recommendations" is a count, not text
        roles.append(role)
        confs.append(conf)
    return roles, confs


def _looks_like_header_row(cells: Sequence[str]) -> bool:
    if any(len(c) > 60 for c in cells) or split_block_start(cells[0] if cells else ""):
        return False
    return sum(1 for c in cells if header_role(c)[1] == EXACT) >= 2


def _column_weight(role: str, conf: float, index: int, column: Sequence[str]
                   ) -> tuple[float, float]:
    if role not in TEXTUAL_ROLES:
        return conf, -index  # the exact wording, then the first column
    vals = [v for v in column if v.strip()] or [""]
    return conf, sum(len(v) for v in vals) / len(vals)  # the exact wording, then the wordiest


def _dedupe(roles: list[str | None], confs: list[float], columns: Sequence[Sequence[str]]
            ) -> list[str | None]:
    """One column per role: the surest (then the wordiest) keeps it; a second response
    column becomes the progress column, other duplicates lose their role."""
    out = list(roles)
    for role in {r for r in roles if r}:
        idx = [i for i, r in enumerate(roles) if r == role]
        if len(idx) < 2:
            continue
        weights = {i: _column_weight(role, confs[i], i, columns[i]) for i in idx}
        keep = max(idx, key=weights.__getitem__)
        for i in idx:
            if i == keep:
                continue
            out[i] = "progress" if role == "response" and "progress" not in out else None
    return out


def _status_by_content(roles: list[str | None], columns: Sequence[Sequence[str]]
                       ) -> list[str | None]:
    """A "Progress" column that only ever says "On track" / "Complete" is the status."""
    if "status" in roles:
        return roles
    out = list(roles)
    for i, (role, column) in enumerate(zip(roles, columns, strict=False)):
        vals = [v for v in column if v.strip()]
        if role in ("progress", "response") and vals and _share(vals, looks_like_status) >= 0.6:
            out[i] = "status"
            break
    return out


def apply_fallbacks(kind: str, roles: Sequence[str | None]) -> tuple[str | None, ...]:
    """Roles a kind does not use become the first listed role of that kind not yet taken."""
    mapping: dict[str, list[str]] = load("headers")["role_fallbacks"].get(kind, {})
    present = {r for r in roles if r}
    out: list[str | None] = []
    for role in roles:
        target = next((t for t in mapping.get(role or "", []) if t not in present), None)
        if target:
            present.add(target)
        out.append(target or role)
    return tuple(out)


def _is_list(roles: Sequence[str | None], columns: Sequence[Sequence[str]]) -> bool:
    allowed = set(load("headers")["list_roles"])
    if len(columns) > 3 or any(_mostly_numeric(c) for c in columns):
        return False
    return all(r is None or r in allowed for r in roles) and (
        any(r in allowed for r in roles) or len(columns) <= 2)


def _plan_table(rows: Sequence[Sequence[str]]) -> bool:
    return any(split_block_start(next((c for c in row if c.strip()), "")) for row in rows)


def classify_table(table: Table, known_owners: frozenset[str] = frozenset()) -> Classification:
    """Kind, column roles and confidence of one table (see the module docstring)."""
    rows = table.row_strings()
    n_cols = table.n_cols
    headers = table.header_strings() if table.header else [""] * n_cols
    in_body = 0
    if not table.header and rows and _looks_like_header_row(rows[0]):
        headers, in_body = list(rows[0]), 1
    columns = _columns(rows[in_body:], n_cols)
    if _plan_table(rows):
        return Classification("action_plan", 0.9, (None,) * n_cols, tuple(headers), in_body, True)
    if is_savings_grid(columns):
        return Classification("savings", 0.9, (None,) * n_cols, tuple(headers), in_body)
    roles, confs = _header_roles(headers, columns)
    roles = _status_by_content(_dedupe(roles, confs, columns), columns)
    kind = kind_from_roles(roles)
    confidence = min((c for r, c in zip(roles, confs, strict=False) if r), default=0.0)
    issues = ["unknown header"] if any(h.strip() and not r for h, r in zip(headers, roles,
                                                                            strict=False)) else []
    if kind is None:
        guessed = [r or content_role(col, known_owners) for r, col in zip(roles, columns,
                                                                          strict=False)]
        kind = kind_from_roles(guessed, "content_kinds")
        if kind:
            roles, confidence = _dedupe(guessed, [CONTENT] * n_cols, columns), CONTENT
    if kind is None:
        kind = "list" if _is_list(roles, columns) else "other"
        confidence = 0.6 if kind == "list" else 0.5
    return Classification(kind, round(confidence, 2), apply_fallbacks(kind, roles),
                          tuple(headers), in_body, False, tuple(issues))
