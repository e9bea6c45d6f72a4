"""Series: the successive versions of one progress tracker, oldest first.

Papers are grouped automatically (``store.series_grouping``: same committee, similar
title, different meetings, most recommendations shared) or set by hand; papers in a
hand-made series are left out of the automatic grouping.  ``refresh_series`` regroups
and recomputes the ``recommendation_changes`` table of every series whose papers changed;
ingest calls it, and ``ensure_series`` calls it lazily when documents were added or
replaced since the last grouping.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select

from normalise.record_types import ExportedRecord
from store.database import writing
from store.diff import (
    TRACKED,
    Diff,
    Thread,
    compare,
    days_later,
    follow_items,
    is_regression,
    is_slip,
)
from store.export import iter_records
from store.load import now_iso
from store.schema import (
    documents,
    recommendation_changes,
    records,
    series,
    series_documents,
    series_grouping,
)
from store.series_grouping import Paper, candidate_pairs, group_papers, series_name

__all__ = [
    "Paper",
    "Series",
    "SeriesNotFound",
    "add_to_series",
    "ensure_series",
    "get_series",
    "group_papers",
    "list_series",
    "refresh_series",
    "remove_series",
    "series_diffs",
    "series_name",
    "series_threads",
]


class SeriesNotFound(Exception):
    """No series has this name."""


@dataclass(frozen=True)
class Series:
    name: str
    origin: str  # auto | manual
    papers: list[Paper]

    @property
    def doc_ids(self) -> list[str]:
        return [p.doc_id for p in self.papers]


# ---------------------------------------------------------------- reading


def _papers(conn: Connection, doc_ids: Iterable[str] | None = None) -> list[Paper]:
    """Documents holding recommendations (all, or these) in ingest order."""
    # EXISTS walks each document's own rows (doc_id index): fast on millions of records
    has_recs = (
        select(records.c.id)
        .where(records.c.doc_id == documents.c.doc_id, records.c.type.in_(TRACKED))
        .exists()
    )
    query = select(
        documents.c.doc_id,
        documents.c.source,
        documents.c.title,
        documents.c.committee,
        documents.c.meeting_date,
        documents.c.id,
    ).order_by(documents.c.id)
    if doc_ids is None:
        query = query.where(has_recs)
    else:
        query = query.where(documents.c.doc_id.in_(list(doc_ids)))
    return [Paper(*row) for row in conn.execute(query)]


def items_of(conn: Connection, doc_ids: Sequence[str]) -> dict[str, list[ExportedRecord]]:
    """The recommendation and action records (with a ref or a text) of each document."""
    out: dict[str, list[ExportedRecord]] = {d: [] for d in doc_ids}
    if not out:  # iter_records reads every document when given none
        return out
    for rec in iter_records(conn, doc_ids=list(doc_ids), types=list(TRACKED)):
        if rec.get("ref") or rec.get("text"):
            out[rec["doc_id"]].append(rec)
    return out


def list_series(conn: Connection) -> list[Series]:
    """Every series, by name, with its papers oldest first (missing documents skipped)."""
    rows = conn.execute(
        select(series.c.name, series.c.origin, series_documents.c.doc_id)
        .join(series_documents, series_documents.c.series_id == series.c.id)
        .order_by(series.c.name, series_documents.c.position)
    ).all()
    papers = {p.doc_id: p for p in _papers(conn, {r.doc_id for r in rows})}
    found: dict[str, Series] = {}
    for name, origin, doc_id in rows:
        entry = found.setdefault(name, Series(name, origin, []))
        if doc_id in papers:
            entry.papers.append(papers[doc_id])
    return list(found.values())


def get_series(conn: Connection, name: str) -> Series:
    for s in list_series(conn):
        if s.name == name:
            return s
    raise SeriesNotFound(f"{name}: no series with this name (see `papertrail series list`)")


def series_diffs(conn: Connection, found: Series) -> list[Diff]:
    """The diff of every consecutive pair of the series' papers."""
    recs = items_of(conn, found.doc_ids)
    ids = found.doc_ids
    return [compare(a, recs[a], b, recs[b]) for a, b in zip(ids, ids[1:], strict=False)]


def series_threads(conn: Connection, found: Series) -> list[Thread]:
    recs = items_of(conn, found.doc_ids)
    return follow_items([(d, recs[d]) for d in found.doc_ids])


