"""The reminder sweeps on fakes of the ports, the clock moved day by day as the scheduler would run
them: NCT-11 reminders on UK working days (weekends and bank holidays move them earlier), the
overdue notice, the NCT escalation ladder and DOR-12's, each queued once however often a sweep runs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from services.clock import LONDON
from services.delivery.outbox import PAUSE_KEY
from services.reminders import sweeps
from tests.service.fakes import fake_world
from tests.service.org import small_org


async def _each_morning(world, start: date, end: date) -> None:
    """Run the review sweep at 07:00 every day from start to end (twice a day: a rerun queues nothing)."""
    day = start
    while day <= end:
        world.clock.set(datetime(day.year, day.month, day.day, 7, 0, tzinfo=LONDON))
        await sweeps.sweep_reviews(world.services, "test")
        again = await sweeps.sweep_reviews(world.services, "test")
        assert again.queued == 0, day
        day += timedelta(days=1)


async def test_nct_11_reminders_move_to_the_working_day_before_across_christmas():
    """NCT-11: RO and RSM are reminded 30, 14, 7 and 1 days before a review due Tuesday 29 December
    2026. 29 November is a Sunday (sent Friday 27 November); 28 December is the substitute Boxing Day
    bank holiday (sent Thursday 24 December); the overdue notice comes on the 30th."""
    world = fake_world("nct", at=datetime(2026, 11, 20, 7, 0, tzinfo=LONDON))
    await small_org(world, [("PP-001", date(2026, 12, 29)), ("PP-002", None)])
    await _each_morning(world, date(2026, 11, 20), date(2026, 12, 31))
    first_day: dict[str, date] = {}
    for row in world.outbox():
        first_day.setdefault(row.key.split("|")[0], row.created_at.astimezone(LONDON).date())
    assert first_day == {
        "review-due:PP-001:2026-12-29:30d": date(2026, 11, 27),
        "review-due:PP-001:2026-12-29:14d": date(2026, 12, 15),
        "review-due:PP-001:2026-12-29:7d": date(2026, 12, 22),
        "review-due:PP-001:2026-12-29:1d": date(2026, 12, 24),
        "review-overdue:PP-001:2026-12-29": date(2026, 12, 30),
    }
    assert {(r.key.split("|")[0].rsplit(":", 1)[-1], r.person_id) for r in world.outbox(kind="review_due")} == {
        (step, who) for step in ("30d", "14d", "7d", "1d") for who in ("ro", "rsm")}
    one_day = world.outbox(kind="review_due", person_id="ro")[-1]
    assert "in 1 working day" in one_day.body and one_day.not_before.astimezone(LONDON).date() == date(2026, 12, 24)
    runs = world.db.rows("sweep_runs")
    assert len(runs) == 2 * 42 and all(r.finished_at is not None for r in runs)


async def test_nct_11_the_escalation_ladder_goes_to_the_rsm_then_slt():
    """The NCT ladder: a month overdue goes to the RSM, two months to SLT (each with the RO)."""
    world = fake_world("nct", at=datetime(2026, 9, 15, 7, 0, tzinfo=LONDON))
    await small_org(world, [("PP-002", date(2026, 8, 14))])
    await sweeps.sweep_reviews(world.services, "test")
    assert {r.person_id for r in world.outbox(kind="review_escalation")} == {"rsm", "ro"}
    world.clock.set(datetime(2026, 11, 23, 7, 0, tzinfo=LONDON))
    await sweeps.sweep_reviews(world.services, "test")
    latest = {r.person_id for r in world.outbox(kind="review_escalation") if "2026-11" in r.created_at.isoformat()}
    assert latest == {"slt", "ro"}


async def test_dor_12_more_than_two_months_late_goes_to_the_head_of_qa():
    world = fake_world("dorset", at=datetime(2026, 11, 2, 7, 0, tzinfo=LONDON))
    await small_org(world, [("DOR-1", date(2026, 9, 1))])
    report = await sweeps.sweep_reviews(world.services, "test")
    rows = world.outbox(kind="review_escalation")
    assert report.queued == len(rows) == 2 and {r.person_id for r in rows} == {"qa", "ro"}
    assert "more than 2 months overdue" in rows[0].subject


async def test_a_pause_holds_every_reminder_and_the_sweep_still_records_its_run():
    """The PPO's pause (nudges paused until a date): the sweep queues nothing until then."""
    world = fake_world("nct", at=datetime(2026, 11, 27, 7, 0, tzinfo=LONDON))
    await small_org(world, [("PP-001", date(2026, 12, 29))])
    async with world.services.uow() as uow:
        await uow.kv.put(PAUSE_KEY, {"until": "2026-12-01", "by": "ppo"})
        await uow.commit()
    report = await sweeps.sweep_reviews(world.services, "test")
    assert report.paused and world.outbox() == []
    world.clock.set(datetime(2026, 12, 1, 7, 0, tzinfo=LONDON))
    report = await sweeps.sweep_reviews(world.services, "test")
    assert not report.paused and [r.key.split("|")[0] for r in world.outbox(person_id="ro")] == [
        "review-due:PP-001:2026-12-29:30d"]  # the latest owed, not every one missed while paused
