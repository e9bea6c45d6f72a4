"""Write the sample committee papers in samples/ (one per problem worth testing).

    .venv/bin/python samples/make_samples.py [OUT_DIR]      # default: this folder

The words live in ``papers.py``; this module only prints them in each format:

* ``arc-20090310-custody-audit-recommendations.docx`` — Word progress tracker: front
  matter, landscape appendix, header row marked repeating (``w:tblHeader``), section rows
  spanning the table, a vertically merged lead-officer cell, "List Bullet" items and typed
  "•" items in cells, dated updates as separate paragraphs and run into one paragraph.
* ``arc-20090915-custody-audit-recommendations.docx`` — the same tracker six months on
  (statuses changed, a deadline slipped, recommendation 7 added), for ``diff``.
* ``tb-20101124-discharge-planning-action-plan.pdf`` — reportlab: ruled action plan over
  two pages with the header repeated and a row split by the page break (``splitInRow``),
  running header and "Page N of M" footer, then a borderless RAG table under a heading.
* ``frc-20120119-change-programme-savings.html`` — old authority web page in
  windows-1252 (£ and – as single bytes): nav, breadcrumbs, ``<div id="content">``,
  footer; a savings table with a three-row header (group / period / unit) using colspan
  and rowspan.
* ``osc-20090908-street-lighting-review.txt`` — text extraction: tab-separated rows,
  leftover ``<b>``/``<u>``/``<sup>``/``<p>``, a page break inside row 4.

Output is byte-for-byte reproducible: reportlab runs with ``invariant=1``, DOCX core
properties carry fixed dates and the zip entries fixed timestamps.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import _Cell
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# No __pycache__ in samples/: `papertrail ingest samples` would try to read it.
sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
import papers  # noqa: E402  (sibling data module; samples/ is not a package)

HERE = Path(__file__).resolve().parent
ZIP_TIME = (2009, 1, 1, 0, 0, 0)

# ------------------------------------------------------------------------------ DOCX


def _freeze_zip(path: Path) -> None:
    """Rewrite a zip with fixed entry timestamps so the bytes do not depend on the clock."""
    with zipfile.ZipFile(path) as z:
        entries = [(info.filename, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def _fill_cell(cell: _Cell, paragraphs: Sequence[str], bold: bool = False) -> None:
    """Write paragraphs into a cell; "* " items become Word list-bullet paragraphs."""
    for i, text in enumerate(paragraphs):
        style = None
        if text.startswith("* "):
            style, text = "List Bullet", text[2:]
        para = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if style:
            para.style = style
        para.add_run(text).bold = bold


def _mark_header_row(row: Any) -> None:
    """Set w:tblHeader so Word repeats the row at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _front_matter(doc: DocxDocument, committee: str, date: str, title: str) -> None:
    doc.sections[0].header.paragraphs[0].text = "Northmoor Police Authority \u2013 RESTRICTED"
    doc.add_paragraph().add_run(committee).bold = True
    doc.add_paragraph(date)
    doc.add_heading(title, level=1)
    doc.add_paragraph("Report by the Treasurer on behalf of the Chief Constable")
    doc.add_heading("Summary", level=2)
    for text in papers.TRACKER_INTRO:
        doc.add_paragraph(text)
    doc.add_heading("A. RECOMMENDATIONS - That", level=2)
    doc.add_paragraph("1. Members note the progress made against each recommendation.")
    doc.add_heading("B. SUPPORTING INFORMATION", level=2)
    doc.add_paragraph("1. Progress against each recommendation is set out in Appendix 1.")
    doc.add_paragraph("Contact details: Report author: Dana Whitlock, Internal Audit")


def _landscape_section(doc: DocxDocument) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))


TRACKER_WIDTHS_CM = (1.5, 6.5, 8.2, 3.5, 3.0, 3.0)


def _tracker_table(doc: DocxDocument, sections: Iterable[tuple[str, Sequence[Any]]]) -> None:
    table = doc.add_table(rows=1, cols=len(papers.TRACKER_HEADER))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, papers.TRACKER_HEADER, strict=True):
        _fill_cell(cell, (text,), bold=True)
    _mark_header_row(table.rows[0])
    for title, rows in sections:
        span = table.add_row().cells
        _fill_cell(span[0].merge(span[-1]), (title,), bold=True)
        for ref, rec, response, lead, timescale, status in rows:
            cells = table.add_row().cells
            _fill_cell(cells[0], (ref,))
            _fill_cell(cells[1], rec)
            _fill_cell(cells[2], response)
            if lead is None:  # the lead officer printed once, merged over this row
                table.cell(len(table.rows) - 2, 3).merge(cells[3])
            else:
                _fill_cell(cells[3], (lead,))
            _fill_cell(cells[4], (timescale,))
            _fill_cell(cells[5], (status,))
    for row in table.rows:
        for cell, width in zip(row.cells, TRACKER_WIDTHS_CM, strict=True):
            cell.width = Cm(width)


