"""Datasette on a real papertrail database, served by `papertrail datasette` (a real
server the test starts): a paper's row page links its tables, cells, blocks and records;
bookkeeping tables are hidden; the packaged metadata (descriptions, canned queries) is
used without a checkout's path."""

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
    assert runner.invoke(app, ["ingest", str(paper), "--db", str(db)]).exit_code == 0
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
    (doc_id,) = [r[0] for r in get(f"{base}/council.json?sql=select+doc_id+from+documents")["rows"]]
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
