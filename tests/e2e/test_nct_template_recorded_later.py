"""NCT-17 over HTTP, in Teams' shapes and by email, on SQLite and PostgreSQL: the PPO records whether the
publisher has a template after the need was agreed, in words. PP-047's need is agreed on the card; the PPO
records arrangements in Teams ('no template for PP-047, arrangements: ...'), then the publisher's template
arrives and the PPO says so by email ('template available for PP-047'): the case moves onto Route 1 for the
next update deadline, the arrangements' reminders are withdrawn, the RO is told, the audit records it, and
across Christmas the update window opens for it. Only the PPO may record it. PP-048 has no template: its
agreed date passes with no draft, and the PPO (who agreed the arrangements, by email) is told as well as
the RO (in Teams) on the next working day."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.app import DISPATCHER_KEY, RUNTIME_KEY
from services.clock import LONDON
from tests.support.cases import buttons, press, request_document, sent_to, text_of
from tests.support.channel import readable
from tests.support.nct import update_sweep_at as _at, email, email_text, hello, mails_to

VAPING = ["Local procedure", "Children in Care", "Residential staff have no guidance on vaping since the 2026 audit", "none", "none", "yes"]
PREVENT = ["Local procedure", "Early Help", "The Prevent duty guidance changed in 2026", "none", "none", "yes"]


def _texts(bot, conversation: str) -> str:
    return "\n".join(readable(a) for a in sent_to(bot, conversation))


async def _agreed(bot, demo_aad, ro: str, ask: str, answers: list[str], case: int) -> None:
    said = await request_document(bot, demo_aad[ro], f"a:{ro}", ask, answers)
    assert f"case {case}" in text_of(said), text_of(said)
    card = await bot.say(f"case {case}", aad=demo_aad["ppo"], conversation="a:ppo")
    done = await press(bot, demo_aad["ppo"], buttons(card.replies[0])["agree_need"], conversation="a:ppo")
    assert "Need agreed" in done, done


@pytest.mark.by_email("ppo")
async def test_nct_17_the_template_recorded_later_moves_a_new_procedure_onto_route_1(nct_bot, demo_aad, smtp, clock):
    bot = nct_bot
    await hello(bot, demo_aad, "ppo", "ro-2", "ro-4")
    ppo = demo_aad["ppo"]
    await bot.say("the Tri.x deadlines are 5/3/27 and 4th June 2027", aad=ppo, conversation="a:ppo")
    await _agreed(bot, demo_aad, "ro-2", "we need a new procedure on vaping in residential children's homes", VAPING, 1)

    # NCT-17 in words, in Teams: no template yet, and the arrangements agreed.
    said = await bot.say("no template for PP-047, arrangements: Jamie Castellan drafts it with the residential team by "
                         "29 January 2027", aad=ppo, conversation="a:ppo")
    assert "Arrangements for writing it: Jamie Castellan drafts it with the residential team by 29 January 2027 " \
           "(due 29 January 2027)" in text_of(said), text_of(said)
    async with bot.app[RUNTIME_KEY].services.uow() as uow:
        assert {r.status for r in await uow.outbox.by_key_prefix("arrangements:case1:")} == {"pending"}

    # Only the PPO records the publisher's template.
    said = await bot.say("template available for PP-047", aad=demo_aad["ro-2"], conversation="a:ro-2")
    assert "Only the Policy and Procedures Officer for this procedure can record the publisher's template" in text_of(said)

    # The template arrives: the PPO says so by email; the case moves onto Route 1 for the next deadline.
    said = await email(bot, "ppo", "template available for PP-047")
    assert ("The publisher has a template: it follows Route 1, the scheduled update, for the next update deadline, "
            "5 March 2027 (NCT-17); the arrangements agreed before no longer apply (they were: Jamie Castellan drafts "
            "it with the residential team by 29 January 2027)") in email_text(said), email_text(said)
    await bot.app[DISPATCHER_KEY].drain()
    assert "Template available: PP-047" in _texts(bot, "a:ro-2")
    async with bot.app[RUNTIME_KEY].services.uow() as uow:
        kept = await uow.outbox.by_key_prefix("arrangements:case1:")
        doc = await uow.documents.by_ref("PP-047")
        audit = [e for e in await uow.audit.for_entity("document", doc.id) if e.action == "template_available"]
    assert kept and {r.status for r in kept} == {"skipped"}  # the arrangements' reminders are withdrawn
    assert [e.actor_id for e in audit] == ["ppo"]
    shown = text_of(await bot.say("case 1", aad=demo_aad["ro-2"], conversation="a:ro-2"))
    assert "the publisher's template: Route 1, for the update deadline 5 March 2027" in shown, shown
    said = await email(bot, "ppo", "PP-047: the publisher has a template")  # recorded once
    assert "Route 1, the scheduled update" not in email_text(said) and "record the arrangements" in email_text(said)

    # PP-048: no template; its arrangements are agreed by email.
    await _agreed(bot, demo_aad, "ro-4", "I need a new procedure on radicalisation and Prevent referrals", PREVENT, 2)
    said = await email(bot, "ppo", "no template for PP-048: Sam Okafor drafts it with the Early Help team by 29/1/27")
    assert "Sam Okafor drafts it with the Early Help team by 29/1/27 (due 29 January 2027)" in email_text(said)

    # Across Christmas: PP-047's update window opens; no reminder of its old arrangements is sent.
    await _at(bot, clock, datetime(2027, 1, 22, 9, 5, tzinfo=LONDON))
    to_ro2 = _texts(bot, "a:ro-2")
    assert "The update window is open: write PP-047 Vaping in residential children's homes" in to_ro2
    assert "Due on 29 January 2027" not in to_ro2
    assert "Due on 29 January 2027: PP-048" in _texts(bot, "a:ro-4")
    # PP-048's date passes with no draft: on the next working day the RO and the PPO are told.
    await _at(bot, clock, datetime(2027, 1, 29, 17, 0, tzinfo=LONDON))
    assert "Overdue" not in _texts(bot, "a:ro-4")
    await _at(bot, clock, datetime(2027, 2, 1, 9, 5, tzinfo=LONDON))
    late = "Overdue: the draft of PP-048 Radicalisation and Prevent referrals"
    assert late in _texts(bot, "a:ro-4")
    to_ppo = "\n".join(mails_to(smtp, "ppo"))
    assert late in to_ppo and "The Policy and Procedures Officer agrees new arrangements with the parties (NCT-17)" in to_ppo
    assert "Overdue: the draft of PP-047" not in to_ppo
