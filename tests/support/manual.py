"""Fixtures for the manual: the test Tri.x site on loopback, and services over a fresh database."""

from __future__ import annotations

import os
import uuid
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
from tests.conftest import BACKENDS, PG_HOST, _pg_admin, _pg_available
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
async def indexed(request, tmp_path_factory):
    """Services over a database holding the demo register and the synced test manual, shared by a
    module's read-only tests (one sync per backend instead of one per test)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('manual') / 'policybot.db'}"
        name = None
    else:
        if not _pg_available():
            if os.environ.get("CI"):
                pytest.fail("PostgreSQL is not running on 127.0.0.1:5432")
            pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
        name = f"policybot_m_{uuid.uuid4().hex[:12]}"
        await _pg_admin(f'CREATE DATABASE "{name}"')
        url = f"{PG_HOST}/{name}"
    store = Store(url)
    site = await TrixSite(slow_seconds=5.0).start()
    try:
        await store.migrate()
        svc = services_for(Settings(database_url=url), clock=FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)),
                    store=store)
        await ensure_demo(svc)
        report = await sync_manual(svc, site.url, config=CrawlConfig(delay=0.0, concurrency=6, timeout=2.0, retries=0))
        assert report.ok, report.message
        yield svc, site
    finally:
        await site.stop()
        await store.close()
        if name:
            await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
