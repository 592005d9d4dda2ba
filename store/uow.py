"""Repositories and the unit of work: every state change and its audit record commit together."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from collections.abc import Iterable, Sequence

__all__ = ["ConcurrencyConflict", "Store", "UnitOfWork"]  # ConcurrencyConflict: declared in services.ports

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.ports import ConcurrencyConflict, Notice, NoticeWriter
from store.case_repo import CaseRepo
from store.due_repo import DueRepo
from store.db import make_engine, make_sessionmaker, normalise_database_url, ping
from store.manual_repo import ManualRepo
from store.meeting_repo import MeetingRepo
from store.models import (
    AuditEntry,
    BotState,
    ConversationRef,
    Document,
    KeyValue,
    Person,
    PersonRole,
    ProcessedActivity,
)
from store.outbox_repo import LeaseRepo, OutboxRepo
from store.register_repo import RegisterRepo
from store.understanding_repo import MisunderstoodRepo


class PeopleRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, person_id: str) -> Person | None:
        return await self.s.get(Person, person_id)

    async def by_aad(self, aad_object_id: str) -> Person | None:
        return (await self.s.execute(select(Person).where(Person.aad_object_id == aad_object_id))).scalar_one_or_none()

    async def by_email(self, email: str) -> Person | None:
        stmt = select(Person).where(func.lower(Person.email) == email.strip().lower())
        return (await self.s.execute(stmt)).scalar_one_or_none()

    async def with_role(self, role: str) -> list[Person]:
        stmt = (
            select(Person)
            .join(PersonRole)
            .where(PersonRole.role == role, Person.active.is_(True))
            .order_by(Person.name)
        )
        return list((await self.s.execute(stmt)).scalars().unique())

    async def all(self) -> list[Person]:
        return list((await self.s.execute(select(Person).order_by(Person.name))).scalars())

    async def many(self, ids: Iterable[str]) -> list[Person]:
        ids = list(ids)
        if not ids:
            return []
        return list((await self.s.execute(select(Person).where(Person.id.in_(ids)))).scalars())

    async def create(self, *, roles: Iterable[str] = (), **fields: Any) -> Person:
        person = Person(**fields)
        person.roles = [PersonRole(role=r) for r in dict.fromkeys(roles)]
        self.s.add(person)
        await self.s.flush()
        return person

    async def count(self) -> int:
        return (await self.s.execute(select(func.count()).select_from(Person))).scalar_one()


class DocumentRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, doc_id: int) -> Document | None:
        return await self.s.get(Document, doc_id)

    async def by_ref(self, ref: str) -> Document | None:
        """References are kept in capitals: the unique index finds them; one kept otherwise is found by a scan."""
        wanted = ref.strip().upper()
        found = (await self.s.execute(select(Document).where(Document.ref == wanted))).scalar_one_or_none()
        if found is None:
            found = (await self.s.execute(select(Document).where(func.upper(Document.ref) == wanted))).scalar_one_or_none()
        return found

    async def all(self, *, include_retired: bool = False) -> list[Document]:
        stmt = select(Document).order_by(Document.ref)
        if not include_retired:
            stmt = stmt.where(Document.status != "retired")
        return list((await self.s.execute(stmt)).scalars())

    async def search_rows(self) -> list[tuple[int, str, str]]:
        """(id, title, other searchable text) for every live document: light rows for ranking."""
        stmt = select(
            Document.id, Document.title, Document.summary, Document.category, Document.service_area, Document.doc_type
        ).where(Document.status != "retired")
        rows = (await self.s.execute(stmt)).all()
        return [(r[0], r[1], " ".join(x for x in r[2:] if x)) for r in rows]

    async def by_ids(self, ids: Sequence[int]) -> list[Document]:
        if not ids:
            return []
        found = {d.id: d for d in (await self.s.execute(select(Document).where(Document.id.in_(list(ids))))).scalars()}
        return [found[i] for i in ids if i in found]

    async def owned_or_signed_off_by(self, person_id: str) -> list[Document]:
        stmt = (
            select(Document)
            .where(or_(Document.ro_id == person_id, Document.rsm_id == person_id))
            .where(Document.status != "retired")
        )
        return list((await self.s.execute(stmt)).scalars())

    async def due_between(self, start: date, end: date) -> list[Document]:
        stmt = (
            select(Document)
            .where(Document.next_review_due >= start, Document.next_review_due <= end)
            .where(Document.status != "retired")
            .order_by(Document.next_review_due)
        )
        return list((await self.s.execute(stmt)).scalars())

    async def count(self) -> int:
        return (await self.s.execute(select(func.count()).select_from(Document))).scalar_one()

    async def create(self, **fields: Any) -> Document:
        doc = Document(**fields)
        self.s.add(doc)
        await self.s.flush()
        return doc


class AuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def record(
        self,
        *,
        at: datetime,
        actor: Person | None,
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
        return {r.person_id: r for r in (await self.s.execute(stmt)).scalars()}  # the newest wins


class KeyValueRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, key: str) -> dict | None:
        row = await self.s.get(KeyValue, key)
        return row.value if row else None

    async def put(self, key: str, value: dict) -> None:
        row = await self.s.get(KeyValue, key)
        if row is None:
            self.s.add(KeyValue(key=key, value=value))
        else:
            row.value = value
        await self.s.flush()


class UnitOfWork:
    """`async with store.uow() as uow: ...; await uow.commit()` — anything not committed rolls back.

    Notices raised with `notify` are written to the outbox by `commit()` (through the writer the
    composition root gives the store: channels per person, the digest hold, each key once), in the
    same transaction as the change that caused them, before the COMMIT."""

    def __init__(self, sessionmaker: async_sessionmaker, writer: NoticeWriter | None = None) -> None:
        self._sessionmaker = sessionmaker
        self._writer = writer
        self._notices: list[Notice] = []
        self.session: AsyncSession

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessionmaker()
        s = self.session
        self.people = PeopleRepo(s)
        self.documents = DocumentRepo(s)
        self.audit = AuditRepo(s)
        self.conversations = ConversationRefRepo(s)
        self.kv = KeyValueRepo(s)
        self.cases = CaseRepo(s)
        self.outbox = OutboxRepo(s)
        self.leases = LeaseRepo(s)
        self.meetings = MeetingRepo(s)
        self.manual = ManualRepo(s)
        self.register = RegisterRepo(s)
        self.misunderstood = MisunderstoodRepo(s)
        self.due = DueRepo(s)
        return self

    async def __aexit__(self, *exc: object) -> None:
        # close() rolls back anything not committed and detaches the objects without expiring
        # them, so views built from them stay readable after the unit of work ends.
        self._notices.clear()
        await self.session.close()

    def notify(self, *notices: Notice) -> None:
        for n in notices:
            if not isinstance(n, Notice):
                raise TypeError(f"notify takes services.ports.Notice, not {type(n).__name__}")
        self._notices.extend(notices)

    @property
    def notices(self) -> Sequence[Notice]:
        """The notices raised and not yet written."""
        return tuple(self._notices)

    async def write_notices(self) -> int:
        if not self._notices:
            return 0
        if self._writer is None:
            raise RuntimeError("this unit of work has no notice writer: build it through bot/bootstrap.py")
        pending, self._notices = self._notices, []
        return await self._writer(self, pending)

    async def commit(self) -> None:
        await self.write_notices()
        await self.session.commit()

    async def rollback(self) -> None:
        self._notices.clear()
        await self.session.rollback()


class Store:
    """The database: engine, units of work, and the small stores the bot layer needs."""

    def __init__(self, database_url: str, engine: AsyncEngine | None = None) -> None:
        database_url = normalise_database_url(database_url)
        self.database_url = database_url
        self.engine = engine or make_engine(database_url)
        self.sessionmaker = make_sessionmaker(self.engine)
        self.state = StateStore(self.sessionmaker)
        self.activities = ProcessedActivityStore(self.sessionmaker)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def uow(self, writer: NoticeWriter | None = None) -> UnitOfWork:
        """A unit of work; `writer` queues the notices it is told of (bootstrap binds it)."""
        return UnitOfWork(self.sessionmaker, writer)

    async def ping(self) -> bool:
        return await ping(self.engine)

    async def migrate(self) -> None:
        from store.migrate import upgrade

        await upgrade(self.engine)

    async def close(self) -> None:
        await self.engine.dispose()


class StateStore:
    """Key/value documents with e_tags, for the Bot Framework `Storage` in bot/.

    Rules (BOTFRAMEWORK.md trap 9): etag None or "*" writes unconditionally; a stale etag is
    refused with ConcurrencyConflict; every write gets a new etag.
    """

    def __init__(self, sessionmaker: async_sessionmaker) -> None:
        self._sessionmaker = sessionmaker

    async def read(self, keys: Sequence[str]) -> dict[str, tuple[dict, str]]:
        if not keys:
            return {}
        async with self._sessionmaker() as s:
            rows = (await s.execute(select(BotState).where(BotState.key.in_(list(keys))))).scalars()
            return {r.key: (r.data, r.etag) for r in rows}

    async def write(self, changes: dict[str, tuple[dict, str | None]], now: datetime) -> dict[str, str]:
        """Write all changes in one transaction; returns the new etags. Conflicts refuse the whole write."""
        new_etags: dict[str, str] = {}
        async with self._sessionmaker() as s:
            async with s.begin():
                for key, (data, etag) in changes.items():
                    if etag == "":
                        raise ValueError(f"empty e_tag for {key!r}: use None or '*' for an unconditional write")
                    new_etag = uuid.uuid4().hex
                    row = await s.get(BotState, key, with_for_update=True)
                    if row is None:
                        if etag not in (None, "*"):
                            raise ConcurrencyConflict(f"{key!r} was deleted by another turn")
                        try:
                            async with s.begin_nested():
                                s.add(BotState(key=key, etag=new_etag, data=data, updated_at=now))
                        except IntegrityError:
                            # Another turn created it first; an unconditional write still wins.
                            await s.execute(
                                update(BotState).where(BotState.key == key)
                                .values(etag=new_etag, data=data, updated_at=now)
                                .execution_options(synchronize_session=False)
                            )
                    else:
                        if etag not in (None, "*") and etag != row.etag:
                            raise ConcurrencyConflict(f"{key!r} was changed by another turn")
                        # Compare-and-swap so two writers holding the same etag cannot both win.
                        result = await s.execute(
                            update(BotState)
                            .where(BotState.key == key, BotState.etag == row.etag)
                            .values(etag=new_etag, data=data, updated_at=now)
                            .execution_options(synchronize_session=False)
                        )
                        if result.rowcount != 1:
                            raise ConcurrencyConflict(f"{key!r} was changed by another turn")
                    new_etags[key] = new_etag
        return new_etags

    async def delete(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        async with self._sessionmaker() as s:
            async with s.begin():
                await s.execute(delete(BotState).where(BotState.key.in_(list(keys))))


class ProcessedActivityStore:
    """Remembers inbound activity ids so a re-delivered email is handled once."""

    def __init__(self, sessionmaker: async_sessionmaker) -> None:
        self._sessionmaker = sessionmaker

    async def first_time(self, key: str, now: datetime) -> bool:
        async with self._sessionmaker() as s:
            try:
                async with s.begin():
                    s.add(ProcessedActivity(key=key[:600], at=now))
                return True
            except IntegrityError:
                return False
