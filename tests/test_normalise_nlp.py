"""The spaCy step on hand-written texts, blank pipeline only (normalise.nlp)."""

from __future__ import annotations

from normalise.nlp import build_pipeline, entity_records, record_key, tag_texts
from normalise.record_types import Recommendation


def test_build_pipeline_registers_rule_components_once() -> None:
    nlp = build_pipeline()
    assert nlp is build_pipeline()
    names = nlp.pipe_names
    assert names[:5] == [
        "entity_ruler",
        "papertrail_status_context",
        "papertrail_owners",
        "papertrail_dates",
        "papertrail_money",
    ]


def test_tag_texts_owner_date_money_status() -> None:
    text = (
        "The Deputy Director of Human Resources will report by 31st March 2003; "
        "costs of £12.5m are complete."
    )
    tags = {(label, value) for label, _t, _s, _e, value in tag_texts([text], [])[text]}
    assert ("OWNER", "Deputy Director of Human Resources") in tags
    assert ("DATE", "2003-03-31") in tags
    assert ("MONEY", 12_500_000.0) in tags
    assert ("STATUS", "complete") in tags


def test_tag_texts_learns_owners_from_columns() -> None:
    text = "Work continues with the estates people and ICG/SW."
    unlearned = tag_texts([text], [])[text]
    assert not any(t[0] == "OWNER" and t[1] == "estates people" for t in unlearned)
    learned = tag_texts([text], ["Estates People"])[text]
    assert ("OWNER", "estates people") in {(t[0], t[1]) for t in learned}


def test_entity_records_offsets_point_into_the_field() -> None:
    rec = Recommendation(
        doc_id="d1",
        ref="4",
        text="Brief the Head of Corporate Planning.",
        response=None,
        owner="Talent Management",
        status_raw="In progress",
        due_raw="Q2 2009/10",
        updates=[
            {
                "date": "2008-04",
                "label": "April 2008 Update",
                "text": "Talent Management met on 14/10/2008.",
            }
        ],
    )
    ents = entity_records("d1", [rec], ["Talent Management"])
    assert all(
        e["type"] == "entity" and e["doc_id"] == "d1" and e["record_key"] == "4" for e in ents
    )
    fields = {(e["field"], e["label"], e["normalised"]) for e in ents}
    assert ("owner", "OWNER", "Talent Management") in fields
    assert ("status_raw", "STATUS", "ongoing") in fields
    assert ("due_raw", "DATE", "2009-Q2") in fields
    assert ("updates[0].text", "DATE", "2008-10-14") in fields
    for e in ents:
        source = (
            rec["text"]
            if e["field"] == "text"
            else (
                rec["updates"][0]["text"] if e["field"].startswith("updates") else rec[e["field"]]
            )
        )
        assert source[e["start"] : e["end"]] == e["text"]


def test_record_key_per_type() -> None:
    assert record_key({"type": "action", "recommendation_ref": "2", "ref": "5"}) == "2/5"
    assert (
        record_key(
            {"type": "saving", "item": "Catering", "group": None, "period": "2011/12", "unit": "£m"}
        )
        == "Catering | 2011/12 | £m"
    )
    assert (
        record_key({"type": "rag", "programme": "DRM", "criterion": "Overall"}) == "DRM | Overall"
    )


def test_tag_texts_status_word_used_as_a_verb_is_not_a_status() -> None:
    text = "That custody sergeants complete a documented check. Update: Complete"
    tags = tag_texts([text], [])[text]
    statuses = [(t[1], t[2]) for t in tags if t[0] == "STATUS"]
    assert statuses == [("Complete", text.rindex("Complete"))]


def test_tag_texts_year_in_the_name_of_an_act_is_not_a_date() -> None:
    text = "Review use of the Mental Health Act 1983 by March 2009"
    dates = [t[1] for t in tag_texts([text], [])[text] if t[0] == "DATE"]
    assert dates == ["March 2009"]
