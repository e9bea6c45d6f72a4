"""Dated progress updates and printed references (normalise.updates)."""

from __future__ import annotations

from normalise.updates import clean_ref, split_block_start, split_dated_updates, split_ref_prefix


def test_split_dated_updates_labels_dates_and_texts() -> None:
    text = "April 2008 Update: Agreed in principle. October 2008 Update: Complete"
    response, updates = split_dated_updates(text)
    assert response is None
    assert updates == [
        {"date": "2008-04", "label": "April 2008 Update", "text": "Agreed in principle."},
        {"date": "2008-10", "label": "October 2008 Update", "text": "Complete"},
    ]


def test_split_dated_updates_keeps_preamble_as_response() -> None:
    response, updates = split_dated_updates("Accepted. Update 14/10/2008: Board agreed.")
    assert response == "Accepted."
    assert updates == [
        {"date": "2008-10-14", "label": "Update 14/10/2008", "text": "Board agreed."}
    ]


def test_split_dated_updates_leaves_undated_text_alone() -> None:
    assert split_dated_updates("See response to Recommendation 15.") == (
        "See response to Recommendation 15.",
        [],
    )
    assert split_dated_updates("") == (None, [])


def test_split_ref_prefix_single_and_multiple_refs() -> None:
    assert split_ref_prefix("1) Integrate principles") == ("1", "Integrate principles")
    assert split_ref_prefix("15, 16 and 17. That the MPA") == ("15, 16 and 17", "That the MPA")
    assert split_ref_prefix("2008 was a good year") == (None, "2008 was a good year")


def test_split_block_start_recommendation_heading() -> None:
    assert split_block_start("Recommendation 3: To redefine boards") == ("3", "To redefine boards")
    assert split_block_start("Objective(s): To ascertain") is None


def test_clean_ref_strips_trailing_punctuation() -> None:
    assert clean_ref("4.") == "4" and clean_ref(" 12) ") == "12" and clean_ref("") is None
