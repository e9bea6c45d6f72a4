"""The per-series status report (``papertrail report``) in words, and as one HTML page.

``sections`` turns ``store.series_report.SeriesStatus`` into what a clerk reads — the
standing table, then what moved since the previous paper, each line naming the item,
its wording and the change — which both renderers lay out: ``render_html`` through the
Jinja2 templates in ``ingest/templates`` (with the chart as inline SVG), and
``ingest.status_figures.render_pdf`` on one A4 page. The page is self-contained (styles
and chart inline, no script, no link to fetch).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from markupsafe import Markup

from ingest.diff_html import html_templates
from store.series_grouping import Paper
from store.series_report import BUCKETS, Item, Move, SeriesStatus

BUCKET_NAMES = {
    "complete": "Complete",
    "superseded": "Superseded",
    "ongoing": "Ongoing",
    "overdue": "Overdue",
    "not_started": "Not started",
    "no_status": "No status",
}
TYPE_NAMES = {"recommendation": "Recommendations", "action": "Actions"}
TEXT_LIMIT = 160  # characters of an item's wording shown: the report is one page


@dataclass(frozen=True)
class Line:
    """One item in a section: what it is called, its wording, and what happened to it."""

    name: str
    text: str
    change: str
    alarm: bool = False  # shown in red: a slipped deadline, a status gone back, overdue


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)
    empty: str = "None."


def status_name(status: str | None, raw: str | None = None) -> str:
    """A status as people say it: the taxonomy word, else the printed words."""
    if status in BUCKET_NAMES:
        return BUCKET_NAMES[status]
    return raw or "no status"


def paper_label(paper: Paper | None) -> str:
    if paper is None:
        return "—"
    return f"{paper.source} ({paper.meeting_date})" if paper.meeting_date else paper.source


def _short(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1].rstrip() + "…"


def _name(item: Item, typed: bool) -> str:
    ref = item.ref or "—"
    if not typed:
        return ref
    return f"{'Rec.' if item.type == 'recommendation' else 'Action'} {ref}"


def _slip(move: Move, typed: bool) -> Line:
    later = f" (+{move.days_later} days)" if move.days_later else ""
    change = f"{move.old_raw or move.old or '—'} → {move.new_raw or move.new or '—'}{later}"
    return Line(_name(move.item, typed), _short(move.item.text), change, alarm=True)


def _status_move(move: Move, typed: bool) -> Line:
    change = f"{status_name(move.old, move.old_raw)} → {status_name(move.new, move.new_raw)}"
    if move.regressed:
        change += " (went back)"
    return Line(_name(move.item, typed), _short(move.item.text), change, alarm=move.regressed)


def _facts(item: Item) -> str:
    facts = [status_name(item.status, item.status_raw)]
    if item.due_raw or item.due:
        facts.append(f"due {item.due_raw or item.due}")
    if item.owner:
        facts.append(item.owner)
    return "; ".join(facts)


def sections(report: SeriesStatus) -> list[Section]:
    """What moved since the previous paper, then what is overdue, as lines to show."""
    typed = len(report.standing) > 1

    def items(title: str, found: list[Item], alarm: bool = False) -> Section:
        return Section(title, [Line(_name(i, typed), _short(i.text), _facts(i), alarm)
                               for i in found])  # fmt: skip

    out = []
    if report.previous is not None:
        out += [
            Section("Deadlines moved later", [_slip(m, typed) for m in report.slipped]),
            Section("Status changes", [_status_move(m, typed) for m in report.status_moves]),
            items("Added", report.added),
            items("Closed", report.closed),
            items("Removed from the tracker", report.removed),
        ]
    out.append(items(f"Overdue on {report.as_of}", report.overdue, alarm=True))
    return out


def summary(report: SeriesStatus) -> list[tuple[str, int]]:
    """The figures of what moved since the previous paper (empty for a first paper)."""
    if report.previous is None:
        return []
    return [
        ("Deadlines moved later", len(report.slipped)),
        ("Status changes", len(report.status_moves)),
        ("Added", len(report.added)),
        ("Closed", len(report.closed)),
        ("Removed", len(report.removed)),
    ]


def title(report: SeriesStatus) -> str:
    return report.title or f"Series {report.series}"


def render_html(
    report: SeriesStatus, chart_svg: str = "", version: str = "", now: datetime | None = None
) -> str:
    """The report as one self-contained HTML page; ``chart_svg`` is inlined as it is."""
    from ingest.cli_common import version as papertrail_version

    env = html_templates()
    page = {
        "title": title(report),
        "series": report.series,
        "committee": report.committee,
        "latest": paper_label(report.latest),
        "previous": paper_label(report.previous) if report.previous else None,
        "paper_count": len(report.papers),
        "as_of": report.as_of,
        "generated": (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        "version": version or papertrail_version(),
        "buckets": [(b, BUCKET_NAMES[b]) for b in BUCKETS],
        "standing": [
            {"type": TYPE_NAMES.get(s.type, s.type), "counts": s.counts, "total": s.total}
            for s in report.standing
        ],
        "chart": Markup(chart_svg),  # made by matplotlib from counts, not from paper text
        "summary": summary(report),
        "sections": sections(report),
    }
    return env.get_template("status.html").render(report=page)
