"""Loading documents: everything of a document in one transaction, keyed by its bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from conftest import PaperFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from normalise.records import document_records
from parsers.model import Document
from parsers.registry import parse_file
from store.database import open_database
from store.export import iter_records
from store.load import StoreError, load_document

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
        cell = conn.execute(text(
            "SELECT text FROM cells WHERE is_header = 0 AND row_index = 1 AND col_index = 2"
        )).scalar()
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
        hits = conn.execute(text(
            "SELECT count(*) FROM blocks_fts WHERE blocks_fts MATCH 'Director'"
        )).scalar()
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


def test_load_document_rejects_a_record_of_another_document(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    engine = open_database(tmp_path / "p.db")
    doc, recs = parsed(make_html_paper())
    stray = {"type": "action", "doc_id": "0000000000000000", "ref": "1"}
    with pytest.raises(StoreError, match="belongs to doc_id 0000000000000000"):
        load_document(engine, doc, [*recs, stray])
    assert counts(engine)["documents"] == 0


json_scalars = st.none() | st.booleans() | st.integers(-10**9, 10**9) | st.text(max_size=20) \
    | st.floats(allow_nan=False, allow_infinity=False)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=8,
)
record_bodies = st.lists(
    st.tuples(
        st.sampled_from(["recommendation", "action", "saving", "rag", "entity", "new_kind"]),
        st.dictionaries(st.text(min_size=1, max_size=8).filter(lambda k: k not in
                        ("type", "doc_id")), json_values, max_size=5),
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
