"""NCT-17 with NCT-4, on fakes of the ports: a new procedure written on the publisher's template follows
Route 1 exactly as a scheduled update does. Its RO is told when the six-week window before the next update
deadline opens (its RSM too), both are warned five working days before the deadline, and a draft not
submitted to the publisher by then moves to the next recorded deadline, with the RO, RSM and PPO told the
new date, or the PPO asked to record one. A new procedure agreed before any deadline is recorded waits for
the first one recorded. Without a template, the arrangements the PPO records, then or later, drive the
reminders before the agreed date; recorded again, they replace them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from governance import lifecycle as gl
from governance.errors import MissingInformation, WrongRole
from services.cases import lifecycle
from services.clock import LONDON
from services.demo import ensure_demo
from services.reminders import update_schedule
from services.updates.window import sweep_update_cases
from tests.service.fakes import fake_world
from tests.service.people import teams


@pytest.fixture
async def world():
    w = fake_world("nct")
    assert await ensure_demo(w.services)
    return w


def _state(world, case_id: int = 1) -> gl.Case:
    return gl.case_from_dict(next(r for r in world.db.rows("cases") if r.id == case_id).state)


async def _requested(world) -> None:
    await lifecycle.start_new_document(
        world.services,
        teams("ro-2"),
        title="Kinship Care Assessments",
        document_type="procedure",
        category="Local procedure",
        service_area="Children in Care",
        reason="A confirmed gap: no procedure for viability assessments",
    )


async def _at(world, when: datetime):
    world.clock.set(when)
    return await sweep_update_cases(world.services, "t")


def _new(world, before: int):
    return [(n.person_id, n.subject, n.body) for n in world.outbox()[before:]]


def _to(world, before: int, person: str) -> str:
    return "\n".join(f"{n.subject}\n{n.body}" for n in world.outbox()[before:] if n.person_id == person)


async def test_nct_17_nct_4_a_new_procedure_with_the_template_follows_route_1_to_a_missed_deadline(world):
    """NCT-17, NCT-4: the window's instruction (Friday 22 January 2027, six weeks before 5 March), the warning five
    working days before, the move to 4 June with RO, RSM and PPO told; the June warning moved by the spring bank
    holiday; missed again with none later, the PPO asked; a deadline recorded, the case moves to it."""
    await update_schedule.record(world.services, teams("ppo"), "5 March 2027 and 4 June 2027")
    await _requested(world)
    await lifecycle.act(world.services, teams("ppo"), 1, "template_available")
    assert _state(world).notes["update"] == {"deadline": "2027-03-05", "missed": [], "new_procedure": True}

    n = len(world.outbox())
    assert (await _at(world, datetime(2027, 1, 21, 9, 30, tzinfo=LONDON))).queued == 0  # the day before the window
    assert (await _at(world, datetime(2027, 1, 22, 9, 30, tzinfo=LONDON))).queued == 2
    to_ro = _to(world, n, "ro-2")
    assert "The update window is open: write PP-047 Kinship Care Assessments on the manual publisher (Tri.x)'s template" in to_ro
    assert "submitted to the manual publisher (Tri.x) by Friday 5 March 2027" in to_ro and "(NCT-17, NCT-4)" in to_ro
    assert "has been asked to write PP-047 Kinship Care Assessments (case 1)" in _to(world, n, "rsm-cla")
    assert (await _at(world, datetime(2027, 1, 25, 9, 30, tzinfo=LONDON))).queued == 0  # told once

    n = len(world.outbox())
    assert (await _at(world, datetime(2027, 2, 25, 9, 30, tzinfo=LONDON))).queued == 0
    await _at(world, datetime(2027, 2, 26, 9, 30, tzinfo=LONDON))
    for person in ("ro-2", "rsm-cla"):
        assert "The update window closes on Friday 5 March 2027: PP-047 Kinship Care Assessments" in _to(world, n, person)
    assert "The new procedure PP-047 Kinship Care Assessments (case 1) must be approved" in _to(world, n, "ro-2")

    n = len(world.outbox())
    report = await _at(world, datetime(2027, 3, 8, 9, 30, tzinfo=LONDON))
    assert report.moved == 1
    for person in ("ro-2", "rsm-cla", "ppo"):
        told = _to(world, n, person)
        assert "Missed the Friday 5 March 2027 update: PP-047" in told and "submitted by Friday 4 June 2027" in told
    update = _state(world).notes["update"]
    assert (update["deadline"], update["missed"]) == ("2027-06-04", ["2027-03-05"])
    view = await lifecycle.case_view(world.services, teams("ro-2"), 1)
    assert ("Update deadline", "Friday 4 June 2027") in view.notes and ("Missed updates", "Friday 5 March 2027") in view.notes
    assert ("New procedure (NCT-17)", "the publisher's template: Route 1, for the update deadline 4 June 2027") in view.notes
    [moved] = world.audit(action="missed_update")
    assert "moved to the next, Friday 4 June 2027, case 1" in moved.summary

    n = len(world.outbox())  # the spring bank holiday (31 May) moves the warning to Thursday 27 May
    assert (await _at(world, datetime(2027, 5, 26, 9, 30, tzinfo=LONDON))).queued == 0
    await _at(world, datetime(2027, 5, 27, 9, 30, tzinfo=LONDON))
    assert "The update window closes on Friday 4 June 2027: PP-047" in _to(world, n, "ro-2")

    n = len(world.outbox())
    await _at(world, datetime(2027, 6, 7, 9, 30, tzinfo=LONDON))
    assert "No later update deadline is recorded yet" in _to(world, n, "ppo")
    assert _state(world).notes["update"]["deadline"] is None
    assert (await _at(world, datetime(2027, 6, 7, 11, 0, tzinfo=LONDON))).moved == 0  # nothing to move to yet
    await update_schedule.record(world.services, teams("ppo"), "3 September 2027")
    n = len(world.outbox())
    assert (await _at(world, datetime(2027, 6, 8, 9, 30, tzinfo=LONDON))).moved == 1
    assert "must be approved and submitted by Friday 3 September 2027" in _to(world, n, "ro-2")
    assert _state(world).notes["update"]["missed"] == ["2027-03-05", "2027-06-04"]


async def test_nct_17_agreed_before_any_deadline_it_waits_for_the_first_one_recorded(world):
    """NCT-17: no deadline recorded when the template is: none is invented, nobody is told of a miss; once the PPO
    records one, the case is tied to it (RO and RSM told) and its window's instruction follows."""
    await _requested(world)
    out = await lifecycle.act(world.services, teams("ppo"), 1, "template_available")
    assert "none is recorded yet" in out.message
    n = len(world.outbox())
    assert (await _at(world, datetime(2026, 12, 1, 9, 30, tzinfo=LONDON))).queued == 0
    await update_schedule.record(world.services, teams("ppo"), "5 March 2027")
    assert (await _at(world, datetime(2026, 12, 2, 9, 30, tzinfo=LONDON))).moved == 1
    told = _to(world, n, "ro-2")
    assert "Update deadline Friday 5 March 2027: PP-047 Kinship Care Assessments" in told
    assert "its six-week window opens on Friday 22 January 2027" in told and "Missed" not in told
    assert "Update deadline Friday 5 March 2027" in _to(world, n, "rsm-cla")
    assert (
        _state(world).history[-1].summary == "Route 1: waits for the Friday 5 March 2027 update, the next deadline recorded (NCT-4, NCT-17)"
    )
    assert (await _at(world, datetime(2027, 1, 22, 9, 30, tzinfo=LONDON))).queued == 2  # the window's instruction


