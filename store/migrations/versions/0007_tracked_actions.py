"""Action logs are followed like trackers (contract 1.1): each change of a series says which
record type it belongs to (``record_type``: recommendation or action) and, for an item
printed without a ref, its text (``item``; ``ref`` is then "").

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "recommendation_changes",
        sa.Column("record_type", sa.String(16), nullable=False, server_default="recommendation"),
    )
    op.add_column("recommendation_changes", sa.Column("item", sa.Text))


def downgrade() -> None:
    # SQLite >= 3.35 drops a column in place (see 0006)
    op.execute("ALTER TABLE recommendation_changes DROP COLUMN item")
    op.execute("ALTER TABLE recommendation_changes DROP COLUMN record_type")
