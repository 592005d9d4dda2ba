"""People and where to reach them: the directory rows, their roles, and their Teams conversations."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from services.ports import PersonContact, PersonSnapshot, TeamsChat
from store.records import change
from store.models import (
    ConversationRef,
    Person,
    PersonRole,
)


def snapshot(row: Person) -> PersonSnapshot:
    """The row as the frozen record the repositories hand out (its roles read with it)."""
    prefs = row.preferences
    return PersonSnapshot(row.id, row.name, row.email, row.aad_object_id, row.tenant_id, row.job_title, row.service_area,
                          row.manager_id, row.active, dict(prefs) if prefs is not None else None, row.role_names)


def snapshot_or_none(row: Person | None) -> PersonSnapshot | None:
    return None if row is None else snapshot(row)


class PeopleRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, person_id: str) -> PersonSnapshot | None:
        return snapshot_or_none(await self.s.get(Person, person_id))

    async def by_aad(self, aad_object_id: str) -> PersonSnapshot | None:
        # Asked on every turn: the person and their roles in one statement (not the roles' own SELECT).
        stmt = select(Person).where(Person.aad_object_id == aad_object_id).options(joinedload(Person.roles))
        return snapshot_or_none((await self.s.execute(stmt)).unique().scalar_one_or_none())

    async def by_email(self, email: str) -> PersonSnapshot | None:
        stmt = select(Person).where(func.lower(Person.email) == email.strip().lower())
        return snapshot_or_none((await self.s.execute(stmt)).scalar_one_or_none())

    async def with_role(self, role: str) -> list[PersonSnapshot]:
        stmt = (
            select(Person)
            .join(PersonRole)
            .where(PersonRole.role == role, Person.active.is_(True))
            .order_by(Person.name)
        )
        return [snapshot(p) for p in (await self.s.execute(stmt)).scalars().unique()]

    async def all(self) -> list[PersonSnapshot]:
        return [snapshot(p) for p in (await self.s.execute(select(Person).order_by(Person.name))).scalars()]

    async def many(self, ids: Iterable[str]) -> list[PersonSnapshot]:
        ids = list(ids)
        if not ids:
            return []
        return [snapshot(p) for p in (await self.s.execute(select(Person).where(Person.id.in_(ids)))).scalars()]

    async def contacts(self, ids: Iterable[str]) -> list[PersonContact]:
        """How to reach each of these people: four columns, no ORM objects, no roles (the outbox's read)."""
        wanted = sorted(set(ids))
        if not wanted:
            return []
        stmt = select(Person.id, Person.name, Person.email, Person.aad_object_id, Person.preferences).where(Person.id.in_(wanted))
        return [PersonContact(r.id, r.name, r.email, r.aad_object_id, r.preferences) for r in await self.s.execute(stmt)]

    async def create(self, *, roles: Iterable[str] = (), **fields: Any) -> PersonSnapshot:
        person = Person(**fields)
        person.roles = [PersonRole(role=r) for r in dict.fromkeys(roles)]
        self.s.add(person)
        await self.s.flush()
        return snapshot(person)

    async def update(self, person_id: str, **values: Any) -> PersonSnapshot:
        """Change a person: the use cases change people only through here. The new snapshot."""
        return snapshot(await change(self.s, Person, person_id, values))

    async def count(self) -> int:
        return (await self.s.execute(select(func.count()).select_from(Person))).scalar_one()


class ConversationRefRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def upsert(
        self,
        *,
        at: datetime,
        channel_id: str,
        conversation_id: str,
        service_url: str,
        reference: dict[str, Any],
        person_id: str | None,
        aad_object_id: str | None,
        tenant_id: str | None,
        conversation_type: str | None,
    ) -> ConversationRef:
        fields = dict(service_url=service_url, reference=reference, person_id=person_id, aad_object_id=aad_object_id,
                      conversation_type=conversation_type, updated_at=at)
        stmt = select(ConversationRef).where(
            ConversationRef.channel_id == channel_id, ConversationRef.conversation_id == conversation_id
        )
        row = (await self.s.execute(stmt)).scalar_one_or_none()
        if row is None:
            # Two turns of a new conversation can arrive together (welcome and first message):
            # insert in a savepoint and, if the other turn won, update its row instead.
            try:
                async with self.s.begin_nested():
                    row = ConversationRef(channel_id=channel_id, conversation_id=conversation_id, tenant_id=tenant_id, **fields)
                    self.s.add(row)
                return row
            except IntegrityError:
                row = (await self.s.execute(stmt)).scalar_one()
        for key, value in fields.items():
            setattr(row, key, value)
        row.tenant_id = tenant_id or row.tenant_id
        await self.s.flush()
        return row

    async def service_url_for_tenant(self, tenant_id: str) -> str | None:
        """The most recent Teams service URL seen for a tenant (to start a new 1:1 chat there)."""
        stmt = (
            select(ConversationRef.service_url)
            .where(ConversationRef.tenant_id == tenant_id, ConversationRef.channel_id == "msteams")
            .order_by(ConversationRef.updated_at.desc())
            .limit(1)
        )
        return (await self.s.execute(stmt)).scalars().first()

    async def personal_chats(self, person_ids: Iterable[str], channel_id: str = "msteams") -> dict[str, TeamsChat]:
        """{person id: their latest 1:1 chat} for many people in one query (a dispatcher batch)."""
        ids = sorted(set(person_ids))
        if not ids:
            return {}
        stmt = (
            select(ConversationRef)
            .where(ConversationRef.person_id.in_(ids), ConversationRef.channel_id == channel_id)
            .where(or_(ConversationRef.conversation_type == "personal", ConversationRef.conversation_type.is_(None)))
            .order_by(ConversationRef.updated_at.desc())
        )
        out: dict[str, TeamsChat] = {}
        for ref in (await self.s.execute(stmt)).scalars():
            if ref.person_id and ref.person_id not in out:  # the latest first, as personal_for
                out[ref.person_id] = TeamsChat(ref.service_url, ref.conversation_id, ref.tenant_id or "", dict(ref.reference))
        return out

    async def personal_for(self, person_id: str, channel_id: str = "msteams") -> ConversationRef | None:
        stmt = (
            select(ConversationRef)
            .where(ConversationRef.person_id == person_id, ConversationRef.channel_id == channel_id)
            .where(or_(ConversationRef.conversation_type == "personal", ConversationRef.conversation_type.is_(None)))
            .order_by(ConversationRef.updated_at.desc())
        )
        return (await self.s.execute(stmt)).scalars().first()

    async def personal_for_many(self, person_ids: Iterable[str], channel_id: str = "msteams") -> dict[str, ConversationRef]:
        """{person id: their newest 1:1 conversation} for many people, in one query (a fan-out's batch)."""
        ids = list(person_ids)
        if not ids:
            return {}
        stmt = (
            select(ConversationRef)
            .where(ConversationRef.person_id.in_(ids), ConversationRef.channel_id == channel_id)
            .where(or_(ConversationRef.conversation_type == "personal", ConversationRef.conversation_type.is_(None)))
            .order_by(ConversationRef.updated_at)
        )
        # the newest wins; IN never matches a NULL person_id, so the test below only narrows the type
        return {r.person_id: r for r in (await self.s.execute(stmt)).scalars() if r.person_id is not None}
