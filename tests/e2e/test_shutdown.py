"""A clean stop gives back what this process claimed (issue 22, item 5): outbox rows it claimed but
did not send are free for another process at once, not after the claim lapses. Both databases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from store.outbox_models import OutboxMessage
from tests.support.bot import RunningBot, settings_for


async def _queue(store, now, key: str) -> None:
    async with store.sessionmaker() as s:
        s.add(OutboxMessage(key=key, kind="notice", channel="email", address="someone@trust.example", subject="s",
                            body="b", payload={}, status="pending", attempts=0, not_before=now - timedelta(minutes=1),
                            created_at=now))
        await s.commit()


async def test_stopping_releases_the_outbox_rows_this_process_claimed(db_url, clock):
    from bot.app import DISPATCHER_KEY, RUNTIME_KEY

    bot = await RunningBot(settings_for(db_url), clock=clock).start()
    stopped = False
    try:
        runtime = bot.app[RUNTIME_KEY]
        store, now = runtime.store, clock.now()
        await _queue(store, now, "mine|email")
        await _queue(store, now, "theirs|email")
        holder = bot.app[DISPATCHER_KEY].holder
        async with store.sessionmaker() as s:  # claimed as the dispatcher claims: "<holder>:<token>"
            for key, token in (("mine|email", f"{holder}:1a2b3c4d"), ("theirs|email", "another-host:1:5e6f7a8b")):
                await s.execute(update(OutboxMessage).where(OutboxMessage.key == key)
                                .values(claimed_by=token, claimed_until=now + timedelta(minutes=2)))
            await s.commit()
        await bot.stop()
        stopped = True
        from store.uow import Store

        check = Store(db_url)
        try:
            async with check.sessionmaker() as s:
                rows = {r.key: r for r in (await s.execute(select(OutboxMessage))).scalars()}
        finally:
            await check.close()
        assert rows["mine|email"].claimed_by is None and rows["mine|email"].claimed_until is None
        assert rows["mine|email"].status == "pending"
        assert rows["theirs|email"].claimed_by == "another-host:1:5e6f7a8b"  # another process's claim is left alone
    finally:
        if not stopped:
            await bot.stop()
