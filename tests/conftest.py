"""Shared fixtures: a database per test on SQLite and PostgreSQL, and the running bot."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from contextlib import asynccontextmanager
from datetime import datetime

import pytest

from services.clock import LONDON, FixedClock
from tests.support.pgcopies import CopyPool

PG_HOST = os.environ.get("POLICYBOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
BACKENDS = ["sqlite", "postgresql"]


def _pg_available() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_HOST + "/postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _migrated_template(url: str) -> None:
    from store.uow import Store

    async def run() -> None:
        store = Store(url)
        try:
            await store.migrate()
        finally:
            await store.close()

    asyncio.run(run())


class Templates:
    """Each backend's schema migrated once for the session: `templates("sqlite")` is the migrated
    SQLite file, `templates("postgresql")` the template database; `copies` makes fresh PostgreSQL
    databases from it ahead of need (tests/support/pgcopies.py)."""

    def __init__(self, made: dict[str, str], copies: CopyPool | None) -> None:
        self.made = made
        self.copies = copies

    def __call__(self, backend: str) -> str:
        return self.made[backend]


@pytest.fixture(scope="session")
def templates(tmp_path_factory):
    """Each backend's schema is migrated once per session; each test gets a copy (a file copy on
    SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL), which is far quicker than migrating."""
    made: dict[str, str] = {}
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrated_template(f"sqlite:///{path}")
    made["sqlite"] = str(path)
    copies = None
    if _pg_available():
        name = f"policybot_tmpl_{uuid.uuid4().hex[:10]}"
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
        _migrated_template(f"{PG_HOST}/{name}")
        made["postgresql"] = name
        copies = CopyPool(PG_HOST, name)

    yield Templates(made, copies)
    try:
        if copies is not None:
            copies.close()
    finally:
        if "postgresql" in made:
            asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{made["postgresql"]}" WITH (FORCE)'))


def _pg_required() -> None:
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not running on 127.0.0.1:5432 (.ci/run should have started it)")
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")


@asynccontextmanager
async def fresh_database(backend: str, tmp_path, templates):
    """A fresh database with the current schema on `backend` ("sqlite" or "postgresql"): a copy of
    the session's migrated template, used by this test only and dropped afterwards."""
    if backend == "sqlite":
        shutil.copyfile(templates("sqlite"), tmp_path / "policybot.db")
        yield f"sqlite:///{tmp_path / 'policybot.db'}"
        return
    _pg_required()
    name = await asyncio.to_thread(templates.copies.take)  # made ahead, dropped after in the background
    try:
        yield f"{PG_HOST}/{name}"
    finally:
        templates.copies.give_back(name)


@pytest.fixture(params=BACKENDS)
async def db_url(request, tmp_path, templates):
    """A fresh database with the current schema: an SQLite file, or a new PostgreSQL database
    dropped afterwards. (`empty_db_url` gives one with no schema at all.)"""
    async with fresh_database(request.param, tmp_path, templates) as url:
        yield url


@pytest.fixture(params=BACKENDS)
async def empty_db_url(request, tmp_path, templates):
    """A fresh, empty database (no schema): for the migrations themselves."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'policybot.db'}"
        return
    _pg_required()
    name = f"policybot_t_{uuid.uuid4().hex[:12]}"
    await _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_HOST}/{name}"
    finally:
        templates.copies.give_back(name)  # dropped in the background, like the template's copies


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'policybot.db'}"


@pytest.fixture
def clock():
    # Monday 23 November 2026, 10:00 London time.
    return FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))


@pytest.fixture
async def bot(db_url, clock):
    from tests.support.bot import RunningBot, settings_for

    running = await RunningBot(settings_for(db_url), clock=clock).start()
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture
def demo_aad():
    """Entra object ids of the demo organisation's people, by their directory id."""
    from services.demo import PEOPLE, _aad

    return {key: _aad(key) for key, *_ in PEOPLE}


def run(coro):
    return asyncio.get_event_loop().run_until_complete(coro)


@pytest.fixture
def smtp():
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""
    from tests.support.smtp import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def keys(monkeypatch):
    """Microsoft's token endpoint and signing keys stood in for, over TLS, and trusted."""
    from tests.support.keys import KeyServer

    server = KeyServer().start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file.name)
    yield server
    server.stop()
