"""The incoming-mail rows (store/mail_models.py): record what the inbox holds, claim one at a
time (a conditional UPDATE, so two processes never take the same message), and move it along."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from collections.abc import Iterable

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.mail_models import MailIn
from store.models import AuditEntry, Person
from store.results import rowcount

OPEN = ("new", "turning", "turned", "answered")


class MailInRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def record(self, items: Iterable[dict[str, Any]], now: datetime) -> int:
        """Insert the messages not seen before (keyed by internet message id); returns how many
        were new. A message seen before keeps its row; only its mailbox id is refreshed while open."""
        rows = [dict(internet_message_id=i["internet_message_id"][:500], graph_id=i["graph_id"][:500], status="new",
                     sender=(i.get("sender") or "")[:320] or None, subject=(i.get("subject") or "")[:500] or None,
                     received_at=i.get("received_at"), attempts=0, created_at=now) for i in items]
        if not rows:
            return 0
        dialect = self.s.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = insert(MailIn).values(rows).on_conflict_do_nothing(index_elements=["internet_message_id"])
        result = await self.s.execute(stmt)
        for r in rows:
            await self.s.execute(update(MailIn).where(MailIn.internet_message_id == r["internet_message_id"],
                                                      MailIn.status.in_(("new",)))
                                 .values(graph_id=r["graph_id"]).execution_options(synchronize_session=False))
        return max(rowcount(result) or 0, 0)

    async def due(self, now: datetime, limit: int = 200) -> list[MailIn]:
        stmt = (select(MailIn).where(MailIn.status.in_(OPEN))
                .where(or_(MailIn.claimed_until.is_(None), MailIn.claimed_until < now))
                .order_by(MailIn.id).limit(limit))
        return list((await self.s.execute(stmt)).scalars())

    async def claim(self, row_id: int, holder: str, now: datetime, seconds: float) -> bool:
        result = await self.s.execute(
            update(MailIn).where(MailIn.id == row_id, MailIn.status.in_(OPEN),
                                 or_(MailIn.claimed_until.is_(None), MailIn.claimed_until < now))
            .values(claimed_until=now + timedelta(seconds=seconds), claimed_by=holder, attempts=MailIn.attempts + 1)
            .execution_options(synchronize_session=False))
        return rowcount(result) == 1

    async def get(self, row_id: int) -> MailIn | None:
        return await self.s.get(MailIn, row_id)

    async def by_internet_id(self, internet_message_id: str) -> MailIn | None:
        stmt = select(MailIn).where(MailIn.internet_message_id == internet_message_id)
        return (await self.s.execute(stmt)).scalar_one_or_none()

    async def set(self, row_id: int, **values: Any) -> None:
        await self.s.execute(update(MailIn).where(MailIn.id == row_id).values(**values)
                             .execution_options(synchronize_session=False))

    async def counts(self) -> dict[str, int]:
        rows = (await self.s.execute(select(MailIn.status, func.count()).group_by(MailIn.status))).all()
        return {status: n for status, n in rows}

    async def all(self) -> list[MailIn]:
        return list((await self.s.execute(select(MailIn).order_by(MailIn.id))).scalars())

    # -------------------------------------------------- did a turn that was cut short commit?
    async def audit_mark(self) -> int:
        return (await self.s.execute(select(func.coalesce(func.max(AuditEntry.id), 0)))).scalar_one()

    async def acted_since(self, address: str, mark: int) -> bool:
        """Whether the person with this address has an audit entry after `mark`: the turn's one
        transaction (its state change and audit record) committed."""
        stmt = (select(func.count()).select_from(AuditEntry).join(Person, Person.id == AuditEntry.actor_id)
                .where(AuditEntry.id > mark, func.lower(Person.email) == address.strip().lower()))
        return (await self.s.execute(stmt)).scalar_one() > 0
