"""The NLP step: tag owners, dates, statuses and sums of money in the typed records' text.

A blank English pipeline (no trained model is needed) with registered components:
``entity_ruler`` fed from ``data/patterns.jsonl`` (role and unit names, status phrases),
then ``papertrail_owners`` (owner names learned from the document's owner/lead columns),
``papertrail_dates``, ``papertrail_money`` and, when ``en_core_web_sm`` happens to be
installed, its PERSON/ORG tags.  Every entity carries ``span._.normalised``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from normalise.dates import find_dates, normalise_date
from normalise.numbers import money_pattern, parse_money
from normalise.record_types import RECORD_TYPES, Entity, ExportedRecord, Record
from normalise.status import normalise_status
from normalise.vocabulary import load, load_jsonl

_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(19|20)\d\d")
# Fields that hold one value of a known label by construction: tagged whole, without spaCy.
WHOLE_FIELDS = {"owner": "OWNER", "status_raw": "STATUS", "due_raw": "DATE"}
_NORMALISERS = {"DATE": normalise_date, "STATUS": normalise_status, "MONEY": parse_money}


def _normalised(span: Span) -> Any:
    fn = _NORMALISERS.get(span.label_)
    if fn is not None:
        return fn(span.text)
    return span.text if span.label_ == "OWNER" else None


if not Span.has_extension("normalised"):
    Span.set_extension("normalised", getter=_normalised)


def _add_spans(doc: Doc, spans: Iterable[Span]) -> Doc:
    """Add entities, the longest winning where they overlap the ones already there."""
    new = list(spans)
    if new:
        doc.ents = filter_spans([*doc.ents, *new])
    return doc


def _char_spans(doc: Doc, found: Iterable[tuple[int, int]], label: str) -> Iterator[Span]:
    for start, end in found:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            yield span


@lru_cache(maxsize=1)
def _statute_words() -> frozenset[str]:
    return frozenset(w.lower() for w in load("dates").get("not_a_date_after", []))


def _names_a_statute(text: str, start: int, end: int) -> bool:
    """A bare year right after "Act", "Regulations"...: part of a name, not a date."""
    if not _YEAR.fullmatch(text[start:end]):
        return False
    before = text[:start].split()
    return bool(before) and before[-1].lower() in _statute_words()


@Language.component("papertrail_dates")
def tag_dates(doc: Doc) -> Doc:
    """DATE entities from the date patterns of ``data/dates.json``."""
    if not _DIGIT.search(doc.text):
        return doc  # every printed date has a digit; most sentences have none
    found = (
        (m.start, m.end)
        for m in find_dates(doc.text)
        if not _names_a_statute(doc.text, m.start, m.end)
    )
    return _add_spans(doc, _char_spans(doc, found, "DATE"))


@Language.component("papertrail_status_context")
def keep_status_as_status(doc: Doc) -> Doc:
    """Drop STATUS tags used as ordinary words ("sergeants complete a check").

    A status is printed as a label or a predicate: at the start of the text, after
    punctuation ("Update: Complete") or closing a clause ("actions are complete.").
    """
    kept = [e for e in doc.ents if e.label_ != "STATUS" or _stands_alone(doc, e)]
    if len(kept) != len(doc.ents):
        doc.ents = kept
    return doc


def _stands_alone(doc: Doc, span: Span) -> bool:
    starts = span.start == 0 or doc[span.start - 1].is_punct
    ends = span.end == len(doc) or doc[span.end].is_punct
    return starts or ends


@Language.component("papertrail_money")
def tag_money(doc: Doc) -> Doc:
    """MONEY entities: ``£450.00``, ``£12.5m``, ``£33,665``."""
    if "£" not in doc.text:
        return doc
    found = ((m.start(), m.end()) for m in money_pattern().finditer(doc.text))
    return _add_spans(doc, _char_spans(doc, found, "MONEY"))


class OwnerTagger:
    """OWNER entities for names printed in the document's owner / lead columns."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")

    def set_owners(self, owners: Sequence[str]) -> None:
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        patterns = [self.nlp.make_doc(o) for o in owners if o and len(o) <= 120]
        if patterns:
            self.matcher.add("OWNER", patterns)

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, start, end, label="OWNER") for _id, start, end in self.matcher(doc)]
        return _add_spans(doc, spans)


