"""Contract records from hand-built documents (normalise.records)."""

from __future__ import annotations

from normalise.records import document_records
from normalise.trackers import split_status_due
from parsers.model import Cell, Document, Metadata, Table

SHA = "ab" * 32


def row(*texts: str, page: int = 1) -> tuple[Cell, ...]:
    return tuple(Cell(t, pages=(page,) if t else ()) for t in texts)


def doc_of(*tables: Table, fmt: str = "pdf", raw_date: str | None = "13 June 2011") -> Document:
    return Document(
        source="paper.pdf",
        sha256=SHA,
        format=fmt,  # type: ignore[arg-type]
        metadata=Metadata(title="T", committee="C", meeting_date_raw=raw_date),
        page_count=3,
        tables=tables,
    )


def by_type(records: list[dict], kind: str) -> list[dict]:
    return [r for r in records if r["type"] == kind]


def tracker() -> Table:
    header = (
        row(
            "No.",
            "Recommendation",
            "Progress (RAG)",
            "Lead officer",
            "Timescale",
            "Response",
            "Latest progress",
        ),
    )
    section = (
        Cell("Strategy and governance", colspan=7, pages=(1,)),
        *(Cell("", covered=True) for _ in range(6)),
    )
    first = (
        Cell("15, 16 and 17", pages=(1,)),
        Cell("That the MPA supports HPDS", pages=(1,)),
        Cell("Complete", pages=(1,)),
        Cell("Talent Management", rowspan=2, pages=(1,)),
        Cell("30th November 2009", pages=(1,)),
        Cell(
            "Agreed. April 2008 Update: Trial begun. Update 14/10/2008: Trial done.", pages=(1, 2)
        ),
        Cell("November 2009 Update: Adopted.", pages=(2,)),
    )
    second = (
        Cell("18", pages=(2,)),
        Cell("Evaluate Promoting Difference", pages=(2,)),
        Cell("", pages=()),
        Cell("", covered=True),
        Cell("Actions complete – continuous improvement ongoing.", pages=(2,)),
        Cell("", pages=()),
        Cell("N/A", pages=(2,)),
    )
    return Table(header=header, rows=(section, first, second), pages=(1, 2))


def test_document_record_normalises_meeting_date() -> None:
    records = document_records(doc_of())
    assert records[0]["type"] == "document"
    assert records[0]["meeting_date"] == "2011-06-13"
    assert records[0]["meeting_date_raw"] == "13 June 2011"


def test_tracker_rows_to_recommendations() -> None:
    records = document_records(doc_of(tracker()))
    table = by_type(records, "table")[0]
    assert table["kind"] == "recommendations" and table["pages"] == [1, 2]
    first, second = by_type(records, "recommendation")
    assert first["ref"] == "15, 16 and 17" and first["owner"] == "Talent Management"
    assert (first["status"], first["due"], first["due_raw"]) == (
        "complete",
        "2009-11-30",
        "30th November 2009",
    )
    assert first["response"] == "Agreed."
    assert [(u["label"], u["date"]) for u in first["updates"]] == [
        ("April 2008 Update", "2008-04"),
        ("Update 14/10/2008", "2008-10-14"),
        ("November 2009 Update", "2009-11"),
    ]
    assert first["pages"] == [1, 2] and first["table_index"] == 0
    # the merged owner cell speaks for the row below; the Timescale holds a status
    assert second["owner"] == "Talent Management"
    assert second["status"] == "complete" and second["due"] is None and second["due_raw"] is None
    assert second["updates"] == [] and second["response"] is None
    assert 0 < second["confidence"] <= 1 and second["issues"] == []


def test_unparsed_due_date_is_an_issue() -> None:
    t = Table(
        header=(row("Ref", "Recommendation", "Owner", "Due date"),),
        rows=(row("1", "Publish the register", "Head of HR", "Summer 2008"),),
    )
    rec = by_type(document_records(doc_of(t, fmt="docx")), "recommendation")[0]
    assert rec["due"] is None and rec["due_raw"] == "Summer 2008"
    assert "unparsed date" in rec["issues"] and rec["pages"] is None


