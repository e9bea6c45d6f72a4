"""The status report's matplotlib parts: the standing chart (inline SVG for the HTML page)
and the whole report as a one-page A4 PDF.

matplotlib is imported here alone, and only by ``papertrail report``: other commands do
not pay for loading it. Figures are made with ``matplotlib.figure.Figure`` directly (no
pyplot, no GUI backend), with fixed metadata and ids so the same report gives the same file.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ingest.status_report import (
    BUCKET_NAMES,
    TYPE_NAMES,
    Section,
    paper_label,
    sections,
    summary,
    title,
)
from store.series_report import BUCKETS, SeriesStatus, Standing

COLOURS = {
    "complete": "#2e7d32",
    "superseded": "#78909c",
    "ongoing": "#f2a900",
    "overdue": "#c62828",
    "not_started": "#bdbdbd",
    "no_status": "#e0e0e0",
}
A4 = (8.27, 11.69)  # inches
_RC: Any = {  # (typed loosely: matplotlib types the keys as one long Literal)
    "svg.hashsalt": "papertrail",  # fixed ids: the same report, the same SVG
    "svg.fonttype": "path",  # text drawn as shapes: no font needed where it is opened
    "pdf.fonttype": 42,  # TrueType: the PDF's text can be selected and searched
    "font.family": "DejaVu Sans",  # shipped with matplotlib: the same look everywhere
}


@contextmanager
def _settings() -> Iterator[None]:
    with matplotlib.rc_context(_RC):
        yield


def draw_standing(fig: Figure, ax: Axes, standing: list[Standing]) -> None:
    """One horizontal bar per record type, stacked by bucket, each part labelled with
    its count; the legend underneath."""
    names = [TYPE_NAMES.get(s.type, s.type) for s in standing][::-1]
    left = [0] * len(standing)
    for key in BUCKETS:
        counts = [s.counts[key] for s in standing][::-1]
        bars = ax.barh(names, counts, left=left, color=COLOURS[key], label=BUCKET_NAMES[key],
                       edgecolor="white", height=0.6)  # fmt: skip
        labels = [str(c) if c else "" for c in counts]
        ink = "white" if key in ("complete", "overdue", "superseded") else "#222"
        ax.bar_label(bars, labels=labels, label_type="center", fontsize=9, color=ink)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.set_xlim(0, max(max(left), 1))
    ax.tick_params(axis="x", labelsize=8)
    ax.tick_params(axis="y", labelsize=9, length=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    inches = ax.get_position().height * fig.get_figheight()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28 / inches), ncols=len(BUCKETS),
              fontsize=8, frameon=False, handlelength=1, columnspacing=1)  # fmt: skip


def standing_svg(standing: list[Standing]) -> str:
    """The chart as an ``<svg>`` element to put inside an HTML page."""
    with _settings():
        height = 0.75 + 0.35 * len(standing)  # inches: the bars, then the axis and legend
        fig = Figure(figsize=(7.5, height))
        ax = fig.add_axes((0.17, 0.7 / height, 0.8, 0.35 * len(standing) / height - 0.05 / height))
        draw_standing(fig, ax, standing)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    return svg[svg.index("<svg") :]  # no XML declaration or doctype inside HTML


class _Page:
    """Text set down an A4 figure from the top; ``room`` says whether a line still fits."""

    MARGIN = 0.06  # of the page height, top and bottom
    LEFT = 0.07

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self.y = 1 - self.MARGIN

    def room(self, lines: int = 1, size: float = 8.5) -> bool:
        return self.y - lines * self._step(size) > self.MARGIN

    def _step(self, size: float) -> float:
        return size * 1.45 / 72 / A4[1]

    def text(self, words: str, size: float = 8.5, x: float | None = None, **kw: Any) -> None:
        self.y -= self._step(size)
        # parse_math off: a paper's "$5m ... $2m" is words, not maths to typeset
        self.fig.text(x if x is not None else self.LEFT, self.y, words, fontsize=size,
                      va="baseline", parse_math=False, **kw)  # fmt: skip

    def gap(self, size: float = 8.5) -> None:
        self.y -= self._step(size) * 0.6


def _wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width) or [""]


def _section(page: _Page, section: Section) -> None:
    page.gap()
    page.text(section.title, size=10, weight="bold")
    if not section.lines:
        page.text(section.empty, color="#777")
        return
    for k, line in enumerate(section.lines):
        body = _wrapped(f"{line.text}  [{line.change}]", 105)
        if not page.room(len(body) + 1):
            page.text(f"… and {len(section.lines) - k} more (see the HTML report)", color="#777")
            return
        colour = "#c62828" if line.alarm else "#222"
        page.text(line.name, weight="bold", color=colour)
        page.y += page._step(8.5)  # the wording goes on the name's line
        for part in body:
            page.text(part, x=page.LEFT + 0.08, color=colour)


def render_pdf(report: SeriesStatus, path: Path, version: str = "", now: Any = None) -> None:
    """The report on one A4 page: the title block, the standing table and chart, the
    figures of what moved, then each list (cut short, saying how many more, where the
    page ends)."""
    from ingest.cli_common import version as papertrail_version

    with _settings():
        fig = Figure(figsize=A4)
        page = _Page(fig)
        for part in _wrapped(f"Status report: {title(report)}", 55):
            page.text(part, size=15, weight="bold", color="#1f3b5a")
        page.gap()
        facts = [
            ("Series", f"{report.series} ({len(report.papers)} papers)"),
            ("Committee", report.committee or "—"),
            ("Latest paper", paper_label(report.latest)),
            ("Previous paper", paper_label(report.previous)),
            ("Overdue judged on", report.as_of),
            ("Generated", f"{(now or datetime.now(UTC)).strftime('%Y-%m-%d %H:%M UTC')} "
                          f"by papertrail {version or papertrail_version()}"),
        ]  # fmt: skip
        for name, value in facts:
            page.text(name, weight="bold", color="#555")
            page.y += page._step(8.5)
            page.text(value, x=page.LEFT + 0.2)
        _standing_table(page, report.standing)
        bars = 0.3 * len(report.standing) / A4[1]  # the bars' height; the legend below
        page.gap()
        ax = fig.add_axes((page.LEFT + 0.2, page.y - bars, 0.68, bars))
        draw_standing(fig, ax, report.standing)
        page.y -= bars + 0.6 / A4[1]
        if summary(report):
            moved = ", ".join(f"{name.lower()} {n}" for name, n in summary(report))
            page.text(f"Since the previous paper: {moved}", size=9.5, weight="bold")
        for section in sections(report):
            if not page.room(3):
                break
            _section(page, section)
        fig.savefig(path, format="pdf", metadata={"CreationDate": None, "Creator": "papertrail"})


def _standing_table(page: _Page, standing: list[Standing]) -> None:
    page.gap()
    page.text("Where things stand in the latest paper", size=10, weight="bold")
    columns = [BUCKET_NAMES[b] for b in BUCKETS] + ["Total"]
    xs = [page.LEFT + 0.25 + 0.095 * k for k in range(len(columns))]
    page.text("", size=8.5)
    for x, name in zip(xs, columns, strict=True):
        page.fig.text(x, page.y, name, fontsize=8, weight="bold", color="#555", ha="center")
    for s in standing:
        page.text(TYPE_NAMES.get(s.type, s.type), weight="bold")
        values = [s.counts[b] for b in BUCKETS] + [s.total]
        for x, key, n in zip(xs, [*BUCKETS, "total"], values, strict=True):
            colour = COLOURS.get(key, "#222") if n and key in ("complete", "overdue") else "#222"
            page.fig.text(x, page.y, str(n), fontsize=9, ha="center", color=colour)
