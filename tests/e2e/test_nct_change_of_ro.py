"""NCT-1: a change of Responsible Officer reported in conversation, by the RO, their RSM or the PPO,
confirmed before it is done; the PPO is told; the tracker, 'status' and 'my documents' show the new
RO. In Teams and by email, and `policybot owner reassign` by names. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import os
import re
from unittest import mock

import pytest

from bot.app import RUNTIME_KEY
from policybot.cli import main
from services.register.exporting import export_register
from tests.support.cases import last_to, text_of
from tests.support.channel import card_of, readable
from tests.support.nct import email, email_text, hello, mails_to


def _confirm_command(activity: dict) -> str:
    """The command the card's Yes button says on the person's behalf."""
    yes = next(a for a in card_of(activity)["actions"] if a["title"].startswith("Yes"))
    return yes["data"]["command"]


async def _tracker_ro(bot, ref: str, tmp_path) -> str:
    out = tmp_path / "tracker.csv"
    await export_register(bot.app[RUNTIME_KEY].services, out)
    with out.open(encoding="utf-8-sig") as f:
        return next(r["Responsible Officer"] for r in csv.DictReader(f) if r["Ref"] == ref)


async def test_nct_1_the_ro_reports_a_handover_in_teams_and_confirms_it(nct_bot, demo_aad, tmp_path):
    """NCT-1: "I've handed PP-003 over to Charlie from Monday" is asked back, not done; Yes does it;
    the PPO and the RSM are told; open work moves; nobody else may report or confirm it."""
    bot = nct_bot
    await hello(bot, demo_aad, "ppo", "rsm-safeguarding", "ro-1", "ro-3", "ro-4")
    alex, charlie = demo_aad["ro-1"], demo_aad["ro-3"]
    await bot.say("review PP-003", aad=alex, conversation="a:ro-1")

    said = await bot.say("I\u2019ve handed PP-003 over to Charlie from Monday", aad=alex, conversation="a:ro-1")
    asked = said.replies[0]
    assert ("Please confirm: Charlie Vance becomes the Responsible Officer of PP-003 Strategy Discussions and Meetings "
            "in place of Alex Dunmore, from Monday 30 November 2026") in readable(asked)
    assert "Responsible Officer: Alex Dunmore" in text_of(await bot.say("status PP-003", aad=alex))  # not yet
    command = _confirm_command(asked)

    # Someone with no part in PP-003 can neither report a change nor confirm Alex's.
    said = await bot.say("PP-003's RO is now Drew Ashby", aad=demo_aad["ro-4"], conversation="a:ro-4")
    assert "Only the Responsible Officer of PP-003, its Responsible Strategic Manager or the Policy and Procedures Officer" in text_of(said)
    said = await bot.say(command, aad=demo_aad["ro-4"], conversation="a:ro-4")
    assert "I have no change of Responsible Officer waiting for you to confirm" in text_of(said)

    # Alex presses Yes (an Action.Submit: the command arrives as the activity's value).
    said = await bot.send(bot.activity(None, aad=alex, conversation="a:ro-1", value={"command": command}))
    done = text_of(said)
    assert "Done: Charlie Vance is now the Responsible Officer of PP-003, from Monday 30 November 2026." in done
    assert "Open cases moved with it: case 1." in done
    told = readable(last_to(bot, "a:ppo"))
    assert "Change of Responsible Officer" in told and "Charlie Vance now owns 1 document that Alex Dunmore owned" in told
    assert "Reported by Alex Dunmore." in told and "Effective from Monday 30 November 2026." in told
    assert "Charlie Vance is now the Responsible Officer of PP-003" in readable(last_to(bot, "a:rsm-safeguarding"))
    assert "Documents handed over to you" in readable(last_to(bot, "a:ro-3"))

    assert "Responsible Officer: Charlie Vance" in text_of(await bot.say("status PP-003", aad=alex))
    mine = text_of(await bot.say("my documents", aad=charlie))
    assert "**PP-003** Strategy Discussions and Meetings" in mine
    assert "PP-003" not in text_of(await bot.say("my documents", aad=alex))
    assert "Case 1: PP-003" in text_of(await bot.say("my tasks", aad=charlie))
    assert await _tracker_ro(bot, "PP-003", tmp_path) == "Charlie Vance"
    history = text_of(await bot.say("history PP-003", aad=alex))
    assert "Responsible Officer changed from Alex Dunmore to Charlie Vance" in history
    # A second press of the same Yes changes nothing.
    said = await bot.send(bot.activity(None, aad=alex, conversation="a:ro-1", value={"command": command}))
    assert "has changed since you asked" in text_of(said) or "already done" in text_of(said)


@pytest.mark.by_email("rsm-safeguarding", "ppo")
async def test_nct_1_the_rsm_standing_in_names_an_ro_by_email(nct_bot, demo_aad, smtp):
    """NCT-1 by email: PP-007 has no RO, so its RSM stands in; the RSM names one by email and
    confirms with the words the reply gives; the PPO is told by email."""
    bot = nct_bot
    said = await email(bot, "rsm-safeguarding", "The RO for PP-007 is now Frankie Osei from 1st December")
    text = email_text(said)
    assert ("Frankie Osei becomes the Responsible Officer of PP-007 Allegations Against Staff and Volunteers (LADO) in place "
            "of Morgan Reyes (the RSM, standing in), from Tuesday 1 December 2026") in text
    words = re.search(r"reply '(confirm RO change [0-9a-f]{8})'", text).group(1)
    said = await email(bot, "rsm-safeguarding", words)
    assert "Done: Frankie Osei is now the Responsible Officer of PP-007" in email_text(said)
    to_ppo = [m for m in mails_to(smtp, "ppo") if m.startswith("Change of Responsible Officer")]
    assert len(to_ppo) == 1 and "Reported by Morgan Reyes" in to_ppo[0] and "The tracker is updated (NCT-1)" in to_ppo[0]
    said = await email(bot, "rsm-safeguarding", "status PP-007")
    assert "Responsible Officer: Frankie Osei" in email_text(said)
    said = await email(bot, "rsm-safeguarding", "PP-007's RO is now Nobody Atall")
    assert "I can't find anyone called \"Nobody Atall\"" in email_text(said)


async def test_nct_1_owner_reassign_on_the_command_line_names_people(nct_bot, capsys):
    """NCT-1 from the CLI: `policybot owner reassign "Alex Dunmore" "Charlie Vance" --ref PP-001`."""
    bot = nct_bot
    env = {"DATABASE_URL": bot.settings.database_url, "POLICYBOT_DEMO": "0"}
    with mock.patch.dict(os.environ, env):
        code = await asyncio.to_thread(main, ["owner", "reassign", "Alex Dunmore", "Charlie Vance", "--ref", "PP-001"])
    assert code == 0
    out = capsys.readouterr().out
    assert "Handed over 1 documents (PP-001) from Alex Dunmore to Charlie Vance" in out
    said = await bot.say("status PP-001")
    assert "Responsible Officer: Charlie Vance" in text_of(said)
