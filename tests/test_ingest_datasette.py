"""Datasette on a real papertrail database, served by `papertrail datasette` (a real
server the test starts): a paper's row page links its tables, cells, blocks and records;
bookkeeping tables are hidden; the packaged metadata (descriptions, canned queries) is
used without a checkout's path; missing values are nulls; the main views have search."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ingest.cli import app

pytest.importorskip("datasette")
runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.fixture
def served(tmp_path: Path, make_html_paper: Any) -> Any:
    db = tmp_path / "council.db"
    paper = make_html_paper()
    # and the samples' PDF action plan: actions, with pages
    plan = ROOT / "samples" / "tb-20101124-discharge-planning-action-plan.pdf"
    assert runner.invoke(app, ["ingest", str(paper), str(plan), "--db", str(db)]).exit_code == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ingest", "datasette", str(db), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):  # the server takes a few seconds to start on a busy machine
            try:
                get(f"{base}/-/versions.json")
                break
            except OSError:
                time.sleep(0.2)
        yield base, db
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_paper_s_page_links_its_rows_and_internal_tables_are_hidden(served: Any) -> None:
    base, db = served
    sql = "select+doc_id+from+documents+where+format='html'"
    (doc_id,) = [r[0] for r in get(f"{base}/council.json?sql={sql}")["rows"]]
    row = get(f"{base}/council/documents/{doc_id}.json?_extras=foreign_key_tables")
    assert row["primary_keys"] == ["doc_id"]
    counts = {fk["other_table"]: fk["count"] for fk in row["foreign_key_tables"]}
    assert counts["tables"] == 1 and counts["records"] >= 3 and counts["cells"] > 0
    tables = {t["name"]: t["hidden"] for t in get(f"{base}/council.json")["tables"]}
    assert tables["alembic_version"] and tables["series_grouping"] and not tables["records"]


def test_the_packaged_metadata_is_used_under_the_file_s_own_name(served: Any) -> None:
    base, _ = served
    metadata = get(f"{base}/-/metadata.json")
    assert "council" in metadata["databases"]
    queries = get(f"{base}/council.json")["queries"]
    assert {"overdue", "no_owner"} <= {q["name"] for q in queries}


def test_metadata_path_is_printed_and_is_the_package_s() -> None:
    result = runner.invoke(app, ["datasette", "--metadata-path"])
    path = Path(result.stdout.strip())
    assert result.exit_code == 0 and path.is_file() and path.name == "metadata.json"
    assert json.loads(path.read_text(encoding="utf-8"))["databases"]["papers"]["queries"]


def test_overdue_query_takes_a_date_and_nothing_else(served: Any) -> None:
    """A malformed as_of used to compare as text and mark every recommendation overdue."""
    base, _ = served

    def overdue(as_of: str) -> list[Any]:
        url = f"{base}/council/overdue.json?as_of={as_of}&committee=&owner=&_shape=array"
        return list(get(url))

    assert [r["ref"] for r in overdue("2010-01-01")] == ["1"]  # "March 2009", not complete
    assert overdue("2009-01-01") == []
    assert overdue("zzzz") == [] and overdue("2010-13-45") == []


def test_missing_values_are_nulls_in_the_views_and_tables(served: Any) -> None:
    """An HTML paper has no pages and this one no management response: the JSON API
    gives null for them, not the string "null" (the loader wrote the JSON text ``null``
    into ``records.pages``, which ``recommendation_register`` passed on)."""
    base, _ = served
    register = get(f"{base}/council/recommendation_register.json?ref=1&_shape=array"
                   "&source=paper.html")  # fmt: skip
    (row,) = register
    assert row["text"] == "Publish the register" and row["pages"] is None
    (rec,) = get(f"{base}/council/recommendations.json?ref=1&doc_id={row['doc_id']}&_shape=array")
    assert rec["pages"] is None and rec["response"] is None
    (record,) = get(f"{base}/council/records.json?id={row['record_id']}&_shape=array")
    assert record["pages"] is None
    cells = get(f"{base}/council/cells.json?doc_id={row['doc_id']}&_shape=array&_size=3")
    assert cells and all(c["pages"] is None and c["bbox"] is None for c in cells)
    # a PDF's pages are still there
    actions = get(f"{base}/council/actions.json?ref=1.1&_shape=array")
    assert [a["pages"] for a in actions] == ["[1]"]


def test_the_main_views_have_full_text_search(served: Any) -> None:
    """?_search= on a view over records keeps the rows whose text matches (records_fts,
    by record_id); the view's page shows the search box."""
    base, _ = served

    def refs(view: str, words: str) -> list[str]:
        url = f"{base}/council/{view}.json?_search={words}&_shape=array"
        return sorted(r["ref"] for r in get(url))

    assert refs("recommendations", "register") == ["1"]  # "Publish the register"
    assert refs("recommendation_register", "managers") == ["2"]  # "Train all managers"
    assert refs("actions", "discharge+summary") == ["3.1", "3.2"]  # both mention one
    assert len(get(f"{base}/council/actions.json?_shape=array")) == 11  # unfiltered: all
    with urllib.request.urlopen(f"{base}/council/actions", timeout=10) as response:
        assert 'name="_search"' in response.read().decode("utf-8")
