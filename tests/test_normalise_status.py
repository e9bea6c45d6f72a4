"""Printed statuses and RAG ratings -> the contract taxonomies (normalise.status)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalise.status import STATUSES, normalise_rating, normalise_status, rating_from_fill


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("Complete", "complete"),
        ("Completed", "complete"),
        ("Achieved", "complete"),
        ("Closed", "complete"),
        ("Actions complete – continuous improvement ongoing.", "complete"),
        ("Ongoing", "ongoing"),
        ("In progress", "ongoing"),
        ("On track", "ongoing"),
        ("Partially complete", "ongoing"),
        ("Not started", "not_started"),
        ("Not yet started", "not_started"),
        ("Superseded", "superseded"),
        ("Blue", "complete"),
        ("Dark Amber", "ongoing"),
        ("Closed – not implemented", "superseded"),
        ("In progress – minor delays", "ongoing"),
    ],
)
def test_normalise_status_maps_printed_words(raw: str, status: str) -> None:
    assert normalise_status(raw) == status


@pytest.mark.parametrize("raw", ["", None, "See paragraph 4", "To be confirmed"])
def test_normalise_status_none_outside_taxonomy(raw: str | None) -> None:
    assert normalise_status(raw) is None


def test_normalise_status_ignores_sentences() -> None:
    sentence = "The team has completed the first phase and will report back to the board soon"
    assert normalise_status(sentence) is None


@given(
    st.sampled_from(
        [
            "Complete",
            "on track",
            "NOT STARTED",
            "Superseded",
            "Achieved",
            "Partially complete",
            "Closed – not implemented",
            "Ongoing",
        ]
    )
)
def test_normalise_status_twice_changes_nothing(raw: str) -> None:
    once = normalise_status(raw)
    assert once in STATUSES and normalise_status(once) == once


@pytest.mark.parametrize(
    ("raw", "rating"),
    [
        ("G", "green"),
        ("GREEN", "green"),
        ("Amber", "amber"),
        ("R", "red"),
        ("a", "amber"),
        ("Red.", "red"),
        ("Green (on track)", "green"),
    ],
)
def test_normalise_rating_letters_and_words(raw: str, rating: str) -> None:
    assert normalise_rating(raw) == rating


def test_normalise_rating_none_for_other_words() -> None:
    assert normalise_rating("Overall programme status") is None


def test_rating_from_fill_reads_the_usual_rag_shades() -> None:
    shades = {"#00b050": "green", "#92d050": "green", "#ffc000": "amber", "#ffff00": "amber",
              "#ff0000": "red", "#c00000": "red"}  # fmt: skip
    assert {fill: rating_from_fill(fill) for fill in shades} == shades
    for not_a_rating in ("#d9d9d9", "#ffffff", "#0070c0", "#000000", None, "bad"):
        assert rating_from_fill(not_a_rating) is None
