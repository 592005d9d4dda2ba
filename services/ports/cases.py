"""Cases: the records the lifecycle reads (a person, a register entry, a case)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

from services.ports.delivery import PersonFacts


class PersonRecord(PersonFacts, Protocol):
    """A person as the lifecycle reads them: their facts and their organisation-wide roles."""

    @property
    def role_names(self) -> frozenset[str]: ...

    @property
    def service_area(self) -> str | None: ...


class DocumentRecord(Protocol):
    """A register entry as the lifecycle reads and changes it (the store's row, or a fake)."""

    id: int
    ref: str
    title: str
    doc_type: str
    category: str | None
    service_area: str | None
    status: str
    version: str | None
    ro_id: str | None
    rsm_id: str | None
    extra: dict[str, Any] | None
    approved_on: date | None
    last_reviewed_on: date | None
    next_review_due: date | None
    updated_at: datetime


class CaseRecord(Protocol):
    """A case as the lifecycle reads it; its changes go through `uow.cases.save` (compare-and-swap)."""

    @property
    def id(self) -> int: ...

    @property
    def document_id(self) -> int: ...

    @property
    def state(self) -> dict[str, Any]: ...

    @property
    def status(self) -> str: ...

    @property
    def waiting_for(self) -> list[str]: ...

    @property
    def version(self) -> int: ...

    @property
    def updated_at(self) -> datetime: ...
