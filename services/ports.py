"""The ports: what the use cases need from the world, declared as Protocols, and the records that
cross them. `store/` and `connectors/` implement these; `bot/bootstrap.py` wires real or fake
adapters; `tests/service/fakes.py` holds the fakes. Nothing here does I/O.

Sections: time; notices and delivery (Teams, mail, the notice renderer); the unit of work and its
repositories; the directory; spreadsheets; Word documents and stored files; the manual; mail in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
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
    """What a message is, which decides how it is paced, held or folded into a digest."""

    NOTICE = "notice"  # a decision, a step, a request: sent straight away
    REMINDER = "reminder"  # a review coming due (NCT-11)
    OVERDUE = "overdue"
    ESCALATION = "escalation"  # NCT-11 ladder, DOR-11, DOR-12
    NUDGE = "nudge"  # a case waiting too long
    CONSULTATION = "consultation"  # BCT-4 reminder before a consultation closes
    UPDATE_WINDOW = "update_window"  # NCT-2, NCT-4
    DIGEST = "digest"  # a person's held nudges folded into one morning message
    PUBLISHED = "published"  # BCT-9 weekly, DOR-13 monthly
    PAPERS = "papers"  # DOR-8, BCT-6 meeting papers
    ACTION = "action"  # DOR-10 meeting actions
    MANUAL_UPDATE = "manual_update"  # NCT-14 what a manual update touches


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str
    mime_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class Notice:
    """One message owed to one person (or one mailbox address), always keyed.

    The key is the idempotency key of the outbox: the same key is queued once, however often the
    use case runs. A use case raises notices with `uow.notify(...)`; the unit of work writes them to
    the outbox inside its own `commit()`, in the same transaction as the change that caused them.
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

    async def send(self, email: Email, now: datetime) -> str: ...


@dataclass(frozen=True, slots=True)
class SentActivity:
    conversation_id: str
    activity_id: str | None
    service_url: str


class TeamsSender(Protocol):
    """Proactive Teams messages (the Bot Connector REST API, or a fake)."""

    async def send(self, person_id: str, message: Any) -> SentActivity: ...


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
    """One sheet as a person sees it: values (dates as dates), merged ranges filled with their value,
    hidden rows and columns named, and links kept. Row and column numbers are 0-based."""

    name: str
    cells: tuple[tuple[Any, ...], ...]
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    links: Mapping[tuple[int, int], str] = field(default_factory=dict)
    visible: bool = True


@dataclass(frozen=True, slots=True)
class Workbook:
    filename: str
    sheets: tuple[Sheet, ...]
    kind: str  # "xlsx" or "csv"


class SpreadsheetReader(Protocol):
    def read(self, path: Path) -> Workbook:
        """Raises services.errors.BadInput with a plain reason for a file it cannot open."""
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

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> Any: ...  # an async context manager yielding a UnitOfWork
