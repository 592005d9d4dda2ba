"""Cases: the records the lifecycle reads (a person, a register entry, a case)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from services.ports.delivery import PersonFacts


class PersonRecord(PersonFacts, Protocol):
    """A person as the lifecycle reads them: their facts and their organisation-wide roles."""

    @property
    def role_names(self) -> frozenset[str]: ...

    @property
    def service_area(self) -> str | None: ...

    @property
    def active(self) -> bool: ...

    @property
    def tenant_id(self) -> str | None: ...

    @property
    def job_title(self) -> str | None: ...

    @property
    def manager_id(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class PersonSnapshot:
    """A person as the people repository hands them out: frozen, as they stood when read. A change
    goes through `uow.people.update` (or `uow.register.set_roles`), which returns the new snapshot;
    one held from before does not follow it. Equal when every field is; hashed by id."""

    id: str
    name: str
    email: str | None
    aad_object_id: str | None
    tenant_id: str | None
    job_title: str | None
    service_area: str | None
    manager_id: str | None
    active: bool
    preferences: Mapping[str, Any] | None
    role_names: frozenset[str]

    def __hash__(self) -> int:
        return hash(self.id)


class DocumentRecord(Protocol):
    """A register entry as the lifecycle reads it (a DocumentSnapshot from the store or a fake); changed
    only through `uow.documents.update`, which returns the new record."""

    @property
    def id(self) -> int: ...

    @property
    def ref(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def doc_type(self) -> str: ...

    @property
    def category(self) -> str | None: ...

    @property
    def service_area(self) -> str | None: ...

    @property
    def summary(self) -> str | None: ...

    @property
    def status(self) -> str: ...

    @property
    def version(self) -> str | None: ...

    @property
    def ro_id(self) -> str | None: ...

    @property
    def rsm_id(self) -> str | None: ...

    @property
    def extra(self) -> dict[str, Any] | None: ...

    @property
    def approved_on(self) -> date | None: ...

    @property
    def last_reviewed_on(self) -> date | None: ...

    @property
    def next_review_due(self) -> date | None: ...

    @property
    def manual_url(self) -> str | None: ...

    @property
    def ro(self) -> PersonRecord | None:  # the RO and RSM, loaded with the document
        ...

    @property
    def rsm(self) -> PersonRecord | None: ...

    @property
    def updated_at(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class DocumentSnapshot:
    """A register entry as the repositories hand it out: frozen, as it stood when read, with its RO and
    RSM as they stood then (None when the read did not load them: read `ro_id` and `rsm_id`). A change
    goes through `uow.documents.update`, which returns the new snapshot; one held from before does not
    follow it. Equal when every field is; hashed by id."""

    id: int
    ref: str
    title: str
    doc_type: str
    category: str | None
    service_area: str | None
    summary: str | None
    status: str
    version: str | None
    ro_id: str | None
    rsm_id: str | None
    extra: dict[str, Any] | None
    approved_on: date | None
    last_reviewed_on: date | None
    next_review_due: date | None
    manual_url: str | None
    ro: PersonSnapshot | None
    rsm: PersonSnapshot | None
    created_at: datetime | None
    updated_at: datetime

    def __hash__(self) -> int:
        return hash(self.id)


class CaseRecord(Protocol):
    """A case as the lifecycle reads it (a CaseSnapshot from the store or a fake); its changes go through
    `uow.cases.save` (compare-and-swap), which returns the new record."""

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


@dataclass(frozen=True, slots=True)
class CaseSnapshot:
    """A case as the repositories hand it out: frozen, as it stood when read. A change goes through
    `uow.cases.save` (compare-and-swap on `version`), which returns the new snapshot; one held from
    before keeps its values (and its version, so saving it again is refused). Equal when every field
    is; hashed by id."""

    id: int
    document_id: int
    preset: str
    kind: str
    stage: str
    status: str
    state: dict[str, Any]
    waiting_for: list[str]
    due_on: datetime | None
    opened_by: str | None
    opened_at: datetime
    updated_at: datetime
    version: int

    def __hash__(self) -> int:
        return hash(self.id)
