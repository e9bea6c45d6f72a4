"""The SQLite store: schema and migrations, loading documents, queries and the export.

engine = open_database("papertrail.db")
load_document(engine, *normalise_document(doc))  # the corrected tables and their records
with engine.connect() as conn:
    for rec in iter_records(conn):
        ...
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Where each name lives; loaded on first use (PEP 562), so importing one light module of
# the package (``store.readonly``) does not load SQLAlchemy's ORM and Alembic as well.
_HOMES = {
    "SchemaError": "store.database",
    "open_database": "store.database",
    "iter_records": "store.export",
    "write_csv_files": "store.export",
    "write_jsonl": "store.export",
    "LoadResult": "store.load",
    "find_document": "store.load",
    "load_document": "store.load",
    "StoreError": "store.rows",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)


__all__ = [
    "LoadResult",
    "SchemaError",
    "StoreError",
    "find_document",
    "iter_records",
    "load_document",
    "open_database",
    "write_csv_files",
    "write_jsonl",
]
