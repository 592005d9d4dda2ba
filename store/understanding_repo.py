"""Misunderstandings: kept, and listed grouped for the PPO."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.understanding_models import Misunderstood


class MisunderstoodRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, *, at: datetime, person_id: str | None, kind: str, text: str) -> None:
        self.s.add(Misunderstood(at=at, person_id=person_id, kind=kind, text=text[:200]))
        await self.s.flush()

    async def grouped(self, since: datetime | None = None, limit: int = 200) -> list[tuple[str, str, int, int, datetime]]:
        """(kind, text as said, times, people, last time), most frequent first; the same words in
        other capitals or spacing count together."""
        key = func.lower(func.trim(Misunderstood.text))
        stmt = select(Misunderstood.kind, func.min(Misunderstood.text), func.count(),
                      func.count(func.distinct(Misunderstood.person_id)), func.max(Misunderstood.at))
        if since is not None:
            stmt = stmt.where(Misunderstood.at >= since)
        stmt = stmt.group_by(Misunderstood.kind, key).order_by(func.count().desc(), func.max(Misunderstood.at).desc()).limit(limit)
        return [(r[0], r[1], r[2], r[3], r[4]) for r in (await self.s.execute(stmt)).all()]
