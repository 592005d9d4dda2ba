"""Every Adaptive Card the bot can send, by example, so tests can validate them all.

Add an example here whenever a new message kind with a card is written.
"""

from __future__ import annotations

from typing import Any
from services.ports import Change, ChangeKind, ChangeSummary
from services.cases.draft_changes import DraftView
from services.cases.draft_delivery import Comparison
import dataclasses
from pathlib import Path
from datetime import date, datetime, timedelta

from governance.lifecycle import ActionSpec
from governance.meetings import Deadlines
from render import cases, meetings, messages, reports, requests
from render import answers as answer_render
from render import notices
from services.manual.answers import AnswerOutcome, Cited
from services.cases.lifecycle import CaseView
from services.clock import LONDON
from services.meetings.views import (
    ActionView,
    AgendaView,
    AttendanceLine,
    ItemView,
    MinutesView,
    Placement,
    PlanLine,
    PlanView,
    ReportView,
    SectionView,
)
from services.register.reports import (
    CompliancePoint,
    DecisionLine,
    RegisterReport,
    ReviewLine,
    Tally,
)
from services.views import (
    AssetView,
    DocumentDetail,
    DocumentView,
    HistoryLine,
    PersonView,
)

_TODAY = date(2026, 11, 23)
_RO = PersonView(id="p-ro", name="Alex Example", email="alex@example.org", roles=())
_RSM = PersonView(id="p-rsm", name="Sam Sample", email="sam@example.org", roles=())


def _doc(ref: str, title: str, due: date | None, *, standing_in: bool = False) -> DocumentView:
    return DocumentView(
        id=1, ref=ref, title=title, doc_type="Procedure", category="Area of practice", service_area="Safeguarding",
        status="published", version="3.1", approved_on=date(2025, 5, 1), last_reviewed_on=date(2025, 5, 1),
        next_review_due=due, manual_url="https://manual.example.org/p_missing.html",
        ro=_RSM if standing_in else _RO, rsm=_RSM, summary="What to do when a child goes missing.",
        ro_is_rsm_standing_in=standing_in,
    )


def example_cards() -> dict[str, dict[str, Any]]:
    overdue = _doc("NCT-001", "Children Missing from Home and Care", date(2026, 9, 1))
    soon = _doc("NCT-002", "Child Protection Conferences", date(2026, 12, 10), standing_in=True)
    history = (HistoryLine(at=datetime(2026, 5, 1, 10, 0, tzinfo=LONDON), who="Sam Sample", action="approved",
                           summary="Approved version 3.1", reason=None),)
    replies = {
        "help": messages.help_reply("Alex Example", "Demo Children's Trust"),
        "welcome": messages.welcome_reply("Demo Children's Trust"),
        "document_detail": messages.detail_reply(DocumentDetail(overdue, history), _TODAY),
        "document_history": messages.history_reply(DocumentDetail(overdue, history)),
        "document_history_empty": messages.history_reply(DocumentDetail(soon, ())),
        "my_documents": messages.my_documents_reply("Alex Example", [overdue, soon], _TODAY),
        "my_documents_none": messages.my_documents_reply("Alex Example", [], _TODAY),
        "error": messages.error_reply("I can't find a document with the reference 'XYZ'."),
        "unknown_person": messages.unknown_person_reply(),
        "not_understood": messages.not_understood_reply("blah"),
    }
    view = CaseView(
        id=7, version=3, document=overdue, kind="scheduled_review", stage="rsm_sign_off", stage_label="RSM approval",
        step="awaiting", status="open", waiting_for=("Sam Sample",),
        actions=(ActionSpec("approve", "Approve"), ActionSpec("approve_with_conditions", "Approve with conditions", True, "The conditions"),
                 ActionSpec("defer", "Defer to the higher body", True, "Why it goes to the higher body")),
        history=("20 Nov 2026 Alex Example: Draft 1 submitted (amended.docx)",), open_conditions=(),
    )
    publishing = CaseView(
        id=8, version=5, document=soon, kind="scheduled_update", stage="submit", stage_label="PPO submits to the publisher",
        step="awaiting", status="open", waiting_for=("Policy and Procedures Officer",), actions=(ActionSpec("publish", "Record publication"),),
        history=(), open_conditions=("Add the timescale",), checklist=("Copy the current procedure into Word.",),
    )
    replies["case_decision"] = cases.case_reply(view, "Draft submitted.")
    replies["case_decision_with_draft"] = cases.case_reply(_with_draft(view), "Approved with conditions: add the timescale..")
    replies["draft_comparison"] = cases.comparison_reply(_comparison())
    replies["case_publish"] = cases.case_reply(publishing)
    replies["my_tasks"] = cases.tasks_reply("Sam Sample", [view, publishing])
    replies["my_tasks_none"] = cases.tasks_reply("Sam Sample", [])
    replies.update(_answer_examples())
    replies["review_triggers"] = cases.triggers_reply("PP-002", ("A case audit recommendation", "A confirmed gap"))
    drafting = CaseView(
        id=9, version=2, document=overdue, kind="new_document", stage="draft", stage_label="Author co-produces the first draft",
        step="awaiting", status="open", waiting_for=("Alex Example",),
        actions=(ActionSpec("submit_draft", "Submit the draft"), ActionSpec("record_eia", "Record the EIA decision"),
                 ActionSpec("record_legal", "Record the legal review decision"),
                 ActionSpec("record_workshop", "Record a co-production workshop", True, "Who took part and what it changed")),
        history=(), open_conditions=(),
    )
    replies["case_drafting_records"] = cases.case_reply(drafting)
    replies.update(_request_examples())
    replies.update(_meeting_examples())
    replies["notice"] = messages.notice_reply("Papers: Practice, Policy and Procedures Group", "Agenda\n1. Progress report")
    replies.update(_report_examples(overdue))
    return {name: r.card for name, r in replies.items() if r.card is not None}


