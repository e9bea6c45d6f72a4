"""Core tables: documents, tables, cells, blocks, records.

The JSON lists are ``jsonb`` on PostgreSQL; ``records.data`` is ``json`` there, which
keeps an object's keys in the order written (``jsonb`` sorts them).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _list() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(JSONB(), "postgresql")


def _doc_fk(index: bool = False) -> sa.Column[str]:
    return sa.Column(
        "doc_id",
        sa.String(16),
        sa.ForeignKey("documents.doc_id", ondelete="CASCADE"),
        nullable=False,
        index=index,
    )


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("doc_id", sa.String(16), nullable=False, unique=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_path", sa.Text),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("committee", sa.Text),
        sa.Column("meeting_date", sa.String(16)),
        sa.Column("meeting_date_raw", sa.Text),
        sa.Column("page_count", sa.Integer),
        sa.Column("table_count", sa.Integer, nullable=False),
        sa.Column("record_count", sa.Integer, nullable=False),
        sa.Column("warnings", _list(), nullable=False),
        sa.Column("ingested_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "tables",
        sa.Column("id", sa.Integer, primary_key=True),
        _doc_fk(),
        sa.Column("table_index", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("pages", _list()),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("col_count", sa.Integer, nullable=False),
        sa.Column("header", _list(), nullable=False),
        sa.Column("rows", _list(), nullable=False),
        sa.Column("merges", _list(), nullable=False),
        sa.Column("header_row_count", sa.Integer, nullable=False),
        sa.Column("context", sa.Text),
        sa.Column("quality", sa.Float),
        sa.Column("notes", _list(), nullable=False),
        sa.UniqueConstraint("doc_id", "table_index"),
    )
    op.create_table(
        "cells",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "table_id",
            sa.Integer,
            sa.ForeignKey("tables.id", ondelete="CASCADE"),
            nullable=False,
        ),
        _doc_fk(index=True),
        sa.Column("is_header", sa.Integer, nullable=False),
        sa.Column("row_index", sa.Integer, nullable=False),
        sa.Column("col_index", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("rowspan", sa.Integer, nullable=False),
        sa.Column("colspan", sa.Integer, nullable=False),
        sa.Column("pages", _list()),
        sa.Column("bbox", _list()),
        sa.UniqueConstraint("table_id", "is_header", "row_index", "col_index"),
    )
    op.create_table(
        "blocks",
        sa.Column("id", sa.Integer, primary_key=True),
        _doc_fk(),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("level", sa.Integer),
        sa.Column("table_index", sa.Integer),
        sa.UniqueConstraint("doc_id", "ordinal"),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, primary_key=True),
        _doc_fk(),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("ref", sa.Text),
        sa.Column("table_index", sa.Integer),
        sa.Column("status", sa.Text),
        sa.Column("owner", sa.Text),
        sa.Column("due", sa.Text),
        sa.Column("text", sa.Text),
        sa.Column("confidence", sa.Float),
        sa.Column("pages", _list()),
        sa.Column("data", sa.JSON, nullable=False),
        sa.UniqueConstraint("doc_id", "ordinal"),
    )
    op.create_index("ix_records_type", "records", ["type"])


def downgrade() -> None:
    for name in ("records", "blocks", "cells", "tables", "documents"):
        op.drop_table(name)