async def test_nct_17_arrangements_recorded_later_replace_the_reminders(world):
    """NCT-17: the PPO agrees the need first, and records the arrangements later in words; changed, the reminders
    still to come follow the new date. A procedure that was to follow Route 1 leaves it."""
    await update_schedule.record(world.services, teams("ppo"), "5 March 2027")
    await _requested(world)
    await lifecycle.act(world.services, teams("ppo"), 1, "template_available")
    out = await lifecycle.act(
        world.services, teams("ppo"), 1, "record_arrangements", text="Sam drafts it with the kinship team by 12/2/27, the RSM reviews it"
    )
    case = _state(world)
    assert "update" not in case.notes and case.notes["new_procedure"]["due"] == "2027-02-12"
    assert "(it no longer follows Route 1) (NCT-17)" in out.message
    assert (await _at(world, datetime(2027, 1, 22, 9, 30, tzinfo=LONDON))).queued == 0  # off Route 1: no window

    def reminders():
        return sorted((n.not_before.date(), n.status) for n in world.outbox(person_id="ro-2") if n.key.startswith("arrangements:"))

    # five working days before, on the day, and (no draft by then) the working day after, to the RO and the PPO
    assert reminders() == [(date(2027, 2, 5), "pending"), (date(2027, 2, 12), "pending"), (date(2027, 2, 15), "pending")]
    out = await lifecycle.act(world.services, teams("ppo"), 1, "record_arrangements", text="Sam drafts it by 26 February 2027")
    assert "(they were: Sam drafts it with the kinship team by 12/2/27, the RSM reviews it)" in out.message
    assert reminders() == [
        (date(2027, 2, 5), "skipped"),
        (date(2027, 2, 12), "skipped"),
        (date(2027, 2, 15), "skipped"),
        (date(2027, 2, 19), "pending"),
        (date(2027, 2, 26), "pending"),
        (date(2027, 3, 1), "pending"),
    ]
    to_ppo = sorted((n.not_before.date(), n.status) for n in world.outbox(person_id="ppo") if n.key.startswith("arrangements:"))
    assert to_ppo == [(date(2027, 2, 15), "skipped"), (date(2027, 3, 1), "pending")]  # NCT-17: the PPO coordinates
    with pytest.raises(MissingInformation, match="who writes it and by when"):
        await lifecycle.act(world.services, teams("ppo"), 1, "record_arrangements", text="Sam drafts it")
    with pytest.raises(WrongRole, match="Only the Policy and Procedures Officer"):
        await lifecycle.act(world.services, teams("ro-2"), 1, "record_arrangements", text="I draft it by 26 March 2027")


