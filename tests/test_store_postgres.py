"""PostgreSQL as the store, on a real server the test session starts (``pg_server`` in
conftest.py): the same migrations, the same answers and a byte-identical export as
SQLite, several writers at once, and ``sql`` kept read-only."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import PaperFactory
from pgserver import PgServer
from sqlalchemy import text
from typer.testing import CliRunner

from ingest.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
runner = CliRunner()


def _run(*args: str) -> Any:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def both(pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The samples ingested into an SQLite file and into a PostgreSQL database."""
    sqlite = str(tmp_path_factory.mktemp("sqlite") / "samples.db")
    pg = pg_server.new_database()
    for db in (sqlite, pg):
        _run("ingest", SAMPLES, "--db", db, "--workers", "1", "--quiet")
    return sqlite, pg


def test_schema_from_the_migrations_is_the_models_on_postgresql(pg_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from store.database import open_database
    from store.schema import Base

    engine = open_database(pg_url)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # the expression indexes (due date, owner key, words) are not in the models, nor the
    # stored words and due dates PostgreSQL alone keeps (0011, 0012); 0001's unique key on
    # doc_id stays beside the primary key 0009 moved there (foreign keys use it)
    unexpected = [
        d
        for d in diffs
        if d[0] != "remove_index"
        and not (d[0] == "remove_constraint" and list(d[1].columns.keys()) == ["doc_id"])
        and not (d[0] == "remove_column" and d[3].name in ("text_tsv", "due_end"))
    ]
    assert unexpected == []
    with engine.connect() as conn:
        kinds = dict(
            conn.execute(
                text(
                    "SELECT table_name || '.' || column_name, data_type FROM "
                    "information_schema.columns WHERE column_name IN ('data', 'rows')"
                    " AND table_schema = current_schema()"
                )
            ).all()
        )
    # lists are jsonb; a record keeps its keys in the order written (json)
    assert kinds == {"tables.rows": "jsonb", "records.data": "json"}
    engine.dispose()


def test_export_is_byte_identical_to_sqlite(both: tuple[str, str], tmp_path: Path) -> None:
    outputs = []
    for name, db in zip(("sqlite", "pg"), both, strict=True):
        _run("export", "--db", db, "--format", "jsonl", "-o", tmp_path / f"{name}.jsonl")
        _run("export", "--db", db, "--format", "csv", "-o", tmp_path / f"{name}-csv")
        outputs.append(name)
    assert (tmp_path / "sqlite.jsonl").read_bytes() == (tmp_path / "pg.jsonl").read_bytes()
    assert (tmp_path / "sqlite.jsonl").stat().st_size > 10_000
    files = sorted(p.name for p in (tmp_path / "sqlite-csv").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "pg-csv").iterdir())
    for name in files:
        ours = (tmp_path / "pg-csv" / name).read_bytes()
        assert ours == (tmp_path / "sqlite-csv" / name).read_bytes(), name


@pytest.mark.parametrize(
    "command",
    [
        ["recs"],
        ["recs", "--overdue", "--as-of", "2010-01-01"],
        ["recs", "--owner", "head of"],
        ["recs", "--status", "ongoing", "--due-after", "2009-01-01"],
        ["recs", "--text", "custody"],
        ["recs", "--committee", "AUDIT"],
        ["tables"],
        ["review"],
        ["savings"],
        ["rag"],
        ["series", "list"],
        ["slippage"],
        ["sql", "SELECT ref, owner, due FROM recommendations ORDER BY record_id"],
        ["sql", "SELECT owner, recommendations, open FROM recommendations_by_owner"],
        ["sql", "SELECT count(*) AS n FROM overdue_recommendations"],
    ],
)
def test_reading_commands_answer_as_on_sqlite(both: tuple[str, str], command: list[str]) -> None:
    answers = [_run(*command, "--db", db, "--format", "json").stdout for db in both]
    assert answers[0] == answers[1]
    assert json.loads(answers[1]) not in ([], {})


