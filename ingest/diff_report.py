"""Renderers for ``store.diff`` results: text for a terminal, JSON for scripts, and a
self-contained HTML report an auditor can e-mail (old and new side by side)."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from store.diff import Change, Diff, is_slip

DocInfo = Mapping[str, Any]  # a document record: doc_id, source, title, meeting_date, path


def _doc_label(doc: DocInfo | None, doc_id: str) -> str:
    if not doc:
        return doc_id
    date = doc.get("meeting_date") or ""
    return f"{doc.get('source') or doc_id} ({date})" if date else str(doc.get("source"))


def _short(value: Any, limit: int = 90) -> str:
    if isinstance(value, list):
        return "; ".join(str(u.get("label") or u.get("date") or "") for u in value)
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(change: Change) -> str:
    if change.field == "updates_added":
        return f"new updates: {_short(change.new)}"
    old = change.old_raw or change.old
    new = change.new_raw or change.new
    tag = " (slipped)" if is_slip(change) else ""
    return f"{change.field}: {_short(old, 40)!s} -> {_short(new, 40)!s}{tag}"


def render_text(diffs: Sequence[Diff], docs: Mapping[str, DocInfo]) -> str:
    lines: list[str] = []
    for d in diffs:
        lines.append(
            f"{_doc_label(docs.get(d.old_doc), d.old_doc)}  ->  "
            f"{_doc_label(docs.get(d.new_doc), d.new_doc)}"
        )
        for c in d.changes:
            lines.append(f"  [{c.ref}] {_describe(c)}")
        if d.added:
            lines.append(f"  added: {', '.join(d.added)}")
        if d.removed:
            lines.append(f"  removed: {', '.join(d.removed)}")
        if not (d.changes or d.added or d.removed):
            lines.append("  no changes")
    return "\n".join(lines) + "\n"


def render_json(diffs: Sequence[Diff], as_list: bool) -> str:
    data: Any = [d.as_dict() for d in diffs] if as_list else diffs[0].as_dict()
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


_CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:2em}
td,th{border:1px solid #bbb;padding:.4em;vertical-align:top;text-align:left}
th{background:#eee}.chg{background:#fff3c4}.slip{background:#ffd6d6}
.add{background:#d9f2d9}.rem{background:#eee;text-decoration:line-through}
.ref{white-space:nowrap;font-weight:bold}small{color:#666}"""


def _doc_link(doc: DocInfo | None, doc_id: str, pages: Any) -> str:
    label = html.escape(_doc_label(doc, doc_id))
    path = (doc or {}).get("path")
    if not path:
        return label
    href = Path(str(path)).resolve().as_uri()
    if pages:
        href += f"#page={pages[0]}"
        label += f" p.{','.join(str(p) for p in pages)}"
    return f'<a href="{html.escape(href)}">{label}</a>'


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return "<br>".join(f"<b>{_cell(u.get('label'))}</b> {_cell(u.get('text'))}" for u in value)
    return html.escape("" if value is None else str(value))


def _pair_rows(d: Diff, docs: Mapping[str, DocInfo]) -> list[str]:
    by_ref: dict[str, list[Change]] = {}
    for c in d.changes:
        by_ref.setdefault(c.ref, []).append(c)
    rows = []
    for old, new in d.pairs:
        ref = str(new.get("ref"))
        for c in by_ref.get(ref, []):
            css = "slip" if is_slip(c) else "chg"
            old_v = c.old_raw or c.old if c.field != "updates_added" else old.get("updates")
            new_v = c.new_raw or c.new
            old_link = _doc_link(docs.get(d.old_doc), d.old_doc, old.get("pages"))
            new_link = _doc_link(docs.get(d.new_doc), d.new_doc, new.get("pages"))
            rows.append(
                f'<tr class="{css}"><td class="ref">{html.escape(ref)}</td>'
                f"<td>{html.escape(c.field)}{' — slipped' if is_slip(c) else ''}</td>"
                f"<td>{_cell(old_v)}<br><small>{old_link}</small></td>"
                f"<td>{_cell(new_v)}<br><small>{new_link}</small></td></tr>"
            )
    return rows


def render_html(diffs: Sequence[Diff], docs: Mapping[str, DocInfo]) -> str:
    parts = [
        f"<!doctype html><meta charset='utf-8'><title>papertrail diff</title><style>{_CSS}</style>"
    ]
    for d in diffs:
        old_l = html.escape(_doc_label(docs.get(d.old_doc), d.old_doc))
        new_l = html.escape(_doc_label(docs.get(d.new_doc), d.new_doc))
        parts.append(f"<h2>{old_l} → {new_l}</h2>")
        parts.append(
            f"<p>{len(d.changes)} changes, {len(d.added)} added, {len(d.removed)} removed</p>"
        )
        parts.append("<table><tr><th>Ref</th><th>Field</th><th>Old</th><th>New</th></tr>")
        parts.extend(_pair_rows(d, docs))
        parts.extend(
            f'<tr class="add"><td class="ref">{html.escape(r)}</td><td colspan=3>added</td></tr>'
            for r in d.added
        )
        parts.extend(
            f'<tr class="rem"><td class="ref">{html.escape(r)}</td><td colspan=3>removed</td></tr>'
            for r in d.removed
        )
        parts.append("</table>")
    return "\n".join(parts) + "\n"
