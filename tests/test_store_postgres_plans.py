"""PostgreSQL's plans for the common questions at scale: which index answers them and what
the sessions are set to, checked on a real server (``pg_server`` in conftest.py), with the
answers compared to SQLite's on the same rows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import Engine, text

from store.database import open_database, open_readonly
from store.register import RecFilter, count_recommendations, where_clauses

DUES = ("2008-03-31", "2009", "FY2009/10", "2010-Q2", "2011-06", "2012-02-29", None, "tbc")
STATUSES = ("complete", "ongoing", "not_started", "superseded", None)
COMMITTEES = ("Audit Committee", "Finance Committee", "Standards Committee", "Scrutiny Panel")
PAPERS = 20


def _fill(engine: Engine, n: int) -> None:
    """``n`` recommendations over ``PAPERS`` papers of four committees, their due dates
    and statuses cycling (many share a due date, as a financial year's end is shared in
    real registers)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # the test server commits asynchronously; VACUUM marks a page all-visible only
            # once its rows' commit is on disk (their hint bits set)
            conn.exec_driver_sql("SET LOCAL synchronous_commit = on")
        conn.execute(
            text(
                "INSERT INTO documents (doc_id, sha256, source, format, committee,"
                " table_count, record_count, warnings, ingested_at) VALUES (:doc, :sha,"
                " :source, 'pdf', :committee, 0, :n, '[]', '2026-12-07T00:00:00Z')"
            ),
            [
                {
                    "doc": f"d{p:02d}",
                    "source": f"paper-{p:02d}.pdf",
                    "sha": f"{p:064d}",
                    "committee": COMMITTEES[p % 4],
                    "n": n // PAPERS,
                }
                for p in range(PAPERS)
            ],
        )
        conn.execute(
            text(
                "INSERT INTO records (doc_id, ordinal, type, status, due, data)"
                " VALUES (:doc, :ordinal, 'recommendation', :status, :due, '{}')"
            ),
            [
                {
                    "doc": f"d{i * PAPERS // n:02d}",
                    "ordinal": i,
                    "status": STATUSES[i % 5],
                    "due": DUES[i % 8 if i % 3 else 0],
                }
                for i in range(n)
            ],
        )


@pytest.fixture(scope="module")
def filled(pg_server: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The same 3,000 recommendations in an SQLite file and a PostgreSQL database, the
    latter vacuumed (index-only scans need the visibility map) and analysed."""
    sqlite = str(tmp_path_factory.mktemp("plans") / "filled.db")
    pg = pg_server.new_database()
    for db in (sqlite, pg):
        engine = open_database(db)
        _fill(engine, 3000)
        engine.dispose()
    engine = open_database(pg)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE records")
    engine.dispose()
    return sqlite, pg


def test_papertrail_sessions_do_not_jit_compile(filled: tuple[str, str]) -> None:
    """PostgreSQL compiles a statement whose estimate passes jit_above_cost, and past
    jit_inline_above_cost spends 67-146 ms doing so (counting a common word's matches);
    papertrail's statements are a page of rows or a count, so its sessions, reading or
    writing, turn JIT off."""
    for engine in (open_readonly(filled[1]), open_database(filled[1])):
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
        engine.dispose()


def test_the_overdue_count_reads_the_open_due_dates_alone(filled: tuple[str, str]) -> None:
    """Counting the overdue is an index-only scan of the open recommendations' due dates,
    deduplicated (migration 0013), not of the (due date, id) index that lists them; the
    counts are SQLite's, and what the rows say."""
    counts: dict[str, list[int]] = {}
    days = ("2009-06-30", "2010-06-30", "2012-12-31")
    for db in filled:
        engine = open_readonly(db)
        with engine.connect() as conn:
            counts[db] = [count_recommendations(conn, RecFilter(overdue_as_of=d)) for d in days]
        engine.dispose()
    assert counts[filled[0]] == counts[filled[1]]
    assert counts[filled[1]][0] < counts[filled[1]][1] < counts[filled[1]][2]
    plan = count_plan(filled[1], RecFilter(overdue_as_of="2010-06-30"))
    engine = open_readonly(filled[1])
    with engine.connect() as conn:
        listed = conn.execute(
            text(
                "SELECT count(*) FROM records WHERE type = 'recommendation' AND due_end < :day"
                " AND (status IS NULL OR status NOT IN ('complete', 'superseded'))"
                " AND id + 0 > 0"  # read from the table, not an index
            ),
            {"day": "2010-06-30"},
        ).scalar()
    engine.dispose()
    assert re.search(r"Index Only Scan using ix_records_open_due_count on records", plan), plan
    assert listed == counts[filled[1]][1]


def test_a_committees_overdue_are_counted_from_its_papers_index_ranges(
    filled: tuple[str, str],
) -> None:
    """A committee's overdue count reads, for each of its papers, one range of the open
    recommendations by paper and due date (migration 0013), from the index alone, where
    PostgreSQL read every overdue record in the table to see its paper; the counts, and
    the first page, are SQLite's."""
    from store.register import find_recommendations

    flt = RecFilter(overdue_as_of="2010-06-30", committee="audit")
    answers = []
    for db in filled:
        engine = open_readonly(db)
        with engine.connect() as conn:
            answers.append((count_recommendations(conn, flt), find_recommendations(conn, flt, 5)))
        engine.dispose()
    assert answers[0] == answers[1]
    assert 0 < answers[1][0] < count_all(filled[1], RecFilter(overdue_as_of="2010-06-30"))
    plan = count_plan(filled[1], flt)
    assert re.search(r"Index Only Scan using ix_records_open_doc_due_end on records", plan), plan


def count_plan(db: str, flt: RecFilter) -> str:
    """The plan PostgreSQL picks to count ``flt``'s recommendations when it may not scan
    the table or build a bitmap: which index, if any, can answer alone."""
    clauses, params = where_clauses(flt, "postgresql")
    engine = open_readonly(db)
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        conn.exec_driver_sql("SET enable_bitmapscan = off")
        sql = f"EXPLAIN SELECT count(*) FROM records AS r WHERE {' AND '.join(clauses)}"
        plan = " ".join(row[0] for row in conn.execute(text(sql), params))
    engine.dispose()
    return plan


def count_all(db: str, flt: RecFilter) -> int:
    engine = open_readonly(db)
    with engine.connect() as conn:
        counted = count_recommendations(conn, flt)
    engine.dispose()
    return counted
