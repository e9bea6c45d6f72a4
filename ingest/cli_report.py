"""The ``report`` command: one series' status on one page, for the next committee paper."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer

from ingest.cli_common import DEFAULT_DB, DbOption, app, existing_db, fail, format_option, open_out

ReportFormat = Literal["html", "pdf"]


@app.command()
def report(
    series: Annotated[str, typer.Argument(help="Series name (see `papertrail series list`).")],
    db: DbOption = DEFAULT_DB,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File (.html or .pdf); default: HTML on stdout."),
    ] = None,
    format: Annotated[
        ReportFormat | None,
        format_option("html or pdf [default: from the -o file's suffix, else html]."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Day overdue is judged on (YYYY-MM-DD); default today."),
    ] = None,
) -> None:
    """A one-page status report on a series, for a clerk to paste into the next paper.

    The series' name and committee, its latest paper and the one before; how many
    recommendations (and actions) of the latest paper are complete, superseded,
    ongoing, overdue, not started or without a status, with a chart; then what moved
    since the previous paper: deadlines moved later, status changes, items added,
    closed and removed; and the overdue items. Overdue: the due period ended before
    --as-of and the item is not complete or superseded (as `papertrail recs --overdue`).

    html is one self-contained page (styles and chart inline); pdf one A4 page drawn
    with matplotlib (long lists are cut short, saying how many more).

    Example:

    \b
        papertrail report custody-audit --db council.db -o status.html
        papertrail report custody-audit --db council.db -o status.pdf --as-of 2009-10-01
    """
    from ingest.cli_audit import find_series
    from ingest.status_figures import render_pdf, standing_svg
    from ingest.status_report import render_html
    from store.register import FilterError, check_date
    from store.series_report import series_status

    chosen = format or ("pdf" if output is not None and output.suffix.lower() == ".pdf" else "html")
    if chosen == "pdf" and output is None:
        fail("pdf is written to a file: give -o FILE.pdf", code=2)
    try:
        day = check_date(as_of, "--as-of") if as_of else date.today().isoformat()
    except FilterError as exc:
        fail(str(exc), code=2)
    engine = existing_db(db)
    found = find_series(engine, series)
    with engine.connect() as conn:
        status = series_status(conn, found, day)
    if chosen == "pdf":
        assert output is not None
        try:
            render_pdf(status, output)
        except OSError as exc:
            fail(f"{output}: cannot write ({exc.strerror or exc})")
        return
    page = render_html(status, standing_svg(status.standing))
    with open_out(output) as fh:
        fh.write(page)
