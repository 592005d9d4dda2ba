"""NCT-13 and NCT-15: unscheduled reviews. The PPO is told of every request as well as the RO; a
reason in free text is read as one of the four triggers and confirmed; the prompter may be someone
outside the bot, recorded by name and email address; a "no changes" outcome sends the RO's
explanation to the prompter with the RSM copied. In Teams and by email; SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from tests.support.cases import buttons, last_to, press, text_of
from tests.support.channel import card_of, readable
from tests.support.nct import email, email_text, hello, mails_to

AUDITOR = "jo.bloggs@audit.example"
WHY = "The new guidance repeats the court timetable our procedure already follows, so nothing in it changes."


def _yes(activity: dict) -> str:
    return next(a for a in card_of(activity)["actions"] if a["title"].startswith("Yes"))["data"]["command"]


@pytest.mark.by_email("ad-children")
async def test_nct_13_15_free_text_reason_an_outside_auditor_and_the_no_change_explanation(nct_bot, demo_aad, smtp):
    bot = nct_bot
    await hello(bot, demo_aad, "ppo", "ro-6", "qa-1")
    qa, ro = demo_aad["qa-1"], demo_aad["ro-6"]
    said = await bot.say(f"unscheduled review of PP-015 because the statutory guidance was updated, prompted by Jo Bloggs {AUDITOR}",
                         aad=qa, conversation="a:qa-1")
    asked = said.replies[0]
    assert "I read your reason as 'A change in legislation or statutory guidance'. Is that right?" in readable(asked)
    assert "In your words: the statutory guidance was updated" in readable(asked)
    said = await bot.send(bot.activity(None, aad=qa, conversation="a:qa-1", value={"command": _yes(asked)}))
    assert "Case 1 is open: unscheduled review of PP-015 Care Proceedings" in text_of(said)

    to_ppo = readable(last_to(bot, "a:ppo"))  # NCT-13: the PPO as well as the RO
    assert "Unscheduled review requested: PP-015 Care Proceedings" in to_ppo
    assert "Trigger: A change in legislation or statutory guidance. In their words: the statutory guidance was updated." in to_ppo
    assert f"Prompted by Jo Bloggs ({AUDITOR})." in to_ppo
    assert "Care Proceedings" in readable(last_to(bot, "a:ro-6"))
    history = text_of(await bot.say("history PP-015", aad=qa, conversation="a:qa-1"))
    assert f"Prompted by Jo Bloggs ({AUDITOR})" in history

    card = last_to(bot, "a:ro-6")
    refused = await press(bot, ro, buttons(card)["no_change"], conversation="a:ro-6")
    assert "Please say why no changes are needed: your explanation goes to whoever prompted the review" in refused
    await press(bot, ro, buttons(card)["no_change"], conversation="a:ro-6", text=WHY)
    # NCT-15: the auditor (outside the directory) gets the explanation by email; the RSM is copied.
    to_auditor = [m for m in smtp.received if AUDITOR in m.rcpt_tos]
    assert len(to_auditor) == 1
    body = to_auditor[0].part("text/plain")
    assert "The Care Proceedings has been reviewed and no changes are required." in body and WHY in body
    assert "prompted by: A change in legislation or statutory guidance" in body
    copied = [m for m in mails_to(smtp, "ad-children") if m.startswith("Review outcome: PP-015")]
    assert len(copied) == 1 and WHY in copied[0]
    assert "Review outcome: PP-015" in readable(last_to(bot, "a:qa-1"))  # the person who asked for it, too
    said = await email(bot, "ad-children", "APPROVE case 1")
    assert "reviewed no change" in email_text(said).lower()
    assert "Review agreed, no changes: PP-015" in readable(last_to(bot, "a:ppo"))


@pytest.mark.by_email("qa-1", "ppo")
async def test_nct_13_by_email_a_reason_read_confirmed_and_a_prompter_in_the_directory(nct_bot, demo_aad, smtp):
    bot = nct_bot
    said = await email(bot, "qa-1", "unscheduled review PP-002 because our case audit found the threshold unclear")
    text = email_text(said)
    assert "I read your reason as 'A case audit recommendation'" in text
    words = re.search(r"To confirm, reply '([^']+)'", text).group(1)
    said = await email(bot, "qa-1", "unscheduled review PP-002 because it just feels old")
    assert "needs its reason" in email_text(said) and "A confirmed gap in the procedures" in email_text(said)
    said = await email(bot, "qa-1", words)
    assert "Case 1 is open: unscheduled review of PP-002" in email_text(said)
    assert any(m.startswith("Unscheduled review requested: PP-002") and "Trigger: A case audit recommendation" in m
               for m in mails_to(smtp, "ppo"))
    said = await email(bot, "qa-1", "unscheduled review PP-003 because there is a gap: it does not cover virtual strategy "
                                    "meetings; prompted by Nobody Known")
    text = email_text(said)
    assert "Is that right?" in text
    words = re.search(r"To confirm, reply '([^']+)'", text).group(1)
    said = await email(bot, "qa-1", words)
    assert "is not in the directory: please give their email address too" in email_text(said)
    said = await email(bot, "qa-1", words.replace("Nobody Known", "Frankie Osei"))
    assert "Case 2 is open: unscheduled review of PP-003" in email_text(said)
