"""How long each papertrail command takes from the shell prompt to its answer; print it.

    .venv/bin/python bench/startup.py [--runs 7]

The samples are ingested into a temporary database once; then each command is run
``--runs`` times as a user would (``.venv/bin/papertrail ...`` in a new process) and the
median and best wall times are printed, with the load average (other work only ever makes
the figures worse), and the median CPU time (user + system) the process used, which other
work on a shared machine hardly changes. Last, the modules that cost most to import for one
query command (``python -X importtime``). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
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


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run of ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def row(label: str, runs: list[tuple[float, float]]) -> str:
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    median, best, cpu = statistics.median(walls), min(walls), statistics.median(cpus)
    return f"{label:<44} {median:>7.3f} {best:>7.3f} {cpu:>7.3f}"


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
        print(f"{'command':<44} {'median':>7} {'best':>7} {'cpu':>7}")
        print(row("(python -c pass)", [timed([sys.executable, "-c", "pass"]) for _ in range(runs)]))
        for command in COMMANDS:
            args = [a.replace("{db}", db) for a in command]
            label = " ".join(a if a != db else "DB" for a in args)[:44]
            print(row(label, [timed([*PAPERTRAIL, *args]) for _ in range(runs)]))
        print("\nslowest imports of `recs --db DB` (cumulative ms):")
        for us, name in top_imports(["recs", "--db", db]):
            print(f"  {us / 1000:7.1f}  {name}")


if __name__ == "__main__":
    main()
