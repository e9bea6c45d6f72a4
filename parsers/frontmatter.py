"""Committee name, meeting date and report title from the first blocks of a paper.

Shared by every format parser.  Committee papers open with a few short lines before the
body starts ("Report by ...", "Summary", "A. RECOMMENDATIONS"):

* ``Finance and Resources Committee - 17 January 2011`` then the title;
* the committee, the date and the title on three lines (an "Agenda item 10" or a
  protective marking may come first);
* on web pages the title first, then ``Report: 5 / Date: 9 January 2004 / Meeting: ...``.

The date is returned as printed (``Metadata.meeting_date_raw``); turning it into ISO is
normalise's job.  The vocabularies below are data so a new council's wording is one entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from parsers.celltext import clean_text
from parsers.model import Block, Metadata

# Words that end a committee's name, with a strength: a paper printed under the
# "Metropolitan Police Authority" letterhead belongs to its committee, not the Authority.
COMMITTEE_WORDS: dict[str, int] = {
    "committee": 3,
    "sub-committee": 3,
    "sub committee": 3,
    "subcommittee": 3,
    "board": 2,
    "panel": 2,
    "commission": 2,
    "forum": 2,
    "working group": 2,
    "scrutiny group": 2,
    "cabinet": 1,
    "executive": 1,
    "authority": 0,
    "council": 0,
    "assembly": 0,
}

MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip

# "Label: value" lines of web pages; None = a label whose value is ignored (report number).
LABELS: dict[str, str | None] = {
    "meeting": "committee",
    "committee": "committee",
    "date": "date",
    "meeting date": "date",
    "date of meeting": "date",
    "report date": "date",
    "paper date": "date",
    "date of report": "date",
    "date of paper": "date",
    "date of issue": "date",
    "issue date": "date",
    "title": "title",
    "subject": "title",
    "report title": "title",
    "to": "committee",  # "To: Cabinet – 4 March 2025"
    "report": None,
    "report no": None,
    "report number": None,
    "agenda item": None,
    "item": None,
    "from": None,
    "by": None,
    "author": None,
    "decision no": None,
    "decision number": None,
    "key decision": None,
    "classification": None,
    "status": None,
    "electoral division": None,
    "electoral divisions": None,
    "wards": None,
}

# A line starting like this is where the body begins: front matter ends before it.
BODY_STARTS: tuple[str, ...] = (
    r"reports? (?:by|of|from)\b",
    r"joint report\b",
    r"(?:executive\s+)?summary\s*:?$",
    r"recommendations?(?:\s*[-–:].*)?$",
    r"(?:contents|introduction|background|purpose(?: of (?:the )?report)?)\s*:?$",
    r"contact details\b",
    r"[A-Z][.)]\s",
    r"\d+[.)]\s",
)

# Lines of front matter that are never the title.
NOT_TITLES: tuple[str, ...] = (
    r"agenda item\b.*",
    r"item\s+\d+\w?",
    r"(?:not\s+)?protectively marked",
    r"(?:official|confidential|public)(?:\s*[-–:].*)?",
    r"draft(?:\s+(?:version|for\s+(?:consultation|comment|discussion)))?",
    # the document-type label GOV.UK prints above a publication's title
    r"(?:independent|corporate)\s+report|policy\s+paper|guidance|research\s+and\s+analysis"
    r"|consultation\s+(?:outcome|response)|(?:official\s+|national\s+)?statistics"
    r"|transparency\s+data|impact\s+assessment|press\s+release|speech",
    r"page \d+(?: of \d+)?",
    r"(?:appendix|annex|enclosure)\s+\w+",
    r"part\s+[12i]+",
    r"for (?:information|decision|discussion|noting)",
    r"(?:un)?restricted|unclassified|exempt",
    r"by\s.*",
    # a paper number ("TB(4)1.i", "CAB/12/034", "Paper FR 05/11"): letters and figures, no words
    r"(?:paper\s+(?:no\.?\s*)?)?[A-Z][A-Za-z]{0,5}\s?[(/\-]?\d[\w().\-/]*",
)

# A line that only dates the meeting ("Meeting of 20 November 2012", "Held on ...").
DATE_LINES: tuple[str, ...] = (
    r"(?:board\s+|committee\s+)?meeting\s+(?:of|on|held\s+on)",
    r"held\s+on",
    r"as\s+(?:at|of)",
)

FRONT_MATTER_LINES = 15  # a title further down than this is not front matter

_DAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_MONTH = "(?:" + "|".join(MONTHS) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
DATE_PATTERN = (
    rf"{_DAY}(?:\d{{1,2}}{_ORD}\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}{_ORD},?\s+\d{{4}}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
)
_DATE = re.compile(rf"(?i){DATE_PATTERN}")


def _alternation(words: Iterable[str]) -> str:
    """A regex group matching any of ``words`` literally, longest first."""
    return "(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + ")"


_COMMITTEE_END = re.compile(rf"(?i)\b{_alternation(COMMITTEE_WORDS)}(?:\s*\([^)]*\))?$")
_COMMITTEE_DATE = re.compile(rf"(?i)^(?P<name>.+?)\s*(?:[-–—,:|]\s*|\s)(?P<date>{DATE_PATTERN})$")
_LABEL = re.compile(rf"(?i)(?:^|(?<=\s)){_alternation(LABELS)}\s*:\s*")
_BODY_START = re.compile("|".join(f"(?:{p})" for p in BODY_STARTS), re.IGNORECASE)
_NOT_TITLE = re.compile("(?i)^(?:" + "|".join(f"(?:{p})" for p in NOT_TITLES) + ")$")
_DATE_LINE = re.compile(rf"(?i)^(?:{'|'.join(DATE_LINES)})\s+(?P<date>{DATE_PATTERN})\s*:?$")
_UNFINISHED = re.compile(r"(?i)\b(?:and|or|of|for|the|to|in|on|with|into|from|by)$")
_ADDRESSEE = re.compile(r"^[Tt]o\s+(?=[A-Z])")  # "To Cabinet – 30 January 2025"
_MAX_COMMITTEE_WORDS = 12
_MAX_TITLE_CHARS = 250


@dataclass(frozen=True)
class _Line:
    text: str
    kind: str
    level: int | None
    block: int  # index of the block the line came from


def metadata_from_blocks(blocks: Sequence[Block]) -> Metadata:
    """Title, committee and the meeting date as printed, from a paper's front matter."""
    lines = front_matter_lines(blocks)
    committee: tuple[int, str] | None = None  # (strength, name)
    date: str | None = None
    title: str | None = None
    used: set[int] = set()
    for i, line in enumerate(lines):
        labels = label_values(line.text)
        if labels:
            used.add(i)
            date = date or labels.get("date")
            title = title or labels.get("title")
            value = labels.get("committee", "")
            name, when = committee_and_date(value)
            name = name or (value if value and not when else None)
            date = date or when
            if name and (committee is None or committee[0] < 9):
                committee = (9, name)  # a printed "Meeting:" label beats any guess
            continue
        name, when = committee_and_date(_ADDRESSEE.sub("", line.text))
        dated = _DATE_LINE.match(line.text)
        when = when or (dated.group("date") if dated else None)
        if name or when:
            used.add(i)
        if name and (committee is None or committee_strength(name) > committee[0]):
            committee = (committee_strength(name), name)
        date = date or when
    title = title or pick_title(lines, used)
    if date is None:  # a date printed inside a title line ("Action Log as of 2 March 2011")
        date = next((m.group(0) for line in lines for m in [_DATE.search(line.text)] if m), None)
    return Metadata(
        title=title,
        committee=committee[1] if committee else None,
        meeting_date_raw=date,
    )


