"""The register entries (documents) as the lifecycle reads and changes them."""

from __future__ import annotations

from datetime import date
from typing import Any
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.records import change
from store.models import Document


class DocumentRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, doc_id: int) -> Document | None:
        return await self.s.get(Document, doc_id)

    async def by_ref(self, ref: str) -> Document | None:
        """References are kept in capitals: the unique index finds them; one kept otherwise is found by a scan."""
        wanted = ref.strip().upper()
        found = (await self.s.execute(select(Document).where(Document.ref == wanted))).scalar_one_or_none()
        if found is None:
            found = (await self.s.execute(select(Document).where(func.upper(Document.ref) == wanted))).scalar_one_or_none()
        return found

    async def all(self, *, include_retired: bool = False) -> list[Document]:
        stmt = select(Document).order_by(Document.ref)
        if not include_retired:
            stmt = stmt.where(Document.status != "retired")
        return list((await self.s.execute(stmt)).scalars())

    async def by_ids(self, ids: Sequence[int]) -> list[Document]:
        if not ids:
            return []
        found = {d.id: d for d in (await self.s.execute(select(Document).where(Document.id.in_(list(ids))))).scalars()}
        return [found[i] for i in ids if i in found]

    async def owned_or_signed_off_by(self, person_id: str) -> list[Document]:
        stmt = (
            select(Document)
            .where(or_(Document.ro_id == person_id, Document.rsm_id == person_id))
            .where(Document.status != "retired")
        )
        return list((await self.s.execute(stmt)).scalars())

    async def due_between(self, start: date, end: date) -> list[Document]:
        stmt = (
            select(Document)
            .where(Document.next_review_due >= start, Document.next_review_due <= end)
            .where(Document.status != "retired")
            .order_by(Document.next_review_due)
        )
        return list((await self.s.execute(stmt)).scalars())

    async def count(self) -> int:
        return (await self.s.execute(select(func.count()).select_from(Document))).scalar_one()

    async def update(self, doc_id: int, **values: Any) -> Document:
        """Change a register entry: the use cases change documents only through here."""
        return await change(self.s, Document, doc_id, values)

    async def load_people(self, doc: Document) -> None:
        """A document just created: its RO and RSM loaded, so its views can name them."""
        await self.s.refresh(doc, ["ro", "rsm"])

    async def create(self, **fields: Any) -> Document:
        doc = Document(**fields)
        self.s.add(doc)
        await self.s.flush()
        return doc
