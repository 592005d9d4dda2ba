"""The unit of work as a use case holds it: `UnitOfWork` (notify, commit, rollback) with the store's
repositories. Each repository is named here, so a misspelt one fails the type check; their methods
are not declared yet (their Protocols, returning records, are issue 14's item 2), so each is `Any`
until then. Tighten a line here and mypy points at every use that no longer fits."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Any, Protocol

from services.ports import UnitOfWork


class Work(UnitOfWork, Protocol):
    people: Any
    documents: Any
    cases: Any
    audit: Any
    outbox: Any
    meetings: Any
    manual: Any
    register: Any
    kv: Any
    leases: Any
    conversations: Any
    misunderstood: Any
    answers: Any
    due: Any  # what the sweeps and 'my tasks' select as due
    session: Any  # the SQLAlchemy session: one use case still refreshes a row through it (cases/acting.py)


# `async with factory() as uow:` (Services.uow, and what the outbox functions are handed)
WorkFactory = Callable[[], AbstractAsyncContextManager[Work]]


# The store's rows as the repositories hand them back, until their records are declared (item 2):
# named, so every use is easy to find and to tighten. PersonRecord and DocumentRecord in services/ports.py
# are the start of two of them.
PersonRow = Any
DocumentRow = Any
CaseRow = Any
DraftRow = Any
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
