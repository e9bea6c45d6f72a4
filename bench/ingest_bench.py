"""Speed of ingestion: figures printed, nothing asserted.

    .venv/bin/python bench/make_big.py --copies 1000     # inputs, into bench/data/
    .venv/bin/python bench/ingest_bench.py [--corpus ../shared/corpus] [--only pdf|formats|workers]

* ``pdf``: pages per second of the whole pipeline (parse, normalise, store) against bare
  ``pdfplumber.open(f).pages[i].extract_tables()`` on the same files, in the same run;
  the corpus PDFs and the generated 500-page PDF.
* ``formats``: documents per second for DOCX and HTML (and text, PDF) papers, the whole
  pipeline in one process.
* ``workers``: ``ingest_paths`` over the same documents with 1 and with 2 worker
  processes (a fresh database each, fork server already warm), and the speed-up.

The machine's load average is printed with each figure: other work on the cores skews
them, the worker speed-up most of all.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402
from sqlalchemy import Engine  # noqa: E402

from ingest.batch import ingest_paths  # noqa: E402
from normalise.records import document_records  # noqa: E402
from parsers.registry import file_sha256, parse_file  # noqa: E402
from store.database import open_database  # noqa: E402
from store.load import load_document  # noqa: E402

DATA = ROOT / "bench" / "data"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(work: Callable[[], object], repeat: int = 1) -> float:
    """The best of ``repeat`` runs: other work on the machine only ever adds time."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - t0)
    return best


def bare_tables(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
        return len(pdf.pages)


def pipeline(files: Sequence[Path], engine: Engine) -> None:
    """Parse, normalise and store each file in this process (no workers)."""
    for path in files:
        doc = parse_file(path, file_sha256(path))
        load_document(engine, doc, document_records(doc), force=True)


def parse_only(path: Path) -> None:
    parse_file(path, file_sha256(path))


def bench_pdf(corpus: Path, tmp: Path) -> None:
    files = sorted(corpus.glob("*.pdf")) + sorted(DATA.glob("big-*.pdf"))
    print(f"\n== PDF pages/s: pipeline vs bare pdfplumber extract_tables (load {load_average()})")
    print(f"{'file':50} {'pages':>5} {'bare p/s':>9} {'parse p/s':>9} {'pipe p/s':>9} "
          f"{'ratio':>6}")  # fmt: skip
    engine = open_database(tmp / "pdf.db")
    pipeline(files[:1], engine)  # lazy imports and the spaCy pipeline, once
    totals = [0.0, 0.0, 0.0, 0.0]  # pages, bare, parse, pipeline seconds
    for path in files:
        path.read_bytes()  # the page cache, for all three
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        repeat = 3 if pages < 50 else 1
        bare = timed(partial(bare_tables, path), repeat)
        parsed = timed(partial(parse_only, path), repeat)
        piped = timed(partial(pipeline, [path], engine), repeat)
        totals = [t + x for t, x in zip(totals, (pages, bare, parsed, piped), strict=True)]
        print(f"{path.name[:50]:50} {pages:5d} {pages / bare:9.1f} {pages / parsed:9.1f} "
              f"{pages / piped:9.1f} {bare / piped:6.2f}")  # fmt: skip
    n, bare, parsed, piped = totals
    print(f"{'all':50} {n:5.0f} {n / bare:9.1f} {n / parsed:9.1f} {n / piped:9.1f} "
          f"{bare / piped:6.2f}")  # fmt: skip
    print(
        "parse = parsers only; pipe = parse, normalise and store; "
        "ratio = pipe pages/s ÷ bare pages/s (>= 1: the pipeline is at least as fast)"
    )


def small_documents(suffix: str, limit: int) -> list[Path]:
    return sorted((DATA / "small").glob(f"*{suffix}"))[:limit]


def bench_formats(tmp: Path, limit: int) -> None:
    print(f"\n== documents/s, whole pipeline in one process (load {load_average()})")
    for suffix in (".docx", ".html", ".txt", ".pdf"):
        files = small_documents(suffix, limit)
        if not files:
            continue
        engine = open_database(tmp / f"fmt{suffix}.db")
        pipeline(files[:2], engine)  # lazy imports out of the figure
        seconds = timed(partial(pipeline, files, engine))
        print(f"{suffix:6} {len(files):4d} documents  {len(files) / seconds:7.1f} documents/s")


def bench_workers(tmp: Path, limit: int) -> None:
    files = sorted((DATA / "small").iterdir())[:limit]
    ingest_paths(files[:4], tmp / "warm.db", workers=2)  # start the fork server
    print(f"\n== ingest_paths over {len(files)} documents (load {load_average()})")
    rates = {}
    for workers in (1, 2):
        seconds = timed(partial(ingest_paths, files, tmp / f"w{workers}.db", workers=workers))
        rates[workers] = len(files) / seconds
        print(f"{workers} worker(s): {seconds:6.1f} s  {rates[workers]:6.1f} documents/s "
              f"(load after: {load_average()})")  # fmt: skip
    print(f"speed-up 2 vs 1: {rates[2] / rates[1]:.2f}x on {os.cpu_count()} cores")


def main(argv: Sequence[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--only", choices=("pdf", "formats", "workers"))
    ap.add_argument("--documents", type=int, default=200, help="documents per figure")
    args = ap.parse_args(argv)
    if not (DATA / "small").is_dir():
        print("no inputs: run bench/make_big.py first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="papertrail-bench-") as folder:
        tmp = Path(folder)
        if args.only in (None, "pdf"):
            bench_pdf(args.corpus, tmp)
        if args.only in (None, "formats"):
            bench_formats(tmp, args.documents)
        if args.only in (None, "workers"):
            bench_workers(tmp, args.documents)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
