"""Keep the index of the online procedures manual: sync it, and say how the last syncs went.

A sync reads the whole manual first (the manual source, services.ports.ManualSource, which
connectors/trix/crawler.py implements and bot/bootstrap.py wires) and only then writes, in ONE
transaction with its audit record: a sync that fails (the site's layout changed, it timed out,
it answered errors) writes nothing but its own failed run, so the previous index stays in use.
Pages that fail on their own (a broken link, one slow page) are reported; a chapter that could
not be read keeps its previous version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from services.clock import LONDON
from services.context import Services
from services.errors import BadInput
from services.manual import answers
from services.ports import (
    CrawlConfig,
    CrawlResult,
    ManualProgress,
    ManualSource,
    Validators,
)

MANUAL_URL_SETTING = "POLICYBOT_MANUAL_URL"
REFRESH_EVERY = timedelta(days=7)
SOURCE = "manual_source"  # the adapter's name in Services.adapters


def manual_source(services: Services) -> ManualSource:
    """The manual source the composition root wired (connectors/trix/crawler.TrixManual)."""
    source = services.adapters.get(SOURCE)
    if source is None:
        raise BadInput("This policybot has no way to read the manual (no manual source is set up).")
    result: ManualSource = source
    return result


@dataclass(frozen=True)
class ChangedChapter:
    id: int
    url: str
    title: str
    how: str  # added | changed | removed


@dataclass(frozen=True)
class SyncReport:
    run_id: int
    status: str  # ok | partial | failed
    base_url: str
    message: str
    added: tuple[ChangedChapter, ...] = ()
    changed: tuple[ChangedChapter, ...] = ()
    removed: tuple[ChangedChapter, ...] = ()
    unchanged: int = 0
    chapters_in_index: int = 0
    new_amendments: int = 0
    failures: tuple[tuple[str, str], ...] = ()  # (url, reason)
    skipped_by_robots: tuple[str, ...] = ()
    requests: int = 0
    not_modified: int = 0

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def manual_url(services: Services, given: str | None = None) -> str:
    """The manual's address: the one given, or the POLICYBOT_MANUAL_URL setting."""
    url = (given or services.config.manual_url or "").strip()
    if not url:
        raise BadInput(f"I don't know where the manual is: give its address, or set {MANUAL_URL_SETTING}.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadInput(f"{url!r} is not a web address: it should start with https://")
    return manual_source(services).address(url)


def crawl_config(services: Services, *, delay: float | None = None) -> CrawlConfig:
    return CrawlConfig(delay=services.config.manual_delay if delay is None else delay, timeout=services.config.manual_timeout)


async def sync_manual(
    services: Services,
    base_url: str | None = None,
    *,
    config: CrawlConfig | None = None,
    progress: ManualProgress | None = None,
) -> SyncReport:
    url = manual_url(services, base_url)
    config = config or crawl_config(services)
    started = services.clock.now()
    async with services.uow() as uow:
        known = {row[1]: Validators(row[5], row[6]) for row in await uow.manual.light_rows()}
    result = await manual_source(services).read(url, known=known, config=config, progress=progress)
    return await store_crawl(services, result, started)


async def store_crawl(services: Services, result: CrawlResult, started: datetime) -> SyncReport:
    """Write what a crawl read into the index, in one transaction (or only a failed run when the crawl failed)."""
    now = services.clock.now()
    failures = tuple((f.url, f.reason) for f in result.failures)
    errors = [{"url": f.url, "reason": f.reason, "status": f.status} for f in result.failures]
    async with services.uow() as uow:
        if not result.ok:
            run = await uow.manual.add_run(
                base_url=result.base_url, started_at=started, finished_at=now, status="failed",
                requests=result.requests, chapters_seen=0, chapters_added=0, chapters_changed=0,
                chapters_unchanged=0, chapters_removed=0, amendments_new=0, message=result.fatal,
                errors=errors,
            )
            await uow.audit.record(at=now, actor=None, entity="manual", entity_id=run.id, action="sync_failed",
                                   summary=f"Manual sync failed: {result.fatal}", details={"failures": errors[:50]})
            count = await uow.manual.count()
            await uow.commit()
            return SyncReport(run.id, "failed", result.base_url, result.fatal or "failed", chapters_in_index=count,
                              failures=failures, skipped_by_robots=tuple(result.skipped_by_robots),
                              requests=result.requests)

        rows = {r[1]: r for r in await uow.manual.light_rows()}
        changed: list[ChangedChapter] = []
        unchanged_ids: list[int] = []
        new_rows: list[dict[str, Any]] = []
        for page in result.chapters:
            row = rows.get(page.url)
            fields = dict(title=page.title, section=page.section, text=page.text, updated_on=page.updated_on,
                          etag=page.etag, last_modified=page.last_modified, content_hash=page.content_hash,
                          links=list(page.links), passages=[p.to_json() for p in page.passages], fetched_at=now)
            if row is None:
                new_rows.append(dict(url=page.url, first_seen_at=now, changed_at=now, **fields))
            elif row[4] != page.content_hash or row[3] != page.section or list(row[7] or []) != list(page.links):
                content_changed = row[4] != page.content_hash
                await uow.manual.change(row[0], **fields, **({"changed_at": now} if content_changed else {}))
                if content_changed:
                    changed.append(ChangedChapter(row[0], page.url, page.title, "changed"))
                else:
                    unchanged_ids.append(row[0])
            else:  # fetched in full but the same (the server sent no validators we could use)
                await uow.manual.change(row[0], etag=page.etag, last_modified=page.last_modified, fetched_at=now)
                unchanged_ids.append(row[0])
        added = [ChangedChapter(c.id, c.url, c.title, "added") for c in await uow.manual.add_many(new_rows)]
        for link_url, (section, _title) in result.not_modified.items():
            row = rows.get(link_url)
            if row is None:
                continue
            if section and section != row[3]:
                await uow.manual.change(row[0], section=section)
            unchanged_ids.append(row[0])
        await uow.manual.touch(unchanged_ids, now)

        removed: list[ChangedChapter] = []
        if result.complete:
            failed = {f.url for f in result.failures}
            seen = result.chapter_urls
            gone = [r for u, r in rows.items() if u not in seen and u not in failed]
            removed = [ChangedChapter(r[0], r[1], r[2], "removed") for r in gone]
            await uow.manual.remove(r[0] for r in gone)

        keys = await uow.manual.amendment_keys()
        new_amendments = []
        for a in result.amendments:
            key = (a.update[:200], a.kind, a.title[:300])
            if key in keys:
                continue
            keys.add(key)
            new_amendments.append(a)
        status = "partial" if result.failures else "ok"
        message = (f"{len(added)} added, {len(changed)} changed, {len(removed)} removed, "
                   f"{len(unchanged_ids)} unchanged" + (f"; {len(result.failures)} pages failed" if result.failures else ""))
        run = await uow.manual.add_run(
            base_url=result.base_url, started_at=started, finished_at=now, status=status, requests=result.requests,
            chapters_seen=len(result.chapters) + len(result.not_modified), chapters_added=len(added),
            chapters_changed=len(changed), chapters_unchanged=len(unchanged_ids), chapters_removed=len(removed),
            amendments_new=len(new_amendments), message=message, errors=errors,
        )
        for a in new_amendments:
            await uow.manual.add_amendment(update_label=a.update[:200], published_on=a.published_on, kind=a.kind,
                                           title=a.title[:300], url=a.url, note=a.note, first_seen_at=now,
                                           sync_run_id=run.id)
        await uow.audit.record(
            at=now, actor=None, entity="manual", entity_id=run.id, action="synced", summary=f"Manual synced: {message}",
            details={"base_url": result.base_url, "added": [c.url for c in added][:200],
                     "changed": [c.url for c in changed][:200], "removed": [c.url for c in removed][:200],
                     "failures": errors[:50]},
        )
        count = await uow.manual.count()
        await uow.commit()
    answers.changed(services)  # re-index the changed chapters before the next answer
    return SyncReport(
        run.id, status, result.base_url, message, tuple(added), tuple(changed), tuple(removed), len(unchanged_ids),
        count, len(new_amendments), failures, tuple(result.skipped_by_robots), result.requests, len(result.not_modified),
    )


@dataclass(frozen=True)
class SyncRunView:
    id: int
    status: str
    started_at: datetime
    finished_at: datetime
    message: str
    errors: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)


