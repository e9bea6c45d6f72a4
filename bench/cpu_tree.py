"""CPU seconds used by this process and every process under it, by role (not used by the
tests): what ``bench/scale.py`` reports per paper for each part of an ingest.

Read from ``/proc/<pid>/stat`` (user + system time), which counts what each process ran
whatever else the machine was doing: on a shared machine the wall-clock figures move
with the load, these do not. A process that exits during the measurement is missed, so
the figures are taken over a batch on processes that live through it (the cluster's and
the pool's do).
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
Reading = dict[int, tuple[str, float]]  # pid -> (role, CPU seconds so far)


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a live process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def tree_cpu(root: int | None = None) -> Reading:
    """Each process under ``root`` (default: this one) with its role and CPU seconds."""
    root = root or os.getpid()
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        stat = _stat(int(entry)) if entry.isdigit() else None
        if stat is not None:
            parents[int(entry)], cpu[int(entry)] = stat
    found = {root}
    grew = True
    while grew:
        before = len(found)
        found |= {pid for pid, parent in parents.items() if parent in found}
        grew = len(found) > before
    lines = {pid: _cmdline(pid) for pid in found}
    return {pid: (_role(pid, root, lines, parents), cpu[pid]) for pid in found if pid in cpu}


def _role(pid: int, root: int, lines: dict[int, str], parents: dict[int, int]) -> str:
    line, parent = lines[pid], lines.get(parents.get(pid, 0), "")
    if pid == root:
        return "writer (and Dask client)"
    if "distributed.Scheduler" in line:
        return "Dask scheduler"
    if "distributed.Nanny" in line:
        return "Dask nanny"
    if "forkserver" in line:
        return "parser processes" if "forkserver" in parent else "fork server"
    if "spawn_main" in line and ("distributed.Nanny" in parent or parents.get(pid) == root):
        return "Dask worker"
    return "other"


def cpu_by_role(before: Reading, after: Reading) -> Counter[str]:
    """CPU seconds each role used between two ``tree_cpu`` readings."""
    used: Counter[str] = Counter()
    for pid, (role, seconds) in after.items():
        used[role] += seconds - before.get(pid, (role, 0.0))[1]
    return used


def machine_busy() -> float:
    """CPU seconds every process on the machine has used since boot (``/proc/stat``)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(f) for f in fields[:8]]  # user nice system idle iowait irq softirq steal
    return (sum(ticks) - ticks[3] - ticks[4]) / TICK


def wait_until_idle(busy_below: float = 0.1, seconds: float = 2.0, give_up: float = 600) -> bool:
    """Wait until the whole machine uses under ``busy_below`` of a core for ``seconds`` (the
    load average lags by a minute: a job that has just started is not in it yet)."""
    import time

    deadline = time.monotonic() + give_up
    while time.monotonic() < deadline:
        before = machine_busy()
        time.sleep(seconds)
        if (machine_busy() - before) / seconds < busy_below:
            return True
    return False
