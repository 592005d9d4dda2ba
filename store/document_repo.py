"""The register entries (documents) as the lifecycle reads and changes them."""

from __future__ import annotations

from datetime import date
from typing import Any
from collections.abc import Iterable, Sequence

from sqlalchemy import func, inspect, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ports import DocumentRecord, DocumentSnapshot, PersonSnapshot
from store.people_repo import snapshot as person_snapshot
from store.records import change
from store.models import Document, Person


def _loaded_person(row: Document, name: str, unloaded: frozenset[str] | set[str]) -> PersonSnapshot | None:
    """The RO or RSM the read loaded with the document (None when it did not: no statement is issued)."""
    if name in unloaded:
        return None
    person: Person | None = getattr(row, name)
    return None if person is None else person_snapshot(person)


def snapshot(row: Document) -> DocumentSnapshot:
    """The row as the frozen record the repositories hand out (its RO and RSM as the read loaded them)."""
    unloaded = inspect(row).unloaded
    extra = row.extra
    return DocumentSnapshot(row.id, row.ref, row.title, row.doc_type, row.category, row.service_area, row.summary,
                            row.status, row.version, row.ro_id, row.rsm_id, dict(extra) if extra is not None else None,
                            row.approved_on, row.last_reviewed_on, row.next_review_due, row.manual_url,
                            _loaded_person(row, "ro", unloaded), _loaded_person(row, "rsm", unloaded),
                            row.created_at, row.updated_at)


def snapshot_or_none(row: Document | None) -> DocumentSnapshot | None:
    return None if row is None else snapshot(row)


def snapshots(rows: Iterable[Document]) -> list[DocumentSnapshot]:
    return [snapshot(r) for r in rows]


class DocumentRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, doc_id: int) -> DocumentSnapshot | None:
        return snapshot_or_none(await self.s.get(Document, doc_id))

    async def by_ref(self, ref: str) -> DocumentSnapshot | None:
        """References are kept in capitals: the unique index finds them; one kept otherwise is found by a scan."""
        wanted = ref.strip().upper()
        found = (await self.s.execute(select(Document).where(Document.ref == wanted))).scalar_one_or_none()
        if found is None:
            found = (await self.s.execute(select(Document).where(func.upper(Document.ref) == wanted))).scalar_one_or_none()
        return snapshot_or_none(found)

    async def all(self, *, include_retired: bool = False) -> list[DocumentSnapshot]:
        stmt = select(Document).order_by(Document.ref)
        if not include_retired:
            stmt = stmt.where(Document.status != "retired")
        return snapshots((await self.s.execute(stmt)).scalars())

    async def by_ids(self, ids: Sequence[int]) -> list[DocumentSnapshot]:
        if not ids:
            return []
        found = {d.id: d for d in (await self.s.execute(select(Document).where(Document.id.in_(list(ids))))).scalars()}
        return [snapshot(found[i]) for i in ids if i in found]

    async def owned_or_signed_off_by(self, person_id: str) -> list[DocumentSnapshot]:
        stmt = (
            select(Document)
            .where(or_(Document.ro_id == person_id, Document.rsm_id == person_id))
            .where(Document.status != "retired")
        )
        return snapshots((await self.s.execute(stmt)).scalars())

    async def due_between(self, start: date, end: date) -> list[DocumentSnapshot]:
        stmt = (
            select(Document)
            .where(Document.next_review_due >= start, Document.next_review_due <= end)
            .where(Document.status != "retired")
            .order_by(Document.next_review_due)
        )
        return snapshots((await self.s.execute(stmt)).scalars())

    async def count(self) -> int:
        return (await self.s.execute(select(func.count()).select_from(Document))).scalar_one()

    async def update(self, doc_id: int, **values: Any) -> DocumentSnapshot:
        """Change a register entry: the use cases change documents only through here. The new snapshot;
        a new RO or RSM is read with it (from the session when this unit of work has read them)."""
        row = await change(self.s, Document, doc_id, values)
        for key, relation in (("ro_id", "ro"), ("rsm_id", "rsm")):
            if key in values:
                person = None if values[key] is None else await self.s.get(Person, values[key])
                if person is not None or values[key] is None:  # an unknown id fails at the flush, as before
                    setattr(row, relation, person)
        return snapshot(row)

    async def load_people(self, doc: DocumentRecord) -> DocumentSnapshot:
        """A document just created: its RO and RSM loaded, so its views can name them (the new snapshot)."""
        row = await self.s.get(Document, doc.id)
        if row is None:
            raise LookupError(f"no Document {doc.id}")
        await self.s.refresh(row, ["ro", "rsm"])
        return snapshot(row)

    async def create(self, **fields: Any) -> DocumentSnapshot:
        doc = Document(**fields)
        self.s.add(doc)
        await self.s.flush()
        return snapshot(doc)
