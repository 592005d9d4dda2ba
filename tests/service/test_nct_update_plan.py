"""Route 1, the publisher's scheduled update, on fakes of the ports (NCT-2, NCT-3, NCT-4): the PPO's
update plan previewed and applied (one scheduled-update case per affected local procedure, the RO's
instruction held until the six-week window opens, the RSM told, the PPO's summary, one transaction),
refused to anyone else, without a deadline or twice; the window's closing warning; a change not
submitted by the deadline moved to the next update, or the PPO asked to record one."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import pytest

from governance import lifecycle as gl
from services.cases import lifecycle
from services.clock import LONDON
from services.demo import ensure_demo
from services.errors import BadInput, NotPermitted
from services.ports import Sheet, Workbook
from services.reminders import preferences, update_schedule
from services.updates import opening, plan
from services.updates.window import sweep_update_cases
from tests.service.fakes import fake_world
from tests.service.people import teams
from tests.support.update_plan import plan_rows

NAME = "Tri.x Update Plan March 2027.xlsx"


@pytest.fixture
async def world(tmp_path):
    w = fake_world("nct", data_dir=tmp_path)
    assert await ensure_demo(w.services)
    return w


def _give(world, tmp_path, rows, content: bytes = b"the March plan") -> bytes:
    """The spreadsheet reader will read `rows` from where the plan is kept (its token is its SHA-256)."""
    token = hashlib.sha256(content).hexdigest()[:12]
    world.spreadsheets.workbooks[str(tmp_path / "update-plans" / token / NAME)] = Workbook(
        NAME, (Sheet("Update Plan", tuple(tuple(r) for r in rows)),), "xlsx")
    return content


async def _deadlines(world, said="5 March 2027 and 3 September 2027"):
    await update_schedule.record(world.services, teams("ppo"), said)


def _cases(world):
    return sorted(world.db.rows("cases"), key=lambda c: c.id)


async def test_nct_3_the_plan_previewed_then_applied_opens_one_case_per_procedure(world, tmp_path):
    """NCT-3, NCT-4: 320 chapters; six rows touch five local procedures (by title, reference, link, a
    bracketed aside); the rest are listed as matching nothing. Applying opens five cases tied to the
    5 March deadline; the RO's instruction carries that procedure's amendments and waits for the window
    (Friday 22 January 2027, 9am); the RSM is told; the audit records each case and the plan."""
    await _deadlines(world)
    content = _give(world, tmp_path, plan_rows())
    pv = await plan.preview(world.services, teams("ppo"), NAME, content)
    assert [(m.document.ref, m.how, len(m.rows)) for m in pv.matched.matches] == [
        ("PP-001", "by title", 2), ("PP-007", "by title", 1), ("PP-021", "by reference", 1), ("PP-026", "by link", 1),
        ("PP-044", "by title", 1)]
    assert len(pv.matched.unmatched) > 250 and pv.matched.no_change > 40
    assert (pv.deadline, pv.opens) == (date(2027, 3, 5), date(2027, 1, 22))
    assert _cases(world) == []  # a preview changes nothing

    before = len(world.outbox())
    out = await opening.apply(world.services, teams("ppo"), pv.token)
    assert [r for _, r, _ in out.opened] == ["PP-001", "PP-007", "PP-021", "PP-026", "PP-044"]
    cases = _cases(world)
    assert {(c.kind, c.status, c.stage) for c in cases} == {("scheduled_update", "open", "amend")}
    state = gl.case_from_dict(cases[0].state)
    assert state.notes["update"]["deadline"] == "2027-03-05" and len(state.notes["update"]["amendments"]) == 2
    new = world.outbox()[before:]
    [to_ro1] = [r for r in new if r.person_id == "ro-1"]
    assert to_ro1.subject == "Scheduled update: PP-001 Children Missing from Home and Care: the publisher's recommended amendments"
    assert "Friday 5 March 2027" in to_ro1.body and "National Referral Mechanism" in " ".join(to_ro1.payload["lines"])
    assert to_ro1.not_before == datetime(2027, 1, 22, 9, 0, tzinfo=LONDON)  # NCT-4: when the window opens
    lado = [r for r in new if r.document_ref == "PP-007"]
    assert [r.person_id for r in lado] == ["rsm-safeguarding"]  # no RO: the RSM is the RO (NCT-1), told once
    assert {r.person_id for r in new if r.subject == "Scheduled update: PP-021 Leaving Care and Transition to Adulthood"} == {"rsm-cla"}
    assert len(world.audit(action="open_scheduled_update")) == 5 and len(world.audit(action="apply_update_plan")) == 1

    with pytest.raises(BadInput, match="was applied on Monday 23 November 2026"):
        await opening.apply(world.services, teams("ppo"), pv.token)
    again = await plan.preview(world.services, teams("ppo"), NAME, content)
    assert again.to_open == 0 and again.applied_on == "2026-11-23"


async def test_nct_3_only_the_ppo_gives_the_plan_and_it_needs_a_deadline(world, tmp_path):
    content = _give(world, tmp_path, plan_rows(60))
    with pytest.raises(NotPermitted, match="Only the Policy and Procedures Officer"):
        await plan.preview(world.services, teams("ro-1"), NAME, content)
    pv = await plan.preview(world.services, teams("ppo"), NAME, content)
    assert pv.deadline is None
    with pytest.raises(BadInput, match="No update deadline is recorded yet"):
        await opening.apply(world.services, teams("ppo"), pv.token)
    assert _cases(world) == []
    with pytest.raises(BadInput, match="couldn't find the plan's columns"):
        await plan.preview(world.services, teams("ppo"), NAME, _give(world, tmp_path, [["Title", "Owner"], ["x", "y"]], b"tracker"))


async def test_nct_3_inside_the_window_the_instruction_goes_at_once_from_the_command_line(tmp_path):
    """NCT-3 from `policybot updates plan FILE --apply` (no channel identity): inside the window the RO's
    instruction is not held, and every PPO gets the summary."""
    world = fake_world("nct", data_dir=tmp_path, at=datetime(2027, 2, 1, 10, 0, tzinfo=LONDON))
    assert await ensure_demo(world.services)
    await update_schedule.record(world.services, None, "05/03/2027")
    pv = await plan.preview(world.services, None, NAME, _give(world, tmp_path, plan_rows(60)))
    out = await opening.apply(world.services, None, pv.token)
    assert out.instructed_at is None
    [to_ro] = world.outbox(person_id="ro-3", document_ref="PP-021")
    assert to_ro.not_before == datetime(2027, 2, 1, 10, 0, tzinfo=LONDON)
    [summary] = world.outbox(person_id="ppo", subject=f"Update plan applied: {NAME}")
    assert "now, as the window is open" in summary.body


async def test_nct_4_warned_before_the_window_closes_then_a_missed_change_moves_to_the_next_update(world, tmp_path):
    """NCT-4: five working days before Friday 5 March 2027 the RO and RSM of each case not yet approved are
    warned, the PPO of one approved; after the deadline a change not submitted moves to Friday 3 September
    2027 and the RO, RSM and PPO are told; a submitted one (NCT-10) stays; running the sweep twice changes nothing."""
    await _deadlines(world)
    pv = await plan.preview(world.services, teams("ppo"), NAME, _give(world, tmp_path, plan_rows()))
    await opening.apply(world.services, teams("ppo"), pv.token)
    cases = {c.document_id: c for c in _cases(world)}
    docs = {d.ref: d.id for d in world.db.rows("documents")}
    # PP-021 approved and waiting for the PPO; PP-044 approved and submitted to Tri.x (NCT-10), through the real steps.
    for ref, ro, rsm, submit in (("PP-021", "ro-3", "rsm-cla", False), ("PP-044", "ro-2", "rsm-cla", True)):
        case_id = cases[docs[ref]].id
        draft = world.docx.describe(f"{ref} amended".encode(), title=ref, tracked=[("2. Notifications", "within 48 hours")])
        await lifecycle.submit_draft(world.services, teams(ro), f"{ref}.docx", draft, case_id)
        await lifecycle.act(world.services, teams(rsm), case_id, "approve")
        if submit:
            await lifecycle.act(world.services, teams("ppo"), case_id, "submit_to_publisher", text="March 2027 update")

    world.clock.set(datetime(2027, 2, 25, 9, 30, tzinfo=LONDON))  # a week and a day before: nothing yet
    assert (await sweep_update_cases(world.services, "t")).queued == 0
    world.clock.set(datetime(2027, 2, 26, 9, 30, tzinfo=LONDON))  # five working days before
    report = await sweep_update_cases(world.services, "t")
    closing = [r for r in world.outbox() if r.key.startswith("update-closing:")]
    assert {(r.document_ref, r.person_id) for r in closing} >= {("PP-001", "ro-1"), ("PP-001", "rsm-safeguarding"),
                                                                 ("PP-021", "ppo")}
    assert not [r for r in closing if r.document_ref == "PP-044"] and report.queued == len(closing)
    assert (await sweep_update_cases(world.services, "t")).queued == 0

    world.clock.set(datetime(2027, 3, 8, 9, 30, tzinfo=LONDON))  # the Monday after the deadline
    report = await sweep_update_cases(world.services, "t")
    assert report.moved == 4  # all but the submitted one
    moved = [r for r in world.outbox() if r.key.startswith("update-missed:") and r.document_ref == "PP-001"]
    assert {r.person_id for r in moved} == {"ro-1", "rsm-safeguarding", "ppo"}
    assert moved[0].subject == "Missed the Friday 5 March 2027 update: PP-001 Children Missing from Home and Care"
    assert "must be approved and submitted by Friday 3 September 2027" in moved[0].body
    state = gl.case_from_dict((await _row(world, cases[docs["PP-001"]].id)).state)
    assert state.notes["update"] == {**state.notes["update"], "deadline": "2027-09-03", "missed": ["2027-03-05"]}
    assert state.history[-1].summary.startswith("Missed the Friday 5 March 2027 update")
    assert gl.case_from_dict((await _row(world, cases[docs["PP-044"]].id)).state).notes["update"]["deadline"] == "2027-03-05"
    assert (await sweep_update_cases(world.services, "t")).moved == 0
    assert len(world.audit(action="missed_update")) == 4


async def test_nct_4_no_next_deadline_recorded_asks_the_ppo_then_follows_the_one_recorded(world, tmp_path):
    await _deadlines(world, "5 March 2027")
    pv = await plan.preview(world.services, teams("ppo"), NAME, _give(world, tmp_path, plan_rows(60)))
    await opening.apply(world.services, teams("ppo"), pv.token)
    world.clock.set(datetime(2027, 3, 8, 9, 30, tzinfo=LONDON))
    await sweep_update_cases(world.services, "t")
    [to_ppo] = [r for r in world.outbox(person_id="ppo") if r.key.startswith("update-missed:") and r.document_ref == "PP-001"]
    assert "No later update deadline is recorded yet" in to_ppo.body and "should record the next deadlines" in to_ppo.body
    await _deadlines(world, "3 September 2027")
    report = await sweep_update_cases(world.services, "t")
    assert report.moved == 5
    [to_ro] = [r for r in world.outbox(person_id="ro-1") if r.key.startswith("update-missed:") and r.key.count("2027-09-03")]
    assert "must be approved and submitted by Friday 3 September 2027" in to_ro.body


async def _row(world, case_id):
    async with world.services.uow() as uow:
        return await uow.cases.get(case_id)


async def test_nct_3_a_procedure_already_under_review_gets_the_material_not_a_second_case(world, tmp_path):
    """NCT-3 with NCT-11: PP-001's scheduled review is open already; the plan opens no second case for it,
    and its RO gets the recommended amendments for the review in hand."""
    await _deadlines(world)
    review = await lifecycle.start_case(world.services, teams("ro-1"), "PP-001", "scheduled_review")
    pv = await plan.preview(world.services, teams("ppo"), NAME, _give(world, tmp_path, plan_rows()))
    pp1 = next(d.id for d in world.db.rows("documents") if d.ref == "PP-001")
    assert pv.busy == {pp1: review.case.id} and pv.to_open == 4
    out = await opening.apply(world.services, teams("ppo"), pv.token)
    assert "PP-001" not in [r for _, r, _ in out.opened]
    [told] = world.outbox(person_id="ro-1", key=f"update-instruct:{review.case.id}:{pv.token}|ro-1|teams")
    assert "already has work in progress (case 1)" in told.body and told.case_id == review.case.id
    assert len(told.payload["lines"]) == 2


async def test_nct_4_the_closing_warning_waits_while_reminders_are_paused(world, tmp_path):
    """NCT-4: the PPO paused reminders until Monday 1 March 2027; the warning due from Friday 26 February
    goes on the Monday; the deadline's move is never held."""
    await _deadlines(world)
    pv = await plan.preview(world.services, teams("ppo"), NAME, _give(world, tmp_path, plan_rows(60)))
    await opening.apply(world.services, teams("ppo"), pv.token)
    world.clock.set(datetime(2027, 2, 24, 9, 0, tzinfo=LONDON))
    await preferences.pause_nudges(world.services, None, date(2027, 3, 1), "half-term cover")
    world.clock.set(datetime(2027, 2, 26, 9, 30, tzinfo=LONDON))
    assert (await sweep_update_cases(world.services, "t")).queued == 0
    world.clock.set(datetime(2027, 3, 1, 9, 30, tzinfo=LONDON))
    assert (await sweep_update_cases(world.services, "t")).queued > 0
    assert world.outbox(person_id="ro-1", key="update-closing:1:2027-03-05|ro-1|teams")