def plan_tables() -> tuple[Table, Table]:
    def span(text: str) -> tuple[Cell, ...]:
        return (Cell(text, colspan=5, pages=(2,)), *(Cell("", covered=True) for _ in range(4)))

    block = Table(
        header=(),
        rows=(
            span("Recommendation 1: A feasibility study is carried out"),
            span("to explore running training as a business"),
            span("Objective(s): To ascertain whether it is practicable"),
            row("Additional costs: None", "Estimated savings / benefits:", "", "", "", page=2),
        ),
        pages=(2,),
    )
    actions = Table(
        header=(
            row(
                "Key actions to implement:", "Lead", "Deadline", "PI / milestone", "Target", page=2
            ),
        ),
        rows=(
            row(
                "1. Initiation of feasibility study",
                "ICG/SW",
                "February 2003",
                "PID done",
                "PID circulated",
                page=2,
            ),
            row(
                "2. Conduct feasibility study",
                "SW/WP",
                "31 March 2003",
                "Study done",
                "Options paper",
                page=3,
            ),
            row("including costs", "", "", "", "", page=3),
        ),
        pages=(2, 3),
        context="Recommendation 1 continued",
    )
    return block, actions


def test_improvement_plan_block_continued_in_next_table() -> None:
    records = document_records(doc_of(*plan_tables()))
    assert [t["kind"] for t in by_type(records, "table")] == ["action_plan", "action_plan"]
    (rec,) = by_type(records, "recommendation")
    assert rec["ref"] == "1" and rec["pages"] == [2]
    assert rec["text"] == (
        "A feasibility study is carried out to explore running training as a business"
    )
    first, second = by_type(records, "action")
    assert (first["recommendation_ref"], first["ref"], first["owner"], first["due"]) == (
        "1",
        "1",
        "ICG/SW",
        "2003-02",
    )
    assert second["text"] == "Conduct feasibility study including costs"
    assert (second["milestone"], second["target"], second["due"]) == (
        "Study done",
        "Options paper",
        "2003-03-31",
    )


def savings_table() -> Table:
    def spanning(text: str, n: int) -> list[Cell]:
        return [Cell(text, colspan=n), *(Cell("", covered=True) for _ in range(n - 1))]

    header = (
        tuple([Cell(""), *spanning("Budget", 2), *spanning("Police Officers", 2)]),
        tuple(Cell(t) for t in ("", "2011/12", "2012/13", "2011/12", "2012/13")),
        tuple(Cell(t) for t in ("", "£m", "£m", "No", "No")),
    )
    rows = (
        tuple(Cell(t) for t in ("Catering", "-5.2", "(7.3)", "", "")),
        tuple(Cell(t) for t in ("Total", "-85.7", "-153.5", "-1,009", "-1,119")),
    )
    return Table(header=header, rows=rows)


def test_savings_one_record_per_numeric_cell() -> None:
    records = document_records(doc_of(savings_table(), fmt="html"))
    savings = by_type(records, "saving")
    assert by_type(records, "table")[0]["kind"] == "savings"
    assert len(savings) == 6
    assert {k: savings[1][k] for k in ("item", "group", "period", "unit", "value")} == {
        "item": "Catering",
        "group": "Budget",
        "period": "2012/13",
        "unit": "£m",
        "value": -7.3,
    }
    total_staff = savings[-1]
    assert (total_staff["group"], total_staff["unit"], total_staff["value"]) == (
        "Police Officers",
        "No",
        -1119,
    )
    assert isinstance(total_staff["value"], int)


def test_rag_programme_from_context_and_ratings() -> None:
    t = Table(
        header=(row("Criteria", "RAG", "Rationale"),),
        rows=(
            row("Overall programme status", "G", "Milestones met"),
            row("Identified risks & mitigating actions", "AMBER", "Resourcing"),
        ),
        context="3.2 DRM Programme",
    )
    rags = by_type(document_records(doc_of(t, fmt="docx")), "rag")
    assert [(r["programme"], r["rating"]) for r in rags] == [
        ("DRM Programme", "green"),
        ("DRM Programme", "amber"),
    ]


