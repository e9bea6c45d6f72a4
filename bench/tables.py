"""Table-finder figures on documents nobody here tuned for, in one run.

    .venv/bin/python bench/tables.py [--shared ../shared] [--skip-timing] [--speed-runs 3]

Prints:
  * ICDAR-2013 (67 government reports, 156 tables): adjacency-relation F1, micro and
    per document, from `shared/eval/icdar.py` on `papertrail ingest` + `export`;
  * tabula-java's expected outputs: share of expected non-empty cells that papertrail
    gives exactly (text normalised as the ICDAR scorer does: NFKC, lower case, no
    whitespace), counted as a multiset over the tables papertrail finds on that page;
  * pdfplumber's table assertions (transcribed in shared/peers/pdfplumber/MANIFEST.md),
    checked on papertrail's tables: how many of 14 hold;
  * the public corpus' table metrics (`shared/eval/score.py`);
  * seconds per page of the whole pipeline (ingest, one worker) beside bare pdfplumber
    `extract_tables()` on the same ICDAR files, in ``--speed-runs`` pairs taken in turn,
    and the median of the pairs' ratios.
Nothing here is asserted by the test suite: these are measurements.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers.model import Document  # noqa: E402
from parsers.pdf import parse  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
ICDAR = "peers/camelot/tests/files/tabula/icdar2013-dataset"
TABULA = "peers/tabula-java/src/test/resources/technology/tabula"
PLUMBER = "peers/pdfplumber/tests/pdfs"

# expected CSV -> (PDF, page); the two non-table fixtures (rectangle lists) are left out.
# The guess-option CSV is tabula's own run on the ICDAR eu-001.pdf, kept under ICDAR.
TABULA_CASES = {
    "AnimalSounds.csv": (f"{TABULA}/AnimalSounds.pdf", 1),
    "MultiColumn.csv": (f"{TABULA}/MultiColumn.pdf", 1),
    "Publication_of_award_of_Bids_for_Transport_Sector__August_2016.csv": (
        f"{TABULA}/Publication_of_award_of_Bids_for_Transport_Sector__August_2016.pdf",
        1,
    ),
    "argentina_diputados_voting_record.csv": (
        f"{TABULA}/argentina_diputados_voting_record.pdf",
        1,
    ),
    "frx_2012_disclosure.csv": (f"{TABULA}/frx_2012_disclosure.pdf", 1),
    "indictb1h_14.csv": (f"{TABULA}/indictb1h_14.pdf", 1),
    "schools.csv": (f"{TABULA}/schools.pdf", 1),
    "spanning_cells.csv": (f"{TABULA}/spanning_cells.pdf", 1),
    "spreadsheet_no_bounding_frame.csv": (f"{TABULA}/spreadsheet_no_bounding_frame.pdf", 1),
    "twotables.csv": (f"{TABULA}/twotables.pdf", 1),
    "us-020.csv": (f"{TABULA}/us-020.pdf", 2),
    "TestCommandLineApp_testGuessOption_with_guessing.csv": (
        f"{ICDAR}/competition-dataset-eu/eu-001.pdf",
        1,
    ),
}


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def parsed(path: Path) -> Document:
    return parse(path, hashlib.sha256(path.read_bytes()).hexdigest())


def grids(doc: Document, page: int | None = None) -> list[list[list[str]]]:
    """Every table as rows of cell texts (header rows first), optionally on one page."""
    out = []
    for t in doc.tables:
        if page is None or page in t.pages:
            out.append([[c.text for c in row] for row in (*t.header, *t.rows)])
    return out


def tabula_cells(shared: Path) -> tuple[int, int, list[str]]:
    folder = shared / TABULA
    hit = total = 0
    lines = []
    for name, (pdf, page) in TABULA_CASES.items():
        pdf_path = shared / pdf
        with (folder / "csv" / name).open(newline="", encoding="utf-8") as fh:
            expected = Counter(norm(c) for row in csv.reader(fh) for c in row if norm(c))
        got = Counter(norm(c) for g in grids(parsed(pdf_path), page) for row in g for c in row)
        n = sum((expected & got).values())
        hit, total = hit + n, total + sum(expected.values())
        lines.append(f"  {name:70s} {n:4d} / {sum(expected.values()):4d}")
    return hit, total, lines


def _rows(doc: Document) -> list[list[str]]:
    return [row for g in grids(doc) for row in g]


def _has_row(doc: Document, *cells: str) -> bool:
    want = [norm(c) for c in cells]
    return any(all(w in {norm(c) for c in row} for w in want) for row in _rows(doc))


def plumber_checks(shared: Path) -> list[tuple[str, bool]]:
    folder = shared / PLUMBER

    @cache  # several checks read the same PDF: parse it once
    def doc(name: str) -> Document:
        return parsed(folder / name)

    def nics_states() -> bool:
        states = {norm(r[0]) for r in _rows(doc("nics-background-checks-2015-11.pdf")) if r}
        return {"alabama", "wyoming", "texas", "ohio"} <= states and len(states) >= 51

    def table_rows(name: str) -> list[int]:
        return [len(t.header) + len(t.rows) for t in doc(name).tables]

    def is_466() -> bool:
        tables = doc("issue-466-example.pdf").tables
        return bool(tables) and all(
            t.n_cols == 3 and len(t.header) + len(t.rows) == 4 for t in tables
        )

    def dedupe() -> bool:
        text = " ".join(c for row in _rows(doc("issue-71-duplicate-chars.pdf")) for c in row)
        return "微软" in text and "微微" not in text

    checks: list[tuple[str, Callable[[], bool]]] = [
        ("nics: a row per state (Alabama … Wyoming, 51+)", nics_states),
        (
            "nics: Alabama row holds 71,137",
            lambda: _has_row(doc("nics-background-checks-2015-11.pdf"), "Alabama", "71,137"),
        ),
        (
            "nics: Wyoming row holds 5,017",
            lambda: _has_row(doc("nics-background-checks-2015-11.pdf"), "Wyoming", "5,017"),
        ),
        (
            "nics rotated: Alabama row holds 71,137",
            lambda: _has_row(
                doc("nics-background-checks-2015-11-rotated.pdf"), "Alabama", "71,137"
            ),
        ),
        (
            "WARN: header row",
            lambda: _has_row(doc("WARN-Report-for-7-1-2015-to-03-25-2016.pdf"), "Company", "City"),
        ),
        (
            "WARN: dates not letter-spaced",
            lambda: _has_row(
                doc("WARN-Report-for-7-1-2015-to-03-25-2016.pdf"),
                "06/22/2015",
                "03/25/2016",
                "07/01/2015",
                "Maxim Integrated Product",
            ),
        ),
        (
            "senate: last row cells",
            lambda: _has_row(
                doc("senate-expenditures.pdf"),
                "DHAW20190070",
                "09/09/2019",
                "08/12/2019",
                "08/14/2019",
            ),
        ),
        (
            "issue-140: line item row",
            lambda: _has_row(
                doc("issue-140-example.pdf"),
                "0085648100300",
                "CENTRAL KMA",
                "LILYS 55% DARK CHOC BAR",
                "415",
                "$ 0.61",
                "$ 253.15",
            ),
        ),
        (
            "issue-336: three tables of 8, 11, 2 rows",
            lambda: table_rows("issue-336-example.pdf") == [8, 11, 2],
        ),
        ("issue-466: horizontal rules only, 4 x 3 tables", is_466),
        (
            "issue-53: FY2013 read in a table",
            lambda: any("fy2013" in norm(" ".join(r)) for r in _rows(doc("issue-53-example.pdf"))),
        ),
        (
            "table-curves: a cell reads Uncommon",
            lambda: _has_row(doc("table-curves-example.pdf"), "Uncommon"),
        ),
        ("issue-71: overprinted glyphs not doubled", dedupe),
        ("pr-138: parses with tables", lambda: bool(doc("pr-138-example.pdf").tables)),
    ]
    out = []
    for name, check in checks:
        try:
            ok = bool(check())
        except Exception as exc:  # a crash is a failed check, reported
            ok = False
            name += f" (error: {type(exc).__name__})"
        out.append((name, ok))
    return out


def run(cmd: list[str]) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def icdar(shared: Path, work: Path) -> tuple[dict[str, object], float]:
    gt = shared / ICDAR
    pdfs = work / "pdfs"
    pdfs.mkdir()
    for f in sorted(gt.glob("competition-dataset-*/*.pdf")):
        (pdfs / f.name).write_bytes(f.read_bytes())
    db, out = work / "icdar.db", work / "icdar.jsonl"
    seconds = ingest_seconds(pdfs, db)
    run([str(BIN / "papertrail"), "export", "--db", str(db), "--format", "jsonl", "-o", str(out)])
    res = work / "icdar.json"
    run(
        [
            sys.executable,
            str(shared / "eval/icdar.py"),
            "--gt-dir",
            str(gt),
            "--pdf-dir",
            str(pdfs),
            "--papertrail-jsonl",
            f"papertrail={out}",
            "-o",
            str(res),
        ]
    )
    summary = json.loads(res.read_text())["methods"]["papertrail"]["summary"]
    return summary, seconds


def ingest_seconds(pdfs: Path, db: Path) -> float:
    """Wall-clock seconds of ``papertrail ingest`` with one worker, start to end."""
    t0 = time.perf_counter()
    subprocess.run(
        [str(BIN / "papertrail"), "ingest", str(pdfs), "--db", str(db), "--workers", "1"],
        capture_output=True,
    )
    return time.perf_counter() - t0


def speed(pdfs: Path, work: Path, first: float, runs: int) -> None:
    """Whole pipeline against bare pdfplumber, ``runs`` pairs taken in turn (this
    machine's speed drifts by several per cent within minutes, so one pair says little);
    ``first`` is the accuracy run's ingest, paired with the first bare run."""
    ratios, ours, bares = [], [], []
    pages = 0
    for i in range(runs):
        seconds = first if i == 0 else ingest_seconds(pdfs, work / f"speed-{i}.db")
        bare, pages = plumber_seconds(pdfs)
        ours.append(seconds)
        bares.append(bare)
        ratios.append(bare / seconds)
    print(f"speed on the ICDAR PDFs ({pages} pages), {runs} pairs in turn:")
    print(f"  papertrail ingest, whole pipeline, 1 worker: "
          f"{min(ours) / pages:.3f}-{max(ours) / pages:.3f} s/page")  # fmt: skip
    print(f"  bare pdfplumber extract_tables():            "
          f"{min(bares) / pages:.3f}-{max(bares) / pages:.3f} s/page")  # fmt: skip
    print(f"  ratio (pdfplumber / papertrail; >= 1 is the aim): median "
          f"{statistics.median(ratios):.2f} ({', '.join(f'{r:.2f}' for r in ratios)})")  # fmt: skip


def plumber_seconds(pdfs: Path) -> tuple[float, int]:
    import pdfplumber

    pages = 0
    t0 = time.perf_counter()
    for f in sorted(pdfs.glob("*.pdf")):
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                pages += 1
    return time.perf_counter() - t0, pages


def corpus(shared: Path, work: Path) -> str:
    db, out = work / "c.db", work / "c.jsonl"
    subprocess.run(
        [str(BIN / "papertrail"), "ingest", str(shared / "corpus"), "--db", str(db)],
        capture_output=True,
    )
    run([str(BIN / "papertrail"), "export", "--db", str(db), "--format", "jsonl", "-o", str(out)])
    text = run(
        [
            sys.executable,
            str(shared / "eval/score.py"),
            "--gold",
            str(shared / "corpus"),
            "--pred",
            str(out),
        ]
    )
    keep = [ln for ln in text.splitlines() if ln.startswith(("table", "    cells", "score"))]
    return "\n".join(keep)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--skip-timing", action="store_true")
    ap.add_argument("--speed-runs", type=int, default=3, help="pairs of timed runs (default 3)")
    args = ap.parse_args()
    shared = args.shared.resolve()
    work = Path(tempfile.mkdtemp(prefix="papertrail-tables-"))

    summary, seconds = icdar(shared, work)
    adj, doc = summary["adj_micro"], summary["adj_perdoc"]  # type: ignore[index]
    print("ICDAR-2013 (67 documents, 156 tables)")
    print(f"  adjacency F1 micro {adj['F1']:.3f} (P {adj['P']:.3f} R {adj['R']:.3f})")
    print(
        f"  adjacency F1 per document {doc['F1_of_means']:.3f} (mean of F1s {doc['mean_F1']:.3f})"
    )
    print(
        f"  cell F1 {summary['cell']['F1']:.3f}; tables predicted / matched / truth "  # type: ignore[index]
        f"{summary['tables_pred']} / {summary['tables_matched']} / {summary['tables_gt']}"
    )

    hit, total, lines = tabula_cells(shared)
    print(f"tabula-java expected outputs: {hit} / {total} cells exact ({hit / total:.1%})")
    print("\n".join(lines))

    checks = plumber_checks(shared)
    print(f"pdfplumber assertions: {sum(ok for _, ok in checks)} / {len(checks)}")
    for name, ok in checks:
        print(f"  {'pass' if ok else 'FAIL'}  {name}")

    print("public corpus (shared/corpus):")
    print("  " + corpus(shared, work).replace("\n", "\n  "))

    if not args.skip_timing:
        speed(work / "pdfs", work, seconds, max(args.speed_runs, 1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
