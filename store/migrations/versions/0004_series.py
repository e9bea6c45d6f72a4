"""Series of successive tracker versions, their computed changes, and a slippage view.

``series`` / ``series_documents`` say which papers are versions of one tracker, in
meeting order (``origin`` is "auto" for grouped by papertrail, "manual" for set by hand).
``series_documents.doc_id`` is deliberately not a foreign key: doc_ids are content
hashes, so a paper re-ingested with --force keeps its place in a hand-made series.
``recommendation_changes`` holds the diff of every consecutive pair, recomputed whenever
the series are; ``slipped_recommendations`` summarises the due dates that moved later.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SLIPPED_VIEW = """
CREATE VIEW slipped_recommendations AS
SELECT s.name AS series, c.recommendation AS ref, COUNT(*) AS times_slipped,
       SUM(c.days_later) AS days_slipped,
       (SELECT f.old FROM recommendation_changes f WHERE f.series_id = c.series_id
          AND f.recommendation = c.recommendation AND f.slipped = 1
        ORDER BY f.id LIMIT 1) AS first_due,
       (SELECT f.new FROM recommendation_changes f WHERE f.series_id = c.series_id
          AND f.recommendation = c.recommendation AND f.slipped = 1
        ORDER BY f.id DESC LIMIT 1) AS latest_due,
       MAX(c.to_date) AS last_slipped_in
FROM recommendation_changes c JOIN series s ON s.id = c.series_id
WHERE c.slipped = 1
GROUP BY c.series_id, c.recommendation
"""
# PostgreSQL wants every column it shows grouped (SQLite takes the series' name as is)
SLIPPED_VIEW_PG = SLIPPED_VIEW.replace(
    "GROUP BY c.series_id, c.recommendation", "GROUP BY c.series_id, c.recommendation, s.name"
)


def upgrade() -> None:
    op.create_table(
        "series",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("committee", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "series_documents",
        sa.Column(
            "series_id",
            sa.Integer,
            sa.ForeignKey("series.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("doc_id", sa.String(16), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "recommendation_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "series_id",
            sa.Integer,
            sa.ForeignKey("series.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("from_doc", sa.String(16), nullable=False),
        sa.Column("to_doc", sa.String(16), nullable=False),
        sa.Column("from_date", sa.String(16)),
        sa.Column("to_date", sa.String(16)),
        sa.Column("recommendation", sa.Text, nullable=False),
        sa.Column("ref", sa.Text, nullable=False),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("old", sa.Text),
        sa.Column("new", sa.Text),
        sa.Column("old_raw", sa.Text),
        sa.Column("new_raw", sa.Text),
        sa.Column("slipped", sa.Integer, nullable=False),
        sa.Column("days_later", sa.Integer),
        sa.Column("regressed", sa.Integer, nullable=False),
    )
    op.create_table(
        "series_grouping",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("grouped_at", sa.String(32), nullable=False),
        sa.Column("documents_seen", sa.Text, nullable=False),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute(SLIPPED_VIEW_PG if postgres else SLIPPED_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW slipped_recommendations")
    for name in ("series_grouping", "recommendation_changes", "series_documents", "series"):
        op.drop_table(name)
