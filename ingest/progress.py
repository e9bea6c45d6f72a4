"""How a batch looks: a rich progress bar on a terminal, plain lines otherwise (CI,
cron), the summary table printed at the end, and the JSON report for scripts."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from ingest.batch import BatchResult, FileOutcome, naming_file
from ingest.files import AnyPath, display_path
from ingest.terminal import printable

LOG_EVERY = 10.0  # seconds between progress lines when not on a terminal
FILE_WIDTH = 22  # characters of the current file's name shown beside the bar


def outcome_line(outcome: FileOutcome) -> str:
    """One line per file: what was stored, or why not."""
    if outcome.status == "error":
        return printable(f"error: {outcome.message}")
    path = printable(display_path(outcome.path))
    if outcome.status == "duplicate":
        return f"skipped: {path}: already stored as {outcome.doc_id} (use --force)"
    n_records = sum(n for t, n in outcome.records.items() if t not in ("document", "table"))
    return (
        f"{outcome.status}: {path} -> {outcome.doc_id} "
        f"({outcome.tables} tables, {n_records} records)"
    )


def warning_lines(outcome: FileOutcome) -> list[str]:
    return [f"warning: {naming_file(outcome.path, w)}" for w in outcome.warnings]


def rate_and_eta(done: int, total: int, elapsed: float) -> tuple[float, float | None]:
    """Documents per second so far, and the seconds left at that rate (None: unknown)."""
    if done == 0 or elapsed <= 0:
        return 0.0, None
    rate = done / elapsed
    return rate, (total - done) / rate


class LineProgress:
    """Plain lines for logs and pipes: results to ``out``, errors and warnings to ``err``,
    and every ``every`` seconds a line with the count, documents/s and time left."""

    def __init__(self, out: Console, err: Console, every: float = LOG_EVERY) -> None:
        self.out, self.err, self.every = out, err, every
        self.total = self.done = 0
        self.t0 = self.last = time.monotonic()

    def _print(self, console: Console, line: str) -> None:
        console.print(line, markup=False, highlight=False, soft_wrap=True)

    def start(self, total: int) -> None:
        self.total, self.t0 = total, time.monotonic()
        self.last = self.t0
        self._print(self.out, f"ingesting {total} files")

    def file_started(self, path: AnyPath) -> None:
        pass

    def file_done(self, outcome: FileOutcome) -> None:
        self.done += 1
        self._print(self.err if outcome.status == "error" else self.out, outcome_line(outcome))
        for line in warning_lines(outcome):
            self._print(self.err, line)
        now = time.monotonic()
        if now - self.last >= self.every and self.done < self.total:
            self.last = now
            rate, eta = rate_and_eta(self.done, self.total, now - self.t0)
            left = "?" if eta is None else str(timedelta(seconds=round(eta)))
            self._print(self.out, f"progress: {self.done}/{self.total} files, "
                        f"{rate:.1f} documents/s, about {left} left")  # fmt: skip

    def stop(self) -> None:
        pass


class QuietProgress:
    """For cron (``--quiet``): nothing but the failures, one line each on ``err``; the
    summary follows at the end as always."""

    def __init__(self, err: Console) -> None:
        self.err = err

    def start(self, total: int) -> None:
        pass

    def file_started(self, path: AnyPath) -> None:
        pass

    def file_done(self, outcome: FileOutcome) -> None:
        if outcome.status == "error":
            self.err.print(outcome_line(outcome), markup=False, highlight=False, soft_wrap=True)

    def stop(self) -> None:
        pass


def interrupted_line(result: BatchResult) -> str:
    """What a stopped batch says before its summary."""
    return (
        f"interrupted: {len(result.stored)} stored, {result.left} left — "
        "run the same command to finish"
    )


class RateColumn(ProgressColumn):
    """Documents per second since the start (rich's own speed is a short moving window,
    which jumps about when one document is slow)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate, _ = rate_and_eta(int(task.completed), int(task.total or 0), elapsed)
        return Text(f"{rate:.1f} docs/s", style="progress.data.speed")


class BarProgress:
    """A live bar on a terminal; errors and warnings are printed above it as they happen."""

    def __init__(self, console: Console) -> None:
        self.bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(bar_width=20),
            MofNCompleteColumn(),
            RateColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[file]}"),
            console=console,
            transient=True,
        )
        self.task = self.bar.add_task("ingesting", total=None, file="")

    def start(self, total: int) -> None:
        self.bar.update(self.task, total=total)
        self.bar.start()

    def file_started(self, path: AnyPath) -> None:
        # short enough that the bar and figures keep their width on an 80-column terminal
        name = printable(display_path(path.name))
        name = name if len(name) <= FILE_WIDTH else name[: FILE_WIDTH - 1] + "…"
        self.bar.update(self.task, file=name)

    def file_done(self, outcome: FileOutcome) -> None:
        if outcome.status == "error":
            self.bar.console.print(Text(outcome_line(outcome), style="red"), soft_wrap=True)
        for line in warning_lines(outcome):
            self.bar.console.print(Text(line, style="yellow"), soft_wrap=True)
        self.bar.advance(self.task)

    def stop(self) -> None:
        self.bar.stop()


def summary_table(result: BatchResult) -> Table:
    """The end-of-batch figures as a two-column table."""
    table = Table(title="papertrail ingest", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    rows: list[tuple[str, object]] = [
        ("files", len(result.outcomes)),
        ("documents stored", len(result.stored)),
        ("pages", result.pages),
        ("tables", result.tables),
    ]
    records = result.records
    rows += [
        (f"records: {t}", n) for t, n in sorted(records.items()) if t not in ("document", "table")
    ]
    rate, _ = rate_and_eta(len(result.outcomes), len(result.outcomes), result.elapsed)
    rows += [
        ("duplicates skipped", len(result.with_status("duplicate"))),
        ("warnings", len(result.warnings)),
        ("failures", len(result.errors)),
        ("elapsed", f"{result.elapsed:.1f}s ({rate:.1f} files/s)"),
    ]
    for what, n in rows:
        table.add_row(what, str(n))
    return table


def problems_report(result: BatchResult) -> dict[str, Any]:
    """Failures and warnings as plain data for ``--errors-json``: one entry per problem
    with the file, the kind of error (an exception class name) and the one-line message."""
    return {
        "ok": result.ok,
        "files": len(result.outcomes),
        "stored": len(result.stored),
        "duplicates": len(result.with_status("duplicate")),
        "errors": [
            {"file": display_path(o.path), "kind": o.kind or "error", "message": o.message or ""}
            for o in result.with_status("error")
        ],
        "warnings": [
            {"file": display_path(o.path), "kind": "warning", "message": naming_file(o.path, w)}
            for o in result.outcomes
            for w in o.warnings
        ],
    }