def front_matter_lines(blocks: Sequence[Block]) -> list[_Line]:
    """The printed lines before the body starts, each with its block's kind."""
    out: list[_Line] = []
    for b, block in enumerate(blocks):
        if block.kind == "table":
            if not out:
                continue  # tables before any text (a spreadsheet printed as an appendix)
            # the body has begun; a heading just above the table is its caption, not the
            # paper's title ("Open actions", "National Address Dataset – Lead HS/BB")
            if len(out) > 1 and out[-1].block == b - 1:
                out[-1] = replace(out[-1], kind="caption")
            return out
        for raw in block.text.splitlines():
            text = clean_text(raw)
            if not text:
                continue
            if is_body_start(text) and not (out and _UNFINISHED.search(out[-1].text)):
                return out  # ("... final report and" / "recommendations" is one title)
            out.append(_Line(text, block.kind, block.level, b))
            if len(out) >= FRONT_MATTER_LINES:
                return out
    return out


def is_body_start(text: str) -> bool:
    """True for "Report by ...", "Summary", "A. RECOMMENDATIONS", "1. Members note"."""
    return bool(_BODY_START.match(text))


def label_values(text: str) -> dict[str, str]:
    """``{"date": ..., "committee": ...}`` from "Report: 5 Date: 9 January 2004 Meeting: X"."""
    marks = list(_LABEL.finditer(text))
    if not marks or marks[0].start() != 0:
        return {}
    out: dict[str, str] = {}
    for m, nxt in zip(marks, [*marks[1:], None], strict=True):
        field = LABELS[m.group(1).lower()]
        value = text[m.end() : nxt.start() if nxt else len(text)].strip(" ,;")
        if field and value and field not in out:
            out[field] = value
    return out