def test_diff_and_history_answer_as_on_sqlite(both: tuple[str, str]) -> None:
    listed = json.loads(_run("series", "list", "--db", both[0], "--format", "json").stdout)
    name = listed[0]["name"]
    for command in (["diff", "--series", name], ["history", "3", "--series", name]):
        answers = [_run(*command, "--db", db, "--format", "json").stdout for db in both]
        assert answers[0] == answers[1]


def test_search_finds_the_same_passages(both: tuple[str, str]) -> None:
    """Ranks are on different scales (bm25, ts_rank_cd); what matches is the same."""
    for query in ("custody", "recruit*", "discharge coordinators", '"custody suite" OR lighting'):
        found = []
        for db in both:
            hits = json.loads(_run("search", query, "--db", db, "--format", "json",
                                   "--limit", "500").stdout)  # fmt: skip
            found.append(sorted((h["kind"], h["doc_id"], h["where"], h["text"]) for h in hits))
        assert found[0] == found[1], query
        assert found[1], query


def test_search_marks_the_words_found(both: tuple[str, str]) -> None:
    hits = json.loads(_run("search", "coordinators", "--db", both[1], "--format", "json").stdout)
    assert hits and all("[coordinators]" in h["snippet"].lower() for h in hits)


def test_sql_is_read_only_one_statement_and_time_limited(both: tuple[str, str]) -> None:
    pg = both[1]
    for statement in (
        "DELETE FROM documents",
        "COMMIT; DELETE FROM documents",
        "SELECT 1; DELETE FROM documents",
        "SELECT set_config('default_transaction_read_only', 'off', false); DROP TABLE cells",
    ):
        result = runner.invoke(app, ["sql", statement, "--db", pg])
        assert result.exit_code == 1, statement
        assert "Traceback" not in result.output
    result = runner.invoke(app, ["sql", "SELECT pg_sleep(5)", "--db", pg, "--timeout", "0.5"])
    assert result.exit_code == 1 and "stopped after 0.5 s" in result.output
    bound = _run("sql", "SELECT :n::int + 1 AS x, '100%' AS p", "-p", "n", "41", "--db", pg,
                 "--format", "json")  # fmt: skip
    assert json.loads(bound.stdout) == [{"x": 42, "p": "100%"}]
    count = _run("sql", "SELECT count(*) AS n FROM documents", "--db", pg, "--format", "json")
    assert json.loads(count.stdout) == [{"n": 5}]


def test_reading_commands_refuse_an_empty_database(pg_url: str) -> None:
    result = runner.invoke(app, ["recs", "--db", pg_url])
    assert result.exit_code == 1
    assert "not a papertrail database" in result.output


def test_a_missing_database_is_one_line(pg_server: PgServer) -> None:
    result = runner.invoke(app, ["recs", "--db", pg_server.url("nosuchdb")])
    assert result.exit_code == 1
    assert "nosuchdb" in result.output and "Traceback" not in result.output


def _papers(make_html_paper: PaperFactory, n: int) -> list[Path]:
    return [
        make_html_paper(
            name=f"batch/p{i:02d}.html",
            title=f"Audit Committee – {i + 1} March 2009",
            rows=((str(i), f"Recommendation number {i} for the register", "Head of HR", "2009"),),
        )
        for i in range(n)
    ]


