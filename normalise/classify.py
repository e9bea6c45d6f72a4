"""Which kind of table this is, and what each column holds.

Column roles come from the header vocabulary in ``data/headers.json`` (exact wording first,
then the longest known phrase inside the header), checked against the column's content;
columns whose header is unknown get a role from content cues (dates, statuses, ratings,
dated updates, short references, long text).  The kind follows from the roles through the
ordered rules of the same file; each result carries a confidence in 0..1.

A grid of figures is a savings table only when something says it is money (see
``normalise.figures``); a budget template (descriptions beside "2025-26 £000's" columns)
is one too.  A recommendation x respondent matrix is read by ``normalise.matrix``.  A
tracker whose rows give no text, or a key to the RAG colours, is not a record table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from normalise.dates import is_date
from normalise.figures import is_money_table, period_in, unit_in
from normalise.matrix import answers_have_refs, matrix_roles
from normalise.numbers import parse_number
from normalise.rating_matrix import rating_matrix_roles
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
    bare_refs: bool = False  # texts start with an unpunctuated reference ("4a (iv-v) Extend")


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
    # a multi-row header ("Consultation feedback on X / Draft Response"): the lowest row
    # that is a known heading names the column, a title spanning the top does not
    parts = [fold(_NUMBERING.sub("", p)) for p in header.split(" / ")]
    known = [exact[p] for p in parts if p in exact]
    if len(parts) > 1 and known:
        return known[-1], EXACT
    found = [m.group(0) for m in pattern.finditer(parts[-1])] if len(parts) > 1 else []
    found = found or [m.group(0) for m in pattern.finditer(text)]
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
    return (
        all(r in present for r in rule.get("all", []))
        and (not rule.get("any") or any(r in present for r in rule["any"]))
        and not any(r in present for r in rule.get("none", []))
    )


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


def _header_roles(
    headers: Sequence[str], columns: Sequence[Sequence[str]]
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


def _is_caption(headers: Sequence[str]) -> bool:
    """No header, or one that only repeats a title ("Table 1 Summary of ...") over every
    column: the column headings, if any, are the first body row."""
    return len({h.strip() for h in headers if h.strip()}) <= 1


def _looks_like_header_row(cells: Sequence[str]) -> bool:
    if any(len(c) > 60 for c in cells) or split_block_start(cells[0] if cells else ""):
        return False
    exact = sum(1 for c in cells if header_role(c)[1] == EXACT)
    if exact >= 2:
        return True
    # one known heading beside short unknown ones ("Recommendation | UK Government | ...")
    others = [c for c in cells if c.strip() and header_role(c)[1] != EXACT]
    return (
        exact == 1
        and len(others) >= 2
        and all(
            len(c) <= 40 and parse_number(c) is None and normalise_rating(c) is None for c in others
        )
    )


def _column_weight(
    role: str, conf: float, index: int, column: Sequence[str]
) -> tuple[float, float]:
    if role not in TEXTUAL_ROLES:
        return conf, -index  # the exact wording, then the first column
    vals = [v for v in column if v.strip()] or [""]
    return conf, sum(len(v) for v in vals) / len(vals)  # the exact wording, then the wordiest


def _dedupe(
    roles: list[str | None], confs: list[float], columns: Sequence[Sequence[str]]
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


def _status_by_content(
    roles: list[str | None], columns: Sequence[Sequence[str]]
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


def _item_column(roles: list[str | None]) -> list[str | None]:
    """The leftmost of the text and action columns names what a row is about (contract 1.1:
    the item column decides recommendation vs action); a text-like heading to the right of
    an action column ("Commitment | Lead | Status | Issues", "Dataset | Description") holds
    notes on the action, not a second item."""
    texts = [i for i, r in enumerate(roles) if r == "text"]
    actions = [i for i, r in enumerate(roles) if r == "action_text"]
    if not (texts and actions and actions[0] < texts[0]):
        return roles
    return ["notes" if r == "text" else r for r in roles]


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
        any(r in allowed for r in roles) or len(columns) <= 2
    )


def budget_template_roles(
    headers: Sequence[str], roles: Sequence[str | None], columns: Sequence[Sequence[str]]
) -> tuple[str | None, ...] | None:
    """Roles of a budget template (one line per proposal: category, owner, description, then
    a figure per year under "2025-26 £000's" headings): the figure columns become ``value``
    and the first described column the ``item``.  None unless two or more columns are
    mostly figures under a heading that names a unit or a year."""
    numeric = [
        i
        for i, (h, col) in enumerate(zip(headers, columns, strict=False))
        if h.strip() and _mostly_numeric(col)
    ]
    if sum(1 for i in numeric if unit_in(headers[i]) or period_in(headers[i])) < 2:
        return None
    values = numeric
    labels = [i for i, r in enumerate(roles) if r in ("item", "text") and i not in values]
    wordy = [i for i, col in enumerate(columns) if i not in values and any(v.strip() for v in col)]
    label = (labels or wordy or [0])[0]
    return tuple(
        "value" if i in values else "item" if i == label else None for i in range(len(columns))
    )


def _is_rating_key(roles: Sequence[str | None], columns: Sequence[Sequence[str]]) -> bool:
    """A key to the colours ("GREEN | Target has been achieved"): the rating leads each row
    and no colour comes twice, so the rows explain the scale rather than rate anything."""
    if not roles or roles[0] != "rating":
        return False
    ratings = [normalise_rating(v) for v in columns[0] if v.strip()]
    return 2 <= len(ratings) <= 6 and None not in ratings and len(set(ratings)) == len(ratings)


_MIN_TEXT_SHARE = 0.3


def _gives_text(roles: Sequence[str | None], columns: Sequence[Sequence[str]]) -> bool:
    """Whether the rows of a tracker or action plan give their text (in a text, action or
    response column): a table whose rows give no words is not one."""
    cols = [
        c for r, c in zip(roles, columns, strict=False) if r in ("text", "action_text", "response")
    ]
    if not columns or not columns[0]:
        return False  # a header-only table (a title block, or a header cut off its rows)
    return any(
        _share(c, lambda v: bool(v.strip()) and parse_number(v) is None) >= _MIN_TEXT_SHARE
        for c in cols
    )


def _from_first_figures(rows: Sequence[Sequence[str]]) -> Sequence[Sequence[str]]:
    """The rows from the first one holding a figure: the headings and "All figures in £m"
    lines a printed spreadsheet carries above its figures are not its columns' content."""
    for index, cells in enumerate(rows):
        if any(parse_number(c) is not None for c in cells):
            return rows[index:]
    return rows


