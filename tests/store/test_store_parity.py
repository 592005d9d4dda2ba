"""SQLite and PostgreSQL accept and refuse the same values (issue 22, item 1): text longer than
its column and NUL characters are refused on both, before the statement runs."""

from __future__ import annotations

from datetime import datetime

import pytest

from services.clock import LONDON
from store.db import ValueRejected
from store.uow import Store

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)


async def _remember(store: Store, conversation_id: str, tenant: str = "t") -> None:
    async with store.uow() as uow:
        await uow.conversations.upsert(at=NOW, channel_id="msteams", conversation_id=conversation_id,
                                       service_url="https://smba.trafficmanager.net/uk/", reference={"x": 1},
                                       person_id=None, aad_object_id=None, tenant_id=tenant, conversation_type="personal")
        await uow.commit()


@pytest.mark.parametrize("conversation_id, tenant", [
    ("a:" + "x" * 499, "t"),  # 501 characters in a 500-character column
    ("a:ok", "t" * 65),  # 65 in 64
    ("a:\x00b", "t"),
])
async def test_values_that_do_not_fit_are_refused_the_same_way_on_both_databases(db_url, conversation_id, tenant):
    store = Store(db_url)
    try:
        with pytest.raises(ValueRejected):
            await _remember(store, conversation_id, tenant)
        async with store.uow() as uow:
            assert await uow.conversations.personal_for("nobody") is None
    finally:
        await store.close()


async def test_values_at_the_column_length_are_kept_whole_on_both_databases(db_url):
    store = Store(db_url)
    try:
        await _remember(store, "a:" + "x" * 498, "t" * 64)
        async with store.sessionmaker() as s:
            from sqlalchemy import select

            from store.models import ConversationRef

            got = (await s.execute(select(ConversationRef.conversation_id, ConversationRef.tenant_id))).one()
        assert got == ("a:" + "x" * 498, "t" * 64)
    finally:
        await store.close()


async def test_a_nul_in_a_lookup_is_refused_on_both_databases(db_url):
    store = Store(db_url)
    try:
        with pytest.raises(ValueRejected):
            async with store.uow() as uow:
                await uow.people.get("ro\x001")
    finally:
        await store.close()
