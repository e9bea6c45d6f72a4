"""Improvement-plan blocks -> one ``recommendation`` and its ``action`` records.

A block opens with a spanning "Recommendation N: ..." row (wrapped lines of it may follow),
carries key-value rows (Objective, Link to strategic aim, costs, benefits) that are not
records, then a "Key actions to implement | Lead | Deadline | PI / milestone | Target"
sub-header whose rows are the actions.  The sub-table may continue in the next table (after
a heading or a page break); a row without its own action number continues the action above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from normalise.classify import EXACT, Classification, apply_fallbacks, header_role
from normalise.grid import RowView, nonempty_cells, pages_of, row_texts
from normalise.record_types import Action, Recommendation
from normalise.trackers import (
    WITHOUT_REVISED_DUE,
    action_record,
    append_text,
    bare_recommendation,
    continue_record,
)
from normalise.updates import split_block_start, split_ref_prefix
from parsers.model import Table

Roles = tuple[str | None, ...]
_KEY_VALUE = re.compile(r"^[A-Z][\w\s/()\-–&,']{2,60}:")


def subheader_roles(texts: list[str]) -> Roles | None:
    """Column roles when a row is an action sub-header (two or more known wordings, the
    action text among them, no reference column)."""
    if any(len(t) > 60 for t in texts):
        return None
    found = [header_role(t) for t in texts]
    roles = apply_fallbacks("action_plan", [r for r, _c in found])
    if sum(1 for _r, conf in found if conf == EXACT) < 2 or "action_text" not in roles:
        return None
    return roles if "ref" not in roles else None


def continues_plan(table: Table, cls: Classification) -> bool:
    """A table that carries on the key actions of the block before it."""
    if cls.kind not in ("action_plan", "other"):
        return False
    if any(cls.header) and subheader_roles(list(cls.header)):
        return True
    rows = [row_texts(r) for r in table.rows]
    if any(subheader_roles(t) for t in rows):
        return True
    return bool(rows) and split_ref_prefix(rows[0][0])[0] is not None


@dataclass
class _Block:
    """Where the reader is inside a block while walking the rows."""

    ref: str | None
    roles: Roles | None
    phase: str = "actions"  # "recommendation" text, "details" rows, or "actions"
    records: list[Recommendation | Action] = field(default_factory=list)
    last: Recommendation | Action | None = None  # the last of ``records``, still open

    def add(self, record: Recommendation | Action) -> None:
        self.records.append(record)
        self.last = record

    def revise_last(self, record: Recommendation | Action) -> None:
        """The open record, with more of it read."""
        self.records[-1] = self.last = record


def _block_recommendation(
    view: RowView,
    ref: str,
    text: str,
    doc_id: str,
    doc_format: str,
    table_index: int,
    confidence: float,
) -> Recommendation:
    cell = nonempty_cells(view.cells)[0]
    return bare_recommendation(
        doc_id,
        ref,
        text or None,
        pages=pages_of([cell], doc_format),
        table_index=table_index,
        confidence=confidence,
        absent=WITHOUT_REVISED_DUE,
    )


def _action_row(
    state: _Block, view: RowView, cls: Classification, doc: tuple[str, str], table_index: int
) -> None:
    text_col = view.roles.index("action_text") if "action_text" in view.roles else 0
    first = view.cells[text_col].text.strip() if text_col < len(view.cells) else ""
    if state.last is not None and not split_ref_prefix(first)[0]:
        state.revise_last(continue_record(state.last, view, doc[1]))
        return
    rec = action_record(
        view, replace(cls, roles=view.roles), doc[0], doc[1], table_index, state.ref
    )
    if rec:
        state.add(rec)


def _walk_row(
    state: _Block,
    table: Table,
    index: int,
    cls: Classification,
    doc: tuple[str, str],
    table_index: int,
) -> None:
    texts = row_texts(table.rows[index])
    first = next((t for t in texts if t), "")
    block = split_block_start(first)
    if block:
        view = RowView(table, index, (None,) * len(texts))
        state.add(
            _block_recommendation(
                view, block[0], block[1], doc[0], doc[1], table_index, cls.confidence
            )
        )
        state.ref, state.roles, state.phase = block[0], None, "recommendation"
        return
    found = subheader_roles(texts)
    if found:
        state.roles, state.phase, state.last = found, "actions", None
        return
    if state.phase == "recommendation" and state.last is not None:
        if (
            first
            and texts[0] == first
            and len(nonempty_cells(table.rows[index])) == 1
            and not _KEY_VALUE.match(first)
        ):
            state.revise_last(append_text(state.last, "text", first))
            return
        state.phase = "details"
    if state.phase == "actions" and state.roles is not None and first:
        _action_row(state, RowView(table, index, state.roles), cls, doc, table_index)


def plan_records(
    table: Table,
    cls: Classification,
    doc: tuple[str, str],
    table_index: int,
    open_ref: str | None,
    open_roles: Roles | None,
) -> tuple[list[Recommendation | Action], str | None, Roles | None]:
    """Records of one table of an improvement plan, and the block left open at its end.

    ``doc`` is ``(doc_id, format)``; ``open_ref`` / ``open_roles`` come from the table before.
    """
    roles = subheader_roles(list(cls.header)) if any(cls.header) else open_roles
    if roles is not None and len(roles) != table.n_cols:
        roles = ("action_text",) + (None,) * (table.n_cols - 1)
    state = _Block(open_ref, roles)
    for index in range(cls.header_rows_in_body, len(table.rows)):
        _walk_row(state, table, index, cls, doc, table_index)
    return state.records, state.ref, state.roles
