"""The repository contract (issue 14 items 2 and 8): the same behaviour tests run on the service
tier's fake unit of work (tests/service/fakes) and on the real SQLAlchemy store over SQLite and
PostgreSQL, so a service test on the fakes means what it says about the real thing. People,
documents, audit, key/values, cases and drafts, and the unit of work's commit and rollback; the
outbox, meetings and the register's own rows are in test_repository_contract_more.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from services.clock import LONDON
from services.ports import ConcurrencyConflict, Notice
from store.models import Base
from tests.service.fakes.records import RECORDS

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)


async def _people(uow) -> None:
    await uow.people.create(id="ro-1", name="Alex Dunmore", email="Alex.Dunmore@example.org", aad_object_id="aad-ro-1",
                            active=True, preferences={}, roles=["ro", "consultee"], service_area="Safeguarding")
    await uow.people.create(id="rsm-1", name="Morgan Reyes", email="morgan.reyes@example.org", aad_object_id="aad-rsm-1",
                            active=True, preferences={}, roles=["rsm"])
    await uow.people.create(id="left", name="Bea Gone", email="bea.gone@example.org", active=False, preferences={},
                            roles=["rsm"])
    await uow.people.create(id="ppo", name="Priya Patel", email="priya.patel@example.org", aad_object_id="aad-ppo",
                            active=True, preferences={"channels": ["email"]}, roles=["ppo"])


async def _document(uow, ref: str, *, due: date | None = None, status: str = "published", ro: str | None = "ro-1"):
    return await uow.documents.create(ref=ref, doc_type="Procedure", title=f"Procedure {ref}", category=None,
                                      service_area="Safeguarding", ro_id=ro, rsm_id="rsm-1", status=status,
                                      version="1.0", next_review_due=due, extra={}, created_at=NOW, updated_at=NOW)


async def _org(uow_factory) -> None:
    async with uow_factory() as uow:
        await _people(uow)
        for i, due in enumerate((date(2027, 1, 5), date(2026, 12, 1), None), start=1):
            await _document(uow, f"PP-00{i}", due=due)
        await _document(uow, "PP-009", status="retired")
        await uow.commit()


def test_the_fake_records_have_the_store_tables_columns():
    """Every fake record names exactly the columns of its table (a column added to the store and not
    to the fakes fails here)."""
    tables = Base.metadata.tables
    for record in RECORDS:
        assert set(record.FIELDS) == set(tables[record.TABLE].columns.keys()), record.__name__


async def test_nothing_is_seen_before_commit_and_nothing_is_kept_without_one(uow_factory):
    async with uow_factory() as uow:
        await _people(uow)
        async with uow_factory() as other:
            assert await other.people.get("ro-1") is None  # not committed yet
        # leaving without commit rolls back
    async with uow_factory() as uow:
        assert await uow.people.count() == 0
        await _people(uow)
        await uow.rollback()
    async with uow_factory() as uow:
        assert await uow.people.count() == 0
        await _people(uow)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.people.count() == 4


async def test_notices_reach_the_outbox_at_commit_only_and_each_key_once(uow_factory):
    """A notice raised with notify is written by commit() with the change, through the outbox's rules
    (the person's chosen channel); rolled back, it is gone; the same key later adds nothing."""
    await _org(uow_factory)
    notice = Notice(key="notice:case1:1:abc", subject="RSM approval: PP-001", body="Waits for you", person_id="ppo")
    async with uow_factory() as uow:
        uow.notify(notice)
        assert uow.notices == (notice,)
        await uow.rollback()
    async with uow_factory() as uow:
        assert await uow.outbox.by_key_prefix("notice:") == []
        uow.notify(notice)
        async with uow_factory() as other:
            assert await other.outbox.by_key_prefix("notice:") == []
        await uow.commit()
    async with uow_factory() as uow:
        [row] = await uow.outbox.by_key_prefix("notice:case1")
        assert (row.key, row.channel, row.status, row.subject) == ("notice:case1:1:abc|ppo|email", "email", "pending",
                                                                   "RSM approval: PP-001")
        uow.notify(notice)
        assert await uow.write_notices() == 0
        await uow.commit()
    async with uow_factory() as uow:
        assert len(await uow.outbox.by_key_prefix("notice:")) == 1
    with pytest.raises(TypeError):
        async with uow_factory() as uow:
            uow.notify("not a notice")


async def test_people_are_found_by_id_email_and_entra_id_and_by_role(uow_factory):
    await _org(uow_factory)
    async with uow_factory() as uow:
        assert (await uow.people.get("ro-1")).name == "Alex Dunmore"
        assert (await uow.people.by_email("  alex.dunmore@EXAMPLE.org ")).id == "ro-1"
        assert (await uow.people.by_aad("aad-rsm-1")).id == "rsm-1"
        assert await uow.people.by_aad("nobody") is None and await uow.people.get("nobody") is None
        assert [p.id for p in await uow.people.with_role("rsm")] == ["rsm-1"]  # the inactive RSM is left out
        assert [p.name for p in await uow.people.all()] == ["Alex Dunmore", "Bea Gone", "Morgan Reyes", "Priya Patel"]
        assert sorted(p.id for p in await uow.people.many(["ppo", "ro-1", "nobody"])) == ["ppo", "ro-1"]
        assert await uow.people.many([]) == []
        # the outbox's light read: how to reach each person, nothing else (issue 22 item 7)
        assert sorted((c.id, c.email, c.aad_object_id, c.preferences) for c in await uow.people.contacts(["ro-1", "ppo", "nobody", "ppo"])) == [
            ("ppo", "priya.patel@example.org", "aad-ppo", {"channels": ["email"]}), ("ro-1", "Alex.Dunmore@example.org", "aad-ro-1", {})]
        assert await uow.people.contacts([]) == []
        ro = await uow.people.get("ro-1")
        assert ro.role_names == frozenset({"ro", "consultee"}) and ro.service_area == "Safeguarding"


async def test_an_email_address_belongs_to_one_person(uow_factory):
    await _org(uow_factory)
    with pytest.raises(Exception):  # noqa: B017 - the store's IntegrityError, the fake's Unique
        async with uow_factory() as uow:
            await uow.people.create(id="twin", name="Twin", email="priya.patel@example.org", active=True,
                                    preferences={}, roles=[])
            await uow.commit()
    async with uow_factory() as uow:
        assert await uow.people.get("twin") is None


async def test_documents_by_reference_due_dates_and_owners(uow_factory):
    await _org(uow_factory)
    async with uow_factory() as uow:
        doc = await uow.documents.by_ref(" pp-002 ")
        assert doc.ref == "PP-002" and doc.ro.name == "Alex Dunmore" and doc.rsm.id == "rsm-1"
        assert (await uow.documents.get(doc.id)).ref == "PP-002"
        assert [d.ref for d in await uow.documents.all()] == ["PP-001", "PP-002", "PP-003"]
        assert [d.ref for d in await uow.documents.all(include_retired=True)] == ["PP-001", "PP-002", "PP-003", "PP-009"]
        due = await uow.documents.due_between(date(2026, 11, 1), date(2027, 1, 31))
        assert [d.ref for d in due] == ["PP-002", "PP-001"]
        assert sorted(d.ref for d in await uow.documents.owned_or_signed_off_by("rsm-1")) == ["PP-001", "PP-002", "PP-003"]
        assert await uow.documents.count() == 4
        picked = await uow.documents.by_ids([doc.id, 99999])
        assert [d.ref for d in picked] == ["PP-002"]


async def test_a_document_changed_through_update_is_kept_by_the_commit(uow_factory):
    """Use cases change a register entry's fields through `uow.documents.update`; the commit keeps them, a rollback does not."""
    await _org(uow_factory)
    async with uow_factory() as uow:
        doc = await uow.documents.by_ref("PP-001")
        await uow.documents.update(doc.id, status="draft", version="2.0", next_review_due=date(2027, 11, 23))
        await uow.rollback()
    async with uow_factory() as uow:
        doc = await uow.documents.by_ref("PP-001")
        assert (doc.status, doc.version) == ("published", "1.0")
        await uow.documents.update(doc.id, status="draft", version="2.0", next_review_due=date(2027, 11, 23))
        await uow.commit()
    async with uow_factory() as uow:
        doc = await uow.documents.by_ref("PP-001")
        assert (doc.status, doc.version, doc.next_review_due) == ("draft", "2.0", date(2027, 11, 23))


async def test_audit_records_in_order_with_their_actor(uow_factory):
    await _org(uow_factory)
    async with uow_factory() as uow:
        ro = await uow.people.get("ro-1")
        await uow.audit.record(at=NOW + timedelta(minutes=5), actor=ro, entity="document", entity_id=1, action="approve",
                               summary="Approved", details={"case": 1})
        await uow.audit.record(at=NOW, actor=None, entity="document", entity_id="1", action="registered", summary="Added")
        await uow.audit.record(at=NOW, actor=None, entity="document", entity_id=2, action="registered", summary="Added")
        with pytest.raises(ValueError, match="timezone-aware"):
            await uow.audit.record(at=datetime(2026, 11, 23, 10, 0), actor=None, entity="document", entity_id=1,  # noqa: DTZ001
                                   action="x", summary="x")
        await uow.commit()
    async with uow_factory() as uow:
        entries = await uow.audit.for_entity("document", 1)
        assert [(e.action, e.actor_id, e.actor_name) for e in entries] == [
            ("registered", None, "policybot"), ("approve", "ro-1", "Alex Dunmore")]
        assert entries[1].details == {"case": 1}


async def test_key_values_are_kept_and_replaced(uow_factory):
    async with uow_factory() as uow:
        assert await uow.kv.get("manual_updates") is None
        await uow.kv.put("manual_updates", {"deadlines": ["2027-03-05"]})
        await uow.commit()
    async with uow_factory() as uow:
        await uow.kv.put("manual_updates", {"deadlines": ["2027-03-05", "2027-09-03"]})
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.kv.get("manual_updates") == {"deadlines": ["2027-03-05", "2027-09-03"]}


async def _case(uow_factory) -> int:
    await _org(uow_factory)
    async with uow_factory() as uow:
        doc = await uow.documents.by_ref("PP-001")
        case = await uow.cases.create(document_id=doc.id, preset="nct", kind="scheduled_review", stage="rsm_approval",
                                      status="open", state={"stage": "rsm_approval"}, waiting_for=["rsm"],
                                      opened_by="ro-1", opened_at=NOW, updated_at=NOW, version=1)
        await uow.commit()
        return case.id


async def test_a_case_moves_on_by_compare_and_swap_and_a_stale_version_changes_nothing(uow_factory):
    case_id = await _case(uow_factory)
    async with uow_factory() as uow:
        row, doc = await uow.cases.full(case_id)
        assert doc.ref == "PP-001" and doc.ro.id == "ro-1"
        new = await uow.cases.save(row, expected_version=1, state={"stage": "submit"}, stage="submit", status="open",
                                   waiting_for=["ppo"], now=NOW)
        assert new.version == 2 and new.waiting_for == ["ppo"] and row.version == 1
        await uow.commit()
    async with uow_factory() as uow:
        row = await uow.cases.get(case_id)
        with pytest.raises(ConcurrencyConflict):
            await uow.cases.save(row, expected_version=1, state={}, stage="x", status="closed", waiting_for=[], now=NOW)
    async with uow_factory() as uow:
        row = await uow.cases.get(case_id)
        assert (row.version, row.stage, row.status, row.state) == (2, "submit", "open", {"stage": "submit"})
        assert [c.id for c in await uow.cases.open_for_document(row.document_id)] == [case_id]
        assert [c.id for c, _ in await uow.cases.open_with_documents()] == [case_id]
        assert [c.id for c in await uow.cases.all_open()] == [case_id]
        assert [c.id for c, _ in await uow.cases.full_many([case_id, 424242])] == [case_id]
        assert await uow.cases.full(424242) is None


async def test_draft_versions_are_numbered_per_document(uow_factory):
    case_id = await _case(uow_factory)
    async with uow_factory() as uow:
        doc = await uow.documents.by_ref("PP-001")
        other = await uow.documents.by_ref("PP-002")
        for n, (d, content) in enumerate([(doc, b"one"), (doc, b"two"), (other, b"three")]):
            draft = await uow.cases.add_draft(document_id=d.id, case_id=case_id if d is doc else None,
                                              filename=f"v{n}.docx", sha256=f"{n:064d}", size=len(content),
                                              tracked_insertions=n, tracked_deletions=0, uploaded_by="ro-1",
                                              uploaded_at=NOW, note=None)
        assert draft.number == 1
        await uow.commit()
    async with uow_factory() as uow:
        heads = await uow.cases.draft_heads(doc.id)
        assert [(d.number, d.filename) for d in heads] == [(1, "v0.docx"), (2, "v1.docx")]
        # the bytes are in the file store by SHA-256 (drafts in files): the rows say which file is the latest
        assert await uow.cases.latest_drafts() == {doc.id: (heads[1].id, f"{1:064d}", "v1.docx"),
                                                  other.id: (heads[1].id + 1, f"{2:064d}", "v2.docx")}
        assert [(d.number, d.size) for d in await uow.cases.draft_heads_of_cases([case_id, 424242])] == [(1, 3), (2, 3)]
        assert await uow.cases.draft_heads_of_cases([]) == []
        assert await uow.cases.has_draft_file(f"{1:064d}") and not await uow.cases.has_draft_file("f" * 64)
        await uow.cases.update_draft(heads[1].id, comments=2, change_kind="minor",
                                     changes={"insertions": 1, "deletions": 0, "comments": 2})
        card = await uow.cases.record_card(case_id=case_id, person_id="rsm-1", channel_id="msteams", conversation_id="a:1",
                                           activity_id="act-1", service_url="https://smba.example/", case_version=1,
                                           sent_at=NOW)
        await uow.cases.cards_refreshed([card.id], 2)
        await uow.commit()
    async with uow_factory() as uow:
        assert [(c.activity_id, c.case_version) for c in await uow.cases.cards_for(case_id)] == [("act-1", 2)]
        latest = (await uow.cases.draft_heads(doc.id))[-1]  # what changed in a draft, kept through update_draft
        assert (latest.comments, latest.change_kind, latest.changes) == (2, "minor", {"insertions": 1, "deletions": 0, "comments": 2})
