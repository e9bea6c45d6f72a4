"""Write large inputs for the benchmarks (not used by the tests).

    .venv/bin/python bench/make_big.py [OUT_DIR] [--pages 500] [--copies 200]

Writes to OUT_DIR (default ``bench/data/``, git-ignored):

* ``big-action-plan-<pages>p.pdf`` — one ruled action-plan table running over every page:
  the header row repeated at the top of each page, a running header and "Page N of M"
  footer, rows of varying height and rows split by page breaks wherever a row meets the
  page end. Drawn straight onto the canvas (platypus re-measures the rest of a table at
  every split, which is quadratic over 500 pages).
* ``small/NNNN-<sample>`` — ``--copies`` documents made from the papers in ``samples/``,
  each one's meeting date shifted so every copy has its own bytes, doc_id and records
  (PDF copies differ only by a trailing comment, which readers ignore).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from docx import Document as open_docx
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
HEADER = ("Ref", "Action", "Lead", "Target date", "Progress")
WIDTHS = tuple(w * cm for w in (1.3, 6.4, 3.2, 2.3, 3.8))
FONT, SIZE, LEADING, PAD = "Helvetica", 8.0, 10.0, 3.0
TOP, BOTTOM, LEFT = A4[1] - 2 * cm, 2 * cm, 2 * cm

VERBS = ("Review", "Agree", "Publish", "Introduce", "Audit", "Replace", "Report", "Train")
OBJECTS = (
    "the custody healthcare contract",
    "the neighbourhood policing model",
    "the fleet replacement programme",
    "the estates disposal plan",
    "the shared back-office service",
    "the complaints handling procedure",
)
CLAUSES = (
    "with the partner agencies named in the protocol",
    "and report the results to the Committee each quarter",
    "so that every borough follows the same approach",
    "taking account of the equality impact assessment",
)
LEADS = ("Director of Resources", "Head of Estates", "Chief Inspector, Operations",
         "Head of Finance", "Director of HR")  # fmt: skip
DATES = ("31/03/2012", "Q2 2012/13", "June 2012", "2012/13", "Dec-12", "30 September 2012")
PROGRESS = ("Complete.", "On track.", "Not started.", "In progress. Draft plan with the "
            "Management Board; consultation with staff associations under way and a "
            "further update due at the next meeting.")  # fmt: skip


def action_rows(n: int, seed: int = 7) -> Iterator[tuple[str, ...]]:
    """``n`` plausible action-plan rows, the same for the same seed."""
    rng = random.Random(seed)
    for i in range(1, n + 1):
        text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        text += "".join(f" {c}" for c in rng.sample(CLAUSES, rng.randint(0, 3))) + "."
        yield (f"{(i - 1) // 8 + 1}.{(i - 1) % 8 + 1}", text, rng.choice(LEADS), rng.choice(DATES),
               rng.choice(PROGRESS))  # fmt: skip


def _wrap(row: Sequence[str]) -> list[list[str]]:
    return [simpleSplit(t, FONT, SIZE, w - 2 * PAD) for t, w in zip(row, WIDTHS, strict=True)]


def _draw_row(c: canvas.Canvas, top: float, cells: list[list[str]], nlines: int) -> float:
    """Draw the first ``nlines`` lines of each cell as one ruled row; return its bottom."""
    height = nlines * LEADING + 2 * PAD
    x = LEFT
    for lines, width in zip(cells, WIDTHS, strict=True):
        c.rect(x, top - height, width, height, stroke=1, fill=0)
        for k, line in enumerate(lines[:nlines]):
            c.drawString(x + PAD, top - PAD - SIZE - k * LEADING, line)
        x += width
    return top - height


def _furniture(c: canvas.Canvas, page: int, total: int) -> None:
    c.setFont(FONT, 7)
    c.drawString(LEFT, A4[1] - 1.2 * cm, "Benchmark Police Authority \u2013 Resources Committee")
    c.drawCentredString(A4[0] / 2, 1.2 * cm, f"Page {page} of {total}")
    c.setFont(FONT, SIZE)


def _fill_page(c: canvas.Canvas, rows: Iterator[list[list[str]]], carry: list[list[str]] | None,
               last: bool) -> list[list[str]] | None:  # fmt: skip
    """Fill one page with the header and rows; return the part of a row cut by the page
    (on the last page the table ends with the last whole row instead)."""
    y = _draw_row(c, TOP, _wrap(HEADER), 1)
    while True:
        cells = carry if carry is not None else next(rows, None)
        carry = None
        if cells is None:
            return None
        need = max(len(lines) for lines in cells)
        fits = int((y - BOTTOM - 2 * PAD) // LEADING)
        if need <= fits:
            y = _draw_row(c, y, cells, need)
            continue
        if fits >= 1 and not last:  # the row is split: what fits here, the rest on the next page
            _draw_row(c, y, cells, fits)
            return [lines[fits:] for lines in cells]
        return cells


def write_big_pdf(path: Path, pages: int) -> None:
    """A single long table over exactly ``pages`` pages."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    c.setLineWidth(0.5)
    rows = (_wrap(r) for r in action_rows(pages * 40))
    carry: list[list[str]] | None = None
    for page in range(1, pages + 1):
        _furniture(c, page, pages)
        carry = _fill_page(c, rows, carry, page == pages)
        c.showPage()
    c.save()


_DATE = re.compile(r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|"
                   r"September|October|November|December) (\d{4})\b")  # fmt: skip


def _shift_date(text: str, copy: int) -> str:
    """Move the first printed date to another day of its month (and, past 28 copies, to an
    earlier year), so that every copy has its own bytes however many are made."""
    return _DATE.sub(lambda m: f"{copy % 28 + 1} {m[2]} {int(m[3]) - copy // 28}", text, count=1)


def write_copy(sample: Path, dest: Path, copy: int) -> None:
    suffix = sample.suffix.lower()
    if suffix == ".txt":
        dest.write_text(_shift_date(sample.read_text("utf-8"), copy), "utf-8")
    elif suffix in (".html", ".htm"):
        dest.write_bytes(_shift_date(sample.read_bytes().decode("cp1252"), copy).encode("cp1252"))
    elif suffix == ".docx":
        doc = open_docx(str(sample))
        for para in doc.paragraphs[:4]:
            if _DATE.search(para.text):
                para.text = _shift_date(para.text, copy)
                break
        doc.save(str(dest))
    else:
        shutil.copyfile(sample, dest)
        with dest.open("ab") as fh:
            fh.write(f"\n% copy {copy}\n".encode("ascii"))


def write_copies(out: Path, copies: int) -> int:
    samples = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".html", ".txt"))
    out.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        sample = samples[i % len(samples)]
        write_copy(sample, out / f"{i:04d}-{sample.name}", i)
    return copies


def main(argv: Sequence[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", type=Path, default=ROOT / "bench" / "data")
    ap.add_argument("--pages", type=int, default=500, help="pages of the big PDF (0: none)")
    ap.add_argument("--copies", type=int, default=200, help="small documents (0: none)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.pages:
        big = args.out / f"big-action-plan-{args.pages}p.pdf"
        write_big_pdf(big, args.pages)
        print(f"{big}  {big.stat().st_size:,} bytes")
    if args.copies:
        n = write_copies(args.out / "small", args.copies)
        print(f"{args.out / 'small'}  {n} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
