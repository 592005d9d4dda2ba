"""Decision bodies' meetings: schedules, deadlines, agendas, attendance, outcomes and reports.

Pure: every function is handed its dates and data; no clock, no I/O. The rules:

- DOR-7  the Group meets on the second Tuesday of each month except August and December; the
         chair may add a one-off meeting or cancel one.
- DOR-8  agenda items and drafts are due 10 working days before; papers go out 3 working days before.
- BCT-4  consultation responses are due three days before the meeting.
- BCT-6  the second draft goes out with the agenda one or two days before the meeting.
- BCT-8  the Directors/ADs group sees a document two weeks before the meeting.
- DOR-9  the standard agenda: progress report with outstanding actions, new proposals and drafts,
         reviews, (DOR-5 information items), horizon scanning.
- DOR-4  approval by consensus, else by vote or referral to the extended CSLT.
- BCT-7  the decision is final subject to agreed amendments, or it refers the document to a higher
         body, onto whose forward plan it goes.
- DOR-11 delegates when absent; two Heads of Service and two QA managers attend; a member absent
         from two successive meetings without a delegate is escalated.
- DOR-13 reports after each meeting, monthly and at the end of each financial year (31 March).

Deadlines are always working days (bank holidays from the nation's calendar move them earlier).
The standard agenda (DOR-9: sections, item kinds, numbering, reordering) is in governance/agendas.py.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from governance.agendas import (
    DECISION_KINDS,
    ITEM_KINDS,
    SECTION_IDS,
    SECTION_TITLES,
    SECTIONS,
    ActionIn,
    AgendaLine,
    AgendaSection,
    ItemIn,
    build_agenda,
    item_number,
    kind_for_case,
    numbered,
    order_items,
    outstanding_actions,
    reorder,
    section_for,
)
from governance.calendar import (
    LONDON,
    DeadlineRule,
    MeetingCalendar,
    WorkingCalendar,
    add_months,
    financial_year_end,
)
from governance.errors import MissingInformation, NotAllowed
from governance.preset import Body

__all__ = [  # the names this module has always offered, wherever they are defined now
    "APPROVALS", "ATTENDANCE", "ActionIn", "AgendaLine", "AgendaSection", "DECISION_KINDS", "DEFAULT_START",
    "Deadlines", "HORIZON_DAYS", "ITEM_KINDS", "ItemIn", "LIFECYCLE_DECISION", "OUTCOMES", "OUTCOME_WORDS",
    "OutcomeEffect", "QuorumCheck", "SECTIONS", "SECTION_IDS", "SECTION_TITLES", "absence_flags",
    "annual_report_due", "build_agenda", "calendar_for", "deadlines_for", "financial_year",
    "first_feasible_meeting", "first_feasible_of", "item_number", "kind_for_case", "monthly_period", "numbered",
    "order_items", "outcome_effect", "outstanding_actions", "papers_due_now", "parse_outcome", "quorum_check",
    "reorder", "schedule", "section_for", "starts_at", "successive_absences",
]


# Presets give the day of a meeting, not its hour: meetings start at 10:00 London time unless
# the chair says otherwise when adding a one-off meeting.
DEFAULT_START = time(10, 0)
HORIZON_DAYS = 800  # how far ahead a feasible meeting is looked for (as MeetingCalendar does)


def starts_at(on: date, at: time = DEFAULT_START) -> datetime:
    return datetime.combine(on, at, tzinfo=LONDON)


# ------------------------------------------------------------------ schedule (DOR-7)


def calendar_for(body: Body, added: Iterable[date] = (), cancelled: Iterable[date] = ()) -> MeetingCalendar | None:
    """The body's meeting calendar with the chair's one-off meetings added and cancellations removed.

    A body without a regular calendar (the extended CSLT, a Trust Board) meets only when a one-off
    meeting is added."""
    added, cancelled = frozenset(added), frozenset(cancelled)
    if body.meeting is not None:
        return dataclasses.replace(body.meeting, added=body.meeting.added | added,
                                   cancelled=(body.meeting.cancelled | cancelled) - added)
    if added - cancelled:
        # A rule that never fires: only the added dates remain.
        return MeetingCalendar("FREQ=YEARLY;COUNT=1;BYMONTH=1;BYMONTHDAY=1", date(1900, 1, 1), added - cancelled, cancelled)
    return None


def schedule(body: Body, start: date, end: date, added: Iterable[date] = (), cancelled: Iterable[date] = ()) -> list[date]:
    """The body's meeting days from start to end inclusive (DOR-7)."""
    cal = calendar_for(body, added, cancelled)
    return cal.occurrences(start, end) if cal is not None else []


