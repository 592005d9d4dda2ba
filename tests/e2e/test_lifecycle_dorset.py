"""Dorset's main route lived by email (issue 4, item 9): every message goes through the Bot
Framework email channel (channelId "email"), replies are in words, notices arrive by real SMTP on
loopback, and the draft arrives as an email attachment. From the request to the register:
DOR-2 (the Group agrees the need before drafting), DOR-4 (the Group approves), DOR-3 (a review
schedule is set when it is approved), DOR-6 (a policy goes to Cabinet, not the Group).
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import update

from bot.app import RUNTIME_KEY
from services.clock import LONDON, FixedClock
from connectors.word.samples import plain_docx
from store.case_models import DraftVersion
from store.models import Person
from tests.support.bot import RunningBot, settings_for
from tests.support.drafts import kept_bytes
from tests.support.presets import rehearse

RO, CHAIR, OFFICER = "jamie.castellan@example.org", "sasha.okonkwo@example.org", "priya.patelowens@example.org"


@pytest.fixture
async def dorset_bot(db_url, smtp):
    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    settings = settings_for(db_url, POLICYBOT_PRESET="dorset", POLICYBOT_MAIL_TRANSPORT="smtp", SMTP_HOST="127.0.0.1",
                            SMTP_PORT=str(smtp.port), POLICYBOT_MAIL_FROM="policybot@dorset.example")
    bot = await RunningBot(settings, clock=clock).start()
    try:
        async with bot.app[RUNTIME_KEY].store.sessionmaker() as s:  # everyone here works by email
            await s.execute(update(Person).values(preferences={"channels": ["email"]}))
            await s.commit()
        yield bot
    finally:
        await bot.stop()


async def email(bot, sender: str, text: str, *, attachments: list | None = None):
    """An email to the bot as the email channel delivers it: the sender's address is from.id."""
    act = bot.activity(text, channel_id="email", user_id=sender, conversation=f"email-{sender}",
                       **({"attachments": attachments} if attachments else {}))
    said = await bot.send(act)
    assert said.status in (200, 201, 202), said.body
    return said


def mails_to(smtp, address: str) -> list[str]:
    return [f"{m.message['Subject']}\n{m.part('text/plain')}" for m in smtp.to(address)]