@Language.factory("papertrail_owners")
def make_owner_tagger(nlp: Language, name: str) -> OwnerTagger:
    return OwnerTagger(nlp)


@lru_cache(maxsize=1)
def _trained_ner() -> Language | None:
    try:
        return spacy.load("en_core_web_sm", exclude=["parser", "lemmatizer"])
    except OSError:
        return None


@Language.component("papertrail_trained_ner")
def tag_people_and_orgs(doc: Doc) -> Doc:
    """PERSON / ORG from en_core_web_sm when it is installed (it never is by default)."""
    trained = _trained_ner()
    if trained is None:
        return doc
    tagged = trained(doc.text)
    found = (
        (e.start_char, e.end_char, e.label_) for e in tagged.ents if e.label_ in ("PERSON", "ORG")
    )
    spans = [s for start, end, label in found for s in _char_spans(doc, [(start, end)], label)]
    return _add_spans(doc, spans)


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    """The blank pipeline with the rule components, built once per process."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": False})
    ruler.add_patterns(load_jsonl("patterns"))  # type: ignore[attr-defined]
    nlp.add_pipe("papertrail_status_context")
    nlp.add_pipe("papertrail_owners")
    nlp.add_pipe("papertrail_dates")
    nlp.add_pipe("papertrail_money")
    if _trained_ner() is not None:
        nlp.add_pipe("papertrail_trained_ner")
    return nlp


def record_key(record: ExportedRecord) -> str | None:
    """What identifies a typed record inside its document (its ref, item or criterion)."""
    known = RECORD_TYPES.get(record["type"])
    return known.key(record) if known else None


def _nlp_fields(kind: str) -> tuple[str, ...]:
    known = RECORD_TYPES.get(kind)
    return known.nlp_fields if known else ()


def _texts(typed: Sequence[Record]) -> Iterator[tuple[str, tuple[Record, str]]]:
    """(text, (record, field)) of every text the registry says to tag; records are read
    by field name, through their exported form."""
    for record in typed:
        for name in _nlp_fields(record.type):
            value = record.get(name)
            if isinstance(value, str) and value.strip():
                yield value, (record, name)
        for i, update in enumerate(record.get("updates") or []):
            if update.get("text"):
                yield update["text"], (record, f"updates[{i}].text")


Tag = tuple[str, str, int, int, Any]  # label, text, start, end, normalised


def _whole_field_tags(record: Record) -> Iterator[tuple[str, Tag]]:
    for name, label in WHOLE_FIELDS.items():
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            fn = _NORMALISERS.get(label)
            yield name, (label, value, 0, len(value), fn(value) if fn else value)


def tag_texts(texts: Iterable[str], owners: Sequence[str]) -> dict[str, list[Tag]]:
    """The tags of each distinct text, running the pipeline once per distinct text."""
    nlp = build_pipeline()
    tagger = nlp.get_pipe("papertrail_owners")
    tagger.set_owners(owners)  # type: ignore[attr-defined]
    unique = list(dict.fromkeys(texts))
    return {
        text: [(e.label_, e.text, e.start_char, e.end_char, e._.normalised) for e in doc.ents]
        for text, doc in zip(unique, nlp.pipe(unique, batch_size=256), strict=True)
    }


def _entity(doc_id: str, record: Record, name: str, tag: Tag) -> Entity:
    label, text, start, end, normalised = tag
    return Entity(
        doc_id=doc_id,
        record_type=record.type,
        record_key=record_key(record),
        field=name,
        label=label,
        text=text,
        start=start,
        end=end,
        normalised=normalised,
    )


def entity_records(doc_id: str, typed: Sequence[Record], owners: Sequence[str]) -> list[Entity]:
    """``entity`` records for every tag found in the text fields of the typed records."""
    fields = list(_texts(typed))
    tags = tag_texts((text for text, _where in fields), owners)
    out: list[Entity] = []
    for record in typed:
        out.extend(_entity(doc_id, record, name, tag) for name, tag in _whole_field_tags(record))
    for text, (record, name) in fields:
        out.extend(_entity(doc_id, record, name, tag) for tag in tags[text])
    return out
