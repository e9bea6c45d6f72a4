"""The registry of record types (normalise.record_types): typed, immutable records whose
dataclass fields are the export's field list, and a new type that is one entry."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from normalise.nlp import entity_records
from normalise.record_types import (
    EXTRA,
    RECORD_TYPES,
    DocumentRecord,
    Recommendation,
    Record,
    TableRecord,
    record_type,
    unregister,
)
from normalise.trackers import WITHOUT_REVISED_DUE
from parsers.model import Document
from store.database import open_database
from store.export import iter_records, write_csv_files, write_jsonl
from store.load import load_document
from store.rows import record_row

ROOT = Path(__file__).resolve().parents[1]


def test_record_with_an_unknown_field_fails() -> None:
    with pytest.raises(TypeError, match="colour"):
        Recommendation(doc_id="d", colour="red")  # type: ignore[call-arg]
    rec = Recommendation(doc_id="d", ref="1")
    with pytest.raises(TypeError, match="colour"):
        dataclasses.replace(rec, colour="red")  # type: ignore[call-arg]


def test_record_is_immutable_and_refined_by_replace() -> None:
    rec = Recommendation(doc_id="d", ref="1", text="Publish the register")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.owner = "Clerk"  # type: ignore[misc]
    owned = dataclasses.replace(rec, owner="Clerk")
    assert (rec.owner, owned.owner) == (None, "Clerk")


def test_contract_fields_are_the_dataclass_fields_in_order() -> None:
    rec = Recommendation(doc_id="d")
    exported = list(rec.as_dict())
    assert exported[0] == "type" and rec["type"] == "recommendation"
    contract = RECORD_TYPES["recommendation"].fields
    # the contract's fields are the exported ones but the extras, in the same order
    assert [f for f in exported if f in contract] == list(contract)
    assert [f.name for f in dataclasses.fields(Recommendation) if f.name in contract] == list(
        contract
    )
    assert set(exported) - set(contract) == {
        "type", "revised_due", "revised_due_raw", "table_index", "confidence", "issues",
    }  # fmt: skip


def test_exported_form_leaves_out_internal_unset_and_absent_fields() -> None:
    table = TableRecord(doc_id="d", index=0)
    assert "grid" not in table and "ocr_confidence" not in table
    assert "ocr_confidence" in dataclasses.replace(table, ocr_confidence=0.5)
    plan = Recommendation(doc_id="d", absent=WITHOUT_REVISED_DUE)
    assert "revised_due" not in plan.as_dict() and "revised_due" in Recommendation(doc_id="d")
    with pytest.raises(KeyError):
        plan["revised_due"]
    assert dict(plan) == plan.as_dict() and plan == plan.as_dict()


def test_registering_a_field_the_type_does_not_have_fails() -> None:
    with pytest.raises(ValueError, match=r"nlp_fields names no field of it: \['title'\]"):

        @record_type("broken", nlp_fields=("title",))
        @dataclass(frozen=True, kw_only=True, eq=False)
        class Broken(Record):
            doc_id: str

    assert "broken" not in RECORD_TYPES


@pytest.fixture
def milestone() -> Iterator[type[Record]]:
    """A record type that is not papertrail's, registered for one test."""

    @record_type("milestone", {"text": "title", "due": "due"}, nlp_fields=("title",))
    @dataclass(frozen=True, kw_only=True, eq=False)
    class Milestone(Record):
        doc_id: str
        title: str | None = None
        due: str | None = None
        confidence: float | None = field(default=None, metadata=EXTRA)
        pages: list[int] | None = None

    yield Milestone
    unregister("milestone")


def test_a_new_record_type_is_one_entry(milestone: type[Record], tmp_path: Path) -> None:
    """Registered once, a type is exported in its fields' order, stored with its promoted
    columns, written to its own CSV file and tagged by the NLP step."""
    doc = Document(source="m.txt", sha256="c" * 64, format="text")
    rec = milestone(doc_id=doc.doc_id, title="Open the custody suite by 31/03/2012",  # type: ignore[call-arg]
                    due="2012-03-31", confidence=0.9)  # fmt: skip
    assert RECORD_TYPES["milestone"].fields == ("doc_id", "title", "due", "pages")
    row = record_row(doc.doc_id, 1, rec)
    assert (row["type"], row["text"], row["due"], row["confidence"]) == (
        "milestone", "Open the custody suite by 31/03/2012", "2012-03-31", 0.9,
    )  # fmt: skip

    engine = open_database(tmp_path / "m.db")
    load_document(engine, doc, [DocumentRecord(doc_id=doc.doc_id, source="m.txt"), rec])
    out = io.StringIO()
    with engine.connect() as conn:
        write_jsonl(iter_records(conn, types=["milestone"]), out)
    line = json.loads(out.getvalue())
    assert list(line) == ["type", "doc_id", "title", "due", "confidence", "pages"]
    write_csv_files(engine, tmp_path / "csv")
    with (tmp_path / "csv" / "milestone.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == ["type", "doc_id", "title", "due", "pages", "confidence"]

    (date,) = [e for e in entity_records(doc.doc_id, [rec], []) if e.label == "DATE"]
    assert (date.record_type, date.field, date.normalised) == ("milestone", "title", "2012-03-31")


def test_no_module_keeps_its_own_untyped_record_alias() -> None:
    alias = re.compile(r"^Record = dict\[str, Any\]", re.MULTILINE)
    sources = [p for pkg in ("parsers", "normalise", "store", "ingest")
               for p in (ROOT / pkg).rglob("*.py")]  # fmt: skip
    assert [p.name for p in sources if alias.search(p.read_text(encoding="utf-8"))] == []
