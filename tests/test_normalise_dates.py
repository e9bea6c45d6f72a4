"""Dates as printed -> ISO at the printed precision (normalise.dates)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalise.dates import find_dates, is_date, normalise_date


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("31 March 2003", "2003-03-31"),
        ("31st March 2003", "2003-03-31"),
        ("30 <sup>th</sup> June 2003", "2003-06-30"),
        ("31/03/2003", "2003-03-31"),
        ("1st January 2009", "2009-01-01"),
        ("March 2004", "2004-03"),
        ("Mar-04", "2004-03"),
        ("Oct-08", "2008-10"),
        ("End of June 2003", "2003-06"),
        ("2009", "2009"),
        ("2008/09", "FY2008/09"),
        ("08/09", "FY2008/09"),
        ("Q2 2009/10", "2009-Q2"),
        ("By 31 March 2003", "2003-03-31"),
    ],
)
def test_normalise_date_contract_examples(raw: str, iso: str) -> None:
    assert normalise_date(raw) == iso


@pytest.mark.parametrize("raw", ["Summer 2008", "Autumn 2010", "", None, "ongoing", "31/02/2004"])
def test_normalise_date_gives_none_without_an_exact_date(raw: str | None) -> None:
    assert normalise_date(raw) is None


def test_is_date_counts_seasons_as_dates_without_value() -> None:
    assert is_date("Winter 2008") and not is_date("Complete")


def test_find_dates_reports_spans_and_values_in_order() -> None:
    text = "Review by 14/10/2008, then Q2 2009/10; Summer 2008 pilot."
    found = [(m.text, m.value) for m in find_dates(text)]
    assert found == [("14/10/2008", "2008-10-14"), ("Q2 2009/10", "2009-Q2"), ("Summer 2008", None)]
    first = next(find_dates(text))
    assert text[first.start : first.end] == "14/10/2008"


_PRINTED = st.builds(
    lambda d, m, y, form: form.format(d=d, m=m, y=y, yy=y % 100, y1=(y + 1) % 100),
    st.integers(1, 28),
    st.sampled_from(["January", "March", "June", "September", "December", "Oct", "Feb"]),
    st.integers(1995, 2030),
    st.sampled_from(
        [
            "{d} {m} {y}",
            "{d}th {m} {y}",
            "{m} {y}",
            "End of {m} {y}",
            "{y}",
            "{y}/{y1:02d}",
            "Q3 {y}/{y1:02d}",
            "{d:02d}/11/{y}",
            "{m}-{yy:02d}",
        ]
    ),
)


@given(_PRINTED)
def test_normalise_date_twice_changes_nothing(raw: str) -> None:
    once = normalise_date(raw)
    assert once is not None
    assert normalise_date(once) == once
