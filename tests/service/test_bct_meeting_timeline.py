"""Birmingham (BCT) on its own demo trust, on fakes of the ports (issue 19, items 2 and 3): one meeting
timeline for a consultation (BCT-4, BCT-6, BCT-7) and consultation with the right people (BCT-3,
BCT-4, BCT-8)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from governance.errors import WrongRole
from services.meetings import agenda as meetings
from services.cases import lifecycle
from services.clock import LONDON
from services.demo import ensure_demo
from services.reminders import sweeps
from tests.service.fakes import fake_world
from tests.service.people import teams

DLG_ATTENDEES = {"dir-practice", "dir-ops", "ad-safeguarding", "ad-care", "ad-disabled"}


@pytest.fixture
async def bct():
    world = fake_world("bct")
    assert await ensure_demo(world.services)  # BCT's own demo trust (services/demos/bct.py)
    return world


async def _request(world, who: str, title: str, category: str, area: str, doc_type: str = "procedure"):
    out = await lifecycle.start_new_document(
        world.services, teams(who), title=title, document_type=doc_type, category=category, service_area=area,
        reason="Referrals rose by a third after the 2026 audit", stakeholders="Midwifery")
    case_id = out.case.id
    await lifecycle.act(world.services, teams("policy-officer"), case_id, "agree_need")
    draft = world.docx.describe(f"{title}, first draft".encode(), title=title)
    return case_id, await lifecycle.submit_draft(world.services, teams(who), f"{title}.docx", draft)


async def _to_consultation(world) -> int:
    case_id, out = await _request(world, "team-manager", "Pre-birth assessments", "Procedure for an area of practice", "Safeguarding")
    assert out.case.stage_label == "First draft agreed within the service area"
    await lifecycle.act(world.services, teams("ad-safeguarding"), case_id, "approve")
    return case_id


async def _participants(world, case_id: int) -> tuple[str, ...]:
    row = next(r for r in world.db.rows("cases") if r.id == case_id)
    return tuple(row.state["participants"]["consultee"])


async def test_bct_3_the_service_area_lead_agrees_the_first_draft_after_the_area_has_seen_it(bct):
    """BCT-3: the first draft goes to the author's service-area lead (the AD of Safeguarding) to agree,
    and to the area's Heads of Service first; no other AD can agree it; only then the wider consultation."""
    case_id, out = await _request(bct, "team-manager", "Pre-birth assessments", "Procedure for an area of practice", "Safeguarding")
    assert out.case.stage_label == "First draft agreed within the service area"
    assert any(r.subject.startswith("First draft agreed within the service area") for r in bct.outbox(person_id="ad-safeguarding"))
    area = bct.outbox(person_id="hos-mash")
    assert any(r.subject == "First draft for comment within the service area: PP-020 Pre-birth assessments" for r in area)
    assert not any(r.subject.startswith("Consultation:") for r in bct.outbox())
    with pytest.raises(WrongRole, match="service-area lead"):
        await lifecycle.act(bct.services, teams("ad-care"), case_id, "approve")
    done = await lifecycle.act(bct.services, teams("ad-safeguarding"), case_id, "approve")
    assert done.case.stage_label == "Consultation with the Director Leadership Group's attendees"


async def test_bct_4_the_dlg_attendees_are_consulted_and_the_forward_plan_shows_it(bct):
    """BCT-4: consultation for a DLG item goes to the DLG's attendees (not everyone who consults), with
    responses due three days before the DLG of 1 December; the document is on that meeting's agenda
    at once, and the forward plan shows it under consultation."""
    case_id = await _to_consultation(bct)
    consulted = {r.person_id for r in bct.outbox() if r.subject == "Consultation: PP-020 Pre-birth assessments"}
    # Grace Fairweather (a consultee, not a DLG attendee) is not asked; the AD of Safeguarding, who
    # agreed the first draft a moment ago, is on the consultation without a message to himself.
    assert consulted == DLG_ATTENDEES - {"ad-safeguarding"}
    assert set(await _participants(bct, case_id)) == DLG_ATTENDEES
    view = await lifecycle.case_view(bct.services, teams("team-manager"), case_id)
    assert view.consult_deadline == date(2026, 11, 27)
    [line] = await meetings.forward_plan(bct.services, "DLG")
    assert (line.title, line.meeting_on, line.status) == ("PP-020 Pre-birth assessments", date(2026, 12, 1),
                                                          "under consultation until 27 November 2026")
    agenda = await meetings.meeting_agenda(bct.services, "DLG", date(2026, 12, 1))
    assert [i.ref for i in agenda.items] == ["PP-020"]


