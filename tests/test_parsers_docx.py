"""parsers.docx on small Word files written with python-docx into tmp_path."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table as DocxTable

import parsers.docx as docx_parser
from parsers.errors import DamagedFileError, ResourceLimitError
from parsers.model import Document
from parsers.registry import parse_file

SHA = "0" * 64


def save(document: docx.document.Document, tmp_path: Path, name: str = "paper.docx") -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


def parse(path: Path) -> Document:
    return docx_parser.parse(path, SHA)


def fill(table: DocxTable, rows: list[list[str]], bold_first: bool = False) -> None:
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            run = table.cell(r, c).paragraphs[0].add_run(value)
            run.bold = bold_first and r == 0


def mark_header(table: DocxTable, row: int) -> None:
    tr_pr = table.rows[row]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def test_parse_merges_both_ways_without_duplicated_text(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=4, cols=3)
    fill(
        t,
        [["Ref", "Action", "Owner"], ["1", "Draft", ""], ["2", "Consult", ""], ["3", "", ""]],
        bold_first=True,
    )
    owner = t.cell(1, 2).merge(t.cell(2, 2))  # vertical: one owner for two rows
    owner.paragraphs[0].add_run("Head of HR")
    wide = t.cell(3, 1).merge(t.cell(3, 2))  # horizontal
    wide.paragraphs[0].add_run("Publish")
    table = parse(save(d, tmp_path)).tables[0]
    assert table.header_strings() == ["Ref", "Action", "Owner"]
    assert table.row_strings() == [
        ["1", "Draft", "Head of HR"],
        ["2", "Consult", ""],
        ["3", "Publish", ""],
    ]
    assert table.merges() == [[0, 2, 2, 1], [2, 1, 1, 2]]
    assert table.rows[1][2].covered and table.rows[2][2].covered


def test_parse_tblheader_rows_make_a_multi_row_header(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=4, cols=3)
    fill(
        t,
        [
            ["", "Police Officers", ""],
            ["", "2011/12", "2012/13"],
            ["", "No", "No"],
            ["Catering", "-100", "-140"],
        ],
    )
    t.cell(0, 1).merge(t.cell(0, 2))
    t.cell(0, 0).merge(t.cell(2, 0))
    for row in range(3):
        mark_header(t, row)
    table = parse(save(d, tmp_path)).tables[0]
    assert len(table.header) == 3
    assert table.header_strings() == [
        "",
        "Police Officers / 2011/12 / No",
        "Police Officers / 2012/13 / No",
    ]
    assert table.row_strings() == [["Catering", "-100", "-140"]]


def test_parse_header_needs_bold_first_row_and_not_a_spanning_title(tmp_path: Path) -> None:
    d = docx.Document()
    plain = d.add_table(rows=2, cols=2)
    fill(plain, [["Ref", "Action"], ["1", "Draft"]])
    block = d.add_table(rows=3, cols=2)
    fill(
        block,
        [["Recommendation 1: Train managers", ""], ["Key actions", "Lead"], ["1. Plan", "HR"]],
        bold_first=True,
    )
    block.cell(0, 0).merge(block.cell(0, 1))
    tables = parse(save(d, tmp_path)).tables
    assert tables[0].header == () and tables[0].row_strings()[0] == ["Ref", "Action"]
    assert tables[1].header == ()
    assert tables[1].row_strings()[0] == ["Recommendation 1: Train managers", ""]


def test_parse_table_style_header_row_counts_as_bold(tmp_path: Path) -> None:
    d = docx.Document()
    styled = d.add_table(rows=2, cols=2, style="Light List Accent 1")
    fill(styled, [["Criteria", "RAG"], ["Overall", "G"]])
    grid = d.add_table(rows=2, cols=2, style="Table Grid")
    fill(grid, [["Criteria", "RAG"], ["Overall", "G"]])
    tables = parse(save(d, tmp_path)).tables
    assert tables[0].header_strings() == ["Criteria", "RAG"]
    assert tables[1].header == ()


def test_parse_cell_bullets_join_with_semicolons(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    fill(t, [["Ref", "Progress"], ["1", "Benefits:"]], bold_first=True)
    cell = t.cell(1, 1)
    cell.add_paragraph("Better links", style="List Bullet")
    cell.add_paragraph("Lower cost", style="List Bullet")
    cell.add_paragraph("Reviewed in May.")
    glyphs = t.cell(1, 0)
    glyphs.add_paragraph("\u2022 first")
    glyphs.add_paragraph("\uf0b7 second")
    row = parse(save(d, tmp_path)).tables[0].row_strings()[0]
    assert row[1] == "Benefits: Better links; Lower cost Reviewed in May."
    assert row[0] == "1 first; second"


def test_parse_blocks_in_order_with_table_context(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Audit Committee - 3 March 2009")
    d.add_heading("Training improvement plan", level=1)
    d.add_heading("Lean programme", level=3)
    t = d.add_table(rows=2, cols=2)
    fill(t, [["Criteria", "RAG"], ["Overall", "G"]], bold_first=True)
    d.add_paragraph("After the table.")
    doc = parse(save(d, tmp_path))
    kinds = [(b.kind, b.text, b.level) for b in doc.blocks]
    assert kinds == [
        ("paragraph", "Audit Committee - 3 March 2009", None),
        ("heading", "Training improvement plan", 1),
        ("heading", "Lean programme", 3),
        ("table", "", None),
        ("paragraph", "After the table.", None),
    ]
    assert doc.blocks[3].table_index == 0
    assert doc.tables[0].context == "Lean programme"
    assert doc.metadata.title == "Training improvement plan"
    assert doc.metadata.committee == "Audit Committee"
    assert doc.page_count is None and doc.format == "docx"


def wrap_in_sdt(element: object) -> None:
    """Move ``element`` into a new block content control at its place."""
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    element.addprevious(sdt)  # type: ignore[attr-defined]
    content.append(element)


def test_parse_reads_text_inside_content_controls(tmp_path: Path) -> None:
    d = docx.Document()
    wrap_in_sdt(d.add_paragraph("Controlled paragraph")._p)
    t = d.add_table(rows=2, cols=2)
    fill(t, [["Ref", "Status"], ["1", ""]], bold_first=True)
    para = t.cell(1, 1).paragraphs[0]
    para.add_run("Complete")
    wrap_in_sdt(para._p)
    doc = parse(save(d, tmp_path))
    assert doc.blocks[0].text == "Controlled paragraph"
    assert doc.tables[0].row_strings() == [["1", "Complete"]]


def test_parse_nested_table_is_its_own_table_after_the_parent(tmp_path: Path) -> None:
    d = docx.Document()
    outer = d.add_table(rows=2, cols=2)
    fill(outer, [["Ref", "Detail"], ["1", "See breakdown:"]], bold_first=True)
    inner = outer.cell(1, 1).add_table(rows=2, cols=2)
    fill(inner, [["Year", "£m"], ["2011/12", "-8.2"]], bold_first=True)
    doc = parse(save(d, tmp_path))
    assert [t.row_strings() for t in doc.tables] == [
        [["1", "See breakdown:"]],
        [["2011/12", "-8.2"]],
    ]
    assert [b.table_index for b in doc.blocks if b.kind == "table"] == [0, 1]


def test_parse_joins_superscript_ordinals(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("Due 31")
    p.add_run("st").font.superscript = True
    p.add_run(" March 2003")
    assert parse(save(d, tmp_path)).blocks[0].text == "Due 31st March 2003"


def test_parse_numbered_list_prints_its_numbers(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Agree the plan", style="List Number")
    d.add_paragraph("Publish it", style="List Number")
    blocks = parse(save(d, tmp_path)).blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("list_item", "1. Agree the plan"),
        ("list_item", "2. Publish it"),
    ]


def rewrite_part(path: Path, part: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as z:
        items = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, blob in items:
            z.writestr(copy.copy(info), data if info.filename == part else blob)


def test_parse_rejects_damaged_packages(tmp_path: Path) -> None:
    text = tmp_path / "renamed.docx"
    text.write_text("Audit Committee\nThis is plain text.\n")
    with pytest.raises(DamagedFileError, match="renamed.docx.*not a valid DOCX"):
        parse(text)
    broken = save(docx.Document(), tmp_path, "broken.docx")
    rewrite_part(broken, "word/document.xml", b"<w:document><w:body><w:p>")
    with pytest.raises(DamagedFileError, match="broken.docx"):
        parse(broken)
    nomain = tmp_path / "nomain.docx"
    with zipfile.ZipFile(nomain, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(DamagedFileError, match="no word/document.xml"):
        parse(nomain)


def test_parse_refuses_oversized_main_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = docx.Document()
    d.add_paragraph("x " * 5000)
    path = save(d, tmp_path)
    monkeypatch.setattr(docx_parser, "MAX_MAIN_PART_BYTES", 4096)
    with pytest.raises(ResourceLimitError, match="zip bomb"):
        parse(path)


def test_parse_never_resolves_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    path = save(docx.Document(), tmp_path)
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        f'<w:document xmlns:w="{ns}"><w:body><w:p><w:r><w:t>before &xxe; after</w:t></w:r>'
        "</w:p></w:body></w:document>"
    )
    rewrite_part(path, "word/document.xml", xml.encode())
    try:
        doc = parse(path)
    except DamagedFileError:
        return
    assert all("TOP-SECRET" not in b.text for b in doc.blocks)


def test_parse_keeps_the_text_after_an_unresolved_entity(tmp_path: Path) -> None:
    path = save(docx.Document(), tmp_path)
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
        f'<w:document xmlns:w="{ns}"><w:body><w:p><w:r><w:t>Recommendation &xxe; end</w:t>'
        "</w:r></w:p></w:body></w:document>"
    )
    rewrite_part(path, "word/document.xml", xml.encode())
    assert [b.text for b in parse(path).blocks] == ["Recommendation end"]


def test_parse_ignores_fuzzed_numeric_attributes(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_heading("Recommendations", level=1)
    d.add_paragraph("Agree the plan", style="List Number")
    d.add_paragraph("Publish it", style="List Number")
    path = save(d, tmp_path)
    for part in ("word/document.xml", "word/styles.xml", "word/numbering.xml"):
        with zipfile.ZipFile(path) as z:
            data = z.read(part)
        rewrite_part(path, part, data.replace(b'w:val="', b'w:val="x1'))
    # the style ids no longer match either: every paragraph is plain, none is lost
    assert [b.text for b in parse(path).blocks] == [
        "Recommendations",
        "Agree the plan",
        "Publish it",
    ]


def test_parse_names_a_zip_directory_pointing_outside_the_file(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Audit Committee")
    raw = bytearray(save(d, tmp_path).read_bytes())
    end = raw.rindex(b"PK\x05\x06")  # end of central directory: its offset field, shifted
    offset = int.from_bytes(raw[end + 16 : end + 20], "little")
    raw[end + 16 : end + 20] = (offset + 100_000).to_bytes(4, "little")
    (tmp_path / "shifted.docx").write_bytes(bytes(raw))
    with pytest.raises(DamagedFileError, match="shifted.docx: damaged DOCX package"):
        parse(tmp_path / "shifted.docx")


def test_parse_file_names_a_truncated_docx(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Audit Committee")
    raw = save(d, tmp_path).read_bytes()
    (tmp_path / "cut.docx").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DamagedFileError, match="cut.docx: damaged or truncated ZIP package"):
        parse_file(tmp_path / "cut.docx")
