"""The record types of the export contract: one frozen dataclass per type, registered once.

Each record type is a dataclass whose fields, in declaration order, are the order the
export writes them in (after ``type``).  A field is one of three kinds, set in its
``metadata``:

* a **contract** field (the default): listed in ``docs/contract.md``, always exported;
* an **extra** field (``EXTRA``): exported in its place, but not in the contract table
  (``table_index``, ``confidence``, ``issues``...); ``EXTRA_IF_SET`` ones only when not
  None (``ocr_confidence``, which only records of scanned tables have);
* an **internal** field (``INTERNAL``): never exported (the corrected grid a table record
  was made from, which the store writes the ``tables`` and ``cells`` rows from).

The ``@record_type`` decorator registers a class with what else the rest of papertrail
needs to know about it, so that every part handling records by type reads this registry
rather than keeping its own field list: the export (``fields``, the contract's order),
the store (``promoted``: which field fills each filterable column of ``records``), the
NLP step (``nlp_fields``: free text to tag; ``key``: what names a record inside its
document) and the diff (``tracked`` types are followed from paper to paper; ``compared``:
the text fields a diff reports).  A new record type is one decorated class here.

Records are immutable: a step that refines one (a page-break continuation, the paper's
year, the OCR's confidence) makes a new one with ``dataclasses.replace``.  A record also
reads as the mapping of its exported form (``rec["owner"]``, ``dict(rec)``), which is
what the store saves and what code handling any type by field name reads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, ClassVar, TypeVar

from normalise.updates import Update
from parsers.model import Table

# A record in its exported form: a ``Record`` reads as one, and so does a record read
# back from the database (JSON), which may come from an older papertrail.
ExportedRecord = Mapping[str, Any]

EXTRA: Mapping[str, str] = {"export": "extra"}
EXTRA_IF_SET: Mapping[str, str] = {"export": "extra", "omit": "none"}
INTERNAL: Mapping[str, str] = {"export": "never"}


@cache
def _exported(cls: type[Record]) -> dict[str, bool]:
    """Exported field name -> whether it is left out when None, in export order."""
    return {
        f.name: f.metadata.get("omit") == "none"
        for f in dataclasses.fields(cls)
        if f.metadata.get("export") != "never"
    }


@dataclass(frozen=True, kw_only=True, eq=False)
class Record(Mapping[str, Any]):
    """What every record type shares: its type name, and its exported form.

    Equal records are those whose exported forms are equal (so a record equals the dict
    the database gives back for it).
    """

    type: ClassVar[str] = ""
    # Exported fields this record leaves out altogether, as it always has (an improvement
    # plan's block has no revised-deadline columns, and its recommendation never had them).
    absent: frozenset[str] = field(default=frozenset(), repr=False, metadata=INTERNAL)

    def as_dict(self) -> dict[str, Any]:
        """The exported form: ``type``, then every exported field in declaration order."""
        out: dict[str, Any] = {"type": self.type}
        for name, omit_none in _exported(self.__class__).items():
            value = getattr(self, name)
            if not (name in self.absent or (omit_none and value is None)):
                out[name] = value
        return out

    def __getitem__(self, key: str) -> Any:
        if key == "type":
            return self.type
        omit_none = _exported(self.__class__).get(key)
        if omit_none is None or key in self.absent:
            raise KeyError(key)
        value = getattr(self, key)
        if omit_none and value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self.as_dict())

    def __len__(self) -> int:
        return len(self.as_dict())


def _joined(*names: str, sep: str = " | ") -> Callable[[ExportedRecord], str | None]:
    def key(record: ExportedRecord) -> str | None:
        return sep.join(str(record[n]) for n in names if record.get(n)) or None

    return key


_BY_REF = _joined("ref")


@dataclass(frozen=True)
class RecordType:
    """How one record type is exported, stored, tagged and followed."""

    name: str
    cls: type[Record]
    promoted: Mapping[str, str] = field(default_factory=dict)  # records column -> field
    nlp_fields: tuple[str, ...] = ()  # free text the NLP step tags
    key: Callable[[ExportedRecord], str | None] = _BY_REF  # names it inside its document
    tracked: bool = False  # followed across successive papers by diff / history / slippage
    compared: tuple[str, ...] = ()  # text fields a diff compares (tracked types)

    def __post_init__(self) -> None:
        known = set(_exported(self.cls))
        for what, names in (
            ("promoted", tuple(self.promoted.values())),
            ("nlp_fields", self.nlp_fields),
            ("compared", self.compared),
        ):
            unknown = [n for n in names if n not in known]
            if unknown:
                raise ValueError(f"{self.name}: {what} names no field of it: {unknown}")

    @property
    def fields(self) -> tuple[str, ...]:
        """The contract's fields, in its order (the extra and internal ones left out)."""
        return tuple(f.name for f in dataclasses.fields(self.cls) if "export" not in f.metadata)


