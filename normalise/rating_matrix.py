"""Rating matrices: criteria down, organisations or programmes across, a rating in each cell.

A compliance matrix prints one commitment per row and one department per column, each cell
"Met" / "Not Met" / "Partially met", an R/A/G letter, or only a green / amber / red fill.
Contract 1.1 makes every rated cell one ``rag`` record: ``programme`` the column heading,
``criterion`` the row label, ``rating`` from the word or, failing that, the fill.  Blank,
greyed-out and "n/a" cells give none.

A column is rated when the header vocabulary does not know its heading and nearly every
cell that shows something (a word or a saturated fill) shows a rating; two such columns
make the table a matrix.  Short codes that are not ratings (``F`` / ``P`` answers of a
recommendation x respondent matrix) are ``normalise.matrix``'s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from normalise.status import normalise_rating, rating_from_fill
from parsers.model import Cell, Table

RATED = "rated"  # role of a column of ratings
_RATED_SHARE = 0.8  # of the cells showing something, this share must be ratings
_NOT_RATED = re.compile(r"^(?:n/?a|n\.a\.?|not applicable|not assessed|[-–—])$", re.IGNORECASE)


def cell_rating(cell: Cell) -> tuple[str | None, bool]:
    """(rating, read from the fill) of one cell; (None, False) for blank or "n/a" cells."""
    text = cell.text.strip()
    if text:
        return (None, False) if _NOT_RATED.match(text) else (normalise_rating(text), False)
    rating = rating_from_fill(cell.fill)
    return rating, rating is not None


def _shows_something(cell: Cell) -> bool:
    return bool(cell.text.strip()) or rating_from_fill(cell.fill) is not None


def _is_rated(cells: Sequence[Cell]) -> bool:
    shown = [c for c in cells if not c.covered and _shows_something(c)]
    if not shown:
        return False
    rated = [c for c in shown if cell_rating(c)[0] or _NOT_RATED.match(c.text.strip())]
    return len(rated) / len(shown) >= _RATED_SHARE and any(cell_rating(c)[0] for c in shown)


def rating_matrix_roles(
    table: Table, roles: Sequence[str | None], first_body_row: int
) -> tuple[str | None, ...] | None:
    """Roles of a rating matrix (the label column ``criterion``, the rated columns
    ``rated``), or None when fewer than two unknown-headed columns hold ratings."""
    rows = table.rows[first_body_row:]
    n_cols = len(roles)
    rated = [
        c
        for c in range(n_cols)
        if roles[c] is None and _is_rated([row[c] for row in rows if c < len(row)])
    ]
    rated_rows = {
        r for r, row in enumerate(rows) for c in rated if c < len(row) and cell_rating(row[c])[0]
    }
    if len(rated) < 2 or len(rated_rows) < 2:
        return None  # one row of colour names is a key or a count's heading, not ratings
    labels = [
        c
        for c in range(n_cols)
        if c not in rated and any(c < len(row) and row[c].text.strip() for row in rows)
    ]
    if not labels or labels[0] > min(rated):
        return None  # no row labels before the ratings: not criteria down, bodies across
    out = list(roles)
    out[labels[0]] = "criterion"
    for c in rated:
        out[c] = RATED
    return tuple(out)
