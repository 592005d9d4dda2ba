"""The manual index's repository: chapters, amendments, sync runs, and the search index."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from collections.abc import Iterable, Sequence

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from store.manual_models import ManualAmendment, ManualChapter, ManualSyncRun
from store.manual_search import SearchIndex
from store.case_models import DraftVersion
from services.ports import DocumentSnapshot
from store.document_repo import snapshots
from store.models import Document, Person


# Chapters change only through a sync, which records a run; a chapter added or removed outside a sync
# (an import, a fix by hand) counts too; the register is small.
_GENERATION = select(
    select(func.max(ManualSyncRun.id)).scalar_subquery(),
    select(func.count()).select_from(ManualChapter).scalar_subquery(),
    select(func.max(ManualChapter.id)).scalar_subquery(),
    select(func.count()).select_from(Document).scalar_subquery(),
    select(func.max(Document.updated_at)).scalar_subquery(),
    select(func.max(DraftVersion.id)).scalar_subquery(),
)


class ManualRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session
        self.index = SearchIndex(session)

    # ------------------------------------------------------------------ chapters

    async def count(self) -> int:
        return (await self.s.execute(select(func.count()).select_from(ManualChapter))).scalar_one()

    async def light_rows(self) -> list[tuple[int, str, str, str | None, str, str | None, str | None, list]]:
        """(id, url, title, section, content_hash, etag, last_modified, links) of every chapter."""
        stmt = select(ManualChapter.id, ManualChapter.url, ManualChapter.title, ManualChapter.section,
                      ManualChapter.content_hash, ManualChapter.etag, ManualChapter.last_modified, ManualChapter.links)
        return [tuple(r) for r in (await self.s.execute(stmt)).all()]

    async def by_ids(self, ids: Sequence[int]) -> list[ManualChapter]:
        if not ids:
            return []
        rows = (await self.s.execute(select(ManualChapter).where(ManualChapter.id.in_(list(ids))))).scalars()
        found = {c.id: c for c in rows}
        return [found[i] for i in ids if i in found]

    async def by_url(self, url: str) -> ManualChapter | None:
        return (await self.s.execute(select(ManualChapter).where(ManualChapter.url == url))).scalar_one_or_none()

    async def by_title(self, title: str) -> list[ManualChapter]:
        stmt = select(ManualChapter).where(func.lower(ManualChapter.title) == title.strip().lower())
        return list((await self.s.execute(stmt)).scalars())

    async def add(self, **fields: Any) -> ManualChapter:
        chapter = ManualChapter(**fields)
        self.s.add(chapter)
        await self.s.flush()
        return chapter

    async def add_many(self, rows: list[dict[str, Any]]) -> list[ManualChapter]:
        """Insert many chapters with one flush (ids are set afterwards)."""
        chapters = [ManualChapter(**fields) for fields in rows]
        self.s.add_all(chapters)
        await self.s.flush()
        return chapters

    async def change(self, chapter_id: int, **fields: Any) -> None:
        await self.s.execute(update(ManualChapter).where(ManualChapter.id == chapter_id).values(**fields)
                             .execution_options(synchronize_session=False))

    async def touch(self, ids: Iterable[int], at: datetime) -> None:
        ids = list(ids)
        for start in range(0, len(ids), 500):
            await self.s.execute(update(ManualChapter).where(ManualChapter.id.in_(ids[start:start + 500]))
                                 .values(fetched_at=at).execution_options(synchronize_session=False))

    async def remove(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), 500):
            await self.s.execute(delete(ManualChapter).where(ManualChapter.id.in_(ids[start:start + 500])))

    async def texts(self) -> list[tuple[str, str | None, str]]:
        """(title, section, text) of every chapter: the words the typo corrector may suggest."""
        stmt = select(ManualChapter.title, ManualChapter.section, ManualChapter.text)
        return [(title, section, text) for title, section, text in (await self.s.execute(stmt)).all()]

    async def versions(self) -> dict[int, str]:
        """{chapter id: content hash} of every chapter: what the answer index compares with its own."""
        rows = (await self.s.execute(select(ManualChapter.id, ManualChapter.content_hash))).all()
        return {r[0]: r[1] for r in rows}

    async def for_index(self, ids: Sequence[int] | None = None) -> list[tuple]:
        """(id, url, title, section, updated_on, content_hash, passages, text) of these chapters (all when None).
        `text` only where a chapter has no passages yet (indexed before passages were kept)."""
        stmt = select(ManualChapter.id, ManualChapter.url, ManualChapter.title, ManualChapter.section,
                      ManualChapter.updated_on, ManualChapter.content_hash, ManualChapter.passages,
                      case((ManualChapter.passages.is_(None), ManualChapter.text), else_=None))
        if ids is None:
            return [tuple(r) for r in (await self.s.execute(stmt)).all()]
        out: list[tuple] = []
        ids = list(ids)
        for start in range(0, len(ids), 500):
            out += [tuple(r) for r in (await self.s.execute(stmt.where(ManualChapter.id.in_(ids[start:start + 500])))).all()]
        return out

    async def generation(self) -> tuple:
        """Changes whenever the searchable content may have changed (cache key). One statement: it is
        asked before every answer."""
        last_run, chapters, last_chapter, docs, docs_changed, drafts = (await self.s.execute(_GENERATION)).one()
        return (f"{last_run}:{chapters}:{last_chapter}", (str(docs), str(docs_changed)), drafts)

    # ------------------------------------------------------------------ register links

    async def register_rows(self) -> list[tuple]:
        """Light rows of the live register for search: (id, ref, title, doc_type, category, service_area,
        summary, manual_url, last_reviewed_on, ro_id, ro_name, rsm_id, rsm_name)."""
        ro = aliased(Person)
        rsm = aliased(Person)
        stmt = (
            select(Document.id, Document.ref, Document.title, Document.doc_type, Document.category,
                   Document.service_area, Document.summary, Document.manual_url, Document.last_reviewed_on,
                   ro.id, ro.name, rsm.id, rsm.name)
            .outerjoin(ro, Document.ro_id == ro.id)
            .outerjoin(rsm, Document.rsm_id == rsm.id)
            .where(Document.status != "retired")
        )
        return [tuple(r) for r in (await self.s.execute(stmt)).all()]

    async def documents_for(self, urls: Iterable[str], titles: Iterable[str]) -> list[DocumentSnapshot]:
        """Register documents that are, or point at, these chapters (by manual link or same title)."""
        urls = [u for u in urls if u]
        titles = [t.strip().lower() for t in titles if t]
        if not urls and not titles:
            return []
        conds = []
        if urls:
            conds.append(Document.manual_url.in_(urls))
        if titles:
            conds.append(func.lower(Document.title).in_(titles))
        stmt = select(Document).where(or_(*conds)).where(Document.status != "retired").order_by(Document.ref)
        return snapshots((await self.s.execute(stmt)).scalars())

    # ------------------------------------------------------------------ amendments and runs

    async def amendment_keys(self) -> set[tuple[str, str, str]]:
        rows = (await self.s.execute(select(ManualAmendment.update_label, ManualAmendment.kind, ManualAmendment.title))).all()
        return {(label, kind, title) for label, kind, title in rows}

    async def add_amendment(self, **fields: Any) -> ManualAmendment:
        row = ManualAmendment(**fields)
        self.s.add(row)
        await self.s.flush()
        return row

    async def amendments(self, update_label: str | None = None) -> list[ManualAmendment]:
        stmt = select(ManualAmendment).order_by(ManualAmendment.id)
        if update_label is not None:
            stmt = stmt.where(ManualAmendment.update_label == update_label)
        return list((await self.s.execute(stmt)).scalars())

    async def latest_update_label(self) -> str | None:
        stmt = (select(ManualAmendment.update_label)
                .order_by(ManualAmendment.published_on.desc().nulls_last(), ManualAmendment.id.desc()).limit(1))
        return (await self.s.execute(stmt)).scalar_one_or_none()

    async def add_run(self, **fields: Any) -> ManualSyncRun:
        run = ManualSyncRun(**fields)
        self.s.add(run)
        await self.s.flush()
        return run

    async def runs(self, limit: int = 20) -> list[ManualSyncRun]:
        stmt = select(ManualSyncRun).order_by(ManualSyncRun.id.desc()).limit(limit)
        return list((await self.s.execute(stmt)).scalars())

    async def last_good_run(self) -> ManualSyncRun | None:
        stmt = (select(ManualSyncRun).where(ManualSyncRun.status != "failed")
                .order_by(ManualSyncRun.id.desc()).limit(1))
        return (await self.s.execute(stmt)).scalar_one_or_none()
