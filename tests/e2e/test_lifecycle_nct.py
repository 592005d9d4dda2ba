"""Northamptonshire (NCT) routes lived over HTTP (issue 4): a new procedure from request to
publication with the conditions loop, the deferral to SLT with SLT's "return to me", two RSMs
who must both approve, and forged card submissions refused with nothing changed.
SQLite and PostgreSQL."""

from __future__ import annotations

from connectors.word.samples import plain_docx, tracked_docx
from tests.support.cases import (
    review_ticked,
    buttons,
    case_version,
    last_to,
    on_screen,
    press,
    request_document,
    sent_to,
    submit_and_publish,
    text_of,
)
from tests.support.channel import readable


async def _hello(bot, demo_aad, *people: str) -> None:
    """These people have talked to the bot in their 1:1 chat 'a:<id>', so it can reach them there."""
    for p in people:
        await bot.say("help", aad=demo_aad[p], conversation=f"a:{p}")


async def _attach(bot, aad: str, conversation: str, name: str, data: bytes, text: str = ""):
    act = bot.activity(text, aad=aad, conversation=conversation, attachments=[bot.channel.attach(name, data)])
    return await bot.send(act)


async def test_nct_17_new_procedure_from_request_to_publication_with_conditions(bot, demo_aad):
    """NCT-17 (request to the PPO, who agrees the need), NCT-1 (the service area's RSM signs off),
    NCT-8 (approve subject to amendments: the RO amends and resubmits for the RSM's check, which
    first finds them not met), NCT-6 (the amended draft must show tracked changes), NCT-10 (the PPO
    submits it for publication and the register gets version and review date)."""
    await _hello(bot, demo_aad, "ppo", "rsm-early-help", "ro-4")
    ro, rsm, ppo = demo_aad["ro-4"], demo_aad["rsm-early-help"], demo_aad["ppo"]
    said = await request_document(bot, ro, "a:ro-4", "I need a new procedure on radicalisation and Prevent referrals",
                                  ["Local procedure", "Early Help", "The Prevent duty guidance changed in 2026",
                                   "none", "none", "yes"])
    assert "case 1" in text_of(said)
    await press(bot, ppo, buttons(last_to(bot, "a:ppo"))["agree_need"], conversation="a:ppo")
    told = "\n".join(readable(a) for a in sent_to(bot, "a:ro-4")[-2:])
    assert "Agreed: PP-047" in told and "RO drafts the procedure" in told

    said = await _attach(bot, ro, "a:ro-4", "prevent.docx", plain_docx(title="Radicalisation and Prevent referrals"))
    assert "stored as draft version 1" in text_of(said)  # a new procedure needs no tracked changes
    card = last_to(bot, "a:rsm-early-help")
    assert "RSM approval" in readable(card)
    done = await press(bot, rsm, buttons(card)["approve_with_conditions"], conversation="a:rsm-early-help",
                       text="Add the Channel panel referral route")
    assert "Approved with conditions: Add the Channel panel referral route" in done
    told = readable(last_to(bot, "a:ro-4"))
    assert "Please amend the draft as follows, then resubmit it for the Responsible Strategic Manager to check" in told

    said = await _attach(bot, ro, "a:ro-4", "prevent-2.docx", plain_docx(title="Radicalisation and Prevent referrals"))
    assert "must show its amendments as tracked changes" in text_of(said)  # NCT-6
    said = await _attach(bot, ro, "a:ro-4", "prevent-2.docx", tracked_docx(title="Radicalisation and Prevent referrals"))
    assert "draft version 2" in text_of(said)
    check = buttons(last_to(bot, "a:rsm-early-help"))
    assert set(check) == {"confirm_conditions_met", "conditions_not_met"}
    await press(bot, rsm, check["conditions_not_met"], conversation="a:rsm-early-help", text="The Channel panel contact is missing")
    assert "Conditions not yet met: PP-047" in readable(last_to(bot, "a:ro-4"))
    await _attach(bot, ro, "a:ro-4", "prevent-3.docx", tracked_docx(title="Radicalisation and Prevent referrals"))
    await press(bot, rsm, buttons(last_to(bot, "a:rsm-early-help"))["confirm_conditions_met"], conversation="a:rsm-early-help")

    done = await submit_and_publish(bot, ppo, "a:ppo", version="1.0")
    assert "Published in edition 14 of the manual on 23 November 2026 as version 1.0" in done
    status = text_of(await bot.say("status PP-047", aad=ro))
    assert "Status: published" in status and "Version: 1.0" in status and "Next review by: 23 November 2027" in status
    history = text_of(await bot.say("history PP-047", aad=ro))
    for line in ("New procedure requested", "Need agreed", "Draft version 1 stored", "Approved with conditions",
                 "Conditions not met: The Channel panel contact is missing", "Conditions confirmed as met",
                 "Submitted to the publisher for the next edition", "Published in edition 14"):
        assert line in history, line


