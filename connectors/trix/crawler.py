"""Read a Tri.x-style online procedures manual over HTTP, politely.

A Tri.x manual is a public website: a contents page, chapters grouped in sections (either
listed under headings on the contents page or on one page per section), one page per chapter
and an amendments page listing what each update changed. This module fetches and parses; it
knows nothing of the database. `crawl()` returns what it read and what failed; the caller
(services/manual.py) decides whether to replace the stored index.

Politeness: robots.txt is read first and obeyed (RFC 9309: a 4xx robots.txt means no rules,
a 5xx or unreachable one means "do not crawl"); requests are spaced by a configurable delay (or
the site's Crawl-delay when larger) with at most `concurrency` in flight; chapter pages are
fetched conditionally (If-None-Match / If-Modified-Since) with the validators from the last
sync, so an unchanged chapter costs a 304 and no body; every request carries a user agent that
says who we are.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import aiohttp
import lxml.html
from lxml import etree

from governance.dates import MONTHS as DATE_MONTHS
from governance.dates import DateProblem, read_date
from services.ports import (
    Amendment,
    ChapterPage,
    CrawlConfig,
    CrawlResult,
    PageFailure,
    Validators,
)
from services.ports import ManualProgress as Progress

__all__ = ["Amendment", "ChapterPage", "CrawlConfig", "CrawlResult", "PageFailure", "Progress", "TrixManual",
           "Validators", "crawl", "normalise_url"]

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


# --------------------------------------------------------------------------- dates

MONTHS = tuple(sorted((m for m in DATE_MONTHS), key=len, reverse=True))
_MONTH = r"(?:" + "|".join(MONTHS) + r")\.?"
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\s*,?\s+(\d{{4}})\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\s*,?\s+(\d{{4}})\b", re.I)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_UPDATED = re.compile(
    r"\b(?:last\s+)?(?:updated|amended|reviewed|revised)(?:\s+(?:on|in|at))?\s*[:\-–]?\s*"
    rf"(?P<d>(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}\s*,?\s+\d{{4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})",
    re.I,
)


def first_date_in(text: str) -> date | None:
    """The first date in UK style in `text`: '14 March 2025', '14th Mar 2025', 'March 2025'
    (the 1st of the month), '14/03/2025' (day first), '2025-03-14'. None when there is none.
    Each candidate is read by the one date reader (governance.dates); impossible ones are skipped."""
    candidates: list[tuple[int, date]] = []
    with_day: list[tuple[int, int]] = []
    for m in _DAY_MONTH_YEAR.finditer(text):
        with_day.append(m.span())
        _candidate(candidates, m.start(), m.group(0))
    for m in _MONTH_YEAR.finditer(text):
        # A "March 2025" inside "14 March 2025" belongs to that date (taken, or not a date at all).
        if not any(start <= m.start() < end for start, end in with_day):
            _candidate(candidates, m.start(), m.group(0))
    for pattern in (_NUMERIC, _ISO):
        for m in pattern.finditer(text):
            _candidate(candidates, m.start(), m.group(0))
    return min(candidates)[1] if candidates else None


def _candidate(found: list[tuple[int, date]], at: int, text: str) -> None:
    try:
        d = read_date(text)
    except DateProblem:
        return
    if d is not None:
        found.append((at, d))


def find_updated_date(text: str) -> date | None:
    """The chapter's last-updated date: 'Updated: 14 March 2025', 'This chapter was updated in
    March 2025', 'Last reviewed 03/02/2024'... The latest such statement wins."""
    found = [d for m in _UPDATED.finditer(text) if (d := first_date_in(m.group("d")))]
    return max(found) if found else None


# --------------------------------------------------------------------------- HTML

_DROP = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template", "iframe"]
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")


def normalise_url(url: str) -> str:
    url, _frag = urldefrag(url)
    parts = urlsplit(url)
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


_BLOCK = frozenset("p div li ul ol h1 h2 h3 h4 h5 h6 tr td th table section article br dd dt dl blockquote pre hr".split())


