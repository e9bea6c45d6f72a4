"""The database schema as SQLAlchemy 2 models.

The migrations in ``store/migrations`` create and upgrade the real schema; these models
mirror it (a test compares the two) so library code and analysts' scripts can query it.
Names are chosen for people browsing the file in Datasette: plural table names, a
readable ``doc_id`` on every child row, no reserved words as column names.

Every contract record (document, table, recommendation, ..., entity) is kept whole in
``records.data``; the other columns are copies of the fields people filter on.

On PostgreSQL the JSON lists are ``jsonb``; ``records.data`` stays ``json``, which keeps
the text as written: ``jsonb`` reorders an object's keys, and the export writes each
record with its keys in the order normalise gave them, the same from either database.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# JSON lists (pages, header, rows, ...): ``jsonb`` on PostgreSQL, JSON text in SQLite.
JSON_LIST = JSON().with_variant(JSONB(), "postgresql")
# A JSON list that may be empty stores SQL NULL, not the JSON text "null" (migration 0010).
NULLABLE_JSON = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def doc_fk() -> ForeignKey:
    """A fresh link to ``documents.doc_id``; replacing a document deletes its rows."""
    return ForeignKey("documents.doc_id", ondelete="CASCADE")


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    """One ingested file, keyed by ``doc_id`` (from the SHA-256 of its bytes), which every
    child row's foreign key names, so Datasette links a paper to its rows (migration 0008)."""

    __tablename__ = "documents"

    doc_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    # ingest order: numbered from the rowid by the ``documents_number`` trigger on insert
    id: Mapped[int | None] = mapped_column(Integer, unique=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)  # file name as the contract gives it
    source_path: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(8))
    title: Mapped[str | None] = mapped_column(Text)
    committee: Mapped[str | None] = mapped_column(Text)
    meeting_date: Mapped[str | None] = mapped_column(String(16))
    meeting_date_raw: Mapped[str | None] = mapped_column(Text)
    page_count: Mapped[int | None] = mapped_column(Integer)
    table_count: Mapped[int] = mapped_column(Integer)
    record_count: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[list[str]] = mapped_column(JSON_LIST)
    ingested_at: Mapped[str] = mapped_column(String(32))  # ISO 8601 UTC


