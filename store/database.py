"""Opening a papertrail database: the engine, its settings, and schema upgrades.

A database is an SQLite file (a path, or ``sqlite:///PATH``) or a PostgreSQL database
(``postgresql://...``, through psycopg 3; ``store.dburl``). ``open_database`` is the way
in for writers: it makes the file if need be and brings its schema up to the newest
migration (the same Alembic migrations on both). ``open_readonly`` is the way in for
every command that only reads: an SQLite file is opened ``mode=ro`` with ``query_only``
on, a PostgreSQL session with ``default_transaction_read_only``; nothing is migrated,
switched to WAL or created, and a database whose schema is older than this papertrail
is refused with "run `papertrail migrate`".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text

from store.dburl import READER, is_server, server_url, sqlite_path
from store.reader import BUSY_TIMEOUT
from store.readonly import readonly_uri
from store.revisions import (  # noqa: F401 - known from here too
    MIGRATIONS,
    OutOfDateError,
    SchemaError,
    head_revision,
    is_known,
    known_revisions,
    schema_problem,
)

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only where a schema is changed: loading it costs reading commands
# (which only compare revision names) a few hundred milliseconds. BUSY_TIMEOUT, the wait
# for another writer's lock, lives with the readers' connection (``store.reader``).


def _dumps(value: Any) -> str:
    # Readable UTF-8 in the file (Datasette shows it as is); NaN is not valid JSON.
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" hook, not the sqlite3 module, decide where transactions
    # start, so a whole document load is one real transaction.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    # The wait comes first: switching to WAL takes a lock, and a second writer opening a
    # new database at the same moment would otherwise fail at once with "locked".
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
    cur.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL skips an fsync per commit yet never corrupts the file; only a power
    # cut could drop the last commits, which re-running the batch stores again.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _on_connect_readonly(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def _on_begin(conn: Connection) -> None:
    conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))


# The key of the PostgreSQL advisory lock that writers of the schema and the series take
# for the length of their transaction: SQLite's ``BEGIN IMMEDIATE`` on a server.
WRITE_LOCK = 0x70617065  # "pape"


def _on_begin_server(conn: Connection) -> None:
    if conn.get_execution_options().get("exclusive_write"):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


def _server_engine(db: str, readonly: bool = False) -> Engine:
    # The wait for a lock is bounded as SQLite's busy timeout is; a reading session is
    # read-only in every transaction, as the SQLite file is opened ``mode=ro``. Rows are
    # read through a server-side cursor (``store.reader.rows``), every row of it: planned
    # for a tenth of them (the default fraction), a first page of matches for a rare word
    # walked the ids in order instead of looking the word up (8 -> 60 ms). JIT is off:
    # papertrail's statements are a page of rows or a count, and PostgreSQL compiles one
    # whenever its estimate passes ``jit_above_cost``. At a million records only counting
    # a common word's matches does (7 ms to compile, won back in faster row reading), but
    # estimates grow with the tables, and past ``jit_inline_above_cost`` the same count
    # spent 67-146 ms compiling (the ``sql`` command's statements keep the server's JIT).
    options = f"-c lock_timeout={int(BUSY_TIMEOUT * 1000)} -c cursor_tuple_fraction=1 -c jit=off"
    if readonly:
        options += " -c default_transaction_read_only=on"
    engine = create_engine(
        server_url(db),
        json_serializer=_dumps,
        connect_args={"options": options, "application_name": "papertrail"},
        pool_pre_ping=False,
    )
    event.listen(engine, "begin", _on_begin_server)
    return engine


def make_engine(db: str | Path) -> Engine:
    """An engine on the database ``db`` names (an SQLite file or a PostgreSQL URL) with
    papertrail's settings, no migration."""
    if is_server(db):
        return _server_engine(str(db))
    engine = create_engine(f"sqlite:///{sqlite_path(db)}", json_serializer=_dumps)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def alembic_config(connection: Connection) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the file (None: no papertrail schema yet)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def writing(engine: Engine) -> Engine:
    """``engine`` whose transactions take the write lock at BEGIN (``BEGIN IMMEDIATE``):
    a transaction that read first and then wrote would fail at once, without waiting,
    when another writer committed in between (SQLite cannot wait out a stale snapshot).
    On PostgreSQL the same turn-taking is an advisory lock held to the transaction's end,
    so two processes never migrate or regroup the series at once."""
    return engine.execution_options(sqlite_begin="BEGIN IMMEDIATE", exclusive_write=True)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the schema to ``revision`` (default: the newest), keeping the data.

    Foreign keys are off while migrations run — a migration rebuilding a parent table
    (0008) would otherwise delete every child row when it drops the old copy — and are
    checked before the commit, so no migration can leave a dangling reference.
    PostgreSQL checks foreign keys throughout and changes its schema in transactions."""
    if engine.dialect.name != "sqlite":
        with writing(engine).connect() as conn:
            migrated = _upgrade(conn, revision)
        if migrated:
            _vacuum(engine)
        _grant_reader(engine)
        return
    with writing(engine).connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")  # before BEGIN: SQLite ignores it inside one
        try:
            _upgrade(conn, revision)
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def _upgrade(conn: Connection, revision: str) -> bool:
    """Migrate to ``revision`` in ``conn``'s transaction; False if it was there already."""
    names = set(inspect(conn).get_table_names())
    known = (
        conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if "alembic_version" in names
        else None
    )
    if known == revision or (revision == "head" and known == head_revision()):
        conn.rollback()  # another process migrated it while this one waited
        return False
    if known is None and names - {"alembic_version"}:
        raise SchemaError("database has tables but no papertrail schema version")
    if known is not None and not is_known(known):
        raise SchemaError(f"schema version {known} is newer than this papertrail")
    from alembic import command

    command.upgrade(alembic_config(conn), revision)
    if conn.dialect.name != "sqlite":
        conn.commit()
        return True
    dangling = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if dangling:
        conn.rollback()
        raise SchemaError(f"migration left rows without their parent: {dangling[:3]}")
    conn.commit()
    return True