def build_tracker_docx(path: Path, date: str, iso: datetime, sections: Sequence[Any]) -> None:
    doc = new_docx()
    props = doc.core_properties
    props.author = props.last_modified_by = "Northmoor Police Authority"
    props.created = props.modified = iso
    props.revision = 1
    title = f"Internal audit of custody arrangements: progress at {date.split(' ', 1)[1]}"
    props.title = title
    _front_matter(doc, "Audit and Risk Committee", date, title)
    _landscape_section(doc)
    doc.add_heading("Appendix 1: Custody audit recommendations \u2013 progress", level=2)
    _tracker_table(doc, sections)
    doc.add_paragraph("Status key: Complete; Ongoing; Not started; Superseded.")
    doc.save(str(path))
    _freeze_zip(path)


def tracker_v2_sections() -> list[tuple[str, list[tuple[Any, ...]]]]:
    """The September 2009 tracker: papers.TRACKER_V1 with TRACKER_V2_CHANGES applied."""
    out: list[tuple[str, list[tuple[Any, ...]]]] = []
    for title, rows in papers.TRACKER_V1:
        new_rows: list[tuple[Any, ...]] = []
        for ref, rec, response, lead, timescale, status in rows:
            assert isinstance(response, tuple)
            change = papers.TRACKER_V2_CHANGES.get(str(ref), {})
            if "append" in change:
                response = (*response, change["append"])
            timescale = change.get("timescale", timescale)
            status = change.get("status", status)
            new_rows.append((ref, rec, response, lead, timescale, status))
        out.append((title, new_rows))
    out[-1][1].append(papers.TRACKER_V2_NEW_ROW)
    return out


# ------------------------------------------------------------------------------ PDF

PDF_RUNNING_HEAD = "Harbourside Hospitals NHS Trust \u2013 Trust Board, 24 November 2010"


class _NumberedCanvas(canvas.Canvas):  # type: ignore[misc]
    """Defers page furniture until the page count is known ("Page N of M")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for state in self._pages:
            self.__dict__.update(state)
            self._furniture(len(self._pages))
            super().showPage()
        super().save()

    def _furniture(self, total: int) -> None:
        width, height = A4
        self.setFont("Helvetica", 8)
        self.drawString(2 * cm, height - 1.2 * cm, PDF_RUNNING_HEAD)
        self.drawRightString(width - 2 * cm, height - 1.2 * cm, "Item 8")
        self.drawCentredString(width / 2, 1.2 * cm, f"Page {self._pageNumber} of {total}")


def _pdf_styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    cell = ParagraphStyle("cell", parent=base["BodyText"], fontSize=8.5, leading=10.5)
    return {
        "body": base["BodyText"],
        "h1": base["Heading1"],
        "h2": base["Heading2"],
        "cell": cell,
        "head": ParagraphStyle("head", parent=cell, fontName="Helvetica-Bold"),
    }


def _action_table(st: dict[str, ParagraphStyle]) -> Table:
    data = [[Paragraph(h, st["head"]) for h in papers.ACTION_HEADER]]
    data += [[Paragraph(escape(v), st["cell"]) for v in row] for row in papers.ACTION_ROWS]
    widths = [w * cm for w in (1.0, 1.1, 5.3, 3.0, 2.2, 4.4)]
    # splitByRow=0 makes reportlab split inside the row that meets the page end; with the
    # default it first splits between rows, then squeezes the header and part of the next row
    # into the gap, printing the header twice on one page.
    table = Table(data, colWidths=widths, repeatRows=1, splitByRow=0, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                # reportlab leaves a row split by the page open at the cut; Word and
                # LibreOffice close it, so rule the cut on both pages.
                ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), 0.5, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9D9D9")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _rag_table(st: dict[str, ParagraphStyle]) -> Table:
    data = [[Paragraph(h, st["head"]) for h in papers.RAG_HEADER]]
    data += [[Paragraph(escape(v), st["cell"]) for v in row] for row in papers.RAG_ROWS]
    table = Table(data, colWidths=[4 * cm, 2 * cm, 11 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))  # no rules at all
    return table


def build_action_pdf(path: Path) -> None:
    st = _pdf_styles()
    story: list[Any] = [
        Paragraph("<b>Trust Board</b>", st["body"]),
        Paragraph("24 November 2010", st["body"]),
        Paragraph("Discharge planning review: progress on the action plan", st["h1"]),
        Paragraph("Report by the Director of Nursing", st["body"]),
        Paragraph("Summary", st["h2"]),
        *(Paragraph(text, st["body"]) for text in papers.ACTION_INTRO),
        Paragraph("Recommendation", st["h2"]),
        Paragraph("The Board is asked to note progress against the action plan.", st["body"]),
        Paragraph("Action plan", st["h2"]),
        _action_table(st),
        Spacer(1, 0.4 * cm),
        Paragraph(papers.RAG_PROGRAMME, st["h2"]),
        _rag_table(st),
        Spacer(1, 0.4 * cm),
        Paragraph("Author: Grace Mensah, Deputy Director of Nursing", st["body"]),
    ]
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, invariant=1, pageCompression=1,
        leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm,
        title="Discharge planning review", author="Harbourside Hospitals NHS Trust",
        creator="papertrail samples", producer="reportlab",
    )  # fmt: skip
    doc.build(story, canvasmaker=_NumberedCanvas)


# ------------------------------------------------------------------------------ HTML

HTML_PAGE = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Midshire Police Authority: Committees: Finance and Resources Committee: \
19 January 2012 (05)</title>
<link rel="stylesheet" type="text/css" href="/css/main.css">
</head>
<body>
<div id="header"><a href="/"><img src="/images/logo.gif" alt="Midshire Police Authority"></a>
<p class="skip"><a href="#content">Skip to content</a></p></div>
<div id="nav"><ul><li><a href="/">Home</a></li><li><a href="/committees/">Committees</a></li>
<li><a href="/publications/">Publications</a></li><li><a href="/contact/">Contact us</a></li>
</ul></div>
<div id="breadcrumb"><a href="/">Home</a> &gt; <a href="/committees/">Committees</a> &gt; \
<a href="/committees/fr/">Finance and Resources Committee</a> &gt; 19 January 2012</div>
<div id="content">
<p><strong>Finance and Resources Committee - 19 January 2012</strong></p>
<h1>Change programme: savings and workforce changes 2011/12 to 2012/13</h1>
<p>Report by the Treasurer and the Director of Resources</p>
<h2>Summary</h2>
<p>The Authority must save £12.8m by 2012/13. This report sets out the savings each \
change programme initiative is expected to make and the resulting changes in officer and \
staff numbers.</p>
<h2>A. RECOMMENDATIONS - That</h2>
<p>1. Members note the savings plan and the remaining budget gap of £4.2m in 2011/12.</p>
<h2>B. SUPPORTING INFORMATION</h2>
<p>1. The figures below are the Force\u2019s best estimates at December 2011. Negative \
figures are reductions; income is shown as a positive figure.</p>
<h2>Savings by initiative</h2>
{table}
<p>2. The gap in 2011/12 will be met from reserves; there is no gap in 2012/13.</p>
<p>Contact details: Report author: Tom\u00e1s Reyes, Finance \u2013 Budget Planning</p>
</div>
<div id="footer"><p>Page last updated: 20 January 2012</p>
<p><a href="/privacy/">Privacy</a> | <a href="/accessibility/">Accessibility</a></p></div>
</body>
</html>
"""


