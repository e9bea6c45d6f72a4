"""Copies of the sample papers as an old archive holds them, made at test (or bench) time:
a scanned PDF (pages rendered, turned a little, blurred, speckled, saved as pictures) and
Word 97-2003, OpenDocument and RTF files written by LibreOffice.  Nothing here is
committed output: every copy is made afresh, by the real programs.

    .venv/bin/python -m tests.scans PAPER.pdf OUT.pdf     # a scanned copy, to look at
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image, ImageFilter
from rapidfuzz.distance import Levenshtein

from parsers.legacy import soffice
from parsers.model import Table

SCAN_DPI = 200
SIMILAR = 0.9  # a cell read within 10 % edit distance of the born-digital text is the same


def scanned_copy(
    pdf: Path, out: Path, angle: float = 0.6, noise: float = 14.0, seed: int = 1
) -> Path:
    """``pdf`` as a scanner would give it back: each page rendered at 200 dpi in grey,
    turned by ``angle`` degrees (the other way on even pages), blurred a little, with
    grain (``noise``: standard deviation in grey levels) and black specks of dust;
    saved as a PDF of pictures, without a text layer."""
    rng = np.random.default_rng(seed)
    pages = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for i, page in enumerate(document):
            image = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
            turn = angle if i % 2 == 0 else -0.7 * angle
            image = image.rotate(turn, resample=Image.Resampling.BICUBIC, fillcolor=255)
            grey = np.asarray(image.filter(ImageFilter.GaussianBlur(0.6)), dtype=np.float32)
            grey = grey + rng.normal(0.0, noise, grey.shape)
            grey[rng.random(grey.shape) < 0.0015] = 0.0
            pages.append(Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)))
    finally:
        document.close()
    pages[0].save(out, save_all=True, append_images=pages[1:], resolution=SCAN_DPI)
    return out


def libreoffice_copy(source: Path, out_dir: Path, fmt: str) -> Path:
    """``source`` converted by LibreOffice to ``fmt`` ("doc", "odt", "rtf", "pdf"), in
    ``out_dir`` under the same stem."""
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="papertrail-test-soffice-") as profile:
        command = [
            str(program),
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(out_dir),
            str(source),
        ]
        for _ in range(2):  # a new profile makes soffice.bin ask to be started again
            done = subprocess.run(command, capture_output=True, timeout=120, check=False)
            if done.returncode != 81:
                break
    made = out_dir / f"{source.stem}.{fmt}"
    if not made.is_file():
        raise RuntimeError(f"LibreOffice made no {fmt} of {source.name}: {done.stderr!r}")
    return made


@dataclass
class Agreement:
    """How the cells of a table read from a scan compare with the born-digital table's."""

    same: int = 0  # non-empty cells (either side) within ``SIMILAR``
    total: int = 0
    differing: list[tuple[str, str, float]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.same / self.total if self.total else 1.0

    def add(self, expected: str, got: str) -> None:
        if not expected and not got:
            return
        self.total += 1
        similarity = Levenshtein.normalized_similarity(expected, got)
        if similarity >= SIMILAR:
            self.same += 1
        else:
            self.differing.append((expected, got, round(similarity, 2)))


def compare_grids(expected: list[list[str]], got: list[list[str]], into: Agreement) -> bool:
    """Add each cell pair to ``into``; False (nothing added) when the shapes differ."""
    if [len(r) for r in expected] != [len(r) for r in got]:
        return False
    for row_e, row_g in zip(expected, got, strict=True):
        for e, g in zip(row_e, row_g, strict=True):
            into.add(e, g)
    return True


def table_grid(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in (*table.header, *table.rows)]


if __name__ == "__main__":
    print(scanned_copy(Path(sys.argv[1]), Path(sys.argv[2])))
