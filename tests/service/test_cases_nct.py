"""The NCT case use cases on fakes of the ports (no database, no HTTP): a new-document request, a
draft submitted, the RSM's and SLT's decisions, and a stale or raced decision refused with nothing
changed. Each notice is checked in the outbox, where the commit put it."""

from __future__ import annotations

import pytest

from governance.errors import MissingInformation, NotAllowed, WrongRole
from services.cases import lifecycle
from services.errors import BadInput, UnknownPerson
from services.people.identity import ChannelIdentity
from services.ports import ConcurrencyConflict
from tests.service.people import teams

PREVENT = "Radicalisation and Prevent referrals"


async def _requested(world):
    return await lifecycle.start_new_document(
        world.services, teams("ro-4"), title=f"  {PREVENT} ", document_type="procedure", category="Local procedure",
        service_area="early help", reason="The Prevent duty guidance changed in 2026", stakeholders="Channel panel")


def _draft(world, name: str, *, tracked: bool = False) -> bytes:
    """A draft's bytes, described to the fake Word inspector (tracked insertions in two sections)."""
    edits = [("3. Making a referral", "Refer to the Channel panel within one working day"),
             ("5. Roles", "The Prevent lead chairs the review")] if tracked else []
    return world.docx.describe(f"{name} ({'tracked' if tracked else 'clean'}): {PREVENT}".encode(), title=PREVENT, tracked=edits, authors=("Drew Ashby",))


async def _at_rsm(world) -> int:
    await _requested(world)
    await lifecycle.act(world.services, teams("ppo"), 1, "agree_need")
    await lifecycle.submit_draft(world.services, teams("ro-4"), "prevent.docx", _draft(world, "v1"))
    return 1


async def test_nct_17_a_new_document_request_goes_to_the_ppo_and_enters_the_register(demo):
    """NCT-17: the request enters the register as 'requested' with the requester as its RO and the
    service area's one RSM (NCT-1), opens a new_document case waiting for the PPO, and only the PPO
    is told; the request and its notice are committed together."""
    out = await _requested(demo)
    assert out.message == (f"Thanks: your request is PP-047 {PREVENT}, case 1. "
                           "I've sent it to the Policy and Procedures Officer to agree the need.")
    doc = next(d for d in demo.db.rows("documents") if d.ref == "PP-047")
    assert (doc.title, doc.status, doc.ro_id, doc.rsm_id) == (PREVENT, "requested", "ro-4", "rsm-early-help")
    assert doc.extra["request"]["stakeholders"] == "Channel panel"
    [case] = demo.db.rows("cases")
    assert (case.kind, case.status, case.waiting_for, case.version) == ("new_document", "open", ["ppo"], 1)
    assert [(r.person_id, r.channel, r.status, r.subject) for r in demo.outbox()] == [
        ("ppo", "teams", "pending", f"New document requested: PP-047 {PREVENT}")]
    [audit] = demo.audit(action="requested")
    assert audit.actor_id == "ro-4" and "case 1" in audit.summary and audit.reason.startswith("The Prevent duty")


@pytest.mark.parametrize(("field", "value", "said"), [
    ("title", "   ", "Please say what the new document should cover."),
    ("document_type", "leaflet", "'leaflet' is not a document type"),
    ("category", "Misc", "'Misc' is not a category"),
    ("reason", "", "Please say why the new document is needed."),
])
async def test_nct_17_a_request_missing_what_it_needs_changes_nothing(demo, field, value, said):
    """NCT-17: a request without a subject, a real type, a category of the process or a reason is
    refused in one sentence; nothing enters the register and nobody is told."""
    asked = dict(title=PREVENT, document_type="procedure", category="Local procedure", service_area="Early Help",
                 reason="The guidance changed")
    asked[field] = value
    with pytest.raises(BadInput, match=said):
        await lifecycle.start_new_document(demo.services, teams("ro-4"), **asked)
    assert len(demo.db.rows("documents")) == 46 and demo.db.rows("cases") == [] and demo.outbox() == []


async def test_someone_not_in_the_directory_cannot_request_anything(demo):
    stranger = ChannelIdentity("msteams", "29:x", aad_object_id="00000000-dead-beef-0000-000000000000")
    with pytest.raises(UnknownPerson):
        await lifecycle.start_new_document(demo.services, stranger, title=PREVENT, document_type="procedure",
                                           category="Local procedure", service_area="Early Help", reason="Needed")
    assert demo.db.rows("cases") == []


async def test_nct_7_a_submitted_draft_is_stored_and_goes_to_the_rsm_in_one_commit(demo):
    """NCT-7: the RO's draft is kept as version 1 and the case moves to the RSM's approval; the draft,
    the case's move, both audit records and the RSM's notice land in one commit."""
    await _requested(demo)
    await lifecycle.act(demo.services, teams("ppo"), 1, "agree_need")
    commits = demo.db.commits
    out = await lifecycle.submit_draft(demo.services, teams("ro-4"), "prevent.docx", _draft(demo, "v1"))
    assert out.message == "Thanks: prevent.docx is stored as draft version 1. Done: Draft 1 submitted (prevent.docx)."
    assert demo.db.commits == commits + 1
    [draft] = demo.db.rows("draft_versions")
    assert (draft.number, draft.filename, draft.uploaded_by, draft.case_id) == (1, "prevent.docx", "ro-4", 1)
    [case] = demo.db.rows("cases")
    assert case.waiting_for == ["person:rsm-early-help"] and case.version == 3
    assert [r.subject for r in demo.outbox(person_id="rsm-early-help")] == [f"RSM approval: PP-047 {PREVENT}"]
    assert {a.action for a in demo.audit(actor_id="ro-4")} >= {"submit_draft", "draft_stored"}


