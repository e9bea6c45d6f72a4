"""Auditors' commands: diff successive tracker versions (series, history, slippage)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ingest.cli_common import DEFAULT_DB, DbOption, app, existing_db, fail, open_out
from store.export import iter_records
from store.queries import DocumentNotFound, find_documents


@app.command()
def diff(
    docs: Annotated[
        list[str],
        typer.Argument(
            metavar="DOC...", help="Two or more doc_ids (or prefixes) or file names, oldest first."
        ),
    ],
    db: DbOption = DEFAULT_DB,
    format: Annotated[str, typer.Option("--format", help="text, json or html.")] = "text",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File; default stdout.")
    ] = None,
) -> None:
    """Show what changed between successive versions of a progress tracker.

    Each consecutive pair is compared: status, due date, owner, text and response changes
    per recommendation, new dated updates, and recommendations added or removed.

    Example:

        papertrail diff sid-v1.docx sid-v2.pdf sid-v3.html --db council.db --format html -o d.html
    """
    from ingest.diff_report import render_html, render_json, render_text
    from store.diff import compare

    if format not in ("text", "json", "html") or len(docs) < 2:
        fail("diff needs two or more documents and --format text, json or html", code=2)
    engine = existing_db(db)
    with engine.connect() as conn:
        try:
            found = find_documents(conn, docs)
        except DocumentNotFound as exc:
            fail(str(exc))
        ids = [d["doc_id"] for d in found]
        recs = {i: list(iter_records(conn, doc_ids=[i], types=["recommendation"])) for i in ids}
    diffs = [compare(a, recs[a], b, recs[b]) for a, b in zip(ids, ids[1:], strict=False)]
    infos = {d["doc_id"]: d for d in found}
    text = {
        "text": lambda: render_text(diffs, infos),
        "json": lambda: render_json(diffs, as_list=len(diffs) > 1),
        "html": lambda: render_html(diffs, infos),
    }[format]()
    with open_out(output) as fh:
        fh.write(text)
