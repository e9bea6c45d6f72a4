"""docs/contract.md is kept in step with the export: its table of record types and fields
is the registry the export reads (``normalise.record_types.RECORD_TYPES``), in order."""

from __future__ import annotations

import re
from pathlib import Path

from normalise.record_types import RECORD_TYPES

ROOT = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^\| `(\w+)` \| (.+) \|$")


def documented_fields(markdown: str) -> dict[str, list[str]]:
    """type -> fields from the table's rows; remarks in parentheses are not fields."""
    found = {}
    for line in markdown.splitlines():
        if m := ROW.match(line):
            cell = re.sub(r"\([^)]*\)", "", m.group(2)).replace("`", "")
            found[m.group(1)] = [f.strip() for f in cell.split(",") if f.strip()]
    return found


def test_every_field_in_docs_contract_is_the_registry_s() -> None:
    documented = documented_fields((ROOT / "docs" / "contract.md").read_text(encoding="utf-8"))
    assert documented == {name: list(t.fields) for name, t in RECORD_TYPES.items()}


def test_the_readme_shows_the_same_table_and_no_path_outside_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    contract = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    section = readme.split("## What comes out: the record contract")[1].split("\n## ")[0]
    assert documented_fields(section) == documented_fields(contract)
    assert "../shared" not in readme and "shared/contract" not in readme
    assert "docs/contract.md" in readme
