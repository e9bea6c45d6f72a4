"""Savings pivots and RAG histories: stored records reshaped the way finance and
programme people read them.  Each function returns plain data; renderers are elsewhere.

A savings pivot is one paper's figures in one unit (£m and FTE never add up together),
items down and periods across, with totals.  Rows printed as totals ("Total Service
Improvement") are kept and flagged but left out of the computed totals, so the two can be
compared.  A RAG history follows one programme's criterion across papers in meeting order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from store.diff import norm_text

_PIVOT_COLUMNS = ("doc_id", "source", "meeting_date", "item", "grp", "period", "unit", "value")
_NONE = "\x00none"  # stands for a missing group or unit while pandas groups
_TOTAL = re.compile(r"^(grand |net |sub-?)?totals?\b|\btotals?$", re.IGNORECASE)


@dataclass
class PivotRow:
    item: str
    group: str | None
    values: dict[str, float]  # period -> value
    is_total: bool = False

    @property
    def total(self) -> float:
        return round(sum(self.values.values()), 6)


@dataclass
class SavingsPivot:
    """One paper's savings in one unit: items x periods."""

    doc_id: str
    source: str
    meeting_date: str | None
    unit: str | None
    periods: list[str] = field(default_factory=list)
    rows: list[PivotRow] = field(default_factory=list)

    def period_totals(self) -> dict[str, float]:
        """Column sums over the rows that are not printed totals."""
        return {
            p: round(sum(r.values.get(p, 0.0) for r in self.rows if not r.is_total), 6)
            for p in self.periods
        }

    def grand_total(self) -> float:
        return round(sum(self.period_totals().values()), 6)

    def as_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "source": self.source,
            "meeting_date": self.meeting_date,
            "unit": self.unit,
            "periods": self.periods,
            "rows": [
                {
                    "item": r.item,
                    "group": r.group,
                    "values": r.values,
                    "total": r.total,
                    "is_total": r.is_total,
                }
                for r in self.rows
            ],
            "totals": self.period_totals(),
            "grand_total": self.grand_total(),
        }


def is_total_item(item: str) -> bool:
    """A row label that names a printed total ("Total", "Net total savings")."""
    return bool(_TOTAL.search(item.strip()))


def _field(conn: Connection, name: str, typed: bool = False) -> str:
    """``records.data``'s field ``name`` in SQL: a string as text; ``typed``, a number as
    a number (SQLite's ``json_extract`` gives both; PostgreSQL ``->>`` text, ``->`` json)."""
    if conn.dialect.name == "sqlite":
        return f"json_extract(r.data, '$.{name}')"
    return f"r.data {'->' if typed else '->>'} '{name}'"


def _like(conn: Connection) -> str:
    return "LIKE" if conn.dialect.name == "sqlite" else "ILIKE"  # case ignored on both


def savings_rows(
    conn: Connection, doc_ids: Sequence[str] = (), unit: str | None = None
) -> list[dict[str, Any]]:
    """Stored saving records with their paper, in ingest order."""
    sql = (
        "SELECT r.doc_id, d.source, d.meeting_date,"
        f" {_field(conn, 'item')} AS item, {_field(conn, 'group')} AS grp,"
        f" {_field(conn, 'period')} AS period, {_field(conn, 'unit')} AS unit,"
        f" {_field(conn, 'value', typed=True)} AS value"
        " FROM records AS r JOIN documents AS d ON d.doc_id = r.doc_id"
        " WHERE r.type = 'saving'"
    )
    params: dict[str, Any] = {}
    if doc_ids:
        like = _like(conn)
        sql += (
            " AND ("
            + " OR ".join(
                f"r.doc_id {like} :d{i} || '%' OR d.source = :d{i}" for i in range(len(doc_ids))
            )
            + ")"
        )
        params.update({f"d{i}": d for i, d in enumerate(doc_ids)})
    if unit is not None:
        sql += f" AND {_field(conn, 'unit')} = :unit"
        params["unit"] = unit
    sql += " ORDER BY d.id, r.ordinal"
    return [dict(row) for row in conn.execute(text(sql), params).mappings()]


