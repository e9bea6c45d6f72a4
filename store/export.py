"""The contract export: stored records back out as JSON lines or CSV, streamed.

Records come out per document in ingest order — the document record, its tables, then
its other records in the order they were stored — exactly as they were loaded: each
record's exported form, its fields in the order of its registry entry
(``normalise.record_types``).  CSV writes one file per record type (``recommendation.csv``,
...): the registry's contract fields first, then any extra fields found; lists and
objects are written as JSON.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from normalise.record_types import RECORD_TYPES, ExportedRecord
from store.reader import Connectable, connected, dialect, in_list, json_value, rows, scalar

# documents first, then their tables, then their other records
_RANK = "CASE r.type WHEN 'document' THEN 0 WHEN 'table' THEN 1 ELSE 2 END"


def iter_records(
    conn: Connectable,
    doc_ids: Sequence[str] | None = None,
    types: Sequence[str] | None = None,
) -> Iterator[ExportedRecord]:
    """Stored records in export order, optionally only some documents or types."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if doc_ids:
        where.append(f"r.doc_id IN {in_list('doc', doc_ids, params)}")
    if types:
        where.append(f"r.type IN {in_list('type', types, params)}")
    sql = (
        "SELECT r.data FROM records AS r JOIN documents AS d ON d.doc_id = r.doc_id"
        f"{' WHERE ' + ' AND '.join(where) if where else ''}"
        f" ORDER BY d.id, {_RANK}, r.ordinal"
    )
    for (data,) in rows(conn, sql, params):
        yield json_value(data)


def write_jsonl(recs: Iterable[ExportedRecord], out: IO[str]) -> int:
    """One JSON object per line, UTF-8 as is; returns how many were written."""
    n = 0
    for rec in recs:
        out.write(
            json.dumps(rec if isinstance(rec, dict) else dict(rec), ensure_ascii=False) + "\n"
        )
        n += 1
    return n


def record_types(conn: Connectable) -> list[str]:
    """Types present, contract types first in contract order, then others by name."""
    found = {type_ for (type_,) in rows(conn, "SELECT DISTINCT type FROM records")}
    known = [t for t in RECORD_TYPES if t in found]
    return known + sorted(found - set(known))


# Every key the records of type ``:type`` carry, in order of first appearance.
_RECORD_KEYS = {
    "sqlite": (
        "SELECT j.key, MIN(r.id) AS first FROM records AS r, json_each(r.data) AS j"
        " WHERE r.type = :type GROUP BY j.key ORDER BY first, j.id"
    ),
    "postgresql": (
        "SELECT key, first FROM (SELECT DISTINCT ON (j.key) j.key, r.id AS first, j.place"
        " FROM records AS r, json_each(r.data) WITH ORDINALITY AS j(key, value, place)"
        " WHERE r.type = :type ORDER BY j.key, r.id, j.place) AS k ORDER BY first, place"
    ),
}


def csv_columns(conn: Connectable, type_: str) -> list[str]:
    """The contract fields of ``type_``, then every other key its records carry.

    The keys are collected by the database (``json_each``), not by reading records into
    memory: each key where it first appears, by record and then by its place in the
    record (SQLite takes ``j.id`` from the row holding the MIN; PostgreSQL is told so).
    """
    found = rows(conn, _RECORD_KEYS[dialect(conn)], {"type": type_})
    extra = [key for key, _ in found]
    known = RECORD_TYPES.get(type_)
    base = ["type", *(known.fields if known else ("doc_id",))]
    return base + [k for k in extra if k not in base]


def csv_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_csv(
    conn: Connectable, type_: str, out: IO[str], doc_ids: Sequence[str] | None = None
) -> int:
    """Records of one type as CSV with a header row (even when there are none), of every
    document or of ``doc_ids``; returns how many were written."""
    columns = csv_columns(conn, type_)
    writer = csv.writer(out)
    writer.writerow(columns)
    n = 0
    for rec in iter_records(conn, doc_ids=doc_ids, types=[type_]):
        writer.writerow([csv_value(rec.get(c)) for c in columns])
        n += 1
    return n


def write_csv_files(
    source: Connectable,
    directory: Path,
    types: Sequence[str] | None = None,
    doc_ids: Sequence[str] | None = None,
) -> dict[str, int]:
    """``<type>.csv`` for every contract type and any other present (or those asked
    for), each with its header row even when empty; rows written per type. ``source``:
    a connection, or a SQLAlchemy Engine to connect to."""
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    with connected(source) as conn:
        present = record_types(conn)
        for type_ in [*RECORD_TYPES, *(t for t in present if t not in RECORD_TYPES)]:
            if types and type_ not in types:
                continue
            with (directory / f"{type_}.csv").open("w", encoding="utf-8", newline="") as fh:
                written[type_] = write_csv(conn, type_, fh, doc_ids)
    return written


def count_records(conn: Connectable) -> int:
    return int(scalar(conn, "SELECT count(*) FROM records"))
