"""Whether a grid of figures is money, and its units and periods (normalise.figures,
normalise.savings) on the shapes of printed council finance tables."""

from __future__ import annotations

from normalise.figures import is_money_table, period_in, stated_unit, unit_in
from normalise.records import document_records
from parsers.model import Cell, Document, Table

SHA = "cd" * 32


def row(*texts: str, page: int = 1) -> tuple[Cell, ...]:
    return tuple(Cell(t, pages=(page,) if t else ()) for t in texts)


def records_of(*tables: Table) -> list[dict]:
    doc = Document(source="finance.pdf", sha256=SHA, format="pdf", tables=tables)
    return document_records(doc)


def of_type(records: list[dict], kind: str) -> list[dict]:
    return [r for r in records if r["type"] == kind]


def test_unit_and_period_found_inside_headings() -> None:
    assert unit_in("2025-26 £000's") == "£000's" and period_in("2025-26 £000's") == "2025-26"
    assert unit_in("Amount (£m)") == "£m" and unit_in("Police Officers") is None
    assert period_in("23-24 Actuals") == "23-24" and period_in("Ward 12-14") is None
    assert unit_in("+£3.0m pressure") is None  # a sum of money, not a unit
    assert stated_unit("All figures in £000s") == "£000s"
    assert stated_unit("£s per pupil") == "£s"
    assert stated_unit("Indicator 1: Estimates of Capital Expenditure (£m)") == "£m"
    assert stated_unit("The forecast overspend of £23.3m is a concern") is None


def test_counts_of_rag_ratings_are_not_savings() -> None:
    counts = Table(
        header=(),
        rows=(
            row("", "G", "A", "R", ""),
            row("Customer Services", "2", "", "1", "2"),
            row("Governance and Law", "", "", "2", "2"),
        ),
        context="Services where the strains are most acute",
    )
    records = records_of(counts)
    assert of_type(records, "table")[0]["kind"] != "savings"
    assert of_type(records, "saving") == []


def test_counts_without_money_are_not_savings_but_money_is() -> None:
    calls = Table(
        header=(row("Service area", "Jan – Mar 24", "Apr – Jun 24"),),
        rows=(row("Adult Social Care", "26", "24"), row("Highways", "16", "13")),
        context="Contact Point received fewer calls than last year.",
    )
    assert not is_money_table(
        ["Service area", "Jan – Mar 24", "Apr – Jun 24"],
        [["Adult Social Care", "26", "24"]],
        calls.context,
    )
    money = Table(header=calls.header, rows=calls.rows, context="All figures in £m")
    kinds = [t["kind"] for t in of_type(records_of(calls, money), "table")]
    assert kinds == ["other", "savings"]


def test_unit_and_period_from_leading_rows_of_a_printed_excel_table() -> None:
    grid = Table(
        header=(),
        rows=(
            row("All figures in £m", "", "", ""),
            row("DSG Block", "2024-25 Budget*", "2024-25 Forecast", "2024-25 Variance"),
            row("Schools' Block", "1,260.5", "1,260.2", "-0.3"),
            row("High Needs Block", "337.9", "392.8", "54.9"),
        ),
        pages=(24,),
        context="Table 1 Forecast Summary:",
    )
    savings = of_type(records_of(grid), "saving")
    assert len(savings) == 6
    first = savings[0]
    assert (first["item"], first["group"], first["period"], first["unit"], first["value"]) == (
        "Schools' Block",
        "Budget",
        "2024-25",
        "£m",
        1260.5,
    )
    assert {s["unit"] for s in savings} == {"£m"} and first["issues"] == []


def test_unit_carried_to_the_continuation_on_the_next_page() -> None:
    header = (row("", "2024-25 Savings Target", "Total Forecast", "Variance"),)
    first = Table(
        header=header,
        rows=(row("Efficiencies", "-3,500.0", "-2,644.5", "855.5"),),
        pages=(31,),
        context="All figures in £000s",
    )
    rest = Table(
        header=(),
        rows=(row("Reviews", "-2,300.0", "-1,425.4", "874.6"),),
        pages=(32,),
        context="Savings were predicated on a 50:50 split.",
    )
    savings = of_type(records_of(first, rest), "saving")
    assert [s["unit"] for s in savings] == ["£000s"] * 6
    assert savings[0]["period"] == "2024-25" and savings[0]["group"] == "Savings Target"


def test_caption_and_row_reference_column_are_not_groups_or_items() -> None:
    caption = (
        Cell("APPENDIX A - CAPITAL INVESTMENT SUMMARY TO 2034-35", colspan=5),
        *(Cell("", covered=True) for _ in range(4)),
    )
    grid = Table(
        header=(caption,),
        rows=(
            row("ROW REF", "Directorate", "Dir", "Total Cost", "2025-26"),
            row("", "", "", "£000s", "£000s"),
            row("1", "Adult Social Care & Health", "ASCH", "7,003", "549"),
            row("2", "Children, Young People & Education", "CYPE", "565,619", "97,113"),
        ),
    )
    savings = of_type(records_of(grid), "saving")
    assert [(s["item"], s["group"], s["period"], s["unit"], s["value"]) for s in savings[:2]] == [
        ("Adult Social Care & Health", "Total Cost", None, "£000s", 7003),
        ("Adult Social Care & Health", None, "2025-26", "£000s", 549),
    ]
    assert len(savings) == 4  # the row references 1, 2 are not values


def test_budget_template_gives_savings_not_empty_recommendations() -> None:
    header = (
        row(
            "MTFP Category",
            "Directorate",
            "Cabinet Member",
            "Headline Description",
            "Brief Description",
            "2025-26 £000's",
            "2026-27 £000's",
            "Service Area",
        ),
    )
    rows = (
        row(
            "Base Budget Changes",
            "ASCH",
            "Dan Watkins",
            "Adult Social Care",
            "Budget realignment for the underlying pressure",
            "7,800.0",
            "0.0",
            "Adults and Older People",
        ),
        row(
            "Base Budget Changes",
            "CYPE",
            "Sue Chandler",
            "Disabled Children",
            "Realignment of the disability budget",
            "-3,000.0",
            "1,000.0",
            "Children's Social Care",
        ),
    )
    records = records_of(Table(header=header, rows=rows, pages=(1,)))
    assert of_type(records, "table")[0]["kind"] == "savings"
    assert of_type(records, "recommendation") == []
    savings = of_type(records, "saving")
    # the item is the described column the classifier keeps (the wordier description)
    assert [(s["item"], s["period"], s["unit"], s["value"]) for s in savings] == [
        ("Budget realignment for the underlying pressure", "2025-26", "£000's", 7800.0),
        ("Budget realignment for the underlying pressure", "2026-27", "£000's", 0.0),
        ("Realignment of the disability budget", "2025-26", "£000's", -3000.0),
        ("Realignment of the disability budget", "2026-27", "£000's", 1000.0),
    ]