# ---------------------------------------------------------------- writing


def _texts_of(conn: Connection, doc_ids: Sequence[str]) -> dict[str, list[ExportedRecord]]:
    """Just ref and text of each document's recommendations: all the grouping needs,
    read from plain columns rather than the JSON records (big databases)."""
    out: dict[str, list[ExportedRecord]] = {d: [] for d in doc_ids}
    if out:
        rows = conn.execute(
            select(records.c.doc_id, records.c.type, records.c.ref, records.c.text)
            .where(
                records.c.type.in_(TRACKED),
                records.c.text.is_not(None),
                records.c.doc_id.in_(list(doc_ids)),
            )
            .order_by(records.c.doc_id, records.c.ordinal)
        )
        for doc_id, kind, ref, text in rows:
            out[doc_id].append({"type": kind, "ref": ref, "text": text})
    return out


def _state(conn: Connection) -> tuple[int, int]:
    count, last = conn.execute(select(func.count(), func.max(documents.c.id))).one()
    return int(count), int(last or 0)


def _last_state(conn: Connection) -> tuple[int, int] | None:
    seen = conn.execute(select(series_grouping.c.documents_seen)).scalar()
    if not seen:
        return None
    count, last = str(seen).split(":")
    return int(count), int(last)


def _memberships(conn: Connection, origin: str | None = None) -> dict[str, list[str]]:
    query = (
        select(series.c.name, series_documents.c.doc_id)
        .join(series_documents, series_documents.c.series_id == series.c.id)
        .order_by(series.c.name, series_documents.c.position)
    )
    if origin:
        query = query.where(series.c.origin == origin)
    out: dict[str, list[str]] = {}
    for name, doc_id in conn.execute(query):
        out.setdefault(name, []).append(doc_id)
    return out


def _save_series(conn: Connection, name: str, origin: str, papers: Sequence[Paper]) -> None:
    first = papers[0] if papers else None
    series_id = conn.execute(
        insert(series)
        .values(
            name=name,
            origin=origin,
            committee=first and first.committee,
            title=first and first.title,
            updated_at=now_iso(),
        )
        .returning(series.c.id)
    ).scalar_one()
    if papers:
        conn.execute(
            insert(series_documents),
            [
                {"series_id": series_id, "doc_id": p.doc_id, "position": k}
                for k, p in enumerate(papers)
            ],
        )


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _change_rows(series_id: int, found: Series, threads: Sequence[Thread]) -> list[dict[str, Any]]:
    dates = {p.doc_id: p.meeting_date for p in found.papers}
    rows = []
    for thread in threads:
        for old_doc, new_doc, c in thread.changes():
            rows.append(
                {
                    "series_id": series_id,
                    "from_doc": old_doc,
                    "to_doc": new_doc,
                    "from_date": dates.get(old_doc),
                    "to_date": dates.get(new_doc),
                    "record_type": thread.kind,
                    "recommendation": thread.ref,
                    "ref": c.ref or "",  # "" where none is printed: ``item`` names it
                    "item": c.item,
                    "field": c.field,
                    "old": _as_text(c.old),
                    "new": _as_text(c.new),
                    "old_raw": c.old_raw,
                    "new_raw": c.new_raw,
                    "slipped": int(is_slip(c)),
                    "days_later": days_later(c.old, c.new) if c.field == "due" else None,
                    "regressed": int(is_regression(c)),
                }
            )
    return rows


def _recompute_changes(conn: Connection, names: set[str]) -> None:
    """Refill ``recommendation_changes`` for these series."""
    ids = dict(conn.execute(select(series.c.name, series.c.id)).all())
    for found in list_series(conn):
        if found.name not in names:
            continue
        conn.execute(
            delete(recommendation_changes).where(
                recommendation_changes.c.series_id == ids[found.name]
            )
        )
        rows = _change_rows(ids[found.name], found, series_threads(conn, found))
        if rows:
            conn.execute(insert(recommendation_changes), rows)


