"""Header rows, tables continued over page breaks, and the finished model tables.

A table at the foot of one page and one at the head of the next are ONE table only when
nothing but running headers / footers lies between them and their columns sit at the
same x positions.  The continuation's repeated header rows are dropped, and its first
row is glued to the previous row when the page break split that row (empty first cell,
or text that carries on mid-sentence).  On one page, two ruled grids with a bold group
heading between them, on the same columns, are one table too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.model import Cell, Table
from parsers.pdf_grid import EDGE_TOL, PageTable, PCell
from parsers.pdf_words import Line
from parsers.quality import measure

_X_TOL = 6.0
_SENTENCE_END = (".", "!", "?", ":", ";")


@dataclass(slots=True)
class Placed:
    """A page table with where it sits in the page's reading order."""

    table: PageTable
    first_on_page: bool  # no running text above it on its page
    last_on_page: bool  # no running text below it on its page
    context: str | None = None
    extra_pages: list[int] = field(default_factory=list)
    why: list[str] = field(default_factory=list)  # stitching decisions, for `debug`


def mark_header(t: PageTable, most: bool = False) -> None:
    """Header rows: the leading rows whose text is all bold (``most``: mostly bold, by
    cells), stopping at a full-width row."""
    n = 0
    for i, row in enumerate(t.rows):
        live = [c for c in row if not c.covered and c.text]
        bold = sum(c.bold for c in live)
        if not live or bold < len(live) and not (most and bold * 2 > len(live)):
            break
        if i > 0 and len(live) == 1 and live[0].colspan == t.n_cols and t.n_cols > 1:
            break
        above = [c for c in t.rows[i - 1] if not c.covered and c.text] if i else []
        if len(live) == 1 and len(above) >= 2 and t.n_cols > 2:
            break  # one bold cell under a header row of several: a group heading
        n += 1
    if n == len(t.rows):
        n = 0 if len(t.rows) > 1 else n
    t.header_rows = n
    _join_stub_head(t)


def _join_stub_head(t: PageTable) -> None:
    """The key column's heading wrapped down beside stacked group headings ("Age group"
    level with the groups, "(yrs)" level with their sub-headings) is one cell spanning
    those header rows, as it is printed: its lower lines carry on the upper ones (open
    in lower case or with a bracket), and nothing else is in the key column there."""
    stub = [i for i in range(t.header_rows) if t.rows[i][0].text and not t.rows[i][0].covered]
    if len(stub) < 2 or stub != list(range(stub[0], stub[-1] + 1)):
        return
    cells = [t.rows[i][0] for i in stub]
    if any(c.colspan != 1 or c.rowspan != 1 for c in cells):
        return
    if not all(c.text[:1].islower() or c.text[:1] in "([" for c in cells[1:]):
        return
    top = cells[0]
    top.text = " ".join(c.text for c in cells)
    top.rowspan = len(cells)
    for c in cells[1:]:
        top.pages += [p for p in c.pages if p not in top.pages]
        if top.bbox and c.bbox:
            top.bbox = (min(top.bbox[0], c.bbox[0]), top.bbox[1], max(top.bbox[2], c.bbox[2]),
                        c.bbox[3])  # fmt: skip
        c.text, c.covered = "", True


def _row_texts(row: list[PCell]) -> list[str]:
    # letters and digits only: a header printed again reads the same even where OCR saw
    # its punctuation or spacing differently ("Rec." / "Rec", "Key action" / "Keyaction")
    return ["".join(ch for ch in c.text.lower() if ch.isalnum()) for c in row]


def _covers(fine: list[float], coarse: list[float]) -> bool:
    return all(any(abs(x - y) <= _X_TOL for y in fine) for x in coarse)


def align_columns(a: PageTable, b: PageTable) -> bool:
    """Put ``a`` and ``b`` on one column grid when one's column starts are a subset of the
    other's (a continuation may use fewer columns); False when they do not line up."""
    sa, sb = a.col_edges[:-1], b.col_edges[:-1]
    if len(sa) == len(sb):
        return all(abs(x - y) <= _X_TOL for x, y in zip(sa, sb, strict=True))
    if _covers(sb, sa):
        regrid(a, b.col_edges)
        return True
    if _covers(sa, sb):
        regrid(b, a.col_edges)
        return True
    return False


