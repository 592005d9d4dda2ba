"""The unit of work writes the notices a use case raises to the outbox inside its own commit (issue
14 item 4): committed with the change, or not at all; each key once; through the outbox's rules."""

from __future__ import annotations

from datetime import date

import pytest

from services.delivery import outbox
from services.delivery.notices import daily, dated
from services.ports import Notice, NoticeKind
from tests.support.org import make_org


async def _rows(services):
    return await outbox.listing(services.uow, None, 500)


async def test_notices_are_written_by_commit_in_the_same_transaction(db_url, clock):
    services = await make_org(db_url, clock, channels=["teams", "email"])
    try:
        async with services.uow() as uow:
            await uow.people.update("ro", name="Rita Owen-Jones")
            uow.notify(Notice(key="k:1", subject="Hello", body="A step.", person_id="ro", case_id=7, document_ref="PP-001"),
                       Notice(key="k:2", subject="List", body="To the list.", address="list@trust.example"))
            assert [n.key for n in uow.notices] == ["k:1", "k:2"]
            assert await _rows(services) == []  # nothing written before the commit
            await uow.commit()
            assert uow.notices == ()
        rows = await _rows(services)
        # the person's chosen channels, one row each; the list address by email
        assert sorted((r.key, r.channel, r.status) for r in rows) == [
            ("k:1|ro|email", "email", "pending"), ("k:1|ro|teams", "teams", "pending"),
            ("k:2|list@trust.example|email", "email", "pending")]
        assert {r.case_id for r in rows if r.person_id == "ro"} == {7}
        async with services.uow() as uow:
            assert (await uow.people.get("ro")).name == "Rita Owen-Jones"
    finally:
        await services.store.close()


async def test_a_unit_of_work_that_does_not_commit_queues_nothing(db_url, clock):
    services = await make_org(db_url, clock)
    try:
        async with services.uow() as uow:
            await uow.people.update("ro", name="Changed")
            uow.notify(Notice(key="k:gone", subject="Hello", body="b", person_id="ro"))
        with pytest.raises(RuntimeError):
            async with services.uow() as uow:
                uow.notify(Notice(key="k:gone2", subject="Hello", body="b", person_id="ro"))
                raise RuntimeError("the use case fails after raising its notice")
        async with services.uow() as uow:
            uow.notify(Notice(key="k:rolled", subject="Hello", body="b", person_id="ro"))
            await uow.rollback()
            await uow.commit()
        assert await _rows(services) == []
        async with services.uow() as uow:
            assert (await uow.people.get("ro")).name == "Rita Owen"
    finally:
        await services.store.close()


async def test_the_same_key_is_queued_once_and_a_held_nudge_waits_for_the_digest(db_url, clock):
    services = await make_org(db_url, clock)
    try:
        async with services.uow() as uow:
            await uow.people.update("rsm", preferences={"digest": True})
            await uow.commit()
        for _ in range(2):
            async with services.uow() as uow:
                uow.notify(Notice(key="rem:1", kind=NoticeKind.REVIEW_DUE, subject="Due", body="b", person_id="rsm",
                                  due_on=date(2026, 12, 1), lines=("PP-001 A",)),
                           daily("ro", "Minutes", "The minutes are out."))
                await uow.commit()
        rows = await _rows(services)
        assert sorted((r.key.split("|")[0], r.status) for r in rows) == [
            (dated(daily("ro", "Minutes", "The minutes are out."), clock.today()).key, "pending"), ("rem:1", "held")]
        [held] = [r for r in rows if r.person_id == "rsm"]
        assert held.payload == {"lines": ["PP-001 A"]} and held.due_on == "2026-12-01"
    finally:
        await services.store.close()


async def test_notify_refuses_anything_but_a_notice(db_url, clock):
    services = await make_org(db_url, clock)
    try:
        async with services.uow() as uow:
            with pytest.raises(TypeError):
                uow.notify({"key": "x", "person_id": "ro"})  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            Notice(key="", subject="s", body="b", person_id="ro")
    finally:
        await services.store.close()
