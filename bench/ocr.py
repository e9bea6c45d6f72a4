"""OCR and legacy-conversion figures on copies of the samples made here, in one run.

    .venv/bin/python bench/ocr.py [--rapidocr]

Makes, in a temporary folder: PDFs of the sample DOCX and HTML papers (LibreOffice), and a
scanned copy of each PDF (``tests.scans.scanned_copy``: 200 dpi, turned 0.6 degrees, blur,
grain, specks). Prints:
  * per scanned page: OCR seconds (render, straighten, rules, Tesseract, second looks) and
    word accuracy: F1 of the page's words as a multiset against the born-digital page's
    text layer (reading order does not count);
  * per document: the share of table cells read within 10 % edit distance of the
    born-digital table's, where the table's shape came out the same;
  * with ``--rapidocr`` (``pip install rapidocr-onnxruntime``), the same word figures for
    RapidOCR and for bare Tesseract on the same pages, the comparison behind the choice;
  * LibreOffice: seconds per document to convert and read .doc, .odt and .rtf copies of the
    sample DOCX papers, beside reading the DOCX itself.
Nothing here is asserted: these are measurements.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pdfplumber  # noqa: E402
import pypdfium2  # noqa: E402
from PIL import Image  # noqa: E402

from parsers.ocr import DPI, read_page, render  # noqa: E402
from parsers.registry import parse_file  # noqa: E402
from tests.scans import Agreement, compare_grids, libreoffice_copy, scanned_copy, table_grid  # noqa: E402

SAMPLES = ROOT / "samples"
Engine = Callable[[Image.Image], list[str]]


def word_f1(expected: list[str], got: list[str]) -> float:
    want, have = Counter(expected), Counter(got)
    common = sum((want & have).values())
    if not common:
        return 0.0
    precision, recall = common / sum(have.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def text_layer(pdf: Path) -> list[list[str]]:
    with pdfplumber.open(pdf) as document:
        return [[w["text"] for w in page.extract_words()] for page in document.pages]


def pipeline(image: Image.Image) -> list[str]:
    return [w.text for w in read_page(image, time.monotonic() + 300, "bench").words]


def bare_tesseract(image: Image.Image) -> list[str]:
    import pytesseract

    return pytesseract.image_to_string(image).split()


def rapidocr() -> Engine:
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()

    def read(image: Image.Image) -> list[str]:
        found, _ = engine(np.asarray(image.convert("RGB")))
        return [w for _, text, _ in found or [] for w in text.split()]

    return read


def pages_figures(pairs: list[tuple[Path, Path]], engines: dict[str, Engine]) -> None:
    for name, engine in engines.items():
        seconds, scores = [], []
        for original, scan in pairs:
            expected = text_layer(original)
            document = pypdfium2.PdfDocument(scan)
            for i in range(len(document)):
                if not expected[i]:
                    continue  # a blank page has no words to get right
                image = render(document, i)
                t0 = time.perf_counter()
                words = engine(image)
                seconds.append(time.perf_counter() - t0)
                scores.append(word_f1(expected[i], words))
                print(f"  {name:15s} {scan.name:45s} p{i + 1}: {seconds[-1]:5.2f} s, "
                      f"word F1 {scores[-1]:.3f}")  # fmt: skip
            document.close()
        print(f"{name}: {statistics.mean(seconds):.2f} s/page (median "
              f"{statistics.median(seconds):.2f}), word F1 {statistics.mean(scores):.3f} "
              f"over {len(scores)} pages")  # fmt: skip


def table_figures(pairs: list[tuple[Path, Path]]) -> None:
    total = Agreement()
    for original, scan in pairs:
        a, b = parse_file(original), parse_file(scan)
        mine = Agreement()
        shapes = sum(
            compare_grids(table_grid(x), table_grid(y), mine)
            for x, y in zip(a.tables, b.tables, strict=False)
        )
        total.same, total.total = total.same + mine.same, total.total + mine.total
        print(f"  {scan.name:45s} tables {len(a.tables)} born-digital / {len(b.tables)} "
              f"scanned, same shape {shapes}; cells within 10%: "
              f"{mine.same}/{mine.total}")  # fmt: skip
        for want, read, similarity in mine.differing[:6]:
            print(f"      {similarity:.2f} {want[:40]!r} read as {read[:40]!r}")
    print(f"table cells within 10 % edit distance: {total.same}/{total.total} "
          f"({total.share:.3f})")  # fmt: skip


def legacy_figures(folder: Path) -> None:
    for docx in sorted(SAMPLES.glob("*.docx")):
        t0 = time.perf_counter()
        parse_file(docx)
        direct = time.perf_counter() - t0
        line = [f"  {docx.name}: docx {direct:.2f} s"]
        for fmt in ("doc", "odt", "rtf"):
            copy = libreoffice_copy(docx, folder / fmt, fmt)
            t0 = time.perf_counter()
            parse_file(copy)
            line.append(f"{fmt} {time.perf_counter() - t0:.2f} s")
        print(", ".join(line))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rapidocr", action="store_true", help="compare with RapidOCR too")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}, {DPI} dpi")
    with tempfile.TemporaryDirectory(prefix="papertrail-bench-ocr-") as tmp:
        folder = Path(tmp)
        originals = sorted(SAMPLES.glob("*.pdf"))
        for paper in sorted([*SAMPLES.glob("*.docx"), *SAMPLES.glob("*.html")]):
            originals.append(libreoffice_copy(paper, folder / "pdf", "pdf"))
        pairs = [(p, scanned_copy(p, folder / f"scan-{p.name}")) for p in originals]
        engines: dict[str, Engine] = {"papertrail OCR": pipeline}
        if args.rapidocr:
            engines |= {"bare tesseract": bare_tesseract, "rapidocr": rapidocr()}
        print("OCR per scanned page:")
        pages_figures(pairs, engines)
        print("Tables, scanned against born-digital:")
        table_figures(pairs)
        print("Legacy formats through LibreOffice (convert + read):")
        legacy_figures(folder)


if __name__ == "__main__":
    main()
