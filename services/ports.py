"""The ports: what the use cases need from the world, declared as Protocols, and the records that
cross them. `store/` and `connectors/` implement these; `bot/bootstrap.py` wires real or fake
adapters; `tests/service/fakes.py` holds the fakes. Nothing here does I/O.

Sections: time; notices and delivery (Teams, mail, the notice renderer); the unit of work and its
repositories; the directory; spreadsheets; Word documents and stored files; the manual; mail in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

# ============================================================== time


class Clock(Protocol):
    """Everything asks the clock; nothing calls datetime.now() directly. Times are Europe/London."""

    def now(self) -> datetime: ...

    def today(self) -> date: ...


# ============================================================== notices and delivery


class NoticeKind(StrEnum):
    """What a message is, which decides how it is paced, held or folded into a digest. The values
    are the outbox's `kind` column; `governance.reminders.NUDGE_KINDS` names the nudges among them."""

    NOTICE = "notice"  # a decision, a step, a request, meeting paperwork: sent straight away
    REVIEW_DUE = "review_due"  # NCT-11 a review coming due
    REVIEW_OVERDUE = "review_overdue"
    REVIEW_ESCALATION = "review_escalation"  # NCT-11 ladder, DOR-11, DOR-12
    CASE_WAITING = "case_waiting"  # a case waiting too long
    CONDITIONS_WAITING = "conditions_waiting"
    CONSULTATION_CLOSING = "consultation_closing"  # BCT-4 reminder before a consultation closes
    UPDATE_WINDOW = "update_window"  # NCT-2, NCT-4
    DIGEST = "digest"  # BCT-9 weekly, DOR-13 monthly
    PERSONAL_DIGEST = "personal_digest"  # a person's held nudges folded into one morning message
    MANUAL_UPDATE = "manual_update"  # NCT-14 what a manual update touches


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str
    mime_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class Notice:
    """One message owed to one person (or one mailbox address), always keyed.

    The key is the idempotency key of the outbox: the same key is queued once (per person and
    channel), however often the use case runs. A use case raises notices with `uow.notify(...)`; the
    unit of work writes them to the outbox inside its own `commit()`, in the same transaction as the
    change that caused them. A key that starts with `daily:` (see `services.delivery.notices.daily`)
    is completed with the day it is queued: the same words to the same person go once a day.
    """

    key: str
    subject: str
    body: str
    person_id: str | None = None
    address: str | None = None  # an email address that is not a person (a mailbox, a list)
    kind: NoticeKind = NoticeKind.NOTICE
    case_id: int | None = None
    document_ref: str | None = None
    due_on: date | None = None
    lines: tuple[str, ...] = ()
    with_chart: bool = False  # the review-compliance chart goes with it (BCT-9)
    not_before: datetime | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("a Notice needs its idempotency key")
        if not (self.person_id or self.address):
            raise ValueError("a Notice needs a person or an address")


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One claimed outbox row: one message to one person (or address) on one channel, with what it
    needs to be rendered, captured when it was queued."""

    id: int
    key: str
    kind: str
    channel: str  # teams | email | none
    person_id: str | None
    address: str | None
    subject: str
    body: str
    case_id: int | None = None
    document_ref: str | None = None
    due_on: date | None = None
    lines: tuple[str, ...] = ()
    with_chart: bool = False
    attempts: int = 0
    last_error: str | None = None
    # claimed before without being marked (a crash mid-send, a failure): it may already have gone,
    # so a transport that can look (Graph's Sent Items) checks before sending it again
    possible_repeat: bool = False


class PersonFacts(Protocol):
    """What delivery and the lifecycle read of a person (a directory row, or a fake)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def email(self) -> str | None: ...

    @property
    def aad_object_id(self) -> str | None: ...

    @property
    def preferences(self) -> Mapping[str, Any] | None: ...


class NoticeRenderer(Protocol):
    """Turns an outbox item (and the live case view, when it is about a case) into what Teams and
    email carry. Implemented in `render/notices.py`, wired in `bot/bootstrap.py`."""

    def for_teams(self, item: OutboxItem, view: Any | None) -> Any: ...

    def for_email(self, item: OutboxItem, view: Any | None, organisation: str) -> tuple[str, str]:
        """(plain text, HTML)."""
        ...

    def compliance_chart(self, report: Any) -> bytes:
        """The review-compliance chart (PNG) that goes with a BCT-9 digest."""
        ...


