"""Which stored papers are successive versions of one tracker (pure functions).

Two papers are versions of one tracker when they come from the same committee, have
similar titles, are for different meetings, and share at least half of the smaller
paper's recommendations.  Recommendations are shared when their texts agree: refs alone
("1", "2", ...) say nothing, since every tracker numbers from 1.  Groups are the
connected papers, oldest meeting first.

Built to stay quick on big databases: titles are compared within one committee at a time
(vectorised), and recommendation texts first by an exact key (set intersection) before
the fuzzy matching of ``store.diff`` is tried on papers small enough for it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz, process

from normalise.record_types import ExportedRecord
from store.diff import match_records, norm_text

TITLE_MIN = 70.0  # token-set similarity of two titles (0-100) for the same tracker
SHARED_TEXT_MIN = 70.0  # a matched pair counts as shared when its texts agree this much
SHARED_MIN = 0.5  # share of the smaller paper's recommendations found in the other
FUZZY_MAX = 200  # above this many recommendations only exact text keys are compared
KEY_CHARS = 60  # an exact key: the first letters and digits of the normalised text
COMMON_KEY_DOCS = 100  # a text in more papers than this is boilerplate, not evidence
NAME_WORDS = 5
_NON_ALNUM = re.compile(r"[\W_]+")
_STOP = {
    "a",
    "an",
    "and",
    "the",
    "of",
    "on",
    "at",
    "as",
    "for",
    "to",
    "in",
    "into",
    "by",
    "with",
    "update",
    "updates",
    "progress",
    "report",
    "committee",
    "board",
}


@dataclass(frozen=True)
class Paper:
    """A stored document with recommendations, as the grouping sees it."""

    doc_id: str
    source: str
    title: str | None
    committee: str | None
    meeting_date: str | None
    order: int  # ingest order, the tie-break after meeting_date


def meeting_order(paper: Paper) -> tuple[int, str, int]:
    """Sort key: by meeting date, undated last, then in ingest order."""
    return (paper.meeting_date is None, paper.meeting_date or "", paper.order)


def could_be_same(a: Paper, b: Paper) -> bool:
    """Committee, title and meeting allow ``a`` and ``b`` to be versions of one tracker."""
    if norm_text(a.committee) != norm_text(b.committee):
        return False
    if a.meeting_date and a.meeting_date == b.meeting_date:
        return False  # one paper printed twice (two formats), not an update
    return fuzz.token_set_ratio(norm_text(a.title), norm_text(b.title)) >= TITLE_MIN


def candidate_pairs(papers: Sequence[Paper]) -> list[tuple[Paper, Paper]]:
    """Pairs (older first) that ``could_be_same``, found committee by committee."""
    by_committee: dict[str, list[Paper]] = {}
    for p in sorted(papers, key=meeting_order):
        by_committee.setdefault(norm_text(p.committee), []).append(p)
    pairs = []
    for group in by_committee.values():
        if len(group) < 2:
            continue
        titles = [norm_text(p.title) for p in group]
        scores = process.cdist(
            titles, titles, scorer=fuzz.token_set_ratio, score_cutoff=TITLE_MIN, workers=1
        )
        for i, j in zip(*scores.nonzero(), strict=True):
            a, b = group[int(i)], group[int(j)]
            if i < j and not (a.meeting_date and a.meeting_date == b.meeting_date):
                pairs.append((a, b))
    return pairs


def text_key(text: object) -> str:
    """The first letters and digits of a text, lower case: equal for the same
    recommendation printed in two formats. One regex over the start only, since it runs
    over every recommendation of the papers compared."""
    start = "" if text is None else str(text)[: 2 * KEY_CHARS].casefold()
    return _NON_ALNUM.sub("", start)[:KEY_CHARS]


def shared_keys(keys: Mapping[str, set[str]]) -> Counter[tuple[str, str]]:
    """How many text keys each two documents share, through an index of key -> documents.

    Keys found in more than ``COMMON_KEY_DOCS`` documents are boilerplate ("That the
    report be noted") and are not counted.
    """
    holders: dict[str, list[str]] = {}
    for doc, doc_keys in keys.items():
        for key in doc_keys - {""}:
            holders.setdefault(key, []).append(doc)
    counts: Counter[tuple[str, str]] = Counter()
    for docs in holders.values():
        if 1 < len(docs) <= COMMON_KEY_DOCS:
            counts.update(combinations(sorted(docs), 2))
    return counts


def shared_share(
    old: Sequence[ExportedRecord], new: Sequence[ExportedRecord], exact: int | None = None
) -> float:
    """Share of the smaller paper's recommendations that the other paper also holds.

    ``exact`` is the number of text keys they share, when already counted.
    """
    if not old or not new:
        return 0.0
    smaller = min(len(old), len(new))
    if exact is None:
        exact = len(
            {text_key(r.get("text")) for r in old} & {text_key(r.get("text")) for r in new} - {""}
        )
    if exact / smaller >= SHARED_MIN or smaller > FUZZY_MAX:
        return exact / smaller
    shared = sum(
        1
        for i, j in match_records(old, new)
        if fuzz.token_set_ratio(norm_text(old[i].get("text")), norm_text(new[j].get("text")))
        >= SHARED_TEXT_MIN
    )
    return shared / smaller


def group_papers(
    papers: Sequence[Paper],
    recs: Mapping[str, Sequence[ExportedRecord]],
    pairs: Sequence[tuple[Paper, Paper]] | None = None,
    known: Sequence[Sequence[str]] = (),
) -> list[list[Paper]]:
    """Groups of two or more papers that are versions of one tracker, each oldest first.

    ``pairs`` limits the comparisons (default: every ``candidate_pairs``), and ``known``
    groups (of doc_ids) are taken as already settled, so adding a paper to a big
    database compares only the new paper. ``recs`` must hold every paper of ``pairs``.
    """
    parent = {p.doc_id: p.doc_id for p in papers}

    def root(doc: str) -> str:
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    for group in known:
        present = [d for d in group if d in parent]
        for doc in present[1:]:
            parent[root(doc)] = root(present[0])
    counts = shared_keys({d: {text_key(r.get("text")) for r in rs} for d, rs in recs.items()})
    for a, b in candidate_pairs(papers) if pairs is None else pairs:
        if root(a.doc_id) == root(b.doc_id):
            continue
        exact = counts[min(a.doc_id, b.doc_id), max(a.doc_id, b.doc_id)]
        if shared_share(recs[a.doc_id], recs[b.doc_id], exact) >= SHARED_MIN:
            parent[root(b.doc_id)] = root(a.doc_id)
    groups: dict[str, list[Paper]] = {}
    for p in sorted(papers, key=meeting_order):
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
