"""Front matter of committee papers, from block lists built by hand."""

from __future__ import annotations

from parsers.frontmatter import metadata_from_blocks
from parsers.model import Block


def para(text: str) -> Block:
    return Block("paragraph", text)


def test_metadata_from_blocks_committee_and_date_on_one_line() -> None:
    md = metadata_from_blocks(
        [
            para("Finance and Resources Committee - 17 January 2011"),
            para("MPS Change Programme Update"),
            para("Report by the Deputy Commissioner"),
            Block("heading", "Summary", level=2),
            para("This report updates members on the progress of the portfolio."),
        ]
    )
    assert md.committee == "Finance and Resources Committee"
    assert md.meeting_date_raw == "17 January 2011"
    assert md.meeting_date is None  # ISO conversion belongs to normalise
    assert md.title == "MPS Change Programme Update"


def test_metadata_from_blocks_three_lines_after_agenda_item_and_marking() -> None:
    md = metadata_from_blocks(
        [
            para("NOT PROTECTIVELY MARKED"),
            para("Agenda item 10"),
            para("Equal Opportunities and Diversity Board"),
            para("23 November 2009"),
            para("Scrutiny into Talent Management: implementation of recommendations"),
            para("Report by the Deputy Commissioner"),
        ]
    )
    assert md.committee == "Equal Opportunities and Diversity Board"
    assert md.meeting_date_raw == "23 November 2009"
    assert md.title == "Scrutiny into Talent Management: implementation of recommendations"


def test_metadata_from_blocks_web_page_labels_after_h1() -> None:
    for labels in (
        "Report: 5\nDate: 9 January 2004\nMeeting: Corporate Governance Committee",
        "Report: 5 Date: 9 January 2004 Meeting: Corporate Governance Committee",
    ):
        md = metadata_from_blocks(
            [
                Block("heading", "Best Value Performance Plan: audit recommendations", level=1),
                para(labels),
                para("Report by the Director of Resources"),
            ]
        )
        assert md.title == "Best Value Performance Plan: audit recommendations"
        assert md.committee == "Corporate Governance Committee"
        assert md.meeting_date_raw == "9 January 2004"


def test_metadata_from_blocks_title_wrapped_over_two_lines_joined() -> None:
    md = metadata_from_blocks(
        [
            para("Planning, Performance and Review Committee\n10 February 2004"),
            para("Response to the District Auditor's report on the Best Value"),
            para("Performance Plan"),
            para("Report by the Deputy Commissioner"),
        ]
    )
    assert md.committee == "Planning, Performance and Review Committee"
    assert (
        md.title == "Response to the District Auditor's report on the Best Value Performance Plan"
    )


def test_metadata_from_blocks_never_titles_report_by_or_summary() -> None:
    md = metadata_from_blocks(
        [
            para("Human Resources Committee - 28 October 2008"),
            para("Report by the Chief Executive and Clerk"),
            Block("heading", "Summary", level=2),
            Block("heading", "A. RECOMMENDATIONS - That", level=2),
        ]
    )
    assert md.committee == "Human Resources Committee"
    assert md.title is None


def test_metadata_from_blocks_committee_beats_authority_letterhead() -> None:
    md = metadata_from_blocks(
        [
            para("Metropolitan Police Authority"),
            para("Resources and Productivity Sub Committee"),
            para("Friday 12th February 2010"),
            Block("heading", "Corporate improvement report", level=1),
        ]
    )
    assert md.committee == "Resources and Productivity Sub Committee"
    assert md.meeting_date_raw == "Friday 12th February 2010"
    assert md.title == "Corporate improvement report"


def test_metadata_from_blocks_sentence_mentioning_a_board_is_not_a_committee() -> None:
    md = metadata_from_blocks(
        [
            para("Governance Board continue to act as the oversight board for all programmes."),
        ]
    )
    assert md.committee is None


def test_metadata_from_blocks_empty_gives_empty_metadata() -> None:
    md = metadata_from_blocks([])
    assert (md.title, md.committee, md.meeting_date_raw) == (None, None, None)


def test_metadata_from_blocks_from_to_subject_labels() -> None:
    md = metadata_from_blocks(
        [
            para("From: Roger Smith, Leader of the Council"),
            para("To: Cabinet – 4 March 2025"),
            para("Decision No: n/a"),
            para("Subject: Quarterly Performance Report, Quarter 3"),
            para("Classification: Unrestricted"),
        ]
    )
    assert md.committee == "Cabinet"
    assert md.meeting_date_raw == "4 March 2025"
    assert md.title == "Quarterly Performance Report, Quarter 3"


def test_metadata_from_blocks_title_printed_above_addressee_line() -> None:
    md = metadata_from_blocks(
        [
            para("Finance Monitoring Report"),
            para("By Deputy Leader and Cabinet Member for Finance"),
            para("To Cabinet – 30 January 2025"),
            para("Unrestricted"),
            para("Contact Details"),
        ]
    )
    assert md.committee == "Cabinet"
    assert md.meeting_date_raw == "30 January 2025"
    assert md.title == "Finance Monitoring Report"


def table_block() -> Block:
    return Block("table", "", table_index=0)


def test_metadata_paper_number_is_not_the_title_and_the_date_may_sit_in_it() -> None:
    md = metadata_from_blocks(
        [
            para("TB(4)1.i"),
            para("Transparency Board"),
            para("Action Log as of 2 March 2011"),
            Block("heading", "Open actions", level=2),
            table_block(),
        ]
    )
    assert (md.committee, md.title) == ("Transparency Board", "Action Log as of 2 March 2011")
    assert md.meeting_date_raw == "2 March 2011"


def test_metadata_dating_lines_and_labels_are_not_the_title() -> None:
    dated = metadata_from_blocks(
        [para("Cabinet"), para("Commitments tracker"), para("Meeting of 20 November 2012")]
    )
    assert (dated.committee, dated.title, dated.meeting_date_raw) == (
        "Cabinet",
        "Commitments tracker",
        "20 November 2012",
    )
    labelled = metadata_from_blocks(
        [para("DRAFT VERSION"), para("Report date: 14 June 2011"), para("Compliance matrix")]
    )
    assert (labelled.title, labelled.meeting_date_raw) == ("Compliance matrix", "14 June 2011")


def test_metadata_title_set_over_several_heading_lines_is_joined() -> None:
    md = metadata_from_blocks(
        [
            Block("heading", "Quarterly Performance Report", level=1),
            Block("heading", "Quarter 3", level=1),
            Block("heading", "2024/25", level=1),
            para("Produced by: the performance team"),
            Block("heading", "Key to ratings", level=1),
            table_block(),
        ]
    )
    assert md.title == "Quarterly Performance Report Quarter 3 2024/25"


def test_metadata_govuk_label_is_not_the_title_and_an_unfinished_line_carries_on() -> None:
    md = metadata_from_blocks(
        [
            para("Department of Health & Social Care"),
            Block("heading", "Independent report", level=1),
            Block("heading", "Rapid review into data on", level=1),
            Block("heading", "mental health inpatient settings: final report and", level=1),
            Block("heading", "recommendations", level=1),
            para("Updated 21 March 2024"),
        ]
    )
    assert md.title == (
        "Rapid review into data on mental health inpatient settings: final report and "
        "recommendations"
    )
    assert md.meeting_date_raw == "21 March 2024"
