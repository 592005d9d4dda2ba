"""Notices and delivery: the one `Notice` type, the outbox item it becomes, and the ports that carry
it (the Teams sender, the mail transport, the notice renderer)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol


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
    DEMAND_DIGEST = "demand_digest"  # issue 16: what staff looked for and did not find, weekly to the PPO


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
    requests: tuple[str, ...] = ()  # one-press new-document requests offered (the demand digest)
    calendar: str | None = None  # an invitation's calendar file (.ics), e.g. a Review Session (NCT-5)
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


@dataclass(frozen=True, slots=True)
class TeamsChat:
    """Where a person's 1:1 chat with the bot is, as last seen (a conversation reference)."""

    service_url: str
    conversation_id: str
    tenant_id: str
    reference: Mapping[str, Any]


class TeamsSender(Protocol):
    """Proactive Teams messages (the Bot Connector REST API, or a fake). `chat` is the person's chat
    when the caller has read it already (the dispatcher reads a whole batch's in its claim); without
    it the sender looks it up, or starts one."""

    async def send(self, person_id: str, message: Any, chat: TeamsChat | None = None) -> SentActivity: ...
