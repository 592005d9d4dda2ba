"""Queries for the register's own tables (store/register_models.py): the unit of work's `uow.register`
(services.ports.RegisterRepository). Its own tables come out as frozen records; register entries and
people are the rows the cases read (DocumentRecord, PersonRecord)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.document_repo import snapshot as document_snapshot, snapshots
from store.models import AuditEntry, Document, Person, PersonRole
from services.ports import (
    DocumentSnapshot,
    AssetLinkRecord,
    AssetRecord,
    ImportRunRecord,
    OwnershipFlagRecord,
    PersonRecord,
    PersonSnapshot,
    SnapshotRecord,
)
from store.people_repo import snapshot
from store.records import change, record, record_or_none
from store.register_models import Asset, AssetLink, ComplianceSnapshot, ImportRun, OwnershipFlag


class RegisterRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def flush(self) -> None:
        """Send pending changes now (a unique column freed before another row takes it)."""
        await self.s.flush()

    # ---------------------------------------------------------------- documents and people
    async def all_documents(self) -> list[DocumentSnapshot]:
        return snapshots((await self.s.execute(select(Document).order_by(Document.ref))).scalars())

    async def add_document(self, **fields: Any) -> DocumentSnapshot:
        doc = Document(**fields)
        self.s.add(doc)
        await self.s.flush()
        return document_snapshot(doc)

    async def add_documents(self, rows: list[dict[str, Any]]) -> list[DocumentSnapshot]:
        docs = [Document(**fields) for fields in rows]
        self.s.add_all(docs)
        await self.s.flush()
        return snapshots(docs)

    async def record_many(self, *, at: datetime, actor: PersonRecord | None, entity: str, entries: list[dict[str, Any]]) -> None:
        """Many audit records at once (entity_id, action, summary, details each); see AuditRepo.record."""
        if at.tzinfo is None:
            raise ValueError("audit times must be timezone-aware")
        self.s.add_all([
            AuditEntry(at=at, actor_id=actor.id if actor else None, actor_name=actor.name if actor else "policybot",
                       entity=entity, entity_id=str(e["entity_id"]), action=e["action"], summary=e["summary"],
                       reason=e.get("reason"), details=e.get("details") or {})
            for e in entries
        ])
        await self.s.flush()

    async def add_person(self, *, roles: Iterable[str] = (), **fields: Any) -> PersonSnapshot:
        person = Person(**fields)
        person.roles = [PersonRole(role=r) for r in dict.fromkeys(roles)]
        self.s.add(person)
        await self.s.flush()
        return snapshot(person)

    async def set_roles(self, person: PersonRecord, roles: Iterable[str]) -> None:
        # The row by the record's id (from this unit of work's identity map when it has read it).
        row = person if isinstance(person, Person) else await self.s.get(Person, person.id)
        if row is None:
            raise LookupError(f"no person {person.id}")
        wanted = list(dict.fromkeys(roles))
        keep = [r for r in row.roles if r.role in wanted]
        have = {r.role for r in keep}
        row.roles = keep + [PersonRole(role=r) for r in wanted if r not in have]
        await self.s.flush()

    async def documents_of(self, person_id: str) -> list[DocumentSnapshot]:
        stmt = select(Document).where((Document.ro_id == person_id) | (Document.rsm_id == person_id)).order_by(Document.ref)
        return snapshots((await self.s.execute(stmt)).scalars())

    # ---------------------------------------------------------------- imports
    async def add_import_run(self, **fields: Any) -> ImportRunRecord:
        run = ImportRun(**fields)
        self.s.add(run)
        await self.s.flush()
        return record(ImportRunRecord, run)

    async def import_runs(self) -> list[ImportRunRecord]:
        return [record(ImportRunRecord, r) for r in (await self.s.execute(select(ImportRun).order_by(ImportRun.id))).scalars()]

    # ---------------------------------------------------------------- assets (DOR-14)
    async def asset_by_ref(self, ref: str) -> AssetRecord | None:
        row = (await self.s.execute(select(Asset).where(Asset.ref == ref.strip().upper()))).scalar_one_or_none()
        return record_or_none(AssetRecord, row)

    async def add_asset(self, **fields: Any) -> AssetRecord:
        asset = Asset(**fields)
        self.s.add(asset)
        await self.s.flush()
        return record(AssetRecord, asset)

    async def update_asset(self, asset_id: int, **values: Any) -> AssetRecord:
        return record(AssetRecord, await change(self.s, Asset, asset_id, values))

    async def all_assets(self) -> list[AssetRecord]:
        return [record(AssetRecord, a) for a in (await self.s.execute(select(Asset).order_by(Asset.ref))).scalars()]

    async def link(self, asset_id: int, document_id: int, note: str | None, at: datetime) -> AssetLinkRecord | None:
        """Link once: None when the link already exists."""
        stmt = select(AssetLink).where(AssetLink.asset_id == asset_id, AssetLink.document_id == document_id)
        if (await self.s.execute(stmt)).scalar_one_or_none() is not None:
            return None
        row = AssetLink(asset_id=asset_id, document_id=document_id, note=note, created_at=at)
        self.s.add(row)
        await self.s.flush()
        return record(AssetLinkRecord, row)

    async def unlink(self, asset_id: int, document_id: int) -> bool:
        stmt = select(AssetLink).where(AssetLink.asset_id == asset_id, AssetLink.document_id == document_id)
        row = (await self.s.execute(stmt)).scalar_one_or_none()
        if row is None:
            return False
        await self.s.delete(row)
        await self.s.flush()
        return True

    async def assets_for_document(self, document_id: int) -> list[tuple[AssetRecord, AssetLinkRecord]]:
        stmt = (select(Asset, AssetLink).join(AssetLink, AssetLink.asset_id == Asset.id)
                .where(AssetLink.document_id == document_id).order_by(Asset.kind, Asset.ref))
        return [(record(AssetRecord, a), record(AssetLinkRecord, link)) for a, link in (await self.s.execute(stmt)).all()]

    async def documents_for_asset(self, asset_id: int) -> list[DocumentSnapshot]:
        stmt = (select(Document).join(AssetLink, AssetLink.document_id == Document.id)
                .where(AssetLink.asset_id == asset_id).order_by(Document.ref))
        return snapshots((await self.s.execute(stmt)).scalars())

    # ---------------------------------------------------------------- ownership flags (NCT-1)
    async def _open_flag_rows(self, document_id: int | None = None) -> list[OwnershipFlag]:
        stmt = select(OwnershipFlag).where(OwnershipFlag.resolved_at.is_(None)).order_by(OwnershipFlag.id)
        if document_id is not None:
            stmt = stmt.where(OwnershipFlag.document_id == document_id)
        return list((await self.s.execute(stmt)).scalars())

    async def open_flags(self, document_id: int | None = None) -> list[OwnershipFlagRecord]:
        return [record(OwnershipFlagRecord, f) for f in await self._open_flag_rows(document_id)]

    async def flag(self, *, document_id: int, person_id: str, role: str, reason: str,
                   at: datetime) -> OwnershipFlagRecord | None:
        """Flag once: None when the same open flag exists already."""
        for f in await self._open_flag_rows(document_id):
            if f.person_id == person_id and f.role == role:
                return None
        row = OwnershipFlag(document_id=document_id, person_id=person_id, role=role, reason=reason, flagged_at=at)
        self.s.add(row)
        await self.s.flush()
        return record(OwnershipFlagRecord, row)

    async def resolve_flags(self, document_id: int, role: str, at: datetime) -> int:
        n = 0
        for f in await self._open_flag_rows(document_id):
            if f.role == role:
                f.resolved_at = at
                n += 1
        await self.s.flush()
        return n

    # ---------------------------------------------------------------- reports
    async def put_snapshot(self, taken_on: date, taken_at: datetime, **counts: int) -> SnapshotRecord:
        row = (await self.s.execute(select(ComplianceSnapshot).where(ComplianceSnapshot.taken_on == taken_on))).scalar_one_or_none()
        if row is None:
            row = ComplianceSnapshot(taken_on=taken_on, taken_at=taken_at, **counts)
            self.s.add(row)
        else:
            row.taken_at = taken_at
            for k, v in counts.items():
                setattr(row, k, v)
        await self.s.flush()
        return record(SnapshotRecord, row)

    async def snapshots(self, since: date | None = None) -> list[SnapshotRecord]:
        stmt = select(ComplianceSnapshot).order_by(ComplianceSnapshot.taken_on)
        if since is not None:
            stmt = stmt.where(ComplianceSnapshot.taken_on >= since)
        return [record(SnapshotRecord, r) for r in (await self.s.execute(stmt)).scalars()]

    async def audit_between(self, start: datetime, end: datetime, actions: Sequence[str]) -> list[AuditEntry]:
        stmt = (select(AuditEntry).where(AuditEntry.at >= start, AuditEntry.at < end, AuditEntry.action.in_(list(actions)))
                .order_by(AuditEntry.at, AuditEntry.id))
        return list((await self.s.execute(stmt)).scalars())
