"""Series of tracker versions: grouping, diffs, timelines and slippage from real papers."""

from __future__ import annotations

from pathlib import Path

from conftest import PaperFactory
from sqlalchemy import Engine, text

from ingest.batch import ingest_paths
from store.database import open_database
from store.diff import find_threads, slippage
from store.series import (
    Paper,
    add_to_series,
    ensure_series,
    group_papers,
    list_series,
    refresh_series,
    series_diffs,
    series_name,
    series_threads,
)


def ingest(tmp_path: Path, paths: list[Path]) -> Engine:
    engine = open_database(tmp_path / "s.db")
    assert ingest_paths(paths, engine).ok
    return engine


def distractors(make_tracker: PaperFactory) -> list[Path]:
    """Same committee but another subject; same subject but another committee."""
    lighting = make_tracker(
        "lighting.html",
        "10 June 2009",
        (
            ("1", "Replace the sodium lamps on main roads", "Highways", "Ongoing", "2010"),
            ("2", "Publish a night-time dimming policy", "Highways", "Not started", "2010"),
        ),
        title="Street lighting review – recommendations",
    )
    elsewhere = make_tracker(
        "elsewhere.html",
        "1 October 2009",
        (
            (
                "1",
                "Publish the custody register every month",
                "Head of Custody",
                "Ongoing",
                "September 2009",
            ),
            (
                "2",
                "Train all custody sergeants in risk assessment",
                "Training Manager",
                "Ongoing",
                "June 2009",
            ),
        ),
        committee="Standards Committee",
    )
    return [lighting, elsewhere]


def test_refresh_series_groups_versions_across_formats_in_meeting_order(
    tmp_path: Path, tracker_versions: list[Path], make_tracker: PaperFactory
) -> None:
    v1, v2, v3 = tracker_versions
    engine = ingest(tmp_path, [v3, *distractors(make_tracker), v1, v2])
    (found,) = refresh_series(engine)
    assert [p.source for p in found.papers] == ["v1.docx", "v2.html", "v3.docx"]
    assert found.origin == "auto"
    assert found.name == "ac-custody-audit-recommendations-2009"


def test_series_diffs_match_renumbered_recommendation_by_text(
    tmp_path: Path, tracker_versions: list[Path]
) -> None:
    engine = ingest(tmp_path, tracker_versions)
    (found,) = refresh_series(engine)
    with engine.connect() as conn:
        first, second = (d.as_dict() for d in series_diffs(conn, found))
    changes = {(c["ref"], c["field"]): (c["old"], c["new"]) for c in first["changes"]}
    assert changes[("1", "due")] == ("2009-03", "2009-09")
    assert changes[("2", "status")] == ("complete", "ongoing")
    assert changes[("4", "ref")] == ("3", "4")
    assert changes[("4", "owner")] == ("Estates", "Head of Estates")
    assert len(changes[("1", "updates_added")][1]) == 1
    assert (first["added"], first["removed"]) == (["5"], [])
    assert (second["added"], second["removed"]) == ([], ["5"])
    assert {(c["ref"], c["field"]) for c in second["changes"]} == {
        ("1", "due"),
        ("2", "status"),
        ("4", "status"),
    }


def test_slippage_counts_slips_days_and_regressions(
    tmp_path: Path, tracker_versions: list[Path]
) -> None:
    engine = ingest(tmp_path, tracker_versions)
    (found,) = refresh_series(engine)
    with engine.connect() as conn:
        slipped = {s.ref: s for s in slippage(series_threads(conn, found))}
        view = conn.execute(
            text(
                "SELECT series, ref, times_slipped, days_slipped, first_due, latest_due "
                "FROM slipped_recommendations"
            )
        ).all()
        regressed = conn.execute(
            text("SELECT ref, old, new FROM recommendation_changes WHERE regressed = 1")
        ).all()
    assert set(slipped) == {"1", "2"}
    assert len(slipped["1"].slips) == 2 and slipped["1"].days == 183 + 182
    assert slipped["1"].first_due == "March 2009" and slipped["1"].latest_due == "March 2010"
    assert [c.new for _, _, c in slipped["2"].regressions] == ["ongoing"]
    assert view == [(found.name, "1", 2, 365, "2009-03", "2010-03")]
    assert regressed == [("2", "complete", "ongoing")]


