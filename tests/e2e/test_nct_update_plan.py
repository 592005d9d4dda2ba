"""Route 1 over HTTP (NCT-2, NCT-3, NCT-4): the PPO records the deadlines and attaches the publisher's update
plan (a real .xlsx of 320 chapters) in Teams; the preview names the local procedures it touches; the Apply
button opens their scheduled-update cases. The clock moves across Christmas to the window's opening, when the
ROs get the recommended amendments (in Teams, and one by email) and the RSMs are told; then to the closing
warning, the deadline (a missed change moves to the next update, 4 June 2027), the spring bank holiday before
that one's warning, and its deadline with no later one recorded (the PPO is asked to record it)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from bot.app import DISPATCHER_KEY, SERVICES_KEY
from services.clock import LONDON
from tests.support.cases import sent_to, text_of
from tests.support.channel import readable
from tests.support.nct import update_sweep_at as _at, attach, email, email_text, hello, mails_to
from tests.support.update_plan import CHAPTER, plan_docx, plan_rows, plan_xlsx

NAME = "Tri.x Update Plan March 2027.xlsx"


def _texts(bot, conversation: str) -> str:
    return "\n".join(readable(a) for a in sent_to(bot, conversation))


@pytest.mark.by_email("ro-3")
async def test_nct_3_nct_4_the_update_plan_from_teams_to_a_missed_deadline(nct_bot, demo_aad, smtp, clock):
    bot = nct_bot
    await hello(bot, demo_aad, "ppo", "ro-1", "rsm-safeguarding", "rsm-cla")
    said = await bot.say("the Tri.x deadlines are 5/3/27 and 4th June 2027", aad=demo_aad["ppo"], conversation="a:ppo")
    assert "Done: the update deadlines are Friday 5 March 2027 and Friday 4 June 2027." in text_of(said)

    services = bot.app[SERVICES_KEY]
    async with services.uow() as uow:  # one chapter of the synced manual: the publisher's title for PP-017's chapter
        now = services.clock.now()
        await uow.manual.add(url=CHAPTER[1], title=CHAPTER[0], section="Children in Care", text="Placements in foster care.",
                             content_hash="0" * 64, links=[], first_seen_at=now, changed_at=now, fetched_at=now)
        await uow.commit()

    refused = await attach(bot, demo_aad["ro-1"], "a:ro-1", NAME, plan_xlsx(plan_rows()), "the update plan")
    assert "Only the Policy and Procedures Officer gives me the publisher's update plan (NCT-3)" in text_of(refused)

    said = await attach(bot, demo_aad["ppo"], "a:ppo", NAME, plan_xlsx(plan_rows()), "Here's the Tri.x update plan")
    preview = text_of(said)
    assert "Local procedures affected: 6" in preview and "For the update deadline Friday 5 March 2027" in preview
    assert "PP-001 Children Missing from Home and Care (RO Alex Dunmore; 2 amendments, matched by title)" in preview
    assert "PP-017 Placement with Foster Carers (RO Jamie Castellan; 1 amendment, matched by the manual's chapter)" in preview
    assert "Rows that match no local procedure" in preview
    [apply] = [a for a in said.replies[0]["attachments"][0]["content"]["actions"] if a["title"].startswith("Apply")]
    assert bot.app[SERVICES_KEY].clock.today().isoformat() == "2026-11-23"

    done = await bot.send(bot.activity("", aad=demo_aad["ppo"], conversation="a:ppo", value=apply["data"]))
    assert ("is applied for the Friday 5 March 2027 deadline: 6 scheduled-update cases opened. Their ROs get the "
            "recommended amendments on Friday 22 January 2027, when the six-week window opens") in text_of(done)
    await bot.app[DISPATCHER_KEY].drain()
    assert "recommended amendments" not in _texts(bot, "a:ro-1")  # held until the window opens (NCT-4)

    # Across Christmas to the window's opening: the instructions go.
    await _at(bot, clock, datetime(2027, 1, 22, 9, 5, tzinfo=LONDON))
    to_ro = _texts(bot, "a:ro-1")
    assert "Scheduled update: PP-001 Children Missing from Home and Care: the publisher's recommended amendments" in to_ro
    assert "National Referral Mechanism" in to_ro and "by Friday 5 March 2027" in to_ro
    assert "Scheduled update: PP-001 Children Missing from Home and Care" in _texts(bot, "a:rsm-safeguarding")
    mail = [m for m in mails_to(smtp, "ro-3") if m.startswith("Scheduled update: PP-021")]
    assert mail and "Personal adviser support extended to 25" in mail[0]  # the RO who works by email
    assert "Scheduled update: PP-021 Leaving Care and Transition to Adulthood" in _texts(bot, "a:rsm-cla")

    # Five working days before the deadline: the warning.
    await _at(bot, clock, datetime(2027, 2, 26, 9, 30, tzinfo=LONDON))
    assert "The update window closes on Friday 5 March 2027: PP-001" in _texts(bot, "a:ro-1")
    assert "The update window closes on Friday 5 March 2027: PP-001" in _texts(bot, "a:rsm-safeguarding")

    # The deadline passes with nothing submitted: every change moves to the June update.
    await _at(bot, clock, datetime(2027, 3, 8, 9, 30, tzinfo=LONDON))
    moved = "Missed the Friday 5 March 2027 update: PP-001 Children Missing from Home and Care"
    for conversation in ("a:ro-1", "a:rsm-safeguarding", "a:ppo"):
        assert moved in _texts(bot, conversation)
    assert "must be approved and submitted by Friday 4 June 2027" in _texts(bot, "a:ro-1")
    assert any(m.startswith("Missed the Friday 5 March 2027 update: PP-021") for m in mails_to(smtp, "ro-3"))
    history = text_of(await bot.say("history PP-001", aad=demo_aad["ro-1"], conversation="a:ro-1"))
    assert "Missed the Friday 5 March 2027 update; moved to the next, Friday 4 June 2027, case 1" in history
    card = text_of(await bot.say("case 1", aad=demo_aad["ro-1"], conversation="a:ro-1"))
    assert "Update deadline: Friday 4 June 2027" in card and "Missed updates: Friday 5 March 2027" in card
    assert "return home interviews within 72 hours" in card  # the publisher's material stays on the case

    # The spring bank holiday (Monday 31 May) moves the June warning to Thursday 27 May.
    await _at(bot, clock, datetime(2027, 5, 26, 9, 30, tzinfo=LONDON))
    assert "The update window closes on Friday 4 June 2027" not in _texts(bot, "a:ro-1")
    await _at(bot, clock, datetime(2027, 5, 27, 9, 30, tzinfo=LONDON))
    assert "The update window closes on Friday 4 June 2027: PP-001" in _texts(bot, "a:ro-1")

    # Missed again, and no later deadline is recorded: the PPO is asked to record it.
    await _at(bot, clock, datetime(2027, 6, 7, 9, 30, tzinfo=LONDON))
    assert "No later update deadline is recorded yet" in _texts(bot, "a:ppo")
    said = await bot.say("the Tri.x deadlines are 3 September 2027", aad=demo_aad["ppo"], conversation="a:ppo")
    await _at(bot, clock, datetime(2027, 6, 8, 9, 30, tzinfo=LONDON))
    assert "must be approved and submitted by Friday 3 September 2027" in _texts(bot, "a:ro-1")


@pytest.mark.by_email("ro-3", "ppo")
async def test_nct_3_the_plan_by_email_as_a_word_table_and_applied_by_reply_words(nct_bot, smtp, clock):
    """NCT-3 by email: the PPO emails the plan as a Word table; the preview says the words to reply;
    'apply update plan <token>' applies it. Inside the window the RO's instruction goes at once (NCT-4)."""
    bot = nct_bot
    clock.set(datetime(2027, 2, 1, 10, 0, tzinfo=LONDON))
    said = await email(bot, "ppo", "the Tri.x deadline is 5 March 2027")
    assert "Done: the update deadlines are Friday 5 March 2027." in email_text(said)
    bot.channel.files["March plan.docx"] = plan_docx(plan_rows(120))
    attachment = {"contentType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "name": "March plan.docx", "contentUrl": f"{bot.channel.url}files/March plan.docx"}
    said = await email(bot, "ppo", "Tri.x update plan attached", attachments=[attachment])
    preview = email_text(said)
    assert "5 local procedures affected" in preview and "the review window opens on Friday 22 January 2027" in preview
    [words] = re.findall(r"Reply '(APPLY UPDATE PLAN [0-9A-F]{12})'", preview)
    said = await email(bot, "ppo", words.lower() + "\n\nOn Mon, 1 Feb 2027, policybot wrote:\n> Update plan preview: March plan.docx")
    assert "now, as the window is open" in email_text(said)
    await bot.app[DISPATCHER_KEY].drain()
    mail = [m for m in mails_to(smtp, "ro-3") if m.startswith("Scheduled update: PP-021 Leaving Care")]
    assert mail and "Personal adviser support extended to 25" in mail[0] and "by Friday 5 March 2027" in mail[0]