# ------------------------------------------------------------------ deadlines (DOR-8, BCT-4, BCT-6, BCT-8)


@dataclass(frozen=True)
class Deadlines:
    body: str
    meeting: date
    items_due: date | None = None      # DOR-8 items and drafts / BCT-8 shared with the group
    responses_due: date | None = None  # BCT-4 consultation responses
    papers_due: date | None = None     # DOR-8 / BCT-6 papers go to members

    @property
    def gate(self) -> date:
        """The last day an item can still be placed on this meeting's agenda."""
        return self.items_due or self.responses_due or self.papers_due or self.meeting - timedelta(days=1)

    def described(self) -> list[tuple[str, date]]:
        out = []
        if self.items_due:
            out.append(("Item and draft due", self.items_due))
        if self.responses_due:
            out.append(("Consultation responses due", self.responses_due))
        if self.papers_due:
            out.append(("Papers go to members", self.papers_due))
        out.append(("Meeting", self.meeting))
        return out


def deadlines_for(body: Body, meeting: date, calendar: WorkingCalendar) -> Deadlines:
    def at(rule: DeadlineRule | None) -> date | None:
        return rule.apply(meeting, calendar) if rule else None

    papers = at(body.papers_deadline)
    return Deadlines(body.id, meeting, at(body.item_deadline), close_before_papers(at(body.response_deadline), papers, calendar), papers)


def close_before_papers(closes: date | None, papers: date | None, calendar: WorkingCalendar) -> date | None:
    """BCT-4 and BCT-6 on one timeline: consultation responses are due before the papers go out (the
    second draft carries the comments), so when a bank holiday pulls both onto the same working day,
    the consultation closes the working day before."""
    if closes is None or papers is None or closes < papers:
        return closes
    return calendar.add_working_days(papers, -1)


def first_feasible_meeting(
    body: Body,
    today: date,
    calendar: WorkingCalendar,
    *,
    added: Iterable[date] = (),
    cancelled: Iterable[date] = (),
    after: date | None = None,
) -> Deadlines | None:
    """The first meeting whose deadlines an item raised today can still meet (on the deadline day
    itself is still in time). `after` skips meetings up to and including that day (deferral:
    'the next meeting')."""
    return first_feasible_of(body, schedule(body, today, today + timedelta(days=HORIZON_DAYS), added, cancelled),
                             today, calendar, after=after)


def first_feasible_of(body: Body, meetings: Iterable[date], today: date, calendar: WorkingCalendar,
                      *, after: date | None = None) -> Deadlines | None:
    """As first_feasible_meeting, choosing among the given meeting days (those actually scheduled)."""
    for meeting in sorted(meetings):
        if meeting < today or (after is not None and meeting <= after):
            continue
        d = deadlines_for(body, meeting, calendar)
        if d.gate >= today:
            return d
    return None


def papers_due_now(body: Body, meeting: date, today: date, calendar: WorkingCalendar) -> bool:
    """True from the papers deadline (DOR-8: 3 working days before; BCT-6: two days before) until the meeting."""
    d = deadlines_for(body, meeting, calendar)
    due = d.papers_due or d.gate
    return due <= today <= meeting


# ------------------------------------------------------------------ outcomes (DOR-4, BCT-7, DOR-5)

