"""Why a file failed, as one line naming it and as a kind a script can switch on."""

from __future__ import annotations

from ingest.files import AnyPath, display_path
from ingest.terminal import printable
from parsers.errors import PapertrailError
from store.rows import StoreError

# Kinds raised by the batch itself rather than by a parser (see ``ingest.workers``).
TIMEOUT = "TimeoutError"
OUT_OF_MEMORY = "MemoryLimitError"
WORKER_DIED = "WorkerCrashError"


def out_of_memory(exc: BaseException) -> bool:
    """A MemoryError, or an error a library raised because of one (pdfminer's wrapped by
    pdfplumber, then by the PDF parser as "damaged"): the memory limit was hit, the file
    is not shown to be damaged."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        if isinstance(item, MemoryError):
            return True
        seen.add(id(item))
        todo += [item.__cause__, item.__context__, *item.args]
    return False


def error_kind(exc: BaseException) -> str:
    """The exception's class name for domain errors; a coarse kind for the rest."""
    if out_of_memory(exc):
        return OUT_OF_MEMORY
    if isinstance(exc, PapertrailError | StoreError):
        return type(exc).__name__
    if isinstance(exc, ImportError):
        return "UnsupportedFormatError"
    if isinstance(exc, OSError):
        return "FileNotFoundError" if isinstance(exc, FileNotFoundError) else "OSError"
    return f"unexpected {type(exc).__name__}"


def one_line(path: AnyPath, exc: BaseException) -> str:
    """The error as one line naming the file: domain errors say it already."""
    if out_of_memory(exc):
        reason = "ran out of memory: hit the memory limit (see --max-memory); stopped"
    elif isinstance(exc, PapertrailError | StoreError):
        reason = str(exc)
    elif isinstance(exc, ImportError):
        reason = f"no parser available for this format ({exc})"
    elif isinstance(exc, FileNotFoundError):
        reason = "no such file or folder"
    elif isinstance(exc, OSError):
        reason = f"cannot read: {exc.strerror or exc}"
    else:
        reason = f"unexpected {type(exc).__name__}: {exc}"
    return naming_file(path, reason or type(exc).__name__)


def naming_file(path: AnyPath, message: str) -> str:
    """``message`` on one line, starting with the path (parsers often start with the name),
    control characters and undecodable bytes of the name escaped."""
    message = " ".join(message.split())
    for name in (path.name, display_path(path.name)):
        if message.startswith(f"{name}:"):
            message = message[len(name) + 1 :].lstrip()
            break
    return printable(f"{display_path(path)}: {message}")
