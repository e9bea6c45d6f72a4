"""Analysts' views of figures: the savings pivot and RAG ratings over time.

Each command asks ``store.analysis`` for plain data and hands it to a renderer: a rich
table for people (``--format table``, the default) or csv / json / jsonl for scripts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from ingest.cli_common import DEFAULT_DB, DbOption, app, existing_db, open_out, resolve_docs
from ingest.output import DocOption, FormatOption, OutputOption, show, write_rows
from ingest.terminal import cell

if TYPE_CHECKING:
    from store.analysis import RagHistory, SavingsPivot


@app.command()
def savings(
    db: DbOption = DEFAULT_DB,
    doc: DocOption = None,
    unit: Annotated[str | None, typer.Option("--unit", help='Only this unit, e.g. "£m".')] = None,
    format: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Savings as a pivot: items down, periods across, with totals; one per paper and unit.

    Rows printed as totals ("Total ...") are shown in italics and left out of the
    computed totals, so the printed and computed figures can be compared.

    Example:

    \b
        papertrail savings --db council.db --unit "£m"
    """
    from store.analysis import pivot_savings, savings_rows

    engine = existing_db(db)
    resolve_docs(engine, doc)
    with engine.connect() as conn:
        pivots = pivot_savings(savings_rows(conn, tuple(doc or ()), unit))
    if format != "table":
        with open_out(output) as fh:
            write_rows([p.as_dict() for p in pivots], format, fh)
        return
    show([pivot_table(p) for p in pivots] or ["no savings stored"], output)


def pivot_table(pivot: SavingsPivot) -> Table:
    """One paper's savings in one unit, with a total column and a total row."""
    title = f"{pivot.source}  {pivot.meeting_date or ''}  ({pivot.unit or 'no unit'})"
    table = Table(title=cell(title), title_justify="left", show_footer=True)
    table.add_column("item", footer="total", ratio=1)
    table.add_column("group", no_wrap=True)
    totals = pivot.period_totals()
    for period in pivot.periods:
        table.add_column(period, justify="right", footer=_num(totals[period]))
    table.add_column("total", justify="right", footer=_num(pivot.grand_total()))
    for row in pivot.rows:
        cells = [_num(row.values[p]) if p in row.values else "" for p in pivot.periods]
        table.add_row(
            cell(row.item),
            cell(row.group),
            *cells,
            _num(row.total),
            style="italic" if row.is_total else None,
        )
    return table


def _num(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


@app.command()
def rag(
    db: DbOption = DEFAULT_DB,
    programme: Annotated[
        str | None, typer.Option("--programme", help="Programme name contains this.")
    ] = None,
    changes: Annotated[
        bool, typer.Option("--changes", help="List every change of rating over time instead.")
    ] = False,
    format: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Latest RAG rating per programme (and criterion), and how it changed across papers.

    Papers are taken in meeting-date order; json gives each programme's whole history.

    Example:

    \b
        papertrail rag --db council.db
        papertrail rag --db council.db --changes --programme "change programme"
    """
    from store.analysis import rag_histories, rag_rows

    engine = existing_db(db)
    with engine.connect() as conn:
        histories = rag_histories(rag_rows(conn, programme))
    rows = _change_rows(histories) if changes else _latest_rows(histories)
    if format == "json" and not changes:
        rows = [h.as_dict() for h in histories]
    if format != "table":
        with open_out(output) as fh:
            write_rows(rows, format, fh)
        return
    title = "RAG changes" if changes else "Latest RAG ratings"
    table = Table(title=title, title_justify="left")
    shown = [k for k in (rows[0] if rows else ()) if k not in ("paper", "papers")]
    for name in shown:
        table.add_column(
            name,
            ratio=1 if name in ("programme", "criterion") else None,
            no_wrap=name not in ("programme", "criterion"),
        )
    for row in rows:
        table.add_row(*(_rating(k, row[k]) for k in shown))
    show([table] if rows else ["no RAG ratings stored" if not changes else "no changes"], output)


_RAG_STYLE = {"red": "bold red", "amber": "bold yellow", "green": "bold green"}


def _rating(key: str, value: Any) -> Text:
    text = "" if value is None else str(value)
    style = _RAG_STYLE.get(text) if key in ("rating", "previous", "from", "to") else None
    return cell(text, style=style or "")


def _latest_rows(histories: Sequence[RagHistory]) -> list[dict[str, Any]]:
    rows = []
    for h in histories:
        last, moves = h.latest, h.changes()
        rows.append(
            {
                "programme": h.programme,
                "criterion": h.criterion,
                "rating": last.rating,
                "as_of": last.meeting_date,
                "paper": last.source,
                "previous": moves[-1][0].rating if moves else None,
                "changed_in": moves[-1][1].meeting_date if moves else None,
                "papers": len(h.points),
            }
        )
    return rows


def _change_rows(histories: Sequence[RagHistory]) -> list[dict[str, Any]]:
    return [
        {
            "programme": h.programme,
            "criterion": h.criterion,
            "from": a.rating,
            "to": b.rating,
            "from_date": a.meeting_date,
            "to_date": b.meeting_date,
            "paper": b.source,
        }
        for h in histories
        for a, b in h.changes()
    ]
