"""Records for a narrow terminal: one block per record instead of a table.

Below ``WIDE`` columns a table of six columns leaves its text column a few characters
wide, so a row takes a dozen lines; a block (a heading line of short fields, then the
long fields on lines of their own) reads as it would in a mail.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console, Group, RenderableType
from rich.text import Text

from ingest.terminal import printable

WIDE = 120  # columns from which tables are shown as tables


def is_narrow(console: Console) -> bool:
    return console.width < WIDE


Field = tuple[str, str | Text | None]  # label ("" for none) and value


def block(heading: Sequence[str | None], fields: Iterable[Field]) -> Text:
    """One record: its short fields on a bold heading line (empty ones left out), then
    each non-empty long field on its own line, labelled."""
    out = Text(" · ".join(printable(h) for h in heading if h), style="bold")
    for label, value in fields:
        if value is None or value == "":
            continue
        out.append("\n")
        if label:
            out.append(f"{label}: ", style="dim")
        out.append(value if isinstance(value, Text) else printable(value, keep_newlines=True))
    return out


def blocks(title: str, items: Sequence[Text]) -> RenderableType:
    """A title line, then the blocks separated by blank lines."""
    parts: list[RenderableType] = [Text(printable(title), style="italic")]
    for item in items:
        parts += [Text(""), item]
    return Group(*parts)
