"""A Birmingham document goes from the Director Leadership Group to the Executive Team by referral
(BCT-4, BCT-6, BCT-7), read as the people involved read it. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from render import meetings as texts
from services.cases import lifecycle
from services.meetings import agenda as meetings
from connectors.word.samples import plain_docx
from services.errors import NotPermitted
from tests.support.meetings import at, organisation, to, who


async def test_bct7_dlg_refers_a_policy_to_the_executive_team(db_url):
    """BCT-4 (consulted on with the DLG's attendees, responses three days before the DLG), BCT-6 (one
    timeline: the papers go the working day before, after the consultation closes), BCT-7 (the DLG
    refers the document; the Executive Team's forward plan and agenda get it; its decision is final)."""
    async with organisation(db_url, "bct", datetime(2027, 1, 4, 10)) as s:
        clock = s.clock
        opened = await lifecycle.start_case(s, who("ro-2"), "PP-020", "scheduled_review")
        case = opened.case.id
        await lifecycle.act(s, who("ppo"), case, "agree_need")  # BCT-2: the Policy Service accepts
        out = await lifecycle.submit_draft(s, who("ro-2"), "PP-020.docx", plain_docx(title="Family and Friends Care"), case)
        assert out.case.stage == "consult"
        assert out.case.consult_deadline == date(2027, 1, 8)  # BCT-4: 3 days before Tuesday 12 January, off the weekend
        for consultee in ("director", "ad-children", "ad-adults"):  # BCT-4: the DLG's attendees
            await lifecycle.act(s, who(consultee), case, "respond_agree")
        last = await lifecycle.act(s, who("ppo"), case, "close_consultation")
        assert last.case.stage == "sign_off"
        assert not to(last.notices, "ro-2")  # BCT-6: already on that meeting's agenda since the consultation began
        assert to(out.notices, "ro-2") == [
            "On the agenda: PP-020 Family and Friends Care (Connected Persons). PP-020 Family and Friends Care "
            "(Connected Persons) is on the agenda of the Director Leadership Group meeting on Tuesday 12 January 2027. "
            "Consultation responses due: 8 January 2027. Papers go to members: 11 January 2027."]

        # BCT-6: the papers go out the working day before, after the consultation closed (Friday 8 January).
        at(clock, 2027, 1, 8, 7)
        assert not [n for n in await meetings.due_meeting_work(s, clock.now()) if n.subject.startswith("Papers: Director")]
        at(clock, 2027, 1, 11, 7)
        papers = [n for n in await meetings.due_meeting_work(s, clock.now()) if n.subject.startswith("Papers: Director")]
        assert {n.person_id for n in papers} == {"director", "ad-children", "ad-adults"}
        assert "Reviews\n2. PP-020 Family and Friends Care (Connected Persons) (presented by Jamie Castellan)" in papers[0].body

        # 12 January: the DLG refers it to the Executive Team (BCT-7).
        at(clock, 2027, 1, 12, 11)
        ref = await meetings.record_outcome(s, who("director"), 2, "referred", "It changes practice across the whole Trust")
        assert ref.message == (
            "Item 2, PP-020 Family and Friends Care (Connected Persons): referred to the higher body: It changes practice "
            "across the whole Trust. Case 1: Referred to 'Executive Team decision (referred)': It changes practice across "
            "the whole Trust. It goes onto the forward plan of the Executive Team.")
        assert "Referred by the Director Leadership Group. PP-020 Family and Friends Care (Connected Persons) is on the " \
               "agenda of the Executive Team meeting on Wednesday 20 January 2027." in " ".join(to(ref.notices, "ro-2"))
        plan = await meetings.forward_plan(s, "Executive Team")
        assert [(p.title, p.meeting_on, p.referred_from) for p in plan] == [
            ("PP-020 Family and Friends Care (Connected Persons)", date(2027, 1, 20), "Director Leadership Group")]
        assert await meetings.forward_plan(s, "DLG") == []  # decided there
        _r, minutes = await meetings.issue_minutes(s, who("director"), body_name="DLG")
        assert texts.minutes_text(minutes).split("Decisions\n")[1].split("\n")[0] == (
            "2. PP-020 Family and Friends Care (Connected Persons) (presented by Jamie Castellan) - Referred to the "
            "higher body: It changes practice across the whole Trust")

        # The DLG chair cannot decide for the Executive Team; its chair can, and that is final.
        at(clock, 2027, 1, 20, 11)
        agenda = texts.agenda_text(await meetings.next_agenda(s, who("chief-executive")))
        assert "Agenda: Executive Team, Wednesday 20 January 2027 at 10:00" in agenda
        assert "2. PP-020 Family and Friends Care (Connected Persons) (presented by Jamie Castellan)" in agenda
        with pytest.raises(NotPermitted, match="Only the chair of the Executive Team"):
            await meetings.record_outcome(s, who("director"), 2, "approved", body_name="Executive Team")
        done = await meetings.record_outcome(s, who("chief-executive"), 2, "approved", body_name="Exec")
        assert "Case 1: Approved at 'Executive Team decision (referred)'" in done.message
        view = await lifecycle.case_view(s, who("ppo"), case)
        assert view.stage == "publish"  # BCT-9: the Practice Hub versions and publishes
        assert await meetings.forward_plan(s, "Executive Team") == []
