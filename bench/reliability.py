"""Reliability under kill -9 and concurrent writers: counts printed, nothing asserted.

    .venv/bin/python bench/reliability.py [--papers 60] [--trials 8] [--pairs 5]

* ``kill -9 / resume``: one uninterrupted ``papertrail ingest`` of generated papers is the
  reference; each trial starts the same command, kills it with SIGKILL after a random
  delay, runs it again to finish, and compares the export (every record of every paper,
  OWNER entities counted apart) with the reference.
* ``concurrent writers``: two ``papertrail ingest`` processes start together on one new
  database, over overlapping halves of the papers; counted: exit statuses, tracebacks,
  documents stored against the papers given, and any stored twice.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-m", "ingest"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
OWNERS = ["Head of HR", "Director of Resources", "Jane Smythe", "Chief Constable", "Estates"]


def make_papers(folder: Path, n: int) -> list[Path]:
    """``n`` small HTML papers, each with a recommendations table naming owners."""
    rng = random.Random(14)
    folder.mkdir(parents=True, exist_ok=True)
    papers = []
    for i in range(n):
        rows = "".join(
            f"<tr><td>{r}</td><td>{rng.choice(OWNERS)} to review item {i}-{r} with "
            f"{rng.choice(OWNERS)}</td><td>{rng.choice(OWNERS)}</td><td>March 20{10 + r}</td></tr>"
            for r in range(1, 6)
        )
        path = folder / f"paper-{i:03d}.html"
        path.write_text(
            f"<html><body><h1>Audit Committee – {1 + i % 28} May 2009</h1><h2>Recommendations"
            "</h2><table><tr><th>No</th><th>Recommendation</th><th>Owner</th><th>Timescale"
            f"</th></tr>{rows}</table></body></html>",
            encoding="utf-8",
        )
        papers.append(path)
    return papers


def ingest(db: Path, *paths: Path) -> subprocess.Popen[str]:
    args = [*COMMAND, "ingest", *map(str, paths), "--db", str(db)]
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV
    )


def export(db: Path) -> list[str]:
    done = subprocess.run([*COMMAND, "export", "--db", str(db)], capture_output=True,
                          text=True, env=ENV, check=True)  # fmt: skip
    return sorted(done.stdout.splitlines())


def owners(lines: list[str]) -> int:
    return sum(1 for line in lines if json.loads(line).get("label") == "OWNER")


def kill_and_resume(folder: Path, work: Path, trials: int) -> None:
    reference_db = work / "reference.db"
    ingest(reference_db, folder).communicate()
    reference = export(reference_db)
    identical = 0
    for trial in range(trials):
        db = work / f"killed-{trial}.db"
        proc = ingest(db, folder)
        time.sleep(random.uniform(1.0, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        resumed = ingest(db, folder)
        resumed.communicate()
        got = export(db)
        identical += got == reference
        print(f"  trial {trial + 1}: exit after resume {resumed.returncode}, "
              f"{len(got)} records (reference {len(reference)}), OWNER entities "
              f"{owners(got)} (reference {owners(reference)})")  # fmt: skip
    print(f"kill -9 / resume: {identical} of {trials} exports identical to the reference")


def concurrent_writers(papers: list[Path], work: Path, pairs: int) -> None:
    half = len(papers) // 2
    overlap = len(papers) // 4
    first, second = papers[: half + overlap], papers[half - overlap :]
    clean = 0
    for pair in range(pairs):
        db = work / f"pair-{pair}.db"
        procs = [ingest(db, *first), ingest(db, *second)]
        outputs = [p.communicate() for p in procs]
        tracebacks = sum("Traceback" in err for _, err in outputs)
        with sqlite3.connect(db) as conn:
            stored, distinct = conn.execute(
                "SELECT count(*), count(DISTINCT sha256) FROM documents"
            ).fetchone()
        codes = [p.returncode for p in procs]
        clean += codes == [0, 0] and not tracebacks and stored == distinct == len(papers)
        print(f"  pair {pair + 1}: exits {codes}, tracebacks {tracebacks}, stored {stored} "
              f"of {len(papers)} papers, distinct {distinct}")  # fmt: skip
    print(f"concurrent writers: {clean} of {pairs} runs clean (both exit 0, every paper once)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=60)
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="papertrail-reliability-") as tmp:
        work = Path(tmp)
        papers = make_papers(work / "papers", args.papers)
        kill_and_resume(work / "papers", work, args.trials)
        concurrent_writers(papers, work, args.pairs)


if __name__ == "__main__":
    main()
