"""The unit of work and the store: every state change and its audit record commit together. The
repositories live beside it, one module per capability (store/*_repo.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.ports import Notice, NoticeWriter
from store.audit_repo import AuditRepo
from store.bot_state import ProcessedActivityStore, StateStore
from store.case_repo import CaseRepo
from store.db import make_engine, make_sessionmaker, normalise_database_url, ping
from store.document_repo import DocumentRepo
from store.due_repo import DueRepo
from store.manual_repo import ManualRepo
from store.meeting_repo import MeetingRepo
from store.migrate import upgrade
from store.models import KeyValue
from store.outbox_repo import LeaseRepo, OutboxRepo
from store.people_repo import ConversationRefRepo, PeopleRepo
from store.register_repo import RegisterRepo
from store.understanding_repo import MisunderstoodRepo
from store.answer_repo import AnswerRepo


class KeyValueRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, key: str) -> dict[str, Any] | None:
        row = await self.s.get(KeyValue, key)
        return row.value if row else None

    async def put(self, key: str, value: dict[str, Any]) -> None:
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
        self.answers = AnswerRepo(s)
        self.due = DueRepo(s)  # what the sweeps and 'my tasks' select as due (issue 22 item 7)
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

    def __init__(self, database_url: str, engine: AsyncEngine | None = None, *, files_dir: Path | None = None) -> None:
        database_url = normalise_database_url(database_url)
        self.database_url = database_url
        self.files_dir = files_dir  # the data folder's files/: where migrations put drafts' bytes
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
        await upgrade(self.engine, files_dir=self.files_dir)

    async def close(self) -> None:
        await self.engine.dispose()
