"""Cases, draft versions and sent decision cards."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from store.records import change
from store.case_models import Case, DraftVersion, SentCard
from services.ports import CaseSnapshot, DocumentSnapshot
from store.document_repo import snapshot
from store.models import Document, Person
from services.ports import CaseRecord, ConcurrencyConflict
from store.results import rowcount


def case_snapshot(row: Case) -> CaseSnapshot:
    """The row as the frozen record the repositories hand out (no statement: its columns are loaded)."""
    return CaseSnapshot(row.id, row.document_id, row.preset, row.kind, row.stage, row.status, dict(row.state or {}),
                        list(row.waiting_for or []), row.due_on, row.opened_by, row.opened_at, row.updated_at, row.version)


def case_snapshots(rows: Iterable[Case]) -> list[CaseSnapshot]:
    return [case_snapshot(r) for r in rows]


class CaseRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, case_id: int) -> CaseSnapshot | None:
        row = await self.s.get(Case, case_id)
        return None if row is None else case_snapshot(row)

    def _with_documents(self):
        """Cases joined to their documents and the documents' owners (with their roles): one query."""
        return (select(Case, Document).join(Document, Document.id == Case.document_id)
                .options(joinedload(Document.ro).joinedload(Person.roles), joinedload(Document.rsm).joinedload(Person.roles)))

    async def full(self, case_id: int) -> tuple[CaseSnapshot, DocumentSnapshot] | None:
        """A case with its document and the document's owners, in one query."""
        row = (await self.s.execute(self._with_documents().where(Case.id == case_id))).unique().first()
        return (case_snapshot(row[0]), snapshot(row[1])) if row else None

    async def full_many(self, case_ids: Iterable[int]) -> list[tuple[CaseSnapshot, DocumentSnapshot]]:
        ids = list(case_ids)
        if not ids:
            return []
        rows = (await self.s.execute(self._with_documents().where(Case.id.in_(ids)).order_by(Case.id))).unique().all()
        return [(case_snapshot(r[0]), snapshot(r[1])) for r in rows]

    async def open_with_documents(self) -> list[tuple[CaseSnapshot, DocumentSnapshot]]:
        rows = (await self.s.execute(self._with_documents().where(Case.status == "open").order_by(Case.id))).unique().all()
        return [(case_snapshot(r[0]), snapshot(r[1])) for r in rows]

    async def create(self, **fields: Any) -> CaseSnapshot:
        case = Case(**fields)
        self.s.add(case)
        await self.s.flush()
        return case_snapshot(case)

    async def open_for_document(self, document_id: int) -> list[CaseSnapshot]:
        stmt = select(Case).where(Case.document_id == document_id, Case.status == "open").order_by(Case.id)
        return case_snapshots((await self.s.execute(stmt)).scalars())

    async def all_open(self) -> list[CaseSnapshot]:
        return case_snapshots((await self.s.execute(select(Case).where(Case.status == "open").order_by(Case.id))).scalars())

    async def save(self, case: CaseRecord, *, expected_version: int, state: dict[str, Any], stage: str, status: str,
                   waiting_for: list[str], now: datetime) -> CaseSnapshot:
        """Compare-and-swap on the case's version: a stale card or a second click changes nothing. The
        new snapshot, made from what was written (the row is not read back); one held from before keeps
        its values."""
        values = dict(state=state, stage=stage, status=status, waiting_for=waiting_for, updated_at=now,
                      version=expected_version + 1)
        result = await self.s.execute(
            update(Case).where(Case.id == case.id, Case.version == expected_version).values(**values)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            raise ConcurrencyConflict(f"case {case.id} changed since version {expected_version}")
        row = self.s.identity_map.get(identity_key(Case, case.id))
        if row is None:  # not in this unit of work's session: the record as given, changed as written
            return replace(case if isinstance(case, CaseSnapshot) else case_snapshot(case), **values)  # type: ignore[arg-type]
        for key, value in values.items():  # the session's row as written, so its later reads agree
            set_committed_value(row, key, value)
        return case_snapshot(row)

    async def add_draft(self, **fields: Any) -> DraftVersion:
        number = (await self.s.execute(
            select(func.coalesce(func.max(DraftVersion.number), 0)).where(DraftVersion.document_id == fields["document_id"])
        )).scalar_one() + 1
        draft = DraftVersion(number=number, **fields)
        self.s.add(draft)
        await self.s.flush()
        return draft

    async def update_draft(self, draft_id: int, **values: Any) -> DraftVersion:
        """Change a stored draft version (what changed in it): the use cases change drafts only through here."""
        return await change(self.s, DraftVersion, draft_id, values)

    async def drafts(self, document_id: int) -> list[DraftVersion]:
        stmt = select(DraftVersion).where(DraftVersion.document_id == document_id).order_by(DraftVersion.number)
        return list((await self.s.execute(stmt)).scalars())

    async def draft_heads(self, document_id: int) -> list[DraftVersion]:
        """The document's draft versions (their files are in the data folder, by SHA-256)."""
        return await self.drafts(document_id)

    async def latest_drafts(self) -> dict[int, tuple[int, str, str]]:
        """{document id: (draft id, sha256, filename)} of every document's latest draft (without bytes)."""
        latest = (select(DraftVersion.document_id, func.max(DraftVersion.number).label("n"))
                  .group_by(DraftVersion.document_id).subquery())
        stmt = (select(DraftVersion.document_id, DraftVersion.id, DraftVersion.sha256, DraftVersion.filename)
                .join(latest, (DraftVersion.document_id == latest.c.document_id) & (DraftVersion.number == latest.c.n)))
        return {r[0]: (r[1], r[2], r[3]) for r in (await self.s.execute(stmt)).all()}

    async def draft_heads_of_cases(self, case_ids: Iterable[int]) -> list[DraftVersion]:
        """The draft versions of these cases without their bytes, oldest first: one query."""
        ids = list(case_ids)
        if not ids:
            return []
        stmt = (select(DraftVersion).where(DraftVersion.case_id.in_(ids))
                .order_by(DraftVersion.case_id, DraftVersion.number))
        return list((await self.s.execute(stmt)).scalars())

    async def has_draft_file(self, sha256: str) -> bool:
        return (await self.s.execute(select(DraftVersion.id).where(DraftVersion.sha256 == sha256).limit(1))).first() is not None

    async def record_card(self, **fields: Any) -> SentCard:
        card = SentCard(**fields)
        self.s.add(card)
        await self.s.flush()
        return card

    async def cards_for(self, case_id: int) -> list[SentCard]:
        return list((await self.s.execute(select(SentCard).where(SentCard.case_id == case_id))).scalars())

    async def cards_refreshed(self, card_ids: Iterable[int], case_version: int) -> None:
        """Record copies of a case card as showing `case_version` (one statement for them all)."""
        ids = list(card_ids)
        if ids:
            await self.s.execute(update(SentCard).where(SentCard.id.in_(ids)).values(case_version=case_version)
                                 .execution_options(synchronize_session=False))
