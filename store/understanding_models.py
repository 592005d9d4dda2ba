"""Misunderstandings (issue 15 item 9): what the bot could not read, kept with the person's id only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, BigId, TZDateTime


class Misunderstood(Base):
    __tablename__ = "misunderstood"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(TZDateTime)
    person_id: Mapped[str | None] = mapped_column(String(64))  # no name, no address
    kind: Mapped[str] = mapped_column(String(16))  # fallback | said_no | abandoned
    text: Mapped[str] = mapped_column(String(200))  # what was said, cut short

    __table_args__ = (Index("ix_misunderstood_at", "at"),)
