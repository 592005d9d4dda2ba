"""Reading a Tri.x manual's pages: the dates people write on them, the main content of a page (without
its navigation), the site's links, a chapter and the amendments page. Pure: HTML in, records out."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit


from governance.dates import MONTHS as DATE_MONTHS
from governance.dates import DateProblem, read_date
from services.ports import (
    Amendment,
    ChapterPage,
    ManualPassage,
)

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


def parse_page(html: str):
    """The parsed page (lxml), or an empty document for an empty or unparsable body."""
    # lxml is loaded with the first manual page, not at start (issue 22 item 8)
    import lxml.html
    from lxml import etree

    html = _XML_DECL.sub("", html, count=1)
    try:
        return lxml.html.document_fromstring(html or "<html></html>")
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html></html>")


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def words_of(el) -> str:
    return " ".join(el.text_content().split())


def main_content(doc):
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
    links = [words_of(a) for a in crumbs[0].xpath(".//a")]
    links = [t for t in links if t and t.lower() not in {"home", "contents", "manual", "procedures manual"}]
    return links[-1] if links else None


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    heading: str | None  # the nearest heading above the link on its page


class Site:
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

    def links(self, page_url: str, node) -> list[Link]:
        out: list[Link] = []
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
            out.append(Link(url, words_of(a), words_of(heading[0]) if heading else None))
        return out


def is_listing(main, links: list[Link]) -> bool:
    """A page that is mostly a list of links (a section page), not a chapter."""
    if len(links) < 2:
        return False
    total = len(_clean_text(main)) or 1
    linked = sum(len(link.text) for link in links)
    return linked / total >= 0.4


def is_amendments_link(link: Link) -> bool:
    return bool(re.search(r"amendment", link.text, re.I) or re.search(r"amendment", urlsplit(link.url).path, re.I))


def parse_chapter(url: str, html: str, *, section: str | None, linked_title: str, site: Site,
                  etag: str | None = None, last_modified: str | None = None) -> ChapterPage | None:
    """A chapter page, or None when the page has no recognisable chapter content."""
    doc = parse_page(html)
    crumb_section = _breadcrumb_section(doc)
    main = main_content(doc)
    h1 = main.xpath(".//h1") or doc.xpath("//h1")
    title = words_of(h1[0]) if h1 else ""
    if not title:
        head_title = doc.xpath("//title")
        title = words_of(head_title[0]).split(" | ")[0].strip() if head_title else ""
    title = title or linked_title
    if h1 and h1[0].getparent() is not None and main.xpath(".//h1"):
        h1[0].drop_tree()  # the title is kept on its own, not as the text's first line
    passages = chapter_passages(main)
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
        etag=etag, last_modified=last_modified, content_hash=digest, links=links, passages=passages,
    )


_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_PASSAGE_XPATH = " | ".join(f".//{t}" for t in (*_HEADINGS, "p", "li", "dd", "blockquote"))
MIN_PASSAGE_CHARS = 25


def _anchor(heading) -> str | None:
    """The heading's own id, an <a name|id> inside it, or one just before it (Tri.x writes both)."""
    if heading.get("id"):
        return heading.get("id")
    for a in heading.xpath(".//a[@id or @name]"):
        return a.get("id") or a.get("name")
    prev = heading.getprevious()
    if prev is not None and prev.tag == "a" and (prev.get("id") or prev.get("name")) and not words_of(prev):
        return prev.get("id") or prev.get("name")
    return None


def chapter_passages(main) -> tuple[ManualPassage, ...]:
    """The chapter's paragraphs and list items in order, each with the heading above it and that
    heading's anchor. A list item that is only a link (related chapters) is no passage; nor is a
    block holding other blocks (a list item holding paragraphs: the paragraphs are taken)."""
    out: list[ManualPassage] = []
    heading: str | None = None
    anchor: str | None = None
    for el in main.xpath(_PASSAGE_XPATH):
        if el.tag in _HEADINGS:
            heading, anchor = words_of(el) or heading, _anchor(el)
            continue
        if el.xpath(".//li | .//p"):
            continue  # the innermost block carries the words
        text = words_of(el)
        linked = sum(len(words_of(a)) for a in el.xpath(".//a"))
        if len(text) < MIN_PASSAGE_CHARS or (el.tag == "li" and linked >= 0.8 * len(text)):
            continue
        if re.fullmatch(r"(?i)(last\s+)?(updated|amended|reviewed|revised)\b.{0,40}|this chapter was (updated|amended).{0,40}", text):
            continue  # the last-updated line is shown on its own
        out.append(ManualPassage("li" if el.tag == "li" else "p", text, heading, anchor))
    return tuple(out)


_KINDS = [("removed", re.compile(r"remov|delet|withdrawn|archiv", re.I)), ("new", re.compile(r"\bnew\b|added", re.I)),
          ("updated", re.compile(r"updat|amend|revis|chang", re.I))]


def _kind(heading: str | None) -> str:
    for kind, pattern in _KINDS:
        if heading and pattern.search(heading):
            return kind
    return "other"


def parse_amendments(url: str, html: str, site: Site) -> list[Amendment]:
    """Each list item (or table row) under an update's heading: chapter, what kind of change, note."""
    main = main_content(parse_page(html))
    out: list[Amendment] = []
    for item in main.xpath(".//li | .//tr"):
        if item.xpath(".//li | .//tr"):  # only the innermost items
            continue
        update_h = item.xpath("preceding::h2[1]")
        near = item.xpath("preceding::*[self::h2 or self::h3 or self::h4][1]")
        update = words_of(update_h[0]) if update_h else "Amendments"
        kind_heading = words_of(near[0]) if near and (not update_h or near[0] is not update_h[0]) else None
        anchors = item.xpath(".//a[@href]")
        a = anchors[0] if anchors else None
        text = words_of(item)
        if not text:
            continue
        link_url = normalise_url(urljoin(url, a.get("href", ""))) if a is not None else None
        title = words_of(a) if a is not None else re.split(r"\s+[-–—:]\s+", text, maxsplit=1)[0]
        note = text[len(title):].strip(" -–—:") if text.startswith(title) else text
        out.append(Amendment(
            update=update[:200], published_on=first_date_in(update), kind=_kind(kind_heading or text),
            title=title[:300], url=link_url if link_url and site.inside(link_url) else None, note=note[:2000],
        ))
    return out
