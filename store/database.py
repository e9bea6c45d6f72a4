"""Opening a papertrail database: the engine, SQLite settings, and schema upgrades.

``open_database`` is the one way in: it makes the file if need be and brings its schema
up to the newest migration, so a database written by an older papertrail keeps working.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, inspect

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class SchemaError(Exception):
    """The database was not made by papertrail, or by a newer papertrail than this one."""


def _dumps(value: Any) -> str:
    # Readable UTF-8 in the file (Datasette shows it as is); NaN is not valid JSON.
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" hook, not the sqlite3 module, decide where transactions
    # start, so a whole document load is one real transaction.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL skips an fsync per commit yet never corrupts the file; only a power
    # cut could drop the last commits, which re-running the batch stores again.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _on_begin(conn: Connection) -> None:
    conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))


def make_engine(path: str | Path) -> Engine:
    """An engine on the SQLite file at ``path`` with papertrail's settings, no migration."""
    engine = create_engine(f"sqlite:///{path}", json_serializer=_dumps)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def alembic_config(connection: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _is_known(revision: str) -> bool:
    try:
        return ScriptDirectory(str(MIGRATIONS)).get_revision(revision) is not None
    except CommandError:
        return False


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the schema to ``revision`` (default: the newest), keeping the data."""
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        known = MigrationContext.configure(conn).get_current_revision()
        if known is None and names - {"alembic_version"}:
            raise SchemaError("database has tables but no papertrail schema version")
        if known is not None and not _is_known(known):
            raise SchemaError(f"schema version {known} is newer than this papertrail")
        command.upgrade(alembic_config(conn), revision)
        conn.commit()


def open_database(path: str | Path) -> Engine:
    """Open (creating if need be) the database at ``path`` with its schema up to date."""
    engine = make_engine(path)
    if current_revision(engine) != head_revision():
        upgrade(engine)
    return engine
