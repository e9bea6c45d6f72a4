"""Filtering stored recommendations: each filter, filters combined, and the indexed due date."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from ingest.batch import ingest_paths
from store.database import open_database
from store.diff import due_end
from store.register import (
    FilterError,
    RecFilter,
    count_recommendations,
    due_end_sql,
    find_recommendations,
    owner_key_sql,
    parse_status,
)

ROOT = Path(__file__).resolve().parent.parent
MIGRATION = ROOT / "store" / "migrations" / "versions" / "0003_query_indexes.py"

ROWS = (  # ref, recommendation, owner, timescale, status
    ("1", "Publish the succession planning register", "Head of HR", "March 2009", "Ongoing"),
    ("2", "Train all managers", "Director of Finance", "2008/09", "Complete"),
    ("3", "Review the fleet", "HEAD OF  HR", "2010", "Not started"),
    ("4", "Agree the estates plan", "", "30 June 2008", "Ongoing"),
)


def tracker_html(title: str, rows: tuple[tuple[str, ...], ...] = ROWS) -> str:
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
        "<p>Report on succession planning and the fleet.</p><h2>Recommendations</h2>"
        "<table><tr><th>No</th><th>Recommendation</th><th>Owner</th><th>Timescale</th>"
        f"<th>Status</th></tr>{body}</table></body></html>"
    )


@pytest.fixture
def tracker_db(tmp_path: Path) -> Engine:
    paper = tmp_path / "audit-tracker.html"
    paper.write_text(tracker_html("Audit Committee – 3 March 2009"), encoding="utf-8")
    engine = open_database(tmp_path / "p.db")
    assert ingest_paths([paper], engine).ok
    return engine


def refs(engine: Engine, flt: RecFilter) -> list[str]:
    with engine.connect() as conn:
        found = find_recommendations(conn, flt)
        assert count_recommendations(conn, flt) == len(found)
    return [r["ref"] for r in found]


@pytest.mark.parametrize(
    "value",
    [
        "2009",
        "2009-03",
        "2009-03-31",
        "FY2008/09",
        "FY2009/10",
        "2009-Q1",
        "2009-Q2",
        "2009-Q3",
        "2009-Q4",
        "",
        None,
        "Summer",
    ],
)
def test_due_end_sql_agrees_with_store_diff(value: str | None) -> None:
    conn = sqlite3.connect(":memory:")
    got = conn.execute(f"SELECT {due_end_sql('v')} FROM (SELECT ? AS v)", (value,)).fetchone()
    assert got[0] == due_end(value)


def test_due_end_sql_is_written_as_the_migration_indexes_it(tracker_db: Engine) -> None:
    spec = importlib.util.spec_from_file_location("m0003", MIGRATION)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.due_end("due") == due_end_sql("due")
    assert migration.OWNER_KEY == owner_key_sql("owner")
    flt = RecFilter(overdue_as_of="2009-06-01")
    with tracker_db.connect() as conn:
        plan = " ".join(
            row[3]
            for row in conn.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT r.id FROM records AS r"
                    " WHERE r.type = 'recommendation'"
                    f" AND {due_end_sql('r.due')} < '2009-06-01' ORDER BY {due_end_sql('r.due')}"
                )
            )
        )
    assert "ix_records_type_due_end" in plan and "TEMP B-TREE" not in plan
    assert refs(tracker_db, flt) == ["4", "1"]  # most overdue first


def test_find_recommendations_each_filter(tracker_db: Engine) -> None:
    assert refs(tracker_db, RecFilter()) == ["1", "2", "3", "4"]
    assert refs(tracker_db, RecFilter(statuses=("ongoing",))) == ["1", "4"]
    assert refs(tracker_db, RecFilter(owner="head of hr")) == ["3", "1"]  # by owner as printed
    assert sorted(refs(tracker_db, RecFilter(owner="  HEAD   of h"))) == ["1", "3"]
    assert refs(tracker_db, RecFilter(committee="audit")) == ["1", "2", "3", "4"]
    assert refs(tracker_db, RecFilter(committee="finance")) == []
    # by due date, ties in printed order: "March 2009" and "2008/09" both end 31 March 2009
    assert refs(tracker_db, RecFilter(due_before="2009-04-01")) == ["4", "1", "2"]
    assert refs(tracker_db, RecFilter(due_after="2009-12-30")) == ["3"]
    assert refs(tracker_db, RecFilter(text="succession planning")) == ["1"]
    assert refs(tracker_db, RecFilter(docs=("audit-tracker.html",))) == ["1", "2", "3", "4"]
    assert refs(tracker_db, RecFilter(docs=("0000",))) == []


def test_find_recommendations_overdue_compares_on_end_of_period(tracker_db: Engine) -> None:
    # "March 2009" runs to 31 March; FY2008/09 ends then too but is complete
    assert refs(tracker_db, RecFilter(overdue_as_of="2009-03-31")) == ["4"]
    assert refs(tracker_db, RecFilter(overdue_as_of="2009-04-01")) == ["4", "1"]
    assert refs(tracker_db, RecFilter(overdue_as_of="2011-01-01")) == ["4", "1", "3"]


def test_find_recommendations_filters_combine(tracker_db: Engine) -> None:
    flt = RecFilter(statuses=("ongoing", "not_started"), owner="hr", due_after="2009-01-01")
    assert refs(tracker_db, flt) == ["1", "3"]
    flt = RecFilter(overdue_as_of="2011-01-01", owner="hr", text="fleet")
    assert refs(tracker_db, flt) == ["3"]
    with tracker_db.connect() as conn:
        (row,) = find_recommendations(conn, RecFilter(text="estates"))
    assert row["owner"] is None and row["due_end"] == "2008-06-30"
    assert row["committee"] == "Audit Committee" and row["source"] == "audit-tracker.html"


def test_rec_filter_refuses_unknown_status_and_bad_dates() -> None:
    assert parse_status("Not started") == "not_started"
    with pytest.raises(FilterError, match="unknown status"):
        RecFilter(statuses=("done",))
    with pytest.raises(FilterError, match="due-before"):
        RecFilter(due_before="31/03/2009")
    with pytest.raises(FilterError, match="not a date"):
        RecFilter(overdue_as_of="2009-02-30")
