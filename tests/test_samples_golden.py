"""Each sample paper through the real CLI, compared with its golden file.

The golden files are written by ``python -m tests.golden`` (``make golden``); when the
pipeline's output changes on purpose, regenerate them and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

try:
    from tests.golden import Export, expected_path, export_sample, read_jsonl, sample_files
except ModuleNotFoundError:  # bare `pytest` puts tests/ (not the repo root) on sys.path
    from golden import Export, expected_path, export_sample, read_jsonl, sample_files

SAMPLES = sample_files()
MAX_REPORTED = 8  # differing records shown in one failure message


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Export]:
    """Each sample ingested and exported once, shared by the tests of this module."""
    root = tmp_path_factory.mktemp("golden")
    return {s.name: export_sample(s, root / s.name) for s in SAMPLES}


def _label(record: dict[str, Any]) -> str:
    kind = record.get("type", "?")
    key = next((record[k] for k in ("index", "ref", "item", "criterion") if k in record), "")
    return f"{kind} {key}".strip()


def _field_diff(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    lines = []
    for key in sorted(set(expected) | set(got), key=lambda k: (k not in expected, k)):
        old, new = expected.get(key, "<missing>"), got.get(key, "<missing>")
        if old != new:
            lines.append(f"    {key}:")
            lines.append(f"      expected {json.dumps(old, ensure_ascii=False)[:400]}")
            lines.append(f"      got      {json.dumps(new, ensure_ascii=False)[:400]}")
    return lines


def records_diff(expected: list[dict[str, Any]], got: list[dict[str, Any]]) -> str:
    """A readable account of how two record lists differ, record by record ("" if equal)."""
    lines: list[str] = []
    if len(expected) != len(got):
        lines.append(f"{len(expected)} records expected, {len(got)} produced")
    shown = 0
    for i in range(max(len(expected), len(got))):
        old = expected[i] if i < len(expected) else None
        new = got[i] if i < len(got) else None
        if old == new:
            continue
        shown += 1
        if shown > MAX_REPORTED:
            lines.append("  ... (further differences not shown)")
            break
        if old is None or new is None:
            which, rec = ("extra", new) if old is None else ("missing", old)
            lines.append(f"  record {i} {which}: {json.dumps(rec, ensure_ascii=False)[:400]}")
            continue
        lines.append(f"  record {i} ({_label(old)}):")
        lines.extend(_field_diff(old, new))
    return "\n".join(lines)


def test_records_diff_names_the_changed_field() -> None:
    old = [{"type": "recommendation", "ref": "1", "status": "ongoing"}]
    new = [{"type": "recommendation", "ref": "1", "status": "complete"}]
    report = records_diff(old, new)
    assert "recommendation 1" in report and "status:" in report and '"complete"' in report
    assert records_diff(old, old) == ""


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_sample_ingests_with_at_least_one_table(sample: Path, exports: dict[str, Export]) -> None:
    result = exports[sample.name]
    assert result.ok, result.failure()
    types = [r.get("type") for r in result.records]
    assert types.count("document") == 1, f"{sample.name}: records of types {sorted(set(types))}"
    assert "table" in types, f"{sample.name}: no table found"


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_sample_matches_golden_file(sample: Path, exports: dict[str, Export]) -> None:
    golden = expected_path(sample)
    if not golden.exists():
        pytest.skip(f"{golden.name} not written yet: run `make golden` and review it")
    result = exports[sample.name]
    assert result.ok, result.failure()
    diff = records_diff(read_jsonl(golden), result.records)
    assert not diff, (
        f"{sample.name} differs from {golden.relative_to(golden.parents[2])}"
        f" (if intended, run `make golden` and review the diff):\n{diff}"
    )


def test_samples_cover_every_format() -> None:
    assert {p.suffix for p in SAMPLES} >= {".pdf", ".docx", ".html", ".txt"}
