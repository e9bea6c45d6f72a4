"""Why a file failed, as one line naming it and as a kind a script can switch on."""

from __future__ import annotations

from pathlib import Path

from parsers.errors import PapertrailError
from store.rows import StoreError

# Kinds raised by the batch itself rather than by a parser (see ``ingest.workers``).
TIMEOUT = "TimeoutError"
OUT_OF_MEMORY = "MemoryLimitError"
WORKER_DIED = "WorkerCrashError"


def error_kind(exc: BaseException) -> str:
    """The exception's class name for domain errors; a coarse kind for the rest."""
    if isinstance(exc, PapertrailError | StoreError):
        return type(exc).__name__
    if isinstance(exc, MemoryError):
        return OUT_OF_MEMORY
    if isinstance(exc, ImportError):
        return "UnsupportedFormatError"
    if isinstance(exc, OSError):
        return "FileNotFoundError" if isinstance(exc, FileNotFoundError) else "OSError"
    return f"unexpected {type(exc).__name__}"


def one_line(path: Path, exc: BaseException) -> str:
    """The error as one line naming the file: domain errors say it already."""
    if isinstance(exc, PapertrailError | StoreError):
        reason = str(exc)
    elif isinstance(exc, ImportError):
        reason = f"no parser available for this format ({exc})"
    elif isinstance(exc, FileNotFoundError):
        reason = "no such file or folder"
    elif isinstance(exc, OSError):
        reason = f"cannot read: {exc.strerror or exc}"
    elif isinstance(exc, MemoryError):
        reason = "ran out of memory while parsing (see --max-memory); stopped"
    else:
        reason = f"unexpected {type(exc).__name__}: {exc}"
    return naming_file(path, reason or type(exc).__name__)


def naming_file(path: Path, message: str) -> str:
    """``message`` on one line, starting with the path (parsers often start with the name)."""
    message = " ".join(message.split())
    if message.startswith(f"{path.name}:"):
        message = message[len(path.name) + 1 :].lstrip()
    return f"{path}: {message}"
