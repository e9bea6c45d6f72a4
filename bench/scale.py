"""Scale figures: ingest into SQLite vs PostgreSQL, parsing on 1 vs 2 Dask workers, and the
common questions' p95 at a million recommendations on both (not used by the tests).

    .venv/bin/python bench/gen_records.py --out bench/data/records-1m.db   # once, ~2 min
    .venv/bin/python bench/scale.py [--copies 120] [--records-db bench/data/records-1m.db]
                                    [--pg postgresql://...] [--skip-ingest] [--skip-queries]
                                    [--reuse-pg] [--only WORDS]
    .venv/bin/python bench/scale.py --dask-only [--copies 120 | --papers DIR] [--rounds 3]
                                    [--when-idle]

Ingest: ``--copies`` papers made from ``samples/`` (``bench/make_big.py``: every format,
each copy with its own bytes) are ingested afresh in each configuration; documents/s and
records/s are over the whole batch, from the first file read to the last commit. The
Dask clusters are started as ``--cluster local:N`` starts them and warmed (each worker's
parser process up) before the clock starts, as a long-running cluster would be; 1 and 2
workers are run in turn ``--rounds`` times, and the CPU each process used per paper is
printed beside (``bench/cpu_tree.py``): on a shared machine that figure holds when the
wall-clock ones move with the load. ``--papers DIR`` times the Dask runs on a folder
of real papers instead of the copies (whose 40 ms of parsing a paper make the writer's
fixed 3-4 ms a paper count). Queries: the SQLite database
``gen_records.py`` makes is copied row for row into PostgreSQL (COPY), analysed, and
``bench/query_bench.py``'s questions are asked of both. Without ``--pg`` a throw-away
server is started (``tests/pgserver.py``; needs the ``postgresql`` package). With ``--pg``
and ``--reuse-pg`` the copy an earlier run left in ``scale_1m`` is asked again (brought
up to this papertrail's schema first, the migration timed), which saves the copy's
minutes when only the questions changed.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from cpu_tree import cpu_by_role, machine_busy, tree_cpu, wait_until_idle  # noqa: E402

from ingest.batch import BatchResult, ingest_paths  # noqa: E402
from ingest.cluster import local_cluster  # noqa: E402
from store.database import open_database, open_readonly  # noqa: E402

COPY_TABLES = {  # table -> columns copied, parents first
    "documents": "doc_id, id, sha256, source, source_path, format, title, committee, "
    "meeting_date, meeting_date_raw, page_count, table_count, record_count, warnings, ingested_at",
    "tables": "id, doc_id, table_index, kind, pages, row_count, col_count, header, rows, merges, "
    "header_row_count, context, quality, notes",
    "cells": "id, table_id, doc_id, is_header, row_index, col_index, text, rowspan, colspan, "
    "pages, bbox, fill, confidence",
    "blocks": "id, doc_id, ordinal, kind, text, page, level, table_index",
    "records": "id, doc_id, ordinal, type, ref, table_index, status, owner, due, text, "
    "confidence, pages, data",
}


@contextlib.contextmanager
def pg_server(url: str | None) -> Iterator[Any]:
    """A function making a fresh database: on ``url``'s server, else on a throw-away one."""
    if url is not None:
        import psycopg

        path, _, query = url.partition("?")
        server = path.rsplit("/", 1)[0]

        def new_database(name: str, keep: bool = False) -> str:
            with psycopg.connect(url, autocommit=True) as conn:
                known = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if not (keep and known.fetchone()):
                    conn.execute(f"DROP DATABASE IF EXISTS {name}")
                    conn.execute(f"CREATE DATABASE {name}")
            return f"{server}/{name}" + (f"?{query}" if query else "")

        yield new_database
        return
    from pgserver import temporary_server

    settings = ("max_connections=40", "shared_buffers=512MB", "work_mem=32MB")
    with temporary_server(settings) as server:
        yield lambda name, keep=False: server.new_database(name)


def rates(label: str, result: BatchResult, db_bytes: int | None) -> dict[str, Any]:
    docs = len(result.stored)
    records = sum(result.records.values())
    row = {
        "setup": label,
        "documents": docs,
        "records": records,
        "seconds": result.elapsed,
        "docs/s": docs / result.elapsed,
        "records/s": records / result.elapsed,
        "errors": len(result.errors),
        "bytes/doc": (db_bytes / docs) if db_bytes and docs else None,
    }
    print(
        f"{label:38} {docs:6} docs {records:8} records {result.elapsed:7.1f} s "
        f"{row['docs/s']:7.2f} docs/s {row['records/s']:8.0f} records/s"
        + (f"  {row['bytes/doc'] / 1e3:6.1f} kB/doc" if row["bytes/doc"] else ""),
        flush=True,
    )
    return row


