"""The store's repositories, held by mypy to the Protocols the use cases are typed against
(services/ports/): a method renamed or retyped on one side fails the type gate here. The rows they
return are held to the read-only records the use cases read."""

from __future__ import annotations

from services.ports import (
    AuditRepository,
    CaseRepository,
    DocumentRepository,
    DueRepository,
    KeyValueRepository,
    ManualRepository,
    ManualSearchIndex,
    MeetingRepository,
    OutboxRepository,
    PeopleRepository,
    RegisterRepository,
)
from services.ports import (
    AmendmentRecord,
    AuditRecord,
    CaseRecord,
    CaseSnapshot,
    ChapterRecord,
    DocumentRecord,
    DraftRecord,
    IndexHitRecord,
    OutboxRow,
    PersonRecord,
    SentCardRecord,
    SweepRunRecord,
    SyncRunRecord,
)
from store.audit_repo import AuditRepo
from store.case_repo import CaseRepo
from store.document_repo import DocumentRepo
from store.due_repo import DueRepo
from store.manual_repo import ManualRepo
from store.manual_search import IndexHit, SearchIndex
from store.meeting_repo import MeetingRepo
from store.outbox_repo import OutboxRepo
from store.people_repo import PeopleRepo
from store.register_repo import RegisterRepo
from store.uow import KeyValueRepo
from store.case_models import Case, DraftVersion, SentCard
from store.manual_models import ManualAmendment, ManualChapter, ManualSyncRun
from store.models import AuditEntry, Document, Person
from store.outbox_models import OutboxMessage, SweepRun


def people(repo: PeopleRepo) -> PeopleRepository:
    return repo


def documents(repo: DocumentRepo) -> DocumentRepository:
    return repo


def cases(repo: CaseRepo) -> CaseRepository:
    return repo


def due(repo: DueRepo) -> DueRepository:
    return repo


def audit(repo: AuditRepo) -> AuditRepository:
    return repo


def outbox(repo: OutboxRepo) -> OutboxRepository:
    return repo


def kv(repo: KeyValueRepo) -> KeyValueRepository:
    return repo


def meetings(repo: MeetingRepo) -> MeetingRepository:
    return repo


def manual(repo: ManualRepo) -> ManualRepository:
    return repo


def search_index(index: SearchIndex) -> ManualSearchIndex:
    return index


def register(repo: RegisterRepo) -> RegisterRepository:
    return repo


def person(row: Person) -> PersonRecord:
    return row


def document(row: Document) -> DocumentRecord:
    return row


def case(row: Case) -> CaseRecord:
    return row


def case_record(row: CaseSnapshot) -> CaseRecord:  # what the repositories hand out
    return row


def draft(row: DraftVersion) -> DraftRecord:
    return row


def card(row: SentCard) -> SentCardRecord:
    return row


def entry(row: AuditEntry) -> AuditRecord:
    return row


def outbox_row(row: OutboxMessage) -> OutboxRow:
    return row


def sweep_run(row: SweepRun) -> SweepRunRecord:
    return row


def chapter(row: ManualChapter) -> ChapterRecord:
    return row


def amendment(row: ManualAmendment) -> AmendmentRecord:
    return row


def sync_run(row: ManualSyncRun) -> SyncRunRecord:
    return row


def hit(row: IndexHit) -> IndexHitRecord:
    return row
