"""The contract export: order, shape, and CSV files per record type."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import PaperFactory

from normalise.records import document_records
from parsers.registry import parse_file
from store.database import open_database
from store.export import iter_records, write_csv_files, write_jsonl
from store.load import load_document


def test_iter_records_per_document_in_ingest_order_document_then_tables(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    engine = open_database(tmp_path / "p.db")
    first = parse_file(make_html_paper("b.html", title="Second Committee"))
    second = parse_file(make_html_paper("a.html", title="First Committee"))
    expected = []
    for doc in (first, second):
        recs = document_records(doc)
        extra = {"type": "action", "doc_id": doc.doc_id, "ref": "1", "text": "Do it"}
        # handed over out of order: the export still starts each document with its record
        handed = [extra, *reversed(recs)]
        load_document(engine, doc, handed)
        expected += [r for r in recs if r["type"] == "document"]
        expected += [r for r in recs if r["type"] == "table"]
        expected += [r for r in handed if r["type"] not in ("document", "table")]
    with engine.connect() as conn:
        assert list(iter_records(conn)) == expected
    assert expected[0]["doc_id"] == first.doc_id and expected[-1]["doc_id"] == second.doc_id


def test_write_jsonl_is_the_normalised_records_exactly(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    engine = open_database(tmp_path / "p.db")
    doc = parse_file(make_html_paper())
    recs = document_records(doc)
    load_document(engine, doc, recs)
    out = io.StringIO()
    with engine.connect() as conn:
        assert write_jsonl(iter_records(conn), out) == len(recs)
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == json.loads(json.dumps([dict(r) for r in recs]))
    assert "–" in lines[0]  # UTF-8 as is, not \u2013


def test_write_csv_files_one_file_per_type_contract_columns_first(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    engine = open_database(tmp_path / "p.db")
    doc = parse_file(make_html_paper())
    saving = {
        "type": "saving",
        "doc_id": doc.doc_id,
        "item": "Overtime",
        "group": None,
        "period": "2011/12",
        "unit": "£m",
        "value": -8.2,
        "pages": [2, 3],
        "note": "x",
    }
    load_document(engine, doc, [*document_records(doc), saving])
    written = write_csv_files(engine, tmp_path / "csv")
    assert written["document"] == written["table"] == written["saving"] == 1
    with (tmp_path / "csv" / "saving.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [
        "type",
        "doc_id",
        "item",
        "group",
        "period",
        "unit",
        "value",
        "pages",
        "note",
    ]
    assert rows[1][2:] == ["Overtime", "", "2011/12", "£m", "-8.2", "[2, 3]", "x"]