def _answer_examples() -> dict[str, Any]:
    """Answers from the manual (issue 16): the passage and its citation, a weak match, more, feedback, the digest."""
    local = Cited("document", "Children Missing from Home and Care", "Safeguarding", None, date(2026, 5, 1), "Alex Example",
                  "ro-1", "NCT-001", "Procedure", 0.0)
    first = Cited("chapter", "Children Missing from Home and Care", "Child Protection",
                  "https://manual.example.org/chapters/missing.html#procedure", date(2026, 3, 6), "Alex Example", "ro-1",
                  "NCT-001", "Procedure", 1.0, "Procedure", local)
    other = Cited("chapter", "Strategy Discussions", "Child Protection", "https://manual.example.org/chapters/strategy.html",
                  None, None, None, None, None, 0.7)
    own = Cited("document", "Lone Working", "Workforce", None, date(2025, 11, 1), None, None, "NCT-044", "Policy", 0.6)
    quote = ("Every **child** who returns is offered a **return home interview** by an independent person within 72 hours. "
             "The interview explores why the **child** went **missing**.")
    cited = (first, other, own) + tuple(dataclasses.replace(other, title=f"Chapter {n}") for n in range(5))
    answered = AnswerOutcome("return home interview", "answered", quote, cited, (("intervew", "interview"),), "RHI", 41)
    return {
        "answer": answer_render.answer_reply(answered),
        "answer_weak": answer_render.answer_reply(AnswerOutcome("missing giraffes", "weak", None, (first, other), (), "missing", 42)),
        "answer_nothing": answer_render.answer_reply(AnswerOutcome("unicorns", "nothing", None, ())),
        "answer_more": answer_render.answer_reply(answered, start=3),
        "answer_looking_for": answer_render.not_helpful_asks(41),
        "answer_thanks": answer_render.feedback_thanks("not_helpful", "the police number"),
        "demand_digest": notices.notice_reply("What staff looked for and did not find this week", "3 questions...",
                                              lines=["missing: asked 3 times by 2 (3 found nothing)."],
                                              requests=("request a new document on missing",)),
    }


def _request_examples() -> dict[str, Any]:
    types = [("Policy", "The 'why'."), ("Strategy", "Long-term aims."), ("Procedure", "The 'how'."), ("Protocol", "An agreement."),
             ("Practice Guidance", "Advice."), ("Pathway", "A route."), ("Practice Standards", "Bottom lines.")]
    return {
        "request_type": requests.question("What type of document is it?", options=types, notes=["It sounds like a Procedure."]),
        "request_check": requests.question("Would you rather update one of these?", options=[("PP-001", "Children Missing"), ("New", "")]),
        "request_free_text": requests.question("Why is it needed?", free_text="Why it is needed", skippable=True),
        "request_expired": requests.with_note(requests.said("OK."), "Your request was set aside."),
    }


