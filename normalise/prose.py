"""Recommendations printed as running text rather than in a table.

A report or a government response often prints each recommendation under its own heading
("Recommendation 3"), its text in the paragraphs that follow, and the answer under a second
heading ("Government response to recommendation 3").  Each such heading gives one
``recommendation`` record (``table_index`` null); the heading wordings live in
``data/headers.json`` under ``prose``.  A heading followed by a table is a table's caption
(an improvement plan's "Recommendation 1 continued"), not a record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from normalise.record_types import Recommendation
from normalise.trackers import bare_recommendation
from normalise.vocabulary import load
from parsers.model import Block, Document

_CONFIDENCE = 0.6  # headings and paragraphs carry no column vocabulary to check against


@lru_cache(maxsize=1)
def _headings() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load("headers")["prose"]
    return (
        re.compile(data["recommendation_heading"], re.I),
        re.compile(data["response_heading"], re.I),
    )


@dataclass
class _Open:
    """The recommendation being read, and which of its parts the paragraphs belong to."""

    ref: str
    text: list[str] = field(default_factory=list)
    response: list[str] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)
    part: str | None = "text"


def _record(doc: Document, rec: _Open) -> Recommendation | None:
    if not rec.text:
        return None
    pages = sorted(rec.pages) if doc.format == "pdf" and rec.pages else None
    return bare_recommendation(
        doc.doc_id,
        rec.ref,
        " ".join(rec.text),
        pages=pages,
        table_index=None,
        confidence=_CONFIDENCE,
        response=" ".join(rec.response) or None,
    )


def _heading(block: Block, rec: _Open | None, closed: list[_Open]) -> _Open | None:
    """The recommendation open after a heading (a new one, the same one, or none)."""
    opening, answering = _headings()
    m = opening.match(block.text)
    if m:
        if rec:
            closed.append(rec)
        title = (m.group("title") or "").strip()
        return _Open(m.group("ref"), [title] if title else [])
    m = answering.match(block.text)
    if m and rec and m.group("ref").lower() == rec.ref.lower():
        rec.part = "response"
        return rec
    if rec:
        rec.part = None  # another heading ends what this recommendation says
    return rec


def prose_recommendations(doc: Document) -> list[Recommendation]:
    """One record per "Recommendation N" heading followed by paragraphs."""
    closed: list[_Open] = []
    rec: _Open | None = None
    for block in doc.blocks:
        if block.kind == "heading":
            rec = _heading(block, rec, closed)
        elif block.kind == "table":
            if rec and not rec.text:
                rec = None  # a caption over a table: the table's rows are the records
            elif rec:
                rec.part = None
        elif rec and rec.part and block.text.strip():
            (rec.text if rec.part == "text" else rec.response).append(block.text.strip())
            if block.page:
                rec.pages.add(block.page)
    if rec:
        closed.append(rec)
    return [r for r in (_record(doc, c) for c in closed) if r is not None]