def pivot_savings(rows: Iterable[dict[str, Any]]) -> list[SavingsPivot]:
    """One pivot per (paper, unit), items and periods in the order first printed."""
    # pandas is imported here, not at the top: it costs every papertrail command (and
    # every ingest worker, which imports the CLI) a quarter of a second and 40 MB.
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=[*_PIVOT_COLUMNS])
    frame = frame[frame["item"].notna() & frame["item"].astype(bool)]
    frame = frame[frame["value"].map(lambda v: isinstance(v, int | float))]
    if frame.empty:
        return []
    # pandas drops None keys from groups; a sentinel keeps "no group" / "no period" rows.
    frame = frame.assign(
        grp=frame["grp"].fillna(_NONE),
        period=frame["period"].fillna("").astype(str),
        unit=frame["unit"].fillna(_NONE),
        item=frame["item"].astype(str),
        value=frame["value"].astype(float),
    )
    pivots = []
    for (doc_id, unit), part in frame.groupby(["doc_id", "unit"], sort=False):
        table = part.pivot_table(
            index=["item", "grp"], columns="period", values="value", aggfunc="sum", sort=False
        )
        first = part.iloc[0]
        pivot = SavingsPivot(
            str(doc_id),
            str(first["source"]),
            first["meeting_date"],
            None if unit == _NONE else str(unit),
            periods=[str(c) for c in table.columns],
        )
        for (item, grp), values in table.iterrows():
            pivot.rows.append(
                PivotRow(
                    str(item),
                    None if grp == _NONE else str(grp),
                    {str(p): round(float(v), 6) for p, v in values.items() if pd.notna(v)},
                    is_total_item(str(item)),
                )
            )
        pivots.append(pivot)
    return pivots


@dataclass(frozen=True)
class RagPoint:
    """One paper's rating of one programme criterion."""

    doc_id: str
    source: str
    meeting_date: str | None
    rating: str | None
    rationale: str | None


@dataclass
class RagHistory:
    """One programme criterion across papers, oldest first."""

    programme: str
    criterion: str | None
    points: list[RagPoint] = field(default_factory=list)

    @property
    def latest(self) -> RagPoint:
        return self.points[-1]

    def changes(self) -> list[tuple[RagPoint, RagPoint]]:
        """Each consecutive pair of papers whose ratings differ."""
        rated = [p for p in self.points if p.rating]
        return [(a, b) for a, b in zip(rated, rated[1:], strict=False) if a.rating != b.rating]

    def as_dict(self) -> dict[str, Any]:
        return {
            "programme": self.programme,
            "criterion": self.criterion,
            "latest": self.latest.__dict__,
            "history": [p.__dict__ for p in self.points],
            "changes": [
                {
                    "from": a.rating,
                    "to": b.rating,
                    "from_doc": a.doc_id,
                    "to_doc": b.doc_id,
                    "from_date": a.meeting_date,
                    "to_date": b.meeting_date,
                }
                for a, b in self.changes()
            ],
        }


def rag_rows(conn: Connection, programme: str | None = None) -> list[dict[str, Any]]:
    """Stored RAG ratings with their paper, in meeting order (undated papers first)."""
    sql = (
        "SELECT r.doc_id, d.source, d.meeting_date,"
        f" {_field(conn, 'programme')} AS programme,"
        f" {_field(conn, 'criterion')} AS criterion,"
        f" {_field(conn, 'rating')} AS rating,"
        f" {_field(conn, 'rationale')} AS rationale"
        " FROM records AS r JOIN documents AS d ON d.doc_id = r.doc_id"
        " WHERE r.type = 'rag'"
    )
    params: dict[str, Any] = {}
    if programme:
        sql += f" AND {_field(conn, 'programme')} {_like(conn)} :programme"
        params["programme"] = f"%{programme}%"
    sql += " ORDER BY d.meeting_date IS NOT NULL, d.meeting_date, d.id, r.ordinal"
    return [dict(row) for row in conn.execute(text(sql), params).mappings()]


def rag_histories(rows: Iterable[dict[str, Any]]) -> list[RagHistory]:
    """Group ratings by programme and criterion (case and spacing ignored), keeping the
    order rows come in, which ``rag_rows`` makes the meeting order."""
    histories: dict[tuple[str, str], RagHistory] = {}
    for row in rows:
        if not row.get("programme"):
            continue
        key = (norm_text(row["programme"]), norm_text(row.get("criterion")))
        history = histories.get(key)
        if history is None:
            history = histories[key] = RagHistory(row["programme"], row.get("criterion"))
        point = RagPoint(
            row["doc_id"],
            row["source"],
            row.get("meeting_date"),
            row.get("rating"),
            row.get("rationale"),
        )
        if history.points and history.points[-1].doc_id == point.doc_id:
            continue  # one rating per paper: the first printed
        history.points.append(point)
    return list(histories.values())
