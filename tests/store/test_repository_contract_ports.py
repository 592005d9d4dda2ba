"""Issue 14: the service tier's fakes and the store implement the same repository Protocols
(services/ports/repositories.py), method for method, with the same parameters; mypy holds the store
to them (store/conformance.py), this test holds the fakes."""

from __future__ import annotations

import inspect

import pytest

from services.ports import AuditRepository, CaseRepository, DocumentRepository, DueRepository, PeopleRepository
from store.audit_repo import AuditRepo
from store.case_repo import CaseRepo
from store.document_repo import DocumentRepo
from store.due_repo import DueRepo
from store.people_repo import PeopleRepo
from tests.service.fakes.repos_cases import FakeCaseRepo
from tests.service.fakes.repos_core import FakeAuditRepo, FakeDocumentRepo, FakePeopleRepo
from tests.service.fakes.repos_due import FakeDueRepo

PAIRS = [(PeopleRepository, FakePeopleRepo, PeopleRepo), (DocumentRepository, FakeDocumentRepo, DocumentRepo),
         (CaseRepository, FakeCaseRepo, CaseRepo), (DueRepository, FakeDueRepo, DueRepo), (AuditRepository, FakeAuditRepo, AuditRepo)]


def _methods(protocol: type) -> list[str]:
    return [n for n, v in vars(protocol).items() if inspect.iscoroutinefunction(v)]


@pytest.mark.parametrize(("protocol", "fake", "store"), PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_the_fake_and_the_store_have_every_method_of_the_repository_protocol(protocol, fake, store):
    methods = _methods(protocol)
    assert "update" in methods or "update_draft" in methods or protocol in (DueRepository, AuditRepository)
    for name in methods:
        wanted = list(inspect.signature(getattr(protocol, name)).parameters)
        for impl in (fake, store):
            assert inspect.iscoroutinefunction(getattr(impl, name, None)), f"{impl.__name__}.{name}"
            assert list(inspect.signature(getattr(impl, name)).parameters) == wanted, f"{impl.__name__}.{name}"
