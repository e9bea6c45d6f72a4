"""Damaged copies of the samples (cut short, bytes flipped) through the parsers and the
normalisers: a ParseError or a document, never another exception and never a hang.

The batch catches everything anyway; these tests make sure what the user reads is a
reason ("PDF is damaged or truncated") rather than "unexpected KeyError". Examples are
few so the suite stays quick; raise ``FUZZ_EXAMPLES`` to search harder.
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalise.records import document_records
from parsers.errors import ParseError
from parsers.registry import parse_file

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".html", ".txt"))
CONTENT = {p.name: p.read_bytes() for p in FILES}
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
HANG_SECONDS = 20  # a sample parses in well under a second; 20 s is a loop, not slowness

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


@contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Fail (with the example hypothesis found) instead of hanging the suite."""

    def stop(*_: object) -> None:
        raise TimeoutError(f"still parsing after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def parse_damaged(name: str, data: bytes) -> None:
    """Parse and normalise ``data`` as a file called ``name``: only ParseError may escape."""
    with tempfile.TemporaryDirectory() as folder, hang_guard(HANG_SECONDS):
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            doc = parse_file(path)
        except ParseError as exc:
            assert str(exc).strip() and "\n" not in str(exc).strip()
            return
        document_records(doc)


@st.composite
def truncated(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(CONTENT)))
    data = CONTENT[name]
    # positions drawn uniformly: hypothesis favours small integers, which would only
    # ever damage the first bytes (the magic number) and never the body
    return name, data[: draw(st.randoms(use_true_random=False)).randrange(len(data))]


@st.composite
def flipped(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(CONTENT)))
    data = bytearray(CONTENT[name])
    rng = draw(st.randoms(use_true_random=False))
    for _ in range(draw(st.integers(1, 8))):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return name, bytes(data)


@FUZZ
@given(truncated())
def test_parse_file_truncated_samples_raise_parse_error_or_parse(case: tuple[str, bytes]) -> None:
    parse_damaged(*case)


@FUZZ
@given(flipped())
def test_parse_file_byte_flipped_samples_raise_parse_error_or_parse(
    case: tuple[str, bytes],
) -> None:
    parse_damaged(*case)
