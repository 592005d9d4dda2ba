"""The chair of Dorset's Group runs the rest of the meeting paperwork by typing to the bot over real
HTTP, on SQLite and PostgreSQL: one-off and cancelled meetings (DOR-7), reordering and adding agenda
items (DOR-9), attendance with successive absences flagged (DOR-11), minutes and actions (DOR-10)
and the forward plan. Everyone else is refused and nothing changes."""

from __future__ import annotations

from datetime import datetime

from bot.app import SERVICES_KEY
from render import meetings as texts
from services.meetings import agenda as meetings
from services.clock import LONDON, FixedClock
from tests.support.bot import RunningBot, settings_for
from tests.support.channel import readable
from tests.support.meetings import at, review_to_group, who

CHAIR = "ad-children"
PPG = "Practice, Policy and Procedures Group"


async def _bot(db_url, demo_aad, people: tuple[str, ...], start: datetime) -> RunningBot:
    clock = FixedClock(start)
    bot = await RunningBot(settings_for(db_url, POLICYBOT_PRESET="dorset"), clock=clock).start()
    for key in people:  # each person has a chat with the bot, so notices can reach them
        await bot.say("help", aad=demo_aad[key], conversation=f"a:{key}")
    return bot


async def _say(bot, demo_aad, key: str, text: str) -> str:
    said = await bot.say(text, aad=demo_aad[key], conversation=f"a:{key}")
    assert said.status in (200, 201, 202)
    return "\n".join(readable(r) for r in said.replies)


def _told(bot, key: str, since: int) -> list[str]:
    return [readable(a) for a in bot.channel.in_conversation(f"a:{key}")[since:]]


async def _agenda_text(services) -> str:
    return texts.agenda_text(await meetings.next_agenda(services, who(CHAIR), "PPG"))


async def test_dor7_chair_adds_a_one_off_meeting_and_cancels_one_items_move_on_and_owners_told(db_url, demo_aad):
    """DOR-7: the chair adds a one-off meeting and cancels the regular one; the cancelled meeting's
    item lands on the next meeting whose deadlines it meets (the one-off) and its owner is told in
    their chat. A Head of Service who is not the chair is refused both, and nothing changes."""
    bot = await _bot(db_url, demo_aad, (CHAIR, "ro-2", "rsm-cla"), datetime(2027, 1, 20, 10, tzinfo=LONDON))
    try:
        services = bot.app[SERVICES_KEY]
        await review_to_group(services, "PP-044", "ro-2")
        before = await _agenda_text(services)
        assert before.startswith(f"Agenda: {PPG}, Tuesday 9 February 2027 at 10:00\n")
        assert "2. PP-044 Private Fostering (presented by Jamie Castellan)" in before

        # Not the chair: refused, politely, and nothing is added or cancelled.
        said = await _say(bot, demo_aad, "rsm-cla", "add a meeting on 23 February for PPG")
        assert f"Only the chair of the {PPG} (or a vice-chair deputising) can do that." in said
        said = await _say(bot, demo_aad, "rsm-cla", "cancel the meeting on 9 February for PPG")
        assert f"Only the chair of the {PPG} (or a vice-chair deputising) can do that." in said
        assert await _agenda_text(services) == before
        assert [m.status for m in await _meetings_on(services, 23)] == []

        # Dates people cannot have meant get a polite answer.
        said = await _say(bot, demo_aad, CHAIR, "add a meeting on the thirty-second of Smarch")
        assert said.startswith("Sorry, I couldn't tell the date of the meeting: 'the thirty-second of Smarch' is not a date I can read")
        said = await _say(bot, demo_aad, CHAIR, "cancel the meeting on 10 February")
        assert f"The {PPG} has no meeting on 10 February 2027." in said
        said = await _say(bot, demo_aad, CHAIR, "add a meeting on 9 February")
        assert f"The {PPG} already meets on Tuesday 9 February 2027." in said

        said = await _say(bot, demo_aad, CHAIR, "Add a one-off meeting on 23 February for PPG")
        assert said.startswith(f"Meetings\nOne-off meeting of the {PPG} added on Tuesday 23 February 2027.")
        assert [(m.status, m.one_off) for m in await _meetings_on(services, 23)] == [("scheduled", True)]

        owner_before = len(bot.channel.in_conversation("a:ro-2"))
        said = await _say(bot, demo_aad, CHAIR, "cancel the meeting on 9 February")
        assert said.startswith(f"Meetings\nThe {PPG} meeting on Tuesday 9 February 2027 is cancelled. 1 item moved to the next meeting.")
        told = _told(bot, "ro-2", owner_before)
        assert len(told) == 1
        assert told[0].startswith("Meeting cancelled: PP-044 Private Fostering\n")
        assert (f"PP-044 Private Fostering is on the agenda of the {PPG} meeting on Tuesday 23 February 2027. "
                "Item and draft due: 9 February 2027. Papers go to members: 18 February 2027. "
                "(the meeting on 9 February 2027 is cancelled)") in told[0]

        said = await _say(bot, demo_aad, CHAIR, "what is on the next agenda for PPG?")
        assert said.startswith(f"{PPG}: Tuesday 23 February 2027\nItem and draft due: 9 February 2027\n")
        assert "Reviews\n2. PP-044 Private Fostering (presented by Jamie Castellan)\n" in said
        said = await _say(bot, demo_aad, CHAIR, "cancel the meeting on 9 February")
        assert "The meeting on Tuesday 9 February 2027 is already cancelled." in said
    finally:
        await bot.stop()


