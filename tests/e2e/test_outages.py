"""Plain words when something is down (issue 22, item 4): a database outage while running gets
one clear sentence, /healthz answers 503 with the reason, and the bot recovers by itself."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.support.bot import RunningBot, settings_for
from tests.support.channel import readable
from tests.support.tcpproxy import TcpProxy


@pytest.fixture
async def proxied_pg(db_url):
    """The test's PostgreSQL database, reached through a proxy the test can cut."""
    if not db_url.startswith("postgresql"):
        pytest.skip("a database server outage is a PostgreSQL matter (SQLite is a file in the process)")
    parts = urlsplit(db_url)
    proxy = await TcpProxy(parts.hostname, parts.port or 5432).start()
    netloc = f"{parts.username}@127.0.0.1:{proxy.port}" if parts.username else f"127.0.0.1:{proxy.port}"
    try:
        yield urlunsplit(parts._replace(netloc=netloc)), proxy
    finally:
        await proxy.stop()


async def test_a_database_outage_gets_plain_words_a_503_and_the_bot_recovers(proxied_pg, clock, demo_aad, caplog):
    url, proxy = proxied_pg
    bot = await RunningBot(settings_for(url), clock=clock).start()
    try:
        said = await bot.say("help", aad=demo_aad["ro-1"])
        assert "WHAT I CAN DO" in readable(said.replies[0]).upper()

        await proxy.cut()
        caplog.set_level(logging.WARNING)
        said = await bot.say("my tasks", aad=demo_aad["ro-1"])
        assert said.status == 201
        assert readable(said.replies[0]).startswith("I can't reach the register just now; please try again in a few minutes.")
        assert "turn failed" not in caplog.text  # an outage is not a defect: no traceback, no apology
        assert "the database is unreachable" in caplog.text
        async with bot.http.get(bot.url + "/healthz") as resp:
            assert resp.status == 503
            body = await resp.json()
        assert body["database"] == "unreachable" and "cannot be reached" in body["reason"]

        await proxy.restore()
        said = await bot.say("help", aad=demo_aad["ro-1"])
        assert "WHAT I CAN DO" in readable(said.replies[0]).upper()
        async with bot.http.get(bot.url + "/healthz") as resp:
            assert resp.status == 200
            assert (await resp.json())["database"] == "reachable"
    finally:
        await bot.stop()


async def test_a_turn_that_crashes_shows_a_reference_that_is_in_the_log(bot, demo_aad, caplog, monkeypatch):
    from dialogs.router import Router

    async def broken(self, ident, text, value=None, state=None, **_words):
        raise RuntimeError("a defect")

    monkeypatch.setattr(Router, "handle", broken)
    caplog.set_level(logging.ERROR, logger="policybot.app")
    said = await bot.say("help", aad=demo_aad["ro-1"])
    reply = readable(said.replies[0])
    assert "Sorry, something went wrong on my side" in reply
    ref = reply.split("Reference: ")[1][:8]
    assert f"turn failed (ref {ref}" in caplog.text and "a defect" in caplog.text


async def test_healthz_shows_the_outbox_backlog(bot, clock):
    """While Teams or mail is down the outbox keeps what is owed; /healthz shows how much."""
    from bot.app import RUNTIME_KEY
    from tests.e2e.test_shutdown import _queue

    store = bot.app[RUNTIME_KEY].store
    async with bot.http.get(bot.url + "/healthz") as resp:
        before = (await resp.json())["outbox"]
    for i in range(3):
        await _queue(store, clock.now(), f"backlog-{i}|email")
    async with bot.http.get(bot.url + "/healthz") as resp:
        assert resp.status == 200
        body = await resp.json()
    assert body["database"] == "reachable"
    assert body["outbox"]["pending"] == before["pending"] + 3
    assert set(body["outbox"]) >= {"pending", "failed", "held", "sent"}
