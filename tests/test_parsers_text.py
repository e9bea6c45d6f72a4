"""Plain-text papers written into tmp_path and read by the real text parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.errors import EmptyFileError
from parsers.model import Document
from parsers.registry import parse_file
from parsers.text import parse

FRONT = "\n\nFinance and Resources Committee - 17 January 2011\n\nChange Programme Update\n\n"
FRONT += "Report by the Deputy Commissioner\n\nSummary\n\nThis report updates members.\n\n"
SAVINGS_GROUPS = "\t<b>Budget</b>\t\t\t<b>Police Officers</b>\t\t\t<b>PCSOs</b>\t\t"
SAVINGS_PERIODS = "\t" + "\t".join(["2011/12", "2012/13", "2013/14"] * 3)
SAVINGS_UNITS = "\t" + "\t".join(["£m"] * 3 + ["No"] * 6)


def write_paper(tmp_path: Path, body: str, encoding: str = "utf-8") -> Document:
    path = tmp_path / "paper.txt"
    path.write_bytes((FRONT + body).encode(encoding))
    return parse(path, "0" * 64)


def test_parse_paragraphs_headings_lists_and_front_matter(tmp_path: Path) -> None:
    doc = write_paper(
        tmp_path, "B. SUPPORTING INFORMATION\n\n1. It will lead in:\n\n- Strategy\n- Planning\n"
    )
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert ("heading", "B. SUPPORTING INFORMATION") in kinds
    assert kinds[-2:] == [("list_item", "Strategy"), ("list_item", "Planning")]
    assert doc.format == "text" and doc.tables == ()
    assert doc.metadata.committee == "Finance and Resources Committee"
    assert doc.metadata.meeting_date_raw == "17 January 2011"
    assert doc.metadata.title == "Change Programme Update"


def test_parse_table_over_page_break_drops_header_and_joins_continuation(tmp_path: Path) -> None:
    header = "<b>No.</b>\t<b>Recommendation</b>\t<b>Owner</b>\t<b>Response</b>"
    body = (
        "Appendix A\n\n<b>Progress on recommendations</b>\n\n"
        f"{header}\n"
        "1\tThat training is linked to the needs of the\tCareer Unit\t"
        "Training is assessed against\n"
        f"\n{header}\n"
        "\torganisation.\t\tthe relevance to the role.\n"
        "2\tThat data is made more reliable.\tTalent Management\tAgreed.\n"
    )
    doc = write_paper(tmp_path, body)
    (table,) = doc.tables
    assert table.header_strings() == ["No.", "Recommendation", "Owner", "Response"]
    assert table.row_strings() == [
        [
            "1",
            "That training is linked to the needs of the organisation.",
            "Career Unit",
            "Training is assessed against the relevance to the role.",
        ],
        ["2", "That data is made more reliable.", "Talent Management", "Agreed."],
    ]
    assert table.context == "Progress on recommendations"
    assert all(cell.pages == () and cell.bbox is None for row in table.rows for cell in row)


def test_parse_cell_markup_stripped_and_list_items_joined(tmp_path: Path) -> None:
    body = (
        "<b>Recommendation</b>\t<b>Action taken</b>\t<b>Due</b>\n"
        "1) Be an <u>enabler</u>\t<p>We did:</p> <ul> <li>• first thing</li> "
        "<li>• second thing</li> </ul>\tby 31<sup>st</sup> March 2003\n"
    )
    (table,) = write_paper(tmp_path, body).tables
    assert table.row_strings() == [
        ["1) Be an enabler", "We did: first thing; second thing", "by 31st March 2003"]
    ]


def test_parse_list_split_by_page_break_is_one_cell(tmp_path: Path) -> None:
    header = "<b>Recommendation</b>\t<b>Action taken</b>"
    body = (
        f"{header}\n1) Report\t<p>Actions:</p> <ul> <li>• one</li>\n"
        f"\n{header}\n\t<li>• Two</li> </ul>\n2) Review\tDone.\n"
    )
    (table,) = write_paper(tmp_path, body).tables
    assert table.row_strings() == [["1) Report", "Actions: one; Two"], ["2) Review", "Done."]]


def test_parse_multi_row_header_spans_group_columns(tmp_path: Path) -> None:
    body = (
        f"{SAVINGS_GROUPS}\n{SAVINGS_PERIODS}\n{SAVINGS_UNITS}\n"
        "Catering\t-5.2\t-7.3\t-11.1\t-100\t-140\t-140\t\t\t\n"
    )
    (table,) = write_paper(tmp_path, body).tables
    assert len(table.header) == 3
    headers = table.header_strings()
    assert headers[0] == ""
    assert headers[1] == "Budget / 2011/12 / £m"
    assert headers[6] == "Police Officers / 2013/14 / No"
    assert headers[9] == "PCSOs / 2013/14 / No"
    assert table.header[0][4].colspan == 3 and table.header[0][5].covered
    assert table.row_strings()[0][:4] == ["Catering", "-5.2", "-7.3", "-11.1"]


def test_parse_short_group_row_laid_over_period_blocks(tmp_path: Path) -> None:
    body = (
        f"\tPolice Officers\tPCSOs\n{SAVINGS_PERIODS}\n{SAVINGS_UNITS}\n"
        "Catering\t-5.2\t-7.3\t-11.1\t-100\t-140\t-140\t\t\t\n"
    )
    (table,) = write_paper(tmp_path, body).tables
    headers = table.header_strings()
    assert headers[1] == "2011/12 / £m"
    assert headers[4] == "Police Officers / 2011/12 / No"
    assert headers[7] == "PCSOs / 2011/12 / No"


def test_parse_wrapped_savings_labels_are_one_row(tmp_path: Path) -> None:
    figures = "\t-9.5\t-9.5\t-11.5\t\t\t\t\t\t"
    body = (
        f"{SAVINGS_GROUPS}\n{SAVINGS_PERIODS}\n{SAVINGS_UNITS}\n"
        f"Property Services{figures}\nmodernisation and\ncontract\n"
        f"Total Service{figures}\nImprovement\n"
    )
    (table,) = write_paper(tmp_path, body).tables
    assert [row[0] for row in table.row_strings()] == [
        "Property Services modernisation and contract",
        "Total Service Improvement",
    ]


def test_parse_wrapped_label_printed_above_its_figures(tmp_path: Path) -> None:
    figures = "\t-9.5\t-9.5\t-11.5\t\t\t\t\t\t"
    body = (
        f"{SAVINGS_GROUPS}\n{SAVINGS_PERIODS}\n{SAVINGS_UNITS}\n"
        f"Property Services\nmodernisation and\ncontract{figures}\n"
        f"Total Service\nImprovement{figures}\n"
    )
    (table,) = write_paper(tmp_path, body).tables
    assert [row[0] for row in table.row_strings()] == [
        "Property Services modernisation and contract",
        "Total Service Improvement",
    ]


def test_parse_vertically_merged_rows_survive_page_break(tmp_path: Path) -> None:
    header = "<b>Business Group</b>\t<b>Programme</b>"
    body = (
        f"{header}\nDoI\tThin Client\n\tShared IT platforms and shared IT services for all\n"
        f"\n{header}\n\tCorporate Print Management\nHR\tCatering\n"
    )
    (table,) = write_paper(tmp_path, body).tables
    assert [row[1] for row in table.row_strings()] == [
        "Thin Client",
        "Shared IT platforms and shared IT services for all",
        "Corporate Print Management",
        "Catering",
    ]


def test_parse_headerless_blocks_are_separate_tables(tmp_path: Path) -> None:
    block = (
        "Recommendation {n}: Do the thing\n"
        "Additional costs: none\tEstimated savings: none\n"
        "Key actions to implement:\tLead\tDeadline\n"
        "{n}. Start\tHR\tMarch 2003\n"
    )
    doc = write_paper(tmp_path, block.format(n=1) + "\n" + block.format(n=2))
    assert len(doc.tables) == 2
    first = doc.tables[0]
    assert first.header == ()
    assert first.row_strings()[0] == ["Recommendation 1: Do the thing", "", ""]
    assert first.rows[0][0].colspan == 3  # printed as one line across the table
    assert first.rows[1][1].colspan == 2


def test_parse_windows_1252_falls_back_with_warning(tmp_path: Path) -> None:
    doc = write_paper(tmp_path, "Savings of £600m – by 2014/15.\n", encoding="cp1252")
    assert doc.blocks[-1].text == "Savings of £600m – by 2014/15."
    assert any("windows-1252" in w for w in doc.warnings)


def test_parse_blank_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\n  \n")
    with pytest.raises(EmptyFileError):
        parse(path, "0" * 64)


def test_parse_text_renamed_docx_through_registry(tmp_path: Path) -> None:
    path = tmp_path / "paper.docx"
    path.write_text(FRONT + "<b>Ref</b>\t<b>Action</b>\n1\tDo it\n", encoding="utf-8")
    doc = parse_file(path)
    assert doc.format == "text"
    assert doc.tables[0].row_strings() == [["1", "Do it"]]
    assert any("extension .docx" in w for w in doc.warnings)


def test_parse_tab_after_paragraph_number_is_not_a_table(tmp_path: Path) -> None:
    doc = write_paper(tmp_path, "1.\tMembers note the report.\n\n2.\tMembers agree.\n")
    assert doc.tables == ()
    assert [b.text for b in doc.blocks[-2:]] == ["1. Members note the report.", "2. Members agree."]


def test_parse_caption_and_note_touching_table_stay_text(tmp_path: Path) -> None:
    body = (
        f"Savings profile\n{SAVINGS_PERIODS}\n{SAVINGS_UNITS}\n"
        "Catering\t-5.2\t-7.3\t-11.1\t-100\t-140\t-140\t\t\t\n"
        "Figures are shown against the 2010/11 budget for every year.\n"
    )
    doc = write_paper(tmp_path, body)
    (table,) = doc.tables
    assert table.context == "Savings profile"
    assert [row[0] for row in table.row_strings()] == ["Catering"]
    assert doc.blocks[-1].text == "Figures are shown against the 2010/11 budget for every year."
