"""Series: the successive versions of one progress tracker, oldest first.

Papers are grouped automatically when they come from the same committee, have similar
titles, are for different meetings, and share most of their recommendations (matched as
``store.diff`` matches them, and counted only where the texts agree — refs alone like
"1", "2" say nothing).  Series can also be set by hand; papers in a hand-made series are
left out of the automatic grouping.  ``refresh_series`` regroups and recomputes the
``recommendation_changes`` table; ingest calls it, and ``ensure_series`` calls it
lazily when documents changed since the last grouping.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Connection, Engine, delete, func, insert, select

from store.diff import (
    Diff,
    Record,
    Thread,
    compare,
    days_later,
    follow_recommendations,
    is_regression,
    is_slip,
    match_records,
    norm_text,
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

TITLE_MIN = 70.0  # token-set similarity of two titles (0-100) for the same tracker
SHARED_TEXT_MIN = 70.0  # a matched pair counts as shared when its texts agree this much
SHARED_MIN = 0.5  # share of the smaller paper's recommendations found in the other
NAME_WORDS = 5
_STOP = {"a", "an", "and", "the", "of", "on", "at", "as", "for", "to", "in", "into", "by",
         "with", "update", "updates", "progress", "report", "committee", "board"}


class SeriesNotFound(Exception):
    """No series has this name."""


@dataclass(frozen=True)
class Paper:
    """A stored document with recommendations, as the grouping sees it."""

    doc_id: str
    source: str
    title: str | None
    committee: str | None
    meeting_date: str | None
    order: int  # ingest order, the tie-break after meeting_date


@dataclass(frozen=True)
class Series:
    name: str
    origin: str  # auto | manual
    papers: list[Paper]

    @property
    def doc_ids(self) -> list[str]:
        return [p.doc_id for p in self.papers]


# ---------------------------------------------------------------- grouping (pure)


def _meeting_order(paper: Paper) -> tuple[int, str, int]:
    return (paper.meeting_date is None, paper.meeting_date or "", paper.order)


def could_be_same(a: Paper, b: Paper) -> bool:
    """Committee, title and meeting allow ``a`` and ``b`` to be versions of one tracker."""
    if norm_text(a.committee) != norm_text(b.committee):
        return False
    if a.meeting_date and a.meeting_date == b.meeting_date:
        return False  # one paper printed twice (two formats), not an update
    return fuzz.token_set_ratio(norm_text(a.title), norm_text(b.title)) >= TITLE_MIN


def shared_share(old: Sequence[Record], new: Sequence[Record]) -> float:
    """Share of the smaller paper's recommendations that the other paper also holds."""
    if not old or not new:
        return 0.0
    shared = sum(
        1
        for i, j in match_records(old, new)
        if fuzz.token_set_ratio(norm_text(old[i].get("text")), norm_text(new[j].get("text")))
        >= SHARED_TEXT_MIN
    )
    return shared / min(len(old), len(new))


def group_papers(papers: Sequence[Paper], recs: dict[str, list[Record]]) -> list[list[Paper]]:
    """Groups of two or more papers that are versions of one tracker, each oldest first."""
    parent = {p.doc_id: p.doc_id for p in papers}

    def root(doc: str) -> str:
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    ordered = sorted(papers, key=_meeting_order)
    for k, a in enumerate(ordered):
        for b in ordered[k + 1 :]:
            if root(a.doc_id) == root(b.doc_id) or not could_be_same(a, b):
                continue
            if shared_share(recs[a.doc_id], recs[b.doc_id]) >= SHARED_MIN:
                parent[root(b.doc_id)] = root(a.doc_id)
    groups: dict[str, list[Paper]] = {}
    for p in ordered:
        groups.setdefault(root(p.doc_id), []).append(p)
    return [g for g in groups.values() if len(g) > 1]


def _words(text: str | None) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", norm_text(text)) if w not in _STOP]


def series_name(group: Sequence[Paper], taken: set[str]) -> str:
    """committee initials, the title words every version shares, and the first year."""
    first = group[0]
    common = set(_words(first.title))
    for p in group[1:]:
        common &= set(_words(p.title))
    words = [w for w in dict.fromkeys(_words(first.title)) if w in common and not w.isdigit()]
    words = words or _words(first.title) or ["series"]
    committee = re.findall(r"[a-z]+", norm_text(first.committee))
    initials = "".join(w[0] for w in committee if w not in ("and", "of", "the", "for"))
    parts = [initials, *words[:NAME_WORDS], (first.meeting_date or "")[:4]]
    base = "-".join(p for p in parts if p)
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


# ---------------------------------------------------------------- reading


def _papers(conn: Connection, doc_ids: Iterable[str] | None = None) -> list[Paper]:
    """Documents holding recommendations (all, or these) in ingest order."""
    # EXISTS walks each document's own rows (doc_id index): fast on millions of records
    has_recs = (
        select(records.c.id)
        .where(records.c.doc_id == documents.c.doc_id, records.c.type == "recommendation")
        .exists()
    )
    query = select(
        documents.c.doc_id, documents.c.source, documents.c.title, documents.c.committee,
        documents.c.meeting_date, documents.c.id,
    ).order_by(documents.c.id)
    if doc_ids is None:
        query = query.where(has_recs)
    else:
        query = query.where(documents.c.doc_id.in_(list(doc_ids)))
    return [Paper(*row) for row in conn.execute(query)]


def recommendations_of(conn: Connection, doc_ids: Sequence[str]) -> dict[str, list[Record]]:
    """The recommendation records (with a ref) of each document."""
    out: dict[str, list[Record]] = {d: [] for d in doc_ids}
    if not out:  # iter_records reads every document when given none
        return out
    for rec in iter_records(conn, doc_ids=list(doc_ids), types=["recommendation"]):
        if rec.get("ref"):
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
    recs = recommendations_of(conn, found.doc_ids)
    ids = found.doc_ids
    return [compare(a, recs[a], b, recs[b]) for a, b in zip(ids, ids[1:], strict=False)]


