"""The repository contract for what the merges added (issue 22 item 7, issue 21, issue 16, the records
of meetings and the register): changes through `update`, `uow.due`, the outbox's claims, the 1:1
chats of a batch and the answers given, on the service tier's fake and on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from tests.store.test_repository_contract import NOW, _case, _org
from tests.store.test_repository_contract_more import _row


async def test_documents_and_people_change_through_update_and_an_unknown_column_is_refused(uow_factory):
    await _org(uow_factory)
    async with uow_factory() as uow:
        doc = await uow.documents.by_ref("PP-001")
        changed = await uow.documents.update(doc.id, title="Missing children", extra={"use": "guidance"})
        assert (changed.id, changed.title) == (doc.id, "Missing children")
        await uow.people.update("ro-1", job_title="Team Manager")
        with pytest.raises(AttributeError):
            await uow.documents.update(doc.id, colour="red")
        with pytest.raises(LookupError):
            await uow.people.update("nobody", job_title="x")
        await uow.commit()
    async with uow_factory() as uow:
        doc = await uow.documents.by_ref("PP-001")
        assert (doc.title, doc.extra) == ("Missing children", {"use": "guidance"})
        assert (await uow.people.get("ro-1")).job_title == "Team Manager"
        new = await uow.documents.create(ref="PP-010", doc_type="Procedure", title="New", ro_id="ro-1", rsm_id="rsm-1",
                                         status="draft", extra={}, created_at=NOW, updated_at=NOW)
        new = await uow.documents.load_people(new)
        assert (new.ro.name, new.rsm.name) == ("Alex Dunmore", "Morgan Reyes")


async def test_meetings_and_assets_are_frozen_records_changed_through_update(uow_factory):
    await _org(uow_factory)
    async with uow_factory() as uow:
        meeting = await uow.meetings.create(body="dlg", starts_at=NOW + timedelta(days=7), status="scheduled",
                                            one_off=False, created_at=NOW)
        item = await uow.meetings.add_item(meeting_id=meeting.id, document_id=None, case_id=3, title="PP-001",
                                           kind="for_decision", section="decisions", position=0, added_by="ppo", added_at=NOW)
        entry = await uow.meetings.add_plan_entry(body="dlg", document_id=None, case_id=3, title="PP-001", kind="for_decision",
                                                  status="planned", agenda_item_id=item.id, added_by="ppo", added_at=NOW)
        action = await uow.meetings.add_action(meeting_id=meeting.id, body="dlg", agenda_item_id=item.id, text="Check",
                                               owner_id="ro-1", due_on=None, created_at=NOW)
        asset = await uow.register.add_asset(ref="FORM-1", kind="form", title="Referral form", location=None,
                                             owner_id="ro-1", extra={}, created_at=NOW, updated_at=NOW)
        with pytest.raises(dataclasses.FrozenInstanceError):
            meeting.status = "held"  # type: ignore[misc]
        assert (await uow.meetings.update_meeting(meeting.id, status="held", papers_sent_at=NOW)).status == "held"
        assert (await uow.meetings.update_item(item.id, outcome="approved", recorded_at=NOW)).outcome == "approved"
        assert (await uow.meetings.update_plan_entry(entry.id, status="decided")).status == "decided"
        assert (await uow.meetings.update_action(action.id, done_at=NOW)).done_at == NOW
        assert (await uow.register.update_asset(asset.id, location="Intranet")).location == "Intranet"
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.meetings.get(meeting.id)).papers_sent_at == NOW
        assert (await uow.meetings.item(item.id)).outcome == "approved"
        assert await uow.meetings.plan("dlg") == []
        assert await uow.meetings.open_actions("dlg") == []
        [(found, _)] = await uow.meetings.decided_between("dlg", NOW - timedelta(days=1), NOW + timedelta(days=1))
        assert found.id == item.id
        assert (await uow.register.asset_by_ref("form-1")).location == "Intranet"


async def test_the_sweeps_read_only_what_is_due(uow_factory):
    """Issue 22 item 7: reviews due by a date, approvals in a period, the compliance counts in one read,
    the report's rows with their owner, and the open cases to nudge or waiting on someone."""
    case_id = await _case(uow_factory)
    async with uow_factory() as uow:
        for ref, approved in (("PP-001", date(2026, 11, 2)), ("PP-002", date(2026, 10, 1)), ("PP-009", date(2026, 11, 3))):
            await uow.documents.update((await uow.documents.by_ref(ref)).id, approved_on=approved)
        await uow.commit()
    async with uow_factory() as uow:
        assert [d.ref for d in await uow.due.reviews_by(date(2026, 12, 31))] == ["PP-002"]
        assert [d.ref for d in await uow.due.not_retired_due_by(date(2027, 1, 5))] == ["PP-001", "PP-002"]
        assert [d.ref for d in await uow.due.approved_between(date(2026, 11, 1), date(2026, 11, 30))] == ["PP-001"]
        assert await uow.due.compliance_counts(date(2026, 12, 2), date(2026, 12, 31)) == {
            "total": 3, "overdue": 1, "due_soon": 0, "no_date": 1}
        rows = await uow.due.report_rows()
        assert [(r.ref, r.owner, r.next_review_due) for r in rows][:2] == [
            ("PP-001", "Alex Dunmore", date(2027, 1, 5)), ("PP-002", "Alex Dunmore", date(2026, 12, 1))]
        assert await uow.due.cases_to_nudge(None, []) == []
        assert [c.id for c, _ in await uow.due.cases_to_nudge(NOW + timedelta(days=1), [])] == [case_id]
        assert await uow.due.cases_to_nudge(NOW - timedelta(days=1), ["submit"]) == []
        [(case, doc)] = await uow.due.cases_waiting_on("rsm-1", ["rsm"])
        assert (case.id, doc.ref, doc.rsm.name) == (case_id, "PP-001", "Morgan Reyes")
        assert await uow.due.cases_waiting_on("ppo", ["ppo"]) == []
        kind = (await uow.cases.get(case_id)).kind  # NCT-4: a deadline sweep reads the open cases of one kind
        assert [(c.id, d.ref) for c, d in await uow.due.open_cases_of_kind(kind)] == [(case_id, "PP-001")]
        assert await uow.due.open_cases_of_kind("no_such_kind") == []
        assert [c.id for c, _ in await uow.due.open_cases_of_kind("no_such_kind", kind)] == [case_id]  # NCT-17 too
        assert await uow.due.cases_waiting_on("left", []) == []
    async with uow_factory() as uow:  # NCT-7: a joint RSM named in the document's extra is found too
        await uow.documents.update(doc.id, extra={"other_rsm_ids": ["left"]})
        await uow.commit()
    async with uow_factory() as uow:
        assert [c.id for c, _ in await uow.due.cases_waiting_on("left", [])] == [case_id]
        assert await uow.due.cases_waiting_on("ppo", ["ppo"]) == []


