"""LBBD-3, as a pure rule: "Stakeholders to decide who the policy/procedure author will be" (LBBD's
development process, step 3). The lead stakeholder or a stakeholder named on one of the document's
open requests decides; nobody else; and only a process with a lead stakeholder appoints authors."""

from __future__ import annotations

import pytest

from governance.authors import AUTHOR_DECIDERS, appoints_authors, decides_the_author, stakeholders_deciding
from governance.lifecycle import start_case
from tests.unit.governance.test_lifecycle import BCT, DOR, LBBD, NCT, TODAY


def _request(*stakeholders: str):
    named = {"stakeholder": list(stakeholders)} if stakeholders else {}
    return start_case(LBBD, "new_document", document_type="procedure", category="Adult social care", today=TODAY,
                      document_name="PP-015 Hoarding procedure", requester="ro",
                      participants={"consultee": ["s1"], **named}).case


@pytest.mark.parametrize(("preset", "appoints"), [(LBBD, True), (NCT, False), (BCT, False), (DOR, False)])
def test_lbbd_3_only_a_process_with_a_lead_stakeholder_appoints_authors(preset, appoints):
    """LBBD-3 is LBBD's: its preset declares the lead stakeholder; NCT, BCT and Dorset change the
    owner as their own rules say (NCT-1's change of RO)."""
    assert appoints_authors(preset.roles) is appoints
    assert AUTHOR_DECIDERS <= set(LBBD.roles)


@pytest.mark.parametrize(("person", "roles", "cases", "decides"), [
    ("lead", {"stakeholder_lead"}, [], True),  # the lead stakeholder, with no request open
    ("lead", {"stakeholder_lead", "hos"}, [("hos-a",)], True),
    ("hos-a", {"hos"}, [("hos-a", "hos-b")], True),  # named on the request
    ("hos-b", set(), [(), ("hos-b",)], True),  # named on another of the document's open requests
    ("hos-c", {"hos"}, [("hos-a", "hos-b")], False),  # a Head of Service not named
    ("ro", {"ro"}, [("hos-a",)], False),  # the author does not appoint their successor
    ("ppo", {"ppo"}, [("hos-a",)], False),  # nor does the Policy and Procedures Officer
    ("s1", set(), [("hos-a",)], False),  # a consultee is not a stakeholder
    ("hos-a", {"hos"}, [], False),  # named on no open request
])
def test_lbbd_3_the_stakeholders_decide_who_the_author_is(person, roles, cases, decides):
    """LBBD-3: the lead stakeholder, or a stakeholder named on one of the document's open requests;
    anyone else (the author, the PPO, a consultee, a Head of Service not named) does not."""
    open_cases = [_request(*named) for named in cases]
    assert decides_the_author(person, roles, open_cases) is decides


def test_lbbd_3_the_stakeholders_named_across_the_documents_open_requests():
    assert stakeholders_deciding([_request("hos-a", "hos-b"), _request("hos-b", "hos-c"), _request()]) == {"hos-a", "hos-b", "hos-c"}
    assert stakeholders_deciding([]) == frozenset()
