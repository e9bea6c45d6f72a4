"""Format detection by content and dispatch to the format's parser.

A new format is one module exposing ``parse(path, sha256, options) -> Document`` plus
one entry in ``PARSERS``; the file extension is only a hint (and a warning when it lies).
"""

from __future__ import annotations

import hashlib
import importlib
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from parsers.errors import DamagedFileError, EmptyFileError, UnsupportedFormatError
from parsers.model import Document
from parsers.options import DEFAULT_OPTIONS, ParseOptions

Parser = Callable[[Path, str, ParseOptions], Document]

# format -> module holding parse(); imported lazily so a CLI start stays fast.
PARSERS: dict[str, str] = {
    "pdf": "parsers.pdf",
    "docx": "parsers.docx",
    "html": "parsers.html",
    "text": "parsers.text",
    # read through LibreOffice, then the DOCX parser
    "doc": "parsers.legacy",
    "docm": "parsers.legacy",
    "dotx": "parsers.legacy",
    "odt": "parsers.legacy",
    "rtf": "parsers.legacy",
}
EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".htm": "html",
    ".html": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".doc": "doc",
    ".dot": "doc",
    ".docm": "docm",
    ".dotm": "docm",
    ".dotx": "dotx",
    ".odt": "odt",
    ".ott": "odt",
    ".rtf": "rtf",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# the name of the stream every Word 97-2003 file holds, as an OLE directory spells it
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ODF_TEXT = (
    b"application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.text-template",
)
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError,
               KeyError, RuntimeError, NotImplementedError, ValueError)  # fmt: skip
# main-part content types of Word packages python-docx will not open, by format
_OOXML_OTHER = {
    "ms-word.document.macroEnabled.main+xml": "docm",
    "ms-word.template.macroEnabledTemplate.main+xml": "docm",
    "wordprocessingml.template.main+xml": "dotx",
}


def sniff_format(head: bytes, path: Path) -> str | None:
    """The format the first bytes show, or None when they show none we read."""
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        return _package_format(path)
    if head[:8] == OLE_MAGIC:
        return "doc" if _has_word_stream(path) else None  # not .xls / .ppt / .msg
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"{\\rtf":
        return "rtf"
    probe = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in probe:
        return "html"
    if b"\x00" in head[:4096]:
        return None
    return "text"


def _package_format(path: Path) -> str | None:
    """docx, docm / dotx or odt for a ZIP package that is one, else None."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "word/document.xml" in names:
                return _word_package(z)
            if "mimetype" in names and z.read("mimetype").strip() in _ODF_TEXT:
                return "odt"
    except _ZIP_ERRORS as exc:
        # a ZIP package (as DOCX is) whose directory cannot be read: name that damage
        raise DamagedFileError(
            f"{path.name}: damaged or truncated ZIP package (as a DOCX is): {exc}"
        ) from exc
    return None


def _word_package(z: zipfile.ZipFile) -> str:
    """docx, or docm / dotx by the main part's content type; a package whose types
    cannot be read is left to the DOCX parser to report as damaged."""
    try:
        text = z.read("[Content_Types].xml").decode("utf-8", "replace")
    except _ZIP_ERRORS:
        return "docx"
    return next((f for ct, f in _OOXML_OTHER.items() if ct in text), "docx")


def _has_word_stream(path: Path) -> bool:
    """Whether an OLE compound file's directory names a WordDocument stream."""
    tail = b""
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            if _WORD_STREAM in tail + chunk:
                return True
            tail = chunk[-len(_WORD_STREAM) :]
    return False


def detect_format(path: Path) -> tuple[str, list[str]]:
    """Return the format and any warnings (e.g. an extension that does not match)."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    if not head:
        raise EmptyFileError(f"{path.name}: file is empty (0 bytes)")
    fmt = sniff_format(head, path)
    hinted = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        what = (
            "a legacy binary Office file that is not a Word document"
            if head[:8] == OLE_MAGIC
            else "unrecognised"
        )
        raise UnsupportedFormatError(
            f"{path.name}: content is {what}; papertrail reads PDF, Word (.docx, .doc, "
            ".docm, .dotx), OpenDocument text, RTF, HTML and text"
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


def parse_file(
    path: Path, sha256: str | None = None, options: ParseOptions = DEFAULT_OPTIONS
) -> Document:
    """Parse one file into the intermediate model; raises a ParseError subclass."""
    fmt, warnings = detect_format(path)
    digest = sha256 or file_sha256(path)
    doc = parser_for(fmt)(path, digest, options)
    if warnings:
        doc = replace(doc, warnings=(*warnings, *doc.warnings))
    return doc
