"""A sweep's statements grow with what is due, never with the size of the register (issue 22,
item 7): the same due set in a register of 100 documents and of 5,000, with 20 and 500 open cases,
costs every sweep the same number of statements. Counted, never timed. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from governance import lifecycle as gl
from governance.calendar import WorkingCalendar
from services.cases import lifecycle
from services.people.identity import ChannelIdentity
from services.reminders import sweeps
from store.instrument import StatementCounter
from store.seeding import bulk_insert
from tests.support.org import aad, make_org

FAR = date(2028, 6, 30)  # no reminder is owed for a review this far off
DUE = [("PP-001", date(2026, 12, 3)), ("PP-002", date(2026, 11, 24)), ("PP-003", date(2026, 12, 22)),  # NCT-11 reminders
       ("PP-004", date(2026, 11, 2)), ("PP-005", date(2026, 8, 3))]  # overdue; DOR-12 escalation after two months
MEASURED = (sweeps.sweep_compliance, sweeps.sweep_cases, sweeps.sweep_reviews, sweeps.sweep_update_window,
            sweeps.sweep_digests, sweeps.sweep_personal_digests)


def _documents(start: int, n: int, now: datetime) -> list[dict]:
    return [dict(ref=f"BIG-{i:05d}", doc_type="Procedure", title=f"Procedure {i}", category=None, service_area="Adults",
                 summary=None, ro_id="ro", rsm_id="rsm", status="published", version="1.0", approved_on=None,
                 last_reviewed_on=None, next_review_due=FAR, manual_url=None, extra={}, created_at=now, updated_at=now)
            for i in range(start, start + n)]


def _cases(services, document_ids: list[int], updated: datetime) -> list[dict]:
    preset, today = services.preset, services.clock.today()
    rows = []
    for doc_id in document_ids:
        case = gl.start_case(preset, "scheduled_review", document_type="procedure", category=preset.categories[0],
                             today=today, document_name=f"document {doc_id}", requester="ppo",
                             participants={"rsm": ["rsm"], "consultee": []}, calendar=WorkingCalendar(preset.nation)).case
        rows.append(dict(document_id=doc_id, preset=preset.key, kind="scheduled_review", stage=case.stage, status="open",
                         state=gl.case_to_dict(case), waiting_for=gl.who_must_act(preset, case), due_on=None,
                         opened_by="ppo", opened_at=updated, updated_at=updated, version=1))
    return rows


async def _count(services, counter: StatementCounter) -> dict[str, tuple[int, int]]:
    out = {}
    for sweep in MEASURED:
        with counter.counting() as c:
            report = await sweep(services, "test")
        out[report.name] = (c["statements"], report.queued)
    with counter.counting() as c:
        tasks = await lifecycle.my_tasks(services, ChannelIdentity("msteams", "29:ro", aad_object_id=aad("ro")))
    out["my tasks"] = (c["statements"], len(tasks))
    return out


async def _document_ids(services) -> list[int]:
    async with services.uow() as uow:
        return sorted(d.id for d in await uow.documents.all())


async def test_sweep_statements_do_not_grow_with_the_register_nct11_dor12(db_url, clock):
    now = clock.now()
    services = await make_org(db_url, clock, docs=DUE + [(f"PP-{i:03d}", FAR) for i in range(6, 101)])
    engine = services.store.engine
    try:
        ids = await _document_ids(services)
        # 20 open cases: two untouched for two working weeks (owed a nudge), the rest acted on today
        await bulk_insert(engine, "cases", _cases(services, ids[:2], now - timedelta(days=14)) + _cases(services, ids[2:20], now))
        first = await _count(services, StatementCounter(engine))
        assert first["reviews"][1] >= 5 and first["cases"][1] >= 2, first  # the due set is really queued
        assert first["my tasks"][1] == 20, first  # every scheduled review waits on the RO first (NCT)

        counter = StatementCounter(engine)
        small = await _count(services, counter)  # the same due set, already queued: the steady state

        await bulk_insert(engine, "documents", _documents(1, 4900, now))
        ids = await _document_ids(services)
        await bulk_insert(engine, "cases", _cases(services, ids[100:580], now))
        await _count(services, counter)  # today's compliance snapshot takes the new figures (one UPDATE)
        big = await _count(services, counter)

        assert {k: v[0] for k, v in big.items() if k != "my tasks"} == {k: v[0] for k, v in small.items() if k != "my tasks"}
        assert all(v[1] == 0 for k, v in big.items() if k != "my tasks"), big  # nothing queued twice
        assert big["my tasks"] == (small["my tasks"][0], 500)  # 500 cases wait on the RO: still the same statements
    finally:
        await services.store.close()


async def test_a_review_sweep_run_again_reads_the_keys_it_queued_and_writes_nothing_nct11(db_url, clock):
    """NCT-11 reminders queued by one run are found by the next with one read of their keys: no
    outbox row (body and all) is sent to the database to be refused, and nothing is queued twice."""
    services = await make_org(db_url, clock, docs=DUE)
    counter = StatementCounter(services.store.engine)
    try:
        with counter.counting() as first:
            queued = (await sweeps.sweep_reviews(services, "test")).queued
        with counter.counting() as again:
            requeued = (await sweeps.sweep_reviews(services, "test")).queued
        assert queued >= 5 and first["insert outbox"] >= 1, first
        assert requeued == 0 and again["insert outbox"] == 0, again
    finally:
        await services.store.close()
