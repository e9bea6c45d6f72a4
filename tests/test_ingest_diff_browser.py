"""The HTML diff report opened in a real browser (headless Chromium): it renders, its
title block and summary come first, and slipped deadlines are shown in red. Skipped
where no Chromium is installed (`apt-get install chromium`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from ingest.cli import app

runner = CliRunner()
CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")
SLIP_ROW = (0xFF, 0xE3, 0xE3)  # .slip td background in ingest/templates/diff.css


def browser(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture
def report(tmp_path: Path, tracker_versions: list[Path]) -> Path:
    db = str(tmp_path / "b.db")
    assert runner.invoke(app, ["ingest", *map(str, tracker_versions), "--db", db]).exit_code == 0
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["diff", "v1.docx", "v2.html", "--db", db, "--format", "html",
                                 "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_the_report_opens_in_a_browser_title_and_summary_first(report: Path) -> None:
    dom = browser("--dump-dom", report.as_uri()).stdout
    assert "<h1>Custody audit – progress on recommendations</h1>" in dom
    assert dom.index('class="title-block"') < dom.index('class="summary"')
    assert dom.index('class="summary"') < dom.index('class="changes"')


def test_screenshot_shows_the_slipped_deadline_in_red(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    browser(f"--screenshot={shot}", "--window-size=1280,1400", report.as_uri())
    image = Image.open(shot).convert("RGB")
    colours = {c for _, c in image.getcolors(maxcolors=1 << 20) or []}
    assert len(colours) > 50  # text and styles were drawn, not a blank page
    assert SLIP_ROW in colours
