"""The words of the sample committee papers, kept apart from the code that prints them.

Every body, person and figure here is invented. The papers imitate the kinds of tables
found in public committee papers (progress trackers, action plans, savings tables, RAG
assessments) so that each sample exercises one or more known extraction problems.

Cell text conventions used by ``make_samples.py``: a cell is a tuple of paragraphs; a
paragraph starting with "* " becomes a Word "List Bullet" paragraph (the glyph comes from
Word's numbering, not the text), while one starting with "\u2022 " keeps the glyph typed
into the text, as people do.
"""

from __future__ import annotations

Cell = tuple[str, ...]
Row = tuple[Cell, ...]

# ---------------------------------------------------------------- DOCX progress tracker
TRACKER_HEADER = (
    "Rec No",
    "Recommendation",
    "Management response",
    "Lead officer",
    "Timescale",
    "Status",
)

TRACKER_INTRO = (
    "This report updates members on the implementation of the recommendations of the "
    "internal audit of custody arrangements, reported to the Committee in March 2008.",
    "Of the six recommendations, two are complete, two are in progress, one has been "
    "superseded by the county-wide mental health protocol and one has not yet started.",
)

# (section title, rows); a row is (ref, recommendation, response, lead, timescale, status)
# and a lead of None means "covered by the merged lead cell above".
TRACKER_V1: tuple[tuple[str, tuple[tuple[object, ...], ...]], ...] = (
    (
        "Custody records and detention",
        (
            (
                "1",
                (
                    "That custody sergeants complete a documented risk assessment for every "
                    "detained person within one hour of arrival.",
                ),
                (
                    "Agreed. The risk assessment template has been revised and built into the "
                    "custody record system.",
                    "October 2008 Update: The revised template went live in all six custody "
                    "suites on 1 October.",
                    "February 2009 Update: A dip sample of 200 records found 96% of "
                    "assessments completed within the hour.",
                ),
                "Head of Custody Services",
                "31 October 2008",
                "Complete",
            ),
            (
                "2",
                (
                    "That the Authority receives a quarterly report on detention times, broken "
                    "down by custody suite.",
                ),
                (
                    "Agreed. Quarterly reporting will start from the third quarter.",
                    "February 2009 Update: The first report was presented in January 2009; "
                    "the second is due in April.",
                ),
                None,
                "Q3 2008/09",
                "Ongoing",
            ),
            (
                "3",
                (
                    "That the force improves the handover between custody shifts by:",
                    "* introducing a standard handover checklist",
                    "* recording each handover on the custody record",
                    "* auditing a sample of handovers every month",
                ),
                (
                    "Partly agreed. The checklist and recording will be introduced; the monthly "
                    "audit will be folded into the existing quarterly inspection. October 2008 "
                    "Update: Checklist piloted at Eastgate custody suite.",
                ),
                "Chief Inspector, Criminal Justice",
                "End of June 2009",
                "Ongoing",
            ),
        ),
    ),
    (
        "Healthcare and welfare",
        (
            (
                "4",
                (
                    "That the contract for custody healthcare professionals is re-tendered "
                    "before the current contract ends.",
                ),
                (
                    "Agreed. The new specification includes:",
                    "\u2022 nurse cover around the clock in the two largest suites",
                    "\u2022 a forensic physician on call within 60 minutes",
                    "April 2008 Update: Tender documents issued to five suppliers.",
                    "October 2008 Update: Contract awarded; the new provider starts on "
                    "1 December 2008.",
                ),
                "Director of Finance and Resources",
                "December 2008",
                "Actions complete \u2013 continuous improvement ongoing.",
            ),
            (
                "5",
                (
                    "That every detained person is offered a welfare pack with information in "
                    "the ten languages most often needed locally.",
                ),
                (
                    "Not agreed as drafted. Translated leaflets are already available; a "
                    "welfare pack will be considered in the 2009/10 budget round.",
                ),
                "Head of Custody Services",
                "2009/10",
                "Not started",
            ),
            (
                "6",
                (
                    "That the use of police cells as a place of safety under section 136 of "
                    "the Mental Health Act 1983 is reviewed jointly with the local NHS trust.",
                ),
                (
                    "Agreed.",
                    "February 2009 Update: Superseded by the county-wide mental health "
                    "protocol agreed by the Criminal Justice Board in January 2009.",
                ),
                "Superintendent, Partnerships",
                "Summer 2009",
                "Superseded",
            ),
        ),
    ),
)

