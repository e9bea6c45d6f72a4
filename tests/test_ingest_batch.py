"""The batch runner: folders expanded, failures one line each, nothing partial stored."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from conftest import PaperFactory
from sqlalchemy import text

from ingest.batch import expand_paths, ingest_paths, one_line
from ingest.workers import Limits
from parsers.errors import EmptyFileError
from store.database import open_database

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_expand_paths_recurses_and_skips_sidecars_and_hidden_files(tmp_path: Path) -> None:
    for name in (
        "a.pdf",
        "sub/b.txt",
        "sub/b.gold.jsonl",
        "notes.md",
        "x.json",
        ".hidden.txt",
        ".git/c.txt",
        "odd.bin",
    ):
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
    assert (
        one_line(path, EmptyFileError("paper.pdf: file is empty (0 bytes)"))
        == "in/paper.pdf: file is empty (0 bytes)"
    )
    missing = one_line(path, ModuleNotFoundError("No module named 'parsers.pdf'"))
    assert (
        missing == "in/paper.pdf: no parser available for this format "
        "(No module named 'parsers.pdf')"
    )
    unexpected = one_line(path, ValueError("bad\n  row"))
    assert unexpected == "in/paper.pdf: unexpected ValueError: bad row"


def docx_with_body_xml(path: Path, doctype: str, text: str) -> Path:
    """A real Word file whose document.xml gets ``doctype`` and ``text`` put in raw."""
    from docx import Document

    doc = Document()
    doc.add_heading("Audit Committee – 3 March 2009", 1)
    doc.add_paragraph("PLACEHOLDER")
    plain = path.with_suffix(".plain.docx")
    plain.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(plain))
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8").replace("PLACEHOLDER", text)
                head, rest = xml.split("?>", 1)
                data = f"{head}?>{doctype}{rest}".encode()
            dst.writestr(info, data)
    plain.unlink()
    return path


def zip_bomb_docx(path: Path, unpacked_mb: int = 210) -> Path:
    """A package whose document.xml is tiny compressed and huge unpacked (whitespace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document><w:body>')
            chunk = b" " * 2**20
            for _ in range(unpacked_mb):
                fh.write(chunk)
            fh.write(b"</w:body></w:document>")
    return path


def test_ingest_paths_refuses_a_docx_zip_bomb_and_goes_on(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    bomb = zip_bomb_docx(tmp_path / "in" / "bomb.docx")
    assert bomb.stat().st_size < 2 * 2**20
    good = make_html_paper("in/good.html")
    result = ingest_paths([tmp_path / "in"], tmp_path / "p.db", workers=1)
    failed = result.with_status("error")
    assert [o.path for o in failed] == [bomb] and [o.path for o in result.stored] == [good]
    assert failed[0].kind == "ResourceLimitError" and "zip bomb" in (failed[0].message or "")


def test_ingest_paths_never_resolves_xml_entities_in_docx(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    xxe = docx_with_body_xml(
        tmp_path / "in" / "xxe.docx",
        f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>',
        "&xxe;",
    )
    laughs = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = docx_with_body_xml(
        tmp_path / "in" / "laughs.docx",
        f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{laughs}]>',
        "&lol9;",
    )
    db = tmp_path / "p.db"
    result = ingest_paths([xxe, bomb], db, workers=1, limits=Limits(timeout=30))
    # the external entity is left unresolved; the expansion bomb is refused by the XML
    # parser (or stored unexpanded), never left to hit a limit
    assert result.outcomes[0].status == "stored"
    assert result.outcomes[1].kind in (None, "DamagedFileError")
    with open_database(db).connect() as conn:
        texts = " ".join(conn.execute(text("SELECT text FROM blocks")).scalars())
        data = " ".join(conn.execute(text("SELECT data FROM records")).scalars())
    assert "TOP-SECRET" not in texts + data
    assert "lollol" not in texts + data


def test_ingest_command_reports_a_bad_batch_as_lines_and_errors_json(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    from typer.testing import CliRunner

    from ingest.cli import app

    pdf = (SAMPLES / "tb-20101124-discharge-planning-action-plan.pdf").read_bytes()
    folder = tmp_path / "in"
    make_html_paper("in/good.html")
    (folder / "cut.pdf").write_bytes(pdf[: len(pdf) // 2])
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "notes.docx").write_text("Audit Committee\n\nMinutes of the meeting.\n", "utf-8")
    report = tmp_path / "errors.json"
    args = ["ingest", str(folder), "--db", str(tmp_path / "p.db"), "--workers", "2",
            "--errors-json", str(report)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and "Traceback" not in result.output
    got = json.loads(report.read_text("utf-8"))
    assert {(Path(e["file"]).name, e["kind"]) for e in got["errors"]} == {
        ("cut.pdf", "DamagedFileError"), ("empty.pdf", "EmptyFileError")}  # fmt: skip
    assert all(e["message"].startswith(e["file"]) for e in got["errors"] + got["warnings"])
    assert [Path(w["file"]).name for w in got["warnings"]] == ["notes.docx"]
    assert (got["ok"], got["files"], got["stored"]) == (False, 4, 2)
    assert "failures" in result.stdout and "documents stored" in result.stdout


def test_ingest_paths_same_bytes_in_one_batch_parsed_once(
    tmp_path: Path, make_html_paper: PaperFactory
) -> None:
    a, b = make_html_paper("a.html"), make_html_paper("b.html")
    (tmp_path / "c.pdf").write_bytes(b"")
    (tmp_path / "d.pdf").write_bytes(b"")
    result = ingest_paths([a, tmp_path / "c.pdf", b, tmp_path / "d.pdf"], tmp_path / "p.db")
    assert [o.status for o in result.outcomes] == ["stored", "error", "duplicate", "error"]
    assert result.outcomes[2].doc_id == result.outcomes[0].doc_id
    assert (
        result.errors[1] == f"{tmp_path / 'd.pdf'}: same bytes as {tmp_path / 'c.pdf'}, "
        "which failed"
    )
    assert result.outcomes[3].kind == "EmptyFileError"
