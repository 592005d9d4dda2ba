"""The misunderstood report for the PPO: what people said that the bot could not read, grouped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.context import Services


@dataclass(frozen=True)
class Misunderstanding:
    kind: str  # fallback | said_no | abandoned
    text: str
    times: int
    people: int
    last: datetime


async def misunderstood(services: Services, days: int = 30) -> list[Misunderstanding]:
    since = services.clock.now() - timedelta(days=days)
    async with services.uow() as uow:
        rows = await uow.misunderstood.grouped(since)
    return [Misunderstanding(*r) for r in rows]
