"""SQL for the outbox and the scheduler lease (the policy lives in services/delivery/outbox.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, UTC
from typing import Any, cast

from sqlalchemy import BigInteger, Table, any_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.ports import OutboxItem
from store.outbox_models import OutboxMessage, SchedulerLease, SweepRun
from store.records import change
from store.results import rowcount

_ITEM_COLUMNS = (OutboxMessage.id, OutboxMessage.key, OutboxMessage.kind, OutboxMessage.channel, OutboxMessage.person_id,
                 OutboxMessage.address, OutboxMessage.subject, OutboxMessage.body, OutboxMessage.case_id,
                 OutboxMessage.document_ref, OutboxMessage.due_on, OutboxMessage.payload, OutboxMessage.attempts,
                 OutboxMessage.last_error, OutboxMessage.claims)


_KEYS_PER_READ = 5000  # keys looked up per statement (well inside both databases' limits on parameters)


def _item(r: Any) -> OutboxItem:
    payload = r.payload if isinstance(r.payload, dict) else {}
    return OutboxItem(
        id=r.id, key=r.key, kind=r.kind, channel=r.channel, person_id=r.person_id, address=r.address,
        subject=r.subject, body=r.body, case_id=r.case_id, document_ref=r.document_ref,
        due_on=date.fromisoformat(r.due_on) if r.due_on else None,
        lines=tuple(str(x) for x in payload.get("lines") or ()), with_chart=bool(payload.get("chart")),
        requests=tuple(str(x) for x in payload.get("requests") or ()), calendar=payload.get("ics") or None,
        attempts=r.attempts or 0, last_error=r.last_error, possible_repeat=(r.claims or 0) > 1)


class OutboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def insert_new(self, rows: list[dict[str, Any]]) -> int:
        """Insert rows whose key is not there yet; returns how many were new (a key written by another
        process in between is still refused by the insert's ON CONFLICT)."""
        if not rows:
            return 0
        # The keys already there are left out first, by one indexed read of the keys alone: a sweep
        # that runs again finds what it queued before and sends no rows (bodies and all) to be refused.
        keys = [r["key"] for r in rows]
        there: set[str] = set()
        for start in range(0, len(keys), _KEYS_PER_READ):
            chunk = keys[start:start + _KEYS_PER_READ]
            there.update((await self.s.execute(select(OutboxMessage.key).where(OutboxMessage.key.in_(chunk)))).scalars())
        rows = [r for r in rows if r["key"] not in there]
        if not rows:
            return 0
        insert = postgresql.insert if self.s.get_bind().dialect.name == "postgresql" else sqlite.insert
        # One cached Core statement on the table (not the ORM's bulk path, whose per-row bookkeeping
        # was most of a large sweep's time), sent as batched multi-row INSERTs by the driver layer
        # ("insertmanyvalues"): RETURNING gives back only the rows that were new (a conflict returns nothing).
        table = cast(Table, OutboxMessage.__table__)
        names = sorted({k for r in rows for k in r})
        defaults = {"payload": {}, "status": "pending", "attempts": 0, "claims": 0}
        params = [{k: r.get(k, defaults.get(k)) for k in names} for r in rows]
        stmt = insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id)
        return len((await self.s.execute(stmt, params)).all())

    @staticmethod
    def _due(now: datetime, channel: str | None, keys: list[str] | None):
        due = (OutboxMessage.status == "pending") & (OutboxMessage.not_before <= now) & or_(
            OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
        if channel:
            due = due & (OutboxMessage.channel == channel)
        if keys:  # only these messages (e.g. the ones a turn just wrote), by their base key
            due = due & or_(*(OutboxMessage.key.startswith(k + "|", autoescape=True) for k in keys))
        return due

    async def claim(self, token: str, now: datetime, limit: int, claim_seconds: int, *,
                    channel: str | None = None, keys: list[str] | None = None) -> list[OutboxItem]:
        """Mark up to `limit` due rows as ours and read them back, in one statement (UPDATE ...
        RETURNING): a row another process claimed in between no longer matches `due`, and on
        PostgreSQL rows another claimer holds are skipped, not waited for."""
        due = self._due(now, channel, keys)
        ids = select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(limit)
        if self.s.get_bind().dialect.name == "postgresql":
            # `id = ANY(ARRAY(locking subquery))`: the ids are chosen and locked once (an InitPlan), then
            # their rows found by primary key. As `id IN (subquery)`, with the fresh table's statistics,
            # PostgreSQL planned a nested loop that ran the locking subquery again for every due row:
            # the LIMIT was not kept (a claim of 2,000 took all 10,000 due rows) and the time grew as n².
            # The subquery's lock re-checks `due` on each row's newest version, so it is not repeated outside.
            locked = func.array(ids.with_for_update(skip_locked=True).scalar_subquery(), type_=ARRAY(BigInteger))
            which = [OutboxMessage.id == any_(locked)]
        else:
            which = [OutboxMessage.id.in_(ids.scalar_subquery()), due]
        stmt = (update(OutboxMessage).where(*which)
                .values(claimed_by=token, claimed_until=now + timedelta(seconds=claim_seconds),
                        claims=func.coalesce(OutboxMessage.claims, 0) + 1)
                .returning(*_ITEM_COLUMNS).execution_options(synchronize_session=False))
        rows = (await self.s.execute(stmt)).all()
        return sorted((_item(r) for r in rows), key=lambda i: i.id)

    async def set(self, row_id: int, **values: Any) -> int:
        res = await self.s.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values))
        return rowcount(res) or 0

    async def sent(self, row_id: int, now: datetime, provider_id: str | None, attempts: int | None = None) -> None:
        """One statement: the row is sent (straight after the transport accepted it)."""
        await self.set(row_id, status="sent", sent_at=now, provider_id=(provider_id or "")[:500] or None,
                       claimed_until=None, last_error=None,
                       attempts=OutboxMessage.attempts + 1 if attempts is None else attempts + 1)

    async def sent_many(self, marks: list[tuple[int, datetime, str | None, int]]) -> None:
        """(row id, sent at, provider id, attempts so far) for many rows: one executemany."""
        if marks:
            await self.s.execute(update(OutboxMessage), [
                {"id": row_id, "status": "sent", "sent_at": at, "provider_id": (pid or "")[:500] or None,
                 "claimed_until": None, "attempts": attempts + 1, "last_error": None}
                for row_id, at, pid, attempts in marks])

    async def withdraw(self, person_id: str, refs: list[str], kinds, why: str) -> int:
        """Nudges not yet sent to someone about these documents (they are no longer theirs)."""
        if not refs:
            return 0
        res = await self.s.execute(update(OutboxMessage).where(
            OutboxMessage.person_id == person_id, OutboxMessage.document_ref.in_(refs),
            OutboxMessage.kind.in_(list(kinds)), OutboxMessage.status.in_(("pending", "held")))
            .values(status="skipped", last_error=why, claimed_until=None))
        return rowcount(res) or 0

    async def requeue(self, row_id: int, now: datetime) -> bool:
        res = await self.s.execute(update(OutboxMessage).where(
            OutboxMessage.id == row_id, OutboxMessage.status.in_(("failed", "skipped"))).values(
            status="pending", attempts=0, not_before=now, claimed_until=None))
        return bool(rowcount(res))

    async def listing(self, status: str | None, limit: int) -> list[OutboxMessage]:
        stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
        if status:
            stmt = stmt.where(OutboxMessage.status == status)
        return list((await self.s.execute(stmt)).scalars())

    async def by_key_prefix(self, prefix: str) -> list[OutboxMessage]:
        stmt = select(OutboxMessage).where(OutboxMessage.key.startswith(prefix, autoescape=True)).order_by(OutboxMessage.id)
        return list((await self.s.execute(stmt)).scalars())

    async def held_for(self, person_id: str) -> list[OutboxMessage]:
        stmt = select(OutboxMessage).where(OutboxMessage.person_id == person_id, OutboxMessage.status == "held").order_by(OutboxMessage.id)
        return list((await self.s.execute(stmt)).scalars())

    async def people_with_held(self) -> list[str]:
        stmt = select(OutboxMessage.person_id).where(OutboxMessage.status == "held").distinct()
        return [p for p in (await self.s.execute(stmt)).scalars() if p]

    async def counts(self) -> dict[str, int]:
        rows = await self.s.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
        return {status: n for status, n in rows}

    async def start_sweep(self, sweep: str, now: datetime, holder: str) -> int:
        """A sweep's `sweep_runs` row, begun: its id, for `finish_sweep` in the same unit of work."""
        run = SweepRun(sweep=sweep, started_at=now, holder=holder, queued=0)
        self.s.add(run)
        await self.s.flush()
        return run.id

    async def finish_sweep(self, run_id: int, *, queued: int, finished_at: datetime) -> None:
        """How many messages the sweep queued and when it finished (written with the unit of work)."""
        await change(self.s, SweepRun, run_id, {"queued": queued, "finished_at": finished_at})

    async def last_sweeps(self, limit: int = 20) -> list[SweepRun]:
        return list((await self.s.execute(select(SweepRun).order_by(SweepRun.id.desc()).limit(limit))).scalars())


class LeaseRepo:
    """One row per lease name. Taking it is a conditional UPDATE (free, expired, or already ours),
    so two processes can never both hold it; a holder that dies stops renewing and loses it."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def take(self, name: str, holder: str, now: datetime, seconds: float) -> bool:
        until = now + timedelta(seconds=seconds)
        res = await self.s.execute(update(SchedulerLease).where(
            SchedulerLease.name == name, or_(SchedulerLease.holder == holder, SchedulerLease.expires_at < now))
            .values(holder=holder, expires_at=until))
        if rowcount(res):
            return True
        if await self.s.get(SchedulerLease, name) is not None:
            return False
        try:
            async with self.s.begin_nested():
                self.s.add(SchedulerLease(name=name, holder=holder, expires_at=until, acquired_at=now))
            return True
        except IntegrityError:
            return False

    async def release(self, name: str, holder: str) -> None:
        await self.s.execute(update(SchedulerLease).where(SchedulerLease.name == name, SchedulerLease.holder == holder)
                             .values(expires_at=datetime(2000, 1, 1, tzinfo=UTC)))

    async def holder(self, name: str) -> SchedulerLease | None:
        return await self.s.get(SchedulerLease, name)
