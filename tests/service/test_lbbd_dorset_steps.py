"""LBBD's and Dorset's steps beside the route, on fakes of the ports (issue 19 items 5, 6, 8), with
each preset's own demo organisation: the named stakeholders each asked and the need agreed only
when all have agreed (LBBD-2); the author appointed in conversation by a stakeholder, and refused
for anyone else (LBBD-3); the other Heads of Service told at OMT's sign-off (LBBD-9); the cascade
request and the newsletter item at publication (LBBD-10); and, at a Dorset approval, the forms,
training and system changes the owner names, each a tracked action chased when overdue (DOR-14)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from services.cases import lifecycle
from services.clock import LONDON
from services.demo import ensure_demo
from services.errors import BadInput, NotPermitted
from services.meetings.outcomes import record_outcome
from services.meetings.papers import due_meeting_work
from services.register import authors
from tests.service.fakes import fake_world
from tests.service.people import teams

TITLE = "Hoarding and fire safety in people's homes"


async def _lbbd():
    world = fake_world("lbbd", at=datetime(2026, 12, 3, 9, 30, tzinfo=LONDON))
    assert await ensure_demo(world.services)
    return world


async def _requested(world):
    return await lifecycle.start_new_document(
        world.services, teams("author-sam"), title=TITLE, document_type="procedure", category="Adult social care",
        service_area="Safeguarding Adults", reason="Two fire deaths in hoarded homes led to a safeguarding adults review",
        stakeholders="Nkechi Obi, gareth pryce and the residents' forum")


def _subjects(world, person: str) -> list[str]:
    return [r.subject for r in world.outbox(person_id=person)]


async def _agreed(world):
    await _requested(world)
    for who in ("hos-safeguarding", "hos-localities", "psw-adults"):
        await lifecycle.act(world.services, teams(who), 1, "agree_need")


async def test_lbbd_2_each_named_stakeholder_is_asked_and_the_need_waits_for_all_of_them():
    """LBBD-2: the two stakeholders named by name (not the residents' forum, which is not a person)
    and the lead stakeholder are each asked; the case waits for each; the need is agreed with the
    last agreement, and the history shows who agreed."""
    world = await _lbbd()
    out = await _requested(world)
    assert "PP-015" in out.message
    assert f"Do you agree the need? PP-015 {TITLE}" in _subjects(world, "hos-safeguarding")
    assert f"Do you agree the need? PP-015 {TITLE}" in _subjects(world, "hos-localities")
    assert f"New document requested: PP-015 {TITLE}" in _subjects(world, "psw-adults")
    assert not _subjects(world, "hos-mental-health")
    assert set(out.case.waiting_for) == {"Nkechi Obi", "Gareth Pryce", "lead stakeholder"}
    said = await lifecycle.act(world.services, teams("hos-safeguarding"), 1, "agree_need")
    assert said.message == "Done: Agreed the need (LBBD-2; 1 of 3 stakeholders so far)."
    assert said.case.stage == "agree_need" and set(said.case.waiting_for) == {"Gareth Pryce", "lead stakeholder"}
    with pytest.raises(Exception, match="Only the"):
        await lifecycle.act(world.services, teams("hos-mental-health"), 1, "agree_need")
    await lifecycle.act(world.services, teams("psw-adults"), 1, "agree_need")
    said = await lifecycle.act(world.services, teams("hos-localities"), 1, "agree_need")
    assert said.message == "Done: Need agreed: all 3 stakeholders have agreed (LBBD-2)."
    assert said.case.stage == "draft"
    assert [h.split(": ", 1)[0].split(" 2026 ")[1] for h in said.case.history if "greed" in h] == \
        ["Nkechi Obi", "Marcus Bell", "Gareth Pryce"]


async def test_lbbd_3_a_stakeholder_appoints_the_author_and_others_are_refused():
    """LBBD-3: the lead stakeholder, or a stakeholder named on the request, appoints the author in
    conversation; the register, the case and the history show it; anyone else is refused politely."""
    world = await _lbbd()
    await _requested(world)
    with pytest.raises(NotPermitted, match=r"only the stakeholders decide who the author of PP-015 is \(LBBD-3\)"):
        await authors.appoint_author(world.services, teams("hos-mental-health"), "PP-015", "Lena Kowalczyk")
    out = await authors.appoint_author(world.services, teams("hos-safeguarding"), "pp-015", "Lena Kowalczyk")
    assert out.message == ("Done: Lena Kowalczyk appointed as the author in place of Sam Okafor by Nkechi Obi (LBBD-3). "
                           "Lena Kowalczyk has been told.")
    assert f"You are the author: PP-015 {TITLE}" in _subjects(world, "author-lena")
    assert f"New author: PP-015 {TITLE}" in _subjects(world, "ppo")
    [audit] = world.audit(action="author_appointed")
    assert audit.summary.startswith("Lena Kowalczyk appointed as the author")
    out = await authors.appoint_author(world.services, teams("psw-adults"), "PP-015", "Sam Okafor")
    assert "Sam Okafor appointed as the author in place of Lena Kowalczyk by Marcus Bell" in out.message
    view = await lifecycle.case_view(world.services, teams("author-sam"), 1)
    assert any("Sam Okafor appointed as the author" in h for h in view.history)


async def _to_omt(world):
    await _agreed(world)
    s, sam = world.services, teams("author-sam")
    await lifecycle.act(s, sam, 1, "record_workshop", text="Two focus groups with residents, fire service and care staff")
    await lifecycle.act(s, sam, 1, "record_eia", data={"required": "no"})
    await lifecycle.act(s, sam, 1, "record_legal", data={"required": "no"})
    await lifecycle.submit_draft(s, sam, "hoarding.docx", world.docx.describe(b"hoarding v1", title=TITLE), 1)
    view = await lifecycle.case_view(s, sam, 1)
    assert view.stage == "feedback"
    for who in ("psw-adults", "hos-safeguarding", "hos-localities", "hos-mental-health", "hos-commissioning", "coproduction"):
        await lifecycle.act(s, teams(who), 1, "respond_agree")
    await lifecycle.act(s, sam, 1, "close_consultation")
    await lifecycle.submit_draft(s, sam, "hoarding-final.docx", world.docx.describe(b"hoarding v2", title=TITLE), 1)


async def test_lbbd_9_omt_sign_off_tells_the_other_heads_of_service_and_records_it():
    """LBBD-9: 'shared at OMT and with other relevant Heads of Service': when OMT's chair signs it
    off, the Heads of Service who are not at OMT are told, never OMT's own members or the chair,
    and the document's history names them."""
    world = await _lbbd()
    await _to_omt(world)
    said = await lifecycle.act(world.services, teams("op-director"), 1, "approve")
    assert said.case.stage == "aib"
    subject = f"Shared at OMT and with Heads of Service: PP-015 {TITLE}"
    told = {r.person_id for r in world.outbox() if r.subject == subject}
    assert told == {"psw-adults", "hos-housing"}
    [row] = [r for r in world.outbox(person_id="hos-housing") if r.subject == subject]
    assert "another relevant Head of Service" in row.body
    [audit] = world.audit(action="told_hos")
    assert audit.summary == ("Shared at OMT and with Heads of Service: Heads of Service told: Marcus Bell, "
                             "Rachel Amankwah (case 1)")


async def test_lbbd_10_publication_asks_for_the_cascade_and_adds_a_newsletter_item_each_recorded():
    """LBBD-10: publishing asks the team and the service managers to cascade it in their meetings and
    gives the newsletter editor its item for the next ASC newsletter; each is in the history."""
    world = await _lbbd()
    await _to_omt(world)
    s = world.services
    await lifecycle.act(s, teams("op-director"), 1, "approve")
    await lifecycle.act(s, teams("dass"), 1, "approve")
    for _ in range(3):
        await lifecycle.act(s, teams("dass"), 1, "decide_no")
    said = await lifecycle.act(s, teams("ppo"), 1, "publish", data={"version": "1.0"})
    assert said.case.status == "published"
    [tm] = world.outbox(person_id="tm-locality", subject=f"Upload, cascade and newsletter: PP-015 {TITLE}")
    assert "Please discuss it with your staff in your team meetings." in tm.body and "(version 1.0)" in tm.body
    [sm] = world.outbox(person_id="sm-hospital", subject=f"Upload, cascade and newsletter: PP-015 {TITLE}")
    assert "service meetings" in sm.body
    [news] = world.outbox(person_id="newsletter", subject=f"Upload, cascade and newsletter: PP-015 {TITLE}")
    assert "an item for the next ASC newsletter" in news.body
    recorded = {a.action: a.summary for a in world.audit() if a.action.startswith("told_")}
    assert recorded["told_team_manager"] == "Upload, cascade and newsletter: Team Managers told: Patrick Nolan (case 1)"
    assert recorded["told_newsletter_editor"].endswith("ASC newsletter editors told: Olivia Grant (case 1)")


async def test_dor_14_the_owner_names_forms_training_and_system_changes_each_becomes_a_tracked_action():
    """DOR-2 then DOR-14: the Group agrees the need at its January meeting; at approval the owner is
    asked what the procedure needs; each form, training and system change becomes an action of the
    Group (forms and systems for the Mosaic Lead), due by the next meeting, and chased once overdue;
    publication waited for the answer."""
    world = fake_world("dorset", at=datetime(2026, 12, 1, 9, 30, tzinfo=LONDON))
    assert await ensure_demo(world.services)
    s = world.services
    await lifecycle.start_new_document(s, teams("lead-send"), title="Preparing for adulthood reviews", document_type="procedure",
                                       category="Children's services", service_area="SEND",
                                       reason="The SEND code of practice asks for preparing for adulthood from year 9")
    with pytest.raises(Exception, match=r"at its meeting, not its chair alone \(DOR-2\)"):
        await lifecycle.act(s, teams("ppo-chair"), 1, "agree_need")
    world.clock.set(datetime(2027, 1, 12, 12, 0, tzinfo=LONDON))
    result = await record_outcome(s, teams("ppo-chair"), 2, "approved")
    assert "Case 1: Need agreed" in result.message
    await lifecycle.submit_draft(s, teams("lead-send"), "pfa.docx", world.docx.describe(b"pfa", title="PfA"), 1)
    said = await lifecycle.act(s, teams("ppo-chair"), 1, "approve")
    assert said.case.stage == "register"
    assert "What does it need? PP-014 Preparing for adulthood reviews" in _subjects(world, "lead-send")
    with pytest.raises(Exception, match="DOR-14"):
        await lifecycle.act(s, teams("ppo-chair"), 1, "publish", data={"version": "1.0"})
    said = await lifecycle.act(s, teams("lead-send"), 1, "record_needs",
                               text="forms: Transition assessment; training: PfA briefing for SEND caseworkers; "
                                    "systems: new Mosaic step for year 9 reviews")
    assert said.message.startswith("Done: Needs recorded (DOR-14): forms: Transition assessment; training: PfA briefing")
    async with s.uow() as uow:
        actions = await uow.meetings.open_actions("ppp_group")
    assert sorted((a.text.split(":")[0], a.owner_id, a.due_on) for a in actions) == [
        ("Form for PP-014 Preparing for adulthood reviews", "mosaic-lead", date(2027, 2, 9)),
        ("System change for PP-014 Preparing for adulthood reviews", "mosaic-lead", date(2027, 2, 9)),
        ("Training for PP-014 Preparing for adulthood reviews", "lead-send", date(2027, 2, 9))]
    assert "Action for you: Practice, Policy and Procedures Group" in _subjects(world, "mosaic-lead")
    assert len(world.audit(action="implementation_action")) == 3
    assert (await lifecycle.act(s, teams("ppo-chair"), 1, "publish", data={"version": "1.0"})).case.status == "published"
    chased = await due_meeting_work(s, datetime(2027, 2, 10, 7, 0, tzinfo=LONDON))
    assert sorted(n.person_id for n in chased if n.subject.startswith("Action overdue")) == ["lead-send", "mosaic-lead", "mosaic-lead"]


async def test_lbbd_3_elsewhere_the_author_changes_as_that_process_says():
    """LBBD-3 is LBBD's: under NCT 'make X the author of PP-2' points to NCT-1's change of RO."""
    world = fake_world("nct")
    assert await ensure_demo(world.services)
    with pytest.raises(BadInput, match="PP-002's RO is now Charlie Vance"):
        await authors.appoint_author(world.services, teams("ppo"), "pp-002", "Charlie Vance")


async def test_lbbd_2_named_stakeholders_only_where_the_process_has_them():
    """LBBD-2 is LBBD's: a BCT request naming directory people as stakeholders still goes to the
    Policy Service alone (BCT-2)."""
    world = fake_world("bct")
    assert await ensure_demo(world.services, org="nct")
    out = await lifecycle.start_new_document(
        world.services, teams("ro-1"), title="Online harms", document_type="procedure", category="Procedure for an area of practice",
        service_area="Safeguarding", reason="Sextortion referrals doubled after the 2026 audit", stakeholders="Morgan Reyes")
    assert out.case.waiting_for == ("Policy Service (Practice Hub)",)
