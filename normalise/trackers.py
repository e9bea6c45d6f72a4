"""Rows of recommendation trackers and action plans -> ``recommendation`` / ``action`` records.

A row gives its ``ref`` from the ref column or from a printed prefix (``1)``, ``15, 16 and
17.``); a Timescale cell holding a status gives the status, not a due date; dated updates
are split out of the response and progress cells; section rows are skipped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any, TypeVar

from normalise.classify import Classification
from normalise.dates import find_dates, is_date, normalise_date
from normalise.grid import RowView, is_spanning_row, nonempty_cells, pages_of
from normalise.matrix import TEXT_MORE, VERDICT, split_bare_ref
from normalise.record_types import Action, Recommendation
from normalise.status import looks_like_status, normalise_status
from normalise.updates import (
    Update,
    clean_ref,
    split_block_start,
    split_dated_updates,
    split_ref_prefix,
)
from normalise.vocabulary import load
from parsers.model import Cell

Tracked = TypeVar("Tracked", bound=Recommendation | Action)
# An improvement plan's block has no revised-deadline columns: its recommendation is
# exported without those fields, as it always has been.
WITHOUT_REVISED_DUE = frozenset({"revised_due", "revised_due_raw"})


@lru_cache(maxsize=1)
def _filler() -> re.Pattern[str]:
    """Words left around a date cut out of "In progress (revised date June 2009)"."""
    words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in load("dates")["fillers"])
    return re.compile(rf"(?:\b(?:{words})\b[\s:,(]*)+$", re.I)


def _status_and_date(text: str) -> tuple[str, str] | None:
    """``"Complete – March 2004"`` -> ``("Complete", "March 2004")``; None unless the cell is
    exactly one status wording and one date."""
    dates = [d for d in find_dates(text) if d.value]
    if len(dates) != 1:
        return None
    rest = f"{text[: dates[0].start]} {text[dates[0].end :]}"
    rest = _filler().sub("", rest.strip(" -–—,;:()[]")).strip(" -–—,;:()[]")
    return (rest, dates[0].text) if rest and looks_like_status(rest) else None


def status_cells(view: RowView) -> tuple[str | None, str | None, str | None, list[Update]]:
    """(status, status_raw, due_raw, updates) from the status and Timescale cells.  A status
    cell may hold dated notes ("As at 12 November – consultation closed"): they are updates,
    and the status is read from the words before them (none when there are none)."""
    status_text = view.text("status")
    before, updates = split_dated_updates(status_text)
    status_raw, due_raw = split_status_due(status_text, view.text("due"))
    status = normalise_status(before if updates else status_raw)
    return status, status_raw, due_raw, updates


_FIRST_SENTENCE = re.compile(r"^(?P<head>[^.;:\n]{1,60}?)(?:[.;:](?:\s+|$)|$)")


def leading_status(progress: str | None) -> tuple[str | None, str | None]:
    """(status_raw, status) from a progress note that opens with a status ("Complete.
    Policy approved ...", "Delayed. Four posts filled ..."): an action log without a status
    column says it there.  (None, None) when the note opens otherwise."""
    m = _FIRST_SENTENCE.match(progress or "")
    status = normalise_status(m.group("head")) if m else None
    return (m.group(0).strip(), status) if m and status else (None, None)


def split_status_due(status_text: str, due_text: str) -> tuple[str | None, str | None]:
    """(status_raw, due_raw) from a status cell and a Timescale cell that may hold either,
    or both ("Complete – March 2004")."""
    status_raw = status_text or None
    if not due_text or is_date(due_text):
        return status_raw, due_text or None
    both = _status_and_date(due_text)
    if both:
        return status_raw or both[0], both[1]
    if looks_like_status(due_text):
        return status_raw or due_text, None
    return status_raw, due_text


def row_text(view: RowView, text_role: str) -> str:
    """The text cell, with what drifted into the unheaded columns beside it."""
    more = [
        c.text.strip()
        for c, r in zip(view.cells, view.roles, strict=False)
        if r == TEXT_MORE and not c.covered
    ]
    return " ".join(t for t in (view.text(text_role), *more) if t)


def _ref_and_text(view: RowView, text_role: str, bare_refs: bool = False) -> tuple[str | None, str]:
    ref = clean_ref(view.text("ref"))
    text = row_text(view, text_role)
    if bare_refs and ref is None:
        bare, rest = split_bare_ref(text)
        if bare:
            return bare, rest
    block = split_block_start(text)
    if block:
        return ref or block[0], block[1]
    prefixed, rest = split_ref_prefix(text)
    if prefixed and (ref is None or clean_ref(prefixed) == ref):
        return clean_ref(prefixed), rest
    return ref, text


def _issues(
    cls: Classification,
    status_raw: str | None,
    status: str | None,
    due_raw: str | None,
    due: str | None,
) -> list[str]:
    issues = list(cls.issues)
    if due_raw and due is None:
        issues.append("unparsed date")
    if status_raw and status is None:
        issues.append("status not in taxonomy")
    return issues


def _confidence(cls: Classification, issues: list[str]) -> float:
    return round(max(0.1, cls.confidence - 0.1 * len(issues)), 2)


def _revised_due(view: RowView) -> tuple[str | None, str | None]:
    """(revised_due, revised_due_raw): a revised deadline printed beside the original
    one, kept apart from it."""
    raw = view.text("revised_due") or None
    return normalise_date(raw), raw


def is_section_row(view: RowView, text_role: str) -> bool:
    """A heading row inside the table ("Strategy and governance"), not a record."""
    n_cols = len(view.cells)
    if is_spanning_row(view.cells, n_cols):
        return True
    filled = nonempty_cells(view.cells)
    if len(filled) != 1 or n_cols < 3:
        return False
    ref, _ = _ref_and_text(view, text_role)
    return ref is None and len(filled[0].text) < 100


def verdicts(view: RowView, cls: Classification) -> str:
    """The answers of a recommendation x respondent matrix row ("UK Government: F; ...")."""
    return "; ".join(
        f"{cls.header[i]}: {c.text.strip()}" if cls.header[i].strip() else c.text.strip()
        for i, (c, r) in enumerate(zip(view.cells, view.roles, strict=False))
        if r == VERDICT and c.text.strip()
    )


def bare_recommendation(
    doc_id: str,
    ref: str | None,
    text: str | None,
    *,
    pages: list[int] | None,
    table_index: int | None,
    confidence: float,
    response: str | None = None,
    absent: frozenset[str] = frozenset(),
) -> Recommendation:
    """A recommendation known only by its ref and text (plan blocks, prose headings)."""
    return Recommendation(
        doc_id=doc_id,
        ref=ref,
        text=text,
        response=response,
        pages=pages,
        table_index=table_index,
        confidence=confidence,
        absent=absent,
    )


def recommendation_record(
    view: RowView, cls: Classification, doc_id: str, doc_format: str, table_index: int
) -> Recommendation | None:
    """One tracker row as a contract ``recommendation`` (None for section / empty rows)."""
    if not nonempty_cells(view.cells) or is_section_row(view, "text"):
        return None
    ref, text = _ref_and_text(view, "text", cls.bare_refs)
    status, status_raw, due_raw, status_updates = status_cells(view)
    response, updates = split_dated_updates(view.text("response") or verdicts(view, cls))
    _undated_progress, progress_updates = split_dated_updates(view.text("progress"))
    due = normalise_date(due_raw)
    issues = _issues(cls, status_raw, status, due_raw, due)
    roles = ("ref", "text", "response", "owner", "status", "due", "progress", "revised_due")
    revised_due, revised_due_raw = _revised_due(view)
    return Recommendation(
        doc_id=doc_id,
        ref=ref,
        text=text or None,
        response=response,
        owner=view.text("owner") or None,
        status=status,
        status_raw=status_raw,
        due=due,
        due_raw=due_raw,
        updates=updates + progress_updates + status_updates,
        revised_due=revised_due,
        revised_due_raw=revised_due_raw,
        pages=pages_of([*(view.cell(r) for r in roles), *matrix_cells(view)], doc_format),
        table_index=table_index,
        confidence=_confidence(cls, issues),
        issues=issues,
    )


def matrix_cells(view: RowView) -> list[Cell]:
    """The drifted-text and answer cells of a matrix row (for its printed pages)."""
    return [c for c, r in zip(view.cells, view.roles, strict=False) if r in (TEXT_MORE, VERDICT)]


def action_record(
    view: RowView,
    cls: Classification,
    doc_id: str,
    doc_format: str,
    table_index: int,
    recommendation_ref: str | None = None,
) -> Action | None:
    """One action-plan row as a contract ``action`` (None for section / empty rows)."""
    text_role = "action_text" if "action_text" in view.roles else "text"
    if not nonempty_cells(view.cells) or is_section_row(view, text_role):
        return None
    ref, text = _ref_and_text(view, text_role)
    status, status_raw, due_raw, status_updates = status_cells(view)
    due = normalise_date(due_raw)
    progress, updates = split_dated_updates(view.text("progress") or view.text("response"))
    if "status" not in view.roles and status_raw is None:
        status_raw, status = leading_status(progress)
    issues = _issues(cls, status_raw, status, due_raw, due)
    roles = ("rec_ref", "ref", text_role, "owner", "due", "milestone", "target", "revised_due")
    revised_due, revised_due_raw = _revised_due(view)
    return Action(
        doc_id=doc_id,
        recommendation_ref=clean_ref(view.text("rec_ref")) or recommendation_ref,
        ref=ref,
        text=text or None,
        owner=view.text("owner") or None,
        due=due,
        due_raw=due_raw,
        milestone=view.text("milestone") or None,
        target=view.text("target") or None,
        status=status,
        status_raw=status_raw,
        updates=updates + status_updates,
        revised_due=revised_due,
        revised_due_raw=revised_due_raw,
        progress=progress,
        notes=view.text("notes") or None,
        pages=pages_of((view.cell(r) for r in roles), doc_format),
        table_index=table_index,
        confidence=_confidence(cls, issues),
        issues=issues,
    )


_FIELD_OF_ROLE = {
    "action": {
        "action_text": "text",
        "text": "text",
        "owner": "owner",
        "due": "due_raw",
        "milestone": "milestone",
        "target": "target",
        "status": "status_raw",
        "progress": "progress",
        "response": "progress",
    },
    "recommendation": {
        "text": "text",
        "owner": "owner",
        "due": "due_raw",
        "status": "status_raw",
        "response": "response",
        "progress": "updates",
    },
}


_EXTRA_FIELDS = frozenset({"progress", "status_raw"})  # not contract fields of an action


def append_text(record: Tracked, key: str, text: str) -> Tracked:
    """The record with the wrapped rest of a field printed on the next row added."""
    if key in ("response", "updates") and record.updates:
        *before, last = record.updates
        joined = f"{last['text']} {text}".strip()
        return replace(
            record, updates=[*before, Update(date=last["date"], label=last["label"], text=joined)]
        )
    if key == "updates":
        return record
    value = getattr(record, key)
    longer: dict[str, Any] = {key: f"{value} {text}".strip() if value else text}  # by name
    return replace(record, **longer)


def add_pages(record: Tracked, cells: list[Cell], doc_format: str) -> Tracked:
    """The record with the printed pages of more of its cells."""
    extra = pages_of(cells, doc_format) or []
    if record.pages is None and not extra:
        return record
    return replace(record, pages=sorted(set(record.pages or []) | set(extra)))


def continue_record(record: Tracked, view: RowView, doc_format: str) -> Tracked:
    """The record printed above with a row split off by a page break added to it."""
    fields = _FIELD_OF_ROLE[record.type]
    used = []
    for col, role in enumerate(view.roles):
        key = fields.get(role or "")
        text = view.cells[col].text.strip() if col < len(view.cells) else ""
        if key and text:
            record = append_text(record, key, text)
            if key not in _EXTRA_FIELDS:
                used.append(view.cells[col])
    record = replace(
        record,
        due=normalise_date(record.due_raw),
        status=normalise_status(record.status_raw),
    )
    return add_pages(record, used, doc_format)
