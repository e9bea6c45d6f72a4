"""Renderers for ``store.diff`` results: text for a terminal and JSON for scripts (the
HTML report is ``ingest.diff_html``), and for series, history and slippage."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ingest.wordiff import marked, word_diff
from store.diff import Change, Diff, Slippage, Thread, is_slip
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
    """One change on one line: a changed text in full, its changed words marked."""
    field = change.field
    if field == "updates_added":
        return "new updates: " + "; ".join(
            f"{u.get('label') or u.get('date') or ''}: {u.get('text') or ''}".strip(": ")
            for u in change.new or []
        )
    if field in ("text", "response", "owner"):
        return f"{field}: {marked(word_diff(str(change.old or ''), str(change.new or '')))}"
    old = change.old_raw or change.old
    new = change.new_raw or change.new
    tag = " (slipped)" if is_slip(change) else ""
    return f"{field}: {old or '-'} -> {new or '-'}{tag}"


def _named(record: Mapping[str, Any]) -> str:
    """ "ref 7 — <text>", or the text alone for an item printed without a ref."""
    text = str(record.get("text") or "")
    return f"ref {record['ref']} — {text}" if record.get("ref") else text


def _listed(what: str, records: Sequence[Mapping[str, Any]]) -> list[str]:
    if len(records) == 1:
        return [f"  1 {what}: {_named(records[0])}"]
    return [f"  {len(records)} {what}:", *(f"    {_named(r)}" for r in records)]


def render_text(diffs: Sequence[Diff], docs: Mapping[str, DocInfo]) -> str:
    """Per pair of papers: a summary line, each change (changed words marked), then the
    items added and removed by ref and text."""
    from ingest.diff_html import summary

    lines: list[str] = []
    for d in diffs:
        lines.append(
            f"{_doc_label(docs.get(d.old_doc), d.old_doc)}  ->  "
            f"{_doc_label(docs.get(d.new_doc), d.new_doc)}"
        )
        if not (d.changes or d.added or d.removed):
            lines.append("  no changes")
            continue
        lines.append("  " + ", ".join(f"{n} {what.lower()}" for what, n in summary(d)))
        for c in d.changes:
            name = f"ref {c.ref}" if c.ref else f"“{c.item or ''}”"
            lines.append(f"  {name} — {_describe(c)}")
        if d.added_records:
            lines += _listed("added", d.added_records)
        if d.removed_records:
            lines += _listed("removed", d.removed_records)
    return "\n".join(lines) + "\n"


def render_json(diffs: Sequence[Diff], as_list: bool) -> str:
    data: Any = [d.as_dict() for d in diffs] if as_list else diffs[0].as_dict()
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


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
