"""The outbox (every message we owe someone) and the scheduler's lease.

A message row is written in the same transaction as the event that causes it, then sent by the
dispatcher; its `key` is the idempotency key, so a sweep that runs twice, a restart or two
processes can never owe the same message twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, BigId, TZDateTime


class OutboxMessage(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)  # idempotency key, one per channel
    kind: Mapped[str] = mapped_column(String(40))  # notice | review_due | review_overdue | case_waiting | ...
    channel: Mapped[str] = mapped_column(String(16))  # teams | email
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    address: Mapped[str | None] = mapped_column(String(320))  # email address when not a person
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(BigId)
    document_ref: Mapped[str | None] = mapped_column(String(32))
    due_on: Mapped[str | None] = mapped_column(String(10))  # ISO date of the deadline (for the .ics)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)  # rendering hints (lines, links, digestible)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sending | sent | failed | skipped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(TZDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(TZDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TZDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    provider_id: Mapped[str | None] = mapped_column(String(500))  # the activity id / message id we got back
    # how many times a sender has claimed it: more than once means an earlier claim ended without a
    # mark (a crash mid-send, or a failure), so the message may already have gone (issue 21)
    claims: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (
        Index("ix_outbox_due", "status", "not_before"),
        Index("ix_outbox_person", "person_id"),
    )


class SchedulerLease(Base):
    """Who runs the scheduled jobs. Taken with a conditional UPDATE, renewed while alive; when the
    holder dies its lease expires and another process takes over."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(TZDateTime)
    acquired_at: Mapped[datetime] = mapped_column(TZDateTime)


class SweepRun(Base):
    """One run of one sweep: when, by whom, how many messages it queued (for `policybot outbox`)."""

    __tablename__ = "sweep_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    sweep: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(TZDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    queued: Mapped[int] = mapped_column(Integer, default=0)
    holder: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_sweep_runs_sweep", "sweep", "started_at"),)
