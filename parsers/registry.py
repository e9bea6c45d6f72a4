"""Format detection by content and dispatch to the format's parser.

A new format is one module exposing ``parse(path, sha256) -> Document`` plus one entry
in ``PARSERS``; the file extension is only a hint (and a warning when it lies).
"""

from __future__ import annotations

import hashlib
import importlib
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from parsers.errors import DamagedFileError, EmptyFileError, UnsupportedFormatError
from parsers.model import Document

Parser = Callable[[Path, str], Document]

# format -> module holding parse(); imported lazily so a CLI start stays fast.
PARSERS: dict[str, str] = {
    "pdf": "parsers.pdf",
    "docx": "parsers.docx",
    "html": "parsers.html",
    "text": "parsers.text",
}
EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".htm": "html",
    ".html": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
}


def sniff_format(head: bytes, path: Path) -> str | None:
    """The format the first bytes show, or None when they show none we read."""
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            # a ZIP package (as DOCX is) whose directory cannot be read: name that damage
            raise DamagedFileError(
                f"{path.name}: damaged or truncated ZIP package (as a DOCX is): {exc}"
            ) from exc
        return None
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return None  # legacy OLE .doc / .xls: not read
    probe = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in probe:
        return "html"
    if b"\x00" in head[:4096]:
        return None
    return "text"


def detect_format(path: Path) -> tuple[str, list[str]]:
    """Return the format and any warnings (e.g. an extension that does not match)."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    if not head:
        raise EmptyFileError(f"{path.name}: file is empty (0 bytes)")
    fmt = sniff_format(head, path)
    hinted = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        what = "a legacy binary Office file" if head[:4] == b"\xd0\xcf\x11\xe0" else "unrecognised"
        raise UnsupportedFormatError(
            f"{path.name}: content is {what}; papertrail reads PDF, DOCX, HTML and text"
        )
    warnings = []
    if hinted != fmt:
        ext = path.suffix or "(none)"
        warnings.append(f"{path.name}: extension {ext} but content is {fmt}; parsed as {fmt}")
    return fmt, warnings


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parser_for(fmt: str) -> Parser:
    module = importlib.import_module(PARSERS[fmt])
    parse: Parser = module.parse
    return parse


def parse_file(path: Path, sha256: str | None = None) -> Document:
    """Parse one file into the intermediate model; raises a ParseError subclass."""
    fmt, warnings = detect_format(path)
    digest = sha256 or file_sha256(path)
    doc = parser_for(fmt)(path, digest)
    if warnings:
        doc = replace(doc, warnings=(*warnings, *doc.warnings))
    return doc
