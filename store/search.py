"""Full-text search over records, table cells and the documents' running text.

Three FTS5 indexes answer a query — ``records_fts``, ``cells_fts`` and ``blocks_fts`` —
each ranked by bm25, merged best first.  A recommendation's text is also the text of the
cell it was read from; the cell hit is then dropped, so each passage is listed once, as
the most meaningful thing it belongs to (record, then cell, then paragraph).

On PostgreSQL the same three searches run as one statement, over GIN indexes of each
table's ``text_tsv``, its text's words stored as ``to_tsvector('simple', text)``
(migrations 0002, 0003, 0011): words as printed, as FTS5's tokenizer takes them, every
word required, a trailing ``*`` a prefix; ranked by ``ts_rank_cd`` over the stored words
with the length normalisation bm25 also has (negated, so lower is better here too),
snippets by ``ts_headline``. The two versions of each query sit side by side below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from store.reader import LIKE, Connectable, dialect, query_errors, rows

KINDS = ("record", "cell", "block")
# Ranking costs about 5 microseconds a match, so a word in 60,000 records would take
# 300 ms to rank; past this many matches of a kind only the most recently stored are
# ranked (``SearchResult.capped`` says which kinds), which keeps every search fast.
RANK_WINDOW = 2000
# Entities repeat words of the record they were tagged in; listing them adds nothing.
UNSEARCHED_TYPES = ("entity",)
SNIPPET_TOKENS = 16
# Words FTS5 reads as operators when written in capitals; a query using them (or quotes,
# brackets, a column filter) is passed to FTS5 as written.
_OPERATORS = re.compile(r'\b(AND|OR|NOT|NEAR)\b|["():^]')
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*\*?|\*")


class SearchError(Exception):
    """A full-text query that SQLite cannot read."""


@dataclass(frozen=True)
class SearchHit:
    """One matching passage and where it was printed."""

    kind: str  # record | cell | block
    doc_id: str
    source: str
    page: int | None
    where: str  # "recommendation 4", "table 2 row 3", "paragraph 17", "title"
    snippet: str
    rank: float  # bm25: lower is better
    text: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SearchResult:
    """The best hits, and which kinds had too many matches to rank them all."""

    hits: list[SearchHit]
    capped: list[str]  # kinds with more matches than RANK_WINDOW: newest ones ranked


def fts_query(query: str) -> str:
    """An FTS5 query from what a person typed: every word must occur, in any order.

    ``succession planning`` -> ``"succession" "planning"``; a trailing ``*`` keeps its
    prefix meaning (``recruit*``).  A query already in FTS5 syntax is left alone.
    """
    if _OPERATORS.search(query):
        return query
    terms = []
    for word in _WORD.findall(query):
        stem = word.rstrip("*")
        if stem:
            terms.append(f'"{stem}"' + ("*" if word.endswith("*") else ""))
    if not terms:
        raise SearchError(f"nothing to search for in {query!r}")
    return " ".join(terms)


# PostgreSQL: the column holding ``to_tsvector('simple', coalesce(text, ''))`` of a
# record's, cell's or block's text (a stored generated column, migration 0011).
TSV_COLUMN = "text_tsv"
_PG_TOKEN = re.compile(r'"([^"]*)"|\b(AND|OR|NOT)\b|\bNEAR\b|([()])|' + _WORD.pattern)


def _lexeme(word: str) -> str:
    stem = word.rstrip("*")
    quoted = "'" + stem.replace("'", "''").replace("\\", "\\\\") + "'"
    return quoted + (":*" if word.endswith("*") else "")


def tsquery(query: str) -> str:
    """What a person typed as PostgreSQL's ``to_tsquery`` text, meaning what ``fts_query``
    means to FTS5: every word, any order; ``"a phrase"``, ``AND``, ``OR``, ``NOT`` and
    brackets as FTS5 reads them (``NEAR`` as AND)."""
    out: list[str] = []
    operand = False  # the last thing written can be followed by an implicit AND
    for match in _PG_TOKEN.finditer(query):
        phrase, op, bracket = match.group(1), match.group(2), match.group(3)
        if op or (match.group() == "NEAR"):
            out.append({"AND": "&", "OR": "|", "NOT": "& !"}.get(op or "", "&"))
            operand = False
            continue
        if bracket == ")":
            out.append(")")
            operand = True
            continue
        term = "(" if bracket else None
        if phrase is not None:
            words = _WORD.findall(phrase)
            if not words:
                continue
            term = "(" + " <-> ".join(_lexeme(w) for w in words) + ")"
        elif term is None:
            stem = match.group().rstrip("*")
            if not stem:
                continue
            term = _lexeme(match.group())
        if operand:
            out.append("&")
        out.append(term)
        operand = term != "("
    if not out:
        raise SearchError(f"nothing to search for in {query!r}")
    return " ".join(out)


def _first_page(pages: Any) -> int | None:
    if isinstance(pages, list):
        return next((p for p in pages if isinstance(p, int)), None)
    if isinstance(pages, str):
        match = re.search(r"\d+", pages)
        return int(match.group()) if match else None
    return None


# Each source: SQL giving (doc_id, source, page, where, snippet, rank, text), best first.
_SQL = {
    "record": """
        SELECT r.doc_id, d.source, r.pages,
               CASE r.type WHEN 'document' THEN 'title'
               WHEN 'table' THEN 'table ' || r.table_index || ' caption'
               ELSE r.type || coalesce(' ' || r.ref, '') END, hit.snip, hit.rank, r.text
        FROM (SELECT rowid, snippet(records_fts, 0, :open, :close, '…', :tokens) AS snip,
                     rank FROM records_fts WHERE records_fts MATCH :q AND rowid > :floor
              ORDER BY rank
              LIMIT :scan) AS hit
        JOIN records AS r ON r.id = hit.rowid
        JOIN documents AS d ON d.doc_id = r.doc_id
        WHERE r.type NOT IN ({unsearched}) {doc}
        ORDER BY hit.rank""",
    "cell": """
        SELECT c.doc_id, d.source, c.pages,
               'table ' || t.table_index || CASE c.is_header WHEN 1 THEN ' header'
               ELSE ' row ' || (c.row_index + 1) END, hit.snip, hit.rank, c.text
        FROM (SELECT rowid, snippet(cells_fts, 0, :open, :close, '…', :tokens) AS snip,
                     rank FROM cells_fts WHERE cells_fts MATCH :q AND rowid > :floor
              ORDER BY rank
              LIMIT :scan) AS hit
        JOIN cells AS c ON c.id = hit.rowid
        JOIN tables AS t ON t.id = c.table_id
        JOIN documents AS d ON d.doc_id = c.doc_id
        WHERE 1 {doc}
        ORDER BY hit.rank""",
    "block": """
        SELECT b.doc_id, d.source, b.page, b.kind || ' ' || (b.ordinal + 1), hit.snip,
               hit.rank, b.text
        FROM (SELECT rowid, snippet(blocks_fts, 0, :open, :close, '…', :tokens) AS snip,
                     rank FROM blocks_fts WHERE blocks_fts MATCH :q AND rowid > :floor
              ORDER BY rank
              LIMIT :scan) AS hit
        JOIN blocks AS b ON b.id = hit.rowid
        JOIN documents AS d ON d.doc_id = b.doc_id
        WHERE 1 {doc}
        ORDER BY hit.rank""",
}
# The same on PostgreSQL, every kind in one statement (one round trip, each kind's words
# found through its own GIN index or by walking its newest ids, as the planner judges):
# ``:q`` is a ``to_tsquery`` text, ``:headline`` ts_headline's options. Ranking reads the
# stored words; nothing is parsed again but the snippets shown. Each kind's newest
# ``:window`` + 1 matches are read once (all of them with ``doc_ids``: ``:window`` NULL):
# the newest ``:window`` are those above SQLite's floor and are ranked, and the one more,
# if there is one, says the window was full (a row with ``capped`` true). Asked for so,
# the planner walks the newest ids back for a common word rather than look up all its
# matches in the GIN index (a prefix such as ``recruit*``: 74 ms there alone).
_MATCHES_PG = (
    "{kind}_m AS (SELECT id, {tsv}, q, row_number() OVER (ORDER BY id DESC) AS n"
    " FROM (SELECT id, {tsv}, q FROM {table}, to_tsquery('simple', :q) AS q"
    " WHERE {tsv} @@ q ORDER BY id DESC LIMIT CAST(:window AS bigint) + 1) AS m)"
)
_RANKED_PG = (
    "SELECT id, -ts_rank_cd({tsv}, q, 1) AS rank, q FROM {kind}_m"
    " WHERE n <= coalesce(CAST(:window AS bigint), n) ORDER BY rank, id LIMIT :scan"
)
# Each kind's best hits, and a row for a kind whose window was full (``capped``).
_HITS_PG = {
    "record": """
        SELECT 'record' AS kind, {order} AS kind_order, hit.id, r.doc_id, d.source, r.pages,
               NULL::int AS page,
               CASE r.type WHEN 'document' THEN 'title'
               WHEN 'table' THEN 'table ' || r.table_index || ' caption'
               ELSE r.type || coalesce(' ' || r.ref, '') END AS place,
               ts_headline('simple', r.text, hit.q, :headline) AS snippet, hit.rank, r.text,
               false AS capped
        FROM ({ranked}) AS hit
        JOIN records AS r ON r.id = hit.id
        JOIN documents AS d ON d.doc_id = r.doc_id
        WHERE r.type NOT IN ({unsearched}) {doc}""",
    "cell": """
        SELECT 'cell' AS kind, {order} AS kind_order, hit.id, c.doc_id, d.source, c.pages,
               NULL::int AS page,
               'table ' || t.table_index || CASE c.is_header WHEN 1 THEN ' header'
               ELSE ' row ' || (c.row_index + 1) END AS place,
               ts_headline('simple', c.text, hit.q, :headline) AS snippet, hit.rank, c.text,
               false AS capped
        FROM ({ranked}) AS hit
        JOIN cells AS c ON c.id = hit.id
        JOIN tables AS t ON t.id = c.table_id
        JOIN documents AS d ON d.doc_id = c.doc_id
        WHERE true {doc}""",
    "block": """
        SELECT 'block' AS kind, {order} AS kind_order, hit.id, b.doc_id, d.source,
               NULL::jsonb AS pages, b.page, b.kind || ' ' || (b.ordinal + 1) AS place,
               ts_headline('simple', b.text, hit.q, :headline) AS snippet, hit.rank, b.text,
               false AS capped
        FROM ({ranked}) AS hit
        JOIN blocks AS b ON b.id = hit.id
        JOIN documents AS d ON d.doc_id = b.doc_id
        WHERE true {doc}""",
}
_CAPPED_PG = (
    "SELECT '{kind}', {order}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true"
    " FROM {kind}_m WHERE n > CAST(:window AS bigint)"
)


def search_sql_pg(kinds: Sequence[str], doc: str = "") -> str:
    """The one PostgreSQL statement searching ``kinds``: their hits best first (by rank,
    then in the order of ``kinds``, then by id, as SQLite's are merged), then a row for
    each kind whose window was full."""
    unsearched = ", ".join(f"'{t}'" for t in UNSEARCHED_TYPES)
    matches, parts, capped = [], [], []
    for order, kind in enumerate(kinds):
        names = {"kind": kind, "table": f"{kind}s", "tsv": TSV_COLUMN}
        matches.append(_MATCHES_PG.format(**names))
        ranked = _RANKED_PG.format(**names)
        parts.append(
            _HITS_PG[kind].format(order=order, ranked=ranked, unsearched=unsearched, doc=doc)
        )
        capped.append(_CAPPED_PG.format(kind=kind, order=order))
    return (
        f"WITH {', '.join(matches)} {' UNION ALL '.join(parts + capped)}"
        " ORDER BY capped, rank, kind_order, id"
    )


def search(
    conn: Connectable,
    query: str,
    *,
    limit: int = 20,
    kinds: Sequence[str] = KINDS,
    doc_ids: Sequence[str] = (),
    marks: tuple[str, str] = ("[", "]"),
) -> SearchResult:
    """The ``limit`` best passages matching ``query``, with a snippet marked by ``marks``.

    ``doc_ids`` (doc_ids, prefixes or file names) keeps hits from these documents only;
    all their matches are ranked.
    Raises ``SearchError`` for a query FTS5 cannot read.
    """
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise SearchError(f"unknown kind {sorted(unknown)[0]!r}; choose from {', '.join(KINDS)}")
    server = dialect(conn) != "sqlite"
    params: dict[str, Any] = {
        "q": tsquery(query) if server else fts_query(query),
        "open": marks[0],
        "close": marks[1],
        "tokens": SNIPPET_TOKENS,
        # a few more than asked: some are dropped as duplicates or by the filters
        "scan": limit * 3 + 20 if not doc_ids else (None if server else -1),
    }
    doc = _doc_filter(LIKE[dialect(conn)], doc_ids, params)
    if server:
        params["headline"] = _headline(marks)
        params["window"] = None if doc_ids else RANK_WINDOW
        hits, capped = _server_hits(conn, kinds, params, doc)
    else:
        hits, capped = [], []
        for kind in kinds:
            floor = None if doc_ids else _window_floor(conn, kind, params["q"])
            if floor is not None:
                capped.append(kind)
            hits.extend(_hits(conn, kind, {**params, "floor": floor or 0}, doc))
        hits.sort(key=lambda h: h.rank)
    return SearchResult(_dedupe(hits)[:limit], capped)


def _headline(marks: tuple[str, str]) -> str:
    """ts_headline's options: FTS5's snippet of about ``SNIPPET_TOKENS`` words."""

    def quoted(mark: str) -> str:
        return '"' + mark.replace('"', '""') + '"'

    return (
        f"StartSel={quoted(marks[0])}, StopSel={quoted(marks[1])}, "
        f"MaxWords={SNIPPET_TOKENS}, MinWords={SNIPPET_TOKENS // 2}, ShortWord=0, "
        'MaxFragments=1, FragmentDelimiter="…"'
    )


def _window_floor(conn: Connectable, kind: str, fts: str) -> int | None:
    """SQLite: the rowid below the RANK_WINDOW newest matches, or None if there are fewer."""
    table = f"{kind}s_fts"
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH :q ORDER BY rowid DESC LIMIT 1 OFFSET :w"
    found = _found(conn, sql, {"q": fts, "w": RANK_WINDOW})
    return int(found[0][0]) if found else None


def _doc_filter(like: str, doc_ids: Sequence[str], params: dict[str, Any]) -> str:
    """The condition keeping hits from ``doc_ids`` (a doc_id, a doc_id prefix or a file
    name each) on ``documents AS d``, its values bound in ``params``; "" for all."""
    if not doc_ids:
        return ""
    either = (f"d.doc_id {like} :doc{i} || '%' OR d.source = :doc{i}" for i in range(len(doc_ids)))
    params.update({f"doc{i}": d for i, d in enumerate(doc_ids)})
    return f"AND ({' OR '.join(either)})"


def _found(conn: Connectable, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    try:
        return list(rows(conn, sql, params))
    except query_errors(conn) as exc:
        raise SearchError(_fts_message(exc)) from exc


def _hit(kind: str, doc_id: str, source: str, page: Any, *rest: Any) -> SearchHit:
    where, snip, rank, body = rest
    page = page if isinstance(page, int) else _first_page(page)
    return SearchHit(kind, doc_id, source, page, where, snip, rank, body or "")


def _hits(conn: Connectable, kind: str, params: dict[str, Any], doc: str) -> list[SearchHit]:
    """SQLite: one kind's best hits."""
    unsearched = ", ".join(f"'{t}'" for t in UNSEARCHED_TYPES)
    sql = _SQL[kind].format(doc=doc, unsearched=unsearched)
    return [_hit(kind, *row) for row in _found(conn, sql, params)]


def _server_hits(
    conn: Connectable, kinds: Sequence[str], params: dict[str, Any], doc: str
) -> tuple[list[SearchHit], list[str]]:
    """PostgreSQL: every kind's best hits, merged best first, and the kinds capped."""
    hits: list[SearchHit] = []
    capped: list[str] = []
    if not kinds:
        return hits, capped
    for kind, _, _, doc_id, source, pages, page, where, snip, rank, body, full in _found(
        conn, search_sql_pg(kinds, doc), params
    ):
        if full:
            capped.append(kind)
        else:
            hits.append(_hit(kind, doc_id, source, pages if page is None else page,
                             where, snip, rank, body))  # fmt: skip
    return hits, capped


def _fts_message(exc: Exception) -> str:
    # the driver's first line: psycopg adds the statement and a pointer below it
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"cannot search: {reason}"


def _norm(value: str) -> str:
    return " ".join(value.split()).casefold()


def _dedupe(hits: Iterable[SearchHit]) -> list[SearchHit]:
    """Each passage once: a cell or paragraph repeating a record's (or a cell's) text in
    the same document is dropped; hits of one kind are all kept."""
    hits = list(hits)
    seen: dict[str, set[tuple[str, str]]] = {kind: set() for kind in KINDS}
    for hit in hits:
        seen[hit.kind].add((hit.doc_id, _norm(hit.text)))
    kept = []
    for hit in hits:
        key = (hit.doc_id, _norm(hit.text))
        earlier = KINDS[: KINDS.index(hit.kind)]
        if not any(key in seen[kind] for kind in earlier):
            kept.append(hit)
    return kept
