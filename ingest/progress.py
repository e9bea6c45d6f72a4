"""How a batch looks on screen: a rich progress bar on a terminal, plain lines otherwise,
and the summary table printed at the end."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.batch import BatchResult, FileOutcome, naming_file


def outcome_line(outcome: FileOutcome) -> str:
    """One line per file: what was stored, or why not."""
    if outcome.status == "error":
        return f"error: {outcome.message}"
    if outcome.status == "duplicate":
        return f"skipped: {outcome.path}: already stored as {outcome.doc_id} (use --force)"
    n_records = sum(n for t, n in outcome.records.items() if t not in ("document", "table"))
    return (
        f"{outcome.status}: {outcome.path} -> {outcome.doc_id} "
        f"({outcome.tables} tables, {n_records} records)"
    )


def warning_lines(outcome: FileOutcome) -> list[str]:
    return [f"warning: {naming_file(outcome.path, w)}" for w in outcome.warnings]


class LineProgress:
    """Plain lines for logs and pipes: results to ``out``, errors and warnings to ``err``."""

    def __init__(self, out: Console, err: Console) -> None:
        self.out, self.err = out, err

    def start(self, total: int) -> None:
        self.out.print(f"ingesting {total} files", markup=False, highlight=False)

    def file_started(self, path: Path) -> None:
        pass

    def file_done(self, outcome: FileOutcome) -> None:
        target = self.err if outcome.status == "error" else self.out
        target.print(outcome_line(outcome), markup=False, highlight=False, soft_wrap=True)
        for line in warning_lines(outcome):
            self.err.print(line, markup=False, highlight=False, soft_wrap=True)


class BarProgress:
    """A live bar on a terminal; errors and warnings are printed above it as they happen."""

    def __init__(self, console: Console) -> None:
        self.bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[file]}"),
            console=console,
            transient=True,
        )
        self.task = self.bar.add_task("ingesting", total=None, file="")

    def start(self, total: int) -> None:
        self.bar.update(self.task, total=total)
        self.bar.start()

    def file_started(self, path: Path) -> None:
        self.bar.update(self.task, file=path.name)

    def file_done(self, outcome: FileOutcome) -> None:
        if outcome.status == "error":
            self.bar.console.print(f"[red]{outcome_line(outcome)}", highlight=False)
        for line in warning_lines(outcome):
            self.bar.console.print(f"[yellow]{line}", highlight=False)
        self.bar.advance(self.task)

    def stop(self) -> None:
        self.bar.stop()


def summary_table(result: BatchResult) -> Table:
    """The end-of-batch figures as a two-column table."""
    table = Table(title="papertrail ingest", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    rows: list[tuple[str, object]] = [
        ("documents stored", len(result.stored)),
        ("pages", result.pages),
        ("tables", result.tables),
    ]
    records = result.records
    rows += [
        (f"records: {t}", n) for t, n in sorted(records.items()) if t not in ("document", "table")
    ]
    rows += [
        ("duplicates skipped", len(result.with_status("duplicate"))),
        ("warnings", len(result.warnings)),
        ("errors", len(result.errors)),
        ("elapsed", f"{result.elapsed:.1f}s"),
    ]
    for what, n in rows:
        table.add_row(what, str(n))
    return table
