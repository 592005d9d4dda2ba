"""Read-only queries for the register pages: one page of documents filtered, searched and sorted in
SQL (so 5,000 documents cost one small page, not the whole table), the choices for the filters,
and draft versions without their contents (the bytes are read only for a download)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from store.case_models import DraftVersion
from services.ports import DocumentSnapshot
from store.document_repo import snapshots
from store.models import AuditEntry, Document, Person

SORTS = {
    "ref": (Document.ref,),
    "title": (func.lower(Document.title), Document.ref),
    "type": (Document.doc_type, Document.ref),
    "status": (Document.status, Document.ref),
    "area": (Document.service_area, Document.ref),
    "last_review": (Document.last_reviewed_on, Document.ref),
    "next_review": (Document.next_review_due, Document.ref),
}


@dataclass(frozen=True)
class Criteria:
    """What the register page asks for (already checked by the service)."""

    owner: str | None = None  # a person id: the RO or an RSM
    area: str | None = None
    doc_type: str | None = None
    status: str | None = None
    q: str | None = None
    review: str | None = None  # overdue | due_soon (relative to `today`)
    today: date | None = None
    due_soon_days: int = 30
    sort: str = "next_review"
    descending: bool = False
    offset: int = 0
    limit: int | None = 50


class ListingRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    def _where(self, stmt: Select, c: Criteria) -> Select:
        if c.owner:
            stmt = stmt.where(or_(Document.ro_id == c.owner, Document.rsm_id == c.owner))
        if c.area:
            stmt = stmt.where(Document.service_area == c.area)
        if c.doc_type:
            stmt = stmt.where(Document.doc_type == c.doc_type)
        if c.status:
            stmt = stmt.where(Document.status == c.status)
        else:
            stmt = stmt.where(Document.status != "retired")
        if c.q:
            like = "%" + c.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            stmt = stmt.where(or_(func.lower(Document.title).like(like, escape="\\"),
                                  func.lower(Document.ref).like(like, escape="\\"),
                                  func.lower(func.coalesce(Document.summary, "")).like(like, escape="\\")))
        if c.review and c.today:
            if c.review == "overdue":
                stmt = stmt.where(Document.next_review_due < c.today)
            elif c.review == "due_soon":
                stmt = stmt.where(and_(Document.next_review_due >= c.today,
                                       Document.next_review_due <= c.today + timedelta(days=c.due_soon_days)))
        return stmt

    async def page(self, **criteria: Any) -> tuple[list[DocumentSnapshot], int]:
        """(the documents on this page, with their owners loaded; how many match in all). The
        keywords are Criteria's fields."""
        c = Criteria(**criteria)
        total = (await self.s.execute(self._where(select(func.count()).select_from(Document), c))).scalar_one()
        order: list[Any] = []
        if c.sort == "owner":
            ro, rsm = aliased(Person), aliased(Person)
            stmt = (select(Document).outerjoin(ro, Document.ro_id == ro.id).outerjoin(rsm, Document.rsm_id == rsm.id))
            key = func.lower(func.coalesce(ro.name, rsm.name, ""))
            order = [key.desc() if c.descending else key, Document.ref]
        else:
            stmt = select(Document)
            cols = SORTS.get(c.sort, SORTS["next_review"])
            first = cols[0].desc() if c.descending else cols[0]
            # Documents without a review date sort last either way.
            order = [first.nulls_last(), *cols[1:]] if c.sort in ("next_review", "last_review") else [first, *cols[1:]]
        stmt = self._where(stmt, c).order_by(*order).offset(c.offset)
        if c.limit is not None:
            stmt = stmt.limit(c.limit)
        return snapshots((await self.s.execute(stmt)).scalars()), total

    async def choices(self) -> dict[str, list]:
        """The filters' options: owners (id, name), service areas, types and statuses in use."""
        areas = (await self.s.execute(select(Document.service_area).where(Document.service_area.is_not(None))
                                      .distinct().order_by(Document.service_area))).scalars()
        types = (await self.s.execute(select(Document.doc_type).distinct().order_by(Document.doc_type))).scalars()
        statuses = (await self.s.execute(select(Document.status).distinct().order_by(Document.status))).scalars()
        owner_ids = select(Document.ro_id).where(Document.ro_id.is_not(None)).union(
            select(Document.rsm_id).where(Document.rsm_id.is_not(None))).subquery()
        owners = (await self.s.execute(select(Person.id, Person.name).where(Person.id.in_(select(owner_ids)))
                                       .order_by(Person.name))).all()
        return {"owners": [(r[0], r[1]) for r in owners], "areas": list(areas), "types": list(types),
                "statuses": list(statuses)}

    async def draft_list(self, document_id: int) -> list[tuple]:
        """(number, filename, size, uploaded_by name, uploaded_at, tracked insertions, deletions, case id) per version."""
        stmt = (select(DraftVersion.number, DraftVersion.filename, DraftVersion.size, Person.name, DraftVersion.uploaded_at,
                       DraftVersion.tracked_insertions, DraftVersion.tracked_deletions, DraftVersion.case_id)
                .outerjoin(Person, Person.id == DraftVersion.uploaded_by)
                .where(DraftVersion.document_id == document_id).order_by(DraftVersion.number))
        return [tuple(r) for r in (await self.s.execute(stmt)).all()]

    async def draft_file(self, document_id: int, number: int) -> tuple[str, str] | None:
        """(file name, SHA-256) of a draft version; the file is in the data folder."""
        stmt = select(DraftVersion.filename, DraftVersion.sha256).where(
            DraftVersion.document_id == document_id, DraftVersion.number == number)
        row = (await self.s.execute(stmt)).first()
        return (row[0], row[1]) if row else None

    async def decisions_since(self, start: datetime, actions: list[str]) -> list[tuple[datetime, str]]:
        """(when, action) of every decision on a document since `start` (the audit log's own record)."""
        stmt = (select(AuditEntry.at, AuditEntry.action)
                .where(AuditEntry.entity == "document", AuditEntry.at >= start, AuditEntry.action.in_(actions))
                .order_by(AuditEntry.at))
        return [(r[0], r[1]) for r in (await self.s.execute(stmt)).all()]

    # ---------------------------------------------------------------- the reports page: counted by the database

    async def status_counts(self) -> list[tuple[str, int]]:
        """(status, how many documents) for every status in use, retired included."""
        stmt = select(Document.status, func.count()).group_by(Document.status)
        return [(r[0], int(r[1])) for r in (await self.s.execute(stmt)).all()]

    async def review_windows_by_area(self, today: date, windows: tuple[int, ...]) -> list[tuple[str | None, tuple[int, ...]]]:
        """(service area, (overdue, due within windows[0] days, the next window, ...)) for live documents
        with a review date: one row per area, counted in SQL (no document leaves the database)."""
        due = Document.next_review_due
        sums = [func.coalesce(func.sum(case((due < today, 1), else_=0)), 0)]
        start = today
        for days in windows:
            end = today + timedelta(days=days)
            sums.append(func.coalesce(func.sum(case((and_(due >= start, due <= end), 1), else_=0)), 0))
            start = end + timedelta(days=1)
        stmt = (select(Document.service_area, *sums)
                .where(Document.status != "retired", due.is_not(None)).group_by(Document.service_area))
        return [(r[0], tuple(int(x) for x in r[1:])) for r in (await self.s.execute(stmt)).all()]

    async def refs_of(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        """{document id: (ref, title)} for a few documents (this month's decisions)."""
        if not ids:
            return {}
        stmt = select(Document.id, Document.ref, Document.title).where(Document.id.in_(ids))
        return {r[0]: (r[1], r[2]) for r in (await self.s.execute(stmt)).all()}
