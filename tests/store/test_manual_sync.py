"""Syncing the manual into the index, on SQLite and PostgreSQL: everything stored, updates picked up
with conditional requests, and a failed sync leaves the previous index in place."""

from __future__ import annotations

from datetime import date

import pytest

from services.clock import LONDON
from services.errors import BadInput
from services.manual.sync import new_update_published, refresh_if_due, sync_history, sync_manual
from services.manual.answers import find
from tests.support.trix_site import ADDED_IN_UPDATE, CHANGING_CHAPTER, REMOVED_IN_UPDATE, SLOW_CHAPTER


def _same_instant(stored, now) -> bool:
    """SQLite hands back the London wall time without its zone; PostgreSQL an aware time."""
    return (stored if stored.tzinfo else stored.replace(tzinfo=LONDON)) == now


async def _chapters(services) -> dict[str, tuple]:
    async with services.uow() as uow:
        return {r[1]: r for r in await uow.manual.light_rows()}


async def test_sync_stores_every_chapter_and_records_the_run(services, trix_site, fast):
    seen: list[tuple[int, int]] = []
    report = await sync_manual(services, trix_site.url, config=fast, progress=lambda d, t, _u: seen.append((d, t)))
    assert report.status == "partial"  # the broken link and the slow page
    stored = await _chapters(services)
    expected = {trix_site.origin + c.path for c in trix_site.chapters.values() if c.slug != SLOW_CHAPTER}
    assert set(stored) == expected and len(stored) >= 150
    assert report.chapters_in_index == len(stored) and len(report.added) == len(stored)
    assert {url for url, _ in report.failures} == {trix_site.origin + "/manual/chapters/pocket-money-old-version.html",
                                                   trix_site.origin + trix_site.chapters[SLOW_CHAPTER].path}
    assert seen[-1][0] == seen[-1][1] and len(seen) == seen[-1][1]

    async with services.uow() as uow:
        c = await uow.manual.by_url(trix_site.origin + trix_site.chapters["lac-reviews"].path)
        assert (c.title, c.section) == ("Looked After Reviews", "Children in Care")
        assert c.updated_on == trix_site.chapters["lac-reviews"].updated_on
        assert c.etag and c.last_modified and len(c.content_hash) == 64
        assert "Independent Reviewing Officer" in c.text
        assert len(await uow.manual.amendments()) == 6
        runs = await uow.manual.runs()
        assert [(r.status, r.chapters_added) for r in runs] == [("partial", len(stored))]
        audit = await uow.audit.for_entity("manual", runs[0].id)
        assert audit[0].action == "synced" and _same_instant(audit[0].at, services.clock.now())


async def test_second_sync_uses_conditional_requests_and_picks_up_the_update(services, trix_site, fast):
    await sync_manual(services, trix_site.url, config=fast)
    before = await _chapters(services)
    trix_site.publish_update()
    trix_site.requests.clear()
    services.clock.advance(days=7)
    report = await sync_manual(services, trix_site.url, config=fast)

    chapter_requests = [r for r in trix_site.requests if r.path.startswith("/manual/chapters/")]
    not_modified = [r for r in chapter_requests if r.status == 304]
    assert len(not_modified) >= 150
    assert all("If-None-Match" in r.headers for r in not_modified)
    assert report.not_modified == len(not_modified)

    changed_url = trix_site.origin + trix_site.chapters[CHANGING_CHAPTER].path
    assert changed_url in {c.url for c in report.changed}
    assert [c.url for c in report.added] == [trix_site.origin + f"/manual/chapters/{ADDED_IN_UPDATE}.html"]
    assert [c.url for c in report.removed] == [trix_site.origin + f"/manual/chapters/{REMOVED_IN_UPDATE}.html"]
    after = await _chapters(services)
    assert after[changed_url][4] != before[changed_url][4]  # content hash
    async with services.uow() as uow:
        fresh = await uow.manual.by_url(changed_url)
        assert "within 48 hours" in fresh.text and fresh.updated_on == date(2026, 12, 1)
        assert _same_instant(fresh.changed_at, services.clock.now())
        # Only the new update's three lines were added; the earlier ones were not duplicated.
        assert [a.update_label for a in await uow.manual.amendments()].count("December 2026 Update") == 3
        assert len(await uow.manual.amendments()) == 9
    # The new text is searchable at once (the index follows the table).
    outcome = await find(services, "missing persons coordinator", fresh=True)
    assert outcome.cited[0].title == "Children Missing from Home and Care"


@pytest.mark.parametrize(
    "breakage, words",
    [
        (lambda s: setattr(s, "layout", "app-shell"), "layout may have changed"),
        (lambda s: setattr(s, "contents_status", 503), "could not be read"),
    ],
    ids=["layout-change", "server-error"],
)
async def test_a_failed_sync_keeps_the_previous_index_and_reports_why(services, trix_site, fast, breakage, words):
    await sync_manual(services, trix_site.url, config=fast)
    before = await _chapters(services)
    breakage(trix_site)
    report = await sync_manual(services, trix_site.url, config=fast)
    assert report.status == "failed" and not report.ok
    assert words in report.message
    assert await _chapters(services) == before
    assert (await find(services, "s47", fresh=True)).cited[0].title == "Section 47 Enquiries"
    history = await sync_history(services)
    assert [h.status for h in history] == ["failed", "partial"]
    assert words in history[0].message


async def test_a_chapter_that_fails_keeps_its_previous_version(services, trix_site, fast):
    await sync_manual(services, trix_site.url, config=fast)
    url = trix_site.origin + trix_site.chapters["dols"].path
    before = (await _chapters(services))[url]
    trix_site.failing = {"dols"}
    report = await sync_manual(services, trix_site.url, config=fast)
    assert report.status == "partial"
    assert (url, "the server answered 500") in report.failures
    assert (await _chapters(services))[url] == before
    assert url not in {c.url for c in report.removed}


async def test_no_address_or_a_bad_one_is_a_polite_error(services):
    with pytest.raises(BadInput, match="POLICYBOT_MANUAL_URL"):
        await sync_manual(services)
    with pytest.raises(BadInput, match="not a web address"):
        await sync_manual(services, "file:///etc/passwd")
    async with services.uow() as uow:
        assert await uow.manual.runs() == []


async def test_refresh_syncs_weekly_and_when_a_new_update_is_published(services, trix_site, fast):
    assert (await refresh_if_due(services, trix_site.url, config=fast)) is not None
    services.clock.advance(days=3)
    trix_site.requests.clear()
    assert (await refresh_if_due(services, trix_site.url, config=fast)) is None
    # Nothing new: only robots.txt, the contents page and the amendments page were read.
    assert trix_site.paths() == ["/robots.txt", "/manual/", "/manual/amendments.html"]
    trix_site.publish_update()
    assert await new_update_published(services, trix_site.url, config=fast) == "December 2026 Update"
    report = await refresh_if_due(services, trix_site.url, config=fast)
    assert report is not None and report.new_amendments == 3
    services.clock.advance(days=2)
    assert (await refresh_if_due(services, trix_site.url, config=fast)) is None
    services.clock.advance(days=5)
    assert (await refresh_if_due(services, trix_site.url, config=fast)) is not None  # a week since the last


async def test_the_search_works_on_the_register_alone_before_any_sync(services):
    outcome = await find(services, "fostering panel")
    assert outcome.good and outcome.cited[0].ref == "PP-018"
