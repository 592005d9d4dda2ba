"""The online procedures manual: the manual source (implemented by connectors/trix/crawler.py) and
what one read of it finds; the manual index's repository (`uow.manual`, store/manual_repo.py) and the
read-only rows it returns (chapters, amendments, sync runs, search hits)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from services.ports.cases import DocumentRecord

ManualProgress = Callable[[int, int, str], None]  # (chapters read, chapters to read, the page's address)


@dataclass(frozen=True)
class Validators:
    """What the server said last time, sent back so an unchanged page answers 304."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class ManualPassage:
    """One paragraph or list item of a chapter, with the heading it sits under and that heading's
    anchor on the page (None when the page gives the heading no id)."""

    kind: str  # p | li
    text: str
    heading: str | None = None
    anchor: str | None = None

    def to_json(self) -> list[str | None]:
        return [self.kind, self.text, self.heading, self.anchor]

    @classmethod
    def from_json(cls, row: Sequence[str | None]) -> ManualPassage:
        kind, text, heading, anchor = (list(row) + [None, None, None, None])[:4]
        return cls(str(kind or "p"), str(text or ""), heading, anchor)


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
    passages: tuple[ManualPassage, ...] = ()  # its paragraphs and list items, in order (the answer index)


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


# --------------------------------------------------------------------------- the manual index (uow.manual)

Phrase = tuple[str, ...]  # lower-case words [a-z0-9]+
Concept = Sequence[Phrase]  # alternative phrases: a row matches a concept when it holds any of them
# light_rows(): (id, url, title, section, content hash, etag, last modified, links)
ChapterLightRow = tuple[int, str, str, str | None, str, str | None, str | None, list[str]]
# for_index(): (id, url, title, section, updated_on, content hash, passages as JSON rows, text when no passages)
ChapterIndexRow = tuple[int, str, str, str | None, date | None, str, list[list[str | None]] | None, str | None]
# register_rows(): (id, ref, title, doc_type, category, service_area, summary, manual_url, last_reviewed_on,
# ro_id, ro_name, rsm_id, rsm_name) of the live register
RegisterSearchRow = tuple[int, str, str, str | None, str | None, str | None, str | None, str | None, date | None,
                          str | None, str | None, str | None, str | None]
# generation(): the search cache's key (sync runs and chapters, the register's count and last change, latest draft)
ManualGeneration = tuple[str | int | None, tuple[str, ...], int | None]


class ChapterRecord(Protocol):
    """A chapter of the manual as indexed (read-only; it changes through `ManualRepository.change`)."""

    @property
    def id(self) -> int: ...
    @property
    def url(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def section(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def updated_on(self) -> date | None: ...
    @property
    def etag(self) -> str | None: ...
    @property
    def last_modified(self) -> str | None: ...
    @property
    def content_hash(self) -> str: ...
    @property
    def links(self) -> Sequence[str]: ...
    @property
    def first_seen_at(self) -> datetime: ...
    @property
    def changed_at(self) -> datetime: ...
    @property
    def fetched_at(self) -> datetime: ...


class AmendmentRecord(Protocol):
    """One line of the manual's amendments page, as kept."""

    @property
    def id(self) -> int: ...
    @property
    def update_label(self) -> str: ...
    @property
    def published_on(self) -> date | None: ...
    @property
    def kind(self) -> str: ...  # updated | new | removed | other
    @property
    def title(self) -> str: ...
    @property
    def url(self) -> str | None: ...
    @property
    def note(self) -> str: ...
    @property
    def first_seen_at(self) -> datetime: ...
    @property
    def sync_run_id(self) -> int | None: ...


class SyncRunRecord(Protocol):
    """One read of the manual into the index."""

    @property
    def id(self) -> int: ...
    @property
    def base_url(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def finished_at(self) -> datetime: ...
    @property
    def status(self) -> str: ...  # ok | partial | failed
    @property
    def requests(self) -> int: ...
    @property
    def chapters_seen(self) -> int: ...
    @property
    def chapters_added(self) -> int: ...
    @property
    def chapters_changed(self) -> int: ...
    @property
    def chapters_unchanged(self) -> int: ...
    @property
    def chapters_removed(self) -> int: ...
    @property
    def amendments_new(self) -> int: ...
    @property
    def message(self) -> str | None: ...
    @property
    def errors(self) -> Sequence[Mapping[str, Any]]: ...


class IndexHitRecord(Protocol):
    """A full-text hit: a chapter or a register document, with the concepts it matched."""

    @property
    def kind(self) -> str: ...  # chapter | document
    @property
    def item_id(self) -> int: ...
    @property
    def rank(self) -> float: ...  # higher is better; comparable within one query
    @property
    def matched(self) -> tuple[bool, ...]: ...  # per concept
    @property
    def snippet(self) -> str: ...
    @property
    def in_title(self) -> tuple[bool, ...]: ...


class ManualSearchIndex(Protocol):
    async def search(self, concepts: Sequence[Concept], *, limit: int = 40,
                     require_all: bool = False) -> Sequence[IndexHitRecord]:
        """Rows matching any concept (or every concept, with require_all), best first."""
        ...


class ManualRepository(Protocol):
    @property
    def index(self) -> ManualSearchIndex: ...

    async def count(self) -> int: ...
    async def light_rows(self) -> list[ChapterLightRow]: ...
    async def by_ids(self, ids: Sequence[int]) -> Sequence[ChapterRecord]: ...
    async def by_url(self, url: str) -> ChapterRecord | None: ...
    async def by_title(self, title: str) -> Sequence[ChapterRecord]: ...
    async def add(self, **fields: Any) -> ChapterRecord: ...
    async def add_many(self, rows: list[dict[str, Any]]) -> Sequence[ChapterRecord]: ...
    async def change(self, chapter_id: int, **fields: Any) -> None: ...
    async def touch(self, ids: Iterable[int], at: datetime) -> None: ...
    async def remove(self, ids: Iterable[int]) -> None: ...
    async def texts(self) -> list[tuple[str, str | None, str]]:
        """(title, section, text) of every chapter."""
        ...
    async def versions(self) -> dict[int, str]:
        """{chapter id: content hash} of every chapter."""
        ...
    async def for_index(self, ids: Sequence[int] | None = None) -> list[ChapterIndexRow]: ...
    async def generation(self) -> ManualGeneration:
        """Changes whenever the searchable content may have changed (cache key)."""
        ...
    async def register_rows(self) -> list[RegisterSearchRow]: ...
    async def documents_for(self, urls: Iterable[str], titles: Iterable[str]) -> Sequence[DocumentRecord]:
        """Register documents that are, or point at, these chapters (by manual link or same title)."""
        ...
    async def amendment_keys(self) -> set[tuple[str, str, str]]: ...
    async def add_amendment(self, **fields: Any) -> AmendmentRecord: ...
    async def amendments(self, update_label: str | None = None) -> Sequence[AmendmentRecord]: ...
    async def latest_update_label(self) -> str | None: ...
    async def add_run(self, **fields: Any) -> SyncRunRecord: ...
    async def runs(self, limit: int = 20) -> Sequence[SyncRunRecord]: ...
    async def last_good_run(self) -> SyncRunRecord | None: ...
