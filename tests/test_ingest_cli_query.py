"""The analysts' commands end to end: papers ingested through the CLI, then questioned."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.cli import app
from store.readonly import run_query

runner = CliRunner()
METADATA = Path(__file__).resolve().parent.parent / "store" / "datasette" / "metadata.json"


def paper(title: str, rows: str, rating: str, catering: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
        "<p>Progress on succession planning and the estates strategy.</p>"
        "<h2>Recommendations</h2><table><tr><th>No</th><th>Recommendation</th><th>Owner</th>"
        f"<th>Timescale</th><th>Status</th></tr>{rows}</table>"
        "<h2>Savings</h2><table><tr><th>Saving</th><th>2011/12</th><th>2012/13</th></tr>"
        f"<tr><th></th><th>£m</th><th>£m</th></tr><tr><td>Catering</td><td>{catering}</td>"
        "<td>-2.0</td></tr><tr><td>Transport</td><td>-0.5</td><td>-1.0</td></tr></table>"
        "<h3>Estates programme</h3><table><tr><th>Criteria</th><th>RAG</th><th>Rationale</th>"
        f"</tr><tr><td>Overall programme status</td><td>{rating}</td><td>Disposals.</td></tr>"
        "</table></body></html>"
    )


def row(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Two versions of a tracker: March (amber) and June (green), the owner respelt."""
    march = paper(
        "Human Resources Committee – 3 March 2009",
        row("1", "Develop a succession planning strategy", "Head of HR", "March 2009", "Ongoing")
        + row("2", "Review the fleet", "Director of Finance", "2008/09", "Complete")
        + row("3", "Agree the estates plan", "", "30 June 2008", "Not started"),
        "Amber",
        "-1.0",
    )
    june = paper(
        "Human Resources Committee – 9 June 2009",
        row("1", "Develop a succession planning strategy", "HEAD OF  HR", "2009-Q3", "Ongoing")
        + row("2", "Review the fleet", "Director of Finance", "2008/09", "Complete")
        + row("3", "Agree the estates plan", "Head of Estates", "2010", "Ongoing"),
        "Green",
        "-1.5",
    )
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "hr-march.html").write_text(march, encoding="utf-8")
    (folder / "hr-june.html").write_text(june, encoding="utf-8")
    path = str(tmp_path / "papers.db")
    result = runner.invoke(app, ["ingest", str(folder), "--db", path])
    assert result.exit_code == 0, result.output
    return path


def invoke_json(*args: str) -> object:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_recs_filters_combine_and_formats(db: str) -> None:
    found = invoke_json("recs", "--db", db, "--owner", "head of hr", "--status", "ongoing")
    assert isinstance(found, list)
    assert sorted((r["source"], r["ref"]) for r in found) == [
        ("hr-june.html", "1"),
        ("hr-march.html", "1"),
    ]
    overdue = invoke_json("recs", "--db", db, "--overdue", "--as-of", "2009-07-01")
    assert [(r["source"], r["ref"], r["due_end"]) for r in overdue] == [
        ("hr-march.html", "3", "2008-06-30"),
        ("hr-march.html", "1", "2009-03-31"),
    ]
    text = invoke_json("recs", "--db", db, "--text", "succession", "--doc", "hr-june.html")
    assert [(r["ref"], r["due"]) for r in text] == [("1", "2009-Q3")]

    as_csv = runner.invoke(
        app,
        [
            "recs",
            "--db",
            db,
            "--committee",
            "human resources",
            "--due-after",
            "2010-01-01",
            "--format",
            "csv",
        ],
    )
    assert as_csv.exit_code == 0
    (only,) = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert (only["ref"], only["owner"], only["due"]) == ("3", "Head of Estates", "2010")
    lines = runner.invoke(app, ["recs", "--db", db, "--format", "jsonl"]).stdout.splitlines()
    assert len(lines) == 6 and json.loads(lines[0])["ref"] == "1"

    table = runner.invoke(app, ["recs", "--db", db, "--status", "not started"])
    assert table.exit_code == 0 and "1 recommendation" in table.stdout
    assert "hr-march.html" in table.stdout and "estates" in table.stdout


