"""Rows of recommendation trackers and action plans -> ``recommendation`` / ``action`` records.

A row gives its ``ref`` from the ref column or from a printed prefix (``1)``, ``15, 16 and
17.``); a Timescale cell holding a status gives the status, not a due date; dated updates
are split out of the response and progress cells; section rows are skipped.
"""

from __future__ import annotations

from typing import Any

from normalise.classify import Classification
from normalise.dates import find_dates, is_date, normalise_date
from normalise.grid import RowView, is_spanning_row, nonempty_cells, pages_of
from normalise.status import looks_like_status, normalise_status
from normalise.updates import clean_ref, split_block_start, split_dated_updates, split_ref_prefix

Record = dict[str, Any]


def split_status_due(status_text: str, due_text: str) -> tuple[str | None, str | None]:
    """(status_raw, due_raw) from a status cell and a Timescale cell that may hold either."""
    status_raw = status_text or None
    if not due_text:
        return status_raw, None
    if looks_like_status(due_text) and not is_date(due_text):
        return status_raw or due_text, None
    dates = list(find_dates(due_text))
    if len(dates) == 1 and not is_date(due_text):
        rest = (due_text[: dates[0].start] + " " + due_text[dates[0].end :]).strip(" -–,;:()")
        if looks_like_status(rest):
            return status_raw or rest, dates[0].text
    return status_raw, due_text


def _ref_and_text(view: RowView, text_role: str) -> tuple[str | None, str]:
    ref = clean_ref(view.text("ref"))
    text = view.text(text_role)
    block = split_block_start(text)
    if block:
        return ref or block[0], block[1]
    prefixed, rest = split_ref_prefix(text)
    if prefixed and (ref is None or clean_ref(prefixed) == ref):
        return clean_ref(prefixed), rest
    return ref, text


def _issues(cls: Classification, status_raw: str | None, status: str | None,
            due_raw: str | None, due: str | None) -> list[str]:
    issues = list(cls.issues)
    if due_raw and due is None:
        issues.append("unparsed date")
    if status_raw and status is None:
        issues.append("status not in taxonomy")
    return issues


def _confidence(cls: Classification, issues: list[str]) -> float:
    return round(max(0.1, cls.confidence - 0.1 * len(issues)), 2)


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


def recommendation_record(view: RowView, cls: Classification, doc_id: str, doc_format: str,
                          table_index: int) -> Record | None:
    """One tracker row as a contract ``recommendation`` (None for section / empty rows)."""
    if not nonempty_cells(view.cells) or is_section_row(view, "text"):
        return None
    ref, text = _ref_and_text(view, "text")
    status_raw, due_raw = split_status_due(view.text("status"), view.text("due"))
    response, updates = split_dated_updates(view.text("response"))
    _undated_progress, progress_updates = split_dated_updates(view.text("progress"))
    status, due = normalise_status(status_raw), normalise_date(due_raw)
    issues = _issues(cls, status_raw, status, due_raw, due)
    roles = ("ref", "text", "response", "owner", "status", "due", "progress")
    return {
        "type": "recommendation", "doc_id": doc_id, "ref": ref, "text": text or None,
        "response": response, "owner": view.text("owner") or None,
        "status": status, "status_raw": status_raw, "due": due, "due_raw": due_raw,
        "updates": updates + progress_updates,
        "pages": pages_of((view.cell(r) for r in roles), doc_format),
        "table_index": table_index, "confidence": _confidence(cls, issues), "issues": issues,
    }


def action_record(view: RowView, cls: Classification, doc_id: str, doc_format: str,
                  table_index: int, recommendation_ref: str | None = None) -> Record | None:
    """One action-plan row as a contract ``action`` (None for section / empty rows)."""
    text_role = "action_text" if "action_text" in view.roles else "text"
    if not nonempty_cells(view.cells) or is_section_row(view, text_role):
        return None
    ref, text = _ref_and_text(view, text_role)
    due_raw = view.text("due") or None
    due = normalise_date(due_raw)
    issues = _issues(cls, None, None, due_raw, due)
    roles = ("rec_ref", "ref", text_role, "owner", "due", "milestone", "target")
    return {
        "type": "action", "doc_id": doc_id,
        "recommendation_ref": clean_ref(view.text("rec_ref")) or recommendation_ref,
        "ref": ref, "text": text or None, "owner": view.text("owner") or None,
        "due": due, "due_raw": due_raw, "milestone": view.text("milestone") or None,
        "target": view.text("target") or None,
        "pages": pages_of((view.cell(r) for r in roles), doc_format),
        "table_index": table_index, "confidence": _confidence(cls, issues), "issues": issues,
    }
