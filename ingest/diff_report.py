"""Renderers for ``store.diff`` results: text for a terminal, JSON for scripts, and a
self-contained HTML report an auditor can e-mail (old and new side by side)."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from store.diff import Change, Diff, Slippage, Thread, is_slip, item_name
from store.series import Series

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
            lines.append(f"  [{_short(c.name, 40)}] {_describe(c)}")
        if d.added:
            lines.append(f"  added: {'; '.join(_short(item_name(r), 40) for r in d.added_records)}")
        if d.removed:
            lines.append(
                f"  removed: {'; '.join(_short(item_name(r), 40) for r in d.removed_records)}"
            )
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
.ref{white-space:nowrap;font-weight:bold}small{color:#666}.rec td{background:#f6f6f6}"""


def _doc_link(doc: DocInfo | None, doc_id: str, pages: Any, short: bool = False) -> str:
    """A link to the paper (at its page in PDF viewers); ``short`` for inside a cell."""
    label = "source" if short else html.escape(_doc_label(doc, doc_id))
    path = (doc or {}).get("path")
    if not path:
        return "" if short else label
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
    """Per changed recommendation: a row naming it, then one row per changed field with
    the old value (linked to the old paper and page) beside the new one."""
    by_name: dict[str, list[Change]] = {}
    for c in d.changes:
        by_name.setdefault(c.name, []).append(c)
    rows = []
    for old, new in d.pairs:
        ref = str(new.get("ref") or "")
        changes = by_name.get(item_name(new), [])
        if not changes:
            continue
        old_link = _doc_link(docs.get(d.old_doc), d.old_doc, old.get("pages"), short=True)
        new_link = _doc_link(docs.get(d.new_doc), d.new_doc, new.get("pages"), short=True)
        rows.append(
            f'<tr class="rec"><td class="ref" rowspan="{len(changes) + 1}">{html.escape(ref)}'
            f"</td><td colspan=3>{_cell(new.get('text'))}</td></tr>"
        )
        for c in changes:
            css = "slip" if is_slip(c) else "chg"
            old_v = c.old_raw or c.old if c.field != "updates_added" else old.get("updates")
            new_v = c.new_raw or c.new
            rows.append(
                f'<tr class="{css}"><td>{html.escape(c.field)}'
                f"{' — slipped' if is_slip(c) else ''}</td>"
                f"<td>{_cell(old_v)}<br><small>{old_link}</small></td>"
                f"<td>{_cell(new_v)}<br><small>{new_link}</small></td></tr>"
            )
    return rows


def _one_side_rows(d: Diff, docs: Mapping[str, DocInfo]) -> list[str]:
    """Added recommendations in the new column, removed ones in the old column."""
    rows = []
    for rec in d.added_records:
        link = _doc_link(docs.get(d.new_doc), d.new_doc, rec.get("pages"), short=True)
        rows.append(
            f'<tr class="add"><td class="ref">{html.escape(str(rec.get("ref") or ""))}</td>'
            f"<td>added</td><td></td><td>{_summary(rec)}<br><small>{link}</small></td></tr>"
        )
    for rec in d.removed_records:
        link = _doc_link(docs.get(d.old_doc), d.old_doc, rec.get("pages"), short=True)
        rows.append(
            f'<tr class="rem"><td class="ref">{html.escape(str(rec.get("ref") or ""))}</td>'
            f"<td>removed</td><td>{_summary(rec)}<br><small>{link}</small></td><td></td></tr>"
        )
    return rows


def _summary(rec: Mapping[str, Any]) -> str:
    facts = [
        f"{name}: {rec.get(f'{name}_raw') or rec.get(name)}"
        for name in ("status", "due")
        if rec.get(f"{name}_raw") or rec.get(name)
    ]
    if rec.get("owner"):
        facts.append(f"owner: {rec['owner']}")
    return _cell(rec.get("text")) + (f"<br><i>{html.escape('; '.join(facts))}</i>" if facts else "")


def render_html(diffs: Sequence[Diff], docs: Mapping[str, DocInfo]) -> str:
    parts = [
        f"<!doctype html><meta charset='utf-8'><title>papertrail diff</title><style>{_CSS}</style>"
    ]
    for d in diffs:
        old_doc, new_doc = docs.get(d.old_doc), docs.get(d.new_doc)
        heading = f"{_doc_link(old_doc, d.old_doc, None)} → {_doc_link(new_doc, d.new_doc, None)}"
        parts.append(f"<h2>{heading}</h2>")
        parts.append(
            f"<p>{len(d.changes)} changes, {len(d.added)} added, {len(d.removed)} removed</p>"
        )
        parts.append(
            "<table><tr><th>Ref</th><th>Field</th>"
            f"<th>{html.escape(_doc_label(old_doc, d.old_doc))}</th>"
            f"<th>{html.escape(_doc_label(new_doc, d.new_doc))}</th></tr>"
        )
        parts.extend(_pair_rows(d, docs))
        parts.extend(_one_side_rows(d, docs))
        parts.append("</table>")
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- series, history, slippage


