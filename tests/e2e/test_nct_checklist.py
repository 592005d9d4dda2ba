"""NCT-16: the RO works through the five-point review checklist, ticking it item by item on their
card (or by number in chat and email), with who ticked it and when; a draft sent with items
unticked is kept but held back from the RSM until the RO says why (or ticks them); the reason goes
with the submission and the RSM sees it, with the checklist as it stands. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from connectors.word.samples import tracked_docx
from tests.support.cases import buttons, last_to, press, sent_to, text_of
from tests.support.channel import card_of, readable
from tests.support.nct import attach, email, email_text, hello, mails_to


def _toggles(activity: dict) -> dict[str, dict]:
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Input.Toggle" and node.get("id", "").startswith("checklist_"):
                found[node["id"]] = node
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(card_of(activity))
    return found


async def test_nct_16_the_checklist_ticked_item_by_item_in_teams(nct_bot, demo_aad):
    bot = nct_bot
    await hello(bot, demo_aad, "rsm-cla", "ro-2")
    ro = demo_aad["ro-2"]
    said = await bot.say("review PP-019", aad=ro, conversation="a:ro-2")
    toggles = _toggles(said.replies[0])
    assert len(toggles) == 5  # the five points of seed 001, 4.2
    assert toggles["checklist_1"]["title"].startswith("1. Copy the current procedure from the manual into Word")
    assert toggles["checklist_3"]["title"] == "3. Consider the impact on other procedures and whether they need amending too."
    save = buttons(said.replies[0])["tick_checklist"]
    assert save["title"] == "Save the checklist"
    done = await press(bot, ro, save, conversation="a:ro-2", checklist_1="true", checklist_2="true", checklist_3="false",
                       checklist_4="false", checklist_5="false")
    assert "Checklist: 2 of 5 ticked (1, 2) (NCT-16)" in done
    toggles = _toggles((await bot.say("case 1", aad=ro, conversation="a:ro-2")).replies[0])
    assert "(ticked by Jamie Castellan, " in toggles["checklist_1"]["title"] and toggles["checklist_1"]["value"] == "true"
    assert "ticked by" not in toggles["checklist_3"]["title"] and toggles["checklist_3"]["value"] == "false"
    said = await bot.say("tick case 1: 4", aad=ro, conversation="a:ro-2")
    assert "Checklist: 3 of 5 ticked (1, 2, 4)" in text_of(said)

    told_rsm = len(sent_to(bot, "a:rsm-cla"))
    said = await attach(bot, ro, "a:ro-2", "assess.docx", tracked_docx(title="Foster Carer Assessment and Approval"))
    reply = text_of(said)
    assert "stored as draft version 1" in reply
    assert "I have held it back from the Responsible Strategic Manager: checklist items 3, 5 are not ticked (NCT-16)" in reply
    assert len(sent_to(bot, "a:rsm-cla")) == told_rsm  # held: the RSM has nothing yet
    card = (await bot.say("case 1", aad=ro, conversation="a:ro-2")).replies[0]
    assert "Draft held back (NCT-16)" in readable(card)
    done = await press(bot, ro, buttons(card)["tick_checklist"], conversation="a:ro-2", checklist_1="true", checklist_2="true",
                       checklist_3="false", checklist_4="true", checklist_5="false",
                       text="3 does not apply: no other procedure covers assessments; 5 follows once signed off")
    assert "RSM approval" in done or "Responsible Strategic Manager" in done
    to_rsm = readable(last_to(bot, "a:rsm-cla"))
    assert "☑ 1. Copy the current procedure" in to_rsm and "(ticked by Jamie Castellan" in to_rsm
    assert "☐ 3. Consider the impact on other procedures and whether they need amending too. (not ticked)" in to_rsm
    assert "3 does not apply: no other procedure covers assessments; 5 follows once signed off" in to_rsm
    history = text_of(await bot.say("history PP-019", aad=ro, conversation="a:ro-2"))
    assert "Checklist: 2 of 5 ticked (1, 2) (NCT-16)" in history and "held back: checklist items 3, 5 are not ticked" in history
    assert "checklist items 3, 5 not ticked: 3 does not apply" in history


@pytest.mark.by_email("ro-2", "rsm-cla")
async def test_nct_16_the_checklist_by_email_with_a_reason_for_an_item_that_does_not_apply(nct_bot, demo_aad, smtp):
    bot = nct_bot
    said = await email(bot, "ro-2", "review PP-019")
    assert "TICK case 1: <the numbers ticked, e.g. 1, 2, 4>" in email_text(said)
    said = await email(bot, "ro-2", "TICK case 1: 1, 2, 4 and 5")
    assert "Checklist: 4 of 5 ticked (1, 2, 4, 5)" in email_text(said)
    said = await email(bot, "ro-2", "TICK case 1: item 3 does not apply, this procedure stands alone")
    assert "not applicable: item 3 does not apply, this procedure stands alone" in email_text(said)
    said = await email(bot, "ro-2", "TICK case 1: 9")
    assert "The checklist has 5 items: tick them by number, 1 to 5." in email_text(said)
    bot.channel.files["assess.docx"] = tracked_docx(title="Foster Carer Assessment and Approval")
    attachment = {"contentType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "name": "assess.docx", "contentUrl": f"{bot.channel.url}files/assess.docx"}
    said = await email(bot, "ro-2", "Draft attached", attachments=[attachment])
    assert "checklist items 3 not ticked: item 3 does not apply, this procedure stands alone (NCT-16)" in email_text(said)
    to_rsm = [m for m in mails_to(smtp, "rsm-cla") if "PP-019" in m][-1]
    assert "Checklist items not applicable: item 3 does not apply, this procedure stands alone" in to_rsm
    assert "☐ 3." in to_rsm or "Review checklist" in to_rsm


@pytest.mark.by_email("ro-2", "rsm-cla")
async def test_nct_16_a_draft_emailed_with_items_unticked_waits_for_the_ros_reason(nct_bot, demo_aad, smtp):
    """NCT-16 by email: the draft arrives with nothing ticked; it is kept and held back; the RO's
    reply with the reason sends it on, and the RSM's email carries the reason."""
    bot = nct_bot
    await email(bot, "ro-2", "review PP-019")
    bot.channel.files["assess.docx"] = tracked_docx(title="Foster Carer Assessment and Approval")
    attachment = {"contentType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "name": "assess.docx", "contentUrl": f"{bot.channel.url}files/assess.docx"}
    said = await email(bot, "ro-2", "Draft attached", attachments=[attachment])
    assert "held it back from the Responsible Strategic Manager: checklist items 1, 2, 3, 4, 5 are not ticked" in email_text(said)
    assert "tick case 1: <why>" in email_text(said)
    assert not [m for m in mails_to(smtp, "rsm-cla") if "PP-019" in m]
    said = await email(bot, "ro-2", "TICK case 1: a typo fix in section 2 only, so the checklist does not apply")
    assert "RSM approval" in email_text(said) or "Responsible Strategic Manager" in email_text(said)
    to_rsm = [m for m in mails_to(smtp, "rsm-cla") if "PP-019" in m][-1]
    assert "Checklist items not applicable: a typo fix in section 2 only, so the checklist does not apply" in to_rsm
