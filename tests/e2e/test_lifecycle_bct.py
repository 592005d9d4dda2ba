"""Birmingham (BCT) main route lived over HTTP (issue 4): a new area-of-practice procedure from the
request to publication. The request goes to the Policy Service and its mailbox (BCT-2, by real
SMTP on loopback), consultees answer from their cards and silence is recorded as agreement by the
scheduler's sweep (BCT-4, BCT-5), the DLG's chair signs it off (BCT-8) and the Policy Service
records the version and date (BCT-9). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.app import DISPATCHER_KEY, SERVICES_KEY
from services.reminders import sweeps
from services.clock import LONDON, FixedClock
from connectors.word.samples import plain_docx
from tests.support.bot import RunningBot, settings_for
from tests.support.cases import buttons, last_to, on_screen, press, request_document, text_of
from tests.support.channel import readable

MAILBOX = "policy.service@trust.example"


@pytest.fixture
async def bct_bot(db_url, smtp):
    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    settings = settings_for(db_url, POLICYBOT_PRESET="bct", POLICYBOT_MAIL_TRANSPORT="smtp", SMTP_HOST="127.0.0.1",
                            SMTP_PORT=str(smtp.port), POLICYBOT_MAIL_FROM="policybot@trust.example",
                            POLICYBOT_REQUEST_MAILBOX=MAILBOX)
    bot = await RunningBot(settings, clock=clock).start()
    try:
        yield bot
    finally:
        await bot.stop()


async def test_bct_new_procedure_from_request_to_publication(bct_bot, smtp, demo_aad):
    """BCT-2, BCT-3, BCT-4, BCT-5, BCT-8, BCT-9: every step taken in conversation by the people involved."""
    bot = bct_bot
    ro, ppo, chair = demo_aad["ro-1"], demo_aad["ppo"], demo_aad["director"]
    for who in ("ppo", "director", "ad-children", "ad-adults", "ro-1", "rsm-early-help"):
        await bot.say("help", aad=demo_aad[who], conversation=f"a:{who}")

    said = await request_document(
        bot, ro, "a:ro-1", "I need a new procedure on online harms and sextortion",
        ["Procedure for an area of practice", "Safeguarding", "Sextortion referrals doubled after the 2026 audit",
         "MASH, Police Online Harms unit", "Casey Lindqvist", "yes"])
    text = text_of(said)
    # Issue 19 item 9: the Policy Service named once; its mailbox said only when the request went there.
    assert "I've sent it to the Policy Service (Practice Hub) to agree the need, and by email to its mailbox." in text
    # BCT-2: the request reached the Policy Service mailbox by email, with the words to reply with.
    mails = smtp.to(MAILBOX)
    assert len(mails) == 1
    body = mails[0].part("text/plain")
    assert str(mails[0].message["Subject"]) == "New document requested: PP-047 Online harms and sextortion [case 1]"  # the case token threads replies (issue 21)
    assert "Why it is needed: Sextortion referrals doubled after the 2026 audit" in body
    assert "Stakeholders: MASH, Police Online Harms unit" in body and "AGREE THE NEED case 1" in body

    # The Policy Service accepts from its card; the responsible person drafts (BCT-3).
    accept = buttons(last_to(bot, "a:ppo"))
    assert set(accept) >= {"agree_need", "ask_more", "decline_need"}
    await press(bot, ppo, accept["agree_need"], conversation="a:ppo")
    act = bot.activity("", aad=ro, conversation="a:ro-1", attachments=[bot.channel.attach("online-harms.docx", plain_docx(title="Online harms"))])
    said = await bot.send(act)
    assert "stored as draft version 1" in text_of(said)
    assert "Consultation with the Director Leadership Group's attendees" in text_of(said)
    assert "Consultation closes: 27 November 2026" in text_of(said)  # BCT-4: 3 days before the DLG of 1 December

    # BCT-4: each consultee (the DLG's attendees and the one the requester named) has a card with the
    # deadline; one agrees, one comments, two stay silent.
    cards = {who: last_to(bot, f"a:{who}") for who in ("ad-children", "ad-adults", "director", "rsm-early-help")}
    for who, card in cards.items():
        assert "Consultation: PP-047" in readable(card) and "Consultation closes: 27 November 2026" in readable(card), who
        assert set(buttons(card)) == {"respond_agree", "respond_comment"}
    # A forged click: the RO presses a consultee's button. Refused.
    refused = await press(bot, ro, buttons(cards["ad-children"])["respond_agree"], conversation="a:ro-1")
    assert "Not done:" in refused
    await press(bot, demo_aad["ad-children"], buttons(cards["ad-children"])["respond_agree"], conversation="a:ad-children")
    done = await press(bot, demo_aad["ad-adults"], buttons(on_screen(bot, "a:ad-adults"))["respond_comment"], conversation="a:ad-adults",
                       text="Add the CEOP reporting route")
    assert "Commented: Add the CEOP reporting route" in done
    assert "Consultation comment: PP-047" in readable(last_to(bot, "a:ro-1"))
    # The RO cannot close it early while someone may still answer.
    said = await bot.say("close consultation case 1", aad=ro, conversation="a:ro-1")
    assert "The consultation stays open until 27 November 2026" in text_of(said)

    # BCT-5: after the deadline the scheduler's sweep closes it; the silent consultee is recorded as agreeing.
    services = bot.app[SERVICES_KEY]
    services.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=LONDON))
    await sweeps.sweep_cases(services, "test")
    await bot.app[DISPATCHER_KEY].drain()  # what the scheduler's dispatcher would send now
    history = text_of(await bot.say("history PP-047", aad=ro, conversation="a:ro-1"))
    assert "Consultation closed; no response from 2, recorded as agreement (BCT-5)" in history

    # BCT-8: the DLG's chair decides; the card reaches the chair after the sweep's notices go out.
    said = await bot.say("case 1", aad=chair, conversation="a:director")
    decision = buttons(said.replies[0])
    assert set(decision) == {"approve", "approve_with_conditions", "refer"}
    refused = await press(bot, ppo, decision["approve"], conversation="a:ppo")
    assert "Not done: Only the chair of the Director Leadership Group" in refused
    done = await press(bot, chair, decision["approve"], conversation="a:director")
    assert "Stage: Practice Hub versions, dates, uploads and announces" in done, done

    # BCT-9: the Policy Service records the version and date.
    said = await bot.say("case 1", aad=ppo, conversation="a:ppo")
    done = await press(bot, ppo, buttons(said.replies[0])["publish"], conversation="a:ppo", version="1.0")
    assert "Published as version 1.0 on 30 November 2026" in done
    status = text_of(await bot.say("status PP-047", aad=ro))
    assert "Status: published" in status and "Version: 1.0" in status
    assert "Published: PP-047" in readable(last_to(bot, "a:ro-1"))
