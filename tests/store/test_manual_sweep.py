"""The scheduler keeps the manual's index fresh and tells owners what a new update touches
(issue 6 item 1 and NCT-14, run by issue 5's sweeps)."""

from __future__ import annotations

from datetime import datetime

from bot.settings import Settings
from services.delivery import outbox
from services.reminders import sweeps
from services.clock import LONDON, FixedClock
from tests.support.runtime import services_for
from services.demo import ensure_demo
from store.uow import Store
from tests.support.trix_site import TrixSite


async def test_the_daily_sweep_syncs_once_and_sends_update_notices_to_owners_once(sqlite_url):
    site = await TrixSite(slow_seconds=5.0).start()
    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    settings = Settings.from_env({"DATABASE_URL": sqlite_url, "POLICYBOT_MANUAL_URL": site.url,
                                  "POLICYBOT_MANUAL_DELAY": "0", "POLICYBOT_MANUAL_TIMEOUT": "1"})
    store = Store(settings.database_url)
    await store.migrate()
    services = services_for(settings, clock=clock, store=store)
    try:
        await ensure_demo(services)
        first = await sweeps.sweep_manual(services, "test")
        assert first.queued == 0  # the first sync is the baseline: nothing to tell anyone yet
        async with store.uow() as uow:
            assert (await uow.kv.get("manual_refresh_checked"))["result"] in ("ok", "partial")
        requests = len(site.requests)
        again = await sweeps.sweep_manual(services, "test")  # same day: not even a request
        assert again.queued == 0 and len(site.requests) == requests
        site.publish_update()
        clock.advance(days=1)
        update = await sweeps.sweep_manual(services, "test")
        assert update.queued > 0
        rows = [r for r in await outbox.listing(store.uow, None, 500) if r.kind == "manual_update"]
        owners = {r.person_id for r in rows}
        assert "ro-1" in owners  # Alex Dunmore owns PP-001, the local document for a changed chapter
        clock.advance(days=1)
        await sweeps.sweep_manual(services, "test")
        assert len([r for r in await outbox.listing(store.uow, None, 500) if r.kind == "manual_update"]) == len(rows)
    finally:
        await store.close()
        await site.stop()
