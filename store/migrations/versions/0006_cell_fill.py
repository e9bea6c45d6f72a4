"""Cells keep their background colour (``cells.fill``, ``"#rrggbb"``), as the parsers read it:
papers shade RAG ratings and flagged rows, sometimes with no text in the cell at all.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cells", sa.Column("fill", sa.String(7)))


def downgrade() -> None:
    # SQLite >= 3.35 drops a column in place; a batch (copy) would lose the FTS triggers
    op.execute("ALTER TABLE cells DROP COLUMN fill")
