"""Answers given from the manual (issue 16): the question, what was found, and what the person said of it.

The demand report reads these: weak matches, nothing found, and "not what I needed" grouped by topic.
Kept with the person's id only (no name, no address), like the misunderstandings.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, BigId, TZDateTime


class AnswerGiven(Base):
    __tablename__ = "answers_given"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(TZDateTime)
    person_id: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str | None] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(String(200))  # what it was about, for grouping
    outcome: Mapped[str] = mapped_column(String(16))  # answered | weak | nothing | request
    chapter_url: Mapped[str | None] = mapped_column(String(1000))  # the best chapter (or document) cited or offered
    chapter_title: Mapped[str | None] = mapped_column(String(300))
    closest: Mapped[list] = mapped_column(JSON, default=list)  # [title, ...] the nearest chapters shown
    feedback: Mapped[str | None] = mapped_column(String(16))  # helpful | not_helpful
    feedback_note: Mapped[str | None] = mapped_column(String(300))  # "what were you looking for?"
    feedback_at: Mapped[datetime | None] = mapped_column(TZDateTime)

    __table_args__ = (Index("ix_answers_given_at", "at"),)


class AnswerIndexKept(Base):
    """The answer index as last built (services/manual/index_file.py), so a restart reads it in seconds
    instead of indexing every passage again. One row; `format` names the indexing that made it (a change
    of the indexing's code or weights makes it unusable, and it is built again)."""

    __tablename__ = "answer_index_kept"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    format: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime] = mapped_column(TZDateTime)
    passages: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
