"""One scheduler leads per database (issue 5): a lease in our own table, taken with a conditional
UPDATE, renewed on every beat, taken over when the holder dies. Pacing under Teams' limits."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from datetime import date, datetime

from scheduler.runner import LEASE, Scheduler
from services.clock import LONDON, FixedClock
from services.delivery.dispatch import Dispatcher
from services.delivery.pacing import CONVERSATION_LIMITS, TENANT_LIMITS, Pacer, floor_seconds
from tests.support.org import make_org


async def test_only_one_scheduler_leads_and_another_takes_over_when_it_dies(db_url):
    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock)
    try:
        a = Scheduler(services, Dispatcher(services, holder="host-a:1"), lease_seconds=0.6)
        b = Scheduler(services, Dispatcher(services, holder="host-b:2"), lease_seconds=0.6)
        assert await a.take_lease() is True
        assert await b.take_lease() is False
        assert await a.take_lease() is True  # renewing is taking it again
        assert await b.take_lease() is False
        await asyncio.sleep(0.8)  # a stops renewing (it died): its lease runs out
        assert await b.take_lease() is True
        assert await a.take_lease() is False
        async with services.uow() as uow:
            assert (await uow.leases.holder(LEASE)).holder == "host-b:2"
        await b.stop()  # a clean stop hands the lease back at once
        assert await a.take_lease() is True
    finally:
        await services.store.close()


async def test_two_schedulers_racing_for_a_free_lease_never_both_get_it(db_url):
    clock = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock)
    try:
        schedulers = [Scheduler(services, Dispatcher(services, holder=f"h{i}"), lease_seconds=30) for i in range(6)]
        results = await asyncio.gather(*(s.take_lease() for s in schedulers), return_exceptions=True)
        assert [r for r in results if isinstance(r, BaseException)] == []
        assert results.count(True) == 1
    finally:
        await services.store.close()


async def test_a_tick_sweeps_and_sends_only_when_leading(db_url):
    from tests.support.smtp import SmtpServer
    from connectors.mail import SmtpTransport

    smtp = SmtpServer().start()
    clock = FixedClock(datetime(2026, 12, 22, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock, docs=[("PP-1", date(2026, 12, 29))], channels=["email"],
                              env={"POLICYBOT_MAIL_TRANSPORT": "smtp"})
    mail = SmtpTransport("127.0.0.1", smtp.port, sender="policybot@trust.example")
    try:
        leader = Scheduler(services, Dispatcher(services, mail=mail, holder="leader"), lease_seconds=30)
        follower = Scheduler(services, Dispatcher(services, mail=mail, holder="follower"), lease_seconds=30)
        await leader.take_lease()
        await follower.tick()
        assert smtp.received == []
        await leader.tick()
        assert len(smtp.received) == 2
        await leader.tick()
        await follower.tick()
        assert len(smtp.received) == 2
    finally:
        await services.store.close()
        smtp.stop()


def _violations(times: list[float], limits) -> list[tuple[int, float]]:
    bad = []
    for n, w in limits:
        for i in range(len(times) - n):
            if times[i + n] - times[i] < w:
                bad.append((n, w))
                break
    return bad


def test_pacer_spreads_a_burst_within_teams_limits_and_no_slower_than_needed():
    t = [0.0]
    pacer = Pacer(now=lambda: t[0])
    slots = [pacer.reserve("conv-1", "tenant") for _ in range(70)]
    assert _violations(slots, CONVERSATION_LIMITS) == []
    # 8 in any 2 s and 60 in any 30 s: the 61st message cannot go before 30 s.
    assert 30.0 <= slots[60] < 31.0
    assert 1.0 <= slots[7] < 1.3 and slots[8] >= 2.0  # the 8th waits out the 1-second window (plus slack), the 9th the 2-second one


def test_pacer_keeps_a_tenant_under_50_a_second_across_conversations():
    t = [0.0]
    pacer = Pacer(now=lambda: t[0])
    slots = sorted(pacer.reserve(f"conv-{i}", "tenant") for i in range(200))
    assert _violations(slots, TENANT_LIMITS) == []
    assert slots[-1] < 4.5  # 200 at an even 50 a second (less 5% slack) take about 4 s
    assert floor_seconds({f"conv-{i}": 1 for i in range(200)}, {"tenant": 200}) == 3.0


def test_retry_after_holds_a_conversation():
    t = [0.0]
    pacer = Pacer(now=lambda: t[0])
    pacer.hold("conv-1", 5.0)
    assert pacer.reserve("conv-1", "tenant") >= 5.0
    assert pacer.reserve("conv-2", "tenant") < 0.1


def test_pacer_holds_sends_a_stalled_loop_woke_late_so_no_window_of_departures_overflows():
    """Issue 22 item 7 (the outbox drains at the Teams floor without 429s): senders woken late by a
    busy event loop would leave together with the punctual ones after them; the pacer checks when
    sends really left and holds a send until the tenant's 1-second window (plus slack) has room."""
    t = [0.0]
    wakers: list[tuple[float, int, asyncio.Future[None]]] = []
    departures: list[float] = []
    order = itertools.count()

    async def sleep(seconds: float) -> None:
        fut = asyncio.get_running_loop().create_future()
        heapq.heappush(wakers, (t[0] + seconds, next(order), fut))
        await fut

    pacer = Pacer(now=lambda: t[0], sleep=sleep)

    async def one(i: int) -> None:
        await pacer.slot(f"conv-{i}", "tenant")
        departures.append(t[0])

    async def run() -> None:
        tasks = [asyncio.create_task(one(i)) for i in range(300)]
        while not all(task.done() for task in tasks):
            for _ in range(5):
                await asyncio.sleep(0)
            if wakers:
                at, _, fut = heapq.heappop(wakers)
                t[0] = max(t[0], 0.9 if 0.4 <= at < 0.9 else at)  # the loop stalls from 0.4 s to 0.9 s
                fut.set_result(None)

    asyncio.run(run())
    assert len(departures) == 300 and max(departures) < 8.0
    assert _violations(sorted(departures), ((50, 1.0),)) == []
