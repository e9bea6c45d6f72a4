"""Where a command's answer goes: a rich table (or blocks, on a narrow terminal) for
people, csv / json / jsonl for scripts; the ``--format`` and ``-o`` options they share."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Annotated, Any, Literal, get_args

import typer
from rich.console import Console

from ingest.cli_common import format_option, open_out
from ingest.narrow import is_narrow

TableFormat = Literal["table", "csv", "json", "jsonl"]
FORMATS = get_args(TableFormat)
FormatOption = Annotated[TableFormat, format_option("table (for people), csv, json or jsonl.")]
OutputOption = Annotated[Path | None, typer.Option("-o", "--output", help="File; default stdout.")]
DocOption = Annotated[
    list[str] | None,
    typer.Option("--doc", help="Only this doc_id, prefix or file name (repeatable)."),
]
Rows = Sequence[dict[str, Any]]


def write_rows(rows: Rows, fmt: str, fh: IO[str], columns: Sequence[str] | None = None) -> None:
    """Rows of plain data as csv, json (one array) or jsonl; lists written as JSON in csv."""
    if fmt == "json":
        json.dump(list(rows), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    elif fmt == "jsonl":
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        names = list(columns or (rows[0].keys() if rows else []))
        writer = csv.DictWriter(fh, fieldnames=names, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: csv_cell(v) for k, v in row.items()})


def csv_cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def show(renderables: Sequence[Any] | Callable[[bool], Sequence[Any]], output: Path | None) -> None:
    """Print to the terminal or ``-o`` file; ``renderables`` may be a function of whether
    the console is narrow (blocks) or wide (tables). A file is 80 columns: blocks."""
    with open_out(output) as fh:
        console = Console(file=fh) if output is not None else Console()
        items = renderables(is_narrow(console)) if callable(renderables) else renderables
        for item in items:
            console.print(item)