def savings_table_html() -> str:
    groups = "".join(
        f'<th colspan="{span}" align="center">{name}</th>' for name, span in papers.SAVINGS_GROUPS
    )
    periods = "".join(
        f'<th align="center">{p}</th>'
        for _ in papers.SAVINGS_GROUPS
        for p in papers.SAVINGS_PERIODS
    )
    units = "".join(f'<th align="center">{u}</th>' for u in papers.SAVINGS_UNITS)
    lines = [
        '<table border="1" cellspacing="0" cellpadding="4" width="100%">',
        f'<tr><th rowspan="3" align="left">Initiative</th>{groups}</tr>',
        f"<tr>{periods}</tr>",
        f"<tr>{units}</tr>",
    ]
    for label, values in papers.SAVINGS_ROWS:
        cells = "".join(f'<td align="right">{v or "&nbsp;"}</td>' for v in values)
        label_html = f"<p><strong>{label}</strong></p>" if label == "Total" else label
        lines.append(f'<tr><td valign="top">{label_html}</td>{cells}</tr>')
    lines.append("</table>")
    return "\n".join(lines)


def build_savings_html(path: Path) -> None:
    page = HTML_PAGE.replace("{table}", savings_table_html())
    path.write_bytes(page.encode("windows-1252"))


# ------------------------------------------------------------------------------ text


def build_text(path: Path) -> None:
    path.write_bytes("\n".join(papers.TEXT_LINES).encode("utf-8"))


# ------------------------------------------------------------------------------ main

SAMPLES = {
    "arc-20090310-custody-audit-recommendations.docx": lambda p: build_tracker_docx(
        p, "10 March 2009", datetime(2009, 3, 2, 9, 0), papers.TRACKER_V1
    ),
    "arc-20090915-custody-audit-recommendations.docx": lambda p: build_tracker_docx(
        p, "15 September 2009", datetime(2009, 9, 4, 9, 0), tracker_v2_sections()
    ),
    "tb-20101124-discharge-planning-action-plan.pdf": build_action_pdf,
    "frc-20120119-change-programme-savings.html": build_savings_html,
    "osc-20090908-street-lighting-review.txt": build_text,
}


def main(argv: Sequence[str]) -> int:
    out_dir = Path(argv[0]) if argv else HERE
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, build in SAMPLES.items():
        path = out_dir / name
        build(path)
        print(f"{path}  {path.stat().st_size:>7,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
