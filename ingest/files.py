"""Which files a batch reads, and reading each one exactly once.

Only regular files are read: a FIFO, a device (``/dev/zero``), a socket or a symlink loop
named on the command line is one error line, never a hang or a traceback. A folder is
walked without following links to folders (so a link loop cannot trap it); a sub-folder
that cannot be listed is reported, not skipped. The database being written, and its
``-wal``/``-shm``/``-journal`` files, are never taken for papers.

A paper is parsed from a private copy made while hashing it (``snapshot``), so the hash
stored is that of exactly the bytes parsed, even when the file is rewritten meanwhile.

A path may also be an fsspec URL (``ingest.remote``): a folder URL is listed as a local
folder is walked, with the same files left out.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ingest.remote import RemoteFile, RemoteUnavailableError, is_url, open_remote, walk
from parsers.errors import PapertrailError

AnyPath = Path | RemoteFile  # a local path, or a file named by a URL

# Files found beside papers in a folder that are never papers themselves: gold answers and
# notes, the scripts that made them, images and config.  A file named explicitly is still
# tried, and anything else is sniffed, so a PDF saved as ".doc" is not missed.
SIDECAR_SUFFIXES = frozenset(
    {
        ".json", ".jsonl", ".md", ".py", ".pyc", ".sh", ".js", ".css", ".toml", ".ini",
        ".cfg", ".yml", ".yaml", ".lock", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico",
    }
)  # fmt: skip
# What SQLite keeps beside a database file while it is in use.
DB_COMPANIONS = ("", "-wal", "-shm", "-journal")
CHUNK = 1 << 20


class NotRegularFileError(PapertrailError):
    """The path is a FIFO, device, socket or folder, not a file that can be read as a paper."""


class FolderUnreadableError(PapertrailError):
    """A folder (or sub-folder) could not be listed, so the files in it were not read."""


@dataclass(frozen=True)
class Listed:
    """A path the batch will try, or the reason a path named or found cannot be tried."""

    path: AnyPath
    error: PapertrailError | OSError | None = None


def locate(text: str | Path) -> AnyPath:
    """What a path named on the command line (or sent to a parser) is: a URL or a path."""
    return RemoteFile(text) if isinstance(text, str) and is_url(text) else Path(text)


def display_path(path: AnyPath | str) -> str:
    """The path as text that can be stored and printed: bytes of a name that are not
    UTF-8 are written as ``\\xNN`` instead of failing (SQLite refuses lone surrogates)."""
    if isinstance(path, RemoteFile):
        return path.url
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def source_path(path: AnyPath) -> str:
    """Where the paper was read from, as stored: the absolute path, or the URL."""
    return display_path(path if isinstance(path, RemoteFile) else path.resolve())


def database_files(db: str | Path | None) -> frozenset[Path]:
    """The database file and its companions, resolved, so a folder holding them skips them."""
    if db is None or str(db) in ("", ":memory:"):
        return frozenset()
    base = Path(db).resolve()
    return frozenset(base.with_name(base.name + suffix) for suffix in DB_COMPANIONS)


def list_files(
    paths: Iterable[AnyPath], exclude: frozenset[Path] = frozenset()
) -> Iterator[Listed]:
    """Files named, and every file under folders named (sorted), once each.

    Hidden files and folders, sidecar files (``SIDECAR_SUFFIXES``), anything that is not
    a regular file, and ``exclude`` are skipped in folders; a path named is always tried.
    """
    seen: set[AnyPath] = set(exclude)
    for path in paths:
        if isinstance(path, RemoteFile):
            for item in _remote_files(path):
                if item.error is not None or item.path not in seen:
                    seen.add(item.path)
                    yield item
            continue
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except OSError as exc:  # missing, a symlink loop, no permission on a parent
            yield Listed(path, exc)
            continue
        found = _folder_files(path, exclude) if is_dir else iter([Listed(path)])
        for item in found:
            key = _key(item.path) if isinstance(item.path, Path) else item.path
            if item.error is not None or key not in seen:
                seen.add(key)
                yield item


def _remote_files(url: RemoteFile) -> Iterator[Listed]:
    try:
        folder, found = walk(url)
    except (RemoteUnavailableError, OSError) as exc:
        yield Listed(url, exc)
        return
    if not folder:
        yield Listed(url)
        return
    for file, below in found:
        if not _left_out(PurePosixPath(below)):
            yield Listed(file)


def _left_out(below: PurePosixPath) -> bool:
    """A file in a folder that is not taken for a paper: hidden, or beside the papers."""
    return any(part.startswith(".") for part in below.parts) or (
        below.suffix.lower() in SIDECAR_SUFFIXES
    )


def _key(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: Python 3.11 raises RuntimeError
        return path.absolute()


def _folder_files(folder: Path, exclude: frozenset[Path]) -> Iterator[Listed]:
    errors: list[OSError] = []
    files: list[Path] = []
    for root, dirs, names in os.walk(folder, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            file = Path(root) / name
            if _left_out(PurePosixPath(name)):
                continue
            if file.is_file() and _key(file) not in exclude:
                files.append(file)
    for exc in errors:
        where = Path(exc.filename) if exc.filename else folder
        yield Listed(where, FolderUnreadableError(f"folder not read: {exc.strerror or exc}"))
    yield from (Listed(f) for f in sorted(files))


@contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """``path`` opened for reading, refusing anything but a regular file *before* reading
    (``O_NONBLOCK`` so a FIFO with no writer cannot block the open itself)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(f"{path.name}: not a regular file ({_kind(mode)}); not read")
        os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):  # fmt: skip
        if test(mode):
            return name
    return "not a regular file"


@contextmanager
def open_paper(path: AnyPath) -> Iterator[BinaryIO]:
    """A paper's bytes: a regular file (``open_regular``), or a URL through fsspec."""
    if isinstance(path, RemoteFile):
        with open_remote(path) as fh:
            yield fh
    else:
        with open_regular(path) as fh:
            yield fh


def file_sha256(path: AnyPath) -> str:
    """SHA-256 of a regular file's bytes (``NotRegularFileError`` for anything else)."""
    h = hashlib.sha256()
    with open_paper(path) as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


@contextmanager
def snapshot(path: AnyPath) -> Iterator[tuple[Path, str]]:
    """A private copy of ``path`` (same displayable name) and the SHA-256 of its bytes,
    read once: the parser reads the copy, so what is hashed is what is parsed."""
    folder = tempfile.mkdtemp(prefix="papertrail-")
    try:
        copy = Path(folder) / (display_path(path.name) or "paper")
        h = hashlib.sha256()
        with open_paper(path) as src, copy.open("wb") as dst:
            for chunk in iter(lambda: src.read(CHUNK), b""):
                h.update(chunk)
                dst.write(chunk)
        yield copy, h.hexdigest()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