def render_series_text(found: Sequence[Series]) -> str:
    """One block per series: name, how it was made, and its papers oldest first."""
    if not found:
        return "no series (papers are grouped when a committee's tracker has two versions)\n"
    lines = []
    for s in found:
        lines.append(f"{s.name}  ({s.origin}, {len(s.papers)} papers)")
        lines.extend(
            f"  {p.meeting_date or '????-??-??'}  {p.doc_id}  {p.source}" for p in s.papers
        )
    return "\n".join(lines) + "\n"


def series_changes(before: Sequence[Series], after: Sequence[Series], name: str) -> list[str]:
    """What ``series add NAME`` changed, one line each: nothing happens silently."""
    old = {s.name: s for s in before}
    new = {s.name: s for s in after}
    lines = []
    if name not in old:
        lines.append(f"made series {name} (kept by hand)")
    elif old[name].origin == "auto":
        lines.append(f"series {name} was grouped automatically; it is now kept by hand")
    had = set(old[name].doc_ids) if name in old else set()
    lines += [
        f"added {p.doc_id} {p.source} to {name}" for p in new[name].papers if p.doc_id not in had
    ]
    for other in before:
        if other.name == name:
            continue
        if other.name not in new:
            lines.append(f"series {other.name} ({other.origin}) was dissolved: its papers moved")
            continue
        lost = [d for d in other.doc_ids if d not in new[other.name].doc_ids]
        if lost:
            lines.append(f"series {other.name} ({other.origin}) lost {', '.join(lost)}")
    lines += [
        f"series {s.name} ({s.origin}) was formed"
        for s in after
        if s.name not in old and s.name != name
    ]
    return lines


def series_as_dict(s: Series) -> dict[str, Any]:
    return {
        "name": s.name,
        "origin": s.origin,
        "papers": [
            {
                "doc_id": p.doc_id,
                "source": p.source,
                "title": p.title,
                "committee": p.committee,
                "meeting_date": p.meeting_date,
            }
            for p in s.papers
        ],
    }


def history_rows(found: Series, threads: Sequence[Thread]) -> list[dict[str, Any]]:
    """One row per paper of the series for each thread: the recommendation as it stood."""
    rows = []
    for number, thread in enumerate(threads, 1):
        by_doc = dict(thread.appearances)
        seen: set[tuple[str, str]] = set()
        for p in found.papers:
            rec = by_doc.get(p.doc_id)
            row: dict[str, Any] = {
                "thread": number,
                "recommendation": thread.ref,
                "doc_id": p.doc_id,
                "source": p.source,
                "meeting_date": p.meeting_date,
                "present": rec is not None,
            }
            if rec is not None:
                updates = rec.get("updates") or []
                new = [u for u in updates if _update_id(u) not in seen]
                seen.update(_update_id(u) for u in updates)
                row.update({k: rec.get(k) for k in HISTORY_FIELDS})
                row["updates_new"] = new
            rows.append(row)
    return rows


HISTORY_FIELDS = ("ref", "status", "status_raw", "owner", "due", "due_raw", "pages")


def _update_id(update: Mapping[str, Any]) -> tuple[str, str]:
    return str(update.get("label") or ""), str(update.get("date") or "")


def render_history_text(rows: Sequence[Mapping[str, Any]]) -> str:
    lines = []
    several = len({row["thread"] for row in rows}) > 1
    for k, row in enumerate(rows):
        if several and (k == 0 or rows[k - 1]["thread"] != row["thread"]):
            lines.append(f"recommendation {row['recommendation']} (as now numbered):")
        head = f"{row['meeting_date'] or '????-??-??'}  {row['source']}"
        if not row["present"]:
            lines.append(f"{head}\n    (not in this paper)")
            continue
        status = row.get("status_raw") or row.get("status") or "-"
        due = row.get("due_raw") or row.get("due") or "-"
        lines.append(
            f"{head}\n    ref {row['ref']}  status: {status}  due: {due}  "
            f"owner: {row.get('owner') or '-'}"
        )
        for u in row["updates_new"]:
            lines.append(f"    + {u.get('label') or u.get('date')}: {_short(u.get('text'), 100)}")
    return "\n".join(lines) + "\n"


def slippage_rows(series_name: str, found: Sequence[Slippage]) -> list[dict[str, Any]]:
    return [
        {
            "series": series_name,
            "ref": s.ref,
            "times_slipped": len(s.slips),
            "days_slipped": s.days if s.slips else 0,
            "first_due": s.first_due,
            "latest_due": s.latest_due,
            "slips": [_step(a, b, c) for a, b, c in s.slips],
            "regressions": [_step(a, b, c) for a, b, c in s.regressions],
        }
        for s in found
    ]


def _step(old_doc: str, new_doc: str, change: Change) -> dict[str, Any]:
    return {"from": old_doc, "to": new_doc, **change.as_dict()}


def render_slippage_text(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return "no slipped due dates or status regressions\n"
    lines = []
    for row in rows:
        head = f"{row['series']}  [{row['ref']}]"
        if row["slips"]:
            days = row["days_slipped"]
            lines.append(
                f"{head} slipped {row['times_slipped']}x"
                f"{f' ({days} days)' if days is not None else ''}: "
                f"{row['first_due']} -> {row['latest_due']}"
            )
        for r in row["regressions"]:
            lines.append(
                f"{head} status went back: {r['old_raw'] or r['old']} -> {r['new_raw'] or r['new']}"
            )
    return "\n".join(lines) + "\n"


def render_rows_json(rows: Any) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