def regrid(t: PageTable, edges: list[float]) -> None:
    """Re-place ``t``'s cells on a finer grid whose starts include all of ``t``'s."""
    starts = edges[:-1]

    def to_new(i: int) -> int:
        if i >= t.n_cols:
            return len(starts)
        x = t.col_edges[i]
        return min(range(len(starts)), key=lambda j: abs(starts[j] - x))

    rows = []
    for row in t.rows:
        new: list[PCell] = [PCell("", covered=True, pages=list(row[0].pages)) for _ in starts]
        for i, cell in enumerate(row):
            if cell.covered:
                continue
            j, end = to_new(i), to_new(i + cell.colspan)
            cell.colspan = max(1, end - j)
            new[j] = cell
        rows.append(new)
    t.rows, t.col_edges = rows, list(edges)


def _starts_alike(a: PageTable, b: PageTable) -> bool:
    """``b`` opens the way ``a`` opened ("Recommendation 3:" then "Recommendation 4:"):
    a new block of the same kind, not a continuation."""
    if a.header_rows or not a.rows or not b.rows:
        return False
    fa, fb = a.rows[0][0], b.rows[0][0]
    if fa.colspan != a.n_cols or fb.colspan != b.n_cols or fa.covered or fb.covered:
        return False
    wa, wb = fa.text.split()[:1], fb.text.split()[:1]
    return bool(wa) and wa == wb


def _repeated_header(a: PageTable, b: PageTable) -> int:
    """How many leading rows of ``b`` repeat ``a``'s header (or a's first row)."""
    head = a.rows[: max(a.header_rows, 1)]
    k = len(head)
    if len(b.rows) >= k and all(
        _row_texts(x) == _row_texts(y) for x, y in zip(head, b.rows, strict=False)
    ):
        if a.header_rows == 0:
            a.header_rows = k
        return k
    return 0


def joined_across_headings(
    number: int, found: list[tuple[PageTable, set[int]]], body: list[Line]
) -> list[tuple[PageTable, set[int]]]:
    """Ruled grids one right below the other with a single line between them, printed
    outside the rules (a group heading), joined where ``join_across_heading`` says."""
    found = sorted(found, key=lambda f: f[0].bbox[1])
    out: list[tuple[PageTable, set[int]]] = []
    for t, used in found:
        if out:
            (a, used_a), (b, used_b) = out[-1], (t, used)
            between = [
                ln for ln in body
                if a.bbox[3] <= ln.top and ln.bottom <= b.bbox[1]
                and a.bbox[0] - EDGE_TOL <= ln.x0 and ln.x0 < a.bbox[2]
            ]  # fmt: skip
            near = len(between) == 1 and b.bbox[1] - a.bbox[3] <= 3 * (
                between[0].bottom - between[0].top
            )
            if near:
                ln = between[0]
                heading = PCell(ln.text, bold=ln.bold, pages=[number],
                                bbox=(ln.x0, ln.top, ln.x1, ln.bottom))  # fmt: skip
                joined = join_across_heading(a, b, heading)
                if joined is not None:
                    out[-1] = (joined, used_a | used_b | {id(ln)})
                    continue
        out.append((t, used))
    return out


def join_across_heading(a: PageTable, b: PageTable, heading: PCell) -> PageTable | None:
    """``a`` and ``b``, ruled grids one above the other on a page with only a bold group
    heading printed between them outside the rules ("School Performance"), are one
    table when they share their columns and ``b`` opens with no header of its own: the
    heading becomes a row across it."""
    if not heading.bold or a.method != "ruled" or b.method != "ruled" or not b.rows:
        return None  # a plain line between two boxes may be the first one's overflow
    if a.n_cols != b.n_cols:
        return None
    if not all(abs(x - y) <= _X_TOL for x, y in zip(a.col_edges, b.col_edges, strict=True)):
        return None
    if _repeated_header(a, b) or all(c.bold for c in b.rows[0] if c.text and not c.covered):
        return None
    across = [heading] + [PCell("", covered=True) for _ in range(a.n_cols - 1)]
    heading.colspan = a.n_cols
    bbox = (min(a.bbox[0], b.bbox[0]), a.bbox[1], max(a.bbox[2], b.bbox[2]), b.bbox[3])
    return PageTable(a.page, bbox, a.col_edges, [*a.rows, across, *b.rows], a.method,
                     spans=a.spans)  # fmt: skip


