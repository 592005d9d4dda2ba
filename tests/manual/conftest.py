"""Fixtures for the manual: the test Tri.x site on loopback, and services over a fresh database."""

from __future__ import annotations

import pytest

from connectors.trix import CrawlConfig
from policybot.settings import Settings
from services.context import Services
from services.demo import ensure_demo
from store.uow import Store
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
    return CrawlConfig(delay=0.0, concurrency=6, timeout=0.3, retries=0)


@pytest.fixture
async def services(db_url, clock):
    store = Store(db_url)
    await store.migrate()
    svc = Services(settings=Settings(database_url=db_url), store=store, clock=clock)
    await ensure_demo(svc)
    try:
        yield svc
    finally:
        await store.close()
