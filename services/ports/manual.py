"""The online procedures manual: the manual source (implemented by connectors/trix/crawler.py) and
what one read of it finds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

ManualProgress = Callable[[int, int, str], None]  # (chapters read, chapters to read, the page's address)


@dataclass(frozen=True)
class Validators:
    """What the server said last time, sent back so an unchanged page answers 304."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class ChapterPage:
    url: str
    title: str
    section: str | None
    text: str
    updated_on: date | None
    etag: str | None
    last_modified: str | None
    content_hash: str
    links: tuple[str, ...] = ()  # other pages of the manual this chapter links to


@dataclass(frozen=True)
class Amendment:
    update: str  # the update's heading, e.g. "March 2025 Update"
    published_on: date | None
    kind: str  # updated | new | removed | other
    title: str
    url: str | None
    note: str


@dataclass(frozen=True)
class PageFailure:
    url: str
    reason: str
    status: int | None = None


@dataclass
class CrawlResult:
    """What one read of the manual found, and what failed (a site problem is here, never raised)."""

    base_url: str
    chapters: list[ChapterPage] = field(default_factory=list)
    # Chapters that answered 304 Not Modified: url -> (section, title as linked) so a moved chapter follows.
    not_modified: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    amendments: list[Amendment] = field(default_factory=list)
    amendments_read: bool = False
    failures: list[PageFailure] = field(default_factory=list)
    skipped_by_robots: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    # Every section listing was read: a stored chapter no longer listed anywhere has been removed.
    complete: bool = True
    fatal: str | None = None
    requests: int = 0

    @property
    def ok(self) -> bool:
        return self.fatal is None

    @property
    def chapter_urls(self) -> set[str]:
        return {c.url for c in self.chapters} | set(self.not_modified)


@dataclass(frozen=True)
class CrawlConfig:
    delay: float = 1.0  # seconds between the starts of two requests
    concurrency: int = 2
    timeout: float = 30.0  # per request, seconds
    retries: int = 1  # extra tries after a timeout, 429 or 5xx
    user_agent: str = "policybot/0.1 (+contact)"
    max_pages: int = 20_000
    # More than this share of chapter pages failing means something is wrong with the site:
    # the whole sync fails and the previous index stays.
    max_failure_ratio: float = 0.5


class ManualSource(Protocol):
    """The online procedures manual (a Tri.x-style site), read politely over HTTP."""

    def address(self, url: str) -> str:
        """The manual's address written one way (lower-case scheme and host, no fragment)."""
        ...

    async def read(self, base_url: str, *, known: Mapping[str, Validators] | None = None,
                   config: CrawlConfig | None = None, progress: ManualProgress | None = None,
                   amendments_only: bool = False) -> CrawlResult:
        """The whole manual (chapters unchanged since `known` answer 304), or with amendments_only
        just its amendments page."""
        ...
