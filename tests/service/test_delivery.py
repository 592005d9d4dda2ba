"""Delivery on fakes of the ports: the dispatcher drains the outbox through the Teams sender and the
mail transport (recording fakes), marks what went, retries what the far end asked to be retried
(Retry-After), and keeps what cannot go as failed for an admin."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.clock import LONDON
from services.delivery.dispatch import Dispatcher
from services.ports import Notice, PermanentSendError, TransientSendError
from tests.service.fakes import fake_world
from tests.service.org import small_org


async def _queued(world, *notices: Notice) -> None:
    async with world.services.uow() as uow:
        uow.notify(*notices)
        await uow.commit()


async def test_the_outbox_goes_by_each_persons_channel_and_is_marked_sent():
    world = fake_world("nct", mail_enabled=True)
    await small_org(world, [("PP-001", None)])
    async with world.services.uow() as uow:
        await uow.people.update("rsm", preferences={"channels": ["email"]})
        await uow.commit()
    await _queued(world, Notice(key="k1", subject="RSM approval: PP-001", body="It waits for you.", person_id="ro"),
                  Notice(key="k1", subject="RSM approval: PP-001", body="It waits for you.", person_id="rsm"),
                  Notice(key="k2", subject="Weekly", body="Published last week.", address="all-staff@trust.example"))
    dispatcher = Dispatcher(world.services, teams=world.teams, mail=world.mail, holder="test")
    done = await dispatcher.drain()
    assert done == {"sent": 3}
    assert [(p, m["text"]) for p, m in world.teams.sent] == [("ro", "RSM approval: PP-001\nIt waits for you.")]
    assert sorted(e.to for e in world.mail.sent) == ["all-staff@trust.example", "rsm@trust.example"]
    assert {r.status for r in world.outbox()} == {"sent"}
    assert await dispatcher.drain() == {}  # nothing is sent twice


async def test_a_busy_service_is_retried_after_what_it_asked_and_a_refusal_is_kept_as_failed():
    world = fake_world("nct", at=datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    await small_org(world, [])
    await _queued(world, Notice(key="a", subject="One", body="First", person_id="ro"),
                  Notice(key="b", subject="Two", body="Second", person_id="rsm"))
    world.teams.fail_next = [TransientSendError("429 Too Many Requests", retry_after=30),
                             PermanentSendError("403 the bot was removed")]
    dispatcher = Dispatcher(world.services, teams=world.teams, mail=world.mail, holder="test")
    assert await dispatcher.drain() == {"retry": 1, "failed": 1}
    rows = {r.key.split("|")[0]: r for r in world.outbox()}
    retried, failed = (rows["a"], rows["b"]) if rows["a"].status == "pending" else (rows["b"], rows["a"])
    assert retried.not_before == world.clock.now() + timedelta(seconds=30) and retried.attempts == 1
    assert failed.status == "failed" and failed.last_error == "403 the bot was removed"
    world.clock.advance(seconds=29)
    assert await dispatcher.drain() == {}
    world.clock.advance(seconds=1)
    assert await dispatcher.drain() == {"sent": 1}
    assert [m["text"].split("\n")[0] for _, m in world.teams.sent] == [retried.subject]