OUTCOMES: dict[str, str] = {
    "approved": "Approved",
    "approved_with_amendments": "Approved with amendments",
    "approved_by_vote": "Approved by vote (no consensus)",
    "referred": "Referred to the higher body",
    "deferred": "Deferred to the next meeting",
    "not_approved": "Not approved: returned to the author",
    "noted": "Noted",
}
# The lifecycle decision each outcome takes on the body's sign-off stage.
LIFECYCLE_DECISION = {
    "approved": "approve",
    "approved_with_amendments": "approve_with_conditions",
    "approved_by_vote": "approve_by_vote",
    "referred": "refer",
    "not_approved": "not_approved",
}
APPROVALS = ("approved", "approved_with_amendments", "approved_by_vote")
OUTCOME_WORDS = {
    "approved": "approved", "approve": "approved", "agreed": "approved",
    "approved with amendments": "approved_with_amendments", "approve with amendments": "approved_with_amendments",
    "approved with conditions": "approved_with_amendments", "approved subject to amendments": "approved_with_amendments",
    "approve with changes": "approved_with_amendments", "approved with changes": "approved_with_amendments",  # BCT-7
    "approved by vote": "approved_by_vote", "vote": "approved_by_vote", "approved on a vote": "approved_by_vote",
    "referred": "referred", "refer": "referred", "referred to the higher body": "referred",
    "referred to the extended cslt": "referred", "referred to xcslt": "referred", "no consensus": "referred",
    "deferred": "deferred", "defer": "deferred", "deferred to the next meeting": "deferred",
    "not approved": "not_approved", "rejected": "not_approved",
    "noted": "noted", "note": "noted",
}


def parse_outcome(words: str) -> str:
    said = " ".join((words or "").lower().replace("_", " ").split()).strip(" .!")
    if said in OUTCOMES:
        return said
    if said.replace(" ", "_") in OUTCOMES:
        return said.replace(" ", "_")
    if said in OUTCOME_WORDS:
        return OUTCOME_WORDS[said]
    for key, label in OUTCOMES.items():
        if said == label.lower():
            return key
    if said.startswith(("refer to ", "referred to ", "refer it to ")):  # BCT-7: "refer to the Executive Team"
        return "referred"
    raise MissingInformation("Which outcome? Say one of: " + "; ".join(v.lower() for v in OUTCOMES.values()) + ".")


@dataclass(frozen=True)
class OutcomeEffect:
    outcome: str
    label: str
    lifecycle_decision: str | None  # the case action to take on the body's stage, if any
    carry_to_next_meeting: bool     # deferred: the item goes onto the next meeting's agenda
    to_higher_body: str | None      # referred: the body whose forward plan it goes onto (BCT-7)
    note_required: bool


def outcome_effect(outcome: str, item_kind: str, body: Body, decisions: Sequence[str] = (),
                   *, votes: tuple[int, int] | None = None, note: str | None = None) -> OutcomeEffect:
    """What an outcome recorded for an item does, or a clear refusal.

    `decisions` are the lifecycle decisions the body's sign-off stage allows (from the preset);
    empty when the item has no case (a chair's own item), in which case the outcome is only recorded."""
    if outcome not in OUTCOMES:
        raise MissingInformation("Which outcome? Say one of: " + "; ".join(v.lower() for v in OUTCOMES.values()) + ".")
    label = OUTCOMES[outcome]
    if item_kind == "information" and outcome not in ("noted", "deferred"):
        raise NotAllowed("An information item (DOR-5) has already been approved by a Director: the meeting notes it.")
    if item_kind != "information" and outcome == "noted" and item_kind in DECISION_KINDS:
        raise NotAllowed("This item is for decision: record approved, approved with amendments, a vote, "
                         "referred, not approved or deferred.")
    higher = None
    if outcome == "referred":
        if not body.higher_body:
            raise NotAllowed(f"The {body.name} has no higher body to refer to: its decision is final.")
        higher = body.higher_body
    if outcome == "approved_by_vote":
        if votes is None:
            raise MissingInformation("Please give the votes for and against, e.g. 'approved by vote 6-2'.")
        for_, against = votes
        if for_ <= against:
            raise NotAllowed(f"The vote did not carry ({for_} for, {against} against), so it is not approved. "
                             "Record it as referred to the higher body instead (DOR-4).")
    needs_note = outcome in ("approved_with_amendments", "referred", "not_approved")
    if needs_note and not (note or "").strip():
        what = {"approved_with_amendments": "the amendments agreed", "referred": "why it goes to the higher body",
                "not_approved": "what must change"}[outcome]
        raise MissingInformation(f"Please add {what}: it is required for '{label.lower()}'.")
    decision = LIFECYCLE_DECISION.get(outcome) if item_kind in DECISION_KINDS else None
    if decision and decisions and decision not in decisions:
        allowed = [o for o, d in LIFECYCLE_DECISION.items() if d in decisions]
        raise NotAllowed(f"The {body.name} cannot record '{label.lower()}' for this document. It can record: "
                         + ", ".join(OUTCOMES[o].lower() for o in allowed + ["deferred"]) + ".")
    if item_kind == "proposal" and decision is not None:
        decision = {"approve": "agree_need", "not_approved": "decline_need"}.get(decision)
    return OutcomeEffect(outcome, label, decision, outcome == "deferred", higher, needs_note)


