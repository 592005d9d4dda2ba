"""Barking and Dagenham (LBBD) adults' route lived in Teams over HTTP (issue 4): a new procedure
from the request to roll-out. LBBD-1 (checked against the register first), LBBD-2 (the lead
stakeholder agrees the need), LBBD-3 (the requester is the author), LBBD-4 (workshops recorded),
LBBD-5 (the EIA decision), LBBD-6 (stakeholder feedback), LBBD-7 (legal review decided and done),
LBBD-8 (the final draft), LBBD-9 (OMT, the Adults Improvement Board and its three questions),
LBBD-10 (roll-out recorded), LBBD-11 (next review due by 18 months at the latest). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from services.clock import LONDON, FixedClock
from connectors.word.samples import plain_docx
from tests.support.bot import RunningBot, settings_for
from tests.support.cases import buttons, last_to, on_screen, press, request_document, text_of
from tests.support.channel import readable


@pytest.fixture
async def lbbd_bot(db_url):
    bot = await RunningBot(settings_for(db_url, POLICYBOT_PRESET="lbbd"),
                           clock=FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))).start()
    try:
        yield bot
    finally:
        await bot.stop()


async def _attach(bot, aad, conversation, name, data):
    act = bot.activity("", aad=aad, conversation=conversation, attachments=[bot.channel.attach(name, data)])
    return await bot.send(act)


async def test_lbbd_new_procedure_from_request_to_roll_out(lbbd_bot, demo_aad):
    bot = lbbd_bot
    people = ("ro-5", "ad-adults", "rsm-adults", "legal-1", "ppo", "qa-1", "ro-4", "ro-6")
    for who in people:
        await bot.say("help", aad=demo_aad[who], conversation=f"a:{who}")
    ro, lead, omt, legal, ppo = (demo_aad[k] for k in ("ro-5", "ad-adults", "rsm-adults", "legal-1", "ppo"))

    said = await request_document(bot, ro, "a:ro-5", "We need a new procedure on hospital discharge to assess",
                                  ["Adults", "The discharge to assess model changed locally in 2026",
                                   "Hospital social work team, NHS trust, residents' forum", "none", "yes"])
    assert "I've sent it to the lead stakeholder to agree the need." in text_of(said)
    card = last_to(bot, "a:ad-adults")
    await press(bot, lead, buttons(card)["agree_need"], conversation="a:ad-adults")  # LBBD-2

    # LBBD-4, 5, 7: the author records the workshops and the EIA and legal decisions before the draft moves on.
    said = await _attach(bot, ro, "a:ro-5", "d2a.docx", plain_docx(title="Discharge to assess"))
    assert "Before the draft goes on, please record whether an Equality Impact Assessment is needed (LBBD-5)" in text_of(said)
    said = await bot.say("case 1", aad=ro, conversation="a:ro-5")
    draft_card = buttons(said.replies[0])
    assert {"record_eia", "record_legal", "record_workshop", "submit_draft"} <= set(draft_card)
    assert "Is an Equality Impact Assessment needed? (LBBD-5)" in readable(said.replies[0])
    done = await press(bot, ro, draft_card["record_eia"], conversation="a:ro-5", eia_required="yes")
    assert "EIA needed" in done
    said = await bot.say("legal review needed case 1: it changes charging", aad=ro, conversation="a:ro-5")
    assert "Legal review needed: it changes charging" in text_of(said)
    said = await bot.say("workshop case 1: Residents' forum, 12 people; added a carers' checklist", aad=ro, conversation="a:ro-5")
    assert "Co-production workshop recorded" in text_of(said)
    said = await _attach(bot, ro, "a:ro-5", "d2a.docx", plain_docx(title="Discharge to assess"))
    assert "stored as draft version 1" in text_of(said)  # the refused attempt stored nothing
    assert "Draft circulated to stakeholders for feedback" in text_of(said)

    # LBBD-6: the stakeholders give feedback from their cards; once all have answered it can close.
    for who in ("qa-1", "ro-4", "ro-6"):
        card = on_screen(bot, f"a:{who}")  # updated in place after each answer, so no stale button
        assert "Consultation closes: 7 December 2026" in readable(card), who  # 10 working days
        done = await press(bot, demo_aad[who], buttons(card)["respond_agree"], conversation=f"a:{who}")
        assert "Done: Agreed" in done, who
    said = await bot.say("close consultation case 1", aad=ro, conversation="a:ro-5")
    assert "Legal review" in text_of(said)
    # LBBD-7: Legal Services completes the review.
    said = await bot.say("approve case 1", aad=legal, conversation="a:legal-1")
    assert "can't be done" in text_of(said)
    said = await bot.say("legal review complete case 1: charging wording corrected", aad=legal, conversation="a:legal-1")
    assert "Final draft embeds the feedback" in text_of(said)
    # LBBD-8: the final draft.
    said = await _attach(bot, ro, "a:ro-5", "d2a-final.docx", plain_docx(title="Discharge to assess"))
    assert "Shared at OMT and with Heads of Service" in text_of(said)

    # LBBD-9: OMT, then the Adults Improvement Board and its three questions.
    said = await bot.say("approve case 1", aad=lead, conversation="a:ad-adults")
    assert "Only the chair of the Operational Management Team" in text_of(said)
    said = await bot.say("approve case 1", aad=omt, conversation="a:rsm-adults")
    assert "Signed off by the Adults Improvement Board" in text_of(said)
    said = await bot.say("case 1", aad=lead, conversation="a:ad-adults")
    await press(bot, lead, buttons(said.replies[0])["approve"], conversation="a:ad-adults")
    for question in ("Cabinet Member", "Executive Group", "key decision"):
        said = await bot.say("case 1", aad=lead, conversation="a:ad-adults")
        assert question in readable(said.replies[0]), question
        await press(bot, lead, buttons(said.replies[0])["decide_no"], conversation="a:ad-adults")

    # LBBD-10: roll-out recorded by the PPO; LBBD-11: reviewed again within 12 months.
    said = await bot.say("case 1", aad=ppo, conversation="a:ppo")
    assert "Upload, cascade and newsletter" in readable(said.replies[0])
    done = await press(bot, ppo, buttons(said.replies[0])["publish"], conversation="a:ppo", version="1.0")
    assert "Published as version 1.0" in done
    status = text_of(await bot.say("status PP-047", aad=ro))
    assert "Version: 1.0" in status and "Next review by: 23 May 2028" in status  # LBBD-11: within 12 to 18 months
    history = text_of(await bot.say("history PP-047", aad=ro))
    for line in ("EIA needed", "Legal review needed: it changes charging", "Co-production workshop recorded",
                 "Legal review complete: charging wording corrected", "Does the Cabinet Member need to sign it off? No",
                 "Published as version 1.0"):
        assert line in history, line