def _splits_row(last: list[PCell], first: list[PCell]) -> bool:
    if not first or first[0].covered:
        return False
    if not first[0].text and any(c.text for c in first) and any(c.text for c in last):
        return True
    for x, y in zip(last, first, strict=False):
        if x.text and y.text:
            return not x.text.endswith(_SENTENCE_END) and y.text[:1].islower()
    return False


def _glue(last: list[PCell], first: list[PCell]) -> None:
    for x, y in zip(last, first, strict=False):
        if y.text:
            x.text = f"{x.text} {y.text}".strip()
            x.bold = x.bold and y.bold
            if y.confidence is not None:
                x.confidence = min(x.confidence or 1.0, y.confidence)
        for p in y.pages:
            if p not in x.pages:
                x.pages.append(p)


def stitch(tables: list[Placed]) -> list[Placed]:
    """Merge each continuation into the table it continues."""
    out: list[Placed] = []
    for pl in tables:
        prev = out[-1] if out else None
        reason = _not_continued(prev, pl) if prev is not None else "first table"
        if prev is not None and reason and _next_page(prev, pl):
            pl.why.append(f"not joined to the table on page {prev.table.page}: {reason}")
        if prev is not None and not reason:
            prev.why.append(f"page {pl.table.page} joined: nothing between, columns line up")
            a, b = prev.table, pl.table
            skip = _repeated_header(a, b)
            body = b.rows[skip:]
            if body and len(a.rows) > a.header_rows and _splits_row(a.rows[-1], body[0]):
                _glue(a.rows[-1], body[0])
                body = body[1:]
            a.rows.extend(body)
            prev.extra_pages.append(b.page)
            prev.last_on_page = pl.last_on_page
            continue
        out.append(pl)
    return out


def _next_page(prev: Placed, pl: Placed) -> bool:
    return pl.table.page == prev.table.page + len(prev.extra_pages) + 1


def _not_continued(prev: Placed, pl: Placed) -> str:
    """Why ``pl`` does not continue ``prev`` (empty when it does); aligns the columns of
    the two when they line up."""
    if not _next_page(prev, pl):
        return "not on the next page"
    if not prev.last_on_page:
        return "text follows the table above"
    if not pl.first_on_page:
        return "text comes before this table on its page"
    if _starts_alike(prev.table, pl.table):
        return "it opens as the table above did (a new block of the same kind)"
    if not align_columns(prev.table, pl.table):
        return "the columns do not line up"
    return ""


def to_model(pl: Placed) -> Table:
    """The finished table.  Empties ``pl``'s rows as it goes, so the cells of a long table
    are not held twice."""
    t = pl.table
    pages = sorted({p for row in t.rows for c in row for p in c.pages} | {t.page})
    grid, built = t.rows[::-1], []
    t.rows.clear()
    while grid:
        built.append(tuple(_cell(c) for c in grid.pop()))
    rows = tuple(built)
    measured = measure(rows[t.header_rows :], len(t.col_edges) - 1)
    notes = [t.method] + ([f"stitched {len(pages)} pages"] if pl.extra_pages else [])
    notes += [*pl.why, measured.note()]
    quality = measured.quality
    rated = [c.confidence for row in rows for c in row if c.confidence is not None]
    if rated:
        # a grid drawn right holds text only as good as the OCR read it
        mean = sum(rated) / len(rated)
        notes.append(f"OCR confidence {mean:.2f}, lowest cell {min(rated):.2f}")
        quality = round(min(quality, mean), 2)
    return Table(
        header=rows[: t.header_rows],
        rows=rows[t.header_rows :],
        pages=tuple(pages),
        context=pl.context,
        quality=quality,
        notes=tuple(notes),
    )


def _cell(c: PCell) -> Cell:
    return Cell(
        text="" if c.covered else c.text,
        rowspan=c.rowspan,
        colspan=c.colspan,
        covered=c.covered,
        pages=tuple(sorted(set(c.pages))),
        bbox=c.bbox,
        fill=c.fill,
        confidence=c.confidence,
    )
