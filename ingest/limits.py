"""What one document may cost before it is stopped: the limits and their bounds.

Kept apart from ``ingest.workers`` (which loads the store and the parsers) so the
command line can show these defaults in ``--help`` without loading anything heavy.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TIMEOUT = 120.0  # seconds per document
DEFAULT_MAX_MEMORY = 1536 * 2**20  # bytes of address space a document may add to a worker
# Beyond these a limit is no limit (and RLIMIT_AS / RLIMIT_CPU refuse values past their
# range, which would crash every worker): a week, a terabyte.
MAX_TIMEOUT = 7 * 24 * 3600.0
MAX_MEMORY_MB = 2**20


@dataclass(frozen=True)
class Limits:
    """What one document may cost before it is stopped."""

    timeout: float = DEFAULT_TIMEOUT
    max_memory: int = DEFAULT_MAX_MEMORY

    def __post_init__(self) -> None:
        if not 0 < self.timeout <= MAX_TIMEOUT:  # also refuses NaN
            raise ValueError(
                f"--timeout must be between 1 and {MAX_TIMEOUT:g} s, not {self.timeout}"
            )
        if self.max_memory < 16 * 2**20:
            raise ValueError("--max-memory below 16 MB leaves no room to parse anything")
        if self.max_memory > MAX_MEMORY_MB * 2**20:
            raise ValueError(f"--max-memory must be at most {MAX_MEMORY_MB} MB")
