"""The recommendation register: stored recommendations filtered the ways analysts ask.

Filters combine (all must hold).  Queries read the ``recommendation_register`` view made
by migration 0003, whose ``due_end`` column is the last day a due value allows ("2009"
ends on 2009-12-31, "FY2008/09" on 2009-03-31) and is indexed.  Rows come out in ingest
order — by paper, then as printed — which is also ``records.id`` order, so a first page
of a large result is read without sorting it all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from store.search import SearchError, fts_query

STATUSES = ("complete", "ongoing", "not_started", "superseded")
# A recommendation in one of these is closed: a passed due date does not make it overdue.
CLOSED = ("complete", "superseded")
COLUMNS = (
    "doc_id", "source", "committee", "meeting_date", "ref", "text", "owner", "status",
    "due", "due_end", "pages", "record_id",
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Spacing ignored on both sides: a regular space, a tab, a no-break space.
_OWNER_KEY = "replace(replace(replace(owner, ' ', ''), char(9), ''), char(160), '')"


class FilterError(ValueError):
    """A filter value the register cannot use (unknown status, malformed date)."""


@dataclass(frozen=True)
class RecFilter:
    """What to keep; empty fields keep everything."""

    statuses: tuple[str, ...] = ()
    owner: str | None = None  # partial; case and spacing ignored
    committee: str | None = None  # partial; case ignored
    due_before: str | None = None  # YYYY-MM-DD: due period ends before this day
    due_after: str | None = None  # YYYY-MM-DD: due period ends after this day
    overdue_as_of: str | None = None  # YYYY-MM-DD: due ended before it and not closed
    text: str | None = None  # full-text query on the recommendation's text
    docs: tuple[str, ...] = field(default=())  # doc_id, doc_id prefix or file name

    def __post_init__(self) -> None:
        for status in self.statuses:
            if status not in STATUSES:
                raise FilterError(f"unknown status {status!r}; use {', '.join(STATUSES)}")
        for name in ("due_before", "due_after", "overdue_as_of"):
            value = getattr(self, name)
            if value is not None:
                check_date(value, name.replace("_", "-"))


def check_date(value: str, what: str = "date") -> str:
    """``value`` if it is a real YYYY-MM-DD date, else ``FilterError``."""
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{what}: {value!r} is not a date like 2009-03-31") from None
    return value


def parse_status(value: str) -> str:
    """A status as typed ("Not started", "not-started") in the stored form."""
    return re.sub(r"[\s-]+", "_", value.strip().casefold())


def owner_key(value: str) -> str:
    """The owner filter as compared: spacing removed (case is ignored by LIKE)."""
    return "".join(value.split())


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where_clauses(flt: RecFilter) -> tuple[list[str], dict[str, Any]]:
    """SQL conditions on ``recommendation_register`` and their parameters."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if flt.statuses:
        names = [f":status{i}" for i in range(len(flt.statuses))]
        clauses.append(f"status IN ({', '.join(names)})")
        params.update({n[1:]: s for n, s in zip(names, flt.statuses, strict=True)})
    if flt.owner is not None:
        clauses.append(f"{_OWNER_KEY} LIKE :owner ESCAPE '\\'")
        params["owner"] = _like(owner_key(flt.owner))
    if flt.committee is not None:
        clauses.append("committee LIKE :committee ESCAPE '\\'")
        params["committee"] = _like(" ".join(flt.committee.split()))
    if flt.due_before is not None:
        clauses.append("due_end < :due_before")
        params["due_before"] = flt.due_before
    if flt.due_after is not None:
        clauses.append("due_end > :due_after")
        params["due_after"] = flt.due_after
    if flt.overdue_as_of is not None:
        closed = ", ".join(f"'{s}'" for s in CLOSED)
        clauses.append(f"due_end < :as_of AND (status IS NULL OR status NOT IN ({closed}))")
        params["as_of"] = flt.overdue_as_of
    if flt.text is not None:
        clauses.append(
            "record_id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH :fts)"
        )
        params["fts"] = fts_query(flt.text)
    if flt.docs:
        clauses.append(_docs_clause(flt.docs, params))
    return clauses, params


def _docs_clause(docs: tuple[str, ...], params: dict[str, Any]) -> str:
    parts = []
    for i, key in enumerate(docs):
        parts.append(f"doc_id LIKE :docp{i} ESCAPE '\\' OR source = :docn{i}")
        params[f"docp{i}"] = _like(key)[1:]  # a prefix: no leading %
        params[f"docn{i}"] = key
    return f"doc_id IN (SELECT doc_id FROM documents WHERE {' OR '.join(parts)})"


def find_recommendations(
    conn: Connection, flt: RecFilter = RecFilter(), limit: int | None = None
) -> list[dict[str, Any]]:
    """Stored recommendations that pass ``flt``, in ingest order, as plain dicts."""
    clauses, params = where_clauses(flt)
    where = " AND ".join(clauses) or "1"
    sql = (f"SELECT {', '.join(COLUMNS)} FROM recommendation_register WHERE {where}"
           " ORDER BY record_id")
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    try:
        rows = conn.execute(text(sql), params).mappings().all()
    except OperationalError as exc:  # only the full-text query can be malformed
        raise SearchError(f"cannot search: {getattr(exc, 'orig', exc)}") from exc
    return [_plain(row) for row in rows]


def _plain(row: Any) -> dict[str, Any]:
    out = dict(row)
    pages = out.get("pages")
    if isinstance(pages, str):
        out["pages"] = [int(p) for p in re.findall(r"\d+", pages)] or None
    return out


def count_recommendations(conn: Connection, flt: RecFilter = RecFilter()) -> int:
    """How many stored recommendations pass ``flt``."""
    clauses, params = where_clauses(flt)
    where = " AND ".join(clauses) or "1"
    sql = f"SELECT count(*) FROM recommendation_register WHERE {where}"
    return int(conn.execute(text(sql), params).scalar_one())