def _vacuum(engine: Engine) -> None:
    """PostgreSQL, after migrating: VACUUM the tables. A migration that rewrites a table
    (0012 adds a stored column to ``records``) leaves it without a visibility map, so an
    index-only scan reads every row from the table again (at a million recommendations a
    count by status took 0.4-0.9 s instead of 10-60 ms), and nothing would start
    autovacuum on it: no row changed. VACUUM cannot run in a transaction, hence apart;
    it only speeds reading, so a failure (another's lock held too long) is let pass."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
            if names:
                conn.exec_driver_sql(f"VACUUM {', '.join(names)}")
    except DBAPIError:
        pass


def _grant_reader(engine: Engine) -> None:
    """Let the role ``READER`` (made if missing: no login) read every table and view, and
    nothing else, where this login may manage roles; elsewhere ``sql`` keeps to its
    read-only transaction alone."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.begin() as conn:
            known = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": READER})
            if known.first() is None:
                conn.exec_driver_sql(f"CREATE ROLE {READER} NOLOGIN")
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{schema}" TO {READER}')
            conn.exec_driver_sql(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {READER}')
    except DBAPIError:
        pass  # not allowed (or another process made the role this moment)


def open_database(db: str | Path) -> Engine:
    """Open (creating if need be) the database ``db`` with its schema up to date: an SQLite
    file is made; a PostgreSQL database must exist (``createdb``), its tables are made."""
    engine = make_engine(db)
    if current_revision(engine) != head_revision():
        upgrade(engine)
    return engine


def open_readonly(db: str | Path) -> Engine:
    """Open the papertrail database ``db`` for reading; nothing in it changes.

    Raises ``OutOfDateError`` when its schema is older than this papertrail's, and
    ``SchemaError`` when it is not a papertrail database or is a newer one's."""
    if is_server(db):
        engine = _server_engine(str(db), readonly=True)
    else:
        uri = readonly_uri(sqlite_path(db)).replace("file://", "file:", 1)
        engine = create_engine(f"sqlite:///{uri}&uri=true", json_serializer=_dumps)
        event.listen(engine, "connect", _on_connect_readonly)
    try:
        revision = current_revision(engine)
    except Exception:
        engine.dispose()
        raise
    if revision != head_revision():
        engine.dispose()
        raise schema_problem(revision)
    return engine
