"""Ruled rows whose figures and commentary share one ruled column: a capital monitoring
table ruled between rows, with a rule only after the project names. The figures stand
right-aligned in columns of their own, the commentary beside them wraps; a bullet beside
its text is no column."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from test_parsers_pdf_layouts import BOLD, H, only_table, parsed, right, rule, text

LEFT, LABELS, RIGHT = 60.0, 190.0, 540.0
REAL, REPHASING, DETAIL = 250.0, 300.0, 312.0  # right edges of the figures, then the text


def frame(c: Canvas, tops: list[float]) -> None:
    """Rules between the rows, and upright rules only round the table and after the
    labels: the figures and the commentary are one ruled column."""
    for top in tops:
        rule(c, LEFT, RIGHT, top)
    for x in (LEFT, LABELS, RIGHT):
        c.line(x, H - tops[0], x, H - tops[-1])


def test_figures_beside_wrapped_commentary_in_one_ruled_column_are_columns(
    tmp_path: Path,
) -> None:
    path = tmp_path / "capital-variances.pdf"
    c = Canvas(str(path), pagesize=A4)
    rows = [
        ("Basic Need KCP 21", "0.009", "-2.600",
         ["Rephasing relates to: -£1.0m Sittingbourne non-selective,",
          "as a school has not yet been identified."]),
        ("Basic Need KCP 22", "", "-3.615",
         ["Rephasing relates to: -£1.116m Northfleet College due",
          "to a change in the contractor, and 5 other individual",
          "projects of which none are over £1m."]),
        ("High Needs Provision", "1.000", "-0.208",
         ["The real variance is due to the special school being",
          "transferred from the Basic Need budget."]),
    ]  # fmt: skip
    tops = [100.0]
    for label, real, rephasing, detail in rows:
        top = tops[-1] + 4
        text(c, LEFT + 4, top, label, BOLD)
        middle = top + 11 * (len(detail) - 1) / 2  # the figures level with the text's middle
        if real:
            right(c, REAL, middle, real)
        right(c, REPHASING, middle, rephasing)
        for i, line in enumerate(detail):
            text(c, DETAIL, top + 11 * i, line)
        tops.append(top + 11 * len(detail) + 4)
    frame(c, tops)
    c.save()
    table = only_table(parsed(path))
    assert table.row_strings() == [
        ["Basic Need KCP 21", "0.009", "-2.600", "Rephasing relates to: -£1.0m Sittingbourne "
         "non-selective, as a school has not yet been identified."],
        ["Basic Need KCP 22", "", "-3.615", "Rephasing relates to: -£1.116m Northfleet "
         "College due to a change in the contractor, and 5 other individual projects of "
         "which none are over £1m."],
        ["High Needs Provision", "1.000", "-0.208", "The real variance is due to the special "
         "school being transferred from the Basic Need budget."],
    ]  # fmt: skip


def test_bullets_beside_their_text_in_a_ruled_column_are_no_column(tmp_path: Path) -> None:
    """Each reason printed as bullets, the bullet a gutter's width from its text: the
    bullets and the text are one cell."""
    path = tmp_path / "bulleted-reasons.pdf"
    c = Canvas(str(path), pagesize=A4)
    rows = [
        ("Clarity", ["Reported as not relevant by patients", "Not understood by them"]),
        ("Response range", ["A high share of patients answer at the top", "Too few answers"]),
        ("Variability", ["All patients give the same answer", "Answers do not vary"]),
    ]
    tops = [100.0]
    for label, reasons in rows:
        top = tops[-1] + 4
        text(c, LEFT + 4, top, label)
        for i, reason in enumerate(reasons):
            text(c, LABELS + 6, top + 11 * i, "·")  # a bullet the standard fonts print
            text(c, LABELS + 24, top + 11 * i, reason)
        tops.append(top + 11 * len(reasons) + 4)
    frame(c, tops)
    c.save()
    table = only_table(parsed(path))
    assert table.n_cols == 2
    assert [row[0] for row in table.row_strings()] == ["Clarity", "Response range", "Variability"]
    assert "Reported as not relevant by patients" in table.row_strings()[0][1]
