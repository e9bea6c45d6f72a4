"""The recommendation register: stored recommendations filtered the ways analysts ask.

Filters combine (all must hold).  A due value is compared on the last day it allows
("2009" ends on 2009-12-31, "FY2008/09" on 2009-03-31), computed by the same SQL
expression migration 0003 indexes (on PostgreSQL, the column ``due_end`` migration 0012
stores), as is the owner with its spacing removed.  Rows come in an index's order — by
due date when a due filter is given, else by owner when an owner filter is, else ingest
order (``records.id``) — so the first page of a million matches is read without sorting
them all, and counts are answered from the indexes alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from store.reader import LIKE, Connectable, query_errors, rows
from store.reader import dialect as dialect_of
from store.search import TSV_COLUMN, SearchError, fts_query, tsquery

STATUSES = ("complete", "ongoing", "not_started", "superseded")
# A recommendation in one of these is closed: a passed due date does not make it overdue.
CLOSED = ("complete", "superseded")
COLUMNS = (
    "doc_id",
    "source",
    "committee",
    "meeting_date",
    "ref",
    "text",
    "owner",
    "status",
    "due",
    "due_end",
    "pages",
    "record_id",
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def due_end_sql(due: str) -> str:
    """``store.diff.due_end`` as an SQLite expression over the column ``due``.

    Written exactly as in migration 0003's indexes (a test checks), so SQLite answers
    due-date filters from the index.  Quarters are of the financial year starting in
    April, so Q4 ends in March of the next calendar year.
    """
    year = "[0-9][0-9][0-9][0-9]"
    return (
        "CASE"
        f" WHEN {due} GLOB 'FY{year}/[0-9][0-9]'"
        f" THEN printf('%04d-03-31', substr({due}, 3, 4) + 1)"
        f" WHEN {due} GLOB '{year}-Q[1-3]' THEN date(printf('%s-%02d-01', substr({due}, 1, 4),"
        f" substr({due}, 7, 1) * 3 + 3), '+1 month', '-1 day')"
        f" WHEN {due} GLOB '{year}-Q4' THEN printf('%04d-03-31', substr({due}, 1, 4) + 1)"
        f" WHEN {due} GLOB '{year}' THEN {due} || '-12-31'"
        f" WHEN {due} GLOB '{year}-[0-9][0-9]' THEN date({due} || '-01', '+1 month', '-1 day')"
        f" ELSE nullif({due}, '') END"
    )


def due_end_sql_pg(due: str) -> str:
    """``due_end_sql`` on PostgreSQL, as migration 0012 stores it there: the same values
    (a month past 12 gives NULL, as SQLite's ``date`` does) from regular expressions and
    string arithmetic, immutable as a generated column must be."""
    y = f"substr({due}, 1, 4)"
    leap = f"({y}::int % 4 = 0 AND ({y}::int % 100 <> 0 OR {y}::int % 400 = 0))"
    return (
        "CASE"
        f" WHEN {due} ~ '^FY[0-9]{{4}}/[0-9]{{2}}$'"
        f" THEN lpad((substr({due}, 3, 4)::int + 1)::text, 4, '0') || '-03-31'"
        f" WHEN {due} ~ '^[0-9]{{4}}-Q1$' THEN {y} || '-06-30'"
        f" WHEN {due} ~ '^[0-9]{{4}}-Q2$' THEN {y} || '-09-30'"
        f" WHEN {due} ~ '^[0-9]{{4}}-Q3$' THEN {y} || '-12-31'"
        f" WHEN {due} ~ '^[0-9]{{4}}-Q4$' THEN lpad(({y}::int + 1)::text, 4, '0') || '-03-31'"
        f" WHEN {due} ~ '^[0-9]{{4}}$' THEN {due} || '-12-31'"
        f" WHEN {due} ~ '^[0-9]{{4}}-(0[13578]|1[02])$' THEN {due} || '-31'"
        f" WHEN {due} ~ '^[0-9]{{4}}-(0[469]|11)$' THEN {due} || '-30'"
        f" WHEN {due} ~ '^[0-9]{{4}}-02$' THEN {due} || CASE WHEN {leap} THEN '-29' ELSE '-28' END"
        f" WHEN {due} ~ '^[0-9]{{4}}-[0-9]{{2}}$' THEN NULL"
        f" ELSE nullif({due}, '') END"
    )


def owner_key_sql(owner: str) -> str:
    """The owner with spacing removed (a space, tab or no-break space), as indexed."""
    return f"replace(replace(replace({owner}, ' ', ''), char(9), ''), char(160), '')"


def owner_key_sql_pg(owner: str) -> str:
    """``owner_key_sql`` on PostgreSQL (``chr`` for SQLite's ``char``), as indexed there."""
    return f"replace(replace(replace({owner}, ' ', ''), chr(9), ''), chr(160), '')"


@dataclass(frozen=True)
class Dialect:
    """The SQL that differs between SQLite and PostgreSQL, side by side."""

    due_end: str  # over ``r.due``, or the column holding it
    owner_key: str  # over ``r.owner``
    like: str  # case-insensitive LIKE
    fts: str  # ``r`` (a record) matches the full-text query ``:fts``

    @property
    def owner_keys(self) -> str:
        """Distinct owner keys by skipping through the index, one seek per owner, not
        per record."""
        return (
            "WITH RECURSIVE k(v) AS ("
            f" SELECT min({self.owner_key}) FROM records AS r WHERE r.type = 'recommendation'"
            f" UNION ALL SELECT (SELECT min({self.owner_key}) FROM records AS r"
            f" WHERE r.type = 'recommendation' AND {self.owner_key} > k.v) FROM k"
            f" WHERE k.v IS NOT NULL) SELECT v FROM k WHERE v {self.like} :owner ESCAPE '\\'"
        )


DIALECTS = {
    "sqlite": Dialect(
        due_end_sql("r.due"),
        owner_key_sql("r.owner"),
        LIKE["sqlite"],
        "r.id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH :fts)",
    ),
    "postgresql": Dialect(
        # the stored column (migration 0012), computed from ``due_end_sql_pg`` on write:
        # its indexes are read without working out a due date per row
        "r.due_end",
        owner_key_sql_pg("r.owner"),
        LIKE["postgresql"],
        # the stored words (migration 0011): the GIN index finds a rare word's records,
        # and for a common one the planner may walk the records testing them instead
        f"r.{TSV_COLUMN} @@ to_tsquery('simple', :fts)",
    ),
}
DUE_END = DIALECTS["sqlite"].due_end
OWNER_KEY = DIALECTS["sqlite"].owner_key


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


def where_clauses(flt: RecFilter, dialect: str = "sqlite") -> tuple[list[str], dict[str, Any]]:
    """SQL conditions on ``records AS r`` (recommendations) and their parameters."""
    sql = DIALECTS[dialect]
    # With a full-text filter FTS5 finds the rows and the other conditions are checked on
    # them: a unary + keeps SQLite from walking an index of every record instead.
    plus = "+" if flt.text is not None and dialect == "sqlite" else ""
    due, owner, status = f"{plus}({sql.due_end})", f"{plus}({sql.owner_key})", f"{plus}r.status"
    clauses = ["r.type = 'recommendation'"]
    params: dict[str, Any] = {}
    if flt.statuses:
        names = [f":status{i}" for i in range(len(flt.statuses))]
        clauses.append(f"{status} IN ({', '.join(names)})")
        params.update({n[1:]: s for n, s in zip(names, flt.statuses, strict=True)})
    if flt.owner is not None:
        clauses.append(f"{owner} IN ({sql.owner_keys})")
        params["owner"] = _like(owner_key(flt.owner))
    # PostgreSQL, with a full-text filter: the papers as an array, so the planner can
    # intersect the word's GIN index with the papers' records (their doc_id index) and
    # read only records in both, where it would walk every record in id order
    text_on_server = flt.text is not None and dialect != "sqlite"
    papers = "r.doc_id = ANY(ARRAY({}))" if text_on_server else "r.doc_id IN ({})"
    if flt.committee is not None:
        where = f"committee {sql.like} :committee ESCAPE '\\'"
        clauses.append(papers.format(f"SELECT doc_id FROM documents WHERE {where}"))
        params["committee"] = _like(" ".join(flt.committee.split()))
    if flt.due_before is not None:
        clauses.append(f"{due} < :due_before")
        params["due_before"] = flt.due_before
    if flt.due_after is not None:
        clauses.append(f"{due} > :due_after")
        params["due_after"] = flt.due_after
    if flt.overdue_as_of is not None:
        closed = ", ".join(f"'{s}'" for s in CLOSED)
        clauses.append(f"{due} < :as_of AND ({status} IS NULL OR {status} NOT IN ({closed}))")
        params["as_of"] = flt.overdue_as_of
    if flt.text is not None:
        clauses.append(sql.fts)
        params["fts"] = fts_query(flt.text) if dialect == "sqlite" else tsquery(flt.text)
    if flt.docs:
        clauses.append(papers.format(_docs_clause(flt.docs, params, sql.like)))
    return clauses, params


def order_by(flt: RecFilter, dialect: str = "sqlite") -> str:
    """Due filters list by due date, an owner filter by owner, else ingest order: each an
    index order, so the first rows come without sorting every match.  Full-text matches
    come in ingest order (FTS5 gives them so)."""
    sql = DIALECTS[dialect]
    if flt.text is not None:
        return "r.id"
    if flt.due_before or flt.due_after or flt.overdue_as_of:
        return f"{sql.due_end}, r.id"
    if flt.owner is not None:
        return f"{sql.owner_key}, r.id"
    return "r.id"


def _docs_clause(docs: tuple[str, ...], params: dict[str, Any], like: str = "LIKE") -> str:
    """The papers ``docs`` names, as a query of their doc_ids."""
    parts = []
    for i, key in enumerate(docs):
        parts.append(f"doc_id {like} :docp{i} ESCAPE '\\' OR source = :docn{i}")
        params[f"docp{i}"] = _like(key)[1:]  # a prefix: no leading %
        params[f"docn{i}"] = key
    return f"SELECT doc_id FROM documents WHERE {' OR '.join(parts)}"


def find_recommendations(
    conn: Connectable, flt: RecFilter = RecFilter(), limit: int | None = None
) -> list[dict[str, Any]]:
    """Stored recommendations that pass ``flt`` as plain dicts, in ``order_by`` order."""
    name = dialect_of(conn)
    clauses, params = where_clauses(flt, name)
    where, order = " AND ".join(clauses), order_by(flt, name)
    columns = (
        "SELECT r.doc_id, d.source, d.committee, d.meeting_date, r.ref, r.text, r.owner,"
        f" r.status, r.due, {DIALECTS[name].due_end} AS due_end, r.pages, r.id AS record_id"
    )
    joined = "FROM records AS r JOIN documents AS d ON d.doc_id = r.doc_id"
    sql = f"{columns} {joined} WHERE {where} ORDER BY {order}"
    if limit is not None:
        params["limit"] = limit
        if name == "sqlite":
            sql += " LIMIT :limit"
        else:  # the page's ids first, then only its rows read
            sql = (
                f"{columns} FROM ({_page_ids(flt, where, order)}) AS page"
                " JOIN records AS r ON r.id = page.id JOIN documents AS d ON d.doc_id = r.doc_id"
                f" ORDER BY {order}"
            )
    return [_plain(dict(zip(COLUMNS, row, strict=True))) for row in _execute(conn, sql, params)]


def _page_ids(flt: RecFilter, where: str, order: str) -> str:
    """PostgreSQL: the ids of the first ``:limit`` matches, read from an index alone where
    it can. Listed by owner, the matches are fenced (OFFSET 0) and sorted: each matching
    owner's ids come from the owner index, where walking that index in order from the
    first owner to the first match would read a record for every owner before it."""
    if order.startswith(DIALECTS["postgresql"].owner_key):
        key = DIALECTS["postgresql"].owner_key
        return (
            f"SELECT id FROM (SELECT r.id, {key} AS owner_key FROM records AS r WHERE {where}"
            " OFFSET 0) AS m ORDER BY owner_key, id LIMIT :limit"
        )
    return f"SELECT r.id FROM records AS r WHERE {where} ORDER BY {order} LIMIT :limit"


def count_recommendations(conn: Connectable, flt: RecFilter = RecFilter()) -> int:
    """How many stored recommendations pass ``flt``."""
    clauses, params = where_clauses(flt, dialect_of(conn))
    sql = f"SELECT count(*) FROM records AS r WHERE {' AND '.join(clauses)}"
    return int(_execute(conn, sql, params)[0][0])


def _execute(conn: Connectable, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    try:
        return list(rows(conn, sql, params))
    except query_errors(conn) as exc:  # only the full-text query can be malformed
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SearchError(f"cannot search: {reason}") from exc


def _plain(out: dict[str, Any]) -> dict[str, Any]:
    pages = out.get("pages")
    if isinstance(pages, str):
        out["pages"] = [int(p) for p in re.findall(r"\d+", pages)] or None
    return out
