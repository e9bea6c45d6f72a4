"""The SQLite store: schema and migrations, loading documents, queries and the export.

engine = open_database("papertrail.db")
load_document(engine, *normalise_document(doc))  # the corrected tables and their records
with engine.connect() as conn:
    for rec in iter_records(conn):
        ...
"""

from store.database import SchemaError, open_database
from store.export import iter_records, write_csv_files, write_jsonl
from store.load import LoadResult, find_document, load_document
from store.rows import StoreError

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
