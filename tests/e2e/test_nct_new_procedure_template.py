"""NCT-17 over HTTP: a new procedure request reaches the PPO, who records whether the publisher has
a template. With one (pressed on the card in Teams) the procedure follows Route 1 and waits for the
next recorded update deadline; without one (replied by email) the PPO records the arrangements agreed
for writing it, and their due date drives the RO's reminders. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app import RUNTIME_KEY
from services.clock import LONDON
from tests.support.cases import buttons, press, request_document, sent_to, text_of
from tests.support.channel import readable
from tests.support.nct import email, email_text, hello


@pytest.mark.by_email("ppo")
async def test_nct_17_a_new_procedure_with_and_without_the_publishers_template(nct_bot, demo_aad, smtp):
    bot = nct_bot
    await hello(bot, demo_aad, "ro-4", "ro-2")
    ro4, ro2 = demo_aad["ro-4"], demo_aad["ro-2"]
    said = await email(bot, "ppo", "the tri.x deadlines are 5 March 2027 and 3 September 2027")
    assert "Done: the update deadlines are" in email_text(said)

    said = await request_document(bot, ro4, "a:ro-4", "I need a new procedure on radicalisation and Prevent referrals",
                                  ["Local procedure", "Early Help", "The Prevent duty guidance changed in 2026", "none", "none", "yes"])
    assert "case 1" in text_of(said)
    said = await email(bot, "ppo", "case 1")
    assert "TEMPLATE AVAILABLE case 1" in email_text(said) and "NO TEMPLATE case 1: <your words>" in email_text(said)
    # The PPO works in Teams too: the card's button.
    said = await bot.say("case 1", aad=demo_aad["ppo"], conversation="a:ppo")
    done = await press(bot, demo_aad["ppo"], buttons(said.replies[0])["template_available"], conversation="a:ppo")
    assert "it follows Route 1, the scheduled update, for the next update deadline, 5 March 2027 (NCT-17)" in done
    told = "\n".join(readable(a) for a in sent_to(bot, "a:ro-4")[-2:])
    assert "follows Route 1, the scheduled update, for the next update deadline, 5 March 2027" in told

    said = await request_document(bot, ro2, "a:ro-2", "we need a new procedure on vaping in residential children's homes",
                                  ["Local procedure", "Children in Care", "Residential staff have no guidance on vaping since the 2026 audit", "none", "none", "yes"])
    assert "case 2" in text_of(said)
    said = await email(bot, "ppo", "NO TEMPLATE case 2: Jamie drafts it")
    assert "who writes it and by when" in email_text(said)
    said = await email(bot, "ppo", "NO TEMPLATE case 2: Jamie Castellan drafts it with the residential team by 29 January 2027")
    assert "arrangements agreed: Jamie Castellan drafts it with the residential team by 29 January 2027" in email_text(said)
    assert "arrangements agreed: Jamie Castellan drafts it" in "\n".join(readable(a) for a in sent_to(bot, "a:ro-2")[-2:])
    async with bot.app[RUNTIME_KEY].services.uow() as uow:
        reminders = await uow.outbox.by_key_prefix("arrangements:case2:")
    # the due date drives the reminders: five working days before, and on the day, each with its deadline; with
    # no draft by the working day after, the RO and the PPO (who agreed the arrangements) are told (NCT-17)
    assert sorted(r.not_before.astimezone(LONDON).date() for r in reminders if r.channel == "teams") == [
        date(2027, 1, 22), date(2027, 1, 29), date(2027, 2, 1)]
    assert {r.due_on for r in reminders if "overdue" not in r.key} == {"2027-01-29"}
    assert {r.person_id for r in reminders if "overdue" not in r.key} == {"ro-2"}
    assert {r.person_id for r in reminders if "overdue" in r.key} == {"ro-2", "ppo"}
    status = text_of(await bot.say("case 2", aad=ro2, conversation="a:ro-2"))
    assert "no template; arrangements: Jamie Castellan drafts it with the residential team by 29 January 2027 (due 29 January 2027)" in status