def test_records_come_in_contract_order() -> None:
    records = document_records(doc_of(tracker(), savings_table()), known_owners=["Head of HR"])
    order = [r["type"] for r in records]
    assert order[0] == "document" and order[1:3] == ["table", "table"]
    last_typed = max(i for i, t in enumerate(order) if t in ("recommendation", "saving"))
    assert all(t == "entity" for t in order[last_typed + 1 :]) and "entity" in order


def test_split_status_due_separates_mixed_timescale_cells() -> None:
    assert split_status_due("", "Complete – March 2004") == ("Complete", "March 2004")
    assert split_status_due("", "In progress (revised date June 2009)") == (
        "In progress",
        "June 2009",
    )
    assert split_status_due("", "Achieved") == ("Achieved", None)
    assert split_status_due("Ongoing", "Summer 2008") == ("Ongoing", "Summer 2008")


def test_rag_programme_from_merged_programme_cell() -> None:
    t = Table(
        header=(row("Programme", "Criteria", "RAG", "Rationale"),),
        rows=(
            (
                Cell("Lean programme", rowspan=2),
                Cell("Overall programme status"),
                Cell("GREEN"),
                Cell("On track"),
            ),
            (Cell("", covered=True), Cell("Identified risks"), Cell("R"), Cell("Late")),
        ),
    )
    rags = by_type(document_records(doc_of(t, fmt="html")), "rag")
    assert [(r["programme"], r["criterion"], r["rating"]) for r in rags] == [
        ("Lean programme", "Overall programme status", "green"),
        ("Lean programme", "Identified risks", "red"),
    ]


def test_row_split_by_page_break_joins_the_row_above() -> None:
    header = (row("Ref", "Action", "Lead", "Target date", "Progress"),)
    first = Table(
        header=header,
        rows=(row("1.1", "Agree a policy", "Director", "Dec-10", "Draft circulated.", page=1),),
        pages=(1,),
    )
    second = Table(
        header=header,
        rows=(
            row("", "", "", "", "Board agreed.", page=2),
            row("1.2", "Brief managers", "Deputy", "Jan-11", "", page=2),
        ),
        pages=(2,),
    )
    actions = by_type(document_records(doc_of(first, second)), "action")
    assert [a["ref"] for a in actions] == ["1.1", "1.2"]
    assert actions[0]["progress"] == "Draft circulated. Board agreed."
    assert actions[0]["pages"] == [1]


def test_savings_labels_wrapped_over_lines_are_joined() -> None:
    header = (tuple(Cell(t) for t in ("", "2011/12 / £m", "2012/13 / £m")),)
    rows = tuple(
        tuple(Cell(t) for t in r)
        for r in (
            ("Property Services", "", ""),
            ("modernisation and contract", "-9.5", "-11.5"),
            ("Recruitment model", "-8.2", "-10.6"),
            ("modernisation", "", ""),
            ("Police Staff", "", ""),
            ("Catering", "-5.2", "-7.3"),
        )
    )
    savings = by_type(
        document_records(doc_of(Table(header=header, rows=rows), fmt="text")), "saving"
    )
    assert [(s["item"], s["period"], s["unit"]) for s in savings[::2]] == [
        ("Property Services modernisation and contract", "2011/12", "£m"),
        ("Recruitment model modernisation", "2011/12", "£m"),
        ("Catering", "2011/12", "£m"),
    ]


def test_repeated_header_row_is_not_a_record_and_revised_due_kept_apart() -> None:
    header = ("Ref", "Recommendation", "Owner", "Target date", "Revised target date")
    t = Table(
        header=(row(*header),),
        rows=(
            row("1", "Publish the register", "Clerk", "March 2009", "June 2009"),
            row(*header),
            row("2", "Train managers", "Head of HR", "2009/10", ""),
        ),
    )
    recs = by_type(document_records(doc_of(t, fmt="docx")), "recommendation")
    assert [r["ref"] for r in recs] == ["1", "2"]
    assert (recs[0]["due"], recs[0]["revised_due"], recs[0]["revised_due_raw"]) == (
        "2009-03",
        "2009-06",
        "June 2009",
    )
    assert recs[1]["revised_due"] is None