async def test_a_claim_taken_twice_may_repeat_and_a_batch_reads_every_chat_at_once(uow_factory):
    """Issue 21: a row claimed again after a lapsed claim is marked as a possible repeat; the
    dispatcher's batch reads each person's newest 1:1 chat in one call."""
    await _org(uow_factory)
    async with uow_factory() as uow:
        await uow.outbox.insert_new([_row("a|ppo|teams", payload={"requests": ["PP-001"]})])
        for n, (kind, at) in enumerate((("personal", NOW), ("personal", NOW + timedelta(hours=1)), ("groupChat", NOW))):
            await uow.conversations.upsert(at=at, channel_id="msteams", conversation_id=f"a:{n}", service_url="https://smba/",
                                           reference={"n": n}, person_id="ro-1", aad_object_id="aad-ro-1",
                                           tenant_id="t-1", conversation_type=kind)
        await uow.commit()
    async with uow_factory() as uow:
        [first] = await uow.outbox.claim("me:1", NOW, 10, 60)
        assert (first.possible_repeat, first.requests) == (False, ("PP-001",))
        await uow.commit()
    async with uow_factory() as uow:
        [again] = await uow.outbox.claim("me:2", NOW + timedelta(minutes=2), 10, 60)
        assert again.possible_repeat is True
        chats = await uow.conversations.personal_chats(["ro-1", "ppo"])
        assert list(chats) == ["ro-1"]
        assert (chats["ro-1"].conversation_id, chats["ro-1"].tenant_id, dict(chats["ro-1"].reference)) == ("a:1", "t-1", {"n": 1})
        assert await uow.conversations.personal_chats([]) == {}
        assert (await uow.conversations.personal_for_many(["ro-1"]))["ro-1"].conversation_id == "a:1"


async def test_answers_given_and_what_people_said_of_them(uow_factory):
    """Issue 16: the answers kept, the feedback on them, and the ones that did not meet the need."""
    async with uow_factory() as uow:
        ids = [await uow.answers.add(at=NOW + timedelta(minutes=i), person_id="ro-1", channel="msteams", question=q,
                                     topic=q, outcome=outcome, closest=[])
               for i, (q, outcome) in enumerate((("missing from care", "answered"), ("honour based abuse", "weak"),
                                                  ("private fostering", "answered")))]
        await uow.answers.set_feedback(ids[2], feedback="not_helpful", note="I wanted the form" * 30, at=NOW)
        await uow.commit()
    async with uow_factory() as uow:
        got = await uow.answers.get(ids[2])
        assert (got.feedback, len(got.feedback_note)) == ("not_helpful", 300)
        assert [a.question for a in await uow.answers.unmet()] == ["honour based abuse", "private fostering"]
        assert [a.question for a in await uow.answers.unmet(NOW + timedelta(minutes=2))] == ["private fostering"]


async def test_the_answer_index_is_kept_once_per_indexing_code(uow_factory):
    """Issue 16 item 6: one kept answer index, replaced by the next, read back byte for byte, and only by
    the indexing code (format) that made it."""
    blob = bytes(range(256)) * 400  # binary, with zero bytes
    async with uow_factory() as uow:
        assert await uow.answers.kept_index("answers:a") is None
        await uow.answers.keep_index("answers:a", b"first", at=NOW, passages=1)
        await uow.answers.keep_index("answers:a", blob, at=NOW, passages=2)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.answers.kept_index("answers:a") == blob
        assert await uow.answers.kept_index("answers:b") is None
        await uow.answers.keep_index("answers:b", b"other", at=NOW, passages=3)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.answers.kept_index("answers:a") is None  # replaced, not kept beside it
        assert await uow.answers.kept_index("answers:b") == b"other"