def pg_size(url: str) -> int:
    engine = open_readonly(url)
    with engine.connect() as conn:
        size = int(conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar())
    engine.dispose()
    return size


def ingest_figures(copies: int, new_pg: Any, work: Path, rounds: int, quiet: bool) -> None:
    from make_big import write_copies

    papers = work / "papers"
    write_copies(papers, copies)
    warm = sorted((ROOT / "samples").glob("*-*.*"))
    print(f"ingest: {copies} papers made from samples/ (every format)")
    ingest_paths(warm, work / "warm.db", workers=2)  # the fork server and its imports up
    sqlite_db = work / "local.db"
    result = ingest_paths([papers], sqlite_db, workers=2)
    wal = sqlite_db.with_name(sqlite_db.name + "-wal")
    size = sqlite_db.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    rates("SQLite, 2 local workers", result, size)
    empty_db = new_pg("scale_empty")  # the catalogue and empty tables, not counted
    open_database(empty_db).dispose()
    empty = pg_size(empty_db)
    pg = new_pg("scale_local")
    rates("PostgreSQL, 2 local workers", ingest_paths([papers], pg, workers=2),
          pg_size(pg) - empty)  # fmt: skip
    dask_figures(papers, warm, work, rounds, quiet)
    with local_cluster(2) as cluster:
        address = cluster.scheduler_address
        ingest_paths(warm, work / "warm-pg.db", cluster=address)  # workers' parsers up
        pg = new_pg("scale_dask")
        rates("PostgreSQL, Dask local:2", ingest_paths([papers], pg, cluster=address), None)


def dask_only(copies: int, papers: Path | None, work: Path, rounds: int, quiet: bool) -> None:
    from make_big import write_copies

    if papers is None:
        papers = work / "papers"
        write_copies(papers, copies)
        print(f"ingest: {copies} papers made from samples/ (every format)")
    else:
        print(f"ingest: the papers in {papers}")
    dask_figures(papers, sorted((ROOT / "samples").glob("*-*.*")), work, rounds, quiet)


def dask_figures(papers: Path, warm: list[Path], work: Path, rounds: int, quiet: bool) -> None:
    """Documents/s on clusters of 1 and 2 workers started as ``--cluster local:N`` starts
    them, in alternate runs (the machine's load drifts), and the CPU each process of the
    tree used per paper, which the load does not change. Each run says how many cores
    the machine's other processes took meanwhile; with ``quiet`` (``--when-idle``) a
    run waits for the machine to be idle before it starts."""
    speed: dict[int, list[float]] = {1: [], 2: []}
    others: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[Counter[str]]] = {1: [], 2: []}
    for run in range(rounds):
        for n in (1, 2):
            with local_cluster(n) as cluster:
                address = cluster.scheduler_address
                ingest_paths(warm, work / f"warm{n}-{run}.db", cluster=address)  # parsers up
                if quiet:
                    wait_until_idle()
                before, busy = tree_cpu(), machine_busy()
                result = ingest_paths([papers], work / f"dask{n}-{run}.db", cluster=address)
                used = cpu_by_role(before, tree_cpu())
                busy = machine_busy() - busy
            others[n].append((busy - sum(used.values())) / result.elapsed)
            row = rates(f"SQLite, Dask local:{n} (others {others[n][-1]:.2f} cores)", result, None)
            speed[n].append(row["docs/s"])
            cpu[n].append(Counter({k: v / row["documents"] for k, v in used.items()}))
    one, two = statistics.median(speed[1]), statistics.median(speed[2])
    ratios = [b / a for a, b in zip(speed[1], speed[2], strict=True)]
    print(f"Dask local:2 / local:1, median of {rounds} runs each: {two / one:.2f}x "
          f"({', '.join(f'{r:.2f}' for r in ratios)})")  # fmt: skip
    alone = [r for r, a, b in zip(ratios, others[1], others[2], strict=True) if max(a, b) < 0.1]
    if alone:
        print(f"  pairs with the other processes under 0.1 core: {statistics.median(alone):.2f}x "
              f"median ({', '.join(f'{r:.2f}' for r in alone)})")  # fmt: skip
    roles = sorted({r for runs in cpu.values() for c in runs for r in c if r != "other"})
    print(f"CPU ms per paper (median of runs)  {'local:1':>8} {'local:2':>8}")
    per = {n: {r: 1000 * statistics.median(c[r] for c in cpu[n]) for r in roles} for n in cpu}
    for role in roles:
        print(f"  {role:32} {per[1][role]:8.1f} {per[2][role]:8.1f}")
    # Each side's costs per ms of parsing in the same runs: the same papers took 45-53 ms a
    # paper in the parsers from one run to the next (the machine's own speed varies).
    parse1, parse2 = per[1]["parser processes"], per[2]["parser processes"]
    chain = 1 + per[1]["Dask worker"] / parse1  # one worker: its parser and Dask worker
    total = sum(per[2].values()) / parse2  # two workers: every process, on two cores
    print(f"  ceiling on 2 free cores: 2 x {chain:.3f} (one worker's chain) / {total:.3f} "
          f"(all processes, local:2), per ms of parsing = {2 * chain / total:.2f}x")  # fmt: skip


