"""Diffs of successive tracker versions: pure functions over record dicts."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from store.diff import (
    compare,
    days_later,
    due_end,
    find_threads,
    follow_items,
    is_regression,
    is_slip,
    slippage,
)


def rec(ref: str, text: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "type": "recommendation",
        "doc_id": "d",
        "ref": ref,
        "text": text,
        "response": None,
        "owner": None,
        "status": None,
        "status_raw": None,
        "due": None,
        "due_raw": None,
        "updates": [],
    }
    base.update(fields)
    return base


def test_compare_status_change_reports_raw_words() -> None:
    old = [rec("1", "Do a thing", status="ongoing", status_raw="Ongoing")]
    new = [rec("1", "Do a thing", status="complete", status_raw="Achieved")]
    d = compare("a", old, "b", new).as_dict()
    assert d["changes"] == [
        {
            "ref": "1",
            "field": "status",
            "old": "ongoing",
            "new": "complete",
            "old_raw": "Ongoing",
            "new_raw": "Achieved",
        }
    ]
    assert d["added"] == [] and d["removed"] == []


def test_compare_wording_only_change_is_not_a_change() -> None:
    old = [
        rec(
            "1",
            "Do a thing",
            status="ongoing",
            status_raw="Ongoing",
            due="2008-09-30",
            due_raw="30/09/2008",
            owner="Head of  HR",
        )
    ]
    new = [
        rec(
            "1",
            "Do a thing",
            status="ongoing",
            status_raw="In progress",
            due="2008-09-30",
            due_raw="30 September 2008",
            owner="head of HR",
        )
    ]
    assert compare("a", old, "b", new).changes == []


def test_compare_added_removed_and_new_updates() -> None:
    upd_old = {"date": "2008-04", "label": "April 2008 Update", "text": "x"}
    upd_new = {"date": "2008-10", "label": "October 2008 Update", "text": "y"}
    old = [rec("1", "Alpha", updates=[upd_old]), rec("2", "Beta")]
    new = [rec("1", "Alpha", updates=[upd_old, upd_new]), rec("3", "Gamma entirely new")]
    d = compare("a", old, "b", new).as_dict()
    assert d["changes"] == [{"ref": "1", "field": "updates_added", "old": None, "new": [upd_new]}]
    assert d["added"] == ["3"] and d["removed"] == ["2"]


def test_compare_renumbered_recommendation_matched_by_text() -> None:
    text = "Introduce a corporate succession planning process for senior leaders"
    old = [rec("4", text, owner="HR")]
    new = [rec("7", text + ".", owner="Talent Management")]
    d = compare("a", old, "b", new)
    assert d.added == [] and d.removed == []
    assert [(c.ref, c.field, c.old) for c in d.changes] == [("7", "ref", "4"), ("7", "owner", "HR")]


def test_is_slip_compares_end_of_period() -> None:
    old = [rec("1", "t", due="FY2008/09", due_raw="2008/09")]
    new = [rec("1", "t", due="2009-06", due_raw="June 2009")]
    (change,) = compare("a", old, "b", new).changes
    assert is_slip(change)
    assert due_end("2009-Q4") == "2010-03-31"


texts = st.text(alphabet="abc XYZ-", max_size=12)


@given(st.lists(st.tuples(st.integers(0, 30), texts, texts), max_size=8))
def test_compare_same_records_is_empty(rows: list[tuple[int, str, str]]) -> None:
    records = [rec(str(n), t, owner=o) for n, t, o in rows]
    d = compare("a", records, "a", records)
    assert d.changes == [] and d.added == [] and d.removed == []


def test_due_end_gives_real_month_ends() -> None:
    assert due_end("2009-02") == "2009-02-28"
    assert due_end("2008-02") == "2008-02-29"
    assert due_end("2009-Q1") == "2009-06-30"
    assert due_end("2009") == "2009-12-31"


def test_days_later_counts_between_period_ends() -> None:
    assert days_later("2009-03", "2009-09") == 183
    assert days_later("FY2008/09", "2009-03-31") == 0
    assert days_later("2009-09-30", "2009-03") == -183
    assert days_later(None, "2009-03") is None


def test_is_regression_only_when_status_goes_back() -> None:
    back = compare("a", [rec("1", "t", status="complete")], "b", [rec("1", "t", status="ongoing")])
    on = compare("a", [rec("1", "t", status="ongoing")], "b", [rec("1", "t", status="complete")])
    assert [is_regression(c) for c in back.changes] == [True]
    assert [is_regression(c) for c in on.changes] == [False]


def test_follow_items_threads_renumbered_and_restarts_after_a_gap() -> None:
    text = "Introduce a corporate succession planning process for senior leaders"
    v1 = [rec("1", text, due="2009-03"), rec("2", "Publish the register")]
    v2 = [rec("4", text, due="2009-09")]
    v3 = [rec("4", text, due="2009-12"), rec("2", "Publish the register")]
    threads = follow_items([("a", v1), ("b", v2), ("c", v3)])
    assert [(t.ref, [d for d, _ in t.appearances]) for t in threads] == [
        ("4", ["a", "b", "c"]),
        ("2", ["a"]),
        ("2", ["c"]),
    ]
    (slipped,) = slippage(threads)
    assert slipped.ref == "4" and len(slipped.slips) == 2 and slipped.days == 275
    assert [t.ref for t in find_threads(threads, "1")] == ["4"]


@given(
    st.lists(st.tuples(st.integers(0, 30), texts, st.sampled_from(["2009", "2009-03"])), max_size=8)
)
def test_slippage_of_unchanged_versions_is_empty(rows: list[tuple[int, str, str]]) -> None:
    records = [rec(str(n), t, due=d) for n, t, d in rows]
    assert slippage(follow_items([("a", records), ("b", records)])) == []
