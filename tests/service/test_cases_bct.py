"""Birmingham's (BCT) main route on fakes of the ports: the request to the Policy Service and its
mailbox (BCT-2), consultation with silence recorded as agreement by the sweep (BCT-4, BCT-5), the
Director Leadership Group's chair deciding (BCT-8) and the Practice Hub publishing (BCT-9)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from governance.errors import WrongRole
from services.cases import lifecycle
from services.clock import LONDON
from services.demo import ensure_demo
from services.reminders import sweeps
from tests.service.fakes import fake_world
from tests.service.people import teams

MAILBOX = "policy.service@trust.example"
TITLE = "Online harms and sextortion"


@pytest.fixture
async def bct():
    world = fake_world("bct", mail_enabled=True, request_mailbox=MAILBOX)
    assert await ensure_demo(world.services, org="nct")  # the people the tests name: NCT's demo organisation
    return world


async def _drafted(world):
    await lifecycle.start_new_document(
        world.services, teams("ro-1"), title=TITLE, document_type="procedure", category="Procedure for an area of practice",
        service_area="Safeguarding", reason="Sextortion referrals doubled after the 2026 audit",
        stakeholders="MASH, Police Online Harms unit", consultees=("rsm-early-help",))
    await lifecycle.act(world.services, teams("ppo"), 1, "agree_need")
    draft = world.docx.describe(b"online harms, first draft", title=TITLE)
    return await lifecycle.submit_draft(world.services, teams("ro-1"), "online-harms.docx", draft)


async def test_bct_2_a_request_goes_to_the_policy_service_and_its_mailbox(bct):
    """BCT-2: the Policy Service is told in Teams, and the mailbox gets the request by email with the
    reply words, in the same commit as the request."""
    out = await lifecycle.start_new_document(
        bct.services, teams("ro-1"), title=TITLE, document_type="procedure", category="Procedure for an area of practice",
        service_area="Safeguarding", reason="Sextortion referrals doubled after the 2026 audit",
        stakeholders="MASH, Police Online Harms unit")
    assert "I've sent it to the Policy Service (Practice Hub) to agree the need, and by email to its mailbox." in out.message
    [mail] = bct.outbox(address=MAILBOX)
    assert (mail.channel, mail.subject) == ("email", f"New document requested: PP-047 {TITLE}")
    assert "Why it is needed: Sextortion referrals doubled after the 2026 audit" in mail.body
    assert "Stakeholders: MASH, Police Online Harms unit" in mail.body and "AGREE THE NEED case 1" in mail.body
    assert {r.person_id for r in bct.outbox() if r.person_id} == {"ppo"}


async def test_bct_4_bct_5_silence_by_the_deadline_is_recorded_as_agreement(bct):
    """BCT-4: consultation closes 3 days before the DLG of 1 December (27 November); BCT-5: the
    sweep after the deadline closes it, the silent consultees recorded as agreeing."""
    out = await _drafted(bct)
    assert out.case.consult_deadline == date(2026, 11, 27)
    consulted = {r.person_id for r in bct.outbox() if r.subject.startswith("Consultation: PP-047")}
    # BCT-4: the Director Leadership Group's attendees, and the person the requester named.
    assert consulted == {"ad-children", "ad-adults", "director", "rsm-early-help"}
    await lifecycle.act(bct.services, teams("ad-children"), 1, "respond_agree")
    await lifecycle.act(bct.services, teams("ad-adults"), 1, "respond_comment", text="Add the CEOP reporting route")
    assert any("Add the CEOP reporting route" in r.body for r in bct.outbox(person_id="ro-1"))
    bct.clock.set(datetime(2026, 11, 27, 18, 0, tzinfo=LONDON))
    assert (await sweeps.sweep_cases(bct.services, "test")).closed_consultations == 0  # the deadline day itself
    bct.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=LONDON))
    report = await sweeps.sweep_cases(bct.services, "test")
    assert report.closed_consultations == 1
    [closed] = bct.audit(action="close_consultation")
    assert "recorded as agreement (BCT-5)" in closed.summary and closed.actor_id is None
    assert (await sweeps.sweep_cases(bct.services, "test")).closed_consultations == 0


async def test_bct_8_only_the_dlg_chair_decides_and_bct_9_the_practice_hub_publishes(bct):
    await _drafted(bct)
    bct.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=LONDON))
    await sweeps.sweep_cases(bct.services, "test")
    with pytest.raises(WrongRole, match="Only the chair of the Director Leadership Group"):
        await lifecycle.act(bct.services, teams("ppo"), 1, "approve")
    done = await lifecycle.act(bct.services, teams("director"), 1, "approve")
    assert done.message == "Done: Approved at 'Director Leadership Group decision'."
    assert done.case.stage_label == "Practice Hub versions, dates, uploads and announces"
    out = await lifecycle.act(bct.services, teams("ppo"), 1, "publish", data={"version": "1.0"})
    assert "Published as version 1.0 on 30 November 2026" in out.message
    doc = next(d for d in bct.db.rows("documents") if d.ref == "PP-047")
    assert (doc.status, doc.version, doc.approved_on) == ("published", "1.0", date(2026, 11, 30))
    assert any(r.subject == f"Published: PP-047 {TITLE}" for r in bct.outbox(person_id="ro-1"))
