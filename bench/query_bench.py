"""Time the analysts' common questions on a large database; print p50/p95 per question.

    .venv/bin/python bench/gen_records.py                  # once: bench/data/records-1m.db
    .venv/bin/python bench/query_bench.py [DB] [--runs 40] [--limit 100]

Each question is asked ``--runs`` times with varying values (another owner, another
word), through the same library calls the CLI makes (``store.register``, ``store.search``),
on one connection as ``papertrail`` opens it.  A filter returns its first ``--limit``
rows (a screenful, or a Datasette page); "count" questions count every match.  The first
run of each question warms the cache and is not timed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Connection  # noqa: E402

from store.database import open_database  # noqa: E402
from store.register import RecFilter, count_recommendations, find_recommendations  # noqa: E402
from store.search import search  # noqa: E402

OWNERS = (
    "director of finance",
    "HEAD OF  procurement",
    "training and dev",
    "estates",
    "deputy director of human",
    "custody",
    "payroll",
    "manager, recruitment",
)
COMMITTEES = ("finance", "audit", "human resources", "standards", "scrutiny")
TOPICS = (
    "succession planning",
    "sickness absence",
    "fleet vehicles",
    "complaints customer",
    "custody health",
    "appraisal",
    "recruit*",
    "airwave radio",
    "apprenticeship",
    "shared services collaboration",
)
DATES = ("2003-06-30", "2005-01-01", "2007-03-31", "2009-12-31", "2011-09-30", "2013-01-01")

Question = Callable[[Connection, int], Any]


def questions(limit: int, docs: list[str]) -> dict[str, Question]:
    """Name -> a call taking (connection, run number)."""

    def recs(make: Callable[[int], RecFilter]) -> Question:
        return lambda conn, i: find_recommendations(conn, make(i), limit=limit)

    def count(make: Callable[[int], RecFilter]) -> Question:
        return lambda conn, i: count_recommendations(conn, make(i))

    statuses = ("ongoing", "not_started", "superseded", "complete")
    return {
        "recs --status": recs(lambda i: RecFilter(statuses=(statuses[i % 4],))),
        "recs --owner": recs(lambda i: RecFilter(owner=OWNERS[i % len(OWNERS)])),
        "recs --committee": recs(lambda i: RecFilter(committee=COMMITTEES[i % 5])),
        "recs --due-before": recs(lambda i: RecFilter(due_before=DATES[i % len(DATES)])),
        "recs --overdue --as-of": recs(lambda i: RecFilter(overdue_as_of=DATES[i % len(DATES)])),
        "recs --doc": recs(lambda i: RecFilter(docs=(docs[i * 7919 % len(docs)][:10],))),
        "recs --text": recs(lambda i: RecFilter(text=TOPICS[i % len(TOPICS)])),
        "recs combined (status+owner+due-after)": recs(
            lambda i: RecFilter(
                statuses=("ongoing",),
                owner=OWNERS[i % len(OWNERS)],
                due_after=DATES[i % len(DATES)],
            )
        ),
        "recs --overdue --committee --text": recs(
            lambda i: RecFilter(
                overdue_as_of="2010-01-01",
                committee=COMMITTEES[i % 5],
                text=TOPICS[i % len(TOPICS)],
            )
        ),
        "count --status": count(lambda i: RecFilter(statuses=(statuses[i % 4],))),
        "count --overdue --as-of": count(lambda i: RecFilter(overdue_as_of=DATES[i % 6])),
        "count --overdue --committee": count(
            lambda i: RecFilter(overdue_as_of=DATES[i % 6], committee=COMMITTEES[i % 5])
        ),
        "count --text": count(lambda i: RecFilter(text=TOPICS[i % len(TOPICS)])),
        "search (records+cells+blocks, top 20)": lambda conn, i: search(
            conn, TOPICS[i % len(TOPICS)], limit=20
        ),
    }


def time_question(conn: Connection, ask: Question, runs: int) -> list[float]:
    ask(conn, runs)  # warm-up
    took = []
    for i in range(runs):
        started = time.perf_counter()
        ask(conn, i)
        took.append((time.perf_counter() - started) * 1000)
    return took


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "db", nargs="?", type=Path, default=ROOT / "bench" / "data" / "records-1m.db"
    )
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--only", help="only questions whose name contains this")
    args = parser.parse_args()
    if not args.db.is_file():
        sys.exit(f"{args.db}: run bench/gen_records.py first")
    engine = open_database(args.db)
    with engine.connect() as conn:
        n = count_recommendations(conn)
        docs = [r[0] for r in conn.exec_driver_sql("SELECT doc_id FROM documents")]
        print(
            f"{args.db}: {n} recommendations in {len(docs)} papers; "
            f"{args.runs} runs each, first {args.limit} rows"
        )
        print(f"{'question':42} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for name, ask in questions(args.limit, docs).items():
            if args.only and args.only not in name:
                continue
            took = time_question(conn, ask, args.runs)
            print(
                f"{name:42} {statistics.median(took):8.1f} {percentile(took, 0.95):8.1f} "
                f"{max(took):8.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