async def sync_history(services: Services, limit: int = 10) -> list[SyncRunView]:
    async with services.uow() as uow:
        return [SyncRunView(r.id, r.status, r.started_at, r.finished_at, r.message or "", tuple(r.errors or ()))
                for r in await uow.manual.runs(limit)]


def _aware(at: datetime) -> datetime:
    """SQLite hands back the stored London wall time without its zone."""
    return at if at.tzinfo else at.replace(tzinfo=LONDON)


async def new_update_published(services: Services, base_url: str | None = None, *,
                               config: CrawlConfig | None = None) -> str | None:
    """The heading of an update on the manual's amendments page that the index has not seen yet
    (robots.txt, contents and amendments pages only), or None."""
    url = manual_url(services, base_url)
    result = await manual_source(services).read(url, config=config or crawl_config(services), amendments_only=True)
    if not result.ok:
        return None
    async with services.uow() as uow:
        seen = {label for label, _kind, _title in await uow.manual.amendment_keys()}
    fresh = [a for a in result.amendments if a.update[:200] not in seen]
    return fresh[0].update if fresh else None


async def refresh_if_due(services: Services, base_url: str | None = None, *, every: timedelta = REFRESH_EVERY,
                         config: CrawlConfig | None = None) -> SyncReport | None:
    """The scheduler's sweep (run it daily): a full sync when the last good one is older than
    `every` (weekly), or when the amendments page shows an update the index has not seen.
    Idempotent; unchanged chapters cost a 304 each."""
    async with services.uow() as uow:
        last = await uow.manual.last_good_run()
    due = last is None or services.clock.now() - _aware(last.finished_at) >= every
    if not due and await new_update_published(services, base_url, config=config) is None:
        return None
    return await sync_manual(services, base_url, config=config)
