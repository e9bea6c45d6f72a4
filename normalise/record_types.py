"""The record types of the export contract, each described once.

Every part that handles records by type reads this registry rather than keeping its own
field list: the export (``fields``, the contract's order), the store (``promoted``: which
field fills each filterable column of ``records``), the NLP step (``nlp_fields``: free
text to tag; ``key``: what names a record inside its document) and the diff (``tracked``
types are followed from paper to paper; ``compared``: the text fields a diff reports).
A new record type is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]


def _joined(*names: str, sep: str = " | ") -> Callable[[Record], str | None]:
    def key(record: Record) -> str | None:
        return sep.join(str(record[n]) for n in names if record.get(n)) or None

    return key


@dataclass(frozen=True)
class RecordType:
    """How one record type is exported, stored, tagged and followed."""

    name: str
    fields: tuple[str, ...]  # the contract's fields, in its order
    promoted: Mapping[str, str] = field(default_factory=dict)  # records column -> field
    nlp_fields: tuple[str, ...] = ()  # free text the NLP step tags
    key: Callable[[Record], str | None] = _joined("ref")  # names it inside its document
    tracked: bool = False  # followed across successive papers by diff / history / slippage
    compared: tuple[str, ...] = ()  # text fields a diff compares (tracked types)


_TRACKER = {"ref": "ref", "status": "status", "owner": "owner", "due": "due", "text": "text"}

RECORD_TYPES: dict[str, RecordType] = {
    t.name: t
    for t in (
        RecordType(
            "document",
            ("doc_id", "source", "format", "title", "committee", "meeting_date", "pages"),
            {"text": "title"},
        ),
        RecordType(
            "table",
            ("doc_id", "index", "kind", "pages", "header", "rows"),
            {"text": "context"},
        ),
        RecordType(
            "recommendation",
            ("doc_id", "ref", "text", "response", "owner", "status", "status_raw", "due",
             "due_raw", "updates", "pages"),
            _TRACKER,
            nlp_fields=("text", "response"),
            tracked=True,
            compared=("owner", "text", "response"),
        ),
        RecordType(
            "action",
            ("doc_id", "recommendation_ref", "ref", "text", "owner", "due", "due_raw",
             "milestone", "target", "status", "status_raw", "updates", "pages"),
            _TRACKER,
            nlp_fields=("text", "milestone", "target"),
            key=_joined("recommendation_ref", "ref", sep="/"),
            tracked=True,
            compared=("owner", "text"),
        ),
        RecordType(
            "saving",
            ("doc_id", "item", "group", "period", "unit", "value", "pages"),
            {"text": "item"},
            nlp_fields=("item",),
            key=_joined("item", "group", "period", "unit"),
        ),
        RecordType(
            "rag",
            ("doc_id", "programme", "criterion", "rating", "rationale", "pages"),
            {"status": "rating"},
            nlp_fields=("programme", "criterion", "rationale"),
            key=_joined("programme", "criterion"),
        ),
        RecordType(
            "entity",
            ("doc_id", "record_type", "record_key", "field", "label", "text", "start", "end",
             "normalised"),
            {"ref": "record_key", "text": "text"},
        ),
    )
}  # fmt: skip

TRACKED = tuple(name for name, t in RECORD_TYPES.items() if t.tracked)
