"""Auditors' commands: diff successive tracker versions (series, history, slippage)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.console import Console

from ingest.cli_common import (
    DEFAULT_DB,
    HELP_OPTIONS,
    DbOption,
    app,
    existing_db,
    fail,
    format_option,
    open_out,
)
from ingest.terminal import printable

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from store.series import Series

series_app = typer.Typer(
    help="Series: successive versions of one tracker (grouped automatically or by hand).",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=HELP_OPTIONS,
)
app.add_typer(series_app, name="series")

SeriesOption = Annotated[
    str | None, typer.Option("--series", help="Series name (see `papertrail series list`).")
]
OutputOption = Annotated[Path | None, typer.Option("-o", "--output", help="File; default stdout.")]


DiffFormat = Literal["text", "json", "html"]
TextFormat = Literal["text", "json"]


def resolve_documents(conn: Connection, keys: list[str]) -> list[dict[str, Any]]:
    """Documents named by doc_id (or prefix), file name, or the path of an ingested file."""
    from store.load import find_document
    from store.queries import DocumentNotFound, find_documents

    named = []
    for key in keys:
        path = Path(key)
        if path.is_file():  # a path: find it by its bytes, wherever it was ingested from
            doc_id = find_document(conn, hashlib.sha256(path.read_bytes()).hexdigest())
            if doc_id is None:
                fail(f"{key}: this file is not in the database (ingest it first)")
            key = doc_id
        named.append(key)
    try:
        return find_documents(conn, named)
    except DocumentNotFound as exc:
        fail(str(exc))


def find_series(engine: Engine, name: str) -> Series:
    """The series of this name (an error, exit 1, when there is none), noting when the
    grouping is out of date."""
    from store.series import SeriesNotFound, get_series

    _check_grouping(engine)
    with engine.connect() as conn:
        try:
            return get_series(conn, name)
        except SeriesNotFound as exc:
            fail(str(exc))


def _check_grouping(engine: Engine) -> None:
    """Reading commands do not regroup (they never write): they say when it is due."""
    from store.series import grouping_stale

    with engine.connect() as conn:
        stale = grouping_stale(conn)
    if stale:
        Console(stderr=True).print(
            "note: papers were stored since the series were grouped (a batch was stopped); "
            "run `papertrail migrate` to regroup them",
            markup=False,
        )


def _write(output: Path | None, text: str, people: bool = True) -> None:
    """``text`` to the file or stdout; text for people has its control characters
    escaped (json escapes its own, html is a file for a browser)."""
    with open_out(output) as fh:
        fh.write(printable(text, keep_newlines=True) if people else text)


@app.command()
def diff(
    docs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[DOC...]",
            help="Two or more doc_ids (or prefixes), file names or paths, oldest first.",
        ),
    ] = None,
    series: SeriesOption = None,
    db: DbOption = DEFAULT_DB,
    format: Annotated[DiffFormat, format_option("text, json or html.")] = "text",
    output: OutputOption = None,
    link_base: Annotated[
        str | None,
        typer.Option(
            "--link-base",
            help="html: link papers as this URL or folder + file name "
            "[default: the file name, beside the report].",
        ),
    ] = None,
) -> None:
    """Show what changed between successive versions of a progress tracker.

    Each consecutive pair is compared: status, due date, owner, text and response changes
    per recommendation, new dated updates, and recommendations added or removed. With
    --series, every consecutive pair of the series (JSON: always a list). Text shows a
    changed wording in full with the words marked ([-gone-] {+new+}).

    html is a report to e-mail: a title block, a summary of each pair at the top, the
    changes under readable names with changed words highlighted, and links to the papers
    relative to --link-base (e.g. the committee's web folder) or to their file names.

    Example:

    \b
        papertrail diff sid-v1.docx sid-v2.pdf --db council.db --format html -o d.html
        papertrail diff --series cgc-strategy-improvement-2008 --db council.db --format json
        papertrail diff --series custody-audit --format html -o d.html --link-base https://x.gov.uk/papers/
    """
    from ingest.diff_html import render_html
    from ingest.diff_report import render_json, render_text
    from store.diff import compare
    from store.queries import find_documents
    from store.series import items_of, series_diffs

    if bool(series) == bool(docs) or (docs and len(docs) < 2):
        fail("diff needs two or more documents, or --series NAME (not both)", code=2)
    engine = existing_db(db)
    if series:
        found_series = find_series(engine, series)
        with engine.connect() as conn:
            diffs = series_diffs(conn, found_series)
            found = find_documents(conn, found_series.doc_ids)
    else:
        with engine.connect() as conn:
            found = resolve_documents(conn, docs or [])
            ids = [d["doc_id"] for d in found]
            recs = items_of(conn, ids)
        diffs = [compare(a, recs[a], b, recs[b]) for a, b in zip(ids, ids[1:], strict=False)]
    infos = {d["doc_id"]: d for d in found}
    render: dict[str, Callable[[], str]] = {
        "text": lambda: render_text(diffs, infos),
        "json": lambda: render_json(diffs, as_list=bool(series) or len(diffs) != 1),
        "html": lambda: render_html(diffs, infos, series, link_base),
    }
    _write(output, render[format](), people=format == "text")


@series_app.command("list")
def series_list(
    db: DbOption = DEFAULT_DB,
    format: Annotated[TextFormat, format_option("text or json.")] = "text",
) -> None:
    """List the series: name, auto or manual, and their papers oldest first.

    Example:

    \b
        papertrail series list --db council.db
    """
    from ingest.diff_report import render_rows_json, render_series_text, series_as_dict
    from store.series import list_series

    engine = existing_db(db)
    _check_grouping(engine)
    with engine.connect() as conn:
        found = list_series(conn)
    if format == "json":
        _write(None, render_rows_json([series_as_dict(s) for s in found]), people=False)
    else:
        _write(None, render_series_text(found))


@series_app.command("show")
def series_show(
    name: Annotated[str, typer.Argument(help="Series name.")],
    db: DbOption = DEFAULT_DB,
    format: Annotated[TextFormat, format_option("text or json.")] = "text",
) -> None:
    """Show one series: its papers in meeting order.

    Example:

    \b
        papertrail series show cgc-strategy-improvement-2008 --db council.db
    """
    from ingest.diff_report import render_rows_json, render_series_text, series_as_dict

    found = find_series(existing_db(db), name)
    text = render_rows_json(series_as_dict(found)) if format == "json" else None
    _write(None, text or render_series_text([found]), people=text is None)


@series_app.command("add")
def series_add(
    name: Annotated[str, typer.Argument(help="Series name (made if new).")],
    docs: Annotated[
        list[str],
        typer.Argument(metavar="DOC...", help="doc_ids (or prefixes), file names or paths."),
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Put papers in a series by hand (kept in meeting order; automatic grouping then
    leaves them alone). Says what it changed: the series made or turned from automatic
    to hand-made, the papers added, and any automatic series that lost papers to it or
    was dissolved.

    Example:

    \b
        papertrail series add custody-audit arc-20090310.docx arc-20090915.pdf --db council.db
    """
    from ingest.diff_report import render_series_text, series_changes
    from store.series import add_to_series, ensure_series, list_series

    engine = existing_db(db, write=True)
    ensure_series(engine)
    with engine.connect() as conn:
        ids = [d["doc_id"] for d in resolve_documents(conn, docs)]
        before = list_series(conn)
    made = add_to_series(engine, name, ids)
    with engine.connect() as conn:
        after = list_series(conn)
    changed = "".join(f"{line}\n" for line in series_changes(before, after, name))
    _write(None, changed + render_series_text([made]))


@series_app.command("remove")
def series_remove(
    name: Annotated[str, typer.Argument(help="Series name.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Delete a series (an automatic one is grouped again at the next ingest).

    Example:

    \b
        papertrail series remove custody-audit --db council.db
    """
    from store.series import SeriesNotFound, remove_series

    try:
        remove_series(existing_db(db, write=True), name)
    except SeriesNotFound as exc:
        fail(str(exc))


@app.command()
def history(
    ref: Annotated[str, typer.Argument(help="The recommendation's ref (as now, or as before).")],
    series: SeriesOption = None,
    db: DbOption = DEFAULT_DB,
    format: Annotated[TextFormat, format_option("text or json.")] = "text",
    output: OutputOption = None,
) -> None:
    """One recommendation's timeline across a series: status, owner, due date and the
    updates each paper added.

    The recommendation is followed by ref and, where it was renumbered or reworded, by text.

    Example:

    \b
        papertrail history 3 --series cgc-strategy-improvement-2008 --db council.db
    """
    from ingest.diff_report import history_rows, render_history_text, render_rows_json
    from store.diff import find_threads
    from store.series import series_threads

    if not series:
        fail("history needs --series NAME (see `papertrail series list`)", code=2)
    engine = existing_db(db)
    found = find_series(engine, series)
    with engine.connect() as conn:
        threads = find_threads(series_threads(conn, found), ref)
    if not threads:
        fail(f"{ref}: no recommendation with this ref in series {series}")
    rows = history_rows(found, threads)
    text = render_rows_json(rows) if format == "json" else render_history_text(rows)
    _write(output, text, people=format != "json")


@app.command()
def slippage(
    series: SeriesOption = None,
    db: DbOption = DEFAULT_DB,
    format: Annotated[TextFormat, format_option("text or json.")] = "text",
    output: OutputOption = None,
) -> None:
    """Recommendations whose due date moved later (how often, by how much) and whose
    status went back (complete -> ongoing), in one series or all.

    Example:

    \b
        papertrail slippage --series cgc-strategy-improvement-2008 --db council.db
    """
    from ingest.diff_report import render_rows_json, render_slippage_text, slippage_rows
    from store.diff import slippage as find_slippage
    from store.series import list_series, series_threads

    engine = existing_db(db)
    chosen = [find_series(engine, series)] if series else None
    if chosen is None:
        _check_grouping(engine)
    with engine.connect() as conn:
        rows = [
            row
            for s in chosen or list_series(conn)
            for row in slippage_rows(s.name, find_slippage(series_threads(conn, s)))
        ]
    text = render_rows_json(rows) if format == "json" else render_slippage_text(rows)
    _write(output, text, people=format != "json")
