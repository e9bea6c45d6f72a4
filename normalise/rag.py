"""RAG status tables (Criteria | RAG | Rationale) -> ``rag`` records."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from normalise.classify import Classification, header_role
from normalise.grid import RowView, nonempty_cells, pages_of
from normalise.rating_matrix import RATED, cell_rating
from normalise.record_types import Rag
from normalise.status import normalise_rating, rating_from_fill
from normalise.vocabulary import load, phrase_pattern
from parsers.model import Table

_HEADING_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[A-Za-z][.)])\s+")


_MAX_HEADING_WORDS = 10
_SENTENCE = re.compile(r"[.!?;]\s+\S|[.!?]$")


def is_heading_like(text: str) -> bool:
    """Short and not a sentence: a heading or caption, not an introductory paragraph."""
    words = text.split()
    return 0 < len(words) <= _MAX_HEADING_WORDS and not _SENTENCE.search(text)


def programme_from_context(context: str | None) -> str | None:
    """The heading printed before the table, without its numbering (``3.1 DRM Programme``);
    None when what precedes the table is a paragraph rather than a heading."""
    if not context:
        return None
    text = _HEADING_NUMBER.sub("", context.strip(), count=1).strip(" :-–")
    return text if is_heading_like(text) else None


@lru_cache(maxsize=1)
def _criterion_words() -> re.Pattern[str]:
    phrases: list[str] = load("headers")["roles"]["criterion"]
    body = phrase_pattern(phrases).pattern
    return re.compile(rf"^\s*(?:{body})\s+|\s+(?:{body})\s*$", re.IGNORECASE)


def programme_from_header(table: Table, roles: Sequence[str | None]) -> str | None:
    """The programme named in the criterion column's heading ("Customer Services KPIs" ->
    "Customer Services"), as performance reports print one table per service; None for a
    plain "Criteria" / "KPI" heading."""
    if "criterion" not in roles:
        return None
    headers = table.header_strings()
    col = roles.index("criterion")
    if col >= len(headers) or not headers[col]:
        return None
    heading = headers[col].split(" / ")[-1].strip()
    role, _ = header_role(heading)
    name = _criterion_words().sub("", heading).strip(" :-–")
    if role not in (None, "criterion") or not name or header_role(name)[0] is not None:
        return None  # another column's heading, or only generic words left
    return name if is_heading_like(name) else None


def rag_records(
    table: Table, cls: Classification, doc_id: str, doc_format: str, table_index: int
) -> list[Rag]:
    """Each criterion row of a RAG table as a contract ``rag``."""
    if RATED in cls.roles:
        return matrix_records(table, cls, doc_id, doc_format, table_index)
    context_programme = programme_from_context(table.context) or programme_from_header(
        table, cls.roles
    )
    out: list[Rag] = []
    for index in range(cls.header_rows_in_body, len(table.rows)):
        view = RowView(table, index, cls.roles)
        if not nonempty_cells(view.cells):
            continue
        criterion, raw = view.text("criterion"), view.text("rating")
        rating = normalise_rating(raw)
        issues = list(cls.issues)
        if rating is None and not raw:  # shown only by the cell's colour
            rating_cell = view.cell("rating")
            rating = rating_from_fill(rating_cell.fill if rating_cell else None)
            issues += ["rating read from the cell colour"] if rating else []
        if not (criterion and raw) and rating is None:
            continue  # a sub-header ("Latest | Previous") or a row of figures beside the rating
        issues += [] if rating or not raw else ["rating not in taxonomy"]
        out.append(
            Rag(
                doc_id=doc_id,
                programme=view.text("programme") or context_programme,
                criterion=criterion or None,
                rating=rating,
                rating_raw=raw or None,
                rationale=view.text("rationale") or None,
                pages=pages_of(
                    (view.cell(r) for r in ("criterion", "rating", "rationale")), doc_format
                ),
                table_index=table_index,
                confidence=round(max(0.1, cls.confidence - 0.1 * len(issues)), 2),
                issues=issues,
            )
        )
    return out


def matrix_records(
    table: Table, cls: Classification, doc_id: str, doc_format: str, table_index: int
) -> list[Rag]:
    """One ``rag`` per rated cell of a rating matrix: programme = the column heading,
    criterion = the row label; blank, grey and "n/a" cells give none."""
    out: list[Rag] = []
    label = cls.roles.index("criterion")
    for index in range(cls.header_rows_in_body, len(table.rows)):
        row = table.rows[index]
        criterion = row[label].text.strip() if label < len(row) else ""
        for col, role in enumerate(cls.roles):
            if role != RATED or col >= len(row) or row[col].covered:
                continue
            rating, from_fill = cell_rating(row[col])
            if rating is None:
                continue
            issues = [*cls.issues, *(["rating read from the cell colour"] if from_fill else [])]
            out.append(
                Rag(
                    doc_id=doc_id,
                    programme=cls.header[col].strip() or None,
                    criterion=criterion or None,
                    rating=rating,
                    rating_raw=row[col].text.strip() or None,
                    pages=pages_of((row[label], row[col]), doc_format),
                    table_index=table_index,
                    confidence=round(max(0.1, cls.confidence - 0.1 * len(issues)), 2),
                    issues=issues,
                )
            )
    return out
