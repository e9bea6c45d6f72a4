"""The contract export: stored records back out as JSON lines or CSV, streamed.

Records come out per document in ingest order — the document record, its tables, then
its other records in the order they were stored — exactly the dicts that were loaded.
CSV writes one file per record type (``recommendation.csv``, ...): the contract fields
first, then any extra fields found; lists and objects are written as JSON.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, case, func, select, text

from normalise.record_types import RECORD_TYPES
from store.schema import documents, records

Record = dict[str, Any]

# The contract's fields per record type, in its order (``normalise.record_types``).
CONTRACT_FIELDS: dict[str, tuple[str, ...]] = {n: t.fields for n, t in RECORD_TYPES.items()}
BATCH = 500  # rows fetched at a time, so memory stays flat however big the database


def _rank() -> Any:
    return case((records.c.type == "document", 0), (records.c.type == "table", 1), else_=2)


def iter_records(
    conn: Connection,
    doc_ids: Sequence[str] | None = None,
    types: Sequence[str] | None = None,
) -> Iterator[Record]:
    """Stored records in export order, optionally only some documents or types."""
    query = (
        select(records.c.data)
        .join(documents, documents.c.doc_id == records.c.doc_id)
        .order_by(documents.c.id, _rank(), records.c.ordinal)
    )
    if doc_ids:
        query = query.where(records.c.doc_id.in_(doc_ids))
    if types:
        query = query.where(records.c.type.in_(types))
    # per statement: Connection.execution_options changes the connection for good, and on
    # PostgreSQL every later statement would go through a server-side cursor
    result = conn.execute(query, execution_options={"yield_per": BATCH})
    for (data,) in result:
        yield data


def write_jsonl(recs: Iterable[Record], out: IO[str]) -> int:
    """One JSON object per line, UTF-8 as is; returns how many were written."""
    n = 0
    for rec in recs:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def record_types(conn: Connection) -> list[str]:
    """Types present, contract types first in contract order, then others by name."""
    found = set(conn.execute(select(records.c.type).distinct()).scalars())
    known = [t for t in CONTRACT_FIELDS if t in found]
    return known + sorted(found - set(known))


def csv_columns(conn: Connection, type_: str) -> list[str]:
    """The contract fields of ``type_``, then every other key its records carry.

    The keys are collected by the database (``json_each``), not by reading records into
    memory: each key where it first appears, by record and then by its place in the
    record (SQLite takes ``j.id`` from the row holding the MIN; PostgreSQL is told so).
    """
    sql = (
        "SELECT j.key, MIN(r.id) AS first FROM records AS r, json_each(r.data) AS j "
        "WHERE r.type = :type GROUP BY j.key ORDER BY first, j.id"
    )
    if conn.dialect.name != "sqlite":
        sql = (
            "SELECT key, first FROM (SELECT DISTINCT ON (j.key) j.key, r.id AS first, j.place"
            " FROM records AS r, json_each(r.data) WITH ORDINALITY AS j(key, value, place)"
            " WHERE r.type = :type ORDER BY j.key, r.id, j.place) AS k ORDER BY first, place"
        )
    rows = conn.execute(text(sql), {"type": type_})
    extra = [key for key, _ in rows]
    base = ["type", *CONTRACT_FIELDS.get(type_, ("doc_id",))]
    return base + [k for k in extra if k not in base]


def csv_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_csv(
    conn: Connection, type_: str, out: IO[str], doc_ids: Sequence[str] | None = None
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
    engine: Engine,
    directory: Path,
    types: Sequence[str] | None = None,
    doc_ids: Sequence[str] | None = None,
) -> dict[str, int]:
    """``<type>.csv`` for every contract type and any other present (or those asked
    for), each with its header row even when empty; rows written per type."""
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    with engine.connect() as conn:
        present = record_types(conn)
        for type_ in [*CONTRACT_FIELDS, *(t for t in present if t not in CONTRACT_FIELDS)]:
            if types and type_ not in types:
                continue
            with (directory / f"{type_}.csv").open("w", encoding="utf-8", newline="") as fh:
                written[type_] = write_csv(conn, type_, fh, doc_ids)
    return written


def count_records(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(records)).scalar_one()
