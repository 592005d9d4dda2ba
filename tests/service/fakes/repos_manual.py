"""The manual index in memory: chapters, amendments and sync runs, with the same methods, orderings and
shapes as store/manual_repo.py (held to services.ports.ManualRepository by
tests/store/test_repository_contract_ports.py). Full-text search is the store's work (tests/store):
the index here finds nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from services.ports import ChapterIndexRow, ChapterLightRow, Concept, DocumentSnapshot, ManualGeneration, RegisterSearchRow
from tests.service.fakes.records import ManualAmendment, ManualChapter, ManualSyncRun, change
from tests.service.fakes.repos_core import FakeRepo, Unique, doc_records

CHAPTERS = "manual_chapters"


class FakeManualRepo(FakeRepo):
    table_name = CHAPTERS

    @property
    def index(self) -> NoIndex:
        return NoIndex()

    # ------------------------------------------------------------------ chapters

    def _chapters(self) -> list[Any]:
        return sorted(self._rows(CHAPTERS), key=lambda c: c.id)

    async def count(self) -> int:
        return len(self.uow.table(CHAPTERS))

    async def light_rows(self) -> list[ChapterLightRow]:
        return [(c.id, c.url, c.title, c.section, c.content_hash, c.etag, c.last_modified, c.links)
                for c in self._chapters()]

    async def by_ids(self, ids: Sequence[int]) -> list[ManualChapter]:
        found = self.uow.table(CHAPTERS)
        return [found[i] for i in ids if i in found]  # type: ignore[misc]

    async def by_url(self, url: str) -> ManualChapter | None:
        return next((c for c in self._chapters() if c.url == url), None)

    async def by_title(self, title: str) -> list[ManualChapter]:
        return [c for c in self._chapters() if c.title.lower() == title.strip().lower()]

    async def add(self, **fields: Any) -> ManualChapter:
        chapter = ManualChapter(**fields)
        self._unique(CHAPTERS, chapter, "url")
        return self.uow.add(chapter)  # type: ignore[return-value]

    async def add_many(self, rows: list[dict[str, Any]]) -> list[ManualChapter]:
        return [await self.add(**fields) for fields in rows]

    async def change(self, chapter_id: int, **fields: Any) -> None:
        row = self.uow.table(CHAPTERS).get(chapter_id)
        if row is not None:  # an UPDATE of no row changes nothing
            change(row, f"ManualChapter {chapter_id}", fields)

    async def touch(self, ids: Iterable[int], at: datetime) -> None:
        for i in list(ids):
            await self.change(i, fetched_at=at)

    async def remove(self, ids: Iterable[int]) -> None:
        table = self.uow.table(CHAPTERS)
        for i in list(ids):
            table.pop(i, None)

    async def texts(self) -> list[tuple[str, str | None, str]]:
        return [(c.title, c.section, c.text) for c in self._chapters()]

    async def versions(self) -> dict[int, str]:
        return {c.id: c.content_hash for c in self._chapters()}

    async def for_index(self, ids: Sequence[int] | None = None) -> list[ChapterIndexRow]:
        wanted = None if ids is None else set(ids)
        return [(c.id, c.url, c.title, c.section, c.updated_on, c.content_hash, c.passages,
                 c.text if c.passages is None else None)
                for c in self._chapters() if wanted is None or c.id in wanted]

    async def generation(self) -> ManualGeneration:
        runs = [r.id for r in self._rows("manual_sync_runs")]
        chapters = [c.id for c in self._rows(CHAPTERS)]
        docs = self._rows("documents")
        changed = [d.updated_at for d in docs if d.updated_at is not None]
        drafts = [d.id for d in self._rows("draft_versions")]
        return (f"{max(runs, default=None)}:{len(chapters)}:{max(chapters, default=None)}",
                (str(len(docs)), str(max(changed, default=None))), max(drafts, default=None))

    # ------------------------------------------------------------------ register links

    def _live(self) -> list[Any]:
        return [d for d in self._rows("documents") if d.status != "retired"]

    async def register_rows(self) -> list[RegisterSearchRow]:
        return [(d.id, d.ref, d.title, d.doc_type, d.category, d.service_area, d.summary, d.manual_url, d.last_reviewed_on,
                 d.ro.id if d.ro else None, d.ro.name if d.ro else None, d.rsm.id if d.rsm else None,
                 d.rsm.name if d.rsm else None) for d in self._live()]

    async def documents_for(self, urls: Iterable[str], titles: Iterable[str]) -> list[DocumentSnapshot]:
        urls = [u for u in urls if u]
        titles = [t.strip().lower() for t in titles if t]
        return doc_records(self.uow, sorted((d for d in self._live() if d.manual_url in urls or d.title.lower() in titles),
                                            key=lambda d: d.ref))

    # ------------------------------------------------------------------ amendments and runs

    async def amendment_keys(self) -> set[tuple[str, str, str]]:
        return {(a.update_label, a.kind, a.title) for a in self._rows("manual_amendments")}

    async def add_amendment(self, **fields: Any) -> ManualAmendment:
        row = ManualAmendment(**fields)
        if (row.update_label, row.kind, row.title) in await self.amendment_keys():  # type: ignore[attr-defined]
            raise Unique("manual_amendments (update_label, kind, title) is taken")
        return self.uow.add(row)  # type: ignore[return-value]

    async def amendments(self, update_label: str | None = None) -> list[ManualAmendment]:
        return sorted((a for a in self._rows("manual_amendments") if update_label is None or a.update_label == update_label),
                      key=lambda a: a.id)

    async def latest_update_label(self) -> str | None:
        rows = sorted(self._rows("manual_amendments"),
                      key=lambda a: (a.published_on is not None, a.published_on or date.min, a.id), reverse=True)
        return rows[0].update_label if rows else None

    async def add_run(self, **fields: Any) -> ManualSyncRun:
        return self.uow.add(ManualSyncRun(**fields))  # type: ignore[return-value]

    async def runs(self, limit: int = 20) -> list[ManualSyncRun]:
        return sorted(self._rows("manual_sync_runs"), key=lambda r: -r.id)[:limit]

    async def last_good_run(self) -> ManualSyncRun | None:
        good = [r for r in self._rows("manual_sync_runs") if r.status != "failed"]
        return max(good, key=lambda r: r.id) if good else None


class NoIndex:
    """The full-text index, empty in the service tier."""

    async def search(self, concepts: Sequence[Concept], *, limit: int = 40, require_all: bool = False) -> list[Any]:
        return []