def _page(html: str):
    """The parsed page (lxml), or an empty document for an empty or unparsable body."""
    html = _XML_DECL.sub("", html, count=1)
    try:
        return lxml.html.document_fromstring(html or "<html></html>")
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html></html>")


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def _words(el) -> str:
    return " ".join(el.text_content().split())


def _main(doc):
    """The page's main content, then without scripts, navigation, header, footer and breadcrumbs."""
    for xpath in (
        "//main",
        "//*[@role='main']",
        "//*[@id='content' or @id='main' or @id='main-content' or @id='maincontent']",
        "//article",
        "//*[@class='content' or @class='main' or @class='main-content' or @class='chapter']",
        "//body",
    ):
        found = doc.xpath(xpath)
        if found:
            main = found[0]
            break
    else:
        main = doc
    for el in main.xpath(" | ".join(f".//{t}" for t in _DROP) + " | .//*[contains(@class, 'breadcrumb')]"):
        if el.getparent() is not None:
            el.drop_tree()
    return main


def _clean_text(node) -> str:
    parts: list[str] = []

    def walk(el) -> None:
        block = isinstance(el.tag, str) and el.tag in _BLOCK
        if block:
            parts.append("\n")
        if isinstance(el.tag, str) and el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(node)
    lines = (_WS.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _breadcrumb_section(doc) -> str | None:
    crumbs = doc.xpath("//*[contains(@class, 'breadcrumb') or contains(@aria-label, 'readcrumb')]")
    if not crumbs:
        return None
    # Contents > Section > Chapter: the section is the last crumb that is a link (not the home link).
    links = [_words(a) for a in crumbs[0].xpath(".//a")]
    links = [t for t in links if t and t.lower() not in {"home", "contents", "manual", "procedures manual"}]
    return links[-1] if links else None


@dataclass(frozen=True)
class _Link:
    url: str
    text: str
    heading: str | None  # the nearest heading above the link on its page


class _Site:
    """Which addresses belong to the manual: same host, under the manual's base path."""

    def __init__(self, base_url: str) -> None:
        self.base = normalise_url(base_url)
        parts = urlsplit(self.base)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        path = parts.path
        self.prefix = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"

    def inside(self, url: str) -> bool:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == self.origin and parts.path.startswith(self.prefix)

    def links(self, page_url: str, node) -> list[_Link]:
        out: list[_Link] = []
        seen: set[str] = set()
        for a in node.xpath(".//a[@href]"):
            href = a.get("href", "").strip()
            if not href or href.startswith(("mailto:", "tel:", "javascript:", "#")):
                continue
            url = normalise_url(urljoin(page_url, href))
            if not self.inside(url) or url in seen or url == normalise_url(page_url):
                continue
            if re.search(r"\.(pdf|docx?|xlsx?|pptx?|zip|jpe?g|png|gif)$", urlsplit(url).path, re.I):
                continue
            seen.add(url)
            heading = a.xpath("preceding::*[self::h2 or self::h3 or self::h4][1]")
            out.append(_Link(url, _words(a), _words(heading[0]) if heading else None))
        return out


def _is_listing(main, links: list[_Link]) -> bool:
    """A page that is mostly a list of links (a section page), not a chapter."""
    if len(links) < 2:
        return False
    total = len(_clean_text(main)) or 1
    linked = sum(len(link.text) for link in links)
    return linked / total >= 0.4


def _is_amendments(link: _Link) -> bool:
    return bool(re.search(r"amendment", link.text, re.I) or re.search(r"amendment", urlsplit(link.url).path, re.I))


def parse_chapter(url: str, html: str, *, section: str | None, linked_title: str, site: _Site,
                  etag: str | None = None, last_modified: str | None = None) -> ChapterPage | None:
    """A chapter page, or None when the page has no recognisable chapter content."""
    doc = _page(html)
    crumb_section = _breadcrumb_section(doc)
    main = _main(doc)
    h1 = main.xpath(".//h1") or doc.xpath("//h1")
    title = _words(h1[0]) if h1 else ""
    if not title:
        head_title = doc.xpath("//title")
        title = _words(head_title[0]).split(" | ")[0].strip() if head_title else ""
    title = title or linked_title
    if h1 and h1[0].getparent() is not None and main.xpath(".//h1"):
        h1[0].drop_tree()  # the title is kept on its own, not as the text's first line
    text = _clean_text(main)
    if len(text) < 40 or not title:
        return None
    updated = None
    for t in main.xpath(".//time[@datetime]"):
        updated = first_date_in(t.get("datetime", "")) or updated
    updated = find_updated_date(text) or updated
    links = tuple(link.url for link in site.links(url, main))
    digest = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()
    return ChapterPage(
        url=url, title=title[:300], section=(section or crumb_section), text=text, updated_on=updated,
        etag=etag, last_modified=last_modified, content_hash=digest, links=links,
    )


_KINDS = [("removed", re.compile(r"remov|delet|withdrawn|archiv", re.I)), ("new", re.compile(r"\bnew\b|added", re.I)),
          ("updated", re.compile(r"updat|amend|revis|chang", re.I))]


def _kind(heading: str | None) -> str:
    for kind, pattern in _KINDS:
        if heading and pattern.search(heading):
            return kind
    return "other"


def parse_amendments(url: str, html: str, site: _Site) -> list[Amendment]:
    """Each list item (or table row) under an update's heading: chapter, what kind of change, note."""
    main = _main(_page(html))
    out: list[Amendment] = []
    for item in main.xpath(".//li | .//tr"):
        if item.xpath(".//li | .//tr"):  # only the innermost items
            continue
        update_h = item.xpath("preceding::h2[1]")
        near = item.xpath("preceding::*[self::h2 or self::h3 or self::h4][1]")
        update = _words(update_h[0]) if update_h else "Amendments"
        kind_heading = _words(near[0]) if near and (not update_h or near[0] is not update_h[0]) else None
        anchors = item.xpath(".//a[@href]")
        a = anchors[0] if anchors else None
        text = _words(item)
        if not text:
            continue
        link_url = normalise_url(urljoin(url, a.get("href", ""))) if a is not None else None
        title = _words(a) if a is not None else re.split(r"\s+[-–—:]\s+", text, maxsplit=1)[0]
        note = text[len(title):].strip(" -–—:") if text.startswith(title) else text
        out.append(Amendment(
            update=update[:200], published_on=first_date_in(update), kind=_kind(kind_heading or text),
            title=title[:300], url=link_url if link_url and site.inside(link_url) else None, note=note[:2000],
        ))
    return out


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
                except asyncio.TimeoutError:
                    last = FetchError(f"no answer within {self.config.timeout:g} seconds")
                    pause = self.delay
                except aiohttp.ClientError as exc:
                    last = FetchError(f"could not connect ({exc.__class__.__name__})")
                    pause = self.delay
            if attempt < self.config.retries:
                await asyncio.sleep(min(pause, 60.0))
        assert last is not None
        raise last


async def _robots(fetcher: _Fetcher, site: _Site) -> tuple[RobotFileParser | None, str | None]:
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
    site = _Site(base_url)
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


async def _crawl(fetcher: _Fetcher, site: _Site, result: CrawlResult, known: Mapping[str, Validators],
                 config: CrawlConfig, progress: Progress | None, amendments_only: bool = False) -> None:
    robots, refusal = await _robots(fetcher, site)
    if refusal:
        result.fatal = refusal
        return
    if robots is not None and robots.crawl_delay(ROBOTS_AGENT):
        fetcher.delay = max(fetcher.delay, float(robots.crawl_delay(ROBOTS_AGENT)))

    def allowed(url: str) -> bool:
        if robots is None or robots.can_fetch(ROBOTS_AGENT, url):
            return True
        if url not in result.skipped_by_robots:
            result.skipped_by_robots.append(url)
        return False

    if not allowed(site.base):
        result.fatal = "robots.txt does not allow policybot to read the manual's contents page"
        return
    try:
        contents = await fetcher.get(site.base)
    except FetchError as exc:
        result.fatal = f"the contents page {site.base} could not be read: {exc.reason}"
        return
    main = _main(_page(contents.text))
    contents_links = site.links(contents.url, main)

    # Chapters to read: url -> (section, linked title). Pages linked from the contents page are
    # either section pages (mostly links) or chapters listed under section headings.
    chapters: dict[str, tuple[str | None, str]] = {}
    amendments_url: str | None = None
    candidates: list[_Link] = []
    for link in contents_links:
        if _is_amendments(link):
            amendments_url = amendments_url or link.url
        elif link.url != site.base and allowed(link.url):
            candidates.append(link)
    nav_urls = {link.url for link in candidates} | {site.base}
    if amendments_only:
        if not amendments_url or not allowed(amendments_url):
            result.fatal = "the contents page has no amendments page that policybot may read"
            return
        try:
            got = await fetcher.get(amendments_url)
        except FetchError as exc:
            result.fatal = f"the amendments page could not be read: {exc.reason}"
            return
        result.amendments = parse_amendments(got.url, got.text, site)
        result.amendments_read = True
        return

    async def visit(link: _Link) -> None:
        try:
            got = await fetcher.get(link.url, known.get(link.url))
        except FetchError as exc:
            result.failures.append(PageFailure(link.url, exc.reason, exc.status))
            result.complete = False
            return
        if got.status == 304:  # a chapter listed on the contents page, unchanged
            chapters[link.url] = (link.heading, link.text)
            result.not_modified[link.url] = (link.heading, link.text)
            return
        page = _page(got.text)
        page_main = _main(page)
        page_links = site.links(got.url, page_main)
        if _is_listing(page_main, page_links):
            h1 = page_main.xpath(".//h1") or page.xpath("//h1")
            section = _words(h1[0]) if h1 else link.text
            result.sections.append(section)
            for sub in page_links:
                if sub.url in nav_urls or _is_amendments(sub) or not allowed(sub.url):
                    continue
                chapters.setdefault(sub.url, (section, sub.text))
        else:
            chapter = parse_chapter(got.url, got.text, section=link.heading, linked_title=link.text, site=site,
                                    etag=got.etag, last_modified=got.last_modified)
            if chapter is None:
                result.failures.append(PageFailure(link.url, "no chapter content found on the page"))
            else:
                result.chapters.append(chapter)
                chapters[link.url] = (link.heading, link.text)

    await asyncio.gather(*(visit(link) for link in candidates))
    if amendments_url and allowed(amendments_url):
        try:
            got = await fetcher.get(amendments_url)
            result.amendments = parse_amendments(got.url, got.text, site)
            result.amendments_read = True
        except FetchError as exc:
            result.failures.append(PageFailure(amendments_url, f"amendments page: {exc.reason}", exc.status))

    done_urls = {c.url for c in result.chapters} | set(result.not_modified)
    todo = [(url, sec, title) for url, (sec, title) in chapters.items() if url not in done_urls][: config.max_pages]
    if not chapters:
        result.fatal = ("no chapters were found on the contents or section pages: the manual's layout may have "
                        "changed, so the previous index was kept")
        return
    total = len(todo)
    done = 0

    async def read(url: str, section: str | None, title: str) -> None:
        nonlocal done
        try:
            got = await fetcher.get(url, known.get(url))
            if got.status == 304:
                result.not_modified[url] = (section, title)
            else:
                chapter = parse_chapter(got.url, got.text, section=section, linked_title=title, site=site,
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
            done += 1
            if progress:
                progress(done, total, url)

    await asyncio.gather(*(read(url, sec, title) for url, sec, title in todo))
    read_ok = len(result.chapters) + len(result.not_modified)
    attempted = len(chapters)
    if read_ok == 0:
        result.fatal = "none of the manual's chapters could be read, so the previous index was kept"
    elif attempted and (attempted - read_ok) / attempted > config.max_failure_ratio:
        result.fatal = (f"{attempted - read_ok} of {attempted} chapters could not be read, so the previous index "
                        "was kept")
    result.chapters.sort(key=lambda c: c.url)


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