async def test_bct_4_bct_6_bct_7_one_timeline_from_consultation_to_the_executive_team(bct):
    """BCT-4: closing the consultation keeps the item on the meeting it was consulted for (1 December,
    not the 8th); BCT-6: the papers a working day before list the document, the comments and the second
    draft; BCT-7: on the day the chair refers it, and it lands on the Executive Team's forward plan."""
    case_id = await _to_consultation(bct)
    await lifecycle.act(bct.services, teams("ad-care"), case_id, "respond_comment", text="Add the pre-birth protocol with midwifery")
    await lifecycle.act(bct.services, teams("ad-disabled"), case_id, "respond_agree")
    bct.clock.set(datetime(2026, 11, 28, 9, 0, tzinfo=LONDON))  # Saturday: the consultation closed on Friday
    assert (await sweeps.sweep_cases(bct.services, "test")).closed_consultations == 1
    agenda = await meetings.meeting_agenda(bct.services, "DLG", date(2026, 12, 1))
    assert [i.ref for i in agenda.items] == ["PP-020"]
    assert not (await meetings.meeting_agenda(bct.services, "DLG", date(2026, 12, 8))).items
    second = bct.docx.describe(b"pre-birth, second draft with the comments", title="Pre-birth assessments")
    out = await lifecycle.submit_draft(bct.services, teams("team-manager"), "pre-birth-v2.docx", second)
    assert "stored as draft version 2" in out.message and "Second draft for the Director Leadership Group" in out.message
    assert out.case.stage_label == "Director Leadership Group decision"

    bct.clock.set(datetime(2026, 11, 30, 7, 0, tzinfo=LONDON))  # the papers date
    await sweeps.sweep_meetings(bct.services, "test")
    papers = [r for r in bct.outbox(person_id="ad-care") if r.subject == "Papers: Director Leadership Group, Tuesday 1 December 2026"]
    assert len(papers) == 1
    body = papers[0].body
    assert "PP-020 Pre-birth assessments: draft version 2 (pre-birth-v2.docx) (second draft, with the consultation comments)" in body
    assert "PP-020: Lucy Whitmore: Add the pre-birth protocol with midwifery" in body
    assert "PP-020: 1 agreed, 3 did not respond (recorded as agreement, BCT-5)" in body

    bct.clock.set(datetime(2026, 12, 1, 11, 0, tzinfo=LONDON))
    with pytest.raises(Exception, match="Please add why it goes to the higher body"):
        await meetings.record_outcome(bct.services, teams("dir-practice"), 2, "refer to the Executive Team", body_name="DLG")
    done = await meetings.record_outcome(bct.services, teams("dir-practice"), 2, "refer to the Executive Team",
                                         "The cost of the midwifery link needs the Executive Team", body_name="DLG")
    assert "It goes onto the forward plan of the Executive Team" in done.message
    view = await lifecycle.case_view(bct.services, teams("team-manager"), case_id)
    assert view.stage_label == "Executive Team decision (referred)"
    [line] = await meetings.forward_plan(bct.services, "Executive Team")
    assert (line.title, line.referred_from, line.meeting_on) == ("PP-020 Pre-birth assessments", "Director Leadership Group",
                                                                 date(2026, 12, 9))


async def test_bct_7_the_chair_approves_with_changes_on_the_day(bct):
    """BCT-7: "approve with changes" is the meeting's approval subject to the amendments it agreed."""
    case_id = await _to_consultation(bct)
    bct.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=LONDON))
    await sweeps.sweep_cases(bct.services, "test")
    bct.clock.set(datetime(2026, 12, 1, 11, 0, tzinfo=LONDON))
    done = await meetings.record_outcome(bct.services, teams("dir-practice"), 2, "approve with changes",
                                         "Add the midwifery contacts", body_name="DLG")
    assert "approved with amendments: Add the midwifery contacts" in done.message
    view = await lifecycle.case_view(bct.services, teams("team-manager"), case_id)
    assert view.step == "conditions"


async def test_bct_8_a_single_service_procedure_goes_to_the_ad_of_that_practice_area_only(bct):
    """BCT-8: a procedure for a single service area is consulted on with the AD and Heads of Service of
    that practice area (Children in Care), and only that area's AD signs it off, not every AD."""
    case_id, out = await _request(bct, "hos-fostering", "Fostering allowances", "Procedure for a single service area", "Children in Care")
    assert out.case.stage_label == "Consultation by email with the AD and HoS group of the practice area"
    consulted = {r.person_id for r in bct.outbox() if r.subject == "Consultation: PP-020 Fostering allowances"}
    assert consulted == {"ad-care", "hos-leaving-care"}
    for who in consulted:
        await lifecycle.act(bct.services, teams(who), case_id, "respond_agree")
    await lifecycle.act(bct.services, teams("hos-fostering"), case_id, "close_consultation")
    with pytest.raises(WrongRole, match="Assistant Director"):
        await lifecycle.act(bct.services, teams("ad-safeguarding"), case_id, "approve")
    done = await lifecycle.act(bct.services, teams("ad-care"), case_id, "approve")
    assert done.case.stage_label == "Practice Hub versions, dates, uploads and announces"


async def test_bct_8_an_overarching_policy_goes_to_the_directors_and_ads_two_weeks_before_its_meeting(bct):
    """BCT-8: an overarching policy is shared with the Directors and ADs group two weeks before the
    Executive Team meeting: from Monday 23 November that is the meeting of 9 December (2 December is
    under two weeks away); responses are due Friday 4 December and the papers go on the 8th."""
    case_id, out = await _request(bct, "dir-practice", "Relationships and restorative practice", "Overarching Trust policy",
                                  "Trust", doc_type="policy")
    assert out.case.stage_label == "Consultation with the Directors and ADs group"  # no service-area lead for the whole Trust
    consulted = {r.person_id for r in bct.outbox() if r.subject.startswith("Consultation: PP-020")}
    assert consulted == {"dir-ops", "ad-safeguarding", "ad-care", "ad-disabled"}  # the group, less the author
    view = await lifecycle.case_view(bct.services, teams("dir-practice"), case_id)
    assert view.consult_deadline == date(2026, 12, 4)
    agenda = await meetings.meeting_agenda(bct.services, "Executive Team", date(2026, 12, 9))
    assert [i.ref for i in agenda.items] == ["PP-020"]
    assert agenda.deadlines.papers_due == date(2026, 12, 8)
