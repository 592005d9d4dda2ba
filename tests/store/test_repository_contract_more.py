"""The repository contract, continued: the outbox and the scheduler lease, meetings, and the
register's own rows, on the service tier's fake and on the real store over SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from tests.store.test_repository_contract import NOW, _org


def _row(key: str, person: str = "ppo", **values):
    row = {"key": key, "kind": "review_due", "channel": "teams", "person_id": person, "address": None,
           "subject": f"Review due: {key}", "body": "Please start the review.", "case_id": None, "document_ref": "PP-001",
           "due_on": "2026-12-01", "payload": {"lines": ["PP-001 Procedure PP-001"]}, "status": "pending", "last_error": None,
           "attempts": 0, "not_before": NOW, "created_at": NOW}
    return {**row, **values}


async def test_the_outbox_adds_each_key_once_and_claims_due_rows_once(uow_factory):
    await _org(uow_factory)
    async with uow_factory() as uow:
        assert await uow.outbox.insert_new([_row("a|ppo|teams"), _row("b|ppo|teams"),
                                            _row("later|ppo|teams", not_before=NOW + timedelta(hours=2)),
                                            _row("held|ro-1|teams", person="ro-1", status="held")]) == 4
        assert await uow.outbox.insert_new([_row("a|ppo|teams"), _row("c|ppo|email", channel="email")]) == 1
        await uow.commit()
    async with uow_factory() as uow:
        claimed = await uow.outbox.claim("me:1", NOW, 10, 120)
        assert [i.key for i in claimed] == ["a|ppo|teams", "b|ppo|teams", "c|ppo|email"]
        assert claimed[0].due_on == date(2026, 12, 1) and claimed[0].lines == ("PP-001 Procedure PP-001",)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.outbox.claim("other:1", NOW, 10, 120) == []  # claimed rows are not due again
        assert [i.key for i in await uow.outbox.claim("other:1", NOW + timedelta(minutes=3), 10, 120, channel="email")] == [
            "c|ppo|email"]  # a lapsed claim is taken again
        await uow.outbox.sent_many([(claimed[0].id, NOW, "act-9", 0)])
        assert await uow.outbox.set(claimed[1].id, status="failed", last_error="gone") == 1
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.outbox.requeue(claimed[1].id, NOW) is True
        assert await uow.outbox.requeue(claimed[0].id, NOW) is False  # sent stays sent
        await uow.commit()
    async with uow_factory() as uow:
        counts = await uow.outbox.counts()
        assert counts == {"sent": 1, "pending": 3, "held": 1}
        [sent] = await uow.outbox.by_key_prefix("a|")
        assert (sent.status, sent.provider_id, sent.attempts, sent.claimed_until) == ("sent", "act-9", 1, None)
        assert [r.key for r in await uow.outbox.listing("pending", 2)] == ["c|ppo|email", "later|ppo|teams"]  # newest first
        assert await uow.outbox.people_with_held() == ["ro-1"]
        assert [r.key for r in await uow.outbox.held_for("ro-1")] == ["held|ro-1|teams"]


async def test_nudges_about_documents_someone_no_longer_owns_are_withdrawn(uow_factory):
    await _org(uow_factory)
    async with uow_factory() as uow:
        await uow.outbox.insert_new([_row("r1|ro-1|teams", person="ro-1"), _row("r2|ro-1|teams", person="ro-1", kind="notice"),
                                     _row("r3|ro-1|teams", person="ro-1", document_ref="PP-002"),
                                     _row("r4|ro-1|teams", person="ro-1", status="sent")])
        assert await uow.outbox.withdraw("ro-1", ["PP-001"], ["review_due", "review_overdue"], "no longer theirs") == 1
        await uow.commit()
    async with uow_factory() as uow:
        statuses = {r.key: (r.status, r.last_error) for r in await uow.outbox.by_key_prefix("r")}
        assert statuses == {"r1|ro-1|teams": ("skipped", "no longer theirs"), "r2|ro-1|teams": ("pending", None),
                            "r3|ro-1|teams": ("pending", None), "r4|ro-1|teams": ("sent", None)}


async def test_a_sweep_run_is_recorded_and_one_lease_holder_at_a_time(uow_factory):
    async with uow_factory() as uow:
        run_id = await uow.outbox.start_sweep("reviews", NOW, "host:1")
        await uow.outbox.finish_sweep(run_id, queued=3, finished_at=NOW + timedelta(seconds=2))
        assert await uow.leases.take("scheduler", "host:1", NOW, 30)
        await uow.commit()
    async with uow_factory() as uow:
        assert not await uow.leases.take("scheduler", "host:2", NOW + timedelta(seconds=10), 30)
        assert await uow.leases.take("scheduler", "host:1", NOW + timedelta(seconds=10), 30)  # renewed
        assert await uow.leases.take("scheduler", "host:2", NOW + timedelta(seconds=41), 30)  # lapsed
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.leases.holder("scheduler")).holder == "host:2"
        [last] = await uow.outbox.last_sweeps(5)
        assert (last.id, last.sweep, last.queued, last.holder, last.finished_at) == (
            run_id, "reviews", 3, "host:1", NOW + timedelta(seconds=2))


async def test_meetings_agenda_items_plans_and_attendance(uow_factory):
    await _org(uow_factory)
    starts = NOW + timedelta(days=14)
    async with uow_factory() as uow:
        doc = await uow.documents.by_ref("PP-001")
        meeting = await uow.meetings.create(body="ppp_group", starts_at=starts, status="scheduled", one_off=False,
                                            created_at=NOW)
        assert (await uow.meetings.create(body="ppp_group", starts_at=starts, status="scheduled", one_off=False,
                                          created_at=NOW)).id == meeting.id  # the same meeting, once
        later = await uow.meetings.create(body="ppp_group", starts_at=starts + timedelta(days=28), created_at=NOW)
        await uow.meetings.create(body="dlg", starts_at=starts, created_at=NOW)
        item = await uow.meetings.add_item(meeting_id=meeting.id, document_id=doc.id, case_id=7, title="PP-001 Procedure",
                                           kind="for_decision", section="decisions", position=0, added_by="ppo", added_at=NOW)
        await uow.meetings.add_plan_entry(body="ppp_group", document_id=doc.id, case_id=7, title="PP-001 Procedure",
                                          kind="for_decision", status="planned", agenda_item_id=item.id, added_by="ppo",
                                          added_at=NOW)
        await uow.meetings.set_attendance(meeting.id, "ro-1", "absent", None, NOW)
        await uow.meetings.set_attendance(meeting.id, "ro-1", "delegate", "Sam Deputy", NOW)
        await uow.meetings.add_action(meeting_id=meeting.id, body="ppp_group", agenda_item_id=item.id, text="Check the route",
                                      owner_id="ro-1", due_on=date(2026, 12, 18), created_at=NOW)
        await uow.commit()
    async with uow_factory() as uow:
        assert [m.id for m in await uow.meetings.between("ppp_group", NOW, starts + timedelta(days=1))] == [meeting.id]
        assert [m.id for m in await uow.meetings.of_body("ppp_group")] == [meeting.id, later.id]
        assert [m.id for m in await uow.meetings.of_body("ppp_group", ["cancelled"])] == []
        assert [i.title for i in await uow.meetings.items(meeting.id)] == ["PP-001 Procedure"]
        assert [i.id for i in await uow.meetings.items_for_case(7)] == [item.id]
        assert (await uow.meetings.plan_entry_for_item(item.id)).case_id == 7
        assert [e.title for e in await uow.meetings.plan("ppp_group")] == ["PP-001 Procedure"]
        [seen] = await uow.meetings.attendance(meeting.id)
        assert (seen.person_id, seen.status, seen.delegate_name) == ("ro-1", "delegate", "Sam Deputy")
        assert [a.text for a in await uow.meetings.open_actions("ppp_group")] == ["Check the route"]
        assert await uow.meetings.open_actions("dlg") == []
        assert not await uow.meetings.report_sent("ppp_group", "monthly", date(2026, 11, 30))
        await uow.meetings.add_report(body="ppp_group", kind="monthly", period_start=date(2026, 11, 1),
                                      period_end=date(2026, 11, 30), text="November", sent_at=NOW)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.meetings.report_sent("ppp_group", "monthly", date(2026, 11, 30))
        assert (await uow.meetings.last_report("ppp_group", "monthly")).text == "November"


async def test_the_registers_roles_flags_snapshots_and_assets(uow_factory):
    await _org(uow_factory)
    async with uow_factory() as uow:
        ro = await uow.people.get("ro-1")
        await uow.register.set_roles(ro, ["ro", "rsm"])
        doc = await uow.documents.by_ref("PP-001")
        assert await uow.register.flag(document_id=doc.id, person_id="ro-1", role="ro", reason="left", at=NOW) is not None
        assert await uow.register.flag(document_id=doc.id, person_id="ro-1", role="ro", reason="left", at=NOW) is None
        await uow.register.put_snapshot(date(2026, 11, 23), NOW, total=4, in_date=2, due_soon=1, overdue=1, no_date=0)
        await uow.register.put_snapshot(date(2026, 11, 23), NOW, total=4, in_date=3, due_soon=0, overdue=1, no_date=0)
        asset = await uow.register.add_asset(ref="FORM-12", kind="form", title="Return home interview", location=None,
                                             owner_id="ro-1", extra={}, created_at=NOW, updated_at=NOW)
        assert await uow.register.link(asset.id, doc.id, "section 4", NOW) is not None
        assert await uow.register.link(asset.id, doc.id, "again", NOW) is None
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.people.get("ro-1")).role_names == frozenset({"ro", "rsm"})
        assert [p.id for p in await uow.people.with_role("consultee")] == []
        [flag] = await uow.register.open_flags()
        assert await uow.register.resolve_flags(flag.document_id, "ro", NOW) == 1
        [snap] = await uow.register.snapshots()
        assert (snap.in_date, snap.due_soon) == (3, 0)
        [(found, link)] = await uow.register.assets_for_document(flag.document_id)
        assert (found.ref, link.note) == ("FORM-12", "section 4")
        assert [d.ref for d in await uow.register.documents_for_asset(found.id)] == ["PP-001"]
        assert [d.ref for d in await uow.register.documents_of("ro-1")] == ["PP-001", "PP-002", "PP-003", "PP-009"]
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.register.open_flags() == []
