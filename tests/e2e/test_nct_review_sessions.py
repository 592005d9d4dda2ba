"""NCT-5, NCT-7: Review Sessions over HTTP. The RO records on their card that a Review Session will be
held and asks the PPO to help; another RO says it in words. A procedure covering two services is
flagged for a joint session at opening; the PPO arranges one across two services' procedures: its ROs
and RSMs are invited in Teams and by email with a calendar file (.ics), the session is on each case,
and the outcome the PPO records afterwards is on each case too. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.support.cases import buttons, last_to, press, text_of
from tests.support.channel import readable
from tests.support.nct import EMAIL, email, email_text, hello


@pytest.mark.by_email("rsm-early-help")
async def test_nct_5_7_a_review_session_decided_by_the_ro_and_a_joint_one_arranged_by_the_ppo(nct_bot, demo_aad, smtp):
    bot = nct_bot
    await hello(bot, demo_aad, "ppo", "ro-2", "ro-4", "rsm-cla")
    ro2, ro4, ppo = demo_aad["ro-2"], demo_aad["ro-4"], demo_aad["ppo"]

    # NCT-7: PP-020 covers Children in Care and Early Help: opening it asks for a joint session.
    await bot.say("add RSM Casey Lindqvist to PP-020", aad=ppo, conversation="a:ppo")
    said = await bot.say("review PP-020", aad=ro2, conversation="a:ro-2")
    assert "covers several services, so its ROs review it together at a joint Review Session (NCT-7)" in text_of(said)
    assert "arrange a joint review session for PP-020 on [date] at [time]" in text_of(said)

    # NCT-5 on the card: the RO will hold one, and asks the PPO to help organise it.
    decide = buttons(said.replies[0])["review_session"]
    assert decide["title"] == "Record the Review Session decision"
    done = await press(bot, ro2, decide, conversation="a:ro-2", review_session_held="yes", review_session_help="true",
                       text="the kinship team manager should take part")
    assert "A Review Session will be held (NCT-5), with the Policy and Procedures Officer's help" in done
    told = readable(last_to(bot, "a:ppo"))
    assert "Help with a Review Session: PP-020" in told and "kinship team manager" in told

    # NCT-5 in words, by another RO on another service's procedure.
    await bot.say("review PP-026", aad=ro4, conversation="a:ro-4")
    said = await bot.say("we'll hold a review session for PP-026", aad=ro4, conversation="a:ro-4")
    assert "A Review Session will be held (NCT-5)" in text_of(said)

    # NCT-7: the PPO arranges the joint session; a date that is a bank holiday is refused politely.
    said = await bot.say("arrange a joint review session for PP-020 and PP-026 on 28 December 2026 at 10am", aad=ppo,
                         conversation="a:ppo")
    assert "is not a working day" in text_of(said)
    said = await bot.say("arrange a joint review session for PP-020 and PP-026 on Thursday 14/1/27 at 2.30pm", aad=ppo,
                         conversation="a:ppo")
    assert "Done: a joint Review Session for PP-020, PP-026 on Thursday 14 January 2027 at 14:30" in text_of(said)
    invite = readable(last_to(bot, "a:ro-2"))
    assert "Joint Review Session: PP-020, PP-026" in invite and "Thursday 14 January 2027 at 14:30" in invite
    assert "Joint Review Session" in readable(last_to(bot, "a:rsm-cla"))
    [mail] = [m for m in smtp.to(EMAIL["rsm-early-help"]) if "Joint Review Session" in m.message["Subject"]]
    ics = (mail.part("text/calendar") or "").replace("\r\n ", "")  # unfolded (RFC 5545 folds long lines)
    assert ics and "DTSTART;TZID=Europe/London:20270114T143000" in ics and "mailto:" + EMAIL["ro-4"] in ics

    # The outcome, recorded once by the PPO, is on each case.
    said = await bot.say("review session outcome: both procedures get the same step-down thresholds", aad=ppo,
                         conversation="a:ppo")
    assert "recorded on PP-020, PP-026" in text_of(said)
    for ref in ("PP-020", "PP-026"):
        history = text_of(await bot.say(f"history {ref}", aad=ppo, conversation="a:ppo"))
        assert "Review Session arranged for Thursday 14 January 2027 at 14:30" in history
        assert "Review Session outcome: both procedures get the same step-down thresholds" in history
    said = await email(bot, "rsm-early-help", "case 1")
    assert "Review Session arranged: Thursday 14 January 2027 at 14:30: PP-020, PP-026; outcome: both procedures" in email_text(said)
