"""Cases (one piece of work on one document), their draft versions and the decision cards sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, BigId, TZDateTime


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    preset: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(40))
    stage: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    state: Mapped[dict] = mapped_column(JSON)  # governance Case as JSON (governance.lifecycle.case_to_dict)
    waiting_for: Mapped[list] = mapped_column(JSON, default=list)  # role ids / person:<id> the case waits on
    due_on: Mapped[datetime | None] = mapped_column(TZDateTime)
    opened_by: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    opened_at: Mapped[datetime] = mapped_column(TZDateTime)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic concurrency: stale clicks lose

    __table_args__ = (Index("ix_cases_document", "document_id"), Index("ix_cases_status", "status"),
                      Index("ix_cases_status_updated", "status", "updated_at"), Index("ix_cases_status_stage", "status", "stage"))


class DraftVersion(Base):
    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_draft_number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    number: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)  # the file itself is kept once, in the data folder by its SHA-256
    tracked_insertions: Mapped[int] = mapped_column(Integer, default=0)
    tracked_deletions: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_by: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    uploaded_at: Mapped[datetime] = mapped_column(TZDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    # issue 17: what changed (tracked changes, or a comparison with the previous version) and how
    # the author called it
    comments: Mapped[int] = mapped_column(Integer, default=0)
    changes: Mapped[dict | None] = mapped_column(JSON)
    change_kind: Mapped[str | None] = mapped_column(String(16))  # editorial | substantive


class SentCard(Base):
    """A decision card sent to someone, so every copy can be updated in place after a decision."""

    __tablename__ = "sent_cards"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    channel_id: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str] = mapped_column(String(500))
    activity_id: Mapped[str] = mapped_column(String(200))
    service_url: Mapped[str] = mapped_column(String(1000))
    case_version: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(TZDateTime)
    stale: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_sent_cards_case", "case_id"),)
