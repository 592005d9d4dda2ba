"""The scheduler: APScheduler 3 triggers; the database decides who runs and what is due.

Every process may run a `Scheduler`, but only the holder of the `scheduler` lease (a row in
`scheduler_leases`, taken with a conditional UPDATE and renewed on every tick) runs sweeps and
sends. If the holder dies, its lease expires and another process takes over within
`lease_seconds`. APScheduler keeps its jobs in memory only (trap 10): the truth about what is due
is in our tables, so nothing is lost when a process stops.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from services.reminders import sweeps
from services.context import Services
from services.delivery.dispatch import Dispatcher, default_holder

log = logging.getLogger("policybot.scheduler")

LEASE = "scheduler"


def wall_now() -> datetime:
    """Leases use real time even when the services run on a rehearsal clock."""
    return datetime.now(UTC)


class Scheduler:
    def __init__(self, services: Services, dispatcher: Dispatcher, *, holder: str | None = None,
                 tick_seconds: float = 5.0, sweep_seconds: float = 300.0, lease_seconds: float = 30.0) -> None:
        self.services, self.dispatcher = services, dispatcher
        self.holder = holder or dispatcher.holder or default_holder()
        self.tick_seconds, self.sweep_seconds, self.lease_seconds = tick_seconds, sweep_seconds, lease_seconds
        self._aps: AsyncIOScheduler | None = None
        self._last_sweep: float | None = None
        self._running = asyncio.Lock()
        self.is_leader = False
        self.ticks = 0
        self._stopping = False  # set by stop(): a beat that starts afterwards does nothing

    async def take_lease(self) -> bool:
        async with self.services.uow() as uow:
            got = await uow.leases.take(LEASE, self.holder, wall_now(), self.lease_seconds)
            await uow.commit()
        if got != self.is_leader:
            log.info("%s %s the scheduler lease", self.holder, "took" if got else "lost")
        self.is_leader = got
        return got

    async def tick(self) -> None:
        """One beat: renew (or try to take) the lease; if ours, sweep when due, then send."""
        if self._running.locked() or self._stopping:
            return
        async with self._running:
            self.ticks += 1
            try:
                if not self.is_leader and not await self.take_lease():
                    return
                loop = asyncio.get_running_loop()
                if self._last_sweep is None or loop.time() - self._last_sweep >= self.sweep_seconds:
                    self._last_sweep = loop.time()
                    reports = await sweeps.run_all(self.services, self.holder)
                    queued = sum(r.queued for r in reports)
                    if queued:
                        log.info("sweeps queued %d message(s)", queued)
                await self.dispatcher.drain(keep_going=lambda: self.is_leader and not self._stopping)
            except Exception:  # noqa: BLE001 - the next tick tries again
                log.exception("scheduler tick failed")

    async def renew(self) -> None:
        """Renewed on its own beat, so a long sweep or a big send never lets the lease lapse."""
        if self._stopping:
            return
        try:
            await self.take_lease()
        except Exception:  # noqa: BLE001 - a database blip: we stop leading until it is back
            log.exception("could not renew the scheduler lease")
            self.is_leader = False

    def start(self) -> None:
        self._aps = AsyncIOScheduler(timezone="Europe/London")
        # coalesce + no grace limit: a beat missed while busy runs once, never piles up or is dropped.
        self._aps.add_job(self.tick, "interval", seconds=self.tick_seconds, id="tick", max_instances=1,
                          coalesce=True, misfire_grace_time=None, next_run_time=datetime.now(UTC))
        self._aps.add_job(self.renew, "interval", seconds=max(self.lease_seconds / 3, 0.1), id="lease", max_instances=1,
                          coalesce=True, misfire_grace_time=None)
        self._aps.start()
        log.info("scheduler started as %s (tick %ss, sweeps every %ss)", self.holder, self.tick_seconds, self.sweep_seconds)

    async def stop(self) -> None:
        """Let the beat in progress finish its batch (APScheduler's shutdown would cancel it
        half-way), then release the lease so another scheduler can lead at once."""
        self._stopping = True
        if self._aps is not None:
            self._aps.pause()
        async with self._running:
            if self.is_leader:
                async with self.services.uow() as uow:
                    await uow.leases.release(LEASE, self.holder)
                    await uow.commit()
                self.is_leader = False
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
