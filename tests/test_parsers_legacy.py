"""Word 97-2003, OpenDocument and RTF papers through LibreOffice and the DOCX parser.

The legacy copies are written at test time by LibreOffice itself from a sample DOCX, then
ingested with the real CLI: they must give the records the DOCX gives.  Tests that need
LibreOffice skip, saying so, where it is not installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from parsers.errors import UnsupportedFormatError
from parsers.legacy import soffice
from parsers.registry import detect_format
from store.database import open_database

try:
    from tests.golden import SAMPLES_DIR, cli_command, export_sample
    from tests.scans import libreoffice_copy
except ModuleNotFoundError:  # bare `pytest` puts tests/ (not the repo root) on sys.path
    from golden import SAMPLES_DIR, cli_command, export_sample  # type: ignore[no-redef]
    from scans import libreoffice_copy  # type: ignore[no-redef]

SAMPLE = SAMPLES_DIR / "arc-20090310-custody-audit-recommendations.docx"
needs_libreoffice = pytest.mark.skipif(
    soffice() is None,
    reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)",
)
OWN = ("doc_id", "source", "format")  # what a legacy copy does not share with its DOCX


@pytest.fixture(scope="module")
def legacy_copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample as .doc, .odt and .rtf, written by LibreOffice once for the module."""
    out = tmp_path_factory.mktemp("legacy")
    return {fmt: libreoffice_copy(SAMPLE, out, fmt) for fmt in ("doc", "odt", "rtf")}


def _shared(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in OWN} for r in records]


@needs_libreoffice
@pytest.mark.parametrize("fmt", ["doc", "odt", "rtf"])
def test_legacy_copy_gives_the_records_of_its_docx(
    fmt: str, legacy_copies: dict[str, Path], tmp_path: Path
) -> None:
    copy = legacy_copies[fmt]
    original = export_sample(SAMPLE, tmp_path / "docx")
    legacy = export_sample(copy, tmp_path / fmt)
    assert original.ok, original.failure()
    assert legacy.ok, legacy.failure()
    assert len(original.records) > 20  # the tracker's tables and rows, not an empty paper
    assert _shared(legacy.records) == _shared(original.records)
    document = legacy.records[0]
    assert document["type"] == "document"
    assert document["format"] == fmt
    assert document["source"] == copy.name
    assert document["doc_id"] == hashlib.sha256(copy.read_bytes()).hexdigest()[:16]


@needs_libreoffice
def test_detect_format_by_content_not_extension(
    legacy_copies: dict[str, Path], tmp_path: Path
) -> None:
    for fmt, path in legacy_copies.items():
        renamed = tmp_path / f"{fmt}-paper.txt"
        renamed.write_bytes(path.read_bytes())
        found, warnings = detect_format(renamed)
        assert found == fmt
        assert warnings == [f"{renamed.name}: extension .txt but content is {fmt}; parsed as {fmt}"]
    assert detect_format(legacy_copies["doc"].rename(tmp_path / "old.dot")) == ("doc", [])


def test_detect_format_ole_file_that_is_not_word(tmp_path: Path) -> None:
    """An OLE compound file without a WordDocument stream (a spreadsheet) is refused."""
    path = tmp_path / "budget.doc"
    directory = "Workbook".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + directory + b"\0" * 100)
    with pytest.raises(UnsupportedFormatError, match="budget.doc: content is a legacy binary"):
        detect_format(path)
    word = tmp_path / "minutes.bin"
    word.write_bytes(path.read_bytes().replace(directory, "WordDocument".encode("utf-16-le")))
    assert detect_format(word)[0] == "doc"


def test_detect_format_rtf_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("{\\rtf1\\ansi Recommendations\\par}", encoding="ascii")
    assert detect_format(path)[0] == "rtf"


def test_ingest_without_libreoffice_names_the_file_and_what_to_install(
    tmp_path: Path, make_html_paper: Any
) -> None:
    """With no LibreOffice to run, a .doc fails with one line saying what to install,
    and the rest of the batch is stored."""
    paper = make_html_paper("papers/good.html")
    (paper.parent / "old.rtf").write_text("{\\rtf1\\ansi Minutes\\par}", encoding="ascii")
    env = {**os.environ, "PAPERTRAIL_SOFFICE": str(tmp_path / "no-such-soffice")}
    run = subprocess.run(
        [*cli_command(), "ingest", str(paper.parent), "--db", str(tmp_path / "p.db")],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 1
    lines = [ln for ln in run.stderr.splitlines() if "old.rtf" in ln]
    assert len(lines) == 1, run.stderr
    assert "an RTF document needs LibreOffice to be read" in lines[0]
    assert "apt-get install libreoffice-writer-nogui" in lines[0]
    with open_database(tmp_path / "p.db").connect() as conn:
        stored = conn.execute(text("SELECT source FROM documents")).scalars().all()
    assert stored == ["good.html"]
