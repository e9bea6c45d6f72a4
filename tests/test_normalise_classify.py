"""Table kind and column roles from header vocabulary and content (normalise.classify)."""

from __future__ import annotations

from normalise.classify import classify_table, content_role, header_role
from parsers.model import Cell, Table


def table(header: list[str], rows: list[list[str]]) -> Table:
    head = (tuple(Cell(h) for h in header),) if header else ()
    return Table(header=head, rows=tuple(tuple(Cell(c) for c in r) for r in rows))


def test_header_role_exact_then_contained() -> None:
    assert header_role("Lead officer") == ("owner", 1.0)
    assert header_role("Agreed target date") == ("due", 0.8)
    assert header_role("Revised target date")[0] == "revised_due"
    assert header_role("Progress (RAG)")[0] == "status"
    assert header_role("RAG status")[0] == "rating"
    assert header_role("Weather") == (None, 0.0)


def test_classify_recommendations_tracker() -> None:
    cls = classify_table(
        table(
            ["Rec No", "Recommendations", "Response", "Lead", "Timescale", "Current status"],
            [
                [
                    "4",
                    "That training is linked to need",
                    "Agreed.",
                    "Career Unit",
                    "March 2010",
                    "Completed",
                ]
            ],
        )
    )
    assert cls.kind == "recommendations" and cls.confidence == 1.0
    assert cls.roles == ("ref", "text", "response", "owner", "due", "status")


def test_classify_action_plan_by_action_and_milestone_columns() -> None:
    cls = classify_table(
        table(
            ["Ref", "Action", "Lead", "Target date", "Milestone", "Target"],
            [
                [
                    "1",
                    "Integrate planning",
                    "Head of Planning",
                    "31/03/2009",
                    "Timetable agreed",
                    "Plan published",
                ]
            ],
        )
    )
    assert cls.kind == "action_plan"
    assert cls.roles[1] == "action_text" and cls.roles[4] == "milestone"


def test_classify_recommendation_with_action_column_as_response() -> None:
    cls = classify_table(
        table(
            ["Recommendation", "Action", "Owner", "Date raised", "Target date"],
            [
                [
                    "Publish the register",
                    "Agreed; register drafted",
                    "Clerk",
                    "1 May 2009",
                    "June 2009",
                ]
            ],
        )
    )
    assert cls.kind == "recommendations"
    assert cls.roles == (
        "text",
        "response",
        "owner",
        "raised",
        "due",
    )  # the date raised is not the deadline


def test_classify_rag_table_with_other_wordings() -> None:
    cls = classify_table(
        table(
            ["Measure", "Rating", "Comments"],
            [["Overall programme status", "Green", "On schedule."]],
        )
    )
    assert cls.kind == "rag_status"
    assert cls.roles == ("criterion", "rating", "rationale")


def test_classify_savings_by_numeric_grid() -> None:
    cls = classify_table(
        table(
            ["", "2011/12 £m", "2012/13 £m"],
            [["Catering", "-5.2", "-7.3"], ["Transport", "-5.0", "-5.0"]],
        )
    )
    assert cls.kind == "savings"


def test_classify_list_and_other() -> None:
    assert (
        classify_table(
            table(
                ["Business Group", "Programme/Project Title"],
                [["DoI", "Thin Client"], ["", "Shared IT"]],
            )
        ).kind
        == "list"
    )
    summary = table(["Status", "Number of recommendations"], [["Complete", "5"], ["Total", "9"]])
    assert classify_table(summary).kind == "other"


def test_classify_unknown_headers_from_content_cues() -> None:
    cls = classify_table(
        table(
            ["#", "What we were asked to do", "Where it stands", "When"],
            [
                [
                    "1",
                    "Publish the register of interests for every member of the board",
                    "Complete",
                    "March 2009",
                ],
                [
                    "2",
                    "Train all managers in the new appraisal scheme before the year end",
                    "Ongoing",
                    "2009/10",
                ],
            ],
        )
    )
    assert cls.kind == "recommendations"
    assert cls.roles == ("ref", "text", "status", "due")
    assert cls.confidence < 1.0 and "unknown header" in cls.issues


def test_classify_promotes_a_header_row_the_parser_missed() -> None:
    cls = classify_table(
        table(
            [],
            [
                ["Ref", "Recommendation", "Owner", "Status"],
                ["1", "Publish the register", "Head of HR", "Complete"],
            ],
        )
    )
    assert cls.header_rows_in_body == 1 and cls.kind == "recommendations"


def test_classify_improvement_plan_block() -> None:
    cls = classify_table(
        table(
            [], [["Recommendation 1: A feasibility study", ""], ["Objective(s): To ascertain", ""]]
        )
    )
    assert cls.kind == "action_plan" and cls.plan


def test_content_role_cues() -> None:
    assert content_role(["G", "A", "R"]) == "rating"
    assert content_role(["31/03/2009", "Spring 2009"]) == "due"
    assert (
        content_role(["Head of HR", "Director"], frozenset({"head of hr", "director"})) == "owner"
    )
    assert content_role(["x", "y"]) is None


def test_classify_rating_key_is_a_list_not_ratings() -> None:
    key = classify_table(
        table(
            [],
            [
                ["GREEN", "Target has been achieved or exceeded"],
                ["AMBER", "Floor standard achieved but target not met"],
                ["RED", "Floor standard has not been achieved"],
            ],
        )
    )
    assert key.kind == "list"
    rated = classify_table(
        table(
            ["Criteria", "RAG", "Rationale"],
            [["Overall status", "Green", "On track"], ["Risks", "Green", "Managed"]],
        )
    )
    assert rated.kind == "rag_status"


def test_classify_commitments_led_by_as_action_plan() -> None:
    cls = classify_table(
        table(
            ["What we have committed to", "Led by", "Timescale", "Measure"],
            [
                [
                    "Optimise the opportunity of family hubs",
                    "Lead for Hubs",
                    "Mar 2026",
                    "Agreed metrics",
                ]
            ],
        )
    )
    assert cls.kind == "action_plan"
    assert cls.roles == ("action_text", "owner", "due", "milestone")
