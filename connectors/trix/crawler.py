"""Read a Tri.x-style online procedures manual over HTTP, politely.

A Tri.x manual is a public website: a contents page, chapters grouped in sections (either
listed under headings on the contents page or on one page per section), one page per chapter
and an amendments page listing what each update changed. This module fetches (the parsing of
each page is in connectors/trix/pages.py); it knows nothing of the database. `crawl()` returns what
it read and what failed; TrixManual offers it as the manual source port (services.ports.ManualSource),
and the caller (services/manual/sync.py) decides whether to replace the stored index.

Politeness: robots.txt is read first and obeyed (RFC 9309: a 4xx robots.txt means no rules,
a 5xx or unreachable one means "do not crawl"); requests are spaced by a configurable delay (or
the site's Crawl-delay when larger) with at most `concurrency` in flight; chapter pages are
fetched conditionally (If-None-Match / If-Modified-Since) with the validators from the last
sync, so an unchanged chapter costs a 304 and no body; every request carries a user agent that
says who we are.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

import aiohttp

from connectors.trix.pages import (
    MONTHS,
    Link,
    Site,
    find_updated_date,
    first_date_in,
    is_amendments_link,
    is_listing,
    main_content,
    normalise_url,
    parse_amendments,
    parse_chapter,
    parse_page,
    words_of,
)
from services.ports import (
    Amendment,
    ChapterPage,
    CrawlConfig,
    CrawlResult,
    PageFailure,
    Validators,
)
from services.ports import ManualProgress as Progress

__all__ = [  # the names this module has always offered, wherever they are defined now
    "Amendment", "ChapterPage", "CrawlConfig", "CrawlResult", "PageFailure", "Progress", "Validators",
    "FetchError", "Fetched", "Link", "MONTHS", "ROBOTS_AGENT", "Site", "TrixManual", "USER_AGENT", "crawl",
    "find_updated_date", "first_date_in", "is_amendments_link", "is_listing", "main_content", "normalise_url",
    "parse_amendments", "parse_chapter", "parse_page", "words_of",
]


USER_AGENT = CrawlConfig.user_agent
ROBOTS_AGENT = "policybot"


class FetchError(Exception):
    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    text: str
    etag: str | None
    last_modified: str | None


# --------------------------------------------------------------------------- fetching


class _Fetcher:
    def __init__(self, session: aiohttp.ClientSession, config: CrawlConfig) -> None:
        self.session = session
        self.config = config
        self.delay = config.delay
        self._gate = asyncio.Lock()
        self._next = 0.0
        self._slots = asyncio.Semaphore(max(1, config.concurrency))
        self.requests = 0

    async def _wait_turn(self) -> None:
        async with self._gate:
            now = time.monotonic()
            if self._next > now:
                await asyncio.sleep(self._next - now)
            self._next = max(now, self._next) + self.delay

    async def get(self, url: str, validators: Validators | None = None) -> Fetched:
        headers = {}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        last: FetchError | None = None
        for attempt in range(self.config.retries + 1):
            async with self._slots:
                await self._wait_turn()
                self.requests += 1
                try:
                    timeout = aiohttp.ClientTimeout(total=self.config.timeout)
                    async with self.session.get(url, headers=headers, timeout=timeout, allow_redirects=True) as resp:
                        status = resp.status
                        if status == 304:
                            return Fetched(url, 304, "", resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
                        if status == 429 or status >= 500:
                            last = FetchError(f"the server answered {status}", status)
                            retry_after = resp.headers.get("Retry-After", "")
                            pause = float(retry_after) if retry_after.isdigit() else self.delay
                        elif status >= 400:
                            raise FetchError(f"the server answered {status}", status)
                        else:
                            body = await resp.read()
                            charset = resp.charset or "utf-8"
                            try:
                                text = body.decode(charset, errors="replace")
                            except LookupError:
                                text = body.decode("utf-8", errors="replace")
                            return Fetched(normalise_url(str(resp.url)), status, text,
                                           resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
                except TimeoutError:
                    last = FetchError(f"no answer within {self.config.timeout:g} seconds")
                    pause = self.delay
                except aiohttp.ClientError as exc:
                    last = FetchError(f"could not connect ({exc.__class__.__name__})")
                    pause = self.delay
            if attempt < self.config.retries:
                await asyncio.sleep(min(pause, 60.0))
        assert last is not None
        raise last


async def _robots(fetcher: _Fetcher, site: Site) -> tuple[RobotFileParser | None, str | None]:
    """(parser, None) when we may crawl by its rules, (None, None) when there are no rules,
    (None, reason) when we must not crawl at all."""
    url = site.origin + "/robots.txt"
    try:
        got = await fetcher.get(url)
    except FetchError as exc:
        if exc.status is not None and 400 <= exc.status < 500:
            return None, None  # RFC 9309: an unavailable robots.txt means no restrictions
        return None, f"robots.txt could not be read ({exc.reason}), so the manual was not crawled"
    rp = RobotFileParser(url)
    rp.parse(got.text.splitlines())
    return rp, None


# --------------------------------------------------------------------------- crawl


async def crawl(
    base_url: str,
    *,
    known: Mapping[str, Validators] | None = None,
    config: CrawlConfig | None = None,
    progress: Progress | None = None,
    session: aiohttp.ClientSession | None = None,
    amendments_only: bool = False,
) -> CrawlResult:
    """Read the whole manual (or, with amendments_only, just its amendments page: three requests
    to see whether a new update was published). Never raises for a site problem: failures are in
    the result."""
    config = config or CrawlConfig()
    known = known or {}
    site = Site(base_url)
    result = CrawlResult(base_url=site.base)
    own_session = session is None
    if session is None:
        session = aiohttp.ClientSession(headers={"User-Agent": config.user_agent})
    try:
        fetcher = _Fetcher(session, config)
        await _crawl(fetcher, site, result, known, config, progress, amendments_only)
        result.requests = fetcher.requests
    finally:
        if own_session:
            await session.close()
    return result


class _Crawl:
    """One read of the manual: the steps share the site's robots.txt rules, the fetcher, the result
    and the chapters found so far (url -> (section, linked title))."""

    def __init__(self, fetcher: _Fetcher, site: Site, result: CrawlResult, known: Mapping[str, Validators],
                 config: CrawlConfig, progress: Progress | None) -> None:
        self.fetcher, self.site, self.result, self.known = fetcher, site, result, known
        self.config, self.progress = config, progress
        self.robots: RobotFileParser | None = None
        self.chapters: dict[str, tuple[str | None, str]] = {}
        self.nav_urls: set[str] = set()
        self.done = self.total = 0

    def allowed(self, url: str) -> bool:
        if self.robots is None or self.robots.can_fetch(ROBOTS_AGENT, url):
            return True
        if url not in self.result.skipped_by_robots:
            self.result.skipped_by_robots.append(url)
        return False

    async def contents(self) -> list[Link] | None:
        """robots.txt, then the contents page's links; None (and the result's fatal) when it can't be read."""
        self.robots, refusal = await _robots(self.fetcher, self.site)
        if refusal:
            self.result.fatal = refusal
            return None
        crawl_delay = self.robots.crawl_delay(ROBOTS_AGENT) if self.robots is not None else None
        if crawl_delay:
            self.fetcher.delay = max(self.fetcher.delay, float(crawl_delay))
        if not self.allowed(self.site.base):
            self.result.fatal = "robots.txt does not allow policybot to read the manual's contents page"
            return None
        try:
            contents = await self.fetcher.get(self.site.base)
        except FetchError as exc:
            self.result.fatal = f"the contents page {self.site.base} could not be read: {exc.reason}"
            return None
        return self.site.links(contents.url, main_content(parse_page(contents.text)))

    def sort_links(self, links: list[Link]) -> tuple[str | None, list[Link]]:
        """(the amendments page, the pages to visit): section pages (mostly links) or chapters listed
        under section headings."""
        amendments_url: str | None = None
        candidates: list[Link] = []
        for link in links:
            if is_amendments_link(link):
                amendments_url = amendments_url or link.url
            elif link.url != self.site.base and self.allowed(link.url):
                candidates.append(link)
        self.nav_urls = {link.url for link in candidates} | {self.site.base}
        return amendments_url, candidates

    async def amendments_only(self, amendments_url: str | None) -> None:
        if not amendments_url or not self.allowed(amendments_url):
            self.result.fatal = "the contents page has no amendments page that policybot may read"
            return
        try:
            got = await self.fetcher.get(amendments_url)
        except FetchError as exc:
            self.result.fatal = f"the amendments page could not be read: {exc.reason}"
            return
        self.result.amendments = parse_amendments(got.url, got.text, self.site)
        self.result.amendments_read = True

    async def amendments(self, amendments_url: str) -> None:
        try:
            got = await self.fetcher.get(amendments_url)
            self.result.amendments = parse_amendments(got.url, got.text, self.site)
            self.result.amendments_read = True
        except FetchError as exc:
            self.result.failures.append(PageFailure(amendments_url, f"amendments page: {exc.reason}", exc.status))

    async def visit(self, link: Link) -> None:
        """A page linked from the contents: a section listing (its chapters are noted) or a chapter."""
        result = self.result
        try:
            got = await self.fetcher.get(link.url, self.known.get(link.url))
        except FetchError as exc:
            result.failures.append(PageFailure(link.url, exc.reason, exc.status))
            result.complete = False
            return
        if got.status == 304:  # a chapter listed on the contents page, unchanged
            self.chapters[link.url] = (link.heading, link.text)
            result.not_modified[link.url] = (link.heading, link.text)
            return
        page = parse_page(got.text)
        page_main = main_content(page)
        page_links = self.site.links(got.url, page_main)
        if is_listing(page_main, page_links):
            h1 = page_main.xpath(".//h1") or page.xpath("//h1")
            section = words_of(h1[0]) if h1 else link.text
            result.sections.append(section)
            for sub in page_links:
                if sub.url in self.nav_urls or is_amendments_link(sub) or not self.allowed(sub.url):
                    continue
                self.chapters.setdefault(sub.url, (section, sub.text))
            return
        chapter = parse_chapter(got.url, got.text, section=link.heading, linked_title=link.text, site=self.site,
                                etag=got.etag, last_modified=got.last_modified)
        if chapter is None:
            result.failures.append(PageFailure(link.url, "no chapter content found on the page"))
        else:
            result.chapters.append(chapter)
            self.chapters[link.url] = (link.heading, link.text)

    async def read(self, url: str, section: str | None, title: str) -> None:
        result = self.result
        try:
            got = await self.fetcher.get(url, self.known.get(url))
            if got.status == 304:
                result.not_modified[url] = (section, title)
            else:
                chapter = parse_chapter(got.url, got.text, section=section, linked_title=title, site=self.site,
                                        etag=got.etag, last_modified=got.last_modified)
                if chapter is None:
                    result.failures.append(PageFailure(url, "no chapter content found on the page"))
                else:
                    if chapter.url != url:  # redirected: keep the address the manual links to
                        chapter = ChapterPage(**{**chapter.__dict__, "url": url})
                    result.chapters.append(chapter)
        except FetchError as exc:
            result.failures.append(PageFailure(url, exc.reason, exc.status))
        finally:
            self.done += 1
            if self.progress:
                self.progress(self.done, self.total, url)

    def judge(self) -> None:
        """Too many chapters unread means something is wrong with the site: the whole read fails."""
        result = self.result
        read_ok = len(result.chapters) + len(result.not_modified)
        attempted = len(self.chapters)
        if read_ok == 0:
            result.fatal = "none of the manual's chapters could be read, so the previous index was kept"
        elif attempted and (attempted - read_ok) / attempted > self.config.max_failure_ratio:
            result.fatal = (f"{attempted - read_ok} of {attempted} chapters could not be read, so the previous index "
                            "was kept")
        result.chapters.sort(key=lambda c: c.url)