async def test_nct_8_9_deferral_to_slt_who_asks_to_see_it_again(bot, demo_aad):
    """NCT-8 (the RSM defers to SLT), NCT-9 (SLT approves with conditions and asks to see the amended
    draft again, so SLT, not the RSM, checks it), NCT-10; and forged submissions refused with the
    case unchanged: another person's decision, a decision the role does not allow, a replayed click."""
    await _hello(bot, demo_aad, "ppo", "rsm-cla", "ro-2", "director")
    ro, rsm, slt, ppo = demo_aad["ro-2"], demo_aad["rsm-cla"], demo_aad["director"], demo_aad["ppo"]
    await review_ticked(bot, "PP-017", aad=ro, conversation="a:ro-2")
    await _attach(bot, ro, "a:ro-2", "foster.docx", tracked_docx(title="Placement with Foster Carers"))
    rsm_card = buttons(last_to(bot, "a:rsm-cla"))
    refused = await press(bot, rsm, rsm_card["defer"], conversation="a:rsm-cla", text=" ")
    assert "Not done: Please say your discussion with your Assistant Director (NCT-8)" in refused
    done = await press(bot, rsm, rsm_card["defer"], conversation="a:rsm-cla",
                       text="It changes the placement budget; discussed with the AD")
    assert "SLT approval" in done
    told = readable(last_to(bot, "a:ro-2"))
    assert "Deferred to SLT approval. Discussed with the Assistant Director: It changes the placement budget" in told

    slt_card = last_to(bot, "a:director")
    slt_buttons = buttons(slt_card)
    assert set(slt_buttons) == {"approve", "approve_with_conditions"}  # no defer beyond SLT
    before = await case_version(bot, 1)
    # Another person's decision: the RSM presses SLT's Approve.
    refused = await press(bot, rsm, slt_buttons["approve"], conversation="a:rsm-cla")
    assert "Not done: Only the Senior Leadership Team for this procedure can approve it." in refused
    # A decision the role does not allow: a forged 'defer' from SLT's card.
    forged = {**slt_buttons["approve"], "data": {**slt_buttons["approve"]["data"], "action": "defer"}}
    refused = await press(bot, slt, forged, conversation="a:director", text="Pass it on")
    assert "Not done: That can't be done while PP-017 Placement with Foster Carers is at 'SLT approval'" in refused
    assert await case_version(bot, 1) == before

    done = await press(bot, slt, slt_buttons["approve_with_conditions"], conversation="a:director",
                       text="Show the new allowance rates", return_to_me="true")
    assert "Approved with conditions: Show the new allowance rates" in done
    told = readable(last_to(bot, "a:ro-2"))
    assert "resubmit it for the person who set them to check" in told
    # A replayed click on the same card changes nothing.
    after = await case_version(bot, 1)
    replay = await press(bot, slt, slt_buttons["approve_with_conditions"], conversation="a:director",
                         text="Show the new allowance rates", return_to_me="true")
    assert "Not done: That card is out of date" in replay
    assert await case_version(bot, 1) == after

    await _attach(bot, ro, "a:ro-2", "foster-2.docx", tracked_docx(title="Placement with Foster Carers"))
    # NCT-9: SLT asked to see it again, so the RSM cannot sign the conditions off.
    said = await bot.say("case 1", aad=rsm, conversation="a:rsm-cla")
    assert "confirm_conditions_met" not in buttons(said.replies[0])
    said = await bot.say("conditions met case 1", aad=rsm, conversation="a:rsm-cla")
    assert "Only" in text_of(said)
    check = buttons(last_to(bot, "a:director"))
    await press(bot, slt, check["confirm_conditions_met"], conversation="a:director")
    done = await submit_and_publish(bot, ppo, "a:ppo", version="5.0")
    assert "as version 5.0" in done
    history = text_of(await bot.say("history PP-017", aad=ro))
    assert "Deferred to 'SLT approval'. Discussed with the Assistant Director: It changes the placement budget" in history
    assert "Conditions confirmed as met" in history and "as version 5.0" in history


