"""The unit of work as a use case holds it: `UnitOfWork` (notify, commit, rollback) with the store's
repositories, each typed by its Protocol in services/ports/: `people`, `documents`, `cases`, `due` and
`audit` (repositories.py, returning the records of cases.py), `outbox`, `kv` and `leases` (outbox.py),
`meetings` (meetings.py), `manual` (manual.py), `register` (register.py), and `conversations`,
`misunderstood` and `answers` (conversations.py). They return read-only records (Protocols the store's
rows satisfy, or frozen dataclasses) and plain values, so mypy checks every use case against them, and
the store's repositories and unit of work against them (store/conformance.py, bot/bootstrap.py).
`session` is still `Any` (issue 14 item 2): tighten it and mypy points at every use that no longer fits."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from services.ports import CaseRecord, DocumentRecord, DraftRecord, PersonRecord, UnitOfWork
from services.ports import (
    AgendaItemRecord,
    AnswerRecord,
    AnswerRepository,
    AssetRecord,
    AuditRepository,
    CaseRepository,
    ChapterRecord,
    ConversationRepository,
    DocumentRepository,
    DueRepository,
    KeyValueRepository,
    LeaseRepository,
    ManualRepository,
    MeetingRecord,
    MeetingRepository,
    MisunderstoodRepository,
    OutboxRepository,
    PeopleRepository,
    RegisterRepository,
)


class Work(UnitOfWork, Protocol):
    @property
    def people(self) -> PeopleRepository: ...
    @property
    def documents(self) -> DocumentRepository: ...
    @property
    def cases(self) -> CaseRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def due(self) -> DueRepository:  # what the sweeps and 'my tasks' select as due
        ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def meetings(self) -> MeetingRepository: ...
    @property
    def manual(self) -> ManualRepository: ...
    @property
    def register(self) -> RegisterRepository: ...
    @property
    def kv(self) -> KeyValueRepository: ...

    @property
    def leases(self) -> LeaseRepository: ...
    @property
    def conversations(self) -> ConversationRepository: ...
    @property
    def misunderstood(self) -> MisunderstoodRepository: ...
    @property
    def answers(self) -> AnswerRepository: ...
    session: Any  # the SQLAlchemy session: the bot's own repositories (tab listing, mail in) are made on it


# `async with factory() as uow:` (Services.uow, and what the outbox functions are handed)
WorkFactory = Callable[[], AbstractAsyncContextManager[Work]]


# The records as the use cases' own helpers name them (the repositories above return these).
PersonRow = PersonRecord
DocumentRow = DocumentRecord
CaseRow = CaseRecord
DraftRow = DraftRecord
MeetingRow = MeetingRecord
AgendaItemRow = AgendaItemRecord
AssetRow = AssetRecord
ChapterRow = ChapterRecord
AnswerRow = AnswerRecord  # an answer given (uow.answers)
Repository = RegisterRepository  # the register's repository, handed on (uow.register)
