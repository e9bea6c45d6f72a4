"""Savings pivots and RAG histories from papers ingested into a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from ingest.batch import ingest_paths
from store.analysis import (
    is_total_item,
    pivot_savings,
    rag_histories,
    rag_rows,
    savings_rows,
)
from store.database import open_database


def finance_paper(date: str, catering: tuple[str, str], rating: str) -> str:
    title = f"Finance Committee – {date}"
    return (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
        "<h2>Savings</h2><table><tr><th>Saving</th><th>2011/12</th><th>2012/13</th></tr>"
        "<tr><th></th><th>£m</th><th>£m</th></tr>"
        f"<tr><td>Catering</td><td>{catering[0]}</td><td>{catering[1]}</td></tr>"
        "<tr><td>Transport</td><td>-0.5</td><td>-1.0</td></tr>"
        "<tr><td>Total savings</td><td>-2.0</td><td>-3.0</td></tr></table>"
        "<h3>Estates programme</h3><table><tr><th>Criteria</th><th>RAG</th><th>Rationale</th>"
        f"</tr><tr><td>Overall programme status</td><td>{rating}</td><td>Disposals.</td></tr>"
        "</table></body></html>"
    )


@pytest.fixture
def finance_db(tmp_path: Path) -> Engine:
    """Three papers ingested out of meeting order: June (green), March (amber), September
    (red)."""
    papers = []
    for name, date, catering, rating in (
        ("june.html", "9 June 2009", ("-1.5", "-2.0"), "Green"),
        ("march.html", "3 March 2009", ("-1.0", "-1.5"), "Amber"),
        ("september.html", "8 September 2009", ("-1.5", "-2.5"), "Red"),
    ):
        path = tmp_path / name
        path.write_text(finance_paper(date, catering, rating), encoding="utf-8")
        papers.append(path)
    engine = open_database(tmp_path / "p.db")
    for paper in papers:  # one at a time, so ingest order is the order above
        assert ingest_paths([paper], engine).ok
    return engine


def test_pivot_savings_items_by_period_with_totals(finance_db: Engine) -> None:
    with finance_db.connect() as conn:
        pivots = pivot_savings(savings_rows(conn, doc_ids=("june.html",)))
    (pivot,) = pivots
    assert (pivot.source, pivot.unit, pivot.periods) == ("june.html", "£m", ["2011/12", "2012/13"])
    assert [(r.item, r.values, r.is_total) for r in pivot.rows] == [
        ("Catering", {"2011/12": -1.5, "2012/13": -2.0}, False),
        ("Transport", {"2011/12": -0.5, "2012/13": -1.0}, False),
        ("Total savings", {"2011/12": -2.0, "2012/13": -3.0}, True),
    ]
    # the printed total row is shown but not added in again
    assert pivot.period_totals() == {"2011/12": -2.0, "2012/13": -3.0}
    assert pivot.grand_total() == -5.0 and pivot.rows[0].total == -3.5


def test_pivot_savings_one_pivot_per_paper_and_unit() -> None:
    rows = [
        {
            "doc_id": "a",
            "source": "a.pdf",
            "item": "Catering",
            "grp": None,
            "period": "2011/12",
            "unit": "£m",
            "value": -1.0,
        },
        {
            "doc_id": "a",
            "source": "a.pdf",
            "item": "Catering",
            "grp": "Staff",
            "period": "2011/12",
            "unit": "FTE",
            "value": -12,
        },
        {
            "doc_id": "b",
            "source": "b.pdf",
            "item": "Catering",
            "grp": None,
            "period": "2011/12",
            "unit": "£m",
            "value": -1.0,
        },
        {
            "doc_id": "b",
            "source": "b.pdf",
            "item": "Note",
            "grp": None,
            "period": "2011/12",
            "unit": "£m",
            "value": None,
        },
    ]
    pivots = pivot_savings(rows)
    assert [(p.doc_id, p.unit, p.grand_total()) for p in pivots] == [
        ("a", "£m", -1.0),
        ("a", "FTE", -12.0),
        ("b", "£m", -1.0),
    ]
    assert pivots[1].rows[0].group == "Staff"


def test_savings_rows_filter_by_unit(finance_db: Engine) -> None:
    with finance_db.connect() as conn:
        assert savings_rows(conn, unit="FTE") == []
        assert {r["source"] for r in savings_rows(conn, unit="£m")} == {
            "june.html",
            "march.html",
            "september.html",
        }


def test_is_total_item() -> None:
    assert is_total_item("Total") and is_total_item("Net total savings")
    assert is_total_item("Savings total") and not is_total_item("Totally new catering")


def test_rag_histories_follow_meeting_dates_not_ingest_order(finance_db: Engine) -> None:
    with finance_db.connect() as conn:
        (history,) = rag_histories(rag_rows(conn))
    assert (history.programme, history.criterion) == (
        "Estates programme",
        "Overall programme status",
    )
    assert [p.rating for p in history.points] == ["amber", "green", "red"]
    assert (history.latest.rating, history.latest.source) == ("red", "september.html")
    assert [(a.rating, b.rating, b.meeting_date) for a, b in history.changes()] == [
        ("amber", "green", "2009-06-09"),
        ("green", "red", "2009-09-08"),
    ]
    assert history.as_dict()["changes"][0]["from_doc"] == history.points[0].doc_id


def test_rag_histories_group_names_ignoring_case_and_spacing() -> None:
    rows = [
        {
            "doc_id": d,
            "source": f"{d}.pdf",
            "meeting_date": m,
            "programme": p,
            "criterion": None,
            "rating": r,
            "rationale": None,
        }
        for d, m, p, r in (
            ("a", "2010-01-01", "Lean  programme", "green"),
            ("b", "2010-02-01", "LEAN programme", "green"),
            ("c", "2010-03-01", "Other", "red"),
        )
    ]
    histories = rag_histories(rows)
    assert [(h.programme, len(h.points), h.changes()) for h in histories] == [
        ("Lean  programme", 2, []),
        ("Other", 1, []),
    ]
