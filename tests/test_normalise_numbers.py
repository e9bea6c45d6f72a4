"""Printed numbers and money (normalise.numbers)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalise.numbers import parse_money, parse_number


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("-8.2", -8.2),
        ("-1,009", -1009),
        ("(8.2)", -8.2),
        ("0.0", 0.0),
        ("12", 12),
        ("\u22125", -5),
        ("£33,665", 33665),
        ("+4", 4),
    ],
)
def test_parse_number_signs_separators_brackets(raw: str, value: float) -> None:
    assert parse_number(raw) == value


def test_parse_number_keeps_int_for_counts_and_float_for_decimals() -> None:
    assert isinstance(parse_number("-308"), int) and isinstance(parse_number("-5.0"), float)


@pytest.mark.parametrize("raw", ["", "abc", "1.2.3", "(8.2", "2011/12", None])
def test_parse_number_none_for_non_numbers(raw: str | None) -> None:
    assert parse_number(raw) is None


@pytest.mark.parametrize(
    ("raw", "pounds"),
    [
        ("£450.00", 450.0),
        ("£12.5m", 12_500_000.0),
        ("£33,665", 33_665.0),
        ("a cost of £1.2 million", 1_200_000.0),
    ],
)
def test_parse_money_in_pounds(raw: str, pounds: float) -> None:
    assert parse_money(raw) == pounds


@given(st.integers(-(10**7), 10**7))
def test_parse_number_reads_its_own_printing(value: int) -> None:
    assert parse_number(f"{value:,}") == value
    assert parse_number(str(parse_number(f"{value:,}"))) == value
