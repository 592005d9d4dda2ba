"""A year of Dorset's Practice, Policy and Procedures Group lived through the services, on SQLite
and PostgreSQL: agendas, papers, outcomes, attendance, minutes and reports, read as a person would."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from render import meetings as texts
from services.cases import lifecycle
from services.meetings import agenda as meetings
from services.errors import NotPermitted
from tests.support.meetings import at, organisation, review_to_group, to, who

CHAIR, VICE, PPO = "ad-children", "head-qa", "ppo"


async def test_dorset_year_transcript(db_url):
    """DOR-7 (no August or December meeting), DOR-8 (items 10 working days before, papers 3, bank
    holidays moving deadlines, a late item landing on the next meeting), DOR-9 (standard agenda),
    DOR-4/DOR-5 (outcomes, information and interim items), DOR-10 (minutes and actions), DOR-11
    (attendance), DOR-13 (reports)."""
    async with organisation(db_url, "dorset", datetime(2027, 1, 4, 10)) as s:
        clock = s.clock
        # 4 January: January's item deadline (24 December, before Christmas) has passed: February.
        told = await review_to_group(s, "PP-002", "ro-1")
        assert to(told, "ro-1") == [
            "On the agenda: PP-002 Section 47 Enquiries. PP-002 Section 47 Enquiries is on the agenda of the Practice, "
            "Policy and Procedures Group meeting on Tuesday 9 February 2027. Item and draft due: 26 January 2027. "
            "Papers go to members: 4 February 2027."]
        # 26 January, the deadline day itself: still in time for February.
        at(clock, 2027, 1, 26)
        await review_to_group(s, "PP-044", "ro-2")
        # 27 January: a day late for February, so March.
        at(clock, 2027, 1, 27)
        told = await review_to_group(s, "PP-003", "ro-1")
        assert "meeting on Tuesday 9 March 2027. Item and draft due: 23 February 2027." in to(told, "ro-1")[0]

        # Papers go out on the papers deadline, 3 working days before (DOR-8), not a day earlier.
        at(clock, 2027, 2, 3, 7)
        assert [n for n in await meetings.due_meeting_work(s, clock.now()) if n.subject.startswith("Papers")] == []
        at(clock, 2027, 2, 4, 7)
        sent = await meetings.due_meeting_work(s, clock.now())
        papers = to(sent, "rsm-cla")
        assert len(papers) == 1
        assert papers[0] == (
            "Papers: Practice, Policy and Procedures Group, Tuesday 9 February 2027. "
            "Agenda: Practice, Policy and Procedures Group, Tuesday 9 February 2027 at 10:00\n"
            "Item and draft due: 26 January 2027\n"
            "Papers go to members: 4 February 2027\n"
            "\n"
            "Progress report and outstanding actions\n"
            "1. Progress report and outstanding actions\n"
            "   - No outstanding actions.\n"
            "\n"
            "New proposals and drafts\n"
            "   (nothing yet)\n"
            "\n"
            "Reviews\n"
            "2. PP-002 Section 47 Enquiries (presented by Alex Dunmore)\n"
            "3. PP-044 Private Fostering (presented by Jamie Castellan)\n"
            "\n"
            "Information items\n"
            "   (nothing yet)\n"
            "\n"
            "Horizon scanning\n"
            "   (nothing yet)\n"
            "\n"
            "Current drafts with these papers:\n"
            "- PP-002 Section 47 Enquiries: draft version 1 (PP-002.docx)\n"
            "- PP-044 Private Fostering: draft version 1 (PP-044.docx)")
        assert {n.person_id for n in sent if n.subject.startswith("Papers")} == {
            "ad-children", "head-qa", "ppo", "rsm-safeguarding", "rsm-cla", "rsm-early-help", "qa-1"}
        again = await meetings.due_meeting_work(s, clock.now())
        assert [n for n in again if n.subject.startswith("Papers")] == []  # sent once

        # 9 February, the meeting. The owner cannot record outcomes; the chair can.
        at(clock, 2027, 2, 9, 12)
        with pytest.raises(NotPermitted, match="Only the chair"):
            await meetings.record_outcome(s, who("ro-1"), 2, "approved")
        # A vice-chair deputises only when the chair is recorded absent.
        with pytest.raises(NotPermitted, match="vice-chair deputises when the chair is recorded as absent"):
            await meetings.record_outcome(s, who(VICE), 2, "approved")
        att = await meetings.record_attendance(s, who(PPO), {
            CHAIR: ("present", None), VICE: ("present", None), "rsm-safeguarding": ("present", None),
            "rsm-cla": ("delegate", "Deputy Head of Service"), "rsm-early-help": ("absent", None),
            "qa-1": ("present", None), PPO: ("absent", None)})
        assert "short" not in att.message  # two HoS (one by delegate) and two QA managers (DOR-11)
        r = await meetings.record_outcome(s, who(CHAIR), 2, "approved")
        assert r.message.startswith("Item 2, PP-002 Section 47 Enquiries: approved. Case 1: Approved at 'The Group's decision'")
        r = await meetings.record_outcome(s, who(CHAIR), 3, "approved with amendments", "Add the LADO contact details")
        assert "Case 2: Approved with conditions: Add the LADO contact details" in r.message
        assert to(r.notices, "ro-2")[0].startswith("Approved with conditions: PP-044 Private Fostering. Please amend the draft")
        case1 = await lifecycle.case_view(s, who(PPO), 1)
        assert case1.stage == "register"  # DOR-3: recorded with its review schedule next
        result, minutes = await meetings.issue_minutes(
            s, who(PPO), [meetings.NewAction("Update the private fostering leaflet", "qa-1", date(2027, 3, 1))])
        text = texts.minutes_text(minutes)
        assert text == (
            "Minutes: Practice, Policy and Procedures Group, Tuesday 9 February 2027\n\n"
            "Attendance\n"
            "- Casey Lindqvist: absent, no delegate\n"
            "- Jordan Whitfield: sent Deputy Head of Service\n"
            "- Morgan Reyes: present\n- Priya Patel-Owens: absent, no delegate\n- Quinn Marsh: present\n"
            "- Rowan Feld: present\n- Sasha Okonkwo: present\n\n"
            "Decisions\n"
            "2. PP-002 Section 47 Enquiries (presented by Alex Dunmore) - Approved\n"
            "3. PP-044 Private Fostering (presented by Jamie Castellan) - Approved with amendments: Add the LADO contact details\n\n"
            "Actions\n"
            "- Update the private fostering leaflet: Rowan Feld, by 1 March 2027")
        assert to(result.notices, "qa-1")[0] == (
            "Action for you: Practice, Policy and Procedures Group. From the Practice, Policy and Procedures Group "
            "meeting on 9 February 2027: Update the private fostering leaflet, by 1 March 2027.")
        assert to(result.notices, "rsm-early-help") == [f"Minutes: Practice, Policy and Procedures Group, 9 February 2027. {text}"]
        # DOR-13: the report of approved documents and exceptions goes to the extended CSLT.
        assert to(result.notices, "director") == [
            "Report to the extended leadership team: Practice, Policy and Procedures Group. Report to the extended "
            "leadership team: Practice, Policy and Procedures Group, meeting of 9 February 2027\n\n"
            "Approved documents\n- PP-002 Section 47 Enquiries\n- PP-044 Private Fostering (approved with amendments)\n\n"
            "Exceptions\n- None."]

        # February: two more documents for March. A Director approves one (DOR-5: an information
        # item); a Head of Service gives the other interim approval (DOR-5: for full approval).
        at(clock, 2027, 2, 10)
        await review_to_group(s, "PP-046", "ro-6")
        case_046 = 4
        await lifecycle.act(s, who("director"), case_046, "director_approve")
        at(clock, 2027, 2, 11)
        await review_to_group(s, "PP-001", "ro-1")
        await lifecycle.act(s, who("rsm-safeguarding"), 5, "interim_approve")

        # 1 March: the monthly communication of February's approvals (DOR-13).
        at(clock, 2027, 3, 1, 7)
        work = await meetings.due_meeting_work(s, clock.now())
        monthly = to(work, "ppo")
        assert monthly == [
            "Monthly communication: approved documents: Practice, Policy and Procedures Group. Monthly communication: "
            "approved documents: Practice, Policy and Procedures Group, 1 February 2027 to 28 February 2027\n\n"
            "Approved documents\n- PP-002 Section 47 Enquiries\n- PP-044 Private Fostering (approved with amendments)"]
        assert to(work, "qa-1")[-1].startswith("Monthly communication")  # members get it too; the action is not late yet
        at(clock, 2027, 3, 2, 7)
        chased = to(await meetings.due_meeting_work(s, clock.now()), "qa-1")
        assert chased == ["Action overdue: Practice, Policy and Procedures Group. Your action from the Practice, Policy "
                          "and Procedures Group was due on 1 March 2027: Update the private fostering leaflet. "
                          "Say 'action 1 done' when it is complete."]

        # 9 March: the agenda as the chair reads it.
        at(clock, 2027, 3, 9, 9)
        agenda = texts.agenda_text(await meetings.next_agenda(s, who(CHAIR)))
        assert agenda.split("\n\n")[1:5] == [
            "Progress report and outstanding actions\n1. Progress report and outstanding actions\n"
            "   - Update the private fostering leaflet (Rowan Feld, due 1 March 2027) OVERDUE",
            "New proposals and drafts\n2. PP-001 Children Missing from Home and Care (presented by Alex Dunmore) "
            "[interim approval, for full approval]",
            "Reviews\n3. PP-003 Strategy Discussions and Meetings (presented by Alex Dunmore)",
            "Information items\n4. PP-046 Information Sharing [for information: approved by a Director]",
        ]
        at(clock, 2027, 3, 9, 12)
        att = await meetings.record_attendance(s, who(CHAIR), {
            CHAIR: ("present", None), VICE: ("present", None), "rsm-safeguarding": ("present", None),
            "rsm-cla": ("present", None), "rsm-early-help": ("absent", None), "qa-1": ("absent", None), PPO: ("absent", None)})
        # DOR-11: absent twice running without a delegate, flagged to the Head of QA; the meeting is short.
        # A Head of Service (Casey Lindqvist, absent twice too) is not escalated: ToR 7.3 (issue 19 item 8).
        assert to(att.notices, "head-qa") == [
            "Absences: Practice, Policy and Procedures Group. Priya Patel-Owens has missed 2 meetings of the Practice, "
            "Policy and Procedures Group in a row without sending a delegate (DOR-11).",
            "Short meeting: Practice, Policy and Procedures Group. The meeting on 9 March 2027 was short: 1 of 2 "
            "Quality Assurance Managers attended (DOR-11)."]
        await meetings.record_outcome(s, who(CHAIR), 2, "approved")  # the interim approval confirmed
        assert (await lifecycle.case_view(s, who(PPO), 5)).stage == "register"
        deferred = await meetings.record_outcome(s, who(CHAIR), 3, "deferred")
        assert "meeting on Tuesday 13 April 2027" in deferred.message
        await meetings.record_outcome(s, who(CHAIR), 4, "noted")
        _result, minutes = await meetings.issue_minutes(s, who(CHAIR))
        assert texts.minutes_text(minutes).split("Decisions\n")[1] == (
            "2. PP-001 Children Missing from Home and Care (presented by Alex Dunmore) [interim approval, for full approval] - Approved\n"
            "3. PP-003 Strategy Discussions and Meetings (presented by Alex Dunmore) - Deferred to the next meeting\n"
            "4. PP-046 Information Sharing [for information: approved by a Director] - Noted\n\n"
            "Actions\n- None.")
        assert "Note: fewer than 2 Quality Assurance Managers attended (1)" in texts.minutes_text(minutes)

        # 31 March: the annual report for the financial year (DOR-13).
        at(clock, 2027, 3, 31, 7)
        annual = [n for n in await meetings.due_meeting_work(s, clock.now()) if n.person_id == "director"]
        assert [n.body for n in annual] == [
            "Annual report: Practice, Policy and Procedures Group, 1 April 2026 to 31 March 2027\n"
            "Meetings held: 2 (1 short of members)\n\n"
            "Approved documents\n- PP-002 Section 47 Enquiries\n- PP-044 Private Fostering (approved with amendments)\n"
            "- PP-001 Children Missing from Home and Care\n\n"
            "Exceptions\n- PP-003 Strategy Discussions and Meetings: deferred to the next meeting"]
        assert [n for n in await meetings.due_meeting_work(s, clock.now()) if n.subject.startswith("Annual")] == []

        # The deferred item is carried forward onto April's agenda.
        at(clock, 2027, 4, 1)
        april = await meetings.next_agenda(s, who(CHAIR))
        assert (april.meeting_on, [(i.number, i.title, i.carried) for i in april.items]) == (
            date(2027, 4, 13), [(2, "PP-003 Strategy Discussions and Meetings", True)])

        # May Day moves May's item deadline to 26 April: on 27 April an item goes to June.
        at(clock, 2027, 4, 27)
        told = await review_to_group(s, "PP-016", "ro-2")
        assert "meeting on Tuesday 8 June 2027. Item and draft due: 24 May 2027. Papers go to members: 3 June 2027." in to(told, "ro-2")[0]
        # No August meeting (DOR-7): an item raised after July's deadline waits for September.
        at(clock, 2027, 7, 1)
        told = await review_to_group(s, "PP-017", "ro-2")
        assert "meeting on Tuesday 14 September 2027" in to(told, "ro-2")[0]
