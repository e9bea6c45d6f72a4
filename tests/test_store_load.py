"""Loading documents: everything of a document in one transaction, keyed by its bytes."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from conftest import PaperFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select, text

from normalise.records import document_records, normalise_document
from parsers.model import Document
from parsers.registry import parse_file
from store.database import open_database
from store.export import iter_records
from store.load import load_document
from store.rows import StoreError, record_row
from store.schema import cells, tables

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TABLES = ("documents", "tables", "cells", "blocks", "records")


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def parsed(path: Path) -> tuple[Document, list[dict[str, Any]]]:
    doc = parse_file(path)
    return doc, document_records(doc)


def test_load_document_stores_tables_cells_blocks_and_records(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    engine = open_database(tmp_path / "p.db")
    doc, recs = parsed(make_html_paper())
    result = load_document(engine, doc, recs, source_path="/papers/paper.html")
    assert result.status == "stored" and result.doc_id == doc.doc_id
    assert result.records["table"] == 1
    with engine.connect() as conn:
        row = conn.execute(text("SELECT sha256, source, format, table_count FROM documents")).one()
        assert tuple(row) == (doc.sha256, "paper.html", "html", 1)
        table = conn.execute(text("SELECT kind, row_count, col_count, header FROM tables")).one()
        assert table[1:3] == (2, 4) and "Recommendation" in table[3]
        cell = conn.execute(
            text("SELECT text FROM cells WHERE is_header = 0 AND row_index = 1 AND col_index = 2")
        ).scalar()
        assert cell == "Director"
        assert conn.execute(text("SELECT count(*) FROM blocks")).scalar() == len(doc.blocks)
        types = conn.execute(text("SELECT type FROM records ORDER BY ordinal")).scalars().all()
        assert types == [r["type"] for r in recs]


def test_load_document_same_bytes_twice_is_a_duplicate(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    engine = open_database(tmp_path / "p.db")
    doc, recs = parsed(make_html_paper("a.html"))
    copy, copy_recs = parsed(make_html_paper("copy/b.html"))
    assert copy.sha256 == doc.sha256
    load_document(engine, doc, recs)
    before = counts(engine)
    assert load_document(engine, copy, copy_recs).status == "duplicate"
    assert counts(engine) == before


def test_load_document_force_replaces_everything_of_it(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    engine = open_database(tmp_path / "p.db")
    doc, recs = parsed(make_html_paper())
    load_document(engine, doc, recs)
    before = counts(engine)
    assert load_document(engine, doc, recs, force=True).status == "replaced"
    assert counts(engine) == before
    with engine.connect() as conn:
        hits = conn.execute(
            text("SELECT count(*) FROM blocks_fts WHERE blocks_fts MATCH 'Director'")
        ).scalar()
    assert hits == 1  # the replaced document's blocks left the search index too


def test_load_document_failing_record_stores_nothing(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    engine = open_database(tmp_path / "p.db")
    doc, recs = parsed(make_html_paper())
    # inserted after the document, tables, cells and blocks: all of them must roll back
    bad = {"type": "recommendation", "doc_id": doc.doc_id, "ref": "9", "value": float("nan")}
    with pytest.raises(StoreError, match="not stored: ValueError: Out of range float"):
        load_document(engine, doc, [*recs, bad])
    assert counts(engine) == dict.fromkeys(TABLES, 0)
    assert load_document(engine, doc, recs).status == "stored"


def test_load_document_database_error_stores_nothing(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    engine = open_database(tmp_path / "p.db")
    doc, recs = parsed(make_html_paper())
    # a stray row left without its document (as foreign keys off would allow) takes the
    # place of the document's first record: SQLite refuses the records, after the rest
    with closing(sqlite3.connect(tmp_path / "p.db")) as raw, raw:  # foreign keys off
        raw.execute(
            "INSERT INTO records (doc_id, ordinal, type, data) VALUES (?, 0, 'x', '{}')",
            (doc.doc_id,),
        )
    with pytest.raises(StoreError, match="not stored: IntegrityError: UNIQUE constraint"):
        load_document(engine, doc, recs)
    assert counts(engine) == {**dict.fromkeys(TABLES, 0), "records": 1}


def test_load_document_cells_keep_their_pages_and_boxes(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "p.db")
    doc, recs = parsed(SAMPLES / "tb-20101124-discharge-planning-action-plan.pdf")
    load_document(engine, doc, recs)
    want = {
        (int(is_header), r, c): (cell.text, list(cell.pages), list(cell.bbox or ()))
        for is_header, grid in ((True, doc.tables[0].header), (False, doc.tables[0].rows))
        for r, row in enumerate(grid)
        for c, cell in enumerate(row)
        if not cell.covered
    }
    first_table = select(tables.c.id).where(tables.c.table_index == 0).scalar_subquery()
    query = select(cells.c.is_header, cells.c.row_index, cells.c.col_index, cells.c.text,
                   cells.c.pages, cells.c.bbox).where(cells.c.table_id == first_table)  # fmt: skip
    with engine.connect() as conn:
        got = {(h, r, c): (t, p, b) for h, r, c, t, p, b in conn.execute(query)}
    assert got == want and all(box for _, _, box in got.values())


def test_record_row_copies_the_filter_fields() -> None:
    entity = {"type": "entity", "doc_id": "d", "record_key": "R1", "text": "Head of HR",
              "confidence": 1, "pages": [2], "start": 0}  # fmt: skip
    row = record_row("d", 7, entity)
    assert (row["ordinal"], row["ref"], row["text"], row["status"]) == (7, "R1", "Head of HR", None)
    assert row["confidence"] == 1.0 and row["pages"] == [2] and row["data"] is entity
    table = record_row("d", 1, {"type": "table", "doc_id": "d", "index": 3, "rows": [["a"]]})
    assert table["table_index"] == 3 and table["text"] is None


def test_load_document_rejects_a_record_of_another_document(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    engine = open_database(tmp_path / "p.db")
    doc, recs = parsed(make_html_paper())
    stray = {"type": "action", "doc_id": "0000000000000000", "ref": "1"}
    with pytest.raises(StoreError, match="belongs to doc_id 0000000000000000"):
        load_document(engine, doc, [*recs, stray])
    assert counts(engine)["documents"] == 0


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**9), 10**9)
    | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
record_bodies = st.lists(
    st.tuples(
        st.sampled_from(["recommendation", "action", "saving", "rag", "entity", "new_kind"]),
        st.dictionaries(
            st.text(min_size=1, max_size=8).filter(lambda k: k not in ("type", "doc_id")),
            json_values,
            max_size=5,
        ),
    ),
    max_size=6,
)


def test_load_then_export_round_trips_any_records(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "p.db")
    doc = Document(source="x.txt", sha256=hashlib.sha256(b"x").hexdigest(), format="text")

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(bodies=record_bodies)
    def round_trip(bodies: list[tuple[str, dict[str, Any]]]) -> None:
        recs = [{"type": "document", "doc_id": doc.doc_id, "source": "x.txt"}]
        recs += [{"type": t, "doc_id": doc.doc_id, **body} for t, body in bodies]
        load_document(engine, doc, recs, force=True)
        with engine.connect() as conn:
            assert list(iter_records(conn)) == recs

    round_trip()


@pytest.mark.parametrize("handed", ["corrected document", "document as parsed"])
def test_header_row_found_by_the_classifier_is_stored_as_header_everywhere(
    tmp_path: Path, handed: str
) -> None:
    """A title printed over every column heads the grid, the column headings sit in the
    first body row: the table record, the tables row and the cells agree on one header,
    whether the store is handed the corrected document or the one the parser gave (the
    table record carries the corrected table, which tables and cells are written from)."""
    import docx

    document = docx.Document()
    grid = document.add_table(rows=3, cols=3)
    title = grid.cell(0, 0).merge(grid.cell(0, 2))
    title.text = "Table 2: Progress on the audit recommendations"
    for c, text_ in enumerate(("Recommendation", "Owner", "Status")):
        grid.cell(1, c).text = text_
    for c, text_ in enumerate(("Publish the register", "Clerk", "Complete")):
        grid.cell(2, c).text = text_
    path = tmp_path / "captioned.docx"
    document.save(str(path))
    engine = open_database(tmp_path / "c.db")
    parsed = parse_file(path)
    corrected, recs = normalise_document(parsed)
    load_document(engine, corrected if handed == "corrected document" else parsed, recs)
    with engine.connect() as conn:
        (record,) = [r for r in iter_records(conn) if r["type"] == "table"]
        row = conn.execute(select(tables.c.header_row_count, tables.c.row_count)).one()
        heads = conn.execute(
            select(cells.c.text).where(cells.c.is_header == 1).order_by(cells.c.col_index)
        ).scalars()
        body = conn.execute(select(cells.c.text).where(cells.c.is_header == 0)).scalars()
        assert record["header"] == ["Recommendation", "Owner", "Status"]
        assert record["rows"] == [["Publish the register", "Clerk", "Complete"]]
        assert tuple(row) == (1, 1)
        assert list(heads) == ["Recommendation", "Owner", "Status"]
        assert "Recommendation" not in set(body)
        assert record["context"] == "Table 2: Progress on the audit recommendations"
