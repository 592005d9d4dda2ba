"""The online procedures manual's index: chapters, the amendments each update listed, and sync runs.

The full-text index itself is not a model: on SQLite it is an FTS5 virtual table (search_fts)
fed by triggers on manual_chapters and documents; on PostgreSQL it is the search_vector column
below (kept by a trigger) with a GIN index, and a GIN expression index on documents. Migration
0002_manual creates them; store/manual_search.py queries them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, BigId, TZDateTime

# PostgreSQL keeps a weighted tsvector per chapter; SQLite has the FTS5 table instead (column unused).
SearchVector = Text().with_variant(TSVECTOR(), "postgresql")


class ManualChapter(Base):
    __tablename__ = "manual_chapters"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    section: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    updated_on: Mapped[date | None] = mapped_column(Date)
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    content_hash: Mapped[str] = mapped_column(String(64))
    links: Mapped[list] = mapped_column(JSON, default=list)  # other chapters' addresses this one links to
    # Its paragraphs and list items ([kind, text, heading, anchor] each): the answer index (issue 16).
    passages: Mapped[list | None] = mapped_column(JSON, default=list, deferred=True)
    first_seen_at: Mapped[datetime] = mapped_column(TZDateTime)
    changed_at: Mapped[datetime] = mapped_column(TZDateTime)  # when its content last changed
    fetched_at: Mapped[datetime] = mapped_column(TZDateTime)
    search_vector: Mapped[str | None] = mapped_column(SearchVector, deferred=True)

    __table_args__ = (Index("ix_manual_chapters_section", "section"),)


class ManualSyncRun(Base):
    __tablename__ = "manual_sync_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    base_url: Mapped[str] = mapped_column(String(1000))
    started_at: Mapped[datetime] = mapped_column(TZDateTime)
    finished_at: Mapped[datetime] = mapped_column(TZDateTime)
    status: Mapped[str] = mapped_column(String(16))  # ok | partial | failed
    requests: Mapped[int] = mapped_column(Integer, default=0)
    chapters_seen: Mapped[int] = mapped_column(Integer, default=0)
    chapters_added: Mapped[int] = mapped_column(Integer, default=0)
    chapters_changed: Mapped[int] = mapped_column(Integer, default=0)
    chapters_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    chapters_removed: Mapped[int] = mapped_column(Integer, default=0)
    amendments_new: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    errors: Mapped[list] = mapped_column(JSON, default=list)  # [{"url":…, "reason":…, "status":…}]


class ManualAmendment(Base):
    """One line of the manual's amendments page: which chapter an update changed, added or removed."""

    __tablename__ = "manual_amendments"
    __table_args__ = (
        UniqueConstraint("update_label", "kind", "title", name="uq_manual_amendment"),
        Index("ix_manual_amendments_url", "url"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    update_label: Mapped[str] = mapped_column(String(200))
    published_on: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))  # updated | new | removed | other
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(1000))
    note: Mapped[str] = mapped_column(Text, default="")
    first_seen_at: Mapped[datetime] = mapped_column(TZDateTime)
    sync_run_id: Mapped[int | None] = mapped_column(ForeignKey("manual_sync_runs.id"))
