"""Make a large papertrail database of synthetic recommendations, for bench/query_bench.py.

    .venv/bin/python bench/gen_records.py [--out bench/data/records-1m.db] [--records 1000000]

The database is made by ``open_database`` (so it has the real schema, indexes and FTS
tables) and filled with plain ``executemany`` inserts in large transactions, the new rows
added to the FTS indexes as ``papertrail ingest`` adds them (``store.load``), which is
what makes a million rows take about a minute rather than an hour.  Each paper holds
``--per-doc`` recommendations, one table with a text cell per recommendation, and a few
paragraphs.  Texts are drawn from a vocabulary with Zipf-like word frequencies, so some
words are in half the records and most in a few, as in real papers; owners come in the
spellings people type ("HEAD OF  HR", "head of hr").  Not used by the tests.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.database import open_database  # noqa: E402
from store.load import index_new_rows, last_ids  # noqa: E402
from store.rows import record_row  # noqa: E402

Row = dict[str, Any]

COMMITTEES = (
    "Audit Committee",
    "Finance and Resources Committee",
    "Human Resources Committee",
    "Corporate Governance Committee",
    "Planning, Performance and Review Committee",
    "Strategic and Operational Policing Committee",
    "Equal Opportunities and Diversity Board",
    "Resources and Productivity Sub Committee",
    "Standards Committee",
    "Scrutiny Panel",
)
ROLES = ("Director of", "Head of", "Deputy Director of", "Assistant Director of", "Manager,")
AREAS = (
    "Human Resources",
    "Finance",
    "Training and Development",
    "Property Services",
    "Procurement",
    "Information Technology",
    "Strategy and Improvement",
    "Leadership and Learning",
    "Corporate Communications",
    "Legal Services",
    "Internal Audit",
    "Fleet Services",
    "Diversity and Citizen Focus",
    "Performance Information",
    "Territorial Policing",
    "Specialist Operations",
    "Career Management",
    "Recruitment",
    "Estates",
    "Payroll",
    "Health and Safety",
    "Risk Management",
    "Business Change",
    "Customer Services",
    "Occupational Health",
    "Workforce Planning",
    "Policy and Partnerships",
    "Custody",
)
STATUSES = (("complete", 45), ("ongoing", 30), ("not_started", 10), ("superseded", 5), (None, 10))
VERBS = (
    "Review",
    "Agree",
    "Publish",
    "Introduce",
    "Audit",
    "Replace",
    "Report on",
    "Train",
    "Develop",
    "Consult on",
    "Monitor",
    "Evaluate",
    "Implement",
    "Strengthen",
    "Align",
)
# Domain words; earlier ones are drawn more often (weight 1/rank).
WORDS = """
the of and to a in for with on by plan review staff service policy performance
management training report progress board programme officers data process police
development strategy budget risk recruitment leadership succession planning talent
equality diversity partnership community audit governance procurement contract estate
property savings efficiency workforce capability framework guidance standards delivery
monitoring evaluation quality assurance information technology systems records
complaints customer satisfaction safety health wellbeing sickness absence overtime
promotion assessment appraisal mentoring coaching secondment retention vacancies
apprenticeship volunteer specials neighbourhood borough custody fleet vehicles
uniform equipment radio airwave intelligence crime investigation prevention victims
witnesses youth schools homelessness housing transport licensing finance accounts
payroll pensions allowances expenses invoices suppliers tender framework agreement
outsourcing shared services collaboration regional national ministry inspectorate
inspection recommendations findings evidence consultation engagement communication
publication website intranet bulletin briefing workshop seminar conference steering
group sponsor owner milestone timetable deadline resources capacity demand forecast
baseline target indicator measure benchmark comparison peer value money cost benefit
business case options appraisal decision approval sign-off escalation dependency
issue lessons learned closure handover transition legacy continuous improvement
""".split()


def zipf_weights(n: int) -> list[float]:
    return [1.0 / (rank + 1) for rank in range(n)]


def owner_names(rng: random.Random) -> list[str]:
    names = [f"{role} {area}" for role in ROLES for area in AREAS]
    rng.shuffle(names)
    return names[:150]


def typed_owner(rng: random.Random, owner: str) -> str:
    """Most owners as printed; some in the case or spacing of a hurried typist."""
    roll = rng.random()
    if roll < 0.03:
        return owner.upper()
    if roll < 0.06:
        return owner.lower().replace(" of ", " of  ")
    return owner


def random_due(rng: random.Random) -> tuple[str | None, str | None]:
    year = rng.randint(2002, 2013)
    month = rng.randint(1, 12)
    roll = rng.random()
    if roll < 0.40:
        day = rng.randint(1, 28)
        return f"{year}-{month:02d}-{day:02d}", f"{day:02d}/{month:02d}/{year}"
    if roll < 0.55:
        return f"{year}-{month:02d}", f"{month}/{year}"
    if roll < 0.65:
        return str(year), str(year)
    if roll < 0.80:
        return f"FY{year}/{(year + 1) % 100:02d}", f"{year}/{(year + 1) % 100:02d}"
    if roll < 0.85:
        return f"{year}-Q{rng.randint(1, 4)}", f"Q{rng.randint(1, 4)} {year}"
    return None, rng.choice((None, "Ongoing", "tbc"))


class Generator:
    """Draws papers and their records from one seeded random stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.owners = owner_names(self.rng)
        self.weights = zipf_weights(len(WORDS))
        self.status_values = [s for s, _ in STATUSES]
        self.status_weights = [w for _, w in STATUSES]

    def sentence(self, low: int, high: int) -> str:
        words = self.rng.choices(WORDS, self.weights, k=self.rng.randint(low, high))
        return f"{self.rng.choice(VERBS)} {' '.join(words)}."

    def recommendation(self, doc_id: str, ref: int) -> Row:
        rng = self.rng
        due, due_raw = random_due(rng)
        status = rng.choices(self.status_values, self.status_weights)[0]
        owner = None if rng.random() < 0.04 else typed_owner(rng, rng.choice(self.owners))
        return {
            "type": "recommendation",
            "doc_id": doc_id,
            "ref": str(ref),
            "text": self.sentence(8, 24),
            "response": self.sentence(4, 16),
            "owner": owner,
            "status": status,
            "status_raw": (status or "").replace("_", " ").capitalize() or None,
            "due": due,
            "due_raw": due_raw,
            "updates": [],
            "pages": [1 + ref // 12],
            "confidence": 0.9,
        }

    def document(self, n: int) -> Row:
        year = 2002 + n % 12
        return {
            "doc_id": f"{n:016x}",
            "sha256": f"{n:064x}",
            "source": f"paper-{n:05d}.pdf",
            "format": "pdf",
            "title": f"Implementation of recommendations: {self.sentence(2, 5)}",
            "committee": self.rng.choice(COMMITTEES),
            "meeting_date": f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "table_count": 1,
            "ingested_at": "2026-01-01T00:00:00+00:00",
        }


def paper_rows(gen: Generator, n: int, per_doc: int) -> tuple[Row, list[Row], list[Row]]:
    doc = gen.document(n)
    recs = [gen.recommendation(doc["doc_id"], ref) for ref in range(1, per_doc + 1)]
    blocks = [
        {
            "doc_id": doc["doc_id"],
            "ordinal": i,
            "kind": "paragraph",
            "text": gen.sentence(20, 60),
            "page": 1 + i,
        }
        for i in range(8)
    ]
    return doc, recs, blocks


def insert_paper(db: sqlite3.Connection, doc: Row, recs: list[Row], blocks: list[Row]) -> None:
    doc_id = doc["doc_id"]
    db.execute(
        "INSERT INTO documents (doc_id, sha256, source, format, title, committee, meeting_date,"
        " table_count, record_count, warnings, ingested_at) VALUES (:doc_id, :sha256, :source,"
        " :format, :title, :committee, :meeting_date, :table_count, :n, '[]', :ingested_at)",
        {**doc, "n": len(recs)},
    )
    table_id = db.execute(
        "INSERT INTO tables (doc_id, table_index, kind, row_count, col_count, header, rows,"
        " merges, header_row_count, notes) VALUES (?, 0, 'recommendations', ?, 4,"
        " '[\"No\", \"Recommendation\", \"Owner\", \"Timescale\"]', '[]', '[]', 1, '[]')",
        (doc_id, len(recs)),
    ).lastrowid
    db.executemany(
        "INSERT INTO cells (table_id, doc_id, is_header, row_index, col_index, text, rowspan,"
        " colspan, pages) VALUES (?, ?, 0, ?, 1, ?, 1, 1, ?)",
        [(table_id, doc_id, i, r["text"], json.dumps(r["pages"])) for i, r in enumerate(recs)],
    )
    db.executemany(
        "INSERT INTO blocks (doc_id, ordinal, kind, text, page) "
        "VALUES (:doc_id, :ordinal, :kind, :text, :page)",
        blocks,
    )
    db.executemany(
        "INSERT INTO records (doc_id, ordinal, type, ref, table_index, status, owner, due, text,"
        " confidence, pages, data) VALUES (:doc_id, :ordinal, :type, :ref, 0, :status, :owner,"
        " :due, :text, :confidence, :pages, :data)",
        list(_record_rows(doc_id, recs)),
    )


def _record_rows(doc_id: str, recs: list[Row]) -> Iterator[Row]:
    for i, rec in enumerate(recs):
        row = record_row(doc_id, i, rec)
        row["pages"] = json.dumps(row["pages"])
        row["data"] = json.dumps(rec, ensure_ascii=False)
        yield row


def generate(out: Path, n_records: int, per_doc: int, seed: int) -> None:
    if out.exists():
        sys.exit(f"{out} exists; remove it first")
    out.parent.mkdir(parents=True, exist_ok=True)
    open_database(out).dispose()  # the real schema, at the newest migration
    db = sqlite3.connect(out, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-400000")  # 400 MB: keeps the indexes being built in memory
    gen = Generator(seed)
    started = time.perf_counter()
    n_docs = -(-n_records // per_doc)
    db.execute("BEGIN")
    last = last_ids(db)
    for n in range(n_docs):
        size = min(per_doc, n_records - n * per_doc)
        insert_paper(db, *paper_rows(gen, n, size))
        if n % 200 == 199:
            index_new_rows(db, last)
            db.execute("COMMIT")
            done = min((n + 1) * per_doc, n_records)
            print(f"{done:>9} records  {time.perf_counter() - started:6.1f}s", flush=True)
            db.execute("BEGIN")
            last = last_ids(db)
    index_new_rows(db, last)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(
        f"{out}: {n_records} recommendations in {n_docs} papers, "
        f"{time.perf_counter() - started:.0f}s, {out.stat().st_size / 1e6:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "data" / "records-1m.db")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--per-doc", type=int, default=500)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    generate(args.out, args.records, args.per_doc, args.seed)


if __name__ == "__main__":
    main()
