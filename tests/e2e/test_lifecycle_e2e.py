"""The NCT scheduled review lived through the bot over HTTP (issue 4): RO, RSM and PPO, with
cards, attachments, conditions, forged and stale clicks. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from store.case_models import DraftVersion
from tests.support.cases import review_ticked
from tests.support.channel import card_of, readable
from connectors.word.samples import plain_docx, tracked_docx


def buttons(activity: dict) -> dict[str, dict]:
    card = card_of(activity) or {}
    return {a["data"]["action"]: a for a in card.get("actions", []) if a.get("verb") == "case"}


async def press(bot, who_aad: str, button: dict, **inputs) -> dict:
    """Press an Action.Execute button as `who` (the identity comes from the channel, not the card)."""
    if "text" in inputs:  # the card's text box for this action (governance/actions.py gives each its own)
        inputs[f"{button['data']['action']}_text"] = inputs.pop("text")
    act = bot.activity(None, kind="invoke", aad=who_aad, activity_name="adaptiveCard/action",
                       value={"action": {"type": "Action.Execute", "verb": button["verb"], "data": {**button["data"], **inputs}}})
    said = await bot.send(act)
    assert said.status == 200, said.body
    return said.body["value"]


def card_words(card: dict) -> str:
    from tests.support.channel import card_text

    return card_text(card)


async def _drafts(bot) -> int:
    from bot.app import RUNTIME_KEY

    async with bot.app[RUNTIME_KEY].store.sessionmaker() as s:
        return (await s.execute(select(func.count()).select_from(DraftVersion))).scalar_one()


async def test_nct_scheduled_review_with_conditions_from_request_to_publication(bot, demo_aad):
    """NCT-11 (a review started early), NCT-16 (checklist), NCT-6 (tracked changes), NCT-8 (conditions
    checked by the RSM), NCT-10 (the PPO submits), and forged/stale clicks refused."""
    ro, rsm, ppo = demo_aad["ro-1"], demo_aad["rsm-safeguarding"], demo_aad["ppo"]
    rsm_conv, ppo_conv = "a:rsm-chat", "a:ppo-chat"
    # The RSM and the PPO have talked to the bot before, so it can reach them.
    await bot.say("help", aad=rsm, conversation=rsm_conv)
    await bot.say("help", aad=ppo, conversation=ppo_conv)

    # NCT-11: the RO starts the scheduled review early.
    said = await review_ticked(bot, "PP-001", aad=ro, conversation="a:ro-chat")
    opened = readable(said.replies[0])
    assert "Case 1" in opened and "RO reviews and amends the procedure" in opened
    assert "Copy the current procedure from the manual into Word" in opened  # NCT-16 checklist

    # NCT-6: an amended draft without tracked changes is refused, and nothing is stored.
    act = bot.activity("", aad=ro, conversation="a:ro-chat", attachments=[bot.channel.attach("untracked.docx", plain_docx())])
    said = await bot.send(act)
    assert "tracked changes" in readable(said.replies[0])
    assert await _drafts(bot) == 0

    # A corrupt file gets a plain reason.
    act = bot.activity("", aad=ro, conversation="a:ro-chat", attachments=[bot.channel.attach("broken.docx", b"PK\x03\x04junk")])
    said = await bot.send(act)
    assert "not a Word document" in readable(said.replies[0])

    # The tracked draft is stored and goes to the RSM, who gets a card with their buttons.
    before = len(bot.channel.in_conversation(rsm_conv))
    act = bot.activity("", aad=ro, conversation="a:ro-chat", attachments=[bot.channel.attach("amended.docx", tracked_docx())])
    said = await bot.send(act)
    assert "stored as draft version 1" in readable(said.replies[0])
    assert await _drafts(bot) == 1
    to_rsm = bot.channel.in_conversation(rsm_conv)[before:]
    assert len(to_rsm) == 1
    rsm_buttons = buttons(to_rsm[0])
    assert set(rsm_buttons) >= {"approve", "approve_with_conditions", "defer"}

    # A forged click: the RO presses the RSM's Approve button. Refused; nothing changes.
    refused = await press(bot, ro, rsm_buttons["approve"])
    assert "Not done: Only the Responsible Strategic Manager for this procedure can approve it." in card_words(refused)

    # Conditions need their text.
    refused = await press(bot, rsm, rsm_buttons["approve_with_conditions"], text="  ")
    assert "Not done: Please say" in card_words(refused)

    # NCT-8: approve subject to amendments.
    done = await press(bot, rsm, rsm_buttons["approve_with_conditions"], text="Add the 72-hour return home interview timescale")
    assert "Approved with conditions" in card_words(done)

    # The same card pressed again (stale) changes nothing.
    stale = await press(bot, rsm, rsm_buttons["approve"])
    assert "out of date" in card_words(stale)

    # The RO amends and resubmits; the RSM checks and confirms.
    act = bot.activity("", aad=ro, conversation="a:ro-chat", attachments=[bot.channel.attach("amended-2.docx", tracked_docx())])
    said = await bot.send(act)
    assert "draft version 2" in readable(said.replies[0])
    said = await bot.say("my tasks", aad=rsm, conversation=rsm_conv)
    assert "Case 1: PP-001 Children Missing from Home and Care" in readable(said.replies[0])
    said = await bot.say("case 1", aad=rsm, conversation=rsm_conv)
    check = buttons(said.replies[0])
    assert set(check) == {"confirm_conditions_met", "conditions_not_met"}
    before_ppo = len(bot.channel.in_conversation(ppo_conv))
    await press(bot, rsm, check["confirm_conditions_met"])

    # NCT-10: the PPO is told and submits it for publication.
    to_ppo = bot.channel.in_conversation(ppo_conv)[before_ppo:]
    assert to_ppo, "the PPO was not told"
    await press(bot, ppo, buttons(to_ppo[-1])["submit_to_publisher"])
    publish = buttons(bot.channel.in_conversation(ppo_conv)[-1])["published_in_edition"]
    refused = await press(bot, ppo, publish, edition="14")
    assert "version number" in card_words(refused)
    done = await press(bot, ppo, publish, version="4.0", edition="14")
    assert "Published in edition 14 of the manual on 23 November 2026 as version 4.0" in card_words(done)

    said = await bot.say("status PP-001", aad=ro)
    status = readable(said.replies[0])
    assert "Version: 4.0" in status and "Next review by: 23 November 2027" in status
    said = await bot.say("history PP-001", aad=ro)
    history = readable(said.replies[0])
    for line in ("Scheduled review opened", "Draft version 1 stored", "Approved with conditions: Add the 72-hour",
                 "Conditions confirmed as met", "Submitted to the publisher", "as version 4.0"):
        assert line in history, line


async def test_nct_13_an_unscheduled_review_asks_for_its_trigger(bot, demo_aad):
    said = await bot.say("unscheduled review PP-002", aad=demo_aad["qa-1"])
    text = readable(said.replies[0])
    assert "needs its reason" in text and "A case audit recommendation" in text
    said = await bot.say("unscheduled review PP-002 because a case audit recommendation", aad=demo_aad["qa-1"])
    assert "Case 1 is open: unscheduled review of PP-002" in readable(said.replies[0])


async def test_only_the_owners_or_the_ppo_can_start_a_scheduled_review(bot, demo_aad):
    said = await bot.say("review PP-001", aad=demo_aad["qa-1"])
    assert "Only the Responsible Officer or Responsible Strategic Manager of PP-001" in readable(said.replies[0])


async def test_nct_12_a_review_with_no_changes(bot, demo_aad):
    ro, rsm = demo_aad["ro-2"], demo_aad["rsm-cla"]
    said = await bot.say("review PP-017", aad=ro)  # no draft: the checklist does not hold a no-change statement
    no_change = buttons(said.replies[0])["no_change"]
    await press(bot, ro, no_change)
    said = await bot.say("case 1", aad=rsm)
    done = await press(bot, rsm, buttons(said.replies[0])["approve"])
    assert "reviewed no change" in card_words(done).lower()
    said = await bot.say("history PP-017", aad=ro)
    assert "The Placement with Foster Carers has been reviewed and no changes are required." in readable(said.replies[0])


async def test_after_a_decision_every_older_card_updates_in_place(bot, demo_aad):
    """Issue 4 item 5: no stale button remains on anyone's screen after a decision."""
    ro, rsm = demo_aad["ro-1"], demo_aad["rsm-safeguarding"]
    await bot.say("help", aad=rsm, conversation="a:rsm-chat")
    await review_ticked(bot, "PP-001", aad=ro, conversation="a:ro-chat")
    act = bot.activity("", aad=ro, conversation="a:ro-chat", attachments=[bot.channel.attach("d.docx", tracked_docx())])
    await bot.send(act)
    card_to_rsm = bot.channel.in_conversation("a:rsm-chat")[-1]
    approve = buttons(card_to_rsm)["approve"]
    await press(bot, rsm, approve)
    updates = [r for r in bot.channel.received if r.method == "PUT" and r.conversation_id == "a:rsm-chat"]
    assert len(updates) == 1
    assert "approve" not in buttons(updates[0].activity)  # the old Approve button is gone
    assert "PPO submits to the publisher" in readable(updates[0].activity)


