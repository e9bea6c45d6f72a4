"""`papertrail debug`: draw what the PDF table finder decided on one page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ingest.cli_common import app, fail


@app.command()
def debug(
    path: Annotated[Path, typer.Argument(help="A PDF file.", exists=True, dir_okay=False)],
    page: Annotated[int, typer.Option("--page", help="Page number, from 1.")] = 1,
    out: Annotated[Path, typer.Option("-o", "--out", help="PNG to write.")] = Path("page.png"),
    resolution: Annotated[int, typer.Option(help="Dots per inch of the picture.")] = 110,
) -> None:
    """Draw one PDF page with the words, ruling lines, tables, cells and header rows the
    table finder saw, and print how each table was found and its measured quality.

    Example:

    \b
        papertrail debug paper.pdf --page 3 -o page3.png
    """
    from parsers.errors import ParseError
    from parsers.pdf_debug import draw_page

    try:
        report = draw_page(path, page, out, resolution)
    except ParseError as exc:
        fail(str(exc))
        return
    for line in report:
        typer.echo(line)
    typer.echo(f"wrote {out}")
