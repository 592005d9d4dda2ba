"""Meetings of decision bodies: the meetings, their agenda items, forward plans, attendance,
actions, minutes and the reports sent (DOR-7 to DOR-13, BCT-4 to BCT-8).

Body membership is not here: it is PersonRole rows (member:<body>, chair:<body>, vice_chair:<body>).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, BigId, TZDateTime


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("body", "starts_at", name="uq_meeting_body_start"),
                      Index("ix_meetings_body_start", "body", "starts_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    body: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(TZDateTime)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")  # scheduled | cancelled | held
    one_off: Mapped[bool] = mapped_column(Boolean, default=False)
    papers_sent_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    minutes_sent_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    report_sent_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    created_at: Mapped[datetime] = mapped_column(TZDateTime)


class AgendaItem(Base):
    __tablename__ = "agenda_items"
    __table_args__ = (Index("ix_agenda_items_meeting", "meeting_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    # The case's id, without a foreign key: this migration branch stands beside the cases one, so
    # it cannot rely on the cases table existing first.
    case_id: Mapped[int | None] = mapped_column(BigId)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32))  # governance.meetings.ITEM_KINDS
    section: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    added_by: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    added_at: Mapped[datetime] = mapped_column(TZDateTime)
    carried_from: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))


class ForwardPlanEntry(Base):
    """DOR-10 / BCT-7: what a body will consider, with or without a meeting yet."""

    __tablename__ = "forward_plan"
    __table_args__ = (Index("ix_forward_plan_body", "body", "status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    body: Mapped[str] = mapped_column(String(64))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    # The case's id, without a foreign key: this migration branch stands beside the cases one, so
    # it cannot rely on the cases table existing first.
    case_id: Mapped[int | None] = mapped_column(BigId)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="planned")  # planned | decided | withdrawn
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    referred_from: Mapped[str | None] = mapped_column(String(64))
    added_by: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    added_at: Mapped[datetime] = mapped_column(TZDateTime)


class Attendance(Base):
    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id", name="uq_attendance"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    status: Mapped[str] = mapped_column(String(16))  # present | absent | delegate
    delegate_name: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(TZDateTime)


class MeetingAction(Base):
    """DOR-10: actions from a meeting, notified to their owners and chased until done."""

    __tablename__ = "meeting_actions"
    __table_args__ = (Index("ix_meeting_actions_owner", "owner_id", "done_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    body: Mapped[str] = mapped_column(String(64))
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    last_chased_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(TZDateTime)


class Minutes(Base):
    __tablename__ = "meeting_minutes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime] = mapped_column(TZDateTime)


class MeetingReport(Base):
    """DOR-13 reports sent: one per body, kind and period, so the scheduler never sends twice."""

    __tablename__ = "meeting_reports"
    __table_args__ = (UniqueConstraint("body", "kind", "period_end", name="uq_meeting_report"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    body: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # after_meeting | monthly | annual
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(TZDateTime)