async def test_decisions_by_email_reply_words(bot, demo_aad):
    """Issue 4 item 9: by email (no card buttons) the RSM decides by replying in words; the reply
    shows the words to use; a repeated delivery of the same email is handled once."""
    ro = demo_aad["ro-1"]
    await review_ticked(bot, "PP-001", aad=ro, conversation="a:ro-chat")
    act = bot.activity("", aad=ro, conversation="a:ro-chat", attachments=[bot.channel.attach("d.docx", tracked_docx())])
    await bot.send(act)
    rsm_email = "morgan.reyes@example.org"
    said = await bot.say("case 1", channel_id="email", user_id=rsm_email, conversation="email-rsm")
    assert "APPROVE case 1" in said.replies[0]["text"]
    assert "APPROVE WITH CONDITIONS case 1: <your words>" in said.replies[0]["text"]
    assert "htmlBody" in said.replies[0]["channelData"]
    decision = bot.activity("Approve with conditions case 1: Add the 72-hour Timescale", channel_id="email",
                            user_id=rsm_email, conversation="email-rsm")
    said = await bot.send(decision)
    assert "Approved with conditions: Add the 72-hour Timescale" in said.replies[0]["text"]
    await bot.send(decision)  # the email channel re-sends when we are slow
    assert len(bot.channel.replies_to(decision["id"])) == 1
    # The RO, who is not an RSM, cannot approve by email either.
    said = await bot.say("APPROVE case 1", channel_id="email", user_id="alex.dunmore@example.org", conversation="email-ro")
    assert "can't be done" in said.replies[0]["text"] or "Only the" in said.replies[0]["text"]