async def _meetings_on(services, day: int):
    from governance import meetings as gm
    from datetime import date, time

    async with services.uow() as uow:
        on = date(2027, 2, day)
        return await uow.meetings.between("ppp_group", gm.starts_at(on, time.min), gm.starts_at(on, time.max))


async def test_dor9_chair_reorders_and_adds_items_shown_in_the_next_agenda(db_url, demo_aad):
    """DOR-9: the chair puts item 4 first and adds a horizon-scanning item; the next agenda shows
    both. Someone else cannot, a missing item or item 1 (the progress report) is refused politely."""
    bot = await _bot(db_url, demo_aad, (CHAIR, "ro-2"), datetime(2027, 1, 20, 10, tzinfo=LONDON))
    try:
        services = bot.app[SERVICES_KEY]
        await review_to_group(services, "PP-002", "ro-1")
        await review_to_group(services, "PP-044", "ro-2")
        await meetings.place_on_agenda(services, who("ppo"), "PP-003", "PPG")
        before = await _agenda_text(services)

        said = await _say(bot, demo_aad, "ro-2", "put item 4 first")
        assert f"Only the chair of the {PPG}" in said
        said = await _say(bot, demo_aad, "ro-2", "add item: Something of mine")
        assert f"Only the chair of the {PPG}" in said
        said = await _say(bot, demo_aad, CHAIR, "move item 9 to position 2")
        assert f"There is no item 9 on the {PPG} agenda for 9 February 2027 (items 2 to 4)." in said
        said = await _say(bot, demo_aad, CHAIR, "move item 3 to position 1")
        assert "Items on this agenda run from 2 to 4." in said
        said = await _say(bot, demo_aad, CHAIR, "add item:   ")
        assert await _agenda_text(services) == before

        said = await _say(bot, demo_aad, CHAIR, "put item 4 first")
        assert said.startswith("Item 4, PP-003 Strategy Discussions and Meetings, is now item 2.")
        said = await _say(bot, demo_aad, CHAIR, "Add item: Ofsted's new inspection framework under horizon scanning")
        assert said.startswith(f"Added to the {PPG} agenda for 9 February 2027: Ofsted's new inspection framework.")

        said = await _say(bot, demo_aad, CHAIR, "what is on the next agenda?")
        assert said.split("Reviews\n", 1)[1].startswith(
            "2. PP-003 Strategy Discussions and Meetings (presented by Alex Dunmore)\n"
            "3. PP-002 Section 47 Enquiries (presented by Alex Dunmore)\n"
            "4. PP-044 Private Fostering (presented by Jamie Castellan)\n"
            "Information items\n(nothing yet)\n"
            "Horizon scanning\n5. Ofsted's new inspection framework\n")
        said = await _say(bot, demo_aad, CHAIR, "move item 5 to 3")
        assert said.startswith("Item 5, Ofsted's new inspection framework, is now item 3.")
        assert "Reviews\n2. PP-003 Strategy Discussions and Meetings (presented by Alex Dunmore)\n" \
               "3. Ofsted's new inspection framework\n4. PP-002" in await _agenda_text(services)
    finally:
        await bot.stop()


