"""A throw-away PostgreSQL server: ``initdb`` into a temporary folder, ``pg_ctl start`` on a
Unix socket there (no TCP) with a free port number, stopped and removed afterwards.
Used by the tests (``pg_server`` in conftest.py) and by ``bench/scale.py``.

``initdb`` and ``postgres`` refuse to run as root; as root the folder is given to
``nobody`` and both run as that user (``runuser``, else ``su``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
# Durability is of no use to a throw-away server: no fsync, no full pages.
SETTINGS = ("fsync=off", "full_page_writes=off", "synchronous_commit=off", "max_connections=40")


class ServerMissing(Exception):
    """The PostgreSQL server programs (or psycopg) are not installed here."""


def pg_program(name: str) -> str | None:
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
    """A running server; ``new_database`` makes an empty database and gives its URL."""

    socket_dir: Path
    port: int
    made: int = 0

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres@/{dbname}?host={self.socket_dir}&port={self.port}"

    def new_database(self, name: str | None = None) -> str:
        import psycopg

        self.made += 1
        name = name or f"t{self.made}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "nobody", "--", *command]
    return ["su", "nobody", "-s", "/bin/sh", "-c", shlex.join(command)]


@contextmanager
def temporary_server(settings: tuple[str, ...] = SETTINGS) -> Iterator[PgServer]:
    """Start a server for the length of the ``with``; ``ServerMissing`` if it cannot be."""
    initdb, pg_ctl = pg_program("initdb"), pg_program("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise ServerMissing("PostgreSQL (initdb, pg_ctl) not found: apt-get install postgresql")
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise ServerMissing("psycopg not installed: pip install 'papertrail[postgres]'") from exc
    base = Path(tempfile.mkdtemp(prefix="papertrail-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "nobody")
    data, port = base / "data", _free_port()
    init = [initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync"]  # fmt: skip
    options = f"-k {base} -p {port} -c listen_addresses='' " + " ".join(f"-c {s}" for s in settings)
    start = [pg_ctl, "-D", str(data), "-l", str(base / "log"), "-w", "-t", "60", "-o", options]
    try:
        subprocess.run(_as_server_user(init), check=True, capture_output=True, cwd=base)
        subprocess.run(_as_server_user([*start, "start"]), check=True, capture_output=True,
                       cwd=base)  # fmt: skip
    except subprocess.CalledProcessError as exc:
        log = (base / "log").read_text(errors="replace") if (base / "log").exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr!r} {log[-2000:]}") from exc
    try:
        yield PgServer(base, port)
    finally:
        subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, cwd=base)  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)
