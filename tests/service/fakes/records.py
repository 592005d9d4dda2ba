"""The rows the fake repositories hold and return: the same attribute names (and defaults) as the
store's tables, so a use case reads and changes them as it does the store's. The store-tier contract
test (tests/store/test_repository_contract.py) checks the names against the SQLAlchemy models, so a
column added to the store and not here fails there, not in a service test's puzzling error."""

from __future__ import annotations

import copy
from dataclasses import fields
from typing import Any, ClassVar, TypeVar

R = TypeVar("R")


class Row:
    """A record with named fields and the table's defaults. Unknown names are refused, as the ORM's
    constructor refuses them. Relationship attributes (`RELATIONS`) are loaded by the repository that
    returns the row and are not part of its identity (not compared, not stored)."""

    TABLE: ClassVar[str] = ""
    FIELDS: ClassVar[dict[str, Any]] = {}
    RELATIONS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **values: Any) -> None:
        unknown = set(values) - set(self.FIELDS) - set(self.RELATIONS)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        for name, default in self.FIELDS.items():
            setattr(self, name, values[name] if name in values else copy.deepcopy(default))
        for name in self.RELATIONS:
            setattr(self, name, values.get(name))

    def columns(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.columns() == other.columns()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, like an ORM row

    def stored(self) -> Row:
        """A copy for the committed tables: the columns only, detached from this unit of work."""
        return type(self)(**copy.deepcopy(self.columns()))

    def __repr__(self) -> str:
        key = getattr(self, "id", None) or getattr(self, "key", None)
        return f"<{type(self).__name__} {key!r}>"


class PersonRole(Row):
    TABLE = "person_roles"
    FIELDS = {"id": None, "person_id": None, "role": None}


class Person(Row):
    TABLE = "people"
    FIELDS = {"id": None, "name": None, "email": None, "aad_object_id": None, "tenant_id": None, "job_title": None,
              "service_area": None, "manager_id": None, "active": True, "preferences": {}}
    RELATIONS = ("roles",)

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.roles = list(values.get("roles") or [])

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)

    def columns(self) -> dict[str, Any]:  # the roles are the person's own rows: compared and stored with them
        return {**super().columns(), "roles": sorted(r.role for r in self.roles)}

    def stored(self) -> Person:
        cols = copy.deepcopy(super().columns())
        return Person(**cols, roles=[PersonRole(person_id=self.id, role=r.role) for r in self.roles])


class Document(Row):
    TABLE = "documents"
    FIELDS = {"id": None, "ref": None, "doc_type": None, "title": None, "category": None, "service_area": None,
              "summary": None, "ro_id": None, "rsm_id": None, "status": "published", "version": None,
              "approved_on": None, "last_reviewed_on": None, "next_review_due": None, "manual_url": None,
              "extra": {}, "created_at": None, "updated_at": None}
    RELATIONS = ("ro", "rsm")


class AuditEntry(Row):
    TABLE = "audit_log"
    FIELDS = {"id": None, "at": None, "actor_id": None, "actor_name": None, "entity": None, "entity_id": None,
              "action": None, "summary": None, "reason": None, "details": {}, "seq": None, "prev_hash": None,
              "entry_hash": None}


class KeyValue(Row):
    TABLE = "key_values"
    FIELDS = {"key": None, "value": None}


class ConversationRef(Row):
    TABLE = "conversation_refs"
    FIELDS = {"id": None, "person_id": None, "aad_object_id": None, "tenant_id": None, "channel_id": None,
              "conversation_id": None, "conversation_type": None, "service_url": None, "reference": None,
              "updated_at": None}


class Case(Row):
    TABLE = "cases"
    FIELDS = {"id": None, "document_id": None, "preset": None, "kind": None, "stage": None, "status": "open",
              "state": None, "waiting_for": [], "due_on": None, "opened_by": None, "opened_at": None,
              "updated_at": None, "version": 1}


class DraftVersion(Row):
    TABLE = "draft_versions"
    FIELDS = {"id": None, "document_id": None, "case_id": None, "number": None, "filename": None, "sha256": None,
              "size": None, "tracked_insertions": 0, "tracked_deletions": 0, "uploaded_by": None,
              "uploaded_at": None, "note": None, "comments": 0, "changes": None, "change_kind": None}


class SentCard(Row):
    TABLE = "sent_cards"
    FIELDS = {"id": None, "case_id": None, "person_id": None, "channel_id": None, "conversation_id": None,
              "activity_id": None, "service_url": None, "case_version": None, "sent_at": None, "stale": 0}


class OutboxMessage(Row):
    TABLE = "outbox"
    FIELDS = {"id": None, "key": None, "kind": None, "channel": None, "person_id": None, "address": None,
              "subject": None, "body": None, "case_id": None, "document_ref": None, "due_on": None, "payload": {},
              "status": "pending", "attempts": 0, "not_before": None, "claimed_until": None, "claimed_by": None,
              "last_error": None, "created_at": None, "sent_at": None, "provider_id": None, "claims": 0}


class SweepRun(Row):
    TABLE = "sweep_runs"
    FIELDS = {"id": None, "sweep": None, "started_at": None, "finished_at": None, "queued": 0, "holder": None,
              "error": None}


class SchedulerLease(Row):
    TABLE = "scheduler_leases"
    FIELDS = {"name": None, "holder": None, "expires_at": None, "acquired_at": None}


class Meeting(Row):
    TABLE = "meetings"
    FIELDS = {"id": None, "body": None, "starts_at": None, "status": "scheduled", "one_off": False,
              "papers_sent_at": None, "minutes_sent_at": None, "report_sent_at": None, "created_at": None}