def series_threads(conn: Connection, found: Series) -> list[Thread]:
    recs = recommendations_of(conn, found.doc_ids)
    return follow_recommendations([(d, recs[d]) for d in found.doc_ids])


# ---------------------------------------------------------------- writing


def _fingerprint(conn: Connection) -> str:
    count, last = conn.execute(select(func.count(), func.max(documents.c.id))).one()
    return f"{count}:{last}"


def _save_series(conn: Connection, name: str, origin: str, papers: Sequence[Paper]) -> None:
    first = papers[0] if papers else None
    series_id = conn.execute(
        insert(series)
        .values(
            name=name, origin=origin, committee=first and first.committee,
            title=first and first.title, updated_at=now_iso(),
        )
        .returning(series.c.id)
    ).scalar_one()
    if papers:
        conn.execute(
            insert(series_documents),
            [{"series_id": series_id, "doc_id": p.doc_id, "position": k}
             for k, p in enumerate(papers)],
        )


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _change_rows(
    series_id: int, found: Series, threads: Sequence[Thread]
) -> list[dict[str, Any]]:
    dates = {p.doc_id: p.meeting_date for p in found.papers}
    rows = []
    for thread in threads:
        for old_doc, new_doc, c in thread.changes():
            rows.append({
                "series_id": series_id, "from_doc": old_doc, "to_doc": new_doc,
                "from_date": dates.get(old_doc), "to_date": dates.get(new_doc),
                "recommendation": thread.ref, "ref": c.ref, "field": c.field,
                "old": _as_text(c.old), "new": _as_text(c.new),
                "old_raw": c.old_raw, "new_raw": c.new_raw,
                "slipped": int(is_slip(c)),
                "days_later": days_later(c.old, c.new) if c.field == "due" else None,
                "regressed": int(is_regression(c)),
            })
    return rows


def _recompute_changes(conn: Connection) -> None:
    conn.execute(delete(recommendation_changes))
    ids = dict(conn.execute(select(series.c.name, series.c.id)).all())
    for found in list_series(conn):
        rows = _change_rows(ids[found.name], found, series_threads(conn, found))
        if rows:
            conn.execute(insert(recommendation_changes), rows)


def _regroup(conn: Connection) -> None:
    manual = set(
        conn.execute(
            select(series_documents.c.doc_id)
            .join(series, series.c.id == series_documents.c.series_id)
            .where(series.c.origin == "manual")
        ).scalars()
    )
    papers = [p for p in _papers(conn) if p.doc_id not in manual]
    # Only papers with a plausible partner need their recommendations read.
    candidates: set[str] = set()
    for k, a in enumerate(papers):
        for b in papers[k + 1 :]:
            if could_be_same(a, b):
                candidates.update((a.doc_id, b.doc_id))
    recs = recommendations_of(conn, sorted(candidates))
    groups = group_papers([p for p in papers if p.doc_id in candidates], recs)
    conn.execute(delete(series).where(series.c.origin == "auto"))
    taken = set(conn.execute(select(series.c.name)).scalars())
    for group in groups:
        name = series_name(group, taken)
        taken.add(name)
        _save_series(conn, name, "auto", group)


def refresh_series(engine: Engine) -> list[Series]:
    """Regroup the automatic series and recompute every series' changes; returns them all.

    Call it after ingesting (the ``ingest`` command does); it is cheap when few papers
    share a committee and title, since only those have their recommendations compared.
    """
    with engine.begin() as conn:
        _regroup(conn)
        _recompute_changes(conn)
        conn.execute(delete(series_grouping))
        conn.execute(insert(series_grouping).values(
            grouped_at=now_iso(), documents_seen=_fingerprint(conn)))
    with engine.connect() as conn:
        return list_series(conn)


def ensure_series(engine: Engine) -> None:
    """Refresh the series when documents were added or replaced since the last grouping."""
    with engine.connect() as conn:
        seen = conn.execute(select(series_grouping.c.documents_seen)).scalar()
        current = _fingerprint(conn)
    if seen != current:
        refresh_series(engine)


def add_to_series(engine: Engine, name: str, doc_ids: Sequence[str]) -> Series:
    """Make ``name`` a hand-made series holding its papers so far plus ``doc_ids``.

    Papers are kept in meeting order (undated ones last, in the order given). An
    automatic series of that name becomes hand-made, so regrouping leaves it alone.
    """
    with engine.begin() as conn:
        current = conn.execute(
            select(series_documents.c.doc_id)
            .join(series, series.c.id == series_documents.c.series_id)
            .where(series.c.name == name)
            .order_by(series_documents.c.position)
        ).scalars().all()
        wanted = list(dict.fromkeys([*current, *doc_ids]))
        by_id = {p.doc_id: p for p in _papers(conn, wanted)}
        given = {d: k for k, d in enumerate(wanted)}
        papers = sorted(
            (by_id[d] for d in wanted if d in by_id),
            key=lambda p: (p.meeting_date is None, p.meeting_date or "", given[p.doc_id]),
        )
        conn.execute(delete(series).where(series.c.name == name))
        _save_series(conn, name, "manual", papers)
    refresh_series(engine)
    with engine.connect() as conn:
        return get_series(conn, name)


def remove_series(engine: Engine, name: str) -> None:
    """Delete a series (an automatic one comes back at the next regrouping)."""
    with engine.begin() as conn:
        if conn.execute(delete(series).where(series.c.name == name)).rowcount == 0:
            raise SeriesNotFound(f"{name}: no series with this name")
    refresh_series(engine)
