"""The register's own tables: assets governed by documents (DOR-14), tracker import runs,
ownership flags (NCT-1, people who left) and review-compliance snapshots for reports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, BigId, TZDateTime


class Asset(Base):
    """A form, template, system screen or training module that a document governs (DOR-1, DOR-14)."""

    __tablename__ = "assets"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # form | template | system | training | other
    title: Mapped[str] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(1000))
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(TZDateTime)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime)


class AssetLink(Base):
    """This document governs that asset: a change to the document means the asset is checked."""

    __tablename__ = "asset_links"
    __table_args__ = (
        UniqueConstraint("asset_id", "document_id", name="uq_asset_document"),
        Index("ix_asset_links_document", "document_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TZDateTime)


class ImportRun(Base):
    """One real (not dry) import of a tracker spreadsheet."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(TZDateTime)
    actor_id: Mapped[str | None] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    sheet: Mapped[str | None] = mapped_column(String(100))
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    skipped_bad: Mapped[bool] = mapped_column(Boolean, default=False)
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class OwnershipFlag(Base):
    """A document whose RO or RSM has left (disabled in the directory): orphaned to the PPO until
    someone is named (NCT-1)."""

    __tablename__ = "ownership_flags"
    __table_args__ = (Index("ix_ownership_flags_document", "document_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    role: Mapped[str] = mapped_column(String(8))  # ro | rsm
    reason: Mapped[str] = mapped_column(String(32))  # left
    flagged_at: Mapped[datetime] = mapped_column(TZDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(TZDateTime)


class ComplianceSnapshot(Base):
    """How reviews stood on one day: the points of the review-compliance chart."""

    __tablename__ = "compliance_snapshots"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    taken_on: Mapped[date] = mapped_column(Date, unique=True)
    taken_at: Mapped[datetime] = mapped_column(TZDateTime)
    total: Mapped[int] = mapped_column(Integer)
    in_date: Mapped[int] = mapped_column(Integer)
    due_soon: Mapped[int] = mapped_column(Integer)
    overdue: Mapped[int] = mapped_column(Integer)
    no_date: Mapped[int] = mapped_column(Integer)
