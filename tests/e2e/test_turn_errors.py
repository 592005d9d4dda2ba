"""A turn that fails apologises, logs the error, and clears that conversation's state."""

from __future__ import annotations

import logging

from sqlalchemy import select

from store.models import BotState
from tests.support.channel import readable


async def test_a_failing_turn_apologises_logs_and_clears_state(bot, demo_aad, caplog, monkeypatch):
    from bot.app import RUNTIME_KEY
    from dialogs.router import Router

    store = bot.app[RUNTIME_KEY].store
    act = bot.activity("help", aad=demo_aad["ro-1"])
    conv = act["conversation"]["id"]
    # Leave some dialog state behind for this conversation first.
    key = f"msteams/conversations/{conv}"
    await store.state.write({key: ({"pickled": "{}"}, None)}, bot.clock.now() if bot.clock else None)

    async def broken(self, ident, text, value=None, state=None, **_words):
        raise RuntimeError("database fell over")

    monkeypatch.setattr(Router, "handle", broken)
    caplog.set_level(logging.ERROR, logger="policybot.app")
    said = await bot.send(act)
    assert said.status == 201
    assert "Sorry, something went wrong on my side" in readable(said.replies[0])
    assert "database fell over" in caplog.text
    async with store.sessionmaker() as s:
        assert (await s.execute(select(BotState).where(BotState.key == key))).scalar_one_or_none() is None
