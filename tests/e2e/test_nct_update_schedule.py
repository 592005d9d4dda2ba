"""NCT-2: the PPO records the year's two update deadlines in chat, in any UK date form; the schedule
goes to everyone in the process (RSMs, ROs, SLT); "when's the next Tri.x deadline?" answers anyone,
before and after Christmas; the update-window sweep reads the same schedule (NCT-4).
In Teams and by email; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.app import RUNTIME_KEY
from services.clock import LONDON
from services.reminders.sweeps import sweep_update_window
from tests.support.cases import last_to, text_of
from tests.support.channel import readable
from tests.support.nct import email, email_text, hello, mails_to


@pytest.mark.by_email("rsm-cla")
async def test_nct_2_the_schedule_recorded_in_chat_sent_to_everyone_and_asked_about(nct_bot, demo_aad, smtp, clock):
    bot = nct_bot
    await hello(bot, demo_aad, "ppo", "director", "ro-4")
    said = await bot.say("the Tri.x deadlines are 5 March 2027 and 3rd Sept 2027", aad=demo_aad["ro-4"], conversation="a:ro-4")
    assert "Only the Policy and Procedures Officer records the manual update schedule (NCT-2)" in text_of(said)
    said = await bot.say("when's the next Tri.x deadline?", aad=demo_aad["ro-4"], conversation="a:ro-4")
    assert "No deadline for the manual publisher (Tri.x) is recorded yet" in text_of(said)

    said = await bot.say("the Tri.x deadlines are 5 March 2027 and 3rd Sept 2027", aad=demo_aad["ppo"], conversation="a:ppo")
    done = text_of(said)
    assert "Done: the update deadlines are Friday 5 March 2027 and Friday 3 September 2027." in done
    assert "I've sent the schedule to" in done
    to_slt = readable(last_to(bot, "a:director"))
    assert "The manual update schedule" in to_slt and "Friday 5 March 2027 and Friday 3 September 2027" in to_slt
    assert "the review window opens about 6 weeks before, on 22 January 2027" in to_slt
    assert any(m.startswith("The manual update schedule") for m in mails_to(smtp, "rsm-cla"))  # an RSM, by email
    assert "The manual update schedule" in readable(last_to(bot, "a:ro-4"))  # an RO

    said = await bot.say("when's the next Tri.x deadline?", aad=demo_aad["ro-4"], conversation="a:ro-4")
    assert ("The next deadline for the manual publisher (Tri.x) is Friday 5 March 2027, in 102 days; the review window "
            "opens about 6 weeks before, on 22 January 2027. After that: Friday 3 September 2027.") in text_of(said)

    # Across Christmas into the window: the sweep tells the ROs whose procedures fall in this update.
    clock.set(datetime(2027, 1, 22, 9, 0, tzinfo=LONDON))
    report = await sweep_update_window(bot.app[RUNTIME_KEY].services, "test")
    assert report.queued > 0
    # After the March deadline, the next one is September's (asked by email).
    clock.set(datetime(2027, 3, 8, 9, 0, tzinfo=LONDON))
    said = await email(bot, "rsm-cla", "when is the next tri.x deadline")
    assert "The next deadline for the manual publisher (Tri.x) is Friday 3 September 2027" in email_text(said)
    said = await bot.say("the Tri.x deadlines are 1 February 2027", aad=demo_aad["ppo"], conversation="a:ppo")
    assert "Monday 1 February 2027 has passed" in text_of(said)
    said = await bot.say("update deadlines: 3 Sept 2027 and the 31st of Febtober", aad=demo_aad["ppo"], conversation="a:ppo")
    assert "Sorry, I couldn't read" in text_of(said)
