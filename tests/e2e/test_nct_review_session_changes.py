"""NCT-5, NCT-7: Review Sessions once arranged, over HTTP in Teams' shapes and by the email channel, on SQLite and
PostgreSQL. The PPO arranges a joint session for PP-020 and PP-026 and an RO one for their own PP-005;
"which review sessions are coming up?" lists them (every one for the PPO, their own for an RO); the PPO
moves the joint one: everyone invited is told in Teams and by email, with the same calendar UID and a
higher SEQUENCE; another RO may not move or cancel it (governance/nct_sessions.py), the RO of PP-005 may
cancel their own: METHOD:CANCEL reaches the RSM by email. Each case's history records each change."""

from __future__ import annotations

import re

import pytest

from tests.support.cases import last_to, text_of
from tests.support.channel import readable
from tests.support.nct import EMAIL, email, email_text, hello


def _ics(mail) -> str:
    return (mail.part("text/calendar") or "").replace("\r\n ", "")  # unfolded (RFC 5545 folds long lines)


def _field(ics: str, name: str) -> str:
    m = re.search(rf"^{name}[;:](.*)$", ics, re.MULTILINE)
    return m.group(1).strip() if m else ""


@pytest.mark.by_email("rsm-early-help", "rsm-cla", "rsm-safeguarding")
async def test_nct_5_nct_7_review_sessions_listed_moved_and_cancelled_with_calendar_updates(nct_bot, demo_aad, smtp):
    bot = nct_bot
    await hello(bot, demo_aad, "ppo", "ro-1", "ro-2", "ro-4")
    ppo, ro1, ro2, ro4 = demo_aad["ppo"], demo_aad["ro-1"], demo_aad["ro-2"], demo_aad["ro-4"]
    await bot.say("review PP-020", aad=ro2, conversation="a:ro-2")
    await bot.say("review PP-026", aad=ro4, conversation="a:ro-4")
    said = await bot.say("arrange a joint review session for PP-020 and PP-026 on Thursday 14/1/27 at 2.30pm", aad=ppo,
                         conversation="a:ppo")
    assert "Done: a joint Review Session for PP-020, PP-026 on Thursday 14 January 2027 at 14:30" in text_of(said)
    [invite] = [m for m in smtp.to(EMAIL["rsm-early-help"]) if "Joint Review Session" in m.message["Subject"]]
    uid = _field(_ics(invite), "UID")
    assert uid and _field(_ics(invite), "SEQUENCE") == "0" and _field(_ics(invite), "METHOD") == "REQUEST"

    # NCT-5: an RO arranges one for their own procedure.
    said = await bot.say("review PP-001", aad=ro1, conversation="a:ro-1")
    said = await bot.say("arrange a review session for PP-001 on 19/1/27 at 10am", aad=ro1, conversation="a:ro-1")
    assert "Done: a Review Session for PP-001 on Tuesday 19 January 2027 at 10:00" in text_of(said), text_of(said)

    # The ones coming up: every one for the PPO; an RO sees those they are invited to.
    listed = text_of(await bot.say("which review sessions are coming up?", aad=ppo, conversation="a:ppo"))
    assert "2 Review Sessions coming up (NCT-5, NCT-7):" in listed
    assert "Thursday 14 January 2027 at 14:30: PP-020, PP-026 (joint, invited:" in listed
    assert listed.index("PP-020, PP-026") < listed.index("Tuesday 19 January 2027 at 10:00: PP-001")
    mine = text_of(await bot.say("review sessions", aad=ro4, conversation="a:ro-4"))
    assert "1 Review Session coming up" in mine and "PP-026" in mine and "PP-001" not in mine

    # Who may: the RO of PP-026 alone may not move a session that covers PP-020 too (NCT-7: the PPO coordinates).
    said = await bot.say("move the review session for PP-026 to 21/1/27 at 10am", aad=ro4, conversation="a:ro-4")
    assert "The Policy and Procedures Officer arranges, moves or cancels Review Sessions across procedures" in text_of(said)
    said = await bot.say("cancel the review session for PP-001", aad=ro2, conversation="a:ro-2")
    assert "an RO does it for their own procedure (NCT-5)" in text_of(said)
    said = await bot.say("move the review session for PP-020 to 28/12/26 at 10am", aad=ppo, conversation="a:ppo")
    assert "is not a working day" in text_of(said)

    # The PPO moves the joint session: everyone invited is told, with the same UID and a higher SEQUENCE.
    said = await bot.say("move the review session for PP-020 to 21/1/27 at 10am", aad=ppo, conversation="a:ppo")
    assert ("Done: the Review Session for PP-020, PP-026 has moved from Thursday 14 January 2027 at 14:30 to Thursday 21 "
            "January 2027 at 10:00") in text_of(said)
    for conversation in ("a:ro-2", "a:ro-4"):
        told = readable(last_to(bot, conversation))
        assert "Moved: Joint Review Session: PP-020, PP-026, now Thursday 21 January 2027 at 10:00" in told
        assert "from Thursday 14 January 2027 at 14:30 to Thursday 21 January 2027 at 10:00" in told
    for rsm in ("rsm-early-help", "rsm-cla"):
        [moved] = [m for m in smtp.to(EMAIL[rsm]) if m.message["Subject"].startswith("Moved: Joint Review Session")]
        ics = _ics(moved)
        assert _field(ics, "UID") == uid and _field(ics, "SEQUENCE") == "1" and _field(ics, "METHOD") == "REQUEST"
        assert "DTSTART;TZID=Europe/London:20270121T100000" in ics
        assert next(p for p in moved.message.walk() if p.get_content_type() == "text/calendar").get_param("method") == "REQUEST"
    listed = text_of(await bot.say("review sessions", aad=ppo, conversation="a:ppo"))
    assert listed.index("Tuesday 19 January 2027 at 10:00: PP-001") < listed.index("Thursday 21 January 2027 at 10:00: PP-020")

    # The RO of PP-001 cancels their own session, by email: its RSM, who works by email, gets METHOD:CANCEL.
    said = await email(bot, "ro-1", "cancel the review session for PP-001")
    assert "Done: the Review Session on Tuesday 19 January 2027 at 10:00 for PP-001 is cancelled" in email_text(said)
    told = readable(last_to(bot, "a:ppo"))
    assert "Cancelled: Review Session: PP-001" in told
    [cancelled] = [m for m in smtp.to(EMAIL["rsm-safeguarding"])
                   if m.message["Subject"].startswith("Cancelled: Review Session: PP-001")]
    ics = _ics(cancelled)
    assert next(p for p in cancelled.message.walk() if p.get_content_type() == "text/calendar").get_param("method") == "CANCEL"
    assert _field(ics, "METHOD") == "CANCEL" and _field(ics, "STATUS") == "CANCELLED" and _field(ics, "SEQUENCE") == "1"
    said = await bot.say("cancel the review session for PP-001", aad=ro1, conversation="a:ro-1")
    assert "No Review Session is coming up for PP-001" in text_of(said)
    listed = email_text(await email(bot, "ppo", "which review sessions are coming up?"))
    assert "1 Review Session coming up" in listed and "PP-001" not in listed

    # Each case records what happened to its session.
    for ref in ("PP-020", "PP-026"):
        history = text_of(await bot.say(f"history {ref}", aad=ppo, conversation="a:ppo"))
        assert ("Review Session moved from Thursday 14 January 2027 at 14:30 to Thursday 21 January 2027 at 10:00 "
                "(NCT-5, NCT-7)") in history
    history = text_of(await bot.say("history PP-001", aad=ppo, conversation="a:ppo"))
    assert "Review Session on Tuesday 19 January 2027 at 10:00 cancelled (NCT-5, NCT-7)" in history
