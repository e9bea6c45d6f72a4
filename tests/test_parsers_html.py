"""parsers.html on small pages written into tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parsers.html as html_parser
from parsers.html_text import decode_html
from parsers.model import Document

SHA = "0" * 64

FURNITURE_TOP = (
    '<!DOCTYPE html><html><head><meta charset="utf-8">'
    "<title>Site: Committees: Wrong Committee: 1 January 1999</title>"
    '<script>var x = "<p>no</p>";</script></head><body>'
    '<div id="header"><a href="/">Logo</a>'
    '<p class="skip"><a href="#content">Skip to content</a></p></div>'
    '<div id="nav"><ul><li><a href="/">Home</a></li>'
    '<li><a href="/c/">Committees</a></li></ul></div>'
    '<div id="breadcrumb"><a href="/">Home</a> &gt; Wrong Committee &gt; 1 January 1999</div>'
    '<div id="content">'
)
FURNITURE_END = (
    '</div><div id="footer"><p>&copy; The Authority</p>'
    "<p>Page last updated: 2 March 2011</p></div></body></html>"
)


def page(tmp_path: Path, content: str, name: str = "page.html") -> Document:
    path = tmp_path / name
    path.write_text(FURNITURE_TOP + content + FURNITURE_END, encoding="utf-8")
    return html_parser.parse(path, SHA)


def write_bytes(tmp_path: Path, data: bytes, name: str = "page.html") -> Document:
    path = tmp_path / name
    path.write_bytes(data)
    return html_parser.parse(path, SHA)


def test_parse_reads_main_content_only(tmp_path: Path) -> None:
    doc = page(
        tmp_path,
        "<p><strong>Finance and Resources Committee - 14 February 2011</strong></p>"
        "<h1>Service Improvement Programme update</h1><p>Report by the Director</p>"
        "<h2>Summary</h2><ul><li>First point</li><li>Second point</li></ul>"
        "<p>Page last updated: 1 March 2011</p>",
    )
    texts = [b.text for b in doc.blocks]
    assert texts == [
        "Finance and Resources Committee - 14 February 2011",
        "Service Improvement Programme update",
        "Report by the Director",
        "Summary",
        "First point",
        "Second point",
    ]
    assert [b.kind for b in doc.blocks][3:] == ["heading", "list_item", "list_item"]
    assert doc.metadata.title == "Service Improvement Programme update"
    assert doc.metadata.committee == "Finance and Resources Committee"
    assert doc.metadata.meeting_date_raw == "14 February 2011"
    assert doc.format == "html" and doc.page_count is None


def test_parse_without_content_div_skips_site_furniture(tmp_path: Path) -> None:
    html = (
        '<html><body><div id="header"><p>The Authority website</p></div>'
        '<div class="main-nav"><p>Home | Committees</p></div>'
        '<table role="presentation"><tr><td><h1>Change Programme Update</h1>'
        "<p>Audit Panel - 3 May 2010</p></td></tr></table>"
        '<div class="footer">Page last updated: 4 May 2010</div></body></html>'
    )
    doc = write_bytes(tmp_path, html.encode())
    assert [b.text for b in doc.blocks] == ["Change Programme Update", "Audit Panel - 3 May 2010"]
    assert doc.tables == ()
    assert doc.metadata.committee == "Audit Panel"


def test_parse_report_date_meeting_lines(tmp_path: Path) -> None:
    doc = page(
        tmp_path,
        "<h1>Best Value Performance Plan</h1><p>Report: 5<br>Date: 9 January 2004<br>"
        "Meeting: Corporate Governance Committee</p><p>Report by the Director</p>",
    )
    assert doc.metadata.title == "Best Value Performance Plan"
    assert doc.metadata.committee == "Corporate Governance Committee"
    assert doc.metadata.meeting_date_raw == "9 January 2004"


def test_parse_th_header_and_table_context(tmp_path: Path) -> None:
    doc = page(
        tmp_path,
        "<h3>SCD Realignment Programme</h3><table><tr><th>Criteria</th><th>RAG</th></tr>"
        "<tr><td>Overall&nbsp;status</td><td>A</td></tr></table>",
    )
    table = doc.tables[0]
    assert table.header_strings() == ["Criteria", "RAG"]
    assert table.row_strings() == [["Overall status", "A"]]
    assert table.context == "SCD Realignment Programme"
    assert doc.blocks[-1].kind == "table" and doc.blocks[-1].table_index == 0


def test_parse_bold_first_row_is_the_header(tmp_path: Path) -> None:
    doc = page(
        tmp_path,
        "<table><tr><td><strong>Ref</strong></td><td><b>Recommendation</b></td></tr>"
        "<tr><td>1</td><td>Train <b>all</b> managers</td></tr></table>"
        "<table><tr><td>Ref</td><td><b>Recommendation</b></td></tr><tr><td>1</td><td>x</td></tr></table>",
    )
    assert doc.tables[0].header_strings() == ["Ref", "Recommendation"]
    assert doc.tables[0].row_strings() == [["1", "Train all managers"]]
    assert doc.tables[1].header == ()


def test_parse_multi_row_header_with_spans(tmp_path: Path) -> None:
    doc = page(
        tmp_path,
        '<table><thead><tr><th rowspan="3">&nbsp;</th><th colspan="2">Budget</th>'
        '<th colspan="2">Police Officers</th></tr>'
        "<tr><th>2011/12</th><th>2012/13</th><th>2011/12</th><th>2012/13</th></tr>"
        "<tr><th>&pound;m</th><th>&pound;m</th><th>No</th><th>No</th></tr></thead>"
        "<tbody><tr><td>Catering</td><td>-5.2</td><td>-7.3</td><td>&nbsp;</td><td>-100</td></tr></tbody></table>",
    )
    table = doc.tables[0]
    assert len(table.header) == 3
    assert table.header_strings() == [
        "",
        "Budget / 2011/12 / £m",
        "Budget / 2012/13 / £m",
        "Police Officers / 2011/12 / No",
        "Police Officers / 2012/13 / No",
    ]
    assert table.row_strings() == [["Catering", "-5.2", "-7.3", "", "-100"]]


def test_parse_body_rowspan_and_colspan_map_to_the_grid(tmp_path: Path) -> None:
    doc = page(
        tmp_path,
        "<table><tr><th>Group</th><th>Project</th><th>Lead</th></tr>"
        '<tr><td rowspan="2">DoI</td><td>Thin client</td><td>CIO</td></tr>'
        '<tr><td colspan="2">Shared platforms</td></tr>'
        "<tr><td>SCD</td><td>Forensics</td><td>DAC</td></tr></table>",
    )
    table = doc.tables[0]
    assert table.row_strings() == [
        ["DoI", "Thin client", "CIO"],
        ["", "Shared platforms", ""],
        ["SCD", "Forensics", "DAC"],
    ]
    assert table.merges() == [[0, 0, 2, 1], [1, 1, 1, 2]]
    assert table.rows[1][0].covered and table.rows[1][2].covered


def test_parse_cell_paragraphs_lists_and_breaks(tmp_path: Path) -> None:
    doc = page(
        tmp_path,
        "<table><tr><th>Ref</th><th>Response</th></tr><tr><td>1<br>(a)</td>"
        "<td><p><u>April 2008 update:</u> Agreed.</p><ul><li>Plan</li><li>Budget</li></ul>"
        "<p>Due 31<sup>st</sup> March&nbsp;2009</p>&bull; one<br>&bull; two</td></tr></table>",
    )
    assert doc.tables[0].row_strings() == [
        ["1 (a)", "April 2008 update: Agreed. Plan; Budget Due 31st March 2009 one; two"]
    ]


def test_parse_nested_table_follows_its_parent(tmp_path: Path) -> None:
    doc = page(
        tmp_path,
        "<table><tr><th>Ref</th><th>Detail</th></tr><tr><td>1</td><td>Breakdown:"
        "<table><tr><th>Year</th><th>£m</th></tr><tr><td>2011/12</td><td>-8.2</td></tr></table>"
        "</td></tr></table>",
    )
    assert [t.row_strings() for t in doc.tables] == [[["1", "Breakdown:"]], [["2011/12", "-8.2"]]]


CP1252_TABLE = "<h1>Savings</h1><p>Total £600m – agreed</p>"  # £ = 0xA3, – = 0x96


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="iso-8859-1">',
        '<meta http-equiv="Content-Type" content="text/html; charset=us-ascii">',
        "",
    ],
)
def test_parse_cp1252_bytes_decode_as_windows_1252(tmp_path: Path, declaration: str) -> None:
    data = f"<html><head>{declaration}</head><body>{CP1252_TABLE}</body></html>".encode("cp1252")
    doc = write_bytes(tmp_path, data)
    assert doc.blocks[1].text == "Total £600m – agreed"


def test_decode_html_prefers_utf8_then_declared_charsets() -> None:
    assert decode_html("£ – x".encode()) == ("£ – x", "utf-8")
    assert decode_html(b"\xef\xbb\xbf\xc2\xa3") == ("£", "utf-8")
    koi8 = '<meta charset="koi8-r">Привет'.encode("koi8_r")
    assert decode_html(koi8)[0].endswith("Привет")
    assert decode_html(b'<meta charset="utf-8">\xa3 \x96')[0].endswith("£ –")


def test_parse_warns_when_declared_utf8_is_not(tmp_path: Path) -> None:
    doc = write_bytes(tmp_path, b'<meta charset="utf-8"><body><p>\xa3600m</p></body>')
    assert doc.blocks[0].text == "£600m"
    assert doc.warnings == ("page.html: declared UTF-8 but is not; read as windows-1252",)


SPANS = st.sampled_from(["", "0", "1", "2", "3", "abc", "-1", "99999"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(st.tuples(SPANS, SPANS), min_size=1, max_size=4), min_size=1, max_size=5))
def test_parse_any_spans_give_a_rectangular_grid(
    tmp_path: Path, rows: list[list[tuple[str, str]]]
) -> None:
    body = "".join(
        "<tr>"
        + "".join(f'<td rowspan="{r}" colspan="{c}">x{i}</td>' for i, (r, c) in enumerate(row))
        + "</tr>"
        for row in rows
    )
    table = page(tmp_path, f"<table>{body}</table>").tables[0]
    grid = [*table.header, *table.rows]
    assert len({len(row) for row in grid}) == 1
    assert all(not cell.text for row in grid for cell in row if cell.covered)
    texts = [cell.text for row in grid for cell in row if cell.text]
    assert len(texts) == sum(len(row) for row in rows)


@pytest.mark.parametrize(
    "markup", ["<div>" * 100_000, "<p><b><i><span>" * 25_000, "<table><tr><td>" * 30_000]
)
def test_parse_refuses_runaway_nesting_in_one_pass(tmp_path: Path, markup: str) -> None:
    """100,000 nested or unclosed tags (0.4-0.5 MB): refused by depth, not worked through
    (which took hours: every tag's ancestors and subtree were searched). Run in a
    subprocess so that a regression fails at the guard instead of hanging the suite."""
    import subprocess
    import sys

    path = tmp_path / "runaway.html"
    path.write_text(f"<html><body>{markup}x</body></html>", encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; import parsers.html as h\n"
        "try: h.parse(Path(sys.argv[1]), '0' * 64)\n"
        "except h.ResourceLimitError as e: print(e)\n"
    )
    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-c", script, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=root)
    assert "runaway.html: elements nested" in done.stdout and "(limit 256)" in done.stdout
