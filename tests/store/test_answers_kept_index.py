"""The answer index is kept in the database (issue 16 item 6): a restart reads it instead of indexing
every passage again, answers exactly as a fresh build does, and a sync made while the bot was down
re-indexes only the chapters it changed, added or removed. An index kept by other indexing code, or
damaged, is built again. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from connectors.trix.crawler import CrawlConfig
from services.manual import answers, index_file
from services.manual.sync import sync_manual
from store.uow import Store
from tests.store.answer_questions import QUESTIONS
from tests.support.runtime import services_for
from tests.support.trix_site import ADDED_IN_UPDATE, CHANGING_CHAPTER, REMOVED_IN_UPDATE, TrixSite

PATIENT = CrawlConfig(delay=0.0, concurrency=6, timeout=15.0, retries=1)


@pytest.fixture
async def site():
    running = await TrixSite(slow_seconds=0.2).start()
    try:
        yield running
    finally:
        await running.stop()


async def _restarted(services):
    """A new process on the same database: its own store and services, nothing held in memory."""
    store = Store(services.settings.database_url)
    return store, services_for(Settings(database_url=services.settings.database_url), clock=services.clock, store=store)


def _answers(found) -> list[tuple]:
    return [(f.kind, f.quote, tuple((c.title, c.url) for c in f.cited)) for f in found]


async def test_a_restart_reads_the_kept_index_and_answers_as_a_fresh_build(services, site):
    """Issue 16 item 6 (first search after start): the index built at start is kept; the next start reads
    it (nothing indexed again) and gives the same answers, passage for passage."""
    assert (await sync_manual(services, site.url, config=PATIENT)).ok
    built = await answers.warm(services)
    async with services.uow() as uow:
        assert await uow.answers.kept_index(index_file.index_format()) is not None
    questions = [q for q, _ in QUESTIONS[:40]]
    fresh = [await answers.find(services, q) for q in questions]

    store, again = await _restarted(services)
    try:
        assert await answers.warm(again) == built
        held = await answers.current_index(again)
        assert held.last_refresh == (frozenset(), frozenset())  # read, not indexed again
        assert held.kept == held.index.generation
        assert _answers([await answers.find(again, q) for q in questions]) == _answers(fresh)
    finally:
        await store.close()


async def test_a_sync_while_the_bot_was_down_reindexes_only_what_it_changed(services, site):
    """Issue 16 item 7 with item 6: the kept index is read, then only the chapters the sync changed, added
    or removed are indexed again; the removed chapter is never cited, and the new build is kept."""
    assert (await sync_manual(services, site.url, config=PATIENT)).ok
    await answers.warm(services)
    site.publish_update()
    report = await sync_manual(services, site.url, config=PATIENT)
    assert report.ok and len(report.removed) == 1

    store, again = await _restarted(services)
    try:
        await answers.warm(again)
        held = await answers.current_index(again)
        reindexed, dropped = held.last_refresh
        assert reindexed == {c.id for c in report.changed + report.added}
        async with again.uow() as uow:
            urls = {cid: url for cid, url, *_ in await uow.manual.light_rows()}
        assert {urls[c].rsplit("/", 1)[-1].removesuffix(".html") for c in reindexed} >= {CHANGING_CHAPTER, ADDED_IN_UPDATE}
        assert len(reindexed) < len(urls) // 10
        assert len(dropped) == 1
        after = await answers.find(again, "return home interview within 48 hours")
        assert "48 hours" in (after.quote or "").replace("**", "")  # the changed chapter's new paragraph
        assert not [s for s in held.index.sources() if REMOVED_IN_UPDATE in (s.url or "")]  # it left the index
        async with again.uow() as uow:
            kept = await uow.answers.kept_index(index_file.index_format())
        assert kept is not None
        index, _drafts = index_file.unpack(kept)
        assert index.versions("chapter") == held.index.versions("chapter")  # the new build was kept
    finally:
        await store.close()


async def test_an_index_kept_by_other_indexing_code_or_damaged_is_built_again(services, site, monkeypatch):
    """Issue 16 item 6: the kept index names the code that built it; another code's, or a damaged one, is
    not read: the index is built from the database, and kept again."""
    assert (await sync_manual(services, site.url, config=PATIENT)).ok
    built = await answers.warm(services)
    async with services.uow() as uow:
        good = await uow.answers.kept_index(index_file.index_format())
        assert good is not None
        await uow.answers.keep_index(index_file.index_format(), good[: len(good) // 2], at=services.clock.now(), passages=built)
        await uow.commit()
    with pytest.raises(ValueError):
        index_file.unpack(good[: len(good) // 2])

    store, again = await _restarted(services)
    try:
        assert await answers.warm(again) == built
        held = await answers.current_index(again)
        assert len(held.last_refresh[0]) > 100  # every chapter indexed
        async with again.uow() as uow:
            repaired = await uow.answers.kept_index(index_file.index_format())
        assert repaired is not None and index_file.unpack(repaired)[0].passage_count() == built
    finally:
        await store.close()

    index_file.index_format.cache_clear()
    monkeypatch.setattr(index_file, "index_format", lambda: "answers:other-code")
    store, third = await _restarted(services)
    try:
        await answers.warm(third)
        held = await answers.current_index(third)
        assert len(held.last_refresh[0]) > 100  # not the other code's: built again
    finally:
        await store.close()
