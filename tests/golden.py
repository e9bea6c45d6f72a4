"""Golden files: what the pipeline makes of each sample paper, for review as a diff.

    .venv/bin/python -m tests.golden        # what `make golden` runs

Each sample in ``samples/`` is ingested with the real ``papertrail`` CLI into its own
temporary SQLite database and exported as JSONL; the records are written to
``samples/expected/<sample file name>.jsonl`` (e.g. ``...-savings.html.jsonl``). The
expected files are never edited by hand: a change in them is a change in the pipeline's
output, to be read in review. ``tests/test_samples_golden.py`` compares against them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = ROOT / "samples"
EXPECTED_DIR = SAMPLES_DIR / "expected"
SAMPLE_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm", ".txt"})
CLI_TIMEOUT_S = 300

Record = dict[str, Any]


@dataclass(frozen=True)
class Export:
    """What the CLI made of one sample: its records and how the two commands went."""

    sample: Path
    records: list[Record]
    ingest: subprocess.CompletedProcess[str]
    export: subprocess.CompletedProcess[str] | None

    @property
    def ok(self) -> bool:
        return self.ingest.returncode == 0 and (
            self.export is not None and self.export.returncode == 0
        )

    def failure(self) -> str:
        """A readable account of a failed run (empty when both commands succeeded)."""
        if self.ok:
            return ""
        parts = [_describe(self.ingest)]
        if self.export is not None:
            parts.append(_describe(self.export))
        return "\n".join(parts)


def _describe(run: subprocess.CompletedProcess[str]) -> str:
    cmd = " ".join(str(a) for a in run.args)
    return f"$ {cmd}\nexit {run.returncode}\n{run.stdout.strip()}\n{run.stderr.strip()}".strip()


def cli_command() -> list[str]:
    """The installed ``papertrail`` script beside this interpreter, else ``python -m ingest``."""
    script = Path(sys.executable).with_name("papertrail")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "ingest"]


def sample_files(folder: Path = SAMPLES_DIR) -> list[Path]:
    """The sample papers (not the generator, not the expected files), in name order."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SAMPLE_SUFFIXES
    )


def expected_path(sample: Path) -> Path:
    return EXPECTED_DIR / f"{sample.name}.jsonl"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=CLI_TIMEOUT_S, check=False
    )


def read_jsonl(path: Path) -> list[Record]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def export_sample(sample: Path, workdir: Path) -> Export:
    """Ingest one sample into a fresh database under ``workdir`` and export it as JSONL.

    The sample is copied into ``workdir`` first so that nothing the CLI writes (or a
    relative path it records) depends on where the repository lives.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    local = workdir / sample.name
    shutil.copyfile(sample, local)
    db, out = workdir / "golden.db", workdir / "export.jsonl"
    cli = cli_command()
    ingest = _run([*cli, "ingest", local.name, "--db", db.name], cwd=workdir)
    if ingest.returncode != 0 and not db.exists():
        return Export(sample, [], ingest, None)
    export = _run([*cli, "export", "--db", db.name, "--format", "jsonl", "-o", out.name], workdir)
    records = read_jsonl(out) if export.returncode == 0 and out.exists() else []
    return Export(sample, records, ingest, export)


def write_jsonl(path: Path, records: list[Record]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")


def main() -> int:
    """Regenerate every expected file; exit 1 if any sample could not be ingested."""
    failed = 0
    with tempfile.TemporaryDirectory(prefix="papertrail-golden-") as tmp:
        for sample in sample_files():
            result = export_sample(sample, Path(tmp) / sample.name)
            if not result.ok or not result.records:
                failed += 1
                print(f"FAILED {sample.name}\n{result.failure()}", file=sys.stderr)
                continue
            write_jsonl(expected_path(sample), result.records)
            kinds: dict[str, int] = {}
            for record in result.records:
                kinds[record.get("type", "?")] = kinds.get(record.get("type", "?"), 0) + 1
            summary = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
            print(f"{expected_path(sample).relative_to(ROOT)}: {summary}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
