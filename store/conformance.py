"""The store's repositories, held by mypy to the Protocols the use cases are typed against
(services/ports/repositories.py): a method renamed or retyped on one side fails the type gate here."""

from __future__ import annotations

from services.ports import (
    AuditRepository,
    CaseRepository,
    DocumentRepository,
    DueRepository,
    PeopleRepository,
)
from services.ports import AuditRecord, CaseRecord, DocumentRecord, DraftRecord, PersonRecord, SentCardRecord
from store.audit_repo import AuditRepo
from store.case_repo import CaseRepo
from store.document_repo import DocumentRepo
from store.due_repo import DueRepo
from store.people_repo import PeopleRepo
from store.case_models import Case, DraftVersion, SentCard
from store.models import AuditEntry, Document, Person


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


def person(row: Person) -> PersonRecord:
    return row


def document(row: Document) -> DocumentRecord:
    return row


def case(row: Case) -> CaseRecord:
    return row


def draft(row: DraftVersion) -> DraftRecord:
    return row


def card(row: SentCard) -> SentCardRecord:
    return row


def entry(row: AuditEntry) -> AuditRecord:
    return row
