"""NCT's own steps on a case, on fakes of the ports (issue 18 items 3, 8, 9, 10): a draft held back
until the RO ticks the checklist or says why not (NCT-16); the related procedures listed at opening,
each confirmed or dismissed (NCT-14); the RO's Review Session decision and the PPO's joint session
with invitations and a calendar file, its outcome on each case (NCT-5, NCT-7); a new procedure with
or without the publisher's template (NCT-17)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from governance import lifecycle as gl
from governance.errors import MissingInformation
from services.cases import lifecycle, review_sessions
from services.cases import nct_opening
from services.cases.nct_opening import UPDATES_KEY as OPENING_KEY
from services.manual.impact import ImpactItem, ImpactReport
from services.manual.related import Related
from services.clock import LONDON
from services.errors import BadInput, NotPermitted
from services.register import owners
from services.reminders.sweeps import UPDATES_KEY
from tests.service.people import teams

FOSTER = "PP-019"  # Foster Carer Assessment and Approval: RO Jamie Castellan (ro-2), RSM Jordan Whitfield (rsm-cla)


def _state(world, case_id: int = 1) -> gl.Case:
    row = next(r for r in world.db.rows("cases") if r.id == case_id)
    return gl.case_from_dict(row.state)


def _tracked(world, name: str = "assess") -> bytes:
    return world.docx.describe(f"{name}: Foster Carer Assessment".encode(), title="Foster Carer Assessment and Approval",
                               tracked=[("4. Panel", "The panel meets monthly")], authors=("Jamie Castellan",))


def test_nct_2_the_update_schedule_key_is_the_one_the_sweep_reads():
    """NCT-2, NCT-17: a new procedure with a template reads the schedule the sweep keeps."""
    assert OPENING_KEY == UPDATES_KEY


async def test_nct_16_a_draft_with_unticked_items_is_held_until_the_ro_says_why(demo):
    """NCT-16: the draft is stored but not sent to the RSM while items are unticked with no reason;
    the reason releases it, and the RSM sees the reason."""
    await lifecycle.start_case(demo.services, teams("ro-2"), FOSTER, "scheduled_review")
    await lifecycle.act(demo.services, teams("ro-2"), 1, "tick_checklist", text="1, 2")
    before = len(demo.outbox())
    out = await lifecycle.submit_draft(demo.services, teams("ro-2"), "assess.docx", _tracked(demo))
    assert "stored as draft version 1" in out.message
    assert "held it back from the Responsible Strategic Manager: checklist items 3, 4, 5 are not ticked (NCT-16)" in out.message
    case = _state(demo)
    assert case.stage == "amend" and case.notes["held_draft"]["number"] == 1 and case.drafts == 0
    assert len(demo.outbox()) == before  # nobody is told of a held draft
    [held] = demo.audit(action="draft_held")
    assert held.actor_id == "ro-2" and "items 3, 4, 5 are not ticked" in held.summary
    assert len(demo.db.rows("draft_versions")) == 1

    out = await lifecycle.act(demo.services, teams("ro-2"), 1, "tick_checklist",
                              text="items 3 to 5 do not apply: the change is to the panel's frequency only")
    case = _state(demo)
    assert case.stage == "rsm_sign_off" and "held_draft" not in case.notes and case.drafts == 1
    assert "checklist items 3, 4, 5 not ticked: items 3 to 5 do not apply" in case.history[-1].summary
    to_rsm = demo.outbox(person_id="rsm-cla")
    assert to_rsm and "PP-019" in to_rsm[-1].subject
    view = await lifecycle.case_view(demo.services, teams("rsm-cla"), 1)
    assert ("Checklist items not applicable", "items 3 to 5 do not apply: the change is to the panel's frequency only") in view.notes


async def test_nct_16_ticking_every_item_releases_a_held_draft(demo):
    await lifecycle.start_case(demo.services, teams("ro-2"), FOSTER, "scheduled_review")
    await lifecycle.submit_draft(demo.services, teams("ro-2"), "assess.docx", _tracked(demo))
    assert _state(demo).stage == "amend"
    await lifecycle.act(demo.services, teams("ro-2"), 1, "tick_checklist", text="1, 2, 3, 4 and 5")
    assert _state(demo).stage == "rsm_sign_off"


def _register_alone(monkeypatch) -> None:
    """What the full-text index finds for PP-019 from the register alone (the index itself is tested in tests/store)."""
    items = tuple(ImpactItem("document", title, None, ref, "Jamie Castellan", "ro-2", 2.0, (why,)) for ref, title, why in (
        ("PP-017", "Placement with Foster Carers", "shares key terms: foster, approved, placing"),
        ("PP-018", "Fostering Panel", "shares key terms: fostering, panel, approval")))

    async def related(services, ref):
        return Related(ref, False, ImpactReport("Foster Carer Assessment and Approval", None, ("foster",), items))

    monkeypatch.setattr(nct_opening, "related_to", related)


async def test_nct_14_the_related_procedures_at_opening_without_a_synced_manual(demo, monkeypatch):
    """NCT-14: at opening the register's own related documents are listed, with a note that the manual
    was never synced and how to sync it; the RO confirms one and dismisses another, recorded and audited."""
    _register_alone(monkeypatch)
    out = await lifecycle.start_case(demo.services, teams("ro-2"), FOSTER, "scheduled_review")
    assert "The procedures manual has never been synced here" in out.message and "policybot manual sync" in out.message
    case = _state(demo)
    assert case.notes["related_synced"] is False
    related = case.notes["related"]
    assert len(related) >= 2 and all(x["why"] for x in related)
    assert f"1. {related[0]['ref']} {related[0]['title']}" in out.message
    await lifecycle.act(demo.services, teams("ro-2"), 1, "record_related", text="1", data={"verdict": "confirm"})
    out = await lifecycle.act(demo.services, teams("ro-2"), 1, "record_related", text=related[1]["ref"],
                              data={"verdict": "dismiss"})
    decided = [x.get("decision") for x in _state(demo).notes["related"]]
    assert decided[:2] == ["confirmed", "dismissed"]
    assert f"{related[1]['ref']} {related[1]['title']} dismissed" in out.message
    assert [a.action for a in demo.audit(action="record_related")] == ["record_related"] * 2
    with pytest.raises(MissingInformation, match="give their numbers"):
        await lifecycle.act(demo.services, teams("ro-2"), 1, "record_related", text="99", data={"verdict": "confirm"})


async def test_nct_5_the_ro_decides_on_a_review_session_and_asks_the_ppo_for_help(demo):
    await lifecycle.start_case(demo.services, teams("ro-2"), FOSTER, "scheduled_review")
    out = await lifecycle.act(demo.services, teams("ro-2"), 1, "review_session", data={"held": "yes", "ppo_help": True},
                              text="the panel adviser should come")
    assert "A Review Session will be held (NCT-5), with the Policy and Procedures Officer's help" in out.message
    [to_ppo] = demo.outbox(person_id="ppo")
    assert to_ppo.subject.startswith("Help with a Review Session: PP-019") and "panel adviser" in to_ppo.body
    with pytest.raises(NotPermitted):
        await review_sessions.arrange(demo.services, teams("ro-1"), [FOSTER], "14 January 2027 at 10am")


async def test_nct_7_a_joint_review_session_invites_both_services_with_a_calendar_file(demo):
    """NCT-7: a procedure with RSMs in two services is flagged at opening; the PPO arranges a joint
    session across it and another service's procedure: everyone is invited with an .ics, the session is
    on each case, and its outcome is recorded on each."""
    await owners.add_rsm(demo.services, teams("ppo"), "PP-020", "Casey Lindqvist")  # Family and Friends Care: CiC and Early Help
    out = await lifecycle.start_case(demo.services, teams("ro-2"), "PP-020", "scheduled_review")
    assert "covers several services, so its ROs review it together at a joint Review Session (NCT-7)" in out.message
    await lifecycle.act(demo.services, teams("ro-2"), 1, "tick_checklist", text="1, 2, 3, 4, 5")
    sent = await lifecycle.submit_draft(demo.services, teams("ro-2"), "ffc.docx", _tracked(demo, "ffc"))
    assert "no joint Review Session of its ROs is recorded yet (NCT-7)" in sent.message
    await lifecycle.start_case(demo.services, teams("ro-4"), "PP-026", "scheduled_review")
    with pytest.raises(BadInput, match="not a working day"):
        await review_sessions.arrange(demo.services, teams("ppo"), ["PP-020", "PP-026"], "1 January 2027 at 10am")
    with pytest.raises(BadInput, match="give the time"):
        await review_sessions.arrange(demo.services, teams("ppo"), ["PP-020", "PP-026"], "14 January 2027")
    done = await review_sessions.arrange(demo.services, teams("ppo"), ["PP-020", "pp-026"], "Thursday 14/1/27 at 2.30pm")
    assert "Done: a joint Review Session for PP-020, PP-026 on Thursday 14 January 2027 at 14:30." in done.message
    invited = {n.person_id for n in done.notices}
    assert invited == {"ro-2", "rsm-cla", "rsm-early-help", "ro-4"}
    ics = done.notices[0].payload["ics"]
    assert "BEGIN:VEVENT" in ics and "DTSTART;TZID=Europe/London:20270114T143000" in ics and "ATTENDEE" in ics
    assert [r.subject for r in demo.outbox(person_id="ro-4")][-1] == "Joint Review Session: PP-020, PP-026"
    for case_id in (1, 2):
        assert "Review Session arranged for Thursday 14 January 2027 at 14:30 jointly with" in _state(demo, case_id).history[-1].summary
    out = await review_sessions.record_outcome(demo.services, teams("ppo"), "amend the step-down thresholds in both")
    assert "recorded on PP-020, PP-026" in out.message
    for case_id in (1, 2):
        case = _state(demo, case_id)
        assert case.notes["session"]["outcome"] == "amend the step-down thresholds in both"
    assert len(demo.audit(action="review_session_outcome")) == 2


def test_nct_5_the_time_of_a_review_session_in_uk_forms():
    today = date(2026, 11, 23)
    assert review_sessions.read_when("14 January 2027 at 10am", today) == datetime(2027, 1, 14, 10, 0, tzinfo=LONDON)
    assert review_sessions.read_when("on 14/01/2027 at 14:00", today) == datetime(2027, 1, 14, 14, 0, tzinfo=LONDON)
    assert review_sessions.read_when("Tuesday 12 Jan 2027 at 9.15am", today) == datetime(2027, 1, 12, 9, 15, tzinfo=LONDON)


async def _requested(world) -> None:
    await lifecycle.start_new_document(world.services, teams("ro-2"), title="Kinship Care Assessments",
                                       document_type="procedure", category="Local procedure", service_area="Children in Care",
                                       reason="A confirmed gap: no procedure for viability assessments")


async def test_nct_17_with_the_publishers_template_a_new_procedure_follows_route_1(demo):
    async with demo.services.uow() as uow:
        await uow.kv.put(UPDATES_KEY, {"deadlines": ["2027-03-05", "2027-09-03"]})
        await uow.commit()
    await _requested(demo)
    out = await lifecycle.act(demo.services, teams("ppo"), 1, "template_available")
    case = _state(demo)
    assert case.notes["new_procedure"] == {"template": True, "route": 1, "next_deadline": "2027-03-05"}
    assert "it follows Route 1, the scheduled update, for the next update deadline, 5 March 2027 (NCT-17)" in out.message
    assert case.stage == "draft"


async def test_nct_17_without_a_template_the_arrangements_drive_the_reminders(demo):
    await _requested(demo)
    with pytest.raises(MissingInformation, match="who writes it and by when"):
        await lifecycle.act(demo.services, teams("ppo"), 1, "no_template", text="Jamie writes it")
    out = await lifecycle.act(demo.services, teams("ppo"), 1, "no_template",
                              text="Jamie Castellan drafts it with the kinship team by 29 January 2027")
    case = _state(demo)
    assert case.notes["new_procedure"]["due"] == "2027-01-29" and case.stage == "draft"
    assert "arrangements agreed: Jamie Castellan drafts it with the kinship team by 29 January 2027" in out.message
    reminders = [n for n in demo.outbox(person_id="ro-2") if n.key.startswith("arrangements:")]
    # before and on the day; the working day after, if no draft has arrived, to the RO and the PPO too
    assert {n.not_before.date() for n in reminders} == {date(2027, 1, 22), date(2027, 1, 29), date(2027, 2, 1)}
    assert all(n.kind == "case_waiting" for n in reminders)
    assert all(str(n.due_on) == "2027-01-29" for n in reminders if "overdue" not in n.key)
    assert [n.not_before.date() for n in demo.outbox(person_id="ppo") if n.key.startswith("arrangements:")] == [date(2027, 2, 1)]
    # the draft arrives early: the reminders still to come are withdrawn, the PPO's too
    await lifecycle.submit_draft(demo.services, teams("ro-2"), "kinship.docx",
                                 demo.docx.describe(b"kinship v1", title="Kinship Care Assessments"))
    assert {n.status for n in demo.outbox(person_id="ro-2") if n.key.startswith("arrangements:")} == {"skipped"}
    assert {n.status for n in demo.outbox(person_id="ppo") if n.key.startswith("arrangements:")} == {"skipped"}
