"""The head of the audit log's hash chain: one row, locked by every audit write."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base


class AuditChain(Base):
    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    seq: Mapped[int] = mapped_column(BigInteger)  # the last entry's position
    head: Mapped[str | None] = mapped_column(String(64))  # the last entry's hash