def _meeting_examples() -> dict[str, Any]:
    meeting = date(2027, 2, 9)
    review = ItemView(11, 2, "PP-002 Section 47 Enquiries", "PP-002", "review", "reviews", "ro-1", "Alex Example", False)
    info = ItemView(12, 3, "PP-046 Information Sharing", "PP-046", "information", "information", "ro-6", "Sam Sample", True,
                    "noted", "Noted")
    sections = (SectionView("progress", "Progress report and outstanding actions", ()), SectionView("new", "New proposals and drafts", ()),
                SectionView("reviews", "Reviews", (review,)), SectionView("information", "Information items", (info,)),
                SectionView("horizon", "Horizon scanning", ()))
    view = AgendaView("ppp_group", "Practice, Policy and Procedures Group", 1, meeting, datetime(2027, 2, 9, 10, tzinfo=LONDON),
                      "scheduled", False, Deadlines("ppp_group", meeting, date(2027, 1, 26), None, date(2027, 2, 4)), sections,
                      (ActionView(1, "Update the leaflet", "Rowan Feld", date(2027, 3, 1), False, True),), False,
                      ("PP-002 Section 47 Enquiries: draft version 1 (PP-002.docx)",))
    minutes = MinutesView(view, (AttendanceLine("Sam Sample", "present"), AttendanceLine("Alex Example", "delegate", "A deputy")),
                          ("fewer than 2 Quality Assurance Managers attended (1)",), (), "Thanks to all.")
    report = ReportView("after_meeting", "Practice, Policy and Procedures Group", meeting, meeting, ("PP-002 Section 47 Enquiries",), ())
    return {
        "meeting_agenda": meetings.agenda_reply(view, "Item 3 moved."),
        "meeting_outcome_card": meetings.outcome_card(view, review, ("approved", "approved_with_amendments", "approved_by_vote",
                                                                     "referred", "deferred")),
        "meeting_outcome_recorded": meetings.outcome_reply(view, review, "Item 2: approved."),
        "meeting_missing_papers": meetings.missing_papers_reply(view),
        "meeting_minutes": meetings.minutes_reply(minutes, "Minutes issued."),
        "meeting_report": messages.notice_reply("Report", meetings.report_text(report)),
        "meeting_changed": meetings.meeting_changed_reply("One-off meeting of the Practice, Policy and Procedures Group added "
                                                          "on Tuesday 23 February 2027.", "ppp_group"),
        "meeting_forward_plan": meetings.forward_plan_reply(PlanView("ppp_group", "Practice, Policy and Procedures Group", (
            PlanLine("PP-002 Section 47 Enquiries", "review", meeting, None),
            PlanLine("PP-020 Family and Friends Care", "review", None, "Director Leadership Group")))),
        "meeting_forward_plan_empty": meetings.forward_plan_reply(PlanView("ppp_group", "Practice, Policy and Procedures Group", ())),
        "meeting_placed": messages.notice_reply("On the agenda", meetings.placement_text(
            Placement("Practice, Policy and Procedures Group", "PP-002 Section 47 Enquiries", meeting, view.deadlines, 11))),
    }


def _report_examples(doc: DocumentView) -> dict[str, Any]:
    late = ReviewLine("NCT-001", "Children Missing from Home and Care", "Procedure", "Safeguarding", "Alex Example",
                      date(2026, 9, 1), -83)
    soon = ReviewLine("NCT-002", "Child Protection Conferences", "Procedure", "Safeguarding", "Sam Sample",
                      date(2026, 12, 10), 17)
    history = tuple(CompliancePoint(_TODAY - timedelta(days=30 * i), 46, 40 - i, 3, 6 + i, 0) for i in range(12, -1, -1))
    report = RegisterReport(
        today=_TODAY, month="November 2026", by_status=(("Published", 44), ("Draft", 2)), overdue=(late,), due=(soon,),
        by_area=(Tally("Safeguarding", 1, (1, 0, 0)),), by_owner=(Tally("Alex Example", 1, (0, 0, 0)), Tally("Sam Sample", 0, (1, 0, 0))),
        decisions=(DecisionLine(datetime(2026, 11, 20, 11, 0, tzinfo=LONDON), "Sam Sample", "NCT-001",
                                "Children Missing from Home and Care", "Approved", "Approved (case 7)"),),
        compliance=history[-1], history=history,
    )
    assets = (AssetView("FORM-12", "form", "Return home interview form", None, "Alex Example", "section 4"),)
    return {
        "register_report": reports.report_reply(report, reports.compliance_chart_png(report)),
        "overdue_reviews": reports.overdue_reply(report),
        "reviews_due": reports.due_reply(report, 30),
        "reviews_due_none": reports.due_reply(RegisterReport(**{**report.__dict__, "due": ()}), 30),
        "document_detail_with_assets": messages.detail_reply(DocumentDetail(doc, (), assets), _TODAY),
    }


def _summary() -> ChangeSummary:
    changes = tuple(Change(k, s, t, a) for k, s, t, a in [
        (ChangeKind.INSERTION, "3. Roles and responsibilities", "Return home interviews are offered within 72 hours.", "Alex Example"),
        (ChangeKind.DELETION, "3. Roles and responsibilities", "within five working days", "Alex Example"),
        (ChangeKind.COMMENT, "5. Recording", "Please check against the statutory guidance.", "Sam Sample"),
        (ChangeKind.INSERTION, "5. Recording", "Record within one working day.", "Alex Example"),
        (ChangeKind.DELETION, "5. Recording", "as soon as possible", "Alex Example"),
        (ChangeKind.INSERTION, "5. Recording", "Share with the IRO.", "Alex Example"),
        (ChangeKind.INSERTION, "5. Recording", "Tell the police.", "Alex Example"),
    ])
    return ChangeSummary(changes, insertions=4, deletions=2, comments=1, sections=("3. Roles and responsibilities", "5. Recording"))


def _with_draft(view: CaseView) -> CaseView:
    draft = DraftView(id=1, case_id=view.id, number=2, filename="amended.docx", size=3_100_000, sha256="0" * 64,
                      uploaded_by="Alex Example", uploaded_at=datetime(2026, 11, 20, 10, 0, tzinfo=LONDON),
                      changes=_summary(), change_kind="substantive", compared_with=None)
    return dataclasses.replace(view, draft=draft, open_conditions=("Add the timescale",))


def _comparison() -> Comparison:
    return Comparison("NCT-001", "Children Missing from Home and Care", 1, 2, _summary(), Path("redline.docx"), "redline.docx")
