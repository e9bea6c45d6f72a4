"""Every tolerance of the PDF table finder, in one validated settings object.

As pdfplumber's ``TableSettings``: one frozen dataclass passed down the chain of pure
functions, so a tolerance is changed in one place and can be set per call.  Distances are
relative to the font size of the text they apply to (``*_em``: multiples of the font size)
or to the line pitch (``*_pitches``), never points, so a table printed at 7 pt and one at
12 pt are read alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cached_property


@dataclass(frozen=True)
class TableSettings:
    # a horizontal gap this wide (em) between two words separates two cells' text
    segment_gap_em: float = 0.7
    # two figures ("1,234 5,678") side by side are two cells already at this gap (em)
    numeric_gap_em: float = 0.45
    # a column start or edge within this distance (em) of another is the same column
    column_tolerance_em: float = 0.5
    # the narrowest gutter (em) between two columns that text edges repeat over
    min_gutter_em: float = 0.3
    # a line laid out in at least this share of the region's widest line's cells defines
    # the columns; sparser lines (spanning headings, wrapped continuations) are placed after
    defining_share: float = 0.5
    # lines further apart than this (pitches) are not rows of one table
    row_gap_max_pitches: float = 2.2
    # a table's rows resume on the same columns after at most this many heading lines
    # ("Female", "Private schools") within this distance (pitches) of the rows above
    group_heading_lines: int = 2
    group_gap_pitches: float = 5.0
    # a group heading may stand out this far (em) left of the table's first column (the
    # label column's figures are right-aligned further in)
    heading_outdent_em: float = 4.0
    # lines further apart than this (pitches) start a new run of text
    run_gap_pitches: float = 1.5
    # a gap wider than the pitch by this much (em) is a paragraph break
    paragraph_gap_em: float = 0.18
    # a line indented this far (em) after a bullet glyph is the bullet item's text
    bullet_indent_em: float = 2.5
    # a list marker ("1.", "(a)", "•") is followed by its text within this distance (em)
    marker_gap_em: float = 3.0
    # a wrapped cell's line ends within this distance (em) of where the next word fits
    wrap_slack_em: float = 0.3
    # a wrapped cell's line above fills at least this share of its column's width
    wrap_fill_share: float = 0.6
    # a word this close (em) to the previous one joins it without a space
    tight_gap_em: float = 0.08
    # a table whose rows are this share or more of plain sentences across its columns
    # (this many words or more) is justified prose whose word gaps lined up
    prose_row_words: int = 6
    prose_row_share: float = 0.33
    # a borderless "table" is page columns of running text when at this share of its row
    # breaks a cell holds a line of prose with text below, and in this share of those
    # places the text below carries the sentence on
    flowing_share: float = 0.5
    prose_line_words: int = 4  # a cell this many words long, nearly all words, is prose
    # a line of this many dashes, underscores or equals signs or more is a typed rule
    typed_rule_chars: int = 3
    # charts (parsers/pdf_charts.py): bars are at least this many filled rectangles, this
    # thick (em) or more, on a baseline within this distance (em), whose thickness and
    # pitch vary by at most this share; a data series is a path of this many points or
    # more, this wide (em) or more; a chart's labels lie within this margin (em) of it
    bar_min_count: int = 3
    bar_min_em: float = 0.2
    bar_baseline_em: float = 0.15
    bar_evenness: float = 0.1
    series_min_points: int = 4
    series_min_width_em: float = 4.0
    chart_margin_em: float = 4.0
    # a column of running text beside a table starts after a gutter this wide (em) on at
    # least this many lines (parsers/pdf_gutters.py)
    page_gutter_em: float = 1.5
    page_column_lines: int = 6
    # lines side by side overlapping by this share of a line's height are read as one
    # when looking for a page gutter (page columns set with their own leading)
    band_overlap: float = 0.3
    # a white box on the paper no taller than this (em), with an edge in the space
    # between two words of a line (narrower than ``segment_gap_em``), is a highlight
    # behind a word, not a cell: its edges are no rules
    highlight_height_em: float = 1.5
    # a ruled column divides at a band this wide (em) that no word of it crosses, with
    # words on both sides in some of its cells (figures beside commentary)
    cell_gutter_em: float = 1.0
    # a ruled column narrower than this (em) with no text in it is the gap between a
    # cell's rule and a fill or frame drawn inside it, not a column of the table
    sliver_column_em: float = 0.75
    # a ruled grid is boxed running text when this share of its rows holds one run of
    # text spanning some of its columns
    framed_text_share: float = 0.6
    # row labels printed left of a ruled grid, unruled: set within this distance (em) of
    # it, in this share of its row bands or more, with at most this many words a row
    label_gap_em: float = 6.0
    label_share: float = 0.6
    label_max_words: int = 6  # also: most words of a group heading over sub-headings
    # lines above a table that are its caption, and below it that are its notes
    caption_pattern: str = r"^(?:table|figure|exhibit|chart)\s+[\w.-]{1,8}\b"
    note_pattern: str = r"^(?:(?:sources?|notes?|see notes?|nb|\*)\b|abbreviations?:)\W*"

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float) and not value >= 0:
                raise ValueError(f"TableSettings.{f.name} must be >= 0, got {value!r}")
        if not 0 < self.defining_share <= 1:
            raise ValueError(
                f"TableSettings.defining_share must be in (0, 1], got {self.defining_share!r}"
            )
        for name in ("caption_pattern", "note_pattern"):
            try:
                re.compile(getattr(self, name))
            except re.error as exc:
                raise ValueError(
                    f"TableSettings.{name} is not a regular expression: {exc}"
                ) from exc

    # compiled once per settings object: they are matched against every region's lines
    @cached_property
    def caption(self) -> re.Pattern[str]:
        return re.compile(self.caption_pattern, re.I)

    @cached_property
    def note(self) -> re.Pattern[str]:
        return re.compile(self.note_pattern, re.I)


DEFAULT = TableSettings()
