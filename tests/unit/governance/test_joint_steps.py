"""LBBD's and Dorset's steps beside the route, as pure rules (issue 19): the named stakeholders agree
the need together (LBBD-2); the Group, not its chair alone, agrees a new document's need (DOR-2);
the roles told at OMT's sign-off and at publication (LBBD-9, LBBD-10); the forms, training and
system changes asked for at approval (DOR-14)."""

from __future__ import annotations

import pytest

from governance.errors import MissingInformation, NotAllowed, WrongRole
from governance.lifecycle import ImplementationNeeds, Notify, Tell, available_actions, start_case, who_must_act
from tests.unit.governance.test_lifecycle import DOR, LBBD, RO, TODAY, _to_group_decision, actor, dorset_case, lbbd_case, step


def test_dor_2_the_chair_alone_cannot_agree_a_new_documents_need_the_groups_outcome_does():
    """DOR-2: the chair's own 'agree the need' is refused with where the Group decides; the card
    offers no such button; the outcome recorded at the meeting (data 'meeting') agrees it."""
    chair = actor("chair", "chair:ppp_group")
    case = dorset_case()
    with pytest.raises(NotAllowed, match=r"agrees the need .* at its meeting, not its chair alone \(DOR-2\)"):
        step(DOR, case, "agree_need", chair)
    offered = {a.id for a in available_actions(DOR, case, chair, TODAY)}
    assert "agree_need" not in offered and "decline_need" not in offered and "ask_more" in offered
    assert step(DOR, case, "agree_need", chair, meeting=7).case.stage == "draft"


def test_dor_14_at_approval_the_owner_is_asked_and_each_need_is_recorded():
    """DOR-14: entering the register stage asks the owner which forms, training and system changes
    it needs; publication waits for the answer; the answer, typed on one line, becomes one event
    listing each (the services make each a tracked action of the Group)."""
    case, chair = _to_group_decision()
    out = step(DOR, case, "approve", chair)
    asked = [e for e in out.events if isinstance(e, Notify) and e.to == "ro" and "DOR-14" in e.body]
    assert asked and "Which forms, training and system changes does it need" in asked[0].body
    with pytest.raises(MissingInformation, match="DOR-14"):
        step(DOR, out.case, "publish", actor("g", "governance_officer"), version="1.0")
    with pytest.raises(MissingInformation, match="needs nothing"):
        step(DOR, out.case, "record_needs", RO, "something")
    done = step(DOR, out.case, "record_needs", RO, "forms: Strategy Discussion Record; training: briefing for "
                "locality teams and duty managers; systems: new Mosaic step")
    needs = [e for e in done.events if isinstance(e, ImplementationNeeds)]
    assert needs == [ImplementationNeeds(("Strategy Discussion Record",), ("briefing for locality teams", "duty managers"),
                                         ("new Mosaic step",), "ppp_group")]
    assert done.case.history[-1].summary.startswith("Needs recorded (DOR-14): forms: Strategy Discussion Record")
    with pytest.raises(NotAllowed, match="already recorded"):
        step(DOR, done.case, "record_needs", RO, nothing=True)


def _joint_case():
    return start_case(LBBD, "new_document", document_type="procedure", category="Adult social care", today=TODAY,
                      document_name="PP-015 Hoarding procedure", requester="ro",
                      participants={"consultee": ["s1"], "stakeholder": ["hos-a", "hos-b"]})


def test_lbbd_2_each_named_stakeholder_is_asked_and_the_need_is_agreed_only_when_all_have_agreed():
    """LBBD-2: the two named stakeholders and the lead stakeholder are each asked; each agreement is
    recorded; the need is agreed with the last of them, not before; someone not named cannot agree."""
    out = _joint_case()
    asked = sorted(e.to for e in out.events if isinstance(e, Notify))
    assert asked == ["person:hos-a", "person:hos-b", "stakeholder_lead"]
    lead, a, b = actor("lead", "stakeholder_lead"), actor("hos-a", "stakeholder"), actor("hos-b", "stakeholder")
    assert who_must_act(LBBD, out.case) == ["person:hos-a", "person:hos-b", "stakeholder_lead"]
    with pytest.raises(WrongRole):
        step(LBBD, out.case, "agree_need", actor("hos-c", "stakeholder"))
    case = step(LBBD, out.case, "agree_need", a).case
    assert case.stage == "agree_need" and "1 of 3 stakeholders so far" in case.history[-1].summary
    with pytest.raises(NotAllowed, match="already agreed"):
        step(LBBD, case, "agree_need", a)
    assert "agree_need" not in {x.id for x in available_actions(LBBD, case, a, TODAY)}
    case = step(LBBD, case, "agree_need", lead).case
    assert who_must_act(LBBD, case) == ["person:hos-b"]
    case = step(LBBD, case, "agree_need", b).case
    assert case.stage == "draft" and case.history[-1].summary == "Need agreed: all 3 stakeholders have agreed (LBBD-2)"
    assert [h.person_id for h in case.history if h.action == "agree_need"] == ["hos-a", "lead", "hos-b"]


def test_lbbd_2_a_named_stakeholder_may_decline_with_a_reason():
    case = step(LBBD, _joint_case().case, "decline_need", actor("hos-b", "stakeholder"), "Covered by the DoLS procedure").case
    assert case.status == "declined"


def test_lbbd_9_and_10_the_other_heads_of_service_and_the_cascade_are_told():
    """LBBD-9: OMT's approval tells the Heads of Service (the services leave out OMT's members);
    LBBD-10: publication asks team and service managers to cascade it and the newsletter to carry it."""
    case = step(LBBD, lbbd_case(), "agree_need", actor("lead", "stakeholder_lead")).case
    for kind, data in (("record_workshop", {}), ("record_eia", {"required": "no"}), ("record_legal", {"required": "no"})):
        case = step(LBBD, case, kind, RO, "Workshop with staff" if kind == "record_workshop" else None, **data).case
    case = step(LBBD, step(LBBD, case, "submit_draft", RO).case, "respond_agree", actor("s1", "consultee")).case
    case = step(LBBD, step(LBBD, case, "close_consultation", RO).case, "submit_draft", RO).case
    out = step(LBBD, case, "approve", actor("omt", "chair:omt"))
    told = [e for e in out.events if isinstance(e, Tell)]
    assert [(t.role, t.stage) for t in told] == [("hos", "omt")] and "another relevant Head of Service" in told[0].body
    case = step(LBBD, out.case, "approve", actor("aib", "chair:aib")).case
    for _ in range(3):
        case = step(LBBD, case, "decide_no", actor("aib", "chair:aib")).case
    out = step(LBBD, case, "publish", actor("p", "ppo"), version="1.0")
    assert [t.role for t in out.events if isinstance(t, Tell)] == ["team_manager", "service_manager", "newsletter_editor"]
    assert "an item for the next ASC newsletter" in out.events[-1].body
