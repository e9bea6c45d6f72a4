"""Papers named by fsspec URLs (``s3://bucket/prefix/``, ``file:///srv/papers/``).

The writer lists the URL and reads each file once to hash it (so that papers already
stored are skipped before any parsing, as for a local folder); whoever parses the paper
— a local parser process or a Dask worker — opens the URL itself: the writer sends the
URL, never the bytes. Needs the ``fsspec`` package (``pip install 'papertrail[remote]'``)
and the protocol's own package where fsspec keeps it apart (``s3fs`` for ``s3://``:
``papertrail[s3]``). Credentials and endpoints are fsspec's and the protocol's to find
(for S3, the usual ``AWS_*`` variables and files), on the writer and on every worker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO

from parsers.errors import PapertrailError

_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


class RemoteUnavailableError(PapertrailError):
    """A URL's protocol cannot be read here: fsspec, or the package it needs, is missing."""


@dataclass(frozen=True)
class RemoteFile:
    """A file (or folder) named by an fsspec URL; printed and stored as the URL."""

    url: str

    @property
    def name(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1]

    @property
    def protocol(self) -> str:
        found = _URL.match(self.url)
        return found.group(1) if found else ""

    def __str__(self) -> str:
        return self.url


def is_url(text: str) -> bool:
    """``text`` starts with a protocol (``s3://``); a local path never does."""
    return _URL.match(text) is not None


def _filesystem(file: RemoteFile) -> tuple[Any, str]:
    """fsspec's file system for the URL and the path within it."""
    try:
        import fsspec
    except ImportError as exc:
        raise RemoteUnavailableError(
            f"reading {file.protocol}:// URLs needs fsspec: pip install 'papertrail[remote]'"
        ) from exc
    try:
        return fsspec.url_to_fs(file.url)
    except ImportError as exc:  # fsspec names the package: "Install s3fs to access S3"
        extra = " (pip install 'papertrail[s3]')" if file.protocol in ("s3", "s3a") else ""
        raise RemoteUnavailableError(
            f"cannot read {file.protocol}:// URLs here: {exc}{extra}"
        ) from exc
    except ValueError as exc:  # "Protocol not known: ..."
        raise RemoteUnavailableError(f"cannot read {file.protocol}:// URLs: {exc}") from exc


def walk(file: RemoteFile) -> tuple[bool, list[tuple[RemoteFile, str]]]:
    """Whether the URL is a folder (a prefix), and the files it names: each with its path
    below the folder (to tell hidden ones), sorted; ``FileNotFoundError`` for neither."""
    fs, root = _filesystem(file)
    if fs.isdir(root):
        base = root.rstrip("/") + "/"
        found = sorted(p for p in fs.find(root) if p.startswith(base))
        return True, [(RemoteFile(fs.unstrip_protocol(p)), p[len(base) :]) for p in found]
    if fs.isfile(root):
        return False, [(file, file.name)]
    raise FileNotFoundError(f"{file.url}: no such file or folder")


@contextmanager
def open_remote(file: RemoteFile) -> Iterator[BinaryIO]:
    """The file's bytes, read through fsspec."""
    fs, path = _filesystem(file)
    with fs.open(path, "rb") as fh:
        yield fh
