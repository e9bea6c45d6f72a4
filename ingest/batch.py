"""The batch runner: files and folders in, documents in the database, a result out.

Each file is parsed, normalised and loaded on its own; a file that fails becomes one
line naming it and the reason, nothing of it is stored, and the batch goes on.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from sqlalchemy import Engine

from normalise.records import document_records
from parsers.errors import PapertrailError
from parsers.registry import file_sha256, parse_file
from store.database import open_database
from store.load import StoreError, find_document, load_document

# Files beside the papers that are never papers themselves (gold answers, notes).
SIDECAR_SUFFIXES = frozenset({".json", ".jsonl", ".md"})

Status = Literal["stored", "replaced", "duplicate", "error"]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file."""

    path: Path
    status: Status
    doc_id: str | None = None
    message: str | None = None  # the one-line error for status "error"
    warnings: tuple[str, ...] = ()
    pages: int | None = None
    tables: int = 0
    records: Counter[str] = field(default_factory=Counter)


@dataclass
class BatchResult:
    """Everything a batch did, for the summary and the exit code."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    elapsed: float = 0.0

    def with_status(self, *statuses: Status) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in statuses]

    @property
    def stored(self) -> list[FileOutcome]:
        return self.with_status("stored", "replaced")

    @property
    def errors(self) -> list[str]:
        return [o.message or "" for o in self.with_status("error")]

    @property
    def warnings(self) -> list[str]:
        return [naming_file(o.path, w) for o in self.outcomes for w in o.warnings]

    @property
    def pages(self) -> int:
        return sum(o.pages or 0 for o in self.stored)

    @property
    def tables(self) -> int:
        return sum(o.tables for o in self.stored)

    @property
    def records(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for o in self.stored:
            total.update(o.records)
        return total

    @property
    def ok(self) -> bool:
        return not self.errors


class Progress(Protocol):
    """Told about the batch as it goes; the CLI draws a bar or prints lines."""

    def start(self, total: int) -> None: ...

    def file_started(self, path: Path) -> None: ...

    def file_done(self, outcome: FileOutcome) -> None: ...


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and every file under folders named (recursively, sorted), once each.

    Hidden files and folders and sidecar files (``.json``, ``.jsonl``, ``.md``) found in
    folders are skipped; a file named explicitly is always tried.
    """
    seen: set[Path] = set()
    for path in paths:
        found = [path] if not path.is_dir() else sorted(_folder_files(path))
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                yield file


def _folder_files(folder: Path) -> Iterator[Path]:
    for file in folder.rglob("*"):
        parts = file.relative_to(folder).parts
        if any(p.startswith(".") for p in parts) or not file.is_file():
            continue
        if file.suffix.lower() not in SIDECAR_SUFFIXES:
            yield file


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
    else:
        reason = f"unexpected {type(exc).__name__}: {exc}"
    return naming_file(path, reason or type(exc).__name__)


def naming_file(path: Path, message: str) -> str:
    """``message`` on one line, starting with the path (parsers often start with the name)."""
    message = " ".join(message.split())
    if message.startswith(f"{path.name}:"):
        message = message[len(path.name) + 1 :].lstrip()
    return f"{path}: {message}"


def ingest_file(engine: Engine, path: Path, force: bool = False) -> FileOutcome:
    """Parse, normalise and store one file; any failure becomes an ``error`` outcome."""
    try:
        sha = file_sha256(path)
        existing = None if force else _stored(engine, sha)
        if existing is not None:
            return FileOutcome(path, "duplicate", existing)
        doc = parse_file(path, sha)
        result = load_document(
            engine, doc, document_records(doc), force=force, source_path=str(path.resolve())
        )
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - the batch must go on, with a reason
        return FileOutcome(path, "error", message=one_line(path, exc))
    if result.status == "duplicate":  # stored by someone else since the check above
        return FileOutcome(path, "duplicate", result.doc_id)
    return FileOutcome(
        path,
        result.status,
        result.doc_id,
        warnings=doc.warnings,
        pages=result.pages,
        tables=result.tables,
        records=result.records,
    )


def _stored(engine: Engine, sha256: str) -> str | None:
    # checked before parsing so a re-run over a large folder skips known files fast
    with engine.connect() as conn:
        return find_document(conn, sha256)


def ingest_paths(
    paths: Iterable[str | Path],
    db: str | Path | Engine,
    force: bool = False,
    progress: Progress | None = None,
) -> BatchResult:
    """Ingest every file in ``paths`` (folders recursively) into the database ``db``."""
    t0 = time.perf_counter()
    engine = db if isinstance(db, Engine) else open_database(db)
    files = list(expand_paths(Path(p) for p in paths))
    result = BatchResult()
    if progress:
        progress.start(len(files))
    for path in files:
        if progress:
            progress.file_started(path)
        outcome = ingest_file(engine, path, force)
        result.outcomes.append(outcome)
        if progress:
            progress.file_done(outcome)
    result.elapsed = time.perf_counter() - t0
    return result