def test_history_follows_a_recommendation_by_old_or_new_ref(
    tmp_path: Path, tracker_versions: list[Path]
) -> None:
    engine = ingest(tmp_path, tracker_versions)
    (found,) = refresh_series(engine)
    with engine.connect() as conn:
        threads = series_threads(conn, found)
    (by_new,) = find_threads(threads, "4")
    (by_old,) = find_threads(threads, "3")
    assert by_new is by_old
    assert [r["status"] for _, r in by_new.appearances] == ["not_started", "ongoing", "complete"]
    assert find_threads(threads, "99") == []


def test_add_to_series_by_hand_survives_regrouping(
    tmp_path: Path, tracker_versions: list[Path], make_tracker: PaperFactory
) -> None:
    v1, v2, v3 = tracker_versions
    lighting, elsewhere = distractors(make_tracker)
    engine = ingest(tmp_path, [*tracker_versions, lighting, elsewhere])
    with engine.connect() as conn:
        ids = dict(conn.execute(text("SELECT source, doc_id FROM documents")).all())
    manual = add_to_series(engine, "custody", [ids["v3.docx"], ids["elsewhere.html"]])
    assert manual.origin == "manual"
    # meeting order, not the order given
    assert [p.source for p in manual.papers] == ["elsewhere.html", "v3.docx"]
    ensure_series(engine)  # nothing new: no regrouping
    ingest_paths(
        [make_tracker("late.html", "1 May 2010", (("1", "x", "y", "Ongoing", ""),))], engine
    )
    ensure_series(engine)  # a new document: regrouped, the manual series kept as it was
    with engine.connect() as conn:
        by_name = {s.name: [p.source for p in s.papers] for s in list_series(conn)}
    assert by_name["custody"] == ["elsewhere.html", "v3.docx"]
    assert ["v1.docx", "v2.html"] in by_name.values()


def paper(doc_id: str, committee: str | None, date: str | None, title: str) -> Paper:
    return Paper(doc_id, f"{doc_id}.pdf", title, committee, date, 0)


def rec(ref: str, text_: str) -> dict[str, object]:
    return {"type": "recommendation", "ref": ref, "text": text_}


def test_group_papers_needs_shared_recommendations_not_just_shared_refs() -> None:
    a = paper("a", "Audit Committee", "2009-01-01", "Performance and improvement update")
    b = paper("b", "Audit Committee", "2009-06-01", "Performance and improvement update")
    c = paper("c", "Audit Committee", "2009-09-01", "Performance and improvement update")
    recs = {
        "a": [rec("1", "Introduce a succession plan"), rec("2", "Publish vacancies")],
        "b": [rec("1", "Close the old depot"), rec("2", "Sell the surplus vehicles")],
        "c": [rec("1", "Introduce a succession plan"), rec("2", "Publish all vacancies")],
    }
    (group,) = group_papers([c, b, a], recs)
    assert [p.doc_id for p in group] == ["a", "c"]


def test_group_papers_keeps_one_paper_printed_twice_apart() -> None:
    a = paper("a", "Audit Committee", "2009-01-01", "Custody audit")
    b = paper("b", "Audit Committee", "2009-01-01", "Custody audit")
    recs = {d: [rec("1", "Introduce a succession plan")] for d in "ab"}
    assert group_papers([a, b], recs) == []


def test_series_name_is_unique_and_readable() -> None:
    group = [
        paper(
            "a",
            "Corporate Governance Committee",
            "2008-06-19",
            "Strategy and Improvement Department – key pieces of work for 08/09",
        ),
        paper(
            "b",
            "Corporate Governance Committee",
            "2008-11-20",
            "Strategy and Improvement Department – progress on the 2008/09 work programme",
        ),
    ]
    base = "cgc-strategy-improvement-department-work-2008"
    assert series_name(group, set()) == base
    assert series_name(group, {base}) == f"{base}-2"


def test_refresh_series_adds_a_later_version_to_the_same_series(
    tmp_path: Path, tracker_versions: list[Path]
) -> None:
    v1, v2, v3 = tracker_versions
    engine = ingest(tmp_path, [v1, v2])
    (before,) = refresh_series(engine)
    assert ingest_paths([v3], engine).ok
    ensure_series(engine)  # only the new paper is compared with the others
    with engine.connect() as conn:
        (after,) = list_series(conn)
        pairs = conn.execute(
            text("SELECT DISTINCT from_doc, to_doc FROM recommendation_changes ORDER BY from_date")
        ).all()
    assert after.name == before.name and len(after.papers) == 3
    assert [tuple(p) for p in pairs] == list(zip(after.doc_ids, after.doc_ids[1:], strict=False))
