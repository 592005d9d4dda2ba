"""Database tables. The schema itself is managed by Alembic (store/migrations)."""

from __future__ import annotations

from datetime import date, datetime, UTC

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL wants BIGINT for logs that grow.
BigId = BigInteger().with_variant(Integer(), "sqlite")

# The documents naming joint RSMs (NCT-7: documents.extra["other_rsm_ids"]): the partial index
# ix_documents_joint_rsms holds only these, and a query using this same condition reads it.
JOINT_RSMS = "CAST(extra AS TEXT) LIKE '%other_rsm_ids%'"


class TZDateTime(TypeDecorator):
    """A timezone-aware moment on every database. PostgreSQL keeps the offset itself; SQLite would
    silently drop it (storing London wall-clock time, an hour out in summer), so values go in as
    UTC and come back marked UTC. Comparisons in SQL are then right on both."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored: give it a timezone")
        return value.astimezone(UTC) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


class Person(Base):
    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    aad_object_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    job_title: Mapped[str | None] = mapped_column(String(200))
    service_area: Mapped[str | None] = mapped_column(String(200))
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    preferences: Mapped[dict] = mapped_column(JSON, default=dict)

    roles: Mapped[list[PersonRole]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)


class PersonRole(Base):
    """An organisation-wide role (ppo, slt, head_of_qa…) or a body membership (member:dlg, chair:dlg)."""

    __tablename__ = "person_roles"
    __table_args__ = (UniqueConstraint("person_id", "role", name="uq_person_role"), Index("ix_person_roles_role", "role"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(100))

    person: Mapped[Person] = relationship(back_populates="roles")


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    doc_type: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(200))
    service_area: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    ro_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    rsm_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    status: Mapped[str] = mapped_column(String(32), default="published")
    version: Mapped[str | None] = mapped_column(String(32))
    approved_on: Mapped[date | None] = mapped_column(Date)
    last_reviewed_on: Mapped[date | None] = mapped_column(Date)
    next_review_due: Mapped[date | None] = mapped_column(Date)
    manual_url: Mapped[str | None] = mapped_column(String(1000))
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(TZDateTime)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime)

    ro: Mapped[Person | None] = relationship(foreign_keys=[ro_id], lazy="selectin")
    rsm: Mapped[Person | None] = relationship(foreign_keys=[rsm_id], lazy="selectin")

    __table_args__ = (
        Index("ix_documents_next_review_due", "next_review_due"),
        Index("ix_documents_ro_id", "ro_id"),
        Index("ix_documents_rsm_id", "rsm_id"),
        # issue 22: the sweeps and the register's filters at 100,000 documents (migration 0016_scale)
        Index("ix_documents_status_due", "status", "next_review_due"),
        Index("ix_documents_approved_on", "approved_on"),
        Index("ix_documents_service_area", "service_area"),
        Index("ix_documents_doc_type", "doc_type"),
        # the few documents naming joint RSMs (NCT-7), for `my tasks` (migration 0018_perf)
        Index("ix_documents_joint_rsms", "id", postgresql_where=text(JOINT_RSMS), sqlite_where=text(JOINT_RSMS)),
    )


class AuditEntry(Base):
    """Append-only: who did what, when and why. Never updated or deleted (database triggers refuse
    it), and hash-chained so `policybot audit verify` proves nothing was changed or removed."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(TZDateTime)
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    # The hash chain (store/audit.py): position, the previous entry's hash, this entry's hash.
    seq: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    entry_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


class BotState(Base):
    """Conversation and dialog state for the Bot Framework `Storage`, with e_tags."""

    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(String(500), primary_key=True)
    etag: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime)


class ConversationRef(Base):
    """Where to reach a person proactively: the wire JSON of a conversation reference."""

    __tablename__ = "conversation_refs"
    __table_args__ = (UniqueConstraint("channel_id", "conversation_id", name="uq_conversation"),
                      Index("ix_conversation_refs_person", "person_id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    aad_object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str] = mapped_column(String(500))
    conversation_type: Mapped[str | None] = mapped_column(String(32))
    service_url: Mapped[str] = mapped_column(String(1000))
    reference: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime)


class ProcessedActivity(Base):
    """Inbound activities already handled (the email channel re-sends after 15 s)."""

    __tablename__ = "processed_activities"

    key: Mapped[str] = mapped_column(String(600), primary_key=True)
    at: Mapped[datetime] = mapped_column(TZDateTime)


class KeyValue(Base):
    """Small organisation-level facts (e.g. the demo was loaded, preset overrides)."""

    __tablename__ = "key_values"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)
