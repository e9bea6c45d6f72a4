"""Cells keep the OCR's confidence in their text (``cells.confidence``, 0..1): a cell of a
scanned page read by OCR says how sure the OCR was, so a person can check the weak ones.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cells", sa.Column("confidence", sa.Float))


def downgrade() -> None:
    # SQLite >= 3.35 drops a column in place; a batch (copy) would lose the FTS triggers
    op.execute("ALTER TABLE cells DROP COLUMN confidence")
