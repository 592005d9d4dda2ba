"""Audit records, written in the same unit of work as the change they describe (store/audit.py
chains them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ports import PersonFacts
from store.models import (
    AuditEntry,
)


class AuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def record(
        self,
        *,
        at: datetime,
        actor: PersonFacts | None,
        entity: str,
        entity_id: str | int,
        action: str,
        summary: str,
        reason: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> AuditEntry:
        if at.tzinfo is None:
            raise ValueError("audit times must be timezone-aware")
        entry = AuditEntry(
            at=at,
            actor_id=actor.id if actor else None,
            actor_name=actor.name if actor else "policybot",
            entity=entity,
            entity_id=str(entity_id),
            action=action,
            summary=summary,
            reason=reason,
            details=details or {},
        )
        self.s.add(entry)
        await self.s.flush()
        return entry

    async def for_entity(self, entity: str, entity_id: str | int) -> list[AuditEntry]:
        stmt = (
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        return list((await self.s.execute(stmt)).scalars())