def test_two_ingest_processes_at_once_store_each_document_once(
    pg_url: str, make_html_paper: PaperFactory
) -> None:
    """One in input order, the other in reverse, so each waits for documents the other
    holds uncommitted: every paper stored once, both batches end well."""
    papers = _papers(make_html_paper, 24)
    command = [sys.executable, "-m", "ingest", "ingest", "--db", pg_url, "--workers", "1", "-q"]
    procs = [
        subprocess.Popen([*command, *map(str, order)], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        for order in (papers, papers[::-1])
    ]  # fmt: skip
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    from store.database import open_readonly

    engine = open_readonly(pg_url)
    with engine.connect() as conn:
        shas = conn.execute(text("SELECT sha256 FROM documents")).scalars().all()
        recs = conn.execute(text("SELECT count(*) FROM recommendations")).scalar_one()
    engine.dispose()
    assert len(shas) == len(set(shas)) == 24
    assert recs == 24


def test_the_writer_yields_to_a_document_another_stored(pg_url: str) -> None:
    """The insert that loses the race reports a duplicate, naming the stored doc_id."""
    from parsers.model import Document
    from store.database import open_database
    from store.load import Writer
    from store.rows import document_rows

    doc = Document(source="a.txt", sha256="ab" * 32, format="text")
    rows = document_rows(doc, [{"type": "document", "doc_id": doc.doc_id}])
    engine = open_database(pg_url)
    with Writer(engine) as first, Writer(engine) as second:
        assert first.find(doc.sha256) is None and second.find(doc.sha256) is None
        assert first.store(rows).status == "stored"
        first.commit()
        assert second.store(rows).status == "duplicate"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM documents")).scalar_one() == 1
    engine.dispose()


DUE_VALUES = [None, "", "2009", "2009-01", "2009-02", "2008-02", "1900-02", "2000-02",
              "2009-04", "2009-11", "2009-12", "2009-13", "2009-00", "2009-Q1", "2009-Q2",
              "2009-Q3", "2009-Q4", "FY2008/09", "FY0999/00", "0000-02", "2009-06-15", "soon",
              "FY2008"]  # fmt: skip


def test_due_end_is_the_same_on_both(pg_url: str) -> None:
    import sqlite3

    import psycopg

    from store.register import due_end_sql, due_end_sql_pg

    lite = sqlite3.connect(":memory:")
    with psycopg.connect(pg_url) as pg:
        for value in DUE_VALUES:
            want = lite.execute(f"SELECT {due_end_sql('v')} FROM (SELECT ? AS v)", (value,))
            due = due_end_sql_pg("v").replace("%", "%%")  # psycopg's placeholders
            got = pg.execute(f"SELECT {due} FROM (SELECT %s::text AS v) AS s", (value,))
            assert got.fetchone() == want.fetchone(), value


def test_queries_write_the_expressions_the_migrations_index() -> None:
    import importlib.util

    from store.register import due_end_sql_pg, owner_key_sql_pg

    def migration(name: str) -> Any:
        path = ROOT / "store" / "migrations" / "versions" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    m0003, m0011 = migration("0003_query_indexes"), migration("0011_stored_words_on_postgresql")
    m0012 = migration("0012_stored_due_end_on_postgresql")
    assert m0003.due_end_pg("due") == m0012.due_end_pg("due") == due_end_sql_pg("due")
    assert m0003.OWNER_KEY_PG == m0011.OWNER_KEY_PG == owner_key_sql_pg("owner")
    assert m0012.OWNER_KEY_PG == owner_key_sql_pg("owner")
    # the stored words are what 0002 and 0003 indexed as an expression
    assert f"({m0011.TSVECTOR_PG})" in m0003.INDEXES_PG["ix_cells_text_search"]


@pytest.mark.parametrize(
    "flt",
    [
        {"overdue_as_of": "2010-01-01"},
        {"due_before": "2010-01-01"},
        {"statuses": ("ongoing",), "due_after": "2009-01-01"},
    ],
)
def test_recs_filters_use_the_indexes(both: tuple[str, str], flt: dict[str, Any]) -> None:
    """The planner answers a due-date filter from an index of the stored due dates
    (migration 0012: which one is its choice), as SQLite does from its expression index."""
    from store.database import open_readonly
    from store.register import RecFilter, order_by, where_clauses

    rec_filter = RecFilter(**flt)
    clauses, params = where_clauses(rec_filter, "postgresql")
    sql = f"SELECT r.id FROM records AS r WHERE {' AND '.join(clauses)} ORDER BY "
    engine = open_readonly(both[1])
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        explain = text(f"EXPLAIN {sql}{order_by(rec_filter, 'postgresql')}")
        plan = " ".join(row[0] for row in conn.execute(explain, params))
    engine.dispose()
    assert re.search(r"Index (Only )?Scan using ix_records_\w*due_end on records", plan), plan
    assert "CASE" not in plan  # no due date worked out per row


def test_migration_0010_turns_null_json_and_blanks_into_nulls(
    pg_url: str, make_html_paper: PaperFactory
) -> None:
    """0010 on PostgreSQL: the JSON value null in the jsonb lists and a blank owner become
    SQL NULL, in the tables and the views; the actions view gains status, status_raw and
    updates (as on SQLite, ``test_store_database``)."""
    from alembic import command

    from store.database import alembic_config, open_database, upgrade, writing

    _run("ingest", make_html_paper(), "--db", pg_url, "--quiet")
    engine = open_database(pg_url)
    with writing(engine).connect() as conn:  # back to 0009, with data as 0009's loader wrote it
        command.downgrade(alembic_config(conn), "0009")
        conn.execute(text("UPDATE records SET pages = 'null'"))
        conn.execute(text("UPDATE cells SET pages = 'null', bbox = 'null'"))
        conn.execute(text("UPDATE records SET owner = '  ' WHERE ref = '1'"))
        conn.commit()
    upgrade(engine)
    with engine.connect() as conn:
        for table, column in [("records", "pages"), ("cells", "pages"), ("cells", "bbox")]:
            left = f"SELECT count(*) FROM {table} WHERE {column} = 'null'::jsonb"
            assert conn.execute(text(left)).scalar() == 0, (table, column)
        register = "SELECT owner, pages FROM recommendation_register WHERE ref = '1'"
        assert conn.execute(text(register)).one() == (None, None)
        blank = "SELECT count(*) FROM recommendations WHERE owner = '' OR pages IS NOT NULL"
        assert conn.execute(text(blank)).scalar() == 0
        columns = conn.execute(
            text(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'actions' AND table_schema = current_schema()"
            )
        ).scalars()
        assert {"status", "status_raw", "updates"} <= set(columns)
    engine.dispose()


@pytest.mark.parametrize(
    "flt",
    [
        {"owner": "head of"},
        {"owner": "o", "statuses": ("ongoing",)},
        {"text": "custody"},
        {"overdue_as_of": "2010-01-01"},
        {"committee": "audit", "text": "the"},
        {"committee": "audit", "text": "custody", "overdue_as_of": "2012-01-01"},
        {"docs": ("arc-20090310-custody-audit-recommendations.docx",), "text": "the"},
        {"owner": "o", "due_after": "2009-01-01", "statuses": ("ongoing", "not_started")},
    ],
)
def test_a_first_page_is_the_same_on_both(both: tuple[str, str], flt: dict[str, Any]) -> None:
    """PostgreSQL reads a page's ids first (by owner: all the owner's ids, then sorted;
    with a full-text filter, the papers as an array); every page, and every count, is
    SQLite's."""
    from store.database import open_readonly
    from store.register import RecFilter, count_recommendations, find_recommendations

    pages = []
    for db in both:
        engine = open_readonly(db)
        with engine.connect() as conn:
            pages.append([find_recommendations(conn, RecFilter(**flt), limit=n) for n in (1, 3)])
            pages[-1].append(count_recommendations(conn, RecFilter(**flt)))
        engine.dispose()
    assert pages[0] == pages[1]
    assert pages[1][1], flt


def test_search_ranks_the_same_newest_matches_when_capped(
    both: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past RANK_WINDOW matches of a kind only the newest are ranked, on both."""
    import store.search
    from store.database import open_readonly

    monkeypatch.setattr(store.search, "RANK_WINDOW", 3)
    found = []
    for db in both:
        engine = open_readonly(db)
        with engine.connect() as conn:
            result = store.search.search(conn, "the", limit=500)
        engine.dispose()
        hits = sorted((h.kind, h.doc_id, h.where, h.text) for h in result.hits)
        found.append((hits, result.capped))
    assert found[0] == found[1]
    assert found[1][1] == ["record", "cell", "block"]


@pytest.mark.parametrize("kinds", [("record",), ("cell", "block"), ("block", "record")])
def test_search_of_some_kinds_and_papers_is_the_same_on_both(
    both: tuple[str, str], kinds: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL searches every kind in one statement; what it finds, and which kinds it
    says were capped (in the order asked), is what SQLite finds kind by kind."""
    import store.search
    from store.database import open_readonly

    monkeypatch.setattr(store.search, "RANK_WINDOW", 3)
    found = []
    for db in both:
        engine = open_readonly(db)
        with engine.connect() as conn:
            papers = conn.execute(text("SELECT doc_id, source FROM documents")).all()
            papers.sort()
            answers = [
                store.search.search(conn, "the", limit=500, kinds=kinds),
                store.search.search(conn, "custody OR recruit*", limit=500, kinds=kinds),
                store.search.search(
                    conn, "the", limit=500, kinds=kinds, doc_ids=(papers[0][0][:6], papers[1][1])
                ),
            ]
        engine.dispose()
        found.append(
            [
                (sorted((h.kind, h.doc_id, h.where, h.text) for h in a.hits), a.capped)
                for a in answers
            ]
        )
    assert found[0] == found[1]
    assert found[1][0][1] == list(kinds)  # "the" fills every window of 3
    assert found[1][2][1] == []  # a paper's matches are all ranked
    assert all(hits for hits, _ in found[1])


def test_search_is_one_statement_on_postgresql(both: tuple[str, str]) -> None:
    from sqlalchemy import event

    from store.database import open_readonly
    from store.search import search

    engine = open_readonly(both[1])
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with engine.connect() as conn:
        statements.clear()
        hits = search(conn, "custody").hits
    engine.dispose()
    assert hits and len(statements) == 1


def test_migration_0012_stores_the_due_end_of_every_record(
    pg_url: str, make_html_paper: PaperFactory
) -> None:
    """0012 on a database an older papertrail filled: every record gets its due period's
    end, the value SQLite's expression gives (``recs`` filters and the register view read
    it); records ingested afterwards get it as they are stored."""
    import sqlite3

    from alembic import command

    from store.database import alembic_config, open_database, upgrade, writing
    from store.register import due_end_sql

    _run("ingest", make_html_paper(), "--db", pg_url, "--quiet")
    engine = open_database(pg_url)
    with writing(engine).connect() as conn:  # back to 0011, records stored as it stored them
        command.downgrade(alembic_config(conn), "0011")
        doc = conn.execute(text("SELECT doc_id FROM documents")).scalar_one()
        for i, due in enumerate(DUE_VALUES):
            conn.execute(
                text(
                    "INSERT INTO records (doc_id, ordinal, type, due, data)"
                    " VALUES (:doc, :ordinal, 'recommendation', :due, '{}')"
                ),
                {"doc": doc, "ordinal": 100 + i, "due": due},
            )
        conn.commit()
    upgrade(engine)
    with engine.connect() as conn:  # vacuumed after the rewrite: index-only scans work again
        visible = "SELECT relallvisible FROM pg_class WHERE relname = 'records'"
        assert conn.execute(text(visible)).scalar_one() > 0
    later = make_html_paper(name="later.html", rows=(("1", "Fit new locks", "Estates", "2010"),))
    _run("ingest", later, "--db", pg_url, "--quiet")
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT due, due_end FROM records WHERE type = 'recommendation'")
        ).all()
        register = conn.execute(text("SELECT due, due_end FROM recommendation_register")).all()
    engine.dispose()
    lite = sqlite3.connect(":memory:")
    for due, due_end in stored:
        want = lite.execute(f"SELECT {due_end_sql('v')} FROM (SELECT ? AS v)", (due,))
        assert (due_end,) == want.fetchone(), due
    assert {due for due, _ in stored} >= {*DUE_VALUES, "2009-03", "2010"}
    assert sorted(register, key=str) == sorted(stored, key=str)
    overdue = _run("recs", "--overdue", "--as-of", "2010-01-01", "--db", pg_url, "--format",
                   "json").stdout  # fmt: skip
    assert {r["due_end"] for r in json.loads(overdue)} == {
        want for due, want in stored if want and want < "2010-01-01"
    }
