"""The per-series status report (`papertrail report`) on a database made from the samples.

The custody audit tracker in `samples/` comes in two versions (`samples/papers.py`:
TRACKER_V1, and TRACKER_V2_CHANGES with the new row 7). Read by hand, the September 2009
paper has seven recommendations: 1 Complete (31 October 2008), 2 Complete (was Ongoing),
3 Ongoing with its timescale moved from "End of June 2009" to "31 December 2009", 4
"Actions complete – continuous improvement ongoing" (complete: the vocabulary tries
"actions complete" before "ongoing"), 5 "In progress" (was Not started; due 2009/10, the
financial year ending 31 March 2010), 6 Superseded and 7 Not started (new; due March 2010).
On 1 January 2010 only 3 is overdue; at the meeting (15 September 2009) none is.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from typer.testing import CliRunner

from ingest.cli import app
from store.database import open_readonly
from store.series import get_series, list_series
from store.series_report import SeriesStatus, series_status

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
OVERDUE_RED = (0xC6, 0x28, 0x28)  # the overdue bar (ingest/status_figures.py COLOURS)
ALARM_ROW = (0xFF, 0xE3, 0xE3)  # .alarm td in ingest/templates/status.css


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("report") / "samples.db")
    result = runner.invoke(app, ["ingest", str(ROOT / "samples"), "--db", path, "--quiet"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def series(db: str) -> str:
    engine = open_readonly(db)
    with engine.connect() as conn:
        (custody,) = [s for s in list_series(conn) if "custody" in s.name]
    engine.dispose()
    return custody.name


def status_of(db: str, name: str, as_of: str) -> SeriesStatus:
    engine = open_readonly(db)
    with engine.connect() as conn:
        found = series_status(conn, get_series(conn, name), as_of)
    engine.dispose()
    return found


def test_series_status_counts_the_latest_paper(db: str, series: str) -> None:
    report = status_of(db, series, "2010-01-01")
    assert report.previous is not None
    assert report.latest.source == "arc-20090915-custody-audit-recommendations.docx"
    assert report.previous.source == "arc-20090310-custody-audit-recommendations.docx"
    (standing,) = report.standing  # no actions in this tracker
    assert standing.type == "recommendation"
    assert standing.counts == {"complete": 3, "superseded": 1, "ongoing": 1, "overdue": 1,
                               "not_started": 1, "no_status": 0}  # fmt: skip
    assert [i.ref for i in report.overdue] == ["3"]


def test_series_status_says_what_moved_since_the_previous_paper(db: str, series: str) -> None:
    report = status_of(db, series, "2010-01-01")
    (slip,) = report.slipped
    assert (slip.item.ref, slip.old_raw, slip.new_raw) == ("3", "End of June 2009",
                                                           "31 December 2009")  # fmt: skip
    assert slip.days_later == 184  # 30 June -> 31 December 2009
    moves = {m.item.ref: (m.old, m.new) for m in report.status_moves}
    assert moves == {"2": ("ongoing", "complete"), "5": ("not_started", "ongoing")}
    assert [i.ref for i in report.added] == ["7"]
    assert [i.ref for i in report.closed] == ["2"]
    assert report.removed == []


def test_nothing_is_overdue_at_the_meeting(db: str, series: str) -> None:
    (standing,) = status_of(db, series, "2009-09-15").standing
    assert (standing.counts["overdue"], standing.counts["ongoing"]) == (0, 2)


def html_report(db: str, series: str, out: Path) -> str:
    result = runner.invoke(
        app, ["report", series, "--db", db, "-o", str(out), "--as-of", "2010-01-01"]
    )
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_report_html_is_one_self_contained_page(db: str, series: str, tmp_path: Path) -> None:
    page = html_report(db, series, tmp_path / "status.html")
    assert "<style>" in page and "<svg" in page
    assert "<script" not in page and "<link" not in page and "file://" not in page
    assert "Committee</dt><dd>Audit and Risk Committee" in page
    assert 'data-bucket="overdue">1<' in page and 'data-bucket="complete">3<' in page
    assert "End of June 2009 → 31 December 2009 (+184 days)" in page
    assert "Not started → Ongoing" in page
    assert "Overdue on 2010-01-01" in page


def test_report_pdf_is_one_page(db: str, series: str, tmp_path: Path) -> None:
    out = tmp_path / "status.pdf"
    result = runner.invoke(app, ["report", series, "--db", db, "-o", str(out),
                                 "--as-of", "2010-01-01"])  # fmt: skip
    assert result.exit_code == 0, result.output
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 1
        text = pdf.pages[0].extract_text()
    assert "Status report: Internal audit of custody arrangements" in text
    assert "deadlines moved later 1, status changes 2, added 1, closed 1, removed 0" in text
    assert "End of June 2009 → 31 December 2009" in text


def test_report_refuses_what_it_cannot_do(db: str, series: str) -> None:
    unknown = runner.invoke(app, ["report", "no-such-series", "--db", db])
    assert unknown.exit_code == 1 and "no series" in unknown.output
    to_stdout = runner.invoke(app, ["report", series, "--db", db, "--format", "pdf"])
    assert to_stdout.exit_code == 2 and "-o FILE.pdf" in to_stdout.output
    bad_day = runner.invoke(app, ["report", series, "--db", db, "--as-of", "1/1/2010"])
    assert bad_day.exit_code == 2


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")
def test_report_opens_in_a_browser_with_the_overdue_in_red(
    db: str, series: str, tmp_path: Path
) -> None:
    out = tmp_path / "status.html"
    html_report(db, series, out)
    assert CHROMIUM is not None
    browse = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    dom = subprocess.run([*browse, "--dump-dom", out.as_uri()], capture_output=True,
                         text=True, timeout=120).stdout  # fmt: skip
    assert (
        dom.index('class="title-block"')
        < dom.index('class="standing"')
        < dom.index('class="moved"')
    )
    shot = tmp_path / "status.png"
    subprocess.run([*browse, f"--screenshot={shot}", "--window-size=1000,1400", out.as_uri()],
                   capture_output=True, timeout=120)  # fmt: skip
    colours = {c for _, c in Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 20) or []}
    assert OVERDUE_RED in colours  # the chart was drawn, with its overdue part
    assert ALARM_ROW in colours  # the slipped deadline's row