# The September 2009 version: statuses moved on, recommendation 3 slipped six months,
# recommendation 7 added after the follow-up audit.
TRACKER_V2_CHANGES: dict[str, dict[str, object]] = {
    "2": {
        "append": "August 2009 Update: Quarterly reports are now a standing item on the "
        "Committee's agenda.",
        "status": "Complete",
    },
    "3": {
        "append": "August 2009 Update: Roll-out delayed by the custody system upgrade; "
        "the checklist is now live in four of the six suites.",
        "timescale": "31 December 2009",
    },
    "5": {
        "append": "August 2009 Update: Funding agreed in the 2009/10 budget; packs are "
        "being designed with the interpreting service.",
        "status": "In progress",
    },
}
TRACKER_V2_NEW_ROW: tuple[object, ...] = (
    "7",
    (
        "That custody staff receive annual refresher training in first aid and in the care "
        "of intoxicated detainees.",
    ),
    ("Agreed. Added following the follow-up audit in June 2009.",),
    "Head of Learning and Development",
    "March 2010",
    "Not started",
)

# ---------------------------------------------------------------- PDF action plan + RAG
ACTION_HEADER = ("Rec", "Ref", "Key action", "Lead", "Target date", "Progress")

ACTION_INTRO = (
    "In June 2010 the Care Quality Commission reviewed how the Trust plans the discharge of "
    "patients from its two acute sites. The review made four recommendations. The Board "
    "approved an action plan in July 2010; this report sets out progress against it.",
    "Most actions are on track. Two have slipped: the electronic discharge summary depends "
    "on the new patient administration system, and recruitment of discharge coordinators "
    "has been slower than planned.",
    "The Patient Safety Group monitors the plan each month and the Quality Committee each "
    "quarter. The Care Quality Commission will revisit both sites in spring 2011 and has "
    "asked to see evidence that the changes have been sustained, not only introduced; the "
    "audits under action 1.3 are designed to provide that evidence.",
)

# (rec, ref, action, lead, target date, progress)
ACTION_ROWS: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "1",
        "1.1",
        "Agree a single discharge policy covering both acute sites, replacing the "
        "two site policies inherited from the merger.",
        "Director of Nursing",
        "30/09/2010",
        "Complete. Policy approved by the Clinical Governance Committee on 14 September 2010.",
    ),
    (
        "1",
        "1.2",
        "Brief all ward managers on the new policy and publish it on the intranet.",
        "Deputy Director of Nursing",
        "31/10/2010",
        "Complete.",
    ),
    (
        "1",
        "1.3",
        "Audit compliance with the policy on ten wards each quarter and report the "
        "results to the Patient Safety Group.",
        "Head of Clinical Audit",
        "Q4 2010/11",
        "On track. First audit of ten wards under way; results due in January.",
    ),
    (
        "2",
        "2.1",
        "Set an expected date of discharge for every inpatient within 24 hours of "
        "admission and record it on the ward whiteboard and in the patient record.",
        "Associate Medical Director",
        "Dec-10",
        "In progress. Expected dates are recorded for 71% of admissions against a target of "
        "90%. Medical wards are furthest behind; the Associate Medical Director is meeting "
        "each clinical director to agree a recovery plan.",
    ),
    (
        "2",
        "2.2",
        "Introduce daily board rounds on all medical and surgical wards, led by a "
        "senior clinician, to review each patient's progress towards discharge.",
        "Clinical Directors",
        "January 2011",
        "In progress. Board rounds run daily on 18 of 26 wards. The remaining eight wards are "
        "surgical; rounds there will start once the new consultant rota is in place. An "
        "evaluation on three pilot wards found the average length of stay fell by 0.6 days "
        "and the proportion of patients discharged before noon rose from 12% to 21%. Ward "
        "sisters report that the rounds have improved communication with therapists and "
        "social workers, and the pilot wards will act as buddies for the surgical wards.",
    ),
    (
        "2",
        "2.3",
        "Recruit six discharge coordinators, one for each directorate, to support "
        "patients with complex needs.",
        "Head of Workforce",
        "31/12/2010",
        "Delayed. Four posts filled; two re-advertised in November. Revised date 28/02/2011.",
    ),
    (
        "3",
        "3.1",
        "Replace handwritten discharge letters with an electronic discharge summary "
        "sent to the GP on the day of discharge.",
        "Director of Informatics",
        "March 2011",
        "Delayed. Depends on the new patient administration system, now due in May 2011.",
    ),
    (
        "3",
        "3.2",
        "Agree with the two local GP consortia the minimum content of a discharge summary.",
        "Director of Informatics",
        "30/11/2010",
        "Complete.",
    ),
    (
        "4",
        "4.1",
        "Agree a joint protocol with Harbourside City Council adult social care for "
        "assessing patients who need care at home or in a care home.",
        "Director of Operations",
        "Q3 2010/11",
        "On track. Draft protocol shared with the council in October 2010.",
    ),
    (
        "4",
        "4.2",
        "Report delayed transfers of care to the Board each month, by cause and by "
        "responsible organisation.",
        "Director of Operations",
        "From November 2010",
        "Complete. First report in this pack (Item 9).",
    ),
    (
        "4",
        "4.3",
        "Review the capacity of the discharge lounge and extend its opening hours "
        "to 8pm on weekdays.",
        "General Manager, Facilities",
        "Jan-11",
        "Not started. Awaiting the outcome of the estates review.",
    ),
)

