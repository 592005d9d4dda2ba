"""Barking and Dagenham's stakeholders, authors, OMT and roll-out with LBBD's own demo organisation,
over HTTP in Teams' shapes and by email with real SMTP (issue 19, items 5 and 6): the named
stakeholders are each asked and the need is agreed only when all have agreed (LBBD-2); a stakeholder
appoints the author in conversation and anyone else is refused politely (LBBD-3); OMT's sign-off
tells the other Heads of Service (LBBD-9); publication asks team and service managers to cascade
it and gives the newsletter its item, each in the document's history (LBBD-10). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import update

from bot.app import RUNTIME_KEY
from connectors.word.samples import plain_docx
from services.clock import LONDON
from store.models import Person
from tests.support.cases import buttons, last_to, press, text_of
from tests.support.channel import readable
from tests.support.presets import emails, greet, people, preset_bot, said_as

AAD = people("lbbd")
MAIL = emails("lbbd")
BY_EMAIL = ("hos-localities", "hos-housing", "sm-hospital")
TITLE = "Fire safety home visits with the fire service"


@pytest.fixture
async def lbbd(db_url, smtp):
    async with preset_bot(db_url, "lbbd", datetime(2026, 12, 3, 9, 30, tzinfo=LONDON), POLICYBOT_MAIL_TRANSPORT="smtp",
                          SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), POLICYBOT_MAIL_FROM="policybot@lbbd.example") as bot:
        async with bot.app[RUNTIME_KEY].store.sessionmaker() as s:  # these three work by email
            await s.execute(update(Person).where(Person.id.in_(BY_EMAIL)).values(preferences={"channels": ["email"]}))
            await s.commit()
        yield bot


async def _by_email(bot, key: str, text: str, **kw) -> str:
    said = await bot.say(text, channel_id="email", user_id=MAIL[key], conversation=f"email-{key}", **kw)
    return said.replies[0]["text"]


def mails_to(smtp, key: str) -> list[str]:
    return [f"{m.message['Subject']}\n{m.part('text/plain')}" for m in smtp.to(MAIL[key])]


async def _requested(bot) -> str:
    await greet(bot, AAD, "author-sam", "psw-adults", "hos-safeguarding", "hos-mental-health", "author-lena", "ppo",
                "op-director", "dass", "tm-locality", "newsletter", "coproduction", "hos-commissioning")
    said = await said_as(bot, AAD, "author-sam", f"we need a new procedure on {TITLE.lower()}")
    for answer in ("Safeguarding Adults", "Two fire deaths in hoarded homes led to a safeguarding adults review",
                   "Nkechi Obi, Gareth Pryce and the London Fire Brigade", "none", "yes"):
        said = await said_as(bot, AAD, "author-sam", answer)
    return said


async def test_lbbd_2_lbbd_3_the_stakeholders_agree_the_need_together_and_appoint_the_author(lbbd, smtp):
    """LBBD-2: Nkechi Obi (Teams card) and Gareth Pryce (email, with reply words) are asked beside the
    lead stakeholder; each agreement is recorded and the case waits for the rest; someone not named
    cannot agree. LBBD-3: a Head of Service who is not a stakeholder is refused when appointing the
    author; Nkechi Obi appoints Lena Kowalczyk in Teams, and Marcus Bell, by email, gives it back to Sam."""
    bot = lbbd
    said = await _requested(bot)
    assert f"your request is PP-015 {TITLE}, case 1" in said, said
    # Each named stakeholder is asked: a card in Teams, an email with the words to reply with.
    card = last_to(bot, "a:hos-safeguarding")
    assert f"Do you agree the need? PP-015 {TITLE}" in readable(card)
    asked = [m for m in mails_to(smtp, "hos-localities") if "Do you agree the need?" in m]
    assert asked and "AGREE THE NEED case 1" in asked[0] and "named as a stakeholder" in asked[0]
    done = await press(bot, AAD["hos-safeguarding"], buttons(card)["agree_need"], conversation="a:hos-safeguarding")
    assert "Agreed the need (LBBD-2; 1 of 3 stakeholders so far)" in done
    said = await _by_email(bot, "hos-localities", "agree the need case 1")
    assert "Agreed the need (LBBD-2; 2 of 3 stakeholders so far)" in said
    view = await said_as(bot, AAD, "author-sam", "case 1")
    assert "Waiting for: lead stakeholder" in view and "Stage: Stakeholders jointly agree the need" in view
    said = await said_as(bot, AAD, "hos-mental-health", "agree the need case 1")
    assert "Only the" in said and "Need agreed" not in said
    # LBBD-3: only the stakeholders appoint the author.
    said = await said_as(bot, AAD, "hos-mental-health", "make Lena Kowalczyk the author of PP-015")
    assert "Sorry, only the stakeholders decide who the author of PP-015 is (LBBD-3)" in said
    said = await said_as(bot, AAD, "hos-safeguarding", "make Lena Kowalczyk the author of PP-015")
    assert "Lena Kowalczyk appointed as the author in place of Sam Okafor by Nkechi Obi (LBBD-3)" in said
    assert any(f"You are the author: PP-015 {TITLE}" in readable(a) for a in bot.channel.in_conversation("a:author-lena"))
    # The lead stakeholder agrees last: the need is agreed.
    card = (await bot.say("case 1", aad=AAD["psw-adults"], conversation="a:psw-adults")).replies[0]
    done = await press(bot, AAD["psw-adults"], buttons(card)["agree_need"], conversation="a:psw-adults")
    assert "Need agreed: all 3 stakeholders have agreed (LBBD-2)" in done
    said = await _by_email(bot, "hos-localities", "the author of PP-015 is Sam Okafor")
    assert "Sam Okafor appointed as the author in place of Lena Kowalczyk by Gareth Pryce (LBBD-3)" in said
    history = await said_as(bot, AAD, "psw-adults", "history PP-015")
    assert "Lena Kowalczyk appointed as the author" in history and "Sam Okafor appointed as the author" in history
    view = await said_as(bot, AAD, "author-sam", "case 1")
    assert "Stage: Author co-produces the first draft" in view and "Record a co-production workshop" in view
    status = await said_as(bot, AAD, "author-sam", "status PP-015")
    assert "Sam Okafor" in status and "Lena Kowalczyk" not in status, status


async def test_lbbd_9_lbbd_10_omt_tells_the_other_heads_of_service_and_roll_out_cascades(lbbd, smtp):
    """LBBD-9: when OMT's chair signs it off in Teams, the Heads of Service who are not at OMT are told
    (Marcus Bell in Teams, Rachel Amankwah by email), not OMT's members. LBBD-10: publishing asks the
    team manager (Teams) and the service manager (email) to cascade it, and the newsletter editor gets
    the item for the next ASC newsletter; 'history' shows each."""
    bot = lbbd
    await _requested(bot)
    for key in ("hos-safeguarding", "psw-adults"):
        await said_as(bot, AAD, key, "agree the need case 1")
    await _by_email(bot, "hos-localities", "agree the need case 1")
    for line in ("workshop case 1: Focus group with residents and the fire service", "eia not needed case 1",
                 "legal review not needed case 1"):
        assert "Done:" in await said_as(bot, AAD, "author-sam", line)
    draft = bot.activity("", aad=AAD["author-sam"], conversation="a:author-sam",
                         attachments=[bot.channel.attach("fire.docx", plain_docx(title=TITLE))])
    assert "stored as draft version 1" in text_of(await bot.send(draft))
    for key in ("psw-adults", "hos-safeguarding", "hos-mental-health", "hos-commissioning", "coproduction"):
        await said_as(bot, AAD, key, "i agree case 1")
    await _by_email(bot, "hos-localities", "i agree case 1")
    assert "Consultation closed" in await said_as(bot, AAD, "author-sam", "close consultation case 1")
    final = bot.activity("", aad=AAD["author-sam"], conversation="a:author-sam",
                         attachments=[bot.channel.attach("fire-final.docx", plain_docx(title=TITLE + " final"))])
    assert "stored as draft version 2" in text_of(await bot.send(final))
    # LBBD-9: OMT's chair signs it off from the card.
    card = last_to(bot, "a:op-director")
    done = await press(bot, AAD["op-director"], buttons(card)["approve"], conversation="a:op-director")
    assert "Approved at 'Shared at OMT and with Heads of Service'" in done
    told = [readable(a) for a in bot.channel.in_conversation("a:psw-adults")]
    assert any("another relevant Head of Service" in t for t in told), told[-2:]
    assert any("another relevant Head of Service" in m for m in mails_to(smtp, "hos-housing"))
    assert not any("another relevant Head of Service" in readable(a) for a in bot.channel.in_conversation("a:hos-safeguarding"))
    # The Improvement Board signs it off; no Cabinet Member, Executive Group or key decision.
    for line in ("approve case 1", "no case 1", "no case 1", "no case 1"):
        assert "Done:" in await said_as(bot, AAD, "dass", line)
    # LBBD-10: publication.
    said = await said_as(bot, AAD, "ppo", "publish case 1 version 1.0")
    assert "Published as version 1.0" in said
    assert any("Please discuss it with your staff in your team meetings" in readable(a)
               for a in bot.channel.in_conversation("a:tm-locality"))
    assert any("service meetings" in m and "(version 1.0)" in m for m in mails_to(smtp, "sm-hospital"))
    assert any("an item for the next ASC newsletter" in readable(a) for a in bot.channel.in_conversation("a:newsletter"))
    history = await said_as(bot, AAD, "ppo", "history PP-015")
    assert "Heads of Service told: Marcus Bell, Rachel Amankwah" in history
    assert "Team Managers told: Patrick Nolan" in history and "Service Managers told: Yasmin Farouk" in history
    assert "ASC newsletter editors told: Olivia Grant" in history
