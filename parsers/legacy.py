"""Word-processor files the DOCX parser cannot open itself, read through LibreOffice.

Word 97-2003 (.doc, .dot), macro-enabled and template Word packages (.docm, .dotm,
.dotx: python-docx refuses their content type), OpenDocument text (.odt, .ott) and RTF
are converted headless to .docx in a private temporary folder, then read by
``parsers.docx``, so merged cells, fills and header rows come through as they do for a
.docx.  The document keeps its own format name, hash and file name.

Each conversion runs LibreOffice with its own new profile folder, so parallel workers
never share (or lock) one, and is stopped when the document's time limit is near.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from parsers.errors import DamagedFileError, MissingToolError, ResourceLimitError
from parsers.model import Document
from parsers.options import DEFAULT_OPTIONS, ParseOptions

# format -> what a person calls it, and the extension LibreOffice is shown the file under
FORMATS: dict[str, tuple[str, str]] = {
    "doc": ("a Word 97-2003 document", ".doc"),
    "docm": ("a macro-enabled Word document", ".docm"),
    "dotx": ("a Word template", ".dotx"),
    "odt": ("an OpenDocument text", ".odt"),
    "rtf": ("an RTF document", ".rtf"),
}
INSTALL_HINT = (
    "install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui; "
    "macOS: brew install --cask libreoffice) and ingest it again"
)
# where LibreOffice lives when it is not on PATH
_KNOWN_PLACES = (
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)
_RESTART = 81  # soffice.bin's "profile made, start me again" on a first run
_SHARE_FOR_CONVERSION = 0.9  # of the time limit; the rest is for reading the .docx


def soffice() -> Path | None:
    """The LibreOffice program to run, or None when it is not installed: the one named
    by ``$PAPERTRAIL_SOFFICE`` if set, else ``soffice`` on PATH, else where LibreOffice
    installs itself.

    ``soffice`` on Linux is a shell script that starts ``oosplash``, which starts
    ``soffice.bin``: the real program is run directly where it is found, so that
    stopping it at the time limit stops the conversion, not a launcher that leaves
    LibreOffice running."""
    named = os.environ.get("PAPERTRAIL_SOFFICE")
    if named is not None:
        found: str | None = named if Path(named).is_file() else None
    else:
        found = shutil.which("soffice") or shutil.which("libreoffice")
        found = found or next((p for p in _KNOWN_PLACES if Path(p).is_file()), None)
    if found is None:
        return None
    real = Path(found).resolve()
    binary = real.with_name("soffice.bin")
    return binary if binary.is_file() else real


def parse(path: Path, sha256: str, options: ParseOptions = DEFAULT_OPTIONS) -> Document:
    """Convert ``path`` to .docx with LibreOffice and read that as this file."""
    from parsers.docx import parse as parse_docx
    from parsers.registry import detect_format

    fmt, _ = detect_format(path)
    what, ext = FORMATS[fmt]
    program = soffice()
    if program is None:
        raise MissingToolError(f"{path.name}: {what} needs LibreOffice to be read; {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="papertrail-soffice-") as folder:
        work = Path(folder)
        # shown to LibreOffice under a plain name with the extension its content has, so
        # an odd file name or a wrong extension cannot confuse its filter detection
        source = work / f"source{ext}"
        source.symlink_to(path.resolve())
        seconds = options.time_limit * _SHARE_FOR_CONVERSION
        try:
            converted = convert(program, source, work, seconds)
        except subprocess.TimeoutExpired as exc:
            raise ResourceLimitError(
                f"{path.name}: LibreOffice still converting after {seconds:.0f} s; stopped"
            ) from exc
        if converted is None:
            raise DamagedFileError(f"{path.name}: LibreOffice could not read it as {what}")
        doc = parse_docx(converted, sha256)
    warnings = tuple(w.replace(converted.name, path.name) for w in doc.warnings)
    return replace(doc, source=path.name, format=fmt, warnings=warnings)  # type: ignore[arg-type]


def convert(program: Path, source: Path, work: Path, seconds: float) -> Path | None:
    """``source`` as a .docx in ``work``, or None when LibreOffice made none; raises
    ``subprocess.TimeoutExpired`` (LibreOffice stopped) when it runs past ``seconds``."""
    out = work / "out"
    command = [
        str(program),
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(out),
        str(source),
    ]
    deadline = time.monotonic() + seconds
    for _ in range(2):  # a new profile makes soffice.bin ask to be started again, once
        left = deadline - time.monotonic()
        done = subprocess.run(
            command, capture_output=True, timeout=max(left, 1.0), stdin=subprocess.DEVNULL
        )
        if done.returncode != _RESTART:
            break
    result = out / f"{source.stem}.docx"
    return result if result.is_file() else None
