"""Analysts' commands: filter recommendations, full-text search, SQL, savings and RAG views.

Each command asks ``store`` for plain data and hands it to a renderer: a rich table for
people (``--format table``, the default) or csv / json / jsonl for scripts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ingest.cli_common import (
    DEFAULT_DB,
    DbOption,
    app,
    fail,
    open_out,
    reading,
    resolve_docs,
)
from ingest.narrow import block, blocks
from ingest.output import DocOption, FormatOption, OutputOption, Rows, show, write_rows
from ingest.terminal import cell, printable

if TYPE_CHECKING:
    from store.search import SearchHit

# Marks around matched words in snippets; the table renderer turns them into highlights.
MARKS = ("[", "]")
_TERMINAL_MARKS = ("\x02", "\x03")


@app.command()
def recs(
    db: DbOption = DEFAULT_DB,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", help="complete, ongoing, not_started or superseded (repeatable)."),
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Owner contains this; case and spacing ignored.")
    ] = None,
    committee: Annotated[
        str | None, typer.Option("--committee", help="Committee contains this; case ignored.")
    ] = None,
    due_before: Annotated[
        str | None,
        typer.Option("--due-before", help="Due period ends before this date (YYYY-MM-DD)."),
    ] = None,
    due_after: Annotated[
        str | None,
        typer.Option("--due-after", help="Due period ends after this date (YYYY-MM-DD)."),
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Due date passed and not complete or superseded.")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Date --overdue is judged on (YYYY-MM-DD; implies --overdue); default today.",
        ),
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Full-text: every word in the recommendation.")
    ] = None,
    doc: DocOption = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="At most this many rows; 0 for every row.")
    ] = 0,
    format: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """List stored recommendations; filters combine (all must hold).

    A due value is compared on the last day it allows: "2009" ends on 2009-12-31,
    "2009-03" on 2009-03-31, "FY2008/09" on 2009-03-31, "2009-Q2" with September.

    Example:

    \b
        papertrail recs --db council.db --owner "head of hr" --overdue --as-of 2010-04-01
        papertrail recs --db council.db --status ongoing --text "succession planning" --format csv
    """
    from store.register import (
        FilterError,
        RecFilter,
        check_date,
        find_recommendations,
        parse_status,
    )
    from store.search import SearchError

    try:
        flt = RecFilter(
            statuses=tuple(parse_status(s) for s in status or ()),
            owner=owner,
            committee=committee,
            due_before=due_before,
            due_after=due_after,
            overdue_as_of=check_date(as_of, "--as-of")
            if as_of
            else (date.today().isoformat() if overdue else None),
            text=text,
            docs=tuple(doc or ()),
        )
    except (FilterError, SearchError) as exc:
        fail(str(exc), code=2)
    with reading(db) as conn:
        resolve_docs(conn, doc)  # an unknown --doc is an error, not "no recommendations"
        try:
            found = find_recommendations(conn, flt, limit=limit or None)
        except SearchError as exc:
            fail(str(exc))
    if format != "table":
        with open_out(output) as fh:
            write_rows(found, format, fh)
        return
    if not found:
        show(["no recommendations match"], output)
        return
    show(lambda narrow: [recs_blocks(found) if narrow else recs_table(found)], output)


def recs_table(found: Rows) -> Table:
    """Recommendations for reading: paper, ref, status, due, owner and text (the
    committee and meeting date are in the csv and json)."""
    table = Table(
        title=f"{len(found)} recommendation{'s' * (len(found) != 1)}", title_justify="left"
    )
    table.add_column("paper", max_width=20, no_wrap=True, overflow="ellipsis")
    for name in ("ref", "status", "due"):
        table.add_column(name, no_wrap=True)
    table.add_column("owner", ratio=1)
    table.add_column("recommendation", ratio=3)
    for r in found:
        table.add_row(
            cell(r["source"] or r["doc_id"]),
            cell(r["ref"]),
            (r["status"] or "").replace("_", " "),
            r["due"] or "",
            cell(r["owner"]),
            cell(_preview(r["text"] or "", 200)),
        )
    return table


def recs_blocks(found: Rows) -> Any:
    """The same for a narrow terminal: one block per recommendation."""
    return blocks(
        f"{len(found)} recommendation{'s' * (len(found) != 1)}",
        [
            block(
                [r["source"] or r["doc_id"], r["ref"] and f"ref {r['ref']}",
                 (r["status"] or "").replace("_", " "), r["due"] and f"due {r['due']}"],
                [("owner", r["owner"]), ("", _preview(r["text"] or "", 400))],
            )
            for r in found
        ],
    )  # fmt: skip


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="Words to find (all of them), or FTS5 syntax.")],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", help="Best this many passages.")] = 20,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="record, cell or block (repeatable); default all."),
    ] = None,
    doc: DocOption = None,
    format: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Full-text search over records, table cells and the papers' text, best first.

    Every word must occur (any order); "recruit*" matches words starting "recruit";
    quotes, AND, OR, NOT and NEAR are read as FTS5 query syntax.  Where a query matches
    more than 2,000 passages of a kind, the most recently stored 2,000 are ranked.

    Example:

    \b
        papertrail search "succession planning" --db council.db --limit 10
    """
    from store.search import KINDS, RANK_WINDOW, SearchError, search

    for k in kind or ():
        if k not in KINDS:
            fail(f"--kind {k}: one of {', '.join(KINDS)}", code=2)
    marks = _TERMINAL_MARKS if format == "table" else MARKS
    with reading(db) as conn:
        resolve_docs(conn, doc)
        try:
            result = search(
                conn,
                query,
                limit=limit,
                kinds=tuple(kind or KINDS),
                doc_ids=tuple(doc or ()),
                marks=marks,
            )
        except SearchError as exc:
            fail(str(exc))
    hits = result.hits
    if result.capped:
        Console(stderr=True).print(
            f"note: many matches among {', '.join(k + 's' for k in result.capped)}: the "
            f"{RANK_WINDOW:,} most recently stored of each were ranked",
            markup=False,
        )
    if format != "table":
        with open_out(output) as fh:
            write_rows([h.as_dict() for h in hits], format, fh)
        return
    if not hits:
        show([f"nothing found for {query!r}"], output)
        return
    show(lambda narrow: [(search_blocks if narrow else search_table)(query, hits)], output)


def search_blocks(query: str, hits: Sequence[SearchHit]) -> Any:
    """The same for a narrow terminal: one block per passage."""
    return blocks(
        f"{query!r}: {len(hits)} best",
        [block([h.source, _page(h.page), h.where], [("", _highlight(h.snippet))]) for h in hits],
    )


def search_table(query: str, hits: Sequence[SearchHit]) -> Table:
    """Hits with the matched words highlighted, and where each was printed."""
    table = Table(title=cell(f"{query!r}: {len(hits)} best"), title_justify="left")
    table.add_column("paper", max_width=20, no_wrap=True, overflow="ellipsis")
    table.add_column("page", no_wrap=True)
    table.add_column("where", no_wrap=True)
    table.add_column("snippet", ratio=3)
    for h in hits:
        table.add_row(
            cell(h.source), "" if h.page is None else str(h.page), h.where, _highlight(h.snippet)
        )
    return table


def _page(page: int | None) -> str | None:
    return None if page is None else f"p.{page}"


def _highlight(snippet: str) -> Text:
    out = Text()
    opened, closed = _TERMINAL_MARKS
    for i, part in enumerate(snippet.replace(closed, opened).split(opened)):
        out.append(printable(part, keep_newlines=True), style="bold yellow" if i % 2 else "")
    return out


def _preview(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
