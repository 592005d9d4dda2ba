"""The store's repositories, held by mypy to the Protocols the use cases are typed against
(services/ports/): a method renamed or retyped on one side fails the type gate here. The rows they
return are held to the read-only records the use cases read."""

from __future__ import annotations

from services.ports import (
    AnswerRepository,
    AuditRepository,
    CaseRepository,
    ConversationRepository,
    DocumentRepository,
    DueRepository,
    KeyValueRepository,
    LeaseRepository,
    ManualRepository,
    ManualSearchIndex,
    MeetingRepository,
    MisunderstoodRepository,
    OutboxRepository,
    PeopleRepository,
    RegisterRepository,
)
from services.ports import (
    AmendmentRecord,
    AnswerRecord,
    AuditRecord,
    CaseRecord,
    CaseSnapshot,
    ChapterRecord,
    ConversationRecord,
    DocumentRecord,
    DraftRecord,
    IndexHitRecord,
    LeaseRecord,
    OutboxRow,
    PersonRecord,
    SentCardRecord,
    SweepRunRecord,
    SyncRunRecord,
)
from store.answer_models import AnswerGiven
from store.answer_repo import AnswerRepo
from store.audit_repo import AuditRepo
from store.case_repo import CaseRepo
from store.document_repo import DocumentRepo
from store.due_repo import DueRepo
from store.manual_repo import ManualRepo
from store.manual_search import IndexHit, SearchIndex
from store.meeting_repo import MeetingRepo
from store.outbox_repo import LeaseRepo, OutboxRepo
from store.people_repo import ConversationRefRepo, PeopleRepo
from store.register_repo import RegisterRepo
from store.understanding_repo import MisunderstoodRepo
from store.uow import KeyValueRepo
from store.case_models import Case, DraftVersion, SentCard
from store.manual_models import ManualAmendment, ManualChapter, ManualSyncRun
from store.models import AuditEntry, ConversationRef, Document, Person
from store.outbox_models import OutboxMessage, SchedulerLease, SweepRun


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


def leases(repo: LeaseRepo) -> LeaseRepository:
    return repo


def conversations(repo: ConversationRefRepo) -> ConversationRepository:
    return repo


def misunderstood(repo: MisunderstoodRepo) -> MisunderstoodRepository:
    return repo


def answers(repo: AnswerRepo) -> AnswerRepository:
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


def lease(row: SchedulerLease) -> LeaseRecord:
    return row


def conversation(row: ConversationRef) -> ConversationRecord:
    return row


def answer(row: AnswerGiven) -> AnswerRecord:
    return row
