"""Opening databases: SQLite settings, and schema upgrades that keep users' data."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from store.database import (
    SchemaError,
    current_revision,
    head_revision,
    make_engine,
    open_database,
    upgrade,
)
from store.schema import Base


def test_open_database_sets_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "p.db")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert current_revision(engine) == head_revision()


def test_upgrade_from_first_version_keeps_data_and_indexes_it(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    old = make_engine(db)
    upgrade(old, "0001")
    with old.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO documents (doc_id, sha256, source, format, table_count, record_count,"
                " warnings, ingested_at) VALUES ('abc', 'abc123', 'old.txt', 'text', 0, 1, '[]',"
                " '2024-01-01T00:00:00+00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO blocks (doc_id, ordinal, kind, text) "
                "VALUES ('abc', 0, 'paragraph', 'succession planning review')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO records (doc_id, ordinal, type, data)"
                " VALUES ('abc', 0, 'recommendation',"
                ' \'{"type": "recommendation", "doc_id": "abc", "ref": "7"}\')'
            )
        )
    old.dispose()
    assert current_revision(make_engine(db)) == "0001"

    engine = open_database(db)
    assert current_revision(engine) == head_revision() != "0001"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT source FROM documents")).scalar() == "old.txt"
        hit = conn.execute(
            text("SELECT rowid FROM blocks_fts WHERE blocks_fts MATCH 'succession'")
        ).scalar()
        assert hit is not None
        assert conn.execute(text("SELECT ref FROM recommendations")).scalar() == "7"


def _ours(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    # full-text shadow tables are made by SQLite, not described by the models
    return not (type_ == "table" and name is not None and "_fts" in name)


def test_schema_models_match_migrations(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "p.db")
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": _ours})
        assert compare_metadata(ctx, Base.metadata) == []


def test_open_database_refuses_a_database_it_did_not_make(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(SchemaError, match="no papertrail schema"):
        open_database(db)


def test_open_database_refuses_a_newer_schema(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    open_database(db).dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(SchemaError, match="newer"):
        open_database(db)


def test_head_revision_read_from_the_files_agrees_with_alembic() -> None:
    """Reading commands find the newest revision without loading Alembic; it must be the
    one Alembic itself would upgrade to, and every revision it knows must be known."""
    from alembic.script import ScriptDirectory

    from store.database import MIGRATIONS, head_revision, known_revisions

    script = ScriptDirectory(str(MIGRATIONS))
    assert head_revision() == script.get_current_head()
    assert set(known_revisions()) == {r.revision for r in script.walk_revisions()}


def _paper(n: int) -> tuple[object, list[dict[str, object]]]:
    from parsers.model import Document

    doc = Document(source=f"p{n}.txt", sha256=f"{n:02d}" * 32, format="text")
    recs: list[dict[str, object]] = [
        {"type": "document", "doc_id": doc.doc_id},
        {"type": "recommendation", "doc_id": doc.doc_id, "ref": "1", "text": f"Do {n}"},
    ]
    return doc, recs


def test_upgrade_to_documents_keyed_by_doc_id_keeps_every_child_row(tmp_path: Path) -> None:
    """Migration 0008 rebuilds ``documents`` with ``doc_id`` as its key: with foreign keys
    on, dropping the old table would have cascaded to every record."""
    from store.load import load_document

    engine = make_engine(tmp_path / "p.db")
    upgrade(engine, "0007")
    for n in (1, 2):
        load_document(engine, *_paper(n))  # type: ignore[arg-type]
    with engine.connect() as conn:
        before = conn.execute(text("SELECT doc_id, id FROM documents ORDER BY id")).all()
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1  # back on
        assert conn.execute(text("SELECT doc_id, id FROM documents ORDER BY id")).all() == before
        assert conn.execute(text("SELECT count(*) FROM records")).scalar() == 4
        pk = [r[1] for r in conn.execute(text("PRAGMA table_info(documents)")) if r[5]]
        assert pk == ["doc_id"]
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    load_document(engine, *_paper(3))  # type: ignore[arg-type]
    with engine.connect() as conn:
        ids = conn.execute(text("SELECT id FROM documents ORDER BY id")).scalars().all()
        views = conn.execute(text("SELECT count(*) FROM recommendation_register")).scalar()
    assert ids == [1, 2, 3] and views == 3  # numbered in ingest order; views still work


def test_upgrade_turns_null_text_and_blanks_into_nulls(
    tmp_path: Path, make_html_paper: Callable[..., Path]
) -> None:
    """Migration 0010: a database whose loader wrote empty JSON columns as the text
    ``null`` (and a blank owner as '') reads NULL after ``migrate``, in its tables and in
    its views; the actions view gains status, status_raw and updates."""
    from alembic import command
    from typer.testing import CliRunner

    from ingest.cli import app
    from store.database import alembic_config, writing

    db = tmp_path / "old.db"
    ingested = CliRunner().invoke(app, ["ingest", str(make_html_paper()), "--db", str(db)])
    assert ingested.exit_code == 0, ingested.output
    engine = make_engine(db)
    with writing(engine).connect() as conn:  # back to 0009, with data as 0009's loader wrote it
        command.downgrade(alembic_config(conn), "0009")
        conn.execute(text("UPDATE records SET pages = 'null'"))
        conn.execute(text("UPDATE cells SET pages = 'null', bbox = 'null'"))
        conn.execute(text("UPDATE records SET owner = '  ' WHERE ref = '1'"))
        conn.commit()
    upgrade(engine)
    with engine.connect() as conn:
        for table, column in [("records", "pages"), ("cells", "pages"), ("cells", "bbox")]:
            left = f"SELECT count(*) FROM {table} WHERE {column} = 'null'"
            assert conn.execute(text(left)).scalar() == 0, (table, column)
        register = "SELECT owner, pages FROM recommendation_register WHERE ref = '1'"
        assert conn.execute(text(register)).one() == (None, None)
        columns = [r[1] for r in conn.execute(text("PRAGMA table_info(actions)"))]
        assert {"status", "status_raw", "updates"} <= set(columns)
