"""What changed between two successive versions of a progress tracker or action log.

``compare`` takes the records of an older and a newer paper and returns plain data
(csv-diff style); renderers live in ``ingest.diff_report``.  Recommendations and actions
are followed alike, each type on its own.  Records are matched by ref first, then by text
similarity, so a renumbered or reworded item is still the same one, and an action log
that prints no refs is matched by text alone: such an item is named by its text
(``"ref": null, "item": "<text>"``).  Status and due dates are compared on their
normalised values, so a wording-only change ("Ongoing" -> "In progress", "30/09/2008" ->
"30 September 2008") is not reported; owner, text and response are compared as
normalised text.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from normalise.record_types import RECORD_TYPES, TRACKED, ExportedRecord

# TRACKED: the record types followed from paper to paper; each compares its ``compared``
# text fields (``normalise.record_types``) as normalised text.
# A reworded recommendation with a changed ref still counts as the same one above this.
SAME_TEXT_RATIO = 80.0

_DASHES = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
    }
)
_WS = re.compile(r"\s+")
_LINE_HYPHEN = re.compile(r"(\w)- (\w)")


def norm_text(value: object) -> str:
    """Case-, whitespace-, quote- and dash-insensitive form used for comparisons."""
    if value is None:
        return ""
    return _norm(str(value))


@lru_cache(maxsize=16384)
def _norm(text: str) -> str:
    # grouping and diffing series compare each text with many others: normalise it once
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    # Trailing punctuation and a compound split at a PDF line end ("decision- making")
    # are layout, not wording.
    text = _LINE_HYPHEN.sub(r"\1-\2", _WS.sub(" ", text))
    return text.strip().rstrip(".;,").casefold()


def norm_ref(value: object) -> str:
    return norm_text(value).rstrip(").: ")


def item_entry(record: ExportedRecord) -> str | dict[str, Any]:
    """How a diff names an item: its printed ref, else ``{"ref": None, "item": text}``."""
    ref = record.get("ref")
    return str(ref) if ref else {"ref": None, "item": record.get("text")}


def item_name(record: ExportedRecord) -> str:
    """The ref, else the text: what a person calls the item."""
    return str(record.get("ref") or record.get("text") or "")


@dataclass
class Change:
    ref: str | None  # the ref printed in the newer paper; None where none is printed
    field: str
    old: Any
    new: Any
    old_raw: str | None = None
    new_raw: str | None = None
    item: str | None = None  # the item's text, naming it where no ref is printed

    @property
    def name(self) -> str:
        return self.ref or self.item or ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ref": self.ref}
        if self.ref is None:
            out["item"] = self.item
        out |= {"field": self.field, "old": self.old, "new": self.new}
        if self.field in ("status", "due"):
            out["old_raw"], out["new_raw"] = self.old_raw, self.new_raw
        return out


@dataclass
class Diff:
    old_doc: str
    new_doc: str
    changes: list[Change] = field(default_factory=list)
    added: list[str | dict[str, Any]] = field(default_factory=list)  # see ``item_entry``
    removed: list[str | dict[str, Any]] = field(default_factory=list)
    # (old record, new record) of each matched pair, for renderers that show both sides
    pairs: list[tuple[ExportedRecord, ExportedRecord]] = field(default_factory=list)
    # the records behind ``added`` and ``removed``, same order
    added_records: list[ExportedRecord] = field(default_factory=list)
    removed_records: list[ExportedRecord] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.old_doc,
            "to": self.new_doc,
            "changes": [c.as_dict() for c in self.changes],
            "added": self.added,
            "removed": self.removed,
        }


def tracked(
    records: Iterable[ExportedRecord], kind: str = "recommendation"
) -> list[ExportedRecord]:
    """The records of one tracked type that can be followed: with a ref or a text."""
    return [r for r in records if r.get("type") == kind and (r.get("ref") or r.get("text"))]


def match_records(
    old: Sequence[ExportedRecord], new: Sequence[ExportedRecord]
) -> list[tuple[int, int]]:
    """Pair old and new records: equal refs first, then the most similar texts."""
    pairs: list[tuple[int, int]] = []
    by_ref: dict[str, list[int]] = {}
    for i, rec in enumerate(old):
        if norm_ref(rec.get("ref")):
            by_ref.setdefault(norm_ref(rec.get("ref")), []).append(i)
    used_old: set[int] = set()
    unmatched_new: list[int] = []
    for j, rec in enumerate(new):
        key = norm_ref(rec.get("ref"))
        candidates = [i for i in by_ref.get(key, []) if i not in used_old] if key else []
        if candidates:
            used_old.add(candidates[0])
            pairs.append((candidates[0], j))
        else:
            unmatched_new.append(j)
    scored = sorted(
        (
            (fuzz.ratio(norm_text(old[i].get("text")), norm_text(new[j].get("text"))), i, j)
            for j in unmatched_new
            for i in range(len(old))
            if i not in used_old and old[i].get("text") and new[j].get("text")
        ),
        reverse=True,
    )
    used_new: set[int] = set()
    for ratio, i, j in scored:
        if ratio < SAME_TEXT_RATIO:
            break
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((i, j))
    return sorted(pairs, key=lambda p: p[1])


def _update_key(update: Mapping[str, Any]) -> tuple[str, str]:
    return norm_text(update.get("label")), norm_text(update.get("date"))


def field_changes(old: ExportedRecord, new: ExportedRecord) -> list[Change]:
    """The changes between two versions of one item, in a fixed field order."""
    ref = str(new["ref"]) if new.get("ref") else None
    item = None if ref else new.get("text")

    def change(name: str, o: Any, n: Any, o_raw: Any = None, n_raw: Any = None) -> Change:
        return Change(ref, name, o, n, o_raw, n_raw, item)

    out: list[Change] = []
    if norm_ref(old.get("ref")) != norm_ref(new.get("ref")):
        out.append(change("ref", old.get("ref"), new.get("ref")))
    for name in ("status", "due"):
        o, n = old.get(name), new.get(name)
        o_raw, n_raw = old.get(f"{name}_raw"), new.get(f"{name}_raw")
        # Unparseable on both sides (e.g. "Summer 2008"): fall back to the printed words.
        differs = o != n if (o or n) else norm_text(o_raw) != norm_text(n_raw)
        if differs:
            out.append(change(name, o, n, o_raw, n_raw))
    for name in RECORD_TYPES[str(new.get("type", "recommendation"))].compared:
        if norm_text(old.get(name)) != norm_text(new.get(name)):
            out.append(change(name, old.get(name), new.get(name)))
    seen = {_update_key(u) for u in old.get("updates") or []}
    added = [u for u in new.get("updates") or [] if _update_key(u) not in seen]
    if added:
        out.append(change("updates_added", None, added))
    return out


def compare(
    old_doc: str, old: Iterable[ExportedRecord], new_doc: str, new: Iterable[ExportedRecord]
) -> Diff:
    """Diff the recommendations and the actions of two papers, each type on its own
    (records of any type may be passed)."""
    old, new = list(old), list(new)
    diff = Diff(old_doc, new_doc)
    for kind in TRACKED:
        olds, news = tracked(old, kind), tracked(new, kind)
        pairs = match_records(olds, news)
        matched_old = {i for i, _ in pairs}
        matched_new = {j for _, j in pairs}
        for i, j in pairs:
            diff.changes.extend(field_changes(olds[i], news[j]))
            diff.pairs.append((olds[i], news[j]))
        diff.added_records += [r for j, r in enumerate(news) if j not in matched_new]
        diff.removed_records += [r for i, r in enumerate(olds) if i not in matched_old]
    diff.added = [item_entry(r) for r in diff.added_records]
    diff.removed = [item_entry(r) for r in diff.removed_records]
    return diff


_FY = re.compile(r"^FY(\d{4})/\d{2}$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def _month_end(year: int, month: int) -> str:
    return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def due_end(value: object) -> str | None:
    """The last day a normalised due value allows, as an ISO date string that sorts.

    "2009" -> "2009-12-31", "2009-02" -> "2009-02-28", "FY2008/09" -> "2009-03-31",
    "2009-Q2" -> "2009-09-30" (quarters of the financial year starting in April).
    """
    if not value:
        return None
    text = str(value)
    if m := _FY.match(text):
        return f"{int(m.group(1)) + 1}-03-31"
    if m := _QUARTER.match(text):
        year, month = int(m.group(1)), 3 * int(m.group(2)) + 3
        return _month_end(year + 1, month - 12) if month > 12 else _month_end(year, month)
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-12-31"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return _month_end(int(m.group(1)), int(m.group(2))) if 1 <= int(m.group(2)) <= 12 else None
    return text


def days_later(old: object, new: object) -> int | None:
    """How many days later the new due date ends than the old one (negative: earlier)."""
    ends = due_end(old), due_end(new)
    try:
        a, b = (date.fromisoformat(e) for e in ends if e)
    except ValueError:  # an end that is not a date, or only one side known
        return None
    return (b - a).days


def is_slip(change: Change) -> bool:
    """A due date that moved later."""
    if change.field != "due":
        return False
    old, new = due_end(change.old), due_end(change.new)
    return bool(old and new and new > old)


# How far along a recommendation is; a later paper showing a lower rank is a regression.
STATUS_RANK = {"not_started": 0, "ongoing": 1, "complete": 2, "superseded": 2}


def is_regression(change: Change) -> bool:
    """A status that went back (complete -> ongoing, ongoing -> not_started, ...)."""
    if change.field != "status":
        return False
    old, new = STATUS_RANK.get(str(change.old)), STATUS_RANK.get(str(change.new))
    return old is not None and new is not None and new < old


@dataclass
class Thread:
    """One recommendation followed through a series: (doc_id, record) per paper it is in.

    Consecutive appearances are consecutive papers: a recommendation missing from a paper
    ends its thread, and one that comes back later starts a new thread.
    """

    appearances: list[tuple[str, ExportedRecord]] = field(default_factory=list)

    @property
    def ref(self) -> str:
        """Its ref in the latest paper it appears in, else its text there: the name
        people know it by now."""
        return item_name(self.appearances[-1][1])

    @property
    def kind(self) -> str:
        return str(self.appearances[-1][1].get("type"))

    def changes(self) -> list[tuple[str, str, Change]]:
        """(from doc, to doc, change) for each consecutive pair of its appearances."""
        out: list[tuple[str, str, Change]] = []
        steps = zip(self.appearances, self.appearances[1:], strict=False)
        for (old_doc, old), (new_doc, new) in steps:
            out.extend((old_doc, new_doc, c) for c in field_changes(old, new))
        return out


def follow_items(versions: Sequence[tuple[str, Iterable[ExportedRecord]]]) -> list[Thread]:
    """Threads of the recommendations, then of the actions, of papers given oldest first,
    matched like ``compare``."""
    versions = [(doc_id, list(records)) for doc_id, records in versions]
    threads: list[Thread] = []
    for kind in TRACKED:
        prev_threads: list[Thread] = []
        prev_recs: list[ExportedRecord] = []
        for doc_id, records in versions:
            recs = tracked(records, kind)
            current: list[Thread | None] = [None] * len(recs)
            for i, j in match_records(prev_recs, recs):
                current[j] = prev_threads[i]
            for j, rec in enumerate(recs):
                thread = current[j]
                if thread is None:
                    thread = current[j] = Thread()
                    threads.append(thread)
                thread.appearances.append((doc_id, rec))
            prev_threads, prev_recs = [t for t in current if t is not None], recs
    return threads


def find_threads(threads: Sequence[Thread], ref: str) -> list[Thread]:
    """Threads known now as ``ref`` (or by that text, where no ref is printed); failing
    that, those that carried it in any paper."""
    key = norm_ref(ref)
    now = [t for t in threads if norm_ref(t.ref) == key]
    return now or [
        t
        for t in threads
        if any(norm_ref(r.get("ref") or r.get("text")) == key for _, r in t.appearances)
    ]


@dataclass
class Slippage:
    """A recommendation whose due date moved later or whose status went back."""

    ref: str
    slips: list[tuple[str, str, Change]]  # (from doc, to doc, due change)
    regressions: list[tuple[str, str, Change]]  # (from doc, to doc, status change)

    @property
    def days(self) -> int | None:
        """Total days the due date moved later (None when a period has no day form)."""
        moved = [days_later(c.old, c.new) for _, _, c in self.slips]
        return None if None in moved else sum(d for d in moved if d is not None)

    @property
    def first_due(self) -> Any:
        return self.slips[0][2].old_raw or self.slips[0][2].old if self.slips else None

    @property
    def latest_due(self) -> Any:
        return self.slips[-1][2].new_raw or self.slips[-1][2].new if self.slips else None


def slippage(threads: Iterable[Thread]) -> list[Slippage]:
    """Every thread with a slipped due date or a status regression, in thread order."""
    out = []
    for thread in threads:
        changes = thread.changes()
        slips = [(a, b, c) for a, b, c in changes if is_slip(c)]
        backs = [(a, b, c) for a, b, c in changes if is_regression(c)]
        if slips or backs:
            out.append(Slippage(thread.ref, slips, backs))
    return out
