"""Issue 14: the service tier's fakes and the store implement the same repository Protocols
(services/ports/), method for method, with the same parameters: people, documents, cases, what is due,
the audit trail, the outbox, the key-values, meetings, the manual index, the register, the scheduler's
lease, conversation references, misunderstandings and answers given. mypy holds
the store to them (store/conformance.py), this test holds the fakes."""

from __future__ import annotations

import inspect

import pytest

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
    MeetingRepository,
    MisunderstoodRepository,
    OutboxRepository,
    PeopleRepository,
    RegisterRepository,
)
from store.answer_repo import AnswerRepo
from store.audit_repo import AuditRepo
from store.case_repo import CaseRepo
from store.document_repo import DocumentRepo
from store.due_repo import DueRepo
from store.manual_repo import ManualRepo
from store.meeting_repo import MeetingRepo
from store.outbox_repo import LeaseRepo, OutboxRepo
from store.people_repo import ConversationRefRepo, PeopleRepo
from store.register_repo import RegisterRepo
from store.understanding_repo import MisunderstoodRepo
from store.uow import KeyValueRepo
from tests.service.fakes.repos_cases import FakeCaseRepo, FakeLeaseRepo, FakeOutboxRepo
from tests.service.fakes.repos_core import (
    FakeAuditRepo,
    FakeConversationRepo,
    FakeDocumentRepo,
    FakeKeyValueRepo,
    FakePeopleRepo,
)
from tests.service.fakes.repos_due import FakeAnswerRepo, FakeDueRepo
from tests.service.fakes.repos_manual import FakeManualRepo
from tests.service.fakes.repos_more import FakeMeetingRepo, FakeMisunderstoodRepo, FakeRegisterRepo

PAIRS = [(PeopleRepository, FakePeopleRepo, PeopleRepo), (DocumentRepository, FakeDocumentRepo, DocumentRepo),
         (CaseRepository, FakeCaseRepo, CaseRepo), (DueRepository, FakeDueRepo, DueRepo), (AuditRepository, FakeAuditRepo, AuditRepo),
         (OutboxRepository, FakeOutboxRepo, OutboxRepo), (KeyValueRepository, FakeKeyValueRepo, KeyValueRepo),
         (MeetingRepository, FakeMeetingRepo, MeetingRepo), (ManualRepository, FakeManualRepo, ManualRepo),
         (RegisterRepository, FakeRegisterRepo, RegisterRepo), (LeaseRepository, FakeLeaseRepo, LeaseRepo),
         (ConversationRepository, FakeConversationRepo, ConversationRefRepo),
         (MisunderstoodRepository, FakeMisunderstoodRepo, MisunderstoodRepo), (AnswerRepository, FakeAnswerRepo, AnswerRepo)]
# The repositories whose rows a use case changes only through an update method of theirs.
CHANGED_THROUGH = {PeopleRepository: "update", DocumentRepository: "update", CaseRepository: "update_draft",
                   OutboxRepository: "finish_sweep", MeetingRepository: "update_item", ManualRepository: "change",
                   RegisterRepository: "update_asset", KeyValueRepository: "put"}


def _methods(protocol: type) -> list[str]:
    return [n for n, v in vars(protocol).items() if inspect.iscoroutinefunction(v)]


@pytest.mark.parametrize(("protocol", "fake", "store"), PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_the_fake_and_the_store_have_every_method_of_the_repository_protocol(protocol, fake, store):
    methods = _methods(protocol)
    assert protocol not in CHANGED_THROUGH or CHANGED_THROUGH[protocol] in methods
    for name in methods:
        wanted = list(inspect.signature(getattr(protocol, name)).parameters)
        for impl in (fake, store):
            assert inspect.iscoroutinefunction(getattr(impl, name, None)), f"{impl.__name__}.{name}"
            assert list(inspect.signature(getattr(impl, name)).parameters) == wanted, f"{impl.__name__}.{name}"