RECORD_TYPES: dict[str, RecordType] = {}
R = TypeVar("R", bound=Record)


def record_type(
    name: str,
    promoted: Mapping[str, str] | None = None,
    *,
    nlp_fields: tuple[str, ...] = (),
    key: Callable[[ExportedRecord], str | None] = _BY_REF,
    tracked: bool = False,
    compared: tuple[str, ...] = (),
) -> Callable[[type[R]], type[R]]:
    """Register a record class under ``name`` (registration order is the export's order
    of types within a document)."""

    def register(cls: type[R]) -> type[R]:
        if name in RECORD_TYPES:
            raise ValueError(f"record type {name!r} is registered already")
        cls.type = name
        RECORD_TYPES[name] = RecordType(
            name, cls, promoted or {}, nlp_fields, key, tracked, compared
        )
        return cls

    return register


def unregister(name: str) -> None:
    """Take a record type out of the registry again (tests that register their own)."""
    del RECORD_TYPES[name]


_TRACKER = {"ref": "ref", "status": "status", "owner": "owner", "due": "due", "text": "text"}


@record_type("document", {"text": "title"})
@dataclass(frozen=True, kw_only=True, eq=False)
class DocumentRecord(Record):
    doc_id: str
    source: str | None = None  # file name
    format: str | None = None
    title: str | None = None
    committee: str | None = None
    meeting_date: str | None = None
    meeting_date_raw: str | None = field(default=None, metadata=EXTRA)
    pages: int | None = None  # page count, PDF only


@record_type("table", {"text": "context"})
@dataclass(frozen=True, kw_only=True, eq=False)
class TableRecord(Record):
    doc_id: str
    index: int  # 0-based, in the document
    kind: str = "other"
    pages: list[int] | None = None
    header: list[str] = field(default_factory=list)  # one string per column
    rows: list[list[str]] = field(default_factory=list)  # one list per row
    merges: list[list[int]] = field(default_factory=list, metadata=EXTRA)
    header_row_count: int = field(default=0, metadata=EXTRA)
    context: str | None = field(default=None, metadata=EXTRA)  # the heading printed before it
    confidence: float | None = field(default=None, metadata=EXTRA)
    roles: list[str | None] | None = field(default=None, metadata=EXTRA)
    ocr_confidence: float | None = field(default=None, metadata=EXTRA_IF_SET)
    # The corrected table this record was made from: the store writes ``tables`` and
    # ``cells`` from it, so the three cannot disagree.
    grid: Table | None = field(default=None, repr=False, metadata=INTERNAL)