# ------------------------------------------------------------------ attendance (DOR-11)

ATTENDANCE = ("present", "absent", "delegate")


@dataclass(frozen=True)
class QuorumCheck:
    counts: tuple[tuple[str, int, int], ...]  # (role, attended, needed)

    @property
    def short(self) -> bool:
        return any(got < need for _r, got, need in self.counts)

    def shortfalls(self) -> list[tuple[str, int, int]]:
        return [c for c in self.counts if c[1] < c[2]]


def quorum_check(body: Body, attended_roles: Iterable[frozenset[str]]) -> QuorumCheck:
    """DOR-11: at least two Heads of Service and two QA managers attend. A delegate attends in a
    member's place, so counts for the member's roles."""
    attended = list(attended_roles)
    return QuorumCheck(tuple((role, sum(1 for r in attended if role in r), need) for role, need in body.quorum))


def successive_absences(history: Sequence[Mapping[str, str]], person_id: str) -> int:
    """Meetings in a row, most recent last in `history`, that the person missed without a delegate.
    A meeting where nothing was recorded for them does not break or extend the run."""
    run = 0
    for record in reversed(history):
        status = record.get(person_id)
        if status is None:
            continue
        if status == "absent":
            run += 1
        else:
            break
    return run


def absence_flags(body: Body, history: Sequence[Mapping[str, str]], members: Iterable[str]) -> list[tuple[str, int]]:
    """(member, successive absences) for everyone who has now missed the body's threshold of
    successive meetings without a delegate (DOR-11: two). Flagged once, when the run reaches the
    threshold, and again for every further absence."""
    if not body.absence_escalation:
        return []
    threshold = body.absence_escalation[0]
    out = []
    for person in members:
        run = successive_absences(history, person)
        if run >= threshold and (history and history[-1].get(person) == "absent"):
            out.append((person, run))
    return out


# ------------------------------------------------------------------ reports (DOR-13)


def financial_year(d: date) -> tuple[date, date]:
    """1 April to 31 March containing d."""
    end = financial_year_end(d)
    return date(end.year - 1, 4, 1), end


def annual_report_due(today: date, last_sent_for: date | None, catch_up_days: int = 31) -> tuple[date, date] | None:
    """DOR-13: the annual report at the end of each financial year: due on 31 March for the year
    ending that day (or within `catch_up_days` after, if the bot was not running), unless sent."""
    end = financial_year_end(today)
    if today < end:
        end = date(end.year - 1, 3, 31)
    if last_sent_for == end or (today - end).days > catch_up_days:
        return None
    return date(end.year - 1, 4, 1), end


def monthly_period(today: date) -> tuple[date, date]:
    """DOR-13 monthly communication: the previous calendar month, sent on or after the 1st."""
    first = today.replace(day=1)
    start = add_months(first, -1)
    return start, first - timedelta(days=1)