def test_recs_refuses_bad_filters_on_one_line(db: str) -> None:
    for args in (["--status", "done"], ["--due-before", "March 2009"]):
        result = runner.invoke(app, ["recs", "--db", db, *args])
        assert result.exit_code == 2
        assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    # --format is a choice: the parser refuses other values and names the ones allowed
    result = runner.invoke(app, ["recs", "--db", db, "--format", "xml"])
    assert result.exit_code == 2 and "'xml' is not one of 'table', 'csv'" in result.stderr


def test_search_lists_passages_with_paper_and_snippet(db: str) -> None:
    hits = invoke_json("search", "succession planning", "--db", db)
    assert isinstance(hits, list)
    kinds = sorted({h["kind"] for h in hits})
    assert kinds == ["block", "record"]
    assert {h["source"] for h in hits} == {"hr-march.html", "hr-june.html"}
    assert all("[succession] [planning]" in h["snippet"].lower() for h in hits)
    table = runner.invoke(app, ["search", "disposals", "--db", db])
    assert table.exit_code == 0 and "table 2 row 1" in table.stdout
    bad = runner.invoke(app, ["search", "estates NEAR(", "--db", db])
    assert bad.exit_code == 1 and bad.stderr.startswith("error: cannot search")


def test_sql_reads_and_refuses_writes(db: str) -> None:
    rows = invoke_json("sql", "SELECT count(*) AS n FROM recommendations", "--db", db)
    assert rows == [{"n": 6}]
    refused = runner.invoke(app, ["sql", "DELETE FROM records", "--db", db])
    assert refused.exit_code == 1
    assert refused.stderr.strip() == "error: read-only database: DELETE refused"
    assert sqlite3.connect(db).execute("SELECT count(*) FROM recommendations").fetchone() == (6,)


def test_savings_pivot_per_paper_with_totals(db: str) -> None:
    pivots = invoke_json("savings", "--db", db, "--doc", "hr-june.html", "--unit", "£m")
    assert isinstance(pivots, list)
    (pivot,) = pivots
    assert pivot["periods"] == ["2011/12", "2012/13"]
    assert pivot["totals"] == {"2011/12": -2.0, "2012/13": -3.0}
    assert pivot["grand_total"] == -5.0
    table = runner.invoke(app, ["savings", "--db", db])
    assert table.exit_code == 0 and "Catering" in table.stdout and "hr-march.html" in table.stdout


def test_rag_latest_and_changes(db: str) -> None:
    (latest,) = invoke_json("rag", "--db", db)  # type: ignore[misc]
    assert latest["latest"]["rating"] == "green"
    assert [p["rating"] for p in latest["history"]] == ["amber", "green"]
    changes = runner.invoke(app, ["rag", "--db", db, "--changes", "--format", "csv"])
    (change,) = list(csv.DictReader(io.StringIO(changes.stdout)))
    assert (change["from"], change["to"], change["to_date"]) == ("amber", "green", "2009-06-09")
    table = runner.invoke(app, ["rag", "--db", db])
    assert table.exit_code == 0 and "Estates" in table.stdout and "green" in table.stdout


def test_datasette_canned_queries_run_on_a_real_database(db: str) -> None:
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    queries = metadata["databases"]["papers"]["queries"]
    assert {"overdue", "slipped_more_than_once", "no_owner", "by_owner"} <= set(queries)
    params = {"as_of": "2009-07-01", "committee": "", "owner": ""}
    results = {}
    for name, query in queries.items():
        sql = query["sql"]
        for key, value in params.items():  # run_query takes no parameters: inline them
            sql = sql.replace(f":{key}", f"'{value}'")
        results[name] = run_query(db, sql).as_dicts()
    assert [(r["source"], r["ref"]) for r in results["overdue"]] == [
        ("hr-march.html", "3"),
        ("hr-march.html", "1"),
    ]
    assert [r["ref"] for r in results["no_owner"]] == ["3"]
    assert {r["owner"] for r in results["by_owner"]} >= {"Head of HR", "Director of Finance"}
    for table in metadata["databases"]["papers"]["tables"]:
        assert run_query(db, f"SELECT * FROM {table} LIMIT 1").columns
