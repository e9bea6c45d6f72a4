"""How much of ingest time the NLP step takes, per stage, over a folder of papers.

    .venv/bin/python bench/nlp_share.py ../shared/corpus

Times, for every paper in one process: parsing, building records (NLP included), the NLP
step alone (entity tagging over the typed records, timed again on its own), and storing
into a fresh SQLite file. Prints the totals and the NLP share of the whole. The spaCy
pipeline is built once before timing starts, as the ingest workers do.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.batch import expand_paths  # noqa: E402
from normalise.nlp import build_pipeline, entity_records  # noqa: E402
from normalise.records import document_records  # noqa: E402
from parsers.errors import ParseError  # noqa: E402
from parsers.registry import parse_file  # noqa: E402
from store.database import open_database  # noqa: E402
from store.load import load_document  # noqa: E402

TYPED = {"recommendation", "action", "saving", "rag"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    args = ap.parse_args()
    build_pipeline()
    totals = dict.fromkeys(("parse", "records", "nlp", "store"), 0.0)
    engine = open_database(Path(tempfile.mkdtemp()) / "bench.db")
    docs = 0
    for path in expand_paths(args.folders):
        t0 = time.perf_counter()
        try:
            doc = parse_file(path)
        except ParseError:
            continue
        t1 = time.perf_counter()
        records = document_records(doc)
        t2 = time.perf_counter()
        typed = [r for r in records if r["type"] in TYPED]
        owners = sorted({str(r["owner"]) for r in typed if r.get("owner")})
        entity_records(doc.doc_id, typed, owners)
        t3 = time.perf_counter()
        load_document(engine, doc, records)
        t4 = time.perf_counter()
        totals["parse"] += t1 - t0
        totals["records"] += t2 - t1
        totals["nlp"] += t3 - t2
        totals["store"] += t4 - t3
        docs += 1
    whole = totals["parse"] + totals["records"] + totals["store"]
    print(f"{docs} documents")
    for stage, seconds in totals.items():
        print(f"  {stage:8s} {seconds:7.2f} s")
    print(f"NLP share of ingest time: {totals['nlp'] / whole:.1%} (records include the NLP step)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