class AgendaItem(Row):
    TABLE = "agenda_items"
    FIELDS = {"id": None, "meeting_id": None, "document_id": None, "case_id": None, "title": None, "kind": None,
              "section": None, "position": 0, "outcome": None, "outcome_note": None, "recorded_by": None,
              "recorded_at": None, "added_by": None, "added_at": None, "carried_from": None}


class ForwardPlanEntry(Row):
    TABLE = "forward_plan"
    FIELDS = {"id": None, "body": None, "document_id": None, "case_id": None, "title": None, "kind": None,
              "status": "planned", "agenda_item_id": None, "referred_from": None, "added_by": None, "added_at": None}


class Attendance(Row):
    TABLE = "meeting_attendance"
    FIELDS = {"id": None, "meeting_id": None, "person_id": None, "status": None, "delegate_name": None,
              "recorded_at": None}


class MeetingAction(Row):
    TABLE = "meeting_actions"
    FIELDS = {"id": None, "meeting_id": None, "body": None, "agenda_item_id": None, "text": None, "owner_id": None,
              "due_on": None, "done_at": None, "last_chased_on": None, "created_at": None}


class Minutes(Row):
    TABLE = "meeting_minutes"
    FIELDS = {"id": None, "meeting_id": None, "text": None, "recorded_by": None, "recorded_at": None}


class MeetingReport(Row):
    TABLE = "meeting_reports"
    FIELDS = {"id": None, "body": None, "kind": None, "period_start": None, "period_end": None, "text": None,
              "sent_at": None}


class ImportRun(Row):
    TABLE = "import_runs"
    FIELDS = {"id": None, "at": None, "actor_id": None, "filename": None, "sha256": None, "sheet": None, "added": 0,
              "updated": 0, "unchanged": 0, "rejected": 0, "skipped_bad": False, "details": {}}


class Asset(Row):
    TABLE = "assets"
    FIELDS = {"id": None, "ref": None, "kind": None, "title": None, "location": None, "owner_id": None, "extra": {},
              "created_at": None, "updated_at": None}


class AssetLink(Row):
    TABLE = "asset_links"
    FIELDS = {"id": None, "asset_id": None, "document_id": None, "note": None, "created_at": None}


class OwnershipFlag(Row):
    TABLE = "ownership_flags"
    FIELDS = {"id": None, "document_id": None, "person_id": None, "role": None, "reason": None, "flagged_at": None,
              "resolved_at": None}


class ComplianceSnapshot(Row):
    TABLE = "compliance_snapshots"
    FIELDS = {"id": None, "taken_on": None, "taken_at": None, "total": None, "in_date": None, "due_soon": None,
              "overdue": None, "no_date": None}


class ManualChapter(Row):
    TABLE = "manual_chapters"
    FIELDS = {"id": None, "url": None, "title": None, "section": None, "text": None, "updated_on": None, "etag": None,
              "last_modified": None, "content_hash": None, "links": [], "passages": [], "first_seen_at": None,
              "changed_at": None, "fetched_at": None, "search_vector": None}


class ManualAmendment(Row):
    TABLE = "manual_amendments"
    FIELDS = {"id": None, "update_label": None, "published_on": None, "kind": None, "title": None, "url": None, "note": "",
              "first_seen_at": None, "sync_run_id": None}


class ManualSyncRun(Row):
    TABLE = "manual_sync_runs"
    FIELDS = {"id": None, "base_url": None, "started_at": None, "finished_at": None, "status": None, "requests": 0,
              "chapters_seen": 0, "chapters_added": 0, "chapters_changed": 0, "chapters_unchanged": 0,
              "chapters_removed": 0, "amendments_new": 0, "message": None, "errors": []}


class AnswerGiven(Row):
    TABLE = "answers_given"
    FIELDS = {"id": None, "at": None, "person_id": None, "channel": None, "question": None, "topic": None,
              "outcome": None, "chapter_url": None, "chapter_title": None, "closest": [], "feedback": None,
              "feedback_note": None, "feedback_at": None}


class AnswerIndexKept(Row):
    TABLE = "answer_index_kept"
    FIELDS = {"id": None, "format": None, "built_at": None, "passages": None, "data": None}


def as_record(cls: type[R], row: Row) -> R:
    """The row's columns as the port's frozen record (the same names), as store/records.py does."""
    return cls(**{f.name: copy.deepcopy(getattr(row, f.name)) for f in fields(cls)})  # type: ignore[arg-type]


def as_record_or_none(cls: type[R], row: Row | None) -> R | None:
    return None if row is None else as_record(cls, row)


def change(row: Row | None, what: str, values: dict[str, Any]) -> Row:
    """Set `values` on a row of this unit of work, refusing an unknown column as the store does."""
    if row is None:
        raise LookupError(f"no {what}")
    for name, value in values.items():
        if name not in row.FIELDS:
            raise AttributeError(f"{type(row).__name__} has no {name}")
        setattr(row, name, value)
    return row


RECORDS: tuple[type[Row], ...] = (
    Person, PersonRole, Document, AuditEntry, KeyValue, ConversationRef, Case, DraftVersion, SentCard, OutboxMessage,
    SweepRun, SchedulerLease, Meeting, AgendaItem, ForwardPlanEntry, Attendance, MeetingAction, Minutes, MeetingReport,
    ImportRun, Asset, AssetLink, OwnershipFlag, ComplianceSnapshot, AnswerGiven, ManualChapter, ManualAmendment, ManualSyncRun)
