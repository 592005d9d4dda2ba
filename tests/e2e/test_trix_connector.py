"""The Tri.x connector against a realistic manual served on loopback (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from connectors.trix.crawler import USER_AGENT, Validators, crawl, find_updated_date, first_date_in
from tests.support.trix_manual_text import KEY_CHAPTERS
from tests.support.trix_site import BROKEN_LINK, CHANGING_CHAPTER, SLOW_CHAPTER, TrixSite


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Updated: 14 March 2025", date(2025, 3, 14)),
        ("This chapter was updated in March 2025.", date(2025, 3, 1)),
        ("Last reviewed: 03/02/2024", date(2024, 2, 3)),  # day first, as in the UK
        ("Amended in Sept 2024", date(2024, 9, 1)),
        ("Last updated on 1st December 2026 by the publisher", date(2026, 12, 1)),
        ("updated 2025-06-30", date(2025, 6, 30)),
    ],
)
def test_last_updated_dates_in_uk_styles(text, expected):
    assert find_updated_date(text) == expected


def test_dates_that_are_not_dates_are_ignored():
    assert first_date_in("31 February 2025") is None
    assert find_updated_date("Section 47 of the Children Act 1989") is None
    # The latest "updated" statement wins when a page carries two.
    assert find_updated_date("Updated: March 2024. Amended in January 2025.") == date(2025, 1, 1)


async def test_crawl_reads_every_chapter_with_section_date_links_and_amendments(trix_site, fast):
    result = await crawl(trix_site.url, config=fast)
    assert result.ok, result.fatal
    expected = {ch.path for ch in trix_site.chapters.values() if ch.slug != SLOW_CHAPTER}
    got = {c.url.removeprefix(trix_site.origin) for c in result.chapters}
    assert got == expected
    assert len(got) >= 150

    by_path = {c.url.removeprefix(trix_site.origin): c for c in result.chapters}
    missing = by_path[trix_site.chapters[CHANGING_CHAPTER].path]
    assert missing.title == "Children Missing from Home and Care"
    assert missing.section == "Child Protection"
    assert missing.updated_on == trix_site.chapters[CHANGING_CHAPTER].updated_on
    assert "return home interview" in missing.text
    # Navigation, header and footer are not chapter text.
    assert "Cookies" not in missing.text and "Demo Procedures Manual" not in missing.text
    assert {trix_site.origin + trix_site.chapters[s].path for s in KEY_CHAPTERS[CHANGING_CHAPTER][3]} == set(missing.links)
    # Every chapter's last-updated line was understood, whatever its style.
    for ch in trix_site.chapters.values():
        if ch.slug != SLOW_CHAPTER:
            assert by_path[ch.path].updated_on == ch.updated_on, ch.updated_text
    # A chapter listed straight on the contents page takes the heading above it as its section.
    assert by_path[trix_site.chapters["about-this-manual"].path].section == "Introduction"

    assert {a.update for a in result.amendments} == {"September 2026 Update", "March 2026 Update"}
    lac = next(a for a in result.amendments if a.title == "Looked After Reviews")
    assert (lac.kind, lac.published_on, lac.url) == ("updated", date(2026, 9, 1), trix_site.origin + trix_site.chapters["lac-reviews"].path)
    removed = next(a for a in result.amendments if a.kind == "removed")
    assert removed.title == "Children's Guardians (Old Guidance)" and removed.url is None

    failures = {f.url.removeprefix(trix_site.origin): f for f in result.failures}
    assert failures[f"/manual/chapters/{BROKEN_LINK}.html"].status == 404
    assert "no answer within" in failures[trix_site.chapters[SLOW_CHAPTER].path].reason
    assert len(failures) == 2


async def test_robots_txt_disallow_is_honoured_and_every_request_says_who_we_are(trix_site, fast):
    result = await crawl(trix_site.url, config=fast)
    assert not [p for p in trix_site.paths() if p.startswith("/manual/private/")]
    assert result.skipped_by_robots == [trix_site.origin + "/manual/private/drafts.html"]
    assert trix_site.paths()[0] == "/robots.txt"
    assert {r.headers.get("User-Agent") for r in trix_site.requests} == {USER_AGENT}


async def test_second_crawl_asks_conditionally_and_reads_only_what_changed(trix_site, fast):
    first = await crawl(trix_site.url, config=fast)
    known = {c.url: Validators(c.etag, c.last_modified) for c in first.chapters}
    trix_site.publish_update()
    trix_site.requests.clear()
    second = await crawl(trix_site.url, known=known, config=fast)
    assert second.ok
    chapter_requests = [r for r in trix_site.requests if r.path.startswith("/manual/chapters/")]
    conditional = [r for r in chapter_requests if "If-None-Match" in r.headers]
    assert len(conditional) >= 150
    assert all(r.headers["If-Modified-Since"] for r in conditional)
    assert sum(r.status == 304 for r in chapter_requests) >= 150
    changed = {c.url.removeprefix(trix_site.origin) for c in second.chapters}
    assert trix_site.chapters[CHANGING_CHAPTER].path in changed
    assert "/manual/chapters/children-missing-education.html" in changed
    fresh = next(c for c in second.chapters if c.url.endswith(f"/{CHANGING_CHAPTER}.html"))
    assert "within 48 hours" in fresh.text and fresh.updated_on == date(2026, 12, 1)
    # Unchanged pages answered 304 and are reported as such, not re-read.
    assert len(second.not_modified) == sum(r.status == 304 for r in chapter_requests)
    assert second.amendments[0].update == "December 2026 Update"


@pytest.mark.parametrize(
    "breakage, words",
    [
        (lambda s: setattr(s, "layout", "app-shell"), "layout may have changed"),
        (lambda s: setattr(s, "contents_status", 503), "contents page"),
        (lambda s: setattr(s, "robots_status", 503), "robots.txt could not be read"),
    ],
    ids=["layout-change", "contents-503", "robots-503"],
)
async def test_a_broken_site_is_a_fatal_result_not_an_exception(trix_site, fast, breakage, words):
    breakage(trix_site)
    result = await crawl(trix_site.url, config=fast)
    assert not result.ok
    assert words in result.fatal
    assert result.chapters == []


async def test_a_missing_robots_txt_means_no_restrictions(fast):
    site = await TrixSite(robots_status=404).start()
    try:
        result = await crawl(site.url, config=fast)
        assert result.ok
        assert any(p.startswith("/manual/private/") for p in site.paths())
    finally:
        await site.stop()


async def test_too_many_failing_chapters_fail_the_whole_crawl(trix_site, fast):
    trix_site.failing = set(list(trix_site.chapters)[: int(len(trix_site.chapters) * 0.6)])
    result = await crawl(trix_site.url, config=fast)
    assert not result.ok
    assert "could not be read" in result.fatal