def _plan_table(rows: Sequence[Sequence[str]]) -> bool:
    return any(split_block_start(next((c for c in row if c.strip()), "")) for row in rows)


def classify_table(table: Table, known_owners: frozenset[str] = frozenset()) -> Classification:
    """Kind, column roles and confidence of one table (see the module docstring)."""
    rows = table.row_strings()
    n_cols = table.n_cols
    headers = table.header_strings() if table.header else [""] * n_cols
    in_body = 0
    if _is_caption(headers) and rows:
        # the headings may sit under a title row printed across the table
        lead = 1 if len(rows) > 1 and _is_caption(rows[0]) else 0
        if _looks_like_header_row(rows[lead]):
            headers, in_body = list(rows[lead]), lead + 1
    columns = _columns(rows[in_body:], n_cols)
    if _plan_table(rows):
        return Classification("action_plan", 0.9, (None,) * n_cols, tuple(headers), in_body, True)
    money = is_money_table(headers, rows[in_body:], table.context)
    if money and is_savings_grid(_columns(_from_first_figures(rows[in_body:]), n_cols)):
        return Classification("savings", 0.9, (None,) * n_cols, tuple(headers), in_body)
    roles, confs = _header_roles(headers, columns)
    roles = _item_column(_status_by_content(_dedupe(roles, confs, columns), columns))
    rated = rating_matrix_roles(table, roles, in_body)
    if rated:
        return Classification("rag_status", 0.7, rated, tuple(headers), in_body)
    template = budget_template_roles(headers, roles, columns) if money else None
    if template:
        return Classification("savings", 0.8, template, tuple(headers), in_body)
    kind = kind_from_roles(roles)
    confidence = min((c for r, c in zip(roles, confs, strict=False) if r), default=0.0)
    issues = (
        ["unknown header"]
        if any(h.strip() and not r for h, r in zip(headers, roles, strict=False))
        else []
    )
    if kind is None:
        guessed = [
            r or content_role(col, known_owners) for r, col in zip(roles, columns, strict=False)
        ]
        kind = kind_from_roles(guessed, "content_kinds")
        if kind:
            roles, confidence = _dedupe(guessed, [CONTENT] * n_cols, columns), CONTENT
    matrix = matrix_roles(headers, roles, columns) if kind is None else None
    if matrix:
        return Classification(
            "recommendations",
            0.6,
            matrix,
            tuple(headers),
            in_body,
            issues=tuple(issues),
            bare_refs=answers_have_refs(matrix, columns),
        )
    kind, confidence = _checked_kind(kind, confidence, roles, columns, issues)
    return Classification(
        kind,
        round(confidence, 2),
        apply_fallbacks(kind, roles),
        tuple(headers),
        in_body,
        False,
        tuple(issues),
    )


def _checked_kind(
    kind: str | None,
    confidence: float,
    roles: Sequence[str | None],
    columns: Sequence[Sequence[str]],
    issues: list[str],
) -> tuple[str, float]:
    """The kind once the content has been checked: no rule gives a list or other, a key to
    the colours is a list, a tracker whose rows give no text is other."""
    if kind is None:
        kind = "list" if _is_list(roles, columns) else "other"
        confidence = 0.6 if kind == "list" else 0.5
    if kind == "rag_status" and _is_rating_key(roles, columns):
        kind, confidence = "list", 0.6
    if kind in ("recommendations", "action_plan") and not _gives_text(roles, columns):
        kind, confidence = "other", 0.3
        issues.append("no text in the text column")
    return kind, confidence