def copy_to_postgres(sqlite_db: Path, url: str) -> None:
    """The benchmark database's rows, as they are, into a migrated PostgreSQL database."""
    import sqlite3

    import psycopg

    open_database(url).dispose()
    lite = sqlite3.connect(sqlite_db)
    started = time.perf_counter()
    with psycopg.connect(url) as pg:
        for table, columns in COPY_TABLES.items():
            with pg.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in lite.execute(f"SELECT {columns} FROM {table}"):
                    copy.write_row(row)
            pg.commit()
            print(f"  copied {table} ({time.perf_counter() - started:.0f} s)", flush=True)
        for table in COPY_TABLES:
            pg.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
        pg.commit()
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")
    print(f"  copied and analysed in {time.perf_counter() - started:.0f} s", flush=True)


def copied_records(url: str) -> int:
    """How many records an earlier run copied into ``url`` (0: none, or no schema)."""
    import psycopg

    with psycopg.connect(url) as pg:
        found = pg.execute("SELECT to_regclass('records') IS NOT NULL").fetchone()
        if not (found and found[0]):
            return 0
        counted = pg.execute("SELECT count(*) FROM records").fetchone()
        return int(counted[0]) if counted else 0


def query_figures(
    sqlite_db: Path, new_pg: Any, runs: int, limit: int, reuse: bool, only: str | None
) -> None:
    from query_bench import percentile, questions, time_question

    open_database(sqlite_db).dispose()  # brought up to this papertrail's schema if older
    pg = new_pg("scale_1m", keep=reuse)
    if reuse and copied_records(pg):
        started = time.perf_counter()
        open_database(pg).dispose()  # an earlier papertrail's copy: migrated to head
        print(f"queries: reusing the copy in {pg} (up to date in "
              f"{time.perf_counter() - started:.1f} s)")  # fmt: skip
    else:
        print(f"queries: copying {sqlite_db} into PostgreSQL")
        copy_to_postgres(sqlite_db, pg)
    engines = {"SQLite": open_readonly(sqlite_db), "PostgreSQL": open_readonly(pg)}
    conns = {name: engine.connect() for name, engine in engines.items()}
    docs = [r[0] for r in conns["SQLite"].exec_driver_sql("SELECT doc_id FROM documents")]
    print(f"{'question':42} {'SQLite p50':>10} {'p95 ms':>8} {'PG p50':>8} {'p95 ms':>8}")
    for name, ask in questions(limit, docs).items():
        if only and not any(word in name for word in only.split(",")):
            continue
        cells = []
        for conn in conns.values():
            took = time_question(conn, ask, runs)
            cells.append(f"{statistics.median(took):10.1f} {percentile(took, 0.95):8.1f}")
        print(f"{name:42} {cells[0]} {cells[1]}", flush=True)
    print(f"store size: SQLite {sqlite_db.stat().st_size / 1e9:.2f} GB, "
          f"PostgreSQL {pg_size(pg) / 1e9:.2f} GB")  # fmt: skip
    for conn in conns.values():
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=120)
    parser.add_argument("--papers", type=Path, help="with --dask-only: these papers instead")
    parser.add_argument("--rounds", type=int, default=3, help="Dask runs of 1 and 2 workers")
    parser.add_argument("--records-db", type=Path, default=ROOT / "bench/data/records-1m.db")
    parser.add_argument("--pg", help="a PostgreSQL server URL (its databases scale_* are made)")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument("--reuse-pg", action="store_true", help="with --pg: ask scale_1m again")
    parser.add_argument("--only", help="only questions whose name contains one of these (a,b)")
    parser.add_argument("--dask-only", action="store_true", help="Dask 1 vs 2 workers alone")
    parser.add_argument("--when-idle", action="store_true",
                        help="start each Dask run when the machine is idle")  # fmt: skip
    args = parser.parse_args()
    if args.dask_only:
        with tempfile.TemporaryDirectory() as tmp:
            dask_only(args.copies, args.papers, Path(tmp), args.rounds, args.when_idle)
        return
    with pg_server(args.pg) as new_pg, tempfile.TemporaryDirectory() as tmp:
        if not args.skip_ingest:
            ingest_figures(args.copies, new_pg, Path(tmp), args.rounds, args.when_idle)
        if not args.skip_queries:
            if not args.records_db.is_file():
                sys.exit(f"{args.records_db}: run bench/gen_records.py first")
            query_figures(args.records_db, new_pg, args.runs, args.limit, args.reuse_pg,
                          args.only)  # fmt: skip


if __name__ == "__main__":
    main()
