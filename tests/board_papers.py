"""Board papers of the layouts real bodies print, written as DOCX or PDF for the tests.

Every body, person and figure is invented; the layouts are those of the action logs,
commitment trackers, release plans and compliance matrices that boards publish: an action
log with open and completed actions in separate tables, small "Action | Status" tables each
under a heading naming the lead, a tracker whose status cells hold dated notes, and a
matrix of commitments down and departments across rated "Met" / "Not Met" on coloured
fills.  A paper is a list of blocks (``Para``, ``Heading``, ``Grid``) rendered by
``write_docx`` or ``write_pdf``, so one layout is checked in both formats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GREEN, RED, AMBER, GREY = "00B050", "FF0000", "FFC000", "BFBFBF"


@dataclass(frozen=True)
class Para:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Grid:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> RRGGBB


Block = Para | Heading | Grid


# ---------------------------------------------------------------- the layouts

ACTION_LOG: tuple[Block, ...] = (
    Para("TB(4)1.i"),
    Para("Open Data Board", bold=True),
    Para("Action Log as of 2 March 2011", bold=True),
    Para("The log records the actions agreed by the Board and their progress."),
    Heading("Open actions"),
    Grid(
        ("Meeting date", "Action", "Deadline", "Progress"),
        (
            ("11.01.11", "Departments to publish organograms for all senior posts", "31.3.14",
             "Plan in place"),
            ("11.01.11", "Secretariat to circulate the draft data principles", "23-Mar",
             "No action taken yet"),
            ("08.02.11", "Publish guidance on spending data", "June", "Carried forward"),
        ),
    ),
    Heading("Completed actions"),
    Grid(
        ("Action", "Due", "Status"),
        (
            ("Agree the Board's terms of reference", "End 2012", "Done"),
            ("Set up the data request panel", "Monthly ongoing", "Complete"),
        ),
    ),
)  # fmt: skip

# The next version of the log: columns reordered, an Owner and a Notes column added, one
# deadline slipped, one action completed (moved to the completed table), one new.
ACTION_LOG_V2: tuple[Block, ...] = (
    Para("TB(5)2.i"),
    Para("Open Data Board", bold=True),
    Para("Action Log as of 6 April 2011", bold=True),
    Para("The log records the actions agreed by the Board and their progress."),
    Heading("Open actions"),
    Grid(
        ("Action", "Owner", "Deadline", "Progress", "Notes"),
        (
            ("Departments to publish organograms for all senior posts", "Cabinet Office",
             "30.6.14", "Plan in place", ""),
            ("Publish guidance on spending data", "HM Treasury", "June",
             "In hand. As at 1 April – draft guidance is with departments", "Legal review"),
            ("Consult on the data strategy", "Cabinet Office", "End 2011", "Not started", ""),
        ),
    ),
    Heading("Completed actions"),
    Grid(
        ("Action", "Due", "Status"),
        (
            ("Agree the Board's terms of reference", "End 2012", "Done"),
            ("Set up the data request panel", "Monthly ongoing", "Complete"),
            ("Secretariat to circulate the draft data principles", "23.3.11", "Done"),
        ),
    ),
)  # fmt: skip

LEAD_TABLES: tuple[Block, ...] = (
    Para("Open Data Board", bold=True),
    Para("Progress on the dataset commitments", bold=True),
    Para("Paper date: 12 November 2012"),
    Heading("National Address Dataset – Lead HS/BB"),
    Grid(
        ("Action", "Status"),
        (
            ("Agree licence terms with the address suppliers", "In hand"),
            ("Publish the address gazetteer as open data", "Not commenced"),
        ),
    ),
    Heading("Land Registry Price Paid – Lead JT"),
    Grid(
        ("Action", "Status"),
        (("Release the historical price paid file", "Done"),),
    ),
)

COMMITMENTS: tuple[Block, ...] = (
    Para("Open Data Board", bold=True),
    Para("Commitments tracker", bold=True),
    Para("Meeting of 20 November 2012"),
    Grid(
        ("Due by", "Commitment", "Lead", "Status", "Issues"),
        (
            ("April 2012", "Publish all departmental business plans data", "Cabinet Office",
             "On course", "None"),
            ("31.3.13", "Open up the national pupil database", "Department for Education",
             "As at 12 November – consultation closed; responses being analysed", "Legal advice"),
            ("End 2012", "Release the road traffic counts", "Department for Transport",
             "Closed – not implemented", ""),
        ),
    ),
)  # fmt: skip

RELEASE_PLAN: tuple[Block, ...] = (
    Para("Open Data Board", bold=True),
    Para("Dataset release plan", bold=True),
    Para("Date: 3 February 2012"),
    Grid(
        ("Dataset", "Description", "To be first published on", "Frequency"),
        (
            ("Prison population", "Weekly counts by establishment", "June", "Weekly"),
            ("Court waiting times", "Median days from charge to trial", "Late Spring 2012",
             "Quarterly"),
            ("Probation caseload", "Offenders under supervision",
             "Done [first published November 2011]", "Monthly ongoing"),
        ),
    ),
)  # fmt: skip

DEPARTMENTS = ("CO", "DfE", "DfT", "DH", "HMT")
COMMITMENTS_DOWN = (
    "Publish organograms",
    "Publish spending over £25,000",
    "Publish contracts",
    "Publish salaries of senior staff",
)
# (row, col) -> word printed in the cell; fills say the same in colour; a grey cell is out
# of scope, a blank cell was not assessed.
MATRIX_WORDS = {
    (0, 0): "Met", (0, 1): "Met", (0, 2): "Not Met", (0, 3): "Met", (0, 4): "Partially met",
    (1, 0): "Met", (1, 1): "Not Met", (1, 2): "Met", (1, 3): "n/a", (1, 4): "Met",
    (2, 0): "Met", (2, 1): "Met", (2, 2): "", (2, 3): "Not Met", (2, 4): "Met",
    (3, 0): "Not Met", (3, 1): "Met", (3, 2): "Met", (3, 3): "Met", (3, 4): "",
}  # fmt: skip
_FILL_OF_WORD = {"Met": GREEN, "Not Met": RED, "Partially met": AMBER, "n/a": GREY}
MATRIX_FILLS = {
    (r, c + 1): _FILL_OF_WORD[w] for (r, c), w in MATRIX_WORDS.items() if w in _FILL_OF_WORD
}
MATRIX_FILLS[(2, 3)] = RED  # rated by the fill alone: no word printed
MATRIX_FILLS[(3, 5)] = GREY  # greyed out: not rated

MATRIX: tuple[Block, ...] = (
    Para("Open Data Board", bold=True),
    Para("Compliance with the transparency commitments", bold=True),
    Para("Report date: 14 June 2011"),
    Grid(
        ("Commitment", *DEPARTMENTS),
        tuple(
            (name, *(MATRIX_WORDS[(r, c)] for c in range(len(DEPARTMENTS))))
            for r, name in enumerate(COMMITMENTS_DOWN)
        ),
        MATRIX_FILLS,
    ),
)

LAYOUTS: dict[str, tuple[Block, ...]] = {
    "action_log": ACTION_LOG,
    "action_log_v2": ACTION_LOG_V2,
    "lead_tables": LEAD_TABLES,
    "commitments": COMMITMENTS,
    "release_plan": RELEASE_PLAN,
    "matrix": MATRIX,
}


# ---------------------------------------------------------------- DOCX


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def write_docx(blocks: Sequence[Block], path: Path) -> Path:
    from docx import Document

    doc = Document()
    for block in blocks:
        if isinstance(block, Para):
            doc.add_paragraph().add_run(block.text).bold = block.bold
        elif isinstance(block, Heading):
            doc.add_heading(block.text, level=2)
        else:
            table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
            table.style = "Table Grid"
            for c, text in enumerate(block.header):
                table.rows[0].cells[c].paragraphs[0].add_run(text).bold = True
            for r, row in enumerate(block.rows):
                for c, text in enumerate(row):
                    table.rows[r + 1].cells[c].text = text
                    if (r, c) in block.fills:
                        _shade(table.rows[r + 1].cells[c], block.fills[(r, c)])
    doc.save(str(path))
    return path


# ---------------------------------------------------------------- PDF


def write_pdf(blocks: Sequence[Block], path: Path, wide: bool = False) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    story: list[Any] = []
    for block in blocks:
        if isinstance(block, Para):
            text = f"<b>{block.text}</b>" if block.bold else block.text
            story.append(Paragraph(text, styles["BodyText"]))
        elif isinstance(block, Heading):
            story.append(Paragraph(block.text, styles["Heading2"]))
        else:
            head = [Paragraph(f"<b>{h}</b>", styles["BodyText"]) for h in block.header]
            body = [[Paragraph(c, styles["BodyText"]) for c in row] for row in block.rows]
            table = Table([head, *body], repeatRows=1)
            style: list[Any] = [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
            style += [
                ("BACKGROUND", (c, r + 1), (c, r + 1), colors.HexColor("#" + fill))
                for (r, c), fill in block.fills.items()
            ]
            table.setStyle(TableStyle(style))
            story += [table, Spacer(1, 0.4 * cm)]
    SimpleDocTemplate(str(path), pagesize=landscape(A4) if wide else A4, invariant=1).build(story)
    return path
