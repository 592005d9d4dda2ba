"""NCT-7: a procedure covering several services has several RSMs; the draft reaches the PPO to
coordinate their approval, and "who still has to sign off PP-037?" shows who has decided and who
has not. In Teams and by email; SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from connectors.word.samples import tracked_docx
from tests.support.cases import review_ticked, buttons, last_to, press, text_of
from tests.support.channel import readable
from tests.support.nct import attach, email, email_text, hello, mails_to


@pytest.mark.by_email("rsm-safeguarding")
async def test_nct_7_the_ppo_coordinates_two_rsms_and_anyone_asks_who_has_signed_off(nct_bot, demo_aad, smtp):
    bot = nct_bot
    await hello(bot, demo_aad, "ppo", "rsm-adults", "ro-5")
    ro, ppo, robin = demo_aad["ro-5"], demo_aad["ppo"], demo_aad["rsm-adults"]
    said = await bot.say("add RSM Morgan Reyes to PP-037", aad=ppo, conversation="a:ppo")
    assert "RSMs now: Robin Achebe, Morgan Reyes" in text_of(said)
    said = await bot.say("who still has to sign off PP-037?", aad=ro, conversation="a:ro-5")
    assert "no work in progress, so nobody is asked to sign it off" in text_of(said)

    await review_ticked(bot, "PP-037", aad=ro, conversation="a:ro-5")
    await attach(bot, ro, "a:ro-5", "s42.docx", tracked_docx(title="Adult Safeguarding Enquiries (Section 42)"))
    told = readable(last_to(bot, "a:ppo"))
    assert "Coordinate approval: PP-037 Adult Safeguarding Enquiries (Section 42)" in told
    assert "needs the approval of 2 Responsible Strategic Managers, and you coordinate it (NCT-7)" in told
    assert "For your approval" in readable(last_to(bot, "a:rsm-adults")) or "RSM approval" in readable(last_to(bot, "a:rsm-adults"))
    assert any("RSM approval: PP-037" in m for m in mails_to(smtp, "rsm-safeguarding"))

    said = await bot.say("who still has to sign off PP-037?", aad=ppo, conversation="a:ppo")
    text = text_of(said)
    assert "case 1 is at 'RSM approval'" in text
    assert "Still to decide: Robin Achebe, Morgan Reyes" in text and "Decided: nobody yet" in text

    await press(bot, robin, buttons(last_to(bot, "a:rsm-adults"))["approve"], conversation="a:rsm-adults")
    said = await bot.say("who hasn't signed off PP-37 yet", aad=ppo, conversation="a:ppo")
    text = text_of(said)
    assert "Still to decide: Morgan Reyes" in text and "Robin Achebe approved on 23 November 2026" in text

    # By email: Morgan asks, then approves with the words the email gave.
    said = await email(bot, "rsm-safeguarding", "who still has to sign off PP-037")
    assert "Still to decide: Morgan Reyes" in email_text(said)
    said = await email(bot, "rsm-safeguarding", "APPROVE case 1")
    assert "PPO submits to the publisher" in email_text(said)
    said = await bot.say("who still has to sign off PP-037?", aad=ro, conversation="a:ro-5")
    assert "not waiting for a sign-off" in text_of(said)
    assert "submit_to_publisher" in buttons(last_to(bot, "a:ppo"))