async def test_nct_6_an_untracked_amendment_is_refused_and_nothing_is_stored(demo):
    """NCT-6: after 'approve with conditions' the amended draft must show tracked changes; an untracked
    one is refused, and neither the draft nor the case's move is kept."""
    await _at_rsm(demo)
    await lifecycle.act(demo.services, teams("rsm-early-help"), 1, "approve_with_conditions",
                        text="Add the Channel panel referral route")
    before = demo.db.rows("cases")[0].version
    with pytest.raises(NotAllowed, match="tracked changes"):
        await lifecycle.submit_draft(demo.services, teams("ro-4"), "prevent-2.docx", _draft(demo, "v2"))
    assert [d.number for d in demo.db.rows("draft_versions")] == [1]
    assert demo.db.rows("cases")[0].version == before
    out = await lifecycle.submit_draft(demo.services, teams("ro-4"), "prevent-2.docx", _draft(demo, "v2", tracked=True))
    assert "draft version 2" in out.message
    [kept] = [d for d in demo.db.rows("draft_versions") if d.number == 2]
    assert kept.changes is not None and kept.tracked_insertions == 2


async def test_nct_8_the_rsm_approves_with_conditions_and_the_ro_is_told_what_to_amend(demo):
    """NCT-8: approval subject to amendments sends the RO explicit instructions; the RSM checks them."""
    await _at_rsm(demo)
    out = await lifecycle.act(demo.services, teams("rsm-early-help"), 1, "approve_with_conditions",
                              text="Add the Channel panel referral route")
    assert out.message == "Done: Approved with conditions: Add the Channel panel referral route."
    [case] = demo.db.rows("cases")
    assert case.waiting_for == ["ro"]
    told = [r for r in demo.outbox(person_id="ro-4") if "Add the Channel panel referral route" in r.body]
    assert told and "resubmit it for the Responsible Strategic Manager to check" in told[-1].body


async def test_nct_8_the_rsm_defers_to_slt_with_a_reason_and_nct_9_slt_approves(demo):
    """NCT-8: a deferral to SLT needs a reason; NCT-9: SLT approves; NCT-10: it then goes to the PPO."""
    await _at_rsm(demo)
    with pytest.raises(MissingInformation, match=r"Please say your discussion with your Assistant Director \(NCT-8\)"):
        await lifecycle.act(demo.services, teams("rsm-early-help"), 1, "defer", text=" ")
    out = await lifecycle.act(demo.services, teams("rsm-early-help"), 1, "defer", text="It changes the budget")
    assert "SLT approval" in out.message
    assert demo.db.rows("cases")[0].waiting_for == ["slt"]
    assert {r.person_id for r in demo.outbox() if r.subject.startswith("SLT approval")} == {
        "ad-children", "ad-adults", "director", "chief-executive", "head-qa"}
    with pytest.raises(WrongRole, match="Only the Senior Leadership Team"):
        await lifecycle.act(demo.services, teams("rsm-early-help"), 1, "approve")
    await lifecycle.act(demo.services, teams("director"), 1, "approve")
    [case] = demo.db.rows("cases")
    assert case.waiting_for == ["ppo"]
    assert demo.outbox(person_id="ppo")[-1].subject == f"PPO submits to the publisher for the next edition: PP-047 {PREVENT}"


async def test_a_stale_card_is_refused_and_changes_nothing(demo):
    """A decision from a card sent before the case moved on (its version) is refused: the case, the
    register, the audit trail and the outbox are exactly as they were."""
    await _at_rsm(demo)
    version = demo.db.rows("cases")[0].version
    await lifecycle.act(demo.services, teams("rsm-early-help"), 1, "approve_with_conditions", text="Add the route",
                        expected_version=version)
    before = (demo.db.rows("cases"), demo.db.rows("documents"), len(demo.audit()), len(demo.outbox()))
    with pytest.raises(NotAllowed, match="That card is out of date"):
        await lifecycle.act(demo.services, teams("rsm-early-help"), 1, "approve", expected_version=version)
    assert (demo.db.rows("cases"), demo.db.rows("documents"), len(demo.audit()), len(demo.outbox())) == before


async def test_two_decisions_at_the_same_moment_only_one_is_kept(demo):
    """Two people decide on the same case version at once: the unit of work that commits second finds
    the case moved (compare-and-swap) and keeps nothing of its own."""
    await _at_rsm(demo)
    services = demo.services
    async with services.uow() as first, services.uow() as second:
        row1, doc1 = await first.cases.full(1)
        row2, doc2 = await second.cases.full(1)
        rsm1, rsm2 = await first.people.get("rsm-early-help"), await second.people.get("rsm-early-help")
        today, now = demo.clock.today(), demo.clock.now()
        await lifecycle.act_in(first, services.preset, rsm1, row1, doc1, "approve", text=None, data=None, today=today, now=now)
        await lifecycle.act_in(second, services.preset, rsm2, row2, doc2, "approve_with_conditions", text="Add more",
                               data=None, today=today, now=now)
        await first.commit()
        audit_after_first = len(demo.audit())
        with pytest.raises(ConcurrencyConflict):
            await second.commit()
    assert demo.db.rows("cases")[0].state["history"][-1]["action"] == "approve"
    assert len(demo.audit()) == audit_after_first
    assert not any("Add more" in r.body for r in demo.outbox())
