"""Shared fixtures: small papers written into tmp_path, and databases made from them."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

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

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _pg_program(name: str) -> str | None:
    """``initdb`` / ``pg_ctl``: on the PATH, else in Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    return next((str(d / name) for d in PG_BIN_DIRS if (d / name).exists()), None)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PgServer:
    """A PostgreSQL server this test session started; ``new_database`` makes one per test."""

    socket_dir: Path
    port: int
    made: int = 0

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres@/{dbname}?host={self.socket_dir}&port={self.port}"

    def new_database(self) -> str:
        import psycopg

        self.made += 1
        name = f"t{self.made}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


def _as_server_user(command: list[str]) -> list[str]:
    """``initdb`` and ``postgres`` refuse to run as root: run them as ``nobody`` there."""
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "nobody", "--", *command]
    return ["su", "nobody", "-s", "/bin/sh", "-c", shlex.join(command)]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throw-away PostgreSQL server for the session: ``initdb`` into a temporary folder,
    ``pg_ctl start`` on a Unix socket there (no TCP) and a free port number; stopped and
    removed at the end. Skips, saying what is missing, where the server programs are not
    installed (Debian: ``apt-get install postgresql``) or psycopg is not."""
    initdb, pg_ctl = _pg_program("initdb"), _pg_program("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("PostgreSQL server (initdb, pg_ctl) not found: apt-get install postgresql")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg not installed: pip install 'papertrail[postgres]'")
    base = Path(tempfile.mkdtemp(prefix="papertrail-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "nobody")
    data, port = base / "data", _free_port()
    run = dict(check=True, capture_output=True, cwd=base)
    subprocess.run(
        _as_server_user([initdb, "-D", str(data), "-U", "postgres", "--auth=trust",
                         "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
        **run,
    )  # fmt: skip
    # durability is of no use to a test server: no fsync, no full pages, smaller shared memory
    options = (
        f"-k {base} -p {port} -c listen_addresses='' -c fsync=off -c full_page_writes=off "
        "-c synchronous_commit=off -c shared_buffers=32MB -c max_connections=40"
    )
    start = [pg_ctl, "-D", str(data), "-l", str(base / "log"), "-w", "-t", "60", "-o", options]
    try:
        subprocess.run(_as_server_user([*start, "start"]), **run)
    except subprocess.CalledProcessError as exc:
        log = (base / "log").read_text(errors="replace") if (base / "log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr!r} {log[-2000:]}") from exc
    try:
        yield PgServer(base, port)
    finally:
        subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, cwd=base)  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a new, empty PostgreSQL database on the session's server."""
    return pg_server.new_database()
