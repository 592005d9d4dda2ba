"""A Tri.x-style online procedures manual served on loopback, for the connector's tests and the bench.

The site has what real manuals have: a contents page linking to section pages (and one chapter
listed straight on it), a page per chapter with breadcrumbs, navigation, a last-updated line in
one of several UK styles and related-chapter links, an amendments page grouped by update, local
resources, a robots.txt that keeps crawlers out of staff-only drafts, a broken link, a slow page,
and ETag / Last-Modified validators honoured with 304s. `publish_update()` changes one chapter,
adds one and removes one, as a quarterly update does. The server records every request.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import random
from dataclasses import dataclass, field
from datetime import date, datetime, UTC
from email.utils import format_datetime, parsedate_to_datetime

from aiohttp import web

from tests.support.trix_manual_text import (
    GENERATED,
    KEY_CHAPTERS,
    LIST_START,
    SECTIONS,
    generated_paragraphs,
    slugify,
    updated_line,
)

BASE = "/manual/"
SLOW_CHAPTER = slugify("Children's Homes and Regulation 44 Visits")
CHANGING_CHAPTER = "missing-children"
REMOVED_IN_UPDATE = "pocket-money-and-savings"
ADDED_IN_UPDATE = "children-missing-education"
BROKEN_LINK = "pocket-money-old-version"

_QUALIFIERS = ["for Duty and Assessment Teams", "in the Youth Justice Service", "Local Arrangements (North)",
               "Local Arrangements (South)", "for Residential Staff", "for Early Help Workers", "Practice Notes",
               "Forms and Templates", "Quick Guide", "for Personal Advisers", "Out of Hours Arrangements",
               "Partnership Protocol", "Audit Standards", "for Independent Chairs", "Frequently Asked Questions"]


@dataclass
class Chapter:
    slug: str
    section: str  # section slug, or "" for a chapter listed on the contents page
    title: str
    paragraphs: list[str]
    related: list[str]
    updated_text: str
    updated_on: date
    version: int = 1
    local: bool = False

    @property
    def path(self) -> str:
        return f"{BASE}chapters/{self.slug}.html"


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    status: int = 0


@dataclass
class TrixSite:
    extra_chapters: int = 0  # generated chapters on top of the standard manual (the bench uses 5,000)
    slow_seconds: float = 5.0
    seed: int = 20261123
    layout: str = "trix"  # "trix", or "app-shell": a relaunch whose contents page is empty until JavaScript runs
    contents_status: int = 200
    robots_status: int = 200
    failing: set[str] = field(default_factory=set)  # chapter slugs answering 500
    requests: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.chapters: dict[str, Chapter] = {}
        self.updates: list[tuple[str, list[tuple[str, str, str]]]] = []  # (heading, [(kind, slug-or-title, note)])
        self._stop = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.origin = ""
        rng = random.Random(self.seed)
        i = 0
        for slug, (section, title, paras, related) in KEY_CHAPTERS.items():
            self._add(slug, section, title, paras, related, i, rng)
            i += 1
        for section, titles in GENERATED.items():
            slugs = [slugify(t) for t in titles]
            for title, slug in zip(titles, slugs, strict=True):
                related = rng.sample([s for s in slugs if s != slug], k=min(2, len(slugs) - 1))
                self._add(slug, section, title, generated_paragraphs(title, rng), related, i, rng)
                i += 1
        self._add("about-this-manual", "", "About this Manual",
                  ["This manual holds the procedures and practice guidance for children's and adults' social care "
                   "staff. Chapters are grouped in sections; local resources hold the council's own documents.",
                   "The manual is updated every six months. The amendments page lists what changed in each update."],
                  [], i, rng)
        i += 1
        for title in ("Local Contacts and Teams", "Local Threshold Guidance", "Local Forms and Templates"):
            self._add(slugify(title), "local-resources", title, generated_paragraphs(title, rng), [], i, rng, local=True)
            i += 1
        topics = [t for titles in GENERATED.values() for t in titles]
        sections = [s for s, _ in SECTIONS]
        for n in range(self.extra_chapters):
            title = f"{topics[n % len(topics)]} {_QUALIFIERS[(n // len(topics)) % len(_QUALIFIERS)]} ({n // (len(topics) * len(_QUALIFIERS)) + 1})"
            slug = f"x{n:05d}-{slugify(title)}"[:120]
            self._add(slug, sections[n % len(sections)], title, generated_paragraphs(title, rng), [], i, rng)
            i += 1
        self.updates = [
            ("September 2026 Update", [
                ("Updated chapters", "lac-reviews", "The timescale for the second review was clarified."),
                ("Updated chapters", "pathway-planning", "Support from a personal adviser to age 25 added."),
                ("New chapters", "staying-close", "A new chapter on Staying Close."),
                ("Removed chapters", "Children's Guardians (Old Guidance)", "Removed as out of date."),
            ]),
            ("March 2026 Update", [
                ("Updated chapters", "section-47-enquiries", "Links to the revised strategy discussion chapter."),
                ("Updated chapters", "dols", "The Liberty Protection Safeguards note was updated."),
            ]),
        ]

    def _add(self, slug, section, title, paras, related, index, rng, local=False) -> None:
        text, (y, m, d) = updated_line(index, rng)
        self.chapters[slug] = Chapter(slug, section, title, list(paras), list(related), text, date(y, m, d), local=local)

    # ----------------------------------------------------------------- changes between syncs

    def publish_update(self) -> None:
        """A new update: one chapter changes, one is added, one is removed; the amendments page says so."""
        ch = self.chapters[CHANGING_CHAPTER]
        ch.paragraphs.append("From December 2026 the return home interview is offered within 48 hours, and a "
                             "missing persons coordinator reviews every child with three or more episodes.")
        ch.updated_text = "Updated: 1 December 2026"
        ch.updated_on = date(2026, 12, 1)
        ch.version += 1
        self.chapters[ADDED_IN_UPDATE] = Chapter(
            ADDED_IN_UPDATE, "child-protection", "Children Missing Education",
            ["A child missing education is a child of compulsory school age who is not on a school roll and is not "
             "receiving a suitable education otherwise. Schools tell the local authority when a pupil leaves without "
             "a known destination."], [CHANGING_CHAPTER], "Updated: 1 December 2026", date(2026, 12, 1))
        removed = self.chapters.pop(REMOVED_IN_UPDATE)
        self.updates.insert(0, ("December 2026 Update", [
            ("Updated chapters", CHANGING_CHAPTER, "Return home interviews now within 48 hours."),
            ("New chapters", ADDED_IN_UPDATE, "A new chapter on children missing education."),
            ("Removed chapters", removed.title, "Merged into Delegated Authority."),
        ]))

    # ----------------------------------------------------------------- pages

    def _page(self, title: str, main: str, breadcrumb: str = "") -> str:
        nav = "".join(f'<li><a href="{BASE}sections/{s}.html">{html.escape(t)}</a></li>' for s, t in SECTIONS)
        return (
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)} | Demo Children's Services Procedures Manual</title>"
            f"<link rel=\"stylesheet\" href=\"{BASE}style.css\"></head><body>"
            f"<header class=\"site-header\"><a class=\"logo\" href=\"{BASE}\">Demo Procedures Manual</a>"
            f"<nav><ul><li><a href=\"{BASE}\">Contents</a></li>{nav}<li><a href=\"{BASE}amendments.html\">Amendments</a></li>"
            "</ul></nav><form class=\"search\"><input name=\"q\"></form></header>"
            f"{breadcrumb}<main id=\"content\">{main}</main>"
            "<footer><p>Demo Procedures Manual. Content written for testing.</p>"
            f"<a href=\"{BASE}cookies.html\">Cookies</a> <a href=\"{BASE}accessibility.html\">Accessibility</a></footer>"
            "<script>window.dataLayer = [];</script></body></html>"
        )

    def contents_html(self) -> str:
        if self.layout == "app-shell":
            return ("<!DOCTYPE html><html><head><title>Procedures</title></head><body><div id=\"root\">Loading…</div>"
                    "<script src=\"/static/app.js\"></script></body></html>")
        parts = ["<h1>Demo Children's Services Procedures Manual</h1>",
                 "<p>Welcome. Choose a section, or read the latest amendments.</p>",
                 "<h2>Introduction</h2><ul>",
                 f"<li><a href=\"{self.chapters['about-this-manual'].path}\">About this Manual</a></li>",
                 f"<li><a href=\"{BASE}amendments.html\">Amendments</a></li></ul>",
                 "<h2>Sections</h2><ul>"]
        for slug, title in SECTIONS:
            parts.append(f"<li><a href=\"{BASE}sections/{slug}.html\">{html.escape(title)}</a></li>")
        parts.append("</ul><h2>Local Resources</h2><ul>"
                     f"<li><a href=\"{BASE}sections/local-resources.html\">Local Resources</a></li>"
                     f"<li><a href=\"{BASE}private/drafts.html\">Draft Chapters (staff only)</a></li></ul>")
        return self._page("Contents", "".join(parts))

    def section_html(self, slug: str) -> str | None:
        titles = dict(SECTIONS) | {"local-resources": "Local Resources"}
        if slug not in titles:
            return None
        items = [c for c in self.chapters.values() if c.section == slug]
        links = "".join(f"<li><a href=\"{c.path}\">{html.escape(c.title)}</a></li>" for c in items)
        if slug == "children-in-care":
            links += f"<li><a href=\"{BASE}chapters/{BROKEN_LINK}.html\">Pocket Money (old version)</a></li>"
        crumb = f"<div class=\"breadcrumb\"><a href=\"{BASE}\">Contents</a> &gt; <span>{html.escape(titles[slug])}</span></div>"
        return self._page(titles[slug], f"<h1>{html.escape(titles[slug])}</h1><ul class=\"chapters\">{links}</ul>", crumb)

    def chapter_html(self, ch: Chapter) -> str:
        section_title = (dict(SECTIONS) | {"local-resources": "Local Resources"}).get(ch.section)
        crumb = f"<div class=\"breadcrumb\"><a href=\"{BASE}\">Contents</a> &gt; "
        if section_title:
            crumb += f"<a href=\"{BASE}sections/{ch.section}.html\">{html.escape(section_title)}</a> &gt; "
        crumb += f"<span>{html.escape(ch.title)}</span></div>"
        body = [f"<h1>{html.escape(ch.title)}</h1>", f"<p class=\"chapter-updated\">{html.escape(ch.updated_text)}</p>",
                "<h2 id=\"scope\">Scope of this Chapter</h2>"]
        for n, p in enumerate(ch.paragraphs):
            if n == 2:
                body.append("<h2 id=\"procedure\">Procedure</h2>")
            if p.startswith(LIST_START):  # a lead-in and its list: "Outcomes:\n- one\n- two"
                lead, *items = p[len(LIST_START):].split("\n- ")
                body.append(f"<p>{html.escape(lead)}</p><ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
                continue
            body.append(f"<p>{html.escape(p)}</p>")
        related = [self.chapters[r] for r in ch.related if r in self.chapters]
        if related:
            body.append("<h2 id=\"related\">Related Chapters</h2><ul>")
            body += [f"<li><a href=\"{r.path}\">{html.escape(r.title)}</a></li>" for r in related]
            body.append("</ul>")
        return self._page(ch.title, "".join(body), crumb)

    def amendments_html(self) -> str:
        parts = ["<h1>Amendments</h1>"]
        for heading, items in self.updates:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
            kinds: dict[str, list[str]] = {}
            for kind, ref, note in items:
                ch = self.chapters.get(ref)
                line = (f"<a href=\"{ch.path}\">{html.escape(ch.title)}</a> - {html.escape(note)}" if ch
                        else f"{html.escape(ref)} - {html.escape(note)}")
                kinds.setdefault(kind, []).append(f"<li>{line}</li>")
            for kind, lines in kinds.items():
                parts.append(f"<h3>{html.escape(kind)}</h3><ul>{''.join(lines)}</ul>")
        return self._page("Amendments", "".join(parts))

    # ----------------------------------------------------------------- server

    @property
    def url(self) -> str:
        return self.origin + BASE

    async def start(self) -> TrixSite:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # noqa: SLF001
        self.origin = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        self._stop.set()
        if self._runner:
            await self._runner.cleanup()

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        seen = Seen(request.path, dict(request.headers))
        self.requests.append(seen)
        resp = await self._respond(request)
        seen.status = resp.status
        return resp

    async def _respond(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path == "/robots.txt":
            if self.robots_status != 200:
                return web.Response(status=self.robots_status, text="robots.txt unavailable")
            return web.Response(text="User-agent: *\nDisallow: /manual/private/\nDisallow: /search\n", content_type="text/plain")
        if path in (BASE, BASE + "index.html"):
            if self.contents_status != 200:
                return web.Response(status=self.contents_status, text="Service unavailable")
            return self._html(request, self.contents_html(), None)
        if path == BASE + "amendments.html":
            return self._html(request, self.amendments_html(), None)
        if path.startswith(BASE + "sections/") and path.endswith(".html"):
            page = self.section_html(path[len(BASE + "sections/"):-5])
            return self._html(request, page, None) if page else web.Response(status=404, text="Not found")
        if path.startswith(BASE + "private/"):
            return self._html(request, self._page("Drafts", "<h1>Draft chapters</h1><p>Staff only.</p>"), None)
        if path.startswith(BASE + "chapters/") and path.endswith(".html"):
            ch = self.chapters.get(path[len(BASE + "chapters/"):-5])
            if ch is None:
                return web.Response(status=404, text="<h1>Page not found</h1>", content_type="text/html")
            if ch.slug in self.failing:
                return web.Response(status=500, text="Internal server error")
            if ch.slug == SLOW_CHAPTER:
                try:
                    await asyncio.wait_for(self._stop.wait(), timeout=self.slow_seconds)
                except TimeoutError:
                    pass
            modified = datetime(ch.updated_on.year, ch.updated_on.month, ch.updated_on.day, 9, 0, tzinfo=UTC)
            return self._html(request, self.chapter_html(ch), modified)
        return web.Response(status=404, text="Not found")

    def _html(self, request: web.Request, body: str, modified: datetime | None) -> web.Response:
        etag = '"' + hashlib.sha1(body.encode()).hexdigest()[:16] + '"'
        headers = {"ETag": etag}
        if modified:
            headers["Last-Modified"] = format_datetime(modified, usegmt=True)
        inm = request.headers.get("If-None-Match")
        ims = request.headers.get("If-Modified-Since")
        if inm is not None:
            if etag in [t.strip().removeprefix("W/") for t in inm.split(",")]:
                return web.Response(status=304, headers=headers)
        elif ims and modified:
            try:
                if modified <= parsedate_to_datetime(ims):
                    return web.Response(status=304, headers=headers)
            except (TypeError, ValueError):
                pass
        return web.Response(text=body, content_type="text/html", charset="utf-8", headers=headers)
