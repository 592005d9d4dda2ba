"""The SQL-backed Bot Framework Storage honours e_tags (BOTFRAMEWORK.md trap 9), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from bot.storage import SqlStorage, StateConflict
from services.clock import LONDON
from store.uow import Store


@pytest.fixture
async def storage(db_url):
    store = Store(db_url)
    await store.migrate()
    try:
        yield SqlStorage(store.state, lambda: datetime(2026, 11, 23, 10, tzinfo=LONDON))
    finally:
        await store.close()


async def test_write_read_and_new_etag_on_every_write(storage):
    await storage.write({"k": {"count": 1}})
    first = (await storage.read(["k"]))["k"]
    assert first["count"] == 1 and first["e_tag"]
    first["count"] = 2
    await storage.write({"k": first})
    second = (await storage.read(["k"]))["k"]
    assert second["count"] == 2 and second["e_tag"] != first.get("e_tag_before", None)
    assert second["e_tag"] == first["e_tag"]  # the written item was given its new e_tag


async def test_unconditional_writes_with_none_or_star(storage):
    await storage.write({"k": {"v": 1}})
    await storage.write({"k": {"v": 2, "e_tag": "*"}})
    await storage.write({"k": {"v": 3}})
    assert (await storage.read(["k"]))["k"]["v"] == 3


async def test_a_stale_etag_is_refused_and_changes_nothing(storage):
    await storage.write({"k": {"v": 1}})
    item = (await storage.read(["k"]))["k"]
    stale = dict(item)
    item["v"] = 2
    await storage.write({"k": item})
    stale["v"] = 99
    with pytest.raises(StateConflict):
        await storage.write({"k": stale})
    assert (await storage.read(["k"]))["k"]["v"] == 2


async def test_an_empty_etag_is_an_error(storage):
    with pytest.raises(ValueError, match="empty e_tag"):
        await storage.write({"k": {"v": 1, "e_tag": ""}})


async def test_of_two_concurrent_writers_with_the_same_etag_exactly_one_wins(storage):
    await storage.write({"k": {"v": 0}})
    base = (await storage.read(["k"]))["k"]

    async def writer(n):
        item = {**base, "v": n}
        try:
            await storage.write({"k": item})
            return True
        except StateConflict:
            return False

    results = await asyncio.gather(*(writer(n) for n in range(1, 6)))
    assert results.count(True) == 1
    winner = results.index(True) + 1
    assert (await storage.read(["k"]))["k"]["v"] == winner


async def test_delete(storage):
    await storage.write({"a": {"v": 1}, "b": {"v": 2}})
    await storage.delete(["a"])
    assert set(await storage.read(["a", "b"])) == {"b"}