class SendError(Exception):
    """A transport could not send. The message says why, for the outbox's last_error."""


class TransientSendError(SendError):
    """Try again later (after `retry_after` seconds when the far end said so)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentSendError(SendError):
    """The message cannot go as it is: keep it, failed, for an admin."""


@dataclass(frozen=True, slots=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    key: str  # the outbox key: the Message-ID and the calendar UID derive from it
    due_on: date | None = None
    due_summary: str | None = None
    to_name: str | None = None
    attachments: tuple[Attachment, ...] = ()
    in_reply_to: str | None = None  # the Message-ID this answers (a threaded reply)
    references: tuple[str, ...] = ()


class MailTransport(Protocol):
    """SMTP, Graph sendMail, or a fake. Returns the provider's id for the sent message."""

    async def send(self, email: Email, now: datetime, *, resend: bool | None = None) -> str:
        """`resend`: True when this may repeat an earlier attempt, False when it is the first
        (None: the caller cannot say, so the transport checks where it can)."""
        ...


@dataclass(frozen=True, slots=True)
class SentActivity:
    conversation_id: str
    activity_id: str | None
    service_url: str


class TeamsSender(Protocol):
    """Proactive Teams messages (the Bot Connector REST API, or a fake)."""

    async def send(self, person_id: str, message: Any) -> SentActivity: ...


# ============================================================== cases


class PersonRecord(PersonFacts, Protocol):
    """A person as the lifecycle reads them: their facts and their organisation-wide roles."""

    @property
    def role_names(self) -> frozenset[str]: ...

    @property
    def service_area(self) -> str | None: ...


class DocumentRecord(Protocol):
    """A register entry as the lifecycle reads and changes it (the store's row, or a fake)."""

    id: int
    ref: str
    title: str
    doc_type: str
    category: str | None
    service_area: str | None
    status: str
    version: str | None
    ro_id: str | None
    rsm_id: str | None
    extra: dict[str, Any] | None
    approved_on: date | None
    last_reviewed_on: date | None
    next_review_due: date | None
    updated_at: datetime


class CaseRecord(Protocol):
    """A case as the lifecycle reads it; its changes go through `uow.cases.save` (compare-and-swap)."""

    @property
    def id(self) -> int: ...

    @property
    def document_id(self) -> int: ...

    @property
    def state(self) -> dict[str, Any]: ...

    @property
    def status(self) -> str: ...

    @property
    def waiting_for(self) -> list[str]: ...

    @property
    def version(self) -> int: ...

    @property
    def updated_at(self) -> datetime: ...


# ============================================================== the directory


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """One person as a directory source (a CSV file, Microsoft Entra ID) describes them."""

    name: str
    email: str | None
    aad_object_id: str | None = None
    person_id: str | None = None
    job_title: str | None = None
    service_area: str | None = None
    active: bool = True
    manager: str | None = None  # an Entra object id (Graph) or an email or name (CSV)
    roles: frozenset[str] | None = None  # None: this source does not give roles


class DirectorySource(Protocol):
    tenant_id: str

    async def read(self, role_groups: Mapping[str, str]) -> tuple[list[DirectoryEntry], frozenset[str]]:
        """(entries, the roles this source manages: those follow its groups, others are left alone)."""
        ...


class PeopleFileReader(Protocol):
    def read(self, path: Path) -> tuple[list[DirectoryEntry], list[str]]:
        """(entries, rejected rows as 'row N: why'); BadInput for a file it cannot read."""
        ...


# ============================================================== spreadsheets


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet as a person sees it: values (Excel date cells as dates), merged ranges filled with
    their value, hidden rows and columns named, and links kept. Row and column numbers are 0-based.

    `row_numbers[i]` is the number a person is told for row i: the row as Excel shows it, or for a
    CSV file the line on which the record starts (a quoted cell may hold line breaks); empty means
    i + 1. When written, `heading_row` is set bold with filters and the panes frozen below it, and
    `fills` colours whole rows (RGB, e.g. "FFC7CE")."""

    name: str
    cells: tuple[tuple[Any, ...], ...]
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    links: Mapping[tuple[int, int], str] = field(default_factory=dict)
    visible: bool = True
    row_numbers: tuple[int, ...] = ()
    heading_row: int | None = None
    fills: Mapping[int, str] = field(default_factory=dict)

    def number(self, row: int) -> int:
        return self.row_numbers[row] if row < len(self.row_numbers) else row + 1


@dataclass(frozen=True, slots=True)
class Workbook:
    filename: str
    sheets: tuple[Sheet, ...]
    kind: str  # "xlsx" or "csv"


class SpreadsheetReader(Protocol):
    """.xlsx and .csv files (connectors/spreadsheets.py). The use cases see only these records."""

    def read(self, path: Path) -> Workbook:
        """Raises services.errors.BadInput with a plain reason for a file it cannot open."""
        ...

    def write(self, path: Path, workbook: Workbook) -> None:
        """Write .xlsx (every sheet) or .csv (the first sheet, UTF-8 with a BOM), by the path's suffix."""
        ...