def committee_and_date(text: str) -> tuple[str | None, str | None]:
    """Split "Finance and Resources Committee - 17 January 2011"; either part may be None."""
    if _DATE.fullmatch(text):
        return None, text
    m = _COMMITTEE_DATE.match(text)
    if m and is_committee_name(m.group("name")):
        return m.group("name").strip(" -–—,:|"), m.group("date")
    if is_committee_name(text):
        return text, None
    return None, None


def is_committee_name(text: str) -> bool:
    """A short line ending in Committee, Board, Panel, ... (not a sentence that mentions one)."""
    if len(text.split()) > _MAX_COMMITTEE_WORDS or text.endswith((".", ";")):
        return False
    return bool(_COMMITTEE_END.search(text)) and text[:1].isupper()


def committee_strength(name: str) -> int:
    m = _COMMITTEE_END.search(name)
    return COMMITTEE_WORDS[m.group(1).lower()] if m else -1


def is_title_candidate(line: _Line) -> bool:
    return not _NOT_TITLE.match(line.text) and len(line.text) <= _MAX_TITLE_CHARS


def pick_title(lines: Sequence[_Line], used: set[int]) -> str | None:
    """A level-1 heading if there is one, else the first free line after the committee/date."""
    free = [i for i, line in enumerate(lines) if i not in used and is_title_candidate(line)]
    free = [i for i in free if lines[i].kind != "caption"] or free
    if not free:
        return None
    top = [i for i in free if lines[i].kind == "heading" and lines[i].level == 1]
    after = [i for i in free if used and i > max(used)]
    start = (top or after or free)[0]
    return join_wrapped_title(lines, start, set(free))


def join_wrapped_title(lines: Sequence[_Line], start: int, free: set[int]) -> str:
    """Join a title printed over several lines: the following lines of the same heading
    level (cover pages set a title over three or four lines), or a last line of the front
    matter that looks like the rest of the title (same kind, no full stop)."""
    title = lines[start].text
    nxt = start + 1
    while nxt < len(lines) and nxt in free and lines[nxt].kind == lines[start].kind:
        tail = lines[nxt].text
        same_heading = lines[start].kind == "heading" and lines[nxt].level == lines[start].level
        if not (same_heading or nxt == len(lines) - 1):
            break
        if (
            title.endswith((".", ";"))
            or tail.endswith(".")
            or not same_heading
            and title.endswith(":")
        ):
            break
        if len(title) + len(tail) >= _MAX_TITLE_CHARS:
            break
        title, nxt = f"{title} {tail}", nxt + 1
    return title
