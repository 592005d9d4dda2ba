"""The chair of Dorset's Group talks to the bot over HTTP (issue 7, item 8): the next agenda, who
has not sent papers, moving an item, and recording outcomes by typing or from the card, with the
identity taken from the channel. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.app import SERVICES_KEY
from services.meetings import agenda as meetings
from services.clock import LONDON, FixedClock
from tests.support.bot import RunningBot, settings_for
from tests.support.channel import card_of, readable
from tests.support.meetings import at, review_to_group, who

CHAIR = "ad-children"


async def test_dor9_dor4_chair_runs_the_agenda_in_conversation(db_url, demo_aad):
    """DOR-9 agenda read in Teams; DOR-8 missing papers; the chair moves an item to next month;
    DOR-4 outcomes typed and from the card; a forged card submission by the owner is refused."""
    clock = FixedClock(datetime(2027, 1, 20, 10, tzinfo=LONDON))
    bot = await RunningBot(settings_for(db_url, POLICYBOT_PRESET="dorset"), clock=clock).start()
    try:
        services = bot.app[SERVICES_KEY]
        chair, ro1, ro2 = demo_aad[CHAIR], demo_aad["ro-1"], demo_aad["ro-2"]
        for aad, conv in ((chair, "a:chair"), (ro1, "a:ro1"), (ro2, "a:ro2")):
            await bot.say("help", aad=aad, conversation=conv)
        await review_to_group(services, "PP-002", "ro-1")
        await review_to_group(services, "PP-044", "ro-2")
        await meetings.place_on_agenda(services, who("ppo"), "PP-003", "PPG")  # no draft yet

        said = await bot.say("What is on the next agenda for PPG?", aad=chair, conversation="a:chair")
        text = readable(said.replies[0])
        assert text.startswith("Practice, Policy and Procedures Group: Tuesday 9 February 2027\n"
                               "Item and draft due: 26 January 2027\nPapers go to members: 4 February 2027\n"
                               "Progress report and outstanding actions\n1. Progress report and outstanding actions\n"
                               "New proposals and drafts\n(nothing yet)\n"
                               "Reviews\n2. PP-002 Section 47 Enquiries (presented by Alex Dunmore)\n"
                               "3. PP-044 Private Fostering (presented by Jamie Castellan)\n"
                               "4. PP-003 Strategy Discussions and Meetings (presented by Alex Dunmore)\n"
                               "Information items\n(nothing yet)\nHorizon scanning\n(nothing yet)\n")
        assert said.replies[0]["summary"].startswith("Agenda: Practice, Policy and Procedures Group, Tuesday 9 February 2027 at 10:00")

        said = await bot.say("who has not sent papers?", aad=chair, conversation="a:chair")
        assert readable(said.replies[0]) == "Papers\n" + (
            "Papers not yet sent for the Practice, Policy and Procedures Group, Tuesday 9 February 2027 (due 26 January 2027):\n"
            "- Item 4: PP-003 Strategy Discussions and Meetings: Alex Dunmore")

        said = await bot.say("move item 3 to next month", aad=ro2, conversation="a:ro2")
        assert "Only the chair of the Practice, Policy and Procedures Group" in readable(said.replies[0])
        before = len(bot.channel.in_conversation("a:ro2"))
        said = await bot.say("move item 3 to next month", aad=chair, conversation="a:chair")
        assert readable(said.replies[0]).startswith(
            "Item 3, PP-044 Private Fostering, moves from 9 February 2027 to the meeting on Tuesday 9 March 2027.")
        told = bot.channel.in_conversation("a:ro2")[before:]
        assert [readable(a).split("\n")[0] for a in told] == ["Moved to 9 March 2027: PP-044 Private Fostering"]

        said = await bot.say("record outcome item 2: approved", aad=chair, conversation="a:chair")
        assert "outcomes are recorded at or after the meeting" in readable(said.replies[0])

        at(clock, 2027, 2, 9, 12)
        said = await bot.say("record outcome item 2", aad=chair, conversation="a:chair")
        card = card_of(said.replies[0])
        choices = [c["value"] for b in card["body"] if b.get("id") == "outcome" for c in b["choices"]]
        assert choices == ["approved", "approved_with_amendments", "approved_by_vote", "referred", "deferred"]  # DOR-4
        submit = card["actions"][0]["data"]

        # The owner submits the chair's card: the channel says who they are, so it is refused.
        forged = bot.activity(None, aad=ro1, conversation="a:ro1", value={**submit, "outcome": "approved"})
        said = await bot.send(forged)
        assert "Only the chair" in readable(said.replies[0])

        before = len(bot.channel.in_conversation("a:ro1"))
        pressed = bot.activity(None, aad=chair, conversation="a:chair",
                               value={**submit, "outcome": "approved_with_amendments", "note": "Add the LADO details"})
        said = await bot.send(pressed)
        assert readable(said.replies[0]).startswith(
            "Item 2, PP-002 Section 47 Enquiries: approved with amendments: Add the LADO details. Case 1: Approved with conditions")
        told = [readable(a) for a in bot.channel.in_conversation("a:ro1")[before:]]
        assert any("Please amend the draft as follows" in t and "Add the LADO details" in t for t in told)

        said = await bot.say("record outcome item 2: approved", aad=chair, conversation="a:chair")
        assert "Item 2 already has its outcome: approved with amendments." in readable(said.replies[0])
        said = await bot.say("record outcome item 3: approved by vote 2-5", aad=chair, conversation="a:chair")
        assert "The vote did not carry (2 for, 5 against)" in readable(said.replies[0])
        said = await bot.say("record outcome item 3: approved by vote 6-2", aad=chair, conversation="a:chair")
        assert readable(said.replies[0]).startswith("Item 3, PP-003 Strategy Discussions and Meetings: approved by vote (no consensus).")
    finally:
        await bot.stop()