@record_type(
    "recommendation",
    _TRACKER,
    nlp_fields=("text", "response"),
    tracked=True,
    compared=("owner", "text", "response"),
)
@dataclass(frozen=True, kw_only=True, eq=False)
class Recommendation(Record):
    doc_id: str
    ref: str | None = None
    text: str | None = None
    response: str | None = None
    owner: str | None = None
    status: str | None = None
    status_raw: str | None = None
    due: str | None = None
    due_raw: str | None = None
    updates: list[Update] = field(default_factory=list)
    revised_due: str | None = field(default=None, metadata=EXTRA)
    revised_due_raw: str | None = field(default=None, metadata=EXTRA)
    pages: list[int] | None = None
    table_index: int | None = field(default=None, metadata=EXTRA)  # None: printed as prose
    confidence: float | None = field(default=None, metadata=EXTRA)
    issues: list[str] = field(default_factory=list, metadata=EXTRA)
    ocr_confidence: float | None = field(default=None, metadata=EXTRA_IF_SET)


@record_type(
    "action",
    _TRACKER,
    nlp_fields=("text", "milestone", "target"),
    key=_joined("recommendation_ref", "ref", sep="/"),
    tracked=True,
    compared=("owner", "text"),
)
@dataclass(frozen=True, kw_only=True, eq=False)
class Action(Record):
    doc_id: str
    recommendation_ref: str | None = None
    ref: str | None = None
    text: str | None = None
    owner: str | None = None
    due: str | None = None
    due_raw: str | None = None
    milestone: str | None = None
    target: str | None = None
    status: str | None = None
    status_raw: str | None = None
    updates: list[Update] = field(default_factory=list)
    revised_due: str | None = field(default=None, metadata=EXTRA)
    revised_due_raw: str | None = field(default=None, metadata=EXTRA)
    progress: str | None = field(default=None, metadata=EXTRA)  # undated progress text
    notes: str | None = field(default=None, metadata=EXTRA)
    pages: list[int] | None = None
    table_index: int | None = field(default=None, metadata=EXTRA)
    confidence: float | None = field(default=None, metadata=EXTRA)
    issues: list[str] = field(default_factory=list, metadata=EXTRA)
    ocr_confidence: float | None = field(default=None, metadata=EXTRA_IF_SET)


@record_type(
    "saving", {"text": "item"}, nlp_fields=("item",), key=_joined("item", "group", "period", "unit")
)
@dataclass(frozen=True, kw_only=True, eq=False)
class Saving(Record):
    doc_id: str
    item: str | None = None
    group: str | None = None
    period: str | None = None
    unit: str | None = None
    value: int | float | None = None
    pages: list[int] | None = None
    table_index: int | None = field(default=None, metadata=EXTRA)
    confidence: float | None = field(default=None, metadata=EXTRA)
    issues: list[str] = field(default_factory=list, metadata=EXTRA)
    ocr_confidence: float | None = field(default=None, metadata=EXTRA_IF_SET)


@record_type(
    "rag",
    {"status": "rating"},
    nlp_fields=("programme", "criterion", "rationale"),
    key=_joined("programme", "criterion"),
)
@dataclass(frozen=True, kw_only=True, eq=False)
class Rag(Record):
    doc_id: str
    programme: str | None = None
    criterion: str | None = None
    rating: str | None = None  # red / amber / green
    rating_raw: str | None = field(default=None, metadata=EXTRA)
    rationale: str | None = None
    pages: list[int] | None = None
    table_index: int | None = field(default=None, metadata=EXTRA)
    confidence: float | None = field(default=None, metadata=EXTRA)
    issues: list[str] = field(default_factory=list, metadata=EXTRA)
    ocr_confidence: float | None = field(default=None, metadata=EXTRA_IF_SET)


@record_type("entity", {"ref": "record_key", "text": "text"})
@dataclass(frozen=True, kw_only=True, eq=False)
class Entity(Record):
    doc_id: str
    record_type: str
    record_key: str | None = None
    field: str  # which field of the record: "text", "updates[0].text", ...
    label: str  # OWNER, DATE, STATUS, MONEY, ORG, PERSON
    text: str
    start: int
    end: int
    normalised: Any = None


# What the contract calls typed records: the items read from tables (and prose), each
# with ``table_index``, ``confidence`` and ``issues``.
TypedRecord = Recommendation | Action | Saving | Rag
TRACKED = tuple(name for name, t in RECORD_TYPES.items() if t.tracked)
