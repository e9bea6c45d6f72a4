"""What ``--db`` names: an SQLite file (a path or ``sqlite:///PATH``) or a PostgreSQL
server (``postgresql://user@host:port/dbname``, any libpq URL).

Standard library only: every command reads ``--db`` before anything heavy is loaded.
"""

from __future__ import annotations

import re
from pathlib import Path

# postgresql://, postgres:// (libpq's two spellings) and SQLAlchemy's own with a driver
_SERVER = re.compile(r"^(postgresql|postgres)(\+psycopg)?://", re.IGNORECASE)
_SQLITE = re.compile(r"^sqlite:///", re.IGNORECASE)


def is_server(db: str | Path) -> bool:
    """Whether ``db`` names a PostgreSQL database rather than an SQLite file."""
    return isinstance(db, str) and bool(_SERVER.match(db))


def sqlite_path(db: str | Path) -> Path:
    """The file an SQLite ``db`` names (``sqlite:///x.db`` or a plain path)."""
    if isinstance(db, Path):
        return db
    if _SQLITE.match(db):
        return Path(db[len("sqlite:///") :])
    return Path(db)


def server_url(db: str) -> str:
    """SQLAlchemy's URL for a PostgreSQL ``db``: always through psycopg 3."""
    return _SERVER.sub("postgresql+psycopg://", db, count=1)


def libpq_url(db: str) -> str:
    """The URL psycopg (libpq) itself takes: without SQLAlchemy's ``+psycopg``."""
    return _SERVER.sub("postgresql://", db, count=1)


def shown(db: str | Path) -> str:
    """``db`` as messages name it: a server URL without its password."""
    text = str(db)
    if not is_server(text):
        return text
    return re.sub(r"(://[^/:@]*):[^@/]*@", r"\1:***@", text, count=1)


# PostgreSQL's role for analysts' SQL (``papertrail sql``): no login, SELECT only; made
# by ``store.database.upgrade`` where the login may manage roles.
READER = "papertrail_reader"