def _regroup(conn: Connection, new_docs: set[str] | None) -> set[str]:
    """Regroup the automatic series; returns the names of those made or changed.

    With ``new_docs`` (papers ingested since the last grouping) only pairs holding one of
    them are compared and the existing groups are kept; with None, everything is. A
    series whose papers are the same as before is left as it is, computed changes and all.
    """
    manual = {d for docs in _memberships(conn, "manual").values() for d in docs}
    papers = [p for p in _papers(conn) if p.doc_id not in manual]
    before = _memberships(conn, "auto")
    pairs = candidate_pairs(papers)
    if new_docs is not None:
        pairs = [(a, b) for a, b in pairs if a.doc_id in new_docs or b.doc_id in new_docs]
    compared = sorted({p.doc_id for pair in pairs for p in pair})
    known = list(before.values()) if new_docs is not None else []
    groups = group_papers(papers, _texts_of(conn, compared), pairs, known)
    taken = set(conn.execute(select(series.c.name).where(series.c.origin == "manual")).scalars())
    wanted: dict[str, list[Paper]] = {}
    for group in groups:
        name = series_name(group, taken)
        taken.add(name)
        wanted[name] = group
    gone = [n for n, docs in before.items() if [p.doc_id for p in wanted.get(n, [])] != docs]
    if gone:
        conn.execute(delete(series).where(series.c.name.in_(gone)))
    made = {n for n, group in wanted.items() if n not in before or n in gone}
    for name in sorted(made):
        _save_series(conn, name, "auto", wanted[name])
    return made


def refresh_series(engine: Engine, changed: Iterable[str] = (), full: bool = False) -> list[Series]:
    """Group papers ingested since the last refresh into series (all papers when ``full``
    or the first time), and recompute the changes of every series that is new, whose
    papers changed, or holds a new or re-ingested paper (and of those named in
    ``changed``); returns all series.

    Call it after ingesting (the ``ingest`` command does). Only papers of one committee
    with similar titles have their recommendation texts compared.
    """
    with writing(engine).begin() as conn:
        last = _last_state(conn)
        count, top = _state(conn)
        # new or re-ingested (--force) papers get new ingest ids; fewer papers: regroup all
        new_docs = (
            None
            if full or last is None or count < last[0]
            else set(
                conn.execute(select(documents.c.doc_id).where(documents.c.id > last[1])).scalars()
            )
        )
        names = _regroup(conn, new_docs) | set(changed)
        members = _memberships(conn)
        names |= {n for n, docs in members.items() if new_docs is None or new_docs & set(docs)}
        _recompute_changes(conn, names)
        conn.execute(delete(series_grouping))
        conn.execute(
            insert(series_grouping).values(grouped_at=now_iso(), documents_seen=f"{count}:{top}")
        )
    with engine.connect() as conn:
        return list_series(conn)


def grouping_stale(conn: Connection) -> bool:
    """Documents were added or replaced since the series were last grouped."""
    return _last_state(conn) != _state(conn)


def ensure_series(engine: Engine) -> None:
    """Refresh the series when documents were added or replaced since the last grouping."""
    with engine.connect() as conn:
        stale = grouping_stale(conn)
    if stale:
        refresh_series(engine)


def add_to_series(engine: Engine, name: str, doc_ids: Sequence[str]) -> Series:
    """Make ``name`` a hand-made series holding its papers so far plus ``doc_ids``.

    Papers are kept in meeting order (undated ones last, in the order given). An
    automatic series of that name becomes hand-made, so regrouping leaves it alone.
    """
    with engine.begin() as conn:
        current = _memberships(conn).get(name, [])
        wanted = list(dict.fromkeys([*current, *doc_ids]))
        by_id = {p.doc_id: p for p in _papers(conn, wanted)}
        given = {d: k for k, d in enumerate(wanted)}
        papers = sorted(
            (by_id[d] for d in wanted if d in by_id),
            key=lambda p: (p.meeting_date is None, p.meeting_date or "", given[p.doc_id]),
        )
        conn.execute(delete(series).where(series.c.name == name))
        _save_series(conn, name, "manual", papers)
    refresh_series(engine, changed=[name])
    with engine.connect() as conn:
        return get_series(conn, name)


def remove_series(engine: Engine, name: str) -> None:
    """Delete a series (an automatic one comes back at the next regrouping)."""
    with engine.begin() as conn:
        if conn.execute(delete(series).where(series.c.name == name)).rowcount == 0:
            raise SeriesNotFound(f"{name}: no series with this name")
    refresh_series(engine, full=True)
