"""How long each papertrail command takes from the shell prompt to its answer; print it.

    .venv/bin/python bench/startup.py [--runs 7]

The samples are ingested into a temporary database once; then each command is run
``--runs`` times as a user would (``.venv/bin/papertrail ...`` in a new process) and the
median and best wall times are printed, with the load average (other work only ever makes
the figures worse). Last, the modules that cost most to import for one query command
(``python -X importtime``). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAPERTRAIL = [sys.executable, "-m", "ingest"]

COMMANDS = [
    ["--help"],
    ["--version"],
    ["recs", "--help"],
    ["recs", "--db", "{db}"],
    ["search", "custody", "--db", "{db}"],
    ["sql", "SELECT count(*) FROM records", "--db", "{db}"],
    ["tables", "--db", "{db}"],
    ["review", "--db", "{db}"],
    ["export", "--db", "{db}"],
    ["series", "list", "--db", "{db}"],
    ["slippage", "--db", "{db}"],
]


def wall(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def top_imports(args: list[str], n: int = 8) -> list[tuple[int, str]]:
    """The ``n`` top-level imports (as the command sees them) that took longest, in µs."""
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ingest", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stderr
    found = []
    for line in err.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| ( *)(\S+)", line)
        if m and len(m.group(2)) <= 2:  # the command's own imports and theirs, one level
            found.append((int(m.group(1)), m.group(3)))
    return sorted(found, reverse=True)[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "samples.db")
        subprocess.run([*PAPERTRAIL, "ingest", "samples", "--db", db, "--quiet"], cwd=ROOT,
                       stdout=subprocess.DEVNULL, check=False)  # fmt: skip
        print(f"load average {os.getloadavg()[0]:.2f}; {runs} runs each; seconds")
        print(f"{'command':<44} {'median':>7} {'best':>7}")
        bare = [wall([sys.executable, "-c", "pass"]) for _ in range(runs)]
        print(f"{'(python -c pass)':<44} {statistics.median(bare):>7.3f} {min(bare):>7.3f}")
        for command in COMMANDS:
            args = [a.replace("{db}", db) for a in command]
            times = [wall([*PAPERTRAIL, *args]) for _ in range(runs)]
            label = " ".join(a if a != db else "DB" for a in args)[:44]
            print(f"{label:<44} {statistics.median(times):>7.3f} {min(times):>7.3f}")
        print("\nslowest imports of `recs --db DB` (cumulative ms):")
        for us, name in top_imports(["recs", "--db", db]):
            print(f"  {us / 1000:7.1f}  {name}")


if __name__ == "__main__":
    main()