# ============================================================== Word documents and stored files


@dataclass(frozen=True, slots=True)
class DraftFacts:
    """What a .docx is, found without trusting its name or declared type."""

    sha256: str
    size: int
    title: str | None
    paragraphs: int
    words: int
    insertions: int
    deletions: int
    format_changes: int
    comments: int
    authors: tuple[str, ...]

    @property
    def has_tracked_changes(self) -> bool:
        return (self.insertions + self.deletions + self.format_changes) > 0


class ChangeKind(StrEnum):
    INSERTION = "insertion"
    DELETION = "deletion"
    COMMENT = "comment"
    CHANGED = "changed"  # a paragraph that differs between two versions


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    section: str  # the heading it sits under ("3. Roles and responsibilities"); "" before any heading
    text: str  # the words, shortened for a card
    author: str | None = None


@dataclass(frozen=True, slots=True)
class ChangeSummary:
    changes: tuple[Change, ...]
    insertions: int
    deletions: int
    comments: int
    sections: tuple[str, ...]  # the headings touched, in document order
    changed: int = 0  # paragraphs reworded between two versions (a comparison, not tracked changes)

    @property
    def total(self) -> int:
        return self.insertions + self.deletions + self.comments + self.changed


class DocxInspector(Protocol):
    """Checks run off the event loop by the caller (a worker thread)."""

    def inspect(self, path: Path, filename: str) -> DraftFacts:
        """Raises services.errors.BadInput with one plain sentence for anything that is not a safe .docx."""
        ...

    def tracked_changes(self, path: Path) -> ChangeSummary: ...

    def compare(self, old: Path, new: Path) -> ChangeSummary: ...

    def redline(self, old: Path, new: Path, out: Path) -> None:
        """Write a .docx showing the differences from old to new as tracked changes."""
        ...


class FileStore(Protocol):
    """Files kept by their SHA-256 in the data folder: the same file sent twice is stored once."""

    async def put_stream(self, chunks: AsyncIterator[bytes], limit: int) -> tuple[str, int, Path]:
        """(sha256, size, path); raises services.errors.TooLarge past `limit` bytes."""
        ...

    def put_bytes(self, data: bytes) -> tuple[str, int, Path]:
        """(sha256, size, path) for bytes already in memory (stored once, like put_stream)."""
        ...

    def path(self, sha256: str) -> Path: ...

    def exists(self, sha256: str) -> bool: ...

    def discard(self, sha256: str) -> None:
        """Remove a file that was refused after it was streamed in (nothing refused is kept)."""
        ...


# ============================================================== the unit of work

# The repositories are declared beside the records they return, in the section of their
# capability below; the unit of work gathers them.


class UnitOfWork(Protocol):
    """`async with uow_factory() as uow: ...; await uow.commit()`: anything not committed rolls back.
    Notices raised with `notify` are written to the outbox by `commit`, in the same transaction."""

    def notify(self, *notices: Notice) -> None: ...

    @property
    def notices(self) -> Sequence[Notice]: ...

    async def write_notices(self) -> int:
        """Write the notices raised so far now, inside this transaction (commit does it anyway);
        returns how many outbox rows were new (a sweep records it)."""
        ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class NoticeWriter(Protocol):
    """The outbox's rules for queuing notices (channels per person, the digest hold, the key once),
    given to the store's unit of work by `bot/bootstrap.py`; it runs inside `commit()`."""

    async def __call__(self, uow: Any, notices: Sequence[Notice]) -> int: ...


class ConcurrencyConflict(Exception):
    """Someone else changed the record first (a stale version or e_tag): the store raises it, the use
    case decides what the person is told."""


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> Any: ...  # an async context manager yielding a UnitOfWork


# ============================================================== the online procedures manual
# (added by s-register: the manual source, implemented by connectors/trix/crawler.py)

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
