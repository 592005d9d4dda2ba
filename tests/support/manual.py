"""Fixtures for the manual: the test Tri.x site on loopback, and services over a fresh database."""

from __future__ import annotations

from datetime import datetime

import pytest
import pytest_asyncio

from connectors.trix.crawler import CrawlConfig
from bot.settings import Settings
from services.clock import LONDON, FixedClock
from tests.support.runtime import services_for
from services.manual.sync import sync_manual
from services.demo import ensure_demo
from store.uow import Store
from tests.conftest import BACKENDS, fresh_database
from tests.support.trix_site import TrixSite


@pytest.fixture
async def trix_site():
    site = await TrixSite(slow_seconds=5.0).start()
    try:
        yield site
    finally:
        await site.stop()


@pytest.fixture
def fast():
    """No pause between requests (it is our own loopback server) and a short timeout for the slow page."""
    return CrawlConfig(delay=0.0, concurrency=6, timeout=1.0, retries=0)


@pytest.fixture
async def services(db_url, clock):
    store = Store(db_url)
    await store.migrate()
    svc = services_for(Settings(database_url=db_url), clock=clock, store=store)
    await ensure_demo(svc)
    try:
        yield svc
    finally:
        await store.close()


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=BACKENDS)
async def indexed(request, tmp_path_factory, templates):
    """Services over a database holding the demo register and the synced test manual, shared by a
    module's read-only tests (one sync per backend instead of one per test). The database is a copy
    of the session's migrated template, like every test's."""
    async with fresh_database(request.param, tmp_path_factory.mktemp("manual"), templates) as url:
        store = Store(url)
        site = await TrixSite(slow_seconds=5.0).start()
        try:
            await store.migrate()
            svc = services_for(Settings(database_url=url), clock=FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)), store=store)
            await ensure_demo(svc)
            report = await sync_manual(svc, site.url, config=CrawlConfig(delay=0.0, concurrency=6, timeout=2.0, retries=0))
            assert report.ok, report.message
            yield svc, site
        finally:
            await site.stop()
            await store.close()
