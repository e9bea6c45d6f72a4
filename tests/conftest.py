"""Shared fixtures: small papers written into tmp_path, and databases made from them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from pgserver import PgServer, ServerMissing, temporary_server

PaperFactory = Callable[..., Path]


@pytest.fixture
def make_html_paper(tmp_path: Path) -> PaperFactory:
    """Write a small HTML committee paper with one recommendations table; return its path.

    ``rows`` are (ref, recommendation, owner, timescale); ``name`` picks the file name, so
    two calls with the same arguments but different names give identical bytes.
    """

    def make(
        name: str = "paper.html",
        title: str = "Audit Committee – 3 March 2009",
        rows: tuple[tuple[str, str, str, str], ...] = (
            ("1", "Publish the register", "Head of HR", "March 2009"),
            ("2", "Train all managers", "Director", "Complete"),
        ),
    ) -> Path:
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
        html = (
            f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
            "<p>Report of the Director of Resources.</p><h2>Recommendations</h2>"
            "<table><tr><th>No</th><th>Recommendation</th><th>Owner</th><th>Timescale</th></tr>"
            f"{body}</table></body></html>"
        )
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        return path

    return make


TrackerRow = tuple[str, str, str, str, str]  # ref, recommendation, owner, status, timescale


@pytest.fixture
def make_tracker(tmp_path: Path) -> PaperFactory:
    """Write one version of a progress tracker as HTML or DOCX; return its path.

    ``rows`` are (ref, recommendation, owner, status, timescale); ``progress`` maps a ref
    to its dated updates ("May 2009 Update: ..." paragraphs) for the Progress column.
    """

    def make(
        name: str,
        meeting: str,
        rows: tuple[TrackerRow, ...],
        progress: dict[str, list[str]] | None = None,
        title: str = "Custody audit – progress on recommendations",
        committee: str = "Audit Committee",
    ) -> Path:
        header = ["No", "Recommendation", "Owner", "Status", "Timescale", "Progress"]
        grid = [[*row, "\n".join((progress or {}).get(row[0], []))] for row in rows]
        path = tmp_path / name
        if path.suffix == ".docx":
            _tracker_docx(path, f"{committee} – {meeting}", title, header, grid)
        else:
            cells = "".join(
                "<tr>"
                + "".join(
                    "<td>" + "".join(f"<p>{p}</p>" for p in c.split("\n")) + "</td>" for c in row
                )
                + "</tr>"
                for row in grid
            )
            path.write_text(
                f"<html><body><p>{committee} – {meeting}</p><h1>{title}</h1>"
                "<h2>Recommendations</h2><table><tr>"
                + "".join(f"<th>{h}</th>" for h in header)
                + f"</tr>{cells}</table></body></html>",
                encoding="utf-8",
            )
        return path

    return make


def _tracker_docx(
    path: Path, committee_line: str, title: str, header: list[str], grid: list[list[str]]
) -> None:
    from docx import Document as new_docx

    doc = new_docx()
    doc.add_paragraph(committee_line)
    doc.add_heading(title, level=1)
    doc.add_heading("Recommendations", level=2)
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in grid:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            parts = text.split("\n")
            cell.text = parts[0]
            for part in parts[1:]:
                cell.add_paragraph(part)
    doc.save(str(path))


@pytest.fixture
def tracker_versions(make_tracker: PaperFactory) -> list[Path]:
    """Three versions of one tracker (DOCX, HTML, DOCX), oldest first: recommendation 1's
    due date slips twice, 2 goes complete -> ongoing -> complete, 3 is renumbered 4 and
    reworded, 5 is added then removed."""
    cctv = "Review the cell CCTV coverage in every suite"
    v1 = make_tracker(
        "v1.docx",
        "3 March 2009",
        (
            (
                "1",
                "Publish the custody register every month",
                "Head of Custody",
                "Ongoing",
                "March 2009",
            ),
            (
                "2",
                "Train all custody sergeants in risk assessment",
                "Training Manager",
                "Complete",
                "June 2009",
            ),
            ("3", cctv, "Estates", "Not started", "December 2009"),
        ),
        {"1": ["February 2009 Update: register drafted."]},
    )
    v2 = make_tracker(
        "v2.html",
        "15 September 2009",
        (
            (
                "1",
                "Publish the custody register every month",
                "Head of Custody",
                "Ongoing",
                "September 2009",
            ),
            (
                "2",
                "Train all custody sergeants in risk assessment",
                "Training Manager",
                "Ongoing",
                "June 2009",
            ),
            (
                "4",
                cctv.replace("every", "every custody"),
                "Head of Estates",
                "Ongoing",
                "December 2009",
            ),
            (
                "5",
                "Audit the handling of detainees' property",
                "Head of Custody",
                "Not started",
                "March 2010",
            ),
        ),
        {"1": ["February 2009 Update: register drafted.", "August 2009 Update: published twice."]},
    )
    v3 = make_tracker(
        "v3.docx",
        "9 March 2010",
        (
            (
                "1",
                "Publish the custody register every month",
                "Head of Custody",
                "Ongoing",
                "March 2010",
            ),
            (
                "2",
                "Train all custody sergeants in risk assessment",
                "Training Manager",
                "Complete",
                "June 2009",
            ),
            (
                "4",
                cctv.replace("every", "every custody"),
                "Head of Estates",
                "Complete",
                "December 2009",
            ),
        ),
    )
    return [v1, v2, v3]


# CI shares two cores with other jobs: a slow example is not a failure, so no deadlines.
hypothesis_settings.register_profile("papertrail", deadline=None)
hypothesis_settings.load_profile("papertrail")


# ---------------------------------------------------------------- a real PostgreSQL server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throw-away PostgreSQL server for the session (``tests/pgserver.py``): ``initdb``
    into a temporary folder, started on a Unix socket there; stopped and removed at the
    end. Skips, saying what is missing, where the server programs are not installed
    (Debian: ``apt-get install postgresql``) or psycopg is not."""
    try:
        with temporary_server() as server:
            yield server
    except ServerMissing as exc:
        pytest.skip(str(exc))


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a new, empty PostgreSQL database on the session's server."""
    return pg_server.new_database()
