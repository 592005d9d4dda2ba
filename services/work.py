"""The unit of work as a use case holds it: `UnitOfWork` (notify, commit, rollback) with the store's
repositories. `people`, `documents`, `cases`, `due` and `audit` are typed by their Protocols
(services/ports/repositories.py, returning the records of services/ports/cases.py), so mypy checks
every use case against them and the store's unit of work against this Protocol (bot/bootstrap.py,
store/conformance.py). The other repositories are still `Any` (issue 14 item 2): tighten a line here
and mypy points at every use that no longer fits."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Any, Protocol

from services.ports import CaseRecord, DocumentRecord, DraftRecord, PersonRecord, UnitOfWork
from services.ports import (
    AuditRepository,
    CaseRepository,
    DocumentRepository,
    DueRepository,
    PeopleRepository,
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

    outbox: Any
    meetings: Any
    manual: Any
    register: Any
    kv: Any
    leases: Any
    conversations: Any
    misunderstood: Any
    answers: Any
    session: Any  # the SQLAlchemy session: one use case still refreshes a row through it (cases/acting.py)


# `async with factory() as uow:` (Services.uow, and what the outbox functions are handed)
WorkFactory = Callable[[], AbstractAsyncContextManager[Work]]


# The records as the use cases' own helpers name them (the repositories above return these).
PersonRow = PersonRecord
DocumentRow = DocumentRecord
CaseRow = CaseRecord
DraftRow = DraftRecord
MeetingRow = Any
AgendaItemRow = Any
AssetRow = Any
ChapterRow = Any
AnswerRow = Any  # an answer given (uow.answers)
# uow.manual.generation(): the search cache's key (latest sync run, the register's count and last change, latest draft)
ManualGeneration = tuple[str | int | None, tuple[str, ...], int | None]  # (sync runs and chapters, register, drafts)
# uow.manual.for_index(): (id, url, title, section, updated_on, content hash, passages as JSON rows, text when no passages)
ChapterIndexRow = tuple[int, str, str, str | None, date | None, str, list[list[str | None]] | None, str | None]
Repository = Any  # one of the unit of work's repositories, handed on (uow.register)