RAG_PROGRAMME = "Programme RAG assessment: Discharge Improvement Programme"
RAG_HEADER = ("Criteria", "RAG", "Rationale")
RAG_ROWS: tuple[tuple[str, str, str], ...] = (
    (
        "Milestones",
        "Amber",
        "Two milestones have slipped (actions 2.3 and 3.1); both have "
        "revised dates agreed by the Executive Team.",
    ),
    ("Budget", "Green", "Spend to date is £142,000 against a budget of £180,000."),
    (
        "Risks and issues",
        "Red",
        "Delivery of the electronic discharge summary depends on the "
        "patient administration system, which has slipped twice.",
    ),
    ("Benefits", "Green", "Length of stay on pilot wards has fallen by 0.6 days."),
)

# ---------------------------------------------------------------- HTML savings page
SAVINGS_GROUPS = (("Budget", 2), ("Police Officers", 2), ("Police Staff", 2))
SAVINGS_PERIODS = ("2011/12", "2012/13")
SAVINGS_UNITS = ("£m", "£m", "No", "No", "No", "No")
# (initiative, six values as printed, "" for an empty cell)
SAVINGS_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Custody centralisation", ("-2.4", "-3.1", "-40", "-52", "-12", "-15")),
    ("Shared back office with Eastshire Police", ("-1.8", "-4.6", "", "", "-65", "-110")),
    ("Vehicle fleet reduction", ("-0.9", "-1.2", "", "", "-4", "-6")),
    ("Neighbourhood policing restructure", ("-3.5", "-5.0", "-61", "-88", "", "")),
    ("Income generation", ("0.6", "1.1", "", "", "", "")),
    ("Total", ("-8.0", "-12.8", "-101", "-140", "-81", "-131")),
    ("Remaining budget gap", ("-4.2", "0.0", "", "", "", "")),
)

# ---------------------------------------------------------------- plain-text tracker
TEXT_HEADER = ("No.", "Recommendation", "Lead officer", "Response", "Timescale", "Progress")

# A plain-text extraction as a converter leaves it: tab-separated rows, stray markup, and a
# page break in the middle of row 4 (blank line, header printed again, continuation line
# whose first cell is empty).
_HEAD = "\t".join(f"<b>{h}</b>" for h in TEXT_HEADER)
TEXT_LINES: tuple[str, ...] = (
    "",
    "Overview and Scrutiny Commission",
    "",
    "8 September 2009",
    "",
    "Scrutiny review of street lighting: implementation of recommendations",
    "",
    "Report by the Director of Environment",
    "",
    "Summary",
    "",
    "In September 2008 the Commission reviewed the street lighting PFI contract and made five "
    "recommendations. This report sets out the Council's progress on each of them.",
    "",
    "A. RECOMMENDATIONS - That",
    "",
    "1. Members note the progress made and agree to receive a final report in September 2010.",
    "",
    "B. SUPPORTING INFORMATION",
    "",
    "1. Progress on each recommendation is set out in Appendix A. Two recommendations are "
    "complete and two are in progress; the fifth falls due next year.",
    "",
    "Contact details: Report author: Priya Okonjo, Highways and Transport Division",
    "",
    "",
    "",
    "Appendix A",
    "",
    "<b>Progress on the street lighting review recommendations</b>",
    "",
    _HEAD,
    "1\tThat the Council replaces the remaining <u>sodium</u> lanterns on main roads with "
    "white-light LED units.\tHead of Highways\tAgreed. Update 14/07/2009: Contract variation "
    "agreed with the PFI provider; 1,840 of 2,600 lanterns replaced.\t31<sup>st</sup> March "
    "2010\tOn track",
    "2\tThat residents are told at least two weeks in advance of any lamp column replacement "
    "in their street.\tHead of Communications\tAgreed. Letters are now sent three weeks before "
    "work starts.\tJune 2009\tComplete",
    "3\tThat the part-night lighting trial in three wards is evaluated before any wider "
    "roll-out, including its effect on crime and road casualties.\tCommunity Safety Manager\t"
    "<p>Agreed. The evaluation is being carried out with the police.</p> Update 14/07/2009: "
    "Interim findings show no change in recorded crime in the trial wards.\t2009/10\t"
    "In progress",
    "4\tThat the Council publishes a monthly report of the PFI provider's performance "
    "against the contract standards, including the time taken to repair\tHead of Highways\t"
    "Agreed in principle. A quarterly report will be published from October 2009, as "
    "monthly data\tQ3 2009/10\tNot started",
    "",
    _HEAD,
    "\tfaults reported by residents and the number of lamps out of action.\t\tis not yet "
    "reliable.\t\t",
    "5\tThat the Commission receives a further progress report in twelve months.\tScrutiny "
    "Officer\tAgreed.\tSeptember 2010\tNot yet started",
    "",
)
