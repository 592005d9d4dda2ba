"""People tune their nudges in conversation; the PPO pauses them for everyone (issue 5)."""

from __future__ import annotations

from datetime import date, datetime

from bot.app import DISPATCHER_KEY, SERVICES_KEY
from services.reminders import sweeps
from services.clock import LONDON
from tests.support.channel import readable


async def _only_due(services, ref: str, due: date) -> str:
    async with services.uow() as uow:
        owner = None
        for doc in await uow.documents.all():
            await uow.documents.update(doc.id, next_review_due=due if doc.ref == ref else date(2029, 1, 1))
            if doc.ref == ref:
                owner = doc.ro_id
        await uow.commit()
    return owner


async def test_quiet_hours_hold_a_reminder_until_they_end(bot, demo_aad, clock):
    services, dispatcher = bot.app[SERVICES_KEY], bot.app[DISPATCHER_KEY]
    ro = await _only_due(services, "PP-001", date(2026, 11, 30))
    said = await bot.say("quiet hours 9am to 12:00", aad=demo_aad[ro], conversation="a:ro")
    assert "no reminders between 09:00 and 12:00" in readable(said.replies[0])
    said = await bot.say("quiet hours whenever", aad=demo_aad[ro], conversation="a:ro")
    assert "couldn't read those quiet hours" in readable(said.replies[0])
    before = len(bot.channel.in_conversation("a:ro"))
    await sweeps.run_all(services, "test")
    got = await dispatcher.drain()
    assert got["quiet_hours"] == 1 and bot.channel.in_conversation("a:ro")[before:] == []
    clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=LONDON))
    await dispatcher.drain()
    assert "Review of PP-001 due" in readable(bot.channel.in_conversation("a:ro")[before])


async def test_a_daily_digest_folds_reminders_into_one_message_a_day(bot, demo_aad, clock):
    services, dispatcher = bot.app[SERVICES_KEY], bot.app[DISPATCHER_KEY]
    ro = await _only_due(services, "PP-001", date(2026, 11, 30))
    said = await bot.say("send me a daily digest", aad=demo_aad[ro], conversation="a:ro")
    assert "one message each working morning" in readable(said.replies[0])
    before = len(bot.channel.in_conversation("a:ro"))
    await sweeps.run_all(services, "test")  # Monday 10:00: today's digest has not gone yet
    await dispatcher.drain()
    [first] = bot.channel.in_conversation("a:ro")[before:]
    assert "Your policy reminders for Monday 23 November: 1" in readable(first)
    # Later that day two more of the RO's documents fall due: held for tomorrow's digest.
    async with services.uow() as uow:
        mine = [d for d in await uow.documents.all() if d.ro_id == ro and d.ref != "PP-001"][:2]
        for d in mine:
            await uow.documents.update(d.id, next_review_due=date(2026, 11, 24))
        await uow.commit()
    clock.set(datetime(2026, 11, 23, 15, 0, tzinfo=LONDON))
    await sweeps.run_all(services, "test")
    await dispatcher.drain()
    assert len(bot.channel.in_conversation("a:ro")[before:]) == 1
    clock.set(datetime(2026, 11, 24, 8, 45, tzinfo=LONDON))
    for _ in range(2):
        await sweeps.run_all(services, "test")
        await dispatcher.drain()
    sent = bot.channel.in_conversation("a:ro")[before:]
    assert len(sent) == 2
    text = readable(sent[1])
    assert "Your policy reminders for Tuesday 24 November: 2" in text
    assert all(f"Review of {d.ref} due by Tuesday 24 November 2026" in text for d in mine)


async def test_only_the_ppo_pauses_reminders_and_nothing_is_lost(bot, demo_aad, clock):
    services, dispatcher = bot.app[SERVICES_KEY], bot.app[DISPATCHER_KEY]
    ro = await _only_due(services, "PP-001", date(2026, 12, 31))  # 30-day reminder falls on 1 December
    refused = await bot.say("pause reminders until 4 January", aad=demo_aad[ro], conversation="a:ro")
    assert "Only the Policy and Procedures Officer" in readable(refused.replies[0])
    bad = await bot.say("pause reminders until the cows come home", aad=demo_aad["ppo"], conversation="a:ppo")
    assert "is not a date I can read" in readable(bad.replies[0])
    said = await bot.say("pause reminders until 4 January", aad=demo_aad["ppo"], conversation="a:ppo")
    assert "paused for everyone until Monday 4 January 2027" in readable(said.replies[0])
    await bot.say("help", aad=demo_aad[ro], conversation="a:ro")
    before = len(bot.channel.in_conversation("a:ro"))
    clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=LONDON))
    await sweeps.run_all(services, "test")
    await dispatcher.drain()
    assert bot.channel.in_conversation("a:ro")[before:] == []
    clock.set(datetime(2027, 1, 4, 10, 0, tzinfo=LONDON))
    await sweeps.run_all(services, "test")
    await dispatcher.drain()
    sent = [readable(a) for a in bot.channel.in_conversation("a:ro")[before:]]
    assert len(sent) == 1 and "Review of PP-001 is overdue" in sent[0]
    async with services.uow() as uow:
        entries = [e.action for e in await uow.audit.for_entity("organisation", "nudges")]
    assert entries == ["pause_nudges"]
    settings = await bot.say("nudge settings", aad=demo_aad[ro], conversation="a:ro")
    assert "Quiet hours: none" in readable(settings.replies[0])
