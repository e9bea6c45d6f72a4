"""The HTML diff report an auditor can e-mail: Jinja2 templates in ``ingest/templates``.

A title block (series, committee, the papers and their dates, when and by which
papertrail it was made), a summary of each pair at the top (status moves, slipped
deadlines, owner changes, new updates, added, removed), then per changed item its fields
under readable names with the changed words marked. Links to the papers are relative —
to ``link_base`` when given, else to the papers' file names beside the report — never
``file://`` paths of the machine that ran it. One self-contained file (styles inline).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ingest.wordiff import word_diff
from store.diff import Change, Diff, is_regression, is_slip, item_name

DocInfo = Mapping[str, Any]
TEMPLATES = Path(__file__).resolve().parent / "templates"

# What each compared field is called in the report.
FIELD_NAMES = {
    "ref": "Reference",
    "status": "Status",
    "due": "Due date",
    "owner": "Owner",
    "text": "Wording",
    "response": "Management response",
    "updates_added": "New progress updates",
}


def field_name(field: str) -> str:
    return FIELD_NAMES.get(field, field.replace("_", " ").capitalize())


def paper_href(doc: DocInfo | None, pages: Any = None, link_base: str | None = None) -> str:
    """Where a paper (at a page, for PDF viewers) is: its file name, after ``link_base``."""
    name = str((doc or {}).get("source") or "")
    if not name:
        return ""
    base = link_base or ""
    if base and not base.endswith(("/", "=", "#", "?")):
        base += "/"
    href = base + quote(name)
    return f"{href}#page={pages[0]}" if pages else href


def _where(doc: DocInfo | None, pages: Any) -> str:
    name = str((doc or {}).get("source") or "source")
    return f"{name} p.{','.join(map(str, pages))}" if pages else name


def _words(old: Any, new: Any) -> tuple[Markup, Markup]:
    """Old and new text with the removed words in <del> and the added ones in <ins>."""
    a, b = Markup(), Markup()
    for op, text in word_diff("" if old is None else str(old), "" if new is None else str(new)):
        if op != "+":
            a += Markup("<del>%s</del>") % text if op == "-" else escape(text)
        if op != "-":
            b += Markup("<ins>%s</ins>") % text if op == "+" else escape(text)
    return a, b


def _updates(value: Any) -> Markup:
    items = [u for u in value or [] if isinstance(u, dict)]
    return Markup("<br>").join(
        Markup("<b>%s</b> %s") % (u.get("label") or u.get("date") or "", u.get("text") or "")
        for u in items
    )


def _change_row(
    c: Change, old: Mapping[str, Any], new: Mapping[str, Any], docs: tuple[Any, Any], base: Any
) -> dict[str, Any]:
    if c.field == "updates_added":
        old_v, new_v = _updates(old.get("updates")), _updates(c.new)
    elif c.field in ("text", "response", "owner"):
        old_v, new_v = _words(c.old, c.new)
    else:
        old_v, new_v = escape(c.old_raw or c.old or "—"), escape(c.new_raw or c.new or "—")
    css = "slip" if is_slip(c) or is_regression(c) else "chg"
    return {
        "field": field_name(c.field), "css": css, "old": old_v, "new": new_v,
        "old_href": paper_href(docs[0], old.get("pages"), base),
        "new_href": paper_href(docs[1], new.get("pages"), base),
        "old_where": _where(docs[0], old.get("pages")),
        "new_where": _where(docs[1], new.get("pages")),
    }  # fmt: skip


def _one_side(rec: Mapping[str, Any], doc: DocInfo | None, base: str | None) -> dict[str, Any]:
    facts = [f"{n}: {rec.get(f'{n}_raw') or rec.get(n)}" for n in ("status", "due")
             if rec.get(f"{n}_raw") or rec.get(n)]  # fmt: skip
    if rec.get("owner"):
        facts.append(f"owner: {rec['owner']}")
    return {
        "ref": rec.get("ref"), "text": rec.get("text") or "", "facts": "; ".join(facts),
        "href": paper_href(doc, rec.get("pages"), base), "where": _where(doc, rec.get("pages")),
    }  # fmt: skip


def summary(d: Diff) -> list[tuple[str, int]]:
    """The figures an auditor reads first, for one pair of papers."""
    count = {f: sum(c.field == f for c in d.changes) for f in ("status", "owner")}
    return [
        ("Status moves", count["status"]),
        ("Slipped deadlines", sum(is_slip(c) for c in d.changes)),
        ("Owner changes", count["owner"]),
        ("New updates", sum(len(c.new or []) for c in d.changes if c.field == "updates_added")),
        ("Added", len(d.added)),
        ("Removed", len(d.removed)),
    ]


def _pair(d: Diff, docs: Mapping[str, DocInfo], base: str | None) -> dict[str, Any]:
    old_doc, new_doc = docs.get(d.old_doc), docs.get(d.new_doc)
    by_name: dict[str, list[Change]] = {}
    for c in d.changes:
        by_name.setdefault(c.name, []).append(c)
    items = []
    for old, new in d.pairs:
        changes = by_name.get(item_name(new), [])
        if changes:
            rows = [_change_row(c, old, new, (old_doc, new_doc), base) for c in changes]
            items.append({"ref": new.get("ref"), "text": new.get("text") or "", "rows": rows})
    return {
        "old": _paper(old_doc, d.old_doc, base), "new": _paper(new_doc, d.new_doc, base),
        "summary": summary(d), "changed": items,
        "added": [_one_side(r, new_doc, base) for r in d.added_records],
        "removed": [_one_side(r, old_doc, base) for r in d.removed_records],
    }  # fmt: skip


def _paper(doc: DocInfo | None, doc_id: str, base: str | None) -> dict[str, Any]:
    return {
        "label": (doc or {}).get("source") or doc_id,
        "date": (doc or {}).get("meeting_date"),
        "href": paper_href(doc, None, base),
    }


def render_html(
    diffs: Sequence[Diff],
    docs: Mapping[str, DocInfo],
    series: str | None = None,
    link_base: str | None = None,
    version: str = "",
    now: datetime | None = None,
) -> str:
    """The report as one HTML page (see the module's docstring)."""
    from ingest.cli_common import version as papertrail_version

    ordered = [docs[i] for i in dict.fromkeys(x for d in diffs for x in (d.old_doc, d.new_doc))
               if i in docs]  # fmt: skip
    newest = ordered[-1] if ordered else {}
    report = {
        "title": newest.get("title") or "Changes between tracker versions",
        "series": series,
        "committee": newest.get("committee"),
        "papers": [{"label": p.get("source"), "date": p.get("meeting_date")} for p in ordered],
        "generated": (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        "version": version or papertrail_version(),
        "pairs": [_pair(d, docs, link_base) for d in diffs],
    }
    return html_templates().get_template("diff.html").render(report=report)


@cache
def html_templates() -> Environment:
    """The Jinja2 templates of papertrail's HTML reports (``ingest/templates``), HTML
    escaped; the diff and the status report both render from it."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
