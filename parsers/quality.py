"""A table's measured quality, as camelot's parsing report: what share of its grid is
empty, and how many cells straddle columns without spanning the table (a sign of columns
found wrong).  ``review`` queues tables whose quality falls below a threshold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parsers.model import Row

# how much each measure costs the quality figure
_EMPTY_WEIGHT = 0.6
_STRADDLE_WEIGHT = 0.8


@dataclass(frozen=True)
class Measures:
    empty: float  # share of the body's own (not covered) cells with no text
    straddling: float  # share of filled cells spanning some columns but not all
    quality: float  # 1 - the weighted measures, 0..1

    def note(self) -> str:
        return (
            f"quality {self.quality:.2f}: empty {self.empty:.2f}, straddling {self.straddling:.2f}"
        )


def measure(rows: Sequence[Row], n_cols: int) -> Measures:
    own = [c for row in rows for c in row if not c.covered]
    if not own or n_cols < 1:
        return Measures(1.0, 0.0, 0.0)
    filled = [c for c in own if c.text]
    empty = 1 - len(filled) / len(own)
    straddle = sum(1 for c in filled if 1 < c.colspan < n_cols) / max(len(filled), 1)
    quality = 1 - _EMPTY_WEIGHT * empty - _STRADDLE_WEIGHT * straddle
    return Measures(round(empty, 3), round(straddle, 3), round(max(0.0, quality), 2))
