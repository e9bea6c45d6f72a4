"""The batch runner: folders expanded, failures one line each, nothing partial stored."""

from __future__ import annotations

from pathlib import Path

from conftest import PaperFactory
from sqlalchemy import text

from ingest.batch import expand_paths, ingest_paths, one_line
from parsers.errors import EmptyFileError
from store.database import open_database


def test_expand_paths_recurses_and_skips_sidecars_and_hidden_files(tmp_path: Path) -> None:
    for name in ("a.pdf", "sub/b.txt", "sub/b.gold.jsonl", "notes.md", "x.json",
                 ".hidden.txt", ".git/c.txt", "odd.bin"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])]
    assert found == ["a.pdf", "odd.bin", "sub/b.txt"]
    # named explicitly, and twice: tried once
    assert list(expand_paths([tmp_path / "x.json", tmp_path / "x.json"])) == [tmp_path / "x.json"]


def test_ingest_paths_failures_are_one_line_and_the_batch_goes_on(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    good = make_html_paper("papers/good.html")
    (tmp_path / "papers" / "empty.pdf").write_bytes(b"")
    (tmp_path / "papers" / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    result = ingest_paths([tmp_path / "papers", tmp_path / "missing.pdf"], tmp_path / "p.db")
    assert [o.path.name for o in result.stored] == [good.name]
    assert len(result.errors) == 3 and not result.ok
    for line in result.errors:
        assert "\n" not in line and "Traceback" not in line
    assert any("empty.pdf: file is empty" in e for e in result.errors)
    assert any("old.doc: content is a legacy binary Office file" in e for e in result.errors)
    assert any("missing.pdf: no such file or folder" in e for e in result.errors)
    with open_database(tmp_path / "p.db").connect() as conn:
        assert conn.execute(text("SELECT source FROM documents")).scalars().all() == ["good.html"]


def test_ingest_paths_same_bytes_skipped_unless_forced(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    a, b = make_html_paper("a.html"), make_html_paper("b.html")
    db = tmp_path / "p.db"
    first = ingest_paths([a, b], db)
    assert [o.status for o in first.outcomes] == ["stored", "duplicate"]
    again = ingest_paths([a], db, force=True)
    assert [o.status for o in again.outcomes] == ["replaced"]
    assert again.tables == 1 and again.records["table"] == 1


def test_ingest_paths_stores_warnings_on_the_document(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    html = make_html_paper("paper.html")
    misnamed = html.rename(tmp_path / "paper.txt")
    result = ingest_paths([misnamed], tmp_path / "p.db")
    assert result.warnings == [f"{misnamed}: extension .txt but content is html; parsed as html"]
    with open_database(tmp_path / "p.db").connect() as conn:
        stored = conn.execute(text("SELECT warnings FROM documents")).scalar_one()
    assert "extension .txt but content is html" in stored


def test_one_line_names_the_file_once_for_any_exception() -> None:
    path = Path("in/paper.pdf")
    assert one_line(path, EmptyFileError("paper.pdf: file is empty (0 bytes)")) == \
        "in/paper.pdf: file is empty (0 bytes)"
    missing = one_line(path, ModuleNotFoundError("No module named 'parsers.pdf'"))
    assert missing == "in/paper.pdf: no parser available for this format " \
        "(No module named 'parsers.pdf')"
    unexpected = one_line(path, ValueError("bad\n  row"))
    assert unexpected == "in/paper.pdf: unexpected ValueError: bad row"
