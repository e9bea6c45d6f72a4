"""Analysts' SQL runs read-only: reads work, every kind of write is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import PaperFactory

from ingest.batch import ingest_paths
from store.database import open_database
from store.readonly import QueryError, ReadOnlyError, run_query


@pytest.fixture
def db(tmp_path: Path, make_html_paper: PaperFactory) -> Path:
    path = tmp_path / "p.db"
    engine = open_database(path)
    assert ingest_paths([make_html_paper()], engine).ok
    engine.dispose()
    return path


def test_run_query_reads_tables_views_and_fts(db: Path) -> None:
    result = run_query(db, "SELECT ref, owner FROM recommendations ORDER BY ref")
    assert result.columns == ["ref", "owner"]
    assert result.rows == [("1", "Head of HR"), ("2", "Director")]
    assert result.as_dicts()[0] == {"ref": "1", "owner": "Head of HR"}
    hits = run_query(db, "SELECT rowid FROM records_fts WHERE records_fts MATCH 'register'")
    assert len(hits.rows) == 1
    assert run_query(db, "PRAGMA table_info(records)").rows
    assert len(run_query(db, "SELECT * FROM cells", limit=2).rows) == 2


@pytest.mark.parametrize(
    ("sql", "refused"),
    [
        ("DELETE FROM records", "DELETE"),
        ("UPDATE documents SET title = 'x'", "UPDATE"),
        ("INSERT INTO records_fts(records_fts) VALUES ('rebuild')", "INSERT"),
        ("DROP VIEW recommendations", "DROP"),
        ("CREATE TABLE notes (x)", "CREATE"),
        ("ATTACH 'elsewhere.db' AS other", "ATTACH"),
        ("VACUUM INTO 'copy.db'", "ATTACH"),
        ("PRAGMA query_only = OFF", "PRAGMA query_only"),
    ],
)
def test_run_query_refuses_writes(db: Path, sql: str, refused: str) -> None:
    before = sqlite3.connect(db).execute("SELECT count(*) FROM records").fetchone()
    with pytest.raises(ReadOnlyError, match=f"read-only database: {refused}"):
        run_query(db, sql)
    after = sqlite3.connect(db).execute("SELECT count(*) FROM records").fetchone()
    assert before == after
    assert not Path("elsewhere.db").exists() and not Path("copy.db").exists()


def test_run_query_reports_sql_errors(db: Path) -> None:
    with pytest.raises(QueryError, match="syntax error"):
        run_query(db, "SELEC 1")
    with pytest.raises(QueryError, match="no such table"):
        run_query(db, "SELECT * FROM nowhere")
    with pytest.raises(QueryError, match="one statement"):
        run_query(db, "SELECT 1; SELECT 2")