async def test_nct_7_two_rsms_must_both_approve(bot, demo_aad):
    """NCT-7: the PPO names a second RSM for a procedure covering two services, in conversation;
    the case then waits for both, and only the PPO may name one."""
    await _hello(bot, demo_aad, "ppo", "rsm-safeguarding", "rsm-cla", "ro-1")
    ro, rsm1, rsm2, ppo = demo_aad["ro-1"], demo_aad["rsm-safeguarding"], demo_aad["rsm-cla"], demo_aad["ppo"]
    said = await bot.say("add RSM Jordan Whitfield to PP-001", aad=ro, conversation="a:ro-1")
    assert "Only the Policy and Procedures Officer can name another Responsible Strategic Manager (NCT-7)" in text_of(said)
    await review_ticked(bot, "PP-001", aad=ro, conversation="a:ro-1")
    await _attach(bot, ro, "a:ro-1", "missing.docx", tracked_docx())
    said = await bot.say("add RSM Jordan Whitfield to PP-001", aad=ppo, conversation="a:ppo")
    text = text_of(said)
    assert "Jordan Whitfield added as a Responsible Strategic Manager (NCT-7); RSMs now: Morgan Reyes, Jordan Whitfield" in text
    assert "Case 1 now waits for every one of them to approve." in text
    said = await bot.say("add RSM Jordan Whitfield to PP-001", aad=ppo, conversation="a:ppo")
    assert "already a Responsible Strategic Manager of PP-001" in text_of(said)
    said = await bot.say("add RSM Nobody At All to PP-001", aad=ppo, conversation="a:ppo")
    assert 'I can\'t find anyone called "Nobody At All"' in text_of(said)

    to_rsm2 = last_to(bot, "a:rsm-cla")
    assert "For your approval: PP-001" in readable(to_rsm2)
    said = await bot.say("my tasks", aad=rsm2, conversation="a:rsm-tasks")
    assert "Case 1: PP-001" in text_of(said)
    # Morgan's card was updated in place when Jordan was added; its Approve carries the new version.
    done = await press(bot, rsm1, buttons(on_screen(bot, "a:rsm-safeguarding"))["approve"], conversation="a:rsm-safeguarding")
    assert "Waiting for: Jordan Whitfield" in done
    assert not [a for a in bot.channel.in_conversation("a:ppo") if "submit_to_publisher" in buttons(a)]
    said = await bot.say("approve case 1", aad=rsm1, conversation="a:rsm-safeguarding")
    assert "already recorded your decision" in text_of(said) or "can't be done" in text_of(said)
    done = await press(bot, rsm2, buttons(on_screen(bot, "a:rsm-cla"))["approve"], conversation="a:rsm-cla")
    assert "PPO submits to the publisher" in done
    assert "submit_to_publisher" in buttons(last_to(bot, "a:ppo"))
    said = await bot.say("history PP-001", aad=ppo)
    assert "Jordan Whitfield added as a Responsible Strategic Manager (NCT-7)" in text_of(said)
