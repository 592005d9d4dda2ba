"""The register's own tables: the records `uow.register` (store/register_repo.py) returns for assets
(DOR-14), their links, tracker imports, ownership flags (NCT-1) and compliance snapshots, and the
repository. Records are frozen: an asset changes through `update_asset`, a flag through
`resolve_flags`, a snapshot through `put_snapshot`. Register entries themselves are the cases'
DocumentRecord; they change through `uow.documents.update`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from services.ports.cases import DocumentRecord, PersonRecord
from services.ports.repositories import AuditRecord


@dataclass(frozen=True, slots=True)
class AssetRecord:
    """A form, template, system screen or training module that a document governs (DOR-1, DOR-14)."""

    id: int
    ref: str
    kind: str  # form | template | system | training | other
    title: str
    location: str | None
    owner_id: str | None
    extra: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AssetLinkRecord:
    id: int
    asset_id: int
    document_id: int
    note: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ImportRunRecord:
    """One real (not dry) import of a tracker spreadsheet."""

    id: int
    at: datetime
    actor_id: str | None
    filename: str
    sha256: str
    sheet: str | None
    added: int
    updated: int
    unchanged: int
    rejected: int
    skipped_bad: bool
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OwnershipFlagRecord:
    """A document whose RO or RSM has left: orphaned to the PPO until someone is named (NCT-1)."""

    id: int
    document_id: int
    person_id: str
    role: str  # ro | rsm
    reason: str
    flagged_at: datetime
    resolved_at: datetime | None


@dataclass(frozen=True, slots=True)
class SnapshotRecord:
    """How reviews stood on one day: a point of the review-compliance chart."""

    id: int
    taken_on: date
    taken_at: datetime
    total: int
    in_date: int
    due_soon: int
    overdue: int
    no_date: int


class RegisterRepository(Protocol):
    async def flush(self) -> None: ...

    async def all_documents(self) -> Sequence[DocumentRecord]: ...  # in reference order

    async def add_document(self, **fields: Any) -> DocumentRecord: ...

    async def add_documents(self, rows: list[dict[str, Any]]) -> Sequence[DocumentRecord]: ...

    async def record_many(self, *, at: datetime, actor: PersonRecord | None, entity: str,
                          entries: list[dict[str, Any]]) -> None: ...

    async def add_person(self, *, roles: Iterable[str] = (), **fields: Any) -> PersonRecord: ...

    async def set_roles(self, person: PersonRecord, roles: Iterable[str]) -> None:
        """The person's organisation roles become exactly these."""
        ...

    async def documents_of(self, person_id: str) -> Sequence[DocumentRecord]: ...

    async def add_import_run(self, **fields: Any) -> ImportRunRecord: ...

    async def import_runs(self) -> list[ImportRunRecord]: ...

    async def asset_by_ref(self, ref: str) -> AssetRecord | None: ...

    async def add_asset(self, **fields: Any) -> AssetRecord: ...

    async def update_asset(self, asset_id: int, **values: Any) -> AssetRecord: ...

    async def all_assets(self) -> list[AssetRecord]: ...

    async def link(self, asset_id: int, document_id: int, note: str | None, at: datetime) -> AssetLinkRecord | None: ...

    async def unlink(self, asset_id: int, document_id: int) -> bool: ...

    async def assets_for_document(self, document_id: int) -> list[tuple[AssetRecord, AssetLinkRecord]]: ...

    async def documents_for_asset(self, asset_id: int) -> Sequence[DocumentRecord]: ...

    async def open_flags(self, document_id: int | None = None) -> list[OwnershipFlagRecord]: ...

    async def flag(self, *, document_id: int, person_id: str, role: str, reason: str,
                   at: datetime) -> OwnershipFlagRecord | None: ...

    async def resolve_flags(self, document_id: int, role: str, at: datetime) -> int: ...

    async def put_snapshot(self, taken_on: date, taken_at: datetime, **counts: int) -> SnapshotRecord: ...

    async def snapshots(self, since: date | None = None) -> list[SnapshotRecord]: ...

    async def audit_between(self, start: datetime, end: datetime, actions: Sequence[str]) -> Sequence[AuditRecord]: ...