async def _crawl(fetcher: _Fetcher, site: Site, result: CrawlResult, known: Mapping[str, Validators],
                 config: CrawlConfig, progress: Progress | None, amendments_only: bool = False) -> None:
    crawl = _Crawl(fetcher, site, result, known, config, progress)
    links = await crawl.contents()
    if links is None:
        return
    amendments_url, candidates = crawl.sort_links(links)
    if amendments_only:
        await crawl.amendments_only(amendments_url)
        return
    await asyncio.gather(*(crawl.visit(link) for link in candidates))
    if amendments_url and crawl.allowed(amendments_url):
        await crawl.amendments(amendments_url)
    done_urls = {c.url for c in result.chapters} | set(result.not_modified)
    todo = [(url, sec, title) for url, (sec, title) in crawl.chapters.items() if url not in done_urls][: config.max_pages]
    if not crawl.chapters:
        result.fatal = ("no chapters were found on the contents or section pages: the manual's layout may have "
                        "changed, so the previous index was kept")
        return
    crawl.total = len(todo)
    await asyncio.gather(*(crawl.read(url, sec, title) for url, sec, title in todo))
    crawl.judge()


class TrixManual:
    """The manual source (services.ports.ManualSource) for a Tri.x-style manual: each read opens its
    own HTTP session unless one is given (tests share one)."""

    def __init__(self, session: aiohttp.ClientSession | None = None) -> None:
        self.session = session

    def address(self, url: str) -> str:
        return normalise_url(url)

    async def read(self, base_url: str, *, known: Mapping[str, Validators] | None = None,
                   config: CrawlConfig | None = None, progress: Progress | None = None,
                   amendments_only: bool = False) -> CrawlResult:
        return await crawl(base_url, known=known, config=config, progress=progress, session=self.session,
                           amendments_only=amendments_only)
