"""Full-text search over records, table cells and text blocks; the FTS tables behind it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from ingest.batch import ingest_paths
from store import search as search_module
from store.database import open_database
from store.search import SearchError, fts_query, search

PAPER = (
    "<html><head><title>Human Resources Committee – 19 November 2009</title></head><body>"
    "<h1>Human Resources Committee – 19 November 2009</h1>"
    "<p>This report updates members on succession planning across the service.</p>"
    "<h2>Recommendations</h2><table>"
    "<tr><th>No</th><th>Recommendation</th><th>Owner</th><th>Timescale</th></tr>"
    "<tr><td>1</td><td>Develop a succession planning strategy</td><td>Head of HR</td>"
    "<td>March 2010</td></tr>"
    "<tr><td>2</td><td>Review the fleet replacement programme</td><td>Director of Transport</td>"
    "<td>2010</td></tr></table>"
    "<h3>Estates programme</h3><table><tr><th>Criteria</th><th>RAG</th><th>Rationale</th></tr>"
    "<tr><td>Overall programme status</td><td>Amber</td><td>Disposals delayed by the market.</td>"
    "</tr></table></body></html>"
)


@pytest.fixture
def paper_db(tmp_path: Path) -> tuple[Engine, Path]:
    paper = tmp_path / "hr-update.html"
    paper.write_text(PAPER, encoding="utf-8")
    engine = open_database(tmp_path / "p.db")
    assert ingest_paths([paper], engine).ok
    return engine, paper


def test_fts_query_quotes_each_word_and_keeps_fts_syntax() -> None:
    assert fts_query("succession planning") == '"succession" "planning"'
    assert fts_query("recruit* 2008/09 head's") == '"recruit"* "2008" "09" "head\'s"'
    assert fts_query('"fleet replacement" OR estates') == '"fleet replacement" OR estates'
    with pytest.raises(SearchError, match="nothing to search"):
        fts_query(" -- ")


def test_search_finds_record_cell_and_paragraph_with_snippets(
    paper_db: tuple[Engine, Path],
) -> None:
    engine, _ = paper_db
    with engine.connect() as conn:
        hits = search(conn, "succession planning").hits
        kinds = {(h.kind, h.where) for h in hits}
        assert ("record", "recommendation 1") in kinds
        assert any(kind == "block" for kind, _ in kinds)
        # the cell the recommendation was read from is not listed again
        assert not any(h.kind == "cell" and "strategy" in h.text for h in hits)
        rec = next(h for h in hits if h.kind == "record")
        assert rec.snippet == "Develop a [succession] [planning] strategy"
        assert rec.source == "hr-update.html" and rec.rank < 0
        assert [h.rank for h in hits] == sorted(h.rank for h in hits)

        (cell,) = search(conn, "disposals market").hits
        assert cell.kind == "cell" and cell.where == "table 1 row 1"
        owner = search(conn, "director transport", kinds=("cell",)).hits
        assert [h.where for h in owner] == ["table 0 row 2"]
        assert search(conn, "succession", doc_ids=("hr-update.html",)).hits
        assert search(conn, "succession", doc_ids=(hits[0].doc_id[:6],)).hits
        assert search(conn, "succession", doc_ids=("other.pdf",)).hits == []


def test_search_refuses_a_malformed_query(paper_db: tuple[Engine, Path]) -> None:
    engine, _ = paper_db
    with engine.connect() as conn, pytest.raises(SearchError, match="cannot search"):
        search(conn, "succession AND")


def test_search_ranks_only_the_newest_matches_past_the_window(
    paper_db: tuple[Engine, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _ = paper_db
    with engine.connect() as conn:
        everything = search(conn, "programme")
        monkeypatch.setattr(search_module, "RANK_WINDOW", 1)
        newest = search(conn, "programme")
    assert everything.capped == [] and newest.capped == ["record", "cell"]
    assert sum(h.kind == "record" for h in everything.hits) == 2
    assert [h.where for h in newest.hits if h.kind == "record"] == ["recommendation 2"]


def test_fts_tables_follow_replaced_documents_and_datasette_finds_them(
    paper_db: tuple[Engine, Path],
) -> None:
    engine, paper = paper_db
    assert ingest_paths([paper], engine, force=True).ok
    with engine.connect() as conn:
        for table in ("cells", "blocks", "records"):
            n = conn.execute(
                text(f"SELECT count(*) FROM {table}_fts WHERE {table}_fts MATCH 'succession'")
            ).scalar()
            stored = conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE text LIKE '%succession%'")
            ).scalar()
            assert n == stored > 0
            # the pattern Datasette's detect_fts looks for
            found = conn.execute(
                text("SELECT name FROM sqlite_master WHERE rootpage = 0 AND sql LIKE :p"),
                {"p": f'%VIRTUAL TABLE%USING FTS%content="{table}"%'},
            ).scalar()
            assert found == f"{table}_fts"
