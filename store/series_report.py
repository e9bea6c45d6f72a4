"""A series' status as a committee clerk reports it: where things stand in the latest
paper, and what moved since the paper before. Plain data; ``ingest.status_html`` and
``ingest.status_pdf`` render it.

Standing is counted per tracked record type (recommendations, actions) of the latest
paper, each item in exactly one bucket so the buckets add up to the total: complete,
superseded, overdue (due period ended before ``as_of`` and not closed — the rule of
``papertrail recs --overdue``), else ongoing, not started or no status read. What moved
is ``store.diff.compare`` of the previous paper and the latest: deadlines moved later
(slipped), status moves, items added, closed (moved to complete or superseded) and
removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from normalise.record_types import TRACKED, ExportedRecord
from store.diff import (
    Change,
    compare,
    days_later,
    due_end,
    field_changes,
    is_regression,
    is_slip,
)
from store.register import CLOSED
from store.series import Series, items_of
from store.series_grouping import Paper

# The buckets in the order a report lists them (and a chart stacks them).
BUCKETS = ("complete", "superseded", "ongoing", "overdue", "not_started", "no_status")


@dataclass(frozen=True)
class Item:
    """One recommendation or action as the report names it."""

    type: str
    ref: str | None
    text: str
    status: str | None
    status_raw: str | None
    due: str | None
    due_raw: str | None
    owner: str | None

    @classmethod
    def of(cls, rec: ExportedRecord) -> Item:
        def text(name: str) -> str | None:
            value = rec.get(name)
            return None if value in (None, "") else str(value)

        return cls(
            str(rec.get("type")), text("ref"), text("text") or "", text("status"),
            text("status_raw"), text("due"), text("due_raw"), text("owner"),
        )  # fmt: skip


@dataclass(frozen=True)
class Move:
    """A field of one item that changed between the previous paper and the latest."""

    item: Item  # as in the latest paper
    old: str | None  # normalised (status: the taxonomy word; due: the period)
    new: str | None
    old_raw: str | None  # as printed
    new_raw: str | None
    days_later: int | None = None  # slipped deadlines: how much later the period ends
    regressed: bool = False  # a status that went back (complete -> ongoing)


@dataclass(frozen=True)
class Standing:
    """How many items of one record type are in each bucket (see ``BUCKETS``)."""

    type: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class SeriesStatus:
    """The report's data; ``previous`` is None for a series of one paper."""

    series: str
    title: str | None
    committee: str | None
    papers: list[Paper]
    latest: Paper
    previous: Paper | None
    as_of: str  # YYYY-MM-DD: overdue is judged on this day
    standing: list[Standing]
    overdue: list[Item]
    slipped: list[Move] = field(default_factory=list)
    status_moves: list[Move] = field(default_factory=list)
    added: list[Item] = field(default_factory=list)
    closed: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)


def bucket(rec: ExportedRecord, as_of: str) -> str:
    """The one bucket an item of the latest paper is counted in."""
    status = rec.get("status")
    if status in ("complete", "superseded"):
        return str(status)
    end = due_end(rec.get("due"))
    if end is not None and end < as_of:
        return "overdue"
    if status in ("ongoing", "not_started"):
        return str(status)
    return "no_status"


def standing(records: list[ExportedRecord], as_of: str, types: tuple[str, ...]) -> list[Standing]:
    """Counts per bucket of each of ``types``, zeros included."""
    out = []
    for type_ in types:
        counts = dict.fromkeys(BUCKETS, 0)
        for rec in records:
            if rec.get("type") == type_:
                counts[bucket(rec, as_of)] += 1
        out.append(Standing(type_, counts))
    return out


def _move(c: Change, new: ExportedRecord) -> Move:
    return Move(
        Item.of(new), _str(c.old), _str(c.new), c.old_raw, c.new_raw,
        days_later(c.old, c.new) if c.field == "due" else None, is_regression(c),
    )  # fmt: skip


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def series_status(conn: Connection, found: Series, as_of: str) -> SeriesStatus:
    """The status report of ``found`` (see the module's docstring) on ``as_of``."""
    papers = found.papers
    latest = papers[-1]
    previous = papers[-2] if len(papers) > 1 else None
    recs = items_of(conn, [p.doc_id for p in papers[-2:]])
    now = recs[latest.doc_id]
    # the types the series tracks at all (a recommendation tracker has no action row)
    shown = tuple(t for t in TRACKED if any(r.get("type") == t for rs in recs.values() for r in rs))
    report = SeriesStatus(
        series=found.name,
        title=latest.title,
        committee=latest.committee,
        papers=list(papers),
        latest=latest,
        previous=previous,
        as_of=as_of,
        standing=standing(now, as_of, shown or TRACKED[:1]),
        overdue=[Item.of(r) for r in now if bucket(r, as_of) == "overdue"],
    )
    if previous is None:
        return report
    diff = compare(previous.doc_id, recs[previous.doc_id], latest.doc_id, now)
    for old, new in diff.pairs:
        for c in field_changes(old, new):
            if is_slip(c):
                report.slipped.append(_move(c, new))
            if c.field == "status":
                report.status_moves.append(_move(c, new))
                if c.new in CLOSED and c.old not in CLOSED:
                    report.closed.append(Item.of(new))
    report.added.extend(Item.of(r) for r in diff.added_records)
    report.removed.extend(Item.of(r) for r in diff.removed_records)
    return report
