"""The unit of work: `async with uow_factory() as uow: ...; await uow.commit()`. The repositories
are declared beside the records they return, in the module of their capability."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from services.ports.delivery import Notice


class UnitOfWork(Protocol):
    """`async with uow_factory() as uow: ...; await uow.commit()`: anything not committed rolls back.
    Notices raised with `notify` are written to the outbox by `commit`, in the same transaction."""

    def notify(self, *notices: Notice) -> None: ...

    @property
    def notices(self) -> Sequence[Notice]: ...

    async def write_notices(self) -> int:
        """Write the notices raised so far now, inside this transaction (commit does it anyway);
        returns how many outbox rows were new (a sweep records it)."""
        ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class NoticeWriter(Protocol):
    """The outbox's rules for queuing notices (channels per person, the digest hold, the key once),
    given to the store's unit of work by `bot/bootstrap.py`; it runs inside `commit()`."""

    async def __call__(self, uow: Any, notices: Sequence[Notice]) -> int: ...


class ConcurrencyConflict(Exception):
    """Someone else changed the record first (a stale version or e_tag): the store raises it, the use
    case decides what the person is told."""


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> Any: ...  # an async context manager yielding a UnitOfWork