async def test_nct_17_the_template_recorded_after_the_need_moves_the_case_onto_route_1(world):
    """NCT-17: the need agreed with no word on the template, arrangements recorded, then the publisher's template
    arrives: the case takes Route 1's update block for the next deadline, the arrangements' reminders (the RO's
    and the PPO's) are withdrawn, and only the PPO may record it, once."""
    await update_schedule.record(world.services, teams("ppo"), "5 March 2027")
    await _requested(world)
    await lifecycle.act(world.services, teams("ppo"), 1, "agree_need")
    await lifecycle.act(world.services, teams("ppo"), 1, "record_arrangements", text="Sam drafts it by 12/2/27")
    with pytest.raises(WrongRole, match="Only the Policy and Procedures Officer"):
        await lifecycle.act(world.services, teams("ro-2"), 1, "template_available")
    out = await lifecycle.act(world.services, teams("ppo"), 1, "template_available")
    assert "follows Route 1, the scheduled update, for the next update deadline, 5 March 2027 (NCT-17)" in out.message
    assert "(they were: Sam drafts it by 12/2/27)" in out.message
    case = _state(world)
    assert case.notes["update"] == {"deadline": "2027-03-05", "missed": [], "new_procedure": True}
    assert case.notes["new_procedure"]["template"] is True and case.stage == "draft"
    assert {n.status for n in world.outbox() if n.key.startswith("arrangements:")} == {"skipped"}
    assert not any(a == "template_available" for a, _ in gl.candidate_actions(world.services.preset, case))
    assert (await _at(world, datetime(2027, 1, 22, 9, 30, tzinfo=LONDON))).queued >= 1  # the window's instruction
