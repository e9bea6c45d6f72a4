"""Parse a corpus folder straight through parsers + normalise (no store) and score it.

    .venv/bin/python bench/corpus_score.py ../shared/corpus [--format pdf] [--details]

A developer's loop for parser work; the real path is `papertrail ingest` + `export`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from normalise.records import document_records  # noqa: E402
from parsers.errors import ParseError  # noqa: E402
from parsers.registry import detect_format, parse_file  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--format", help="only files of this detected format")
    ap.add_argument("--details", action="store_true")
    args = ap.parse_args()
    out = Path(tempfile.mkdtemp()) / "pred.jsonl"
    with out.open("w") as fh:
        for path in sorted(args.corpus.rglob("*")):
            if not path.is_file() or path.name.endswith((".jsonl", ".json")) or "bad" in path.parts:
                continue
            try:
                fmt, _ = detect_format(path)
                if args.format and fmt != args.format:
                    continue
                t0 = time.perf_counter()
                doc = parse_file(path)
                dt = time.perf_counter() - t0
            except ParseError as exc:
                print(f"error: {exc}", file=sys.stderr)
                continue
            print(f"{dt:6.2f}s {len(doc.tables):3d} tables  {path.name}", file=sys.stderr)
            for rec in document_records(doc):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    score = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"
    cmd = [sys.executable, str(score), "--gold", str(args.corpus), "--pred", str(out)]
    if args.details:
        cmd.append("--details")
    return subprocess.call(cmd)


if __name__ == "__main__":
    raise SystemExit(main())
