"""Peak memory of ``papertrail ingest`` as a whole process tree: figures printed, nothing
asserted.

    .venv/bin/python bench/make_big.py --copies 1000     # inputs, into bench/data/
    .venv/bin/python bench/memory_bench.py [--workers 2] [--sizes 10 100 1000]

Runs the installed command on batches of the first N generated documents and on the
500-page PDF alone, sampling every process of the tree (the command, the worker fork
server, the workers) every 50 ms from /proc (Linux only):

* RSS: the sum of each process's resident set. Pages the workers share with the fork
  server (the imported libraries) count once per process, so this overstates;
* PSS: each shared page divided among the processes sharing it: what the tree costs.

Memory should stay flat with the batch size: results are stored as they come, in order,
and only a few parsed documents are held at a time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
COMMAND = Path(sys.executable).parent / "papertrail"


def children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        found = []
        for task in tasks:
            text = (task / "children").read_text()
            found += [int(c) for c in text.split()]
        return found
    except OSError:
        return []


def tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += children(pid)
    return pids


def kib(path: Path, field: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Peak:
    rss: int = 0  # KiB, sum over the tree
    pss: int = 0
    main_rss: int = 0
    processes: int = 0

    def sample(self, root: int) -> None:
        pids = tree(root)
        rss = sum(kib(Path(f"/proc/{p}/status"), "VmRSS:") for p in pids)
        pss = sum(kib(Path(f"/proc/{p}/smaps_rollup"), "Pss:") for p in pids)
        self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)
        self.main_rss = max(self.main_rss, kib(Path(f"/proc/{root}/status"), "VmRSS:"))
        self.processes = max(self.processes, len(pids))


def measure(paths: Sequence[Path], db: Path, workers: int) -> tuple[Peak, float, int]:
    args = [str(COMMAND), "ingest", *map(str, paths), "--db", str(db),
            "--workers", str(workers)]  # fmt: skip
    peak = Peak()
    t0 = time.perf_counter()
    run = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while run.poll() is None:
        peak.sample(run.pid)
        time.sleep(0.05)
    return peak, time.perf_counter() - t0, run.returncode


def batch_folder(tmp: Path, n: int) -> Path:
    """The first ``n`` generated documents, linked into a folder of their own."""
    folder = tmp / f"batch-{n}"
    folder.mkdir()
    for source in sorted((DATA / "small").iterdir())[:n]:
        (folder / source.name).symlink_to(source)
    return folder


def main(argv: Sequence[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    args = ap.parse_args(argv)
    big = sorted(DATA.glob("big-*.pdf"))
    if not (DATA / "small").is_dir() or not big:
        print("no inputs: run bench/make_big.py first", file=sys.stderr)
        return 2
    print(f"papertrail ingest --workers {args.workers}; load {os.getloadavg()[0]:.2f}")
    print(f"{'batch':>24} {'exit':>4} {'seconds':>8} {'procs':>5} {'main RSS':>9} "
          f"{'tree RSS':>9} {'tree PSS':>9}  (MB, peak)")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="papertrail-mem-") as folder:
        tmp = Path(folder)
        cases = [(f"{n} documents", [batch_folder(tmp, n)]) for n in args.sizes]
        cases += [(big[0].name[:24], big[:1])]
        for i, (name, paths) in enumerate(cases):
            peak, seconds, code = measure(paths, tmp / f"m{i}.db", args.workers)
            print(
                f"{name:>24} {code:4d} {seconds:8.1f} {peak.processes:5d} "
                f"{peak.main_rss / 1024:9.0f} {peak.rss / 1024:9.0f} {peak.pss / 1024:9.0f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
