"""Incoming mail from the policy mailbox (Microsoft Graph): one row per message, keyed by its
internet message id, so each is handled exactly once however often Graph tells us about it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, BigId, TZDateTime


class MailIn(Base):
    __tablename__ = "mail_in"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    internet_message_id: Mapped[str] = mapped_column(String(500), unique=True)
    graph_id: Mapped[str] = mapped_column(String(500))  # the message's id in the mailbox (changes when moved)
    # new -> turning (the turn is running) -> turned (its reply is kept here) -> answered (reply sent)
    # -> done (moved to the processed folder); refused (failed the sender checks) goes the same way.
    status: Mapped[str] = mapped_column(String(16), default="new")
    sender: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(500))
    case_id: Mapped[int | None] = mapped_column(BigId)
    audit_mark: Mapped[int | None] = mapped_column(BigId)  # the last audit id before the turn began
    reply_text: Mapped[str | None] = mapped_column(Text)
    reply_html: Mapped[str | None] = mapped_column(Text)
    refused: Mapped[str | None] = mapped_column(String(200))  # why the sender checks failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_until: Mapped[datetime | None] = mapped_column(TZDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    created_at: Mapped[datetime] = mapped_column(TZDateTime)
    done_at: Mapped[datetime | None] = mapped_column(TZDateTime)

    __table_args__ = (Index("ix_mail_in_status", "status"),)