ROLL_FEB = ("attendance: Sasha Okonkwo present, Quinn Marsh present, Morgan Reyes present, "
            "Jordan Whitfield sent Deputy Head of Service, Casey Lindqvist absent, Rowan Feld present, Priya Patel-Owens absent")
ROLL_MARCH = ("Attendance: Sasha Okonkwo present; Quinn Marsh present; Morgan Reyes present; Jordan Whitfield present; "
              "Casey Lindqvist sent apologies; Rowan Feld absent; Priya Patel-Owens absent")
MEMBERS = (CHAIR, "head-qa", "ppo", "rsm-safeguarding", "rsm-cla", "rsm-early-help", "qa-1")


async def test_dor11_dor10_attendance_minutes_actions_and_successive_absences_flagged(db_url, demo_aad):
    """DOR-11: attendance recorded at two meetings with Priya Patel-Owens and Casey Lindqvist absent
    without a delegate both times: the Head of QA is told of Priya in her chat but not of Casey, a
    Head of Service (ToR 7.3, issue 19 item 8), and the short March meeting is flagged.
    DOR-10: minutes go to every member and the action to its owner. Others are refused each step
    and nothing is recorded; the forward plan lists what the Group has still to decide."""
    bot = await _bot(db_url, demo_aad, (*MEMBERS, "ro-1", "ro-2"), datetime(2027, 1, 20, 10, tzinfo=LONDON))
    try:
        services = bot.app[SERVICES_KEY]
        await review_to_group(services, "PP-002", "ro-1")
        said = await _say(bot, demo_aad, "ro-2", "forward plan for PPG")
        assert said.startswith(f"Forward plan: {PPG}\n- PP-002 Section 47 Enquiries (review): meeting on 9 February 2027")

        clock = bot.clock
        at(clock, 2027, 2, 9, 12)
        said = await _say(bot, demo_aad, "ro-2", ROLL_FEB)
        assert f"Only the chair of the {PPG} (or a vice-chair deputising) can do that." in said
        said = await _say(bot, demo_aad, CHAIR, "attendance: Sasha Okonkwo was here and there")
        assert "I couldn't read 'Sasha Okonkwo was here and there': say whether they were present, absent or sent a delegate." in said
        said = await _say(bot, demo_aad, CHAIR, "attendance: Nobody Atall present")
        assert "I can't find 'Nobody Atall' in the directory." in said
        async with services.uow() as uow:
            assert await uow.meetings.attendance((await _meetings_on(services, 9))[0].id) == []

        said = await _say(bot, demo_aad, CHAIR, ROLL_FEB)
        assert said.startswith(f"Attendance\nAttendance recorded for the {PPG} meeting on 9 February 2027.")
        assert "short" not in said and "DOR-11" not in said
        await _say(bot, demo_aad, CHAIR, "record outcome item 2: approved")

        said = await _say(bot, demo_aad, "ro-2", "issue the minutes")
        assert f"Only the chair of the {PPG}" in said
        said = await _say(bot, demo_aad, CHAIR, "issue the minutes with action: Update the leaflet for Rowan Feld by 31 Smarch")
        assert "the action 'Update the leaflet' has a date I can't read" in said
        said = await _say(bot, demo_aad, CHAIR, "issue the minutes with action: Update the leaflet for Nobody Atall")
        assert "I can't find 'Nobody Atall' in the directory to own the action 'Update the leaflet'." in said
        marks = {k: len(bot.channel.in_conversation(f"a:{k}")) for k in MEMBERS}
        said = await _say(bot, demo_aad, CHAIR, "Issue the minutes with action: Update the private fostering leaflet "
                                                "for Rowan Feld by 1 March; action: Check the LADO links for Quinn Marsh")
        assert said.startswith(f"Minutes of the {PPG} meeting on 9 February 2027 issued to members.\n"
                               f"Minutes: {PPG}, Tuesday 9 February 2027\n")
        assert ("Attendance\n- Casey Lindqvist: absent, no delegate\n- Jordan Whitfield: sent Deputy Head of Service\n"
                "- Morgan Reyes: present\n- Priya Patel-Owens: absent, no delegate\n- Quinn Marsh: present\n- Rowan Feld: present\n"
                "- Sasha Okonkwo: present\n") in said
        assert ("Actions\n- Update the private fostering leaflet: Rowan Feld, by 1 March 2027\n"
                "- Check the LADO links: Quinn Marsh") in said
        for key in MEMBERS:  # DOR-10: every member has the minutes in their chat
            assert any(t.startswith(f"Minutes: {PPG}, 9 February 2027\nMinutes: {PPG}, Tuesday 9 February 2027")
                       for t in _told(bot, key, marks[key])), key
        assert f"Action for you: {PPG}\nFrom the {PPG} meeting on 9 February 2027: Update the private fostering " \
               "leaflet, by 1 March 2027.\n[My tasks]" in _told(bot, "qa-1", marks["qa-1"])
        assert f"Action for you: {PPG}\nFrom the {PPG} meeting on 9 February 2027: Check the LADO links.\n[My tasks]" \
               in _told(bot, "head-qa", marks["head-qa"])
        said = await _say(bot, demo_aad, "ro-2", "forward plan")
        assert said == f"Forward plan: {PPG}\nNothing is waiting for the {PPG}.\n[Show the next agenda]"

        # 9 March: Priya and Casey absent again without a delegate (apologies are not a delegate).
        at(clock, 2027, 3, 9, 12)
        said = await _say(bot, demo_aad, "qa-1", ROLL_MARCH)
        assert f"Only the chair of the {PPG}" in said
        async with services.uow() as uow:
            march = (await uow.meetings.between("ppp_group", *_day_bounds(2027, 3, 9)))[0]
            assert await uow.meetings.attendance(march.id) == []
        head_qa = len(bot.channel.in_conversation("a:head-qa"))
        said = await _say(bot, demo_aad, CHAIR, ROLL_MARCH)
        assert said.startswith(
            f"Attendance\nAttendance recorded for the {PPG} meeting on 9 March 2027. Priya Patel-Owens has missed 2 meetings "
            f"of the {PPG} in a row without sending a delegate (DOR-11). The meeting on 9 March 2027 was short: "
            "1 of 2 Quality Assurance Managers attended (DOR-11).")
        assert _told(bot, "head-qa", head_qa) == [
            f"Absences: {PPG}\nPriya Patel-Owens has missed 2 meetings of the {PPG} in a row without sending a delegate (DOR-11).\n[My tasks]",
            f"Short meeting: {PPG}\nThe meeting on 9 March 2027 was short: 1 of 2 Quality Assurance Managers attended (DOR-11).\n[My tasks]"]
    finally:
        await bot.stop()


def _day_bounds(y: int, m: int, d: int):
    from datetime import date, time

    from governance import meetings as gm

    return gm.starts_at(date(y, m, d), time.min), gm.starts_at(date(y, m, d), time.max)
