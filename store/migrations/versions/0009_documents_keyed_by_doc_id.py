"""Documents are keyed by ``doc_id``, the column every child row's foreign key names.

Datasette finds a row's children by the row's primary key: with ``documents`` keyed by
an integer ``id`` while ``tables``, ``cells``, ``blocks`` and ``records`` point at
``doc_id``, a paper's page showed "0 rows" for each. ``id`` stays (the ingest order,
unique), numbered by a trigger from the rowid as the integer key numbered it before, so
no writer changes. SQLite cannot change a primary key in place: the table is rebuilt
(the documented create-copy-drop-rename), which ``store.database.upgrade`` runs with
foreign keys off — dropping the old table would otherwise delete every child row.

PostgreSQL changes a primary key in place: the key moves to ``doc_id`` and ``id``, a
serial column since 0001, stays unique and keeps numbering new rows.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = (
    "doc_id, id, sha256, source, source_path, format, title, committee, meeting_date, "
    "meeting_date_raw, page_count, table_count, record_count, warnings, ingested_at"
)
NUMBER_NEW = """CREATE TRIGGER documents_number AFTER INSERT ON documents
WHEN NEW.id IS NULL
BEGIN
    UPDATE documents SET id = NEW.rowid WHERE rowid = NEW.rowid;
END"""


def _rebuild(create: str, copy_rowid: str) -> None:
    if op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("rebuilding documents needs foreign keys off (store.database.upgrade)")
    # the views naming ``documents`` stay as written while the table is swapped under them
    op.execute("PRAGMA legacy_alter_table=ON")
    op.execute("DROP TRIGGER IF EXISTS documents_number")
    op.execute(create)
    op.execute(
        f"INSERT INTO documents_new (rowid, {COLUMNS}) SELECT {copy_rowid}, {COLUMNS} "
        "FROM documents"
    )
    op.execute("DROP TABLE documents")
    op.execute("ALTER TABLE documents_new RENAME TO documents")
    op.execute("PRAGMA legacy_alter_table=OFF")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE documents DROP CONSTRAINT documents_pkey")
        op.execute("ALTER TABLE documents ADD CONSTRAINT documents_pkey PRIMARY KEY (doc_id)")
        op.execute("ALTER TABLE documents ALTER COLUMN id DROP NOT NULL")
        op.execute("ALTER TABLE documents ADD CONSTRAINT documents_id_key UNIQUE (id)")
        return
    _rebuild(
        """CREATE TABLE documents_new (
    doc_id VARCHAR(16) NOT NULL,
    id INTEGER,
    sha256 VARCHAR(64) NOT NULL,
    source TEXT NOT NULL,
    source_path TEXT,
    format VARCHAR(8) NOT NULL,
    title TEXT,
    committee TEXT,
    meeting_date VARCHAR(16),
    meeting_date_raw TEXT,
    page_count INTEGER,
    table_count INTEGER NOT NULL,
    record_count INTEGER NOT NULL,
    warnings JSON NOT NULL,
    ingested_at VARCHAR(32) NOT NULL,
    PRIMARY KEY (doc_id),
    UNIQUE (id),
    UNIQUE (sha256)
)""",
        "id",
    )
    op.execute(NUMBER_NEW)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE documents DROP CONSTRAINT documents_id_key")
        op.execute("ALTER TABLE documents DROP CONSTRAINT documents_pkey")
        op.execute("ALTER TABLE documents ADD CONSTRAINT documents_pkey PRIMARY KEY (id)")
        return
    _rebuild(
        """CREATE TABLE documents_new (
    id INTEGER NOT NULL,
    doc_id VARCHAR(16) NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    source TEXT NOT NULL,
    source_path TEXT,
    format VARCHAR(8) NOT NULL,
    title TEXT,
    committee TEXT,
    meeting_date VARCHAR(16),
    meeting_date_raw TEXT,
    page_count INTEGER,
    table_count INTEGER NOT NULL,
    record_count INTEGER NOT NULL,
    warnings JSON NOT NULL,
    ingested_at VARCHAR(32) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (doc_id),
    UNIQUE (sha256)
)""",
        "id",
    )