def test_rag_programme_from_a_heading_or_the_criterion_heading_never_a_paragraph() -> None:
    header = (row("Customer Services KPIs", "RAG rating", "", "DoT"),)
    plain = (row("KPI", "RAG rating", "", "DoT"),)
    rows = (
        row("", "Latest", "Previous", ""),
        row("% of callers who rated advisors good", "GREEN", "GREEN", ""),
        row("% of phone calls answered", "GREEN", "AMBER", ""),
    )
    paragraph = (
        "Customer Services – Satisfaction with Contact Point advisors met target. "
        "The percentage of phone calls answered improved to move above target."
    )
    tables = (
        Table(header=plain, rows=rows, context=paragraph),
        Table(header=header, rows=rows, context=paragraph),
        Table(header=plain, rows=rows, context="2.1 Customer Services"),
    )
    rags = by_type(document_records(doc_of(*tables)), "rag")
    # the "Latest | Previous" sub-header row is not a rating
    assert [r["criterion"] for r in rags] == [
        "% of callers who rated advisors good",
        "% of phone calls answered",
    ] * 3
    assert [r["programme"] for r in rags] == [None] * 2 + ["Customer Services"] * 4


def test_led_by_commitments_table_is_an_action_plan_with_owners() -> None:
    header = (row("What we have committed to", "Led by", "Timescale", "Measure", "Shared Outcome"),)
    rows = (
        row(
            "Optimise the opportunity of family hubs",
            "Lead for Family Hubs",
            "Mar 2026",
            "Agreed metrics on core plus",
            "SO1",
        ),
        row(
            "Deliver the ageing well programme",
            "CPH lead",
            "Ongoing",
            "A whole system approach",
            "SO3,SO4",
        ),
    )
    records = document_records(doc_of(Table(header=header, rows=rows)))
    assert by_type(records, "table")[0]["kind"] == "action_plan"
    first, second = by_type(records, "action")
    assert (first["text"], first["owner"], first["due"], first["milestone"]) == (
        "Optimise the opportunity of family hubs",
        "Lead for Family Hubs",
        "2026-03",
        "Agreed metrics on core plus",
    )
    # a status in the Timescale column is the status, not an unparsed date
    assert second["owner"] == "CPH lead" and second["due_raw"] is None
    assert second["status"] == "ongoing"


def test_rows_without_text_are_never_records() -> None:
    header = (row("Ref", "Recommendation", "Owner", "Status"),)
    rows = (
        row("1", "Publish the register", "Head of HR", "Complete"),
        row("", "", "Head of Finance", ""),
        row("", "", "", "Ongoing"),
    )
    recs = by_type(document_records(doc_of(Table(header=header, rows=rows))), "recommendation")
    assert [r["ref"] for r in recs] == ["1"]
    assert all(r["text"] for r in recs)


def test_table_whose_text_column_is_mostly_empty_is_not_a_tracker() -> None:
    header = (row("Directorate", "Description", "Owner", "Status"),)
    rows = (
        row("ASCH", "Realignment", "Dan Watkins", ""),
        *(row("ASCH", "", "Dan Watkins", "") for _ in range(4)),
    )
    records = document_records(doc_of(Table(header=header, rows=rows)))
    table = by_type(records, "table")[0]
    assert table["kind"] == "other" and table["confidence"] <= 0.3
    assert by_type(records, "recommendation") == []


def test_feedback_and_response_under_a_spanning_title() -> None:
    title = (
        Cell("Consultation feedback relating to the centre", colspan=2),
        Cell("", covered=True),
    )
    header = (title, row("Consultation Feedback", "Draft KCC Response"))
    rows = (row("The centre must not close", "It is acknowledged that the centre matters."),)
    records = document_records(doc_of(Table(header=header, rows=rows)))
    assert by_type(records, "table")[0]["kind"] == "recommendations"
    rec = by_type(records, "recommendation")[0]
    assert (rec["text"], rec["response"]) == (
        "The centre must not close",
        "It is acknowledged that the centre matters.",
    )
