"""NCT-10: an approved procedure goes to the PPO, who has the approved .docx, submits it to the
publisher for the next edition, and later records the edition it was published in: two steps,
each recorded, in Teams and by email. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from connectors.word.samples import tracked_docx
from services.clock import LONDON
from tests.support.cases import review_ticked, buttons, last_to, on_screen, press, text_of
from tests.support.channel import card_of, readable
from tests.support.nct import attach, email, email_text, hello, mails_to


@pytest.mark.by_email("ppo")
async def test_nct_10_submitted_to_the_publisher_then_published_in_an_edition(nct_bot, demo_aad, smtp, clock):
    bot = nct_bot
    await hello(bot, demo_aad, "rsm-cla", "ro-2")
    ro, rsm = demo_aad["ro-2"], demo_aad["rsm-cla"]
    await review_ticked(bot, "PP-018", aad=ro, conversation="a:ro-2")
    await attach(bot, ro, "a:ro-2", "panel.docx", tracked_docx(title="Fostering Panel"))
    await press(bot, rsm, buttons(last_to(bot, "a:rsm-cla"))["approve"], conversation="a:rsm-cla")

    # The PPO hears by email, with the approved draft to hand and the words for the first step only.
    told = mails_to(smtp, "ppo")[-1]
    assert "SUBMITTED TO THE PUBLISHER case 1" in told and "PUBLISHED IN EDITION" not in told
    assert "To get the draft, say 'draft case 1'." in told
    said = await email(bot, "ppo", "PUBLISHED IN EDITION case 1: edition 14, version 3.0")
    assert "That can't be done while PP-018 Fostering Panel is at 'PPO submits to the publisher" in email_text(said)

    said = await email(bot, "ppo", "SUBMITTED TO THE PUBLISHER case 1: in the spring update, with the tracked draft")
    reply = email_text(said)
    assert "Submitted to the publisher for the next edition of the manual: in the spring update" in reply
    assert "Waiting for: Policy and Procedures Officer" in reply and "PUBLISHED IN EDITION case 1: edition <number>" in reply
    assert "Submitted to the publisher: PP-018 Fostering Panel" in readable(last_to(bot, "a:ro-2"))
    status = text_of(await bot.say("status PP-018", aad=ro, conversation="a:ro-2"))
    assert "Submitted to the publisher: 23 November 2026, for the next edition" in status
    assert "Published in the manual" not in status and "Status: published" in status  # the old version is still the live one
    said = await bot.say("case 1", aad=ro, conversation="a:ro-2")
    assert "Submitted to the publisher on 23/11/2026; waiting for the edition it appears in" in text_of(said) \
        or "Submitted to the publisher on 23 Nov" in text_of(said)

    # The edition comes out after Christmas; the PPO records it, first with a date still to come.
    clock.set(datetime(2027, 1, 6, 9, 30, tzinfo=LONDON))
    said = await email(bot, "ppo", "PUBLISHED IN EDITION case 1: edition 14, version 3.0, on 8 January 2027")
    assert "8 January 2027 is after today: record the publication once the edition is out" in email_text(said)
    said = await email(bot, "ppo", "PUBLISHED IN EDITION case 1: edition 14, version 3.0, on 4/1/27")
    assert "Published in edition 14 of the manual on 4 January 2027 as version 3.0" in email_text(said)
    assert "Version 3.0 is published in edition 14 of the manual" in readable(last_to(bot, "a:ro-2"))
    status = text_of(await bot.say("status PP-018", aad=ro, conversation="a:ro-2"))
    assert "Version: 3.0" in status and "Published in the manual: edition 14 on 4 January 2027" in status
    assert "Submitted to the publisher: 23 November 2026" in status and "Next review by: 4 January 2028" in status
    history = text_of(await bot.say("history PP-018", aad=ro, conversation="a:ro-2"))
    assert "Submitted to the publisher for the next edition of the manual: in the spring update" in history
    assert "Published in edition 14 of the manual on 4 January 2027 as version 3.0" in history


async def test_nct_10_the_ppos_card_in_teams_offers_the_draft_and_the_two_steps(nct_bot, demo_aad):
    bot = nct_bot
    await hello(bot, demo_aad, "ppo", "rsm-cla", "ro-2")
    ro, rsm, ppo = demo_aad["ro-2"], demo_aad["rsm-cla"], demo_aad["ppo"]
    await review_ticked(bot, "PP-018", aad=ro, conversation="a:ro-2")
    await attach(bot, ro, "a:ro-2", "panel.docx", tracked_docx(title="Fostering Panel"))
    await press(bot, rsm, buttons(last_to(bot, "a:rsm-cla"))["approve"], conversation="a:rsm-cla")
    card = last_to(bot, "a:ppo")
    assert set(buttons(card)) == {"submit_to_publisher", "withdraw"}
    assert any(a["title"] == "Open the draft" for a in card_of(card)["actions"])  # the approved .docx
    done = await press(bot, ppo, buttons(card)["submit_to_publisher"], conversation="a:ppo")
    assert "[Published in the manual]" in done and "Edition of the manual it appeared in" in done
    refused = await press(bot, ppo, buttons(on_screen(bot, "a:ppo"))["published_in_edition"], conversation="a:ppo",
                          version="3.0")
    assert "Please give the edition of the manual it appeared in" in refused
    done = await press(bot, ppo, buttons(on_screen(bot, "a:ppo"))["published_in_edition"], conversation="a:ppo",
                       version="3.0", edition="15")
    assert "Published in edition 15 of the manual on 23 November 2026 as version 3.0" in done
