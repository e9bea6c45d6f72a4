"""The batch writer: several documents to a transaction, each under its own savepoint,
and the full-text indexes kept in step with the rows by the loader itself."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import PaperFactory

from normalise.records import document_records
from parsers.registry import parse_file
from store.database import make_engine, open_database, upgrade
from store.load import Writer, load_document
from store.rows import DocumentRows, StoreError, document_rows

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FTS = ("cells", "blocks", "records")


def rows_of(path: Path) -> DocumentRows:
    doc = parse_file(path)
    return document_rows(doc, document_records(doc))


def stored(db: Path) -> int:
    """Documents another connection can see (committed ones only)."""
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])


def assert_fts_in_step(db: Path) -> None:
    """FTS5 compares each index with its table's text; a row missing from an index, or
    an index entry whose row has gone, is reported as a malformed database."""
    with closing(sqlite3.connect(db)) as conn:
        for table in FTS:
            conn.execute(f"INSERT INTO {table}_fts({table}_fts, rank) VALUES('integrity-check', 1)")


def test_writer_commits_a_group_and_a_failing_document_takes_only_itself(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    db = tmp_path / "p.db"
    engine = open_database(db)
    a, b, c = (rows_of(make_html_paper(f"{n}.html", title=f"Audit Committee – {i} May 2009"))
               for i, n in enumerate("abc", 1))  # fmt: skip
    # a stray records row (as foreign keys off would allow) makes b's records clash, after
    # its document, tables, cells and blocks went in: the savepoint must undo all of them
    with closing(sqlite3.connect(db)) as raw, raw:
        raw.execute("INSERT INTO records (doc_id, ordinal, type, data) VALUES (?, 0, 'x', '{}')",
                    (b.doc_id,))  # fmt: skip
        raw.execute("INSERT INTO records_fts(rowid, text) SELECT id, text FROM records")
    with Writer(engine) as writer:
        assert writer.store(a).status == "stored"
        with pytest.raises(StoreError, match="UNIQUE constraint"):
            writer.store(b)
        assert writer.store(c).status == "stored"
        assert writer.store(a).status == "duplicate"  # seen inside the open transaction
        assert writer.pending == 2 and stored(db) == 0  # nothing visible before the commit
    assert stored(db) == 2
    with closing(sqlite3.connect(db)) as conn:
        docs = {d for (d,) in conn.execute("SELECT DISTINCT doc_id FROM tables")}
        assert docs == {a.doc_id, c.doc_id}
    assert_fts_in_step(db)


def test_writer_leaving_on_an_exception_stores_nothing_of_the_group(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    db = tmp_path / "p.db"
    engine = open_database(db)
    with pytest.raises(RuntimeError), Writer(engine) as writer:
        writer.store(rows_of(make_html_paper()))
        raise RuntimeError("killed")
    assert stored(db) == 0
    assert load_document(engine, parse_file(make_html_paper()), []).status == "stored"


def test_writer_is_due_after_group_size_documents_or_group_seconds(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    engine = open_database(tmp_path / "p.db")
    papers = [rows_of(make_html_paper(f"{i}.html", title=f"Audit Committee – {i} May 2009"))
              for i in range(1, 4)]  # fmt: skip
    with Writer(engine, group_seconds=3600, group_size=2) as writer:
        assert not writer.due() and writer.seconds_left() == float("inf")
        writer.store(papers[0])
        assert not writer.due() and 0 < writer.seconds_left() <= 3600
        writer.store(papers[1])
        assert writer.due()
        writer.commit()
        assert not writer.due() and writer.pending == 0
    with Writer(engine, group_seconds=0, group_size=100) as writer:
        writer.store(papers[2])
        assert writer.due()


def test_search_indexes_follow_stores_replacements_and_an_upgrade(tmp_path: Path) -> None:
    """A database made before migration 0005 (rows indexed by triggers) goes on being
    indexed by the loader, and replacing a document takes its old rows out."""
    db = tmp_path / "old.db"
    engine = make_engine(db)
    upgrade(engine, "0004")
    with closing(sqlite3.connect(db)) as raw, raw:  # as papertrail 0004 stored a paper
        raw.execute("INSERT INTO documents (doc_id, sha256, source, format, table_count,"
                    " record_count, warnings, ingested_at) VALUES ('d0', 'ab', 'old.txt',"
                    " 'text', 0, 1, '[]', '2009-01-01')")  # fmt: skip
        raw.execute("INSERT INTO blocks (doc_id, ordinal, kind, text) VALUES"
                    " ('d0', 0, 'paragraph', 'Streetlight inspection backlog')")  # fmt: skip
    engine = open_database(db)  # upgrades to the newest schema
    papers = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".html"))
    for path in papers:
        doc = parse_file(path)
        load_document(engine, doc, document_records(doc))
    doc = parse_file(papers[0])
    assert load_document(engine, doc, document_records(doc), force=True).status == "replaced"
    assert_fts_in_step(db)
    with closing(sqlite3.connect(db)) as conn:
        for table in FTS:
            words = conn.execute(f"SELECT text FROM {table} WHERE text LIKE '% %' LIMIT 1")
            word = next(w for w in words.fetchone()[0].split() if w.isalpha())
            hits = conn.execute(f"SELECT count(*) FROM {table}_fts WHERE {table}_fts MATCH ?",
                                (word,)).fetchone()[0]  # fmt: skip
            assert hits >= 1, (table, word)
        old = "SELECT count(*) FROM blocks_fts WHERE blocks_fts MATCH 'backlog'"
        assert conn.execute(old).fetchone()[0] == 1
