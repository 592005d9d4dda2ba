"""The store tier's fixtures: the manual's test site and services over a database with it synced,
and the unit of work of every kind the repository contract runs on."""

from __future__ import annotations

from functools import partial

import pytest

from services.delivery.outbox import OutboxWriter
from store.uow import Store
from tests.conftest import BACKENDS, fresh_database
from tests.service.fakes import FakeDatabase
from tests.support.manual import fast, indexed, services, trix_site  # noqa: F401 - fixtures


@pytest.fixture(params=["fake", *BACKENDS])
async def uow_factory(request, tmp_path, templates, clock):
    """`uow_factory()` opens a unit of work on the service tier's fake (tests/service/fakes), or on the
    real store over SQLite or PostgreSQL: the repository contract holds for all three. Notices go
    through the real outbox writer in each."""
    writer = OutboxWriter(clock, mail_enabled=True)
    if request.param == "fake":
        yield partial(FakeDatabase().uow, writer)
        return
    async with fresh_database(request.param, tmp_path, templates) as url:
        store = Store(url)
        try:
            yield partial(store.uow, writer)
        finally:
            await store.close()