class TableRow(Base):
    """One table as printed, with the kind normalise gave it."""

    __tablename__ = "tables"
    __table_args__ = (UniqueConstraint("doc_id", "table_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(16), doc_fk())
    table_index: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    pages: Mapped[list[int] | None] = mapped_column(NULLABLE_JSON)
    row_count: Mapped[int] = mapped_column(Integer)
    col_count: Mapped[int] = mapped_column(Integer)
    header: Mapped[list[str]] = mapped_column(JSON_LIST)
    rows: Mapped[list[list[str]]] = mapped_column(JSON_LIST)
    merges: Mapped[list[list[int]]] = mapped_column(JSON_LIST)
    header_row_count: Mapped[int] = mapped_column(Integer)
    context: Mapped[str | None] = mapped_column(Text)
    quality: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[list[str]] = mapped_column(JSON_LIST)


class CellRow(Base):
    """One printed cell (covered slots of merged cells are not stored), for provenance."""

    __tablename__ = "cells"
    __table_args__ = (UniqueConstraint("table_id", "is_header", "row_index", "col_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_id: Mapped[int] = mapped_column(Integer, ForeignKey("tables.id", ondelete="CASCADE"))
    doc_id: Mapped[str] = mapped_column(String(16), doc_fk(), index=True)
    is_header: Mapped[bool] = mapped_column(Integer)  # 0/1: header grid row or body row
    row_index: Mapped[int] = mapped_column(Integer)  # within header rows or within body rows
    col_index: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    rowspan: Mapped[int] = mapped_column(Integer)
    colspan: Mapped[int] = mapped_column(Integer)
    pages: Mapped[list[int] | None] = mapped_column(NULLABLE_JSON)
    # [x0, top, x1, bottom] in points
    bbox: Mapped[list[float] | None] = mapped_column(NULLABLE_JSON)
    fill: Mapped[str | None] = mapped_column(String(7))  # background colour "#rrggbb", if any
    confidence: Mapped[float | None] = mapped_column(Float)  # OCR's, 0..1, scanned pages only


class BlockRow(Base):
    """Running text in reading order, searchable through ``blocks_fts``."""

    __tablename__ = "blocks"
    __table_args__ = (UniqueConstraint("doc_id", "ordinal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(16), doc_fk())
    ordinal: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[int | None] = mapped_column(Integer)
    table_index: Mapped[int | None] = mapped_column(Integer)


class RecordRow(Base):
    """One contract record of any type; ``data`` is the exact dict the export writes."""

    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("doc_id", "ordinal"),
        Index("ix_records_type", "type"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(16), doc_fk())
    ordinal: Mapped[int] = mapped_column(Integer)  # order normalise returned them in
    type: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str | None] = mapped_column(Text)
    table_index: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(Text)
    due: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Float)
    pages: Mapped[list[int] | None] = mapped_column(NULLABLE_JSON)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


# Core handles for bulk inserts and queries (the ORM classes stay for analysts' scripts).
documents = cast(Table, DocumentRow.__table__)
tables = cast(Table, TableRow.__table__)
cells = cast(Table, CellRow.__table__)
blocks = cast(Table, BlockRow.__table__)
records = cast(Table, RecordRow.__table__)


# --- series of tracker versions (migration 0004; appended by the auditors' helper) ---


class SeriesRow(Base):
    """Successive versions of one tracker: grouped automatically ("auto") or by hand."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    origin: Mapped[str] = mapped_column(String(8))  # auto | manual
    committee: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String(32))


class SeriesDocumentRow(Base):
    """A paper's place in a series; doc_id is no foreign key so --force keeps it."""

    __tablename__ = "series_documents"

    series_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("series.id", ondelete="CASCADE"), primary_key=True
    )
    doc_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class RecommendationChangeRow(Base):
    """One change between consecutive papers of a series (``store.diff.Change``)."""

    __tablename__ = "recommendation_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("series.id", ondelete="CASCADE"), index=True
    )
    from_doc: Mapped[str] = mapped_column(String(16))
    to_doc: Mapped[str] = mapped_column(String(16))
    from_date: Mapped[str | None] = mapped_column(String(16))
    to_date: Mapped[str | None] = mapped_column(String(16))
    record_type: Mapped[str] = mapped_column(String(16), server_default="recommendation")
    recommendation: Mapped[str] = mapped_column(Text)  # its ref (else text) in the latest paper
    ref: Mapped[str] = mapped_column(Text)  # its ref in the newer paper of the pair, or ""
    item: Mapped[str | None] = mapped_column(Text)  # its text, where no ref is printed
    field: Mapped[str] = mapped_column(String(16))
    old: Mapped[str | None] = mapped_column(Text)  # scalars as text, lists as JSON
    new: Mapped[str | None] = mapped_column(Text)
    old_raw: Mapped[str | None] = mapped_column(Text)
    new_raw: Mapped[str | None] = mapped_column(Text)
    slipped: Mapped[bool] = mapped_column(Integer)  # 0/1: due date moved later
    days_later: Mapped[int | None] = mapped_column(Integer)
    regressed: Mapped[bool] = mapped_column(Integer)  # 0/1: e.g. complete -> ongoing


class SeriesGroupingRow(Base):
    """When series were last (re)computed, and which documents existed then."""

    __tablename__ = "series_grouping"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grouped_at: Mapped[str] = mapped_column(String(32))
    documents_seen: Mapped[str] = mapped_column(Text)


series = cast(Table, SeriesRow.__table__)
series_documents = cast(Table, SeriesDocumentRow.__table__)
recommendation_changes = cast(Table, RecommendationChangeRow.__table__)
series_grouping = cast(Table, SeriesGroupingRow.__table__)