async def test_dorset_new_procedure_by_email_from_request_to_the_register(dorset_bot, smtp):
    """DOR-2, DOR-4, DOR-3 and issue 4 item 9: the request dialog by email (numbers and words), the
    chair's decisions by reply words, the draft as an email attachment, notices by email, a repeated
    delivery handled once."""
    bot = dorset_bot
    said = await email(bot, RO, "I need a new procedure on kinship care arrangements")
    reply = said.replies[0]
    assert "htmlBody" in reply["channelData"]
    assert "What type of document is it?" not in reply["text"]  # the type was said
    assert "Which service area is it for?" in reply["text"] and "Reply with a number, the name, or 'other: <its name>'." in reply["text"]
    said = await email(bot, RO, "2")  # Children in Care, by its number as listed
    assert "Why is it needed?" in said.replies[0]["text"]
    await email(bot, RO, "New kinship care regulations apply from April 2027")
    await email(bot, RO, "none")
    said = await email(bot, RO, "Rowan Feld, Frankie Osei")
    text = said.replies[0]["text"]
    assert "Consultees you named: Rowan Feld, Frankie Osei" in text
    assert "It goes to: the chair of the Practice, Policy and Procedures Group" in text
    said = await email(bot, RO, "Yes")
    assert "Thanks: your request is PP-047 Kinship care arrangements, case 1." in said.replies[0]["text"]

    # DOR-2: the Group's chair is asked by email, with the words to reply with.
    asked = mails_to(smtp, CHAIR)
    assert len(asked) == 1 and "New document requested: PP-047 Kinship care arrangements" in asked[0]
    assert "AGREE THE NEED case 1" not in asked[0] and "ASK FOR MORE INFORMATION case 1" in asked[0]
    assert "Decided by the Practice, Policy and Procedures Group (DOR-2)" in asked[0]
    assert "It goes on the agenda of the Practice, Policy and Procedures Group's next meeting" in asked[0]
    # Only the chair may agree: the RO's reply with the same words is refused.
    said = await email(bot, RO, "AGREE THE NEED case 1")
    assert "Only the chair of the Practice, Policy and Procedures Group" in said.replies[0]["text"]
    # DOR-2: nor may the chair alone: the Group agrees it at its meeting (12 January: none in December).
    said = await email(bot, CHAIR, "agree the need case 1")
    assert "at its meeting, not its chair alone (DOR-2)" in said.replies[0]["text"]
    await rehearse(bot, datetime(2027, 1, 12, 12, 0))
    decision = bot.activity("record the outcome of item 2: approved", channel_id="email", user_id=CHAIR, conversation="email-chair")
    said = await bot.send(decision)
    assert "Case 1: Need agreed" in said.replies[0]["text"]
    await bot.send(decision)  # the email channel delivers it again: handled once
    assert len(bot.channel.replies_to(decision["id"])) == 1
    told = mails_to(smtp, RO)
    assert any("Agreed: PP-047" in m for m in told)

    # The draft arrives as an email attachment (contentUrl), and is stored as a draft version.
    bot.channel.files["kinship.docx"] = plain_docx(title="Kinship care arrangements")
    attachment = {"contentType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "name": "kinship.docx", "contentUrl": f"{bot.channel.url}files/kinship.docx"}
    said = await email(bot, RO, "Here is the first draft", attachments=[attachment])
    assert "Thanks: kinship.docx is stored as draft version 1." in said.replies[0]["text"]
    async with bot.app[RUNTIME_KEY].store.sessionmaker() as s:
        from sqlalchemy import select

        stored = (await s.execute(select(DraftVersion))).scalars().all()
        assert [(d.filename, d.number) for d in stored] == [("kinship.docx", 1)]
        assert kept_bytes(bot, stored[0].sha256) == bot.channel.files["kinship.docx"]

    # DOR-4: the Group decides; the chair is emailed the decision words.
    assert any("APPROVE case 1" in m for m in mails_to(smtp, CHAIR)[1:])
    said = await email(bot, CHAIR, "Approve case 1")
    assert "Approved at 'The Group's decision'" in said.replies[0]["text"]
    # DOR-3: the governance officer records it in the register with its review schedule.
    assert any("PUBLISH case 1: <version>" in m for m in mails_to(smtp, OFFICER))
    # DOR-14: the owner is asked by email which forms, training and system changes it needs.
    assert any("What does it need? PP-047" in m and "NEEDS case 1: forms:" in m for m in mails_to(smtp, RO))
    said = await email(bot, RO, "needs case 1: forms: Kinship carer assessment; training: briefing for fostering teams")
    assert "Needs recorded (DOR-14): forms: Kinship carer assessment; training: briefing for fostering teams" in said.replies[0]["text"]
    said = await email(bot, OFFICER, "PUBLISH case 1 version 1.0")
    assert "Published as version 1.0 on 12 January 2027" in said.replies[0]["text"]
    said = await email(bot, RO, "status PP-047")
    assert "Next review by: 12 January 2028" in said.replies[0]["text"]
    assert any("Published: PP-047" in m for m in mails_to(smtp, RO))


async def test_dor_6_a_new_policy_goes_to_cabinet_not_the_group(dorset_bot):
    bot = dorset_bot
    said = await email(bot, RO, "I need a new policy on staff wellbeing visits")
    for answer in ("Children in Care", "Needed for the new wellbeing offer to carers", "none", "none"):
        said = await email(bot, RO, answer)
    said = await email(bot, RO, "yes")
    text = said.replies[0]["text"]
    assert "Next: Owner drafts the policy." in text  # no Group proposal stage for a policy (DOR-6)
    assert "Work: new document" in text
