"""Which schema revision a database has, and which this papertrail expects.

Standard library only: a reading command checks the revision before it reads, and
loading SQLAlchemy or Alembic for that would cost it most of its start-up time. The
revisions are read from the migration files as text (a test checks this agrees with
Alembic's own reading).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

# Alembic is imported only where a schema is changed (``store.database.upgrade``).
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_REVISION_LINE = re.compile(r'^(down_revision|revision)\s*=\s*(?:"([^"]*)"|None)', re.M)


class SchemaError(Exception):
    """The database was not made by papertrail, or by a newer papertrail than this one."""


class OutOfDateError(SchemaError):
    """The database's schema is older than this papertrail's; ``papertrail migrate`` fixes it."""


@cache
def known_revisions() -> dict[str, str | None]:
    """revision -> down_revision of every migration file, read as text (a test checks
    this agrees with Alembic's own reading)."""
    found: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        values = {m.group(1): m.group(2) for m in _REVISION_LINE.finditer(path.read_text())}
        if values.get("revision"):
            found[str(values["revision"])] = values.get("down_revision")
    return found


def head_revision() -> str:
    """The newest migration: the one no other migration builds on."""
    revisions = known_revisions()
    heads = set(revisions) - set(revisions.values())
    assert len(heads) == 1, f"migrations have {len(heads)} heads"
    return heads.pop()


def is_known(revision: str) -> bool:
    return revision in known_revisions()


def schema_problem(revision: str | None) -> SchemaError:
    if revision is None:
        return SchemaError("not a papertrail database (no schema version)")
    if not is_known(revision):
        return SchemaError(f"schema version {revision} is newer than this papertrail")
    return OutOfDateError(
        f"made by an older papertrail (schema {revision}); run `papertrail migrate` first"
    )
